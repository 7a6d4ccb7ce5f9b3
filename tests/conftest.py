"""Shared fixtures.  Every test is checked for leaked threads and running timers."""

from __future__ import annotations

import os
import threading

import pytest

# Tests must never touch the user's real settings, nor use the offscreen platform
# (it cannot create an OpenGL context); pytest-xvfb provides the X display.
os.environ.pop("QT_QPA_PLATFORM", None)


def pytest_configure(config):
    # As the app does (mlcalc_gui.app.create_app): must be set before pytest-qt makes
    # the QApplication.
    from mlcalc_gui.app import set_application_attributes

    set_application_attributes()
    _remember_where_timers_start()


def _remember_where_timers_start() -> None:
    """Each QTimer started from Python remembers the lines that started it (the nearest
    three of ours), so that the leak guard names them, not only the widget it is under."""
    import sys

    from PySide6.QtCore import QTimer

    real_start = QTimer.start

    def start(self, *args):
        frame, where = sys._getframe(1), []
        while frame is not None and len(where) < 3:
            name = frame.f_code.co_filename
            if "mlcalc_gui" in name or "/tests/" in name:
                where.append(f"{name.rsplit('/', 2)[-1]}:{frame.f_lineno} "
                             f"({frame.f_code.co_name})")
            frame = frame.f_back
        try:
            self._mlc_started_at = " ← ".join(where) or "outside mlcalc_gui"
        except AttributeError:  # a wrapper that takes no attributes
            pass
        return real_start(self, *args)

    QTimer.start = start


@pytest.fixture(autouse=True)
def no_leaked_threads_or_timers(request):
    """Fail a test that leaves a worker thread, a Python thread or a QTimer running.

    Autouse fixtures are set up first and torn down last, after pytest-qt has closed the
    test's widgets, so whatever is still running here was leaked.
    """
    before = set(threading.enumerate())
    yield
    # _DummyThread stands for a foreign (Qt) thread and never leaves threading's table;
    # QThreads are checked through the worker registry below.
    leaks = [t.name for t in threading.enumerate()
             if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)]
    from PySide6.QtWidgets import QApplication

    if "mlcalc_gui.gui.run.worker" in __import__("sys").modules:
        from mlcalc_gui.gui.run.worker import live_workers

        leaks += [f"GeneratorWorker {w!r}" for w in live_workers()]
    app = QApplication.instance()
    if app is not None:
        from PySide6.QtCore import QTimer

        seen = set()
        for widget in app.allWidgets():
            for timer in widget.findChildren(QTimer):
                if (timer.isActive() and not timer.objectName().startswith("qt_")
                        and id(timer) not in seen):
                    seen.add(id(timer))
                    where = getattr(timer, "_mlc_started_at", "started by Qt itself")
                    leaks.append(f"QTimer of a {type(timer.parent()).__name__} "
                                 f"({timer.interval()} ms), started at {where}")
    assert not leaks, f"left running after the test: {leaks}"


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    """The main window, shown, with the Gradients tab's first function drawn."""
    from mlcalc_gui.app import create_app

    create_app()
    from mlcalc_gui.gui.shell.window import MainWindow

    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    titles = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    win.tabs.setCurrentIndex(titles.index("Gradients"))
    tab = win.tab_by_title("Gradients")
    qtbot.waitUntil(lambda: tab.function is not None and not tab.working, timeout=10000)
    yield win
    win.close()


@pytest.fixture
def gradients(window):
    return window.tab_by_title("Gradients")


def _open_tab(qtbot, window, title: str, ready):
    index = [window.tabs.tabText(i) for i in range(window.tabs.count())].index(title)
    window.tabs.setCurrentIndex(index)
    tab = window.tab_by_title(title)
    qtbot.waitUntil(lambda: tab.built and ready(tab) and not tab.working)
    return tab


@pytest.fixture
def backprop(qtbot, window):
    return _open_tab(qtbot, window, "Backpropagation", lambda tab: tab.network.log is not None)


@pytest.fixture
def derivatives(qtbot, window):
    """The Derivatives tab with its first function drawn and its rules worked out."""
    return _open_tab(qtbot, window, "Derivatives",
                     lambda tab: tab.function is not None and tab.rules.typeset is not None)


@pytest.fixture
def fitting(qtbot, window):
    return _open_tab(qtbot, window, "Fitting", lambda tab: tab.hist is not None)


@pytest.fixture
def sandpit(qtbot, window):
    """The Sandpit tab with its first floor made."""
    return _open_tab(qtbot, window, "Sandpit", lambda tab: tab.floor is not None)


@pytest.fixture
def maps_tab(qtbot, window):
    """The Maps and chain rule tab with its first map drawn."""
    return _open_tab(qtbot, window, "Maps and chain rule",
                     lambda tab: tab.map_page.u is not None and not tab.map_page.map_task.busy)


@pytest.fixture
def taylor(qtbot, window):
    """The Taylor tab with its first series drawn."""
    return _open_tab(qtbot, window, "Taylor",
                     lambda tab: tab.series.function is not None
                     and tab.series._next is not None and not tab.series.radius_task.busy)


@pytest.fixture
def optimisation(qtbot, window):
    """The Optimisation tab with its three views drawn and their background work done."""
    return _open_tab(qtbot, window, "Optimisation",
                     lambda tab: tab.newton.nfunction is not None
                     and tab.newton.basins is not None and tab.race.surface is not None
                     and tab.lagrange.curves and not tab.lagrange.search_task.busy)


@pytest.fixture
def screenshot_names() -> set[str]:
    """The files ``--screenshot`` writes: the course map, one per tab, and one per
    further view of a tab of several (Optimisation's descent and Lagrange, Maps' path and chain)."""
    from mlcalc_gui.gui.shell.registry import TAB_SPECS

    names = {"00-course-map.png"}
    for i, spec in enumerate(TAB_SPECS):
        slug = spec.title.lower().replace(" ", "-")
        names.add(f"{i + 1:02d}-{slug}.png")
        more = {"Optimisation": ("descent", "lagrange"), "Maps and chain rule": ("path", "chain")}
        names |= {f"{i + 1:02d}-{slug}-{view}.png" for view in more.get(spec.title, ())}
    return names
