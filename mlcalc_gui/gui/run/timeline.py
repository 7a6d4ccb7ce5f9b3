"""What a run shows besides its newest record: its history (a Timeline the playback bar's
history row moves through: the records themselves, or what a tab keeps) and the words
and numbers that follow it, changed a few times a second (LiveUpdate)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Slot

from mlcalc_gui.core.runner import RunState

if TYPE_CHECKING:  # (the controller makes these)
    from mlcalc_gui.gui.run.controller import RunController

__all__ = ["LIVE_INTERVAL_MS", "Timeline", "ListTimeline", "RecordTimeline", "LiveUpdate"]


#: How often words and numbers that follow a running run change: a reader cannot take
#: in more than a few a second, and each change re-lays out its panel.
LIVE_INTERVAL_MS = 100


class Timeline(Protocol):
    """The kept history of a run, as the history row moves through it."""

    #: The index shown, or None for the newest (live).
    position: int | None

    def __len__(self) -> int: ...

    def show(self, index: int) -> None:
        """Show the run at kept item ``index`` (the newest means live again)."""

    def cut(self) -> None:
        """Drop what comes after the item shown and make it the newest (a new branch)."""

    def describe(self) -> str:
        """Which item is shown, for the history row: "step 12 of 40"."""


class ListTimeline:
    """A history kept as a sequence of items, every one (a subclass says which, in
    ``items()``, and how a branch drops the later ones, in ``cut``)."""

    #: What one item is called in the history row ("record 3 of 40").
    noun = "record"

    def __init__(self):
        self.position: int | None = None

    def items(self):
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.items())

    def show(self, index: int) -> None:
        last = len(self) - 1
        index = min(max(int(index), 0), last)
        self.position = None if index >= last else index

    def cut(self) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        n = len(self)
        shown = n if self.position is None else self.position + 1
        return f"{self.noun} {shown:,} of {n:,}" + ("" if self.position is None else " (past)")


class RecordTimeline(ListTimeline):
    """The records of a controller's run, every one kept."""

    def __init__(self, controller: RunController):
        super().__init__()
        self.controller = controller

    def items(self):
        return self.controller.records

    def cut(self) -> None:
        if self.position is not None:
            del self.controller.records[self.position + 1:]
            self.position = None


class LiveUpdate(QObject):
    """An update of words or numbers (a status line, a panel of readouts) that follows a
    run.  While the run runs, ``live(*args)`` is applied at most every
    :data:`LIVE_INTERVAL_MS` (a call in between is kept and applied at the interval's
    end, the latest winning); paused, stepped or stopped, at once.  :meth:`now` applies
    at once and drops one kept; :meth:`flush` applies one kept now.

    Made by :meth:`RunController.live`, which flushes them when its run stops running,
    before the tab hears how it ended."""

    def __init__(self, controller: RunController, apply: Callable[..., None]):
        super().__init__(controller)
        self._controller = controller
        self._apply = apply
        self._pending: tuple | None = None
        self._since = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    def __call__(self, *args: Any) -> None:
        if self._controller.state != RunState.RUNNING:
            self.now(*args)
            return
        self._pending = args
        if not self._since.isValid() or self._since.elapsed() >= LIVE_INTERVAL_MS:
            self.flush()
        elif not self._timer.isActive():
            self._timer.start(max(1, LIVE_INTERVAL_MS - self._since.elapsed()))

    def now(self, *args: Any) -> None:
        self._pending = args
        self.flush()

    @Slot()
    def flush(self) -> None:
        self._timer.stop()
        if self._pending is not None:
            args, self._pending = self._pending, None
            self._since.start()
            self._apply(*args)

    def cancel(self) -> None:
        """Drop a kept update (what it would show is out of date)."""
        self._timer.stop()
        self._pending = None
