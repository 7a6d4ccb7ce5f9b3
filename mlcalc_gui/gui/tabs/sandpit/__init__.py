"""The Sandpit tab: the course's game.  A phone lies at the lowest point of a sandpit; the
learner pokes a dip-stick into the sand (click, or the arrow keys and Enter), reads the
depth and, in the slope modes, the slope there, and finds the phone in as few dips as
possible.  A worker can take steps after each dip by one of the course's strategies, and
after the game the strategies are compared on the revealed floor."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QWidget,
)

from mlcalc_gui.core import sandpit as pit
from mlcalc_gui.core.calculus import resumed
from mlcalc_gui.core.export_files import record_table
from mlcalc_gui.core.expressions import ExpressionError
from mlcalc_gui.core.states import SandpitState
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.shortcuts import Shortcut, playback_shortcuts
from mlcalc_gui.gui.kit.tab import TutorTab
from mlcalc_gui.gui.panels.landscape import Landscape
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.run.tab_run import RunTabMixin
from mlcalc_gui.gui.run.timeline import ListTimeline, RecordTimeline, Timeline
from mlcalc_gui.gui.tabs.sandpit.panel import PanelMixin
from mlcalc_gui.gui.tabs.sandpit.plots import (  # noqa: F401 (strategy_outcome: the tab's words)
    CHOICE_NAMES,
    PlotsMixin,
    sand_texture,
    strategy_outcome,
)

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



class SandpitTab(PanelMixin, PlotsMixin, RunTabMixin, TutorTab):
    title = "Sandpit"
    EXPLANATION = EXPLANATION
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
                            compare=self.binder["compare"], step=self._step)

    def restore(self, state: SandpitState) -> None:
        self.mode_combo.setCurrentIndex(pit.MODES.index(state.mode))
        strategy = state.strategy
        self.step_edit.setText(state.step)
        if not self._read_step():  # a session's step that is not a step: said beside it
            strategy = "hybrid" if strategy == "yours" else strategy
        self.strategy_combo.setCurrentIndex(pit.STRATEGY_CHOICES.index(strategy))
        self.binder.set(compare=state.compare)
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
        self.seed_spin.setValue(seed or 0)  # (a floor is chosen on editingFinished: the
        # learner's edit, never this)
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

    @property
    def shown_game(self) -> pit.Game:
        """The game as the history row shows it: every dip, or those up to an earlier one."""
        return self.game_history.game()


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
