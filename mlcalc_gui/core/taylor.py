"""Taylor series (week 4): polynomial approximations of a function and how far to trust
them.

The coefficients f⁽ⁿ⁾(a)/n! are not found by differentiating symbolically n times (the
20th derivative of tan x has thousands of terms, and sympy's series can run for minutes on
a short formula).  They are computed by *Taylor arithmetic*: the function's expression
tree is evaluated on truncated power series instead of numbers, with the classic
recurrences for products, quotients, powers, exp, log, the trigonometric functions and
their inverses.  That is exact up to rounding, costs O(order²) per node of the formula,
never hangs, and is vectorised over many expansion points at once, which is what the
Lagrange remainder bound needs (the next coefficient at every ξ between a and x).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from mlcalc_gui.core.contours import contour_lines
from mlcalc_gui.core.expressions import Function, as_function

__all__ = ["SeriesError", "MAX_ORDER", "series", "taylor_coefficients",
           "taylor_polynomial", "evaluate_polynomial", "remainder_bound",
           "radius_of_convergence", "real_singularities", "taylor_2d", "Model2D", "PRESETS",
           "TaylorPreset", "PRESETS_2D", "OrderStep", "order_steps", "TaylorPreset2D",
           "good_interval", "ModelPicture", "model_picture", "error_range"]

#: The highest order the tab offers (coefficients go to any order).
MAX_ORDER = 20
#: Coefficients used to estimate the radius of convergence.
RADIUS_TERMS = 120
#: Orders worked out beyond those asked for: a removable singularity of order m (0/0,
#: as sin x / x at 0) costs m of them.
SPARE_ORDERS = 4


class SeriesError(ValueError):
    """f has no Taylor series at the point asked (it, or a derivative, has no value)."""


# ---- truncated power series, vectorised over expansion points --------------------------------
# A series is an array s of shape (N + 1, *points): s[k] is the coefficient of (x - a)^k.
def _mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.empty(np.broadcast_shapes(a.shape, b.shape))
    for k in range(out.shape[0]):
        out[k] = (a[:k + 1] * b[k::-1]).sum(axis=0)
    return out


def _div_regular(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.empty(np.broadcast_shapes(a.shape, b.shape))
    b0 = b[0]
    for k in range(out.shape[0]):
        acc = a[k] - (b[1:k + 1] * out[k - 1::-1][:k]).sum(axis=0) if k else a[0]
        out[k] = acc / b0
    return out


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b.  Where b vanishes at the point and a vanishes as often (0/0: sin x / x at
    0), both are divided by (x − a)^m first, so the quotient is its limit there: a
    removable singularity, as the parser can tell it.  The top m coefficients are then
    unknown (nan): :func:`series` works with spare orders, so they never show."""
    shape = np.broadcast_shapes(a.shape, b.shape)
    a, b = np.broadcast_to(a, shape), np.broadcast_to(b, shape)
    out = _div_regular(a, b)
    zero = b[0] == 0
    if not np.any(zero):
        return out
    n = shape[0]
    flat_a, flat_b = a.reshape(n, -1), b.reshape(n, -1)
    flat_out = out.reshape(n, -1)
    for j in np.flatnonzero(np.ravel(zero)):
        bj, aj = flat_b[:, j], flat_a[:, j]
        nonzero = np.flatnonzero(bj != 0)
        if not nonzero.size or not np.all(np.isfinite(aj)):
            continue
        m = int(nonzero[0])
        scale = max(1.0, float(np.abs(aj[m:]).max()) if m < n else 1.0)
        if np.any(np.abs(aj[:m]) > 1e-13 * scale):
            continue  # a pole: a / 0 stays infinite
        shifted = np.full(n, np.nan)
        shifted[:n - m] = _div_regular(aj[m:], bj[m:])
        flat_out[:, j] = shifted
    return flat_out.reshape(shape)


def _constant_like(u: np.ndarray, value) -> np.ndarray:
    out = np.zeros_like(u)
    out[0] = value
    return out


