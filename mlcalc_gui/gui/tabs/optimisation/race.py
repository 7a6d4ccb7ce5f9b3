"""Descent compared: steepest descent, Newton, the course's hybrid and momentum race
from one start on one surface, each path in its own colour, dash and symbol."""

from __future__ import annotations

import math
from itertools import islice

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import optimisation as op
from mlcalc_gui.core.calculus import usable_with
from mlcalc_gui.core.expressions import Function
from mlcalc_gui.core.states import OptimisationState
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.page import Page
from mlcalc_gui.gui.panels.function_input import FunctionInput
from mlcalc_gui.gui.panels.landscape import FunctionLandscape
from mlcalc_gui.gui.panels.plots import legend, path_item, teaching_plot
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.steady import WrappedLabel

GRID_2D, GRID_3D = 160, 60

#: Each method's colour, dash and symbol (two cues besides the hue) and its names.
METHOD_STYLES = {
    "descent": (theme.SKY, Qt.DashLine, "t", "Steepest descent", "blue dashes, triangles"),
    "newton": (theme.PURPLE, Qt.DotLine, "d", "Newton", "pink dots, diamonds"),
    "hybrid": (theme.GREEN, Qt.SolidLine, "p", "The course's hybrid", "green line, pentagons"),
    "momentum": (theme.ORANGE, Qt.DashDotLine, "s", "Momentum", "orange dash-dots, squares"),
}


