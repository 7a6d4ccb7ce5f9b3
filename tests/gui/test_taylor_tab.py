"""The Taylor tab: a dragged, n by keyboard, the radius marked, the bound drawn, the
order climbing by Play, and the 2D model at a dragged point."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from mlcalc_gui.core import taylor as tl


def drag_plot(qtbot, widget, x, y):
    vb = widget.getPlotItem().getViewBox()
    pos = widget.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(widget.viewport(), Qt.LeftButton, pos=pos)


def test_the_first_series_is_drawn_with_its_error_and_bound(taylor):
    series = taylor.series
    assert series.function.text == "e^x" and series.order == 3 and series.a == 0
    xs, T = taylor.series.t_curve.getData()
    np.testing.assert_allclose(T, 1 + xs + xs**2 / 2 + xs**3 / 6, rtol=1e-12)
    assert math.isinf(taylor.series.radius) and not taylor.series.band.isVisible()
    assert taylor.series.verdict.text().startswith("R = ∞")
    assert "Maclaurin" in taylor.series.name_label.text()
    ex, err = taylor.series.e_curve.getData()
    bx, bound = taylor.series.b_curve.getData()
    ok = np.isfinite(err) & np.isfinite(bound)
    assert ok.sum() > 700 and np.all(err[ok] <= bound[ok] * (1 + 1e-9))


def test_drag_a_and_change_n_by_keyboard(qtbot, window, taylor):
    taylor.series.apply_preset(tl.PRESETS[3])  # log(1 + x), radius 1 about 0
    qtbot.waitUntil(lambda: not taylor.series.radius_task.busy)
    assert taylor.series.radius == pytest.approx(1.0, rel=0.01) and taylor.series.band.isVisible()
    drag_plot(qtbot, taylor.series.f_plot, 1.0, 0.0)
    assert taylor.series.a == pytest.approx(1.0, abs=0.02)
    qtbot.waitUntil(lambda: not taylor.series.radius_task.busy)
    assert taylor.series.radius == pytest.approx(1 + taylor.series.a, rel=0.01)
    lo, hi = taylor.series.band.getRegion()
    assert (lo, hi) == pytest.approx((-0.0 + taylor.series.a - taylor.series.radius,
                                      taylor.series.a + taylor.series.radius), abs=1e-9)
    window.activateWindow()
    qtbot.waitActive(window)
    taylor.series.f_plot.setFocus()
    qtbot.waitUntil(taylor.series.f_plot.hasFocus)
    n = taylor.series.order
    qtbot.keyClick(taylor.series.f_plot, Qt.Key_Plus)
    qtbot.keyClick(taylor.series.f_plot, Qt.Key_Equal)  # the same key without Shift
    assert taylor.series.order == n + 2 and taylor.series.order_slider.value() == n + 2
    qtbot.keyClick(taylor.series.f_plot, Qt.Key_Minus)
    assert taylor.series.order == n + 1
    c = tl.taylor_coefficients("log(1 + x)", taylor.series.a, taylor.series.order)
    xs, T = taylor.series.t_curve.getData()
    np.testing.assert_allclose(T, tl.evaluate_polynomial(c, taylor.series.a, xs))
    qtbot.keyClick(taylor.series.f_plot, Qt.Key_M)
    assert taylor.series.a == 0.0 and "Maclaurin" in taylor.series.name_label.text()
    qtbot.waitUntil(lambda: any(label.isVisible() and label.formula().startswith(
        f"T_{{{taylor.series.order}}}(x) = x - 0.5x^{{2}}") for label in taylor.series.terms))


def test_no_series_at_a_pole_is_said_and_the_old_one_goes(taylor):
    taylor.series.apply_preset(tl.PRESETS[4])  # 1/(1 - x) on (-2, 0.99)
    taylor.series.input.set_input("1/(1 - x)", (-2.0, 2.0))
    taylor.series.set_a(1.0)
    assert taylor.series.series_error.isVisible()
    assert "f has no value at a = 1: move a" in taylor.series.series_error.text()
    drawn = taylor.series.t_curve.getData()[0]
    assert drawn is None or len(drawn) == 0
    taylor.series.set_a(0.0)
    assert not taylor.series.series_error.isVisible()


def test_play_climbs_the_order_and_past_the_radius_the_error_grows(qtbot, taylor):
    taylor.series.apply_preset(tl.PRESETS[3])
    qtbot.waitUntil(lambda: not taylor.series.radius_task.busy)
    taylor.series.set_order(0)
    with qtbot.waitSignal(taylor.run.sig_finished, timeout=30000):
        taylor.play()
    orders = [s.order for s in taylor.path]
    assert orders == list(range(tl.MAX_ORDER + 1)) and taylor.series.order == tl.MAX_ORDER
    assert taylor.path[-1].max_error > taylor.path[5].max_error  # beyond x = 1


def test_the_2d_model_follows_the_dragged_point(qtbot, taylor):
    page = taylor.model
    taylor.view_tabs.setCurrentIndex(1)
    assert taylor.panel_stack.currentIndex() == 1
    qtbot.waitUntil(lambda: page.model is not None)

    def drag_to(x, y):
        page.map.sig_point_moved.emit(x, y)
        assert page.pending  # the model is worked out in the worker, not here
        qtbot.waitUntil(lambda: not page.pending and page.model.point == (x, y))

    drag_to(0.0, 0.0)  # the top of the hill exp(-x^2 - y^2): a dome
    model = page.model
    assert model.gradient == pytest.approx((0, 0), abs=1e-12)
    np.testing.assert_allclose(model.hessian, [[-2, 0], [0, -2]], atol=1e-9)
    assert "ellipses" in page.model_text.text()
    # The map is log10 |f - model|: the quadratic model 1 - x^2 - y^2 misses f at the
    # corner (2, 2) by e^-8 + 7.
    error = page.map.image.image
    assert error[-1, -1] == pytest.approx(np.log10(abs(np.exp(-8) - (1 - 8))), abs=1e-9)
    drag_to(1.0, 0.0)  # on the side: a saddle-shaped model
    assert page.model.kind() == "hyperbolas"
    assert "hyperbolas" in page.model_text.text()
    page.order2d_group.button(1).click()
    qtbot.waitUntil(lambda: not page.pending and page.model.order == 1)
    assert "a plane" in page.model_text.text()
    x, y = page.axis_lines[0].getData()
    assert x is None or len(x) == 0  # no principal axes for a plane
    assert taylor.capture_state().view == "2d" and taylor.capture_state().order2d == 1


def test_the_tab_says_a_flat_point_has_a_zero_series(qtbot, taylor):
    taylor.series.input.set_input("exp(-1/x^2)", (-2.0, 2.0))
    taylor.series.set_a(0.0, force=True)
    qtbot.waitUntil(lambda: not taylor.series.radius_task.busy)
    assert not taylor.series.series_error.isVisible()
    assert "not analytic" in taylor.series.verdict.text()
    taylor.series.set_a(0.6, force=True)
    qtbot.waitUntil(lambda: taylor.series.radius == pytest.approx(0.6))
    assert "R ≈ 0.6" in taylor.series.verdict.text()
    taylor.series.input.set_input("sin(x)/x", (-8.0, 8.0))
    taylor.series.set_a(0.0, force=True)
    assert not taylor.series.series_error.isVisible()  # its Maclaurin series is given
    assert taylor.series._coefficients[0] == 1.0


def test_predict_then_see_asks_where_the_next_order_is_good_before_drawing_it(qtbot, taylor):
    """#34: with "predict" on, + asks for a click where Tₙ₊₁ stops being close to f; the
    click draws it, and where it really is good."""
    series = taylor.series
    series.input.set_input("e^x", (-4.0, 4.0))
    series.set_a(0.0, force=True)
    series.set_order(2)
    series.predict_check.setChecked(True)
    series.order_up()
    assert series.order == 2 and "Predict: click the graph" in series.prediction_text.text()
    drag_plot(qtbot, series.f_plot, 1.0, 2.0)
    assert series.order == 3 and series.guess_line.value() == pytest.approx(1.0, abs=0.05)
    lo, hi = series.good_band.getRegion()
    tol = series._tolerance()
    xs = np.linspace(-4, 4, 801)
    T = 1 + xs + xs**2 / 2 + xs**3 / 6
    good = np.abs(np.exp(xs) - T) <= tol
    assert good[np.searchsorted(xs, lo)] and good[np.searchsorted(xs, hi) - 1]
    assert not good[np.searchsorted(xs, hi) + 2]  # the end of where it is good
    said = series.prediction_text.text()
    marked = re.search(r"You marked x = (-?\d+(?:\.\d+)?)\.", said)
    assert marked and float(marked.group(1)) == pytest.approx(1.0, abs=0.05)
    assert f"from {lo:.3g}" in said
    assert taylor.capture_state().predict
    # the slider and the keys still work as ever with predict off
    series.predict_check.setChecked(False)
    series.order_up()
    assert series.order == 4


def test_the_error_axis_and_the_terms_stay_put_while_the_order_changes(qtbot, taylor):
    """Climbing the order, the error plot keeps one height (every order's error fits,
    down to rounding) and the terms keep the room they took: the learner sees the error
    fall against steady axes and nothing in the panel jumps; a new a frees the room."""
    series = taylor.series
    series.apply_preset(tl.PRESETS[0])  # e^x about 0 on (-4, 4)
    xs = series._xs
    c = tl.taylor_coefficients(series.function, 0.0, tl.MAX_ORDER)
    lo, hi = tl.error_range(np.exp(xs), c, 0.0, xs)
    for order in (tl.MAX_ORDER, 0, 7):
        series.set_order(order)
        (_, _), (y0, y1) = series.e_plot.getPlotItem().viewRange()
        assert (y0, y1) == pytest.approx((lo, hi), abs=1e-9)
        if order == tl.MAX_ORDER:
            qtbot.waitUntil(lambda: sum(label.formula() != "" for label in series.terms) > 3)
            rows = sum(label.isVisibleTo(series.terms_box) for label in series.terms)
    assert hi == pytest.approx(math.log10(math.e ** 4 - 1) + 0.5)  # order 0 at x = 4
    qtbot.waitUntil(lambda: series.terms[0].formula().startswith("T_{7}"))
    shown = [label for label in series.terms if label.isVisibleTo(series.terms_box)]
    assert len(shown) == rows and shown[-1].formula() == ""  # order 7 fills fewer lines
    series.set_order(0)
    series.set_a(1.0)
    qtbot.waitUntil(lambda: series.terms[0].formula().startswith("T_{0}(x) = 2.718"))
    assert sum(label.isVisibleTo(series.terms_box) for label in series.terms) == 1
