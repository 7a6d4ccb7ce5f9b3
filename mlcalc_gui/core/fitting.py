"""Least-squares fitting by steepest descent on chi-squared: the course's second
assignment (a Gaussian fitted to a histogram of heights) and a straight line.

The Gaussian is the normalised f(x; mu, sigma) = exp(-(x - mu)^2 / (2 sigma^2)) /
(sigma sqrt(2 pi)); chi^2 = sum over bins (y_i - f(x_i))^2, empty bins included: the
model standing above an empty bin is an error too.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from mlcalc_gui.core.calculus import Diverged, gradient_descent
from mlcalc_gui.core.files import FileReadError, read_text_file
from mlcalc_gui.core.surfaces import LandscapePicture, picture_of_grid
from mlcalc_gui.core.verdict import Level, Verdict

__all__ = [
    "Histogram", "DataError", "heights_data", "load_data_file", "parse_data_text",
    "parse_points_text", "file_steps", "problem_steps", "data_steps", "points_steps",
    "gaussian", "dgaussian_dmu", "dgaussian_dsigma", "chi_squared", "chi_squared_jacobian",
    "chi_squared_grid", "FitStep", "steepest_descent", "least_squares_fit",
    "DerivativeCheck", "check_derivative", "parse_derivative", "linear_fit", "line_chi_squared",
    "line_chi_squared_jacobian", "line_descent", "SAMPLE_POINTS", "FitProblem",
    "GaussianProblem", "LineProblem", "moments", "FitOutcome", "judge_descent", "chi2_picture",
]

#: The course's heights histogram ships inside the package (``mlcalc_gui/data``), so an
#: installed wheel has it wherever it is run from.
HEIGHTS_RESOURCE = ("mlcalc_gui.data", "heights.csv")
#: Files larger than this are refused before they are read (ten million rows would be).
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 1_000_000
#: Values beyond this are refused (a session keeps numbers within the same bound): their
#: squares and spreads would overflow in chi-squared and in the fit's matrices.
MAX_MAGNITUDE = 1e12
#: A histogram of more bins than this is refused (it would be slow, and unreadable).
MAX_BINS = 20_000
#: A Gaussian's centre and spread need at least this many bins with counts.
MIN_FILLED_BINS = 3
#: A line's default run takes at most this many steps.
MAX_DEFAULT_STEPS = 5000
SQRT_2PI = math.sqrt(2 * math.pi)


# ---- data -------------------------------------------------------------------------------
class DataError(ValueError):
    """A data file that cannot be used; ``line`` and ``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        where = ""
        if line is not None:
            where = f"line {line}" + (f", column {column}" if column is not None else "") + ": "
        super().__init__(where + message)
        self.line = line
        self.column = column


@dataclass(frozen=True, eq=False)
class Histogram:
    """Bin centres and densities (area 1), equal bins of ``width``."""

    centres: np.ndarray
    density: np.ndarray
    width: float
    source: str = ""


def _normalise(centres: np.ndarray, heights: np.ndarray, width: float, source: str) -> Histogram:
    total = float(heights.sum())
    if total <= 0:
        raise DataError("every count is zero: there is nothing to fit")
    return Histogram(centres, heights / (total * width), width, source)


def heights_data() -> tuple[np.ndarray, np.ndarray]:
    """The course's heights histogram: (bin centres in cm, densities per cm).

    100 bins of 2.5 cm from 50 to 300 cm, the empty ones included, normalised so that
    the histogram's area is 1.
    """
    package, name = HEIGHTS_RESOURCE
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8-sig")
    hist = parse_data_text(text, 2.5, source=name)
    return hist.centres, hist.density


def load_data_file(path: str | os.PathLike, bin_width: float = 2.5) -> Histogram:
    """Read a CSV of raw measurements (one column) or of (bin centre, count) pairs.

    Raw measurements are binned with ``bin_width``; a histogram keeps its own bins.  A
    header row is optional.  Raises :class:`DataError` naming the line and column of the
    first problem; files over 20 MB are refused before reading.
    """
    return _finish(file_steps(path, "gaussian", bin_width))


def _split(line: str) -> list[str]:
    for sep in (",", ";", "\t"):
        if sep in line:
            return [f.strip() for f in line.split(sep)]
    return line.split()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


