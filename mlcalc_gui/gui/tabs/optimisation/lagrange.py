"""Lagrange multipliers: f's contours with the constraint g = 0; the learner drags a
point along it and sees ∇f and ∇g, the angle between them and f against the arc length;
the solutions are marked with λ, and moving the constraint to g = c shows λ as the price
d f*/d c."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import optimisation as op
from mlcalc_gui.core.calculus import usable_with, why_undrawable
from mlcalc_gui.core.expressions import ExpressionError, Function, parse_function
from mlcalc_gui.core.states import OptimisationState
from mlcalc_gui.core.surfaces import sample_grid
from mlcalc_gui.gui import scale as ui_scale
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.controls import LinesBox
from mlcalc_gui.gui.kit.page import Page
from mlcalc_gui.gui.kit.widgets import error_label
from mlcalc_gui.gui.panels.function_input import FunctionInput
from mlcalc_gui.gui.panels.landscape import FunctionLandscape
from mlcalc_gui.gui.panels.plots import teaching_plot, text_label
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.tabs.optimisation.lagrange_solutions import SolutionsMixin
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.contour_view import arrow_segments

GRID_2D, GRID_3D = 160, 60
ARROW_PX = 90  # the least length of ∇f on the map, in pixels at normal text size
WALK_STRIDE = 3  # the points of the curve a walk (or [ and ]) moves at a time


class LagrangePage(SolutionsMixin, Page):
    key = "lagrange"
    title = "Lagrange multipliers"
    tip = "The best f on a curve: ∇f = λ∇g"
    default_speed = 4  # 20 a second: a walk round a curve
    PLACES = ("constraint", "solutions", "price")
    OBSERVABLES = {"angle_deg": "the angle between ∇f and ∇g at the point, in degrees "
                                "(0 or 180: parallel)",
                   "f_on_curve": "f at the point on the constraint"}

    def observe(self) -> dict[str, float | bool]:
        if self.here is None:
            return {}
        # parallel either way counts: 180° is ∇f = λ∇g with λ < 0
        angle = min(self.here.angle, 180.0 - self.here.angle)
        return {"angle_deg": float(angle), "f_on_curve": float(self.here.value)}
    SPOILERS = ("readout",)
    explanation = """
