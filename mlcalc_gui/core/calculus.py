"""Derivatives from points, Hessian verdicts and gradient descent as a generator."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

__all__ = [
    "Diverged", "DescentStep", "numerical_gradient", "numerical_hessian",
    "classify_critical_point", "gradient_descent", "find_stationary_point", "resumed",
    "skip_start",
    "PointAnalysis", "analyse_point", "analysed_step", "descent_path", "why_unusable",
]


def why_unusable(function, point: Sequence[float], values: np.ndarray,
                 order: int = 2) -> str | None:
    """Why a tab cannot show ``function``, or None: its derivatives up to ``order`` (1:
    the gradient, 2: and the Hessian) cannot be evaluated, or none of ``values`` (f
    sampled over the domain) has a value."""
    from mlcalc_gui.core.expressions import ExpressionError

    try:
        function.gradient(*point)
        if order >= 2:
            function.hessian(*point)
    except ExpressionError as exc:
        return f"f cannot be used here: {exc}"
    if not np.isfinite(values).any():
        return ("f is undefined everywhere on this domain (for example log of a negative "
                "number): change the function or the domain")
    return None


def why_undrawable(function, domain: Sequence[float], order: int = 0) -> str | None:
    """Why ``function`` cannot be shown on ``domain`` (from, to per variable) with its
    derivatives up to ``order``, or None: f sampled on 201 points in one variable, a
    41 × 41 grid in two."""
    ranges = list(zip(domain[::2], domain[1::2], strict=True))
    count = 201 if len(ranges) == 1 else 41
    grids = np.meshgrid(*(np.linspace(lo, hi, count) for lo, hi in ranges))
    with np.errstate(all="ignore"):
        values = function(*grids)
    centre = tuple((lo + hi) / 2 for lo, hi in ranges)
    return why_unusable(function, centre, values, order=order)


def usable_with(order: int) -> Callable[[Any, Sequence[float]], str | None]:
    """A function input's check: f and its derivatives up to ``order`` on the domain."""
    return functools.partial(_why_undrawable_at, order)


def _why_undrawable_at(order: int, function, domain) -> str | None:
    return why_undrawable(function, domain, order)


class Diverged(ArithmeticError):
    """A run stopped because its numbers became NaN, infinite or absurdly large.

    The message says which quantity, at which step, and what to change.
    """


def numerical_gradient(
    f: Callable[..., float], point: Sequence[float], h: float = 1e-5
) -> np.ndarray:
    """Central-difference gradient of ``f`` at ``point``.

    ``f`` takes one scalar per coordinate (``f(x, y)``).  The error is O(h^2) from
    truncation plus O(eps/h) from rounding, so h around 1e-5 balances the two for
    double precision.
    """
    p = np.asarray(point, dtype=float)
    if h <= 0 or not np.isfinite(h):
        raise ValueError("the step h must be a positive number")
    grad = np.empty_like(p)
    for i in range(p.size):
        e = np.zeros_like(p)
        e[i] = h
        grad[i] = (float(f(*(p + e))) - float(f(*(p - e)))) / (2 * h)
    return grad


def numerical_hessian(
    f: Callable[..., float], point: Sequence[float], h: float = 1e-4
) -> np.ndarray:
    """Central-difference Hessian of ``f`` at ``point`` (symmetric by construction)."""
    p = np.asarray(point, dtype=float)
    n = p.size
    hess = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            ei = np.zeros(n)
            ej = np.zeros(n)
            ei[i] = h
            ej[j] = h
            value = (
                f(*(p + ei + ej)) - f(*(p + ei - ej)) - f(*(p - ei + ej)) + f(*(p - ei - ej))
            ) / (4 * h * h)
            hess[i, j] = hess[j, i] = value
    return hess


def classify_critical_point(
    hessian: np.ndarray, gradient: Sequence[float] | None = None, tol: float = 1e-6
) -> str:
    """Say what kind of point this is from its Hessian (and gradient, if given).

    Returns one of ``"minimum"``, ``"maximum"``, ``"saddle"``, ``"inconclusive"`` (a zero
    eigenvalue: the second-derivative test cannot decide) or ``"not stationary"`` (the
    gradient is not zero, so this is no critical point at all).
    """
    if gradient is not None and np.linalg.norm(gradient) > tol * max(1.0, np.abs(hessian).max()):
        return "not stationary"
    eig = np.linalg.eigvalsh(np.asarray(hessian, dtype=float))
    scale = max(1.0, float(np.abs(eig).max()))
    if np.any(np.abs(eig) <= tol * scale):
        return "inconclusive"
    if np.all(eig > 0):
        return "minimum"
    if np.all(eig < 0):
        return "maximum"
    return "saddle"


