"""Preset functions of two variables, with the domain and descent settings that suit
them, and what a landscape of f(x, y) shows: its grids, colour range, contours and
gradient field, worked out in one go (off the GUI thread) as a :class:`LandscapePicture`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mlcalc_gui.core.contours import contour_lines
from mlcalc_gui.core.numbers import format_number

__all__ = ["Preset", "PRESETS", "preset_by_name", "sample_grid", "gradient_field",
           "LandscapePicture", "colour_range", "landscape_picture", "picture_of_grid"]


@dataclass(frozen=True)
class Preset:
    """A named function with a good viewing domain and a descent that shows something."""

    name: str
    text: str
    domain: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max
    start: tuple[float, float]
    learning_rate: float
    note: str


PRESETS: tuple[Preset, ...] = (
    Preset("Bowl", "x^2 + y^2", (-2, 2, -2, 2), (1.6, 1.2), 0.1,
           "One minimum at the origin; the gradient points straight out of the bowl."),
    Preset("Saddle", "x^2 - y^2", (-2, 2, -2, 2), (1.5, 0.05), 0.1,
           "A minimum along x, a maximum along y: the Hessian has one eigenvalue of each sign."),
    Preset("Monkey saddle", "x^3 - 3x y^2", (-1.5, 1.5, -1.5, 1.5), (0.8, 0.3), 0.05,
           "Three valleys meet: the Hessian at the origin is zero, so the test is inconclusive."),
    Preset("Rosenbrock", "(1 - x)^2 + 100(y - x^2)^2", (-2, 2, -1, 3), (-1.2, 1.0), 0.0015,
           "A curved narrow valley: descent crawls along it towards the minimum at (1, 1)."),
    Preset("Himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (-5, 5, -5, 5), (0.0, 0.0),
           0.01, "Four minima of equal depth: where you start decides where you end."),
    Preset("sin x · cos y", "sin(x) cos(y)", (-3.2, 3.2, -3.2, 3.2), (0.4, 0.6), 0.3,
           "A landscape of egg-box hills and hollows, with saddles between them."),
    Preset("Sandpit (intro floor)",
           "-((x - 4.1)^2 + (y - 0.9)^2) - 30exp(-((x - 1.5)^2 + (y - 3.7)^2)/2.8)",
           (0, 6, 0, 6), (3.0, 2.0), 0.03,
           "The Sandpit game's first floor: the well is centred at (1.5, 3.7), but the "
           "bowl pulls its deepest point over to (1.21, 4.01)."),
)


def preset_by_name(name: str) -> Preset:
    for preset in PRESETS:
        if preset.name == name:
            return preset
    raise KeyError(name)


def sample_grid(function, domain, n: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample ``function`` on an n x n grid over ``domain``.

    Returns ``(xs, ys, Z)`` with ``Z[j, i] = f(xs[i], ys[j])`` (rows are y, as an image).
    """
    x0, x1, y0, y1 = domain
    xs = np.linspace(x0, x1, n)
    ys = np.linspace(y0, y1, n)
    X, Y = np.meshgrid(xs, ys)
    Z = np.asarray(function(X, Y), dtype=float)
    return xs, ys, Z


