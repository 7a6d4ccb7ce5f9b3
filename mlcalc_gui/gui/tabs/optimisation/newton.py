"""Newton-Raphson: f(x) with the start x₀ dragged on the plot, each step drawn as its
tangent down to the axis, a table of the iterates, and under the plot a strip over the
x axis coloured by where a start there ends: which root, a cycle, a run away."""

from __future__ import annotations

import math
from itertools import islice

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import optimisation as op
from mlcalc_gui.core.calculus import usable_with
from mlcalc_gui.core.contours import graph_range
from mlcalc_gui.core.expressions import Function
from mlcalc_gui.core.numbers import subscript
from mlcalc_gui.core.states import OptimisationState
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.page import Page
from mlcalc_gui.gui.panels.function_input import FunctionInput
from mlcalc_gui.gui.panels.plots import (
    follow_x_range,
    legend,
    pointer_plot,
    text_label,
    thin_labels,
)
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.steady import WrappedLabel

SAMPLES = 801  # points along f(x)
STARTS = 2000  # starts in the basin strip
BASIN_STEPS = 50  # the most steps a start in the strip takes
LABELLED = 8  # iterates named x₀, x₁, … on the plot
#: The roots' colours in the strip and on the plot; then a cycle, a run away, a flat
#: tangent and a start still wandering.
ROOT_COLOURS = (theme.BLUE, theme.VERMILLION, theme.GREEN, theme.PURPLE, theme.SKY,
                theme.ORANGE)
OTHER_COLOURS = {op.Basins.CYCLE: theme.INK, op.Basins.DIVERGED: theme.PAPER,
                 op.Basins.ZERO_SLOPE: theme.INK, op.Basins.UNDECIDED: theme.GREY}