@dataclass(frozen=True)
class DescentStep:
    """One step of a descent (every method's, in every tab): where it is, the value there
    and the gradient there."""

    step: int
    point: tuple[float, ...]
    value: float
    gradient: tuple[float, ...]
    #: What the screen shows of f here (:func:`analysed_step`), on the records a frame
    #: draws; not part of the run (records are equal without it, and tables leave it out).
    analysis: PointAnalysis | None = field(default=None, compare=False, repr=False)

    @property
    def gradient_norm(self) -> float:
        return float(np.hypot.reduce(self.gradient)) if self.gradient else 0.0

    @property
    def x(self) -> float:
        """The first coordinate (on a surface, x)."""
        return self.point[0]

    @property
    def y(self) -> float:
        """The second coordinate (on a surface, y)."""
        return self.point[1]


def gradient_descent(
    function: Callable[..., float],
    start: Sequence[float],
    learning_rate: float,
    steps: int = 500,
    gradient: Callable[..., Sequence[float]] | None = None,
    tol: float = 1e-9,
    bound: float = 1e8,
    rate_name: str = "learning rate",
    first_step: int = 0,
) -> Iterator[DescentStep]:
    """Gradient descent x <- x - learning_rate * grad f(x), one record per step.

    Yields step ``first_step`` (the start) and then each step, ``steps`` at most; it
    stops early when the gradient's length falls below ``tol``.  If the value, the
    gradient or the point becomes non-finite or larger than ``bound`` it raises
    :class:`Diverged` after the last good record, so nothing NaN is ever yielded; the
    message names the step (counted from ``first_step``, so a run continued from an
    earlier path says the step the learner sees) and tells a run that overshoots (f
    grows: the rate is too large) from one that goes downhill without end (f falls at
    every step: f has no minimum that way, and no rate helps).

    ``function`` takes one scalar per coordinate; ``gradient`` likewise returns one
    partial per coordinate (default: ``function.gradient``, as on a parsed Function).
    ``rate_name`` is what the learner's control for the rate is called, for messages.
    """
    if not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"the {rate_name} must be a positive number")
    grad_fn = gradient if gradient is not None else function.gradient  # type: ignore[attr-defined]
    x = np.asarray(start, dtype=float).copy()
    falling = 0  # steps in a row that went downhill
    last_value = math.inf
    last_x = x
    for k in range(first_step, first_step + steps + 1):
        value = float(function(*x))
        g = np.asarray([float(v) for v in grad_fn(*x)])
        bad = _first_bad(x, value, g, bound)
        if bad:
            if bad in _RUN_OFF and (falling >= 3 or value < last_value):
                raise Diverged(_why_unbounded(k, x, x - last_x, value))
            raise Diverged(_why_stopped(bad, k, x, learning_rate, rate_name))
        yield DescentStep(k, tuple(float(v) for v in x), value, tuple(float(v) for v in g))
        if float(np.linalg.norm(g)) < tol or k == first_step + steps:
            return
        falling = falling + 1 if value < last_value else 0
        last_value, last_x = value, x
        x = x - learning_rate * g


def skip_start(records: Iterator) -> Iterator:
    """``records`` without its first: a run continued from the last point of an earlier
    one starts there, and that point is already on the path."""
    records = iter(records)
    next(records, None)
    yield from records


def resumed(records: Iterator, offset: int, counter: str = "step") -> Iterator:
    """Continue an earlier path with a new descent started from its last point.

    ``records`` is that new descent (frozen dataclass records counted by their
    ``counter`` field, such as :class:`DescentStep`'s ``step``); its first record, the
    starting point, is already on the path and is dropped, and the count goes on from
    ``offset``.
    """
    records = iter(records)
    next(records, None)
    for record in records:
        yield replace(record, **{counter: getattr(record, counter) + offset})


def descent_path(function, points: Sequence[Sequence[float]]) -> list[DescentStep]:
    """The records of a descent that went through ``points`` (a saved path), recomputed
    from ``function``: a run replayed exactly, whatever rates it took."""
    records = []
    for k, p in enumerate(points):
        g = tuple(float(v) for v in function.gradient(*p))
        records.append(DescentStep(k, tuple(float(v) for v in p), float(function(*p)), g))
    return records


#: How far from the point (times its size, at least 1) the Hessian is probed to see how
#: much it changes nearby: an eigenvalue smaller than that change is zero to the
#: precision the point is known to.
PROBE = 1e-4
#: The radii (times the point's size, at least 1) at which f is compared with f(point)
#: all round it when the second-derivative test cannot decide.
AROUND = (1e-2, 1e-3)


