"""Run by tests/test_text_size.py in a process of its own (a clean application, and its
memory its own): every tab built, presentation mode, a warm round of text-size steps on
every tab, then 50 steps on each; prints what the test checks, as JSON."""

from __future__ import annotations

import ctypes
import gc
import json
import resource
import sys
import tempfile
from pathlib import Path

import numpy as np


def rss_mb() -> float:
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # freed memory back to the system
    except (OSError, AttributeError):
        pass
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 1e6


def main() -> None:
    from mlcalc_gui.app import create_app

    create_app()
    import pyqtgraph as pg
    from PySide6.QtCore import QCoreApplication, QSettings

    from mlcalc_gui.gui.run.host import process_events_until
    from mlcalc_gui.gui.shell.registry import TAB_SPECS
    from mlcalc_gui.gui.shell.text_size import FONT_RANGE
    from mlcalc_gui.gui.shell.window import MainWindow

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.IniFormat)
    window = MainWindow(settings, offer_last_session=False)
    window.resize(1366, 768)
    window.show()
    for index in range(len(TAB_SPECS)):
        window.tabs.setCurrentIndex(index)
        tab = window.tab(index)
        process_events_until(lambda tab=tab: tab.built and tab._pending_state is None, 30)
        process_events_until(lambda tab=tab: not tab.working, 30)

    def scatters():
        return [item for view in window.findChildren(pg.GraphicsView)
                for item in view.scene().items() if isinstance(item, pg.ScatterPlotItem)]

    def largest(item) -> float:
        sizes = np.asarray(item.data["size"], dtype=float)
        return float(np.max(np.where(sizes < 0, float(item.opts.get("size", 7)), sizes)))

    def steps(count: int) -> None:
        direction = 1
        for _ in range(count):
            if window._text_pt >= FONT_RANGE[1]:
                direction = -1
            elif window._text_pt <= FONT_RANGE[0]:
                direction = 1
            window.zoom_text(direction)
            QCoreApplication.processEvents()  # each drawn before the next, as key presses

    sizes = {id(item): largest(item) for item in scatters() if len(item.data)}
    window.enter_presentation(full_screen=False)
    most = FONT_RANGE[1] * window.presentation.magnification / window._base_font_pt
    for index in range(len(TAB_SPECS)):  # warm: every size drawn once on every tab
        window.tabs.setCurrentIndex(index)
        steps(int(sys.argv[1]))
        window.zoom_text(0)
    before = rss_mb()
    grown, atlases = [], []
    for index in range(len(TAB_SPECS)):
        window.tabs.setCurrentIndex(index)
        steps(int(sys.argv[2]))
        window.zoom_text(0)
        for item in scatters():
            if len(item.data) and id(item) in sizes and largest(item) > sizes[id(item)] * most:
                grown.append([TAB_SPECS[index].title, sizes[id(item)], largest(item)])
            if len(item.fragmentAtlas) > len(item.data) + 16:
                atlases.append([TAB_SPECS[index].title, len(item.fragmentAtlas)])
    process_events_until(lambda: False, 0.1)
    after = rss_mb()
    window.leave_presentation()
    window.close()
    print(json.dumps({"growth_mb": after - before, "grown": grown, "atlases": atlases}))


if __name__ == "__main__":
    main()
