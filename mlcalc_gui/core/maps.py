"""Weeks 2 and 3: a map (x, y) → (u, v) and its Jacobian, whose determinant scales small
areas; the total derivative of f along a path, df/dt = ∇f · r′(t); a chain of maps, whose
Jacobian is the product of theirs; and one neuron, a = tanh(w x + b), learning NOT.

Everything typed goes through the safe parser (:func:`~mlcalc_gui.core.expressions.
parse_function`); a bad formula raises :class:`ExpressionError` saying which one and what
to fix.  Jacobians are exact (the parser's symbolic partials), vectorised over arrays of
points."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from mlcalc_gui.core.contours import contour_segments
from mlcalc_gui.core.expressions import ExpressionError, Function, parse_function

__all__ = ["MapPreset", "MAP_PRESETS", "parse_map", "apply_map", "map_jacobian", "area_scale",
           "image_area", "square_image", "grid_lines", "fold_segments", "det_field",
           "SquareStep", "shrinking_squares", "preimage", "MapPictures", "map_pictures",
           "PathPreset", "PATH_PRESETS", "parse_path", "total_derivative", "PathStep",
           "path_steps", "Chain", "CHAINS", "ChainResult", "chain_jacobians",
           "NEURON_START", "NOT_INPUTS", "NOT_TARGETS", "NEURON_RATE", "neuron_output",
           "neuron_cost", "neuron_gradient", "NeuronStep", "neuron_descent", "neuron_step"]

Domain = tuple[float, float, float, float]


# ---- a map and its Jacobian ---------------------------------------------------------------
@dataclass(frozen=True)
class MapPreset:
    name: str
    u: str
    v: str
    domain: Domain
    point: tuple[float, float]
    note: str


MAP_PRESETS: tuple[MapPreset, ...] = (
    MapPreset("Polar to Cartesian (the course's)", "x cos(y)", "x sin(y)",
              (0.2, 2.0, 0.0, 6.28), (1.0, 0.8),
              "Read x as r and y as θ: (r, θ) → (r cos θ, r sin θ). det J = r: a small "
              "square far from the centre becomes a larger piece of a ring."),
    MapPreset("A shear", "x + 0.8 y", "y", (-2.0, 2.0, -2.0, 2.0), (0.5, 0.5),
              "A linear map: J is the same everywhere, and det J = 1, so every area is "
              "kept, however slanted the squares become."),
    MapPreset("A rotation with scaling", "1.2 (x cos(0.6) - y sin(0.6))",
              "1.2 (x sin(0.6) + y cos(0.6))", (-2.0, 2.0, -2.0, 2.0), (0.8, 0.4),
              "A rotation by 0.6 rad and a stretch by 1.2: det J = 1.2² = 1.44 everywhere."),
    MapPreset("A swirl", "x cos(x^2 + y^2) - y sin(x^2 + y^2)",
              "x sin(x^2 + y^2) + y cos(x^2 + y^2)", (-1.5, 1.5, -1.5, 1.5), (0.7, 0.3),
              "Each circle turns by its radius squared: squares are twisted into curved "
              "shapes, yet det J = 1, so no area changes."),
    MapPreset("A fold", "x^2", "y", (-2.0, 2.0, -2.0, 2.0), (0.8, 0.5),
              "det J = 2x: negative on the left (the map flips orientation), zero on x = 0, "
              "where the plane is folded over onto itself."),
    MapPreset("The exponential map", "exp(x) cos(y)", "exp(x) sin(y)",
              (-1.5, 1.0, -3.0, 3.0), (0.2, 0.6),
              "Lines x = c become circles of radius eᶜ and lines y = c rays: det J = e²ˣ, "
              "so areas grow fast to the right."),
    MapPreset("One neural layer σ(Wx + b)", "sigmoid(1.5 x - y + 0.3)",
              "sigmoid(0.5 x + 2 y - 0.5)", (-3.0, 3.0, -3.0, 3.0), (0.3, 0.2),
              "A layer of a network is a map too: J = diag(σ′(z)) W, so det J = "
              "σ′(z₁) σ′(z₂) det W. Far from the middle σ′ is tiny: the layer squashes "
              "areas almost to nothing."),
)


def _parse(text: str | Function, variables: Sequence[str], what: str) -> Function:
    if isinstance(text, Function):
        return text
    try:
        return parse_function(text, variables=tuple(variables))
    except ExpressionError as exc:
        raise ExpressionError(f"{what}: {exc}", exc.position) from exc


def parse_map(u: str | Function, v: str | Function) -> tuple[Function, Function]:
    """u(x, y) and v(x, y) parsed; an error names the one to fix."""
    return _parse(u, ("x", "y"), "u"), _parse(v, ("x", "y"), "v")


def apply_map(u, v, x, y) -> tuple[np.ndarray, np.ndarray]:
    """(u, v) at the points (x, y) (arrays of any one shape)."""
    U, V = parse_map(u, v)
    with np.errstate(all="ignore"):
        return np.asarray(U(x, y), dtype=float), np.asarray(V(x, y), dtype=float)


def map_jacobian(u, v, x, y) -> np.ndarray:
    """[[∂u/∂x, ∂u/∂y], [∂v/∂x, ∂v/∂y]] at (x, y): shape (2, 2) for a point, or the points'
    shape + (2, 2) for arrays."""
    U, V = parse_map(u, v)
    rows = [np.stack(np.broadcast_arrays(*F.gradient(x, y)), axis=-1) for F in (U, V)]
    return np.stack(rows, axis=-2)


def area_scale(u, v, x, y) -> np.ndarray | float:
    """det J at (x, y): the factor by which the map scales small areas there (negative
    where it flips them over)."""
    J = map_jacobian(u, v, x, y)
    det = J[..., 0, 0] * J[..., 1, 1] - J[..., 0, 1] * J[..., 1, 0]
    return float(det) if np.ndim(det) == 0 else det


def square_image(u, v, x0: float, y0: float, side: float, samples: int = 100
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The boundary of the square [x0, x0 + side] × [y0, y0 + side], anticlockwise and
    closed, ``samples`` points a side, and its image: (xs, ys, us, vs)."""
    s = np.linspace(0.0, 1.0, samples, endpoint=False)
    xs = np.concatenate([x0 + side * s, np.full_like(s, x0 + side), x0 + side * (1 - s),
                         np.full_like(s, x0), [x0]])
    ys = np.concatenate([np.full_like(s, y0), y0 + side * s, np.full_like(s, y0 + side),
                         y0 + side * (1 - s), [y0]])
    us, vs = apply_map(u, v, xs, ys)
    return xs, ys, us, vs


