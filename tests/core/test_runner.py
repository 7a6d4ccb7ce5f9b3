"""The run loop every worker shares (core.runner), driven without Qt."""

from __future__ import annotations

import pytest

from mlcalc_gui.core.calculus import analyse_point, analysed_step, gradient_descent
from mlcalc_gui.core.expressions import parse_function
from mlcalc_gui.core.runner import Control, Shown, run


def drive(generator, interval):
    batches, states = [], []
    kind, message = run(generator, Control(), interval, batches.append, states.append)
    return kind, message, batches


def test_a_shown_run_shows_the_last_record_of_each_hand_over():
    kind, _, batches = drive(Shown(iter(range(10)), lambda r: ("shown", r)), 1e9)
    assert kind == "done"
    assert batches == [[*range(9), ("shown", 9)]]  # one hand-over, at the end
    _, _, batches = drive(Shown(iter(range(4)), lambda r: -r), 0.0)
    assert [b[-1] for b in batches] == [0, -1, -2, -3]  # every record handed over alone


def test_a_descent_step_carries_its_analysis_without_changing_the_run():
    f = parse_function("x^2 + 3*y^2 + x*y")
    plain = list(gradient_descent(f, (1.0, -0.5), 0.05, steps=40))
    _, _, batches = drive(Shown(gradient_descent(f, (1.0, -0.5), 0.05, steps=40),
                                lambda r: analysed_step(f, r)), 1e9)
    shown = batches[-1]
    assert shown == plain  # the analysis is not part of a record's equality
    last = shown[-1]
    again = analyse_point(f, last.point)
    assert last.analysis.point == last.point and last.analysis.value == again.value
    assert last.analysis.verdict == again.verdict == "not stationary"
    # f's Hessian is [[2, 1], [1, 6]] everywhere: eigenvalues 4 -+ sqrt(5).
    assert sorted(last.analysis.eigenvalues) == pytest.approx([4 - 5**0.5, 4 + 5**0.5])
    assert last.analysis.gradient == pytest.approx(
        (2 * last.x + last.y, 6 * last.y + last.x))
    assert all(r.analysis is None for r in shown[:-1])


def test_a_show_that_fails_leaves_the_record_plain():
    def broken(record):
        raise ZeroDivisionError("no")

    kind, _, batches = drive(Shown(iter(range(3)), broken), 1e9)
    assert kind == "done" and batches == [[0, 1, 2]]
