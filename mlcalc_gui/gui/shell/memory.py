"""Freed memory given back to the system.

glibc's malloc keeps the blocks a process frees for its own next use: after a change of
text size (every layout and text cache made again), a lesson's pages or presentation
mode, the tutor's resident memory stayed as high as it had been, and a session's RSS
crept up with what Qt had freed (39 MB over 2 × 100 text sizes in presentation mode and
80 s of lessons, every tab open; 24 MB with this).  :class:`GiveBack` calls
``malloc_trim`` a moment after such work, and once a minute.  Elsewhere (macOS, Windows,
musl) it does nothing: those allocators give memory back themselves or have no such call.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

__all__ = ["GiveBack", "trim_function"]

#: How long after the last of a burst of work (fifty presses of Ctrl+=) the heap is
#: trimmed: once for the burst, not at every step.
AFTER_MS = 100
#: And once in this long in any case (a run or training that frees as it goes).
EVERY_MS = 60_000


def trim_function() -> Callable[[], object] | None:
    """glibc's ``malloc_trim(0)``, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # another C library (musl) or none found
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: trim(0)


class GiveBack(QObject):
    """Trims the heap :data:`AFTER_MS` after :meth:`soon` (restarted by each call) and
    every :data:`EVERY_MS`."""

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._trim = trim_function()
        self.trims = 0  # how many times the heap was given back (for the tests)
        self._after = QTimer(self, singleShot=True, interval=AFTER_MS)
        self._after.timeout.connect(self.now)
        self._every = QTimer(self, interval=EVERY_MS)
        self._every.timeout.connect(self.now)
        if self._trim is not None:
            self._every.start()

    @property
    def pending(self) -> bool:
        """A trim is due (a burst of work has not settled yet)."""
        return self._after.isActive()

    def soon(self) -> None:
        if self._trim is not None:
            self._after.start()

    def now(self) -> None:
        if self._trim is not None:
            self._trim()
            self.trims += 1

    def stop(self) -> None:
        self._after.stop()
        self._every.stop()
