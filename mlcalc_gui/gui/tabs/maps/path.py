"""Along a path: f(x, y) on the map and in 3D with a path r(t); the point at t with ∇f
and r′(t) drawn as arrows, their dot product in numbers, and below f(r(t)) with its
tangent and df/dt traced as t moves (predict the slope, then see it), checked against
the difference quotient.  Play walks t to the end of the path."""

from __future__ import annotations

import math
from itertools import islice

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import maps
from mlcalc_gui.core.contours import graph_range
from mlcalc_gui.core.states import MapsState
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.controls import LinesBox
from mlcalc_gui.gui.kit.page import Page
from mlcalc_gui.gui.kit.widgets import note_label
from mlcalc_gui.gui.panels.formulas_input import Formula, FormulasInput
from mlcalc_gui.gui.panels.landscape import FunctionLandscape
from mlcalc_gui.gui.panels.plots import legend, pointer_plot, teaching_plot
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.contour_view import arrow_segments

__all__ = ["PathPage"]

SAMPLES = 401  # points along the path
GRID = 81  # the map of f
TICKS = 1000  # the t slider's steps over the path
WALK = 200  # records of a walk over the whole path

EXPLANATION = """
<p>Walk along a path r(t) = (x(t), y(t)) over a surface f(x, y): how fast does f change?
The <b>total derivative</b> adds what each variable contributes:
df/dt = ∂f/∂x · dx/dt + ∂f/∂y · dy/dt = <b>∇f · r′(t)</b>.</p>
<p>On the map the red arrow is ∇f (uphill) and the blue one r′(t) (where the path goes).
Where they are at right angles, f does not change: the path runs along a contour.</p>
<p><b>Drag t</b> on the slider or on the plot of f(r(t)), or <b>Play</b> (Space): below,
df/dt is traced where you have been. Predict its sign from the arrows first.</p>
"""


