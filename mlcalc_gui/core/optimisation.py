"""Optimisation (week 5): Newton-Raphson for a root, and where it oscillates or runs away;
descent, Newton and the course's hybrid on a surface (one step rule each, shared with the
Sandpit through :mod:`mlcalc_gui.core.steps`); and constrained optimisation with Lagrange
multipliers, ∇f = λ∇g, solved numerically from many starts (never a symbolic solve that
can hang on typed text).  numpy and sympy only, no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from mlcalc_gui.core.expressions import Function, as_function
from mlcalc_gui.core.steps import STRATEGIES, Rule, steepest

__all__ = ["COURSE_POLYNOMIAL", "COURSE_LAGRANGE", "NewtonStep", "newton_raphson",
           "Basins", "newton_basins", "DescentStep", "descent", "METHODS",
           "LagrangePoint", "lagrange_points", "RUNAWAY"]

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
            value = np.asarray(fn(x), float) * np.ones(n)
            slope = np.asarray(fn.gradient(x)[0], float) * np.ones(n)
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
        small = np.abs(np.asarray(fn(last), float) * np.ones(n)) <= 1e-8
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


@dataclass(frozen=True)
class DescentStep:
    step: int
    x: float
    y: float
    value: float


def descent(f: Function | str, start: tuple[float, float], method: str, rate: float = 0.1,
            steps: int = 100, momentum: float = 0.9) -> Iterator[DescentStep]:
    """The path of ``method`` from ``start`` with the exact gradient J and Hessian H:
    "descent" steps −rate·J, "newton" −H⁻¹J and "hybrid" the course's rule (the
    Sandpit's, :data:`~mlcalc_gui.core.steps.STRATEGIES`), "momentum" v ← βv − rate·J.
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
        yield DescentStep(k, float(p[0]), float(p[1]), value)
        if k == steps or not math.isfinite(value):
            return
        J = np.array([float(g) for g in fn.gradient(*p)])
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
    F, G = as_function(f, ("x", "y")), as_function(g, ("x", "y"))
    xs = np.linspace(domain[0], domain[1], grid)
    ys = np.linspace(domain[2], domain[3], grid)
    X, Y = (a.ravel() for a in np.meshgrid(xs, ys))

    def parts(X, Y):
        fx, fy = (np.asarray(v, float) * np.ones_like(X) for v in F.gradient(X, Y))
        gx, gy = (np.asarray(v, float) * np.ones_like(X) for v in G.gradient(X, Y))
        return fx, fy, gx, gy

    with np.errstate(all="ignore"):
        fx, fy, gx, gy = parts(X, Y)
        lam = (fx * gx + fy * gy) / (gx * gx + gy * gy)  # the best λ at the start
        for _ in range(iterations):
            fx, fy, gx, gy = parts(X, Y)
            gv = np.asarray(G(X, Y), float) * np.ones_like(X)
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
        gv = np.asarray(G(X, Y), float) * np.ones_like(X)
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
