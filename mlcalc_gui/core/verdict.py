"""What a finished run says to the learner, as a value: its words and its level.

A warning is a level, not a sign at the front of a string: the GUI chooses how a level
looks (the ⚠ sign and the warning colour together, so the colour is never alone), and
code tests the level, never the text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Level", "Verdict", "as_verdict"]


class Level(str, Enum):
    """How much a verdict matters: ``INFO`` reads as the result; ``WARNING`` asks the
    learner to look again (a plateau); ``ERROR`` must not read as success (a descent
    that went astray)."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Verdict:
    text: str
    level: Level = Level.INFO

    @property
    def marked(self) -> str:
        """The text as shown: a warning or an error opens with the warning sign."""
        return self.text if self.level is Level.INFO else f"⚠ {self.text}"


def as_verdict(said: Verdict | str) -> Verdict:
    """A tab's finished-run words as a verdict (plain words are information)."""
    return said if isinstance(said, Verdict) else Verdict(str(said))
