"""Lessons: interactive walkthroughs written as data, one JSON file each.

A lesson is a list of steps.  A step may bring its tab into a state (the tab's own
frozen state, :mod:`mlcalc_gui.core.states`, given as the fields that differ from the
tab's defaults), says a few sentences, may show a formula (LaTeX, typeset by mathtext),
and may ask a question before it reveals the answer: a choice, or a number within a
tolerance.  Example::

    {"format": "mlcalc-gui lesson", "version": 1, "title": "Rise over run",
     "tab": "Derivatives", "week": 1,
     "steps": [
       {"say": "The secant's slope is rise over run.",
        "formula": "\\\\frac{f(x+h) - f(x)}{h}",
        "state": {"function": "x^2", "x": 1.0, "h": 1.0}},
       {"say": "Let h shrink.", "question": {
          "ask": "What slope does the secant reach at x = 1?",
          "number": 2, "tolerance": 0.05,
          "explain": "f'(x) = 2x, so 2 at x = 1."}}]}

A step may wait for a task (``until``): ``{"observe": "order", "is": ">=", "value": 6,
"goal": "raise the order to 6"}`` compares one of the tab's observables with a value;
Page Down says what is still to do, and a second Page Down skips it (a lecturer).

A lesson file is read as untrusted data, through the same checks as a session: regular
files only, at most :data:`MAX_BYTES`, plain JSON (never evaluated), a known format and
version, each field's type and length checked, and each state read field by field by
:func:`mlcalc_gui.core.state_codec.from_json` (functions stay text for the tab's safe parser).
:func:`loads` returns a whole :class:`Lesson` or raises :class:`LessonError` saying
where the file is wrong.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from mlcalc_gui.core.session import read_document, read_file
from mlcalc_gui.core.state_codec import StateError, formula_problems, from_json

__all__ = ["FORMAT", "VERSION", "MAX_BYTES", "MAX_STEPS", "Question", "Gate", "Step",
           "Lesson", "LessonError", "loads", "load", "builtin_lessons", "LESSON_KEYS",
           "STEP_KEYS", "QUESTION_KEYS", "GATE_KEYS", "GATE_OPS"]

FORMAT = "mlcalc-gui lesson"
VERSION = 1
MAX_BYTES = 1024 * 1024
MAX_STEPS = 100
MAX_SAY = 2000
MAX_FORMULA = 300
MAX_CHOICES = 6

#: The keys each part of a lesson may have: anything else is refused, naming it.
LESSON_KEYS = ("format", "version", "title", "tab", "week", "about", "steps")
STEP_KEYS = ("say", "formula", "state", "question", "hide", "show", "until")
QUESTION_KEYS = ("ask", "explain", "choices", "answer", "number", "tolerance")
GATE_KEYS = ("observe", "is", "value", "goal")
#: How a gate compares what it observes with its value.
GATE_OPS = ("<", "<=", ">", ">=", "=")


class LessonError(ValueError):
    """The file is not a lesson this program can open; says where it is wrong."""


@dataclass(frozen=True)
class Question:
    """Asked before the answer is revealed: pick one of ``choices`` (``answer`` is the
    right one's index), or type a number within ``tolerance`` of ``number``."""

    ask: str
    explain: str
    choices: tuple[str, ...] = ()
    answer: int = 0
    number: float | None = None
    tolerance: float = 0.0

    def check(self, given: int | float) -> bool:
        """Is ``given`` (a choice's index, or a number) right?"""
        if self.choices:
            return given == self.answer
        assert self.number is not None
        return math.isfinite(given) and abs(given - self.number) <= self.tolerance


@dataclass(frozen=True)
class Gate:
    """A task the learner does in the tab before the lesson goes on: one of the tab's
    observables (a named number or flag it declares) compared with a value, checked as
    data, never evaluated.  ``goal`` says what to do, in the lesson's words."""

    observe: str
    op: str
    value: float | bool
    goal: str

    def met(self, observed: Mapping[str, Any]) -> bool:
        """Whether the tab's observables now meet the gate (False while the observable
        has no value, a run not started, say)."""
        now = observed.get(self.observe)
        if now is None or isinstance(now, float) and not math.isfinite(now):
            return False
        if isinstance(self.value, bool) or self.op == "=":
            return bool(now == self.value)
        return {"<": now < self.value, "<=": now <= self.value, ">": now > self.value,
                ">=": now >= self.value}[self.op]


@dataclass(frozen=True)
class Step:
    """What a step shows: ``say`` (narration), a ``formula`` (mathtext), the tab's
    ``state``, a ``question``, and which of the tab's readouts to ``hide`` until the
    question is answered (None: the tab's own choice for a question, the readouts that
    would give any answer away)."""

    say: str
    formula: str = ""
    state: Any = None  # the tab's state to apply, or None: the tab stays as it is
    question: Question | None = None
    hide: tuple[str, ...] | None = None
    show: str = ""  # a place of the tab's to bring into view (its Hessian, say)
    until: Gate | None = None  # a task in the tab before the lesson goes on


@dataclass(frozen=True)
class Lesson:
    """``about``: what the lesson teaches, in a line (the course map shows it); ``key``:
    a built-in lesson's name (its file's, without ".json"), by which progress is kept,
    "" for a lesson opened from a file."""

    title: str
    tab: str
    week: int
    steps: tuple[Step, ...]
    about: str = ""
    key: str = ""


def _text(data: Mapping, key: str, where: str, limit: int, required: bool = True) -> str:
    value = data.get(key, None)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise LessonError(f"{where}: '{key}' must be text")
    if not value.strip() and required:
        raise LessonError(f"{where}: '{key}' is empty")
    if len(value) > limit:
        raise LessonError(f"{where}: '{key}' is longer than {limit} characters")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LessonError(f"{where} must be a number")
    try:
        number = float(value)
    except OverflowError:
        raise LessonError(f"{where} is too large") from None
    if not math.isfinite(number) or abs(number) > 1e12:
        raise LessonError(f"{where} must be a finite number within ±1e12")
    return number


def _known_keys(data: Mapping, allowed: tuple[str, ...], where: str) -> None:
    """Refuse a key a lesson cannot have ("stat" for "state"), saying which are allowed."""
    for key in data:
        if key not in allowed:
            raise LessonError(f"{where}: '{str(key)[:40]}' is not a key here (allowed: "
                              f"{', '.join(allowed)})")


def _question(data: Any, where: str) -> Question:
    if not isinstance(data, dict):
        raise LessonError(f"{where}: expected an object")
    _known_keys(data, QUESTION_KEYS, where)
    ask = _text(data, "ask", where, 500)
    explain = _text(data, "explain", where, 1000)
    if "choices" in data:
        choices = data["choices"]
        if (not isinstance(choices, list) or not 2 <= len(choices) <= MAX_CHOICES
                or not all(isinstance(c, str) and 0 < len(c) <= 200 for c in choices)):
            raise LessonError(f"{where}: 'choices' must be 2 to {MAX_CHOICES} texts of at "
                              "most 200 characters")
        answer = data.get("answer")
        if isinstance(answer, bool) or not isinstance(answer, int) \
                or not 0 <= answer < len(choices):
            raise LessonError(f"{where}: 'answer' must be the number of the right choice, "
                              f"0 to {len(choices) - 1}")
        return Question(ask, explain, tuple(choices), answer)
    if "number" in data:
        number = _number(data["number"], f"{where}: 'number'")
        tolerance = _number(data.get("tolerance", 0.0), f"{where}: 'tolerance'")
        if tolerance < 0:
            raise LessonError(f"{where}: 'tolerance' cannot be negative")
        return Question(ask, explain, number=number, tolerance=tolerance)
    raise LessonError(f"{where}: a question needs 'choices' (with 'answer') or 'number'")


def _gate(data: Any, where: str, observables: tuple[str, ...] | None) -> Gate:
    if not isinstance(data, dict):
        raise LessonError(f"{where}: expected an object")
    _known_keys(data, GATE_KEYS, where)
    name = _text(data, "observe", where, 40)
    if observables is not None and name not in observables:
        raise LessonError(f"{where}: 'observe' names '{name}', which this tab does not "
                          f"observe (it observes: {', '.join(observables) or 'nothing'})")
    op = data.get("is")
    if op not in GATE_OPS:
        raise LessonError(f"{where}: 'is' must be one of {', '.join(GATE_OPS)}")
    raw = data.get("value")
    if isinstance(raw, bool):
        if op != "=":
            raise LessonError(f"{where}: a flag (true or false) is compared with '='")
        value: float | bool = raw
    else:
        value = _number(raw, f"{where}: 'value'")
    return Gate(name, op, value, _text(data, "goal", where, 300))


def _hide(value: Any, where: str, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LessonError(f"{where}: 'hide' must be a list of the tab's readouts"
                          + (f" ({', '.join(allowed)})" if allowed else ""))
    if allowed is not None:
        for name in value:
            if name not in allowed:
                raise LessonError(f"{where}: 'hide' names '{name[:40]}', which this tab "
                                  f"does not have (its readouts: "
                                  f"{', '.join(allowed) or 'none'})")
    return tuple(value)


def loads(text: str, state_classes: Mapping[str, type],
          hideable: Mapping[str, tuple[str, ...]] | None = None,
          formula_problem: Callable[[str], str | None] | None = None,
          places: Mapping[str, tuple[str, ...]] | None = None,
          observables: Mapping[str, tuple[str, ...]] | None = None) -> Lesson:
    """Read a lesson; ``state_classes`` maps each tab title to its state's class.

    Everything is checked when the file is read, so a mistake is said at once, naming
    its step and key, never when the step comes: keys a part cannot have, every state
    field (strictly: a field the state does not have is refused), every formula a state
    holds (by the safe parser, as the tab reads it), the readouts a step hides (against
    ``hideable``, each tab's names), the place it shows (against ``places``), what a
    gate observes (against ``observables``) and each typeset formula
    (``formula_problem(latex)`` says why it cannot be typeset, or None)."""
    data = read_document(text, FORMAT, VERSION, "lesson", LessonError)
    _known_keys(data, LESSON_KEYS, "the lesson")
    title = _text(data, "title", "the lesson", 200)
    tab = data.get("tab")
    if not isinstance(tab, str) or tab not in state_classes:
        raise LessonError(f"'tab' must be one of {', '.join(state_classes)}")
    week = data.get("week", 0)
    if isinstance(week, bool) or not isinstance(week, int) or not 0 <= week <= 6:
        raise LessonError("'week' must be a whole number from 1 to 6 (0: none)")
    about = _text(data, "about", "the lesson", 300, required=False)
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not 1 <= len(raw_steps) <= MAX_STEPS:
        raise LessonError(f"'steps' must be a list of 1 to {MAX_STEPS} steps")
    allowed = None if hideable is None else tuple(hideable.get(tab, ()))
    steps = []
    for i, raw in enumerate(raw_steps):
        where = f"step {i + 1}"
        if not isinstance(raw, dict):
            raise LessonError(f"{where}: expected an object")
        _known_keys(raw, STEP_KEYS, where)
        say = _text(raw, "say", where, MAX_SAY)
        formula = _text(raw, "formula", where, MAX_FORMULA, required=False)
        if formula and formula_problem is not None:
            problem = formula_problem(formula)
            if problem:
                raise LessonError(f"{where}: 'formula' cannot be typeset ({problem}); "
                                  "formulas are matplotlib mathtext, a subset of LaTeX")
        state = None
        if "state" in raw:
            try:
                state = from_json(state_classes[tab], raw["state"], f"{where}: state",
                                  strict=True)
            except StateError as exc:
                raise LessonError(str(exc)) from None
            except RecursionError:
                raise LessonError(f"{where}: the state nests too deeply") from None
            problems = formula_problems(state, f"{where}: state")
            if problems:
                raise LessonError(problems[0])
        question = _question(raw["question"], f"{where}: question") if "question" in raw \
            else None
        hide = _hide(raw["hide"], where, allowed) if "hide" in raw else None
        show = _text(raw, "show", where, 40, required=False)
        if show and places is not None and show not in places.get(tab, ()):
            raise LessonError(f"{where}: 'show' names '{show}', which this tab does not have "
                              f"(its places: {', '.join(places.get(tab, ())) or 'none'})")
        until = None
        if "until" in raw:
            seen = None if observables is None else tuple(observables.get(tab, ()))
            until = _gate(raw["until"], f"{where}: until", seen)
        steps.append(Step(say, formula, state, question, hide, show, until))
    return Lesson(title, tab, week, tuple(steps), about)


def load(path: str | os.PathLike, state_classes: Mapping[str, type], **checks: Any) -> Lesson:
    """:func:`loads` of the file at ``path`` (a regular file of at most MAX_BYTES)."""
    return loads(read_file(path, MAX_BYTES, LessonError), state_classes, **checks)


def builtin_lessons(state_classes: Mapping[str, type], **checks: Any) -> list[Lesson]:
    """The lessons that ship with the tutor, in course order (week, then tab order)."""
    from importlib import resources

    folder = resources.files("mlcalc_gui.data").joinpath("lessons")
    lessons = [replace(loads(entry.read_text(encoding="utf-8"), state_classes, **checks),
                       key=entry.name.removesuffix(".json"))
               # "N-tab.json" before "N-tab-more.json": the name without its ending
               for entry in sorted(folder.iterdir(), key=lambda e: e.name.removesuffix(".json"))
               if entry.name.endswith(".json")]
    order = list(state_classes)
    return sorted(lessons, key=lambda lesson: (lesson.week, order.index(lesson.tab)))
