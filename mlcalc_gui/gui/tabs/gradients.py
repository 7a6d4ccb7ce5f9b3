"""The Gradients tab: f(x, y) as a 3D surface and a contour map, the gradient and Hessian
at a point, and gradient descent from it."""

from __future__ import annotations

from functools import partial

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QPushButton,
    QSplitter,
    QWidget,
)

from mlcalc_gui.core.calculus import (
    PointAnalysis,
    analyse_point,
    analysed_step,
    descent_path,
    find_stationary_point,
    gradient_descent,
    skip_start,
    usable_with,
)
from mlcalc_gui.core.expressions import Function, parse_function
from mlcalc_gui.core.runner import Shown
from mlcalc_gui.core.states import MAX_RUN, GradientsState
from mlcalc_gui.core.surfaces import PRESETS, Preset
from mlcalc_gui.core.thinning import RecordArrays
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.shortcuts import Shortcut, playback_shortcuts
from mlcalc_gui.gui.kit.tab import TutorTab
from mlcalc_gui.gui.kit.widgets import panel_column
from mlcalc_gui.gui.panels.descent_box import DescentBox
from mlcalc_gui.gui.panels.formula_box import FormulaBox
from mlcalc_gui.gui.panels.function_input import FunctionInput
from mlcalc_gui.gui.panels.landscape import FunctionLandscape
from mlcalc_gui.gui.panels.plots import SteadyRange, teaching_plot
from mlcalc_gui.gui.panels.point_readout import HessianReadout, PointReadout
from mlcalc_gui.gui.run.tab_run import RunTabMixin
from mlcalc_gui.gui.theme import format_number as fmt

GRID_3D = 70  # surface mesh resolution (normals are recomputed on every change)
FIELD = 15  # arrows per side of the gradient field

EXPLANATION = f"""
<p>The <b>gradient</b> ∇f = (∂f/∂x, ∂f/∂y) points
<span style="color:{theme.UPHILL_HEX}"><b>uphill</b></span>,
the way f grows fastest; its length is how steep that is. Its negative points
<span style="color:{theme.DOWNHILL_HEX}"><b>downhill</b></span>. On the map the gradient
always crosses the
contour lines at right angles.</p>
<p><b>Click or drag on the map</b> to move the point. Where ∇f = 0 the <b>Hessian</b>
(the matrix of second derivatives) tells a minimum (both eigenvalues &gt; 0) from a maximum
(both &lt; 0) or a saddle (one of each).</p>
<p><b>Gradient descent</b> repeats x ← x − η∇f(x): press <b>Play</b> (Space) or <b>Step</b> (N).
Too large a learning rate η overshoots and diverges.</p>
"""


