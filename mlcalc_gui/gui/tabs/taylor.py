"""The Taylor tab (week 4): polynomial approximations and how far to trust them.

One variable: f and its Taylor polynomial T_n about a (dragged on the plot), the gap
between them shaded, the terms typeset with their numbers, and below, the error |f − T_n|
on a log scale with Lagrange's bound over it and the interval of convergence marked.
Play climbs the order one step at a time.  Two variables: f(x, y) on the 3D view with its
tangent plane or quadratic model at a point dragged on the map, which shows the model's
error and its own contours, with the Hessian's principal axes."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QSlider,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import taylor as tl
from mlcalc_gui.core.calculus import usable_with
from mlcalc_gui.core.contours import contour_segments, graph_range, nice_levels
from mlcalc_gui.core.expressions import ExpressionError, Function
from mlcalc_gui.core.numbers import latex_number, subscript, superscript
from mlcalc_gui.core.states import TaylorState
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.tab import (
    Clicker,
    Shortcut,
    TutorTab,
    error_label,
    note_label,
    panel_column,
    playback_shortcuts,
)
from mlcalc_gui.gui.panels.function_input import FunctionInput
from mlcalc_gui.gui.panels.landscape import Landscape
from mlcalc_gui.gui.panels.plots import legend, pointer_plot, teaching_plot
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.run.controller import RunTabMixin
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.playback import PlaybackBar
from mlcalc_gui.gui.widgets.typeset import TypesetLabel, formula_size, raster, widget_dpi

SAMPLES = 801  # points along f, T_n and the error
GRID_2D = 81  # the 2D map and mesh

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
<p>The <b>Two variables</b> page shows the tangent plane (order 1) and the quadratic model
f(a) + ∇f·Δ + ½ΔᵀHΔ (order 2) of a surface.</p>
"""


def _power(base: str, k: int) -> tuple[str, str]:
    """(LaTeX, plain) of base^k."""
    if k == 0:
        return "", ""
    if k == 1:
        return base, base
    return f"{base}^{{{k}}}", f"{base}{superscript(k)}"


def polynomial_text(c: np.ndarray, a: float, order: int, per_line: int = 3
                    ) -> tuple[list[str], str]:
    """T_n with its numbers: LaTeX lines of at most ``per_line`` terms (a narrow column
    shows them all), and the whole as plain text.  Terms that are 0 are left out."""
    base = "x" if a == 0 else f"(x {'-' if a > 0 else '+'} {fmt(abs(a))})"
    biggest = float(np.max(np.abs(c[:order + 1])))
    latex, plain = [], []
    for k in range(order + 1):
        ck = float(c[k])
        if ck == 0 or abs(ck) < 1e-15 * max(1.0, biggest):
            continue
        power_tex, power_plain = _power(base, k)
        number, number_tex = fmt(abs(ck)), latex_number(abs(ck))
        if power_tex and number == "1":
            number = number_tex = ""
        elif power_tex and "times" in number_tex:
            number_tex += r"\,"  # 1.984×10⁻⁴ x⁷, apart
        sign = "-" if ck < 0 else "+"
        latex.append((sign, f"{number_tex}{power_tex}" if power_tex else number_tex))
        joint = "·" if "e" in number else ""
        plain.append((sign, f"{number}{joint}{power_plain}" if power_plain else number))

    def join(parts, first: bool) -> str:
        out = ""
        for i, (sign, term) in enumerate(parts):
            if i == 0 and first:
                out += ("-" if sign == "-" else "") + term
            else:
                out += f" {sign} {term}"
        return out

    head = f"T_{{{order}}}(x) = "
    if not latex:
        return [head + "0"], f"T{subscript(order)}(x) = 0"
    lines = [join(latex[i:i + per_line], i == 0) for i in range(0, len(latex), per_line)]
    lines = [head + lines[0]] + [r"\quad" + line for line in lines[1:]]
    return lines, f"T{subscript(order)}(x) = " + join(plain, True)