class PathPage(Page):
    key = "path"
    title = "Along a path"
    tip = "f along r(t): the total derivative df/dt = ∇f · r′(t)"
    explanation = EXPLANATION
    speeds = (10, 30, 60, 0)
    default_speed = 1
    unit = "steps of t"
    IDLE_TEXT = "Play (Space) walks t to the end of the path; N one step."
    PLACES = ("path", "rate", "along")
    SPOILERS = ("rate",)
    OBSERVABLES = {"t": "where on the path the point is", "rate": "df/dt there",
                   "walked": "how many steps Play has walked"}

    def __init__(self, host):
        super().__init__(host)
        self.functions = None  # f, x(t), y(t)
        self.t_range = MapsState.t_range
        self.t = MapsState.t
        self.visited: dict[float, float] = {}  # t → df/dt where the learner has been

    # ---- layout --------------------------------------------------------------------------
    def build_panel(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.input = FormulasInput(
            "f and the path r(t)",
            (Formula("f", ("x", "y")), Formula("x(t)", ("t",)), Formula("y(t)", ("t",))),
            maps.PATH_PRESETS, lambda p: (p.f, p.x, p.y), domain=("t",))
        self.input.wire(self, self._on_path)
        v.addWidget(self.input)
        box = QGroupBox("At t")
        form = QFormLayout(box)
        self.t_slider = QSlider(Qt.Horizontal)
        self.t_slider.setRange(0, TICKS)
        self.t_slider.setPageStep(TICKS // 20)
        self.t_slider.setToolTip("Where on the path: t from its start to its end ([ and ])")
        self.binder.bind("t", self.t_slider, self.set_t,  # TICKS steps along the path
                         shown=lambda t: round((t - self.t_range[0]) / self._span() * TICKS),
                         taken=lambda k: self.t_range[0] + k / TICKS * self._span())
        form.addRow("t", self.t_slider)
        self.readout = LinesBox(6)
        form.addRow(self.readout)
        self.reveal = QCheckBox("Show df/dt along the whole path")
        self.reveal.setToolTip("Off: df/dt is traced only where you have been (predict it "
                               "first)")
        self.binder.bind("reveal", self.reveal, lambda _: self._draw_rate())
        form.addRow(self.reveal)
        self.words = note_label()
        form.addRow(self.words)
        v.addWidget(box)
        return page

    def build_views(self) -> QWidget:
        self.landscape = FunctionLandscape(self.host, ("x", "y", "f"), titles=(
            "f and the path in 3D — drag to rotate", "f's contours and the path"),
            grid=GRID, mesh=GRID)
        self.landscape.sig_status.connect(self.sig_status)
        self.map = self.landscape.contour
        self.map.sig_point_moved.connect(self._on_map_pressed)
        plot = self.map.getPlotItem()
        self.path_line = pg.PlotDataItem(pen=theme.mkpen(theme.PATH, 3))
        self.grad_arrow = pg.PlotDataItem(connect="pairs", pen=theme.mkpen(theme.UPHILL, 4))
        self.velocity_arrow = pg.PlotDataItem(connect="pairs",
                                              pen=theme.mkpen(theme.DOWNHILL, 4, Qt.DashLine))
        for item in (self.path_line, self.grad_arrow, self.velocity_arrow):
            item.setZValue(12)
            plot.addItem(item)
        self.f_plot, self.f_box = pointer_plot("t", "f(r(t))", grid=False)
        self.f_plot.getPlotItem().setTitle("f along the path — drag to move t", size="11pt")
        self.f_box.sig_pressed.connect(lambda t, _y: self.set_t(t))
        self.f_curve = self.f_plot.plot([], [], pen=theme.mkpen(theme.TEXT, 2.5))
        self.tangent = self.f_plot.plot([], [], pen=theme.mkpen(theme.VERMILLION, 2,
                                                                Qt.DashLine))
        self.f_dot = self.f_plot.plot([], [], pen=None, symbol="o", symbolSize=12,
                                      symbolBrush=theme.POINT, symbolPen="w")
        legend(self.f_plot, [(self.f_curve, "f(r(t))"),
                             (self.tangent, "slope df/dt at t")])
        self.rate_plot = teaching_plot("t", "df/dt", "df/dt = ∇f · r′(t), where you have been",
                                       font_pt=10, grid=False)
        self.rate_plot.setXLink(self.f_plot)
        self.rate_plot.addItem(pg.InfiniteLine(angle=0, pen=theme.mkpen(theme.GREY, 1)))
        self.rate_curve = self.rate_plot.plot([], [], pen=theme.mkpen(theme.ORANGE, 2.5),
                                              connect="finite")
        self.rate_dot = self.rate_plot.plot([], [], pen=None, symbol="o", symbolSize=11,
                                            symbolBrush=theme.ORANGE, symbolPen="w")
        # Side by side, not stacked: on a projector's 720 lines three plots in a column
        # were slivers with their ticks printed over each other.
        below = QSplitter(Qt.Horizontal)
        for plot in (self.f_plot, self.rate_plot):
            plot.setMinimumHeight(180)
            below.addWidget(plot)
        views = QSplitter(Qt.Vertical)
        views.addWidget(self.landscape.pair())
        views.addWidget(below)
        views.setSizes([560, 440])
        return views

    def observe(self) -> dict[str, float | bool]:
        step = self.path[-1] if self.path else (
            maps.path_step(*self.functions, self.t) if self.functions else None)
        return {"t": step.t if step else math.nan, "rate": step.rate if step else math.nan,
                "walked": float(len(self.path))}

    def places(self) -> dict[str, QWidget]:
        return {"path": self.landscape.map_box, "rate": self.rate_plot, "along": self.f_plot}

    def spoiler_parts(self) -> dict[str, list]:
        return {"rate": [self.rate_plot, self.readout, self.words]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> dict:
        f, x, y = (self.input.texts() if self.functions is None
                   else tuple(fn.text for fn in self.functions))
        return {**self.binder.values(), "f": f, "x_t": x, "y_t": y, "t_range": self.t_range,
                "t": self.t, "walked": len(self.path)}

    def restore(self, state: MapsState) -> None:
        self.binder.set(reveal=state.reveal)
        self.t = state.t
        self.input.set_input((state.f, state.x_t, state.y_t), state.t_range)
        if state.walked and self.functions is not None:
            self.run.show_records(list(islice(self._walk(self.t), state.walked)))

    def preset_state(self, preset: maps.PathPreset) -> dict:
        t0, t1 = preset.t_range
        return {"f": preset.f, "x_t": preset.x, "y_t": preset.y, "t_range": preset.t_range,
                "t": t0 + 0.3 * (t1 - t0), "walked": 0}

    # ---- the path --------------------------------------------------------------------------
    def _span(self) -> float:
        return self.t_range[1] - self.t_range[0]

    def _on_path(self, functions, domain) -> None:
        self.run.reset()
        self.functions = functions
        self.t_range = tuple(domain)
        self.visited = {}
        F, X, Y = functions
        ts = np.linspace(*self.t_range, SAMPLES)
        with np.errstate(all="ignore"):
            px, py = np.broadcast_to(X(ts), ts.shape), np.broadcast_to(Y(ts), ts.shape)
            self._ts, self._along = ts, np.asarray(F(px, py), dtype=float)
            self._px, self._py = px, py  # the path's samples (a press on the map finds t)
            self._rates = np.broadcast_to(maps.total_derivative(F, X, Y, ts), ts.shape)
        ok = np.isfinite(px) & np.isfinite(py)
        if not ok.any():
            self.sig_status.emit("The path has no finite point for this t: change x(t), y(t)")
            return
        x0, x1, y0, y1 = px[ok].min(), px[ok].max(), py[ok].min(), py[ok].max()
        pad = 0.25 * max(x1 - x0, y1 - y0, 0.5)
        self.map_domain = (x0 - pad, x1 + pad, y0 - pad, y1 + pad)
        self.landscape.draw(F, self.map_domain)  # (off the GUI thread)
        self.path_line.setData(px, py, connect="finite")
        self.landscape.surface.set_path(px[ok], py[ok], self._along[ok])
        self.f_curve.setData(ts, self._along, connect="finite")
        self.f_plot.getPlotItem().setRange(xRange=self.t_range,
                                           yRange=graph_range(self._along, pad=0.15) or (-1, 1),
                                           padding=0.02)
        self.set_t(min(max(self.t, self.t_range[0]), self.t_range[1]), force=True)

    def set_t(self, t: float, force: bool = False) -> None:
        if self.functions is None or not math.isfinite(t):
            return
        t = float(min(max(t, self.t_range[0]), self.t_range[1]))
        if t == self.t and not force:
            return
        self.t = t
        self._draw_at(maps.path_step(*self.functions, t))

    def nudge(self, sign: int) -> None:
        """[ and ]: t a fiftieth of the path back or on."""
        self.set_t(self.t + sign * self._span() / 50)

    def _on_map_pressed(self, x: float, y: float) -> None:
        """A press on the map: the point of the path nearest to it."""
        if self.functions is None:
            return
        with np.errstate(all="ignore"):
            d = (self._px - x) ** 2 + (self._py - y) ** 2
        if np.isfinite(d).any():
            self.set_t(float(self._ts[int(np.nanargmin(d))]))

    def _draw_at(self, step: maps.PathStep) -> None:
        self.binder.set(t=step.t)
        self.landscape.set_point(step.x, step.y, step.value)
        x0, x1, y0, y1 = self.map_domain
        length = 0.18 * min(x1 - x0, y1 - y0)
        for item, (dx, dy) in ((self.grad_arrow, step.gradient),
                               (self.velocity_arrow, step.velocity)):
            norm = math.hypot(dx, dy)
            if norm > 0 and math.isfinite(norm):
                item.setData(*arrow_segments(np.array([step.x]), np.array([step.y]),
                                             np.array([dx / norm * length]),
                                             np.array([dy / norm * length])).T,
                             connect="pairs")
            else:
                item.setData([], [])
        self.f_dot.setData([step.t], [step.value])
        half = 0.12 * self._span()
        self.tangent.setData([step.t - half, step.t + half],
                             [step.value - half * step.rate, step.value + half * step.rate])
        if math.isfinite(step.rate):
            self.visited[round(step.t, 9)] = step.rate
        self.rate_dot.setData([step.t], [step.rate])
        self._draw_rate()
        h = 1e-5 * max(1.0, abs(step.t))
        F, X, Y = self.functions
        with np.errstate(all="ignore"):
            quotient = (float(F(float(X(step.t + h)), float(Y(step.t + h))))
                        - float(F(float(X(step.t - h)), float(Y(step.t - h))))) / (2 * h)
        (gx, gy), (vx, vy) = step.gradient, step.velocity
        self.readout.setPlainText("\n".join([
            f"t = {fmt(step.t)}: r(t) = ({fmt(step.x)}, {fmt(step.y)}), f = {fmt(step.value)}",
            f"∇f = ({fmt(gx)}, {fmt(gy)})",
            f"r′(t) = ({fmt(vx)}, {fmt(vy)})",
            f"df/dt = ∇f · r′ = {fmt(step.rate)}",
            f"   = ({fmt(gx)})({fmt(vx)}) + ({fmt(gy)})({fmt(vy)})",
            f"check: [f(r(t+h)) − f(r(t−h))] / 2h = {fmt(quotient)}"]))
        self.words.setText(self._words(step))

    def _words(self, step: maps.PathStep) -> str:
        g, r = np.array(step.gradient), np.array(step.velocity)
        if not (np.all(np.isfinite(g)) and np.all(np.isfinite(r))):
            return "f or the path is not defined here: move t."
        if np.hypot(*r) == 0:
            return "The path stands still here (r′ = 0), so f does not change: df/dt = 0."
        cos = float(g @ r / (np.hypot(*g) * np.hypot(*r))) if np.hypot(*g) > 0 else 0.0
        if abs(cos) < 0.02:
            return ("∇f and r′ are at right angles: the path runs along a contour here, and "
                    "f does not change (df/dt ≈ 0).")
        angle = math.degrees(math.acos(max(-1.0, min(1.0, cos))))
        way = "climbs" if cos > 0 else "falls"
        return (f"∇f and r′ are {angle:.0f}° apart: the path {way}, at "
                f"|∇f| |r′| cos {angle:.0f}° = {fmt(step.rate)} per unit of t.")

    def _draw_rate(self) -> None:
        if self.functions is None:
            return
        if self.binder["reveal"]:
            self.rate_curve.setData(self._ts, self._rates, connect="finite")
            return
        ts = np.array(sorted(self.visited))
        rates = np.array([self.visited[t] for t in ts]) if ts.size else ts
        self.rate_curve.setData(ts, rates, connect="finite")

    # ---- the run: a walk along t -------------------------------------------------------------
    def _walk(self, start: float):
        steps = max(1, round(WALK * (self.t_range[1] - start) / self._span()))
        return maps.path_steps(*self.functions, start, self.t_range[1], steps)

    def blocked(self, last) -> str | None:
        if self.functions is None:
            return "No path yet: draw one"
        if last is None and self.t >= self.t_range[1]:
            self.set_t(self.t_range[0])
        return None

    def make_run(self, last):
        return islice(self._walk(self.t), len(self.path), None)

    def _on_cleared(self) -> None:
        if self.functions is not None:
            self._draw_at(maps.path_step(*self.functions, self.t))

    def _on_batch(self, records: tuple) -> None:
        for step in records[:-1]:
            if math.isfinite(step.rate):
                self.visited[round(step.t, 9)] = step.rate
        last = self.path[-1]
        self._draw_at(last)
        self.run_status.say_live(f"t = {fmt(last.t)}: df/dt = {fmt(last.rate)}")

    def _done_text(self, last) -> str:
        return (f"The end of the path, t = {fmt(last.t)}: df/dt is traced all the way "
                "below; where it crosses 0, f(r(t)) turns.")
