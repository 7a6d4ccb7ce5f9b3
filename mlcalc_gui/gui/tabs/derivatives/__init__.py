"""The Derivatives tab (week 1): rise over run and h → 0, the derivative traced as the
point moves, the error of finite differences against h, the rules step by step, the
quiz, and the learner's own f′."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QWidget

from mlcalc_gui.core.contours import graph_range
from mlcalc_gui.core.derivatives import Step, check_answer, forward_difference, rule_steps, shrink_h
from mlcalc_gui.core.expressions import (
    ExpressionError,
    Function,
    compile_expression,
    parse_function,
)
from mlcalc_gui.core.sketch import sketch
from mlcalc_gui.core.states import DerivativesState
from mlcalc_gui.core.taylor import SeriesError, real_singularities
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.shortcuts import HISTORY_SHORTCUTS, Clicker, Shortcut
from mlcalc_gui.gui.kit.tab import TutorTab
from mlcalc_gui.gui.panels.rule_tree import typeset_steps
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.run.host import process_events_until
from mlcalc_gui.gui.run.tab_run import RunTabMixin
from mlcalc_gui.gui.tabs.derivatives.panel import PanelMixin
from mlcalc_gui.gui.tabs.derivatives.plots import PlotsMixin
from mlcalc_gui.gui.theme import format_number as fmt

SAMPLES = 801  # points along f and f′
MAX_TRACE = 4000

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


class DerivativesTab(PanelMixin, PlotsMixin, RunTabMixin, TutorTab):
    title = "Derivatives"
    EXPLANATION = EXPLANATION
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
        return DerivativesState(**{
            **self.binder.values(),  # (x and h as the tab holds them, not as rounded)
            "function": self.function.text if self.function else self.input.text(),
            "domain": self.domain, "x": self.x, "h": self.h_start,
            "trace": tuple(self.trace[-MAX_TRACE:]), "walk": self._walked(),
            "answer": self.answer_edit.text(), "quiz_seed": self.quiz.seed,
            "score": (self.quiz.right, self.quiz.asked)})

    def restore(self, state: DerivativesState) -> None:
        self.binder.set(show_derivative=state.show_derivative, measured=state.measured,
                        spacing=state.spacing, noise=state.noise)
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
    def preset_state(self, preset) -> dict:
        return {"function": preset.text, "domain": preset.domain, "x": preset.x,
                "trace": (), "walk": 0}

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

    def sketch(self, state: DerivativesState) -> None:
        """The first frame shows f and (if shown) f′ from a sketch (core.sketch: numpy,
        no sympy); the parse, the numbers and the rules follow once sympy is in."""
        drawn = sketch(state.function)
        if drawn is None:
            return
        xs = np.linspace(state.domain[0], state.domain[1], SAMPLES)
        fx, dfx = drawn(xs)
        self.input.edit.setText(state.function)
        self.input.edit.setCursorPosition(0)
        self.input.binder.set(domain=tuple(state.domain))  # (not applied: no f yet)
        self.f_curve.setData(xs, fx, connect="finite")
        if state.show_derivative:
            self.d_curve.setData(xs, dfx, connect="finite")
        self._fit_view(state.domain, fx, dfx)

    def _fit_view(self, domain=None, fx=None, dfx=None) -> None:
        """The plots' ranges for f on ``domain`` (the tab's f, by default)."""
        lo, hi = self.domain if domain is None else domain
        shown = graph_range(self._fx if fx is None else fx)
        if shown:
            self.f_box.setRange(xRange=(lo, hi), yRange=shown, padding=0)
        self.binder.configure("x", lambda spin: spin.setRange(lo, hi))
        shown = graph_range(self._dfx if dfx is None else dfx)
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
        self.binder.set(x=self.x)
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
        self.binder.set(h=h)
        self.h = self.h_start = float(h)
        self.h_label.setText(f"{self.h:.3g}")

    def _on_h_slider(self, h: float) -> None:
        self.h = self.h_start = h
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


def _plain(expr) -> str:
    return str(expr).replace("**", "^")

