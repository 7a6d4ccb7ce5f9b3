"""Ctrl+= and Ctrl+- any number of times (#31, item 1): memory stays flat, symbols keep
their size, and only the tab shown is re-laid out.

Each step gave every scatter a size an ulp off the one set, which the next step took
for the tab's own and multiplied again: symbols grew without end, pyqtgraph's atlas kept
every one it had drawn, and the tutor reached 24 GB and was killed."""

from __future__ import annotations

import gc
import resource

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QCoreApplication

from mlcalc_gui.gui import scale
from mlcalc_gui.gui.main_window import FONT_RANGE, TAB_SPECS


def _rss_mb() -> float:
    """Resident memory, after freed memory is handed back to the system (glibc keeps
    freed blocks, which would read as growth that is not there)."""
    import ctypes

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 1e6


def _scatters(window):
    return [item for view in window.findChildren(pg.GraphicsView)
            for item in view.scene().items() if isinstance(item, pg.ScatterPlotItem)]


def _largest(item) -> float:
    sizes = np.asarray(item.data["size"], dtype=float)
    return float(np.max(np.where(sizes < 0, float(item.opts.get("size", 7)), sizes)))


def _steps(window, count: int) -> None:
    """``count`` steps, up to the largest size and down to the smallest and back, each
    drawn before the next (as key presses are)."""
    direction = 1
    for _ in range(count):
        if window._text_pt >= FONT_RANGE[1]:
            direction = -1
        elif window._text_pt <= FONT_RANGE[0]:
            direction = 1
        window.zoom_text(direction)
        QCoreApplication.processEvents()


@pytest.mark.slow
def test_fifty_steps_on_every_tab_in_presentation_mode_keep_memory_flat(qtbot, window):
    window.resize(1366, 768)
    for index in range(len(TAB_SPECS)):
        window.tabs.setCurrentIndex(index)
        tab = window.tab(index)
        qtbot.waitUntil(lambda tab=tab: tab.built and tab._pending_state is None,
                        timeout=15000)
        qtbot.waitUntil(lambda tab=tab: not any(t.busy for t in tab._tasks), timeout=15000)
    sizes = {id(item): _largest(item) for item in _scatters(window) if len(item.data)}
    window.enter_presentation(full_screen=False)
    most = FONT_RANGE[1] * window.presentation.magnification / window._base_font_pt
    for index in range(len(TAB_SPECS)):  # warm: every size drawn once on every tab
        window.tabs.setCurrentIndex(index)
        _steps(window, 26)
        window.zoom_text(0)
    gc.collect()
    before = _rss_mb()
    for index in range(len(TAB_SPECS)):
        window.tabs.setCurrentIndex(index)
        _steps(window, 50)
        window.zoom_text(0)
        # No symbol has grown past its size at the largest scale, none compounds.
        for item in _scatters(window):
            if len(item.data) and id(item) in sizes:
                assert _largest(item) <= sizes[id(item)] * most * 1.01, \
                    (TAB_SPECS[index].title, sizes[id(item)], _largest(item))
            assert len(item.fragmentAtlas) <= len(item.data) + 16
    qtbot.wait(50)
    gc.collect()
    growth = _rss_mb() - before
    window.leave_presentation()
    assert growth < 30, f"RSS grew {growth:.0f} MB over 50 steps on each tab"


def test_a_step_lays_out_only_the_tab_shown_and_the_others_when_shown(qtbot, window,
                                                                     taylor):
    window.tabs.setCurrentIndex([s.title for s in TAB_SPECS].index("Gradients"))
    gradients = window.tab_by_title("Gradients")
    window.zoom_text(1)
    assert gradients.scaled_at == scale.factor() and taylor.scaled_at is None
    window.tabs.setCurrentIndex([s.title for s in TAB_SPECS].index("Taylor"))
    assert taylor.scaled_at == scale.factor()
    window.zoom_text(0)


def test_quick_presses_are_laid_out_once(qtbot, window, gradients):
    calls = []
    real = window.apply_scale
    window.apply_scale = lambda: (calls.append(1), real())[1]
    start = window._text_pt
    for _ in range(5):
        window.zoom_text_soon(1)
    assert calls == []  # said at once, laid out in the next pass
    qtbot.waitUntil(lambda: calls == [1])
    assert window._text_pt == start + 7.5
    window.zoom_text(0)