class TaylorTab(RunTabMixin, TutorTab):
    title = "Taylor"
    State = TaylorState
    shortcuts = (*playback_shortcuts(),
                 Shortcut("+", "raise the order n", lambda tab: tab.order_up()),
                 Shortcut("=", "raise the order n (the + key without Shift)",
                          lambda tab: tab.order_up()),
                 Shortcut("-", "lower the order n", lambda tab: tab.order_down()),
                 Shortcut("]", "move a right", lambda tab: tab.nudge_right()),
                 Shortcut("[", "move a left", lambda tab: tab.nudge_left()),
                 Shortcut("M", "a = 0: the Maclaurin series", lambda tab: tab.maclaurin()),
                 Shortcut("T", "one variable / two variables", lambda tab: tab.toggle_view()))
    clicker = Clicker("order n up / down (two variables: the model's order 1 / 2)",
                      lambda tab: tab.order_up(), lambda tab: tab.order_down())
    restore_after_paint = True  # the first parse imports sympy
    IDLE_TEXT = "Play (Space) raises the order one step at a time from n = 0; N one step."

    def __init__(self, parent=None):
        super().__init__(parent)
        self.function: Function | None = None
        self.domain: tuple[float, float] = (-4.0, 4.0)
        self.a = 0.0
        self.order = 3
        self.radius = math.inf
        self.function2d: Function | None = None
        self.domain2d: tuple[float, float, float, float] = (-2.0, 2.0, -2.0, 2.0)
        self.point = (0.5, 0.3)
        self.model: tl.Model2D | None = None
        self._xs = np.zeros(0)
        self._fx = np.zeros(0)
        self._next = None  # the coefficients of order 0..MAX+1 at every x (for the bound)
        self._coefficients = np.zeros(0)

    # ---- layout --------------------------------------------------------------------------
    def build(self) -> None:
        panel = self._build_panel()
        views = self._build_views()
        self.set_main_layout(panel, views, 400)
        self.install_run(self._order_run, self._blocked, self.run_label)
        self.grid_task = BackgroundTask(self)  # f's coefficients at every x: the bound
        self.grid_task.sig_done.connect(self._on_grid)
        self.grid_task.sig_failed.connect(lambda _, why: self._say(f"⚠ {why}"))
        self.formula_task = BackgroundTask(self)  # typesetting (matplotlib) off the GUI
        self.formula_task.sig_done.connect(self._on_formula)
        self.radius_task = BackgroundTask(self)  # the radius of convergence at a
        self.radius_task.sig_done.connect(self._on_radius)
        self.radius_task.sig_failed.connect(lambda *_: None)  # no series: said already

    def _build_panel(self) -> QWidget:
        panel, layout = panel_column(EXPLANATION)
        self.pages = QStackedWidget()
        one = QWidget()
        v = QVBoxLayout(one)
        v.setContentsMargins(0, 0, 0, 0)
        self.input = FunctionInput(tl.PRESETS, variables=("x",), check=usable_with(0),
                                   placeholder="e.g. e^x, sin x, log(1 + x), 1/(1 - x)")
        self.input.sig_applied.connect(self._on_function)
        self.input.sig_preset.connect(self.apply_preset)
        self.input.sig_status.connect(self.sig_status)
        v.addWidget(self.input)
        box = QGroupBox("The series")
        grid = QGridLayout(box)
        self.a_spin = QDoubleSpinBox()
        self.a_spin.setDecimals(3)
        self.a_spin.setRange(-1e4, 1e4)
        self.a_spin.setSingleStep(0.1)
        self.a_spin.setKeyboardTracking(False)
        self.a_spin.setToolTip("The point a the series is about ([ and ] move it; M: a = 0)")
        self.a_spin.valueChanged.connect(self.set_a)
        grid.addWidget(QLabel("a ="), 0, 0)
        grid.addWidget(self.a_spin, 0, 1, 1, 2)
        self.order_slider = QSlider(Qt.Horizontal)
        self.order_slider.setRange(0, tl.MAX_ORDER)
        self.order_slider.setPageStep(1)
        self.order_slider.setToolTip("The order n of the polynomial (+ and −)")
        self.order_slider.valueChanged.connect(self.set_order)
        self.order_label = QLabel()
        self.order_label.setMinimumWidth(60)
        grid.addWidget(QLabel("n ="), 1, 0)
        grid.addWidget(self.order_slider, 1, 1)
        grid.addWidget(self.order_label, 1, 2)
        self.name_label = QLabel()
        self.name_label.setWordWrap(True)
        grid.addWidget(self.name_label, 2, 0, 1, 3)
        terms = self.terms_box = QWidget()
        self.terms_layout = QVBoxLayout(terms)
        self.terms_layout.setContentsMargins(0, 0, 0, 0)
        self.terms_layout.setSpacing(2)
        self.terms: list[TypesetLabel] = []
        self.terms_plain = ""
        grid.addWidget(terms, 3, 0, 1, 3)
        self.verdict = QLabel()
        self.verdict.setTextFormat(Qt.PlainText)
        self.verdict.setWordWrap(True)
        grid.addWidget(self.verdict, 5, 0, 1, 3)
        self.series_error = error_label()
        grid.addWidget(self.series_error, 6, 0, 1, 3)
        self.playback = PlaybackBar(speeds=(1, 2, 5, 10), default_speed=2, unit="orders")
        grid.addWidget(self.playback, 7, 0, 1, 3)
        self.run_label = QLabel()
        self.run_label.setWordWrap(True)
        grid.addWidget(self.run_label, 8, 0, 1, 3)
        v.addWidget(box)
        v.addStretch(1)
        self.pages.addWidget(one)

        two = QWidget()
        v = QVBoxLayout(two)
        v.setContentsMargins(0, 0, 0, 0)
        self.input2d = FunctionInput(tl.PRESETS_2D, variables=("x", "y"), check=usable_with(0))
        self.input2d.sig_applied.connect(self._on_function_2d)
        self.input2d.sig_preset.connect(self.apply_preset_2d)
        self.input2d.sig_status.connect(self.sig_status)
        v.addWidget(self.input2d)
        box = QGroupBox("The model at the point")
        bl = QVBoxLayout(box)
        self.order2d_group = QButtonGroup(self)
        for order, text, tip in ((1, "Order 1: the tangent plane",
                                  "f(a) + ∇f(a)·Δ: the surface's linearisation"),
                                 (2, "Order 2: the quadratic model",
                                  "f(a) + ∇f(a)·Δ + ½ ΔᵀHΔ, with the Hessian H")):
            button = QRadioButton(text)
            button.setToolTip(tip)
            self.order2d_group.addButton(button, order)
            bl.addWidget(button)
        self.order2d_group.button(2).setChecked(True)
        self.order2d_group.idClicked.connect(lambda _: self._draw_model())
        self.model_text = QLabel()
        self.model_text.setTextFormat(Qt.PlainText)
        self.model_text.setWordWrap(True)
        self.model_text.setStyleSheet("font-family: monospace;")
        bl.addWidget(self.model_text)
        self.model_error = error_label()
        bl.addWidget(self.model_error)
        bl.addWidget(note_label("Drag the point on the map (or use the arrow keys). The map "
                                "shows log₁₀ of the model's error; white lines are the "
                                "model's own contours, red and blue its principal axes."))
        v.addWidget(box)
        v.addStretch(1)
        self.pages.addWidget(two)
        layout.addWidget(self.pages)
        return panel

    def _build_views(self) -> QWidget:
        self.f_plot, self.f_box = pointer_plot("x", "f(x)", grid=False)
        self.f_plot.getPlotItem().setTitle("f and its Taylor polynomial — drag to move a",
                                           size="11pt")
        self.f_box.sig_pressed.connect(lambda x, _y: self.set_a(x))
        self.band = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(0, 158, 115, 28),
                                        pen=theme.mkpen(theme.GREEN, 1.5, Qt.DashLine))
        self.band.setZValue(-10)
        self.f_plot.addItem(self.band)
        self.f_curve = self.f_plot.plot([], [], pen=theme.mkpen(theme.TEXT, 3))
        self.t_curve = self.f_plot.plot([], [], pen=theme.mkpen(theme.VERMILLION, 3,
                                                                Qt.DashLine))
        self.gap = pg.FillBetweenItem(self.f_curve, self.t_curve,
                                      brush=pg.mkBrush(230, 159, 0, 80))
        self.f_plot.addItem(self.gap)
        self.a_point = self.f_plot.plot([], [], pen=None, symbol="o", symbolSize=13,
                                        symbolBrush=theme.BLUE, symbolPen="w")
        self.a_line = pg.InfiniteLine(angle=90, pen=theme.mkpen(theme.BLUE, 1.5, Qt.DotLine))
        self.f_plot.addItem(self.a_line)
        legend(self.f_plot, [(self.f_curve, "f"), (self.t_curve, "Tₙ, the polynomial"),
                             (self.a_point, "a, the centre")])

        self.e_plot = teaching_plot("x", "|f − Tₙ|", "The error, and Lagrange's bound on it",
                                    font_pt=10, grid=False, log_y=True)
        self.e_plot.setXLink(self.f_plot)
        self.e_curve = self.e_plot.plot([], [], pen=theme.mkpen(theme.ORANGE, 2.5))
        self.b_curve = self.e_plot.plot([], [], pen=theme.mkpen(theme.BLUE, 2, Qt.DashLine))
        self.e_band = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(0, 158, 115, 28),
                                          pen=theme.mkpen(theme.GREEN, 1.5, Qt.DashLine))
        self.e_band.setZValue(-10)
        self.e_plot.addItem(self.e_band)
        legend(self.e_plot, [(self.e_curve, "|f − Tₙ|"), (self.b_curve, "Lagrange's bound")],
               corner="bottom right")
        one = QSplitter(Qt.Vertical)
        one.addWidget(self.f_plot)
        one.addWidget(self.e_plot)
        one.setSizes([600, 380])

        self.landscape = Landscape(self, ("x", "y", "f"), titles=(
            "f and its model (orange) in 3D", "log₁₀ |f − model| — drag the point"))
        self.map = self.landscape.contour
        self.map.sig_point_moved.connect(self.set_point)
        plot = self.map.getPlotItem()
        self.model_contours = pg.PlotDataItem(connect="pairs",
                                              pen=pg.mkPen(255, 255, 255, 220, width=1.6))
        self.axis_lines = [pg.PlotDataItem(pen=theme.mkpen(c, 3, style))
                           for c, style in ((theme.VERMILLION, Qt.SolidLine),
                                            (theme.BLUE, Qt.DashLine))]
        for item in (self.model_contours, *self.axis_lines):
            item.setZValue(12)
            plot.addItem(item)
        self.view_tabs = QTabWidget()
        self.view_tabs.addTab(one, "One variable: f(x)")
        self.view_tabs.addTab(self.landscape.pair(), "Two variables: f(x, y)")
        self.view_tabs.setTabToolTip(0, "The series of f(x) about a (T switches)")
        self.view_tabs.setTabToolTip(1, "The tangent plane and the quadratic model (T)")
        self.view_tabs.currentChanged.connect(self._on_view_changed)
        self.views = self.view_tabs
        return self.view_tabs

    def export_widget(self) -> QWidget:
        return self.view_tabs.currentWidget()

    PLACES = ("series", "terms", "error", "graph", "model", "map")

    def places(self) -> dict[str, QWidget]:
        return {"series": self.order_slider.parentWidget(), "terms": self.terms_box,
                "error": self.e_plot, "graph": self.f_plot,
                "model": self.model_text.parentWidget(), "map": self.landscape.map_box}

    SPOILERS = ("terms", "error", "verdict")
    #: The terms stay: a question asks what the polynomial gives, from its terms.
    DEFAULT_SPOILERS = ("error", "verdict")

    def spoiler_parts(self) -> dict[str, list]:
        return {"terms": [self.terms_box], "error": [self.e_plot],
                "verdict": [self.verdict, self.run_label, self.model_text]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> TaylorState:
        return TaylorState(
            function=self.function.text if self.function else self.input.text(),
            domain=self.domain, a=self.a, order=self.order,
            view="2d" if self.view_tabs.currentIndex() else "1d",
            function2d=self.function2d.text if self.function2d else self.input2d.text(),
            domain2d=self.domain2d, point=self.point, order2d=self._order2d())

    def restore(self, state: TaylorState) -> None:
        self.a, self.order = state.a, state.order
        self._set_slider(state.order)
        self.input.set_input(state.function, state.domain)
        self.order2d_group.button(state.order2d).setChecked(True)
        self.point = state.point
        self.input2d.set_input(state.function2d, state.domain2d)
        self.view_tabs.setCurrentIndex(1 if state.view == "2d" else 0)

    def demo_state(self) -> TaylorState:
        return TaylorState("log(1 + x)", (-0.99, 2.5), 0.0, 6)

    # ---- one variable --------------------------------------------------------------------
    def apply_preset(self, preset: tl.TaylorPreset) -> None:
        self.a = preset.a
        self._set_slider(preset.order)
        self.order = preset.order
        self.input.set_input(preset.text, preset.domain)

    @Slot(object, object)
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
        with QSignalBlocker(self.a_spin):
            self.a_spin.setRange(domain[0], domain[1])
        xs, fn = self._xs, function
        self.grid_task.submit((function.text, domain),
                              lambda: tl.series(fn, xs, tl.MAX_ORDER + 1))
        self.set_a(min(max(self.a, domain[0]), domain[1]), force=True)

    @Slot(object, object)
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
        with QSignalBlocker(self.a_spin):
            self.a_spin.setValue(a)
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
        self._draw_series()

    @Slot(object, object)
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
        with QSignalBlocker(self.order_slider):
            self.order_slider.setValue(order)
        self.order_label.setText(str(order))

    def step_position(self) -> str:
        if self.view_tabs.currentIndex():
            return f"the model's order {self._order2d()} of 2"
        return f"order n = {self.order}"

    def step_at_end(self) -> bool:
        if self.view_tabs.currentIndex():
            return self._order2d() == 2
        return self.order >= tl.MAX_ORDER

    @Slot()
    def order_up(self) -> None:
        """+ or Page Down: the order of what is shown (n, or the 2D model's 1 → 2)."""
        if self.view_tabs.currentIndex():
            self.set_order2d(2)
        else:
            self.set_order(self.order + 1)

    @Slot()
    def order_down(self) -> None:
        if self.view_tabs.currentIndex():
            self.set_order2d(1)
        else:
            self.set_order(self.order - 1)

    def set_order2d(self, order: int) -> None:
        """The two-variable model: 1 the tangent plane, 2 the quadratic model."""
        if order != self._order2d():
            self.order2d_group.button(order).setChecked(True)
            self._draw_model()

    @Slot()
    def nudge_right(self) -> None:
        if self.view_tabs.currentIndex():
            return
        self.set_a(self.a + (self.domain[1] - self.domain[0]) / 50)

    @Slot()
    def nudge_left(self) -> None:
        if self.view_tabs.currentIndex():
            return
        self.set_a(self.a - (self.domain[1] - self.domain[0]) / 50)

    @Slot()
    def maclaurin(self) -> None:
        if self.domain[0] <= 0 <= self.domain[1]:
            self.set_a(0.0)
        else:
            self.sig_status.emit("a = 0 is outside the domain: widen it to see Maclaurin")

    @Slot()
    def toggle_view(self) -> None:
        self.view_tabs.setCurrentIndex(1 - self.view_tabs.currentIndex())

    def _polynomial(self) -> np.ndarray:
        return tl.evaluate_polynomial(self._coefficients[:self.order + 1], self.a, self._xs)

    def _draw_series(self) -> None:
        a, n = self.a, self.order
        names = []
        if a == 0:
            names.append("Maclaurin series (a = 0)")
        if n == 1:
            names.append("the linearisation: the tangent line at a")
        elif n == 0:
            names.append("order 0: the constant f(a)")
        self.name_label.setText("; ".join(names).capitalize() if names else "")
        self.a_line.setValue(a)
        self.gap.setVisible(bool(self._coefficients.size))  # no series: no gap to shade
        if not self._coefficients.size:
            for item in (self.t_curve, self.a_point, self.e_curve, self.b_curve):
                item.setData([], [])
            for label in self.terms:
                label.setVisible(False)
            self.verdict.setText("")
            self._show_band(math.nan)
            return
        with np.errstate(all="ignore"):
            T = self._polynomial()
        self.t_curve.setData(self._xs, T)
        self.a_point.setData([a], [self._coefficients[0]])
        lines, self.terms_plain = polynomial_text(self._coefficients, a, n,
                                                  per_line=3 if a == 0 else 2)
        size, dpi = formula_size(self.font().pointSizeF(), 1.15), widget_dpi(self)
        self.formula_task.submit(tuple(lines),
                                 lambda: [raster(line, size, dpi) for line in lines])
        self._show_band(self.radius)
        self._say_verdict()
        self._draw_error()

    @Slot(object, object)
    def _on_formula(self, lines, _masks) -> None:
        """The terms typeset (their rasters are cached now), one label per line."""
        while len(self.terms) < len(lines):
            label = TypesetLabel()
            # A long line never widens the column (which would clip the whole panel).
            label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Minimum)
            self.terms_layout.addWidget(label)
            self.terms.append(label)
        for label, line in zip(self.terms, lines + ("",) * len(self.terms), strict=False):
            label.set_formula(line, self.terms_plain)
            label.setVisible(bool(line))

    def _show_band(self, radius: float) -> None:
        for band in (self.band, self.e_band):
            if math.isfinite(radius):
                band.setRegion((self.a - radius, self.a + radius))
                band.setVisible(True)
            else:
                band.setVisible(False)

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

    def _draw_error(self) -> None:
        if not self._coefficients.size or self.function is None:
            return
        with np.errstate(all="ignore"):
            err = np.abs(self._fx - self._polynomial())
        shown = np.where(err > 0, err, np.nan)
        self.e_curve.setData(self._xs, shown, connect="finite")
        if self._next is None:
            self.b_curve.setData([], [])
            return
        bound = tl.remainder_bound(self._next[self.order + 1], self._xs, self.a, self.order)
        self.b_curve.setData(self._xs, np.where(bound > 0, bound, np.nan), connect="finite")

    def _say(self, text: str) -> None:
        self.series_error.setText(text)
        self.series_error.setVisible(bool(text))

    # ---- the order climbing (playback) -----------------------------------------------------
    def _blocked(self, last) -> str | None:
        if self.function is None or not self._coefficients.size:
            return "There is no series at this a: move a"
        if last is None and self.order >= tl.MAX_ORDER:
            self.set_order(0)
        return None

    def _order_run(self, last):  # (a radius still coming counts as none: nan)
        start = 0 if last is None else last.order + 1
        if last is None:
            start = self.order if self.order < tl.MAX_ORDER else 0
        return tl.order_steps(self.function, self.a, self._xs, self.radius, start)

    def _on_cleared(self) -> None:
        pass

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        last = self.path[-1]
        self.set_order(last.order)
        inside = ("" if math.isnan(last.max_error_inside) else
                  f"; inside the radius {fmt(last.max_error_inside)}")
        self.run_status.say_live(f"n = {last.order}: largest error {fmt(last.max_error)}{inside}")

    def _done_text(self, last) -> str:
        return (f"Order {last.order} reached: largest error on the plot "
                f"{fmt(last.max_error)}.")

    # ---- two variables ---------------------------------------------------------------------
    def _order2d(self) -> int:
        return self.order2d_group.checkedId() if self.order2d_group.checkedId() > 0 else 2

    def apply_preset_2d(self, preset) -> None:
        self.point = preset.point
        self.input2d.set_input(preset.text, preset.domain)

    @Slot(int)
    def _on_view_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        if index == 1:
            self.run.reset()

    @Slot(object, object)
    def _on_function_2d(self, function: Function, domain) -> None:
        self.function2d, self.domain2d = function, tuple(domain)
        x0, x1, y0, y1 = domain
        self._gx = np.linspace(x0, x1, GRID_2D)
        self._gy = np.linspace(y0, y1, GRID_2D)
        X, Y = np.meshgrid(self._gx, self._gy)
        with np.errstate(all="ignore"):
            self._gz = function(X, Y)
        self.landscape.surface.set_surface(self._gx, self._gy, self._gz)
        x, y = self.point
        self.point = (min(max(x, x0), x1), min(max(y, y0), y1))
        self.map.set_point(*self.point)
        self._draw_model()

    @Slot(float, float)
    def set_point(self, x: float, y: float) -> None:
        self.point = (float(x), float(y))
        self._draw_model()

    def _draw_model(self) -> None:
        if self.function2d is None:
            return
        try:
            model = tl.taylor_2d(self.function2d, self.point, self._order2d())
        except (tl.SeriesError, ExpressionError) as exc:
            self.model_error.setText(f"⚠ {exc}")
            self.model_error.setVisible(True)
            return
        self.model_error.setVisible(False)
        self.model = model
        X, Y = np.meshgrid(self._gx, self._gy)
        M = model(X, Y)
        with np.errstate(all="ignore"):
            err = np.log10(np.abs(self._gz - M) + 1e-12)
        err = np.where(np.isfinite(err), err, np.nan)
        self.map.set_field(self._gx, self._gy, err, levels=10,
                           label="log₁₀ |f − model|")
        self.map.set_point(*self.point)
        self.landscape.surface.set_model(self._gx, self._gy, M)
        self.landscape.surface.set_point(*self.point, model.value)
        self._draw_model_shape(model, M)
        gx, gy = model.gradient
        (hxx, hxy), (_, hyy) = model.hessian
        lines = [f"at ({fmt(self.point[0])}, {fmt(self.point[1])}):",
                 f"f(a) = {fmt(model.value)}",
                 f"∇f(a) = ({fmt(gx)}, {fmt(gy)})"]
        if model.order == 2:
            values = model.axes()[0]
            lines += [f"H = [[{fmt(hxx)}, {fmt(hxy)}], [{fmt(hxy)}, {fmt(hyy)}]]",
                      f"eigenvalues {fmt(values[0])}, {fmt(values[1])}: contours are "
                      f"{model.kind()}",
                      "model = f(a) + ∇f·Δ + ½ ΔᵀHΔ"]
        else:
            lines.append("model = f(a) + ∇f·Δ: a plane, so its contours are straight lines")
        self.model_text.setText("\n".join(lines))

    def _draw_model_shape(self, model: tl.Model2D, M: np.ndarray) -> None:
        segs = [contour_segments(self._gx, self._gy, M, lv) for lv in nice_levels(M, 12)]
        segs = np.concatenate(segs) if segs else np.empty((0, 2))
        self.model_contours.setData(segs[:, 0], segs[:, 1], connect="pairs")
        if model.order < 2:
            for line in self.axis_lines:
                line.setData([], [])
            return
        _, vectors = model.axes()
        x0, x1, y0, y1 = self.domain2d
        length = 0.25 * min(x1 - x0, y1 - y0)
        for line, v in zip(self.axis_lines, vectors.T, strict=True):
            px, py = self.point
            line.setData([px - length * v[0], px + length * v[0]],
                         [py - length * v[1], py + length * v[1]])
