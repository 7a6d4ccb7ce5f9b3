"""The data views of the Fitting tab, one per problem, with one interface:
``show_problem(problem)`` draws the data and the least-squares answer, ``draw(problem,
params)`` the model at the parameters."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication

from mlcalc_gui.core import fitting as fit
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.widgets import titled
from mlcalc_gui.gui.panels.plots import legend, pointer_plot, teaching_plot
from mlcalc_gui.gui.theme import format_number as fmt

__all__ = ["HistogramView", "PointsView"]

#: Samples along a drawn Gaussian: a few per pixel of the widest plot (σ of the heights
#: is ~7 cm: 45 samples a σ), not the 2000 that were stroked again at every frame.
CURVE_SAMPLES = 600

OVERLAP = (200, 200, 200)


class HistogramView(QObject):
    """Bars coloured by where the model and the data agree, the model and the minimum."""

    def __init__(self, parent):
        super().__init__(parent)
        self.plot = teaching_plot("height (cm)", "density /cm")  # short: fits a magnified plot
        plot = self.plot.getPlotItem()
        plot.disableAutoRange()  # ranges are set for each data set; the model never moves them
        # Told apart without colour too: where the model is above the data the bar is
        # hatched and outlined (mass the model claims and the data lack), where the data
        # are above it is solid blue; where they agree, plain grey.
        hatch = QBrush(QColor(*theme.PATH), Qt.BDiagPattern)
        self.bars = {
            "overlap": pg.BarGraphItem(x=[], height=[], width=1, brush=pg.mkBrush(*OVERLAP),
                                       pen=pg.mkPen(None)),
            "model": pg.BarGraphItem(x=[], height=[], width=1, brush=hatch,
                                     pen=theme.mkpen(theme.PATH, 1.5)),
            "data": pg.BarGraphItem(x=[], height=[], width=1, brush=pg.mkBrush(*theme.BLUE),
                                    pen=pg.mkPen(None)),
        }
        for item in self.bars.values():
            plot.addItem(item)
        self.model_curve = plot.plot(pen=theme.mkpen((40, 40, 40), 2))
        self.best_curve = plot.plot(pen=theme.mkpen((40, 40, 40), 1.5, Qt.DashLine))
        # Top right, above the tail of the heights (they end near 195 cm, low) and away
        # from the course's start (155 cm), where the model stands tallest.  Short names
        # keep it off the bars when the plot is magnified.
        legend(self.plot, [(self.model_curve, "model"),
                           (self.best_curve, "best fit"),
                           (self.bars["overlap"], "agree"),
                           (self.bars["model"], "model above"),
                           (self.bars["data"], "data above")], corner="top right")
        self.widget = titled(self.plot, "The data and the model")

    def show_problem(self, problem: fit.GaussianProblem) -> None:
        x, y = problem.x, problem.y
        if problem.course:
            self.plot.setXRange(130, 220, padding=0)
            self.plot.setYRange(0, 0.095, padding=0)  # headroom for the legend
        else:
            mean, spread = fit.moments(x, y)
            self.plot.setXRange(mean - 4 * spread, mean + 5 * spread, padding=0)
            self.plot.setYRange(0, 1.8 * y.max(), padding=0)  # the legend sits above
        xs = np.linspace(x[0], x[-1], CURVE_SAMPLES)
        self.best_curve.setData(xs, fit.gaussian(xs, *problem.best))

    def draw(self, problem: fit.GaussianProblem, params) -> None:
        x, y, w = problem.x, problem.y, problem.hist.width
        mu, sigma = params
        with np.errstate(all="ignore"):
            model = fit.gaussian(x, mu, sigma)
            xs = np.linspace(x[0], x[-1], CURVE_SAMPLES)
            self.model_curve.setData(xs, fit.gaussian(xs, mu, sigma))
        self.bars["overlap"].setOpts(x=x, height=np.minimum(model, y), width=w)
        self.bars["model"].setOpts(x=x, y0=y, height=np.maximum(model - y, 0), width=w)
        self.bars["data"].setOpts(x=x, y0=model, height=np.maximum(y - model, 0), width=w)
        # Short: at presentation size a longer title would be cut (μ and σ are in the
        # numbers beside the plot).
        self.plot.setTitle(f"χ² = {fmt(problem.chi2(params))}", size="12pt")


class PointsView(QObject):
    """Points to fit (click to add, drag to move, Shift+click to delete), the closed-form
    line, the descent's line and the residuals.  ``sig_points(array)``: edited."""

    sig_points = Signal(object)
    sig_status = Signal(str)

    def __init__(self, parent):
        super().__init__(parent)
        self.plot, self.vb = pointer_plot("x", "y")
        plot = self.plot.getPlotItem()
        self.residuals = plot.plot(pen=pg.mkPen((120, 120, 120), width=1.5), connect="pairs")
        self.exact_line = plot.plot(pen=theme.mkpen(theme.TARGET, 2, Qt.DashLine))
        self.descent_line = plot.plot(pen=theme.mkpen(theme.PATH, 3))
        self.point_item = pg.ScatterPlotItem(size=11, brush=pg.mkBrush(*theme.DOWNHILL),
                                             pen=pg.mkPen("w", width=1.5))
        plot.addItem(self.point_item)
        legend(self.plot, [(self.exact_line, "closed form"), (self.descent_line, "descent"),
                           (self.residuals, "residuals")])
        self.vb.sig_clicked.connect(self._on_click)
        self.vb.sig_drag.connect(self._on_drag)
        self.points = fit.SAMPLE_POINTS.copy()
        self._drag_index: int | None = None
        self._secret = False  # the title leaves out the line while a question waits
        self._drawn: tuple | None = None
        self.widget = titled(self.plot, "Points, the fitted lines and the residuals")

    def keep_secret(self, hidden: bool) -> None:
        """The title without the fitted line's numbers (a lesson asks for them)."""
        self._secret = hidden
        if self._drawn is not None:
            self.draw(*self._drawn)

    def show_problem(self, problem: fit.LineProblem) -> None:
        self.points = problem.points.copy()
        x, y = problem.x, problem.y
        m0, c0 = problem.best
        xr = np.array([x.min() - 0.1 * np.ptp(x), x.max() + 0.1 * np.ptp(x)])
        self.exact_line.setData(xr, m0 * xr + c0)
        self.point_item.setData(x, y)
        pad_y = 0.15 * max(np.ptp(y), 1e-9)
        self.plot.setXRange(xr[0], xr[1], padding=0)
        self.plot.setYRange(y.min() - pad_y, y.max() + pad_y, padding=0)

    def draw(self, problem: fit.LineProblem, params) -> None:
        x, y = problem.x, problem.y
        m, c = params
        (x0, x1), _ = self.vb.viewRange()
        self.descent_line.setData([x0, x1], [m * x0 + c, m * x1 + c])
        segs = np.empty((2 * len(x), 2))
        segs[0::2] = np.column_stack([x, y])
        segs[1::2] = np.column_stack([x, m * x + c])
        self.residuals.setData(segs[:, 0], segs[:, 1], connect="pairs")
        self._drawn = (problem, params)
        line = "the line hidden until you answer" if self._secret else \
            f"y = {fmt(m)} x + {fmt(c)}"
        self.plot.setTitle(f"Σ residual² = {fmt(problem.chi2(params))}: {line}", size="12pt")

    # ---- editing the points ----------------------------------------------------------------
    def _near(self, x: float, y: float) -> int | None:
        (x0, x1), (y0, y1) = self.vb.viewRange()
        d = np.hypot((self.points[:, 0] - x) / (x1 - x0), (self.points[:, 1] - y) / (y1 - y0))
        k = int(np.argmin(d))
        return k if d[k] < 0.03 else None

    def _on_click(self, x: float, y: float) -> None:
        near = self._near(x, y)
        if QApplication.keyboardModifiers() & Qt.ShiftModifier:
            if near is None:
                return
            if len(self.points) <= 2:
                self.sig_status.emit("A line needs at least two points")
                return
            self.points = np.delete(self.points, near, axis=0)
        elif near is None:
            self.points = np.vstack([self.points, [x, y]])
        self.sig_points.emit(self.points.copy())

    def _on_drag(self, x: float, y: float, phase: int) -> None:
        if phase == 0:
            self._drag_index = self._near(x, y)
        if self._drag_index is None:
            return
        self.points[self._drag_index] = (x, y)
        if np.ptp(self.points[:, 0]) == 0:
            self.points[self._drag_index, 0] += 1e-6
        self.point_item.setData(self.points[:, 0], self.points[:, 1])
        if phase == 2:
            self._drag_index = None
            self.sig_points.emit(self.points.copy())
