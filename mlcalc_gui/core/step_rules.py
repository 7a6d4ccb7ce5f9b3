"""Step rules in two variables: where to go next from the gradient J and the Hessian H.

The course's four (one metre right, steepest descent, Newton, and its hybrid) are in
:data:`STRATEGIES`, shared by every tab that walks a surface.  A learner's own rule, as
the course asks them to write ``next_step``, is typed as a formula in J and H and read by
:func:`parse_step` through the safe parser's front end: nothing is evaluated, the formula
becomes a small tree of numpy operations whose shapes are checked before it ever runs.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from mlcalc_gui.core.expressions import ExpressionError, TreeWalker, parse_tree

__all__ = ["STRATEGIES", "STRATEGY_NAMES", "Rule", "steepest", "StepFormula", "parse_step",
           "STEP_NAMES", "STEP_EXAMPLES"]

Rule = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _right(J: np.ndarray, H: np.ndarray) -> np.ndarray:
    return np.array([1.0, 0.0])


def steepest(rate: float) -> Rule:
    """Steepest descent with learning rate ``rate``: −rate·J."""
    def step(J: np.ndarray, H: np.ndarray) -> np.ndarray:
        return -rate * np.asarray(J, float)
    return step


_steepest = steepest(0.5)  # the course's γ


def _newton(J: np.ndarray, H: np.ndarray) -> np.ndarray:
    try:
        return -np.linalg.solve(H, J)
    except np.linalg.LinAlgError:  # a singular Hessian: the least-squares step
        return -np.linalg.lstsq(H, J, rcond=None)[0]


def _hybrid(J: np.ndarray, H: np.ndarray) -> np.ndarray:
    """Newton's step, unless it goes uphill or is longer than 2 m: then steepest."""
    s = _newton(J, H)
    if float(s @ -np.asarray(J)) <= 0 or float(np.hypot(*s)) > 2:
        return _steepest(J, H)
    return s


STRATEGIES: dict[str, Rule] = {
    "right": _right, "steepest": _steepest, "newton": _newton, "hybrid": _hybrid}
STRATEGY_NAMES = {"right": "One metre right", "steepest": "Steepest descent (γ = 0.5)",
                  "newton": "Newton (−H⁻¹J)", "hybrid": "Hybrid (Newton, else steepest)"}

# ---- the learner's own step -----------------------------------------------------------------
#: The names a step formula may use: the gradient J, the Hessian H, their entries, and I.
STEP_NAMES = ("J", "H", "Jx", "Jy", "Hxx", "Hxy", "Hyx", "Hyy", "I")
#: Formulas to try, with what they do.
STEP_EXAMPLES = (("-0.3 J", "steepest descent with γ = 0.3"),
                 ("-H^-1 J", "Newton's step"),
                 ("-(H + 2 I)^-1 J", "a damped Newton step"),
                 ("-J / sqrt(J J)", "one metre straight downhill"))

_SCALAR, _VECTOR, _MATRIX = "a number", "a vector", "a matrix"

_NUMPY = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "asin": np.arcsin, "acos": np.arccos,
    "atan": np.arctan, "arcsin": np.arcsin, "arccos": np.arccos, "arctan": np.arctan,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "asinh": np.arcsinh,
    "acosh": np.arccosh, "atanh": np.arctanh, "exp": np.exp, "log": np.log, "ln": np.log,
    "sqrt": np.sqrt, "abs": np.abs, "sign": np.sign, "log10": np.log10, "log2": np.log2,
    "sec": lambda v: 1 / np.cos(v), "csc": lambda v: 1 / np.sin(v),
    "cot": lambda v: 1 / np.tan(v), "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
}

_Eval = Callable[[np.ndarray, np.ndarray], object]


@dataclass(frozen=True)
class _Part:
    kind: str  # _SCALAR, _VECTOR or _MATRIX
    fn: _Eval


def _matrix_power(M: np.ndarray, n: int) -> np.ndarray:
    try:
        return np.linalg.matrix_power(M, n)
    except np.linalg.LinAlgError:  # singular: no inverse, no step
        return np.full((2, 2), np.nan)


