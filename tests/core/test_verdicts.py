"""The Hessian's verdict where eigenvalues are zero to the precision the point is known
to (#31, item 4): never "a minimum" from round-off, and what the values round the point
say when the test cannot decide."""

from __future__ import annotations

import numpy as np
import pytest

from mlcalc_gui.core.calculus import analyse_point, find_stationary_point
from mlcalc_gui.core.expressions import parse_function


@pytest.mark.parametrize("text, start, around", [
    ("x^3 + y^3", (0.5, 0.4), "no extremum"),
    ("x^3 - 3x y^2", (0.3, 0.2), "no extremum"),  # the monkey saddle
    ("x^4 + y^4", (0.3, 0.2), "minimum"),
    ("-(x^4 + y^4)", (0.3, 0.2), "maximum"),
    ("x^2 + y^4", (0.3, 0.2), "minimum"),
])
def test_newton_by_a_degenerate_point_lands_on_an_inconclusive_verdict(text, start, around):
    f = parse_function(text)
    found = find_stationary_point(f, start)
    assert found is not None and np.abs(found).max() < 1e-3  # by the origin, not on it
    a = analyse_point(f, found)
    assert a.verdict == "inconclusive"
    assert a.around == around
    assert any(a.flat)


@pytest.mark.parametrize("text, point, verdict", [
    ("x^2 + y^2", (0.0, 0.0), "minimum"),
    ("x^2 - y^2", (0.0, 0.0), "saddle"),
    ("-x^2 - 3y^2", (0.0, 0.0), "maximum"),
    ("x^2 + x^3 + y^2", (0.0, 0.0), "minimum"),  # a third derivative, a clear minimum
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (3.0, 2.0), "minimum"),
    ("0.01 x^2 + 0.01 y^2", (0.0, 0.0), "minimum"),  # shallow but certain
])
def test_clear_verdicts_stay_clear(text, point, verdict):
    a = analyse_point(parse_function(text), point)
    assert a.verdict == verdict and a.around == "" and not any(a.flat)


def test_a_finished_runs_verdict_is_a_level_not_a_sign_in_its_text():
    from mlcalc_gui.core.verdict import Level, Verdict, as_verdict

    assert Verdict("Done.").marked == "Done."
    assert Verdict("Went astray.", Level.ERROR).marked == "⚠ Went astray."
    assert Verdict("Stuck.", Level.WARNING).marked == "⚠ Stuck."
    # plain words are information, whatever they begin with: the level decides
    assert as_verdict("⚠ looks like a warning").level is Level.INFO
