"""No stale or wrong message (#31, item 12): each says what is on screen now."""

from __future__ import annotations

import numpy as np
import pytest


def test_a_rule_note_goes_with_its_function(qtbot, derivatives):
    derivatives.input.set_input("1/x", (0.5, 3.0))
    qtbot.waitUntil(lambda: derivatives.rules.typeset is not None
                    and derivatives.rules.typeset.steps.function.text == "1/x")
    derivatives._on_step_selected(derivatives.rules._steps()[0])
    assert "d/dx" in derivatives.rules.detail.text()
    derivatives.input.set_input("abs(x)", (0.5, 3.0))
    qtbot.waitUntil(lambda: derivatives.rules.typeset is not None
                    and derivatives.rules.typeset.steps.function.text == "abs(x)")
    assert derivatives.rules.detail.text() == ""


def test_a_difference_across_a_pole_says_so(qtbot, derivatives):
    derivatives.input.set_input("1/x", (-2.0, 2.0))
    derivatives.set_x(0.5)
    derivatives._set_slider_h(1.0)
    derivatives._draw_secant()
    text = derivatives.numbers.text()
    assert "x ± h spans the point x = 0, where f has no value" in text
    assert "inf" not in text.split("central difference")[1].splitlines()[0]
    derivatives._set_slider_h(0.1)
    derivatives._draw_secant()
    assert "spans" not in derivatives.numbers.text()


def test_no_gap_is_shaded_where_there_is_no_series(qtbot, taylor):
    taylor.series.input.set_input("1/x", (-2.0, 2.0))
    taylor.series.set_a(1.0, force=True)
    assert taylor.series.gap.isVisible()
    taylor.series.set_a(0.0, force=True)
    assert taylor.series.series_error.isVisible() and not taylor.series.gap.isVisible()


def test_an_empty_value_plot_forgets_a_diverged_runs_axes(qtbot, gradients):
    gradients.input.set_input("x^2 + y^2", (-2.0, 2.0, -2.0, 2.0))
    gradients.binder.set(rate=5.0)  # diverges
    gradients.set_point(1.0, 1.0)
    gradients.run.run_to_end()
    (_, _), (y0, y1) = gradients.value_plot.getPlotItem().getViewBox().viewRange()
    assert y1 > 1e10
    gradients.set_point(0.5, 0.5)  # a new start: f = 0.5 there
    (_, _), (y0, y1) = gradients.value_plot.getPlotItem().getViewBox().viewRange()
    assert y0 <= 0.5 <= y1 and y1 - y0 < 10


def test_a_new_floor_drops_the_last_floors_caption(qtbot, sandpit):
    sandpit.reveal()
    qtbot.waitUntil(lambda: "Colours span" in sandpit.landscape.range_note.text())
    sandpit.new_floor()
    qtbot.waitUntil(lambda: sandpit.floor is not None)
    assert "Colours span" not in sandpit.landscape.range_note.text()
    assert "hidden under the sand" in sandpit.landscape.range_note.text()


@pytest.mark.parametrize("steps, found, words", [
    (0, False, "its first step would leave the pit, so it took none"),
    (1, True, "found the phone in 1 step"), (3, False, "did not find it in 3 steps")])
def test_a_strategy_that_took_no_step_is_not_said_to_take_zero(steps, found, words):
    from mlcalc_gui.gui.tabs.sandpit import strategy_outcome

    assert strategy_outcome(steps, found) == words
    assert "0 steps" not in strategy_outcome(steps, found)
    assert np.isfinite(steps)
