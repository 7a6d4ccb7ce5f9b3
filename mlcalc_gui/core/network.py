"""A small fully connected network trained by backpropagation, as in the course's
first assignment: a network that learns to draw a curve.

Every layer computes ``z = W a + b`` and ``a = sigma(z)``; the cost is
``C = (1/N) sum_k |a_L(k) - y(k)|^2``; the Jacobians come from the delta recursion
``delta_L = 2 (a_L - y) * sigma'(z_L)``, ``delta_l = (W_{l+1}^T delta_{l+1}) * sigma'(z_l)``,
``dC/dW_l = (1/N) delta_l a_{l-1}^T`` and ``dC/db_l = (1/N) sum_k delta_l``.

Shapes follow the course: examples are columns, so ``x`` is (n_in, N) and ``y`` is
(n_out, N); ``weights[l]`` is (n_out, n_in) and ``biases[l]`` is (n_out, 1).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from mlcalc_gui.core.calculus import Diverged
from mlcalc_gui.core.numbers import superscript

__all__ = [
    "Network", "TrainStep", "train", "gradient_check", "SettingsError", "TrainingSettings",
    "parse_training_settings", "heart_curve", "circle_curve", "lemniscate_curve",
    "spiral_curve", "resample_curve", "CURVES", "ACTIVATIONS", "Stage", "backprop_stages",
    "PlateauWatch", "DEFAULT_SEED",
]

ACTIVATIONS = ("logistic", "tanh", "relu")
NOISE_BLOCK = 256  # iterations of training noise drawn at once (the same stream)


def _logistic(z: np.ndarray) -> np.ndarray:
    # 1 / (1 + e^-z) written with tanh: identical values, never overflows.  In place on
    # one new array: 0.5 + 0.5 tanh(z / 2), the same roundings as written out.
    a = np.multiply(z, 0.5)
    np.tanh(a, out=a)
    a *= 0.5
    a += 0.5
    return a


def _activate(kind: str, z: np.ndarray) -> np.ndarray:
    if kind == "logistic":
        return _logistic(z)
    if kind == "tanh":
        return np.tanh(z)
    return np.maximum(z, 0.0)


def _derivative(kind: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """sigma'(z), from the activation a = sigma(z) where that is cheaper."""
    if kind == "logistic":
        d = np.subtract(1.0, a)  # a (1 - a) = 1 / (4 cosh^2(z / 2)), on one new array
        d *= a
        return d
    if kind == "tanh":
        return 1.0 - a * a
    return (z > 0).astype(float)


