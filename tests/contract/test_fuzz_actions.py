"""A seeded random-action run over every tab (#11): clicks, choices, typed text (hostile
too), numbers, sliders, map clicks, the tab's keys and special or malformed files, with
no crash and no uncaught exception (pytest-qt fails the test on any exception raised in
the Qt event loop).  How long an action keeps the GUI is measured by the benchmarks
(``action_stall_max_ms``), not asserted here: a wall clock is no test on a shared CI
machine.

A few hundred actions in all by default (``MLCALC_FUZZ_ACTIONS`` per tab, 40); more by
setting it, and another run by ``MLCALC_FUZZ_SEED``."""

from __future__ import annotations

import os
import random

import pytest
from PySide6.QtWidgets import QFileDialog

from benchmarks.actions import make_files, random_actions
from mlcalc_gui.gui.shell.registry import TAB_SPECS
from mlcalc_gui.gui.shell.window import MainWindow

ACTIONS = int(os.environ.get("MLCALC_FUZZ_ACTIONS", "40"))
SEED = int(os.environ.get("MLCALC_FUZZ_SEED", "11"))


@pytest.mark.parametrize("title", [spec.title for spec in TAB_SPECS])
def test_random_actions_never_crash_or_raise(qtbot, settings, tmp_path, monkeypatch, title):
    files = make_files(tmp_path)
    rng = random.Random(f"{SEED}-{title}")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (rng.choice(files), "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.tabs.setCurrentIndex([s.title for s in TAB_SPECS].index(title))
    tab = window.tab_by_title(title)
    qtbot.waitUntil(lambda: tab.built and tab._pending_state is None, timeout=10000)
    qtbot.waitUntil(lambda: not tab.working, timeout=30000)
    done = []
    for what, took in random_actions(tab, rng, ACTIONS):
        done.append(what)
        if took > 0.3 and os.environ.get("MLCALC_FUZZ_DEBUG"):
            print(f"SLOW {took:.2f}", done[-6:])
    assert len(done) == ACTIONS
    # Still whole after all that: the tab takes its first state again, and holds its
    # formulas and choices (numbers a tab derives, a point put on a curve, are its own).
    tab.stop_work()
    first = tab.State()
    tab.apply_state(first)
    qtbot.waitUntil(lambda: tab._pending_state is None, timeout=10000)
    held = tab.capture_state()
    for name, value in vars(first).items():
        if isinstance(value, str):
            assert getattr(held, name) == value, name
    window.close()
