"""Several seeds of the same network trained at once: the course's numbers are a
distribution over seeds, not one run.

One batched computation, not a loop over networks: the parameters of all S networks are
one (S, P) array, each layer's weights a (S, out, in) view of it, and every forward and
backward product is one batched matmul over the leading seed axis.  Each network draws
its noise from its own generator, exactly as :func:`mlcalc_gui.core.network.train` does,
so network s of the ensemble follows the single run with the same seeds to rounding
(tests/core/test_ensemble.py).  A network whose update would leave the finite numbers stops
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
           "RaceLog", "STUCK_COST", "RACE_ROWS", "RACE_SNAPSHOTS"]

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


#: A race's rows kept: every iteration until then, thinned evenly past it.
RACE_ROWS = 20_000
#: Kept networks (every ``snapshot_every`` iterations), thinned evenly past this many.
RACE_SNAPSHOTS = 200


class RaceLog:
    """A race's history, bounded however long it runs: each record's iteration, costs and
    divergence as rows of arrays (every record until :data:`RACE_ROWS`, then thinned
    evenly, as :class:`~mlcalc_gui.core.thinning.ThinnedHistory` does), the networks it
    kept (thinned past :data:`RACE_SNAPSHOTS`) and the newest record.

    It is the race's timeline for the history row (``gui/run/controller.py``): an item
    is a row; :meth:`show` puts one on screen, :meth:`cut` drops what came after it (a
    branch).  A run continued from a kept network starts with that network's record:
    :meth:`start_from` drops the rows from there first.  A frame draws at most a couple
    of thousand rows of it (:meth:`drawn`), so its cost does not grow with the race.
    """

    noun = "record"

    def __init__(self, capacity: int = RACE_ROWS, snapshots: int = RACE_SNAPSHOTS):
        if capacity < 2 or snapshots < 1:
            raise ValueError("a race log keeps at least two rows and one network")
        self.capacity, self.snapshot_capacity = capacity, snapshots
        self.clear()

    def clear(self) -> None:
        self._iterations = np.empty(0, dtype=np.int64)
        self._costs = np.empty((0, 0))
        self._diverged = np.empty((0, 0), dtype=bool)
        self._n = 0
        self.stride = 1  # rows kept one in ``stride`` (doubles at each thinning)
        self._offered = 0  # records offered since the last thinning
        self._snapshots: list[tuple[int, np.ndarray]] = []  # (iteration, S × P), in order
        self._snapshot_stride = 1
        self._snapshots_offered = 0
        self._newest: tuple[int, np.ndarray] | None = None  # the newest networks sent
        self.position: int | None = None  # the row shown; None: the newest

    def __len__(self) -> int:
        return self._n

    # ---- records in ---------------------------------------------------------------------
    def extend(self, records: Sequence[EnsembleStep]) -> None:
        """Records after the newest, in order."""
        if not records:
            return
        width = records[0].costs.size
        if self._costs.shape[1:] != (width,):
            self._iterations = np.empty(256, dtype=np.int64)
            self._costs = np.empty((256, width))
            self._diverged = np.zeros((256, width), dtype=bool)
            self._n = 0
        for record in records:
            keep = self._offered % self.stride == 0
            self._offered += 1
            if keep:
                self._append(record)
            if record.parameters is not None:
                self._keep_network(int(record.iteration), record.parameters)
        last = records[-1]
        if self._n and self._iterations[self._n - 1] != last.iteration:
            self._append(last)  # the newest is always there, whatever the stride

    def _append(self, record: EnsembleStep) -> None:
        if self._n == len(self._iterations):
            size = min(2 * self._n, self.capacity + 1)
            self._iterations = np.resize(self._iterations, size)
            self._costs = np.resize(self._costs, (size, self._costs.shape[1]))
            self._diverged = np.resize(self._diverged, (size, self._diverged.shape[1]))
        i = self._n
        self._iterations[i] = record.iteration
        self._costs[i] = record.costs
        self._diverged[i] = record.diverged
        self._n += 1
        if self._n > self.capacity:  # thin: every other row, and from now on half as many
            keep = np.arange(0, self._n, 2)
            if keep[-1] != self._n - 1:
                keep = np.append(keep, self._n - 1)
            for name in ("_iterations", "_costs", "_diverged"):
                array = getattr(self, name)
                array[:len(keep)] = array[keep]
            self._n = len(keep)
            self.stride *= 2
            self._offered = 0

    def _keep_network(self, iteration: int, parameters: np.ndarray) -> None:
        self._newest = (iteration, parameters)  # kept whatever the stride: a race goes on
        keep = self._snapshots_offered % self._snapshot_stride == 0
        self._snapshots_offered += 1
        if not keep:
            return
        self._snapshots.append((iteration, parameters))
        if len(self._snapshots) > self.snapshot_capacity:
            self._snapshots = self._snapshots[::2]
            self._snapshot_stride *= 2
            self._snapshots_offered = 0

    def start_from(self, iteration: int) -> None:
        """A run goes on from the network kept at ``iteration``: the rows from there on
        go (the run's first record is that network's, and comes again)."""
        n = int(np.searchsorted(self._iterations[:self._n], iteration, side="left"))
        self._n = n
        self._forget_networks_after(iteration)
        self.position = None

    def _forget_networks_after(self, iteration: int) -> None:
        self._snapshots = [s for s in self._snapshots if s[0] <= iteration]
        if self._newest is not None and self._newest[0] > iteration:
            self._newest = self._snapshots[-1] if self._snapshots else None

    # ---- what is shown ------------------------------------------------------------------
    @property
    def shown(self) -> int:
        """How many rows are shown (all, or up to the one the history row shows)."""
        return self._n if self.position is None else min(self.position + 1, self._n)

    def view(self, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The iterations and costs of the first ``n`` rows (those shown by default)."""
        n = self.shown if n is None else min(int(n), self._n)
        return self._iterations[:n], self._costs[:n]

    def drawn(self, most: int = 2000) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`view`, at most ``most`` rows of it, spread evenly and the last always
        there: what a frame draws, in work that does not grow with the race."""
        iterations, costs = self.view()
        n = len(iterations)
        if n <= most:
            return iterations, costs
        rows = np.unique(np.linspace(0, n - 1, most).astype(np.int64))
        return iterations[rows], costs[rows]

    def record(self, index: int | None = None) -> EnsembleStep | None:
        """Row ``index`` as a record (the last shown by default; parameters left out)."""
        n = self.shown
        if not n:
            return None
        i = n - 1 if index is None else min(max(int(index), 0), self._n - 1)
        return EnsembleStep(int(self._iterations[i]), self._costs[i].copy(),
                            self._diverged[i].copy())

    def records(self) -> list[EnsembleStep]:
        """Every row kept, as records (for tests and tables)."""
        return [self.record(i) for i in range(self._n)]

    def snapshot(self, iteration: int | None = None) -> tuple[int, np.ndarray] | None:
        """The newest kept networks at or before ``iteration`` (the row shown, by
        default): (iteration, networks × parameters), or None."""
        if iteration is None:
            shown = self.record()
            if shown is None:
                return None
            iteration = shown.iteration
        if self._newest is not None and self._newest[0] <= iteration:
            return self._newest
        for kept in reversed(self._snapshots):
            if kept[0] <= iteration:
                return kept
        return None

    # ---- the timeline -------------------------------------------------------------------
    def show(self, index: int) -> None:
        last = self._n - 1
        index = min(max(int(index), 0), last)
        self.position = None if index >= last else index

    def cut(self) -> None:
        """Drop the rows after the one shown: it is the newest (a new branch)."""
        if self.position is not None:
            self._n = self.position + 1
            self._forget_networks_after(int(self._iterations[self.position]))
            self.position = None

    def describe(self) -> str:
        n = self._n
        shown = self.shown
        if not n:
            return ""
        return (f"iteration {int(self._iterations[shown - 1]):,} of "
                f"{int(self._iterations[n - 1]):,}" + ("" if self.position is None
                                                       else " (past)"))
