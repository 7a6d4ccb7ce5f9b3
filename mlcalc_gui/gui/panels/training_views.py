"""The views of a network learning a curve: the unit square with the target, the
network's curve now, its trail and the final curve; and the cost against iteration."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from mlcalc_gui.core.thinning import ThinnedHistory
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.panels.plots import pointer_plot, teaching_plot

__all__ = ["CostRange", "UnitSquare", "CostView"]

TRAIL_GROUP = 10  # trail curves per plot item (alpha accumulates between items)


class UnitSquare:
    """The square the network draws in: ``plot`` (a widget) and ``view_box`` (reports
    drags, for drawing a curve), with the items a tab sets."""

    def __init__(self):
        # No grid: the square's frame is the reference.  The square never moves (no
        # auto range): otherwise every new curve would nudge the range and invalidate
        # every cached drawing in the view, the whole trail included.
        self.plot, self.view_box = pointer_plot(grid=False, lock_aspect=True)
        plot = self.plot.getPlotItem()
        plot.setXRange(0, 1, padding=0.02)
        plot.setYRange(0, 1, padding=0.02)
        plot.addItem(pg.PlotDataItem([0, 1, 1, 0, 0], [0, 0, 1, 1, 0],
                                     pen=pg.mkPen((150, 150, 150), width=1)))
        self.trail_items: list[pg.PlotDataItem] = []
        self._trail_drawn = (-1, 0)  # (generation, curves) last drawn
        # Told apart without colour too: the target is a wide band with dots, the
        # network now a thin solid line, the final curve dashed.
        # (An opaque pale band: a wide translucent stroke is Qt's slowest path.)
        self.target_item = pg.PlotDataItem(pen=theme.mkpen(theme.pale(theme.TARGET, 0.55), 7),
                                           symbol="o", symbolSize=5, symbolBrush=theme.TARGET,
                                           symbolPen=None)
        self.current_item = pg.PlotDataItem(pen=theme.mkpen(theme.DOWNHILL, 2.5))
        self.final_item = pg.PlotDataItem(pen=theme.mkpen(theme.PATH, 3.5, Qt.DashLine))
        self.drawing_item = pg.PlotDataItem(pen=theme.mkpen((60, 60, 60), 2))
        self.example_item = pg.ScatterPlotItem(size=13, pen=pg.mkPen("k", width=1.5))
        for item in (self.target_item, self.current_item, self.final_item, self.drawing_item,
                     self.example_item):
            plot.addItem(item)

    def clear_trail(self) -> None:
        for item in self.trail_items:
            self.plot.removeItem(item)
        self.trail_items = []
        self._trail_drawn = (-1, 0)

    def draw_trail(self, trail: ThinnedHistory) -> None:
        """Draw ``trail`` of (iteration, curve (2, N)), redrawing only what changed."""
        groups = (len(trail) + TRAIL_GROUP - 1) // TRAIL_GROUP
        # A cosmetic 1 px pen without antialiasing: a wide antialiased translucent stroke
        # is Qt's slowest path, and the trail is redrawn every frame while training.
        pen = pg.mkPen((*theme.TRAIL, 45), width=1)
        while len(self.trail_items) < groups:
            item = pg.PlotDataItem(pen=pen, connect="finite", antialias=False)
            item.setZValue(-5)
            self.plot.addItem(item)
            self.trail_items.append(item)
        for item in self.trail_items[groups:]:
            item.setData([], [])
        # Only the newest group changes as training goes on, unless the trail was thinned
        # or rewound since it was last drawn.
        generation, drawn = self._trail_drawn
        first = 0 if generation != trail.generation or drawn > len(trail) else max(
            0, drawn // TRAIL_GROUP)
        self._trail_drawn = (trail.generation, len(trail))
        for g in range(first, groups):
            curves = [c for _, c in trail[g * TRAIL_GROUP:(g + 1) * TRAIL_GROUP]]
            xs = np.concatenate([np.append(c[0], np.nan) for c in curves])
            ys = np.concatenate([np.append(c[1], np.nan) for c in curves])
            self.trail_items[g].setData(xs, ys, connect="finite")

    def forget_drawn_trail(self) -> None:
        """The trail was rewound: draw all of it next time."""
        self._trail_drawn = (-1, 0)


def log_ticks(lo: float, hi: float) -> list[list[tuple[float, str]]]:
    """Ticks for a log axis spanning 10^lo … 10^hi: a label at each decade (and at 2 and
    5 times it when fewer than two decades show), unlabelled marks between.  pyqtgraph's
    own labelled 0.9, 0.8, 0.7 … on top of each other over a decade or so."""
    decades = range(int(np.floor(lo)), int(np.ceil(hi)) + 1)
    labelled = (1, 2, 5) if sum(lo <= k <= hi for k in decades) < 2 else (1,)
    major, minor = [], []
    for k in decades:
        for m in range(1, 10):
            at = k + np.log10(m)
            if lo <= at <= hi:
                if m in labelled:
                    major.append((at, f"{m * 10.0 ** k:g}"))
                else:
                    minor.append((at, ""))
    return [major, minor]


class CostRange:
    """The axes of a plot of costs on a log scale against iteration, which move only when
    they must (a moving axis is redrawn every frame): x spans 0 … the iteration target;
    log y changes only when a cost leaves it, by a decade, and is labelled by
    :func:`log_ticks` (never crammed)."""

    def __init__(self, plot):
        self.plot = plot
        plot.getPlotItem().disableAutoRange()
        self._range = None

    def fit(self, last_iteration: int, target: int, costs: np.ndarray) -> None:
        """``costs`` (positive, finite) up to ``last_iteration`` of a run of ``target``."""
        if not costs.size:
            return
        x_range = (0, max(int(target), int(last_iteration)))
        lo = np.floor(np.log10(costs.min())) - 0.2
        hi = np.ceil(np.log10(costs.max())) + 0.1
        wanted = (x_range, (lo, hi))
        if wanted != self._range:
            self._range = wanted
            item = self.plot.getPlotItem()
            item.setXRange(*x_range, padding=0.02)
            item.setYRange(lo, hi, padding=0)
            item.getAxis("left").setTicks(log_ticks(lo, hi))


class CostView:
    """Cost against iteration on a log scale, with axes that move only when they must."""

    def __init__(self):
        self.plot = teaching_plot("iteration", "cost C", font_pt=10, grid=False, log_y=True)
        item = self.plot.getPlotItem()
        self.curve = item.plot(pen=theme.mkpen(theme.PATH, 1.5), antialias=False)
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
        self.range = CostRange(self.plot)

    def show(self, history: np.ndarray, target: int) -> None:
        """``history`` is (iteration, cost) rows; the x axis spans 0 … ``target``."""
        costs = np.maximum(history[:, 1], 1e-12)
        self.curve.setData(history[:, 0], costs)
        self.range.fit(int(history[-1, 0]), target, costs)
