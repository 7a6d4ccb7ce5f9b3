"""Optimisation (week 5): Newton-Raphson for a root, and where it oscillates or runs away;
descent, Newton and the course's hybrid on a surface (one step rule each, shared with the
Sandpit through :mod:`mlcalc_gui.core.step_rules`); and constrained optimisation with Lagrange
multipliers, ∇f = λ∇g, solved numerically from many starts (never a symbolic solve that
can hang on typed text).  numpy and sympy only, no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterator
from dataclasses import dataclass

import numpy as np

from mlcalc_gui.core.calculus import DescentStep
from mlcalc_gui.core.expressions import Function, as_function
from mlcalc_gui.core.step_rules import STRATEGIES, Rule, steepest

__all__ = ["COURSE_POLYNOMIAL", "COURSE_LAGRANGE", "NewtonStep", "newton_raphson",
           "Basins", "newton_basins", "descent", "METHODS",
           "LagrangePoint", "lagrange_points", "lagrange_search", "RUNAWAY", "RaceStep", "race",
           "Curve", "constraint_curves", "CurvePoint", "curve_point", "walk_curve",
           "shifted", "Price", "price_of_constraint", "best_point", "lagrange_study",
           "NewtonPreset", "NEWTON_PRESETS",
           "SurfacePreset", "SURFACE_PRESETS", "LagrangePreset", "LAGRANGE_PRESETS"]

#: The course's Newton-Raphson polynomial: two real roots, f'(±3) = 0 exactly.
COURSE_POLYNOMIAL = "x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30"
#: The course's Lagrange example: f on the ellipse g = 0.
COURSE_LAGRANGE = ("exp(-(2x^2 + y^2 - x y)/2)", "x^2 + 3(y + 1)^2 - 1")
#: |x| beyond this is a run away.
RUNAWAY = 1e6
_TOL = 1e-12


# ---- Newton-Raphson in one variable ---------------------------------------------------------
@dataclass(frozen=True)
class NewtonStep:
    """One Newton-Raphson step: at ``x`` the value f(x) and slope f'(x), and where the
    tangent meets the axis, ``next_x`` (nan when it cannot be taken).  The last record
    of a run says why it ``stopped`` ("root", "zero slope", "runaway", "cycle of period
    p"), or "" when the steps ran out."""

    step: int
    x: float
    value: float
    slope: float
    next_x: float
    stopped: str = ""


def newton_raphson(f: Function | str, x0: float, steps: int = 50
                   ) -> Iterator[NewtonStep]:
    """Newton-Raphson's iterates x ← x − f(x)/f'(x) from ``x0`` (a generator)."""
    fn = as_function(f, ("x",))
    x = float(x0)
    seen: list[float] = []
    for k in range(steps):
        value = float(fn(x))
        slope = float(fn.gradient(x)[0])
        scale = max(1.0, abs(x))
        if not (math.isfinite(value) and math.isfinite(slope)):
            yield NewtonStep(k, x, value, slope, math.nan, "f has no value here")
            return
        if abs(value) <= _TOL * max(1.0, abs(slope)):
            yield NewtonStep(k, x, value, slope, x, "root")
            return
        if slope == 0.0:
            yield NewtonStep(k, x, value, slope, math.nan, "zero slope")
            return
        nxt = x - value / slope
        if not math.isfinite(nxt) or abs(nxt) > RUNAWAY:
            yield NewtonStep(k, x, value, slope, nxt, "runaway")
            return
        if abs(nxt - x) <= 1e-15 * scale:
            yield NewtonStep(k, x, value, slope, nxt, "root")
            return
        seen.append(x)
        # nxt is the iterate after x: back at the iterate p steps before it, a cycle.
        period = next((p for p, old in enumerate(reversed(seen), start=1)
                       if abs(old - nxt) <= 1e-9 * max(1.0, abs(nxt))), 0)
        if period == 1:  # the step no longer moves x: converged
            yield NewtonStep(k, x, value, slope, nxt, "root")
            return
        if period:
            yield NewtonStep(k, x, value, slope, nxt, f"cycle of period {period}")
            return
        yield NewtonStep(k, x, value, slope, nxt)
        x = nxt


@dataclass(frozen=True)
class Basins:
    """Where each start of a vectorised Newton-Raphson ends.  ``kind`` per start:
    0 a root (``root_index`` says which of ``roots``), 1 a cycle (``period``), 2 a
    divergence, 3 a zero slope on the way, 4 undecided after the steps given."""

    starts: np.ndarray
    kind: np.ndarray
    root_index: np.ndarray
    period: np.ndarray
    roots: np.ndarray
    steps: np.ndarray  # steps taken to settle

    ROOT, CYCLE, DIVERGED, ZERO_SLOPE, UNDECIDED = 0, 1, 2, 3, 4


def newton_basins(f: Function | str, starts, max_steps: int = 50) -> Basins:
    """Newton-Raphson from every start at once (numpy), each classified by the root it
    reaches, a cycle and its period, divergence, or a zero derivative."""
    fn = as_function(f, ("x",))
    x = np.asarray(starts, dtype=float).copy()
    n = x.size
    kind = np.full(n, Basins.UNDECIDED)
    taken = np.full(n, max_steps)
    history = np.empty((max_steps + 1, n))
    history[0] = x
    active = np.ones(n, bool)
    with np.errstate(all="ignore"):
        for k in range(max_steps):
            value = fn(x)
            slope = fn.gradient(x)[0]
            at_root = active & (np.abs(value) <= _TOL * np.maximum(1.0, np.abs(slope)))
            kind[at_root], taken[at_root] = Basins.ROOT, k
            active &= ~at_root
            flat = active & (slope == 0)
            kind[flat], taken[flat] = Basins.ZERO_SLOPE, k
            active &= ~flat
            nxt = np.where(active, x - value / slope, x)
            away = active & (~np.isfinite(nxt) | (np.abs(nxt) > RUNAWAY))
            kind[away], taken[away] = Basins.DIVERGED, k
            active &= ~away
            x = np.where(active, nxt, x)
            history[k + 1] = x
            if not active.any():
                break
    # The undecided: converged slowly (a multiple root), or in a cycle.
    period = np.zeros(n, int)
    last = history[min(k + 1, max_steps)]
    for p in range(1, 9):
        back = history[min(k + 1, max_steps) - p]
        same = (kind == Basins.UNDECIDED) & (period == 0) & (
            np.abs(back - last) <= 1e-7 * np.maximum(1.0, np.abs(last)))
        period[same] = p
    with np.errstate(all="ignore"):
        small = np.abs(fn(last)) <= 1e-8
    slow_root = (kind == Basins.UNDECIDED) & small
    kind[slow_root] = Basins.ROOT
    cycle = (kind == Basins.UNDECIDED) & (period > 1)
    kind[cycle] = Basins.CYCLE
    period[~cycle] = 0
    # The distinct roots reached, merged within 1e-6.
    found = np.sort(last[kind == Basins.ROOT])
    roots: list[float] = []
    for r in found:
        if not roots or abs(r - roots[-1]) > 1e-6 * max(1.0, abs(r)):
            roots.append(float(r))
    roots_arr = np.array(roots)
    root_index = np.full(n, -1)
    if roots:
        nearest = np.abs(last[:, None] - roots_arr[None, :]).argmin(axis=1)
        root_index = np.where(kind == Basins.ROOT, nearest, -1)
    return Basins(np.asarray(starts, float), kind, root_index, period, roots_arr, taken)


# ---- descent on a surface -------------------------------------------------------------------
#: The methods compared on a surface: steepest descent (a learning rate), Newton, the
#: course's hybrid, and momentum.
METHODS = ("descent", "newton", "hybrid", "momentum")


def descent(f: Function | str, start: tuple[float, float], method: str, rate: float = 0.1,
            steps: int = 100, momentum: float = 0.9) -> Iterator[DescentStep]:
    """The path of ``method`` from ``start`` with the exact gradient J and Hessian H:
    "descent" steps −rate·J, "newton" −H⁻¹J and "hybrid" the course's rule (the
    Sandpit's, :data:`~mlcalc_gui.core.step_rules.STRATEGIES`), "momentum" v ← βv − rate·J.
    Stops when the step vanishes or the path leaves the numbers."""
    fn = as_function(f, ("x", "y"))
    rules: dict[str, Rule] = {
        "descent": steepest(rate), "newton": STRATEGIES["newton"],
        "hybrid": STRATEGIES["hybrid"], "momentum": steepest(rate)}
    if method not in rules:
        raise ValueError(f"unknown method {method!r}")
    rule = rules[method]
    p = np.array(start, dtype=float)
    v = np.zeros(2)
    for k in range(steps + 1):
        value = float(fn(*p))
        finite = math.isfinite(value)
        J = np.array([float(g) for g in fn.gradient(*p)]) if finite else np.full(2, np.nan)
        yield DescentStep(k, (float(p[0]), float(p[1])), value, (float(J[0]), float(J[1])))
        if k == steps or not finite:
            return
        H = np.asarray(fn.hessian(*p), dtype=float)
        with np.errstate(all="ignore"):
            step = rule(J, H)
            if method == "momentum":
                v = momentum * v + step
                step = v
        if not np.all(np.isfinite(step)) or np.hypot(*step) < 1e-12 * max(1.0, np.hypot(*p)):
            return
        p = p + step


# ---- Lagrange multipliers -------------------------------------------------------------------
@dataclass(frozen=True)
class LagrangePoint:
    """A stationary point of L = f − λg on g = 0: where, λ, f there, and its ``kind``:
    "max" or "min" (a local one along the constraint, by the bordered Hessian), or
    "stationary"; ``best`` says "the maximum" or "the minimum" for the extreme values
    among the points found (on a closed curve, the constrained maximum and minimum)."""

    x: float
    y: float
    multiplier: float
    value: float
    kind: str
    best: str = ""


def lagrange_points(f: Function | str, g: Function | str,
                    domain: tuple[float, float, float, float] = (-3, 3, -3, 3),
                    grid: int = 15, iterations: int = 60) -> list[LagrangePoint]:
    """The stationary points of L = f − λg with g(x, y) = 0, found by Newton's method on
    ∇L = 0 in (x, y, λ) from a grid of starts over ``domain`` (all at once, in numpy),
    then checked (|∇L| small), merged and classified."""
    return _finish(lagrange_search(f, g, domain, grid, iterations))


def _finish(search: Generator):
    """Run a search that yields fractions done to its end; its value."""
    while True:
        try:
            next(search)
        except StopIteration as done:
            return done.value


def lagrange_search(f: Function | str, g: Function | str,
                    domain: tuple[float, float, float, float] = (-3, 3, -3, 3),
                    grid: int = 15, iterations: int = 60
                    ) -> Generator[float, None, list[LagrangePoint]]:
    """:func:`lagrange_points` as a generator: it yields the fraction done after each
    Newton iteration (a worker can cancel it there) and returns the points."""
    F, G = as_function(f, ("x", "y")), as_function(g, ("x", "y"))
    xs = np.linspace(domain[0], domain[1], grid)
    ys = np.linspace(domain[2], domain[3], grid)
    X, Y = (a.ravel() for a in np.meshgrid(xs, ys))

    def parts(X, Y):
        fx, fy = F.gradient(X, Y)
        gx, gy = G.gradient(X, Y)
        return fx, fy, gx, gy

    with np.errstate(all="ignore"):
        fx, fy, gx, gy = parts(X, Y)
        lam = (fx * gx + fy * gy) / (gx * gx + gy * gy)  # the best λ at the start
        for iteration in range(iterations):
            if iteration:
                yield iteration / iterations
            fx, fy, gx, gy = parts(X, Y)
            gv = G(X, Y)
            Hf = np.asarray(F.hessian(X, Y), float)
            Hg = np.asarray(G.hessian(X, Y), float)
            r = np.stack([fx - lam * gx, fy - lam * gy, gv], axis=-1)
            J = np.zeros((X.size, 3, 3))
            J[:, :2, :2] = Hf - lam[:, None, None] * Hg
            J[:, 0, 2], J[:, 1, 2] = -gx, -gy
            J[:, 2, 0], J[:, 2, 1] = gx, gy
            ok = np.all(np.isfinite(J), axis=(1, 2)) & np.all(np.isfinite(r), axis=1)
            ok &= np.abs(np.linalg.det(np.where(ok[:, None, None], J, np.eye(3)))) > 1e-300
            delta = np.zeros((X.size, 3))
            if ok.any():
                delta[ok] = np.linalg.solve(J[ok], -r[ok][..., None])[..., 0]
            # Damped: at most a step of 1 in (x, y), so far starts do not fly off.
            size = np.maximum(1.0, np.hypot(delta[:, 0], delta[:, 1]))
            X, Y, lam = X + delta[:, 0] / size, Y + delta[:, 1] / size, lam + delta[:, 2] / size
        fx, fy, gx, gy = parts(X, Y)
        gv = G(X, Y)
        residual = np.sqrt((fx - lam * gx) ** 2 + (fy - lam * gy) ** 2 + gv**2)
        scale = 1.0 + np.sqrt(fx**2 + fy**2)
    good = np.isfinite(residual) & (residual <= 1e-8 * scale)
    points: list[tuple[float, float, float]] = []
    for x, y, m in zip(X[good], Y[good], lam[good], strict=True):
        if all(math.hypot(x - px, y - py) > 1e-6 for px, py, _ in points):
            points.append((float(x), float(y), float(m)))
    out = []
    for x, y, m in sorted(points):
        gx_, gy_ = (float(v) for v in G.gradient(x, y))
        Hf, Hg = np.asarray(F.hessian(x, y), float), np.asarray(G.hessian(x, y), float)
        L = Hf - m * Hg
        bordered = np.linalg.det(np.array([[0, gx_, gy_], [gx_, L[0, 0], L[0, 1]],
                                           [gy_, L[1, 0], L[1, 1]]]))
        size = max(1e-12, abs(gx_) ** 2 + abs(gy_) ** 2) * max(1.0, float(np.abs(L).max()))
        kind = "max" if bordered > 1e-9 * size else "min" if bordered < -1e-9 * size \
            else "stationary"
        out.append(LagrangePoint(x, y, m, float(F(x, y)), kind))
    if out:
        values = [p.value for p in out]
        top, bottom = max(values), min(values)
        out = [LagrangePoint(p.x, p.y, p.multiplier, p.value, p.kind,
                             "the maximum" if p.value == top and p.kind == "max" else
                             "the minimum" if p.value == bottom and p.kind == "min" else "")
               for p in out]
    return out


def shifted(g: Function | str, c: float):
    """The constraint g = c as g − c = 0 (a function with g's derivatives)."""
    G = as_function(g, ("x", "y"))
    return _Shifted(G, float(c))


class _Shifted:
    def __init__(self, g: Function, c: float):
        self.g, self.c = g, c
        self.text = f"{g.text} = {c:g}"
        self.variables = g.variables

    def __call__(self, *args):
        return self.g(*args) - self.c

    def gradient(self, *args):
        return self.g.gradient(*args)

    def hessian(self, *args):
        return self.g.hessian(*args)


@dataclass(frozen=True)
class Price:
    """λ as a price: the best value f* on g = 0 and on g = c, its change, and λ·c."""

    point: LagrangePoint  # the optimum on g = 0
    moved: LagrangePoint | None  # the same kind of optimum on g = c (None: not found)
    c: float

    @property
    def change(self) -> float:
        return math.nan if self.moved is None else self.moved.value - self.point.value

    @property
    def predicted(self) -> float:
        return self.point.multiplier * self.c


def best_point(points: list[LagrangePoint]) -> LagrangePoint | None:
    """The constrained maximum among ``points``, else the minimum (None: neither)."""
    return next((p for p in points if p.best == "the maximum"), None) or next(
        (p for p in points if p.best), None)


def price_of_constraint(f: Function | str, g: Function | str, points: list[LagrangePoint],
                        c: float, domain=(-3, 3, -3, 3)) -> Price | None:
    """How the optimum f* moves when the constraint moves to g = c, against λ·c: the
    multiplier is the rate d f*/d c, the price of loosening the constraint."""
    best = best_point(points)
    if best is None:
        return None
    return _priced(best, lagrange_points(f, shifted(g, c), domain), c)


def _priced(best: LagrangePoint, moved: list[LagrangePoint], c: float) -> Price:
    same = [p for p in moved if p.best == best.best]
    near = min(same, key=lambda p: math.hypot(p.x - best.x, p.y - best.y), default=None)
    return Price(best, near, float(c))


def _scaled(search: Generator, start: float, part: float) -> Generator:
    """``search``'s fractions mapped into [start, start + part]; returns its value."""
    while True:
        try:
            fraction = next(search)
        except StopIteration as done:
            return done.value
        yield start + part * fraction


def lagrange_study(f: Function | str, g: Function | str,
                   domain: tuple[float, float, float, float], c: float
                   ) -> Generator[float, None, tuple[list[LagrangePoint], Price | None]]:
    """The points on g = 0 and the price of moving it to g = c, as one cancellable
    search (it yields the fraction done)."""
    F, G = as_function(f, ("x", "y")), as_function(g, ("x", "y"))
    points = yield from _scaled(lagrange_search(F, G, domain), 0.0, 0.5)
    best = best_point(points)
    if best is None or c == 0:
        return points, None
    moved = yield from _scaled(lagrange_search(F, shifted(G, c), domain), 0.5, 0.5)
    return points, _priced(best, moved, c)


# ---- the race: the four methods from one start ---------------------------------------------
@dataclass(frozen=True)
class RaceStep:
    """Step ``step`` of every method in :data:`METHODS`: its point (x, y, f), and whether
    it still moves (``moving[i]``: this point is new; a method that stopped keeps its
    last point).  The last record of a race where all stopped has no one moving."""

    step: int
    points: tuple[tuple[float, float, float], ...]
    moving: tuple[bool, ...]


def race(f: Function | str, start: tuple[float, float], rate: float = 0.1,
         steps: int = 100, momentum: float = 0.9) -> Iterator[RaceStep]:
    """Descent, Newton, the hybrid and momentum from ``start`` side by side, one record
    per step until every one has stopped or ``steps`` are taken."""
    fn = as_function(f, ("x", "y"))
    runs = [descent(fn, start, m, rate, steps, momentum) for m in METHODS]
    last: list[DescentStep | None] = [None] * len(runs)
    moving = [True] * len(runs)
    for k in range(steps + 1):
        for i, run in enumerate(runs):
            if moving[i]:
                record = next(run, None)
                if record is None:
                    moving[i] = False
                else:
                    last[i] = record
        yield RaceStep(k, tuple((r.x, r.y, r.value) for r in last), tuple(moving))
        if not any(moving):
            return  # that last record said so: every method has stopped


# ---- the constraint curve ------------------------------------------------------------------
@dataclass(frozen=True)
class Curve:
    """One piece of the curve g = 0: points in order, their arc length ``s`` from the
    first, and whether it closes on itself."""

    points: np.ndarray  # (n, 2)
    s: np.ndarray  # (n,)
    closed: bool

    @property
    def length(self) -> float:
        return float(self.s[-1]) if self.s.size else 0.0

    @property
    def spacing(self) -> float:
        """The longest step between neighbouring points."""
        return float(np.max(np.diff(self.s))) if len(self.s) > 1 else 0.0

    def nearest(self, x: float, y: float) -> int:
        return int(np.argmin(np.hypot(self.points[:, 0] - x, self.points[:, 1] - y)))


def _chain(segments: np.ndarray, scale: float) -> list[tuple[np.ndarray, bool]]:
    """Join marching-squares segments (pairs of rows) into polylines."""
    ends = np.round(segments / scale).astype(np.int64)
    keys = [tuple(e) for e in ends]
    where: dict[tuple, list[int]] = {}
    for i, key in enumerate(keys):
        where.setdefault(key, []).append(i)
    used = np.zeros(len(segments) // 2, bool)

    def walk(row: int) -> list[int]:
        rows = [row]
        while True:
            other = rows[-1] ^ 1  # the far end of this segment
            rows.append(other)
            nxt = [r for r in where[keys[other]] if not used[r // 2]]
            if not nxt:
                return rows
            used[nxt[0] // 2] = True
            rows.append(nxt[0])

    lines = []
    # Open pieces from their ends first, then the loops.
    order = sorted(range(len(segments)), key=lambda r: len(where[keys[r]]))
    for row in order:
        if used[row // 2]:
            continue
        used[row // 2] = True
        rows = walk(row)
        pts = segments[rows[::2] + [rows[-1]]]
        closed = keys[rows[0]] == keys[rows[-1]] and len(rows) > 4
        lines.append((pts, closed))
    return lines


def constraint_curves(g: Function | str, domain: tuple[float, float, float, float],
                      grid: int = 161) -> list[Curve]:
    """The curve g(x, y) = 0 over ``domain``, as ordered pieces (longest first), each
    point pulled onto the curve by two Newton steps along ∇g."""
    from mlcalc_gui.core.contours import contour_segments

    G = as_function(g, ("x", "y"))
    xs = np.linspace(domain[0], domain[1], grid)
    ys = np.linspace(domain[2], domain[3], grid)
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        Z = G(X, Y)
    segments = contour_segments(xs, ys, Z, 0.0)
    if not len(segments):
        return []
    scale = 1e-7 * max(domain[1] - domain[0], domain[3] - domain[2])
    curves = []
    for pts, closed in _chain(segments, scale):
        keep = np.concatenate([[True], np.hypot(*np.diff(pts, axis=0).T) > scale])
        pts = pts[keep]
        if len(pts) < 2:
            continue
        px, py = pts[:, 0].copy(), pts[:, 1].copy()
        with np.errstate(all="ignore"):
            for _ in range(2):
                gv = G(px, py)
                gx, gy = G.gradient(px, py)
                norm = gx * gx + gy * gy
                dx, dy = gv * gx / norm, gv * gy / norm
                ok = np.isfinite(dx) & np.isfinite(dy) & (np.hypot(dx, dy) < 4 * (xs[1] - xs[0]))
                px, py = np.where(ok, px - dx, px), np.where(ok, py - dy, py)
        pts = np.column_stack([px, py])
        s = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(pts, axis=0).T))])
        curves.append(Curve(pts, s, closed))
    return sorted(curves, key=lambda c: -c.length)


@dataclass(frozen=True)
class CurvePoint:
    """A point on the constraint: f there, ∇f and ∇g, the angle between them (degrees;
    0 or 180 where they are parallel: a candidate), the best λ for ∇f ≈ λ∇g there, and
    df/ds, the slope of f along the curve (0 at a solution)."""

    index: int
    x: float
    y: float
    s: float
    value: float
    grad_f: tuple[float, float]
    grad_g: tuple[float, float]
    angle: float
    multiplier: float
    slope: float


def curve_point(f: Function | str, g: Function | str, curve: Curve, index: int,
                at: tuple[float, float] | None = None) -> CurvePoint:
    """What the learner sees at the ``index``-th point of ``curve`` (or at the exact
    point ``at`` near it, a solution found)."""
    F, G = as_function(f, ("x", "y")), as_function(g, ("x", "y"))
    x, y = (float(v) for v in (curve.points[index] if at is None else at))
    with np.errstate(all="ignore"):
        fx, fy = (float(v) for v in F.gradient(x, y))
        gx, gy = (float(v) for v in G.gradient(x, y))
        nf, ng = math.hypot(fx, fy), math.hypot(gx, gy)
        cos = (fx * gx + fy * gy) / (nf * ng) if nf > 0 and ng > 0 else math.nan
        angle = math.degrees(math.acos(max(-1.0, min(1.0, cos)))) if math.isfinite(cos) \
            else math.nan
        lam = (fx * gx + fy * gy) / (ng * ng) if ng > 0 else math.nan
        # The tangent (−gy, gx)/|∇g| points the way s grows, or the other way: match it.
        tx, ty = (-gy / ng, gx / ng) if ng > 0 else (math.nan, math.nan)
        a, b = curve.points[max(index - 1, 0)], curve.points[min(index + 1, len(curve.s) - 1)]
        if tx * (b[0] - a[0]) + ty * (b[1] - a[1]) < 0:
            tx, ty = -tx, -ty
        slope = fx * tx + fy * ty
    return CurvePoint(index, x, y, float(curve.s[index]), float(F(x, y)), (fx, fy), (gx, gy),
                      angle, lam, slope)


def walk_curve(f: Function | str, g: Function | str, curve: Curve, start: int = 0,
               stride: int = 3) -> Iterator[CurvePoint]:
    """The point walked along the curve from ``start``: once round a closed curve, to
    the end of an open one."""
    n = len(curve.s)
    count = (n - 1) // stride if curve.closed else (n - 1 - start) // stride
    for k in range(count + 1):
        index = (start + k * stride) % (n - 1 if curve.closed else n)
        yield curve_point(f, g, curve, index)


# ---- presets --------------------------------------------------------------------------------
@dataclass(frozen=True)
class NewtonPreset:
    name: str
    text: str
    domain: tuple[float, float]
    x0: float
    note: str = ""


NEWTON_PRESETS = (
    NewtonPreset("The course's polynomial", COURSE_POLYNOMIAL, (-4.5, 4.5), 3.1,
                 "Two real roots, near −3.76 and 1.06. f′ = 0 at −3, −1, 2 and 3: no step "
                 "from there. Starts near 3 wander (f has a minimum above 0 there) and can "
                 "land far away."),
    NewtonPreset("A cycle: x³ − 2x + 2", "x^3 - 2x + 2", (-2.5, 2.5), 0.0,
                 "From 0 the tangents go 0 → 1 → 0 → 1 … for ever: a cycle of period 2. "
                 "The real root is near −1.77."),
    NewtonPreset("Runs away: arctan x", "atan x", (-6.0, 6.0), 1.5,
                 "One root at 0. From |x0| > 1.39 each tangent lands further out: Newton "
                 "diverges."),
    NewtonPreset("cos x = x", "cos x - x", (-3.0, 3.0), 1.0,
                 "One root near 0.739: Newton doubles the correct digits at every step."),
    NewtonPreset("A double root: (x − 1)²", "(x - 1)^2", (-1.0, 3.0), 2.5,
                 "At a double root the slope is 0 as well: Newton only halves the error "
                 "at each step (linear, not quadratic, convergence)."),
)


@dataclass(frozen=True)
class SurfacePreset:
    name: str
    text: str
    domain: tuple[float, float, float, float]
    start: tuple[float, float]
    rate: float
    note: str = ""


SURFACE_PRESETS = (
    SurfacePreset("Rosenbrock's valley", "(1 - x)^2 + 100(y - x^2)^2", (-2, 2, -1, 3),
                  (-1.2, 1.0), 0.001,
                  "A curved, narrow valley with its minimum at (1, 1). Steepest descent "
                  "crawls along the floor; Newton follows the curve in a few steps."),
    SurfacePreset("Two pits and a saddle", "(x^2 - 1)^2 + y^2", (-2, 2, -1.5, 1.5),
                  (0.3, 1.0), 0.05,
                  "Minima at (±1, 0), a saddle at (0, 0). From near x = 0 Newton jumps "
                  "to the saddle: its step goes to where ∇f = 0, whatever that is."),
    SurfacePreset("A narrow bowl: x² + 10y²", "x^2 + 10y^2", (-2, 2, -1.5, 1.5),
                  (-1.8, 1.2), 0.09,
                  "Steepest descent zig-zags across the narrow direction; Newton takes "
                  "one step, as it does on every quadratic."),
    SurfacePreset("Hills and hollows: sin x + cos y", "sin x + cos y", (-4, 4, -4, 4),
                  (1.0, 0.5), 0.3,
                  "Near a hilltop Newton climbs to it (H is negative definite there); "
                  "descent and the hybrid go down to a hollow."),
)


@dataclass(frozen=True)
class LagrangePreset:
    name: str
    f: str
    g: str
    domain: tuple[float, float, float, float]
    point: tuple[float, float]
    note: str = ""

    @property
    def text(self) -> str:
        """f, the function the preset list names."""
        return self.f


LAGRANGE_PRESETS = (
    LagrangePreset("The course's ellipse", *COURSE_LAGRANGE, (-1.5, 1.5, -2.2, 0.4),
                   (0.6, -0.45),
                   "Maximise f = exp(−(2x² + y² − xy)/2) on the ellipse x² + 3(y + 1)² = 1."),
    LagrangePreset("x + y on a circle", "x + y", "x^2 + y^2 - 1", (-1.6, 1.6, -1.6, 1.6),
                   (1.0, 0.0), "The best x + y on the unit circle: √2 at 45°, λ = 1/√2."),
    LagrangePreset("x y on a line", "x y", "x + y - 2", (-1, 3, -1, 3), (0.2, 1.8),
                   "A fence of fixed length: the biggest rectangle x y with x + y = 2 is "
                   "the square, at (1, 1), λ = 1."),
    LagrangePreset("Distance to a hyperbola", "x^2 + y^2", "x y - 1", (-3, 3, -3, 3),
                   (2.5, 0.4),
                   "The closest points of x y = 1 to the origin: (1, 1) and (−1, −1), "
                   "minima of x² + y², with λ = 2. The curve has two pieces."),
)
