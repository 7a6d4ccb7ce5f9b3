"""Maps, paths and chains (#33): Jacobians against sympy, det J = r for polar, the image
of a square against exact areas, the total derivative against sympy and a difference,
the chain's product against the Jacobian of the composition, and one neuron's gradient
against finite differences and its descent to NOT."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from mlcalc_gui.core import maps
from mlcalc_gui.core.expressions import ExpressionError

x, y, t = sp.symbols("x y t", real=True)

#: (u, v) in the parser's syntax and in sympy's.
MAPS = [
    ("x cos(y)", "x sin(y)", x * sp.cos(y), x * sp.sin(y)),
    ("x + 0.8 y", "y", x + 0.8 * y, y),
    ("x^2", "y", x**2, y),
    ("exp(x) cos(y)", "exp(x) sin(y)", sp.exp(x) * sp.cos(y), sp.exp(x) * sp.sin(y)),
    ("x y", "x - y", x * y, x - y),
    ("sin(x + y)", "cos(x - y)", sp.sin(x + y), sp.cos(x - y)),
    ("x^3 - 3x y^2", "3x^2 y - y^3", x**3 - 3 * x * y**2, 3 * x**2 * y - y**3),
    ("tanh(x) + y", "x tanh(y)", sp.tanh(x) + y, x * sp.tanh(y)),
    ("sqrt(1 + x^2 + y^2)", "x / (1 + y^2)", sp.sqrt(1 + x**2 + y**2), x / (1 + y**2)),
    ("log(1 + x^2)", "atan(y)", sp.log(1 + x**2), sp.atan(y)),
    ("2x - 3y", "5x + y", 2 * x - 3 * y, 5 * x + y),
    ("x^2 - y^2", "2x y", x**2 - y**2, 2 * x * y),
    ("x e^y", "y e^x", x * sp.exp(y), y * sp.exp(x)),
    ("sin(x) cos(y)", "cos(x) sin(y)", sp.sin(x) * sp.cos(y), sp.cos(x) * sp.sin(y)),
    ("x / (x^2 + y^2 + 1)", "y / (x^2 + y^2 + 1)", x / (x**2 + y**2 + 1),
     y / (x**2 + y**2 + 1)),
    ("(x + y)^3", "x - y^3", (x + y) ** 3, x - y**3),
    ("cosh(x) cos(y)", "sinh(x) sin(y)", sp.cosh(x) * sp.cos(y), sp.sinh(x) * sp.sin(y)),
    ("x + sin(y)", "y + sin(x)", x + sp.sin(y), y + sp.sin(x)),
    ("exp(-x^2) y", "exp(-y^2) x", sp.exp(-x**2) * y, sp.exp(-y**2) * x),
    ("x^4", "y^4", x**4, y**4),
    ("abs(x) + y", "x", sp.Abs(x) + y, x),
    ("x cos(x^2 + y^2) - y sin(x^2 + y^2)", "x sin(x^2 + y^2) + y cos(x^2 + y^2)",
     x * sp.cos(x**2 + y**2) - y * sp.sin(x**2 + y**2),
     x * sp.sin(x**2 + y**2) + y * sp.cos(x**2 + y**2)),
    ("1.2 (x cos(0.6) - y sin(0.6))", "1.2 (x sin(0.6) + y cos(0.6))",
     1.2 * (x * sp.cos(0.6) - y * sp.sin(0.6)), 1.2 * (x * sp.sin(0.6) + y * sp.cos(0.6))),
    ("sigmoid(1.5 x - y + 0.3)", "sigmoid(0.5 x + 2 y - 0.5)",
     1 / (1 + sp.exp(-(1.5 * x - y + 0.3))), 1 / (1 + sp.exp(-(0.5 * x + 2 * y - 0.5)))),
    ("x^2 y", "x y^2", x**2 * y, x * y**2),
    ("log(2 + x) y", "x log(2 + y)", sp.log(2 + x) * y, x * sp.log(2 + y)),
    ("tan(x / 3)", "tan(y / 3)", sp.tan(x / 3), sp.tan(y / 3)),
    ("x - y^2", "y - x^2", x - y**2, y - x**2),
    ("3", "x + y", sp.Integer(3), x + y),
    ("exp(x y)", "exp(-x y)", sp.exp(x * y), sp.exp(-x * y)),
]
POINTS = [(0.7, 0.4), (-0.3, 1.1), (1.3, -0.8)]


@pytest.mark.parametrize("u, v, su, sv", MAPS, ids=[m[0][:24] for m in MAPS])
def test_jacobians_agree_with_sympy(u, v, su, sv):
    exact = sp.Matrix([su, sv]).jacobian([x, y])
    for px, py in POINTS:
        want = np.array(exact.subs({x: px, y: py}).evalf(), dtype=float)
        np.testing.assert_allclose(maps.map_jacobian(u, v, px, py), want, rtol=1e-10,
                                   atol=1e-12)
        assert maps.area_scale(u, v, px, py) == pytest.approx(np.linalg.det(want),
                                                              rel=1e-9, abs=1e-12)


def test_the_jacobian_is_vectorised_over_points():
    X, Y = np.meshgrid(np.linspace(0.5, 2, 4), np.linspace(0, 3, 3))
    J = maps.map_jacobian("x cos(y)", "x sin(y)", X, Y)
    assert J.shape == (3, 4, 2, 2)
    np.testing.assert_allclose(J[..., 0, 0], np.cos(Y))
    np.testing.assert_allclose(J[..., 1, 0], np.sin(Y))
    # constant partials are broadcast to the points' shape too
    assert maps.map_jacobian("2x - 3y", "5x + y", X, Y).shape == (3, 4, 2, 2)


@pytest.mark.parametrize("r, theta", [(0.3, 0.1), (1.0, 2.0), (2.5, -1.0), (4.0, 5.5)])
def test_polar_coordinates_scale_area_by_r(r, theta):
    assert maps.area_scale("x cos(y)", "x sin(y)", r, theta) == pytest.approx(r, rel=1e-12)


@pytest.mark.parametrize("u, v, det", [("x + 0.8 y", "y", 1.0), ("2x - 3y", "5x + y", 17.0),
                                       ("-x", "y", -1.0), ("0.5 x", "3 y", 1.5)])
def test_a_linear_map_scales_every_square_by_its_determinant(u, v, det):
    for x0, y0, side in ((0.0, 0.0, 1.0), (-1.3, 0.7, 0.25), (2.0, -3.0, 2.0)):
        assert maps.image_area(u, v, x0, y0, side) == pytest.approx(abs(det) * side**2,
                                                                   rel=1e-12)


@pytest.mark.parametrize("r0, theta0, side", [(1.0, 0.0, 0.5), (0.5, 1.0, 1.0),
                                              (2.0, 3.0, 0.1)])
def test_the_image_of_a_polar_square_is_its_sector_of_a_ring(r0, theta0, side):
    # [r0, r0 + s] × [θ0, θ0 + s] maps onto a piece of a ring of area (r1² − r0²) s / 2
    exact = ((r0 + side) ** 2 - r0**2) * side / 2
    assert maps.image_area("x cos(y)", "x sin(y)", r0, theta0, side, samples=4000) == \
        pytest.approx(exact, rel=1e-5)


def test_a_shrinking_square_tends_to_abs_det_j_times_its_area():
    steps = list(maps.shrinking_squares("exp(x) cos(y)", "exp(x) sin(y)", 0.2, 0.6, 0.8,
                                        steps=10))
    gaps = [abs(s.ratio - 1) for s in steps]
    assert gaps[0] > 0.3 and gaps[-1] < 0.01
    assert all(b < a for a, b in zip(gaps, gaps[1:], strict=False))
    assert steps[-1].predicted == pytest.approx(math.exp(0.4) * steps[-1].side ** 2)


def test_the_fold_is_where_det_j_is_zero():
    fold = maps.fold_segments("x^2", "y", (-2.0, 2.0, -2.0, 2.0))
    assert len(fold) > 10 and np.abs(fold[:, 0]).max() < 0.05
    assert len(maps.fold_segments("x + 0.8 y", "y", (-2.0, 2.0, -2.0, 2.0))) == 0


def test_a_point_is_found_from_its_image():
    found = maps.preimage("x cos(y)", "x sin(y)", (0.5, 0.5), (1.0, 0.8))
    assert found == pytest.approx((math.sqrt(0.5), math.pi / 4), abs=1e-9)
    assert maps.preimage("x^2", "y", (-1.0, 0.5), (0.8, 0.5)) is None  # nothing maps there


PATHS = [
    ("x^2 + y^2", "cos(t)", "sin(t)", x**2 + y**2, sp.cos(t), sp.sin(t)),
    ("x^2 y", "cos(t)", "sin(t)", x**2 * y, sp.cos(t), sp.sin(t)),
    ("x^2 - y^2", "t", "0.5 t", x**2 - y**2, t, 0.5 * t),
    ("exp(-(x^2 + y^2))", "(2 - t) cos(3 t) / 2", "(2 - t) sin(3 t) / 2",
     sp.exp(-(x**2 + y**2)), (2 - t) * sp.cos(3 * t) / 2, (2 - t) * sp.sin(3 * t) / 2),
    ("sin(x) cos(y)", "t", "1 - t", sp.sin(x) * sp.cos(y), t, 1 - t),
    ("x y", "t^2", "t^3", x * y, t**2, t**3),
    ("exp(x) y", "log(1 + t^2)", "sin(t)", sp.exp(x) * y, sp.log(1 + t**2), sp.sin(t)),
    ("x^3 + y", "cos(2t)", "t", x**3 + y, sp.cos(2 * t), t),
    ("sqrt(1 + x^2 + y^2)", "t", "t", sp.sqrt(1 + x**2 + y**2), t, t),
    ("atan(x) + y^2", "exp(-t)", "t", sp.atan(x) + y**2, sp.exp(-t), t),
    ("x / (1 + y^2)", "sin(t)", "cos(t)", x / (1 + y**2), sp.sin(t), sp.cos(t)),
    ("tanh(x y)", "t", "2 - t", sp.tanh(x * y), t, 2 - t),
    ("log(2 + x + y)", "t^2", "t", sp.log(2 + x + y), t**2, t),
    ("x^2 + 3x y", "1 + t", "1 - t", x**2 + 3 * x * y, 1 + t, 1 - t),
    ("sin(x y)", "t", "t^2", sp.sin(x * y), t, t**2),
    ("cos(x) + sin(y)", "3 t", "-2 t", sp.cos(x) + sp.sin(y), 3 * t, -2 * t),
    ("(x - y)^2", "cos(t)", "sin(2t)", (x - y) ** 2, sp.cos(t), sp.sin(2 * t)),
    ("x^4 - y^4", "t", "t", x**4 - y**4, t, t),
    ("exp(x + y)", "t", "-t", sp.exp(x + y), t, -t),
    ("x sin(y)", "t^3", "pi t", x * sp.sin(y), t**3, sp.pi * t),
]


@pytest.mark.parametrize("f, xt, yt, sf, sx, sy", PATHS, ids=[p[0][:20] for p in PATHS])
def test_the_total_derivative_agrees_with_sympy_and_a_difference(f, xt, yt, sf, sx, sy):
    along = sf.subs({x: sx, y: sy})
    exact = sp.diff(along, t)
    for t0 in (0.3, 0.9, 1.7):
        want = float(exact.subs(t, t0).evalf())
        got = maps.total_derivative(f, xt, yt, t0)
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12)
        h = 1e-6
        quotient = float((along.subs(t, t0 + h) - along.subs(t, t0 - h)).evalf()) / (2 * h)
        assert got == pytest.approx(quotient, rel=1e-5, abs=1e-7)


def test_a_circle_round_a_bowl_keeps_f_constant():
    ts = np.linspace(0, 2 * np.pi, 50)
    np.testing.assert_allclose(maps.total_derivative("x^2 + y^2", "cos(t)", "sin(t)", ts), 0,
                               atol=1e-12)


def test_a_walk_along_the_path_says_the_rate_at_each_step():
    steps = list(maps.path_steps("x^2 y", "cos(t)", "sin(t)", 0.0, 1.0, 10))
    assert len(steps) == 11 and steps[0].t == 0.0 and steps[-1].t == 1.0
    for s in steps:
        assert s.rate == pytest.approx(
            s.gradient[0] * s.velocity[0] + s.gradient[1] * s.velocity[1])
        assert s.value == pytest.approx(math.cos(s.t) ** 2 * math.sin(s.t))


def _compositions():
    """Each built-in chain composed by hand in sympy: (the inputs, the composition)."""
    w = sp.Symbol("w", real=True)
    return [((t,), [(sp.cos(t)) ** 2 * sp.sin(t)]),
            ((x, y), [(x + y) ** 2 + x * y]),
            ((x, y), [x**2 * sp.cos(y), x**2 * sp.sin(y)]),
            ((w,), [(sp.tanh(w - 1.2) - 0) ** 2])]


@pytest.mark.parametrize("k", range(len(maps.CHAINS)))
def test_the_chains_product_is_the_jacobian_of_the_composition(k):
    chain = maps.CHAINS[k]
    symbols, composed = _compositions()[k]
    exact = sp.Matrix(composed).jacobian(list(symbols))
    want = np.array(exact.subs(dict(zip(symbols, chain.point, strict=True))).evalf(),
                    dtype=float)
    result = maps.chain_jacobians(chain, chain.point)
    assert [J.shape for J in result.factors] == [
        (b, a) for a, b in zip(chain.shapes, chain.shapes[1:], strict=False)]
    np.testing.assert_allclose(result.product, want, rtol=1e-10, atol=1e-12)
    assert len(result.values) == len(chain.stages) + 1


def test_a_chain_refuses_the_wrong_number_of_inputs():
    with pytest.raises(ValueError, match="input"):
        maps.chain_jacobians(maps.CHAINS[1], (1.0,))


def test_the_neurons_gradient_agrees_with_finite_differences():
    for w, b in ((2.3, -1.2), (-1.0, 0.5), (0.3, 2.0)):
        dw, db = maps.neuron_gradient(w, b)
        h = 1e-6
        assert dw == pytest.approx((maps.neuron_cost(w + h, b) - maps.neuron_cost(w - h, b))
                                   / (2 * h), rel=1e-6, abs=1e-9)
        assert db == pytest.approx((maps.neuron_cost(w, b + h) - maps.neuron_cost(w, b - h))
                                   / (2 * h), rel=1e-6, abs=1e-9)


def test_the_neuron_learns_not_from_the_courses_start():
    start = maps.neuron_step(*maps.NEURON_START)
    assert start.outputs == pytest.approx((math.tanh(-1.2), math.tanh(1.1)))
    assert start.cost == pytest.approx((math.tanh(-1.2) - 1) ** 2 + math.tanh(1.1) ** 2)
    steps = list(maps.neuron_descent(steps=300))
    last = steps[-1]
    assert last.outputs[0] > 0.9 and abs(last.outputs[1]) < 0.1 and last.cost < 0.01
    # the chain's factors give the gradient: Σ ∂C/∂a · ∂a/∂z · ∂z/∂w
    assert sum(a * b * c for a, b, c in last.chain) == pytest.approx(last.gradient[0])
    # each step is the last one moved against its gradient
    a, b = steps[5], steps[6]
    assert b.w == pytest.approx(a.w - maps.NEURON_RATE * a.gradient[0])
    with pytest.raises(ValueError, match="learning rate"):
        next(maps.neuron_descent(rate=-1))


@pytest.mark.parametrize("u, v, which", [("x +", "y", "u:"), ("x", "sin(", "v:"),
                                         ("import os", "y", "u:"), ("x", "z", "v:")])
def test_a_bad_formula_names_which_one_to_fix(u, v, which):
    with pytest.raises(ExpressionError) as info:
        maps.parse_map(u, v)
    assert str(info.value).startswith(which)
