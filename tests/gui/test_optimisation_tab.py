"""The Optimisation tab: x0 dragged and Newton's tangents stepped, the basin strip, the
four methods raced on one surface, and the point dragged along a constraint to the
solution, with λ as a price."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from mlcalc_gui.core import optimisation as op
from mlcalc_gui.core.runner import FinishKind


def click_plot(qtbot, widget, x, y):
    vb = widget.getPlotItem().getViewBox()
    pos = widget.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(widget.viewport(), Qt.LeftButton, pos=pos)


def p(x):
    return x**6 / 6 - 3 * x**4 - 2 * x**3 / 3 + 27 * x**2 / 2 + 18 * x - 30


def dp(x):
    return x**5 - 12 * x**3 - 2 * x**2 + 27 * x + 18


def test_drag_x0_and_step_the_tangents(qtbot, optimisation):
    tab = optimisation
    newton = tab.newton
    assert tab.view == "newton" and newton.nfunction.text == op.COURSE_POLYNOMIAL
    click_plot(qtbot, newton.f_plot, 0.0, 0.0)
    assert newton.x0 == pytest.approx(0.0, abs=0.03) and newton.x0_spin.value() == newton.x0
    tab.step(3)
    qtbot.waitUntil(lambda: len(tab.path) == 4)
    x = newton.x0
    xs, ys = newton.tangents.getData()
    for k, record in enumerate(tab.path):  # each tangent from (x, f(x)) down to the axis
        nxt = x - p(x) / dp(x)
        assert (record.x, record.value, record.slope) == pytest.approx((x, p(x), dp(x)))
        assert (xs[2 * k], ys[2 * k], xs[2 * k + 1], ys[2 * k + 1]) == pytest.approx(
            (x, p(x), nxt, 0.0))
        x = nxt
    assert newton.table.rowCount() == 4
    assert float(newton.table.item(3, 4).text()) == pytest.approx(x, rel=1e-3)
    tab.run.reset()
    assert newton.table.rowCount() == 0 and len(newton.tangents.getData()[0] or []) == 0


def test_the_strip_colours_each_start_by_where_it_ends(qtbot, optimisation):
    tab = optimisation
    newton = tab.newton
    basins = newton.basins
    image = newton.strip.image[0]
    starts = np.linspace(*newton.ndomain, 2000)
    expected = op.newton_basins(op.COURSE_POLYNOMIAL, starts, 50)
    np.testing.assert_array_equal(basins.kind, expected.kind)
    np.testing.assert_allclose(basins.roots, [-3.7602139722, 1.0630706297], atol=1e-8)
    # A start at −4 goes to the left root, one at 0 to the right one: their colours.
    left, right = (int(np.argmin(np.abs(starts - x))) for x in (-4.0, 0.0))
    assert basins.root_index[left] == 0 and basins.root_index[right] == 1
    blue, vermillion = np.array((0, 114, 178)), np.array((213, 94, 0))
    for i, rgb in ((left, blue), (right, vermillion)):
        pale = 0.65 * min(basins.steps[i] / 25, 1)
        np.testing.assert_allclose(image[i], rgb * (1 - pale) + 255 * pale, atol=1)
    wander = int(np.flatnonzero(basins.kind == op.Basins.UNDECIDED)[0])
    assert tuple(image[wander]) == (150, 150, 150)
    assert "still wandering" in newton.basin_note.text()
    click_plot(qtbot, newton.strip_plot, -2.0, 0.5)  # a click on the strip starts there
    assert newton.x0 == pytest.approx(-2.0, abs=0.03)


@pytest.mark.parametrize(("preset", "x0", "words"), [
    (1, 0.0, "cycle of period 2"), (2, 1.5, "Ran away"), (0, 3.0, "f′(3) = 0"),
    (3, 1.0, "A root: x = 0.7391")])
def test_newton_says_why_it_stopped(qtbot, optimisation, preset, x0, words):
    tab = optimisation
    newton = tab.newton
    newton.apply_preset(op.NEWTON_PRESETS[preset])
    newton.set_x0(x0)
    tab.run.set_speed(0)
    tab.play()
    qtbot.waitUntil(lambda: tab.last_finish[0] == FinishKind.DONE, timeout=10000)
    assert words in tab.run_label.text()
    tab.play()  # nothing more to do: it says so, and the run stays
    assert len(tab.path) >= 1 and not tab.run.active


def test_the_four_methods_race_on_one_surface(qtbot, window, optimisation):
    tab = optimisation
    race = tab.race
    tab.view_tabs.setCurrentIndex(1)
    assert tab.view == "descent" and tab.panel_stack.currentIndex() == 1
    race.apply_preset(op.SURFACE_PRESETS[1])  # two pits and a saddle
    tab.run.set_speed(0)
    tab.play()
    qtbot.waitUntil(lambda: tab.last_finish[0] == FinishKind.DONE, timeout=20000)
    expected = list(op.race(op.SURFACE_PRESETS[1].text, (0.3, 1.0), 0.05, 300, 0.9))
    assert tab.path == expected
    ends = {m: race.race_paths[m].getData() for m in op.METHODS}
    assert (ends["newton"][0][-1], ends["newton"][1][-1]) == pytest.approx((0, 0), abs=1e-9)
    assert (ends["descent"][0][-1], ends["descent"][1][-1]) == pytest.approx((1, 0), abs=1e-3)
    # The hybrid refuses Newton's climb to the saddle and goes down, to the other pit.
    assert (abs(ends["hybrid"][0][-1]), ends["hybrid"][1][-1]) == pytest.approx((1, 0),
                                                                                abs=1e-6)
    lines = race.race_text.text().split("<br>")
    assert "Newton" in lines[1] and lines[1].endswith("stopped")  # ... at the saddle
    assert "(0, 0)" in lines[1]
    # A new start on the map forgets the race; the next one runs from there.
    click_plot(qtbot, race.landscape.contour, -0.5, -0.5)
    assert tab.path == [] and race.start == pytest.approx((-0.5, -0.5), abs=0.03)
    tab.step(1)
    qtbot.waitUntil(lambda: len(tab.path) == 2)
    assert tab.path[0].points[0][:2] == pytest.approx(race.start)


def test_drag_along_the_constraint_to_the_solution(qtbot, window, optimisation):
    tab = optimisation
    lagrange = tab.lagrange
    tab.view_tabs.setCurrentIndex(2)
    assert len(lagrange.solutions) == 4
    best = next(s for s in lagrange.solutions if s.best == "the maximum")
    assert (best.x, best.y, best.value) == pytest.approx((-0.0958377, -0.4253073, 0.923811),
                                                         abs=1e-6)
    click_plot(qtbot, lagrange.lmap, 0.6, -0.45)  # off the curve: the point goes onto it
    here = lagrange.here
    assert here.x**2 + 3 * (here.y + 1) ** 2 - 1 == pytest.approx(0, abs=1e-6)
    assert 5 < here.angle < 175 and lagrange.verdict.toPlainText().startswith("Not parallel")
    lagrange.lmap._vb.sig_pressed.emit(best.x, best.y + 0.02)  # (a second click would be a double)
    assert (lagrange.here.x, lagrange.here.y) == pytest.approx((best.x, best.y), abs=1e-9)
    assert lagrange.here.angle < 1e-3 and lagrange.verdict.toPlainText().startswith("Parallel")
    assert f"{best.multiplier:.4f}" in lagrange.verdict.toPlainText()
    s = lagrange.here.s
    assert lagrange.s_line.value() == pytest.approx(s)
    sx, sy = lagrange.s_curve.getData()
    assert sy.max() == pytest.approx(best.value, abs=1e-3)  # f along the curve peaks there
    assert sx[np.argmax(sy)] == pytest.approx(s, abs=0.03)
    # λ as a price: the best f on g = c moves by about λ c.
    price = lagrange.price
    assert price.c == 0.1 and price.change == pytest.approx(price.predicted, rel=0.1)
    assert "λ·c" in lagrange.price_text.text()
    # [ and ] walk the point along the curve; G goes back to the solution.
    window.activateWindow()
    qtbot.waitActive(window)
    lagrange.lmap.setFocus()
    qtbot.waitUntil(lagrange.lmap.hasFocus)
    qtbot.keyClick(lagrange.lmap, Qt.Key_BracketRight)
    assert lagrange.here.s != pytest.approx(s, abs=1e-6) and lagrange.here.angle > 1e-3
    qtbot.keyClick(lagrange.lmap, Qt.Key_G)
    assert lagrange.here.angle < 1e-3


def test_a_bad_constraint_is_refused_and_the_last_good_one_stays(qtbot, optimisation):
    tab = optimisation
    lagrange = tab.lagrange
    tab.view_tabs.setCurrentIndex(2)
    before = lagrange.constraint.text
    for text, words in (("x^2 + (", ""), ("x^2 + y^2 + 5", "does not cross the map"),
                        ("log(-1 - x^2 - y^2)", "undefined")):
        lagrange.g_edit.setText(text)
        lagrange.apply_constraint()
        assert lagrange.g_error.isVisible() and words in lagrange.g_error.text()
        assert lagrange.constraint.text == before and lagrange.curves
    lagrange.g_edit.setText("x^2 + y^2 - 1")
    lagrange.apply_constraint()
    assert not lagrange.g_error.isVisible() and lagrange.constraint.text == "x^2 + y^2 - 1"
    qtbot.waitUntil(lambda: not lagrange.search_task.busy and bool(lagrange.solutions),
                    timeout=10000)
    # The course's f on the unit circle: its quadratic form 2x² + y² − xy is least along
    # the eigenvector of the smaller eigenvalue (3 − √2)/2, at angle 67.5°: f's maxima.
    tops = [s for s in lagrange.solutions if s.best == "the maximum"]
    angle = math.radians(67.5)
    np.testing.assert_allclose(sorted((s.x, s.y) for s in tops),
                               [(-math.cos(angle), -math.sin(angle)),
                                (math.cos(angle), math.sin(angle))], atol=1e-9)
    assert tops[0].value == pytest.approx(math.exp(-(3 - math.sqrt(2)) / 4))


def test_play_walks_the_point_round_the_constraint(qtbot, optimisation):
    tab = optimisation
    lagrange = tab.lagrange
    tab.view_tabs.setCurrentIndex(2)
    tab.step(4)
    qtbot.waitUntil(lambda: len(tab.path) == 5)
    indices = [r.index for r in tab.path]
    assert np.all(np.diff(indices) == 3)
    assert (lagrange.here.x, lagrange.here.y) == (tab.path[-1].x, tab.path[-1].y)
    assert lagrange.point == (tab.path[-1].x, tab.path[-1].y)  # a session keeps where it is
    tab.playback.reset()  # Reset: the point goes back to where the walk began
    assert tab.path == [] and lagrange.here.index == indices[0]


def test_v_goes_through_the_views_and_brackets_move_x0(qtbot, window, optimisation):
    tab = optimisation
    newton = tab.newton
    window.activateWindow()
    qtbot.waitActive(window)
    newton.f_plot.setFocus()
    qtbot.waitUntil(newton.f_plot.hasFocus)
    x0 = newton.x0
    qtbot.keyClick(newton.f_plot, Qt.Key_BracketRight)
    assert newton.x0 == pytest.approx(x0 + 0.09)
    qtbot.keyClick(newton.f_plot, Qt.Key_BracketLeft)
    assert newton.x0 == pytest.approx(x0)
    assert tab.playback.speed() == 2  # tangents, one by one
    qtbot.keyClick(newton.f_plot, Qt.Key_V)
    assert tab.view == "descent" and "Four ways down" in tab.explanation.body.text()
    assert tab.playback.speed() == 50  # a race of hundreds of steps


def test_each_view_keeps_its_own_run(qtbot, optimisation):
    """A page is the unit: Newton's tangents stay while the race runs, and come back
    with their view; a session keeps both runs."""
    tab = optimisation
    tab.step(3)
    qtbot.waitUntil(lambda: len(tab.path) == 4)
    newton_path = list(tab.path)
    tab.view_tabs.setCurrentIndex(1)
    assert tab.path == [] and tab.run is tab.race.run is not tab.newton.run
    tab.step(5)
    qtbot.waitUntil(lambda: len(tab.path) == 6)
    assert tab.newton.path == newton_path and tab.newton.table.rowCount() == 4
    state = tab.capture()
    assert (state.view, state.shown, state.raced) == ("descent", 4, 5)
    tab.view_tabs.setCurrentIndex(0)
    assert tab.path == newton_path and len(tab.race.path) == 6
    tab.run.reset()
    tab.apply_state(state)
    assert tab.view == "descent" and tab.newton.path == newton_path
    assert [r.step for r in tab.race.path] == list(range(6))


def test_a_constraint_of_fewer_pieces_leaves_no_lines_of_the_last_in_3d(qtbot, optimisation):
    tab = optimisation
    lagrange = tab.lagrange
    tab.view_tabs.setCurrentIndex(2)
    surface = lagrange.llandscape.surface
    lagrange.g_edit.setText("x^2 - 0.25")  # two pieces: x = -0.5 and x = 0.5
    lagrange.apply_constraint()
    assert len(lagrange.curves) == 2
    lifted = {key for key in surface._asked if key.startswith("line:g")}
    assert lifted == {"line:g0", "line:g1"}
    lagrange.g_edit.setText("x^2 + y^2 - 1")  # one piece
    lagrange.apply_constraint()
    assert len(lagrange.curves) == 1
    assert {key for key in surface._asked if key.startswith("line:g")} == {"line:g0"}
    if surface.has_gl:
        assert "line:g1" not in surface._items
    qtbot.waitUntil(lambda: not lagrange.search_task.busy, timeout=10000)
