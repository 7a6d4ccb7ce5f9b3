"""Numerical derivatives, gradient descent, contours: against analytic results."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from mlcalc_gui.core.calculus import (
    DescentStep,
    Diverged,
    analyse_point,
    find_stationary_point,
    gradient_descent,
    numerical_gradient,
    numerical_hessian,
    resumed,
)
from mlcalc_gui.core.contours import contour_segments, nice_levels
from mlcalc_gui.core.expressions import parse_function


def test_numerical_gradient_error_is_second_order():
    f = lambda x, y: np.exp(x) * np.sin(y)  # noqa: E731
    exact = np.array([np.exp(0.3) * np.sin(0.8), np.exp(0.3) * np.cos(0.8)])
    e1 = np.abs(numerical_gradient(f, (0.3, 0.8), h=1e-2) - exact).max()
    e2 = np.abs(numerical_gradient(f, (0.3, 0.8), h=5e-3) - exact).max()
    assert e1 / e2 == pytest.approx(4.0, rel=0.05)  # halving h quarters the error
    assert np.abs(numerical_gradient(f, (0.3, 0.8)) - exact).max() < 1e-9


def test_numerical_gradient_rejects_bad_step():
    with pytest.raises(ValueError):
        numerical_gradient(lambda x: x, (1.0,), h=0)


def test_numerical_hessian_matches_symbolic():
    f = parse_function("x^3 y + sin(x y)")
    assert np.allclose(numerical_hessian(f, (0.4, -0.9)), f.hessian(0.4, -0.9), atol=1e-5)


def test_descent_on_a_bowl_contracts_geometrically():
    # x_{k+1} = x_k - eta * 2 x_k = (1 - 2 eta) x_k exactly.
    f = parse_function("x^2 + y^2")
    steps = list(gradient_descent(f, (1.0, -2.0), 0.1, steps=10))
    assert [s.step for s in steps] == list(range(11))
    for s in steps:
        assert s.point == pytest.approx((0.8**s.step, -2 * 0.8**s.step))
        assert s.value == pytest.approx(5 * 0.64**s.step)
        assert s.gradient == pytest.approx((2 * 0.8**s.step, -4 * 0.8**s.step))
    assert isinstance(steps[0], DescentStep)
    with pytest.raises(AttributeError):
        steps[0].value = 1.0  # records are immutable


def test_descent_stops_when_gradient_vanishes():
    f = parse_function("x^2 + y^2")
    steps = list(gradient_descent(f, (1.0, 1.0), 0.5, steps=100))
    assert len(steps) == 2  # eta = 1/2 jumps straight to the minimum
    assert steps[-1].point == (0.0, 0.0)


def test_descent_diverges_with_a_message_and_no_nan():
    f = parse_function("x^2 + y^2")
    seen = []
    with pytest.raises(Diverged, match="learning rate"):
        for s in gradient_descent(f, (1.0, 1.0), 1.5, steps=10_000):
            seen.append(s)
    assert seen, "the good steps before divergence are yielded"
    assert all(np.isfinite(s.value) and np.all(np.isfinite(s.point)) for s in seen)
    # |x| doubles every step: |1 - 2*1.5| = 2
    assert abs(seen[1].point[0]) == pytest.approx(2.0)


def test_descent_refuses_a_bad_learning_rate():
    f = parse_function("x^2")
    with pytest.raises(ValueError):
        next(gradient_descent(f, (1.0, 1.0), -0.1))


def test_rosenbrock_descent_goes_down():
    f = parse_function("(1 - x)^2 + 100(y - x^2)^2")
    steps = list(gradient_descent(f, (-1.2, 1.0), 0.0015, steps=2000))
    assert steps[-1].value < 0.05 * steps[0].value
    assert np.all(np.diff([s.value for s in steps[5:]]) <= 1e-12)


def test_newton_finds_himmelblau_minimum_and_maximum():
    f = parse_function("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    assert find_stationary_point(f, (2.8, 2.2)) == pytest.approx((3.0, 2.0))
    assert find_stationary_point(f, (-0.3, -0.9)) == pytest.approx((-0.270845, -0.923039),
                                                                     abs=1e-5)


def test_contour_segments_lie_on_the_level():
    xs = np.linspace(-2, 2, 81)
    ys = np.linspace(-1.5, 1.5, 61)
    X, Y = np.meshgrid(xs, ys)
    Z = X**2 + Y**2
    seg = contour_segments(xs, ys, Z, 1.0)
    radii = np.hypot(seg[:, 0], seg[:, 1])
    assert len(seg) > 100 and len(seg) % 2 == 0
    assert np.allclose(radii, 1.0, atol=2e-3)  # linear interpolation of r^2 on a 0.05 grid
    assert contour_segments(xs, ys, Z, -1.0).shape == (0, 2)


def test_contour_saddle_cells_and_nan_cells():
    Z = np.array([[1.0, 0.0], [0.0, 1.0]])
    seg = contour_segments(np.array([0.0, 1.0]), np.array([0.0, 1.0]), Z, 0.5)
    assert seg.shape == (4, 2)  # the ambiguous cell gives two segments
    Z[0, 0] = np.nan
    assert contour_segments(np.array([0.0, 1.0]), np.array([0.0, 1.0]), Z, 0.5).shape == (0, 2)


def test_nice_levels_ignore_spikes():
    Z = np.linspace(0, 1, 10_000).reshape(100, 100)
    Z[0, 0] = 1e9
    levels = nice_levels(Z, 9)
    assert len(levels) == 9 and levels.max() < 1.0


def test_core_imports_no_qt():
    code = (
        "import sys, mlcalc_gui.core.expressions, mlcalc_gui.core.calculus, "
        "mlcalc_gui.core.contours, mlcalc_gui.core.surfaces\n"
        "import pkgutil, importlib, mlcalc_gui.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    importlib.import_module('mlcalc_gui.core.' + m.name)\n"
        "qt = ('PySide6', 'pyqtgraph', 'shiboken6')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in qt]\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_resumed_descent_continues_the_path_exactly():
    f = parse_function("x^2 + y^2")
    whole = list(gradient_descent(f, (1.0, -2.0), 0.1, steps=10))
    first = whole[:5]
    rest = list(resumed(gradient_descent(f, first[-1].point, 0.1, steps=6), first[-1].step))
    joined = first + rest
    assert [r.step for r in joined] == list(range(11))
    for a, b in zip(joined, whole, strict=True):
        assert a.point == pytest.approx(b.point) and a.value == pytest.approx(b.value)


@pytest.mark.parametrize("text, point, shape", [
    ("sqrt(x)", (2.0, 1.0), "curves down one way and is flat the other"),
    ("x^2 + y^3", (0.0, 0.0), "curves up one way and is flat the other"),
    ("x*y", (0.0, 0.0), "curves up one way and down another"),
    ("0*x", (0.0, 0.0), "has no curvature"),
])
def test_a_zero_eigenvalue_is_called_flat_never_up_and_down(text, point, shape):
    """sqrt(x) has eigenvalues -0.09 and 0: not "up one way and down another" (#11)."""
    assert analyse_point(parse_function(text), point).shape.startswith(shape)


@pytest.mark.parametrize("text, point", [("log(x)", (-1.0, 0.5)), ("sqrt(x - y)", (0, 1)),
                                         ("1/x", (0.0, 0.3))])
def test_where_f_is_undefined_there_is_no_gradient_verdict(text, point):
    a = analyse_point(parse_function(text), point)
    assert a.verdict == "undefined" and not a.stationary
    assert np.isnan(a.eigenvalues).all()


def test_a_descent_out_of_the_domain_is_not_blamed_on_the_learning_rate():
    from mlcalc_gui.core.expressions import parse_function

    f = parse_function("log(x) + y^2")
    with pytest.raises(Diverged) as caught:
        list(gradient_descent(f, (-1.0, 0.5), 0.1, steps=10))
    message = str(caught.value)
    assert message.startswith("f or its gradient is undefined at the start (-1, 0.5)")
    assert "learning rate" not in message
    # From x = 0.05 a rate of 1 jumps to x = 0.05 - 1/0.05 < 0: out of the domain.
    with pytest.raises(Diverged, match=r"step 1 landed at \(-19.95, 0\), where f or its "
                                       r"gradient is undefined: the descent left f's domain"):
        list(gradient_descent(f, (0.05, 0.0), 1.0, steps=10))
    with pytest.raises(Diverged, match="f is infinite \\(a pole\\) at the start"):
        list(gradient_descent(parse_function("1/x^2 + y"), (0.0, 1.0), 0.1, steps=3))
    # A real blow-up still names the rate.
    with pytest.raises(Diverged, match="learning rate 1.5 is too large"):
        list(gradient_descent(parse_function("x^2 + y^2"), (1.0, 1.0), 1.5, steps=200))


@pytest.mark.parametrize("seed", range(30))
def test_graph_range_takes_numpys_percentiles_to_the_last_bit(seed):
    from mlcalc_gui.core.contours import _percentiles

    rng = np.random.default_rng(seed)
    values = rng.standard_normal(int(rng.integers(1, 2000))) * 10.0 ** rng.integers(-5, 6)
    qs = (1, 99, 0, 100, 50, 37.5)
    assert _percentiles(values, qs) == tuple(float(v) for v in np.percentile(values, qs))


def test_graph_range_ignores_a_pole_and_takes_in_the_axis():
    from mlcalc_gui.core.contours import graph_range

    xs = np.linspace(-1, 1, 1001)
    with np.errstate(divide="ignore"):
        values = 1 / xs  # a pole at 0: ±1000 at the samples next to it
    lo, hi = graph_range(values)
    assert -120 < lo < -40 and 40 < hi < 120  # the 1st-99th percentile, padded by 12%
    # [2, 3]: percentiles 2.01 and 2.99; with the axis, 0 to 2.99, padded by 0.3588.
    assert graph_range(np.array([2.0, 3.0]), include=0.0) == pytest.approx((-0.3588, 3.3488))
    assert graph_range(np.array([5.0, 5.0])) == (4.0, 6.0)  # flat: a unit margin
    assert graph_range(np.array([np.nan, np.inf])) is None


def test_a_descent_on_a_saddle_falls_without_end_and_says_so_at_the_right_step():
    """x² − y² is unbounded below along y: no learning rate helps, and a run continued
    from step 26 names the step the learner sees, not step 1 of its own (#31, item 5)."""
    from mlcalc_gui.core.calculus import skip_start

    f = parse_function("x^2 - y^2")
    whole: list = []
    with pytest.raises(Diverged) as caught:
        for record in gradient_descent(f, (0.5, 0.01), 0.1, steps=300):
            whole.append(record)
    message = str(caught.value)
    assert "falls without end along (0, 1)" in message
    assert f"at step {whole[-1].step + 1}" in message
    assert "reduce" not in message.lower() and "too large" not in message
    first = list(gradient_descent(f, (0.5, 0.01), 0.1, steps=26))
    with pytest.raises(Diverged) as again:
        for record in skip_start(gradient_descent(f, first[-1].point, 0.1, steps=300,
                                                  first_step=first[-1].step)):
            first.append(record)
    assert str(again.value) == message
    assert [r.step for r in first] == [r.step for r in whole]


def test_a_continued_fit_names_the_step_the_learner_sees():
    import re

    from mlcalc_gui.core.fitting import line_descent

    x, y = [0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 7.0]
    with pytest.raises(Diverged, match="aggression 1 is too large") as caught:
        list(line_descent(0.0, 0.0, 1.0, 200, x, y, first_step=40))
    assert int(re.search(r"at step (\d+)", str(caught.value)).group(1)) > 40
