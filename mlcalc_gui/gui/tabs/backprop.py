"""The Backpropagation tab: a network learns to draw a curve (the course's first
assignment), with its cost, its diagram, a step-by-step walk through one example's
forward and backward pass, and a gradient check.

Training runs in a process of its own (:data:`TRAINING_SERVICE`) under the tab kit's
run controller; the tab keeps the network training starts from (``net``, brought up to
date at every stop), the network on screen (``view_net``), and bounded histories of the
cost and the trail."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core.ensemble import Ensemble, RaceLog, race_summary
from mlcalc_gui.core.network import (
    CURVES,
    Network,
    TrainingSettings,
    backprop_stages,
    gradient_check,
    parse_training_settings,
    resample_curve,
)
from mlcalc_gui.core.runner import FinishKind, RunState
from mlcalc_gui.core.states import DRAWN_CURVE, BackpropState
from mlcalc_gui.core.training_log import TRAIL_EVERY, TrainingLog, trained_log
from mlcalc_gui.core.training_process import (
    RACE_SERVICE,
    TRAINING_SERVICE,
    job_spec,
    race_spec,
)
from mlcalc_gui.core.verdict import Level, Verdict
from mlcalc_gui.gui import scale, theme
from mlcalc_gui.gui.kit.tab import (
    ERROR_STYLE,
    Clicker,
    Shortcut,
    TutorTab,
    UndoNote,
    panel_column,
    playback_shortcuts,
    titled,
)
from mlcalc_gui.gui.panels.race_views import RaceViews
from mlcalc_gui.gui.panels.settings_form import SettingsForm
from mlcalc_gui.gui.panels.stage_walk import StageWalk
from mlcalc_gui.gui.panels.training_views import CostView, UnitSquare
from mlcalc_gui.gui.run.controller import RunController, RunTabMixin
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.network_view import NetworkDiagram
from mlcalc_gui.gui.widgets.playback import PlaybackBar

DRAWN = DRAWN_CURVE
RACE_SEEDS = 8  # networks in a race: the seed typed and the next seven
RACE_DRAWN = 2000  # the most points of each race cost line a frame draws
RACE_POINTS = 200  # points along each racing network's curve
SETTING_SPECS = (
    ("hidden", "Hidden layers", "Neurons in each hidden layer, e.g. '6 7' (the course's) or "
     "'12'; up to 4 layers of up to 64"),
    ("n", "Training points N", "How many points of the curve to learn from (2 to 2000)"),
    ("aggression", "Aggression", "The step size: parameter -= aggression × Jacobian (the "
     "course uses 7)"),
    ("noise", "Noise", "Each Jacobian is multiplied by (1 + noise × ξ), ξ ~ N(0, 1)"),
    ("iterations", "Iterations", "Train up to this many iterations"),
    ("seed", "Seed", "The random seed for the initial weights and the noise: the same seed "
     "gives the same run on this computer"),
)

EXPLANATION = f"""
<p>The network takes one number <b>t</b> (how far along the curve) and outputs a point
<b>(x, y)</b>. Each layer computes <b>z = W a + b</b>, then <b>a = σ(z)</b>. Training
lowers the cost C = mean |a³ − y|² by moving every weight and bias against its Jacobian
∂C/∂W, ∂C/∂b, which <b>backpropagation</b> gets from the chain rule, layer by layer
from the output back: δ³ = 2(a³ − y)∘σ′(z³), δ² = (W³)ᵀδ³∘σ′(z²), …</p>
<p><span style="color:rgb{theme.TARGET}"><b>Wide green band</b></span>: the target.
<span style="color:rgb{theme.DOWNHILL}"><b>Blue line</b></span>: the network now.
<span style="color:rgb{theme.TRAIL}"><b>Faint grey</b></span>: every 100 iterations.
<span style="color:rgb{theme.PATH}"><b>Dashed orange</b></span>: the final curve.
Press <b>Play</b> (Space); walk one example through with <b>[</b> and <b>]</b>.</p>
<p>The course's numbers are a spread over seeds: <b>Race 8 seeds</b> (key 8) trains the
seed typed and the next seven at once, and marks those still stuck at the end.</p>
"""


class BackpropTab(RunTabMixin, TutorTab):
    """``log`` (a :class:`TrainingLog`) holds where training is; the tab shows it."""

    title = "Backpropagation"
    State = BackpropState
    shortcuts = (*playback_shortcuts(many=True),
                 Shortcut("[", "previous stage of the walk through one example",
                          lambda tab: tab.previous_stage()),
                 Shortcut("]", "next stage of the walk through one example",
                          lambda tab: tab.next_stage()),
                 Shortcut("D", "draw your own curve", lambda tab: tab.draw_button.toggle()),
                 Shortcut("8", f"race {RACE_SEEDS} seeds: show the race and start it",
                          lambda tab: tab.start_race()),
                 Shortcut("Ctrl+Z", "bring back the trained network a change set aside",
                          lambda tab: tab.undo_reset()))
    clicker = Clicker("next / previous stage of one example's walk",
                      lambda tab: tab.next_stage(), lambda tab: tab.previous_stage())
    DIVERGED_HINT = ("The last good network is kept: lower the aggression and press Play, "
                     "or Reset.")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.settings = TrainingSettings()
        self.curve_name = next(iter(CURVES))
        self.drawn_points: np.ndarray | None = None
        self.log: TrainingLog | None = None
        self._stage_drawn_at = 0.0
        self.stage_index = 0
        self.example = 0
        self._drawing: list[tuple[float, float]] = []
        #: What the network on screen was made with: (settings, curve, drawn points).
        self._made_with: tuple[TrainingSettings, str, np.ndarray | None] | None = None
        #: A trained network a change threw away, as a state Undo restores.
        self._set_aside: BackpropState | None = None

    # ---- layout --------------------------------------------------------------------------
    def build(self) -> None:
        panel = self._build_panel()
        self.install_run(self._job, self._blocked, self.status, frame_interval=1 / 30,
                         service=TRAINING_SERVICE, keep_all=False, repeats_start=True,
                         on_stop=self._rewind_to_screen, timeline=lambda: self.log)
        scale.set_relative_font(self.status, 1.15)
        self.run.sig_state.connect(self._on_run_state)
        self.square = UnitSquare()
        self.square.view_box.sig_drag.connect(self._on_draw_drag)
        self.square.plot.scene().sigMouseMoved.connect(self._on_curve_hover)
        self.square.plot.setToolTip("Hover the target to choose t; with ✎ on, drag to draw")
        self.cost_view = CostView()
        self.diagram = NetworkDiagram()
        self.walk = StageWalk()
        self.walk.sig_example.connect(self.set_example)
        self.walk.sig_previous.connect(self.previous_stage)
        self.walk.sig_next.connect(self.next_stage)
        right = QWidget()
        grid = QGridLayout(right)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(titled(self.square.plot, "The unit square: target and network curves"),
                       0, 0)
        grid.addWidget(titled(self.diagram, "The network for the chosen t"), 0, 1)
        grid.addWidget(titled(self.cost_view.plot, "Cost against iteration (log scale)"), 1, 0)
        grid.addWidget(self.walk, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        self.pages = QTabWidget()
        self.pages.addTab(right, "One network")
        self.pages.addTab(self._build_race(), f"Race {RACE_SEEDS} seeds")
        self.pages.setTabToolTip(1, f"The same network and settings trained from {RACE_SEEDS} "
                                 "seeds at once (8): how much the seed decides")
        self.set_main_layout(panel, self.pages, 370)

    def _build_race(self) -> QWidget:
        """The race page: eight seeds trained at once in the training process, with a
        playback bar and a history of their own."""
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.race_views = RaceViews()
        v.addWidget(self.race_views, 1)
        self.race_bar = PlaybackBar(many=100, speeds=(100, 300, 1000, 3000, 0),
                                    default_speed=4, unit="iterations")
        self.race_bar.play_button.setToolTip(
            f"Train the {RACE_SEEDS} networks (seeds typed … +{RACE_SEEDS - 1}) at once, "
            "with the settings on the left")
        v.addWidget(self.race_bar)
        self.race_log = RaceLog()
        self._race_scratch: Ensemble | None = None
        self._race_drawn: tuple[np.ndarray, np.ndarray] | None = None  # (kept, curves)
        # The log is the race's history (bounded: a race of millions of iterations keeps
        # at most RACE_ROWS rows, and a frame draws a couple of thousand of them).
        self.race = RunController(self, self.race_bar, self._race_job, self._race_blocked,
                                  frame_interval=1 / 30, service=RACE_SERVICE,
                                  keep_all=False, timeline=lambda: self.race_log)
        self.race.sig_records.connect(self._on_race_records)
        self.race.sig_cleared.connect(self._on_race_cleared)
        self.race.sig_finished.connect(self._on_race_finished)
        self.race.sig_scrubbed.connect(self._draw_race)
        self.race.sig_refused.connect(self.sig_status)
        return page

    def _build_panel(self) -> QWidget:
        panel, layout = panel_column(EXPLANATION)

        box = QGroupBox("Target curve")
        v = QVBoxLayout(box)
        self.curve_combo = QComboBox()
        self.curve_combo.addItems([*CURVES, DRAWN])
        self.curve_combo.setToolTip("The curve the network learns to draw")
        self.curve_combo.activated.connect(self._on_curve_chosen)
        v.addWidget(self.curve_combo)
        self.draw_button = QPushButton("✎ Draw your own curve")
        self.draw_button.setCheckable(True)
        self.draw_button.setToolTip("Then drag with the mouse on the square; the network "
                                    "will learn to draw what you drew (D)")
        self.draw_button.toggled.connect(self._on_draw_toggled)
        v.addWidget(self.draw_button)
        self.curve_message = QLabel()
        self.curve_message.setTextFormat(Qt.PlainText)
        self.curve_message.setWordWrap(True)
        self.curve_message.setVisible(False)
        v.addWidget(self.curve_message)
        layout.addWidget(box)

        d = TrainingSettings()
        defaults = {"hidden": " ".join(map(str, d.hidden)), "n": str(d.n),
                    "aggression": f"{d.aggression:g}", "noise": f"{d.noise:g}",
                    "iterations": str(d.iterations), "seed": str(d.seed)}
        self.activation_combo = QComboBox()
        self.activation_combo.addItems(["logistic", "tanh", "relu"])
        self.activation_combo.setToolTip("The hidden layers' activation (the output layer "
                                          "stays logistic, so it draws inside the square)")
        self.activation_combo.activated.connect(lambda _: self.apply_settings())
        self.form = SettingsForm(
            "Network and training",
            [(key, label, defaults[key], tip) for key, label, tip in SETTING_SPECS],
            parse_training_settings, [("Hidden activation", self.activation_combo)])
        self.form.sig_edited.connect(self.apply_settings)
        self.fields, self.settings_error = self.form.fields, self.form.error
        layout.addWidget(self.form)

        box = QGroupBox("Training")
        v = QVBoxLayout(box)
        self.playback = PlaybackBar(many=100, speeds=(10, 30, 100, 300, 1000, 3000, 0),
                                    default_speed=6, unit="iterations")
        v.addWidget(self.playback)
        new_seed = QPushButton("Reset with a new seed")
        new_seed.setToolTip("Pick the next seed and start again from fresh random weights")
        new_seed.clicked.connect(self.new_seed)
        v.addWidget(new_seed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        v.addWidget(self.status)
        self.undo_note = UndoNote()
        self.undo_note.sig_undo.connect(self.undo_reset)
        v.addWidget(self.undo_note)
        layout.addWidget(box)

        box = QGroupBox("Gradient check")
        v = QVBoxLayout(box)
        check = QPushButton("Compare backprop with finite differences")
        check.setToolTip("Nudge every parameter by ±h and compare the change in C with ∂C/∂p")
        check.clicked.connect(self.run_gradient_check)
        v.addWidget(check)
        self.check_label = QLabel("Backprop's Jacobians against central differences "
                                  "(C(p+h) − C(p−h)) / 2h, worst relative error per array.")
        self.check_label.setWordWrap(True)
        self.check_label.setTextFormat(Qt.RichText)  # our own table of numbers only
        v.addWidget(self.check_label)
        layout.addWidget(box)
        layout.addStretch(1)
        return panel

    # ---- settings and reset --------------------------------------------------------------
    def read_settings(self) -> TrainingSettings | None:
        """The typed settings, or None after showing what is wrong beside the controls."""
        settings, problem = self.form.read()
        if settings is None:
            self.sig_status.emit(f"Setting refused: {problem}")
        return settings

    @Slot()
    def apply_settings(self) -> bool:
        new = self.read_settings()
        if new is None:
            return False
        old, self.settings = self.settings, new
        if ((new.hidden, new.n, new.seed) != (old.hidden, old.n, old.seed)
                or self.log.net.hidden_activation != self.activation_combo.currentText()):
            self.reset_network()
        elif (new.aggression, new.noise) != (old.aggression, old.noise):
            self._made_with = (new, *self._made_with[1:])
            self.run.restart()  # the same network goes on with the new step settings
            self.race.restart()  # and the race, from its newest kept networks
        self._update_status()
        return True

    def _target(self) -> tuple[np.ndarray, np.ndarray]:
        n = self.settings.n
        if self.curve_name == DRAWN and self.drawn_points is not None:
            return resample_curve(self.drawn_points, n)
        return CURVES[self.curve_name](n)

    @Slot()
    def reset_network(self) -> None:
        """Stop, and start again from fresh weights drawn with the seed."""
        self.run.reset()  # -> _on_cleared

    def _on_cleared(self) -> None:
        old = self.log
        if old is not None and old.iteration > 0 and self._made_with is not None:
            # A trained network is about to go: kept, so that Undo brings it back.
            self._set_aside = self._state(*self._made_with)
            self.undo_note.offer(f"The network trained for {old.iteration:,} iterations "
                                 f"(cost {fmt(old.last_cost)}) was set aside.")
        self.settings = self.read_settings() or self.settings
        s = self.settings
        self._made_with = (s, self.curve_name, self.drawn_points)
        self.x, self.y = self._target()
        self.log = TrainingLog(Network((1, *s.hidden, 2), seed=s.seed,
                                       hidden_activation=self.activation_combo.currentText()),
                               self.x, self.y)
        self.square.clear_trail()
        self.square.final_item.setData([], [])
        self.square.target_item.setData(self.y[0], self.y[1])
        self.example = min(self.example, s.n - 1)
        self.walk.set_examples(s.n, self.example)
        self._draw_state()
        if getattr(self, "race", None) is not None:
            self.race.reset()  # a new network, curve or seed: a new race too

    @Slot()
    def new_seed(self) -> None:
        self.fields["seed"].setText(str((self.settings.seed + 1) % (2**32)))
        self.reset_network()

    def _on_curve_chosen(self, index: int) -> None:
        name = self.curve_combo.itemText(index)
        if name == DRAWN and self.drawn_points is None:
            self.draw_button.setChecked(True)
            return
        self.curve_name = name
        self.reset_network()

    # ---- drawing a curve -----------------------------------------------------------------
    def _on_draw_toggled(self, on: bool) -> None:
        self.curve_message.setVisible(on)
        self.curve_message.setStyleSheet("")
        self.curve_message.setText("Drag on the square to draw a curve, in one stroke.")

    def _on_draw_drag(self, x: float, y: float, phase: int) -> None:
        if not self.draw_button.isChecked():
            return
        if phase == 0:
            self.run.stop()
            self._drawing = []
        self._drawing.append((min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)))
        pts = np.array(self._drawing)
        self.square.drawing_item.setData(pts[:, 0], pts[:, 1])
        if phase == 2:
            self.accept_drawing(pts)

    def accept_drawing(self, points: np.ndarray) -> bool:
        """Use a drawn polyline (M, 2) in the unit square as the target; False if refused."""
        self.square.drawing_item.setData([], [])
        try:
            resample_curve(points, self.settings.n)
        except ValueError as exc:
            self.curve_message.setStyleSheet(ERROR_STYLE)
            self.curve_message.setText(f"⚠ {exc}. The previous target stays.")
            self.curve_message.setVisible(True)
            return False
        self.drawn_points = np.asarray(points, dtype=float)
        self.curve_name = DRAWN
        self.curve_combo.setCurrentText(DRAWN)
        self.draw_button.setChecked(False)
        self.curve_message.setVisible(False)
        self.reset_network()
        self.sig_status.emit("Your curve is the new target: press Play to train")
        return True

    # ---- training ------------------------------------------------------------------------
    def _blocked(self, last) -> str | None:
        if self.log.iteration >= self.settings.iterations:
            return "The iteration target is reached: raise Iterations to train on"
        return None

    def _job(self, last) -> dict:
        """The job for the training process: go on from ``net`` at ``iteration``."""
        s, start = self.settings, self.log.iteration
        self.square.final_item.setData([], [])
        return job_spec(self.log.net, self.x, self.y, s.iterations - start, s.aggression,
                        s.noise, seed=s.noise_seed(start), snapshot_every=TRAIL_EVERY,
                        start_iteration=start)

    def _on_run_state(self, state: RunState) -> None:
        if state == RunState.PAUSED and self.run.active:
            # The run is suspended and has sent its network exactly at the last record.
            self.log.adopt(self.worker.model)
            self._draw_state()

    def _on_run_finished(self, kind: FinishKind, message: str) -> None:
        if kind in (FinishKind.DONE, FinishKind.DIVERGED):
            # train() never applies a non-finite update: the network is its last good state.
            self.log.adopt(self.worker.model)
        elif kind == FinishKind.ERROR:
            self._rewind_to_screen()  # the process is gone: go on from what it last sent
        super()._on_run_finished(kind, message)
        if kind == FinishKind.ERROR:
            self.run_status.say(f"⚠ Training stopped: {message}. Nothing up to iteration "
                                f"{self.log.iteration:,} is lost: press Play to go on from "
                                "there.", ERROR_STYLE)
        elif kind == FinishKind.DONE:
            out = self.log.view_net.forward(self.x)
            self.square.final_item.setData(out[0], out[1])
            self.sig_status.emit(f"Trained {self.log.iteration:,} iterations: cost "
                                 f"{fmt(self.log.last_cost)}")
        self._draw_state()

    def _done_text(self, last) -> Verdict:
        text, style = self._status_text()
        return Verdict(text, Level.WARNING if style else Level.INFO)

    def _rewind_to_screen(self) -> None:
        self.log.rewind_to_view()
        self.square.forget_drawn_trail()
        self._draw_state()

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        self.log.feed(records)
        self._draw_state(full=False)

    # ---- the race of seeds --------------------------------------------------------------
    def race_seeds(self) -> list[int]:
        return [self.settings.seed + k for k in range(RACE_SEEDS)]

    @Slot()
    def start_race(self) -> None:
        """Show the race page and start (or resume) the race."""
        self.pages.setCurrentIndex(1)
        self.race.play()

    def _race_blocked(self, _last) -> str | None:
        last = self.race_log.record()  # the row shown: a branch goes on from there
        if last is not None and last.iteration >= self.settings.iterations:
            return "The race is over: press Reset to race again (or raise Iterations)"
        return None

    def _race_job(self, last) -> dict:
        """The race from the eight first networks, or from the newest kept networks at
        or before ``last`` (a branch from the history, or a race stopped by leaving the
        tab): network k follows exactly the single run with seed ``seed + k``."""
        s = self.settings
        seeds = self.race_seeds()
        start, parameters = 0, None
        kept = self.race_log.snapshot() if last is not None else None
        if kept is not None:  # the run's first record will be the one kept: it goes here
            start, parameters = kept
            self.race_log.start_from(start)
        else:
            self.race_log.clear()
        noise_seeds = [replace(s, seed=seed).noise_seed(start) for seed in seeds]
        return race_spec((1, *s.hidden, 2), self.activation_combo.currentText(), seeds,
                         self.x, self.y, s.iterations - start, s.aggression, s.noise,
                         snapshot_every=TRAIL_EVERY, parameters=parameters,
                         start_iteration=start, noise_seeds=noise_seeds)

    def _on_race_cleared(self) -> None:
        self.race_log.clear()
        self._race_scratch = self._race_drawn = None
        self.race_views.set_seeds(self.race_seeds(), self.y)
        self.race_views.clear()
        self.race_views.summary.setText(
            f"Race {RACE_SEEDS} seeds: seeds {self.race_seeds()[0]} to "
            f"{self.race_seeds()[-1]}, each the network the single run would train from "
            "that seed. Press Play here, or 8.")
        self.race_views.summary.setStyleSheet("")

    @Slot(object)
    def _on_race_records(self, batch: tuple) -> None:
        self.race_log.extend(batch)
        if not self.race.scrubbed:
            self._draw_race()

    def _on_race_finished(self, kind: FinishKind, message: str) -> None:
        if kind in (FinishKind.ERROR, FinishKind.DIVERGED):
            self.race_views.summary.setText("⚠ " + message)
            self.race_views.summary.setStyleSheet(ERROR_STYLE)
        else:
            self._draw_race()

    def _draw_race(self) -> None:
        """The race as the history row shows it (a frame's work bounded however long the
        race has run: the cost lines are thinned to RACE_DRAWN points)."""
        last = self.race_log.record()
        if last is None:
            self.race_views.clear()
            return
        summary = race_summary(last)
        final = last.iteration >= self.settings.iterations
        marked = set(summary.diverged) | (set(summary.stuck) if final else set())
        self.race_views.draw_costs(*self.race_log.drawn(RACE_DRAWN), marked,
                                   self.settings.iterations)
        kept = self.race_log.snapshot()
        curves = None if kept is None else self._race_curves(kept[1])
        self.race_views.draw_networks(curves, summary, last.costs, final)
        self.race_views.summary.setStyleSheet("")

    def _race_curves(self, parameters: np.ndarray) -> np.ndarray:
        """Every racing network's curve, networks × 2 × RACE_POINTS (worked out again
        only for new kept networks: frames between snapshots reuse them)."""
        drawn = self._race_drawn
        if drawn is not None and drawn[0] is parameters:
            return drawn[1]
        s = self.settings
        sizes = (1, *s.hidden, 2)
        scratch = self._race_scratch
        if scratch is None or scratch.sizes != sizes or scratch.count != len(parameters):
            scratch = self._race_scratch = Ensemble(
                sizes, self.race_seeds(), self.activation_combo.currentText())
        scratch.parameters[:] = parameters
        t = np.linspace(0.0, 1.0, RACE_POINTS).reshape(1, -1)
        with np.errstate(all="ignore"):
            curves = scratch.forward(t)
        self._race_drawn = (parameters, curves)
        return curves

    def run_table(self) -> tuple[list[str], list[list]]:
        """The cost at every kept iteration (thinned evenly past 20,000), up to the
        network shown."""
        history = self.log.shown_history
        return ["iteration", "cost"], [[int(it), float(c)] for it, c in history]

    def _on_records(self, batch: tuple) -> None:
        self._on_batch(batch)  # the log keeps every record, whatever the history shows

    def _on_scrubbed(self) -> None:
        self.square.final_item.setData([], [])
        self._draw_state()

    # ---- drawing the state ---------------------------------------------------------------
    def _draw_state(self, full: bool = True) -> None:
        log = self.log
        out = log.view_net.forward(self.x)
        self.square.current_item.setData(out[0], out[1])
        self.square.draw_trail(log.shown_trail)
        self.cost_view.show(log.shown_history, self.settings.iterations)
        self.playback.set_progress(log.view_iteration, self.settings.iterations)
        self.run.update_history()
        self._update_status()
        # The walk through one example is for a stopped network: while a run goes only
        # the diagram follows, at 4 Hz (no one reads it faster), and the matrices are
        # rebuilt whenever the run stops.
        now = time.monotonic()
        if full:
            self._show_stage()
        elif now - self._stage_drawn_at > 0.25:
            self._stage_drawn_at = now
            self._show_diagram()

    def _status_text(self) -> tuple[str, str]:
        log = self.log
        if log.position is not None:
            return (f"History: the network at iteration {log.view_iteration:,} "
                    f"(training reached {log.iteration:,})\n"
                    f"Cost C = {fmt(log.view_net.cost(self.x, self.y))}\n"
                    "Play or Step branches from here.", "")
        settled = (self.run.state != RunState.RUNNING
                   or self.last_finish[0] == FinishKind.DONE)
        lines, warning = self.log.status(self.settings.iterations, settled)
        return "\n".join(lines), (theme.WARNING_STYLE if warning else "")

    def _update_status(self) -> None:
        if self.last_finish[0] in (FinishKind.DIVERGED, FinishKind.ERROR):
            return  # the message says what happened until the next run or reset
        self.run_status.say(*self._status_text())

    # ---- step by step --------------------------------------------------------------------
    def _stages(self):
        k = self.example
        return backprop_stages(self.log.view_net, self.x[:, k], self.y[:, k])

    @Slot(int)
    def set_example(self, k: int) -> None:
        self.example = int(k)
        self.walk.set_examples(self.settings.n, self.example)
        self._show_stage()

    def _on_curve_hover(self, scene_pos) -> None:
        if self.draw_button.isChecked() or self.log is None:
            return
        p = self.square.view_box.mapSceneToView(scene_pos)
        d = np.hypot(self.y[0] - p.x(), self.y[1] - p.y())
        k = int(np.argmin(d))
        if d[k] < 0.05 and k != self.example:
            self.set_example(k)

    def step_position(self) -> str:
        return f"stage {self.stage_index + 1} / {len(self._stages())}"

    def step_at_end(self) -> bool:
        return self.stage_index >= len(self._stages()) - 1

    @Slot()
    def next_stage(self) -> None:
        self.stage_index = min(self.stage_index + 1, len(self._stages()) - 1)
        self._show_stage()

    @Slot()
    def previous_stage(self) -> None:
        self.stage_index = max(self.stage_index - 1, 0)
        self._show_stage()

    def _show_stage(self) -> None:
        stages = self._stages()
        self.stage_index = min(self.stage_index, len(stages) - 1)
        stage = stages[self.stage_index]
        self.walk.show_stage(stage, self.stage_index, len(stages),
                             f"{self.example / self.settings.n:.2f}")
        self._show_diagram(stage)

    def _show_diagram(self, stage=None) -> None:
        """The diagram and the chosen example's points, for the network on screen; δ is
        shown once the backward pass of ``stage`` has reached a layer."""
        k = self.example
        zs, acts = self.log.view_net.forward_all(self.x[:, k:k + 1])
        deltas_all = self.log.view_net.deltas(zs, acts, self.y[:, k:k + 1])
        shown = [None] * len(acts)
        if stage is not None and stage.phase == "backward":
            for layer in range(stage.layer, len(acts)):
                shown[layer] = deltas_all[layer]
        self.diagram.set_state(self.log.view_net.sizes, self.log.view_net.weights, acts, shown,
                               caption=f"t = {k / self.settings.n:.2f}: output "
                                       f"({acts[-1][0, 0]:.3f}, {acts[-1][1, 0]:.3f}), "
                                       f"target ({self.y[0, k]:.3f}, {self.y[1, k]:.3f})")
        self.square.example_item.setData(
            [self.y[0, k], acts[-1][0, 0]], [self.y[1, k], acts[-1][1, 0]],
            brush=[pg.mkBrush(*theme.TARGET), pg.mkBrush(*theme.DOWNHILL)])

    # ---- gradient check ------------------------------------------------------------------
    @Slot()
    def run_gradient_check(self) -> list[tuple[str, float]]:
        n = min(self.settings.n, 20)
        result = gradient_check(self.log.view_net, self.x[:, :n], self.y[:, :n])
        rows = "".join(
            f"<tr><td><b>∂C/∂{name}</b></td><td>{err:.1e}</td>"
            f"<td style='color:{theme.GOOD_HEX if err < 1e-5 else theme.ERROR_HEX}'>"
            f"{'✓ agrees' if err < 1e-5 else '✗ differs'}</td></tr>"
            for name, err in result)
        self.check_label.setText(
            f"On the first {n} examples, h = 1e-4:<table cellspacing=6>{rows}</table>")
        return result

    PLACES = ("settings", "curve", "network", "cost", "walk", "race")
    OBSERVABLES = {"iteration": "the iterations trained", "cost": "the cost C now"}

    def observe(self) -> dict[str, float | bool]:
        if self.log is None:
            return {}
        return {"iteration": float(self.log.iteration), "cost": float(self.log.last_cost)}

    def places(self) -> dict[str, QWidget]:
        return {"settings": self.fields["seed"].parentWidget(), "curve": self.square.plot,
                "network": self.diagram, "cost": self.cost_view.plot, "walk": self.walk,
                "race": self.race_views}

    #: A lesson may hide these; none is hidden unless a step names it (the questions of
    #: this tab are answered from the picture of the network itself).
    SPOILERS = ("network", "walk", "cost")
    DEFAULT_SPOILERS = ()

    def spoiler_parts(self) -> dict[str, list]:
        return {"network": [self.diagram], "walk": [self.walk],
                "cost": [self.cost_view.plot, self.status]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> BackpropState:
        return self._state(self.settings, self.curve_name, self.drawn_points)

    def _state(self, s: TrainingSettings, curve: str, drawn: np.ndarray | None
               ) -> BackpropState:
        """The network on screen with what it was made with (its own activation)."""
        return BackpropState(
            curve, None if drawn is None else tuple(map(tuple, drawn)),
            s.hidden, s.n, s.aggression, s.noise, s.iterations, s.seed,
            self.log.net.hidden_activation, example=self.example,
            stage=self.stage_index, **self.log.saved())

    @Slot()
    def undo_reset(self) -> bool:
        """Bring back the trained network the last change set aside (the one on screen
        is set aside in its turn, if it was trained); False if there is none."""
        state, self._set_aside = self._set_aside, None
        self.undo_note.clear()
        if state is None:
            self.sig_status.emit("Nothing to undo: no trained network was set aside")
            return False
        self.apply_state(state)
        self.sig_status.emit(f"The network trained for {state.iteration:,} iterations is "
                             "back")
        return True

    def restore(self, state: BackpropState) -> None:
        self.form.set_texts({"hidden": " ".join(map(str, state.hidden)), "n": state.n,
                             "aggression": f"{state.aggression:g}",
                             "noise": f"{state.noise:g}", "iterations": state.iterations,
                             "seed": state.seed})
        self.activation_combo.setCurrentText(state.activation)
        self.drawn_points = None if state.drawn is None else np.array(state.drawn)
        self.curve_name = state.curve
        self.curve_combo.setCurrentText(state.curve)
        self.example, self.stage_index = min(state.example, state.n - 1), state.stage
        self.reset_network()
        if state.parameters is not None:
            self.log.reopen(state.iteration, state.parameters, state.costs, state.trail)
            self._draw_state()

    def demo_state(self) -> BackpropState:
        """The tab as a learner first meets it, trained to the end (the course's settings
        and the default seed), walking example 30 backwards at δ²."""
        s = TrainingSettings()
        log = trained_log(s, *CURVES[next(iter(CURVES))](s.n))
        return BackpropState(example=30, stage=12, **log.saved())
