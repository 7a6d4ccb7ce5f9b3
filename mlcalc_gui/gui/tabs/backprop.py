"""The Backpropagation tab: a network learns to draw a curve (the course's first
assignment), with its cost, its diagram, a step-by-step walk through one example's
forward and backward pass, and a gradient check."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core.history import ThinnedHistory
from mlcalc_gui.core.network import (
    CURVES,
    Network,
    PlateauWatch,
    SettingsError,
    TrainingSettings,
    backprop_stages,
    gradient_check,
    parse_training_settings,
    resample_curve,
    train,
)
from mlcalc_gui.core.runner import RunState
from mlcalc_gui.core.states import DRAWN_CURVE, BackpropState
from mlcalc_gui.core.training_process import TRAINING_SERVICE, job_spec
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.panels.plots import pointer_plot, teaching_plot
from mlcalc_gui.gui.tab_base import (
    ERROR_STYLE,
    Shortcut,
    TutorTab,
    error_label,
    panel_column,
    playback_shortcuts,
    titled,
)
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.network_view import MatrixView, NetworkDiagram
from mlcalc_gui.gui.widgets.playback import PlaybackBar

TRAIL_EVERY = 100  # iterations between trail curves, as in the course
TRAIL_GROUP = 10  # trail curves per plot item (alpha accumulates between items)
TRAIL_MAX = 100  # trail curves shown: the course's 10k iterations; longer runs thin evenly
COST_MAX = 20_000  # cost points kept; more than a screen can show, and memory is bounded
DRAWN = DRAWN_CURVE
STATUS_STYLE = "font-size: 12pt;"

EXPLANATION = """
<p>The network takes one number <b>t</b> (how far along the curve) and outputs a point
<b>(x, y)</b>. Each layer computes <b>z = W a + b</b>, then <b>a = σ(z)</b>. Training
lowers the cost C = mean |a³ − y|² by moving every weight and bias against its Jacobian
∂C/∂W, ∂C/∂b, which <b>backpropagation</b> gets from the chain rule, layer by layer
from the output back: δ³ = 2(a³ − y)∘σ′(z³), δ² = (W³)ᵀδ³∘σ′(z²), …</p>
<p><span style="color:rgb(26,152,80)"><b>Green</b></span>: the target.
<span style="color:rgb(33,102,172)"><b>Blue</b></span>: the network now.
<span style="color:rgb(200,0,200)"><b>Magenta</b></span>: every 100 iterations.
<span style="color:rgb(240,110,0)"><b>Orange</b></span>: the final curve.
Press <b>Play</b> (Space); walk one example through with <b>[</b> and <b>]</b>.</p>
"""


class BackpropTab(TutorTab):
    title = "Backpropagation"
    State = BackpropState
    shortcuts = (*playback_shortcuts(many=True),
                 Shortcut("[", "previous stage of the walk through one example",
                          "previous_stage"),
                 Shortcut("]", "next stage of the walk through one example", "next_stage"),
                 Shortcut("D", "draw your own curve", "draw_button.toggle"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.settings = TrainingSettings()
        self.curve_name = next(iter(CURVES))
        self.drawn_points: np.ndarray | None = None
        self.net: Network | None = None  # where training starts from; synced at each stop
        self.view_net: Network | None = None  # the network on screen, from a snapshot
        self.iteration = 0
        self.view_iteration = 0  # the iteration view_net shows
        self.history = ThinnedHistory(COST_MAX)  # (iteration, cost)
        self.watch = PlateauWatch()  # is the run stuck? where is it, noise aside?
        self.trail = ThinnedHistory(TRAIL_MAX)  # (iteration, curve of shape (2, N))
        self.start_cost = float("nan")
        self.last_cost = float("nan")  # every record's, even when the history skips it
        self._trail_drawn = (-1, 0)  # (generation, curves) last drawn
        self._stage_drawn_at = 0.0
        self.last_finish: tuple[str, str] = ("", "")
        self.stage_index = 0
        self.example = 0
        self._drawing: list[tuple[float, float]] = []

    # ---- layout --------------------------------------------------------------------------
    def build(self) -> None:
        self.worker = self.make_worker(self._on_batch, self._on_worker_state, self._on_finished,
                                       frame_interval=1 / 30, service=TRAINING_SERVICE)
        panel = self._build_panel()
        right = QWidget()
        grid = QGridLayout(right)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self._build_curve_view(), 0, 0)
        self.diagram = NetworkDiagram()
        grid.addWidget(titled(self.diagram, "The network for the chosen t"), 0, 1)
        grid.addWidget(self._build_cost_view(), 1, 0)
        grid.addWidget(self._build_stepper(), 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        self.set_main_layout(panel, right, 370)

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
        self.curve_message.setWordWrap(True)
        self.curve_message.setStyleSheet(f"color:{theme.ERROR_HEX};")
        self.curve_message.setVisible(False)
        v.addWidget(self.curve_message)
        layout.addWidget(box)

        box = QGroupBox("Network and training")
        form = QFormLayout(box)
        self.fields: dict[str, QLineEdit] = {}
        d = TrainingSettings()
        specs = [
            ("hidden", "Hidden layers", " ".join(map(str, d.hidden)),
             "Neurons in each hidden layer, e.g. '6 7' (the course's) or '12'"),
            ("n", "Training points N", str(d.n), "How many points of the curve to learn from"),
            ("aggression", "Aggression", f"{d.aggression:g}",
             "The step size: parameter -= aggression × Jacobian (the course uses 7)"),
            ("noise", "Noise", f"{d.noise:g}",
             "Each Jacobian is multiplied by (1 + noise × ξ), ξ ~ N(0, 1)"),
            ("iterations", "Iterations", str(d.iterations), "Train up to this many iterations"),
            ("seed", "Seed", str(d.seed),
             "The random seed for the initial weights and the noise: the same seed gives "
             "the same run on this computer"),
        ]
        for key, label, default, tip in specs:
            edit = QLineEdit(default)
            edit.setToolTip(tip)
            edit.editingFinished.connect(self.apply_settings)
            self.fields[key] = edit
            form.addRow(label, edit)
        self.activation_combo = QComboBox()
        self.activation_combo.addItems(["logistic", "tanh", "relu"])
        self.activation_combo.setToolTip("The hidden layers' activation (the output layer "
                                          "stays logistic, so it draws inside the square)")
        self.activation_combo.activated.connect(lambda _: self.apply_settings(force=True))
        form.addRow("Hidden activation", self.activation_combo)
        self.settings_error = error_label()
        form.addRow(self.settings_error)
        layout.addWidget(box)

        box = QGroupBox("Training")
        v = QVBoxLayout(box)
        self.playback = PlaybackBar(many=100, speeds=(10, 30, 100, 300, 1000, 3000, 0),
                                    default_speed=6, unit="iterations")
        self.playback.sig_play.connect(self.play)
        self.playback.sig_pause.connect(self.pause)
        self.playback.sig_step.connect(self.step)
        self.playback.sig_reset.connect(self.reset_network)
        self.playback.sig_speed.connect(lambda v: self.worker.set_rate(v or None))
        v.addWidget(self.playback)
        new_seed = QPushButton("Reset with a new seed")
        new_seed.setToolTip("Pick the next seed and start again from fresh random weights")
        new_seed.clicked.connect(self.new_seed)
        v.addWidget(new_seed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(STATUS_STYLE)
        v.addWidget(self.status)
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
        self.check_label.setTextFormat(Qt.RichText)
        v.addWidget(self.check_label)
        layout.addWidget(box)
        layout.addStretch(1)
        return panel

    def _build_curve_view(self) -> QWidget:
        # No grid: the square's frame is the reference.  The square never moves (no
        # auto range): otherwise every new curve would nudge the range and invalidate
        # every cached drawing in the view, the whole trail included.
        self.curve_plot, self.curve_vb = pointer_plot(grid=False, lock_aspect=True)
        plot = self.curve_plot.getPlotItem()
        plot.setXRange(0, 1, padding=0.02)
        plot.setYRange(0, 1, padding=0.02)
        plot.addItem(pg.PlotDataItem([0, 1, 1, 0, 0], [0, 0, 1, 1, 0],
                                     pen=pg.mkPen((150, 150, 150), width=1)))
        self.trail_items: list[pg.PlotDataItem] = []
        self.target_item = pg.PlotDataItem(pen=theme.mkpen(theme.TARGET, 3),
                                           symbol="o", symbolSize=4, symbolBrush=theme.TARGET,
                                           symbolPen=None)
        self.current_item = pg.PlotDataItem(pen=theme.mkpen(theme.DOWNHILL, 2.5))
        self.final_item = pg.PlotDataItem(pen=theme.mkpen(theme.PATH, 3.5))
        self.drawing_item = pg.PlotDataItem(pen=theme.mkpen((60, 60, 60), 2))
        self.example_item = pg.ScatterPlotItem(size=13, pen=pg.mkPen("k", width=1.5))
        for item in (self.target_item, self.current_item, self.final_item, self.drawing_item,
                     self.example_item):
            plot.addItem(item)
        self.curve_vb.sig_drag.connect(self._on_draw_drag)
        self.curve_plot.scene().sigMouseMoved.connect(self._on_curve_hover)
        self.curve_plot.setToolTip("Hover the target to choose t; with ✎ on, drag to draw")
        return titled(self.curve_plot, "The unit square: target and network curves")

    def _build_cost_view(self) -> QWidget:
        self.cost_plot = teaching_plot("iteration", "cost C", font_pt=10, grid=False,
                                       log_y=True)
        plot = self.cost_plot.getPlotItem()
        self.cost_curve = plot.plot(pen=theme.mkpen(theme.PATH, 1.5), antialias=False)
        self.cost_curve.setDownsampling(auto=True, method="peak")
        plot.disableAutoRange()
        self.cost_curve.setClipToView(True)
        return titled(self.cost_plot, "Cost against iteration (log scale)")

    def _build_stepper(self) -> QWidget:
        box = QGroupBox("Step by step: one example through the network")
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel("Example t ="))
        self.example_slider = QSlider(Qt.Horizontal)
        self.example_slider.setToolTip("Which training example to follow (or hover the curve)")
        self.example_slider.valueChanged.connect(self.set_example)
        self.example_label = QLabel()
        self.example_label.setMinimumWidth(50)
        row.addWidget(self.example_slider, 1)
        row.addWidget(self.example_label)
        v.addLayout(row)
        row = QHBoxLayout()
        self.prev_button = QPushButton("◀ Previous")
        self.prev_button.setToolTip("The previous stage ([)")
        self.prev_button.clicked.connect(self.previous_stage)
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("The next stage (])")
        self.next_button.clicked.connect(self.next_stage)
        self.stage_label = QLabel()
        self.stage_label.setStyleSheet("font-size: 12pt; font-weight: bold;")
        row.addWidget(self.prev_button)
        row.addWidget(self.stage_label, 1, Qt.AlignCenter)
        row.addWidget(self.next_button)
        v.addLayout(row)
        self.formula_label = QLabel()
        self.formula_label.setStyleSheet("font-size: 13pt;")
        self.formula_label.setAlignment(Qt.AlignCenter)
        self.formula_label.setWordWrap(True)
        v.addWidget(self.formula_label)
        self.matrix_row = QHBoxLayout()
        self.matrix_row.setSpacing(4)
        holder = QWidget()
        holder.setLayout(self.matrix_row)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        v.addWidget(scroll, 1)
        self.matrix_views: list[MatrixView] = []
        self.operator_labels: list[QLabel] = []
        return box

    # ---- settings and reset --------------------------------------------------------------
    def read_settings(self) -> TrainingSettings | None:
        """The typed settings, or None after showing what is wrong beside the controls."""
        for edit in self.fields.values():
            edit.setStyleSheet("")
        try:
            settings = parse_training_settings(**{k: e.text() for k, e in self.fields.items()})
        except SettingsError as exc:
            self.fields[exc.field].setStyleSheet(theme.INPUT_ERROR_STYLE)
            self.settings_error.setText(f"⚠ {exc}. The previous settings stay in use.")
            self.settings_error.setVisible(True)
            self.sig_status.emit(f"Setting refused: {exc}")
            return None
        self.settings_error.setVisible(False)
        return settings

    @Slot()
    def apply_settings(self, force: bool = False) -> bool:
        new = self.read_settings()
        if new is None:
            return False
        old = self.settings
        self.settings = new
        structural = (new.hidden, new.n, new.seed) != (old.hidden, old.n, old.seed)
        activation_changed = self.net is not None and (
            self.net.hidden_activation != self.activation_combo.currentText())
        if structural or activation_changed or (force and activation_changed):
            self.reset_network()
        elif (new.aggression, new.noise) != (old.aggression, old.noise) and self.worker.has_run():
            # Continue the same network with the new step settings.
            was_running = self.worker.state == "running"
            self._stop_and_sync()
            self._start(paused=not was_running)
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
        self.worker.cancel()
        settings = self.read_settings() or self.settings
        self.settings = settings
        sizes = (1, *settings.hidden, 2)
        self.net = Network(sizes, seed=settings.seed,
                           hidden_activation=self.activation_combo.currentText())
        self.view_net = self.net.copy()
        self.x, self.y = self._target()
        self.iteration = 0
        self.view_iteration = 0
        self.start_cost = self.last_cost = self.net.cost(self.x, self.y)
        self.history = ThinnedHistory(COST_MAX)
        self.history.append((0, self.start_cost))
        self._watch_history()
        self.trail = ThinnedHistory(TRAIL_MAX)
        self._trail_drawn = (-1, 0)
        self.last_finish = ("", "")
        for item in self.trail_items:
            self.curve_plot.removeItem(item)
        self.trail_items = []
        self.final_item.setData([], [])
        self.target_item.setData(self.y[0], self.y[1])
        self.example_slider.blockSignals(True)
        self.example_slider.setRange(0, self.settings.n - 1)
        self.example = min(self.example, self.settings.n - 1)
        self.example_slider.setValue(self.example)
        self.example_slider.blockSignals(False)
        self.stage_index = min(self.stage_index, len(self._stages()) - 1)
        self._draw_state()

    @Slot()
    def new_seed(self) -> None:
        self.fields["seed"].setText(str(self.settings.seed + 1))
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
        self.curve_message.setStyleSheet("color:#333;")
        self.curve_message.setText("Drag on the square to draw a curve, in one stroke.")

    def _on_draw_drag(self, x: float, y: float, phase: int) -> None:
        if not self.draw_button.isChecked():
            return
        if phase == 0:
            self.worker.cancel()
            self._drawing = []
        self._drawing.append((min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)))
        pts = np.array(self._drawing)
        self.drawing_item.setData(pts[:, 0], pts[:, 1])
        if phase == 2:
            self.accept_drawing(np.array(self._drawing))

    def accept_drawing(self, points: np.ndarray) -> bool:
        """Use a drawn polyline (M, 2) in the unit square as the target; False if refused."""
        self.drawing_item.setData([], [])
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
    def _start(self, paused: bool = False) -> None:
        s = self.settings
        remaining = s.iterations - self.iteration
        job = job_spec(self.net, self.x, self.y, remaining, s.aggression, s.noise,
                       seed=s.noise_seed(self.iteration), snapshot_every=TRAIL_EVERY,
                       start_iteration=self.iteration)
        self.worker.start(job, paused=paused)

    @Slot()
    def play(self) -> None:
        if self.worker.has_run():
            self.worker.resume()
            return
        if self.iteration >= self.settings.iterations:
            self.sig_status.emit("The iteration target is reached: raise Iterations to "
                                 "train on")
            return
        self.last_finish = ("", "")
        self.final_item.setData([], [])
        self._start()

    @Slot()
    def pause(self) -> None:
        self.worker.pause()

    @Slot(int)
    def step(self, n: int = 1) -> None:
        if not self.worker.has_run():
            if self.iteration >= self.settings.iterations:
                self.sig_status.emit("The iteration target is reached: raise Iterations")
                return
            self._start(paused=True)
            n += 1  # the run's first record is the state it starts from
        self.worker.step(n)

    def _stop_and_sync(self) -> None:
        """Cancel a run and make the network agree with what is on screen."""
        if self.worker.has_run():
            self.worker.cancel()
            self.net.set_parameters(self.view_net.parameters)
            shown = self.view_iteration
            self.history.truncate(lambda item: item[0] > shown)
            self.last_cost = self.history[-1][1]
            self._watch_history()
            self.trail.truncate(lambda item: item[0] > shown)
            self._trail_drawn = (-1, 0)
            self.iteration = shown

    def _watch_history(self) -> None:
        """Watch the kept cost history afresh (after it was rewound or opened)."""
        self.watch = PlateauWatch()
        for it, cost in self.history:
            self.watch.feed(it, cost)

    def stop_work(self) -> None:
        if self.built:
            self._stop_and_sync()
            self._update_status()

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        latest = None
        for r in records:
            if r.iteration <= self.iteration:
                continue  # a new run's first record repeats the state it starts from
            self.history.append((r.iteration, r.cost))
            self.watch.feed(r.iteration, r.cost)
            self.last_cost = r.cost
            self.iteration = r.iteration
            if r.parameters is not None:
                latest = r
                if r.iteration % TRAIL_EVERY == 0 and r.iteration > 0:
                    self.view_net.set_parameters(r.parameters)
                    self.trail.append((r.iteration, self.view_net.forward(self.x)))
        if latest is not None:
            self.view_net.set_parameters(latest.parameters)
            self.view_iteration = latest.iteration
        self._draw_state(full=False)

    @Slot(str)
    def _on_worker_state(self, state: str) -> None:
        self.playback.set_running(state == "running")
        if state == "paused" and self.worker.has_run():
            # The run is suspended and has sent its network exactly at the last record.
            self._sync_from_worker()
            self._draw_state()

    @Slot(str, str)
    def _on_finished(self, kind: str, message: str) -> None:
        self.last_finish = (kind, message)
        if kind in ("diverged", "done"):
            # train() never applies a non-finite update: the network is its last good state.
            self._sync_from_worker()
        if kind == "diverged":
            self.status.setText(f"⚠ Training stopped: {message}. The last good network is "
                                "kept; lower the aggression and press Play.")
            self._set_status_style(ERROR_STYLE + STATUS_STYLE)
            self.sig_status.emit("Training diverged: " + message)
            self._draw_state()
            return
        if kind == "done":
            out = self.view_net.forward(self.x)
            self.final_item.setData(out[0], out[1])
            self.sig_status.emit(f"Trained {self.iteration:,} iterations: cost "
                                 f"{fmt(self.last_cost)}")
        elif kind == "error":
            self.status.setText("⚠ " + message)
        self._draw_state()

    def _sync_from_worker(self) -> None:
        """Take the network the run stopped at (sent by the training process)."""
        if self.worker.model is not None:
            self.net.set_parameters(self.worker.model)
        self.view_net.set_parameters(self.net.parameters)
        self.view_iteration = self.iteration

    @property
    def iterations(self) -> list[int]:
        """The iterations whose cost is kept (every one, until the history is thinned)."""
        return [it for it, _ in self.history]

    @property
    def costs(self) -> list[float]:
        return [c for _, c in self.history]

    # ---- drawing the state ---------------------------------------------------------------
    def _draw_state(self, full: bool = True) -> None:
        net = self.view_net
        out = net.forward(self.x)
        self.current_item.setData(out[0], out[1])
        self._draw_trail()
        data = self.history.array()
        self.cost_curve.setData(data[:, 0], np.maximum(data[:, 1], 1e-12))
        self._fit_cost_range(float(np.min(data[:, 1])), float(np.max(data[:, 1])))
        self.playback.set_progress(self.iteration, self.settings.iterations)
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

    def _fit_cost_range(self, low: float, high: float) -> None:
        """Fixed axes while training (a moving axis is redrawn every frame): x spans the
        iteration target; log y changes only when the cost leaves it, by a decade."""
        plot = self.cost_plot.getPlotItem()
        x_range = (0, max(self.settings.iterations, self.iteration))
        lo = np.floor(np.log10(max(low, 1e-12))) - 0.2
        hi = np.ceil(np.log10(max(high, 1e-12))) + 0.1
        wanted = (x_range, (lo, hi))
        if wanted != getattr(self, "_cost_range", None):
            self._cost_range = wanted
            plot.setXRange(*x_range, padding=0.02)
            plot.setYRange(lo, hi, padding=0)

    def _draw_trail(self) -> None:
        groups = (len(self.trail) + TRAIL_GROUP - 1) // TRAIL_GROUP
        # A cosmetic 1 px pen without antialiasing: a wide antialiased translucent stroke
        # is Qt's slowest path, and the trail is redrawn every frame while training.
        pen = pg.mkPen((200, 0, 200, 30), width=1)
        while len(self.trail_items) < groups:
            item = pg.PlotDataItem(pen=pen, connect="finite", antialias=False)
            item.setZValue(-5)
            self.curve_plot.addItem(item)
            self.trail_items.append(item)
        for item in self.trail_items[groups:]:
            item.setData([], [])
        # Only the newest group changes as training goes on, unless the trail was thinned
        # or rewound since it was last drawn.
        generation, drawn = self._trail_drawn
        first = 0 if generation != self.trail.generation or drawn > len(self.trail) else max(
            0, drawn // TRAIL_GROUP)
        self._trail_drawn = (self.trail.generation, len(self.trail))
        for g in range(first, groups):
            curves = [c for _, c in self.trail[g * TRAIL_GROUP:(g + 1) * TRAIL_GROUP]]
            xs = np.concatenate([np.append(c[0], np.nan) for c in curves])
            ys = np.concatenate([np.append(c[1], np.nan) for c in curves])
            self.trail_items[g].setData(xs, ys, connect="finite")

    def _set_status_style(self, style: str) -> None:
        # A style sheet change re-polishes the widget and lays out the panel again: far
        # too slow to repeat at every frame of a run, so only when it changes.
        if self.status.styleSheet() != style:
            self.status.setStyleSheet(style)

    def _update_status(self) -> None:
        if self.last_finish[0] == "diverged":
            return
        lines = [f"Iteration {self.iteration:,} of {self.settings.iterations:,}",
                 f"Cost C = <b>{fmt(self.last_cost)}</b> (started at {fmt(self.start_cost)})"]
        style = STATUS_STYLE
        if self.watch.stuck:
            lines.append(f"⚠ The cost has not fallen for {self.watch.window:,} iterations: "
                         "this start is stuck on a plateau. Train more iterations (raise "
                         "Iterations), or Reset with a new seed.")
            style = theme.WARNING_STYLE + STATUS_STYLE
        elif (self.worker.state != RunState.RUNNING or self.last_finish[0] == "done") and (
                self.last_cost > 3 * self.watch.recent_low):
            # The course's noisy steps now and then kick the network off for a few
            # iterations; a student should not take that curve for the result.
            lines.append(f"The last noisy step kicked the network off: the lowest cost of "
                         f"the last {self.watch.block:,} iterations was "
                         f"{fmt(self.watch.recent_low)}. Step or train on a little.")
        self._set_status_style(style)
        self.status.setText("<br>".join(lines))

    # ---- step by step --------------------------------------------------------------------
    def _stages(self):
        k = self.example
        return backprop_stages(self.view_net, self.x[:, k], self.y[:, k])

    @Slot(int)
    def set_example(self, k: int) -> None:
        self.example = int(k)
        if self.example_slider.value() != k:
            self.example_slider.setValue(k)
        self._show_stage()

    def _on_curve_hover(self, scene_pos) -> None:
        if self.draw_button.isChecked() or self.view_net is None:
            return
        p = self.curve_vb.mapSceneToView(scene_pos)
        d = np.hypot(self.y[0] - p.x(), self.y[1] - p.y())
        k = int(np.argmin(d))
        if d[k] < 0.05 and k != self.example:
            self.set_example(k)

    @Slot()
    def next_stage(self) -> None:
        self.stage_index = min(self.stage_index + 1, len(self._stages()) - 1)
        self._show_stage()

    @Slot()
    def previous_stage(self) -> None:
        self.stage_index = max(self.stage_index - 1, 0)
        self._show_stage()

    def _show_stage(self) -> None:
        if self.view_net is None:
            return
        stages = self._stages()
        self.stage_index = min(self.stage_index, len(stages) - 1)
        stage = stages[self.stage_index]
        k = self.example
        self.example_label.setText(f"{k / self.settings.n:.2f}")
        self.stage_label.setText(f"{stage.phase.capitalize()} · {self.stage_index + 1} / "
                                 f"{len(stages)}")
        self.formula_label.setText(stage.formula)
        self.prev_button.setEnabled(self.stage_index > 0)
        self.next_button.setEnabled(self.stage_index < len(stages) - 1)
        items = [*stage.operands, None, stage.result]
        ops = [*stage.operators, "="]
        # Reuse the matrix widgets; rebuild the row only when its length changes.
        while self.matrix_row.count():
            self.matrix_row.takeAt(0)
        needed = len(items) - 1
        while len(self.matrix_views) < needed:
            self.matrix_views.append(MatrixView())
        while len(self.operator_labels) < needed:
            label = QLabel()
            label.setStyleSheet("font-size: 18pt; font-weight: bold; color:#444;")
            self.operator_labels.append(label)
        for w in self.matrix_views + self.operator_labels:
            w.setVisible(False)
        self.matrix_row.addStretch(1)
        views = iter(self.matrix_views)
        op_labels = iter(self.operator_labels)
        operands = [it for it in items if it is not None]
        for i, (name, values) in enumerate(operands):
            view = next(views)
            view.set_matrix(name, values)
            view.setVisible(True)
            self.matrix_row.addWidget(view)
            if i < len(operands) - 1:
                label = next(op_labels)
                label.setText(ops[i] if i < len(stage.operators) else "=")
                if i == len(operands) - 2:
                    label.setText("=")
                label.setVisible(True)
                self.matrix_row.addWidget(label)
        self.matrix_row.addStretch(1)
        self._show_diagram(stage)

    def _show_diagram(self, stage=None) -> None:
        """The diagram and the chosen example's points, for the network on screen; δ is
        shown once the backward pass of ``stage`` has reached a layer."""
        k = self.example
        zs, acts = self.view_net.forward_all(self.x[:, k:k + 1])
        deltas_all = self.view_net.deltas(zs, acts, self.y[:, k:k + 1])
        shown = [None] * len(acts)
        if stage is not None and stage.phase == "backward":
            for layer in range(stage.layer, len(acts)):
                shown[layer] = deltas_all[layer]
        self.diagram.set_state(self.view_net.sizes, self.view_net.weights, acts, shown,
                               caption=f"t = {k / self.settings.n:.2f}: output "
                                       f"({acts[-1][0, 0]:.3f}, {acts[-1][1, 0]:.3f}), "
                                       f"target ({self.y[0, k]:.3f}, {self.y[1, k]:.3f})")
        self.example_item.setData([self.y[0, k], acts[-1][0, 0]],
                                  [self.y[1, k], acts[-1][1, 0]],
                                  brush=[pg.mkBrush(*theme.TARGET), pg.mkBrush(*theme.DOWNHILL)])

    # ---- gradient check ------------------------------------------------------------------
    @Slot()
    def run_gradient_check(self) -> list[tuple[str, float]]:
        n = min(self.settings.n, 20)
        result = gradient_check(self.view_net, self.x[:, :n], self.y[:, :n])
        rows = "".join(
            f"<tr><td><b>∂C/∂{name}</b></td><td>{err:.1e}</td>"
            f"<td style='color:{theme.GOOD_HEX if err < 1e-5 else theme.ERROR_HEX}'>"
            f"{'✓ agrees' if err < 1e-5 else '✗ differs'}</td></tr>"
            for name, err in result)
        self.check_label.setText(
            f"On the first {n} examples, h = 1e-4:<table cellspacing=6>{rows}</table>")
        return result

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> BackpropState:
        s = self.settings
        trail = tuple((float(it), *curve[0], *curve[1]) for it, curve in self.trail)
        return BackpropState(
            self.curve_name, None if self.drawn_points is None else tuple(
                map(tuple, self.drawn_points)),
            s.hidden, s.n, s.aggression, s.noise, s.iterations, s.seed,
            self.activation_combo.currentText(), self.iteration,
            tuple(self.net.parameters.tolist()), tuple(self.history), trail,
            self.example, self.stage_index)

    def restore(self, state: BackpropState) -> None:
        for key, value in (("hidden", " ".join(map(str, state.hidden))), ("n", state.n),
                           ("aggression", f"{state.aggression:g}"),
                           ("noise", f"{state.noise:g}"), ("iterations", state.iterations),
                           ("seed", state.seed)):
            self.fields[key].setText(str(value))
        self.activation_combo.setCurrentText(state.activation)
        self.drawn_points = None if state.drawn is None else np.array(state.drawn)
        self.curve_name = state.curve
        self.curve_combo.setCurrentText(state.curve)
        self.example, self.stage_index = min(state.example, state.n - 1), state.stage
        self.reset_network()
        if state.parameters is None:
            return
        self.net.set_parameters(np.array(state.parameters))
        self.view_net.set_parameters(self.net.parameters)
        self.iteration = self.view_iteration = state.iteration
        if state.costs:
            self.history = ThinnedHistory(COST_MAX)
            for it, cost in state.costs:
                self.history.append((int(it), cost))
            self._watch_history()
            self.start_cost, self.last_cost = state.costs[0][1], state.costs[-1][1]
        n = state.n
        for item in state.trail:
            self.trail.append((int(item[0]), np.array(item[1:]).reshape(2, n)))
        self._draw_state()

    def demo_state(self) -> BackpropState:
        """The tab as a learner first meets it, trained to the end (the course's settings
        and the default seed), walking example 30 backwards at δ²."""
        s = TrainingSettings()
        net = Network((1, *s.hidden, 2), seed=s.seed)
        x, y = CURVES[next(iter(CURVES))](s.n)
        costs, trail = [], []
        for r in train(net, x, y, s.iterations, s.aggression, s.noise,
                       seed=s.noise_seed(0), snapshot_every=TRAIL_EVERY):
            costs.append((r.iteration, r.cost))
            if r.iteration % TRAIL_EVERY == 0 and r.iteration > 0:
                out = net.forward(x)
                trail.append((float(r.iteration), *out[0], *out[1]))
        return BackpropState(iteration=s.iterations, parameters=tuple(net.parameters.tolist()),
                             costs=tuple(costs), trail=tuple(trail), example=30, stage=12)
