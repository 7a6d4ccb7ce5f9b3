"""The Taylor tab's first page: f(x) and its Taylor polynomial T_n about a (dragged on the
plot), the gap between them shaded, the terms typeset with their numbers, and below, the
error |f − T_n| on a log scale with Lagrange's bound over it and the interval of
convergence marked.  Play climbs the order one step at a time."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import taylor as tl
from mlcalc_gui.core.calculus import usable_with
from mlcalc_gui.core.contours import graph_range
from mlcalc_gui.core.expressions import Function
from mlcalc_gui.core.numbers import subscript
from mlcalc_gui.core.states import TaylorState
from mlcalc_gui.gui.kit.page import Page
from mlcalc_gui.gui.kit.widgets import error_label, note_label, number_box
from mlcalc_gui.gui.panels.function_input import FunctionInput
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.tabs.taylor.series_views import SeriesViewsMixin
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.steady import WrappedLabel
from mlcalc_gui.gui.widgets.typeset import TypesetLabel

__all__ = ["SeriesPage"]

SAMPLES = 801  # points along f, T_n and the error
#: How close Tₙ must be to f to count as good, as a share of f's range on the plot.
GOOD_SHARE = 0.02

EXPLANATION = """
<p>Near a point a, a smooth f is close to a polynomial: the <b>Taylor polynomial</b>
T<sub>n</sub>(x) = f(a) + f′(a)(x−a) + f″(a)(x−a)²/2! + … + f<sup>(n)</sup>(a)(x−a)<sup>n</sup>/n!.
About a = 0 it is the <b>Maclaurin</b> series; n = 1 is the <b>linearisation</b>, the
tangent line.</p>
<p><b>Drag on the graph</b> (or [ and ]) to move a; <b>+</b> and <b>−</b> change the order.
<b>Play</b> (Space) raises n step by step. The shaded band is the gap f − T<sub>n</sub>; below,
its size on a log scale, with Lagrange's bound on it (dashed).</p>
<p>A series converges only within its <b>radius</b> R, the distance to the nearest
singularity (complex ones count). Outside it, more terms make things worse.</p>
<p>The <b>Two variables</b> page (T) shows the tangent plane and the quadratic model of a
surface.</p>
"""


class SeriesPage(SeriesViewsMixin, Page):
    key = "1d"
    title = "One variable: f(x)"
    tip = "The series of f(x) about a"
    explanation = EXPLANATION
    speeds = (1, 2, 5, 10)
    default_speed = 2
    unit = "orders"
    IDLE_TEXT = "Play (Space) raises the order one step at a time from n = 0; N one step."
    PLACES = ("series", "terms", "error", "graph")
    SPOILERS = ("terms", "error", "verdict")
    OBSERVABLES = {"order": "the order n", "a": "the centre a",
                   "error_at_1": "|f(1) − Tₙ(1)|, the error at x = 1"}

    def __init__(self, host):
        super().__init__(host)
        self.function: Function | None = None
        self.domain: tuple[float, float] = (-4.0, 4.0)
        self.a = 0.0
        self.order = TaylorState.order
        self.radius = math.inf
        self._xs = np.zeros(0)
        self._fx = np.zeros(0)
        self._next = None  # the coefficients of order 0..MAX+1 at every x (for the bound)
        self._coefficients = np.zeros(0)
        self.grid_task = BackgroundTask(host)  # f's coefficients at every x: the bound
        self.grid_task.sig_done.connect(self._on_grid)
        self.grid_task.sig_failed.connect(lambda _, why: self._say(f"⚠ {why}"))
        self.formula_task = BackgroundTask(host)  # typesetting (matplotlib) off the GUI
        self.formula_task.sig_done.connect(self._on_formula)
        self.radius_task = BackgroundTask(host)  # the radius of convergence at a
        self.radius_task.sig_done.connect(self._on_radius)
        self.radius_task.sig_failed.connect(lambda *_: None)  # no series: said already

    # ---- layout --------------------------------------------------------------------------
    def build_panel(self) -> QWidget:
        one = QWidget()
        v = QVBoxLayout(one)
        v.setContentsMargins(0, 0, 0, 0)
        self.input = FunctionInput(tl.PRESETS, variables=("x",), check=usable_with(0),
                                   placeholder="e.g. e^x, sin x, log(1 + x), 1/(1 - x)",
                                   host=self.host)
        self.input.wire(self, self._on_function)
        v.addWidget(self.input)
        box = QGroupBox("The series")
        grid = QGridLayout(box)
        self.a_spin = number_box("The point a the series is about ([ and ] move it; M: a = 0)",
                                 decimals=3, step=0.1)
        self.binder.bind("a", self.a_spin, self.set_a)
        grid.addWidget(QLabel("a ="), 0, 0)
        grid.addWidget(self.a_spin, 0, 1, 1, 2)
        self.order_slider = QSlider(Qt.Horizontal)
        self.order_slider.setRange(0, tl.MAX_ORDER)
        self.order_slider.setPageStep(1)
        self.order_slider.setToolTip("The order n of the polynomial (+ and −)")
        self.binder.bind("order", self.order_slider, self.set_order)
        self.order_label = QLabel()
        self.order_label.setMinimumWidth(60)
        grid.addWidget(QLabel("n ="), 1, 0)
        grid.addWidget(self.order_slider, 1, 1)
        grid.addWidget(self.order_label, 1, 2)
        self.name_label = WrappedLabel()
        grid.addWidget(self.name_label, 2, 0, 1, 3)
        terms = self.terms_box = QWidget()
        self.terms_layout = QVBoxLayout(terms)
        self.terms_layout.setContentsMargins(0, 0, 0, 0)
        self.terms_layout.setSpacing(2)
        self.terms: list[TypesetLabel] = []
        self.terms_plain = ""
        grid.addWidget(terms, 3, 0, 1, 3)
        self.verdict = WrappedLabel()
        self.verdict.setTextFormat(Qt.PlainText)
        grid.addWidget(self.verdict, 5, 0, 1, 3)
        self.series_error = error_label()
        grid.addWidget(self.series_error, 6, 0, 1, 3)
        self.predict_check = QCheckBox("Predict before each new order")
        self.predict_check.setToolTip(
            "+ first asks you to click where the next polynomial will stop being close to f; "
            "then it shows it, and where it really is good")
        self.binder.bind("predict", self.predict_check, lambda on: self._cancel_prediction())
        grid.addWidget(self.predict_check, 7, 0, 1, 3)
        self.prediction_text = note_label()
        grid.addWidget(self.prediction_text, 8, 0, 1, 3)
        v.addWidget(box)
        return one

    def observe(self) -> dict[str, float | bool]:
        error = math.nan
        if self.function is not None and self._coefficients.size:
            with np.errstate(all="ignore"):
                T = tl.evaluate_polynomial(self._coefficients[:self.order + 1], self.a,
                                           np.array([1.0]))
                error = float(abs(float(self.function(np.float64(1.0))) - T[0]))
        return {"order": float(self.order), "a": self.a, "error_at_1": error}

    def places(self) -> dict[str, QWidget]:
        return {"series": self.order_slider.parentWidget(), "terms": self.terms_box,
                "error": self.e_plot, "graph": self.f_plot}

    def spoiler_parts(self) -> dict[str, list]:
        return {"terms": [self.terms_box], "error": [self.e_plot],
                "verdict": [self.verdict, self.run_label]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> dict:
        return {**self.binder.values(),
                "function": self.function.text if self.function else self.input.text(),
                "domain": self.domain, "a": self.a, "order": self.order}

    def restore(self, state: TaylorState) -> None:
        self.binder.set(predict=state.predict)
        self._cancel_prediction()
        self.a, self.order = state.a, state.order
        self._set_slider(state.order)
        self.input.set_input(state.function, state.domain)

    # ---- the keys ------------------------------------------------------------------------
    def order_up(self) -> None:
        """+: the next order; with "predict" on, first the learner's guess of where it
        will be good (a click on the graph), then the polynomial."""
        if (self.binder["predict"] and self.function is not None
                and self._coefficients.size and self.order < tl.MAX_ORDER):
            if self._awaiting is None:
                self._awaiting = self.order + 1
                self.good_band.setVisible(False)
                self.guess_line.setVisible(False)
                self.prediction_text.setText(
                    f"Predict: click the graph where T{subscript(self._awaiting)} will stop "
                    f"being close to f (within {fmt(self._tolerance())}), on either side of a. "
                    "Then it is drawn.")
            return
        self.set_order(self.order + 1)

    def order_down(self) -> None:
        self.set_order(self.order - 1)

    # ---- predict, then see ------------------------------------------------------------------
    _awaiting: int | None = None  # the order whose good stretch the learner is to mark

    def _tolerance(self) -> float:
        lo, hi = graph_range(self._fx) or (-1.0, 1.0)
        return float(f"{GOOD_SHARE * (hi - lo):.1g}")

    def _cancel_prediction(self) -> None:
        self._awaiting = None
        self.prediction_text.setText("")
        self.guess_line.setVisible(False)
        self.good_band.setVisible(False)

    _holding = False  # the press (and its drag) that marked a prediction goes on

    def _release(self, *_args) -> None:
        self._holding = False

    def _on_graph_pressed(self, x: float, _y: float) -> None:
        """A press on the graph moves a, or, while a prediction is asked for, is it."""
        if self._holding:
            return
        if self._awaiting is None:
            self.set_a(x)
            return
        self._holding = True
        order, self._awaiting = self._awaiting, None
        self.set_order(order)
        with np.errstate(all="ignore"):
            T = self._polynomial()
        tol = self._tolerance()
        lo, hi = tl.good_interval(self._fx, T, self._xs, self.a, tol)
        self.guess_line.setValue(x)
        self.guess_line.setVisible(True)
        self.good_band.setRegion((lo, hi))
        self.good_band.setVisible(hi > lo)
        end = hi if x >= self.a else lo
        off = abs(x - end)
        span = self.domain[1] - self.domain[0]
        verdict = ("Close: well predicted." if off <= 0.05 * span else
                   "It is good further than you thought." if abs(end - self.a) > abs(x - self.a)
                   else "It stops sooner than you thought.")
        self.prediction_text.setText(
            f"You marked x = {fmt(x)}. T{subscript(order)} stays within {fmt(tol)} of f from "
            f"{fmt(lo)} to {fmt(hi)} (shaded): {verdict} Press + to predict the next.")

    def nudge(self, sign: int) -> None:
        """[ and ]: a one fiftieth of the domain left or right."""
        self.set_a(self.a + sign * (self.domain[1] - self.domain[0]) / 50)

    def step_position(self) -> str:
        return f"order n = {self.order}"

    def step_at_end(self) -> bool:
        return self.order >= tl.MAX_ORDER

    # ---- the series ----------------------------------------------------------------------
    def preset_state(self, preset: tl.TaylorPreset) -> dict:
        return {"function": preset.text, "domain": preset.domain, "a": preset.a,
                "order": preset.order}

    def _on_function(self, function: Function, domain) -> None:
        self.run.reset()
        self.function, self.domain = function, tuple(domain)
        self._xs = np.linspace(domain[0], domain[1], SAMPLES)
        with np.errstate(all="ignore"):
            self._fx = function(self._xs)
        self._next = None
        self.f_curve.setData(self._xs, np.where(np.isfinite(self._fx), self._fx, np.nan),
                             connect="finite")
        self.f_plot.getPlotItem().setRange(xRange=domain, yRange=graph_range(
            self._fx, pad=0.15) or (-1, 1), padding=0)
        self.binder.configure("a", lambda spin: spin.setRange(domain[0], domain[1]))
        xs, fn = self._xs, function
        self.grid_task.submit((function.text, domain),
                              lambda: tl.series(fn, xs, tl.MAX_ORDER + 1))
        self.set_a(min(max(self.a, domain[0]), domain[1]), force=True)

    def _on_grid(self, key, coefficients: np.ndarray) -> None:
        if self.function is None or key != (self.function.text, self.domain):
            return
        self._next = coefficients
        self._draw_error()

    def set_a(self, a: float, force: bool = False) -> None:
        if self.function is None or not math.isfinite(a):
            return
        a = float(min(max(a, self.domain[0]), self.domain[1]))
        if a == self.a and not force:
            return
        self.a = a
        self._free_term_rows()
        self.guess_line.setVisible(False)  # a shown prediction was about the old a
        self.good_band.setVisible(False)
        self.binder.set(a=a)
        try:
            self._coefficients = tl.taylor_coefficients(self.function, a, tl.MAX_ORDER)
        except tl.SeriesError as exc:
            self._coefficients = np.zeros(0)
            self.radius = math.nan
            self.series_error.setText(f"⚠ No series here: {exc}.")
            self.series_error.setVisible(True)
            self._draw_series()
            return
        self.series_error.setVisible(False)
        self.run.reset()
        # The radius takes 120 coefficients (a long formula: a good part of a second):
        # in the worker, the latest a wins; the band follows when it comes.
        self.radius = math.nan
        fn = self.function
        self.radius_task.submit((fn.text, a), lambda: tl.radius_of_convergence(fn, a))
        self._fit_error_range()
        self._draw_series()

    def _on_radius(self, key, radius: float) -> None:
        if self.function is None or key != (self.function.text, self.a):
            return
        self.radius = radius
        self._show_band(radius)
        self._say_verdict()

    def set_order(self, order: int) -> None:
        order = int(min(max(order, 0), tl.MAX_ORDER))
        self._set_slider(order)
        if order != self.order:
            self.order = order
            self._draw_series()

    def _set_slider(self, order: int) -> None:
        self.binder.set(order=order)
        self.order_label.setText(str(order))

    def maclaurin(self) -> None:
        if self.domain[0] <= 0 <= self.domain[1]:
            self.set_a(0.0)
        else:
            self.sig_status.emit("a = 0 is outside the domain: widen it to see Maclaurin")

    def _polynomial(self) -> np.ndarray:
        return tl.evaluate_polynomial(self._coefficients[:self.order + 1], self.a, self._xs)

    def _say_verdict(self) -> None:
        R = self.radius
        fx = self._fx[np.isfinite(self._fx)]
        if (self._coefficients.size and not np.any(self._coefficients)
                and fx.size and np.abs(fx).max() > 0):
            text = ("Every coefficient is 0 here: the series is 0, which converges for "
                    "every x, but to 0, not to f. f is smooth at a but not analytic: "
                    "no polynomial of any order follows it. Move a away from this point.")
        elif math.isinf(R):
            text = ("R = ∞: no singularity, so the series converges for every x; more "
                    "terms always help, eventually.")
        elif math.isnan(R):
            text = "Finding the radius of convergence…" if self._coefficients.size else ""
        else:
            r3 = float(f"{R:.3g}")  # an estimate: three digits
            text = (f"R ≈ {fmt(r3)}: the series converges for {fmt(self.a - r3)} < x < "
                    f"{fmt(self.a + r3)} (shaded), the distance to f's nearest singularity. "
                    f"Outside, its terms grow like (|x − a|/R)ⁿ: raising n makes it worse.")
        self.verdict.setText(text)

    def _say(self, text: str) -> None:
        self.series_error.setText(text)
        self.series_error.setVisible(bool(text))

    # ---- the order climbing (playback) -----------------------------------------------------
    def blocked(self, last) -> str | None:
        if self.function is None or not self._coefficients.size:
            return "There is no series at this a: move a"
        if last is None and self.order >= tl.MAX_ORDER:
            self.set_order(0)
        return None

    def make_run(self, last):  # (a radius still coming counts as none: nan)
        start = 0 if last is None else last.order + 1
        if last is None:
            start = self.order if self.order < tl.MAX_ORDER else 0
        return tl.order_steps(self.function, self.a, self._xs, self.radius, start)

    def _on_cleared(self) -> None:
        pass

    def _on_batch(self, records: tuple) -> None:
        last = self.path[-1]
        self.set_order(last.order)
        inside = ("" if math.isnan(last.max_error_inside) else
                  f"; inside the radius {fmt(last.max_error_inside)}")
        self.run_status.say_live(f"n = {last.order}: largest error {fmt(last.max_error)}{inside}")

    def _done_text(self, last) -> str:
        return (f"Order {last.order} reached: largest error on the plot "
                f"{fmt(last.max_error)}.")
