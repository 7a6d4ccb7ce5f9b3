"""The Backpropagation tab's second page: the network of the settings trained from eight
seeds at once, in the training process (:data:`RACE_SERVICE`), under the page's own run
and history: how much the seed decides."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtWidgets import QWidget

from mlcalc_gui.core.ensemble import Ensemble, RaceLog, race_summary
from mlcalc_gui.core.runner import FinishKind
from mlcalc_gui.core.training_log import TRAIL_EVERY
from mlcalc_gui.core.training_process import RACE_SERVICE, race_spec
from mlcalc_gui.gui.kit.page import Page
from mlcalc_gui.gui.panels.race_views import RaceViews
from mlcalc_gui.gui.theme import ERROR_STYLE

RACE_SEEDS = 8  # networks in a race: the seed typed and the next seven
RACE_DRAWN = 2000  # the most points of each race cost line a frame draws
RACE_POINTS = 200  # points along each racing network's curve

EXPLANATION = f"""
<p>Where a network ends is one draw from a spread: its first weights decide where descent
can go. <b>The race</b> trains the network of the settings below from {RACE_SEEDS} seeds at
once (network k is exactly the one the single run trains from seed + k): left, each
curve on the target; right, each cost. A network still above the line when the race ends
is marked <b>stuck</b>. <b>Play</b> (Space, or 8 from the other page) races.</p>
"""


class RacePage(Page):
    """``log`` (a :class:`RaceLog`) is the race's history: bounded however long the race
    runs (a frame draws a couple of thousand of its rows)."""

    key = "race"
    title = f"Race {RACE_SEEDS} seeds"
    tip = (f"The same network and settings trained from {RACE_SEEDS} seeds at once (8): how "
           "much the seed decides")
    explanation = EXPLANATION
    speeds = (100, 300, 1000, 3000, 0)
    default_speed = 4
    unit = "iterations"
    many = 100
    run_title = "Race"
    IDLE_TEXT = (f"Play (Space) trains the {RACE_SEEDS} networks at once with the settings "
                 "above; Step (N) one iteration.")
    PLACES = ("race",)

    def __init__(self, host):
        super().__init__(host)
        self.log = RaceLog()
        self._scratch: Ensemble | None = None
        self._drawn: tuple[np.ndarray, np.ndarray] | None = None  # (kept, curves)

    def build_panel(self) -> None:
        return None

    def build_views(self) -> QWidget:
        return RaceViews()

    def run_options(self) -> dict:
        return {"frame_interval": 1 / 30, "service": RACE_SERVICE, "keep_all": False,
                "timeline": lambda: self.log}

    def build(self):
        panel, views = super().build()
        self.playback.play_button.setToolTip(
            f"Train the {RACE_SEEDS} networks (seeds typed … +{RACE_SEEDS - 1}) at once, "
            "with the settings above")
        return panel, views

    def seeds(self) -> list[int]:
        return [self.host.settings.seed + k for k in range(RACE_SEEDS)]

    # ---- the run -------------------------------------------------------------------------
    def blocked(self, _last) -> str | None:
        last = self.log.record()  # the row shown: a branch goes on from there
        if last is not None and last.iteration >= self.host.settings.iterations:
            return "The race is over: press Reset to race again (or raise Iterations)"
        return None

    def make_run(self, last) -> dict:
        """The race from the eight first networks, or from the newest kept networks at
        or before ``last`` (a branch from the history, or a race stopped by leaving the
        tab): network k follows exactly the single run with seed ``seed + k``."""
        s = self.host.settings
        seeds = self.seeds()
        start, parameters = 0, None
        kept = self.log.snapshot() if last is not None else None
        if kept is not None:  # the run's first record will be the one kept: it goes here
            start, parameters = kept
            self.log.start_from(start)
        else:
            self.log.clear()
        noise_seeds = [replace(s, seed=seed).noise_seed(start) for seed in seeds]
        return race_spec((1, *s.hidden, 2), self.host.activation, seeds,
                         self.host.x, self.host.y, s.iterations - start, s.aggression,
                         s.noise, snapshot_every=TRAIL_EVERY, parameters=parameters,
                         start_iteration=start, noise_seeds=noise_seeds)

    def _on_cleared(self) -> None:
        self.log.clear()
        self._scratch = self._drawn = None
        seeds = self.seeds()
        self.views.set_seeds(seeds, self.host.y)
        self.views.clear()
        self.views.summary.setText(
            f"Race {RACE_SEEDS} seeds: seeds {seeds[0]} to {seeds[-1]}, each the network "
            "the single run would train from that seed. Press Play here, or 8.")
        self.views.summary.setStyleSheet("")

    def _on_batch(self, batch: tuple) -> None:
        self.log.extend(batch)
        self.draw()

    def _on_records(self, batch: tuple) -> None:
        self.log.extend(batch)  # the log keeps every record, whatever the row shows
        if not self.run.scrubbed:
            self.draw()

    def _on_scrubbed(self) -> None:
        self.draw()
        if self.run.scrubbed:
            self.run_status.say(f"History: {self.run.timeline.describe()}. Play or Step "
                                "branches from here.")

    def _on_run_finished(self, kind: FinishKind, message: str) -> None:
        super()._on_run_finished(kind, message)
        if kind in (FinishKind.ERROR, FinishKind.DIVERGED):
            self.views.summary.setText("⚠ " + message)
            self.views.summary.setStyleSheet(ERROR_STYLE)
        else:
            self.draw()

    def _done_text(self, last) -> str:
        return (f"The race reached iteration {last.iteration:,}: the spread of the "
                f"{RACE_SEEDS} costs is above.")

    # ---- drawing -------------------------------------------------------------------------
    def draw(self) -> None:
        """The race as the history row shows it (a frame's work bounded however long the
        race has run: the cost lines are thinned to RACE_DRAWN points)."""
        last = self.log.record()
        if last is None:
            self.views.clear()
            return
        iterations = self.host.settings.iterations
        summary = race_summary(last)
        final = last.iteration >= iterations
        marked = set(summary.diverged) | (set(summary.stuck) if final else set())
        self.views.draw_costs(*self.log.drawn(RACE_DRAWN), marked, iterations)
        kept = self.log.snapshot()
        curves = None if kept is None else self._curves(kept[1])
        self.views.draw_networks(curves, summary, last.costs, final)
        self.views.summary.setStyleSheet("")

    def _curves(self, parameters: np.ndarray) -> np.ndarray:
        """Every racing network's curve, networks × 2 × RACE_POINTS (worked out again
        only for new kept networks: frames between snapshots reuse them)."""
        drawn = self._drawn
        if drawn is not None and drawn[0] is parameters:
            return drawn[1]
        sizes = (1, *self.host.settings.hidden, 2)
        scratch = self._scratch
        if scratch is None or scratch.sizes != sizes or scratch.count != len(parameters):
            scratch = self._scratch = Ensemble(sizes, self.seeds(), self.host.activation)
        scratch.parameters[:] = parameters
        t = np.linspace(0.0, 1.0, RACE_POINTS).reshape(1, -1)
        with np.errstate(all="ignore"):
            curves = scratch.forward(t)
        self._drawn = (parameters, curves)
        return curves

    def run_table(self) -> tuple[list[str], list[list]]:
        """Every kept row of the race: the iteration and each network's cost."""
        rows = self.log.records()
        return (["iteration", *(f"cost seed {s}" for s in self.seeds())],
                [[int(r.iteration), *map(float, r.costs)] for r in rows])

    def places(self) -> dict[str, QWidget]:
        return {"race": self.views}

    def restore(self, state) -> None:
        """The race is not kept in a session: a reopened tab races again on Play."""