#: Lines parsed between two progress reports (and chances to cancel) of a file.
PROGRESS_LINES = 5000


def _finish(steps: Generator[float, None, Any]) -> Any:
    """Run a generator of progress fractions to its end; its return value."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def _read_rows(text: str, allowed: tuple[int, ...], describe: str
               ) -> Generator[float, None, tuple[np.ndarray, int]]:
    """Numeric rows of a CSV text: yields the fraction read every ``PROGRESS_LINES``
    lines, and returns (array of shape (rows, columns), first data line).

    A first row with no number is a header.  Every row must have the same number of
    values, one of ``allowed``; every value must be a finite number.
    """
    rows: list[list[float]] = []
    columns = None
    first_data_line = 0
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        if number % PROGRESS_LINES == 0:
            yield number / len(lines)
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = _split(line)
        if not rows and columns is None and not any(_is_number(f) for f in fields):
            columns = len(fields)  # a header: it fixes the column count
            continue
        if len(rows) >= MAX_ROWS:
            raise DataError(f"more than {MAX_ROWS:,} rows: too many to fit interactively")
        if columns is None:
            columns = len(fields)
        if columns not in allowed:
            raise DataError(f"{columns} columns; {describe}", number)
        if len(fields) != columns:
            raise DataError(f"{len(fields)} values where the file has {columns} per row",
                            number)
        values = []
        for col, field in enumerate(fields, start=1):
            try:
                value = float(field)
            except ValueError:
                raise DataError(f"'{field[:20]}' is not a number", number, col) from None
            if not math.isfinite(value):
                raise DataError(f"'{field[:20]}' is not a finite number", number, col)
            if abs(value) > MAX_MAGNITUDE:
                raise DataError(f"'{field[:20]}' is beyond ±{MAX_MAGNITUDE:g}: rescale this "
                                "column (other units, or subtract an offset) so that every "
                                "value is smaller", number, col)
            values.append(value)
        if not rows:
            first_data_line = number
        rows.append(values)
    if not rows:
        raise DataError("the file has no numbers")
    return np.array(rows), first_data_line


def data_steps(text: str, bin_width: float = 2.5, source: str = ""
               ) -> Generator[float, None, Histogram]:
    """:func:`parse_data_text` yielding the fraction parsed as it goes."""
    if not (np.isfinite(bin_width) and bin_width > 0):
        raise DataError("the bin width must be a positive number")
    data, first_line = yield from _read_rows(
        text, (1, 2), "use one (measurements) or two (bin centre, count)")
    if data.shape[1] == 1:
        return _bin_measurements(data[:, 0], bin_width, source)
    negative = np.nonzero(data[:, 1] < 0)[0]
    if negative.size:
        line = _data_line(text, int(negative[0]))
        raise DataError("a count cannot be negative", line, 2)
    return _histogram(data, first_line, source)


def points_steps(text: str) -> Generator[float, None, np.ndarray]:
    """:func:`parse_points_text` yielding the fraction parsed as it goes."""
    data, first_line = yield from _read_rows(text, (2,), "a line fit needs two: x and y")
    if len(data) < 2 or np.ptp(data[:, 0]) == 0:
        raise DataError("a line needs at least two points with different x", first_line)
    return data


def file_steps(path: str | Path, kind: str, bin_width: float = 2.5
               ) -> Generator[float, None, Histogram | np.ndarray]:
    """Read a data file for ``kind`` ("gaussian": a histogram, "line": points), yielding
    the fraction parsed as it goes (a worker can show it and cancel between)."""
    path = Path(path)
    try:
        text = read_text_file(path, MAX_FILE_BYTES, any_encoding=True)
    except FileReadError as exc:
        raise DataError(str(exc)) from None
    if kind == "gaussian":
        return (yield from data_steps(text, bin_width, source=path.name))
    return (yield from points_steps(text))


def parse_data_text(text: str, bin_width: float = 2.5, source: str = "") -> Histogram:
    """Parse CSV text (see :func:`load_data_file`)."""
    return _finish(data_steps(text, bin_width, source))


def parse_points_text(text: str) -> np.ndarray:
    """Points (x, y) for a line fit from CSV text: an array of shape (M, 2)."""
    return _finish(points_steps(text))


def _data_line(text: str, index: int) -> int:
    """The 1-based line number of the index-th data row (for messages)."""
    seen = -1
    header_done = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not header_done and not any(_is_number(f) for f in _split(line)):
            header_done = True
            continue
        header_done = True
        seen += 1
        if seen == index:
            return number
    return 0


def _bin_measurements(values: np.ndarray, width: float, source: str) -> Histogram:
    if values.size < 2 or np.ptp(values) == 0:
        raise DataError("a single value cannot show a spread: give at least two "
                        "different measurements")
    lo = math.floor(values.min() / width) * width
    hi = math.ceil(values.max() / width) * width
    span = hi - lo
    # Empty bins either side are part of chi-squared, as in the course.
    lo, hi = lo - span, hi + span
    n_bins = int(round((hi - lo) / width))
    if n_bins > MAX_BINS:
        raise DataError(f"bins of {width:g} would make {n_bins:,} bins (at most "
                        f"{MAX_BINS:,}): choose wider bins")
    edges = lo + width * np.arange(n_bins + 1)
    counts, _ = np.histogram(values, bins=edges)
    filled = int(np.count_nonzero(counts))
    if filled < MIN_FILLED_BINS:
        spread = float(np.std(values))
        raise DataError(f"bins of {width:g} put all {values.size:,} measurements in "
                        f"{filled} bin{'s' if filled > 1 else ''}: a Gaussian needs at least "
                        f"{MIN_FILLED_BINS} bins with counts. Choose a bin width below "
                        f"{spread / 2:.2g} (the measurements' spread is {spread:.3g})")
    return _normalise(edges[:-1] + width / 2, counts.astype(float), width, source)


def _histogram(data: np.ndarray, first_line: int, source: str) -> Histogram:
    if len(data) < 2:
        raise DataError("a single bin cannot show a spread: give at least two bins",
                        first_line)
    order = np.argsort(data[:, 0])
    centres, counts = data[order, 0], data[order, 1]
    steps = np.diff(centres)
    if np.any(steps == 0):
        raise DataError("two rows have the same bin centre")
    width = float(np.min(steps))
    if not np.allclose(steps / width, np.round(steps / width), atol=1e-6):
        raise DataError("the bin centres are not equally spaced")
    n_bins = int(round((centres[-1] - centres[0]) / width)) + 1
    if n_bins > MAX_BINS:
        raise DataError(f"bins {width:g} apart from {centres[0]:g} to {centres[-1]:g} make "
                        f"{n_bins:,} bins (at most {MAX_BINS:,}): check the bin centres")
    filled = int(np.count_nonzero(counts))
    if 0 < filled < MIN_FILLED_BINS:  # (none at all: said by _normalise)
        raise DataError(f"{filled} bin{'' if filled == 1 else 's'} with counts: a Gaussian "
                        f"needs at least {MIN_FILLED_BINS} to show its centre and spread")
    # Missing bins between rows are empty bins.
    full = centres[0] + width * np.arange(n_bins)
    heights = np.zeros(len(full))
    heights[np.round((centres - centres[0]) / width).astype(int)] = counts
    return _normalise(full, heights, width, source)


# ---- the Gaussian and chi-squared -------------------------------------------------------
def gaussian(x, mu, sigma):
    """The normalised Gaussian f(x; mu, sigma)."""
    return np.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * SQRT_2PI)


def dgaussian_dmu(x, mu, sigma):
    """df/dmu = f (x - mu) / sigma^2."""
    return gaussian(x, mu, sigma) * (x - mu) / sigma**2


def dgaussian_dsigma(x, mu, sigma):
    """df/dsigma = f ((x - mu)^2 / sigma^3 - 1 / sigma)."""
    return gaussian(x, mu, sigma) * ((x - mu) ** 2 / sigma**3 - 1 / sigma)


def chi_squared(x, y, mu, sigma) -> float:
    """sum over bins (y - f(x; mu, sigma))^2."""
    return float(np.sum((y - gaussian(x, mu, sigma)) ** 2))


Derivative = Callable[[np.ndarray, float, float], np.ndarray]
#: The variables a learner's derivative is written in.
DERIVATIVE_VARIABLES = ("x", "mu", "sigma")


def chi_squared_jacobian(x, y, mu, sigma, dmu: Derivative | None = None,
                         dsigma: Derivative | None = None) -> np.ndarray:
    """J = [dchi2/dmu, dchi2/dsigma] = [-2 sum (y - f) df/dmu, -2 sum (y - f) df/dsigma].

    ``dmu``/``dsigma`` replace the true df/dmu, df/dsigma (a learner's own, say).
    """
    residual = y - gaussian(x, mu, sigma)
    d_mu = (dmu or dgaussian_dmu)(x, mu, sigma)
    d_sigma = (dsigma or dgaussian_dsigma)(x, mu, sigma)
    return np.array([-2 * np.sum(residual * d_mu), -2 * np.sum(residual * d_sigma)])


def chi_squared_grid(x, y, mus: np.ndarray, sigmas: np.ndarray) -> np.ndarray:
    """chi^2 on a grid: ``Z[j, i]`` at (mus[i], sigmas[j])."""
    x = np.asarray(x, float)[None, :]
    y = np.asarray(y, float)[None, :]
    M = np.asarray(mus, float)[:, None]
    sigmas = np.asarray(sigmas, float)
    out = np.empty((sigmas.size, M.shape[0]))
    # A row at a time: the whole (sigma, mu, bin) cube would be 13 MB per temporary
    # for the tab's 120 x 140 grid of 100 bins, and several are alive at once.
    with np.errstate(over="ignore", under="ignore"):
        for j, sigma in enumerate(sigmas):
            out[j] = np.sum((y - gaussian(x, M, sigma)) ** 2, axis=-1)
    return out


@dataclass(frozen=True)
class FitStep:
    """One step of a fit: the parameters, chi^2 there and its Jacobian."""

    step: int
    params: tuple[float, float]
    chi2: float
    jacobian: tuple[float, float]

    @property
    def mu(self) -> float:
        return self.params[0]

    @property
    def sigma(self) -> float:
        return self.params[1]


def _descend(chi2, jac, start, aggression, steps, check=None,
             first_step: int = 0) -> Iterator[FitStep]:
    # The foundation's gradient_descent does the stepping and the divergence checks;
    # tol=0 takes every step asked for, as the course does.
    for record in gradient_descent(chi2, start, aggression, steps=steps, gradient=jac, tol=0,
                                   rate_name="aggression", first_step=first_step):
        if check is not None:
            check(record)
        yield FitStep(record.step, record.point, record.value, record.gradient)


def steepest_descent(mu: float, sigma: float, aggression: float, steps: int,
                     data: tuple[np.ndarray, np.ndarray] | None = None,
                     dmu: Derivative | None = None,
                     dsigma: Derivative | None = None,
                     first_step: int = 0) -> Iterator[FitStep]:
    """(mu, sigma) += -aggression * J, ``steps`` times, as a generator of :class:`FitStep`
    counted from ``first_step`` (a run continued from an earlier one).

    ``data`` is (bin centres, densities), the heights by default.  Raises
    :class:`Diverged` if sigma stops being positive or the numbers blow up.
    """
    x, y = data if data is not None else heights_data()

    def check(record) -> None:
        if not record.point[1] > 0:
            raise Diverged(f"σ became {record.point[1]:.3g} at step {record.step}: the "
                           "aggression is too large. Reduce it and try again.")

    yield from _descend(
        lambda m, s: _quiet(chi_squared, x, y, m, s),
        lambda m, s: _quiet(chi_squared_jacobian, x, y, m, s, dmu, dsigma),
        (mu, sigma), aggression, steps, check, first_step)


def _quiet(fn, *args):
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        return fn(*args)


def least_squares_fit(x, y, start: tuple[float, float] = (170.0, 10.0),
                      iterations: int = 200) -> tuple[float, float, float]:
    """The true least-squares minimum of chi^2 by Levenberg-Marquardt: (mu, sigma, chi2)."""
    p = np.array(start, dtype=float)
    lam = 1e-3
    current = chi_squared(x, y, *p)
    for _ in range(iterations):
        f = gaussian(x, *p)
        r = y - f
        J = np.column_stack([dgaussian_dmu(x, *p), dgaussian_dsigma(x, *p)])  # df/dp
        A = J.T @ J
        g = J.T @ r
        try:
            step = np.linalg.solve(A + lam * np.diag(np.diag(A)), g)
        except np.linalg.LinAlgError:  # the model is flat over the data here
            break
        trial = p + step
        value = chi_squared(x, y, *trial) if trial[1] > 0 else np.inf
        if value < current:
            p, lam = trial, lam / 3
            if current - value < 1e-18 * max(current, 1e-300):
                current = value
                break
            current = value
        else:
            lam *= 4
            if lam > 1e12:
                break
    return float(p[0]), float(p[1]), float(current)


# ---- "your turn": a learner's derivative, checked -------------------------------------
@dataclass(frozen=True)
class DerivativeCheck:
    ok: bool
    message: str
    worst: tuple[float, float, float] | None = None  # (x, mu, sigma)
    yours: float | None = None
    truth: float | None = None


def parse_derivative(text: str):
    """A learner's ∂f/∂μ or ∂f/∂σ as a Function of (x, mu, sigma): written in x, mu and
    sigma (or μ and σ), where ``f`` stands for the Gaussian itself, as the course writes
    it.  Raises ExpressionError with what to fix."""
    import sympy

    from mlcalc_gui.core.expressions import ExpressionError, Function, parse_function

    plain = text.replace("μ", "mu").replace("σ", "sigma")
    if not plain.strip():
        raise ExpressionError("write the derivative in x, mu, sigma and f (f is the "
                              "Gaussian itself), for example f x / sigma")
    written = parse_function(plain, variables=(*DERIVATIVE_VARIABLES, "f"))
    x, mu, sigma, f = written.symbols
    bell = sympy.exp(-(x - mu) ** 2 / (2 * sigma ** 2)) / (sigma * sympy.sqrt(2 * sympy.pi))
    return Function(written.expr.subs(f, bell), DERIVATIVE_VARIABLES, text)


def check_derivative(candidate: Derivative, which: str, samples: int = 60,
                     seed: int = 0) -> DerivativeCheck:
    """Compare a learner's df/dmu (``which="mu"``) or df/dsigma with the truth at random
    points x in 140..220 cm, mu in 150..200 cm, sigma in 3..30 cm."""
    truth_fn = dgaussian_dmu if which == "mu" else dgaussian_dsigma
    rng = np.random.default_rng(seed)
    mu = rng.uniform(150, 200, samples)
    sigma = rng.uniform(3, 30, samples)
    x = mu + sigma * rng.uniform(-2.5, 2.5, samples)
    truth = truth_fn(x, mu, sigma)
    with np.errstate(all="ignore"):
        yours = np.broadcast_to(np.asarray(candidate(x, mu, sigma), dtype=float), truth.shape)
    scale = np.abs(truth).max()
    err = np.abs(yours - truth) / np.maximum(np.abs(truth), 1e-3 * scale)
    err = np.where(np.isfinite(err), err, np.inf)
    k = int(np.argmax(err))
    name = "∂f/∂μ" if which == "mu" else "∂f/∂σ"
    if err[k] < 1e-6:
        return DerivativeCheck(True, f"Right: your {name} matches the true derivative at "
                                     f"all {samples} test points.")
    point = (float(x[k]), float(mu[k]), float(sigma[k]))
    return DerivativeCheck(
        False,
        f"Not yet: at x = {point[0]:.1f}, μ = {point[1]:.1f}, σ = {point[2]:.2f} yours gives "
        f"{yours[k]:.4g} but {name} is {truth[k]:.4g}.",
        point, float(yours[k]), float(truth[k]))


# ---- a straight line --------------------------------------------------------------------
SAMPLE_POINTS = np.array([
    [0.5, 1.9], [1.2, 2.3], [2.0, 3.4], [2.6, 3.3], [3.3, 4.6], [4.1, 4.8], [4.7, 5.9],
    [5.5, 6.1], [6.2, 7.4], [7.0, 7.3], [7.6, 8.8], [8.4, 9.0],
])


def linear_fit(x, y) -> tuple[float, float]:
    """The least-squares line y = m x + c in closed form:
    m = sum (x - mean x) y / sum (x - mean x)^2, c = mean y - m mean x."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    if x.size < 2 or np.ptp(x) == 0:
        raise ValueError("a line needs at least two points with different x")
    dx = x - x.mean()
    m = float(np.sum(dx * y) / np.sum(dx * dx))
    return m, float(y.mean() - m * x.mean())


def line_chi_squared(x, y, m, c) -> float:
    return float(np.sum((np.asarray(y) - (m * np.asarray(x) + c)) ** 2))


def line_chi_squared_jacobian(x, y, m, c) -> np.ndarray:
    r = np.asarray(y) - (m * np.asarray(x) + c)
    return np.array([-2 * np.sum(r * x), -2 * np.sum(r)])


def line_descent(m: float, c: float, aggression: float, steps: int, x, y,
                 first_step: int = 0) -> Iterator[FitStep]:
    """Steepest descent on the line's chi^2 over (m, c), counted from ``first_step``."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    yield from _descend(lambda a, b: line_chi_squared(x, y, a, b),
                        lambda a, b: line_chi_squared_jacobian(x, y, a, b),
                        (m, c), aggression, steps, first_step=first_step)


# ---- the two problems, one interface ------------------------------------------------------
class FitProblem:
    """A least-squares problem with two parameters, as the Fitting tab shows it: chi^2
    and its Jacobian anywhere, the landscape over a window of parameters, the true
    minimum, and a descent with the problem's own good defaults."""

    key: str
    names: tuple[str, str]
    axis_labels: tuple[str, str]
    lock_aspect: bool
    default_steps: int
    best: tuple[float, float]
    best_chi2: float

    def chi2(self, params) -> float:
        raise NotImplementedError

    def jacobian(self, params, derivatives=(None, None)) -> np.ndarray:
        raise NotImplementedError

    def descent(self, start, aggression: float, steps: int,
                derivatives=(None, None), first_step: int = 0) -> Iterator[FitStep]:
        """Steepest descent from ``start``, its records counted from ``first_step``."""
        raise NotImplementedError

    def window(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The parameter ranges the landscape is drawn over."""
        raise NotImplementedError

    def default_start(self) -> tuple[float, float]:
        raise NotImplementedError

    def default_aggression(self) -> float:
        raise NotImplementedError

    def grid(self, n: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(a values, b values, chi^2[j, i] at (a[i], b[j])) over :meth:`window`."""
        (a0, a1), (b0, b1) = self.window()
        a = np.linspace(a0, a1, n + 20)
        b = np.linspace(b0, b1, n)
        return a, b, self._grid(a, b)

    def _grid(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def valid_start(self, params) -> tuple[float, float]:
        """A start the descent can take (sigma stays positive)."""
        return float(params[0]), float(params[1])

    def on_map(self, params, margin: float = 0.0) -> bool:
        """Whether ``params`` lie in :meth:`window`, widened by ``margin`` of its size on
        every side."""
        (a0, a1), (b0, b1) = self.window()
        wa, wb = margin * (a1 - a0), margin * (b1 - b0)
        return a0 - wa <= params[0] <= a1 + wa and b0 - wb <= params[1] <= b1 + wb

    def misses_data(self, chi2: float) -> bool:
        """Whether a model with this chi^2 misses the data as a whole (as a Gaussian far
        off them does); a line always meets them somewhere."""
        return False


@dataclass(frozen=True)
class FitOutcome:
    """How a finished descent ended, in words: ``astray`` when it must not read as
    success (far off the map, on the plateau where the model misses the data, or worse
    than where it began)."""

    astray: bool
    message: str

    @property
    def verdict(self) -> Verdict:
        """The message at its level: an astray descent is an error (never success)."""
        return Verdict(self.message, Level.ERROR if self.astray else Level.INFO)


def judge_descent(problem: FitProblem, first: FitStep, last: FitStep, aggression: float,
                  wrong_derivative: bool = False) -> FitOutcome:
    """Compare a finished descent with the problem's least-squares minimum."""
    a, b = problem.names
    at = f"{a} = {last.params[0]:.4g}, {b} = {last.params[1]:.4g}"
    best = f"{a} = {problem.best[0]:.4g}, {b} = {problem.best[1]:.4g}"
    off_map = not problem.on_map(last.params, margin=1.0)
    missed = problem.misses_data(last.chi2)
    gap = (last.chi2 - problem.best_chi2) / max(first.chi2 - problem.best_chi2, 1e-300)
    if off_map or missed or last.chi2 > first.chi2 or (wrong_derivative and gap > 1e-3):
        if wrong_derivative:
            why = ("your derivative is not the true one, so J does not point straight up "
                   "the slope and the steps do not lead down to the minimum. Check it again, "
                   "or untick “Descend with my derivative”")
        else:
            why = (f"the aggression {aggression:g} is too large: a step overshot the valley"
                   + (" to where the model misses the data and χ² is flat" if missed else "")
                   + f". Try a smaller one (the default is {problem.default_aggression():g})")
        where = "far off the map" if off_map else "not at the minimum"
        return FitOutcome(True, f"Went astray: after {last.step} steps, {at}, {where} "
                                f"(the least-squares minimum is {best}); χ² = "
                                f"{last.chi2:.4g}. Why: {why}.")
    if gap <= 1e-3:
        return FitOutcome(False, f"Done: {last.step} steps reached the least-squares minimum, "
                                 f"χ² = {last.chi2:.4g} (from {first.chi2:.4g}).")
    return FitOutcome(False, f"Done: {last.step} steps, χ² = {last.chi2:.4g} (from "
                             f"{first.chi2:.4g}), {100 * (1 - gap):.0f} % of the way down to "
                             f"the minimum χ² = {problem.best_chi2:.4g}: more steps, or a "
                             "larger aggression, go further.")


def moments(x, y) -> tuple[float, float]:
    """The mean and standard deviation of a histogram."""
    w = y / y.sum()
    mean = float(np.sum(w * x))
    return mean, float(np.sqrt(np.sum(w * (x - mean) ** 2))) or 1.0


class GaussianProblem(FitProblem):
    """The course's assignment: a Gaussian over a histogram, parameters (mu, sigma)."""

    key = "gaussian"
    names = ("μ", "σ")
    axis_labels = ("μ (cm)", "σ (cm)")
    lock_aspect = True
    default_steps = 50
    COURSE_START = (155.0, 6.0)

    def __init__(self, hist: Histogram | None = None):
        if hist is None:
            x, y = heights_data()
            hist = Histogram(x, y, 2.5, "the course's heights (built in)")
        self.hist = hist
        self.course = hist.source.startswith("the course")
        self.x, self.y = hist.centres, hist.density
        mu, sigma, self.best_chi2 = least_squares_fit(self.x, self.y,
                                                      start=moments(self.x, self.y))
        self.best = (mu, sigma)

    def chi2(self, params) -> float:
        return float(_quiet(chi_squared, self.x, self.y, *params))

    def jacobian(self, params, derivatives=(None, None)) -> np.ndarray:
        return _quiet(chi_squared_jacobian, self.x, self.y, *params, *derivatives)

    def descent(self, start, aggression, steps, derivatives=(None, None), first_step=0):
        return steepest_descent(*start, aggression, steps, data=(self.x, self.y),
                                dmu=derivatives[0], dsigma=derivatives[1],
                                first_step=first_step)

    def window(self):
        """mu 150-200, sigma 2-35 cm for the course's data; around the data otherwise."""
        if self.course:
            return (150.0, 200.0), (2.0, 35.0)
        mean, spread = moments(self.x, self.y)
        return (mean - 3 * spread, mean + 3 * spread), (0.15 * spread, 4.0 * spread)

    def default_start(self):
        if self.course:
            return self.COURSE_START
        mean, spread = moments(self.x, self.y)
        return mean - 0.5 * spread, 0.6 * spread

    def default_aggression(self) -> float:
        return 2000.0

    def _grid(self, a, b):
        return chi_squared_grid(self.x, self.y, a, b)

    def valid_start(self, params):
        return float(params[0]), max(float(params[1]), 1e-3)

    def misses_data(self, chi2: float) -> bool:
        # chi^2 near sum y^2: the model is near 0 over every bin (0.9: a poor fit of a few
        # measurements still scores about 0.6 of it).
        return chi2 > 0.9 * float(np.sum(self.y ** 2))


class LineProblem(FitProblem):
    """A straight line y = m x + c through points, parameters (m, c)."""

    key = "line"
    names = ("m", "c")
    axis_labels = ("m (slope)", "c (intercept)")
    lock_aspect = False
    default_steps = 60

    def __init__(self, points: np.ndarray | None = None):
        self.points = np.array(SAMPLE_POINTS if points is None else points, dtype=float)
        self.x, self.y = self.points[:, 0], self.points[:, 1]
        self.best = linear_fit(self.x, self.y)
        self.best_chi2 = line_chi_squared(self.x, self.y, *self.best)
        # Enough steps at the default aggression to arrive (the course's 60 stopped short).
        self.default_steps = self.steps_to_reach(self.default_aggression())

    def chi2(self, params) -> float:
        return line_chi_squared(self.x, self.y, *params)

    def jacobian(self, params, derivatives=(None, None)) -> np.ndarray:
        return line_chi_squared_jacobian(self.x, self.y, *params)

    def descent(self, start, aggression, steps, derivatives=(None, None), first_step=0):
        return line_descent(*start, aggression, steps, self.x, self.y, first_step)

    def window(self):
        (m0, c0) = self.best
        dm, dc = max(1.5 * abs(m0), 1.0), max(1.5 * abs(c0), 2.0)
        return (m0 - dm, m0 + dm), (c0 - dc, c0 + dc)

    def default_start(self):
        (m0, m1), (c0, c1) = self.window()
        return m0 + 0.1 * (m1 - m0), c0 + 0.9 * (c1 - c0)

    def curvatures(self) -> np.ndarray:
        """The eigenvalues of chi^2's Hessian (constant for a line), smallest first."""
        x = self.x
        H = 2 * np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), len(x)]])
        return np.linalg.eigvalsh(H)

    def stable_limit(self) -> float:
        """Steepest descent on this quadratic diverges for aggressions above 2 / λmax."""
        return float(2.0 / self.curvatures()[-1])

    def default_aggression(self) -> float:
        """A stable step, three quarters of the way to the limit 2 / λmax: quick, and the
        zig-zag across the narrow valley still shows."""
        return float(f"{0.75 * self.stable_limit():.2g}")

    def steps_to_reach(self, aggression: float, share: float = 1e-3) -> int:
        """Steps for the slowest direction's distance to the minimum to fall to ``share``
        of where it began: each step multiplies it by |1 − aggression · λ|."""
        rate = float(np.max(np.abs(1.0 - aggression * self.curvatures())))
        if not 0.0 < rate < 1.0:
            return MAX_DEFAULT_STEPS
        return int(min(MAX_DEFAULT_STEPS, 10 * math.ceil(math.log(share) / math.log(rate) / 10)))

    def _grid(self, a, b):
        X, Y = self.x[None, None, :], self.y[None, None, :]
        return np.sum((Y - (a[None, :, None] * X + b[:, None, None])) ** 2, axis=-1)


