"""The layer rule (ruff's TID251, each layer's ruff.toml) holds on the tree and fails on
a deliberate violation: core imports no Qt, the run kit no tab kit, a view no panel or
tab, a panel no tab, the tab kit no tab, and nothing but the shell (the window) imports
the shell."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def ruff_layers(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "TID251",
                           "--output-format", "concise", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True)


def test_the_tree_keeps_its_layers():
    result = ruff_layers("mlcalc_gui")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("where, code, banned", [
    ("mlcalc_gui/core/probe.py", "import PySide6.QtCore", "PySide6"),
    ("mlcalc_gui/core/probe.py", "import pyqtgraph as pg", "pyqtgraph"),
    ("mlcalc_gui/core/probe.py", "from mlcalc_gui.gui import theme", "mlcalc_gui.gui"),
    ("mlcalc_gui/gui/run/probe.py", "from mlcalc_gui.gui.kit.tab import TutorTab",
     "mlcalc_gui.gui.kit"),
    ("mlcalc_gui/gui/run/probe.py", "def f():\n    from mlcalc_gui.gui.tabs import fitting",
     "mlcalc_gui.gui.tabs"),
    ("mlcalc_gui/gui/widgets/probe.py", "from mlcalc_gui.gui import panels",
     "mlcalc_gui.gui.panels"),
    ("mlcalc_gui/gui/widgets/probe.py", "from mlcalc_gui.gui.kit.widgets import ExplanationBox",
     "mlcalc_gui.gui.kit"),
    ("mlcalc_gui/gui/panels/probe.py", "from mlcalc_gui.gui.tabs.fitting import FittingTab",
     "mlcalc_gui.gui.tabs"),
    ("mlcalc_gui/gui/tabs/probe.py", "from mlcalc_gui.gui.shell.window import MainWindow",
     "mlcalc_gui.gui.shell"),
    ("mlcalc_gui/gui/tabs/optimisation/probe.py",
     "from mlcalc_gui.gui.shell.registry import TAB_SPECS", "mlcalc_gui.gui.shell"),
    ("mlcalc_gui/gui/kit/probe.py", "from mlcalc_gui.gui.tabs.taylor import TaylorTab",
     "mlcalc_gui.gui.tabs"),
    ("mlcalc_gui/gui/kit/probe.py", "from mlcalc_gui.gui.shell import presentation",
     "mlcalc_gui.gui.shell"),
    ("mlcalc_gui/gui/run/probe.py", "from mlcalc_gui.gui.shell.lesson_panel import LessonPanel",
     "mlcalc_gui.gui.shell"),
])
def test_a_layer_that_imports_across_fails(where, code, banned):
    result = ruff_layers("--stdin-filename", where, "-", stdin=code + "\n")
    assert result.returncode == 1 and f"`{banned}` is banned" in result.stdout, result.stdout


@pytest.mark.parametrize("where, code", [
    ("mlcalc_gui/core/probe.py", "import numpy as np"),
    ("mlcalc_gui/gui/run/probe.py", "from mlcalc_gui.gui.run.worker import GeneratorWorker"),
    ("mlcalc_gui/gui/tabs/probe.py", "from mlcalc_gui.gui.kit.tab import TutorTab"),
    ("mlcalc_gui/gui/panels/probe.py", "from mlcalc_gui.gui.kit.widgets import ExplanationBox"),
    ("mlcalc_gui/gui/shell/probe.py", "from mlcalc_gui.gui.kit.tab import TutorTab"),
])
def test_what_a_layer_may_import_passes(where, code):
    result = ruff_layers("--stdin-filename", where, "-", stdin=code + "\n")
    assert result.returncode == 0, result.stdout + result.stderr