def image_area(u, v, x0: float, y0: float, side: float, samples: int = 400) -> float:
    """The area of the image of the square [x0, x0 + side] × [y0, y0 + side]: the
    shoelace formula over its mapped boundary, finely sampled.  It tends to
    |det J| · side² as the side shrinks, and equals it for a linear map."""
    if not side > 0:
        raise ValueError("the square needs a side greater than 0")
    _, _, us, vs = square_image(u, v, x0, y0, side, samples)
    if not (np.all(np.isfinite(us)) and np.all(np.isfinite(vs))):
        return math.nan
    signed = 0.5 * float(np.sum(us[:-1] * vs[1:] - us[1:] * vs[:-1]))
    return abs(signed)


@dataclass(frozen=True)
class SquareStep:
    """A square of ``side`` at the point: its image's area, what J predicts
    (|det J| · side²) and their ratio, which tends to 1 as the side shrinks."""

    step: int
    side: float
    area: float
    predicted: float

    @property
    def ratio(self) -> float:
        return self.area / self.predicted if self.predicted else math.nan


def shrinking_squares(u, v, x: float, y: float, side: float, steps: int = 12,
                      factor: float = 0.6) -> Iterator[SquareStep]:
    """Squares from the point (x, y) (its lower left corner), from ``side`` down by
    ``factor`` a step: how the image's area comes to agree with |det J| · side², with
    det J at the point."""
    if not (side > 0 and 0 < factor < 1):
        raise ValueError("the square needs a side above 0, shrunk by a factor below 1")
    U, V = parse_map(u, v)
    det = abs(area_scale(U, V, x, y))
    for k in range(steps + 1):
        s = side * factor ** k
        yield SquareStep(k, s, image_area(U, V, x, y, s), det * s * s)


def preimage(u, v, target: tuple[float, float], start: tuple[float, float],
             iterations: int = 40) -> tuple[float, float] | None:
    """A point (x, y) the map sends to ``target``, by Newton's method on the map from
    ``start`` (the point the learner was at); None if it does not get there (a fold, or
    no point maps there)."""
    U, V = parse_map(u, v)
    p = np.array(start, dtype=float)
    goal = np.array(target, dtype=float)
    scale = max(1.0, float(np.abs(goal).max()))
    for _ in range(iterations):
        with np.errstate(all="ignore"):
            miss = np.array([float(U(*p)), float(V(*p))]) - goal
            if not np.all(np.isfinite(miss)):
                return None
            if np.abs(miss).max() < 1e-10 * scale:
                return float(p[0]), float(p[1])
            J = map_jacobian(U, V, p[0], p[1])
            try:
                step = np.linalg.solve(J, miss)
            except np.linalg.LinAlgError:
                return None
        if not np.all(np.isfinite(step)):
            return None
        p = p - step
    return None


