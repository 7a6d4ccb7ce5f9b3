"""Taylor series: coefficients by Taylor arithmetic against closed forms and sympy, the
remainder bound, the radius of convergence, the 2D models, and the order climbing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlcalc_gui.core import taylor as tl
from mlcalc_gui.core.expressions import parse_function

N = 12
k = np.arange(N + 1)
FACT = np.array([math.factorial(i) for i in k], dtype=float)


@pytest.mark.parametrize("text, a, closed", [
    ("e^x", 0.0, 1 / FACT),
    ("e^x", 1.5, math.exp(1.5) / FACT),
    ("sin x", 0.0, np.where(k % 2 == 1, (-1.0) ** ((k - 1) // 2), 0) / FACT),
    ("log(1 + x)", 0.0, np.r_[0.0, (-1.0) ** (k[1:] + 1) / k[1:]]),
    ("1/(1 - x)", 0.0, np.ones(N + 1)),
    ("1/(1 - x)", 0.5, 2.0 ** (k + 1)),  # 1/(1-x) = Σ (x - a)^k / (1 - a)^(k+1)
])
def test_coefficients_are_the_closed_forms(text, a, closed):
    np.testing.assert_allclose(tl.taylor_coefficients(text, a, N), closed, rtol=1e-13,
                               atol=1e-300)


FORTY = ["e^x", "sin x", "cos x", "tan x", "log(1 + x)", "1/(1 - x)", "atan x",
         "sqrt(1 + x)", "asin(x/2)", "acos(x/3)", "sinh x", "cosh x", "tanh x",
         "asinh x", "acosh(x + 2)", "atanh(x/2)", "exp(sin x)", "log(2 + cos x)",
         "1/(2 + x^2)", "(1 + x)^(1/3)", "sec x", "csc(x + 1)", "cot(x + 1)",
         "sigmoid(x)", "x e^x", "sin(x)/(1 + x^2)", "2^x", "x^x", "x^3 - 2x + 1",
         "(x^2 + 1)^5", "exp(-x^2)", "cos(x)^2", "log(1 + x^2)", "sqrt(4 - x^2)",
         "x sin(1 + x)", "e^(x/3) cos(2x)", "1/(3 + sin x)", "abs(x - 2)", "log10(x + 2)",
         "tan(x/2)^3"]


@pytest.mark.parametrize("text", FORTY)
def test_coefficients_agree_with_sympy_to_1e_10(text):
    """sympy's coefficients f⁽ᵏ⁾(a)/k! from its own derivatives, evaluated to 30 digits
    (sympy.series gives the same numbers but takes minutes on x^x)."""
    import sympy as sp

    f = parse_function(text, ("x",))
    x = f.symbols[0]
    a = sp.Rational(3, 10)
    ours = tl.taylor_coefficients(f, 0.3, 10)
    theirs, d = [], f.expr
    for i in range(11):
        theirs.append(float(d.subs(x, a).evalf(30)) / math.factorial(i))
        d = d.diff(x)
    theirs = np.array(theirs)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12 * np.abs(theirs).max())


def test_no_series_where_f_or_a_derivative_has_no_value():
    with pytest.raises(tl.SeriesError, match="f has no value at a = 1"):
        tl.taylor_coefficients("1/(1 - x)", 1.0, 5)
    with pytest.raises(tl.SeriesError, match="f′ has no value at a = 0"):
        tl.taylor_coefficients("sqrt(x)", 0.0, 5)
    with pytest.raises(tl.SeriesError, match="f′ has no value"):
        tl.taylor_coefficients("abs(x)", 0.0, 3)


def test_high_orders_of_long_formulas_are_finite():
    text = "tan(sin(x) + cos(x)^2) / (1 + exp(atan(x)^2)) + sqrt(2 + sin(3x)) log(3 + x^2)"
    c = tl.taylor_coefficients(text, 0.4, 60)  # how fast: the benchmarks' guard_max_ms
    assert np.all(np.isfinite(c))


def test_the_polynomial_matches_f_near_a_to_the_right_order():
    T = tl.taylor_polynomial("sin x", 0.5, 5)
    for h in (0.1, 0.05):
        err = abs(math.sin(0.5 + h) - T(0.5 + h))
        assert err < abs(math.cos(0.5)) * h**6 / 720 * 1.2  # the next term's size


@pytest.mark.parametrize("preset", tl.PRESETS, ids=lambda p: p.text)
@pytest.mark.parametrize("order", [1, 3, 6])
def test_the_remainder_bound_really_bounds_the_error(preset, order):
    f = parse_function(preset.text, ("x",))
    xs = np.linspace(*preset.domain, 801)
    a = preset.a
    c = tl.taylor_coefficients(f, a, order)
    with np.errstate(all="ignore"):
        err = np.abs(f(xs) - tl.evaluate_polynomial(c, a, xs))
        bound = tl.remainder_bound(tl.series(f, xs, order + 1)[order + 1], xs, a, order)
    ok = np.isfinite(err) & np.isfinite(bound)
    # (e^(-1/x²)'s formula has no value at 0: no bound is drawn across it.)
    assert ok.mean() > (0.45 if "exp(-1" in preset.text else 0.9)
    assert np.all(err[ok] <= bound[ok] * (1 + 1e-9) + 1e-13)


@pytest.mark.parametrize("text, a, radius", [
    ("e^x", 0.0, math.inf), ("sin x", 0.0, math.inf), ("cos x", 0.5, math.inf),
    ("log(1 + x)", 0.0, 1.0), ("log(1 + x)", 1.5, 2.5), ("1/(1 - x)", 0.0, 1.0),
    ("1/(1 - x)", -0.5, 1.5), ("atan x", 0.0, 1.0), ("atan x", 0.5, math.sqrt(1.25)),
    ("sqrt(1 + x)", 0.0, 1.0), ("sqrt(1 + x)", 2.0, 3.0), ("tan x", 0.0, math.pi / 2),
])
def test_the_radius_of_convergence(text, a, radius):
    found = tl.radius_of_convergence(text, a)
    if math.isinf(radius):
        assert math.isinf(found)
    else:
        assert found == pytest.approx(radius, rel=0.01)


def test_the_2d_models_against_hand_worked_gradient_and_hessian():
    # f = x^2 y + y^3 at (1, 2): f = 10, ∇f = (2xy, x^2 + 3y^2) = (4, 13),
    # H = [[2y, 2x], [2x, 6y]] = [[4, 2], [2, 12]].
    plane = tl.taylor_2d("x^2 y + y^3", (1.0, 2.0), 1)
    quad = tl.taylor_2d("x^2 y + y^3", (1.0, 2.0), 2)
    assert quad.value == pytest.approx(10) and quad.gradient == pytest.approx((4, 13))
    np.testing.assert_allclose(quad.hessian, [[4, 2], [2, 12]])
    dx, dy = 0.3, -0.2
    assert plane(1 + dx, 2 + dy) == pytest.approx(10 + 4 * dx + 13 * dy)
    assert quad(1 + dx, 2 + dy) == pytest.approx(
        10 + 4 * dx + 13 * dy + 0.5 * (4 * dx**2 + 4 * dx * dy + 12 * dy**2))
    assert quad.kind() == "ellipses"
    assert tl.taylor_2d("x^2 - y^2", (0.3, 0.1), 2).kind() == "hyperbolas"
    # A quadratic is its own order-2 model; the error of the model shrinks like |Δ|^3.
    saddle = tl.taylor_2d("x^2 - y^2", (0.5, 0.5), 2)
    assert saddle(1.7, -0.4) == pytest.approx(1.7**2 - 0.4**2)
    hill = tl.taylor_2d("exp(-x^2 - y^2)", (0.5, 0.3), 2)
    errs = [abs(math.exp(-(0.5 + h) ** 2 - (0.3 + h) ** 2) - hill(0.5 + h, 0.3 + h))
            for h in (0.02, 0.01)]
    assert errs[0] / errs[1] == pytest.approx(8, rel=0.1)
    with pytest.raises(tl.SeriesError):
        tl.taylor_2d("log(x)", (-1.0, 0.0), 2)


def test_the_order_climbing_yields_each_order_and_grows_past_the_radius():
    xs = np.linspace(-0.99, 2.5, 401)
    steps = list(tl.order_steps("log(1 + x)", 0.0, xs, 1.0, 0, 12))
    assert [s.order for s in steps] == list(range(13))
    # Inside |x| < 1 the error falls as n rises after the first terms; outside it grows.
    assert steps[12].max_error > steps[4].max_error > 1.0
    assert math.isfinite(steps[12].max_error_inside)


@pytest.mark.parametrize("a", [0.05, 0.1, 0.3, 0.6, 1.0, 2.0, -1.5])
def test_the_flat_function_has_radius_a_as_its_preset_says(a):
    """e^(−1/x²) about a ≠ 0: its series reaches to 0, |a| away (#31, item 6); the fit
    alone gave 0.526 at 0.6, 0.902 at 1 and 1.86 at 2."""
    assert tl.radius_of_convergence("exp(-1/x^2)", a) == pytest.approx(abs(a), rel=1e-9)


def test_a_removable_singularity_has_its_limit_and_its_series():
    """sin(x)/x at 0 is 1, and its Maclaurin series is 1 − x²/6 + x⁴/120 − …"""
    f = parse_function("sin(x)/x", ("x",))
    assert f(0.0) == 1.0 and f.gradient(0.0)[0] == 0.0
    np.testing.assert_allclose(f(np.array([0.0, 1e-9, 1.0])), [1.0, 1.0, math.sin(1.0)])
    c = tl.taylor_coefficients(f, 0.0, 8)
    np.testing.assert_allclose(c, [1, 0, -1 / 6, 0, 1 / 120, 0, -1 / 5040, 0, 1 / 362880],
                               atol=1e-15)
    np.testing.assert_allclose(tl.taylor_coefficients("(x^2 - 1)/(x - 1)", 1.0, 3),
                               [2, 1, 0, 0], atol=1e-15)
    np.testing.assert_allclose(tl.taylor_coefficients("(1 - cos(x))/x^2", 0.0, 4),
                               [0.5, 0, -1 / 24, 0, 1 / 720], atol=1e-15)
    assert math.isinf(tl.radius_of_convergence("sin(x)/x", 0.0))
    assert math.isinf(tl.radius_of_convergence("sin(x)/x", 1.0))  # not the noise floor
    # A real pole stays a pole; undefined stays undefined.
    assert math.isinf(parse_function("1/x", ("x",))(0.0))
    assert np.isnan(parse_function("log(x)", ("x",))(-1.0))
    with pytest.raises(tl.SeriesError):
        tl.taylor_coefficients("1/x", 0.0, 3)


def test_real_singularities_are_found_from_the_formula_and_checked():
    assert tl.real_singularities("1/(1 - x)", -3, 3) == pytest.approx([1.0])
    assert tl.real_singularities("tan x", -2, 2) == pytest.approx([-math.pi / 2, math.pi / 2])
    assert tl.real_singularities("exp(-1/x^2)", -1, 1) == pytest.approx([0.0], abs=1e-12)
    assert tl.real_singularities("sin(x)/x", -1, 1) == []
    assert tl.real_singularities("e^x", -5, 5) == []
    # A complex pair nearer than the real pole: the fit's R, not the real distance.
    assert tl.radius_of_convergence("1/((x - 1)(x^2 + 0.36))", 0.0) == pytest.approx(0.6,
                                                                                     rel=0.01)


def test_the_model_picture_compares_the_model_with_f_on_its_samples():
    from mlcalc_gui.core.expressions import parse_function
    from mlcalc_gui.core.surfaces import sample_grid

    f = parse_function("x^2 y")  # at (1, 1): f = 1, grad (2, 1), H [[2, 2], [2, 0]]
    samples = sample_grid(f, (-2, 2, -2, 2), 41)
    picture = tl.model_picture(f, samples, (1.0, 1.0), 2)
    xs, ys, Z = samples
    X, Y = np.meshgrid(xs, ys)
    dx, dy = X - 1, Y - 1
    quadratic = 1 + 2 * dx + dy + 0.5 * (2 * dx**2 + 4 * dx * dy)
    np.testing.assert_allclose(picture.heights, quadratic, atol=1e-9)
    # The error is f's cubic term dx^2 dy: log10 of it (+1e-12) on the map, to round-off.
    np.testing.assert_allclose(picture.error, np.log10(np.abs(dx**2 * dy) + 1e-12), atol=1e-3)
    assert picture.samples is samples and len(picture.model_contours) > 0
    # The principal axes are H's eigenvectors through the point, a quarter of the map long.
    values, vectors = np.linalg.eigh([[2.0, 2.0], [2.0, 0.0]])
    for (xends, yends), v in zip(picture.axes, vectors.T, strict=True):
        direction = np.array([xends[1] - xends[0], yends[1] - yends[0]])
        assert np.linalg.norm(direction) == pytest.approx(2.0)  # 0.25 * 4, both ways
        assert abs(direction @ v) == pytest.approx(2.0)
        assert (np.mean(xends), np.mean(yends)) == pytest.approx((1.0, 1.0))
    assert tl.model_picture(f, samples, (1.0, 1.0), 1).axes == ()
    with pytest.raises(tl.SeriesError):
        tl.model_picture(parse_function("log(x) + y"), samples, (-1.0, 0.0), 2)


def test_the_error_range_spans_every_order_down_to_rounding():
    """The error plot's range over a whole climb: exp about 0 on [−4, 4] errs most at
    order 0 at x = 4 (e⁴ − 1), and nothing under ε·e⁴ is shown; the same top as Horner's
    polynomials give, order by order."""
    xs = np.linspace(-4, 4, 801)
    f = parse_function("exp(x)", ("x",))
    fx = f(xs)
    c = tl.taylor_coefficients(f, 0.0, tl.MAX_ORDER)
    lo, hi = tl.error_range(fx, c, 0.0, xs)
    assert hi == pytest.approx(math.log10(math.e ** 4 - 1) + 0.5, rel=1e-12)
    assert lo == pytest.approx(math.log10(np.finfo(float).eps * math.e ** 4) - 0.5, rel=1e-12)
    tops = [np.nanmax(np.abs(fx - tl.evaluate_polynomial(c[:n + 1], 0.0, xs)))
            for n in range(tl.MAX_ORDER + 1)]
    assert 10 ** (hi - 0.5) == pytest.approx(max(tops), rel=1e-12)
    # 1/(1 − x) about 0 on [−2, 0.9]: past the radius (x < −1) the error grows with the
    # order, so the top is the last order's at x = −2: |1/3 − (1 − 2²¹)/3| = 2²¹/3.
    xs = np.linspace(-2, 0.9, 801)
    g = parse_function("1/(1 - x)", ("x",))
    c = tl.taylor_coefficients(g, 0.0, tl.MAX_ORDER)
    lo, hi = tl.error_range(g(xs), c, 0.0, xs)
    assert 10 ** (hi - 0.5) == pytest.approx(2 ** 21 / 3, rel=1e-9)


def test_no_error_range_where_there_is_no_error():
    xs = np.linspace(-1, 1, 11)
    c = tl.taylor_coefficients(parse_function("3 + 0*x", ("x",)), 0.0, 4)
    assert tl.error_range(np.full(11, 3.0), c, 0.0, xs) is None
    assert tl.error_range(np.full(11, np.nan), c, 0.0, xs) is None
