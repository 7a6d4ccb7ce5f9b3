"""Contour lines by vectorised marching squares (numpy only)."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["contour_segments", "contour_lines", "nice_levels", "value_range", "graph_range"]

# For each of the 16 corner cases, the pairs of cell edges a contour crosses.
# Corners: 0 = (i, j), 1 = (i, j+1), 2 = (i+1, j+1), 3 = (i+1, j); edges: 0 bottom (0-1),
# 1 right (1-2), 2 top (3-2), 3 left (0-3).  Saddle cases 5 and 10 give two segments.
_CASES = {
    1: [(3, 0)], 2: [(0, 1)], 3: [(3, 1)], 4: [(1, 2)], 5: [(3, 2), (0, 1)],
    6: [(0, 2)], 7: [(3, 2)], 8: [(2, 3)], 9: [(2, 0)], 10: [(0, 3), (1, 2)],
    11: [(2, 1)], 12: [(1, 3)], 13: [(1, 0)], 14: [(0, 3)],
}


def contour_segments(
    xs: np.ndarray, ys: np.ndarray, Z: np.ndarray, level: float
) -> np.ndarray:
    """Line segments of the contour ``Z == level``.

    ``Z[j, i]`` is the value at ``(xs[i], ys[j])``.  Returns an array of shape (2K, 2):
    consecutive rows are the two ends of one segment (ready for a "pairs" line plot).
    NaN cells are skipped.
    """
    Z = np.asarray(Z, dtype=float)
    a = Z[:-1, :-1]  # corner 0 at (x_i, y_j)
    b = Z[:-1, 1:]   # corner 1 at (x_i+1, y_j)
    c = Z[1:, 1:]    # corner 2 at (x_i+1, y_j+1)
    d = Z[1:, :-1]   # corner 3 at (x_i, y_j+1)
    finite = np.isfinite(a) & np.isfinite(b) & np.isfinite(c) & np.isfinite(d)
    case = (
        (a > level).astype(np.int8)
        | ((b > level).astype(np.int8) << 1)
        | ((c > level).astype(np.int8) << 2)
        | ((d > level).astype(np.int8) << 3)
    )
    case[~finite] = 0
    case[case == 15] = 0
    jj, ii = np.nonzero(case)
    if jj.size == 0:
        return np.empty((0, 2))
    cases = case[jj, ii]
    x0, x1 = xs[ii], xs[ii + 1]
    y0, y1 = ys[jj], ys[jj + 1]
    va, vb, vc, vd = a[jj, ii], b[jj, ii], c[jj, ii], d[jj, ii]

    def frac(p, q):
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (level - p) / (q - p)
        return np.clip(np.nan_to_num(t, nan=0.5), 0.0, 1.0)

    edge_points = [
        np.column_stack([x0 + frac(va, vb) * (x1 - x0), y0]),  # bottom
        np.column_stack([x1, y0 + frac(vb, vc) * (y1 - y0)]),  # right
        np.column_stack([x0 + frac(vd, vc) * (x1 - x0), y1]),  # top
        np.column_stack([x0, y0 + frac(va, vd) * (y1 - y0)]),  # left
    ]
    out = []
    for code, pairs in _CASES.items():
        sel = cases == code
        if not sel.any():
            continue
        for e1, e2 in pairs:
            seg = np.empty((2 * int(sel.sum()), 2))
            seg[0::2] = edge_points[e1][sel]
            seg[1::2] = edge_points[e2][sel]
            out.append(seg)
    return np.concatenate(out) if out else np.empty((0, 2))


def nice_levels(Z: np.ndarray, count: int = 20, robust: bool = True) -> np.ndarray:
    """``count`` evenly spaced contour levels across the finite values of Z.

    With ``robust`` the range is the 1st to 99th percentile, so one spike (a pole, or the
    walls of Rosenbrock's valley) does not squeeze every other contour together.
    """
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        return np.empty(0)
    lo, hi = (np.percentile(finite, [1, 99]) if robust else (finite.min(), finite.max()))
    if not hi > lo:
        return np.array([float(lo)])
    step = (hi - lo) / (count + 1)
    return lo + step * np.arange(1, count + 1)


def contour_lines(xs: np.ndarray, ys: np.ndarray, Z: np.ndarray, count: int = 20,
                  robust: bool = True) -> np.ndarray:
    """``count`` evenly spaced contour lines of Z (:func:`nice_levels`) as one ``(N, 2)``
    array of segment ends, in pairs."""
    segments = [contour_segments(xs, ys, Z, level) for level in nice_levels(Z, count, robust)]
    return np.concatenate(segments) if segments else np.empty((0, 2))


def value_range(Z: np.ndarray, zlim: tuple[float, float] | None = None) -> tuple[float, float]:
    """The range to colour or draw Z over: ``zlim`` if given, else the finite values'
    range, widened to a unit span when it is empty (a constant function), or to a
    millionth of the value when a unit is below float precision there."""
    if zlim is None:
        finite = Z[np.isfinite(Z)]
        zlim = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    lo, hi = zlim
    if hi - lo > 1e-12 * max(abs(lo), abs(hi)):
        return lo, hi
    # Empty, or too narrow for float arithmetic to tell its ends apart (10^100): a span
    # the numbers can hold.
    return lo, lo + max(1.0, abs(lo) * 1e-6)


def _percentiles(values: np.ndarray, qs) -> tuple[float, ...]:
    """``np.percentile(values, qs)`` (its linear method, to the last bit), without
    numpy's first call (7 ms of imports, on the path of the first frame)."""
    ordered = np.sort(values)
    last = ordered.size - 1
    out = []
    for q in qs:
        position = q / 100 * last
        below = int(math.floor(position))
        t = position - below
        a, b = ordered[below], ordered[min(below + 1, last)]
        step = b - a
        out.append(float(a + step * t if t < 0.5 else b - step * (1 - t)))
    return tuple(out)


def graph_range(values: np.ndarray, include: float | None = None, pad: float = 0.12
                ) -> tuple[float, float] | None:
    """The y range to show a sampled graph in: its 1st to 99th percentile (a pole does
    not flatten the rest), widened to take in ``include`` (the axis, say) and padded by
    ``pad`` of its height; None when no value is finite."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return None
    lo, hi = _percentiles(finite, (1, 99))
    if include is not None:
        lo, hi = min(lo, include), max(hi, include)
    margin = pad * (hi - lo) or 1.0
    return lo - margin, hi + margin
