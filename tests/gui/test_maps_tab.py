"""The Maps and chain rule tab (#33): a point dragged on a map and on its image, the
square shrunk, t played along a path and moved by keyboard, the neuron trained, a chain
chosen, and a wrong formula refused with the previous map kept."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QApplication

from mlcalc_gui.core import maps
from mlcalc_gui.core.runner import FinishKind


def click_plot(qtbot, widget, x, y):
    QApplication.sendPostedEvents(None, QEvent.LayoutRequest)  # where it is laid out now
    widget.viewport().repaint()  # (a view box brings its transform up to date as it paints)
    vb = widget.getPlotItem().getViewBox()
    pos = widget.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
    qtbot.mouseMove(widget.viewport(), pos)  # the pointer comes over the view first
    qtbot.mouseClick(widget.viewport(), Qt.LeftButton, pos=pos)


def activate(qtbot, tab):
    window = tab.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    focus = QApplication.focusWidget()
    if focus is not None:
        focus.clearFocus()  # a focused control keeps its own keys


def test_polar_opens_with_det_j_equal_to_r_at_the_point(maps_tab):
    page = maps_tab.map_page
    assert (page.u.text, page.v.text) == ("x cos(y)", "x sin(y)")
    r, theta = page.point
    text = page.readout.toPlainText()
    assert f"det J = {r:g}" in text
    assert "det J = r" in page.words.text()
    # the parallelogram J predicts starts at the point's image
    xs, ys = page.parallelogram.getData()
    assert (xs[0], ys[0]) == pytest.approx((r * math.cos(theta), r * math.sin(theta)))


def test_drag_the_point_on_the_grid_and_on_its_image(qtbot, maps_tab):
    page = maps_tab.map_page
    click_plot(qtbot, page.grid_view, 1.5, 2.0)
    x, y = page.point
    assert (x, y) == pytest.approx((1.5, 2.0), abs=0.05)
    assert f"det J = {x:.4g}" in page.readout.toPlainText()
    J = maps.map_jacobian("x cos(y)", "x sin(y)", x, y)
    assert f"[{J[0, 0]:.4f}" in page.readout.toPlainText()
    # a press on the image finds the point that maps there
    click_plot(qtbot, page.image_view, 0.5, 0.5)
    u, v = maps.apply_map("x cos(y)", "x sin(y)", *page.point)
    assert (float(u), float(v)) == pytest.approx((0.5, 0.5), abs=0.03)
    # the arrow keys move it on the focused grid
    page.grid_view.setFocus()
    before = page.point
    qtbot.keyClick(page.grid_view, Qt.Key_Right)
    assert page.point[0] > before[0] and page.point[1] == pytest.approx(before[1])


def test_play_shrinks_the_square_until_its_image_agrees_with_j(qtbot, maps_tab):
    page = maps_tab.map_page
    side = page.binder["side"]
    page.run.worker.set_rate(None)
    with qtbot.waitSignal(page.run.sig_finished, timeout=10000):
        maps_tab.play()
    ratios = [r.ratio for r in maps_tab.path]
    assert abs(ratios[0] - 1) > 0.1 and abs(ratios[-1] - 1) < 0.01
    assert "the smaller the square" in maps_tab.run_label.text()
    assert page.binder["side"] == side  # the learner's square comes back on Reset
    maps_tab.run.reset()
    xs, _ = page.square.getData()
    assert xs.max() - xs.min() == pytest.approx(side)


def test_the_fold_is_drawn_and_named(qtbot, maps_tab):
    page = maps_tab.map_page
    fold = next(p for p in maps.MAP_PRESETS if p.u == "x^2")
    page.apply_preset(fold)
    assert page.map_task.busy  # drawn off the GUI thread
    qtbot.waitUntil(lambda: not page.map_task.busy)
    xs, _ = page.fold.getData()
    assert len(xs) > 10 and np.abs(xs).max() < 0.05
    page.set_point(0.0, 0.5)
    assert "not one-to-one" in page.words.text()


def test_a_wrong_formula_is_refused_beside_the_input_and_the_map_stays(qtbot, maps_tab):
    page = maps_tab.map_page
    edit = page.input.edits[1]
    edit.selectAll()
    qtbot.keyClicks(edit, "sin(")
    qtbot.keyClick(edit, Qt.Key_Return)
    assert page.input.error.isVisible() and page.input.error.text().startswith("⚠ v:")
    assert page.v.text == "x sin(y)"
    assert maps_tab.capture_state().v == "x sin(y)"


def test_t_played_along_the_path_traces_df_dt(qtbot, maps_tab):
    maps_tab.show_page("path")
    page = maps_tab.path_page
    qtbot.waitUntil(lambda: page.functions is not None)
    page.set_t(0.0)
    page.run.worker.set_rate(None)
    with qtbot.waitSignal(page.run.sig_finished, timeout=10000):
        maps_tab.play()
    last = maps_tab.path[-1]
    assert last.t == pytest.approx(page.t_range[1])
    ts, rates = page.rate_curve.getData()
    assert len(ts) > 100
    want = maps.total_derivative("x^2 y", "cos(t)", "sin(t)", ts)
    np.testing.assert_allclose(rates, want, rtol=1e-9, atol=1e-12)
    # keyboard: ] moves t on, and the readout says ∇f · r′ there
    maps_tab.run.reset()
    activate(qtbot, maps_tab)
    page.set_t(1.0)
    qtbot.keyClick(maps_tab, Qt.Key_BracketRight)
    t = page.t
    assert t == pytest.approx(1.0 + page._span() / 50)
    rate = maps.total_derivative("x^2 y", "cos(t)", "sin(t)", t)
    assert f"= {rate:.4g}" in page.readout.toPlainText()


def test_the_neuron_learns_not_and_the_chain_multiplies(qtbot, maps_tab):
    maps_tab.show_page("chain")
    page = maps_tab.chain_page
    assert "[ -0.1874 ]" in page.chain_product.text()  # df/dt on the unit circle at 0.7
    page.chain_combo.setCurrentIndex(2)
    product = maps.chain_jacobians(maps.CHAINS[2], maps.CHAINS[2].point).product
    assert f"{product[0, 0]:.4g}" in page.chain_product.text()
    page.run.worker.set_rate(None)
    with qtbot.waitSignal(page.run.sig_finished, timeout=10000) as blocker:
        maps_tab.play()
    assert blocker.args[0] == FinishKind.DONE
    last = maps_tab.path[-1]
    assert last.outputs[0] > 0.9 and abs(last.outputs[1]) < 0.1
    assert "computes NOT" in maps_tab.run_label.text()
    # clicking the cost map starts from there
    click_plot(qtbot, page.cost_map, -1.0, 1.0)
    assert page.start == pytest.approx((-1.0, 1.0), abs=0.1) and not maps_tab.path


def test_v_steps_through_the_three_pages(qtbot, maps_tab):
    activate(qtbot, maps_tab)
    seen = []
    for _ in range(3):
        seen.append(maps_tab.view)
        qtbot.keyClick(maps_tab, Qt.Key_V)
    assert seen == ["map", "path", "chain"] and maps_tab.view == "map"


def test_the_slider_shrinks_the_square(qtbot, maps_tab):
    page = maps_tab.map_page
    page.side_slider.setFocus()
    start = page.binder["side"]
    for _ in range(5):
        qtbot.keyClick(page.side_slider, Qt.Key_PageDown)
    side = page.binder["side"]
    assert side < start and page.side_spin.value() == pytest.approx(side, abs=1e-4)
    xs, _ = page.square.getData()
    assert xs.max() - xs.min() == pytest.approx(side)
    assert f"|det J| × side² = {abs(page.point[0]) * side**2:.4g}" in page.readout.toPlainText()
