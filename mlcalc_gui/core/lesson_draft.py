"""A lesson being recorded (Lessons > Record a lesson): its steps as the lecturer made
them, in the documented lesson format (:mod:`mlcalc_gui.core.lessons`).

A step keeps the tab's state as the fields that differ from the tab's defaults, so the
file stays short and a later default does not become part of it.  Before it is saved the
draft is read back by the same :func:`~mlcalc_gui.core.lessons.loads` every lesson file
goes through, so a recorded lesson always opens, and a mistake is said naming its step
and key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlcalc_gui.core import lessons
from mlcalc_gui.core.files import write_text_atomic
from mlcalc_gui.core.state_codec import to_json

__all__ = ["DraftStep", "Draft", "state_delta", "FILE_SUFFIX"]

#: A recorded lesson's file name ends so (the desktop entry opens it in the tutor).
FILE_SUFFIX = ".mlcalc-lesson.json"


def state_delta(state: Any) -> dict[str, Any]:
    """The fields of ``state`` (a tab's frozen state) that differ from its class's
    defaults, as JSON values."""
    now = to_json(state)
    default = to_json(type(state)())
    return {name: value for name, value in now.items() if value != default.get(name)}


@dataclass
class DraftStep:
    """One step as the form holds it: ``state`` is the tab's fields that differ from its
    defaults (None: the step leaves the tab as it is); ``question`` and ``until`` are
    the format's objects, or None."""

    say: str = ""
    formula: str = ""
    state: dict[str, Any] | None = None
    question: dict[str, Any] | None = None
    until: dict[str, Any] | None = None
    show: str = ""  # a place of the tab to bring into view
    hide: list[str] | None = None  # the readouts hidden while the question waits

    def as_json(self) -> dict[str, Any]:
        step: dict[str, Any] = {"say": self.say}
        if self.formula.strip():
            step["formula"] = self.formula.strip()
        if self.state is not None:
            step["state"] = self.state
        if self.question is not None:
            step["question"] = self.question
        if self.until is not None:
            step["until"] = self.until
        if self.show:
            step["show"] = self.show
        if self.hide is not None:
            step["hide"] = list(self.hide)
        return step


@dataclass
class Draft:
    """The lesson being recorded: one tab, its steps in order."""

    tab: str
    title: str = ""
    week: int = 0
    about: str = ""
    steps: list[DraftStep] = field(default_factory=list)

    def move(self, index: int, to: int) -> int:
        """Step ``index`` moved to ``to`` (clamped); returns where it is now."""
        to = max(0, min(to, len(self.steps) - 1))
        self.steps.insert(to, self.steps.pop(index))
        return to

    def delete(self, index: int) -> None:
        del self.steps[index]

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"format": lessons.FORMAT, "version": lessons.VERSION,
                               "title": self.title.strip(), "tab": self.tab,
                               "week": self.week}
        if self.about.strip():
            doc["about"] = self.about.strip()
        doc["steps"] = [step.as_json() for step in self.steps]
        return doc

    def dumps(self) -> str:
        return json.dumps(self.document(), indent=1, ensure_ascii=False) + "\n"

    def lesson(self, state_classes: Mapping[str, type], **checks: Any) -> lessons.Lesson:
        """The draft read as a lesson file is read; raises LessonError saying which step
        and key are wrong (and that the file would be too large)."""
        text = self.dumps()
        if len(text.encode("utf-8")) > lessons.MAX_BYTES:
            raise lessons.LessonError(
                f"the lesson would be larger than {lessons.MAX_BYTES // 1024} KB, the most "
                "a lesson file may hold: fewer steps, or steps with less state (a long "
                "run's history is kept in its state)")
        return lessons.loads(text, state_classes, **checks)

    def save(self, path: str | os.PathLike, state_classes: Mapping[str, type],
             **checks: Any) -> lessons.Lesson:
        """Check the draft, then write it atomically (a crash leaves the old file or the
        new one); returns the lesson as it will be read back."""
        lesson = self.lesson(state_classes, **checks)
        write_text_atomic(path, self.dumps())
        return lesson

    @classmethod
    def from_lesson(cls, lesson: lessons.Lesson) -> Draft:
        """A draft of an existing lesson, to edit it."""
        steps = []
        for step in lesson.steps:
            question = None
            if step.question is not None:
                q = step.question
                question = {"ask": q.ask, "explain": q.explain}
                if q.choices:
                    question |= {"choices": list(q.choices), "answer": q.answer}
                else:
                    question |= {"number": q.number, "tolerance": q.tolerance}
            until = None
            if step.until is not None:
                g = step.until
                until = {"observe": g.observe, "is": g.op, "value": g.value, "goal": g.goal}
            steps.append(DraftStep(step.say, step.formula,
                                   None if step.state is None else state_delta(step.state),
                                   question, until, step.show,
                                   None if step.hide is None else list(step.hide)))
        return cls(lesson.tab, lesson.title, lesson.week, lesson.about, steps)
