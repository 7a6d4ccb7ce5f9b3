"""Optimisation core: Newton-Raphson and its basins, descent against Newton and the
hybrid on surfaces, and Lagrange multipliers, against hand-worked and textbook answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlcalc_gui.core import optimisation as op
from mlcalc_gui.core.steps import STRATEGIES

P = op.COURSE_POLYNOMIAL


def p(x):
    return x**6 / 6 - 3 * x**4 - 2 * x**3 / 3 + 27 * x**2 / 2 + 18 * x - 30


def dp(x):
    return x**5 - 12 * x**3 - 2 * x**2 + 27 * x + 18


def test_newton_on_the_course_polynomial_against_hand_computation():
    steps = list(op.newton_raphson(P, 1.0, 10))
    x = 1.0
    for s in steps[:-1]:
        assert s.x == pytest.approx(x, rel=1e-12)
        assert s.value == pytest.approx(p(x), rel=1e-12)
        assert s.slope == pytest.approx(dp(x), rel=1e-12)
        assert s.next_x == pytest.approx(x - p(x) / dp(x), rel=1e-12)
        x = s.next_x
    assert steps[-1].stopped == "root" and abs(p(steps[-1].x)) < 1e-10
    # The two real roots, from either side.
    left = list(op.newton_raphson(P, -4.0))[-1]
    right = list(op.newton_raphson(P, 5.0))[-1]
    assert left.stopped == right.stopped == "root"
    assert left.x == pytest.approx(-3.7602139722, abs=1e-9)
    assert right.x == pytest.approx(1.0630706297, abs=1e-9)
    # f'(±3) = 0 exactly: no step.
    for x0 in (3.0, -3.0):
        only = list(op.newton_raphson(P, x0))
        assert len(only) == 1 and only[0].stopped == "zero slope" and only[0].slope == 0
        assert math.isnan(only[0].next_x)


def test_a_cycle_and_a_runaway_are_named():
    steps = list(op.newton_raphson("x^3 - 2x + 2", 0.0, 10))
    assert [s.x for s in steps] == [0.0, 1.0]
    assert steps[-1].next_x == 0.0 and steps[-1].stopped == "cycle of period 2"
    away = list(op.newton_raphson("atan x", 1.5, 50))
    assert away[-1].stopped == "runaway" and abs(away[-1].next_x) > op.RUNAWAY


def test_the_basins_of_the_course_polynomial_and_a_cycle():
    starts = np.linspace(-5, 5, 2001)
    basins = op.newton_basins(P, starts, 50)
    np.testing.assert_allclose(basins.roots, [-3.7602139722, 1.0630706297], atol=1e-8)
    for i in np.flatnonzero(basins.kind == basins.ROOT)[::97]:
        last = list(op.newton_raphson(P, starts[i]))[-1]
        assert last.x == pytest.approx(basins.roots[basins.root_index[i]], abs=1e-7)
    assert basins.kind[np.argmin(np.abs(starts - 3.0))] == basins.ZERO_SLOPE
    assert basins.kind[np.argmin(np.abs(starts + 3.0))] == basins.ZERO_SLOPE
    assert (basins.kind == basins.UNDECIDED).any()  # starts near 3 still wander at 50
    cycle = op.newton_basins("x^3 - 2x + 2", [0.0, 1.0, -0.01, 0.01], 50)
    assert cycle.kind.tolist() == [cycle.CYCLE] * 4 and cycle.period.tolist() == [2] * 4
    away = op.newton_basins("atan x", [0.5, 1.5, -3.0], 50)
    assert away.kind.tolist() == [away.ROOT, away.DIVERGED, away.DIVERGED]


def test_descent_newton_and_the_hybrid_against_hand_worked_steps():
    # f = x^2 + 10 y^2: J = (2x, 20y), H = diag(2, 20).
    path = list(op.descent("x^2 + 10y^2", (1.0, 1.0), "descent", rate=0.05, steps=2))
    assert [(s.x, s.y) for s in path] == [(1.0, 1.0), (0.9, 0.0), (pytest.approx(0.81), 0.0)]
    newton = list(op.descent("x^2 + 10y^2", (1.0, 1.0), "newton", steps=5))
    assert (newton[1].x, newton[1].y) == pytest.approx((0.0, 0.0))  # one step to a quadratic's
    assert len(newton) == 2  # ... minimum, and then the step vanishes
    # Newton runs to the saddle of x^2 - y^2. From (0.5, 0.2) its step still goes down
    # (−J·s = 0.42 > 0), so the course's hybrid takes it too; from (0.1, 0.5) it would go
    # up (−J·s = −0.48), and the hybrid takes −0.5 J instead: away from the saddle.
    saddle = list(op.descent("x^2 - y^2", (0.5, 0.2), "newton", steps=3))
    assert (saddle[1].x, saddle[1].y) == pytest.approx((0.0, 0.0))
    same = list(op.descent("x^2 - y^2", (0.5, 0.2), "hybrid", steps=1))
    assert (same[1].x, same[1].y) == pytest.approx((0.0, 0.0))
    hybrid = list(op.descent("x^2 - y^2", (0.1, 0.5), "hybrid", steps=1))
    J, H = np.array([0.2, -1.0]), np.diag([2.0, -2.0])
    assert (hybrid[1].x, hybrid[1].y) == pytest.approx(
        tuple(np.array([0.1, 0.5]) + STRATEGIES["hybrid"](J, H)))
    assert (hybrid[1].x, hybrid[1].y) == pytest.approx((0.0, 1.0))
    # Momentum: v1 = −rate J, v2 = β v1 − rate J(p1).
    m = list(op.descent("x^2", (1.0, 0.0), "momentum", rate=0.1, steps=2, momentum=0.5))
    assert m[1].x == pytest.approx(0.8) and m[2].x == pytest.approx(0.8 - 0.1 - 0.16)


def test_lagrange_on_textbook_cases():
    # x + y on the unit circle: max √2 at (1/√2, 1/√2), λ = 1/√2; min −√2.
    pts = op.lagrange_points("x + y", "x^2 + y^2 - 1")
    assert len(pts) == 2
    top = next(q for q in pts if q.best == "the maximum")
    low = next(q for q in pts if q.best == "the minimum")
    r = 1 / math.sqrt(2)
    assert (top.x, top.y, top.multiplier, top.value) == pytest.approx((r, r, r, 2 * r))
    assert (low.x, low.y, low.multiplier) == pytest.approx((-r, -r, -r))
    assert top.kind == "max" and low.kind == "min"
    # x y on the line x + y = 2: max 1 at (1, 1), λ = 1.
    line = op.lagrange_points("x y", "x + y - 2")
    assert len(line) == 1
    assert (line[0].x, line[0].y, line[0].multiplier, line[0].kind) == pytest.approx(
        (1, 1, 1, "max"))


def test_lagrange_on_the_course_example_and_lambda_is_the_price():
    f, g = op.COURSE_LAGRANGE
    pts = op.lagrange_points(f, g)
    top = next(q for q in pts if q.best == "the maximum")
    low = next(q for q in pts if q.best == "the minimum")
    assert (top.x, top.y) == pytest.approx((-0.0958377, -0.4253073), abs=1e-6)
    assert top.value == pytest.approx(0.923811, abs=1e-6)
    assert low.value == pytest.approx(0.1149437, abs=1e-6)
    for q in pts:  # on the ellipse, with ∇f = λ∇g
        assert q.x**2 + 3 * (q.y + 1) ** 2 - 1 == pytest.approx(0, abs=1e-9)
    # λ = d f*/d c for the constraint g = c, by central differences.
    c = 1e-4
    up = max(q.value for q in op.lagrange_points(f, f"x^2 + 3(y + 1)^2 - 1 - {c}"))
    down = max(q.value for q in op.lagrange_points(f, f"x^2 + 3(y + 1)^2 - 1 + {c}"))
    assert (up - down) / (2 * c) == pytest.approx(top.multiplier, rel=1e-4)
