"""Several seeds of the same network trained at once: the course's numbers are a
distribution over seeds, not one run.

One batched computation, not a loop over networks: the parameters of all S networks are
one (S, P) array, each layer's weights a (S, out, in) view of it, and every forward and
backward product is one batched matmul over the leading seed axis.  Each network draws
its noise from its own generator, exactly as :func:`mlcalc_gui.core.network.train` does,
so network s of the ensemble follows the single run with the same seeds to rounding
(tests/test_ensemble.py).  A network whose update would leave the finite numbers stops
there (it is marked diverged) while the others go on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from mlcalc_gui.core.network import (
    NOISE_BLOCK,
    Network,
    _derivative,
    forward_layers,
    jacobian_numbers,
    layer_views,
    noise_factors,
    training_data,
)

__all__ = ["Ensemble", "EnsembleStep", "train_ensemble", "race_summary", "RaceSummary",
           "RaceLog", "STUCK_COST"]

#: A network still above this cost at the end of a course run is stuck (a good fit of the
#: heart ends near 0.002; a stuck start sits on a plateau near 0.03 and above).
STUCK_COST = 0.01


@dataclass(frozen=True, eq=False)
class EnsembleStep:
    """After ``iteration`` updates: each network's cost, which have diverged, and (every
    few iterations) a read-only (S, P) copy of all the parameters."""

    iteration: int
    costs: np.ndarray
    diverged: np.ndarray
    parameters: np.ndarray | None = field(default=None, repr=False)


class Ensemble:
    """S networks of the same ``sizes``, one per seed in ``seeds``."""

    def __init__(self, sizes: Sequence[int] = (1, 6, 7, 2), seeds: Sequence[int] = range(8),
                 hidden_activation: str = "logistic"):
        nets = [Network(sizes, seed=s, hidden_activation=hidden_activation) for s in seeds]
        if not nets:
            raise ValueError("an ensemble needs at least one seed")
        first = nets[0]
        self.sizes, self.seeds = first.sizes, tuple(int(s) for s in seeds)
        self.hidden_activation = hidden_activation
        self.activations = first.activations
        self._shapes = first._shapes
        self._sizes_flat = first._sizes_flat
        self.parameters = np.stack([n.parameters for n in nets])  # (S, P)
        self.weights, self.biases = self._views(self.parameters)
        self._out_views: tuple | None = None  # the last Jacobian array's layer views

    def _views(self, flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        return layer_views(flat, self._shapes)

    @property
    def count(self) -> int:
        return self.parameters.shape[0]

    def network(self, k: int) -> Network:
        """Network ``k`` on its own (a copy)."""
        net = Network(self.sizes, seed=self.seeds[k], hidden_activation=self.hidden_activation)
        net.set_parameters(self.parameters[k])
        return net

    def forward_all(self, x: np.ndarray) -> tuple[list, list]:
        # x (n0, N) is shared: (S, out, in) @ (in, N), then (S, in, N), give (S, out, N)
        return forward_layers(self.weights, self.biases, self.activations,
                              np.asarray(x, dtype=float))

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Every network's output, (S, n_out, N)."""
        return self.forward_all(x)[1][-1]

    def jacobians_into(self, x: np.ndarray, y: np.ndarray, out: np.ndarray) -> np.ndarray:
        """All Jacobians of all networks into ``out`` (S, P); each network's cost (S,)."""
        zs, acts = self.forward_all(x)
        n = x.shape[1]
        diff = acts[-1] - y
        costs = np.einsum("sij,sij->s", diff, diff) / n
        if self._out_views is None or self._out_views[0] is not out:
            self._out_views = (out, self._views(out))
        dws, dbs = self._out_views[1]
        L = len(self.sizes) - 1
        delta = 2.0 * diff * _derivative(self.activations[-1], zs[L], acts[L])
        for layer in range(L, 0, -1):
            np.matmul(delta, acts[layer - 1].mT, out=dws[layer - 1])
            np.add.reduce(delta, axis=2, keepdims=True, out=dbs[layer - 1])
            if layer > 1:
                back = self.weights[layer - 1].mT @ delta
                delta = back * _derivative(self.activations[layer - 2], zs[layer - 1],
                                           acts[layer - 1])
        out *= 1.0 / n
        return costs


