"""The fixed teaching plots: one look (fonts, ticks, grid, legend) in every tab."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from mlcalc_gui.gui import scale, theme
from mlcalc_gui.gui.widgets.contour_view import PointerViewBox

__all__ = ["teaching_plot", "pointer_plot", "legend", "path_item", "SteadyRange"]


class IntegerAxis(pg.AxisItem):
    """An axis of counts (steps, iterations): ticks only at whole numbers, never 0.5."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802,N803 (pyqtgraph naming)
        levels = []
        for spacing, values in super().tickValues(minVal, maxVal, size):
            if spacing < 1:
                first = math.ceil(minVal)
                values = [float(v) for v in range(first, math.floor(maxVal) + 1)]
                spacing = 1.0
                if len(values) > 12:  # too dense at this width: pyqtgraph's own coarser level
                    continue
            levels.append((spacing, [v for v in values if float(v).is_integer()]))
            if spacing == 1.0:
                break
        return levels

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [str(int(round(v * scale))) for v in values]


def teaching_plot(x_label: str = "", y_label: str = "", title: str = "", font_pt: int = 11,
                  grid: bool = True, log_y: bool = False,
                  view_box: pg.ViewBox | None = None, integer_x: bool = False) -> pg.PlotWidget:
    """A styled plot without pyqtgraph's context menu: axes labelled, ticks readable
    from the back row (``grid=False`` for plots redrawn every frame; ``integer_x`` for
    an axis of steps)."""
    axes = {"bottom": IntegerAxis("bottom")} if integer_x else None
    widget = pg.PlotWidget(viewBox=view_box, axisItems=axes)
    plot = widget.getPlotItem()
    theme.style_plot(plot, font_pt, grid=grid)
    plot.setMenuEnabled(False)
    # Axis titles get a size of their own: one left to the application's font would be
    # made at the presentation's size and then magnified again with the view.
    label_style = {"font-size": f"{font_pt}pt"}
    if x_label:
        plot.setLabel("bottom", x_label, **label_style)
    if y_label:
        plot.setLabel("left", y_label, **label_style)
    if title:
        plot.setTitle(title, size=f"{font_pt + 1}pt")
    if log_y:
        plot.setLogMode(y=True)
    return widget


class SteadyRange:
    """The range of a plot whose data grows while a run goes (f along a descent): kept
    while the data fits in it, widened by half again when it does not, and made anew
    when the data fills less than a quarter of it (a new run).  Its axes, whose text is
    slow to draw, change a few times a run instead of every frame."""

    GROW = 1.5
    PAD = 0.06

    def __init__(self, widget: pg.PlotWidget):
        self.plot = widget.getPlotItem()
        self.plot.disableAutoRange()
        self.shown: tuple[float, float, float, float] | None = None

    def fit(self, xs, ys) -> None:
        """Make sure the points (xs, ys) show (non-finite ones are left out)."""
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        ok = np.isfinite(xs) & np.isfinite(ys)
        if not ok.any():
            return
        x0, x1 = float(xs[ok].min()), float(xs[ok].max())
        y0, y1 = float(ys[ok].min()), float(ys[ok].max())
        if self.shown is not None:
            sx0, sx1, sy0, sy1 = self.shown
            inside = sx0 <= x0 and x1 <= sx1 and sy0 <= y0 and y1 <= sy1
            full = (x1 - x0) >= 0.25 * (sx1 - sx0) and (y1 - y0) >= 0.25 * (sy1 - sy0)
            if inside and full:
                return
        span = max(y1 - y0, 1e-9 * max(abs(y0), abs(y1)), 1e-12)
        low, high = y0 - self.PAD * span, y1 + self.PAD * span
        if self.shown is not None:  # room to go on in the way the data went out
            low -= (self.GROW - 1) * span if y0 < self.shown[2] else 0.0
            high += (self.GROW - 1) * span if y1 > self.shown[3] else 0.0
        shown = (x0, x0 + max(x1 - x0, 1.0) * self.GROW, low, high)
        if shown == self.shown:  # a flat run: nothing new to show
            return
        self.shown = shown
        self.plot.setRange(xRange=self.shown[:2], yRange=self.shown[2:], padding=0.02)

    def forget(self) -> None:
        """The next :meth:`fit` makes the range anew."""
        self.shown = None


def pointer_plot(x_label: str = "", y_label: str = "", grid: bool = True,
                 lock_aspect: bool = False) -> tuple[pg.PlotWidget, PointerViewBox]:
    """A plot whose view never pans or zooms and that reports clicks and drags in data
    coordinates (the points to fit, the square to draw a curve in)."""
    view_box = PointerViewBox()
    widget = teaching_plot(x_label, y_label, grid=grid, view_box=view_box)
    widget.getPlotItem().hideButtons()
    view_box.setMouseEnabled(False, False)
    view_box.setAspectLocked(lock_aspect)
    view_box.disableAutoRange()
    return widget, view_box


def legend(widget: pg.PlotWidget, entries, corner: str = "top left",
           columns: int = 1) -> pg.LegendItem:
    """A legend listing ``(item, label)`` pairs, in a ``corner`` ("top left", "bottom
    right", …) of the plot, in ``columns`` (a short plot: one row)."""
    offset = (-10 if "right" in corner else 10, -10 if "bottom" in corner else 10)
    # A translucent ground: the curves under the legend still show through.
    item = widget.getPlotItem().addLegend(offset=offset, labelTextSize="10.5pt",
                                          brush=pg.mkBrush(255, 255, 255, 190),
                                          pen=pg.mkPen(200, 200, 200))
    # pyqtgraph's legend ignores the view's transformation, so it would stay small in a
    # magnified plot (larger text, presentation mode): it is magnified with the plot
    # (up to scale.LEGEND_MAX_ZOOM).
    item.setFlag(item.GraphicsItemFlag.ItemIgnoresTransformations, False)
    box = widget.getPlotItem().getViewBox()
    box.sigResized.connect(lambda _box: scale.fit_legend(item))
    for plot_item, label in entries:
        item.addItem(plot_item, label)
    item.setColumnCount(columns)
    scale.fit_legend(item)
    return item


def path_item(rgb, dash, symbol: str, width: float = 2.5, size: float = 8) -> pg.PlotDataItem:
    """A path drawn in its colour with a second cue, its dash and its symbol, so that
    paths compared side by side are told apart without colour vision."""
    return pg.PlotDataItem(pen=theme.mkpen(rgb, width, dash), symbol=symbol, symbolSize=size,
                           symbolBrush=pg.mkBrush(*rgb), symbolPen=pg.mkPen("k", width=0.8))
