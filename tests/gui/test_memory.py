"""Freed memory goes back to the system (shell.memory): the heap a burst of work freed
is trimmed a moment after the burst, once, and the resident size falls by what was
freed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mlcalc_gui.gui.shell.memory import AFTER_MS, GiveBack, trim_function

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux") or trim_function() is None,
                                reason="malloc_trim is glibc's")


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@linux_only
def test_the_freed_heap_is_given_back_after_a_burst_once(qtbot):
    from PySide6.QtCore import QObject

    owner = QObject()
    give = GiveBack(owner)
    try:
        # 80 MB in 2 KB blocks (malloc's heap, not mmap), one in 64 kept: glibc cannot
        # shrink a heap with live blocks all along it, and keeps the rest for itself.
        blocks = [bytes(2048) for _ in range(40_000)]
        kept = blocks[::64]
        del blocks
        before = resident_mb()
        for _ in range(5):  # a burst (five presses of Ctrl+=): one trim, after the last
            give.soon()
        assert give.trims == 0
        qtbot.waitUntil(lambda: give.trims == 1, timeout=20 * AFTER_MS)
        after = resident_mb()
        assert before - after > 40, (before, after)  # most of the 80 MB came back
        assert not give.pending  # nothing more to come for that burst
        assert len(kept) == 625
    finally:
        give.stop()
