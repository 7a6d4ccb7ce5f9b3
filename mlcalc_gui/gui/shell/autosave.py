"""The session kept for "Continue where you left off": saved every few minutes while
the tutor runs (a crash loses minutes, not the morning) and when it closes, one file per
running tutor (two on one account never overwrite each other's), and offered back at the
next start with when it was saved.

Each running tutor holds a lock beside its file (``last-session.json.lock``; a second
tutor takes ``last-session-2.json`` and so on).  A lock whose tutor has gone (a crash)
is taken over.  At start the newest file no running tutor holds is offered.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from mlcalc_gui.core import session as sessions

__all__ = ["Autosave", "AUTOSAVE_MS", "SLOTS"]

#: How often the session is saved while the tutor runs.
AUTOSAVE_MS = 2 * 60 * 1000
#: The most tutors on one account that each keep a session of their own.
SLOTS = 9


def _slot_path(folder: Path, slot: int) -> Path:
    return folder / ("last-session.json" if slot == 1 else f"last-session-{slot}.json")


def when(path: Path) -> str:
    """When ``path`` was last written, as a reader says it ("at 14:02 today")."""
    try:
        stamp = _dt.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return ""
    today = _dt.date.today()
    day = ("today" if stamp.date() == today else "yesterday"
           if stamp.date() == today - _dt.timedelta(days=1) else stamp.strftime("on %d %b"))
    return f"at {stamp:%H:%M} {day}"


class Autosave(QObject):
    """This tutor's session file (:attr:`path`) and its lock, the timer that saves it,
    and the file to offer at start (:attr:`offer`).

    ``capture()`` gives the session to save.  ``sig_failed(message)`` when a timed save
    fails (said once until one succeeds again); the save on close is the window's, which
    asks what to do (:meth:`save_now` returns the reason it failed)."""

    sig_failed = Signal(str)

    def __init__(self, folder: Path, capture: Callable[[], sessions.Session],
                 parent: QObject | None = None):
        super().__init__(parent)
        self.folder = Path(folder)
        self._capture = capture
        self._lock: QLockFile | None = None
        self.slot = 1
        self.path = _slot_path(self.folder, 1)
        self.offer = self._newest_free()
        self._take_slot()
        self.failing = False
        self.timer = QTimer(self, interval=AUTOSAVE_MS)
        self.timer.timeout.connect(self.save_timed)

    # ---- which file ---------------------------------------------------------------------
    def _take_slot(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return  # nothing can be saved here; saving says why
        for slot in range(1, SLOTS + 1):
            lock = QLockFile(str(_slot_path(self.folder, slot)) + ".lock")
            lock.setStaleLockTime(0)  # held as long as this tutor runs; a dead one's is taken
            if lock.tryLock(0):
                self._lock, self.slot, self.path = lock, slot, _slot_path(self.folder, slot)
                return

    def _held_elsewhere(self, path: Path) -> bool:
        lock = QLockFile(str(path) + ".lock")
        lock.setStaleLockTime(0)
        if lock.tryLock(0):
            lock.unlock()
            return False
        return True

    def _newest_free(self) -> Path | None:
        """The newest session file no running tutor holds (what "Continue" opens)."""
        found = []
        for slot in range(1, SLOTS + 1):
            path = _slot_path(self.folder, slot)
            try:
                if path.is_file() and not self._held_elsewhere(path):
                    found.append((path.stat().st_mtime, path))
            except OSError:
                continue
        return max(found)[1] if found else None

    @property
    def shared(self) -> bool:
        """Another tutor is running on this account (this one has a file of its own)."""
        return self.slot != 1

    # ---- saving -------------------------------------------------------------------------
    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def save_now(self, session: sessions.Session | None = None) -> str | None:
        """Save the session (captured now, or ``session``); the reason it failed, or
        None."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            sessions.save(self.path, session if session is not None else self._capture())
        except (OSError, ValueError) as exc:
            return str(exc.strerror if isinstance(exc, OSError) and exc.strerror else exc)
        return None

    def save_timed(self) -> None:
        problem = self.save_now()
        if problem is None:
            self.failing = False
        elif not self.failing:
            self.failing = True
            self.sig_failed.emit(problem)

    def release(self) -> None:
        """The tutor closes: its file is free for the next start to offer."""
        self.stop()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