<p>To find the best f(x, y) on a curve g(x, y) = 0, look where the contour of f just
touches the curve: there <b>∇f is parallel to ∇g</b>, ∇f = λ∇g. λ is the
<b>Lagrange multiplier</b>.</p>
<p><b>Drag the point along the constraint</b> (or [ and ]; Play walks it round).
The arrows are ∇f (red) and ∇g (blue, dashed): where the angle between them is 0° or
180°, f along the curve (plot below) is flat, and that is a candidate. G jumps to the
best one.</p>
<p>λ is also a <b>price</b>: move the constraint to g = c and the best f changes by about
λ·c.</p>
"""

    def __init__(self, host):
        super().__init__(host)
        self.objective: Function | None = None
        self.constraint: Function | None = None
        self.ldomain: tuple[float, float, float, float] = OptimisationState.lagrange_domain
        self.point = OptimisationState.point  # where the learner asked for the point
        self.curves: list[op.Curve] = []
        self.here: op.CurvePoint | None = None  # the point on the curve shown
        self._piece = 0  # which piece of the curve the point is on
        self.solutions: list[op.LagrangePoint] = []
        self.price: op.Price | None = None
        self._gz = np.zeros((0, 0))
        self._walk_from: tuple[float, float] | None = None  # where Play started a walk

    # ---- layout --------------------------------------------------------------------------
    def build_panel(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.linput = FunctionInput(op.LAGRANGE_PRESETS, title="The function f(x, y) to "
                                    "make best", check=usable_with(2), host=self.host)
        self.linput.wire(self, self._on_objective)
        v.addWidget(self.linput)
        v.addWidget(self._constraint_box())
        box = QGroupBox("At the point")
        bl = QVBoxLayout(box)
        # Read-only text of a fixed height: its numbers change on every drag.
        self.here_text = LinesBox(6)
        self.here_text.setStyleSheet("QPlainTextEdit { font-family: monospace;"
                                     " background: transparent; }")
        self.here_text.setToolTip("The point on the constraint, and what f and g do there")
        bl.addWidget(self.here_text)
        self.verdict = LinesBox(4)
        self.verdict.setStyleSheet("QPlainTextEdit { background: transparent; }")
        bl.addWidget(self.verdict)
        v.addWidget(box)
        v.addWidget(self._solutions_box())
        self.search_task = BackgroundTask(self)
        self.search_task.sig_done.connect(self._on_solutions)
        self.search_task.sig_progress.connect(self._on_search_progress)
        self.search_task.sig_failed.connect(
            lambda _, why: self._say_problem(f"⚠ The search failed: {why}"))
        return page

    def _constraint_box(self) -> QGroupBox:
        box = QGroupBox("The constraint")
        bl = QVBoxLayout(box)
        row = QHBoxLayout()
        self.g_edit = QLineEdit()
        self.g_edit.setPlaceholderText("e.g. x^2 + y^2 - 1, x + y - 2")
        self.g_edit.setToolTip("g(x, y): the point must stay on the curve g = 0 (Enter)")
        self.g_edit.returnPressed.connect(self.apply_constraint)
        label = QLabel("g(x, y) =")
        label.setBuddy(self.g_edit)
        row.addWidget(label)
        row.addWidget(self.g_edit, 1)
        row.addWidget(QLabel("= 0"))
        draw = QPushButton("Draw")
        draw.setToolTip("Draw the typed constraint (Enter)")
        draw.clicked.connect(self.apply_constraint)
        row.addWidget(draw)
        bl.addLayout(row)
        self.g_error = error_label()
        bl.addWidget(self.g_error)
        return box

    def build_views(self) -> QWidget:
        self.llandscape = FunctionLandscape(self.host, ("x", "y", "f"), titles=(
            "f with the constraint lifted onto it — drag to rotate",
            "f's contours and g = 0 — drag the point along the curve"), grid=GRID_2D,
            mesh=GRID_3D)
        self.llandscape.sig_status.connect(self.sig_status)
        self.llandscape.prepare_with(self.linput)  # typed: checked and drawn in one job
        self.lmap = self.llandscape.contour
        self.lmap.sig_point_moved.connect(self.set_point)
        plot = self.lmap.getPlotItem()
        self.curve_line = pg.PlotDataItem(pen=pg.mkPen(theme.TEXT, width=3.5),
                                          connect="finite")
        self.shifted_line = pg.PlotDataItem(pen=theme.mkpen(theme.TEXT, 2, Qt.DashLine),
                                            connect="pairs")
        self.grad_f = pg.PlotDataItem(pen=theme.mkpen(theme.VERMILLION, 3.5), connect="pairs")
        self.grad_g = pg.PlotDataItem(pen=theme.mkpen(theme.BLUE, 3.5, Qt.DashLine),
                                      connect="pairs")
        self.solution_dots = pg.ScatterPlotItem(size=20, symbol="star",
                                                pen=pg.mkPen("k", width=1.2),
                                                brush=pg.mkBrush(255, 255, 255))
        for item in (self.curve_line, self.shifted_line, self.grad_f, self.grad_g,
                     self.solution_dots):
            item.setZValue(15)
            plot.addItem(item)
        self.label_f = text_label(theme.VERMILLION, 13)
        self.label_g = text_label(theme.BLUE, 13)
        for item in (self.label_f, self.label_g):
            plot.addItem(item)
        self.solution_labels: list[pg.TextItem] = []
        # The axis is named in the title: a bottom label would squash this short plot.
        self.s_plot = teaching_plot("", "f", "f against s, the distance along g = 0: flat "
                                    "where ∇f ∥ ∇g", font_pt=10, grid=False)
        self.s_curve = self.s_plot.plot([], [], pen=theme.mkpen(theme.TEXT, 2.5))
        self.s_curve.curve.setCacheMode(QGraphicsItem.DeviceCoordinateCache)  # (a drag)
        self.s_marks = self.s_plot.plot([], [], pen=None, symbol="star", symbolSize=16,
                                        symbolBrush="w", symbolPen=pg.mkPen("k", width=1.2))
        self.s_line = pg.InfiniteLine(angle=90, pen=theme.mkpen(theme.POINT, 2))
        self.s_plot.addItem(self.s_line)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.llandscape.pair())
        split.addWidget(self.s_plot)
        split.setSizes([700, 230])
        return split

    def places(self) -> dict[str, QWidget]:
        return {"constraint": self.here_text, "solutions": self.solutions_text,
                "price": self.price_text}

    def spoiler_parts(self) -> dict[str, list]:
        return {"readout": [self.here_text, self.verdict, self.solutions_text,
                            self.price_text]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> dict:
        return {**self.binder.values(),
                "objective": self.objective.text if self.objective else self.linput.text(),
                "constraint": self.constraint.text if self.constraint else self.g_edit.text(),
                "lagrange_domain": self.ldomain, "point": self.point}

    def restore(self, state: OptimisationState) -> None:
        self.binder.set(shift=state.shift)
        self.point = state.point
        self.g_edit.setText(state.constraint)
        self.linput.set_input(state.objective, state.lagrange_domain)

    def preset_state(self, preset: op.LagrangePreset) -> dict:
        return {"objective": preset.f, "constraint": preset.g,
                "lagrange_domain": preset.domain, "point": preset.point}

    # ---- the walk along the curve --------------------------------------------------------
    def make_run(self, last):
        curve = self.curves[self._piece]
        index = self.here.index if self.here is not None else 0
        if last is None:  # Reset brings the point back here
            self._walk_from = self.point
        start = index if last is None else index + WALK_STRIDE
        return op.walk_curve(self.objective, self.constraint, curve, start % len(curve.s))

    def blocked(self, last) -> str | None:
        if not self.curves or self.objective is None:
            return "Draw a function and a constraint that crosses the map first"
        curve = self.curves[self._piece]
        if last is not None and not curve.closed and last.index >= len(curve.s) - 1:
            return "The point is at the end of the curve: drag it back or press Reset (R)"
        return None

    def _on_cleared(self) -> None:
        if self._walk_from is not None and self.curves:  # a walk reset: back to its start
            point, self._walk_from = self._walk_from, None
            self.set_point(*point)

    def _on_scrubbed(self) -> None:
        walk_from, self._walk_from = self._walk_from, None  # not a reset: the point stays
        super()._on_scrubbed()
        self._walk_from = walk_from

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        last = self.path[-1]
        self.point = (last.x, last.y)
        self._show_here(last)
        self.run_status.say_live(f"s = {fmt(last.s)}: f = {fmt(last.value)}, angle "
                                 f"{last.angle:.1f}°")

    def _done_text(self, last) -> str:
        return "Walked the curve: the plot below shows f along it, flat at the solutions."

    def nudge(self, sign: int) -> None:
        if self.here is None or not self.curves:
            return
        curve = self.curves[self._piece]
        n = len(curve.s)
        index = self.here.index + sign * WALK_STRIDE
        index = index % (n - 1) if curve.closed else min(max(index, 0), n - 1)
        self.point = tuple(float(v) for v in curve.points[index])
        self._show_point(self._piece, index)

    # ---- f and g -------------------------------------------------------------------------
    @Slot(object, object)
    def _on_objective(self, function: Function, domain) -> None:
        """A new f: the constraint and the point on it at once, f's landscape from the
        worker."""
        self.objective, self.ldomain = function, tuple(domain)
        self.llandscape.draw(function, domain, self.linput.prepared)
        self.apply_constraint(force=True)

    def _refuse_constraint(self, problem: str) -> None:
        self.g_error.setText("⚠ " + problem)
        self.g_error.setVisible(True)
        self.g_edit.setStyleSheet(theme.INPUT_ERROR_STYLE)
        self.sig_status.emit("Constraint not drawn: " + problem)

    @Slot()
    def apply_constraint(self, force: bool = False) -> None:
        """Parse g; a good one that crosses the map is drawn, a bad one is refused
        beside the box and the previous constraint stays."""
        if self.objective is None:
            return
        text = self.g_edit.text()
        try:
            g = parse_function(text, ("x", "y"))
            problem = why_undrawable(g, self.ldomain, order=2)
            curves = [] if problem else op.constraint_curves(g, self.ldomain)
            if not problem and not curves:
                problem = ("g = 0 does not cross the map: change g (its value must change "
                           "sign on the map) or widen the domain")
        except ExpressionError as exc:
            problem = str(exc)
        if problem:
            self._refuse_constraint(problem)
            if self.constraint is None or not force:
                return
            g = self.constraint  # a new f keeps the last good constraint
            curves = op.constraint_curves(g, self.ldomain)
            if not curves:
                return
        else:
            self.g_error.setVisible(False)
            self.g_edit.setStyleSheet("")
        self.constraint, self.curves = g, curves
        xs, ys, _ = sample_grid(g, self.ldomain, GRID_2D)
        with np.errstate(all="ignore"):
            X, Y = np.meshgrid(xs, ys)
            self._gz = g(X, Y)
        self._gxy = (xs, ys)
        joined = np.concatenate([np.vstack([c.points, [[np.nan, np.nan]]]) for c in curves])
        self.curve_line.setData(joined[:, 0], joined[:, 1], connect="finite")
        surface = self.llandscape.surface
        for i, curve in enumerate(curves[:8]):
            surface.set_line(f"line:g{i}", *curve.points.T, self.objective(*curve.points.T),
                             theme.gl_colour(theme.TEXT), 4.0)
        for i in range(len(curves), 8):  # a last constraint's further pieces go
            surface.set_line(f"line:g{i}", [], [], [], theme.gl_colour(theme.TEXT))
        self.solutions, self.price = [], None
        self.solution_dots.setData([], [])
        for label in self.solution_labels:
            label.setVisible(False)
        self.run.reset()
        self.set_point(*self.point)
        self._search()

    # ---- the point on the curve ----------------------------------------------------------
    @Slot(float, float)
    def set_point(self, x: float, y: float) -> None:
        """The learner asks for the point at (x, y): it goes to the nearest point of the
        constraint."""
        if not self.curves:
            return
        if self.run.active or self.path:
            self.run.reset()  # a walk in progress stops where the learner takes over
        self.point = (float(x), float(y))
        best = min(((i, c.nearest(x, y)) for i, c in enumerate(self.curves)),
                   key=lambda ic: float(np.hypot(*(self.curves[ic[0]].points[ic[1]]
                                                   - (x, y)))))
        self._show_point(*best)

    def go_to_solution(self) -> None:
        """G: the point to the best solution (this page comes forward)."""
        best = op.best_point(self.solutions)
        if best is None:
            self.sig_status.emit("No solution found yet on this constraint")
            return
        self.host.show_page(self)
        self.set_point(best.x, best.y)

    def _show_point(self, piece: int, index: int) -> None:
        curve = self.curves[piece]
        at = None
        gap = curve.spacing
        for p in self.solutions:  # near a solution: show the solution itself
            if math.hypot(p.x - curve.points[index][0], p.y - curve.points[index][1]) < gap:
                at = (p.x, p.y)
        redraw = piece != self._piece
        self._piece = piece
        self._show_here(op.curve_point(self.objective, self.constraint, curve, index, at))
        if redraw:
            self._draw_s_plot()

    def _show_here(self, here: op.CurvePoint) -> None:
        self.here = here
        x, y = here.x, here.y
        self.lmap.set_point(x, y)
        if math.isfinite(here.value):
            self.llandscape.surface.set_point_soon(x, y, here.value)
        self._draw_gradients(here)
        self.s_line.setValue(here.s)
        self.here_text.setPlainText(
            f"(x, y) = ({fmt(x)}, {fmt(y)})   s = {fmt(here.s)}\n"
            f"f = {fmt(here.value)}\n"
            f"∇f = ({fmt(here.grad_f[0])}, {fmt(here.grad_f[1])})\n"
            f"∇g = ({fmt(here.grad_g[0])}, {fmt(here.grad_g[1])})\n"
            f"angle between them: {here.angle:.1f}°\n"
            f"df/ds along the curve: {fmt(here.slope)}")
        if not math.isfinite(here.angle):
            text = "∇f or ∇g is zero or has no value here."
        elif min(here.angle, 180 - here.angle) < 1.0:
            text = (f"Parallel: ∇f = λ∇g with λ = {fmt(here.multiplier)}. f along the curve "
                    "is flat here: a candidate for the best f.")
        else:
            way = "grows" if here.slope > 0 else "falls"
            text = (f"Not parallel: ∇f has a part along the curve, so f {way} as the point "
                    "moves on (df/ds ≠ 0). Keep going towards the flat place.")
        if self.verdict.toPlainText() != text:
            self.verdict.setPlainText(text)

    def _draw_gradients(self, here: op.CurvePoint) -> None:
        """∇f and ∇g at the point: directions only (their sizes are in the panel)."""
        x, y = here.x, here.y
        x0, x1, y0, y1 = self.ldomain
        # Long enough on screen to stand clear of the point and its label, which grow
        # with the text (in presentation mode the arrows were 20-30 px under them).
        pixel = max(self.lmap.getPlotItem().getViewBox().viewPixelSize())
        length = max(0.15 * min(x1 - x0, y1 - y0), ARROW_PX * ui_scale.factor() * pixel)
        # ∇g shorter, so where the two are parallel both still show, and their names
        # stand on either side of them.
        for item, label, (u, v), name, scale, side in (
                (self.grad_f, self.label_f, here.grad_f, "∇f", 1.0, 1.0),
                (self.grad_g, self.label_g, here.grad_g, "∇g", 0.6, -1.0)):
            norm = math.hypot(u, v)
            if not (math.isfinite(norm) and norm > 0):
                item.setData([], [])
                label.setVisible(False)
                continue
            ux, uy = u / norm, v / norm
            du, dv = ux * length * scale, uy * length * scale
            item.setData(*arrow_segments([x], [y], [du], [dv], 0.25).T, connect="pairs")
            label.setText(name)
            label.setAnchor((0.5, 0.5))
            label.setPos(x + du + 0.12 * length * ux - side * 0.16 * length * uy,
                         y + dv + 0.12 * length * uy + side * 0.16 * length * ux)
            label.setVisible(True)

    def _draw_s_plot(self) -> None:
        if not self.curves:
            return
        curve = self.curves[self._piece]
        self.s_curve.setData(curve.s, self.objective(*curve.points.T))
        gap = curve.spacing
        marks = []
        for p in self.solutions:
            i = curve.nearest(p.x, p.y)
            if math.hypot(*(curve.points[i] - (p.x, p.y))) < 2 * gap:
                marks.append((curve.s[i], p.value))
        marks = np.array(marks).reshape(-1, 2)
        self.s_marks.setData(marks[:, 0], marks[:, 1])
