"""Preset functions of two variables, with the domain and descent settings that suit them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Preset", "PRESETS", "preset_by_name", "sample_grid", "gradient_field"]


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