class RacePage(Page):
    key = "descent"
    title = "Descent compared"
    tip = "Four methods race down one surface"
    default_speed = 5  # 50 a second: a race of hundreds of steps
    PLACES = ("race", "race summary")
    OBSERVABLES = {"race_steps": "steps the race has run"}

    def observe(self) -> dict[str, float | bool]:
        return {"race_steps": float(self.path[-1].step if self.path else 0)}
    SPOILERS = ("race",)
    explanation = """
<p>Four ways down one surface, from the same start (drag it on the map):
<b>steepest descent</b> steps −η∇f; <b>Newton</b> steps −H<sup>−1</sup>∇f, to where the
quadratic model is flat, which may be a saddle or a maximum; the course's <b>hybrid</b>
takes Newton's step only when it goes down, else −½∇f; <b>momentum</b> keeps a velocity,
v ← βv − η∇f.</p>
<p>In Rosenbrock's valley steepest descent zig-zags and crawls; Newton follows the
valley in a few steps. <b>Play</b> (Space) races them; the plot below compares f.</p>
"""

    def __init__(self, host):
        super().__init__(host)
        self.surface: Function | None = None
        self.sdomain: tuple[float, float, float, float] = OptimisationState.surface_domain
        self.start = OptimisationState.start
        self._log_values = False

    # ---- layout --------------------------------------------------------------------------
    def build_panel(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.sinput = FunctionInput(op.SURFACE_PRESETS, check=usable_with(2), host=self.host)
        self.sinput.wire(self, self._on_surface)
        v.addWidget(self.sinput)
        box = QGroupBox("The race (drag the start on the map)")
        form = QFormLayout(box)
        def reset(_) -> None:
            self.run.reset()

        self.rate_spin = self.binder.number(
            "rate", OptimisationState, "The learning rate η of steepest descent and momentum",
            reset, step=0.001, decimals=5)
        form.addRow("Learning rate η", self.rate_spin)
        self.momentum_spin = self.binder.number(
            "momentum", OptimisationState, "β in v ← βv − η∇f: how much of the last step is "
            "kept", reset, step=0.05, decimals=3)
        form.addRow("Momentum β", self.momentum_spin)
        self.steps_spin = self.binder.number("steps", OptimisationState,
                                             "The most steps each method takes", reset)
        form.addRow("Steps at most", self.steps_spin)
        v.addWidget(box)
        self.race_text = WrappedLabel()
        self.race_text.setTextFormat(Qt.RichText)  # numbers and our own words only
        v.addWidget(self.race_text)
        return page

    def build_views(self) -> QWidget:
        self.landscape = FunctionLandscape(self.host, ("x", "y", "f"), titles=(
            "The surface and the four paths — drag to rotate",
            "Contour map — click or drag to move the start"), grid=GRID_2D, mesh=GRID_3D)
        self.landscape.sig_point_moved.connect(self.set_start)
        self.landscape.sig_drawn.connect(self._on_drawn)
        self.landscape.sig_status.connect(self.sig_status)
        self.landscape.prepare_with(self.sinput)  # typed: checked and drawn in one job
        plot = self.landscape.contour.getPlotItem()
        self.race_paths = {}
        self.race_curves = {}
        self.value_plot = teaching_plot("step", "f", "f along each path", font_pt=10,
                                        integer_x=True, grid=False)
        for name, (rgb, dash, symbol, _, _) in METHOD_STYLES.items():
            item = path_item(rgb, dash, symbol, size=6)
            item.setZValue(20 - len(self.race_paths))  # steepest descent, the slowest, on top
            plot.addItem(item)
            self.race_paths[name] = item
            self.race_curves[name] = self.value_plot.plot(
                [], [], pen=theme.mkpen(rgb, 2.5, dash))
        legend(self.value_plot, [(self.race_curves[m], METHOD_STYLES[m][3])
                                 for m in METHOD_STYLES], corner="bottom right", columns=2)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.landscape.pair())
        split.addWidget(self.value_plot)
        split.setSizes([650, 280])
        return split

    def places(self) -> dict[str, QWidget]:
        return {"race": self.value_plot, "race summary": self.race_text}

    def spoiler_parts(self) -> dict[str, list]:
        return {"race": [self.race_text, self.value_plot]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> dict:
        return {**self.binder.values(),
                "surface": self.surface.text if self.surface else self.sinput.text(),
                "surface_domain": self.sdomain, "start": self.start,
                "raced": self.path[-1].step if self.path else 0}

    def restore(self, state: OptimisationState) -> None:
        self.binder.set(rate=state.rate, momentum=state.momentum, steps=state.steps)
        self.start = state.start
        self.sinput.set_input(state.surface, state.surface_domain)
        if state.raced and self.surface is not None:
            self.run.show_records(list(islice(self._race(), state.raced + 1)))

    def preset_state(self, preset: op.SurfacePreset) -> dict:
        return {"surface": preset.text, "surface_domain": preset.domain,
                "start": preset.start, "rate": preset.rate, "raced": 0}

    # ---- the run -------------------------------------------------------------------------
    def _race(self):
        b = self.binder
        return op.race(self.surface, self.start, b["rate"], b["steps"], b["momentum"])

    def make_run(self, last):
        return islice(self._race(), len(self.path), None)

    def blocked(self, last) -> str | None:
        if self.surface is None:
            return "Type a surface f(x, y) first"
        if last is not None and (not any(last.moving) or last.step >= self.binder["steps"]):
            return "The race is over: move the start or press Reset (R)"
        return None

    def _on_cleared(self) -> None:
        for name in METHOD_STYLES:
            self.race_paths[name].setData([], [])
            self.race_curves[name].setData([], [])
            self.landscape.surface.set_line(f"line:{name}", [], [], [], (0, 0, 0, 1))
        self._draw_start()
        self._frame_start_value()
        self.race_text.setText(self._race_summary(None))

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        surface = self.landscape.surface
        paths = [self._method_points(i) for i in range(len(METHOD_STYLES))]
        for pts, (name, (rgb, *_)) in zip(paths, METHOD_STYLES.items(), strict=True):
            self.race_paths[name].setData(pts[:, 0], pts[:, 1])
            values = np.maximum(pts[:, 2], 1e-30) if self._log_values else pts[:, 2]
            self.race_curves[name].setData(np.arange(len(pts)), values)
            surface.set_line(f"line:{name}", pts[:, 0], pts[:, 1], pts[:, 2],
                             theme.gl_colour(rgb))
        last = self.path[-1]
        self.race_text.setText(self._race_summary(last, paths))
        self.run_status.say_live(f"Step {last.step}")

    def _done_text(self, last: op.RaceStep) -> str:
        return f"The race is over after {last.step} steps: see each method above."

    def _method_points(self, i: int) -> np.ndarray:
        return np.array([r.points[i] for r in self.path if r.moving[i]]).reshape(-1, 3)

    def _race_summary(self, last: op.RaceStep | None, paths=()) -> str:
        """Each method's line: its cues, and with ``last`` and its ``paths`` (one array
        of points each) how far it got."""
        lines = []
        for i, (rgb, _, _, title, cue) in enumerate(METHOD_STYLES.values()):
            head = (f"<span style='color:rgb{tuple(rgb)}'>■</span> <b>{title}</b> "
                    f"<span style='color:{theme.NOTE_HEX}'>({cue})</span>")
            if last is None:
                lines.append(head)
                continue
            pts = paths[i]
            x, y, value = pts[-1]
            steps = len(pts) - 1
            state = "still going" if last.moving[i] else "stopped"
            lines.append(f"{head}: {steps} step{'s' * (steps != 1)}, f = {fmt(value)} at "
                         f"({fmt(x)}, {fmt(y)}), {state}")
        return "<br>".join(lines)

    # ---- the surface and the start -------------------------------------------------------
    @Slot(object, object)
    def _on_surface(self, function: Function, domain) -> None:
        """A new surface: the race starts again at once, the landscape comes from the
        worker."""
        self.surface, self.sdomain = function, tuple(domain)
        self.landscape.draw(function, domain, self.sinput.prepared)
        x0, x1, y0, y1 = domain
        x, y = self.start
        self.start = (min(max(x, x0), x1), min(max(y, y0), y1))
        self.run.reset()

    @Slot(object)
    def _on_drawn(self, picture) -> None:
        """f ≥ 0 on the whole map (a sum of squares): a log scale shows how fast each
        method closes in."""
        log = bool(picture.extent[0] >= 0)
        if log == self._log_values:
            return
        self._log_values = log
        self.value_plot.getPlotItem().setLogMode(y=log)
        self.value_plot.getPlotItem().setTitle(
            "f along each path" + (" (log scale)" if log else ""), size="11pt")
        if self.path:
            self._on_batch(())  # the race so far, on the new scale
        else:
            self._frame_start_value()

    @Slot(float, float)
    def set_start(self, x: float, y: float) -> None:
        self.start = (float(x), float(y))
        self.run.reset()

    def _draw_start(self) -> None:
        if self.surface is None:
            return
        x, y = self.start
        with np.errstate(all="ignore"):
            z = float(self.surface(x, y))
        self.landscape.set_point(x, y, z)

    def _frame_start_value(self) -> None:
        """The plot of f along the paths round the start's value, not the range a last
        (perhaps diverged) race left: its ±8e15 axes stayed over an empty plot."""
        if self.surface is None:
            return
        with np.errstate(all="ignore"):
            value = float(self.surface(*self.start))
        if math.isfinite(value) and (value > 0 or not self._log_values):
            shown = math.log10(value) if self._log_values else value
            pad = max(abs(shown) * 0.1, 0.5)
            self.value_plot.getPlotItem().setRange(xRange=(0, 10), yRange=(shown - pad,
                                                                          shown + pad),
                                                   padding=0)
            self.value_plot.getPlotItem().enableAutoRange()
