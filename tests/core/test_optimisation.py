"""Optimisation core: Newton-Raphson and its basins, descent against Newton and the
hybrid on surfaces, and Lagrange multipliers, against hand-worked and textbook answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlcalc_gui.core import optimisation as op
from mlcalc_gui.core.step_rules import STRATEGIES

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


def test_the_race_runs_the_four_methods_side_by_side():
    steps = list(op.race("x^2 + 10y^2", (1.0, 1.0), rate=0.05, steps=3, momentum=0.5))
    assert [s.step for s in steps] == [0, 1, 2, 3]
    alone = {m: [(r.x, r.y, r.value) for r in op.descent("x^2 + 10y^2", (1.0, 1.0), m,
                                                           0.05, 3, 0.5)]
             for m in op.METHODS}
    for i, m in enumerate(op.METHODS):
        path = [s.points[i] for s in steps if s.moving[i]]
        assert path == alone[m]  # each method's own path, unchanged by the race
    newton = op.METHODS.index("newton")
    assert [s.moving[newton] for s in steps] == [True, True, False, False]
    assert steps[-1].points[newton] == pytest.approx((0.0, 0.0, 0.0))
    # Everyone done: the race ends (a quadratic: Newton and the hybrid in one step).
    short = list(op.race("x^2 + y^2", (1.0, 1.0), rate=0.5, steps=50, momentum=0.0))
    assert len(short) == 3 and not any(short[-1].moving)


def test_the_constraint_curve_is_traced_in_order_with_its_length():
    circle = op.constraint_curves("x^2 + y^2 - 1", (-1.5, 1.5, -1.5, 1.5))
    assert len(circle) == 1 and circle[0].closed
    pts = circle[0].points
    np.testing.assert_allclose(np.hypot(pts[:, 0], pts[:, 1]), 1.0, atol=1e-10)
    assert circle[0].length == pytest.approx(2 * math.pi, rel=1e-3)
    assert np.all(np.diff(circle[0].s) > 0)  # in order along the curve, no jumps
    assert np.max(np.diff(circle[0].s)) < 0.05
    hyperbola = op.constraint_curves("x y - 1", (-3, 3, -3, 3))
    assert len(hyperbola) == 2 and not any(c.closed for c in hyperbola)
    assert {round(float(np.sign(c.points[0, 0]))) for c in hyperbola} == {-1, 1}
    assert op.constraint_curves("x^2 + y^2 + 1", (-1, 1, -1, 1)) == []


def test_a_point_on_the_curve_knows_its_gradients_angle_and_slope():
    curve = op.constraint_curves("x^2 + y^2 - 1", (-1.5, 1.5, -1.5, 1.5))[0]
    r = 1 / math.sqrt(2)
    at = op.curve_point("x + y", "x^2 + y^2 - 1", curve, curve.nearest(r, r), at=(r, r))
    assert at.angle == pytest.approx(0.0, abs=1e-6)
    assert at.multiplier == pytest.approx(r) and at.slope == pytest.approx(0.0, abs=1e-12)
    side = op.curve_point("x + y", "x^2 + y^2 - 1", curve, curve.nearest(1.0, 0.0))
    assert side.angle == pytest.approx(45.0, abs=1.0)
    # df/ds against f's change between neighbours along the curve.
    i = side.index
    f = curve.points[:, 0] + curve.points[:, 1]
    assert side.slope == pytest.approx((f[i + 1] - f[i - 1]) / (curve.s[i + 1] - curve.s[i - 1]),
                                       rel=1e-3)
    walk = list(op.walk_curve("x + y", "x^2 + y^2 - 1", curve, start=5, stride=3))
    assert walk[0].index == 5 and len(walk) == (len(curve.s) - 1) // 3 + 1


def test_lambda_is_the_price_of_moving_the_constraint():
    pts = op.lagrange_points("x + y", "x^2 + y^2 - 1")
    c = 0.01
    price = op.price_of_constraint("x + y", "x^2 + y^2 - 1", pts, c)
    # On x² + y² = 1 + c the best x + y is √(2(1 + c)).
    assert price.moved.value == pytest.approx(math.sqrt(2 * (1 + c)), rel=1e-9)
    assert price.change == pytest.approx(price.predicted, rel=0.01)
    study = op.lagrange_study("x + y", "x^2 + y^2 - 1", (-3, 3, -3, 3), c)
    fractions = []
    while True:
        try:
            fractions.append(next(study))
        except StopIteration as done:
            found, same = done.value
            break
    assert fractions == sorted(fractions) and 0 < fractions[0] and fractions[-1] < 1
    assert [(p.x, p.y) for p in found] == [(p.x, p.y) for p in pts]
    assert same.moved.value == pytest.approx(price.moved.value)
