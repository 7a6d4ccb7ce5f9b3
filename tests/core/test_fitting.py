"""The fitting core: the course's numbers, derivatives, CSV parsing, the line."""

from __future__ import annotations

import numpy as np
import pytest

from mlcalc_gui.core import fitting as fit
from mlcalc_gui.core.calculus import Diverged, numerical_gradient
from mlcalc_gui.core.verdict import Level


def test_heights_data_is_the_course_histogram():
    x, y = fit.heights_data()
    assert len(x) == 100 and x[0] == 51.25 and x[-1] == 298.75
    assert np.allclose(np.diff(x), 2.5)
    assert np.sum(y) * 2.5 == pytest.approx(1.0)
    nonzero = np.nonzero(y)[0]
    assert len(nonzero) == 16 and x[nonzero[0]] == 161.25 and x[nonzero[-1]] == 198.75
    raw = np.array([0.031, 0.013, 0.023, 0.064, 0.065, 0.126, 0.132, 0.127, 0.113, 0.091,
                    0.105, 0.050, 0.018, 0.018, 0.018, 0.001])
    assert np.allclose(y[nonzero], raw / (raw.sum() * 2.5))


def test_course_descent_reaches_the_least_squares_minimum():
    steps = list(fit.steepest_descent(155, 6, 2000, 50))
    assert len(steps) == 51 and steps[0].mu == 155 and steps[0].sigma == 6
    assert steps[0].chi2 == pytest.approx(0.032, abs=0.0005)
    last = steps[-1]
    assert last.mu == pytest.approx(178.5, abs=0.05)
    assert last.sigma == pytest.approx(7.55, abs=0.01)
    assert last.chi2 == pytest.approx(4.4e-4, rel=0.01)
    mu, sigma, chi2 = fit.least_squares_fit(*fit.heights_data())
    assert (last.mu, last.sigma) == pytest.approx((mu, sigma), abs=1e-4)
    assert last.chi2 == pytest.approx(chi2, rel=1e-6)
    # The least-squares minimum has zero gradient.
    assert np.abs(fit.chi_squared_jacobian(*fit.heights_data(), mu, sigma)).max() < 1e-9


def test_without_the_empty_bins_the_descent_ends_elsewhere():
    x, y = fit.heights_data()
    keep = y > 0
    last = list(fit.steepest_descent(155, 6, 2000, 50, data=(x[keep], y[keep])))[-1]
    assert last.mu == pytest.approx(174.7, abs=0.1)
    assert last.sigma == pytest.approx(12.4, abs=0.1)


def test_each_step_is_minus_aggression_times_the_jacobian():
    steps = list(fit.steepest_descent(160, 9, 500, 5))
    x, y = fit.heights_data()
    for a, b in zip(steps, steps[1:], strict=False):
        J = fit.chi_squared_jacobian(x, y, a.mu, a.sigma)
        assert np.allclose(a.jacobian, J)
        assert np.allclose(np.subtract(b.params, a.params), -500 * J)


def test_derivatives_against_finite_differences():
    rng = np.random.default_rng(0)
    x, y = fit.heights_data()
    for _ in range(10):
        xv, mu, s = rng.uniform(150, 210), rng.uniform(160, 190), rng.uniform(3, 20)
        num = numerical_gradient(lambda m, sg, xv=xv: fit.gaussian(xv, m, sg), (mu, s), h=1e-5)
        assert fit.dgaussian_dmu(xv, mu, s) == pytest.approx(num[0], rel=1e-6, abs=1e-12)
        assert fit.dgaussian_dsigma(xv, mu, s) == pytest.approx(num[1], rel=1e-6, abs=1e-12)
        num_chi = numerical_gradient(lambda m, sg: fit.chi_squared(x, y, m, sg), (mu, s))
        assert np.allclose(fit.chi_squared_jacobian(x, y, mu, s), num_chi, rtol=1e-5,
                           atol=1e-12)