def train_ensemble(ensemble: Ensemble, x: np.ndarray, y: np.ndarray, iterations: int,
                   aggression: float = 7.0, noise: float = 1.0,
                   noise_seeds: Sequence[int] | None = None,
                   snapshot_every: int = 100,
                   start_iteration: int = 0) -> Iterator[EnsembleStep]:
    """Train every network of ``ensemble`` at once, as :func:`train` trains one: network
    k draws its noise from ``default_rng(noise_seeds[k])``.  Yields the state before the
    first update and after each; every ``snapshot_every`` iterations, and at the last, a
    record carries the parameters.  ``start_iteration`` numbers a continued run (a
    branch from a kept record); the caller gives its noise seeds, as for :func:`train`."""
    x, y = training_data(x, y, aggression, noise)
    s = ensemble.count
    seeds = list(noise_seeds) if noise_seeds is not None else list(ensemble.seeds)
    if len(seeds) != s:
        raise ValueError(f"expected {s} noise seeds, got {len(seeds)}")
    start = int(start_iteration)
    rngs = [np.random.default_rng(seed) for seed in seeds]
    count = len(ensemble._sizes_flat)
    spread = jacobian_numbers(ensemble._sizes_flat)
    params = ensemble.parameters
    jac = np.empty_like(params)
    diverged = np.zeros(s, dtype=bool)
    block = np.empty((s, 0, count))
    for k in range(iterations + 1):
        number = start + k
        with np.errstate(over="ignore", invalid="ignore"):
            costs = ensemble.jacobians_into(x, y, jac)
            if k < iterations:
                if k % NOISE_BLOCK == 0:  # the same stream as one draw per iteration
                    ahead = min(NOISE_BLOCK, iterations - k)
                    xi = np.stack([r.standard_normal((ahead, count)) for r in rngs])
                    block = noise_factors(xi, noise, spread)  # (S, ahead, P)
                step = jac * block[:, k % NOISE_BLOCK]
                step *= aggression  # in train()'s order: the same rounding
        bad = ~np.isfinite(costs)
        diverged |= bad
        snap = None
        if k % snapshot_every == 0 or k == iterations:
            snap = params.copy()
            snap.flags.writeable = False
        out_costs = costs.copy()
        out_costs.flags.writeable = False
        yield EnsembleStep(number, out_costs, diverged.copy(), snap)
        if k == iterations:
            return
        diverged |= ~np.isfinite(step).all(axis=1)
        if diverged.any():
            step[diverged] = 0.0  # a diverged network stays at its last good state
        params -= step


@dataclass(frozen=True)
class RaceSummary:
    """Where a race of seeds stands: the spread of the costs of the networks still
    training, and which are stuck (above :data:`STUCK_COST`) or diverged."""

    iteration: int
    best: float
    median: float
    worst: float
    stuck: tuple[int, ...]  # indices into the ensemble
    diverged: tuple[int, ...]

    def describe(self, seeds: Sequence[int], final: bool = True) -> str:
        """One line for the race's status: "after 10,000 iterations: cost from ...".
        Before the ``final`` iteration a network above the line is not yet stuck."""
        text = (f"After {self.iteration:,} iterations: cost from {self.best:.3g} (best) "
                f"through {self.median:.3g} (median) to {self.worst:.3g} (worst)")
        names = ", ".join(str(seeds[i]) for i in self.stuck)
        plural = "s" * (len(self.stuck) > 1)
        if self.stuck and final:
            text += f"; stuck above {STUCK_COST:g}: seed{plural} {names}"
        elif self.stuck:
            text += f"; still above {STUCK_COST:g}: seed{plural} {names}"
        else:
            text += f"; none above {STUCK_COST:g}"
        if self.diverged:
            text += "; diverged: " + ", ".join(str(seeds[i]) for i in self.diverged)
        return text + "."


def race_summary(step: EnsembleStep) -> RaceSummary:
    """The spread of ``step``'s costs over the networks that have not diverged, and the
    stuck ones (a cost above :data:`STUCK_COST`, the course's plateau)."""
    costs = np.asarray(step.costs, dtype=float)
    diverged = np.asarray(step.diverged, dtype=bool) | ~np.isfinite(costs)
    alive = costs[~diverged]
    if alive.size == 0:
        best = median = worst = float("nan")
    else:
        best, median, worst = (float(np.min(alive)), float(np.median(alive)),
                               float(np.max(alive)))
    stuck = tuple(int(i) for i in np.flatnonzero(~diverged & (costs > STUCK_COST)))
    return RaceSummary(int(step.iteration), best, median, worst, stuck,
                       tuple(int(i) for i in np.flatnonzero(diverged)))


class RaceLog:
    """A race's records kept as arrays for drawing: the iterations, the costs (records ×
    networks), and where the records with parameters are.  It follows a list of records
    that may be cut back (a branch) or cleared."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self._iterations = np.empty(0, dtype=np.int64)
        self._costs = np.empty((0, 0))
        self._n = 0
        self._snapshots: list[tuple[int, int, np.ndarray]] = []  # (index, iteration, params)

    def __len__(self) -> int:
        return self._n

    def truncate(self, n: int) -> None:
        """Keep the first ``n`` records."""
        self._n = min(self._n, max(int(n), 0))
        self._snapshots = [s for s in self._snapshots if s[0] < self._n]

    def extend(self, records: Sequence[EnsembleStep]) -> None:
        if not records:
            return
        width = records[0].costs.size
        need = self._n + len(records)
        if need > len(self._iterations) or self._costs.shape[1] != width:
            size = max(need, 2 * len(self._iterations), 256)
            iterations = np.empty(size, dtype=np.int64)
            costs = np.empty((size, width))
            iterations[:self._n] = self._iterations[:self._n]
            if self._costs.shape[1] == width:
                costs[:self._n] = self._costs[:self._n]
            self._iterations, self._costs = iterations, costs
        for i, record in enumerate(records, start=self._n):
            self._iterations[i] = record.iteration
            self._costs[i] = record.costs
            if record.parameters is not None:
                self._snapshots.append((i, int(record.iteration), record.parameters))
        self._n = need

    def view(self, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The iterations and costs of the first ``n`` records (all by default)."""
        n = self._n if n is None else min(int(n), self._n)
        return self._iterations[:n], self._costs[:n]

    def snapshot(self, n: int | None = None) -> tuple[int, int, np.ndarray] | None:
        """The newest kept parameters among the first ``n`` records: (index, iteration,
        networks × parameters), or None."""
        n = self._n if n is None else min(int(n), self._n)
        for index, iteration, params in reversed(self._snapshots):
            if index < n:
                return index, iteration, params
        return None
