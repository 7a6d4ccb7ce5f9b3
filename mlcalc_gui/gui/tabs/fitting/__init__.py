"""The Fitting tab: a Gaussian fitted to the heights histogram (the course's second
assignment) and a straight line fitted to points, each as steepest descent on the
chi-squared landscape over the parameters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFileDialog, QGridLayout, QStackedWidget, QWidget

from mlcalc_gui.core import fitting as fit
from mlcalc_gui.core.calculus import skip_start
from mlcalc_gui.core.states import MAX_RUN, FittingState, HistogramState
from mlcalc_gui.core.thinning import RecordArrays
from mlcalc_gui.gui.kit.shortcuts import Shortcut, playback_shortcuts
from mlcalc_gui.gui.kit.tab import TutorTab
from mlcalc_gui.gui.panels.fit_views import HistogramView, PointsView
from mlcalc_gui.gui.panels.landscape import FunctionLandscape
from mlcalc_gui.gui.run.tab_run import RunTabMixin
from mlcalc_gui.gui.tabs.fitting.panel import EXPLANATIONS, PROBLEMS, PanelMixin
from mlcalc_gui.gui.theme import WARNING_STYLE
from mlcalc_gui.gui.theme import format_number as fmt


class FittingTab(PanelMixin, RunTabMixin, TutorTab):
    title = "Fitting"
    State = FittingState
    shortcuts = (*playback_shortcuts(), Shortcut("Ctrl+O", "open a data file",
                                                 lambda tab: tab.open_dialog()))
    IDLE_TEXT = "Press Play (Space) or Step (N)."

    def __init__(self, parent=None):
        super().__init__(parent)
        self.problems: dict[str, fit.FitProblem] = {}
        self.problem: fit.FitProblem | None = None
        self.start = fit.GaussianProblem.COURSE_START
        self.user_derivative = {"mu": None, "sigma": None}
        self.derivative_ok = {"mu": True, "sigma": True}  # unset: the true one is used

    @property
    def hist(self) -> fit.Histogram | None:
        gaussian = self.problems.get("gaussian")
        return gaussian.hist if gaussian else None

    # ---- layout --------------------------------------------------------------------------
    def build(self) -> None:
        panel = self._build_panel()
        self.install_run(self._descent_run, self._blocked, self.status)
        self._numbers = self.run.live(self._show_numbers)
        self.path_rows = RecordArrays(
            lambda r: (*r.params, np.log10(max(r.chi2, 1e-300))), 3)
        self.views = {"gaussian": HistogramView(self), "line": PointsView(self)}
        self.views["line"].sig_points.connect(self.set_points)
        self.views["line"].sig_status.connect(self.sig_status)
        self.data_stack = QStackedWidget()
        for view in self.views.values():
            self.data_stack.addWidget(view.widget)
        self.landscape = FunctionLandscape(self, ("μ", "σ", "log₁₀ χ²"), titles=(
            "The same landscape in 3D — drag to rotate", "χ² landscape with the descent path"))
        self.landscape.sig_status.connect(self.sig_status)
        self.landscape.contour.setToolTip("χ² over the parameters. Click or drag to choose "
                                          "where the descent starts; arrow keys nudge it.")
        self.landscape.sig_point_moved.connect(self.set_start)
        if self.landscape.surface.view is not None:
            self.landscape.surface.view.setCameraPosition(azimuth=-120, elevation=35)
        right = QWidget()
        grid = QGridLayout(right)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.data_stack, 0, 0)
        grid.addWidget(self.landscape.map_box, 0, 1)
        grid.addWidget(self.landscape.surface_box, 1, 0)
        grid.addWidget(self._build_numbers(), 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        self.set_main_layout(panel, right, 380)

    PLACES = ("data", "numbers", "landscape", "your turn", "descent")
    OBSERVABLES = {"chi2": "χ² now, of the fit shown", "steps": "steps of descent taken"}

    def observe(self) -> dict[str, float | bool]:
        if self.problem is None:
            return {}
        chi2 = self.path[-1].chi2 if self.path else self.problem.chi2(self.start)
        return {"chi2": float(chi2), "steps": float(max(len(self.path) - 1, 0))}

    def places(self) -> dict[str, QWidget]:
        return {"data": self.data_label.parentWidget(), "numbers": self.numbers_label,
                "landscape": self.landscape.map_box, "your turn": self.turn_box,
                "descent": self.descent_box}

    SPOILERS = ("fit", "numbers")

    def spoiler_parts(self) -> dict[str, list]:
        line, gaussian = self.views["line"], self.views["gaussian"]
        return {"fit": [self.data_label, line.exact_line, gaussian.best_curve,
                        line.keep_secret],
                "numbers": [self.numbers_label, self.verdict_label]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> FittingState:
        gaussian, line = self.problems["gaussian"], self.problems["line"]
        heights = None if gaussian.course else HistogramState(
            tuple(gaussian.x), tuple(gaussian.y), gaussian.hist.width, gaussian.hist.source)
        points = tuple(map(tuple, line.points))
        return FittingState(
            self.problem.key, heights, self.bin_spin.value(),
            None if np.array_equal(line.points, fit.SAMPLE_POINTS) else points, self.start,
            self.binder["aggression"], self.binder["steps"],
            tuple(r.params for r in self.path[-MAX_RUN:]), *self._derivative_texts(),
            self.binder["use_mine"], self._writing())

    def restore(self, state: FittingState) -> None:
        hist = None if state.heights is None else fit.Histogram(
            np.array(state.heights.centres), np.array(state.heights.density),
            state.heights.width, state.heights.source)
        self.problems = {"gaussian": fit.GaussianProblem(hist),
                         "line": fit.LineProblem(None if state.points is None
                                                 else np.array(state.points))}
        self.bin_spin.setValue(state.bin_width)
        self.loader.cancel()  # a file being read would replace the state's data
        self.loader.clear_error()
        self.user_derivative = {"mu": None, "sigma": None}
        self.derivative_ok = {"mu": True, "sigma": True}  # unset: the true one is used
        self._drafts = {"mu": state.derivative_mu, "sigma": state.derivative_sigma}
        for which, text in (("mu", state.derivative_mu), ("sigma", state.derivative_sigma)):
            if text:
                self.which_combo.setCurrentIndex(0 if which == "mu" else 1)
                self.derivative_edit.setText(text)
                self.check_user_derivative()
        self.which_combo.setCurrentIndex(0 if state.writing == "mu" else 1)
        self.derivative_edit.setText(self._drafts[state.writing])
        self.binder.set(use_mine=state.use_mine)
        self.set_problem(state.problem, state.start, state.aggression, state.steps)
        if state.path:
            self.run.show_records([fit.FitStep(k, p, self.problem.chi2(p),
                                               tuple(self.problem.jacobian(p, self._mine())))
                                   for k, p in enumerate(state.path)])

    def demo_state(self) -> FittingState:
        """The course's assignment to the end: 50 steps from (155, 6) at aggression 2000."""
        path = [r.params for r in fit.GaussianProblem().descent((155.0, 6.0), 2000.0, 50)]
        return FittingState(path=tuple(path))

    # ---- data ----------------------------------------------------------------------------
    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open data", "", "CSV files (*.csv *.txt)"
                                              ";;All files (*)")
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        """Read a CSV for the current problem in the worker (a progress bar and Cancel
        beside it); on error the current data stay and the message says why."""
        kind, width = self.problem.key, self.bin_spin.value()
        self.loader.load(Path(path).name, lambda: fit.problem_steps(path, kind, width))

    @Slot(str, object)
    def _on_file_read(self, name: str, problem: fit.FitProblem) -> None:
        self.problems[problem.key] = problem
        self.set_problem(problem.key, problem.default_start())
        self.sig_status.emit(f"Loaded {name}")

    def restore_course_data(self) -> None:
        self.loader.cancel()
        self.loader.clear_error()
        problem = (fit.GaussianProblem() if self.problem.key == "gaussian"
                   else fit.LineProblem())
        self.problems[problem.key] = problem
        self.set_problem(problem.key, problem.default_start())

    @Slot(object)
    def set_points(self, points: np.ndarray) -> None:
        """The learner edited the points: a new line problem; the start, the aggression
        and the steps kept (a warning if the aggression is now past the stable limit)."""
        problem = self.problems["line"] = fit.LineProblem(points)
        self.set_problem("line", self.start, self.binder["aggression"],
                         self.binder["steps"])
        limit = problem.stable_limit()
        if self.binder["aggression"] >= limit:
            self.run_status.say(
                f"⚠ With these points the aggression {fmt(self.binder['aggression'])} is "
                f"past the stable limit 2 / λmax = {fmt(limit)}: the descent will fly out. "
                f"Try {fmt(problem.default_aggression())}.", WARNING_STYLE)

    # ---- the problem ---------------------------------------------------------------------
    def set_problem(self, key: str, start=None, aggression: float | None = None,
                    steps: int | None = None) -> None:
        """Show ``key``'s data and landscape, starting the descent from ``start`` (or, if
        that is off the map, the problem's own start)."""
        self.stop_work()
        problem = self.problem = self.problems[key]
        self.mode_combo.setCurrentIndex(list(PROBLEMS).index(key))
        gauss = key == "gaussian"
        self.data_stack.setCurrentWidget(self.views[key].widget)
        self.turn_box.setVisible(gauss)
        self.explanation.body.setText(EXPLANATIONS[key])
        self.bin_spin.setEnabled(gauss)
        self.line_hint.setVisible(not gauss)
        self.binder.configure("aggression", lambda box: box.setDecimals(1 if gauss else 6))
        self.binder.set(aggression=aggression or problem.default_aggression(),
                        steps=steps or problem.default_steps)
        self.landscape.surface.axis_labels = (*problem.names, "log₁₀ χ²")
        self.landscape.contour.set_labels(problem.axis_labels, problem.lock_aspect)
        self.landscape.draw_work((key, id(problem)), lambda: fit.chi2_picture(problem))
        self.views[key].show_problem(problem)
        self.data_label.setText(self._describe_data())
        inside = start is not None and problem.on_map(start)
        self.set_start(*(start if inside else problem.default_start()))

    def _describe_data(self) -> str:
        p = self.problem
        if p.key == "gaussian":
            return (f"{p.hist.source}: {len(p.x)} bins of {fmt(p.hist.width)} cm, "
                    f"{int(np.count_nonzero(p.y))} of them non-empty, area 1.")
        return (f"{len(p.x)} points; closed-form fit y = {fmt(p.best[0])} x + "
                f"{fmt(p.best[1])}. A CSV of (x, y) rows replaces them.")

    # ---- descent -------------------------------------------------------------------------
    @Slot(float, float)
    def set_start(self, a: float, b: float) -> None:
        """Choose where the descent starts (from the map): the old path goes, and the
        data view shows the new start."""
        self.start = self.problem.valid_start((a, b))
        self.reset_descent()

    def _blocked(self, last) -> str | None:
        if last is not None and last.step >= self.binder["steps"]:
            return "All the steps are taken: raise Steps, or Reset"
        return None

    def _mine(self):
        if self.binder["use_mine"]:
            return self.user_derivative["mu"], self.user_derivative["sigma"]
        return None, None

    def _descent_run(self, last):
        offset = last.step if last else 0
        gen = self.problem.descent(last.params if last else self.start,
                                   self.binder["aggression"],
                                   self.binder["steps"] - offset, self._mine(),
                                   first_step=offset)
        return skip_start(gen) if last else gen

    def _on_cleared(self) -> None:
        self._show_params(self.start, None)

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        last = self.path[-1]
        self._show_params(last.params, last, live=True)
        self.run_status.say_live(f"Step {last.step} of {self.binder['steps']}: "
                                 f"χ² = {fmt(last.chi2)}")

    def _done_text(self, last) -> str:
        """Done only if the run got somewhere: compared with the least-squares minimum,
        a run that went astray says so and why."""
        mine = self.binder["use_mine"] and not all(self.derivative_ok.values())
        return fit.judge_descent(self.problem, self.path[0], last,
                                 self.binder["aggression"], wrong_derivative=mine).verdict

    def _show_params(self, params, record: fit.FitStep | None, live: bool = False) -> None:
        """The fit at ``params`` (the start, or ``record``'s step) on every view, and its
        numbers (``live``: a running descent's, a few times a second).  A step's χ² and J
        come with its record (worked out where the step was); only the start's are
        worked out here."""
        problem = self.problem
        shown = self.path_rows.drawn(self.path)
        self.landscape.set_path(shown[:, :2], shown[:, 2])
        chi2 = record.chi2 if record is not None else problem.chi2(params)
        self.landscape.set_point(*params, np.log10(max(chi2, 1e-300)))
        self.views[problem.key].draw(problem, params)
        (self._numbers if live else self._numbers.now)(problem, params, record, chi2)

    def _show_numbers(self, problem, params, record: fit.FitStep | None, chi2: float) -> None:
        J = record.jacobian if record is not None else problem.jacobian(params, self._mine())
        agg = self.binder["aggression"]
        best = problem.best
        a, b = problem.names
        self.numbers_label.setText(
            f"At {f'step {record.step}' if record else 'the start'}: {a} = "
            f"<b>{fmt(params[0], 5)}</b>, {b} = <b>{fmt(params[1], 5)}</b>, "
            f"χ² = <b>{fmt(chi2)}</b><br><br>"
            f"J = [∂χ²/∂{a}, ∂χ²/∂{b}] = [{fmt(J[0])}, {fmt(J[1])}]<br>"
            f"step = −aggression · J = −{fmt(agg)} · J = "
            f"[{fmt(-agg * J[0])}, {fmt(-agg * J[1])}]<br><br>"
            f"Least-squares minimum: {a} = {fmt(best[0], 5)}, {b} = {fmt(best[1], 5)}, "
            f"χ² = {fmt(problem.best_chi2)}<br>"
            f"Distance still to go: {fmt(float(np.hypot(*np.subtract(params, best))))}")