def test_gaussian_is_normalised():
    xs = np.linspace(100, 260, 20001)
    assert np.trapezoid(fit.gaussian(xs, 178, 7.5), xs) == pytest.approx(1.0)


def test_chi_squared_grid_matches_pointwise():
    x, y = fit.heights_data()
    mus, sigmas = np.array([160.0, 178.5]), np.array([5.0, 7.55, 20.0])
    Z = fit.chi_squared_grid(x, y, mus, sigmas)
    assert Z.shape == (3, 2)
    assert Z[1, 1] == pytest.approx(fit.chi_squared(x, y, 178.5, 7.55))


def test_a_divergent_aggression_stops_with_a_message():
    seen = []
    with pytest.raises(Diverged, match="σ became"):
        for s in fit.steepest_descent(178, 15, 30_000, 50):
            seen.append(s)
    assert all(s.sigma > 0 and np.isfinite(s.chi2) for s in seen)


def test_check_derivative_right_and_wrong():
    assert fit.check_derivative(fit.dgaussian_dmu, "mu").ok
    assert fit.check_derivative(fit.dgaussian_dsigma, "sigma").ok
    wrong = fit.check_derivative(lambda x, m, s: fit.gaussian(x, m, s) * (x - m) / s, "mu")
    assert not wrong.ok and "Not yet" in wrong.message and wrong.worst is not None
    assert wrong.yours != pytest.approx(wrong.truth)
    swapped = fit.check_derivative(fit.dgaussian_dmu, "sigma")
    assert not swapped.ok


def test_linear_fit_matches_polyfit():
    rng = np.random.default_rng(3)
    x = rng.uniform(-5, 5, 30)
    y = 1.7 * x - 0.4 + rng.normal(0, 0.5, 30)
    m, c = fit.linear_fit(x, y)
    pm, pc = np.polyfit(x, y, 1)
    assert (m, c) == pytest.approx((pm, pc), rel=1e-12)
    with pytest.raises(ValueError):
        fit.linear_fit([1.0, 1.0], [2.0, 3.0])


def test_line_descent_converges_to_the_closed_form():
    x, y = fit.SAMPLE_POINTS.T
    m, c = fit.linear_fit(x, y)
    H = 2 * np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), len(x)]])
    rate = 1.0 / np.linalg.eigvalsh(H)[-1]
    last = list(fit.line_descent(0.0, 0.0, rate, 5000, x, y))[-1]
    assert last.params == pytest.approx((m, c), abs=1e-6)
    assert np.allclose(fit.line_chi_squared_jacobian(x, y, m, c), 0, atol=1e-9)


# ---- CSV ----------------------------------------------------------------------------------
def test_raw_measurements_are_binned(tmp_path):
    path = tmp_path / "raw.csv"
    path.write_text("height\n170.1\n171.3\n175\n182.4\n171.0\n")
    hist = fit.load_data_file(path, bin_width=2.5)
    assert hist.width == 2.5
    assert np.sum(hist.density) * 2.5 == pytest.approx(1.0)
    k = np.argmin(np.abs(hist.centres - 171.25))
    assert hist.density[k] == pytest.approx(3 / 5 / 2.5)  # 170.1, 171.3, 171.0
    assert hist.density[0] == 0 and hist.density[-1] == 0  # empty bins either side


def test_a_histogram_file_keeps_its_bins_and_fills_gaps(tmp_path):
    path = tmp_path / "hist.csv"
    path.write_text("10,2\n12,4\n16,2\n")  # bin 14 missing: empty
    hist = fit.load_data_file(path)
    assert np.allclose(hist.centres, [10, 12, 14, 16]) and hist.width == 2
    assert np.allclose(hist.density, np.array([2, 4, 0, 2]) / (8 * 2))


