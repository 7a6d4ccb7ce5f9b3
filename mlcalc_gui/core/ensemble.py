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

from mlcalc_gui.core.network import Network, _derivative, forward_layers, layer_views

__all__ = ["Ensemble", "EnsembleStep", "train_ensemble", "STUCK_COST"]

#: A network still above this cost at the end of a course run is stuck (a good fit of the
#: heart ends near 0.002; a stuck start sits on a plateau near 0.03 and above).
STUCK_COST = 0.01
NOISE_BLOCK = 256  # iterations of noise drawn at once per network (the same stream)


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
            np.matmul(delta, np.swapaxes(acts[layer - 1], -1, -2), out=dws[layer - 1])
            np.sum(delta, axis=2, keepdims=True, out=dbs[layer - 1])
            if layer > 1:
                back = np.swapaxes(self.weights[layer - 1], 1, 2) @ delta
                delta = back * _derivative(self.activations[layer - 2], zs[layer - 1],
                                           acts[layer - 1])
        out *= 1.0 / n
        return costs


def train_ensemble(ensemble: Ensemble, x: np.ndarray, y: np.ndarray, iterations: int,
                   aggression: float = 7.0, noise: float = 1.0,
                   noise_seeds: Sequence[int] | None = None,
                   snapshot_every: int = 100) -> Iterator[EnsembleStep]:
    """Train every network of ``ensemble`` at once, as :func:`train` trains one: network
    k draws its noise from ``default_rng(noise_seeds[k])``.  Yields the state before the
    first update and after each; every ``snapshot_every`` iterations, and at the last, a
    record carries the parameters."""
    if not np.isfinite(aggression) or aggression < 0:
        raise ValueError("aggression must be a finite number >= 0")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError("noise must be a finite number >= 0")
    x = np.ascontiguousarray(x, dtype=float)
    y = np.ascontiguousarray(y, dtype=float)
    s = ensemble.count
    seeds = list(noise_seeds) if noise_seeds is not None else list(ensemble.seeds)
    if len(seeds) != s:
        raise ValueError(f"expected {s} noise seeds, got {len(seeds)}")
    rngs = [np.random.default_rng(seed) for seed in seeds]
    seg = ensemble._sizes_flat
    count = len(seg)
    spread = np.repeat(np.arange(count), seg)  # each parameter's Jacobian number
    params = ensemble.parameters
    jac = np.empty_like(params)
    diverged = np.zeros(s, dtype=bool)
    block = np.empty((s, 0, count))
    for k in range(iterations + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            costs = ensemble.jacobians_into(x, y, jac)
            if k < iterations:
                if k % NOISE_BLOCK == 0:  # the same stream as one draw per iteration
                    ahead = min(NOISE_BLOCK, iterations - k)
                    block = np.stack([r.standard_normal((ahead, count)) for r in rngs])
                factors = 1.0 + noise * block[:, k % NOISE_BLOCK]  # (S, 2L)
                step = jac * factors[:, spread]
                step *= aggression  # in train()'s order: the same rounding
        bad = ~np.isfinite(costs)
        diverged |= bad
        snap = None
        if k % snapshot_every == 0 or k == iterations:
            snap = params.copy()
            snap.flags.writeable = False
        out_costs = costs.copy()
        out_costs.flags.writeable = False
        yield EnsembleStep(k, out_costs, diverged.copy(), snap)
        if k == iterations:
            return
        diverged |= ~np.isfinite(step).all(axis=1)
        step[diverged] = 0.0  # a diverged network stays at its last good state
        params -= step