def gradient_field(function, domain, n: int = 15):
    """Arrows of grad f on an n x n grid of cell centres over ``domain``, as (X, Y, U, V):
    longer means steeper, capped at 0.85 of a cell (the 90th percentile of |grad f| gets
    the full length) so arrows never cover each other.  None where f has no slope."""
    x0, x1, y0, y1 = domain
    cell = min(x1 - x0, y1 - y0) / n
    X, Y = np.meshgrid(np.linspace(x0 + cell / 2, x1 - cell / 2, n),
                       np.linspace(y0 + cell / 2, y1 - cell / 2, n))
    U, V = (np.broadcast_to(np.asarray(g, dtype=float), X.shape)
            for g in function.gradient(X, Y))
    mag = np.hypot(U, V)
    finite = mag[np.isfinite(mag)]
    scale = np.percentile(finite, 90) if finite.size else 0.0
    if not scale > 0:
        return None
    length = 0.85 * cell * np.minimum(mag / scale, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return X, Y, U / mag * length, V / mag * length


Grid = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True, eq=False)
class LandscapePicture:
    """Everything a landscape view draws of ``Z[j, i] = f(xs[i], ys[j])``: the map's grid,
    the (coarser) grid the 3D surface is made of, the colour range both share with the
    sentence that says what it spans, the least and greatest finite values (``extent``),
    the contour segments (``(N, 2)``, in pairs) and the gradient field's arrows
    (``(X, Y, U, V)``, None when not asked for or f is flat)."""

    tag: object  # what it is a picture of (a function's text and domain, say)
    grid: Grid
    mesh: Grid
    zlim: tuple[float, float]
    note: str
    extent: tuple[float, float]
    contours: np.ndarray
    levels: int
    field: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None


def colour_range(Z: np.ndarray, name: str = "f") -> tuple[tuple[float, float], str]:
    """The range Z is coloured over, and the sentence that says so: the true range, or
    where a spike (a pole) would flatten the rest, the 0.5th or 99.5th percentile on that
    side (the sentence names the values beyond it); a flat Z gets a range around its
    value that float arithmetic can still tell apart."""
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        return (0.0, 1.0), f"{name} is undefined everywhere here."
    bottom, top = float(finite.min()), float(finite.max())
    lo, hi = (float(v) for v in np.percentile(finite, [0.5, 99.5]))
    spread = hi - lo
    clipped_low, clipped_high = lo - bottom > 0.5 * spread, top - hi > 0.5 * spread
    lo, hi = (lo if clipped_low else bottom), (hi if clipped_high else top)
    if not hi - lo > 1e-9 * max(1.0, abs(lo), abs(hi)):
        # Flat, or flat to float precision (10^20 + x^2): a range around the value
        # that float arithmetic can still tell apart.
        pad = max(0.5, abs(lo) * 1e-6)
        lo, hi = lo - pad, hi + pad
        clipped_low = clipped_high = False
    note = f"Colours span {name} from {format_number(lo)} to {format_number(hi)}"
    spikes = [f"down to {format_number(bottom)}"] * clipped_low + [
        f"up to {format_number(top)}"] * clipped_high
    if spikes:
        note += (", the middle 99% of its values: a few reach " + " and ".join(spikes)
                 + " (a pole or a steep wall) and take the end colours.")
    else:
        note += "."
    if finite.size < Z.size:
        note += f" The holes are where {name} is undefined."
    return (lo, hi), note


def picture_of_grid(grid: Grid, mesh: Grid | None = None, levels: int = 20,
                    name: str = "f", tag: object = None,
                    field: tuple | None = None) -> LandscapePicture:
    """The picture of values already sampled (``mesh``: the 3D grid, or the same)."""
    xs, ys, Z = grid
    zlim, note = colour_range(Z, name)
    finite = Z[np.isfinite(Z)]
    extent = (float(finite.min()), float(finite.max())) if finite.size else (np.nan, np.nan)
    return LandscapePicture(tag, grid, mesh or grid, zlim, note, extent,
                            contour_lines(xs, ys, Z, levels), levels, field)


def landscape_picture(function, domain, grid: int = 200, mesh: int = 70, levels: int = 20,
                      field: int = 0, name: str = "f") -> LandscapePicture:
    """The picture of f(x, y) over ``domain``: sampled on ``grid`` × ``grid`` points for
    the map and ``mesh`` × ``mesh`` for the surface, and (``field`` > 0) the gradient's
    arrows on ``field`` × ``field`` cells.  Tagged with the function's text and domain."""
    with np.errstate(all="ignore"):
        fine = sample_grid(function, domain, grid)
        coarse = fine if mesh == grid else sample_grid(function, domain, mesh)
        arrows = gradient_field(function, domain, field) if field else None
    return picture_of_grid(fine, coarse, levels, name,
                           (getattr(function, "text", None), tuple(domain)), arrows)
