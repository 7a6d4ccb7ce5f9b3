"""Week 1 core: differences against analytic derivatives, their error regimes, the rules
step by step against sympy, and the limit where it fails."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from mlcalc_gui.core.derivatives import (
    central_difference,
    check_answer,
    difference_errors,
    forward_difference,
    limit_verdict,
    rule_steps,
    secant_slope,
    shrink_h,
)
from mlcalc_gui.core.expressions import ExpressionError, parse_function


def f1(text: str):
    return parse_function(text, ("x",))


# ---- differences ---------------------------------------------------------------------------
def test_secant_of_a_parabola_is_exact_rise_over_run():
    # (x + h)^2 - x^2 = 2xh + h^2: the slope is 2x + h exactly.
    x = np.array([-1.0, 0.0, 2.0])
    h = np.array([[0.5], [0.25]])
    assert np.allclose(secant_slope(np.square, x, h), 2 * x + h)


def test_differences_are_vectorised_and_converge_at_their_order():
    x = np.linspace(-2, 2, 7)
    for h, fwd_tol, ctr_tol in ((1e-2, 1e-2, 1e-4), (1e-3, 1e-3, 1e-6)):
        assert np.allclose(forward_difference(np.sin, x, h), np.cos(x), atol=fwd_tol)
        assert np.allclose(central_difference(np.sin, x, h), np.cos(x), atol=ctr_tol)
    # central is exact (up to rounding) on a quadratic, forward is off by h
    assert np.allclose(central_difference(np.square, 3.0, 0.1), 6.0, atol=1e-12)
    assert forward_difference(np.square, 3.0, 0.1) == pytest.approx(6.1)


def test_error_regimes_have_slopes_1_2_and_minus_1():
    errors = difference_errors(f1("sin(x)"), 1.0)
    assert errors.exact == pytest.approx(math.cos(1.0))
    assert errors.truncation_forward == pytest.approx(1.0, abs=0.1)
    assert errors.truncation_central == pytest.approx(2.0, abs=0.15)
    assert errors.roundoff_forward == pytest.approx(-1.0, abs=0.3)
    assert errors.roundoff_central == pytest.approx(-1.0, abs=0.3)
    # the V's bottom: near sqrt(eps) for forward, eps^(1/3) for central
    assert 1e-10 < errors.best_forward < 1e-6
    assert 1e-8 < errors.best_central < 1e-3
    assert errors.central.min() < errors.forward.min()
    assert errors.hs[0] == 1.0 and errors.hs[-1] == pytest.approx(1e-16)


def test_exp_error_at_h_1e_minus_1_is_the_textbook_value():
    errors = difference_errors(np.exp, 0.0, [0.1], exact=1.0)
    assert errors.forward[0] == pytest.approx((math.exp(0.1) - 1) / 0.1 - 1)
    assert errors.central[0] == pytest.approx(math.sinh(0.1) / 0.1 - 1)


def test_h_to_zero_shrinks_geometrically_and_the_secant_meets_the_tangent():
    f = f1("x^3")
    records = list(shrink_h(f, 1.0, 1.0, exact=3.0))
    hs = [r.h for r in records]
    assert hs[0] == 1.0 and hs[-1] == pytest.approx(1e-6)
    assert all(b < a for a, b in zip(hs, hs[1:], strict=False))
    # slope of x^3 between 1 and 1+h is 3 + 3h + h^2
    for r in records:
        assert r.slope == pytest.approx(3 + 3 * r.h + r.h**2, rel=1e-6)
    assert records[-1].error < 1e-5


@pytest.mark.parametrize("text, x, words", [
    ("abs(x)", 0.0, "corner"),
    ("1/x", 0.0, "not defined"),
    ("sqrt(abs(x))", 0.0, "without bound"),
    ("x sin(1/x)", 0.0, "not defined"),
    ("log(x)", -1.0, "not defined"),
])
def test_where_the_limit_fails_it_says_why(text, x, words):
    assert words in limit_verdict(f1(text), x)


@pytest.mark.parametrize("text, x", [("abs(x)", 0.5), ("x^2", 0.0), ("1/x", 2.0),
                                     ("sin(x)", 0.0), ("x^3 - 2x", 1e-3)])
def test_where_the_derivative_exists_no_verdict(text, x):
    assert limit_verdict(f1(text), x) is None


# ---- the learner's answer ------------------------------------------------------------------
def test_your_turn_accepts_an_equal_form_and_locates_a_wrong_one():
    f = f1("x^2 sin(x)")
    right = check_answer(f, f1("2x sin x + x^2 cos x"), (-3, 3))
    assert right.right, right.message
    wrong = check_answer(f, f1("2x cos(x)"), (-3, 3))
    assert not wrong.right
    assert "yours is" in wrong.message and -3 <= wrong.worst_x <= 3


def test_your_turn_where_f_prime_is_infinite_at_a_checked_point():
    # x = 0 is one of the five points: f'(0) = −inf, where a finite answer gives inf / inf
    # and the right one inf − inf; neither may raise (warnings are errors in the tests).
    f = f1("1/x")
    right = check_answer(f, f1("-1/x^2"), (-2, 2), points=5)
    assert right.right, right.message
    wrong = check_answer(f, f1("0"), (-2, 2), points=5)
    assert not wrong.right
    assert "yours is 0" in wrong.message and wrong.worst_x in (-2, -1, 1, 2)


# ---- the rules -------------------------------------------------------------------------------
#: (function, the root's rule, the rules of the steps in walk order)
TEXTBOOK = [
    ("7", ["constant"]),
    ("x", ["power"]),
    ("x^5", ["power"]),
    ("1/x", ["power"]),
    ("sqrt(x)", ["power"]),
    ("3x^2", ["constant multiple", "power"]),
    ("x^2 + x", ["sum", "power", "power"]),
    ("x^3 - 2x", ["difference", "power", "constant multiple", "power"]),
    ("sin(x)", ["sin"]),
    ("cos(x)", ["cos"]),
    ("tan(x)", ["tan"]),
    ("exp(x)", ["exp"]),
    ("e^x", ["exp"]),
    ("log(x)", ["log"]),
    ("2^x", ["exponential"]),
    ("abs(x)", ["abs"]),
    ("x sin(x)", ["product", "power", "sin"]),
    ("x/(x+1)", ["quotient", "power", "sum", "constant", "power"]),
    ("sin(x^2)", ["chain", "power"]),
    ("x^x", ["general power", "power", "power"]),
]


@pytest.mark.parametrize("text, rules", TEXTBOOK)
def test_each_step_names_the_rule_a_textbook_names(text, rules):
    steps = rule_steps(text)
    assert sorted(s.rule for s in steps.steps) == sorted(rules)
    assert steps.root.rule == rules[0]


def test_the_chain_rule_names_its_outer_function_and_the_tree_mirrors_the_expression():
    steps = rule_steps("sin(cos(x^2))")
    root = steps.root
    assert (root.rule, root.outer) == ("chain", "sin")
    inner = root.children[0]
    assert (inner.rule, inner.outer) == ("chain", "cos")
    assert inner.expr == sp.cos(steps.function.symbols[0] ** 2)
    assert inner.children[0].rule == "power"
    assert [s.depth for s in steps.steps] == [0, 1, 2]
    assert "frac{d}{dx}" in root.latex and r"\cos" in root.latex


def test_the_walk_ends_at_the_result_and_starts_unevaluated():
    steps = rule_steps("x^2 sin(x)")
    x = steps.function.symbols[0]
    assert steps.working(0) == sp.Derivative(x**2 * sp.sin(x), x)
    assert not steps.working(len(steps.steps)).has(sp.Derivative)
    assert sp.simplify(steps.working(len(steps.steps)) - steps.result) == 0
    assert all(steps.working(k).has(sp.Derivative) for k in range(len(steps.steps)))


SIXTY = [
    "x^2", "x^3 - 2x", "sin x", "e^x", "1/x", "abs(x)", "x sin(1/x)", "sqrt(1 + x^2)",
    "(x^2 + 1)^3", "x/(x + 1)", "sigmoid(x)", "tanh(3x)", "log(x^2 + 1)", "exp(-x^2/2)",
    "x^x", "2^x", "log10(x)", "log2(x)", "sin(x)^2", "cos(x)^3", "sin(cos(tan(x)))",
    "(x + 1)(x - 1)(x + 2)", "x^2 e^x / (1 + x)", "(x sin x)/(1 + cos x)",
    "(sin x + x^2)/(x e^x + 1)", "exp(sin(x^2))", "log(cos(x)^2 + 2)", "atan(2x)", "asin(x/2)",
    "acos(x/3)", "sinh(x) cosh(x)", "asinh(x^2)", "acosh(x^2 + 2)", "atanh(x/4)",
    "sec(x)", "csc(x) + cot(x)", "x^(1/3) + x^(-2)", "sqrt(x) sqrt(x + 1)", "(x^2 - 1)^(-1/2)",
    "x^(sin x)", "(1 + 1/x)^x", "pi x^2 + e", "3 sin(2x) - 4 cos(3x)", "x^10 - x^9 + x",
    "exp(x) sin(x) cos(x)", "log(log(x^2 + 3))", "1/(1 + x^2)", "(2x + 1)/(3x - 4)^2",
    "x e^(-x)", "sin(x)/x", "tan(x)^2", "exp(exp(x))", "sqrt(sin(x)^2 + 1)",
    "abs(x^2 - 1)", "x abs(x)", "sigmoid(2x - 1)^2", "log(sigmoid(x))", "sin(pi x)/(pi x)",
    "(x - 1)^2 (x + 2)^3", "cos(sqrt(x^2 + 1))/x", "x^2 sin(x) + x cos(x) - 2",
    "10^x + x^10",
]


@pytest.mark.parametrize("text", SIXTY)
def test_rules_agree_with_sympy(text):
    steps = rule_steps(text)
    f = steps.function
    x = f.symbols[0]
    exact = f.expr.diff(x)
    rng = np.random.default_rng(1)
    xs = rng.uniform(0.1, 2.5, 25)
    got = np.array([complex(steps.result.subs(x, v).evalf()) for v in xs[:5]])
    want = np.array([complex(exact.subs(x, v).evalf()) for v in xs[:5]])
    assert np.allclose(got, want, rtol=1e-9, atol=1e-12)
    # every step's result is the derivative of its own sub-expression
    for step in steps.steps:
        gap = (step.result - step.expr.diff(x)).subs(x, sp.Rational(7, 5)).evalf()
        assert abs(complex(gap)) < 1e-9, (step.rule, step.expr)
    # the tree mirrors the expression: children are sub-expressions of their parent
    for step in steps.steps:
        for child in step.children:
            assert child.depth == step.depth + 1
    assert len(SIXTY) >= 60


def test_hostile_and_oversized_text_is_refused():
    for text in ("__import__('os')", "x.__class__", "<img src=/dev/zero>", "sin(" * 50 + "x"):
        with pytest.raises(ExpressionError):
            rule_steps(text)


def test_a_formula_too_big_for_the_step_limit_is_refused_with_a_message():
    text = " + ".join(f"sin({k}x) cos({k}x)" for k in range(1, 40))[:390]
    text = text[: text.rfind(" +")]
    with pytest.raises(ExpressionError, match="steps|longer"):
        rule_steps(text, time_limit=1e-4)


def test_the_quiz_graph_marked_f_prime_is_the_slope_of_f_and_the_others_differ():
    from mlcalc_gui.core.derivatives import quiz_question

    rng = np.random.default_rng(5)
    for _ in range(20):
        q = quiz_question(rng)
        slope = np.gradient(q.f_values, q.xs)
        right = q.values[q.answer]
        scale = np.ptp(right) + 1e-9
        assert np.max(np.abs(slope[2:-2] - right[2:-2])) < 0.02 * scale + 1e-3, q.f
        for k, other in enumerate(q.values):
            if k != q.answer:
                assert np.max(np.abs(other - right)) > 0.1 * scale, (q.f, q.roles[k])


def test_measurements_are_noisy_by_their_size_and_the_same_when_read_again():
    """Reality is hard (#33): f known only at points, each measured with noise."""
    from mlcalc_gui.core.derivatives import Measured

    f = parse_function("sin(x)", ("x",))
    m = Measured(f, 0.0, 1e-4, seed=3)
    xs = np.linspace(0.0, 1.0, 20001)
    noise = (m(xs) - np.sin(xs)) / 1e-4
    assert abs(noise.mean()) < 0.05 and noise.std() == pytest.approx(1.0, rel=0.05)
    np.testing.assert_array_equal(m(xs[:50]), m(xs[:50]))  # a measurement is made once
    assert not np.array_equal(Measured(f, 0.0, 1e-4, seed=4)(xs[:50]), m(xs[:50]))
    grid = Measured(f, 0.05)
    assert float(grid(0.31)) == pytest.approx(math.sin(0.3), abs=1e-15)  # the nearest point


def test_noise_takes_over_as_h_shrinks():
    from mlcalc_gui.core.derivatives import Measured

    f = parse_function("sin(x)", ("x",))
    clean = difference_errors(f, 1.0)
    noisy = difference_errors(Measured(f, 0.0, 1e-4), 1.0, exact=math.cos(1.0))
    assert noisy.roundoff_forward == pytest.approx(-1.0, abs=0.15)  # error ≈ noise / h
    # the best h is far larger than for exact values: about the square root of the noise
    assert 1e-3 < noisy.best_forward < 5e-2 and noisy.best_forward > 1e3 * clean.best_forward
    small = noisy.hs == noisy.hs[np.argmin(np.abs(noisy.hs - 1e-6))]
    assert 10 < noisy.forward[small][0] < 1000  # 1e-4 / 1e-6 = 100, give or take
    # on a grid, a run below its spacing reads one point twice: the slope is 0
    grid = difference_errors(Measured(f, 0.05), 1.0, exact=math.cos(1.0))
    assert grid.forward[-1] == pytest.approx(math.cos(1.0))
