"""The Sandpit tab: the course's game.  A phone lies at the lowest point of a sandpit; the
learner pokes a dip-stick into the sand (click, or the arrow keys and Enter), reads the
depth and, in the slope modes, the slope there, and finds the phone in as few dips as
possible.  A worker can take steps after each dip by one of the course's strategies, and
after the game the strategies are compared on the revealed floor."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import sandpit as pit
from mlcalc_gui.core.calculus import resumed
from mlcalc_gui.core.export_files import record_table
from mlcalc_gui.core.expressions import ExpressionError
from mlcalc_gui.core.states import SandpitState
from mlcalc_gui.core.step_rules import STEP_EXAMPLES
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.tab import (
    Shortcut,
    TutorTab,
    error_label,
    note_label,
    panel_column,
    playback_shortcuts,
)
from mlcalc_gui.gui.panels.landscape import Landscape
from mlcalc_gui.gui.panels.plots import path_item
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.run.controller import (
    ListTimeline,
    RecordTimeline,
    RunTabMixin,
    Timeline,
)
from mlcalc_gui.gui.widgets.contour_view import arrow_segments
from mlcalc_gui.gui.widgets.playback import PlaybackBar

SAND = (222, 196, 145)


def sand_texture(n: int = 96, seed: int = 7) -> np.ndarray:
    """A fine grain of sand (RGB, n x n): the pit before the floor is revealed."""
    rng = np.random.default_rng(seed)
    grain = rng.normal(0, 1, (n, n))
    grain = (grain + np.roll(grain, 1, 0) + np.roll(grain, 1, 1)) / 3  # a little softer
    return np.clip(np.array(SAND)[None, None, :] + 9 * grain[..., None], 0, 255).astype(
        np.uint8)


GRID = 121  # the revealed floor's map and mesh
#: The strategies compared after a game: colour, dash and symbol (two cues, not only hue).
COMPARED = {"steepest": (theme.SKY, Qt.DashLine, "t"),
            "newton": (theme.PURPLE, Qt.DotLine, "d"),
            "hybrid": (theme.GREEN, Qt.SolidLine, "p"),
            "yours": (theme.TEXT, Qt.DashDotLine, "o")}

LINE_NAMES = {"steepest": "blue dashes, triangles", "newton": "pink dots, diamonds",
              "hybrid": "green line, pentagons", "yours": "black dash-dots, circles"}
CHOICE_NAMES = {**pit.STRATEGY_NAMES, "yours": "Your step (typed below)"}
#: The settings key the score table is kept under.
SCORES_KEY = "sandpit/scores"


def metres(value: float) -> str:
    """Two decimals, never "-0.00"."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text

EXPLANATION = """
<p>Your phone has rolled to the <b>lowest point</b> of a sandpit and is buried. Poke a
dip-stick into the sand to read the <b>depth</b> there, and find the phone in as few dips
as you can: a dip within 0.15 m finds it.</p>
<p><b>Click the pit</b> to dip, or move the cursor with the <b>arrow keys</b> (Shift: bigger
steps) and press <b>Enter</b>. In the slope modes the stick also reads the slope J, drawn
as an arrow of −J: downhill. With a <b>worker</b>, up to 5 steps of the chosen strategy
follow each dip for free.</p>
<p>The supervisor gets impatient at dip 22; after 25 the floor is shown. A dip in a hollow
that is not the deepest says you are <b>stuck in a local optimum</b>.</p>
"""


def strategy_outcome(steps: int, found: bool) -> str:
    """How a strategy did from the learner's first dip, in words (never "0 steps": a
    strategy stops before a step that would leave the pit)."""
    if not steps:
        return "its first step would leave the pit, so it took none"
    return (f"{'found the phone' if found else 'did not find it'} in {steps} "
            f"step{'s' * (steps != 1)}")