@dataclass(frozen=True)
class PointAnalysis:
    """Everything a tab shows about f at one point, computed once.

    ``verdict`` is :func:`classify_critical_point`'s, or ``"undefined"`` where the Hessian
    is not finite; ``flat`` says which eigenvalues are zero (within what the Hessian
    changes a short way off, :data:`PROBE`); ``around`` says, where the test is
    inconclusive, what the values of f all round the point show: ``"no extremum"``
    (higher on some sides, lower on others), ``"minimum"``, ``"maximum"``, or ``""``
    (not asked, or no telling); ``shape`` says how f curves there in words.
    """

    point: tuple[float, ...]
    value: float
    gradient: tuple[float, ...]
    hessian: np.ndarray
    eigenvalues: np.ndarray
    verdict: str
    flat: tuple[bool, ...] = ()
    around: str = ""

    @property
    def gradient_norm(self) -> float:
        return float(np.hypot.reduce(self.gradient))

    @property
    def stationary(self) -> bool:
        """∇f is zero up to round-off (its direction then means nothing)."""
        return self.verdict not in ("not stationary", "undefined")

    @property
    def determinant(self) -> float:
        return float(np.linalg.det(self.hessian))

    @property
    def shape(self) -> str:
        eig = self.eigenvalues
        if self.verdict == "undefined":
            return "has no defined curvature"
        flat = (np.asarray(self.flat, dtype=bool) if len(self.flat) == len(eig)
                else np.abs(eig) <= 1e-6 * max(1.0, float(np.abs(eig).max())))
        if flat.all():
            return "has no curvature (both eigenvalues are 0): the test says nothing"
        if flat.any():
            bent = "up" if eig[~flat][0] > 0 else "down"
            return f"curves {bent} one way and is flat the other (an eigenvalue is 0)"
        return ("curves up in every direction" if eig[0] > 0 else
                "curves down in every direction" if eig[-1] < 0 else
                "curves up one way and down another")


def _hessian_noise(function, point: np.ndarray, eig: np.ndarray) -> np.ndarray:
    """How much each (sorted) eigenvalue of the Hessian changes within
    ``PROBE * max(1, |point|)`` of the point: the precision to which it is known when the
    point itself is known only that well (a stationary point found by Newton's method
    near a degenerate one lies about 1e-5 from it)."""
    r = PROBE * max(1.0, float(np.abs(point).max()))
    n = len(point)
    noise = np.zeros(n)
    for i in range(n):
        for sign in (1.0, -1.0):
            q = point.copy()
            q[i] += sign * r
            H = np.asarray(function.hessian(*q), dtype=float)
            if not np.all(np.isfinite(H)):
                return np.full(n, np.inf)
            noise = np.maximum(noise, np.abs(np.linalg.eigvalsh(H) - eig))
    return noise


def _around(function, point: np.ndarray, value: float) -> str:
    """What f does all round ``point`` (where the Hessian cannot say): ``"no extremum"``
    if f is higher in some directions and lower in others at every radius of
    :data:`AROUND`, ``"minimum"`` or ``"maximum"`` if it is higher (lower) all round at
    both, else ``""``."""
    if len(point) != 2 or not math.isfinite(value):
        return ""
    angles = np.linspace(0.0, 2 * np.pi, 48, endpoint=False)
    size = max(1.0, float(np.abs(point).max()))
    verdicts = set()
    for radius in AROUND:
        rho = radius * size
        values = np.asarray(function(point[0] + rho * np.cos(angles),
                                     point[1] + rho * np.sin(angles)), dtype=float)
        if not np.all(np.isfinite(values)):
            return ""
        change = values - value
        noise = 1e-12 * max(1.0, abs(value))
        above, below = bool((change > noise).any()), bool((change < -noise).any())
        verdicts.add("no extremum" if above and below else
                     "minimum" if above else "maximum" if below else "")
    return verdicts.pop() if len(verdicts) == 1 else ""


def analysed_step(function, step: DescentStep) -> DescentStep:
    """``step`` with the analysis of ``function`` at its point (for a run's
    :class:`~mlcalc_gui.core.runner.Shown`: computed in the worker, on the step a frame
    shows)."""
    return replace(step, analysis=analyse_point(function, step.point))


