"""The sympy-free first sketch agrees with the full parse: values and slopes (forward-mode
differentiation against sympy's exact derivative), and refuses what it does not know."""

from __future__ import annotations

import numpy as np
import pytest

from mlcalc_gui.core.derivatives import PRESETS
from mlcalc_gui.core.expressions import parse_function
from mlcalc_gui.core.sketch import sketch

MORE = ("sigmoid(3x) - tanh(x)", "x^x", "2^x + log10(x^2 + 1)", "sqrt(x^2 + 1) log2(3 + x)",
        "sec(x) + csc(x) + cot(x)", "asin(x/3) + acos(x/4) + atan(x)",
        "asinh(x) + acosh(x^2 + 2) + atanh(x/5)", "cosh(x) sinh(x) / exp(x)",
        "-(x - 1)^-2 + e pi", "ln(abs(x)) + tan(x/3)", "(x^2 - 1)^(1/3)", "3", "+x")


@pytest.mark.parametrize("text, domain", [(p.text, p.domain) for p in PRESETS]
                         + [(t, (-2.9, 3.1)) for t in MORE])
def test_the_sketch_is_f_and_its_slope(text, domain):
    xs = np.linspace(*domain, 401)
    f = parse_function(text, ("x",))
    values, slopes = sketch(text)(xs)
    exact, exact_slopes = f(xs), f.gradient(xs)[0]
    assert values.shape == slopes.shape == xs.shape
    both = np.isfinite(values) & np.isfinite(exact)
    assert np.array_equal(np.isfinite(values), np.isfinite(exact))  # undefined alike
    assert both.sum() > 150  # (x^x is real for x > 0 only)
    np.testing.assert_allclose(values[both], exact[both], rtol=1e-10, atol=1e-12)
    ok = both & np.isfinite(slopes) & np.isfinite(exact_slopes)
    assert ok.sum() > 150
    np.testing.assert_allclose(slopes[ok], exact_slopes[ok], rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("text", ["", "  ", "sign(x)", "x y", "x +", "__import__('os')",
                                  "x.real", "(lambda: 1)()", "foo(x)", "x" * 500,
                                  "sin(x, x)"])
def test_what_it_does_not_know_gives_no_sketch(text):
    assert sketch(text) is None


def test_hostile_sizes_are_bounded():
    xs = np.linspace(-2, 2, 11)
    values, slopes = sketch("9^9^9 + x^1000000")(xs)  # floats overflow: nan, never a hang
    assert not np.isfinite(values).any()
    assert sketch("(" * 60 + "x" + ")" * 60) is None  # too deep (the parser's own limit)


def test_the_sketch_needs_no_sympy():
    """Its point: it is drawn before sympy is imported."""
    import subprocess
    import sys

    code = ("import sys; from mlcalc_gui.core.sketch import sketch; "
            "v, s = sketch('x^3 - 2x')([1.0]); assert (v[0], s[0]) == (-1.0, 1.0); "
            "print('sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip() == "False"