@pytest.mark.parametrize("text, line, column, words", [
    ("", None, None, "no numbers"),
    ("\n\n", None, None, "no numbers"),
    ("height\n170\nabc\n", 3, 1, "not a number"),
    ("170\nnan\n", 2, 1, "finite"),
    ("170,5\n172.5,-3\n", 2, 2, "negative"),
    ("171\n", None, None, "single value"),
    ("171\n171\n", None, None, "single value"),
    ("170,5\n", 1, None, "single bin"),
    ("170,5\n172.5\n", 2, None, "values where the file has 2"),
    ("1,2,3\n", 1, None, "3 columns"),
    ("170,1\n170,2\n", None, None, "same bin centre"),
    ("170,1\n171,2\n173.5,1\n", None, None, "equally spaced"),
    ("170,0\n172.5,0\n", None, None, "zero"),
])
def test_malformed_files_name_the_problem(tmp_path, text, line, column, words):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(fit.DataError) as info:
        fit.load_data_file(path)
    assert words in str(info.value)
    assert info.value.line == line and info.value.column == column
    if line is not None:
        assert f"line {line}" in str(info.value)


def test_huge_files_are_refused_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as fh:  # ten million rows, written sparsely
        fh.truncate(10_000_000 * 6)
    with pytest.raises(fit.DataError, match="MB"):  # before reading it (guard_max_ms)
        fit.load_data_file(path)