def grid_lines(u, v, domain: Domain, lines: int = 11, samples: int = 80
               ) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[tuple[np.ndarray, np.ndarray]]]:
    """A grid over ``domain`` (``lines`` lines each way) and its image: two lists of
    polylines, (xs, ys) and (us, vs)."""
    x0, x1, y0, y1 = domain
    t = np.linspace(0.0, 1.0, samples)
    grid, image = [], []
    for c in np.linspace(0.0, 1.0, lines):
        for xs, ys in ((np.full_like(t, x0 + c * (x1 - x0)), y0 + t * (y1 - y0)),
                       (x0 + t * (x1 - x0), np.full_like(t, y0 + c * (y1 - y0)))):
            grid.append((xs, ys))
            image.append(apply_map(u, v, xs, ys))
    return grid, image


def det_field(u, v, domain: Domain, n: int = 81) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """det J over an n × n grid of ``domain``: (xs, ys, D) with D[j, i] at (xs[i], ys[j])."""
    x0, x1, y0, y1 = domain
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        D = np.asarray(area_scale(u, v, X, Y), dtype=float)
    return xs, ys, np.where(np.isfinite(D), D, np.nan)


def fold_segments(u, v, domain: Domain, n: int = 121) -> np.ndarray:
    """Where det J = 0 in ``domain`` (the map folds: not one-to-one there), as contour
    segments (rows in pairs); empty where det J keeps one sign."""
    return _fold(*det_field(u, v, domain, n))


def _fold(xs: np.ndarray, ys: np.ndarray, D: np.ndarray) -> np.ndarray:
    """The contour det J = 0 of a field of det J; empty where it keeps one sign."""
    finite = D[np.isfinite(D)]
    if finite.size == 0 or finite.min() > 0 or finite.max() < 0:
        return np.empty((0, 2))
    return contour_segments(xs, ys, D, 0.0)


@dataclass(frozen=True)
class MapPictures:
    """What a map's page draws of it, worked out together (off the GUI thread): det J
    over the domain, the grid and its image as polylines broken by nan, the fold."""

    xs: np.ndarray
    ys: np.ndarray
    det: np.ndarray
    grid: tuple[np.ndarray, np.ndarray]
    image: tuple[np.ndarray, np.ndarray]
    fold: np.ndarray


def _joined(lines) -> tuple[np.ndarray, np.ndarray]:
    xs = [np.append(a, np.nan) for a, _ in lines]
    ys = [np.append(b, np.nan) for _, b in lines]
    return (np.concatenate(xs), np.concatenate(ys)) if xs else (np.zeros(0), np.zeros(0))


def map_pictures(u, v, domain: Domain, n: int = 81) -> MapPictures:
    """det J on an n × n grid, 11 grid lines each way and their images, and the fold."""
    U, V = parse_map(u, v)
    xs, ys, D = det_field(U, V, domain, n)
    grid, image = grid_lines(U, V, domain)
    return MapPictures(xs, ys, D, _joined(grid), _joined(image), _fold(xs, ys, D))


# ---- the total derivative along a path ----------------------------------------------------
@dataclass(frozen=True)
class PathPreset:
    name: str
    f: str
    x: str
    y: str
    t_range: tuple[float, float]
    note: str


PATH_PRESETS: tuple[PathPreset, ...] = (
    PathPreset("A circle round a bowl", "x^2 + y^2", "cos(t)", "sin(t)", (0.0, 6.28),
               "On a circle round the bowl's centre f never changes: ∇f points outwards and "
               "r′(t) along the circle, so ∇f · r′ = 0 all the way."),
    PathPreset("The course's: f = x² y on the unit circle", "x^2 y", "cos(t)", "sin(t)",
               (0.0, 6.28),
               "df/dt = ∂f/∂x · dx/dt + ∂f/∂y · dy/dt = 2xy(−sin t) + x² cos t."),
    PathPreset("A line through a saddle", "x^2 - y^2", "t", "0.5 t", (-2.0, 2.0),
               "Along y = x/2, f = t² − t²/4 = ¾ t²: df/dt = 1.5 t, negative then positive."),
    PathPreset("A spiral up a hill", "exp(-(x^2 + y^2))", "(2 - t) cos(3 t) / 2",
               "(2 - t) sin(3 t) / 2", (0.0, 2.0),
               "The spiral closes in on the top: f rises, and df/dt is largest where the "
               "path cuts the contours most steeply."),
    PathPreset("A straight walk across a ridge", "sin(x) cos(y)", "t", "1 - t",
               (-2.0, 3.0), "∇f · r′ with r′ = (1, −1): the rate is ∂f/∂x − ∂f/∂y."),
)


