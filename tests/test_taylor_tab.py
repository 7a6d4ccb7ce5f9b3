"""The Taylor tab: a dragged, n by keyboard, the radius marked, the bound drawn, the
order climbing by Play, and the 2D model at a dragged point."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from mlcalc_gui.core import taylor as tl


def drag_plot(qtbot, widget, x, y):
    vb = widget.getPlotItem().getViewBox()
    pos = widget.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(widget.viewport(), Qt.LeftButton, pos=pos)


def test_the_first_series_is_drawn_with_its_error_and_bound(taylor):
    assert taylor.function.text == "e^x" and taylor.order == 3 and taylor.a == 0
    xs, T = taylor.t_curve.getData()
    np.testing.assert_allclose(T, 1 + xs + xs**2 / 2 + xs**3 / 6, rtol=1e-12)
    assert math.isinf(taylor.radius) and not taylor.band.isVisible()
    assert taylor.verdict.text().startswith("R = ∞")
    assert "Maclaurin" in taylor.name_label.text()
    ex, err = taylor.e_curve.getData()
    bx, bound = taylor.b_curve.getData()
    ok = np.isfinite(err) & np.isfinite(bound)
    assert ok.sum() > 700 and np.all(err[ok] <= bound[ok] * (1 + 1e-9))


def test_drag_a_and_change_n_by_keyboard(qtbot, window, taylor):
    taylor.apply_preset(tl.PRESETS[3])  # log(1 + x), radius 1 about 0
    qtbot.waitUntil(lambda: not taylor.radius_task.busy)
    assert taylor.radius == pytest.approx(1.0, rel=0.01) and taylor.band.isVisible()
    drag_plot(qtbot, taylor.f_plot, 1.0, 0.0)
    assert taylor.a == pytest.approx(1.0, abs=0.02)
    qtbot.waitUntil(lambda: not taylor.radius_task.busy)
    assert taylor.radius == pytest.approx(1 + taylor.a, rel=0.01)
    lo, hi = taylor.band.getRegion()
    assert (lo, hi) == pytest.approx((-0.0 + taylor.a - taylor.radius,
                                      taylor.a + taylor.radius), abs=1e-9)
    window.activateWindow()
    qtbot.waitActive(window)
    taylor.f_plot.setFocus()
    qtbot.waitUntil(taylor.f_plot.hasFocus)
    n = taylor.order
    qtbot.keyClick(taylor.f_plot, Qt.Key_Plus)
    qtbot.keyClick(taylor.f_plot, Qt.Key_Equal)  # the same key without Shift
    assert taylor.order == n + 2 and taylor.order_slider.value() == n + 2
    qtbot.keyClick(taylor.f_plot, Qt.Key_Minus)
    assert taylor.order == n + 1
    c = tl.taylor_coefficients("log(1 + x)", taylor.a, taylor.order)
    xs, T = taylor.t_curve.getData()
    np.testing.assert_allclose(T, tl.evaluate_polynomial(c, taylor.a, xs))
    qtbot.keyClick(taylor.f_plot, Qt.Key_M)
    assert taylor.a == 0.0 and "Maclaurin" in taylor.name_label.text()
    qtbot.waitUntil(lambda: any(label.isVisible() and label.formula().startswith(
        f"T_{{{taylor.order}}}(x) = x - 0.5x^{{2}}") for label in taylor.terms))


def test_no_series_at_a_pole_is_said_and_the_old_one_goes(taylor):
    taylor.apply_preset(tl.PRESETS[4])  # 1/(1 - x) on (-2, 0.99)
    taylor.input.set_input("1/(1 - x)", (-2.0, 2.0))
    taylor.set_a(1.0)
    assert taylor.series_error.isVisible()
    assert "f has no value at a = 1: move a" in taylor.series_error.text()
    assert taylor.t_curve.getData()[0] is None or len(taylor.t_curve.getData()[0]) == 0
    taylor.set_a(0.0)
    assert not taylor.series_error.isVisible()


def test_play_climbs_the_order_and_past_the_radius_the_error_grows(qtbot, taylor):
    taylor.apply_preset(tl.PRESETS[3])
    qtbot.waitUntil(lambda: not taylor.radius_task.busy)
    taylor.set_order(0)
    with qtbot.waitSignal(taylor.run.sig_finished, timeout=30000):
        taylor.play()
    orders = [s.order for s in taylor.path]
    assert orders == list(range(tl.MAX_ORDER + 1)) and taylor.order == tl.MAX_ORDER
    assert taylor.path[-1].max_error > taylor.path[5].max_error  # beyond x = 1


def test_the_2d_model_follows_the_dragged_point(qtbot, taylor):
    taylor.view_tabs.setCurrentIndex(1)
    assert taylor.pages.currentIndex() == 1
    qtbot.waitUntil(lambda: taylor.model is not None)
    taylor.map.sig_point_moved.emit(0.0, 0.0)  # the top of the hill: a dome
    model = taylor.model
    assert model.point == (0.0, 0.0) and model.gradient == pytest.approx((0, 0), abs=1e-12)
    np.testing.assert_allclose(model.hessian, [[-2, 0], [0, -2]], atol=1e-9)
    assert "ellipses" in taylor.model_text.text()
    taylor.map.sig_point_moved.emit(1.0, 0.0)  # on the side: a saddle-shaped model
    assert taylor.model.kind() == "hyperbolas"
    assert "hyperbolas" in taylor.model_text.text()
    taylor.order2d_group.button(1).click()
    assert taylor.model.order == 1 and "a plane" in taylor.model_text.text()
    x, y = taylor.axis_lines[0].getData()
    assert x is None or len(x) == 0  # no principal axes for a plane
    assert taylor.capture_state().view == "2d" and taylor.capture_state().order2d == 1