def problem_steps(path: str | Path, kind: str, bin_width: float = 2.5
                  ) -> Generator[float, None, FitProblem]:
    """:func:`file_steps`, then the problem made from its data (the least-squares fit
    included) in the same worker.  Data whose fit cannot be found are a DataError."""
    data = yield from file_steps(path, kind, bin_width)
    with np.errstate(all="ignore"):
        problem = GaussianProblem(data) if kind == "gaussian" else LineProblem(data)
    if not (np.all(np.isfinite(problem.best)) and np.isfinite(problem.best_chi2)):
        raise DataError("no least-squares fit can be found for these numbers: check that "
                        "they are in one unit and spread over more than one bin")
    if problem.misses_data(problem.best_chi2):
        raise DataError(f"no Gaussian fits these bins of {problem.hist.width:g}: the best one "
                        "misses the data as much as no model at all. The bins are too wide "
                        "for the spread: choose narrower ones")
    return problem


def chi2_picture(problem: FitProblem) -> LandscapePicture:
    """The χ² landscape over the problem's map, as its views draw it: log₁₀ χ² (it spans
    decades), with its contours and colour range (a Gaussian's takes 30 ms: off the GUI
    thread)."""
    a, b, Z = problem.grid()
    return picture_of_grid((a, b, np.log10(np.maximum(Z, 1e-300))), name="log₁₀ χ²")
