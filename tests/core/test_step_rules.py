"""Step rules: the course's strategies, shared, and a learner's step typed in J and H,
read by the safe parser's front end with its shapes checked before it runs."""

from __future__ import annotations

import numpy as np
import pytest

from mlcalc_gui.core.expressions import ExpressionError
from mlcalc_gui.core.step_rules import STEP_EXAMPLES, STRATEGIES, parse_step

J = np.array([0.6, -1.2])
H = np.array([[2.0, 0.5], [0.5, 3.0]])


@pytest.mark.parametrize("text, expected", [
    ("-0.3 J", -0.3 * J),
    ("-0.3*J", -0.3 * J),
    ("-H^-1 J", -np.linalg.solve(H, J)),
    ("-(H + 2 I)^-1 J", -np.linalg.solve(H + 2 * np.eye(2), J)),
    ("-J / sqrt(J J)", -J / np.hypot(*J)),
    ("H J", H @ J),
    ("J H", J @ H),
    ("H^2 J / 10", H @ H @ J / 10),
    ("(J J) J", (J @ J) * J),
    ("-Jx (H J) / Hyy", -J[0] * (H @ J) / H[1, 1]),
    ("-exp(-Hxx) J + Hxy^2 J", -np.exp(-2.0) * J + 0.25 * J),
    ("-2 sigmoid(Jy) J", -2 / (1 + np.exp(1.2)) * J),
])
def test_a_typed_step_is_the_vector_the_maths_says(text, expected):
    np.testing.assert_allclose(parse_step(text)(J, H), expected, rtol=1e-12)


def test_typed_newton_and_steepest_are_the_course_strategies():
    rng = np.random.default_rng(5)
    for _ in range(20):
        j = rng.normal(size=2)
        a = rng.normal(size=(2, 2))
        h = a @ a.T + np.eye(2)
        np.testing.assert_allclose(parse_step("-H^-1 J")(j, h), STRATEGIES["newton"](j, h),
                                   rtol=1e-10)
        np.testing.assert_allclose(parse_step("-0.5 J")(j, h), STRATEGIES["steepest"](j, h))


@pytest.mark.parametrize("text, words", [
    ("", "type a step"),
    ("Jx", "is a number"),
    ("H", "is a matrix"),
    ("J J", "is a number"),
    ("J + 1", "a vector + a number"),
    ("H - J", "a matrix − a vector"),
    ("J / J", "divide by a number only"),
    ("J^2", "cannot be raised"),
    ("H^0.5 J", "whole number"),
    ("H^100 J", "whole number"),
    ("sin(J)", "takes a number, not a vector"),
    ("foo(J)", "unknown name"),
    ("x J", "unknown name"),
    ("J[0]", "not allowed"),
    ("__import__ J", "unknown name"),
    ("-0.3 J +", "ends with"),
    ("1e999 J", "too large"),
    ("-(" * 50 + "J" + ")" * 50, "nested"),
    ("J" + "+J" * 400, "too long"),
])
def test_a_step_that_is_not_a_step_is_refused_saying_why(text, words):
    with pytest.raises(ExpressionError) as info:
        parse_step(text)
    assert words in str(info.value)


def test_a_step_without_a_value_is_nan_not_an_exception():
    singular = np.array([[1.0, 1.0], [1.0, 1.0]])
    assert not np.all(np.isfinite(parse_step("-H^-1 J")(J, singular)))
    assert not np.all(np.isfinite(parse_step("log(Jy) J")(J, H)))  # log of a negative
    assert not np.all(np.isfinite(parse_step("-J / (Jx - 0.6)")(J, H)))


def test_the_examples_shown_to_the_learner_are_steps():
    for text, _ in STEP_EXAMPLES:
        assert parse_step(text)(J, H).shape == (2,)