class GradientsTab(RunTabMixin, TutorTab):
    title = "Gradients"
    State = GradientsState
    shortcuts = (*playback_shortcuts(),
                 Shortcut("J", "jump to the nearest stationary point",
                          lambda tab: tab.jump_to_stationary()))
    restore_after_paint = True  # the first parse imports sympy

    def __init__(self, parent=None):
        super().__init__(parent)
        self.function: Function | None = None
        self.domain: tuple[float, float, float, float] = PRESETS[0].domain
        self.start: tuple[float, float] = PRESETS[0].start  # where the learner put the point
        self.point: tuple[float, float] = self.start  # the point shown: the start, or a step
        self.analysis: PointAnalysis | None = None  # f at the point shown

    @property
    def verdict(self) -> str:
        """The Hessian's verdict at the point shown, with what the values round it say
        where the test is inconclusive ("inconclusive: no extremum")."""
        a = self.analysis
        if a is None:
            return ""
        return f"{a.verdict}: {a.around}" if a.around else a.verdict

    # ---- layout --------------------------------------------------------------------------
    def build(self) -> None:
        panel = self._build_panel()
        self.install_run(self._descent_run, self._blocked, self.descent_status)
        self.path_rows = RecordArrays(lambda r: (r.step, *r.point, r.value), 4)
        self._panels = self.run.live(self._show_panels)
        self.landscape = FunctionLandscape(self, ("x", "y", "f"), titles=(
            "Surface z = f(x, y) — drag to rotate",
            "Contour map — click or drag to move the point"), field=FIELD, mesh=GRID_3D)
        self.landscape.sig_point_moved.connect(self.set_point)
        self.landscape.sig_drawn.connect(lambda _: self._draw_field())
        self.landscape.sig_status.connect(self.sig_status)
        self.landscape.prepare_with(self.input)  # typed: checked and drawn in one job
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.landscape.pair())
        self.value_plot = teaching_plot("step", "f", "f along the descent path", font_pt=10,
                                        integer_x=True)
        self.value_curve = self.value_plot.plot([], [], pen=theme.mkpen(theme.PATH, 2.5),
                                                symbol="o", symbolSize=5,
                                                symbolBrush=theme.PATH, symbolPen=None)
        self.value_range = SteadyRange(self.value_plot)
        right.addWidget(self.value_plot)
        right.setSizes([700, 200])
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        self.set_main_layout(panel, right, 390)

    def _build_panel(self) -> QWidget:
        panel, layout = panel_column(EXPLANATION)
        self.input = FunctionInput(PRESETS, check=usable_with(2), host=self)
        self.input.wire(self, self._on_function)
        layout.addWidget(self.input)

        self.readout = PointReadout()
        self.readout.add_row(QLabel(
            f"<span style='color:rgb{theme.UPHILL}'>■</span> ∇f uphill &nbsp; "
            f"<span style='color:rgb{theme.DOWNHILL}'>■</span> −∇f downhill &nbsp; "
            f"<span style='color:rgb{theme.PATH}'>■</span> descent path"))
        self.show_plane = QCheckBox("Tangent plane in 3D")
        self.show_plane.setChecked(True)
        self.show_plane.setToolTip("The plane z = f + ∂f/∂x·Δx + ∂f/∂y·Δy that touches f here")
        self.show_field = QCheckBox("Gradient field on the map")
        self.show_field.setChecked(True)
        self.show_field.setToolTip("Arrows of ∇f across the map: longer means steeper")
        self.binder.bind("show_plane", self.show_plane, lambda _: self._show_point(self.point))
        self.binder.bind("show_field", self.show_field, lambda _: self._draw_field())
        self.readout.add_row(self.show_plane)
        self.readout.add_row(self.show_field)
        layout.addWidget(self.readout)

        self.hessian = HessianReadout()
        jump = QPushButton("Jump to the nearest stationary point")
        jump.setToolTip("Newton's method on ∇f = 0 from here: finds a minimum, maximum or "
                        "saddle (J)")
        jump.clicked.connect(self.jump_to_stationary)
        self.hessian.add_widget(jump)
        layout.addWidget(self.hessian)

        box = DescentBox("Gradient descent from the point",
                         ("Learning rate η", "The learning rate η in x ← x − η∇f(x)"),
                         (0.0001, 10.0), ("Steps at most", "The most steps one run takes"),
                         300, speeds=(1, 2, 5, 10, 20, 50, 100, 0))
        self.rate_spin = self.binder.bind("rate", box.rate_spin, lambda _: self.run.restart())
        self.steps_spin = self.binder.bind("steps", box.steps_spin)
        self.playback, self.descent_status, self.descent_box = box.playback, box.status, box
        layout.addWidget(box)

        self.formulas = FormulaBox(self)
        self.formulas.sig_status.connect(self.sig_status)
        layout.addWidget(self.formulas)
        layout.addStretch(1)
        return panel

    PLACES = ("readout", "hessian", "descent", "formulas", "map", "surface", "values")
    OBSERVABLES = {"x": "the point's x", "y": "the point's y", "f": "f at the point",
                   "grad_norm": "|∇f|, the gradient's length at the point",
                   "steps": "steps of descent taken"}

    def observe(self) -> dict[str, float | bool]:
        a = getattr(self, "analysis", None)
        if a is None or self.point is None:
            return {"steps": float(max(len(self.path) - 1, 0))}
        return {"x": float(self.point[0]), "y": float(self.point[1]), "f": float(a.value),
                "grad_norm": float(np.hypot(*a.gradient)),
                "steps": float(max(len(self.path) - 1, 0))}

    def places(self) -> dict[str, QWidget]:
        return {"readout": self.readout, "hessian": self.hessian, "descent": self.descent_box,
                "formulas": self.formulas, "map": self.landscape.map_box,
                "surface": self.landscape.surface_box, "values": self.value_plot}

    SPOILERS = ("readout", "hessian", "formulas", "descent")

    def spoiler_parts(self) -> dict[str, list]:
        return {"readout": [self.readout], "hessian": [self.hessian],
                "formulas": [self.formulas],
                "descent": [self.descent_status, self.value_plot]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> GradientsState:
        return GradientsState(
            function=self.function.text if self.function else self.input.text(),
            domain=self.domain, start=self.start,
            path=tuple(r.point for r in self.path[-MAX_RUN:]),  # a session holds this many
            **self.binder.values())

    def restore(self, state: GradientsState) -> None:
        self.binder.set(show_plane=state.show_plane, show_field=state.show_field,
                        rate=state.rate, steps=state.steps)
        kept, self.start = self.start, state.start
        if not self.input.set_input(state.function, state.domain):
            self.start = kept  # the function was refused: the point stays with it
        elif state.path:
            self.run.show_records(descent_path(self.function, state.path))

    def demo_state(self) -> GradientsState:
        """Himmelblau (four minima, a curving path), stopped after six steps, where the
        arrows and the tangent plane say most."""
        preset = PRESETS[4]
        start = (-0.4, -3.6)
        path = [r.point for r in gradient_descent(parse_function(preset.text), start,
                                                  preset.learning_rate, steps=6)]
        return GradientsState(preset.text, preset.domain, start, preset.learning_rate, 6,
                              tuple(path))

    # ---- the function --------------------------------------------------------------------
    def preset_state(self, preset: Preset) -> dict:
        return {"function": preset.text, "domain": preset.domain, "start": preset.start,
                "rate": preset.learning_rate, "path": ()}

    @Slot(object, object)
    def _on_function(self, function: Function, domain) -> None:
        """A new function or domain: the point and its numbers at once (the start kept if
        it is still inside), the landscape and its arrows from the worker."""
        self.function, self.domain = function, domain
        self.landscape.draw(function, domain, self.input.prepared)
        self._draw_field()  # (the last function's arrows go until the new ones come)
        self.formulas.set_function(function)
        if not self._inside(self.start):
            x0, x1, y0, y1 = domain
            self.start = ((x0 + x1) / 2 + 0.17 * (x1 - x0), (y0 + y1) / 2 + 0.11 * (y1 - y0))
        self.set_point(*self.start)
        self.sig_status.emit(f"Drawing f(x, y) = {function.text}")

    def _inside(self, point) -> bool:
        x0, x1, y0, y1 = self.domain
        return x0 <= point[0] <= x1 and y0 <= point[1] <= y1

    def _draw_field(self) -> None:
        """The gradient field of the function shown, if asked for (it comes with the
        landscape's pictures, worked out off the GUI thread)."""
        picture = self.landscape.picture
        if (self.function is None or not self.binder["show_field"] or picture is None
                or picture.tag != (self.function.text, tuple(self.domain))
                or picture.field is None):
            self.landscape.contour.clear_arrow_field()
        else:
            self.landscape.contour.set_arrow_field(*picture.field)

    # ---- the point -----------------------------------------------------------------------
    @Slot(float, float)
    def set_point(self, x: float, y: float) -> None:
        """The learner puts the point here: the old path goes, and the next descent
        starts from here."""
        self.start = (float(x), float(y))
        self.run.reset()  # draws the start through _on_cleared

    def _show_point(self, point: tuple[float, float], live: bool = False,
                    analysis: PointAnalysis | None = None) -> None:
        """Show ``point`` (the start, or the descent's latest step) and what f does there
        (``live``: a running descent's step, whose numbers change a few times a second;
        ``analysis``: f there, when the step's record brings it from the worker)."""
        self.point = point
        if self.function is None:
            return
        a = self.analysis = analysis or analyse_point(self.function, point)
        x, y = point
        x0, x1, y0, y1 = self.domain
        length = 0.12 * min(x1 - x0, y1 - y0)
        # No arrows where ∇f is round-off (stationary) or f is undefined.
        gx, gy = (0.0, 0.0) if a.stationary or a.verdict == "undefined" else a.gradient
        self.landscape.set_point(x, y, a.value)
        self.landscape.contour.set_point_arrows(x, y, gx, gy, length)
        surface = self.landscape.surface
        if np.isfinite(a.value):
            surface.set_gradient_arrows(x, y, a.value, gx, gy, length)
            if self.binder["show_plane"] and np.all(np.isfinite(a.gradient)):
                surface.set_tangent_plane(x, y, a.value, *a.gradient,
                                          (0.12 * (x1 - x0), 0.12 * (y1 - y0)))
            else:
                surface.remove_plane()
        (self._panels if live else self._panels.now)(point, a)

    def _show_panels(self, point: tuple[float, float], a) -> None:
        self.readout.show_analysis(a)
        self.hessian.show_analysis(a, "Press <i>Jump</i> to find a stationary point.")
        self.formulas.show_values(point, a.value, a.gradient)

    @Slot()
    def jump_to_stationary(self) -> None:
        if self.function is None:
            return
        found = find_stationary_point(self.function, self.point)
        if found is None or not self._inside(found):
            self.sig_status.emit("Newton's method found no stationary point near here "
                                 "inside the domain; try another point")
            return
        self.set_point(float(found[0]), float(found[1]))
        self.sig_status.emit(f"Stationary point at ({fmt(found[0])}, {fmt(found[1])}): "
                             f"{self.verdict}")

    # ---- descent -------------------------------------------------------------------------
    def _blocked(self, last) -> str | None:
        return "Type a function first" if self.function is None else None

    def _descent_run(self, last):
        start = last.point if last else self.start
        gen = gradient_descent(self.function, start, self.binder["rate"],
                               steps=self.binder["steps"],
                               first_step=last.step if last else 0)
        # Each frame's step comes with f's analysis there, made in the worker.
        return Shown(skip_start(gen) if last else gen, partial(analysed_step, self.function))

    def _on_cleared(self) -> None:
        self.landscape.set_path([], [])
        self.value_curve.setData([], [])
        self.value_range.forget()
        self._show_point(self.start)
        # Round the start's value: an empty plot kept the axes of the last run (±8e15
        # after one that diverged).
        if self.analysis is not None and np.isfinite(self.analysis.value):
            self.value_range.fit([0.0], [self.analysis.value])
            self.value_range.forget()  # the run's first records make the range anew

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        shown = self.path_rows.drawn(self.path)
        self.landscape.set_path(shown[:, 1:3], shown[:, 3])
        self.value_curve.setData(shown[:, 0], shown[:, 3])
        self.value_range.fit(shown[:, 0], shown[:, 3])
        last = self.path[-1]
        self._show_point(last.point, live=True, analysis=last.analysis)
        self.run_status.say_live(f"Step {last.step}: f = {fmt(last.value)}, "
                                 f"|∇f| = {fmt(last.gradient_norm)}")

    def _done_text(self, last) -> str:
        why = ("the gradient vanished: converged" if last.gradient_norm < 1e-9
               else "reached the step limit")
        return (f"Stopped at step {last.step} ({why}): f = {fmt(last.value)} at "
                f"({fmt(last.point[0])}, {fmt(last.point[1])})")
