"""Legends and labels never print over the data or each other (#31, items 13 and 21)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mlcalc_gui.gui.panels.plots import _label_rect


def _rects(labels, box):
    return [_label_rect(label, box) for label in labels
            if label.isVisible() and label.textItem.toPlainText()]


def _disjoint(rects) -> bool:
    return not any(a.intersects(b) for a, b in itertools.combinations(rects, 2))


def test_the_derivative_legend_moves_off_the_point_traced(qtbot, derivatives):
    """The f′ legend hid the current point."""
    derivatives.input.set_input("x^3 - 2x", (-2.0, 2.0))
    placer = derivatives.d_plot.getPlotItem().legend.placer
    derivatives.set_x(-1.9)  # f′(−1.9) = 8.8: high on the left, under the legend
    qtbot.waitUntil(lambda: placer.corner != "top left", timeout=3000)
    assert placer.scores()[placer.corner] < 1  # not over the point (worth 3)
    derivatives.set_x(1.9)  # now high on the right: the legend may go back, never onto it
    qtbot.waitUntil(lambda: not placer.timer.isActive(), timeout=3000)
    assert placer.scores()[placer.corner] < 1


def test_rise_and_run_are_one_label_once_the_run_is_short(qtbot, derivatives):
    derivatives.input.set_input("x^2", (-2.0, 2.0))
    derivatives.set_x(1.0)
    derivatives._set_slider_h(1.0)
    derivatives._draw_secant()
    assert derivatives.run_text.textItem.toPlainText().startswith("run h = 1")
    assert "rise" in derivatives.rise_text.textItem.toPlainText()
    derivatives._set_slider_h(0.002)
    derivatives._draw_secant()
    assert derivatives.run_text.textItem.toPlainText() == ""
    both = derivatives.rise_text.textItem.toPlainText()
    assert "run h = 0.002" in both and "rise" in both


def test_newton_iterate_labels_never_overlap(qtbot, optimisation):
    optimisation.view_tabs.setCurrentIndex(0)
    optimisation.newton.ninput.set_input("x^2 - 2", (-3.0, 3.0))
    optimisation.newton.set_x0(1.0)
    optimisation.run.step(8)  # it reaches √2 in a few: the run stops there
    qtbot.waitUntil(lambda: len(optimisation.path) >= 4 and not optimisation.run.active,
                    timeout=10000)
    rects = _rects(optimisation.newton.iterate_labels, optimisation.newton.f_box)
    assert len(rects) >= 2 and _disjoint(rects)
    # the iterates close in on √2: some were left unnamed rather than overprinted
    assert len(rects) < len(optimisation.path)


def test_grad_f_and_grad_g_names_stand_apart_where_they_are_parallel(qtbot, optimisation):
    optimisation.view_tabs.setCurrentIndex(2)
    optimisation.lagrange.go_to_solution()
    box = optimisation.lagrange.lmap.getPlotItem().getViewBox()
    rects = _rects([optimisation.lagrange.label_f, optimisation.lagrange.label_g], box)
    assert len(rects) == 2 and _disjoint(rects)
    x, y = optimisation.lagrange.here.x, optimisation.lagrange.here.y
    tip = optimisation.lagrange.grad_f.getData()
    length_px = np.hypot(tip[0] - x, tip[1] - y).max() / max(box.viewPixelSize())
    assert length_px >= 85  # clear of the point marker and its label


def test_race_cost_axis_and_seed_labels_are_legible(qtbot, backprop):
    from mlcalc_gui.core.ensemble import EnsembleStep
    from mlcalc_gui.gui.tabs.backprop import RACE_SEEDS

    views = backprop.race.views
    views.set_seeds(backprop.race.seeds(), backprop.y)
    backprop.race.log.clear()
    same = np.full(RACE_SEEDS, 0.02)  # eight lines ending at one place
    backprop.race.log.extend([EnsembleStep(i, same * (1 + 1e-3 * np.arange(RACE_SEEDS)),
                                           np.zeros(RACE_SEEDS, bool)) for i in range(200)])
    backprop.show_page("race")
    qtbot.waitUntil(views.costs.isVisible)
    backprop.race.draw()
    box = views.costs.getPlotItem().getViewBox()
    assert _disjoint(_rects(views.ends, box))
    ticks = views.costs.getPlotItem().getAxis("left")._tickLevels
    assert ticks is not None and all(label == "" or label.rstrip("0").rstrip(".")[-1] in
                                     "125" for _, label in ticks[0])
    backprop.race.log.clear()
    backprop.show_page("network")


@pytest.mark.parametrize("text", ["sin x", "log(1 + x)"])
def test_taylor_legend_is_placed_where_the_curves_are_not(qtbot, taylor, text):
    taylor.series.input.set_input(text, (-0.9, 3.0))
    placer = taylor.series.f_plot.getPlotItem().legend.placer
    placer.place()
    scores = placer.scores()
    assert scores[placer.corner] <= min(scores.values()) + 0.2


def test_the_basin_strip_shows_the_plots_range_whatever_its_width(qtbot, optimisation):
    """After a text-size change on another tab the strip read −4.3…8.55 under a plot of
    −4.5…4.5 (#31, item 16): it followed the plot pixel for pixel, and was laid out at
    another width for a moment."""
    optimisation.view_tabs.setCurrentIndex(0)
    strip = optimisation.newton.strip_plot
    strip.setFixedWidth(max(200, strip.width() // 2))  # laid out at another width
    qtbot.waitUntil(lambda: strip.width() < optimisation.newton.f_plot.width())
    optimisation.newton.f_box.setXRange(-3.0, 2.0, padding=0)
    assert strip.getPlotItem().getViewBox().viewRange()[0] == pytest.approx([-3.0, 2.0])
    strip.setMinimumWidth(0)
    strip.setMaximumWidth(16777215)
    qtbot.waitUntil(lambda: abs(strip.width() - optimisation.newton.f_plot.width()) < 5)
    assert strip.getPlotItem().getViewBox().viewRange()[0] == pytest.approx(
        optimisation.newton.f_box.viewRange()[0])
