"""Where a network's training is, kept by the GUI as records arrive from the training
process: the network training goes on from, the network on screen, and bounded
histories of the cost and of the curve the network draws.

Qt-free, so each rule is tested in the core: the network training starts from and the
network on screen agree whenever a run stops; a rewind drops what the screen never
showed; the status says when a run is stuck or a noisy step has just kicked it off.

The log is also the run's history for the playback bar's history row (a timeline, see
``gui/run/controller.py``): the networks of the snapshots training sent, every
:data:`TRAIL_EVERY` iterations (thinned evenly past :data:`SNAPSHOT_MAX`), and the newest
network.  Showing one puts that network on screen with the cost and trail up to its
iteration; cutting there makes it where training goes on from (a new branch).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from mlcalc_gui.core.network import Network, PlateauWatch, TrainStep, train
from mlcalc_gui.core.network import TrainingSettings as Settings
from mlcalc_gui.core.numbers import format_number as _fmt
from mlcalc_gui.core.thinning import ThinnedHistory

__all__ = ["TrainingLog", "TRAIL_EVERY", "trained_log"]

TRAIL_EVERY = 100  # iterations between trail curves, as in the course
TRAIL_MAX = 100  # trail curves kept: the course's 10k iterations; longer runs thin evenly
COST_MAX = 20_000  # cost points kept; more than a screen can show, and memory is bounded
SNAPSHOT_MAX = 100  # networks kept for the history row (10k iterations at TRAIL_EVERY)


class TrainingLog:
    """A fresh network ``net`` on the target (``x``, ``y``), and what training did to it.

    ``net`` is where the next run starts; ``view_net`` is the network on screen (the
    latest snapshot a run sent), at ``view_iteration``; ``iteration`` is the latest
    record's.  ``history`` holds (iteration, cost), ``trail`` (iteration, curve (2, N))
    every :data:`TRAIL_EVERY` iterations.
    """

    def __init__(self, net: Network, x: np.ndarray, y: np.ndarray):
        self.net, self.x, self.y = net, x, y
        self.view_net = net.copy()
        self._scratch = net.copy()  # draws trail curves while another network is shown
        self.iteration = self.view_iteration = 0
        self.start_cost = self.last_cost = net.cost(x, y)
        self.history = ThinnedHistory(COST_MAX)
        self.history.append((0, self.start_cost))
        self.trail = ThinnedHistory(TRAIL_MAX)
        self.watch = PlateauWatch()
        self.watch.feed(0, self.start_cost)
        self.snapshots = ThinnedHistory(SNAPSHOT_MAX)
        self.snapshots.append((0, net.parameters.copy()))
        self.newest: tuple[int, np.ndarray] = self.snapshots[0]  # the network at the front
        self.position: int | None = None  # the history item shown; None: the newest

    @property
    def iterations(self) -> list[int]:
        """The iterations whose cost is kept (every one, until the history is thinned)."""
        return [it for it, _ in self.history]

    @property
    def costs(self) -> list[float]:
        return [c for _, c in self.history]

    # ---- records as they arrive -----------------------------------------------------------
    def feed(self, records: Iterable[TrainStep]) -> None:
        """Records after ``iteration``, in order (a run's repeated start left out)."""
        latest = None
        for r in records:
            self.history.append((r.iteration, r.cost))
            self.watch.feed(r.iteration, r.cost)
            self.last_cost = r.cost
            self.iteration = r.iteration
            if r.parameters is not None:
                latest = r
                if r.iteration % TRAIL_EVERY == 0 and r.iteration > 0:
                    self._scratch.set_parameters(r.parameters)
                    self.trail.append((r.iteration, self._scratch.forward(self.x)))
                    self.snapshots.append((r.iteration, np.array(r.parameters)))
        if latest is not None:
            self._set_newest(latest.iteration, latest.parameters)

    def _set_newest(self, iteration: int, parameters: np.ndarray) -> None:
        self.newest = (iteration, np.array(parameters, dtype=float))
        if self.position is None:  # else the history row shows an earlier network
            self.view_net.set_parameters(parameters)
            self.view_iteration = iteration

    def adopt(self, parameters: np.ndarray | None) -> None:
        """The run stopped exactly at ``iteration`` and sent its network (None: the
        network was not sent, and ``net`` is already it)."""
        if parameters is not None:
            self.net.set_parameters(parameters)
        self._set_newest(self.iteration, self.net.parameters)

    def rewind_to_view(self) -> None:
        """The run stopped between snapshots (cancelled, or its process died): go back to
        the network on screen, so what is shown and what trains on agree."""
        self.net.set_parameters(self.view_net.parameters)
        shown = self.view_iteration
        self.history.truncate(lambda item: item[0] > shown)
        self.trail.truncate(lambda item: item[0] > shown)
        self.snapshots.truncate(lambda item: item[0] >= shown)
        self.snapshots.append((shown, self.net.parameters.copy()), always=True)
        self.last_cost = self.history[-1][1]
        self.iteration = shown
        self.position = None
        self.newest = (shown, self.net.parameters.copy())
        self._rewatch()

    # ---- the history row ------------------------------------------------------------------
    def items(self) -> list[tuple[int, np.ndarray]]:
        """The networks kept, oldest first: the snapshots and the newest network."""
        items = list(self.snapshots)
        if self.newest[0] > items[-1][0]:
            items.append(self.newest)
        return items

    def __len__(self) -> int:
        return len(self.items())

    def show(self, index: int) -> None:
        """Put kept network ``index`` on screen (the newest: back to the front)."""
        items = self.items()
        index = min(max(int(index), 0), len(items) - 1)
        self.position = None if index == len(items) - 1 else index
        iteration, parameters = items[index]
        self.view_net.set_parameters(parameters)
        self.view_iteration = iteration

    def cut(self) -> None:
        """Go on from the network shown: what came after it is dropped (a new branch)."""
        if self.position is not None:
            self.rewind_to_view()

    def describe(self) -> str:
        return (f"iteration {self.view_iteration:,} of {self.iteration:,}"
                + ("" if self.position is None else " (past)"))

    @property
    def shown_history(self) -> np.ndarray:
        """(iteration, cost) up to the network on screen."""
        history = self.history.array()
        if self.position is None:
            return history
        return history[history[:, 0] <= self.view_iteration]

    @property
    def shown_trail(self) -> ThinnedHistory:
        """The trail up to the network on screen."""
        if self.position is None:
            return self.trail
        return self.trail.prefix(sum(1 for it, _ in self.trail if it <= self.view_iteration))

    def _rewatch(self) -> None:
        self.watch = PlateauWatch()
        for it, cost in self.history:
            self.watch.feed(it, cost)

    # ---- what the learner reads -----------------------------------------------------------
    def status(self, target: int, settled: bool) -> tuple[list[str], bool]:
        """Lines saying where training is, and whether they carry a warning.  ``settled``:
        the run is not going on right now (a kicked cost is worth a word only then)."""
        lines = [f"Iteration {self.iteration:,} of {target:,}",
                 f"Cost C = {_fmt(self.last_cost)} (started at {_fmt(self.start_cost)})"]
        if self.watch.stuck:
            lines.append(f"⚠ The cost has not fallen for {self.watch.window:,} iterations: "
                         "this start is stuck on a plateau. Train more iterations (raise "
                         "Iterations), or Reset with a new seed.")
            return lines, True
        if settled and self.last_cost > 3 * self.watch.recent_low:
            # The course's noisy steps now and then kick the network off for a few
            # iterations; a student should not take that curve for the result.
            lines.append(f"The last noisy step kicked the network off: the lowest cost of "
                         f"the last {self.watch.block:,} iterations was "
                         f"{_fmt(self.watch.recent_low)}. Step or train on a little.")
        return lines, False

    # ---- saved and opened -----------------------------------------------------------------
    def saved(self) -> dict:
        """The fields of a saved tab state: where training is."""
        return {"iteration": self.iteration,
                "parameters": tuple(self.net.parameters.tolist()),
                "costs": tuple(self.history),
                "trail": tuple((float(it), *curve[0], *curve[1]) for it, curve in self.trail)}

    def reopen(self, iteration: int, parameters, costs, trail) -> None:
        """Go to a saved point of training (the fields :meth:`saved` gives)."""
        self.net.set_parameters(np.array(parameters, dtype=float))
        self.view_net.set_parameters(self.net.parameters)
        self.iteration = self.view_iteration = int(iteration)
        self.snapshots = ThinnedHistory(SNAPSHOT_MAX)
        self.snapshots.append((self.iteration, self.net.parameters.copy()))
        self.newest, self.position = self.snapshots[0], None
        if costs:
            self.history = ThinnedHistory(COST_MAX)
            for it, cost in costs:
                self.history.append((int(it), cost))
            self.start_cost, self.last_cost = costs[0][1], costs[-1][1]
            self._rewatch()
        n = self.x.shape[1]
        for item in trail:
            self.trail.append((int(item[0]), np.array(item[1:]).reshape(2, n)))


def trained_log(settings: Settings, x: np.ndarray, y: np.ndarray) -> TrainingLog:
    """A fresh network trained with ``settings`` to the end in this process, as the tab
    would train it (the demo a learner first meets)."""
    log = TrainingLog(Network((1, *settings.hidden, 2), seed=settings.seed), x, y)
    log.feed(list(train(log.net.copy(), x, y, settings.iterations, settings.aggression,
                        settings.noise, seed=settings.noise_seed(0),
                        snapshot_every=TRAIL_EVERY))[1:])
    log.adopt(log.view_net.parameters)  # the last record carries the trained network
    return log