def _integrate(w0: np.ndarray, g: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The series w with w(a) = w0 and w' = g(u) u'."""
    du = np.zeros_like(u)
    n = u.shape[0]
    du[:n - 1] = u[1:] * np.arange(1, n).reshape((-1,) + (1,) * (u.ndim - 1))
    wp = _mul(g, du)
    out = np.empty_like(u)
    out[0] = w0
    out[1:] = wp[:n - 1] / np.arange(1, n).reshape((-1,) + (1,) * (u.ndim - 1))
    return out


def _exp(u: np.ndarray) -> np.ndarray:
    out = np.empty_like(u)
    out[0] = np.exp(u[0])
    for k in range(1, u.shape[0]):
        j = np.arange(1, k + 1).reshape((-1,) + (1,) * (u.ndim - 1))
        out[k] = (j * u[1:k + 1] * out[k - 1::-1][:k]).sum(axis=0) / k
    return out


def _sin_cos(u: np.ndarray, hyperbolic: bool = False) -> tuple[np.ndarray, np.ndarray]:
    s, c = np.empty_like(u), np.empty_like(u)
    s[0], c[0] = (np.sinh(u[0]), np.cosh(u[0])) if hyperbolic else (np.sin(u[0]),
                                                                      np.cos(u[0]))
    sign = 1.0 if hyperbolic else -1.0
    for k in range(1, u.shape[0]):
        j = np.arange(1, k + 1).reshape((-1,) + (1,) * (u.ndim - 1))
        ju = j * u[1:k + 1]
        s[k] = (ju * c[k - 1::-1][:k]).sum(axis=0) / k
        c[k] = sign * (ju * s[k - 1::-1][:k]).sum(axis=0) / k
    return s, c


def _power(u: np.ndarray, r: float) -> np.ndarray:
    """u^r for a constant r."""
    if float(r).is_integer() and abs(r) <= 64:
        n = int(abs(r))
        result, base = _constant_like(u, 1.0), u
        while n:
            if n & 1:
                result = _mul(result, base)
            n >>= 1
            if n:
                base = _mul(base, base)
        return _div(_constant_like(u, 1.0), result) if r < 0 else result
    out = np.empty_like(u)
    u0 = u[0]
    out[0] = np.power(u0, r)
    for k in range(1, u.shape[0]):
        j = np.arange(1, k + 1).reshape((-1,) + (1,) * (u.ndim - 1))
        out[k] = ((r * j - (k - j)) * u[1:k + 1] * out[k - 1::-1][:k]).sum(axis=0) / (k * u0)
    return out


def _not_smooth_at_zero(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """abs and sign have no derivative where their argument is 0."""
    w[1:] = np.where(u[0] == 0, np.nan, w[1:])
    return w


def _series_of(expr: Any, symbol: Any, a: np.ndarray, n: int) -> np.ndarray:
    import sympy as sp

    done: dict[Any, np.ndarray] = {}
    x = np.zeros((n + 1,) + a.shape)
    x[0] = a
    if n >= 1:
        x[1] = 1.0

    def one(value) -> np.ndarray:
        return _constant_like(x, value)

    def walk(e: Any) -> np.ndarray:
        if e in done:
            return done[e]
        out = make(e)
        done[e] = out
        return out

    def make(e: Any) -> np.ndarray:
        if e == symbol:
            return x
        if e.is_number:
            value = complex(e.evalf(17))
            if value.imag:
                raise SeriesError("f is not a real number here")
            return one(value.real)
        if e.is_Add:
            total = walk(e.args[0])
            for t in e.args[1:]:
                total = total + walk(t)
            return total
        if e.is_Mul:
            # Numerator over denominator, so that 0/0 (sin x / x at 0) is divided out.
            over = [t for t in e.args if t.is_Pow and t.args[1].is_number
                    and t.args[1].is_negative]
            above = [t for t in e.args if t not in over]
            total = walk(above[0]) if above else one(1.0)
            for t in above[1:]:
                total = _mul(total, walk(t))
            if not over:
                return total
            below = walk(over[0].args[0] ** -over[0].args[1])
            for t in over[1:]:
                below = _mul(below, walk(t.args[0] ** -t.args[1]))
            return _div(total, below)
        if e.is_Pow:
            base, exponent = e.args
            if exponent.is_number:
                return _power(walk(base), float(exponent))
            if base == sp.E:
                return _exp(walk(exponent))
            return _exp(_mul(walk(exponent), _log(walk(base))))
        if not e.args:
            raise SeriesError(f"{e} is not a function of {symbol}")
        u = walk(e.args[0])
        u0 = u[0]
        f = e.func
        if f == sp.exp:
            return _flat_at_poles(e.args[0], _exp(u), u0)
        if f == sp.log:
            return _log(u)
        if f in (sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot):
            s, c = _sin_cos(u)
            return {sp.sin: lambda: s, sp.cos: lambda: c, sp.tan: lambda: _div(s, c),
                    sp.sec: lambda: _div(one(1.0), c), sp.csc: lambda: _div(one(1.0), s),
                    sp.cot: lambda: _div(c, s)}[f]()
        if f in (sp.sinh, sp.cosh, sp.tanh):
            s, c = _sin_cos(u, hyperbolic=True)
            return {sp.sinh: s, sp.cosh: c}.get(f) if f != sp.tanh else _div(s, c)
        uu = _mul(u, u)
        if f == sp.atan:
            return _integrate(np.arctan(u0), _div(one(1.0), one(1.0) + uu), u)
        if f == sp.atanh:
            return _integrate(np.arctanh(u0), _div(one(1.0), one(1.0) - uu), u)
        if f == sp.asin:
            return _integrate(np.arcsin(u0), _power(one(1.0) - uu, -0.5), u)
        if f == sp.acos:
            return _integrate(np.arccos(u0), -_power(one(1.0) - uu, -0.5), u)
        if f == sp.asinh:
            return _integrate(np.arcsinh(u0), _power(one(1.0) + uu, -0.5), u)
        if f == sp.acosh:
            return _integrate(np.arccosh(u0), _power(uu - one(1.0), -0.5), u)
        if f == sp.Abs:
            return _not_smooth_at_zero(u, np.sign(u0) * u)
        if f == sp.sign:
            return _not_smooth_at_zero(u, one(np.sign(u0)))
        raise SeriesError(f"no series is known here for {f.__name__}")

    def _log(u: np.ndarray) -> np.ndarray:
        return _integrate(np.log(u[0]), _div(one(1.0), u), u)

    def _flat_at_poles(arg: Any, w: np.ndarray, u0: np.ndarray) -> np.ndarray:
        """e^u where u = c·v^(−m) (c < 0, m even) tends to −∞ from both sides, as
        e^(−1/x²) at 0: every derivative tends to 0 there, so the series is 0."""
        down = np.isneginf(u0)
        if np.any(down) and _flat_base(arg) is not None:
            w = np.where(down, 0.0, w)
        return w

    with np.errstate(all="ignore"):
        return walk(expr)


def series(function: Function, a, order: int) -> np.ndarray:
    """The Taylor coefficients f⁽ᵏ⁾(a)/k! for k = 0..order, at every point of ``a``:
    an array of shape ``(order + 1, *np.shape(a))``.  Where f or a derivative has no
    value at a point, its coefficients there are nan (or infinite)."""
    if len(function.variables) != 1:
        raise SeriesError("a series in one variable needs f(x)")
    symbol = function.symbols[0]
    a = np.asarray(a, dtype=float)
    try:
        # Spare orders: a removable 0/0 (see _div) loses its top coefficients.
        return _series_of(function.expr, symbol, a, int(order) + SPARE_ORDERS)[:int(order) + 1]
    except RecursionError:
        raise SeriesError("this formula is too deeply nested for a series") from None


@lru_cache(maxsize=64)
def _parsed(text: str) -> Function:
    return as_function(text, ("x",))


def _function(f: Function | str) -> Function:
    """f parsed in x (the same object for the same text, so the cache below finds it)."""
    return _parsed(f) if isinstance(f, str) else f


@lru_cache(maxsize=256)
def _cached_coefficients(fn: Function, a: float, order: int) -> tuple[float, ...]:
    return tuple(_checked(series(fn, a, order), a))


def _checked(c: np.ndarray, a: float) -> np.ndarray:
    if not np.all(np.isfinite(c)):
        bad = int(np.argmin(np.isfinite(c)))
        what = "f" if bad == 0 else ("f′" if bad == 1 else f"the derivative of order {bad}")
        raise SeriesError(f"{what} has no value at a = {a:g}: move a")
    return c


def taylor_coefficients(f: Function | str, a: float, order: int) -> np.ndarray:
    """f⁽ⁿ⁾(a)/n! for n = 0..order, as floats; ``f`` typed text in x or a parsed
    function.  Raises :class:`SeriesError` where f has no series at a (log x at 0),
    :class:`ExpressionError` for text that is not a function.  Cached per function,
    point and order."""
    return np.array(_cached_coefficients(_function(f), float(a), int(order)))


def evaluate_polynomial(coefficients: np.ndarray, a: float, x) -> np.ndarray:
    """Σ cₖ (x − a)ᵏ by Horner's rule, vectorised over x."""
    t = np.asarray(x, dtype=float) - a
    out = np.zeros_like(t)
    for c in coefficients[::-1]:
        out = out * t + c
    return out


def error_range(fx: np.ndarray, coefficients: np.ndarray, a: float, xs: np.ndarray
                ) -> tuple[float, float] | None:
    """The log10 range of an error plot that stays put while the order climbs: from the
    largest |f − Tₙ| over every order n of ``coefficients`` (at ``xs``, where f is ``fx``)
    down to rounding, ε·max|f|, beneath which an error is noise; half a decade either
    side.  None when there is no error to show (f constant, or nowhere finite)."""
    fx, xs = np.asarray(fx, dtype=float), np.asarray(xs, dtype=float)
    top = 0.0
    with np.errstate(all="ignore"):
        t, power, T = xs - a, np.ones_like(xs), np.zeros_like(xs)
        for c in coefficients:
            T = T + c * power
            power = power * t
            err = np.abs(fx - T)
            err = err[np.isfinite(err)]
            if err.size:
                top = max(top, float(err.max()))
        scale = np.abs(fx[np.isfinite(fx)])
    floor = np.finfo(float).eps * max(float(scale.max()) if scale.size else 0.0, 1e-300)
    if not (math.isfinite(top) and top > floor):
        return None
    return math.log10(floor) - 0.5, math.log10(top) + 0.5


def good_interval(fx: np.ndarray, tx: np.ndarray, xs: np.ndarray, a: float, tolerance: float
                  ) -> tuple[float, float]:
    """Where a polynomial is good: the stretch of ``xs`` around the centre ``a`` on which
    it stays within ``tolerance`` of f (``fx`` and ``tx``: f and the polynomial at
    ``xs``, sorted).  The ends are the last good samples on each side."""
    xs, fx, tx = (np.asarray(v, dtype=float) for v in (xs, fx, tx))
    with np.errstate(invalid="ignore"):
        good = np.abs(fx - tx) <= tolerance
    k = int(np.clip(np.searchsorted(xs, a), 0, len(xs) - 1))
    if not good[k]:
        return a, a
    lo = k
    while lo > 0 and good[lo - 1]:
        lo -= 1
    hi = k
    while hi < len(xs) - 1 and good[hi + 1]:
        hi += 1
    return float(xs[lo]), float(xs[hi])


def taylor_polynomial(f: Function | str, a: float, order: int) -> Callable[[Any], np.ndarray]:
    """T_order about a, as a vectorised function of x."""
    c = taylor_coefficients(f, a, order)
    return lambda x: evaluate_polynomial(c, a, x)


def remainder_bound(next_coefficients: np.ndarray, xs: np.ndarray, a: float,
                    order: int) -> np.ndarray:
    """Lagrange's bound on |f − T_order| at each x of the sorted grid ``xs``:
    max |f⁽ⁿ⁺¹⁾(ξ)|/(n+1)! over the ξ of the grid between a and x (``next_coefficients``
    is that coefficient at every grid point, from :func:`series`), times |x − a|ⁿ⁺¹.
    nan where f⁽ⁿ⁺¹⁾ has no value somewhere between a and x."""
    m = np.abs(np.asarray(next_coefficients, dtype=float))
    m = np.where(np.isfinite(m), m, np.inf)
    i = int(np.clip(np.searchsorted(xs, a), 0, len(xs) - 1))
    # The running maximum outwards from a (a's neighbours on both sides included).
    right = np.maximum.accumulate(m[max(i - 1, 0):])
    left = np.maximum.accumulate(m[:i + 1][::-1])[::-1]
    most = np.empty_like(m)
    most[max(i - 1, 0):] = right
    most[:i + 1] = np.maximum(most[:i + 1], left) if i >= 1 else left
    with np.errstate(all="ignore"):
        bound = most * np.abs(xs - a) ** (order + 1)
    return np.where(np.isfinite(bound), bound, np.nan)


def _slope(n: np.ndarray, y: np.ndarray) -> float:
    centred = n - n.mean()
    return float((centred * (y - y.mean())).sum() / (centred * centred).sum())


def _envelope_radius(c: np.ndarray, lo: int, hi: int) -> float:
    """exp(−slope) of log|cₙ| against n over lo ≤ n ≤ hi, fitted to the upper envelope:
    terms well below their neighbours once the trend is taken out (the zeros of sin's
    even terms, the dips of an oscillation) are left out of the second fit."""
    n = np.arange(len(c))
    keep = (n >= lo) & (n <= hi) & (c > 0) & np.isfinite(c)
    nk, logc = n[keep].astype(float), np.log(c[keep])
    if len(nk) < 6:
        return math.inf
    flat = logc - _slope(nk, logc) * nk
    top = np.array([flat[max(0, i - 5):i + 6].max() for i in range(len(flat))])
    good = flat >= top - 2.0
    if good.sum() < 3:
        return math.inf
    slope = _slope(nk[good], logc[good])
    return math.exp(-slope) if slope > -50 else math.inf


def _reliable_terms(c: np.ndarray, near: np.ndarray) -> int:
    """How many leading coefficients stand above rounding noise: ``near`` are the same
    coefficients about a point a hair away, which differ from ``c`` smoothly (by about
    n·δ/R) where they are true, and wildly where rounding made them (the quotient's
    recurrence of sin x / x about 1 leaves a floor near 1e-17 under terms that fall like
    1/n!)."""
    # Against the size of the terms around each (a zero term, as atan's even ones, is
    # only as far from its neighbour's value as δ times the next term).
    size = np.abs(c)
    scale = np.maximum.reduce([size, np.roll(size, 1), np.roll(size, -1)])
    scale = np.maximum(scale, 1e-300)
    noisy = ~np.isfinite(near) | (np.abs(c - near) > 1e-5 * scale)
    return int(np.argmax(noisy)) if noisy.any() else len(c)


def _danger_points(expr: Any, symbol: Any) -> list[tuple[Any, bool]]:
    """The sub-expressions of ``expr`` whose real zeros are where f may be singular:
    bases of negative or fractional powers, arguments of log, the cosines and sines
    under tan, sec, cot and csc, and u ∓ 1 under the inverse functions with branch
    points there; each with whether a zero of it is a flat point (the base v of
    e^(c·v^(−m)), c < 0 and m even: e^(−1/x²) at 0)."""
    import sympy as sp

    found = []
    for e in sp.preorder_traversal(expr):
        if not e.has(symbol) or not e.args:
            continue
        u = e.args[0]
        if e.is_Pow and e.args[1].is_number and not (e.args[1].is_Integer
                                                     and e.args[1] >= 0):
            found.append((u, False))
        elif e.func == sp.exp and _flat_base(u) is not None:
            found.append((_flat_base(u), True))
        elif e.func in (sp.log, sp.Abs, sp.sign):
            found.append((u, False))
        elif e.func in (sp.tan, sp.sec):
            found.append((sp.cos(u), False))
        elif e.func in (sp.cot, sp.csc):
            found.append((sp.sin(u), False))
        elif e.func in (sp.atanh, sp.asin, sp.acos):
            found += [(u - 1, False), (u + 1, False)]
        elif e.func == sp.acosh:
            found.append((u - 1, False))
    return found


def _flat_base(arg: Any) -> Any:
    """v when ``arg`` is c·v^(−m) with c < 0 and m a positive even integer (e^arg is then
    flat where v = 0), else None."""
    import sympy as sp

    factors = sp.Mul.make_args(arg)
    numbers = [t for t in factors if t.is_number]
    powers = [t for t in factors if not t.is_number]
    if (len(powers) == 1 and powers[0].is_Pow and powers[0].args[1].is_Integer
            and int(powers[0].args[1]) < 0 and int(powers[0].args[1]) % 2 == 0
            and float(sp.Mul(*numbers)) < 0):
        return powers[0].args[0]
    return None


def _real_zeros(fn: Callable[[np.ndarray], np.ndarray], lo: float, hi: float,
                samples: int = 4001) -> list[float]:
    """The real zeros of ``fn`` on [lo, hi]: sign changes refined by bisection, and
    touching zeros (x² at 0) refined by golden sections on |fn|."""
    xs = np.linspace(lo, hi, samples)
    with np.errstate(all="ignore"):
        v = np.asarray(fn(xs), dtype=float) * np.ones_like(xs)
    ok = np.isfinite(v)
    if not ok.any():
        return []
    size = max(1.0, float(np.abs(v[ok]).max()))
    zeros = list(xs[ok & (v == 0)])
    for i in np.flatnonzero(ok[:-1] & ok[1:] & (np.sign(v[:-1]) * np.sign(v[1:]) < 0)):
        a, b, fa = xs[i], xs[i + 1], v[i]
        for _ in range(60):
            m = 0.5 * (a + b)
            fm = float(fn(np.float64(m)))
            if not math.isfinite(fm) or fm == 0:
                a = b = m
                break
            if np.sign(fm) == np.sign(fa):
                a, fa = m, fm
            else:
                b = m
        zeros.append(0.5 * (a + b))
    mag = np.where(ok, np.abs(v), np.inf)
    for i in np.flatnonzero((mag[1:-1] <= mag[:-2]) & (mag[1:-1] <= mag[2:])
                            & (mag[1:-1] < 1e-3 * size)) + 1:
        a, b = xs[i - 1], xs[i + 1]
        g = (math.sqrt(5) - 1) / 2
        for _ in range(80):
            c, d = b - g * (b - a), a + g * (b - a)
            if abs(float(fn(np.float64(c)))) < abs(float(fn(np.float64(d)))):
                b = d
            else:
                a = c
        x = 0.5 * (a + b)
        if abs(float(fn(np.float64(x)))) <= 1e-9 * size:
            zeros.append(x)
    return zeros


def _singular_at(fn: Function, z: float) -> bool:
    """Is f singular at the real point z (not merely 0/0 there, as sin x / x at 0)?
    Its series a short way off, about z ± ε, then reaches no further than about ε; it
    is asked at three distances (a singularity elsewhere nearby reaches as far at all),
    leaving out one where f is too flat to say (e^(−1/x²) is 0 to double precision
    within 0.03 of 0)."""
    size = max(1.0, abs(z))
    verdicts = []
    for eps in (1e-3 * size, 3e-2 * size, 0.1 * size):
        try:
            c = np.abs(series(fn, np.array([z + eps, z - eps]), 30))
        except SeriesError:
            return True
        if not np.all(np.isfinite(c)):
            return True
        tail = c[10:31]
        if not np.any(tail > 0):
            continue  # flat to double precision: no telling at this distance
        n = np.arange(10, 31)[:, None]
        with np.errstate(all="ignore"):
            reach = np.where(tail > 0, np.exp(-np.log(np.maximum(tail, 1e-300)) / n),
                             np.inf).min(axis=0)
        verdicts.append(bool(np.any(reach < 3 * eps)))
    return bool(verdicts) and all(verdicts)


def _singular_points(fn: Function, lo: float, hi: float) -> list[tuple[float, bool]]:
    """(z, flat) for each point of [lo, hi] where f is singular on the real line."""
    from mlcalc_gui.core.expressions import compile_expression

    symbol = fn.symbols[0]
    points: list[tuple[float, bool]] = []
    for u, flat in _danger_points(fn.expr, symbol):
        for z in _real_zeros(compile_expression(u, (symbol,)), lo, hi):
            if all(abs(z - p) > 1e-9 * max(1.0, abs(z)) for p, _ in points) and \
                    _singular_at(fn, z):
                points.append((float(z), flat))
    return sorted(points)


def real_singularities(f: Function | str, lo: float, hi: float) -> list[float]:
    """The points of [lo, hi] where f is singular on the real line (a pole, a branch
    point, e^(−1/x²)'s flat point), found from its formula: the zeros of what it divides
    by, takes the log or a root of, and so on, each checked (sin x / x is not singular
    at 0)."""
    return [z for z, _ in _singular_points(_function(f), lo, hi)]


def radius_of_convergence(f: Function | str, a: float) -> float:
    """The radius of convergence of f's series about a: inf for an entire function
    (eˣ, sin x).

    By Cauchy–Hadamard, |cₙ| falls like R⁻ⁿ (times a power of n).  The rate is fitted
    to the first :data:`RADIUS_TERMS` coefficients that stand above rounding noise, on
    two windows of n, and the two estimates extrapolated in 1/n (the power of n biases
    each by about 1/n); when the second window's R is far larger than the first's, the
    coefficients fall faster than any geometric rate: no singularity (eˣ: 1/n!).
    A real singularity d away bounds R; when the fit comes within a quarter of d, the
    nearest singularity is that one and R is d exactly.  At a flat point (e^(−1/x²)
    at 0), whose coefficients approach their rate slowly (about 0.6 they fit to 0.53,
    about 0.05 to a third of the way), within three quarters of it.  Within 1 % for the presets
    (5 % where complex singularities make the coefficients oscillate, as atan's).
    Raises :class:`SeriesError` where f has no series at a."""
    fn = _function(f)
    c = np.abs(taylor_coefficients(fn, a, RADIUS_TERMS))
    delta = 1e-9 * max(1.0, abs(a))
    near = np.abs(series(fn, np.float64(a + delta), RADIUS_TERMS))
    n = _reliable_terms(c, near)
    low = _envelope_radius(c[:n], n // 4, n // 2)
    high = _envelope_radius(c[:n], n // 2, n)
    if math.isinf(high) or math.isinf(low) or high > 1.3 * low:
        estimate = math.inf
    else:
        estimate = float(max(2 * high - low, high / 2))
    reach = 4.0 * estimate if math.isfinite(estimate) else 10.0 * max(1.0, abs(a))
    nearest, flat = min(((abs(z - a), flat) for z, flat in
                         _singular_points(fn, a - reach, a + reach) if z != a),
                        default=(math.inf, False))
    if math.isfinite(nearest) and estimate >= (0.25 if flat else 0.75) * nearest:
        return nearest
    return estimate


# ---- two variables ------------------------------------------------------------------------
@dataclass(frozen=True)
class Model2D:
    """The Taylor model of f(x, y) at ``point`` of ``order`` 1 (the tangent plane) or 2
    (the quadratic model): f(a) + ∇f(a)·Δ + ½ Δᵀ H Δ."""

    point: tuple[float, float]
    order: int
    value: float
    gradient: tuple[float, float]
    hessian: tuple[tuple[float, float], tuple[float, float]]

    def __call__(self, X, Y) -> np.ndarray:
        dx = np.asarray(X, dtype=float) - self.point[0]
        dy = np.asarray(Y, dtype=float) - self.point[1]
        out = self.value + self.gradient[0] * dx + self.gradient[1] * dy
        if self.order >= 2:
            (hxx, hxy), (_, hyy) = self.hessian
            out = out + 0.5 * (hxx * dx * dx + 2 * hxy * dx * dy + hyy * dy * dy)
        return out

    def axes(self) -> tuple[np.ndarray, np.ndarray]:
        """The Hessian's eigenvalues (ascending) and unit eigenvectors (columns): the
        principal axes of the quadratic model's contours."""
        return np.linalg.eigh(np.array(self.hessian))

    def kind(self) -> str:
        """What the quadratic model's contours are: ellipses (a bowl, or a dome),
        hyperbolas (a saddle), or parallel lines (a trough)."""
        lo, hi = self.axes()[0]
        scale = max(abs(lo), abs(hi), 1e-300)
        if abs(lo) < 1e-9 * scale or abs(hi) < 1e-9 * scale:
            return "parallel lines (H is singular)"
        return "ellipses" if lo * hi > 0 else "hyperbolas"


def taylor_2d(f: Function | str, point: tuple[float, float], order: int) -> Model2D:
    """The order-1 (tangent plane) or order-2 (quadratic) model of f(x, y) at
    ``point``.  Raises :class:`SeriesError` where f, its gradient or its Hessian has no
    value there."""
    if order not in (1, 2):
        raise ValueError("order must be 1 or 2")
    fn = as_function(f, ("x", "y"))
    x, y = (float(v) for v in point)
    value = float(fn(x, y))
    gx, gy = (float(g) for g in fn.gradient(x, y))
    H = np.asarray(fn.hessian(x, y), dtype=float)
    if not all(map(math.isfinite, (value, gx, gy))) or not np.all(np.isfinite(H)):
        raise SeriesError(f"f or its derivatives have no value at ({x:g}, {y:g}): move "
                          f"the point")
    return Model2D((x, y), order, value, (gx, gy),
                   ((float(H[0, 0]), float(H[0, 1])), (float(H[1, 0]), float(H[1, 1]))))


@dataclass(frozen=True, eq=False)
class ModelPicture:
    """What the two-variable page draws of f's model at a point (worked out in a
    worker): the ``model``; f's ``samples`` it was compared with (``(xs, ys, Z)``,
    ``Z[j, i]`` at ``(xs[i], ys[j])``); the model's ``heights`` there; the map of
    log₁₀ |f − model| (NaN where f is undefined) with its contour lines; the model's own
    contour lines (both ``(N, 2)`` in pairs); and, at order 2, its principal axes as two
    segments ``((x0, x1), (y0, y1))`` through the point, a quarter of the map long."""

    model: Model2D
    samples: tuple[np.ndarray, np.ndarray, np.ndarray]
    heights: np.ndarray
    error: np.ndarray
    error_contours: np.ndarray
    model_contours: np.ndarray
    axes: tuple = ()


#: Contour lines of the error map and of the model.
ERROR_LEVELS, MODEL_LEVELS = 10, 12


def model_picture(f: Function, samples: tuple[np.ndarray, np.ndarray, np.ndarray],
                  point: tuple[float, float], order: int) -> ModelPicture:
    """f's order-``order`` model at ``point`` against f's ``samples`` (``(xs, ys, Z)``,
    as :func:`core.surfaces.sample_grid` makes them).  Raises :class:`SeriesError`
    where the model has no value."""
    xs, ys, Z = samples
    model = taylor_2d(f, point, order)
    X, Y = np.meshgrid(xs, ys)
    heights = model(X, Y)
    with np.errstate(all="ignore"):
        error = np.log10(np.abs(Z - heights) + 1e-12)
    error = np.where(np.isfinite(error), error, np.nan)
    axes: tuple = ()
    if order == 2:
        _, vectors = model.axes()
        length = 0.25 * min(xs[-1] - xs[0], ys[-1] - ys[0])
        px, py = model.point
        axes = tuple(((px - length * v[0], px + length * v[0]),
                      (py - length * v[1], py + length * v[1])) for v in vectors.T)
    return ModelPicture(model, samples, heights, error,
                        contour_lines(xs, ys, error, ERROR_LEVELS),
                        contour_lines(xs, ys, heights, MODEL_LEVELS), axes)


# ---- presets --------------------------------------------------------------------------------
@dataclass(frozen=True)
class TaylorPreset:
    name: str
    text: str
    domain: tuple[float, float]
    a: float
    order: int
    note: str = ""


PRESETS = (
    TaylorPreset("eˣ", "e^x", (-4.0, 4.0), 0.0, 3,
                 "Every derivative of eˣ is eˣ: cₙ = eᵃ/n!. The series converges everywhere."),
    TaylorPreset("sin x", "sin x", (-7.0, 7.0), 0.0, 5,
                 "Odd powers only about 0: x − x³/3! + x⁵/5! − … Converges everywhere."),
    TaylorPreset("cos x", "cos x", (-7.0, 7.0), 0.0, 4,
                 "Even powers only about 0: 1 − x²/2! + x⁴/4! − …"),
    TaylorPreset("log(1 + x)", "log(1 + x)", (-0.99, 2.5), 0.0, 5,
                 "x − x²/2 + x³/3 − …: radius 1 about 0, as log(1 + x) ends at x = −1. "
                 "Past x = 1 more terms make it worse."),
    TaylorPreset("1/(1 − x)", "1/(1 - x)", (-2.0, 0.99), 0.0, 5,
                 "The geometric series 1 + x + x² + …: radius 1, the distance to the pole "
                 "at x = 1."),
    TaylorPreset("atan x", "atan x", (-2.5, 2.5), 0.0, 7,
                 "x − x³/3 + x⁵/5 − …: radius 1 about 0 although atan is smooth on the "
                 "whole line: its series feels the singularities at ±i in the complex "
                 "plane."),
    TaylorPreset("√(1 + x)", "sqrt(1 + x)", (-1.0, 3.0), 0.0, 3,
                 "1 + x/2 − x²/8 + …: radius 1, the distance to the branch point at −1."),
    TaylorPreset("e^(−1/x²)", "exp(-1/x^2)", (-2.0, 2.0), 0.6, 4,
                 "Smooth everywhere, yet every derivative at 0 is 0: its Maclaurin series "
                 "is 0, which equals f only at 0. About a ≠ 0 the radius is |a|: move a "
                 "towards 0 and watch the series give up."),
)


@dataclass(frozen=True)
class TaylorPreset2D:
    name: str
    text: str
    domain: tuple[float, float, float, float]
    point: tuple[float, float]
    note: str = ""


PRESETS_2D = (
    TaylorPreset2D("A hill: e^(−x²−y²)", "exp(-x^2 - y^2)", (-2, 2, -2, 2), (0.5, 0.3),
                   "At the top the quadratic model is a dome; on the side, a saddle."),
    TaylorPreset2D("sin x · cos y", "sin(x) cos(y)", (-3.2, 3.2, -3.2, 3.2), (1.2, 0.4),
                   "Hills and saddles in turn: drag the point and watch the model change."),
    TaylorPreset2D("Himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (-5, 5, -5, 5),
                   (2.6, 1.8), "Four minima: near each the model is a bowl of ellipses."),
    TaylorPreset2D("Saddle", "x^2 - y^2", (-2, 2, -2, 2), (0.5, 0.5),
                   "A quadratic is its own order-2 model: the error is zero everywhere."),
    TaylorPreset2D("Rosenbrock", "(1 - x)^2 + 100(y - x^2)^2", (-2, 2, -1, 3), (-0.5, 0.8),
                   "A curved valley: the quadratic model is good only nearby."),
)


# ---- the order climbing (the tab's playback) -------------------------------------------------
@dataclass(frozen=True)
class OrderStep:
    """T_order about a: its largest error over the plotted xs, and over those inside the
    interval of convergence (nan when nothing is inside)."""

    order: int
    max_error: float
    max_error_inside: float


def order_steps(f: Function | str, a: float, xs: np.ndarray, radius: float,
                start: int = 0, stop: int = MAX_ORDER):
    """T_start, T_start+1, … T_stop about a, one :class:`OrderStep` each (a generator for
    the worker: the learner watches the error fall, or grow past the radius)."""
    fn = _function(f)
    c = taylor_coefficients(fn, a, stop)
    with np.errstate(all="ignore"):
        fx = fn(xs)
    inside = np.abs(xs - a) < radius
    for n in range(start, stop + 1):
        with np.errstate(all="ignore"):
            err = np.abs(fx - evaluate_polynomial(c[:n + 1], a, xs))
        finite = np.isfinite(err)
        yield OrderStep(n, float(err[finite].max()) if finite.any() else math.nan,
                        float(err[finite & inside].max()) if (finite & inside).any()
                        else math.nan)
