"""The Derivatives tab (week 1): rise over run and h → 0, the derivative traced as the
point moves, the error of finite differences against h, the rules step by step, the
quiz, and the learner's own f′."""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core.calculus import usable_with
from mlcalc_gui.core.contours import graph_range
from mlcalc_gui.core.derivatives import (
    PRESETS,
    Measured,
    Step,
    central_difference,
    check_answer,
    difference_errors,
    forward_difference,
    limit_verdict,
    rule_steps,
    shrink_h,
)
from mlcalc_gui.core.expressions import (
    ExpressionError,
    Function,
    compile_expression,
    parse_function,
)
from mlcalc_gui.core.states import DerivativesState
from mlcalc_gui.core.taylor import SeriesError, real_singularities
from mlcalc_gui.gui import scale as ui_scale
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.tab import (
    EXPLAINS,
    HISTORY_SHORTCUTS,
    Clicker,
    Shortcut,
    TutorTab,
    error_label,
    panel_column,
    process_events_until,
)
from mlcalc_gui.gui.panels.function_input import FunctionInput
from mlcalc_gui.gui.panels.graph_quiz import GraphQuiz
from mlcalc_gui.gui.panels.plots import legend, pointer_plot, teaching_plot
from mlcalc_gui.gui.panels.rule_tree import RuleTree, typeset_steps
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.run.controller import RunTabMixin
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.playback import PlaybackBar

SAMPLES = 801  # points along f and f′
H_RANGE = (-6.0, math.log10(2.0))  # the h slider, in powers of ten
MAX_TRACE = 4000
ERRORS_EVERY = 0.15  # seconds between redraws of the error curves during a drag
RUN_LABEL_PX = 110  # a run drawn shorter than this (at normal text) gets one label

EXPLANATION = f"""
<p>The <b>derivative</b> f′(x) is the slope of f at x. Take a second point x + h:
the <span style="color:rgb{theme.ORANGE}"><b>secant</b></span> through both has slope
<b>rise / run</b> = (f(x + h) − f(x)) / h. As <b>h → 0</b> the secant turns into the
<span style="color:rgb{theme.BLUE}"><b>tangent</b></span> (dashed), and its slope is f′(x).</p>
<p><b>Drag on the graph</b> (or [ and ]) to move x; the slope at x is traced below as the
height of f′. Untick <i>Show f′</i> to predict it first. Press <b>Play</b> (Space) to let h
shrink, <b>N</b> for one step.</p>
<p>A computer cannot take h → 0: below about 10⁻⁸ rounding eats the rise. The error plot
shows the V. <b>Page Down</b> walks through the rules that give f′ exactly.</p>
"""