def test_too_many_rows_are_refused(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("1\n" * (fit.MAX_ROWS + 5))
    with pytest.raises(fit.DataError, match="too many"):
        fit.load_data_file(path)


def test_binary_and_missing_files(tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x81")
    with pytest.raises(fit.DataError, match="not a text file.*export it"):
        fit.load_data_file(path)
    with pytest.raises(fit.DataError, match="cannot open"):
        fit.load_data_file(tmp_path / "missing.csv")


def test_points_csv():
    pts = fit.parse_points_text("x,y\n1,2\n3,4.5\n")
    assert pts.tolist() == [[1, 2], [3, 4.5]]
    with pytest.raises(fit.DataError, match="two"):
        fit.parse_points_text("1\n2\n")
    with pytest.raises(fit.DataError, match="different x"):
        fit.parse_points_text("1,2\n1,3\n")


# ---- numbers a fit cannot use, and how a run ended -----------------------------------------
@pytest.mark.parametrize("text", ["1e308\n1.5e308\n1.7e308\n", "1e308,1\n1.1e308,2\n",
                                  "-1.7e308\n1.7e308\n170\n"])
def test_values_too_large_to_square_are_refused_with_a_hint(text):
    """Values near 1e308 overflowed in the spread and left the tab half-updated."""
    with pytest.raises(fit.DataError, match=r"beyond ±1e\+12: rescale") as info:
        fit.parse_data_text(text)
    assert info.value.line == 1 and len(str(info.value)) < 200


def test_bins_wider_than_the_data_say_which_width_to_choose():
    """Bin width 1000 put every measurement in one bin and the fit raised LinAlgError."""
    text = "\n".join(f"{v:.1f}" for v in np.random.default_rng(0).normal(165, 6, 500))
    with pytest.raises(fit.DataError, match="all 500 measurements in 1 bin") as info:
        fit.parse_data_text(text, 1000)
    assert "bin width below 3" in str(info.value)
    with pytest.raises(fit.DataError, match="2 bins with counts"):
        fit.parse_data_text("150,3\n152.5,0\n155,4\n")
    with pytest.raises(fit.DataError, match="1,000,000,000,001 bins"):
        fit.parse_data_text("0,1\n1,1\n1e12,1\n")
    assert len(fit.parse_data_text(text, 10).centres) == 15


def test_a_problem_is_made_in_the_worker_and_refused_if_no_gaussian_fits(tmp_path):
    path = tmp_path / "raw.csv"
    path.write_text("\n".join(f"{v:.1f}" for v in np.random.default_rng(0).normal(165, 6, 500)))
    problem = fit._finish(fit.problem_steps(path, "gaussian", 2.5))
    assert problem.best == pytest.approx((165, 6), abs=1)
    with pytest.raises(fit.DataError, match="no Gaussian fits these bins of 30"):
        fit._finish(fit.problem_steps(path, "gaussian", 30))


def test_least_squares_survives_a_flat_model():
    """A start where the model is flat over the data made the normal matrix singular."""
    x = np.array([0.0, 1000.0, 2000.0])
    mu, sigma, chi2 = fit.least_squares_fit(x, np.array([0.0, 1e-3, 0.0]), start=(1e6, 1.0))
    assert np.isfinite(chi2) and (mu, sigma) == (1e6, 1.0)


def test_a_run_is_judged_against_the_least_squares_minimum():
    problem = fit.GaussianProblem()

    def judge(aggression, steps, wrong=False, dmu=None):
        run = list(problem.descent((155.0, 6.0), aggression, steps, (dmu, None)))
        return fit.judge_descent(problem, run[0], run[-1], aggression, wrong)

    course = judge(2000, 50)
    assert not course.astray and "reached the least-squares minimum" in course.message
    short = judge(2000, 10)
    assert not short.astray and "74 % of the way down" in short.message
    # Aggression 1e7 ended "Done, χ² = 0.0153" at μ = 4785 cm: read as success.
    wild = judge(1e7, 50)
    assert wild.astray and wild.verdict.level is Level.ERROR
    assert wild.message.startswith("Went astray")
    assert "far off the map" in wild.message and "aggression 1e+07 is too large" in wild.message
    assert "misses the data" in wild.message
    wrong = judge(2000, 50, True, lambda x, m, s: fit.gaussian(x, m, s) * (x - m) / s)
    assert wrong.astray and "your derivative is not the true one" in wrong.message


def test_the_line_defaults_reach_the_minimum_and_messages_say_aggression():
    """The default 60 steps stopped short; a divergence spoke of a 'learning rate'."""
    line = fit.LineProblem()
    assert line.default_aggression() < line.stable_limit() == pytest.approx(0.00315, abs=1e-5)
    run = list(line.descent(line.default_start(), line.default_aggression(),
                            line.default_steps))
    assert len(run) - 1 == line.default_steps <= 1000
    assert "reached the least-squares minimum" in fit.judge_descent(
        line, run[0], run[-1], line.default_aggression()).message
    with pytest.raises(Diverged, match="the aggression 0.004 is too large") as info:
        list(line.descent(line.default_start(), 0.004, 200))
    assert "learning rate" not in str(info.value)


def test_your_derivative_may_use_f_and_says_how_when_empty():
    from mlcalc_gui.core.expressions import ExpressionError

    right = fit.parse_derivative("f (x - μ)/σ^2")
    assert fit.check_derivative(right, "mu").ok
    assert fit.check_derivative(fit.parse_derivative("f ((x-mu)^2/sigma^3 - 1/sigma)"),
                                "sigma").ok
    with pytest.raises(ExpressionError) as info:
        fit.parse_derivative("  ")
    assert "x, mu, sigma and f" in str(info.value) and "y" not in str(info.value)
    with pytest.raises(ExpressionError, match="'y'"):
        fit.parse_derivative("y + x")


def test_the_chi2_picture_is_log_chi2_over_the_map_with_its_least_at_the_fit():
    problem = fit.GaussianProblem()
    picture = fit.chi2_picture(problem)
    a, b, Z = picture.grid
    j, i = np.unravel_index(np.nanargmin(Z), Z.shape)
    assert Z[j, i] == pytest.approx(np.log10(problem.chi2((a[i], b[j]))))
    cell = (a[1] - a[0], b[1] - b[0])  # the grid's least is the cell round the fit
    assert abs(a[i] - problem.best[0]) <= cell[0] and abs(b[j] - problem.best[1]) <= cell[1]
    assert picture.note.startswith("Colours span log₁₀ χ² from ")
    assert len(picture.contours) > 100
