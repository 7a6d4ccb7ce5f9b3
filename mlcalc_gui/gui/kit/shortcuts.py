"""Typed shortcuts: a key or a clicker press is a callable of the tab, never a name
looked up (the window binds them, the F1 list shows them)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

__all__ = ["Action", "Shortcut", "Clicker", "HISTORY_SHORTCUTS", "playback_shortcuts",
           "view_shortcut", "nudge_shortcuts"]


#: What a key or a clicker press does: called with the tab (so that a tab of pages
#: answers on the page shown), checked by the type checker, never looked up by name.
Action = Callable[[Any], Any]


@dataclass(frozen=True)
class Shortcut:
    """A key a tab answers while it is shown: ``target(tab)`` is called when it is
    pressed (``lambda tab: tab.playback.toggle()``)."""

    key: str
    text: str
    target: Action

    def resolve(self, tab: QWidget) -> Callable[[], Any]:
        """The slot the key is connected to."""
        return functools.partial(self.target, tab)


@dataclass(frozen=True)
class Clicker:
    """What Page Down and Page Up (a presenter's clicker; Right and Left in presentation
    mode) step through in a tab: ``what`` for the F1 list and the step indicator, and
    what they do, called with the tab (None for Page Up: the window says there is no
    previous step)."""

    what: str
    next: Action
    previous: Action | None = None


#: The history row's keys, in every tab with a playback bar.
HISTORY_SHORTCUTS = (
    Shortcut(",", "back one record in the run's history",
             lambda tab: tab.playback.scrub_back()),
    Shortcut(".", "forward one record in the run's history",
             lambda tab: tab.playback.scrub_forward()))


def playback_shortcuts(many: bool = False) -> tuple[Shortcut, ...]:
    """The playback bar's keys (Page Down, a presenter's clicker, is the window's: it
    steps whatever the tab walks through, see :class:`Clicker`)."""
    keys = (Shortcut("Space", "play or pause", lambda tab: tab.playback.toggle()),
            Shortcut("N", "single step", lambda tab: tab.playback.step_once()),
            Shortcut("R", "reset the run to the start", lambda tab: tab.playback.reset()),
            *HISTORY_SHORTCUTS)
    many_key = Shortcut("Shift+N", "step many", lambda tab: tab.playback.step_many())
    return (*keys, many_key) if many else keys


def view_shortcut(views: str, key: str = "V") -> Shortcut:
    """The key of a tab of pages that brings the next page forward; ``views`` names
    them for the F1 list ("Newton, descent, Lagrange")."""
    return Shortcut(key, f"next view: {views}", lambda tab: tab.next_view())


def nudge_shortcuts(on: str, back: str) -> tuple[Shortcut, Shortcut]:
    """] and [: the tab's point one step on and back (what moves, in the F1 list's
    words: ``on`` and ``back``)."""
    return (Shortcut("]", on, lambda tab: tab.nudge(1)),
            Shortcut("[", back, lambda tab: tab.nudge(-1)))