class DerivativesTab(RunTabMixin, TutorTab):
    title = "Derivatives"
    State = DerivativesState
    shortcuts = (
        Shortcut("Space", "let h shrink (play or pause)", lambda tab: tab.playback.toggle()),
        Shortcut("N", "shrink h one step", lambda tab: tab.playback.step_once()),
        Shortcut("R", "h back to the slider's value", lambda tab: tab.playback.reset()),
        *HISTORY_SHORTCUTS,
        Shortcut("]", "move x right", lambda tab: tab.nudge_right()),
        Shortcut("[", "move x left", lambda tab: tab.nudge_left()),
        Shortcut("D", "show or hide f′ (predict, then reveal)",
                 lambda tab: tab.toggle_derivative()),
        Shortcut("Q", "show the quiz with a new question", lambda tab: tab.new_quiz_question()),
        *(Shortcut(str(k + 1), f"quiz: answer graph {'ABCD'[k]}",
                   lambda tab, k=k: tab.quiz_answer(k))
          for k in range(4)),
    )
    clicker = Clicker("next / previous rule of the walk to f′", lambda tab: tab.next_rule(),
                      lambda tab: tab.previous_rule())
    restore_after_paint = True  # the first parse imports sympy
    IDLE_TEXT = "Press Play (Space) to let h shrink towards 0, or N for one step."

    def __init__(self, parent=None):
        super().__init__(parent)
        self.function: Function | None = None
        self.domain: tuple[float, float] = (-2.0, 2.0)
        self.x = 1.0
        self.h = self.h_start = 1.0  # the h drawn (the slider's, or the animation's)
        self.trace: list[tuple[float, float]] = []
        self._walk_wanted = 0
        self._xs = np.zeros(0)
        self._drag_x = 0.0
        self._errors_key: tuple | None = None  # (f, x) the error curves are for
        self._errors_drawn = -math.inf
        self._fx = self._dfx = np.zeros(0)
        self._singular: list[float] = []  # where f has no value on the domain

    # ---- layout --------------------------------------------------------------------------
    def step_position(self) -> str:
        return f"rule {self.rules.walked} / {self.rules.step_count}"

    def step_at_end(self) -> bool:
        return self.rules.step_count > 0 and self.rules.walked >= self.rules.step_count

    @Slot()
    def next_rule(self) -> None:
        """The rules come forward and take one more step (Page Down)."""
        self.tabs.setCurrentWidget(self.rules)
        self.rules.next_step()

    @Slot()
    def previous_rule(self) -> None:
        self.tabs.setCurrentWidget(self.rules)
        self.rules.previous_step()

    def build(self) -> None:
        panel = self._build_panel()
        self.install_run(self._shrink_run, self._blocked, self.h_status)
        self.rules_task = BackgroundTask(self)
        self.rules_task.sig_done.connect(self._on_rules)
        self.rules_task.sig_failed.connect(self._on_rules_failed)
        self.set_main_layout(panel, self._build_views(), 400)

    def _build_panel(self) -> QWidget:
        panel, layout = panel_column(EXPLANATION)
        self.input = FunctionInput(PRESETS, variables=("x",), check=usable_with(1),
                                   placeholder="e.g. x^3 - 2x, sin x, e^x, 1/x, abs(x)")
        self.input.sig_applied.connect(self._on_function)
        self.input.sig_preset.connect(self.apply_preset)
        self.input.sig_status.connect(self.sig_status)
        layout.addWidget(self.input)

        box = QGroupBox("Rise over run")
        grid = QGridLayout(box)
        self.x_spin = QDoubleSpinBox()
        self.x_spin.setDecimals(4)
        self.x_spin.setRange(-1e4, 1e4)
        self.x_spin.setSingleStep(0.05)
        self.x_spin.setKeyboardTracking(False)
        self.x_spin.setToolTip("The point x where the slope is taken ([ and ] move it)")
        self.x_spin.valueChanged.connect(lambda v: self.set_x(v))
        grid.addWidget(_buddy("&x =", self.x_spin), 0, 0)
        grid.addWidget(self.x_spin, 0, 1, 1, 2)
        self.h_slider = QSlider(Qt.Horizontal)
        self.h_slider.setRange(int(H_RANGE[0] * 100), int(H_RANGE[1] * 100))
        self.h_slider.setToolTip("The run h, from 10⁻⁶ to 2 on a log scale")
        self.h_slider.valueChanged.connect(self._on_h_slider)
        self.h_label = QLabel()
        self.h_label.setMinimumWidth(90)
        grid.addWidget(_buddy("&h =", self.h_slider), 1, 0)
        grid.addWidget(self.h_slider, 1, 1)
        grid.addWidget(self.h_label, 1, 2)
        self.numbers = QLabel()
        self.numbers.setTextFormat(Qt.PlainText)
        self.numbers.setStyleSheet("font-family: monospace;")
        grid.addWidget(self.numbers, 2, 0, 1, 3)
        self.verdict = error_label()
        grid.addWidget(self.verdict, 3, 0, 1, 3)
        self.playback = PlaybackBar(speeds=(2, 5, 10, 20, 0))
        grid.addWidget(self.playback, 4, 0, 1, 3)
        self.h_status = QLabel()
        self.h_status.setWordWrap(True)
        grid.addWidget(self.h_status, 5, 0, 1, 3)
        self.show_derivative = QCheckBox("Show f′ (untick to predict it first)")
        self.show_derivative.setChecked(True)
        self.show_derivative.setToolTip("Hide the curve f′ and trace it yourself by moving x; "
                                         "then reveal it (D)")
        self.show_derivative.toggled.connect(lambda _: self._draw_derivative())
        grid.addWidget(self.show_derivative, 6, 0, 1, 3)
        clear = QPushButton("Clear the trace")
        clear.setToolTip("Forget the slopes traced so far")
        clear.clicked.connect(self.clear_trace)
        grid.addWidget(clear, 7, 0, 1, 3)
        layout.addWidget(box)

        layout.addWidget(self._build_measured())

        box = QGroupBox("Your turn: type f′(x)")
        yl = QVBoxLayout(box)
        row = QHBoxLayout()
        self.answer_edit = QLineEdit()
        self.answer_edit.setPlaceholderText("your derivative of f, in x")
        self.answer_edit.setToolTip("Work out f′ by the rules and type it; Enter checks it at "
                                    "400 points")
        self.answer_edit.returnPressed.connect(self.check_answer)
        check = QPushButton("Check")
        check.clicked.connect(self.check_answer)
        row.addWidget(_buddy("f′(x) =", self.answer_edit))
        row.addWidget(self.answer_edit, 1)
        row.addWidget(check)
        yl.addLayout(row)
        self.answer_result = QLabel()
        self.answer_result.setTextFormat(Qt.PlainText)
        self.answer_result.setWordWrap(True)
        yl.addWidget(self.answer_result)
        layout.addWidget(box)
        layout.addStretch(1)
        return panel

    def _build_measured(self) -> QGroupBox:
        """Reality is hard: f known only at points of a grid, each measured with noise."""
        box = QGroupBox("Known only at points (reality is hard)")
        form = QFormLayout(box)
        self.measured_check = QCheckBox("f is measured, not known")
        self.measured_check.setToolTip(
            "The slopes come from measurements of f: at the points of a grid, each off by "
            "noise; the error plot shows the noise taking over as h shrinks")
        form.addRow(self.measured_check)
        self.spacing_spin = QDoubleSpinBox()
        self.spacing_spin.setRange(0.0, 1.0)
        self.spacing_spin.setDecimals(3)
        self.spacing_spin.setSingleStep(0.01)
        self.spacing_spin.setSpecialValueText("anywhere")
        self.spacing_spin.setToolTip("The grid f is measured on (anywhere: at every x asked); "
                                     "a run h below it reads the same point twice")
        form.addRow("Measured every", self.spacing_spin)
        self.noise_spin = QDoubleSpinBox()
        self.noise_spin.setRange(0.0, 1.0)
        self.noise_spin.setDecimals(6)
        self.noise_spin.setSingleStep(1e-4)
        self.noise_spin.setValue(1e-4)
        self.noise_spin.setSpecialValueText("none")
        self.noise_spin.setToolTip("How far each measurement is off (its standard deviation)")
        form.addRow("Noise of each", self.noise_spin)
        for box_ in (self.spacing_spin, self.noise_spin):
            box_.setKeyboardTracking(False)
            box_.valueChanged.connect(lambda _: self._on_measured())
        self.measured_check.toggled.connect(lambda _: self._on_measured())
        return box

    def _f(self):
        """What the slopes are taken of: f, or its measurements."""
        if self.function is None or not self.measured_check.isChecked():
            return self.function
        return Measured(self.function, self.spacing_spin.value(), self.noise_spin.value())

    def _on_measured(self) -> None:
        self._errors_key = None  # the error curves are of the measurements now
        self.run.reset()
        self._draw_samples()
        self._draw_secant()

    def _draw_samples(self) -> None:
        """The measurements on the plot of f, where there is a grid of them to see."""
        f = self._f()
        if not isinstance(f, Measured) or self.function is None:
            self.samples.setData([], [])
            return
        lo, hi = self.domain
        if f.spacing > 0 and (hi - lo) / f.spacing <= 400:
            xs = np.arange(math.ceil(lo / f.spacing), math.floor(hi / f.spacing) + 1) * f.spacing
        else:
            xs = np.linspace(lo, hi, 161)
        self.samples.setData(xs, f(xs))

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
        self.e_caption = QLabel()
        self.e_caption.setTextFormat(Qt.PlainText)
        self.e_caption.setWordWrap(True)
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

    PLACES = ("numbers", "secant", "derivative", "errors", "rules", "quiz", "your turn")

    OBSERVABLES = {"x": "the point x", "h": "the run h of the secant shown",
                   "slope": "f′(x), the tangent's slope at x",
                   "secant_error": "|rise/run − f′(x)|, how far the secant's slope is from "
                                   "the derivative"}

    def observe(self) -> dict[str, float | bool]:
        if self.function is None:
            return {}
        f = self._f()
        slope = float(forward_difference(f, self.x, self.h))
        exact = self._exact()
        return {"x": self.x, "h": self.h, "slope": exact, "secant_error": abs(slope - exact)}

    def places(self) -> dict[str, QWidget]:
        return {"numbers": self.numbers, "secant": self.f_plot, "derivative": self.d_plot,
                "errors": self.e_plot, "rules": self.rules, "quiz": self.quiz,
                "your turn": self.answer_edit.parentWidget()}

    SPOILERS = ("numbers", "secant labels", "derivative")

    def spoiler_parts(self) -> dict[str, list]:
        return {"numbers": [self.numbers, self.h_status],
                "secant labels": [self.rise_text, self.run_text],
                "derivative": [self.d_plot]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> DerivativesState:
        return DerivativesState(
            function=self.function.text if self.function else self.input.text(),
            domain=self.domain, x=self.x, h=self.h_start,
            show_derivative=self.show_derivative.isChecked(),
            trace=tuple(self.trace[-MAX_TRACE:]), walk=self._walked(),
            answer=self.answer_edit.text(), quiz_seed=self.quiz.seed,
            score=(self.quiz.right, self.quiz.asked),
            measured=self.measured_check.isChecked(), spacing=self.spacing_spin.value(),
            noise=self.noise_spin.value())

    def restore(self, state: DerivativesState) -> None:
        with QSignalBlocker(self.show_derivative):
            self.show_derivative.setChecked(state.show_derivative)
        with QSignalBlocker(self.measured_check):
            self.measured_check.setChecked(state.measured)
        for spin, value in ((self.spacing_spin, state.spacing), (self.noise_spin, state.noise)):
            with QSignalBlocker(spin):
                spin.setValue(value)
        self._set_slider_h(state.h)
        self.quiz.set_progress(state.quiz_seed, *state.score)
        self._walk_wanted = state.walk
        kept = self.x
        self.x = state.x
        if self.input.set_input(state.function, state.domain):
            ready = self.rules.typeset
            if ready is not None and ready.steps.function.text == self.function.text:
                self.rules.walk_to(state.walk)  # the same f: its rules are already shown
                self._walk_wanted = 0  # a function typed next opens at its first rule
            self.trace = [p for p in state.trace if self.domain[0] <= p[0] <= self.domain[1]]
            self._draw_derivative()
            self.answer_edit.setText(state.answer)
            if state.answer:
                self.check_answer()
        else:
            self.x = kept

    def _walked(self) -> int:
        """The rules walked: the panel's once the current f's rules are shown, else the
        walk they will open at."""
        ready = self.rules.typeset
        if ready is not None and self.function is not None and (
                ready.steps.function.text == self.function.text):
            return self.rules.walked
        return self._walk_wanted

    def demo_state(self) -> DerivativesState:
        """The cubic with a secant nearly a tangent, the traced slopes and two rules
        walked."""
        f = parse_function("x^3 - 2x", ("x",))
        xs = np.linspace(-2, 1, 40)
        slopes = f.gradient(xs)[0]
        return DerivativesState(x=1.0, h=0.35, trace=tuple(zip(xs.tolist(), slopes.tolist(),
                                                              strict=True)), walk=2)

    def run_demo(self, state=None) -> None:
        """The demo, with its rules worked out (they come from a worker)."""
        super().run_demo(state)
        process_events_until(lambda: self.rules.typeset is not None
                             and not self.rules_task.busy, 30)

    # ---- the function --------------------------------------------------------------------
    @Slot(object)
    def apply_preset(self, preset) -> None:
        self.x = preset.x
        self.input.set_input(preset.text, preset.domain)

    @Slot(object, object)
    def _on_function(self, function: Function, domain) -> None:
        changed = self.function is None or function.text != self.function.text
        self.function, self.domain = function, tuple(domain)
        self._xs = np.linspace(domain[0], domain[1], SAMPLES)
        try:
            self._singular = real_singularities(function, domain[0] - 2, domain[1] + 2)
        except (SeriesError, ExpressionError):
            self._singular = []
        self._fx = function(self._xs)  # (a Function: arrays of the samples' shape, nan
        self._dfx = function.gradient(self._xs)[0]  # where undefined, no warnings)
        self.f_curve.setData(self._xs, self._fx, connect="finite")
        self._fit_view()
        if changed:
            self.trace = []
            self.d_answer.setData([], [])
            self.answer_result.setText("")
            self._request_rules()
        if not domain[0] <= self.x <= domain[1]:
            self.x = domain[0] + 0.62 * (domain[1] - domain[0])
        self._draw_derivative()
        self._draw_samples()
        self.set_x(self.x)
        self.sig_status.emit(f"Drawing f(x) = {function.text}")

    def _fit_view(self) -> None:
        lo, hi = self.domain
        shown = graph_range(self._fx)
        if shown:
            self.f_box.setRange(xRange=(lo, hi), yRange=shown, padding=0)
        with QSignalBlocker(self.x_spin):
            self.x_spin.setRange(lo, hi)
        shown = graph_range(self._dfx)
        if shown:
            self.d_plot.getPlotItem().setYRange(*shown, padding=0)

    def _request_rules(self) -> None:
        function = self.function
        self.rules.set_steps(None)
        self.rules.rule_label.setText("Working out the rules…")
        font_pt, dpi = self.rules.working.font().pointSizeF(), self.rules.working.dpi()
        self.rules_task.submit(function.text,
                               lambda: typeset_steps(rule_steps(function), font_pt, dpi))

    @Slot(object, object)
    def _on_rules(self, text: str, typeset) -> None:
        if self.function is None or text != self.function.text:
            return  # an older function's rules
        self.rules.set_steps(typeset, self._walk_wanted)
        self._walk_wanted = 0

    @Slot(object, str)
    def _on_rules_failed(self, text: str, message: str) -> None:
        if self.function is not None and text == self.function.text:
            self.rules.set_steps(None)
            self.rules.rule_label.setText("⚠ No steps: " + message)

    # ---- x and h -------------------------------------------------------------------------
    @Slot(float)
    def set_x(self, x: float) -> None:
        if self.function is None or not math.isfinite(x):
            return
        lo, hi = self.domain
        self.x = float(min(max(x, lo), hi))
        with QSignalBlocker(self.x_spin):
            self.x_spin.setValue(self.x)
        slope = float(self.function.gradient(np.float64(self.x))[0])
        if math.isfinite(slope) and (not self.trace or self.trace[-1][0] != self.x):
            self.trace.append((self.x, slope))
            if len(self.trace) > MAX_TRACE:
                del self.trace[:-MAX_TRACE]
                self._draw_trace()
            else:
                self.d_trace.addPoints([self.x], [slope])
        self.run.reset()  # h back to the slider's; draws through _on_cleared

    def nudge_right(self) -> None:
        self.set_x(self.x + (self.domain[1] - self.domain[0]) / 50)

    def nudge_left(self) -> None:
        self.set_x(self.x - (self.domain[1] - self.domain[0]) / 50)

    def toggle_derivative(self) -> None:
        self.show_derivative.toggle()

    def clear_trace(self) -> None:
        self.trace = []
        self._draw_derivative()

    def _set_slider_h(self, h: float) -> None:
        """The run h the secant starts from (a state): the slider shows it."""
        with QSignalBlocker(self.h_slider):
            self.h_slider.setValue(round(math.log10(h) * 100))
        self.h = self.h_start = float(h)
        self.h_label.setText(f"{self.h:.3g}")

    def _on_h_slider(self, value: int) -> None:
        self.h = self.h_start = float(10 ** (value / 100))
        self.h_label.setText(f"{self.h:.3g}")
        self.run.reset()

    # ---- h → 0 ---------------------------------------------------------------------------
    def _exact(self) -> float:
        return float(self.function.gradient(np.float64(self.x))[0])

    def _blocked(self, last) -> str | None:
        if self.function is None:
            return "Type a function first"
        if last is not None and last.h <= 1e-6:
            return "h is already 10⁻⁶: press R to start again from the slider's h"
        return None

    def _shrink_run(self, last):
        h0 = last.h * 0.8 if last else self.h_start
        return shrink_h(self._f(), self.x, h0, self._exact())

    def _on_cleared(self) -> None:
        self.h = self.h_start
        self._draw_secant()

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        last = records[-1]
        self.h = last.h
        self._draw_secant()
        self.run_status.say_live(f"h = {last.h:.3g}: the secant's slope is {fmt(last.slope)}, "
                                 f"{fmt(last.error)} from f′(x)")

    def _done_text(self, last) -> str:
        return (f"h reached {last.h:.0e}: the secant is the tangent to the eye; its slope "
                f"{fmt(last.slope)} is f′(x) = {fmt(self._exact())} to {fmt(last.error)}.")

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

    # ---- rules and answers ---------------------------------------------------------------
    @Slot(object)
    def _on_step_selected(self, step: Step) -> None:
        fn = compile_expression(step.result, self.function.symbols)
        with np.errstate(all="ignore"):
            value = float(np.asarray(fn(np.float64(self.x)), dtype=float))
        self.rules.show_detail(f"This node: d/dx ({_plain(step.expr)}) = {_plain(step.result)}; "
                               f"at x = "
                               f"{fmt(self.x)} it is {fmt(value)}.")

    @Slot()
    def check_answer(self) -> None:
        if self.function is None:
            return
        text = self.answer_edit.text()
        try:
            answer = parse_function(text, ("x",))
        except ExpressionError as exc:
            self.answer_result.setText(f"⚠ {exc} — write it as you would f, in x only.")
            self.answer_result.setStyleSheet(theme.ERROR_STYLE)
            return
        result = check_answer(self.function, answer, self.domain)
        with np.errstate(all="ignore"):
            self.d_answer.setData(self._xs, np.asarray(answer(self._xs), dtype=float)
                                  * np.ones_like(self._xs), connect="finite")
        self.answer_result.setText(("✓ " if result.right else "✗ ") + result.message)
        self.answer_result.setStyleSheet(
            f"color:{theme.GOOD_HEX if result.right else theme.ERROR_HEX}; font-weight:bold;")

    def new_quiz_question(self) -> None:
        """Q: the quiz comes forward with a new question."""
        self.tabs.setCurrentWidget(self.quiz)
        self.quiz.new_question()

    def quiz_answer(self, k: int) -> None:
        """Keys 1–4 answer the quiz only while it is shown: hidden, it takes no answer."""
        if self.tabs.currentWidget() is not self.quiz:
            self.sig_status.emit("The quiz is hidden: Q (or its tab) shows it, then 1–4 "
                                 "answer")
            return
        self.quiz.answer(k)

    def stop_work(self) -> None:
        """Finish what the timers were waiting to draw, and stop them (the tab is left
        or the window closes)."""
        if self.built:
            for timer, finish in ((self._drag_timer, lambda: self.set_x(self._drag_x)),
                                  (self._errors_timer, self._draw_error_curves)):
                if timer.isActive():
                    timer.stop()
                    finish()
        super().stop_work()

    def export_widget(self) -> QWidget:
        return self.views


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _plain(expr) -> str:
    return str(expr).replace("**", "^")


def _err(value: float, exact: float) -> str:
    return f"{abs(value - exact):.2e}" if math.isfinite(value - exact) else "—"


def _slope(value: float) -> str:
    return f"{value:.2f}" if math.isfinite(value) else "—"
