"""The shared 2D landscape view: heat map, contour lines, arrow field, a point and a path.

Click or drag anywhere on the map to place the point (``sig_point_moved``); with the
keyboard focus on the map, the arrow keys nudge it (Shift for bigger steps).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGraphicsItem, QLabel

from mlcalc_gui.core.contours import contour_lines, value_range
from mlcalc_gui.gui import theme

__all__ = ["ContourView", "PointerViewBox", "ZoomableViewBox", "arrow_segments",
           "go_home_under"]


def arrow_segments(x, y, u, v, head: float = 0.3, aspect: float = 1.0) -> np.ndarray:
    """Line segments (pairs of rows) drawing arrows from (x, y) to (x + u, y + v).

    ``head`` is the arrowhead length as a fraction of each arrow; ``aspect`` is the data
    height per unit width on screen, so heads look symmetric on non-square axes.
    """
    x, y, u, v = (np.ravel(np.asarray(a, dtype=float)) for a in (x, y, u, v))
    keep = np.isfinite(u) & np.isfinite(v) & ((u != 0) | (v != 0))
    x, y, u, v = x[keep], y[keep], u[keep], v[keep]
    tip_x, tip_y = x + u, y + v
    # Rotate the reversed shaft by +-25 degrees in screen space for the two barbs.
    su, sv = -u * head, -v * head / aspect
    out = [np.column_stack([x, y]), np.column_stack([tip_x, tip_y])]
    segs = [np.stack(out, axis=1)]
    for angle in (0.45, -0.45):
        c, s = np.cos(angle), np.sin(angle)
        bx = tip_x + (c * su - s * sv)
        by = tip_y + (s * su + c * sv) * aspect
        segs.append(np.stack([np.column_stack([tip_x, tip_y]), np.column_stack([bx, by])],
                             axis=1))
    return np.concatenate(segs).reshape(-1, 2)


class ZoomableViewBox(pg.ViewBox):
    """A view box the learner zooms with the wheel and pans by dragging, and that goes
    back to the view the tab gave it (:meth:`go_home`, the Home key): the range before
    the learner's first zoom or pan since the tab last set one.  ``user_moved`` while the
    learner's view holds (a plot that grows with a run leaves it alone)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._home: tuple | None = None  # (x range, y range, auto range) before the learner
        self._manual = 0

    @property
    def user_moved(self) -> bool:
        return self._home is not None

    def _remember_home(self) -> None:
        if self._home is None:
            x, y = self.viewRange()
            self._home = (tuple(x), tuple(y), tuple(self.state["autoRange"]))

    def go_home(self) -> None:
        """Back to the tab's own view (nothing if the learner has not moved it)."""
        home, self._home = self._home, None
        if home is None:
            return
        (x0, x1), (y0, y1), auto = home
        self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        if any(auto):
            self.enableAutoRange(x=auto[0] or None, y=auto[1] or None)

    def setRange(self, *args, **kwargs):  # noqa: N802 (pyqtgraph naming)
        if not self._manual:
            self._home = None  # the tab set a view: that is the view to go back to
        return super().setRange(*args, **kwargs)

    def manual(self, change) -> None:
        """Do ``change()`` (a zoom or pan) as the learner's."""
        self._remember_home()
        self._manual += 1
        try:
            change()
        finally:
            self._manual -= 1

    def wheelEvent(self, ev, axis=None):  # noqa: N802
        if any(self.state["mouseEnabled"]):
            self.manual(lambda: super(ZoomableViewBox, self).wheelEvent(ev, axis))
        else:
            ev.ignore()

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802
        self.manual(lambda: super(ZoomableViewBox, self).mouseDragEvent(ev, axis))


class PointerViewBox(ZoomableViewBox):
    """A view box where the left button places things instead of panning; the wheel
    zooms about the pointer and the right or middle button pans (Home goes back).

    ``sig_pressed(x, y)`` on a click and on every drag movement; ``sig_clicked(x, y)`` on
    clicks only; ``sig_drag(x, y, phase)``
    on drags, with phase 0 at the start, 1 while moving and 2 at the end.
    """

    sig_pressed = Signal(float, float)
    sig_clicked = Signal(float, float)
    sig_drag = Signal(float, float, int)

    def mouseClickEvent(self, ev):  # noqa: N802 (Qt naming)
        if ev.button() == Qt.LeftButton:
            p = self.mapSceneToView(ev.scenePos())
            self.sig_pressed.emit(p.x(), p.y())
            self.sig_clicked.emit(p.x(), p.y())
            ev.accept()
        else:
            ev.ignore()

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802
        if ev.button() == Qt.LeftButton:
            p = self.mapSceneToView(ev.scenePos())
            phase = 0 if ev.isStart() else (2 if ev.isFinish() else 1)
            self.sig_pressed.emit(p.x(), p.y())
            self.sig_drag.emit(p.x(), p.y(), phase)
            ev.accept()
        elif ev.button() in (Qt.RightButton, Qt.MiddleButton):
            ev.accept()
            last = self.mapSceneToView(ev.lastScenePos())
            here = self.mapSceneToView(ev.scenePos())
            self.manual(lambda: self.translateBy(x=last.x() - here.x(), y=last.y() - here.y()))
        else:
            ev.ignore()

    def wheelEvent(self, ev, axis=None):  # noqa: N802 - zooms about the pointer
        factor = 1.02 ** (-ev.delta() / 120 * 6)
        centre = self.mapSceneToView(ev.scenePos())
        self.manual(lambda: self.scaleBy((factor, factor), center=centre))
        ev.accept()