def parse_path(x_of_t: str | Function, y_of_t: str | Function) -> tuple[Function, Function]:
    """x(t) and y(t) parsed; an error names the one to fix."""
    return _parse(x_of_t, ("t",), "x(t)"), _parse(y_of_t, ("t",), "y(t)")


def total_derivative(f, x_of_t, y_of_t, t) -> np.ndarray | float:
    """df/dt along the path (x(t), y(t)): ∇f(r(t)) · r′(t), exactly (vectorised in t)."""
    F = _parse(f, ("x", "y"), "f")
    X, Y = parse_path(x_of_t, y_of_t)
    with np.errstate(all="ignore"):
        x, y = X(t), Y(t)
        fx, fy = F.gradient(x, y)
        rate = np.asarray(fx * X.gradient(t)[0] + fy * Y.gradient(t)[0], dtype=float)
    return float(rate) if rate.ndim == 0 else rate


@dataclass(frozen=True)
class PathStep:
    """The point at t on the path: where, f there, ∇f, r′(t), and their dot product."""

    step: int
    t: float
    x: float
    y: float
    value: float
    gradient: tuple[float, float]
    velocity: tuple[float, float]
    rate: float


def path_step(F: Function, X: Function, Y: Function, t: float, k: int = 0) -> PathStep:
    with np.errstate(all="ignore"):
        x, y = float(X(t)), float(Y(t))
        g = tuple(float(c) for c in F.gradient(x, y))
        r = (float(X.gradient(t)[0]), float(Y.gradient(t)[0]))
        return PathStep(k, float(t), x, y, float(F(x, y)), g, r, g[0] * r[0] + g[1] * r[1])


def path_steps(f, x_of_t, y_of_t, t0: float, t1: float, steps: int = 200
               ) -> Iterator[PathStep]:
    """The walk along the path from t0 to t1 in ``steps`` equal steps of t."""
    F = _parse(f, ("x", "y"), "f")
    X, Y = parse_path(x_of_t, y_of_t)
    for k, t in enumerate(np.linspace(t0, t1, steps + 1)):
        yield path_step(F, X, Y, float(t), k)


# ---- a chain of maps ----------------------------------------------------------------------
@dataclass(frozen=True)
class Stage:
    """One map of a chain: its outputs' names and formulas in the inputs' names."""

    outputs: tuple[str, ...]
    formulas: tuple[str, ...]


@dataclass(frozen=True)
class Chain:
    name: str
    inputs: tuple[str, ...]
    stages: tuple[Stage, ...]
    point: tuple[float, ...]
    note: str

    @property
    def shapes(self) -> tuple[int, ...]:
        return (len(self.inputs), *(len(s.outputs) for s in self.stages))


CHAINS: tuple[Chain, ...] = (
    Chain("1 → 2 → 1: f along a path", ("t",),
          (Stage(("x", "y"), ("cos(t)", "sin(t)")), Stage(("f",), ("x^2 y",))), (0.7,),
          "df/dt = (∂f/∂x  ∂f/∂y) · (dx/dt, dy/dt): a row times a column, the total "
          "derivative."),
    Chain("2 → 2 → 1: f of a change of variables", ("x", "y"),
          (Stage(("u", "v"), ("x + y", "x y")), Stage(("f",), ("u^2 + v",))), (1.0, 0.5),
          "(∂f/∂x  ∂f/∂y) = (∂f/∂u  ∂f/∂v) · J of (u, v): the gradient passes back "
          "through the map."),
    Chain("2 → 2 → 2: a fold, then polar", ("x", "y"),
          (Stage(("u", "v"), ("x^2", "y")), Stage(("p", "q"), ("u cos(v)", "u sin(v)"))),
          (0.8, 0.5),
          "The Jacobian of the composition is the product of the two 2 × 2 Jacobians, "
          "and its determinant the product of theirs."),
    Chain("1 → 1 → 1 → 1: one neuron, x to its cost", ("w",),
          (Stage(("z",), ("w - 1.2",)), Stage(("a",), ("tanh(z)",)),
           Stage(("C",), ("(a - 0)^2",))), (2.3,),
          "∂C/∂w = ∂C/∂a · ∂a/∂z · ∂z/∂w: for the input 1, whose target is 0. "
          "Backpropagation is this product, layer by layer."),
)


