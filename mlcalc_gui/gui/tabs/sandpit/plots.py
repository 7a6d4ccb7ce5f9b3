"""The Sandpit tab's views: the sand over the pit, the dips and their slope arrows, the
worker's steps, and once the game is over the floor, the phone and the strategies
compared; and how each is drawn from the game."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from mlcalc_gui.core import sandpit as pit
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.panels.plots import path_item
from mlcalc_gui.gui.widgets.contour_view import arrow_segments

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


def metres(value: float) -> str:
    """Two decimals, never "-0.00"."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text

def strategy_outcome(steps: int, found: bool) -> str:
    """How a strategy did from the learner's first dip, in words (never "0 steps": a
    strategy stops before a step that would leave the pit)."""
    if not steps:
        return "its first step would leave the pit, so it took none"
    return (f"{'found the phone' if found else 'did not find it'} in {steps} "
            f"step{'s' * (steps != 1)}")



class PlotsMixin:
    """The views of :class:`~mlcalc_gui.gui.tabs.sandpit.SandpitTab`."""

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
        show = (self.binder["compare"] and (game.over or self._revealed)
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