class PassingDots(pg.ScatterPlotItem):
    """Dots (a path's, the point's marker) that let a click through to the map: a
    scatter takes a click on one of its dots, so a click on the path did nothing."""

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph naming)
        ev.ignore()


def go_home_under(widget) -> int:
    """Every zoomable view under ``widget`` back to the tab's own view; how many."""
    count = 0
    for view in widget.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            if isinstance(item, ZoomableViewBox) and item.user_moved:
                item.go_home()
                count += 1
    return count


class ContourView(pg.PlotWidget):
    """Heat map + contours of ``Z[j, i] = f(xs[i], ys[j])`` with overlays.

    Signals
    -------
    sig_point_moved(float, float)
        The user placed the point at (x, y) by click, drag or arrow key.
    sig_activated(float, float)
        The user pressed Enter on the point (x, y): "act here" (dip, start, …).
    """

    sig_point_moved = Signal(float, float)
    sig_activated = Signal(float, float)

    def __init__(self, parent=None, labels=("x", "y"), lock_aspect: bool = True):
        self._vb = PointerViewBox()
        super().__init__(parent, viewBox=self._vb)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setToolTip(
            "Click or drag to place the point. Arrow keys nudge it (Shift: bigger steps). "
            "The wheel zooms, the right button pans, Home goes back.")
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        theme.style_plot(plot)
        self.set_labels(labels, lock_aspect)
        self._vb.setMouseEnabled(False, False)
        self._vb.sig_pressed.connect(self._on_pressed)
        self.image = pg.ImageItem()
        self.image.setZValue(-10)
        plot.addItem(self.image)
        self.contours = pg.PlotDataItem(connect="pairs", pen=pg.mkPen((20, 20, 20, 110), width=1))
        plot.addItem(self.contours)
        # The heat map and its thousands of contour segments change only with f: kept as
        # pixmaps, so a point dragged over them repaints in a blit (a drag's frame went
        # from about 30 ms to under 20).
        for item in (self.image, self.contours.curve):
            item.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.field = pg.PlotDataItem(connect="pairs", pen=pg.mkPen((255, 255, 255, 190), width=1.3))
        plot.addItem(self.field)
        self.path_line = pg.PlotDataItem(pen=theme.mkpen(theme.PATH, 2.5))
        self.path_dots = PassingDots(pen=pg.mkPen("k", width=0.8),
                                     brush=pg.mkBrush(*theme.PATH))
        plot.addItem(self.path_line)
        plot.addItem(self.path_dots)
        self.arrow_up = pg.PlotDataItem(connect="pairs", pen=theme.mkpen(theme.UPHILL, 3.5))
        self.arrow_down = pg.PlotDataItem(connect="pairs", pen=theme.mkpen(theme.DOWNHILL, 3.5))
        plot.addItem(self.arrow_up)
        plot.addItem(self.arrow_down)
        self.marker = PassingDots(size=16, pen=pg.mkPen("w", width=2.5),
                                  brush=pg.mkBrush(*theme.POINT))
        self.marker.setZValue(20)
        plot.addItem(self.marker)
        self._domain = (0.0, 1.0, 0.0, 1.0)
        self._point: tuple[float, float] | None = None
        self.colorbar = None
        # The hover readout: (x, y, value) at the pointer, beside it, in plain text.
        self._grid: tuple[np.ndarray, np.ndarray, np.ndarray, str] | None = None
        self.readout = QLabel(self)
        self.readout.setTextFormat(Qt.PlainText)
        self.readout.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.readout.setStyleSheet(theme.READOUT_STYLE)
        self.readout.hide()
        self.scene().sigMouseMoved.connect(self._on_hover)

    def set_labels(self, labels: tuple[str, str], lock_aspect: bool) -> None:
        """Name the axes; ``lock_aspect`` keeps one unit as long on both."""
        plot = self.getPlotItem()
        plot.setLabel("bottom", labels[0], **{"font-size": "13pt"})
        plot.setLabel("left", labels[1], **{"font-size": "13pt"})
        self._vb.setAspectLocked(lock_aspect)
        self._names = tuple(label.split(" (")[0] for label in labels)  # no units

    # ---- the landscape -------------------------------------------------------------------
    @property
    def domain(self) -> tuple[float, float, float, float]:
        return self._domain

    def set_field(self, xs: np.ndarray, ys: np.ndarray, Z: np.ndarray, levels: int = 20,
                  cmap: str = "viridis", zlim: tuple[float, float] | None = None,
                  log_levels: bool = False, label: str = "",
                  segments: np.ndarray | None = None) -> None:
        """Show the heat map and ``levels`` contour lines of Z (``segments``: those lines
        already worked out, in pairs); ``label`` names the colour bar (what the colours
        are, in which units)."""
        self._domain = (float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1]))
        self._grid = (np.asarray(xs, float), np.asarray(ys, float), Z,
                      label.split(" (")[0] or "f")
        lo, hi = value_range(Z, zlim)
        shown = np.log10(np.maximum(Z, 1e-300)) if log_levels else Z
        self.image.setImage(np.where(np.isfinite(Z), np.clip(Z, lo, hi), np.nan),
                            levels=(lo, hi), lut=theme.lookup_table(cmap))
        x0, x1, y0, y1 = self._domain
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        segs = (contour_lines(xs, ys, shown, levels, robust=not log_levels)
                if segments is None else segments)
        if len(segs):
            self.contours.setData(segs[:, 0], segs[:, 1], connect="pairs")
        else:
            self.contours.setData([], [])
        self.getPlotItem().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.02)
        if self.colorbar is not None:
            self.colorbar.setVisible(True)
        if self.colorbar is None:
            self.colorbar = pg.ColorBarItem(values=(lo, hi), colorMap=pg.colormap.get(cmap),
                                            interactive=False, width=14)
            self.colorbar.setImageItem(self.image, insert_in=self.getPlotItem())
            self.colorbar.getAxis("right").setTickFont(_tick_font())
            self.colorbar.getAxis("right").enableAutoSIPrefix(False)  # 0.5, not 500 (x0.001)
            theme.cache_axes(self.colorbar)
        else:
            self.colorbar.setLevels((lo, hi))
        self.colorbar.getAxis("right").setLabel(label, **{"font-size": "11pt"})

    def set_covered(self, domain: tuple[float, float, float, float],
                    texture: np.ndarray) -> None:
        """Hide the landscape under ``texture`` (an RGB uint8 image: a game's sand): no
        heat map, contours or colour bar, only the overlays."""
        self._domain = tuple(float(v) for v in domain)
        self._grid = None  # covered: the readout gives the place, never the value
        x0, x1, y0, y1 = self._domain
        self.image.setImage(texture, levels=(0, 255), lut=None)
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.contours.setData([], [])
        if self.colorbar is not None:
            self.colorbar.setVisible(False)
        self.getPlotItem().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.02)

    def set_arrow_field(self, X, Y, U, V) -> None:
        """Draw arrows (U, V) at (X, Y): a gradient field, already scaled to data units."""
        self.field.setData(*arrow_segments(X, Y, U, V, aspect=self._aspect()).T,
                           connect="pairs")

    def clear_arrow_field(self) -> None:
        self.field.setData([], [])

    def _aspect(self) -> float:
        """Data height per data width of one screen unit (1 when the aspect is locked)."""
        vb = self._vb
        if vb.state.get("aspectLocked"):
            return 1.0
        (x0, x1), (y0, y1) = vb.viewRange()
        w, h = max(vb.width(), 1), max(vb.height(), 1)
        return ((y1 - y0) / h) / ((x1 - x0) / w) if x1 > x0 else 1.0

    # ---- the point and its arrows -------------------------------------------------------
    def set_point(self, x: float | None, y: float | None = None) -> None:
        """Place the marker without emitting ``sig_point_moved``; None hides it."""
        if x is None:
            self._point = None
            self.marker.setData([], [])
            return
        self._point = (float(x), float(y))
        self.marker.setData([x], [y])

    @property
    def point(self) -> tuple[float, float] | None:
        return self._point

    def set_point_arrows(self, x: float, y: float, gx: float, gy: float, length: float) -> None:
        """Uphill (gradient) and downhill (negative gradient) arrows of fixed length."""
        norm = float(np.hypot(gx, gy))
        if not np.isfinite(norm) or norm == 0:
            self.arrow_up.setData([], [])
            self.arrow_down.setData([], [])
            return
        u, v = gx / norm * length, gy / norm * length
        a = self._aspect()
        self.arrow_up.setData(*arrow_segments([x], [y], [u], [v], 0.25, a).T, connect="pairs")
        self.arrow_down.setData(*arrow_segments([x], [y], [-u], [-v], 0.25, a).T,
                                connect="pairs")

    def clear_point_arrows(self) -> None:
        self.arrow_up.setData([], [])
        self.arrow_down.setData([], [])

    def set_path(self, xs, ys) -> None:
        """A path as dots joined by a line; the last dot is larger."""
        xs = np.asarray(xs, dtype=float)
        ys = np.asarray(ys, dtype=float)
        self.path_line.setData(xs, ys)
        if len(xs) == 0:
            self.path_dots.setData([], [])
            return
        sizes = np.full(len(xs), 7.0)
        sizes[-1] = 15.0
        self.path_dots.setData(xs, ys, size=sizes)

    # ---- the hover readout ---------------------------------------------------------------
    def value_at(self, x: float, y: float) -> float | None:
        """The landscape's value at (x, y), bilinear between grid points (NaN where it is
        undefined); None when covered or outside the map."""
        if self._grid is None:
            return None
        xs, ys, Z, _ = self._grid
        if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            return None
        fx = np.interp(x, xs, np.arange(len(xs)))
        fy = np.interp(y, ys, np.arange(len(ys)))
        i, j = min(int(fx), len(xs) - 2), min(int(fy), len(ys) - 2)
        tx, ty = fx - i, fy - j
        corners = Z[j:j + 2, i:i + 2]
        weights = np.array([[(1 - tx) * (1 - ty), tx * (1 - ty)], [(1 - tx) * ty, tx * ty]])
        return float(np.sum(corners * weights))

    def readout_text(self, x: float, y: float) -> str | None:
        x0, x1, y0, y1 = self._domain
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return None
        a, b = self._names
        text = f"{a} = {theme.format_number(x)}, {b} = {theme.format_number(y)}"
        value = self.value_at(x, y)
        if self._grid is not None and value is not None:
            shown = theme.format_number(value) if np.isfinite(value) else "undefined"
            text += f", {self._grid[3]} = {shown}"
        return text

    def _on_hover(self, scene_pos) -> None:
        p = self._vb.mapSceneToView(scene_pos)
        text = (self.readout_text(p.x(), p.y())
                if self._vb.sceneBoundingRect().contains(scene_pos) else None)
        if text is None:
            self.readout.hide()
            return
        self.readout.setText(text)
        self.readout.adjustSize()
        at = self.mapFromScene(scene_pos)
        x = min(at.x() + 16, self.width() - self.readout.width() - 2)
        y = at.y() + 18 if at.y() + 18 + self.readout.height() < self.height() else (
            at.y() - 10 - self.readout.height())
        self.readout.move(max(x, 2), max(y, 2))
        self.readout.show()
        self.readout.raise_()

    def leaveEvent(self, ev) -> None:  # noqa: N802
        self.readout.hide()
        super().leaveEvent(ev)

    # ---- input ---------------------------------------------------------------------------
    def _clamp(self, x: float, y: float) -> tuple[float, float]:
        x0, x1, y0, y1 = self._domain
        return min(max(x, x0), x1), min(max(y, y0), y1)

    def _on_pressed(self, x: float, y: float) -> None:
        x, y = self._clamp(x, y)
        self.setFocus(Qt.MouseFocusReason)
        self.set_point(x, y)
        self.sig_point_moved.emit(x, y)

    def keyPressEvent(self, ev: QKeyEvent) -> None:  # noqa: N802
        moves = {Qt.Key_Left: (-1, 0), Qt.Key_Right: (1, 0), Qt.Key_Up: (0, 1),
                 Qt.Key_Down: (0, -1)}
        if ev.key() in moves and self._point is not None:
            dx, dy = moves[ev.key()]
            x0, x1, y0, y1 = self._domain
            frac = 0.05 if ev.modifiers() & Qt.ShiftModifier else 0.01
            x, y = self._clamp(self._point[0] + dx * frac * (x1 - x0),
                               self._point[1] + dy * frac * (y1 - y0))
            self.set_point(x, y)
            self.sig_point_moved.emit(x, y)
            ev.accept()
            return
        if ev.key() in (Qt.Key_Return, Qt.Key_Enter) and self._point is not None:
            self.sig_activated.emit(*self._point)
            ev.accept()
            return
        super().keyPressEvent(ev)


def _tick_font():
    from PySide6.QtGui import QFont

    font = QFont()
    font.setPointSize(10)
    return font
