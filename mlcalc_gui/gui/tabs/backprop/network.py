"""The Backpropagation tab's first page: one network learning to draw a curve, with its
cost, its diagram, a step-by-step walk through one example's forward and backward pass,
and a gradient check.

Training runs in a process of its own (:data:`TRAINING_SERVICE`) under the page's run;
the page keeps the network training starts from (``log.net``, brought up to date at
every stop), the network on screen (``log.view_net``), and bounded histories of the
cost and the trail.  The target and the settings are the tab's (both pages train on
them)."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QGridLayout, QGroupBox, QPushButton, QVBoxLayout, QWidget

from mlcalc_gui.core.network import (
    Network,
    TrainingSettings,
    backprop_stages,
    gradient_check,
)
from mlcalc_gui.core.runner import FinishKind, RunState
from mlcalc_gui.core.states import BackpropState
from mlcalc_gui.core.training_log import TRAIL_EVERY, TrainingLog
from mlcalc_gui.core.training_process import TRAINING_SERVICE, job_spec
from mlcalc_gui.core.verdict import Level, Verdict
from mlcalc_gui.gui import scale, theme
from mlcalc_gui.gui.kit.page import Page
from mlcalc_gui.gui.kit.widgets import UndoNote, titled
from mlcalc_gui.gui.panels.stage_walk import StageWalk
from mlcalc_gui.gui.panels.training_views import CostView, UnitSquare
from mlcalc_gui.gui.theme import ERROR_STYLE
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.network_view import NetworkDiagram
from mlcalc_gui.gui.widgets.steady import WrappedLabel

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


class NetworkPage(Page):
    """``log`` (a :class:`TrainingLog`) holds where training is; the page shows it."""

    key = "network"
    title = "One network"
    tip = "One network trained with the settings on the left"
    explanation = EXPLANATION
    speeds = (10, 30, 100, 300, 1000, 3000, 0)
    default_speed = 6
    unit = "iterations"
    many = 100
    run_title = "Training"
    DIVERGED_HINT = ("The last good network is kept: lower the aggression and press Play, "
                     "or Reset.")
    PLACES = ("settings", "curve", "network", "cost", "walk")
    SPOILERS = ("network", "walk", "cost")
    OBSERVABLES = {"iteration": "the iterations trained", "cost": "the cost C now"}

    def __init__(self, host):
        super().__init__(host)
        self.log: TrainingLog | None = None
        self._stage_drawn_at = 0.0
        self.stage_index = 0
        self._drawing: list[tuple[float, float]] = []
        #: What the network on screen was made with: (settings, curve, drawn points).
        self._made_with: tuple[TrainingSettings, str, np.ndarray | None] | None = None
        #: A trained network a change threw away, as a state Undo restores.
        self._set_aside: BackpropState | None = None

    # ---- layout --------------------------------------------------------------------------
    def build_panel(self) -> None:
        return None

    def run_extras(self) -> list[QWidget]:
        new_seed = QPushButton("Reset with a new seed")
        new_seed.setToolTip("Pick the next seed and start again from fresh random weights")
        new_seed.clicked.connect(self.host.new_seed)
        self.undo_note = UndoNote()
        self.undo_note.sig_undo.connect(self.undo_reset)
        return [new_seed, self.undo_note]

    def build_footer(self) -> QWidget:
        box = QGroupBox("Gradient check")
        v = QVBoxLayout(box)
        check = QPushButton("Compare backprop with finite differences")
        check.setToolTip("Nudge every parameter by ±h and compare the change in C with ∂C/∂p")
        check.clicked.connect(self.run_gradient_check)
        v.addWidget(check)
        self.check_label = WrappedLabel("Backprop's Jacobians against central differences "
                                  "(C(p+h) − C(p−h)) / 2h, worst relative error per array.")
        self.check_label.setTextFormat(Qt.RichText)  # our own table of numbers only
        v.addWidget(self.check_label)
        return box

    def run_options(self) -> dict:
        return {"frame_interval": 1 / 30, "service": TRAINING_SERVICE, "keep_all": False,
                "repeats_start": True, "on_stop": self._rewind_to_screen,
                "timeline": lambda: self.log}

    def build(self) -> tuple[QWidget, QWidget]:
        panel, views = super().build()
        self.status = self.run_label
        scale.set_relative_font(self.status, 1.15)
        self.run.sig_state.connect(self._on_run_state)
        return panel, views

    def build_views(self) -> QWidget:
        self.square = UnitSquare()
        self.square.view_box.sig_drag.connect(self._on_draw_drag)
        self.square.plot.scene().sigMouseMoved.connect(self._on_curve_hover)
        self.square.plot.setToolTip("Hover the target to choose t; with ✎ on, drag to draw")
        self.cost_view = CostView()
        self.diagram = NetworkDiagram()
        self.walk = StageWalk()
        self.binder.bind("example", self.walk.example_slider, lambda _: self._show_stage())
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
        return right

    @property
    def settings(self) -> TrainingSettings:
        return self.host.settings

    @property
    def x(self) -> np.ndarray:
        return self.host.x

    @property
    def y(self) -> np.ndarray:
        return self.host.y

    # ---- a fresh network, and new step settings ------------------------------------------
    def settings_changed(self, new: TrainingSettings) -> None:
        """The aggression or the noise changed: the same network goes on with them."""
        self._made_with = (new, *self._made_with[1:])
        self.run.restart()

    def _on_cleared(self) -> None:
        old = self.log
        if old is not None and old.iteration > 0 and self._made_with is not None:
            # A trained network is about to go: kept, so that Undo brings it back.
            self._set_aside = self.state(*self._made_with)
            self.undo_note.offer(f"The network trained for {old.iteration:,} iterations "
                                 f"(cost {fmt(old.last_cost)}) was set aside.")
        host = self.host
        s = host.renew()
        self._made_with = (s, host.curve_name, host.drawn_points)
        self.log = TrainingLog(Network((1, *s.hidden, 2), seed=s.seed,
                                       hidden_activation=host.activation), self.x, self.y)
        self.square.clear_trail()
        self.square.final_item.setData([], [])
        self.square.target_item.setData(self.y[0], self.y[1])
        self._show_examples(s.n, min(self.example, s.n - 1))
        self._draw_state()

    # ---- drawing a curve (the tab's draw button says when) ---------------------------------
    def _on_draw_drag(self, x: float, y: float, phase: int) -> None:
        if not self.host.draw_button.isChecked():
            return
        if phase == 0:
            self.run.stop()
            self._drawing = []
        self._drawing.append((min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)))
        pts = np.array(self._drawing)
        self.square.drawing_item.setData(pts[:, 0], pts[:, 1])
        if phase == 2:
            self.host.accept_drawing(pts)

    # ---- training ------------------------------------------------------------------------
    def blocked(self, last) -> str | None:
        if self.log.iteration >= self.settings.iterations:
            return "The iteration target is reached: raise Iterations to train on"
        return None

    def make_run(self, last) -> dict:
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
        self.update_status()
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

    def update_status(self) -> None:
        if self.last_finish[0] in (FinishKind.DIVERGED, FinishKind.ERROR):
            return  # the message says what happened until the next run or reset
        self.run_status.say(*self._status_text())

    # ---- step by step --------------------------------------------------------------------
    def _stages(self):
        k = self.example
        return backprop_stages(self.log.view_net, self.x[:, k], self.y[:, k])

    @property
    def example(self) -> int:
        """The training example the walk follows (its slider shows it)."""
        return self.binder["example"]

    def _show_examples(self, count: int, current: int) -> None:
        """``count`` examples to choose from, ``current`` chosen."""
        self.binder.configure("example", lambda slider: slider.setRange(0, count - 1))
        self.binder.set(example=current)

    @Slot(int)
    def set_example(self, k: int) -> None:
        self.binder.set(example=int(k))
        self._show_stage()

    def _on_curve_hover(self, scene_pos) -> None:
        if self.host.draw_button.isChecked() or self.log is None:
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

    def observe(self) -> dict[str, float | bool]:
        if self.log is None:
            return {}
        return {"iteration": float(self.log.iteration), "cost": float(self.log.last_cost)}

    def places(self) -> dict[str, QWidget]:
        return {"settings": self.host.fields["seed"].parentWidget(), "curve": self.square.plot,
                "network": self.diagram, "cost": self.cost_view.plot, "walk": self.walk}

    def spoiler_parts(self) -> dict[str, list]:
        return {"network": [self.diagram], "walk": [self.walk],
                "cost": [self.cost_view.plot, self.status]}

    # ---- state ---------------------------------------------------------------------------
    def state(self, s: TrainingSettings, curve: str, drawn: np.ndarray | None
              ) -> BackpropState:
        """The network on screen with what it was made with (its own activation)."""
        return BackpropState(
            curve, None if drawn is None else tuple(map(tuple, drawn)),
            s.hidden, s.n, s.aggression, s.noise, s.iterations, s.seed,
            self.log.net.hidden_activation, example=self.example,
            stage=self.stage_index, view=self.host.view, **self.log.saved())

    def capture(self) -> dict:
        return {}  # the tab's capture() is the state: the network is not a slice of it

    @Slot()
    def undo_reset(self) -> bool:
        """Bring back the trained network the last change set aside (the one on screen
        is set aside in its turn, if it was trained); False if there is none."""
        state, self._set_aside = self._set_aside, None
        self.undo_note.clear()
        if state is None:
            self.sig_status.emit("Nothing to undo: no trained network was set aside")
            return False
        self.host.apply_state(state)
        self.sig_status.emit(f"The network trained for {state.iteration:,} iterations is "
                             "back")
        return True

    def restore(self, state: BackpropState) -> None:
        """A fresh network from the tab's restored settings, then the one saved."""
        self._show_examples(state.n, min(state.example, state.n - 1))
        self.stage_index = state.stage
        self.host.reset_network()
        if state.parameters is not None:
            self.log.reopen(state.iteration, state.parameters, state.costs, state.trail)
            self._draw_state()
