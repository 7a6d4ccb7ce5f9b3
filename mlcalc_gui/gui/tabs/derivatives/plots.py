"""The Derivatives tab's views: f with the secant and the tangent, f′ traced, the error
of differences against h (the V), and the rules and the quiz beside them; and how each is
drawn from the tab's x, h and f."""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from mlcalc_gui.core.derivatives import (
    Measured,
    central_difference,
    difference_errors,
    forward_difference,
    limit_verdict,
)
from mlcalc_gui.gui import scale as ui_scale
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.widgets import EXPLAINS
from mlcalc_gui.gui.panels.graph_quiz import GraphQuiz
from mlcalc_gui.gui.panels.plots import legend, pointer_plot, teaching_plot
from mlcalc_gui.gui.panels.rule_tree import RuleTree
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.steady import WrappedLabel

ERRORS_EVERY = 0.15  # seconds between redraws of the error curves during a drag
RUN_LABEL_PX = 110  # a run drawn shorter than this (at normal text) gets one label


class PlotsMixin:
    """The views of :class:`~mlcalc_gui.gui.tabs.derivatives.DerivativesTab`."""

    def _build_views(self) -> QWidget:
        # No grids on the plots redrawn at every move (see theme.style_plot): the axes
        # through 0 orient the eye instead.
        self.f_plot, self.f_box = pointer_plot("x", "f(x)", grid=False)
        self.f_plot.getPlotItem().setTitle("f and the secant — drag to move x", size="11pt")
        self.f_box.sig_pressed.connect(self._drag_to)
        # A drag's moves are drawn once per pass of the event loop, the last one only;
        # the error curves (161 differences) at most every ERRORS_EVERY seconds.
        self._drag_timer = QTimer(self, singleShot=True, interval=0)
        self._drag_timer.timeout.connect(lambda: self.set_x(self._drag_x))
        self._errors_timer = QTimer(self, singleShot=True)
        self._errors_timer.timeout.connect(self._draw_error_curves)
        self.f_curve = self.f_plot.plot([], [], pen=theme.mkpen(theme.TEXT, 3))
        self.samples = self.f_plot.plot([], [], pen=None, symbol="s", symbolSize=5,
                                        symbolBrush=theme.GREY, symbolPen=None)
        self.secant = self.f_plot.plot([], [], pen=theme.mkpen(theme.ORANGE, 3))
        self.tangent = self.f_plot.plot([], [], pen=theme.mkpen(theme.BLUE, 2.5, Qt.DashLine))
        self.legs = self.f_plot.plot([], [], pen=theme.mkpen(theme.MUTED, 1.5, Qt.DotLine))
        self.points = self.f_plot.plot([], [], pen=None, symbol="o", symbolSize=11,
                                       symbolBrush=[theme.VERMILLION, theme.ORANGE],
                                       symbolPen=pg.mkPen("w", width=1.5))
        self.run_text = pg.TextItem("", color=theme.TEXT, anchor=(0.5, 0),
                                    fill=pg.mkBrush(255, 255, 255, 200))
        self.rise_text = pg.TextItem("", color=theme.TEXT, anchor=(0, 0.5),
                                     fill=pg.mkBrush(255, 255, 255, 200))
        for item in (self.run_text, self.rise_text):
            font = item.textItem.font()
            font.setPointSize(11)  # its own size: never the application's, magnified again
            item.setFont(font)
            self.f_plot.addItem(item)
        legend(self.f_plot, [(self.f_curve, "f"), (self.secant, "secant x → x + h"),
                             (self.tangent, "tangent at x")])

        self.d_plot = teaching_plot("x", "f′(x)", "The derivative: the slope at x, traced",
                                    font_pt=10, grid=False)
        self.d_plot.setXLink(self.f_plot)
        self.d_curve = self.d_plot.plot([], [], pen=theme.mkpen(theme.BLUE, 2.5, Qt.DashLine))
        # Slopes are added one at a time as x moves: a scatter that grows, never rebuilt.
        self.d_trace = pg.ScatterPlotItem(size=5, brush=pg.mkBrush(theme.ORANGE), pen=None)
        self.d_plot.addItem(self.d_trace)
        self.d_answer = self.d_plot.plot([], [], pen=theme.mkpen(theme.PURPLE, 2.5,
                                                                 Qt.DashDotLine))
        self.d_point = self.d_plot.plot([], [], pen=None, symbol="o", symbolSize=11,
                                        symbolBrush=theme.VERMILLION, symbolPen="w")
        for plot in (self.f_plot, self.d_plot):
            for angle in (0, 90):
                plot.addItem(pg.InfiniteLine(0, angle=angle, pen=theme.mkpen((190, 190, 190), 1)))
        legend(self.d_plot, [(self.d_curve, "f′ (exact)"), (self.d_trace, "slopes traced"),
                             (self.d_answer, "your f′")])

        self.e_plot = teaching_plot("step h", "|error|", "Error of f′ by differences",
                                    font_pt=10, grid=False)
        self.e_plot.getPlotItem().setLogMode(x=True, y=True)
        self.e_plot.getPlotItem().getViewBox().disableAutoRange()
        self.e_forward = self.e_plot.plot([], [], pen=theme.mkpen(theme.ORANGE, 2.5))
        self.e_central = self.e_plot.plot([], [], pen=theme.mkpen(theme.BLUE, 2.5, Qt.DashLine))
        self.e_now = self.e_plot.plot([], [], pen=None, symbol="o", symbolSize=12,
                                      symbolBrush=theme.VERMILLION, symbolPen="w")
        self.best_lines = [pg.InfiniteLine(angle=90, pen=theme.mkpen(c, 1.5, Qt.DotLine))
                           for c in (theme.ORANGE, theme.BLUE)]
        for line in self.best_lines:
            self.e_plot.addItem(line)
        legend(self.e_plot, [(self.e_forward, "forward"), (self.e_central, "central"),
                             (self.e_now, "the h shown")], corner="bottom left")
        self.e_caption = WrappedLabel()
        self.e_caption.setTextFormat(Qt.PlainText)
        self.e_caption.setProperty(EXPLAINS, True)
        e_box = QWidget()
        el = QVBoxLayout(e_box)
        el.setContentsMargins(0, 0, 0, 0)
        el.addWidget(self.e_plot, 1)
        el.addWidget(self.e_caption)

        self.rules = RuleTree()
        self.rules.sig_selected.connect(self._on_step_selected)
        self.quiz = GraphQuiz()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.rules, "The rules step by step")
        self.tabs.addTab(self.quiz, "Quiz: match f′")
        self.tabs.setTabToolTip(0, "How f′ is made from f's pieces, one rule at a time")
        self.tabs.setTabToolTip(1, "One f and four graphs: which is f′? (keys Q, 1–4)")
        right = QSplitter(Qt.Vertical)
        right.addWidget(e_box)
        right.addWidget(self.tabs)
        right.setSizes([330, 520])

        left = QSplitter(Qt.Vertical)
        left.addWidget(self.f_plot)
        left.addWidget(self.d_plot)
        left.setSizes([500, 350])
        views = QSplitter(Qt.Horizontal)
        views.addWidget(left)
        views.addWidget(right)
        views.setSizes([700, 600])
        self.views = views
        return views


    # ---- drawing -------------------------------------------------------------------------
    def _draw_secant(self) -> None:
        f, x, h = self._f(), self.x, self.h
        if f is None:
            return
        fx, fxh = float(f(np.float64(x))), float(f(np.float64(x + h)))
        why = limit_verdict(self.function, x, self._exact())
        # Where the limit fails there is no f′(x), whatever a formula says (sign(0) = 0).
        exact = math.nan if why else self._exact()
        fwd = float(forward_difference(f, x, h))
        ctr = float(central_difference(f, x, h))
        lo, hi = self.domain
        ends = np.array([lo, hi])
        ok = math.isfinite(fx) and math.isfinite(fxh)
        self.secant.setData(ends, fx + fwd * (ends - x)) if ok else self.secant.setData([], [])
        if math.isfinite(exact) and math.isfinite(fx):
            self.tangent.setData(ends, fx + exact * (ends - x))
        else:
            self.tangent.setData([], [])
        if ok:
            self.points.setData([x, x + h], [fx, fxh])
            self.legs.setData([x, x + h, x + h], [fx, fx, fxh])
            # Right of the rise leg, or left of it near the plot's right edge (not cut).
            left = x + h > lo + 0.7 * (hi - lo)
            rise = f"rise {fxh - fx:.3g}"
            if self._run_on_screen(h) < RUN_LABEL_PX * ui_scale.factor():
                # The legs too short to carry two labels (h shrinking): one, beside them,
                # never two printed over each other.
                self.run_text.setText("")
                self.rise_text.setAnchor((1, 1) if left else (0, 1))
                both = f"run h = {h:.3g}, {rise}"
                self.rise_text.setText(f"{both} " if left else f" {both}")
                self.rise_text.setPos(x + h, max(fx, fxh))
            else:
                self.run_text.setText(f"run h = {h:.3g}")
                self.run_text.setPos(x + h / 2, fx)
                self.rise_text.setAnchor((1, 0.5) if left else (0, 0.5))
                self.rise_text.setText(f"{rise} " if left else f" {rise}")
                self.rise_text.setPos(x + h, (fx + fxh) / 2)
        else:
            self.points.setData([], [])
            self.legs.setData([], [])
            self.run_text.setText("")
            self.rise_text.setText("")
        # A difference across a point where f has no value (1/x's pole) is no slope.
        over_fwd = self._pole_between(x, x + h)
        over_ctr = self._pole_between(x - h, x + h)
        fwd_text = f"— (x to x + h crosses {over_fwd})" if over_fwd else fmt(fwd)
        ctr_text = f"— (x ± h spans {over_ctr})" if over_ctr else fmt(ctr)
        self.numbers.setText(
            f"rise = f(x+h) − f(x) = {fmt(fxh - fx)}\n"
            f"run  = h             = {h:.4g}\n"
            f"rise/run (forward)   = {fwd_text}\n"
            f"central difference   = {ctr_text}\n"
            f"exact f′(x)          = {fmt(exact) if math.isfinite(exact) else 'none here'}\n"
            f"error of forward     = {'—' if over_fwd else _err(fwd, exact)}\n"
            f"error of central     = {'—' if over_ctr else _err(ctr, exact)}")
        self.verdict.setText("⚠ No derivative here: " + why if why else "")
        self.verdict.setVisible(bool(why))
        self.d_point.setData([x], [exact]) if math.isfinite(exact) else self.d_point.setData(
            [], [])
        self._set_log(self.e_now, np.array([h]), np.array([abs(fwd - exact)]))
        self._draw_errors()

    def _pole_between(self, a: float, b: float) -> str:
        """Words for a point of f's where it has no value (a pole, a branch point) in
        [a, b], or "" if there is none."""
        for z in self._singular:
            if min(a, b) <= z <= max(a, b):
                return f"the point x = {fmt(z)}, where f has no value"
        return ""

    def _run_on_screen(self, h: float) -> float:
        """How many pixels wide the run h is drawn."""
        pixel = self.f_box.viewPixelSize()[0]
        return abs(h) / pixel if pixel > 0 else math.inf

    @Slot(float, float)
    def _drag_to(self, x: float, _y: float = 0.0) -> None:
        self._drag_x = x
        self._drag_timer.start()

    def _draw_errors(self) -> None:
        """The error curves for the x shown: now, or within ERRORS_EVERY of the last."""
        if self._errors_key == (self.function, self.x):
            return
        wait = ERRORS_EVERY - (time.monotonic() - self._errors_drawn)
        if wait <= 0:
            self._draw_error_curves()
        elif not self._errors_timer.isActive():
            self._errors_timer.start(int(wait * 1000) + 1)

    def _draw_error_curves(self) -> None:
        self._errors_drawn = time.monotonic()
        self._errors_key = (self.function, self.x)
        if self.function is None or not math.isfinite(self._exact()) or self.verdict.text():
            for item in (self.e_forward, self.e_central, self.e_now):
                item.setData([], [])
            self.e_caption.setText("There is no f′(x) here (see the note under Rise over run), "
                                   "so there is no error to measure.")
            return
        f = self._f()
        e = difference_errors(f, self.x, exact=self._exact())
        for item, errors in ((self.e_forward, e.forward), (self.e_central, e.central)):
            self._set_log(item, e.hs, errors)
        # A fixed range (in decades): the moving dot never re-ranges the axes.
        both = np.concatenate([e.forward, e.central])
        both = both[(both > 0) & np.isfinite(both)]
        if both.size:
            lo, hi = np.log10(both.min()), np.log10(both.max())
            self.e_plot.getPlotItem().getViewBox().setRange(
                xRange=(-16.2, 0.2), yRange=(lo - 0.5, hi + 0.5), padding=0)
        for line, best in zip(self.best_lines, (e.best_forward, e.best_central), strict=True):
            line.setVisible(math.isfinite(best))
            if math.isfinite(best):
                line.setValue(math.log10(best))
        if isinstance(f, Measured):
            best = (f"Best h: {e.best_forward:.1e} forward, {e.best_central:.1e} central "
                    "(dotted): a smaller h is worse, not better.")
            if f.spacing > 0:
                said = (f"Measurements every {fmt(f.spacing)}: a run below half of that "
                        "reads one point twice, so the slope is 0 and the error is |f′(x)|, "
                        "flat on the left. No h smaller than the data's spacing helps. ")
                if f.noise > 0:
                    said += (f"Each is off by noise of about {f.noise:.0e}, divided by h in "
                             "the slope. ")
            else:
                said = (f"Measurements: each is off by noise of about {f.noise:.0e}, divided "
                        f"by h in the slope, so the error grows like noise/h (fitted slope "
                        f"{_slope(e.roundoff_forward)}), far above rounding. ")
            self.e_caption.setText(said + best)
            return
        self.e_caption.setText(
            f"The V: on the right the truncation error shrinks with h (fitted slopes "
            f"{_slope(e.truncation_forward)} forward, {_slope(e.truncation_central)} central: "
            f"error ∝ h and h²); on the left rounding grows like ε/h (slopes "
            f"{_slope(e.roundoff_forward)}, {_slope(e.roundoff_central)}). "
            f"Best h: {e.best_forward:.1e} forward, {e.best_central:.1e} central (dotted).")

    @staticmethod
    def _set_log(item, hs: np.ndarray, errors: np.ndarray) -> None:
        keep = (errors > 0) & np.isfinite(errors)
        item.setData(hs[keep], errors[keep])

    def _draw_derivative(self) -> None:
        shown = self.show_derivative.isChecked() and self.function is not None
        self.d_curve.setData(self._xs, self._dfx, connect="finite") if shown else (
            self.d_curve.setData([], []))
        self._draw_trace()

    def _draw_trace(self) -> None:
        if self.trace:
            t = np.array(self.trace)
            self.d_trace.setData(t[:, 0], t[:, 1])
        else:
            self.d_trace.setData([], [])


def _err(value: float, exact: float) -> str:
    return f"{abs(value - exact):.2e}" if math.isfinite(value - exact) else "—"


def _slope(value: float) -> str:
    return f"{value:.2f}" if math.isfinite(value) else "—"