class SandpitTab(RunTabMixin, TutorTab):
    title = "Sandpit"
    State = SandpitState
    shortcuts = (*playback_shortcuts(),
                 Shortcut("G", "a new game on the same floor", lambda tab: tab.new_game()),
                 Shortcut("F", "a new random floor (a new seed)", lambda tab: tab.new_floor()),
                 Shortcut("V", "reveal the floor (gives up the game)", lambda tab: tab.reveal()))
    IDLE_TEXT = ("Play (Space) lets the strategy dip alone from the cursor; Step (N) one "
                 "dip at a time. Its dips do not count in your game.")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.floor: pit.Floor | None = None
        self.game = pit.Game()
        self.game_history = GameTimeline(self)  # the history row through the game
        self._walk_history: RecordTimeline | None = None
        self._wanted: list[tuple[float, float]] = []  # dips to replay once the floor is ready
        self._revealed = False
        self._floor_shown: pit.Floor | None = None  # the floor the views show, once revealed
        self.cursor = (3.0, 3.0)
        self._sand = sand_texture()
        self._step = pit.DEFAULT_STEP  # the last good formula typed for "your step"
        self.scores: tuple[pit.Score, ...] = ()
        self._scored = False  # this game's win is in the table

    # ---- layout --------------------------------------------------------------------------
    def build(self) -> None:
        panel = self._build_panel()
        self.landscape = Landscape(self, ("x (m)", "y (m)", "depth (m)"), titles=(
            "The floor in 3D, with your dips",
            "The sandpit — click to dip (or arrow keys and Enter)"))
        self.map = self.landscape.contour
        self.map.setToolTip("Click to dip the stick here. Arrow keys move the cursor "
                            "(Shift: bigger steps); Enter dips at the cursor.")
        self.map.sig_point_moved.connect(self._on_cursor)
        self.map._vb.sig_clicked.connect(self.dip)
        self.map.sig_activated.connect(self.dip)
        self._build_overlays()
        views = self.views = self.landscape.pair()
        views.setSizes([0, 1000])
        self.landscape.surface_box.setVisible(False)
        self.set_main_layout(panel, views, 380)
        self.install_run(self._strategy_run, self._blocked, self.run_label,
                         timeline=self._history)
        self.digger = self.make_worker(self._on_dips, lambda _: None, self._on_dug)
        self.add_task(_Replay(self))
        self._load_scores()
        self.floor_task = BackgroundTask(self)
        self.floor_task.sig_done.connect(self._on_floor)
        self.floor_task.sig_failed.connect(
            lambda _, why: self.message.setText("⚠ The floor could not be made: " + why))

    def _build_panel(self) -> QWidget:
        panel, layout = panel_column(EXPLANATION)
        box = QGroupBox("The floor")
        form = QFormLayout(box)
        self.kind_combo = QComboBox()
        self.kind_combo.addItems([pit.KIND_NAMES[k] for k in pit.KINDS])
        self.kind_combo.setToolTip("The course's floors: intro and depth-only are fixed; "
                                   "the others are made from a seed")
        self.kind_combo.activated.connect(self._kind_chosen)
        form.addRow("Floor", self.kind_combo)
        row = QHBoxLayout()
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 999_999)
        self.seed_spin.setKeyboardTracking(False)
        self.seed_spin.setToolTip("The same seed makes the same floor: a class can all "
                                  "play one floor. Press Enter to use it.")
        self.seed_spin.editingFinished.connect(self._choose_floor)
        new = QPushButton("New floor")
        new.setToolTip("A new random floor of this kind, with a new seed (F)")
        new.clicked.connect(self.new_floor)
        row.addWidget(self.seed_spin, 1)
        row.addWidget(new)
        form.addRow("Seed", row)
        layout.addWidget(box)

        box = QGroupBox("The stick")
        form = QFormLayout(box)
        self.mode_combo = QComboBox()
        self.mode_combo.addItems([pit.MODE_NAMES[m] for m in pit.MODES])
        self.mode_combo.setToolTip("What a dip reads: the depth only, the depth and the "
                                   "slope (an arrow of −J), or both with a worker who takes "
                                   "up to 5 steps after each of your dips")
        self.mode_combo.activated.connect(lambda _: self._mode_changed())
        form.addRow("Mode", self.mode_combo)
        self.strategy_combo = QComboBox()
        self.strategy_combo.addItems([CHOICE_NAMES[s] for s in pit.STRATEGY_CHOICES])
        self.strategy_combo.setToolTip(
            "The worker's step from the slope J and the Hessian H: one metre right; "
            "−0.5 J; Newton's −H⁻¹J (it can run to a maximum); Newton unless it goes "
            "uphill or further than 2 m, then −0.5 J; or your own formula")
        self.strategy_combo.activated.connect(lambda _: self._strategy_changed())
        form.addRow("Strategy", self.strategy_combo)
        self.step_edit = QLineEdit(self._step)
        self.step_edit.setPlaceholderText("a step in J and H, e.g. -0.3 J")
        self.step_edit.setToolTip(
            "Write the course's next_step: a vector from the slope J and the Hessian H "
            "(entries Jx, Jy, Hxx, Hxy, Hyy; I the identity). H J is the matrix product, "
            "J J the dot product, H^-1 the inverse. Enter plays it.")
        self.step_edit.returnPressed.connect(self._step_typed)
        form.addRow("Your step", self.step_edit)
        self.step_error = error_label()
        form.addRow(self.step_error)
        examples = note_label("Try " + "; ".join(f"{t} ({what})" for t, what in STEP_EXAMPLES)
                              + ".")
        form.addRow(examples)
        layout.addWidget(box)

        box = QGroupBox("Your dips")
        v = QVBoxLayout(box)
        self.message = QLabel()
        self.message.setTextFormat(Qt.PlainText)
        self.message.setWordWrap(True)
        v.addWidget(self.message)
        self.dip_list = QListWidget()
        self.dip_list.setToolTip("Each dip and its depth; the worker's steps are indented")
        self.dip_list.setMinimumHeight(120)
        v.addWidget(self.dip_list, 1)
        row = QHBoxLayout()
        again = QPushButton("New game")
        again.setToolTip("Start again on the same floor (G)")
        again.clicked.connect(self.new_game)
        reveal = QPushButton("Reveal the floor")
        reveal.setToolTip("Show the floor and the phone (V): the game is over")
        reveal.clicked.connect(self.reveal)
        row.addWidget(again)
        row.addWidget(reveal)
        v.addLayout(row)
        layout.addWidget(box)

        box = QGroupBox("The strategies")
        v = QVBoxLayout(box)
        self.compare = QCheckBox("Compare them after the game")
        self.compare.setChecked(True)
        self.compare.setToolTip("Steepest descent, Newton and the hybrid from your first "
                                "dip, drawn on the revealed floor")
        self.compare.toggled.connect(lambda _: self._draw_compared())
        v.addWidget(self.compare)
        self.compare_note = note_label()
        v.addWidget(self.compare_note)
        self.playback = PlaybackBar(speeds=(1, 2, 5, 10), default_speed=1, unit="dips")
        v.addWidget(self.playback)
        self.run_label = QLabel()
        self.run_label.setWordWrap(True)
        v.addWidget(self.run_label)
        layout.addWidget(box)
        layout.addWidget(self._build_scores())
        layout.addStretch(1)
        return panel

    def _build_scores(self) -> QWidget:
        box = QGroupBox("Best scores (kept between sessions)")
        v = QVBoxLayout(box)
        self.score_view = QTableWidget(0, 4)
        self.score_view.setHorizontalHeaderLabels(["Floor", "Alone", "Worker", "Won"])
        self.score_view.setToolTip("Your fewest dips to find the phone on each floor, "
                                   "without a worker and with one, and the games won")
        self.score_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.score_view.verticalHeader().setVisible(False)
        header = self.score_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for i in (1, 2, 3):
            header.setSectionResizeMode(i, QHeaderView.ResizeToContents)
        self.score_view.setMinimumHeight(110)
        v.addWidget(self.score_view)
        self.score_note = note_label()
        v.addWidget(self.score_note)
        clear = QPushButton("Clear the table")
        clear.setToolTip("Forget every score kept (it cannot be undone)")
        clear.clicked.connect(self.clear_scores)
        v.addWidget(clear, 0, Qt.AlignRight)
        return box

    def _build_overlays(self) -> None:
        plot = self.map.getPlotItem()
        self.arrows = pg.PlotDataItem(connect="pairs", pen=theme.mkpen(theme.BLUE, 2.5))
        self.learner_dots = pg.ScatterPlotItem(size=12, pen=pg.mkPen("k", width=1.5),
                                               brush=pg.mkBrush(255, 255, 255))
        self.worker_dots = pg.ScatterPlotItem(size=9, symbol="s", pen=pg.mkPen("k", width=1),
                                              brush=pg.mkBrush(*theme.ORANGE))
        self.walk_line = pg.PlotDataItem(pen=theme.mkpen(theme.VERMILLION, 2.0, Qt.DashLine),
                                         symbol="x", symbolSize=9, symbolPen=theme.mkpen(
                                             theme.VERMILLION, 2), symbolBrush=None)
        self.phone = pg.ScatterPlotItem(size=26, symbol="star", pen=pg.mkPen("k", width=1.5),
                                        brush=pg.mkBrush(*theme.VERMILLION))
        self.compared = {}
        for name, (rgb, dash, symbol) in COMPARED.items():
            self.compared[name] = path_item(rgb, dash, symbol)
        for item in (self.arrows, self.learner_dots, self.worker_dots, self.walk_line,
                     *self.compared.values(), self.phone):
            item.setZValue(15)
            plot.addItem(item)
        self.labels: list[pg.TextItem] = []

    def export_widget(self) -> QWidget:
        return self.views

    PLACES = ("dips", "map", "scores", "step")
    OBSERVABLES = {"won": "the phone is found", "dips": "dips counted so far"}

    def observe(self) -> dict[str, float | bool]:
        return {"won": bool(self.game.won), "dips": float(self.game.counted)}

    def places(self) -> dict[str, QWidget]:
        return {"dips": self.dip_list, "map": self.landscape.map_box,
                "scores": self.score_view, "step": self.step_edit.parentWidget()}

    SPOILERS = ("dips", "message", "compare")

    def spoiler_parts(self) -> dict[str, list]:
        return {"dips": [self.dip_list], "message": [self.message, self.run_label],
                "compare": [self.compare_note]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> SandpitState:
        dips = (tuple(self._wanted) if self._wanted  # a saved game still being replayed
                else tuple((d.x, d.y) for d in self.game.dips if not d.automatic))
        return SandpitState(kind=self.game.kind, seed=self.game.seed or 0,
                            mode=self.game.mode, strategy=self.game.strategy,
                            dips=dips[:pit.MAX_DIPS + 1], cursor=self.cursor,
                            compare=self.compare.isChecked(), step=self._step)

    def restore(self, state: SandpitState) -> None:
        self.mode_combo.setCurrentIndex(pit.MODES.index(state.mode))
        strategy = state.strategy
        self.step_edit.setText(state.step)
        if not self._read_step():  # a session's step that is not a step: said beside it
            strategy = "hybrid" if strategy == "yours" else strategy
        self.strategy_combo.setCurrentIndex(pit.STRATEGY_CHOICES.index(strategy))
        with QSignalBlocker(self.compare):
            self.compare.setChecked(state.compare)
        self.cursor = state.cursor
        self._load_floor(state.kind, state.seed or None, list(state.dips))

    def demo_state(self) -> SandpitState:
        """A random floor won with the worker's help, the strategies compared."""
        floor = pit.make_floor("random", 482_913)
        first = (4.6, 1.2)
        game = pit.Game("random", 482_913, "worker", "hybrid")
        points = [first, (1.5, 4.5)]
        for d in pit.replay(floor, game, points):
            game = game.with_dip(d)
        if not game.won:
            points.append(floor.phone)
        return SandpitState("random", 482_913, "worker", "hybrid", tuple(points),
                            cursor=points[-1])

    # ---- the floor -----------------------------------------------------------------------
    def _choose_floor(self) -> None:
        """The seed box was edited: that seed's floor of the chosen kind."""
        kind = pit.KINDS[self.kind_combo.currentIndex()]
        seed = self.seed_spin.value() or None
        if kind in ("intro", "depth-only") and seed is not None:
            kind = "random"  # a seed typed on a fixed floor: the lecturer's random floor
            self.sig_status.emit(f"Seed {seed}: a random floor")
        if (kind, seed) != (self.game.kind, self.game.seed) or self.floor is None:
            self._load_floor(kind, seed, [])

    def _kind_chosen(self, index: int) -> None:
        kind = pit.KINDS[index]
        seed = self.game.seed if kind in pit.KINDS[2:] else None
        self._load_floor(kind, seed, [])

    @Slot()
    def new_floor(self) -> None:
        kind = pit.KINDS[self.kind_combo.currentIndex()]
        if kind in ("intro", "depth-only"):
            kind = "random"  # the fixed floors have no seed: a new floor is a random one
        self._load_floor(kind, pit.new_seed(), [])

    def _load_floor(self, kind: str, seed: int | None, dips: list) -> None:
        """Make the floor in the worker (its true minimum takes a grid search); the game
        starts, or ``dips`` are replayed, once it is ready."""
        if kind in ("intro", "depth-only"):
            seed = None
        elif seed is None:
            seed = pit.new_seed()
        self.digger.cancel()
        self.run.reset()
        self.floor = None
        self._wanted = list(dips)
        self.game = self._new_game(kind, seed)
        self.kind_combo.setCurrentIndex(pit.KINDS.index(kind))
        with QSignalBlocker(self.seed_spin):
            self.seed_spin.setValue(seed or 0)
        self._clear_drawing()
        self.message.setText("Levelling the sand…")
        self.floor_task.submit((kind, seed), lambda: pit.make_floor(kind, seed))

    @Slot(object, object)
    def _on_floor(self, key, floor: pit.Floor) -> None:
        if key != (self.game.kind, self.game.seed):
            return  # an older request
        self.floor = floor
        self.sig_status.emit(f"Sandpit: {floor.name}")
        self.map.set_point(*self.cursor)
        self._show_game()
        self._resume_replay()

    def _resume_replay(self) -> None:
        """Replay the saved dips not yet in the game (the tab may have been left while
        they were replayed)."""
        if self.floor is None or not self._wanted or self.digger.has_run():
            return
        done = self.game.counted
        if done >= len(self._wanted):
            self._wanted = []
            return
        self.digger.start(pit.replay(self.floor, self.game, self._wanted[done:]))

    # ---- the game ------------------------------------------------------------------------
    def _mode(self) -> str:
        return pit.MODES[self.mode_combo.currentIndex()]

    def _strategy(self) -> str:
        return pit.STRATEGY_CHOICES[self.strategy_combo.currentIndex()]

    def _new_game(self, kind: str, seed: int | None) -> pit.Game:
        self._scored = False
        self.game_history.position = None
        return pit.Game(kind, seed, self._mode(), self._strategy(), step=self._step)

    def _read_step(self) -> bool:
        """Read the typed step: a good one becomes the worker's formula; a bad one is
        said beside the box, and the last good one stays."""
        text = self.step_edit.text()
        try:
            pit.parse_step(text)
        except ExpressionError as exc:
            self.step_error.setText(f"⚠ {exc}. The worker keeps {self._step}.")
            self.step_error.setVisible(True)
            self.step_edit.setStyleSheet(theme.INPUT_ERROR_STYLE)
            return False
        self.step_error.setVisible(False)
        self.step_edit.setStyleSheet("")
        self._step = text.strip()
        return True

    @Slot()
    def _step_typed(self) -> None:
        """Enter in the step box: the worker plays that formula from now on."""
        if not self._read_step():
            return
        self.strategy_combo.setCurrentIndex(pit.STRATEGY_CHOICES.index("yours"))
        self._strategy_changed()
        self.sig_status.emit(f"The worker now steps by {self._step}")

    def _mode_changed(self) -> None:
        """A new mode is a new game on the same floor (the dips so far were read with
        another stick)."""
        if self.game.dips and not self.game.over:
            self.sig_status.emit("A new mode starts a new game on the same floor")
        self.new_game()

    def _strategy_changed(self) -> None:
        self.game = replace(self.game, strategy=self._strategy(), step=self._step)
        self.run.reset()
        self._draw_compared()

    @Slot()
    def new_game(self) -> None:
        self.digger.cancel()
        self.run.reset()
        self._wanted = []
        self.game = self._new_game(self.game.kind, self.game.seed)
        self._show_game()

    @Slot()
    def reveal(self) -> None:
        if self.floor is None:
            return
        self._revealed = True
        self._show_game()

    @Slot(float, float)
    def _on_cursor(self, x: float, y: float) -> None:
        self.cursor = (float(x), float(y))

    @Slot(float, float)
    def dip(self, x: float, y: float) -> None:
        """The learner dips at (x, y)."""
        if self.floor is None:
            return
        x, y = float(np.clip(x, 0, pit.PIT)), float(np.clip(y, 0, pit.PIT))
        self.cursor = (x, y)
        self.map.set_point(x, y)
        if self.game_history.position is not None:
            self.game_history.cut()  # a dip from an earlier point of the game: a branch
        if self.game.over:
            self.message.setText("This game is over: press New game (G) to play this floor "
                                 "again, or New floor (F).")
            return
        if self.digger.has_run():
            self.sig_status.emit("The worker is still digging: wait for it to finish")
            return
        # The learner's dip is answered at once (a few ms, the stuck test included); the
        # worker's steps follow from its thread, drawn as they come.
        dip = pit.make_dip(self.floor, x, y, number=self.game.counted + 1)
        self.game = self.game.with_dip(dip)
        self._show_game()
        if self.game.mode == "worker" and not (dip.won or dip.stuck):
            self.digger.start(pit.worker_steps(self.floor, dip, self.game.rule))

    @Slot(object)
    def _on_dips(self, dips: tuple) -> None:
        for d in dips:
            self.game = self.game.with_dip(d)
        self._show_game()

    @Slot(str, str)
    def _on_dug(self, kind: str, message: str) -> None:
        if kind == "error":
            self.message.setText("⚠ " + message)
        if kind != "cancelled":
            self._wanted = []  # a saved game is all replayed (or ended early)

    def _clear_drawing(self) -> None:
        self._revealed = False
        self._floor_shown = None
        self.dip_list.clear()
        for item in (self.arrows, self.learner_dots, self.worker_dots, self.phone):
            item.setData([], [])
        for label in self.labels:
            self.map.getPlotItem().removeItem(label)
        self.labels = []
        for item in self.compared.values():
            item.setData([], [])
        self.compare_note.setText("")
        self.landscape.set_covered((0, pit.PIT, 0, pit.PIT), self._sand,
                                   "The floor is hidden under the sand until the phone is "
                                   "found (or V reveals it).")
        self.landscape.surface_box.setVisible(False)
        self.map.set_path([], [])

    @property
    def shown_game(self) -> pit.Game:
        """The game as the history row shows it: every dip, or those up to an earlier one."""
        return self.game_history.game()

    def _show_game(self) -> None:
        """Draw the game as the history row shows it: dips, arrows, the list and the
        message; the floor if over."""
        game = self.shown_game
        # The floor, once the game is over, stays shown while the history row goes back.
        over = self.game.over or self._revealed
        learner = [d for d in game.dips if not d.automatic]
        worker = [d for d in game.dips if d.automatic]
        self.learner_dots.setData([d.x for d in learner], [d.y for d in learner])
        self.worker_dots.setData([d.x for d in worker], [d.y for d in worker])
        plot = self.map.getPlotItem()
        for label in self.labels[len(learner):]:
            plot.removeItem(label)
        self.labels = self.labels[:len(learner)]
        for d in learner[len(self.labels):]:
            label = pg.TextItem(str(d.number), color=(20, 20, 20), anchor=(-0.25, 1.1))
            font = label.textItem.font()
            font.setPointSize(11)
            font.setBold(True)
            label.setFont(font)
            label.setPos(d.x, d.y)
            label.setZValue(16)
            plot.addItem(label)
            self.labels.append(label)
        if game.mode != "depth" and game.dips:
            segs = np.concatenate([arrow_segments([d.x - d.arrow[0] / 2],
                                                  [d.y - d.arrow[1] / 2],
                                                  [d.arrow[0]], [d.arrow[1]], 0.25)
                                   for d in game.dips if np.hypot(*d.arrow) > 1e-9]
                                  or [np.empty((0, 2))])
            self.arrows.setData(segs[:, 0], segs[:, 1], connect="pairs")
        else:
            self.arrows.setData([], [])
        self.dip_list.clear()
        for d in game.dips:
            text = (f"    ↳ {metres(d.depth)} m (worker)" if d.automatic
                    else f"{d.number}) {metres(d.depth)} m")
            if game.mode != "depth":
                text += f"   slope ({metres(d.slope[0])}, {metres(d.slope[1])})"
            self.dip_list.addItem(text)
        self.dip_list.scrollToBottom()
        message = game.message()
        if self._revealed and not game.over:
            message = "The floor is revealed: this game is over. Press New game (G)."
        self.message.setText(message)
        style = (f"color:{theme.GOOD_HEX}; font-weight:bold;" if game.won else
                 theme.WARNING_STYLE if game.dips and (game.dips[-1].stuck
                                                       or game.counted >= pit.HURRY_AT)
                 else "")
        self.message.setStyleSheet(style)
        if over:
            self._show_floor()
        self._draw_compared()
        if game.won and not self._scored:
            self._scored = True
            if not self._wanted:  # a saved game replayed was scored when it was played
                self._record_score()
        if self.run.timeline is self.game_history:
            self.run.update_history()

    def _show_floor(self) -> None:
        floor = self.floor
        if floor is None:
            return
        if self._floor_shown is not floor:  # (not again for every dip scrubbed)
            xs, ys, Z = floor.grid(GRID)
            self.landscape.set_landscape(xs, ys, Z, levels=10)
            self._floor_shown = floor
        self.phone.setData([floor.phone[0]], [floor.phone[1]])
        if not self.landscape.surface_box.isVisible():
            self.landscape.surface_box.setVisible(True)
            width = max(self.views.width(), 600)
            self.views.setSizes([width * 45 // 100, width - width * 45 // 100])
        dips = self.shown_game.dips
        self.landscape.set_path([(d.x, d.y) for d in dips], [d.depth for d in dips])
        self.map.set_point(*self.cursor)

    def _draw_compared(self) -> None:
        game = self.shown_game
        learner = [d for d in game.dips if not d.automatic]
        show = (self.compare.isChecked() and (game.over or self._revealed)
                and self.floor is not None and bool(learner))
        if not show:
            for item in self.compared.values():
                item.setData([], [])
            self.compare_note.setText("")
            return
        start = (learner[0].x, learner[0].y)
        parts = []
        for name, item in self.compared.items():
            if name == "yours" and self.game.strategy != "yours":
                item.setData([], [])
                continue
            path = pit.strategy_path(self.floor, start, self.game.rule if name == "yours"
                                    else name)
            item.setData([p[0] for p in path], [p[1] for p in path])
            found = pit.is_win(self.floor, *path[-1])
            parts.append(f"{CHOICE_NAMES[name].split(' (')[0]} ({LINE_NAMES[name]}): "
                         f"{strategy_outcome(len(path) - 1, found)}")
        self.compare_note.setText("From your first dip — " + "; ".join(parts) + ".")

    # ---- a strategy playing alone (the playback bar) ---------------------------------------
    def _blocked(self, last) -> str | None:
        return "The floor is still being made" if self.floor is None else None

    def _strategy_run(self, last):
        floor, strategy = self.floor, self.game.rule
        if last is None:
            return pit.strategy_walk(floor, self.cursor, strategy)
        return resumed(pit.strategy_walk(floor, (last.x, last.y), strategy), last.number,
                       counter="number")

    def _history(self) -> Timeline:
        """The history row moves through the strategy's walk while there is one, else
        through the learner's game, dip by dip."""
        if self._walk_history is None:
            self._walk_history = RecordTimeline(self.run)
        return self._walk_history if self.run.records else self.game_history

    def run_table(self) -> tuple[list[str], list[list]]:
        """The strategy's walk if there is one, else the learner's dips up to the one
        the history row shows."""
        return record_table(self.path if self.run.records else self.shown_game.dips)

    def _on_scrubbed(self) -> None:
        if self.run.timeline is not self.game_history:
            super()._on_scrubbed()
            return
        self._show_game()
        if self.game_history.position is not None:
            self.run_status.say(f"History: {self.game_history.describe()}. A dip, Play or "
                                "Step goes on from here (a new branch).")
        else:
            self.run_status.say(self.IDLE_TEXT)

    def _on_cleared(self) -> None:
        self.walk_line.setData([], [])

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        self.walk_line.setData([d.x for d in self.path], [d.y for d in self.path])
        last = self.path[-1]
        self.run_status.say_live(f"{CHOICE_NAMES[self._strategy()].split(' (')[0]}, dip "
                                 f"{last.number}: {last.depth:.2f} m")

    def _done_text(self, last) -> str:
        why = ("found the phone!" if last.won else
               "stuck in a local optimum" if last.stuck else
               "its next step would leave the pit (or has no value there)"
               if last.number < pit.MAX_DIPS else
               f"{pit.MAX_DIPS} dips taken")
        return f"The strategy stopped after {last.number} dips: {why}"


    # ---- the score table -------------------------------------------------------------------
    def _load_scores(self) -> None:
        stored = self.settings.value(SCORES_KEY) if self.settings is not None else None
        self.scores, problem = pit.scores_from_json(stored)
        self._show_scores(problem or "")

    def _record_score(self) -> None:
        self.scores = pit.add_score(self.scores, self.game)
        if self.settings is not None:
            self.settings.setValue(SCORES_KEY, pit.scores_to_json(self.scores))
        self._show_scores()

    @Slot()
    def clear_scores(self) -> None:
        self.scores = ()
        if self.settings is not None:
            self.settings.remove(SCORES_KEY)
        self._show_scores()

    def _show_scores(self, note: str = "") -> None:
        rows = pit.score_table(self.scores)
        self.score_view.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem("–" if value is None else str(value))
                if c:
                    item.setTextAlignment(Qt.AlignCenter)
                self.score_view.setItem(r, c, item)
        self.score_note.setText(note or ("No games won yet: find a phone to start the "
                                         "table." if not rows else ""))


class GameTimeline(ListTimeline):
    """The learner's game as a history: the history row shows it up to an earlier dip,
    and a dip, Play or Step from there goes on from that dip (the later ones dropped)."""

    noun = "dip"

    def __init__(self, tab: SandpitTab):
        super().__init__()
        self.tab = tab

    def items(self):
        return self.tab.game.dips

    def game(self) -> pit.Game:
        game = self.tab.game
        if self.position is None or self.position >= len(game.dips) - 1:
            return game
        return replace(game, dips=game.dips[:self.position + 1])

    def cut(self) -> None:
        if self.position is not None:
            self.tab.game = self.game()
            self.position = None


class _Replay:
    """The replay of a saved game as a task of the tab: it goes on when the tab is shown
    again after being left mid-replay."""

    def __init__(self, tab: SandpitTab):
        self.tab = tab

    @property
    def busy(self) -> bool:
        return self.tab.digger.has_run() or bool(self.tab._wanted)

    def resume(self) -> None:
        self.tab._resume_replay()