def layer_views(flat: np.ndarray, shapes) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each layer's weights and biases as views of the flat parameters, laid out as
    ``shapes`` says (W1, b1, W2, …).  A leading axis (one row per network of an
    ensemble) is kept: (S, P) gives (S, out, in) views."""
    lead, views, start = flat.shape[:-1], [], 0
    for shape in shapes:
        size = shape[0] * shape[1]
        views.append(flat[..., start:start + size].reshape(*lead, *shape))
        start += size
    return views[0::2], views[1::2]


def forward_layers(weights, biases, activations, a: np.ndarray) -> tuple[list, list]:
    """Every layer's ``z`` (z[0] is None) and ``a`` (a[0] is the input): for one network,
    or for an ensemble whose weights carry a leading seed axis (the matmul broadcasts)."""
    zs: list[np.ndarray | None] = [None]
    acts = [a]
    for w, b, kind in zip(weights, biases, activations, strict=True):
        # One input (the course's t): the product is an outer product, as exact and
        # cheaper broadcast than as a matmul of inner size 1.
        z = (w * a if w.shape[-1] == 1 and a.shape[-2] == 1 else w @ a) + b
        a = _activate(kind, z)
        zs.append(z)
        acts.append(a)
    return zs, acts


class Network:
    """A fully connected network with any layer sizes.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input first: the course's network is (1, 6, 7, 2).
    seed : int
        Seeds the initialisation: every weight and bias is a standard normal / 2.
    hidden_activation : {"logistic", "tanh", "relu"}
        The hidden layers' activation; the output layer is always logistic, so the
        network draws inside the unit square.

    All parameters live in one flat array, ``parameters``; ``weights`` and ``biases`` are
    views into it, so a snapshot is one copy and an update one vector operation.
    """

    def __init__(self, sizes: Sequence[int] = (1, 6, 7, 2), seed: int = 0,
                 hidden_activation: str = "logistic"):
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError("a network needs at least two layers, each of 1 or more neurons")
        if hidden_activation not in ACTIVATIONS:
            raise ValueError(f"hidden_activation must be one of {ACTIVATIONS}")
        self.sizes = sizes
        self.hidden_activation = hidden_activation
        self.activations = [hidden_activation] * (len(sizes) - 2) + ["logistic"]
        shapes = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            shapes += [(n_out, n_in), (n_out, 1)]
        self._shapes = shapes
        self._sizes_flat = np.array([r * c for r, c in shapes])
        self.parameters = np.empty(int(self._sizes_flat.sum()))
        self.weights, self.biases = self._views(self.parameters)
        rng = np.random.default_rng(seed)
        for w, b in zip(self.weights, self.biases, strict=True):
            w[...] = rng.standard_normal(w.shape) / 2
            b[...] = rng.standard_normal(b.shape) / 2

    def _views(self, flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        return layer_views(flat, self._shapes)

    @property
    def layer_count(self) -> int:
        return len(self.sizes) - 1

    def copy(self) -> Network:
        other = Network.__new__(Network)
        other.sizes = self.sizes
        other.hidden_activation = self.hidden_activation
        other.activations = list(self.activations)
        other._shapes = self._shapes
        other._sizes_flat = self._sizes_flat
        other.parameters = self.parameters.copy()
        other.weights, other.biases = other._views(other.parameters)
        return other

    def set_parameters(self, flat: np.ndarray) -> None:
        """Load a flat parameter vector (such as a :class:`TrainStep` snapshot)."""
        flat = np.asarray(flat, dtype=float)
        if flat.shape != self.parameters.shape:
            raise ValueError(f"expected {self.parameters.size} parameters, got {flat.size}")
        self.parameters[...] = flat

    # ---- forward -------------------------------------------------------------------------
    def forward_all(self, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Every layer's ``z`` (z[0] is None) and ``a`` (a[0] is x), for x of shape (n0, N)."""
        a = np.asarray(x, dtype=float)
        if a.ndim == 1:
            a = a.reshape(self.sizes[0], -1)
        return forward_layers(self.weights, self.biases, self.activations, a)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """The network's output a_L, of shape (n_out, N)."""
        return self.forward_all(x)[1][-1]

    def cost(self, x: np.ndarray, y: np.ndarray) -> float:
        """C = (1/N) sum over examples of the squared error summed over outputs."""
        a = self.forward(x)
        return float(np.sum((a - y) ** 2) / a.shape[1])

    # ---- backward ------------------------------------------------------------------------
    def deltas(self, zs, acts, y) -> list[np.ndarray]:
        """delta_l for l = 1..L (index 0 unused), by the course's recursion."""
        L = self.layer_count
        out: list[np.ndarray | None] = [None] * (L + 1)
        out[L] = 2.0 * (acts[L] - y) * _derivative(self.activations[-1], zs[L], acts[L])
        for layer in range(L - 1, 0, -1):
            back = self.weights[layer].T @ out[layer + 1]
            out[layer] = back * _derivative(self.activations[layer - 1], zs[layer], acts[layer])
        return out

    def _jacobian_into(self, x, y, out: np.ndarray, views=None) -> float:
        """Write all Jacobians into the flat ``out`` (parameter layout; ``views``, its
        layer views if the caller keeps them); return the cost."""
        zs, acts = forward_layers(self.weights, self.biases, self.activations, x)
        n = acts[0].shape[1]
        diff = acts[-1] - y
        cost = float(np.einsum("ij,ij->", diff, diff)) / n
        dws, dbs = views if views is not None else self._views(out)
        deltas = self.deltas(zs, acts, y)
        for layer in range(1, self.layer_count + 1):
            np.matmul(deltas[layer], acts[layer - 1].T, out=dws[layer - 1])
            np.add.reduce(deltas[layer], axis=1, keepdims=True, out=dbs[layer - 1])
        out *= 1.0 / n
        return cost

    def jacobians(self, x: np.ndarray, y: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """``(dW, db)``: dC/dW and dC/db per layer, shaped like ``weights`` and ``biases``."""
        flat = np.empty_like(self.parameters)
        self._jacobian_into(np.asarray(x, float), np.asarray(y, float), flat)
        return self._views(flat)


@dataclass(frozen=True, eq=False)
class TrainStep:
    """The state after ``iteration`` updates: its cost, and (every few iterations) a
    read-only copy of the flat parameters to draw from."""

    iteration: int
    cost: float
    parameters: np.ndarray | None = field(default=None, repr=False)


def training_data(x, y, aggression: float, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` as contiguous float arrays, once the step settings are checked."""
    if not np.isfinite(aggression) or aggression < 0:
        raise ValueError("aggression must be a finite number >= 0")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError("noise must be a finite number >= 0")
    return np.ascontiguousarray(x, dtype=float), np.ascontiguousarray(y, dtype=float)


def jacobian_numbers(sizes_flat) -> np.ndarray:
    """For each parameter, the number of the Jacobian array it belongs to (W1, b1, …)."""
    return np.repeat(np.arange(len(sizes_flat)), sizes_flat)


def noise_factors(xi: np.ndarray, noise: float, spread: np.ndarray) -> np.ndarray:
    """Each parameter's factor ``1 + noise ξ`` from draws ``xi`` (…, arrays), spread over
    the parameters by :func:`jacobian_numbers`: (…, parameters)."""
    return (1.0 + noise * xi)[..., spread]


def train(net: Network, x: np.ndarray, y: np.ndarray, iterations: int,
          aggression: float = 7.0, noise: float = 1.0, seed: int = 0,
          snapshot_every: int = 100, start_iteration: int = 0) -> Iterator[TrainStep]:
    """The course's "stochastic steepest descent", as a generator.

    Each iteration computes the six (in general 2L) Jacobians on the full batch,
    multiplies each by its own ``1 + noise * xi`` (xi a fresh standard normal), and
    subtracts ``aggression`` times it.  Yields the state before the first update
    (iteration ``start_iteration``) and after each update; every ``snapshot_every``
    iterations, and at the last, the record carries a parameter snapshot.

    If an update would make any parameter non-finite, or the cost is not finite, it
    raises :class:`Diverged` and leaves the network at its last good state.
    Reproducible: the same seed gives the same run.
    """
    x, y = training_data(x, y, aggression, noise)
    if x.ndim == 1:
        x = x.reshape(net.sizes[0], -1)
    rng = np.random.default_rng(seed)
    jac = np.empty_like(net.parameters)
    views = net._views(jac)
    count = len(net._sizes_flat)
    spread = jacobian_numbers(net._sizes_flat)
    params = net.parameters
    end = start_iteration + iterations
    block = np.empty((0, count))
    for k in range(start_iteration, end + 1):
        # Overflow is caught by the checks below, so numpy need not warn about it.  The
        # error state is set per iteration, never across a yield (it would leak to the
        # caller while the generator is suspended).
        with np.errstate(over="ignore", invalid="ignore"):
            cost = net._jacobian_into(x, y, jac, views)
            if k < end:
                done = k - start_iteration
                if done % NOISE_BLOCK == 0:  # the same stream as one draw per iteration
                    xi = rng.standard_normal((min(NOISE_BLOCK, end - k), count))
                    block = noise_factors(xi, noise, spread)  # (ahead, P)
                step = jac * block[done % NOISE_BLOCK]
                step *= aggression
                step_ok = bool(np.isfinite(step).all())
        if not np.isfinite(cost):
            raise Diverged(f"the cost became {cost} at iteration {k}: lower the aggression")
        snap = None
        if (k - start_iteration) % snapshot_every == 0 or k == end:
            snap = params.copy()
            snap.flags.writeable = False
        yield TrainStep(k, cost, snap)
        if k == end:
            return
        if not step_ok:
            raise Diverged(f"the update became infinite at iteration {k + 1}: "
                           "lower the aggression")
        params -= step


def gradient_check(net: Network, x: np.ndarray, y: np.ndarray,
                   h: float = 1e-4) -> list[tuple[str, float]]:
    """Backprop's Jacobians against central differences of the cost.

    ``h = 1e-4`` balances the difference quotient's truncation error (∝ h²) against its
    rounding error (∝ eps·C/h): about 1e-7 relative both on fresh and on trained networks,
    where h = 1e-6 lets rounding reach 1e-5 near a minimum.

    Returns ``[("W1", worst relative error), ("b1", ...), ...]``, the relative error of
    an entry being ``|backprop - numeric| / max(|backprop|, |numeric|, floor)``.  The floor
    is 1e-4 of the array's largest entry: a difference quotient carries a rounding error of
    about eps * C / h, which would swamp the relative error of entries that are almost
    zero (as many are near a minimum) and cry wolf about a correct Jacobian.
    """
    dws, dbs = net.jacobians(x, y)
    probe = net.copy()
    result = []
    for layer in range(net.layer_count):
        for name, exact, param in (("W", dws[layer], probe.weights[layer]),
                                   ("b", dbs[layer], probe.biases[layer])):
            worst = 0.0
            floor = max(1e-4 * float(np.abs(exact).max()), 1e-12)
            for idx in np.ndindex(param.shape):
                keep = param[idx]
                param[idx] = keep + h
                up = probe.cost(x, y)
                param[idx] = keep - h
                down = probe.cost(x, y)
                param[idx] = keep
                numeric = (up - down) / (2 * h)
                denom = max(abs(exact[idx]), abs(numeric), floor)
                worst = max(worst, abs(exact[idx] - numeric) / denom)
            result.append((f"{name}{layer + 1}", worst))
    return result


class PlateauWatch:
    """Tells when a run is stuck: its cost has stopped falling, well above a good fit.

    The course's training is noisy, so the cost of one iteration says little; the watch
    keeps the lowest cost of each block of ``block`` iterations.  The run is stuck when
    the lowest cost of the last ``window`` iterations is no more than ``min_drop`` below
    the block before them, and the latest block's lowest cost is still above
    ``good_cost``.  With the defaults (blocks of 500, a window of 2,000, 5 %, 0.005): a
    course run that will end near 0.002 is never called stuck, and one that sits at
    0.03 for 2,000 iterations is.  Feed it every record, in order.
    """

    def __init__(self, block: int = 500, window: int = 2000, min_drop: float = 0.05,
                 good_cost: float = 0.005):
        if window % block or window < block:
            raise ValueError("window must be a whole number of blocks")
        self.block, self.window = block, window
        self.min_drop, self.good_cost = min_drop, good_cost
        self._lows: list[float] = []  # the lowest cost of each finished block
        self._current = (-1, math.inf)  # (block number, lowest cost so far)

    def feed(self, iteration: int, cost: float) -> None:
        number = iteration // self.block
        index, low = self._current
        if number != index:
            if index >= 0:
                # Blocks a run skipped (none in practice) count as their neighbour's.
                self._lows.extend([low] * min(number - index, 1 + self.window // self.block))
                del self._lows[:-(1 + self.window // self.block)]
            self._current = (number, cost if math.isfinite(cost) else math.inf)
        elif cost < low:
            self._current = (number, cost)

    @property
    def recent_low(self) -> float:
        """The lowest cost of this block and the one before: where the run really is,
        when the noise has just kicked one iteration's cost up."""
        return min(self._current[1], self._lows[-1] if self._lows else math.inf)

    @property
    def stuck(self) -> bool:
        blocks = self.window // self.block
        if len(self._lows) < blocks + 1:
            return False
        before, recent = self._lows[-blocks - 1], self._lows[-blocks:]
        return recent[-1] > self.good_cost and min(recent) >= (1 - self.min_drop) * before


# ---- settings, checked before anything runs ---------------------------------------------
class SettingsError(ValueError):
    """Bad training settings: ``problems`` lists every (field, what to fix), and
    ``field`` names the first, the control the cursor should go to."""

    def __init__(self, field_name: str, message: str,
                 problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.problems = problems or [(field_name, message)]
        self.field = self.problems[0][0]


#: The seed a learner meets first.  Training is chaotic, so where a seed ends depends on
#: the CPU's BLAS kernel; seed 12 ends at cost 0.0018 after the course's 10,000 iterations
#: on all seven OpenBLAS kernels tried (Haswell, Zen, SkylakeX, Cooperlake, Sandybridge,
#: Nehalem, Prescott), and so do most of the seeds "Reset with a new seed" goes on to
#: (13, 14, 16-22).  Seed 0 ends at 0.0023 on Haswell but 0.034 on SkylakeX.
DEFAULT_SEED = 12


@dataclass(frozen=True)
class TrainingSettings:
    """The course's training settings: 1-6-7-2, N = 100, aggression 7, noise 1."""

    hidden: tuple[int, ...] = (6, 7)
    n: int = 100
    aggression: float = 7.0
    noise: float = 1.0
    iterations: int = 10_000
    seed: int = DEFAULT_SEED

    def noise_seed(self, start_iteration: int = 0) -> int:
        """The noise generator's seed for a run that starts at ``start_iteration``: the
        same settings give the same run, and a run continued with new settings draws
        fresh noise from where it is."""
        return self.seed * 1_000_003 + start_iteration


SEED_MAX = 2**32 - 1


def _shown(text: str) -> str:
    """Typed text quoted in a message: short, so a pasted essay stays readable."""
    text = str(text).strip()
    return f"'{text}'" if len(text) <= 24 else f"'{text[:20]}…'"


def _number(field_name: str, text: str) -> float:
    try:
        value = float(str(text).strip())
    except (ValueError, OverflowError):
        raise SettingsError(field_name, f"{_shown(text)} is not a number, e.g. 7 or "
                            "0.5") from None
    if not np.isfinite(value):
        raise SettingsError(field_name, "give a finite number")
    return value


def _whole(field_name: str, text: str, low: int, high: int, what: str) -> int:
    """A whole number typed with plain digits (thousands may be grouped with , or _)."""
    digits = str(text).strip().replace(",", "").replace("_", "")
    if digits.startswith("-") and digits[1:].isascii() and digits[1:].isdecimal():
        raise SettingsError(field_name, f"{what} must be between {low:,} and {high:,}")
    if not (digits.isascii() and digits.isdecimal()):
        raise SettingsError(field_name, f"{_shown(text)} is not a whole number: type "
                            f"digits 0-9, e.g. {low:,}")
    if len(digits) > 12 or not low <= int(digits) <= high:
        raise SettingsError(field_name, f"{what} must be between {low:,} and {high:,}")
    return int(digits)


def _hidden(text: str) -> tuple[int, ...]:
    parts = [p for p in str(text).replace(",", " ").split() if p]
    if not parts:
        raise SettingsError("hidden", "give at least one hidden layer size, e.g. 6 7")
    if len(parts) > 4:
        raise SettingsError("hidden", "at most 4 hidden layers")
    return tuple(_whole("hidden", part, 1, 64, "each layer size") for part in parts)


def _at_most(field_name: str, text: str, high: float, why: str) -> float:
    value = _number(field_name, text)
    if value < 0:
        raise SettingsError(field_name, f"{field_name} must not be negative")
    if value > high:
        raise SettingsError(field_name, why)
    return value


def parse_training_settings(hidden: str, n: str, aggression: str, noise: str,
                            iterations: str, seed: str) -> TrainingSettings:
    """Check the texts typed into the training controls; raise :class:`SettingsError`
    naming every bad field and what to fix there."""
    readers = {
        "hidden": lambda: _hidden(hidden),
        "n": lambda: _whole("n", n, 2, 2000, "N"),
        "aggression": lambda: _at_most("aggression", aggression, 1000,
                                       "aggression above 1000 only diverges"),
        "noise": lambda: _at_most("noise", noise, 1e6, "noise above 1,000,000 only "
                                  "diverges"),
        "iterations": lambda: _whole("iterations", iterations, 1, 10_000_000, "iterations"),
        "seed": lambda: _whole("seed", seed, 0, SEED_MAX, "the seed"),
    }
    values, problems = {}, []
    for name, read in readers.items():
        try:
            values[name] = read()
        except SettingsError as exc:
            problems.append((name, str(exc)))
    if problems:
        raise SettingsError(problems[0][0], "; ".join(m for _, m in problems), problems)
    return TrainingSettings(**values)


# ---- target curves ----------------------------------------------------------------------
def _to_unit_square(X: np.ndarray, Y: np.ndarray, n: int):
    t = np.arange(n) / n
    return t.reshape(1, n), np.vstack([(X / 20 + 1) / 2, (Y / 20 + 1) / 2])


def heart_curve(n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """The course's heart: t = 0, 1/n, ..., (n-1)/n and its (x, y) in the unit square.

    Returns ``x`` of shape (1, n) and ``y`` of shape (2, n).
    """
    t = np.arange(n) / n
    X = 16 * np.sin(2 * np.pi * t) ** 3
    Y = (13 * np.cos(2 * np.pi * t) - 5 * np.cos(4 * np.pi * t) - 2 * np.cos(6 * np.pi * t)
         - np.cos(8 * np.pi * t))
    return _to_unit_square(X, Y, n)


def circle_curve(n: int = 100):
    t = 2 * np.pi * np.arange(n) / n
    return _to_unit_square(14 * np.sin(t), 14 * np.cos(t), n)


def lemniscate_curve(n: int = 100):
    """A figure eight (the lemniscate of Gerono)."""
    t = 2 * np.pi * np.arange(n) / n
    return _to_unit_square(15 * np.sin(t), 15 * np.sin(t) * np.cos(t), n)


def spiral_curve(n: int = 100):
    t = np.arange(n) / n
    r = 2 + 14 * t
    angle = 4 * np.pi * t
    return _to_unit_square(r * np.cos(angle), r * np.sin(angle), n)


def resample_curve(points: np.ndarray, n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Resample a drawn polyline of shape (M, 2) to ``n`` points equally spaced in arc
    length; returns ``(x, y)`` shaped like :func:`heart_curve`'s."""
    pts = np.asarray(points, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2 or not np.isfinite(pts).all():
        raise ValueError("a curve is a list of finite (x, y) points")
    steps = np.hypot(*np.diff(pts, axis=0).T)
    keep = np.concatenate([[True], steps > 0])
    pts = pts[keep]
    steps = steps[steps > 0]
    if len(pts) < 2 or steps.sum() < 0.05:
        raise ValueError("draw a longer curve: it must span at least 5% of the square")
    s = np.concatenate([[0.0], np.cumsum(steps)])
    target = np.linspace(0, s[-1], n)
    xs = np.interp(target, s, pts[:, 0])
    ys = np.interp(target, s, pts[:, 1])
    t = np.arange(n) / n
    return t.reshape(1, n), np.vstack([xs, ys])


CURVES = {
    "Heart (the course's)": heart_curve,
    "Circle": circle_curve,
    "Figure eight": lemniscate_curve,
    "Spiral": spiral_curve,
}


# ---- one example, one step at a time ----------------------------------------------------
@dataclass(frozen=True, eq=False)
class Stage:
    """One stage of the forward or backward pass for a single training example.

    ``operands`` and ``operators`` read left to right (``W¹  ·  a⁰  +  b¹``) and produce
    ``result``; ``layer`` is the layer the stage belongs to and ``phase`` is "forward",
    "cost" or "backward".
    """

    name: str
    formula: str
    operands: tuple[tuple[str, np.ndarray], ...]
    operators: tuple[str, ...]
    result: tuple[str, np.ndarray]
    layer: int
    phase: str


def backprop_stages(net: Network, x: np.ndarray, y: np.ndarray) -> list[Stage]:
    """The forward pass (z then a, layer by layer), the cost, and the backward pass
    (∂C/∂aᴸ, then δ, ∂C/∂W, ∂C/∂b from the last layer down) for one example.

    ``x`` is (n_in, 1) and ``y`` (n_out, 1).  The quantities are those of that example's
    cost C = |aᴸ − y|²; the training Jacobians are their average over all examples.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # shown as inf, never raised
        return _stages(net, np.asarray(x, dtype=float).reshape(-1, 1),
                       np.asarray(y, dtype=float).reshape(-1, 1))


def _stages(net: Network, x: np.ndarray, y: np.ndarray) -> list[Stage]:
    zs, acts = net.forward_all(x)
    deltas = net.deltas(zs, acts, y)
    L = net.layer_count
    stages = [Stage("input", "a⁰ = t, how far along the curve", (), (), ("a⁰", acts[0]), 0,
                    "forward")]
    for l in range(1, L + 1):
        kind = net.activations[l - 1]
        s, p = superscript(l), superscript(l - 1)
        stages.append(Stage(
            f"z{s}", f"z{s} = W{s} a{p} + b{s}",
            ((f"W{s}", net.weights[l - 1]), (f"a{p}", acts[l - 1]), (f"b{s}", net.biases[l - 1])),
            ("·", "+"), (f"z{s}", zs[l]), l, "forward"))
        stages.append(Stage(
            f"a{s}", f"a{s} = σ(z{s}), σ = {kind}",
            ((f"z{s}", zs[l]),), (), (f"a{s}", acts[l]), l, "forward"))
    sL = superscript(L)
    diff = acts[L] - y
    stages.append(Stage(
        "C", f"C = |a{sL} − y|², the squared distance from the target point",
        ((f"a{sL}", acts[L]), ("y", y)), ("−",), ("C", np.array([[float(np.sum(diff**2))]])),
        L, "cost"))
    stages.append(Stage(
        f"∂C/∂a{sL}", f"∂C/∂a{sL} = 2 (a{sL} − y)",
        ((f"a{sL}", acts[L]), ("y", y)), ("−",), (f"∂C/∂a{sL}", 2 * diff), L, "backward"))
    for l in range(L, 0, -1):
        s, p = superscript(l), superscript(l - 1)
        sigma_prime = _derivative(net.activations[l - 1], zs[l], acts[l])
        if l == L:
            stages.append(Stage(
                f"δ{s}", f"δ{s} = ∂C/∂a{s} ∘ σ′(z{s})",
                ((f"∂C/∂a{s}", 2 * diff), (f"σ′(z{s})", sigma_prime)), ("∘",),
                (f"δ{s}", deltas[l]), l, "backward"))
        else:
            n = superscript(l + 1)
            stages.append(Stage(
                f"δ{s}", f"δ{s} = (W{n})ᵀ δ{n} ∘ σ′(z{s})",
                ((f"(W{n})ᵀ", net.weights[l].T), (f"δ{n}", deltas[l + 1]),
                 (f"σ′(z{s})", sigma_prime)), ("·", "∘"), (f"δ{s}", deltas[l]), l, "backward"))
        stages.append(Stage(
            f"∂C/∂W{s}", f"∂C/∂W{s} = δ{s} (a{p})ᵀ",
            ((f"δ{s}", deltas[l]), (f"(a{p})ᵀ", acts[l - 1].T)), ("·",),
            (f"∂C/∂W{s}", deltas[l] @ acts[l - 1].T), l, "backward"))
        stages.append(Stage(
            f"∂C/∂b{s}", f"∂C/∂b{s} = δ{s}",
            ((f"δ{s}", deltas[l]),), (), (f"∂C/∂b{s}", deltas[l]), l, "backward"))
    return stages
