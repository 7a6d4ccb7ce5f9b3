"""Where the keyboard is, Space in a number box, and the hover readout on every map (#11)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication

from mlcalc_gui.gui.shell.focus import RING_COLOUR, install_focus_ring
from mlcalc_gui.gui.shell.registry import TAB_SPECS


def _activate(qtbot, window):
    window.activateWindow()
    qtbot.waitActive(window)


@pytest.mark.parametrize("title", [spec.title for spec in TAB_SPECS])
def test_every_tab_stop_shows_a_thick_ring(qtbot, window, title):
    """About 3 of the 23 Tab stops on Gradients showed no focus, and elsewhere the ring
    was a 1 px line: now every stop is ringed, 3 px, in a colour-blind-safe blue."""
    _activate(qtbot, window)
    window.tabs.setCurrentIndex([s.title for s in TAB_SPECS].index(title))
    tab = window.tab_by_title(title)
    qtbot.waitUntil(lambda: tab.built)
    ring = install_focus_ring(QApplication.instance())
    window.tabs.tabBar().setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(window.tabs.tabBar().hasFocus)
    stops = set()
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        widget = QApplication.focusWidget()
        assert widget is not None
        assert ring.ringed is widget, f"{type(widget).__name__} has the focus, unringed"
        if tab.isAncestorOf(widget) and widget.isVisible():
            stops.add(type(widget).__name__)
    assert len(stops) >= 4, stops  # the walk went through the tab's own controls
    # The ring is drawn on screen round a control of the tab, not hidden under it.
    while not tab.isAncestorOf(QApplication.focusWidget()):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
    frame = ring.ring
    image = window.grab().toImage()
    corner = frame.mapTo(window, frame.rect().topLeft())
    w, h = frame.width(), frame.height()
    sides = [[(corner.x() + d, corner.y() + h // 2) for d in range(3)],
             [(corner.x() + w - 1 - d, corner.y() + h // 2) for d in range(3)],
             [(corner.x() + w // 2, corner.y() + d) for d in range(3)],
             [(corner.x() + w // 2, corner.y() + h - 1 - d) for d in range(3)]]
    drawn = [any(image.pixelColor(x, y).name() == RING_COLOUR.name() for x, y in side)
             for side in sides]
    assert all(drawn), (type(ring.ringed).__name__, drawn)
    # A click on a control moves the focus without a ring (the pointer shows where).
    tab.setFocus(Qt.MouseFocusReason)
    assert ring.ringed is None


def test_space_in_a_number_box_plays(qtbot, window, fitting):
    """Space did nothing while a number box had the focus."""
    _activate(qtbot, window)
    fitting.aggression_spin.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(fitting.aggression_spin.hasFocus)
    with qtbot.waitSignal(fitting.worker.sig_state, check_params_cb=lambda s: s == "running"):
        qtbot.keyClick(fitting.aggression_spin, Qt.Key_Space)
    assert fitting.aggression_spin.value() == 2000  # the box kept its number
    with qtbot.waitSignal(fitting.worker.sig_state, check_params_cb=lambda s: s == "paused"):
        qtbot.keyClick(fitting.aggression_spin, Qt.Key_Space)
    # A text field keeps its Space.
    fitting.derivative_edit.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(fitting.derivative_edit.hasFocus)
    qtbot.keyClicks(fitting.derivative_edit, "f x")
    assert fitting.derivative_edit.text() == "f x"
    fitting.run.reset()


def _hover(view, x, y):
    view.scene().sigMouseMoved.emit(view._vb.mapViewToScene(QPointF(x, y)))
    return view.readout.text() if view.readout.isVisible() else None


def test_the_map_reads_out_x_y_and_f_under_the_pointer(qtbot, window, gradients):
    qtbot.waitUntil(lambda: gradients.function is not None)
    view = gradients.landscape.contour
    assert _hover(view, 1.0, 0.5) == "x = 1, y = 0.5, f = 1.25"  # the bowl x² + y²
    for x, y in np.random.default_rng(2).uniform(-1.9, 1.9, (20, 2)):
        assert view.value_at(x, y) == pytest.approx(x * x + y * y, abs=2e-3)
    assert _hover(view, 5.0, 0.0) is None  # off the map: nothing
    gradients.input.edit.setText("log(x)")
    assert gradients.input.apply()
    qtbot.waitUntil(lambda: gradients.function.text == "log(x)", timeout=10000)
    qtbot.waitUntil(lambda: view._grid is not None and np.isnan(view._grid[2]).any())
    assert _hover(view, -1.0, 0.0).endswith("f = undefined")


def test_the_sandpit_readout_never_gives_the_hidden_depth(qtbot, window, sandpit):
    view = sandpit.map
    text = _hover(view, 3.0, 4.0)
    assert text == "x = 3, y = 4"


def test_the_chi_squared_map_reads_out_its_log(qtbot, window, fitting):
    view = fitting.landscape.contour
    text = _hover(view, 178.5, 7.55)
    assert text.startswith("μ = 178.5, σ = 7.55, log₁₀ χ² = ")
    assert float(text.rsplit("= ", 1)[1]) == pytest.approx(np.log10(4.392e-4), abs=0.05)