@dataclass(frozen=True)
class ChainResult:
    """The values at each stage (the input first), each stage's Jacobian at its input,
    and their product (the last stage's first): the Jacobian of the whole chain."""

    values: tuple[np.ndarray, ...]
    factors: tuple[np.ndarray, ...]
    product: np.ndarray


def _stage_functions(names: tuple[str, ...], stage: Stage) -> list[Function]:
    return [_parse(text, names, f"{out} = …") for out, text in
            zip(stage.outputs, stage.formulas, strict=True)]


def chain_jacobians(chain: Chain, point: Sequence[float]) -> ChainResult:
    """Each stage's Jacobian at the point the chain reaches it, and their product."""
    if len(point) != len(chain.inputs):
        raise ValueError(f"the chain takes {len(chain.inputs)} input(s)")
    names, here = chain.inputs, np.array(point, dtype=float)
    values, factors = [here], []
    for stage in chain.stages:
        fns = _stage_functions(names, stage)
        with np.errstate(all="ignore"):
            J = np.array([[float(g) for g in fn.gradient(*here)] for fn in fns])
            here = np.array([float(fn(*here)) for fn in fns])
        factors.append(J)
        values.append(here)
        names = stage.outputs
    product = factors[0]
    for J in factors[1:]:
        product = J @ product
    return ChainResult(tuple(values), tuple(factors), product)


# ---- one neuron learning NOT --------------------------------------------------------------
#: The course's start, its two examples (NOT: 0 gives 1, 1 gives 0) and a learning rate.
NEURON_START = (2.3, -1.2)
NOT_INPUTS = (0.0, 1.0)
NOT_TARGETS = (1.0, 0.0)
NEURON_RATE = 0.3


def neuron_output(w, b, x):
    """a = tanh(w x + b)."""
    return np.tanh(np.multiply(w, x) + b)


def neuron_cost(w, b):
    """C = Σ (a − y)² over the two examples (vectorised over arrays of w and b)."""
    return sum((neuron_output(w, b, x) - y) ** 2 for x, y in zip(NOT_INPUTS, NOT_TARGETS,
                                                                 strict=True))


def neuron_gradient(w, b) -> tuple:
    """(∂C/∂w, ∂C/∂b) = Σ 2(a − y)(1 − a²)(x, 1): the chain ∂C/∂a · ∂a/∂z · ∂z/∂(w, b)."""
    dw = db = 0.0
    for x, y in zip(NOT_INPUTS, NOT_TARGETS, strict=True):
        a = neuron_output(w, b, x)
        delta = 2 * (a - y) * (1 - a * a)
        dw = dw + delta * x
        db = db + delta
    return dw, db


@dataclass(frozen=True)
class NeuronStep:
    """One step of descent: w, b, the cost, its gradient, the outputs for the inputs 0 and
    1, and the chain's three factors for each example: (∂C/∂a, ∂a/∂z, ∂z/∂w)."""

    step: int
    w: float
    b: float
    cost: float
    gradient: tuple[float, float]
    outputs: tuple[float, float]
    chain: tuple[tuple[float, float, float], tuple[float, float, float]]


def neuron_step(w: float, b: float, k: int = 0) -> NeuronStep:
    outputs = tuple(float(neuron_output(w, b, x)) for x in NOT_INPUTS)
    chain = tuple((2 * (a - y), 1 - a * a, x)
                  for a, x, y in zip(outputs, NOT_INPUTS, NOT_TARGETS, strict=True))
    dw, db = neuron_gradient(w, b)
    return NeuronStep(k, float(w), float(b), float(neuron_cost(w, b)), (float(dw), float(db)),
                      outputs, chain)


def neuron_descent(w: float = NEURON_START[0], b: float = NEURON_START[1],
                   rate: float = NEURON_RATE, steps: int = 300) -> Iterator[NeuronStep]:
    """Gradient descent on C from (w, b): the start, then one record a step."""
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError("the learning rate must be a number greater than 0")
    for k in range(steps + 1):
        record = neuron_step(w, b, k)
        yield record
        w, b = w - rate * record.gradient[0], b - rate * record.gradient[1]
