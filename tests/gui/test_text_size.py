"""Ctrl+= and Ctrl+- any number of times (#31, item 1): memory stays flat, symbols keep
their size, and only the tab shown is re-laid out.

Each step gave every scatter a size an ulp off the one set, which the next step took
for the tab's own and multiplied again: symbols grew without end, pyqtgraph's atlas kept
every one it had drawn, and the tutor reached 24 GB and was killed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from mlcalc_gui.gui import scale
from mlcalc_gui.gui.shell.registry import TAB_SPECS


@pytest.mark.slow
def test_fifty_steps_on_every_tab_in_presentation_mode_keep_memory_flat():
    """In a process of its own (its memory its own, a clean application): no symbol grows
    past its size at the largest scale, no atlas keeps more than it draws, and RSS grows
    less than 30 MB over 50 steps on each tab after a warm round."""
    probe = Path(__file__).with_name("text_size_probe.py")
    env = {**os.environ, "PYTHONPATH": str(probe.parents[2])}
    done = subprocess.run([sys.executable, str(probe), "26", "50"], capture_output=True,
                          text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["grown"] == [] and found["atlases"] == []
    assert found["growth_mb"] < 30, f"RSS grew {found['growth_mb']:.0f} MB"


def test_a_step_lays_out_only_the_tab_shown_and_the_others_when_shown(qtbot, window,
                                                                     taylor):
    window.tabs.setCurrentIndex([s.title for s in TAB_SPECS].index("Gradients"))
    gradients = window.tab_by_title("Gradients")
    before = taylor.font().pointSizeF()
    window.zoom_text(1)
    assert gradients.scaled_at == scale.factor() and taylor.scaled_at is None
    # The hidden tab kept its font (the application's new one did not re-lay it out
    # unseen) ...
    assert gradients.font().pointSizeF() == before + 1.5
    assert taylor.font().pointSizeF() == before
    window.tabs.setCurrentIndex([s.title for s in TAB_SPECS].index("Taylor"))
    # ... and takes the new one when shown.
    assert taylor.scaled_at == scale.factor()
    assert taylor.font().pointSizeF() == before + 1.5
    assert taylor.findChild(QLabel).font().pointSizeF() >= before + 1.5
    window.zoom_text(0)
    assert taylor.font().pointSizeF() == before


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


def test_a_formula_answers_a_step_at_once_and_is_typeset_sharp_after(qtbot, monkeypatch):
    """A step of text size shows each formula's image scaled to the new size at once (the
    window is laid out right in the step), then typeset at that size a moment later; a
    resize that does not change how far it shrinks does not typeset it again."""
    from PySide6.QtGui import QFont

    from mlcalc_gui.gui.widgets import typeset

    label = typeset.TypesetLabel()
    qtbot.addWidget(label)
    label.resize(1600, 200)
    label.set_formula(r"\frac{\partial f}{\partial x} = 2x\,e^{-y^2}")
    label.show()
    qtbot.waitExposed(label)
    before = label.pixmap().deviceIndependentSize()
    renders = []
    real = typeset.render_latex
    monkeypatch.setattr(typeset, "render_latex",
                        lambda *a, **k: (renders.append(a[1]), real(*a, **k))[1])
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    label.setFont(font)
    assert renders == []  # nothing typeset in the step itself
    stand_in = label.pixmap().deviceIndependentSize()
    assert stand_in.width() == pytest.approx(before.width() * 1.5, rel=0.02)
    assert stand_in.height() == pytest.approx(before.height() * 1.5, rel=0.02)
    qtbot.waitUntil(lambda: not label._stale)
    assert renders == [pytest.approx(label.size_pt())]
    sharp = label.pixmap().deviceIndependentSize()
    fresh = typeset.TypesetLabel()
    qtbot.addWidget(fresh)
    fresh.setFont(font)
    fresh.set_formula(label.formula())
    assert sharp.width() == pytest.approx(fresh.pixmap().deviceIndependentSize().width(),
                                          abs=1)
    renders.clear()
    label.resize(1400, 200)  # still wide enough: the same image
    assert renders == []
    label.resize(round(sharp.width() * 0.8), 200)  # now it must shrink
    assert len(renders) >= 1 and label.pixmap().deviceIndependentSize().width() < sharp.width()
