"""A learner's progress through the built-in lessons, kept on this computer between runs.

For each lesson (named by its file, ``"2-gradients"``): the furthest step shown, whether
it was finished, and how each question went the first time (right, or not: answered
wrong or revealed without an answer).  The course map shows it; "Continue" goes to the
first unfinished lesson, in course order, at the furthest step it reached.

The file is read back as untrusted data: a regular file of at most :data:`MAX_BYTES`,
plain JSON (never evaluated), a known format and version, every entry checked.  An entry
that is wrong is left out with a note saying so (the rest is kept); a file that is not a
progress file at all gives empty progress and one note.  Example::

    {"format": "mlcalc-gui progress", "version": 1,
     "lessons": {"1-derivatives": {"reached": 5, "finished": true,
                                   "first": {"1": true, "3": false}}}}
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from mlcalc_gui.core.files import FileReadError, read_text_file, write_text_atomic
from mlcalc_gui.core.session import read_document

__all__ = ["FORMAT", "VERSION", "MAX_BYTES", "FILE_NAME", "WEEK_TITLES", "LessonProgress",
           "Progress", "ProgressError", "loads", "dumps", "load", "save"]

FORMAT = "mlcalc-gui progress"
VERSION = 1
MAX_BYTES = 256 * 1024
FILE_NAME = "progress.json"
#: The most lessons a progress file may name (the built-in ones are far fewer).
MAX_LESSONS = 500
#: A lesson's name in the file: its file's name without ".json".
KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")
#: A step's index (lessons have at most 100 steps).
MAX_STEP = 99

#: The course's six weeks, as the course map heads them (see ../shared/COURSE.md).
WEEK_TITLES = {
    1: "Rise over run: the derivative and its rules",
    2: "Multivariate calculus: gradients, Jacobians, Hessians",
    3: "The multivariate chain rule and neural networks",
    4: "Taylor series and how good an approximation is",
    5: "Optimisation: Newton-Raphson, descent, Lagrange multipliers",
    6: "Regression: linear and non-linear least squares",
}


class ProgressError(ValueError):
    """The progress file cannot be read at all (the learner starts afresh)."""


@dataclass(frozen=True)
class LessonProgress:
    """``reached``: the furthest step shown (from 0); ``first``: each question's step
    mapped to whether it was answered right the first time."""

    reached: int = 0
    finished: bool = False
    first: Mapping[int, bool] = field(default_factory=dict)

    @property
    def right_first(self) -> int:
        return sum(self.first.values())


@dataclass
class Progress:
    """Every lesson's :class:`LessonProgress`, and the notes on what was left out when it
    was read.  The ``note_*`` methods say whether anything changed (then it is saved)."""

    lessons: dict[str, LessonProgress] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def of(self, key: str) -> LessonProgress:
        return self.lessons.get(key, LessonProgress())

    def note_step(self, key: str, index: int) -> bool:
        now = self.of(key)
        if index <= now.reached and key in self.lessons:
            return False
        self.lessons[key] = replace(now, reached=max(now.reached, min(index, MAX_STEP)))
        return True

    def note_finished(self, key: str, last: int) -> bool:
        now = self.of(key)
        if now.finished:
            return False
        self.lessons[key] = replace(now, finished=True, reached=max(now.reached, last))
        return True

    def note_answer(self, key: str, index: int, right: bool) -> bool:
        """The first answer to a question counts; answering it again changes nothing."""
        now = self.of(key)
        if index in now.first:
            return False
        self.lessons[key] = replace(now, first={**now.first, index: bool(right)})
        return True

    def resume(self, lessons: Iterable[tuple[str, int]]) -> tuple[str, int] | None:
        """Where "Continue" goes: the first unfinished lesson of ``lessons`` (each its key
        and number of steps, in course order) and the furthest step it reached, or None
        when every one is finished."""
        for key, length in lessons:
            now = self.of(key)
            if not now.finished:
                return key, min(now.reached, max(length - 1, 0))
        return None


def _entry(raw: Any, where: str) -> LessonProgress:
    if not isinstance(raw, dict):
        raise ProgressError(f"{where} is not an object")
    unknown = set(raw) - {"reached", "finished", "first"}
    if unknown:
        raise ProgressError(f"{where} has a key it cannot have ({sorted(unknown)[0][:40]!r})")
    reached = raw.get("reached", 0)
    if isinstance(reached, bool) or not isinstance(reached, int) \
            or not 0 <= reached <= MAX_STEP:
        raise ProgressError(f"{where}: 'reached' must be a step from 0 to {MAX_STEP}")
    finished = raw.get("finished", False)
    if not isinstance(finished, bool):
        raise ProgressError(f"{where}: 'finished' must be true or false")
    first_raw = raw.get("first", {})
    if not isinstance(first_raw, dict):
        raise ProgressError(f"{where}: 'first' must be an object")
    first = {}
    for step, right in first_raw.items():
        if not (isinstance(step, str) and step.isdigit() and len(step) <= 2) \
                or not isinstance(right, bool):
            raise ProgressError(f"{where}: 'first' maps a step (0 to {MAX_STEP}) to true "
                                "or false")
        first[int(step)] = right
    return LessonProgress(reached, finished, first)


def loads(text: str) -> Progress:
    """The progress in ``text``; entries that are wrong are left out, each with a note.
    Raises :class:`ProgressError` when the text is not a progress file at all."""
    data = read_document(text, FORMAT, VERSION, "progress file", ProgressError)
    raw = data.get("lessons", {})
    if not isinstance(raw, dict):
        raise ProgressError("'lessons' must be an object")
    progress = Progress()
    for key, entry in list(raw.items())[:MAX_LESSONS]:
        name = key[:40] if isinstance(key, str) else "?"
        try:
            if not KEY.fullmatch(key):
                raise ProgressError(f"the lesson name {name!r} is not one a lesson has")
            progress.lessons[key] = _entry(entry, f"the lesson {key!r}")
        except ProgressError as exc:
            progress.notes.append(str(exc))
    if len(raw) > MAX_LESSONS:
        progress.notes.append(f"only the first {MAX_LESSONS} lessons were read")
    return progress


def dumps(progress: Progress) -> str:
    lessons = {key: {"reached": p.reached, "finished": p.finished,
                     "first": {str(step): right for step, right in sorted(p.first.items())}}
               for key, p in sorted(progress.lessons.items())}
    return json.dumps({"format": FORMAT, "version": VERSION, "lessons": lessons}, indent=1)


def load(path: str | os.PathLike) -> Progress:
    """The progress kept at ``path``: empty if there is none yet; empty with a note if
    the file cannot be read or is not a progress file (it is written afresh later)."""
    if not os.path.lexists(path):
        return Progress()
    try:
        return loads(read_text_file(path, MAX_BYTES))
    except (FileReadError, ProgressError) as exc:
        return Progress(notes=[f"your progress could not be read ({exc}); it starts afresh"])


def save(path: str | os.PathLike, progress: Progress) -> None:
    """Write atomically: a crash leaves the old file or the new one."""
    write_text_atomic(path, dumps(progress))
