"""A tab's state as a frozen dataclass, and its strict conversion to and from JSON.

Every tab describes what it holds (function text, point, rates, seeds, the current run)
as a frozen, Qt-free dataclass whose fields carry their limits::

    @dataclass(frozen=True)
    class GradientsState:
        function: str = field(default="x^2 + y^2", metadata=limits(max_len=500))
        rate: float = field(default=0.1, metadata=limits(1e-4, 10))

:func:`to_json` turns a state into plain JSON values; :func:`from_json` reads one back
from untrusted data (a session file) and checks every value against the field's type
and limits: booleans, integers, finite floats, strings, fixed tuples, bounded
variable-length tuples, optional values and nested states.  Unknown keys are ignored and
missing keys take the default, so older and newer files still open; anything else wrong
raises :class:`StateError` naming the field.  Nothing is ever evaluated: a text field is
text, and a tab parses it with the same safe parser as typed text.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from typing import Any, TypeVar

__all__ = ["StateError", "limits", "to_json", "from_json", "formula_fields",
           "formula_problems"]

T = TypeVar("T")


class StateError(ValueError):
    """A state read from a file is not one this program can use; says which field."""


def limits(lo: float | None = None, hi: float | None = None, max_len: int | None = None,
           choices: tuple | None = None, formula: str | tuple[str, ...] | None = None
           ) -> dict[str, Any]:
    """Field metadata: numbers within [lo, hi], at most ``max_len`` characters or
    items, or one of ``choices``.  ``formula`` marks text the tab parses: the variables
    of a function (``("x", "y")``), or ``"step"`` (a Sandpit step in J and H) or
    ``"derivative"`` (a derivative of the Gaussian in x, mu, sigma and f); see
    :func:`formula_problems`."""
    return {"lo": lo, "hi": hi, "max_len": max_len, "choices": choices, "formula": formula}


def to_json(state: Any) -> Any:
    """Plain JSON values (dicts, lists, numbers, strings) for a state."""
    if dataclasses.is_dataclass(state):
        return {f.name: to_json(getattr(state, f.name)) for f in dataclasses.fields(state)}
    if isinstance(state, tuple | list):
        return [to_json(v) for v in state]
    if isinstance(state, float) and not math.isfinite(state):
        raise StateError(f"{state} cannot be saved: states hold finite numbers only")
    return state


def from_json(cls: type[T], data: Any, where: str = "", strict: bool = False) -> T:
    """A ``cls`` from untrusted JSON ``data``; :class:`StateError` says what is wrong.
    ``strict`` refuses a key that is no field (a lesson's typing mistake, "fucntion"),
    naming it and the fields there are; otherwise such keys are left out (a session
    from another version still opens)."""
    where = where or cls.__name__
    if not isinstance(data, dict):
        raise StateError(f"{where}: expected an object, found {_kind(data)}")
    if strict:
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = [key for key in data if key not in names]
        if unknown:
            raise StateError(f"{where}: '{str(unknown[0])[:40]}' is not a field of this tab's "
                             f"state (its fields: {', '.join(names)})")
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = _read(hints[f.name], data[f.name], f"{where}.{f.name}",
                                   {**f.metadata, "strict": strict})
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:  # a __post_init__ check
        raise StateError(f"{where}: {exc}") from None


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false",
             int: "a whole number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _read(hint: Any, value: Any, where: str, meta: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _read(inner, value, where, meta)
    if dataclasses.is_dataclass(hint):
        return from_json(hint, value, where, meta.get("strict", False))
    if origin is tuple:
        if not isinstance(value, list):
            raise StateError(f"{where}: expected a list, found {_kind(value)}")
        if len(args) == 2 and args[1] is Ellipsis:
            max_len = meta.get("max_len")
            if max_len is not None and len(value) > max_len:
                raise StateError(f"{where}: more than {max_len:,} items")
            item_meta = {k: v for k, v in meta.items() if k != "max_len"}
            return tuple(_read(args[0], v, f"{where}[{i}]", item_meta)
                         for i, v in enumerate(value))
        if len(value) != len(args):
            raise StateError(f"{where}: expected {len(args)} items, found {len(value)}")
        return tuple(_read(a, v, f"{where}[{i}]", meta)
                     for i, (a, v) in enumerate(zip(args, value, strict=True)))
    if hint is bool:
        if not isinstance(value, bool):
            raise StateError(f"{where}: expected true or false, found {_kind(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise StateError(f"{where}: expected a whole number, found {_kind(value)}")
        return _check_range(value, where, meta)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise StateError(f"{where}: expected a number, found {_kind(value)}")
        # (JSON's NaN and Infinity arrive as floats; a huge integer has no float.)
        if isinstance(value, float) and math.isnan(value):
            raise StateError(f"{where}: NaN is not a number (write a number)")
        if isinstance(value, float) and math.isinf(value):
            raise StateError(f"{where}: {'-' * (value < 0)}Infinity is not a finite number "
                             f"(write a number)")
        if abs(value) >= 1e308:
            raise StateError(f"{where}: the number is too large for any field")
        value = float(value)
        return _check_range(value, where, meta)
    if hint is str:
        if not isinstance(value, str):
            raise StateError(f"{where}: expected text, found {_kind(value)}")
        max_len = meta.get("max_len")
        if max_len is not None and len(value) > max_len:
            raise StateError(f"{where}: longer than {max_len:,} characters")
        choices = meta.get("choices")
        if choices is not None and value not in choices:
            raise StateError(f"{where}: must be one of {', '.join(map(repr, choices))}")
        return value
    raise TypeError(f"{where}: a state field cannot have the type {hint!r}")  # a bug


def _check_range(value: float, where: str, meta: Any) -> float:
    lo, hi = meta.get("lo"), meta.get("hi")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        span = f"{'−∞' if lo is None else f'{lo:g}'} to {'∞' if hi is None else f'{hi:g}'}"
        shown = f"{value:g}" if abs(value) < 1e300 else "a number that large"
        raise StateError(f"{where}: {shown} is outside {span}")
    return value


def formula_fields(cls: type) -> dict[str, str | tuple[str, ...]]:
    """The fields of a state class that hold a formula, with what it is written in."""
    return {f.name: f.metadata["formula"] for f in dataclasses.fields(cls)
            if f.metadata.get("formula") is not None}


def formula_problems(state: Any, where: str = "") -> list[str]:
    """What is wrong with each formula ``state`` holds (an empty text is no formula),
    read by the safe parser as the tab would read it: "where.field: message"."""
    from mlcalc_gui.core.expressions import ExpressionError, parse_function

    problems = []
    for name, kind in formula_fields(type(state)).items():
        text = getattr(state, name)
        if not text.strip():
            continue
        try:
            if kind == "step":
                from mlcalc_gui.core.step_rules import parse_step

                parse_step(text)
            elif kind == "derivative":
                from mlcalc_gui.core.fitting import parse_derivative

                parse_derivative(text)
            else:
                parse_function(text, kind)
        except ExpressionError as exc:
            problems.append(f"{where}.{name}: {text[:60]!r} is not a formula the tab can "
                            f"read ({exc})")
    return problems
