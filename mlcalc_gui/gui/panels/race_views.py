"""The views of a race of seeds: each network's curve in a small square of its own, every
network's cost against iteration, and a line saying the spread and which are stuck.

A stuck network (its cost above :data:`~mlcalc_gui.core.ensemble.STUCK_COST`) is marked
three ways, never by colour alone: a dashed red frame, the word "stuck" in its square,
and a dashed cost line.  Each cost line ends in its seed's number."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from mlcalc_gui.core.ensemble import STUCK_COST, RaceSummary
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.widgets import titled
from mlcalc_gui.gui.panels.plots import pointer_plot, spread_labels, teaching_plot
from mlcalc_gui.gui.panels.training_views import CostRange
from mlcalc_gui.gui.widgets.steady import WrappedLabel

__all__ = ["RaceViews", "RACE_COLOURS", "tile_origin"]

#: One colour per seed: the eight Okabe–Ito colours (black for the eighth).
RACE_COLOURS = (theme.BLUE, theme.ORANGE, theme.GREEN, theme.VERMILLION, theme.SKY,
                theme.PURPLE, (150, 130, 0), theme.TEXT)
COLUMNS = 4
GAP = 0.25  # between the squares, in units of a square


def tile_origin(k: int) -> tuple[float, float]:
    """Where network k's unit square sits in the view: four to a row, first row on top."""
    return (k % COLUMNS) * (1 + GAP), -(k // COLUMNS) * (1 + GAP + 0.15)


class RaceViews(QWidget):
    """``squares`` (every network's curve), ``costs`` (their costs) and ``summary``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.squares, _ = pointer_plot(grid=False, lock_aspect=True)
        self.squares.getPlotItem().hideAxis("left")
        self.squares.getPlotItem().hideAxis("bottom")
        self.squares.setToolTip("Each seed's network in a square of its own (target in "
                                "green); a stuck one is framed in red dashes")
        self.costs = teaching_plot("iteration", "cost C", font_pt=10, grid=False, log_y=True)
        self.costs.setToolTip("Every seed's cost; dashed: stuck above "
                              f"{STUCK_COST:g}. Each line ends in its seed's number.")
        self.cost_range = CostRange(self.costs)
        self.costs.getPlotItem().addItem(pg.InfiniteLine(
            math.log10(STUCK_COST), angle=0,
            pen=theme.mkpen(theme.MUTED, 1.5, Qt.DashLine),
            label=f"stuck above {STUCK_COST:g}",
            labelOpts={"position": 0.12, "color": theme.MUTED, "anchors": [(0, 1), (0, 1)]}))
        self.summary = WrappedLabel("Race 8 seeds: the same network and settings from eight "
                              "seeds at once. Press Play.")
        self.summary.setTextFormat(Qt.PlainText)
        self.tiles: list[dict] = []
        self.lines: list[pg.PlotDataItem] = []
        self.ends: list[pg.TextItem] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(titled(self.squares, "Eight seeds, eight networks"), 0, 0)
        grid.addWidget(titled(self.costs, "Their costs (log scale)"), 0, 1)
        grid.addWidget(self.summary, 1, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

    # ---- building -------------------------------------------------------------------------
    def set_seeds(self, seeds, target: np.ndarray) -> None:
        """A square and a cost line for each of ``seeds``, the ``target`` (2, N) in each
        (the same seeds again: only the target is drawn anew)."""
        plot = self.squares.getPlotItem()
        target = np.asarray(target, dtype=float)
        if self.tiles and tuple(seeds) == self.seeds:
            for k, tile in enumerate(self.tiles):
                ox, oy = tile_origin(k)
                tile["target"].setData(ox + target[0], oy + target[1])
            return
        for tile in self.tiles:
            for item in tile.values():
                plot.removeItem(item)
        for item in (*self.lines, *self.ends):
            self.costs.getPlotItem().removeItem(item)
        self.tiles, self.lines, self.ends = [], [], []
        self.seeds = tuple(seeds)
        for k, seed in enumerate(self.seeds):
            ox, oy = tile_origin(k)
            colour = RACE_COLOURS[k % len(RACE_COLOURS)]
            tile = {
                "frame": pg.PlotDataItem(ox + np.array([0, 1, 1, 0, 0]),
                                         oy + np.array([0, 0, 1, 1, 0]),
                                         pen=pg.mkPen((150, 150, 150), width=1)),
                "target": pg.PlotDataItem(ox + target[0], oy + target[1],
                                          pen=theme.mkpen(theme.TARGET, 2)),
                "curve": pg.PlotDataItem(pen=theme.mkpen(colour, 2.5)),
                "label": pg.TextItem(f"seed {seed}", color=theme.TEXT, anchor=(0, 1)),
            }
            font = tile["label"].textItem.font()
            font.setPointSize(10)
            tile["label"].setFont(font)
            tile["label"].setPos(ox, oy + 1.0)
            for item in tile.values():
                plot.addItem(item)
            self.tiles.append(tile)
            line = self.costs.plot([], [], pen=theme.mkpen(colour, 2))
            end = pg.TextItem(str(seed), color=colour, anchor=(0, 0.5))
            end.setFont(font)
            self.costs.getPlotItem().addItem(end)
            self.lines.append(line)
            self.ends.append(end)
        rows = (len(self.seeds) + COLUMNS - 1) // COLUMNS
        width = min(len(self.seeds), COLUMNS) * (1 + GAP) - GAP
        plot.setXRange(-0.02, width + 0.02, padding=0)
        plot.setYRange(tile_origin((rows - 1) * COLUMNS)[1] - 0.02, 1.3, padding=0)

    # ---- drawing --------------------------------------------------------------------------
    def clear(self) -> None:
        for k, tile in enumerate(self.tiles):
            tile["curve"].setData([], [])
            self._mark(k, tile, stuck=False, diverged=False, cost=None)
        for line, end in zip(self.lines, self.ends, strict=True):
            line.setData([], [])
            end.setText("")

    def draw_costs(self, iterations: np.ndarray, costs: np.ndarray,
                   stuck: set[int] = frozenset(), target: int = 0) -> None:
        """``costs`` (records × networks) against ``iterations`` of a race of ``target``
        iterations; stuck lines dashed, each ending in its seed's number (moved apart
        where lines end together)."""
        finite = costs[np.isfinite(costs) & (costs > 0)] if costs.size else costs
        if iterations.size and finite.size:
            self.cost_range.fit(int(iterations[-1]), target, finite)
        for k, (line, end) in enumerate(zip(self.lines, self.ends, strict=True)):
            c = costs[:, k] if costs.size else np.empty(0)
            ok = np.isfinite(c) & (c > 0)
            if not ok.any():
                line.setData([], [])
                end.setText("")
                continue
            colour = RACE_COLOURS[k % len(RACE_COLOURS)]
            line.setPen(theme.mkpen(colour, 2, Qt.DashLine if k in stuck else None))
            line.setData(iterations[ok], c[ok])
            last = int(np.flatnonzero(ok)[-1])
            end.setText(str(self.seeds[k]))
            end.setPos(float(iterations[last]), math.log10(c[last]))
        spread_labels(self.ends, self.costs.getPlotItem().getViewBox())

    def draw_networks(self, curves: np.ndarray | None, summary: RaceSummary | None,
                      costs: np.ndarray | None, final: bool) -> None:
        """Each network's curve (``curves``: networks × 2 × points, or None), its cost in
        its label, marked diverged, and stuck once the race is at its ``final``
        iteration, as ``summary`` says."""
        stuck = set(summary.stuck) if summary and final else set()
        diverged = set(summary.diverged) if summary else set()
        for k, tile in enumerate(self.tiles):
            ox, oy = tile_origin(k)
            if curves is not None and k not in diverged:
                tile["curve"].setData(ox + np.clip(curves[k, 0], -0.1, 1.1),
                                      oy + np.clip(curves[k, 1], -0.1, 1.1))
            elif curves is None:
                tile["curve"].setData([], [])
            self._mark(k, tile, k in stuck, k in diverged,
                       None if costs is None else float(costs[k]))
        self.summary.setText(summary.describe(self.seeds, final) if summary else "")

    def _mark(self, k: int, tile: dict, stuck: bool, diverged: bool,
              cost: float | None) -> None:
        text = f"seed {self.seeds[k]}"
        if diverged:
            text += ": diverged"
        elif cost is not None and math.isfinite(cost):
            text += f": C {cost:.2g}" + (" · stuck" if stuck else "")
        tile["label"].setText(text, color=theme.ERROR_HEX if stuck or diverged else theme.TEXT)
        pen = (theme.mkpen(theme.UPHILL, 3, Qt.DashLine) if stuck or diverged
               else pg.mkPen((150, 150, 150), width=1))
        tile["frame"].setPen(pen)