def analyse_point(function, point: Sequence[float], tol: float = 1e-6) -> PointAnalysis:
    """Value, gradient, Hessian, its eigenvalues and the verdict of ``function`` (a parsed
    Function) at ``point``.

    At a stationary point, an eigenvalue is taken as zero when it is smaller than how
    much it changes :data:`PROBE` away (x³ + y³ near the origin has eigenvalues 6x and
    6y: from a point 3e-6 off, 1.8e-5, which is no evidence of a minimum); the verdict
    is then inconclusive, and ``around`` says what the values round the point show."""
    value = float(function(*point))
    gradient = tuple(float(v) for v in function.gradient(*point))
    hessian = np.asarray(function.hessian(*point), dtype=float)
    p = np.asarray(point, dtype=float)
    flat: tuple[bool, ...] = ()
    around = ""
    if math.isfinite(value) and np.all(np.isfinite(gradient)) and np.all(np.isfinite(hessian)):
        eig = np.linalg.eigvalsh(hessian)
        verdict = classify_critical_point(hessian, gradient, tol=tol)
        scale = max(1.0, float(np.abs(eig).max()))
        zero = np.abs(eig) <= tol * scale
        if verdict != "not stationary":
            zero |= np.abs(eig) <= _hessian_noise(function, p, eig)
            if zero.any():
                verdict = "inconclusive"
                around = _around(function, p, value)
        flat = tuple(bool(z) for z in zero)
    else:
        eig = np.full(len(gradient), np.nan)
        verdict = "undefined"
    return PointAnalysis(tuple(float(v) for v in point), value, gradient, hessian, eig,
                         verdict, flat, around)


#: What :func:`_first_bad` says when the run left every bound (rather than f's domain).
_RUN_OFF = ("the point ran off to infinity", "the function value blew up")


def _first_bad(x: np.ndarray, value: float, g: np.ndarray, bound: float) -> str:
    if not np.all(np.isfinite(x)) or np.abs(x).max() > bound:
        return _RUN_OFF[0]
    if np.isnan(value) or (np.isfinite(value) and not np.all(np.isfinite(g))):
        return "undefined"  # outside f's domain (log of a negative number, say)
    if np.isinf(value):
        return "infinite"  # on a pole
    if abs(value) > bound * bound:
        return _RUN_OFF[1]
    if not np.all(np.isfinite(g)):
        return "the gradient is not finite"
    return ""


def _why_unbounded(k: int, x: np.ndarray, direction: np.ndarray, value: float) -> str:
    """A run that went downhill at every step until it left every bound: f has no
    minimum in the way it went."""
    norm = float(np.linalg.norm(direction)) if np.all(np.isfinite(direction)) else 0.0
    way = ""
    if norm > 0:
        unit = direction / norm
        way = " along (" + ", ".join(f"{v:.2g}" if abs(v) > 5e-3 else "0" for v in unit) + ")"
    reached = f"f = {value:.3g}" if math.isfinite(value) else "f beyond any bound"
    return (f"f falls without end{way}: every step went further downhill, and at step "
            f"{k} the point ran off with {reached}. f has no minimum that way (it is "
            f"unbounded below there, as x² − y² is along y), so no learning rate helps: "
            f"start from another point, or choose a function with a minimum.")


def _why_stopped(bad: str, k: int, x: np.ndarray, learning_rate: float,
                 rate_name: str = "learning rate") -> str:
    """The reason a descent stopped, in words that say what to change: a too-large rate
    only where the run really blew up, not where it walked out of f's domain."""
    at = "(" + ", ".join(f"{v:.4g}" for v in x) + ")"
    if bad in ("undefined", "infinite"):
        what = ("f or its gradient is undefined" if bad == "undefined"
                else "f is infinite (a pole)")
        if k == 0:
            return (f"{what} at the start {at}: move the start to where f is defined "
                    f"and try again.")
        return (f"step {k} landed at {at}, where {what}: the descent left f's domain. "
                f"Start elsewhere, or take a smaller {rate_name} than {learning_rate:g} "
                f"to stay inside it.")
    return (f"{bad} at step {k}: the {rate_name} {learning_rate:g} is too large for "
            f"this function here. Reduce it and try again.")


def find_stationary_point(
    function, start: Sequence[float], iterations: int = 50, tol: float = 1e-10
) -> np.ndarray | None:
    """Newton's method on grad f = 0 from ``start``; None if it does not converge.

    ``function`` needs ``.gradient`` and ``.hessian`` (a parsed Function).  Newton finds
    any stationary point (a minimum, maximum or saddle), whichever is nearest in its sense.
    """
    x = np.asarray(start, dtype=float).copy()
    for _ in range(iterations):
        g = np.asarray(function.gradient(*x), dtype=float)
        if not np.all(np.isfinite(g)):
            return None
        if np.linalg.norm(g) < tol:
            return x
        h = np.asarray(function.hessian(*x), dtype=float)
        try:
            dx = np.linalg.solve(h, -g)
        except np.linalg.LinAlgError:
            return None
        x = x + dx
        if not np.all(np.isfinite(x)):
            return None
    g = np.asarray(function.gradient(*x), dtype=float)
    return x if np.linalg.norm(g) < 1e-6 else None