class _StepBuilder(TreeWalker):
    """Turn the tree of a step formula into numpy operations on (J, H), checking that
    every operation means something for the shapes it meets."""

    _NAMES: dict[str, _Part] = {
        "J": _Part(_VECTOR, lambda J, H: J), "H": _Part(_MATRIX, lambda J, H: H),
        "Jx": _Part(_SCALAR, lambda J, H: J[0]), "Jy": _Part(_SCALAR, lambda J, H: J[1]),
        "Hxx": _Part(_SCALAR, lambda J, H: H[0, 0]), "Hxy": _Part(_SCALAR, lambda J, H: H[0, 1]),
        "Hyx": _Part(_SCALAR, lambda J, H: H[1, 0]), "Hyy": _Part(_SCALAR, lambda J, H: H[1, 1]),
        "I": _Part(_MATRIX, lambda J, H: np.eye(2)),
        "pi": _Part(_SCALAR, lambda J, H: math.pi), "e": _Part(_SCALAR, lambda J, H: math.e),
    }

    def build(self, node: ast.AST) -> _Part:
        self._counted(node)
        if isinstance(node, ast.Expression):
            return self.build(node.body)
        if isinstance(node, ast.Constant):
            value = float(self._literal(node))
            return _Part(_SCALAR, lambda J, H: value)
        if isinstance(node, ast.Name):
            if node.id in self._NAMES:
                return self._NAMES[node.id]
            raise self._fail(f"'{node.id}' is a function: write {node.id}(...)", node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            part = self.build(node.operand)
            if isinstance(node.op, ast.UAdd):
                return part
            fn = part.fn
            return _Part(part.kind, lambda J, H: -fn(J, H))
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        raise self._fail("this is not allowed in a step", node)

    def _binop(self, node: ast.BinOp) -> _Part:
        a, b = self.build(node.left), self.build(node.right)
        f, g = a.fn, b.fn
        if isinstance(node.op, (ast.Add, ast.Sub)):
            if a.kind != b.kind:
                sign = "+" if isinstance(node.op, ast.Add) else "−"
                raise self._fail(f"{a.kind} {sign} {b.kind} has no meaning: both sides "
                                 f"must be numbers, vectors or matrices", node)
            if isinstance(node.op, ast.Add):
                return _Part(a.kind, lambda J, H: f(J, H) + g(J, H))
            return _Part(a.kind, lambda J, H: f(J, H) - g(J, H))
        if isinstance(node.op, ast.Mult):
            if _SCALAR in (a.kind, b.kind):
                kind = b.kind if a.kind == _SCALAR else a.kind
                return _Part(kind, lambda J, H: f(J, H) * g(J, H))
            # matrix·vector, vector·matrix, matrix·matrix, and J J the dot product
            kind = _SCALAR if a.kind == b.kind == _VECTOR else (
                _MATRIX if a.kind == b.kind == _MATRIX else _VECTOR)
            return _Part(kind, lambda J, H: f(J, H) @ g(J, H))
        if isinstance(node.op, ast.Div):
            if b.kind != _SCALAR:
                raise self._fail(f"dividing by {b.kind}: divide by a number only (for "
                                 f"H's inverse write H^-1)", node)
            return _Part(a.kind, lambda J, H: f(J, H) / g(J, H))
        if isinstance(node.op, ast.Pow):
            return self._power(node, a, b)
        raise self._fail("only + - * / ^ are allowed", node)

    def _power(self, node: ast.BinOp, a: _Part, b: _Part) -> _Part:
        f, g = a.fn, b.fn
        if a.kind == b.kind == _SCALAR:
            return _Part(_SCALAR, lambda J, H: np.float64(f(J, H)) ** g(J, H))
        if a.kind == _MATRIX and b.kind == _SCALAR:
            n = self._whole_exponent(node.right)
            return _Part(_MATRIX, lambda J, H: _matrix_power(f(J, H), n))
        raise self._fail(f"{a.kind} cannot be raised to a power: for J's squared length "
                         f"write J J, for H's inverse H^-1", node)

    def _whole_exponent(self, node: ast.AST) -> int:
        sign = 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            sign, node = -1, node.operand
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and node.value <= 8:
            return sign * node.value
        raise self._fail("a matrix power must be a whole number from -8 to 8 (H^-1 is "
                         "H's inverse)", node)

    def _call(self, node: ast.Call) -> _Part:
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name not in _NUMPY:
            raise self._fail(f"'{name}' is not a known function", node)
        if node.keywords or len(node.args) != 1:
            raise self._fail(f"{name}(...) takes exactly one argument", node)
        arg = self.build(node.args[0])
        if arg.kind != _SCALAR:
            raise self._fail(f"{name} takes a number, not {arg.kind} (for J's length "
                             f"write sqrt(J J))", node)
        fn, op = arg.fn, _NUMPY[name]
        return _Part(_SCALAR, lambda J, H: op(np.float64(fn(J, H))))


@dataclass(frozen=True)
class StepFormula:
    """A learner's step rule: call it with (J, H) for the step (two floats, which may be
    nan or infinite where the formula has no value, as H^-1 for a singular H)."""

    text: str
    _fn: _Eval = field(compare=False, repr=False)

    def __call__(self, J: np.ndarray, H: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            step = self._fn(np.asarray(J, float), np.asarray(H, float))
        return np.asarray(step, dtype=float).reshape(2)


@lru_cache(maxsize=64)
def parse_step(text: str) -> StepFormula:
    """Read a step such as ``-0.3 J`` or ``-H^-1 J``: a formula in J (the gradient, a
    vector), H (the Hessian, a matrix), their entries Jx … Hyy and I, whose value is a
    vector.  ``*`` between matrices and vectors is the matrix product, and J J is J·J.

    Raises :class:`ExpressionError` saying what is wrong, and where.  Cached: a game
    asks for its worker's rule at every dip."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("type a step, for example -0.3 J")
    tree, origin = parse_tree(text, STEP_NAMES)
    try:
        part = _StepBuilder(origin).build(tree)
    except RecursionError:
        raise ExpressionError("this step is too complicated") from None
    if part.kind != _VECTOR:
        raise ExpressionError(f"a step is a vector, and this is {part.kind}: multiply it "
                              f"by J (as in -0.3 J) or apply a matrix to J (-H^-1 J)")
    return StepFormula(text, part.fn)
