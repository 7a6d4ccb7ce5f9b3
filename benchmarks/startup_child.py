"""One start-up, timed from process start to the main window painted.

    python -m benchmarks.startup_child app|bare  ->  prints 'painted drawn parsed' in seconds

``app`` is mlcalc-gui; ``bare`` is a PySide6 + pyqtgraph window holding one GLViewWidget.
Both are timed to the first Paint event inside their window, the same way; for the app it
also prints when its first function is drawn (a sketch without sympy, in the first frame)
and when it is parsed (sympy loads after the first frame).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def _process_start() -> float:
    """Seconds on the monotonic clock when this process started (from /proc)."""
    import os

    with open(f"/proc/{os.getpid()}/stat") as fh:
        start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as fh:
        uptime = float(fh.read().split()[0])
    ticks = os.sysconf("SC_CLK_TCK")
    # uptime and CLOCK_MONOTONIC both count from boot on Linux.
    return time.monotonic() - (uptime - start_ticks / ticks)


class _FirstPaint:
    """Notes the first Paint event of any widget inside the window."""

    def __init__(self, window):
        from PySide6.QtCore import QEvent, QObject

        self.at = None
        self.window = window
        paint = QEvent.Paint

        class Filter(QObject):
            def eventFilter(inner, obj, ev):  # noqa: N802, N805
                if self.at is None and ev.type() == paint and hasattr(obj, "window") \
                        and obj.window() is window:
                    self.at = time.monotonic()
                return False

        self.filter = Filter()


def main() -> None:
    kind = sys.argv[1]
    if kind == "app":
        from mlcalc_gui.app import create_app

        app = create_app()
        from PySide6.QtCore import QSettings

        from mlcalc_gui.gui.shell.window import MainWindow

        settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.IniFormat)
        window = MainWindow(settings)
    else:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        QApplication.setAttribute(Qt.AA_ShareOpenGLContexts)
        app = QApplication(sys.argv[:1])
        import pyqtgraph.opengl as gl
        from PySide6.QtWidgets import QMainWindow

        window = QMainWindow()
        window.setCentralWidget(gl.GLViewWidget())
    watcher = _FirstPaint(window)
    app.installEventFilter(watcher.filter)
    window.resize(1366, 768)
    window.show()
    from PySide6.QtCore import QCoreApplication, QEventLoop

    while watcher.at is None:
        QCoreApplication.processEvents(QEventLoop.AllEvents, 5)
    started = _process_start()
    painted = watcher.at - started
    drawn = parsed = painted
    if kind == "app":
        # also: when the first function is drawn (its curve and f′ in a frame painted),
        # and when it is parsed (sympy's exact f′, the numbers and the readouts)
        tab = window.tab(0)
        while tab.f_curve.getData()[0] is None or not len(tab.f_curve.getData()[0]):
            QCoreApplication.processEvents(QEventLoop.AllEvents, 5)
        drawn = max(time.monotonic(), watcher.at) - started
        while tab.function is None:
            QCoreApplication.processEvents(QEventLoop.AllEvents, 5)
        parsed = time.monotonic() - started
    print(f"{painted:.4f} {drawn:.4f} {parsed:.4f}")
    app.removeEventFilter(watcher.filter)
    window.close()


if __name__ == "__main__":
    main()
