"""The fixed teaching plots: one look (fonts, ticks, grid, legend) in every tab."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from mlcalc_gui.gui import scale, theme
from mlcalc_gui.gui.widgets.contour_view import PointerViewBox, ZoomableViewBox

__all__ = ["teaching_plot", "pointer_plot", "legend", "path_item", "SteadyRange",
           "thin_labels", "spread_labels", "LegendPlacer", "CORNERS", "PLACER_TIMER",
           "follow_x_range"]


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
    # The wheel zooms and a drag pans every plot; Home goes back (ZoomableViewBox).
    widget = pg.PlotWidget(viewBox=view_box if view_box is not None else ZoomableViewBox(),
                           axisItems=axes)
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
    when the data fills less than a quarter of it (a new run; a run's start alone keeps
    it).  Its axes, whose text is slow to draw, change a few times a run instead of every
    frame."""

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
        box = self.plot.getViewBox()
        if getattr(box, "user_moved", False):
            return  # the learner zoomed or panned: that view holds until Home
        if self.shown is not None:
            sx0, sx1, sy0, sy1 = self.shown
            inside = sx0 <= x0 and x1 <= sx1 and sy0 <= y0 and y1 <= sy1
            full = (x1 - x0) >= 0.25 * (sx1 - sx0) and (y1 - y0) >= 0.25 * (sy1 - sy0)
            # A lone point is a run's start: its run, not the start, says if it is new
            # (played again from there, the range stays through the restart).
            if inside and (full or ok.sum() == 1):
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


#: The name of a legend placer's timer, which the tab stops when it stops its work.
PLACER_TIMER = "mlc_legend_placer"

#: Where a legend may sit, as pyqtgraph's offsets (positive: from the left or top).
CORNERS = {"top left": (10, 10), "top right": (-10, 10), "bottom left": (10, -10),
           "bottom right": (-10, -10)}


