"""The Taylor tab's second page: f(x, y) on the 3D view with its tangent plane or its
quadratic model at a point dragged on the map, which shows the model's error and its own
contours, with the Hessian's principal axes."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGroupBox, QRadioButton, QVBoxLayout, QWidget

from mlcalc_gui.core import taylor as tl
from mlcalc_gui.core.calculus import usable_with
from mlcalc_gui.core.expressions import Function
from mlcalc_gui.core.states import TaylorState
from mlcalc_gui.core.surfaces import sample_grid
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.page import Page
from mlcalc_gui.gui.kit.widgets import error_label, note_label
from mlcalc_gui.gui.panels.function_input import FunctionInput
from mlcalc_gui.gui.panels.landscape import Landscape
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.steady import WrappedLabel

__all__ = ["ModelPage"]

GRID_2D = 81  # the map and the mesh

EXPLANATION = """
<p>In two variables the Taylor polynomial about a point a is a surface: order 1 is the
<b>tangent plane</b> f(a) + ∇f(a)·Δ, the linearisation; order 2 the <b>quadratic model</b>
f(a) + ∇f(a)·Δ + ½ ΔᵀHΔ, with the Hessian H.</p>
<p><b>Drag the point on the map</b> (or the arrow keys); <b>+</b> and <b>−</b> switch the order.
The map shows how far the model is from f (log₁₀ of the error): small near the point,
growing away from it. The model's own contours are ellipses where H's eigenvalues share a
sign, hyperbolas at a saddle; its principal axes are H's eigenvectors.</p>
<p>The <b>One variable</b> page (T) has the series of f(x) and its radius.</p>
"""


class ModelPage(Page):
    key = "2d"
    title = "Two variables: f(x, y)"
    tip = "The tangent plane and the quadratic model"
    explanation = EXPLANATION
    runs = False
    NO_RUN = ("Nothing plays in two variables: + and − switch the tangent plane and the "
              "quadratic model; Play raises the order in the one-variable view (T)")
    PLACES = ("model", "map")
    SPOILERS = ("verdict",)

    def __init__(self, host):
        super().__init__(host)
        self.function2d: Function | None = None
        self.domain2d: tuple[float, float, float, float] = (-2.0, 2.0, -2.0, 2.0)
        self.point = TaylorState.point
        self.model: tl.Model2D | None = None

    # ---- layout --------------------------------------------------------------------------
    def build_panel(self) -> QWidget:
        two = QWidget()
        v = QVBoxLayout(two)
        v.setContentsMargins(0, 0, 0, 0)
        self.input2d = FunctionInput(tl.PRESETS_2D, variables=("x", "y"), check=usable_with(0),
                                      host=self.host)
        self.input2d.wire(self, self._on_function_2d)
        v.addWidget(self.input2d)
        box = QGroupBox("The model at the point")
        bl = QVBoxLayout(box)
        self.order2d_group = QButtonGroup(self)
        for order, text, tip in ((1, "Order 1: the tangent plane",
                                  "f(a) + ∇f(a)·Δ: the surface's linearisation"),
                                 (2, "Order 2: the quadratic model",
                                  "f(a) + ∇f(a)·Δ + ½ ΔᵀHΔ, with the Hessian H")):
            button = QRadioButton(text)
            button.setToolTip(tip)
            self.order2d_group.addButton(button, order)
            bl.addWidget(button)
        self.order2d_group.button(TaylorState.order2d).setChecked(True)
        self.order2d_group.idClicked.connect(lambda _: self._draw_model())
        self.model_text = WrappedLabel()
        self.model_text.setTextFormat(Qt.PlainText)
        self.model_text.setStyleSheet("font-family: monospace;")
        bl.addWidget(self.model_text)
        self.model_error = error_label()
        bl.addWidget(self.model_error)
        bl.addWidget(note_label("Drag the point on the map (or use the arrow keys). The map "
                                "shows log₁₀ of the model's error; white lines are the "
                                "model's own contours, red and blue its principal axes."))
        v.addWidget(box)
        return two

    def build_views(self) -> QWidget:
        self.landscape = Landscape(self.host, ("x", "y", "f"), titles=(
            "f and its model (orange) in 3D", "log₁₀ |f − model| — drag the point"))
        self.map = self.landscape.contour
        self.map.sig_point_moved.connect(self.set_point)
        plot = self.map.getPlotItem()
        self.model_contours = pg.PlotDataItem(connect="pairs",
                                              pen=pg.mkPen(255, 255, 255, 220, width=1.6))
        self.axis_lines = [pg.PlotDataItem(pen=theme.mkpen(c, 3, style))
                           for c, style in ((theme.VERMILLION, Qt.SolidLine),
                                            (theme.BLUE, Qt.DashLine))]
        for item in (self.model_contours, *self.axis_lines):
            item.setZValue(12)
            plot.addItem(item)
        self._samples = None  # f's samples on the GRID_2D grid, once worked out
        self.task = BackgroundTask(self.host)
        self.task.sig_done.connect(self._on_model)
        self.task.sig_failed.connect(self._on_model_failed)
        return self.landscape.pair()

    def places(self) -> dict[str, QWidget]:
        return {"model": self.model_text.parentWidget(), "map": self.landscape.map_box}

    def spoiler_parts(self) -> dict[str, list]:
        return {"verdict": [self.model_text]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> dict:
        return {"function2d": self.function2d.text if self.function2d else self.input2d.text(),
                "domain2d": self.domain2d, "point": self.point, "order2d": self._order2d()}

    def restore(self, state: TaylorState) -> None:
        self.order2d_group.button(state.order2d).setChecked(True)
        self.point = state.point
        self.input2d.set_input(state.function2d, state.domain2d)

    # ---- the keys ------------------------------------------------------------------------
    def order_up(self) -> None:
        self.set_order2d(2)

    def order_down(self) -> None:
        self.set_order2d(1)

    def step_position(self) -> str:
        return f"the model's order {self._order2d()} of 2"

    def step_at_end(self) -> bool:
        return self._order2d() == 2

    # ---- the model -----------------------------------------------------------------------
    def _order2d(self) -> int:
        return self.order2d_group.checkedId() if self.order2d_group.checkedId() > 0 else 2

    def set_order2d(self, order: int) -> None:
        """The two-variable model: 1 the tangent plane, 2 the quadratic model."""
        if order != self._order2d():
            self.order2d_group.button(order).setChecked(True)
            self._draw_model()

    def preset_state(self, preset) -> dict:
        return {"function2d": preset.text, "domain2d": preset.domain, "point": preset.point}

    def _on_function_2d(self, function: Function, domain) -> None:
        self.function2d, self.domain2d = function, tuple(domain)
        x0, x1, y0, y1 = domain
        x, y = self.point
        self.point = (min(max(x, x0), x1), min(max(y, y0), y1))
        self.map.set_point(*self.point)
        self._samples = None  # f's samples are worked out with its first model
        self._draw_model()

    def set_point(self, x: float, y: float) -> None:
        self.point = (float(x), float(y))
        self.map.set_point(*self.point)  # at once; the model follows from the worker
        self._draw_model()

    @property
    def pending(self) -> bool:
        """The model at the point shown is still being worked out."""
        return self.task.busy

    def _draw_model(self) -> None:
        """Ask the worker for the model at the point (the newest point wins): f's
        samples (the first time), the model, its error map and its contours."""
        f = self.function2d
        if f is None:
            return
        samples, domain, point, order = self._samples, self.domain2d, self.point, \
            self._order2d()

        def work():
            with np.errstate(all="ignore"):  # f undefined somewhere: holes, not warnings
                grid = samples or sample_grid(f, domain, GRID_2D)
                return tl.model_picture(f, grid, point, order)

        self.task.submit((f.text, domain, point, order), work)

    def _on_model_failed(self, _tag, why: str) -> None:
        self.model_error.setText(f"⚠ {why}")
        self.model_error.setVisible(True)

    def _on_model(self, tag, picture: tl.ModelPicture) -> None:
        # (only the newest request is answered: a function since replaced asked anew)
        point = tag[2]
        if picture.samples is not self._samples:  # a new f: its surface
            self._samples = picture.samples
            self.landscape.surface.set_surface(*picture.samples)
        self.model_error.setVisible(False)
        model = self.model = picture.model
        xs, ys, _ = picture.samples
        self.map.set_field(xs, ys, picture.error, levels=tl.ERROR_LEVELS,
                           label="log₁₀ |f − model|", segments=picture.error_contours)
        self.map.set_point(*self.point)
        self.landscape.surface.set_model(xs, ys, picture.heights)
        self.landscape.surface.set_point(*point, model.value)
        segs = picture.model_contours
        self.model_contours.setData(segs[:, 0], segs[:, 1], connect="pairs")
        for line, ends in zip(self.axis_lines, picture.axes or ((), ()), strict=True):
            line.setData(*(ends or ([], [])))
        gx, gy = model.gradient
        (hxx, hxy), (_, hyy) = model.hessian
        lines = [f"at ({fmt(point[0])}, {fmt(point[1])}):",
                 f"f(a) = {fmt(model.value)}",
                 f"∇f(a) = ({fmt(gx)}, {fmt(gy)})"]
        if model.order == 2:
            values = model.axes()[0]
            lines += [f"H = [[{fmt(hxx)}, {fmt(hxy)}], [{fmt(hxy)}, {fmt(hyy)}]]",
                      f"eigenvalues {fmt(values[0])}, {fmt(values[1])}: contours are "
                      f"{model.kind()}",
                      "model = f(a) + ∇f·Δ + ½ ΔᵀHΔ"]
        else:
            lines.append("model = f(a) + ∇f·Δ: a plane, so its contours are straight lines")
        self.model_text.setText("\n".join(lines))