class NewtonPage(Page):
    key = "newton"
    title = "Newton-Raphson"
    tip = "Roots by tangents, and where each start ends"
    default_speed = 1  # 2 a second: tangents to follow one by one
    PLACES = ("iterates", "basins", "newton")
    OBSERVABLES = {"newton_steps_taken": "Newton steps drawn",
                   "root_found": "the run ended at a root"}

    def observe(self) -> dict[str, float | bool]:
        last = self.path[-1] if self.path else None
        return {"newton_steps_taken": float(max(len(self.path) - 1, 0)),
                "root_found": bool(last is not None and last.stopped == "root")}
    SPOILERS = ("iterates", "basins")
    explanation = """
<p><b>Newton-Raphson</b> finds a root of f: from x<sub>n</sub> follow the tangent down to
the axis, x<sub>n+1</sub> = x<sub>n</sub> − f(x<sub>n</sub>)/f′(x<sub>n</sub>), and repeat.
Near a root the correct digits double at every step.</p>
<p><b>Drag on the graph</b> (or [ and ]) to move the start x<sub>0</sub>; <b>Play</b>
(Space) or <b>Step</b> (N) draws the tangents one by one.</p>
<p>It can fail: where f′ = 0 the tangent is flat and never meets the axis; some starts
<b>cycle</b>, some <b>run away</b>. The strip under the plot colours every start by where
it ends: the real-line picture of Newton's basins.</p>
"""

    def __init__(self, host):
        super().__init__(host)
        self.nfunction: Function | None = None
        self.ndomain: tuple[float, float] = (-4.5, 4.5)
        self.basins: op.Basins | None = None

    @property
    def x0(self) -> float:
        return self.binder["x0"]

    # ---- layout --------------------------------------------------------------------------
    def build_panel(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.ninput = FunctionInput(op.NEWTON_PRESETS, variables=("x",),
                                    check=usable_with(1),
                                    placeholder="e.g. x^3 - 2x + 2, cos x - x, atan x",
                                    host=self.host)
        self.ninput.wire(self, self._on_function)
        v.addWidget(self.ninput)
        box = QGroupBox("The start and the steps")
        form = QFormLayout(box)
        self.x0_spin = self.binder.number(
            "x0", OptimisationState, "Where Newton starts (drag on the graph; [ and ] nudge "
            "it)", lambda x: self.set_x0(x, force=True), step=0.05, decimals=4, lo=-1e4,
            hi=1e4)
        form.addRow("x₀ =", self.x0_spin)
        self.nsteps_spin = self.binder.number("newton_steps", OptimisationState,
                                              "The most steps one run takes",
                                              lambda _: self.run.reset())
        form.addRow("Steps at most", self.nsteps_spin)
        v.addWidget(box)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["n", "xₙ", "f(xₙ)", "f′(xₙ)", "xₙ₊₁"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.table.setMinimumHeight(160)
        self.table.setToolTip("Newton's iterates: each row is one tangent")
        v.addWidget(self.table)
        self.basin_note = WrappedLabel()
        self.basin_note.setTextFormat(Qt.RichText)  # numbers and our own words only
        v.addWidget(self.basin_note)
        self.basin_task = BackgroundTask(self)
        self.basin_task.sig_done.connect(self._on_basins)
        return page

    def build_views(self) -> QWidget:
        self.f_plot, self.f_box = pointer_plot("x", "f(x)", grid=False)
        self.f_plot.getPlotItem().setTitle("f and Newton's tangents — drag to move x₀",
                                           size="11pt")
        self.f_box.sig_pressed.connect(lambda x, _y: self.set_x0(x))
        axis = pg.InfiniteLine(pos=0, angle=0, pen=theme.mkpen(theme.MUTED, 1.2))
        self.f_plot.addItem(axis)
        self.f_curve = self.f_plot.plot([], [], pen=theme.mkpen(theme.TEXT, 3))
        self.tangents = self.f_plot.plot([], [], pen=theme.mkpen(theme.VERMILLION, 2.2),
                                         connect="pairs")
        self.drops = self.f_plot.plot([], [], pen=theme.mkpen(theme.MUTED, 1.5, Qt.DotLine),
                                      connect="pairs")
        self.iterates = self.f_plot.plot([], [], pen=None, symbol="o", symbolSize=9,
                                         symbolBrush=theme.VERMILLION, symbolPen="w")
        self.root_dots = pg.ScatterPlotItem(size=14, symbol="star", pen=pg.mkPen("k", width=1))
        self.root_dots.setZValue(20)
        self.f_plot.addItem(self.root_dots)
        self.x0_line = pg.InfiniteLine(angle=90, pen=theme.mkpen(theme.BLUE, 1.5, Qt.DashLine))
        self.f_plot.addItem(self.x0_line)
        self.x0_dot = self.f_plot.plot([], [], pen=None, symbol="o", symbolSize=14,
                                       symbolBrush=theme.BLUE, symbolPen="w")
        self.iterate_labels: list[pg.TextItem] = []
        self.root_labels: list[pg.TextItem] = []
        legend(self.f_plot, [(self.f_curve, "f"), (self.tangents, "tangent to the axis"),
                             (self.x0_dot, "x₀, the start"), (self.iterates, "iterates")])
        self.strip_plot, strip_box = pointer_plot("start x₀", "")
        self.strip_plot.getPlotItem().setTitle(
            f"Where each start ends ({BASIN_STEPS} steps)", size="10pt")
        # The same left margin as the plot above, so each start sits under its x.
        strip_axis = self.strip_plot.getPlotItem().getAxis("left")
        strip_axis.setStyle(showValues=False)
        strip_axis.setTicks([[]])
        for axis in (strip_axis, self.f_plot.getPlotItem().getAxis("left")):
            axis.setWidth(72)
        follow_x_range(self.f_plot, self.strip_plot)
        self.strip_plot.setFixedHeight(120)
        self.strip_plot.setToolTip("Each start x₀ coloured by where Newton takes it: "
                                   "which root, a cycle, a run away (white), still "
                                   "wandering (grey). Paler: more steps. Click to start there.")
        strip_box.sig_pressed.connect(lambda x, _y: self.set_x0(x))
        self.strip = pg.ImageItem()
        self.strip_plot.addItem(self.strip)
        self.strip_x0 = pg.InfiniteLine(angle=90, pen=theme.mkpen(theme.TEXT, 2.5))
        self.strip_plot.addItem(self.strip_x0)
        self.strip_plot.getPlotItem().setYRange(0, 1, padding=0)
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(0)
        v.addWidget(self.f_plot, 1)
        v.addWidget(self.strip_plot)
        return box

    def places(self) -> dict[str, QWidget]:
        return {"iterates": self.table, "basins": self.strip_plot, "newton": self.f_plot}

    def spoiler_parts(self) -> dict[str, list]:
        return {"iterates": [self.table, self.run_label],
                "basins": [self.strip_plot, self.basin_note]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> dict:
        return {**self.binder.values(),
                "function": self.nfunction.text if self.nfunction else self.ninput.text(),
                "domain": self.ndomain, "shown": min(len(self.path), 200)}

    def restore(self, state: OptimisationState) -> None:
        self.binder.set(newton_steps=state.newton_steps)
        self._start_at(state.x0)
        self.ninput.set_input(state.function, state.domain)
        if state.shown and self.nfunction is not None:
            self.run.show_records(list(islice(
                op.newton_raphson(self.nfunction, self.x0, self.binder["newton_steps"]),
                state.shown)))

    def preset_state(self, preset: op.NewtonPreset) -> dict:
        return {"function": preset.text, "domain": preset.domain, "x0": preset.x0,
                "shown": 0}

    def _start_at(self, x0: float) -> None:
        """The start a new function takes (kept whole, whatever the last one's domain)."""
        self.binder.configure("x0", lambda spin: spin.setRange(-1e4, 1e4))
        self.binder.set(x0=x0)

    # ---- the run -------------------------------------------------------------------------
    def make_run(self, last):
        return islice(op.newton_raphson(self.nfunction, self.x0, self.binder["newton_steps"]),
                      len(self.path), None)

    def blocked(self, last) -> str | None:
        if self.nfunction is None:
            return "Type a function f(x) first"
        if last is not None and (last.stopped or last.step + 1 >= self.binder["newton_steps"]):
            return "Newton has stopped: move x₀ or press Reset (R) to watch it again"
        return None

    def nudge(self, sign: int) -> None:
        self.set_x0(self.x0 + sign * (self.ndomain[1] - self.ndomain[0]) / 100)

    def _on_cleared(self) -> None:
        for item in (self.tangents, self.drops, self.iterates):
            item.setData([], [])
        for label in self.iterate_labels:
            label.setVisible(False)
        self.table.setRowCount(0)
        self._draw_x0()

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        path = self.path
        xs = np.array([r.x for r in path])
        values = np.array([r.value for r in path])
        nxt = np.array([r.next_x for r in path])
        with np.errstate(all="ignore"):
            landing = self.nfunction(nxt)
        ok = np.isfinite(nxt) & np.isfinite(values)
        tangents = np.column_stack([xs[ok], values[ok], nxt[ok], np.zeros(ok.sum())])
        self.tangents.setData(tangents[:, [0, 2]].ravel(), tangents[:, [1, 3]].ravel(),
                              connect="pairs")
        drop = ok & np.isfinite(landing)
        self.drops.setData(np.repeat(nxt[drop], 2),
                           np.column_stack([np.zeros(drop.sum()), landing[drop]]).ravel(),
                           connect="pairs")
        self.iterates.setData(xs, values)
        while len(self.iterate_labels) < min(len(path), LABELLED):
            item = text_label(theme.VERMILLION, 11)
            self.f_plot.addItem(item)
            self.iterate_labels.append(item)
        for i, label in enumerate(self.iterate_labels):
            shown = i < len(path) and math.isfinite(values[i])
            if shown:
                label.setText(f"x{subscript(i)}")
                label.setPos(float(xs[i]), float(values[i]))
            label.setVisible(shown)
        # Iterates homing in on a root stand on top of each other: the first named.
        thin_labels(self.iterate_labels, self.f_box)
        for r in records:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, value in enumerate((str(r.step), fmt(r.x), fmt(r.value), fmt(r.slope),
                                         "—" if math.isnan(r.next_x) else fmt(r.next_x))):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.scrollToBottom()
        last = path[-1]
        self.run_status.say_live(f"Step {last.step}: x = {fmt(last.x)}, f(x) = "
                                 f"{fmt(last.value)}, next x = {fmt(last.next_x)}")

    def _done_text(self, last: op.NewtonStep) -> str:
        n = last.step
        if last.stopped == "root":
            return (f"A root: x = {fmt(last.x)} after {n} step{'s' * (n != 1)} "
                    f"(f(x) = {fmt(last.value)}).")
        if last.stopped == "zero slope":
            return (f"f′({fmt(last.x)}) = 0: the tangent is flat and never meets the axis, "
                    "so Newton cannot take a step. Move x₀.")
        if last.stopped.startswith("cycle"):
            return (f"A {last.stopped}: the tangents come back to where they were, for "
                    "ever. Newton never settles from here.")
        if last.stopped == "runaway":
            return (f"Ran away: the next x would be {fmt(last.next_x)}. Each tangent lands "
                    "further out: Newton diverges from here.")
        if last.stopped:
            return f"Stopped at x = {fmt(last.x)}: {last.stopped}."
        return (f"After {n + 1} steps Newton has not settled: x = {fmt(last.x)}, "
                f"f(x) = {fmt(last.value)}.")

    # ---- the function, the start and the strip -------------------------------------------
    @Slot(object, object)
    def _on_function(self, function: Function, domain) -> None:
        self.nfunction, self.ndomain = function, tuple(domain)
        xs = np.linspace(domain[0], domain[1], SAMPLES)
        with np.errstate(all="ignore"):
            fx = function(xs)
        self.f_curve.setData(xs, np.where(np.isfinite(fx), fx, np.nan), connect="finite")
        # The axis, where the tangents land, always in view.
        self.f_plot.getPlotItem().setRange(xRange=domain, yRange=graph_range(
            fx, include=0.0) or (-1, 1), padding=0)
        x0 = self.x0
        self.binder.configure("x0", lambda spin: spin.setRange(domain[0], domain[1]))
        self.basins = None
        self.strip.clear()
        self.root_dots.setData([], [])
        self.basin_note.setText("Working out where each start ends…")
        starts = np.linspace(domain[0], domain[1], STARTS)
        self.basin_task.submit((function.text, tuple(domain)),
                               lambda: op.newton_basins(function, starts, BASIN_STEPS))
        self.set_x0(x0, force=True)

    @Slot(object, object)
    def _on_basins(self, key, basins: op.Basins) -> None:
        if self.nfunction is None or key != (self.nfunction.text, self.ndomain):
            return
        self.basins = basins
        colours = np.zeros((basins.kind.size, 3))
        for kind, rgb in OTHER_COLOURS.items():
            colours[basins.kind == kind] = rgb
        roots = basins.kind == op.Basins.ROOT
        palette = np.array([ROOT_COLOURS[i % len(ROOT_COLOURS)]
                            for i in range(max(len(basins.roots), 1))], float)
        colours[roots] = palette[basins.root_index[roots]]
        # Paler where a start takes more steps to settle.
        pale = 0.65 * np.clip(basins.steps / 25.0, 0, 1)[:, None]
        colours[roots] = colours[roots] * (1 - pale[roots]) + 255 * pale[roots]
        image = colours.astype(np.uint8)[None, :, :]
        self.strip.setImage(image, levels=(0, 255))
        x0, x1 = self.ndomain
        self.strip.setRect(QRectF(x0, 0, x1 - x0, 1))
        self.root_dots.setData(basins.roots, np.zeros(len(basins.roots)),
                               brush=[pg.mkBrush(*palette[i]) for i in range(len(basins.roots))])
        while len(self.root_labels) < len(basins.roots):
            item = text_label(theme.TEXT, 11)
            self.f_plot.addItem(item)
            self.root_labels.append(item)
        for i, label in enumerate(self.root_labels):
            if i < len(basins.roots):
                label.setText(f"r{subscript(i + 1)}")
                label.setPos(float(basins.roots[i]), 0.0)
            label.setVisible(i < len(basins.roots))
        thin_labels(self.root_labels, self.f_box)
        self.basin_note.setText(self._basin_words(basins, palette))

    @staticmethod
    def _basin_words(basins: op.Basins, palette: np.ndarray) -> str:
        counts = np.bincount(basins.kind, minlength=5) / basins.kind.size
        share = [100 * float(np.mean(basins.root_index == i)) for i in range(len(basins.roots))]
        parts = [f"<span style='color:rgb{tuple(int(v) for v in palette[i])}'>■</span> "
                 f"r{subscript(i + 1)} = {fmt(r)}: {share[i]:.0f}%"
                 for i, r in enumerate(basins.roots)]
        names = {op.Basins.CYCLE: "a cycle", op.Basins.DIVERGED: "runs away (white)",
                 op.Basins.ZERO_SLOPE: "a flat tangent", op.Basins.UNDECIDED:
                 f"still wandering after {BASIN_STEPS} steps (grey)"}
        for kind, name in names.items():
            if counts[kind] > 0:
                parts.append(f"{name}: {100 * counts[kind]:.1f}%")
        return "<b>The strip</b> (starts across the plot): " + "; ".join(parts) + ". Paler: slower."

    def set_x0(self, x: float, force: bool = False) -> None:
        """The learner (a drag, the strip, a key, the box) moves the start to ``x``."""
        if self.nfunction is None or not math.isfinite(x):
            return
        x = float(min(max(x, self.ndomain[0]), self.ndomain[1]))
        if x == self.x0 and not force:
            return
        self.binder.set(x0=x)
        self.run.reset()

    def _draw_x0(self) -> None:
        if self.nfunction is None:
            return
        self.x0_line.setValue(self.x0)
        self.strip_x0.setValue(self.x0)
        with np.errstate(all="ignore"):
            y = float(self.nfunction(self.x0))
        self.x0_dot.setData([self.x0], [y] if math.isfinite(y) else [0.0])