def legend(widget: pg.PlotWidget, entries, corner: str = "auto",
           columns: int = 1) -> pg.LegendItem:
    """A legend listing ``(item, label)`` pairs, in a ``corner`` ("top left", "bottom
    right", …) of the plot, or ``"auto"``: the corner where the data is not, chosen
    again as the data moves (:class:`LegendPlacer`); in ``columns`` (a short plot: one
    row)."""
    first = "top left" if corner == "auto" else corner
    # A translucent ground: the curves under the legend still show through.
    item = widget.getPlotItem().addLegend(offset=CORNERS[first], labelTextSize="10.5pt",
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
    if corner == "auto":
        item.placer = LegendPlacer(widget, item)
    return item


class LegendPlacer:
    """Keeps a legend in the corner of its plot with the least data under it: the legend
    of f′ hid the point being traced.  It looks again a few times a second at most, when
    the data or the range changes, and moves only to a corner clearly better than its
    own (so it does not hop to and fro)."""

    INTERVAL_MS = 300
    SAMPLE = 1500  # points of each curve looked at

    def __init__(self, widget: pg.PlotWidget, item: pg.LegendItem):
        from PySide6.QtCore import QTimer

        self.widget, self.item = widget, item
        self.corner = "top left"
        self.timer = QTimer(widget, singleShot=True, interval=self.INTERVAL_MS)
        self.timer.setObjectName(PLACER_TIMER)  # stopped with the tab's work (kit.tab)
        self.timer.timeout.connect(self.place)
        box = widget.getPlotItem().getViewBox()
        box.sigRangeChanged.connect(self.soon)
        for data_item in self._data_items():
            signal = getattr(data_item, "sigPlotChanged", None)
            if signal is not None:
                signal.connect(self.soon)

    def soon(self, *_args) -> None:
        # Not for a plot off screen (a page not shown, a window closing): it is placed
        # when it is laid out on screen again, which changes its range.
        if not self.timer.isActive() and self.widget.isVisible():
            self.timer.start()

    def _data_items(self):
        box = self.widget.getPlotItem().getViewBox()
        return [i for i in box.addedItems if isinstance(i, pg.PlotDataItem | pg.ScatterPlotItem)]

    def _points(self) -> list[np.ndarray]:
        """Each visible data item's points (sampled), in view coordinates, and each
        label's place (a label under the legend is as hidden as a point)."""
        plot = self.widget.getPlotItem()
        box = plot.getViewBox()
        chunks = [np.array([[label.pos().x(), label.pos().y()]]) for label in box.addedItems
                  if isinstance(label, pg.TextItem) and label.isVisible()
                  and label.textItem.toPlainText()]
        for data_item in self._data_items():
            if not data_item.isVisible():
                continue
            x, y = data_item.getData() if isinstance(data_item, pg.PlotDataItem) else (
                data_item.data["x"], data_item.data["y"])
            if x is None or not len(x):
                continue
            x, y = np.asarray(x, float), np.asarray(y, float)
            if len(x) > self.SAMPLE:
                pick = np.linspace(0, len(x) - 1, self.SAMPLE).astype(int)
                x, y = x[pick], y[pick]
            with np.errstate(all="ignore"):
                if plot.ctrl.logXCheck.isChecked():
                    x = np.log10(x)
                if plot.ctrl.logYCheck.isChecked():
                    y = np.log10(y)
            ok = np.isfinite(x) & np.isfinite(y)
            if ok.any():
                chunks.append(np.column_stack([x[ok], y[ok]]))
        return chunks

    def scores(self) -> dict[str, float]:
        """How much each corner's legend would hide: for each item the share of its
        points under it, a marker (at most three points: the point being traced) counted
        three times over, since it is what the learner watches."""
        box = self.widget.getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = box.viewRange()
        sx, sy = box.viewPixelSize()
        size = self.item.boundingRect()
        zoom = getattr(self.widget, "_mlc_zoom", 1.0)
        w = (size.width() * self.item.scale() * zoom + 14) * sx
        h = (size.height() * self.item.scale() * zoom + 14) * sy
        items = self._points()
        out = {}
        for corner in CORNERS:
            left = x0 if "left" in corner else x1 - w
            bottom = y1 - h if "top" in corner else y0
            score = 0.0
            for points in items:
                px, py = points[:, 0], points[:, 1]
                inside = np.count_nonzero((px >= left) & (px <= left + w)
                                          & (py >= bottom) & (py <= bottom + h))
                score += (3.0 if len(points) <= 3 else 1.0) * inside / len(points)
            out[corner] = score
        return out

    def place(self) -> None:
        scores = self.scores()
        best = min(scores, key=lambda c: (scores[c], c != self.corner))
        if scores[best] < scores[self.corner] - 0.2:
            self.corner = best
            self.item.setOffset(CORNERS[best])


def text_label(color=theme.TEXT, size: int = 11) -> pg.TextItem:
    """A name on a plot (x₀, r₁, ∇f, ①) above its point, over the curves."""
    item = pg.TextItem(color=color, anchor=(0.5, 1.2))
    font = item.textItem.font()
    font.setPointSize(size)
    item.setFont(font)
    item.setZValue(30)
    return item


def path_item(rgb, dash, symbol: str, width: float = 2.5, size: float = 8) -> pg.PlotDataItem:
    """A path drawn in its colour with a second cue, its dash and its symbol, so that
    paths compared side by side are told apart without colour vision."""
    return pg.PlotDataItem(pen=theme.mkpen(rgb, width, dash), symbol=symbol, symbolSize=size,
                           symbolBrush=pg.mkBrush(*rgb), symbolPen=pg.mkPen("k", width=0.8))


def follow_x_range(leader: pg.PlotWidget, follower: pg.PlotWidget) -> None:
    """``follower`` shows exactly ``leader``'s x range, whatever either's size.

    pyqtgraph's setXLink matches the two views pixel for pixel, so a follower laid out at
    another width for a moment (a text size changed while it was hidden) took a range of
    its own (a strip of −4.3…8.55 under a plot of −4.5…4.5) until the next redraw."""
    leader_box = leader.getPlotItem().getViewBox()
    follower_box = follower.getPlotItem().getViewBox()

    def follow(*_args) -> None:
        x0, x1 = leader_box.viewRange()[0]
        follower_box.setXRange(x0, x1, padding=0)

    leader_box.sigXRangeChanged.connect(follow)
    follower_box.sigResized.connect(follow)
    follow()


# ---- labels that would overprint ---------------------------------------------------------
def _label_rect(label: pg.TextItem, box: pg.ViewBox):
    """Where ``label`` is drawn, in the view's device pixels (its text is in scene units,
    which a magnified view shows larger)."""
    from PySide6.QtCore import QPointF, QRectF

    view = box.getViewWidget()
    zoom = getattr(view, "_mlc_zoom", 1.0) if view is not None else 1.0
    text = label.textItem.boundingRect()
    width, height = text.width() * zoom, text.height() * zoom
    at = box.mapViewToDevice(QPointF(label.pos()))
    if at is None:
        return None
    ax, ay = label.anchor.x(), label.anchor.y()
    return QRectF(at.x() - ax * width, at.y() - ay * height, width, height)


def thin_labels(labels, box: pg.ViewBox, margin: float = 2.0) -> None:
    """Hide each of ``labels`` (in order of importance) that would overlap one already
    shown: labels on a crowded plot (Newton's iterates homing in on a root) never print
    over each other.  Only visible labels count and may be hidden."""
    shown = []
    for label in labels:
        if not label.isVisible() or not label.textItem.toPlainText():
            continue
        rect = _label_rect(label, box)
        if rect is None:
            continue
        grown = rect.adjusted(-margin, -margin, margin, margin)
        if any(grown.intersects(other) for other in shown):
            label.setVisible(False)
        else:
            shown.append(rect)


def spread_labels(labels, box: pg.ViewBox, gap: float = 1.0) -> None:
    """Move ``labels`` that stand at about the same place apart, up and down, so none
    overlaps another (the race's eight cost lines often end together): each keeps its
    x, and the column of them is centred on where they were."""
    from PySide6.QtCore import QPointF

    placed = [(label, _label_rect(label, box)) for label in labels
              if label.isVisible() and label.textItem.toPlainText()]
    placed = [(label, rect) for label, rect in placed if rect is not None]
    if len(placed) < 2:
        return
    placed.sort(key=lambda pair: pair[1].center().y())
    tops = [rect.top() for _, rect in placed]
    heights = [rect.height() + gap for _, rect in placed]
    for i in range(1, len(tops)):  # push each below the one above it
        tops[i] = max(tops[i], tops[i - 1] + heights[i - 1])
    shift = (sum(r.top() for _, r in placed) - sum(tops)) / len(tops)
    for (label, rect), top in zip(placed, tops, strict=True):
        new_top = top + shift
        if abs(new_top - rect.top()) < 0.5:
            continue
        anchor_y = new_top + label.anchor.y() * rect.height()
        anchor_x = rect.left() + label.anchor.x() * rect.width()
        moved = box.mapDeviceToView(QPointF(anchor_x, anchor_y))
        label.setPos(moved.x(), moved.y())
