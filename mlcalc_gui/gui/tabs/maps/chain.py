"""The chain, and one neuron: a composition of maps written as boxes with their
Jacobians, numbers filled in at the input, multiplying to the Jacobian of the whole;
then a single neuron a = tanh(w x + b) learning NOT from the course's start
(w, b) = (2.3, −1.2), its cost over (w, b) with the descent path, its outputs for the
inputs 0 and 1 as it learns, and ∂C/∂w as the chain ∂C/∂a · ∂a/∂z · ∂z/∂w with its
numbers at each step."""

from __future__ import annotations

from itertools import islice

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import maps
from mlcalc_gui.core.numbers import subscript
from mlcalc_gui.core.states import MapsState
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.controls import LinesBox
from mlcalc_gui.gui.kit.page import Page
from mlcalc_gui.gui.kit.widgets import note_label, number_box, titled
from mlcalc_gui.gui.panels.plots import legend, teaching_plot
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.contour_view import ContourView

__all__ = ["ChainPage"]

COST_DOMAIN = (-4.0, 4.0, -3.0, 4.0)  # (w, b) on the cost map
GRID = 101

EXPLANATION = """
<p>Functions in a chain multiply their <b>Jacobians</b>: if t ↦ (x, y) ↦ f, then
df/dt = (∂f/∂x ∂f/∂y) · (dx/dt, dy/dt). Each box below is one map with its Jacobian at
the input, and their product is the Jacobian of the whole chain.</p>
<p>A <b>neuron</b> is such a chain: z = w x + b, a = tanh(z), cost C = Σ (a − y)². Here it
learns <b>NOT</b> (input 0 → 1, input 1 → 0) from the course's start w = 2.3, b = −1.2.
<b>Play</b> (Space) runs gradient descent; each step uses
∂C/∂w = Σ ∂C/∂a · ∂a/∂z · ∂z/∂w.</p>
<p>A network is this chain, layer by layer: the <b>Backpropagation</b> tab trains one.</p>
"""


def _matrix(J: np.ndarray) -> str:
    """A small matrix in rows of numbers, lined up."""
    cells = [[fmt(float(c)) for c in row] for row in np.atleast_2d(J)]
    width = max(len(c) for row in cells for c in row)
    return "\n".join("[ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells)


class ChainPage(Page):
    key = "chain"
    title = "The chain, and one neuron"
    tip = "Jacobians multiply along a chain; one neuron learns NOT"
    explanation = EXPLANATION
    speeds = (5, 20, 60, 0)
    default_speed = 1
    IDLE_TEXT = "Play (Space) trains the neuron from (w, b) by gradient descent; N one step."
    PLACES = ("chain", "neuron", "outputs")
    SPOILERS = ("outputs",)
    OBSERVABLES = {"cost": "the neuron's cost C now", "trained": "steps of descent taken",
                   "output0": "the output for the input 0", "output1": "the output for 1"}

    def __init__(self, host):
        super().__init__(host)
        self.start = maps.NEURON_START

    # ---- layout --------------------------------------------------------------------------
    def build_panel(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox("The chain")
        form = QFormLayout(box)
        self.chain_combo = QComboBox()
        for i, chain in enumerate(maps.CHAINS):
            self.chain_combo.addItem(chain.name, i)
        self.chain_combo.setToolTip("A composition of maps: 1 → 2 → 1 is f along a path")
        self.binder.bind("chain", self.chain_combo, lambda _: self._on_chain())
        form.addRow(self.chain_combo)
        self.input_spins = []
        for i in range(2):
            spin = number_box("The chain's input: every Jacobian is taken where the chain is",
                              decimals=3, step=0.1, lo=-100.0, hi=100.0,
                              value=MapsState.chain_input[i])
            self.input_spins.append(spin)
            form.addRow(f"input {i + 1}", spin)
        self.binder.bind_each("chain_input", self.input_spins, lambda _: self._draw_chain())
        self.chain_note = note_label()
        form.addRow(self.chain_note)
        v.addWidget(box)
        neuron = QGroupBox("One neuron learning NOT")
        nform = QFormLayout(neuron)
        self.rate_spin = self.binder.number("rate", MapsState, "The learning rate η of the "
                                            "descent", lambda _: self.run.reset(), step=0.1,
                                            decimals=3)
        nform.addRow("Learning rate η", self.rate_spin)
        self.steps_spin = self.binder.number("neuron_steps", MapsState, "The most steps one "
                                             "run takes", lambda _: self.run.reset(), step=50)
        nform.addRow("Steps at most", self.steps_spin)
        self.neuron_text = LinesBox(5)
        nform.addRow(self.neuron_text)
        nform.addRow(note_label("Click the cost map to start from another (w, b)."))
        v.addWidget(neuron)
        return page

    def build_views(self) -> QWidget:
        chain = QWidget()
        self.chain_row = QHBoxLayout(chain)
        self.chain_boxes: list[tuple[QGroupBox, QLabel]] = []
        self.chain_product = QLabel()
        self.chain_product.setTextFormat(Qt.PlainText)
        self.chain_product.setStyleSheet("font-family: monospace;")
        self.cost_map = ContourView(labels=("w", "b"), lock_aspect=False)
        self.cost_map.sig_point_moved.connect(self.set_start)
        W, B = np.meshgrid(np.linspace(COST_DOMAIN[0], COST_DOMAIN[1], GRID),
                           np.linspace(COST_DOMAIN[2], COST_DOMAIN[3], GRID))
        self.cost_map.set_field(W[0], B[:, 0], maps.neuron_cost(W, B), levels=16,
                                label="cost C")
        self.out_plot = teaching_plot("step", "output a", "The neuron's outputs as it learns",
                                      font_pt=10, grid=False, integer_x=True)
        for target in maps.NOT_TARGETS:
            self.out_plot.addItem(pg.InfiniteLine(angle=0, pos=target,
                                                  pen=theme.mkpen(theme.GREY, 1.5,
                                                                  Qt.DotLine)))
        self.out_curves = [
            self.out_plot.plot([], [], pen=theme.mkpen(theme.BLUE, 2.5)),
            self.out_plot.plot([], [], pen=theme.mkpen(theme.VERMILLION, 2.5, Qt.DashLine))]
        legend(self.out_plot, [(self.out_curves[0], "a for input 0 (target 1)"),
                               (self.out_curves[1], "a for input 1 (target 0)")])
        self.out_plot.setYRange(-1.05, 1.05, padding=0)
        below = QSplitter(Qt.Horizontal)
        self.neuron_box = titled(self.cost_map, "The cost over (w, b) and the descent — "
                                                "click to start elsewhere")
        below.addWidget(self.neuron_box)
        below.addWidget(self.out_plot)
        views = QSplitter(Qt.Vertical)
        self.chain_titled = titled(chain, "The chain's Jacobians, multiplied")
        views.addWidget(self.chain_titled)
        views.addWidget(below)
        views.setSizes([300, 600])
        return views

    def observe(self) -> dict[str, float | bool]:
        step = self.path[-1] if self.path else maps.neuron_step(*self.start)
        return {"cost": step.cost, "trained": float(step.step), "output0": step.outputs[0],
                "output1": step.outputs[1]}

    def places(self) -> dict[str, QWidget]:
        return {"chain": self.chain_titled, "neuron": self.neuron_box,
                "outputs": self.out_plot}

    def spoiler_parts(self) -> dict[str, list]:
        return {"outputs": [self.out_plot, self.neuron_text]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> dict:
        return {**self.binder.values(),
                "w": self.start[0], "b": self.start[1], "trained": len(self.path)}

    def restore(self, state: MapsState) -> None:
        self.binder.set(chain=state.chain, rate=state.rate, neuron_steps=state.neuron_steps,
                        chain_input=state.chain_input)
        self._on_chain(keep_input=True)
        self.set_start(state.w, state.b)
        if state.trained:
            self.run.show_records(list(islice(self._descent(), state.trained)))

    # ---- the chain ---------------------------------------------------------------------------
    def _chain(self) -> maps.Chain:
        return maps.CHAINS[self.binder["chain"]]

    def _on_chain(self, keep_input: bool = False) -> None:
        chain = self._chain()
        for i, spin in enumerate(self.input_spins):
            label = self.input_spins[i].parentWidget().layout().labelForField(spin)
            shown = i < len(chain.inputs)
            spin.setVisible(shown)
            if label is not None:
                label.setVisible(shown)
                if shown:
                    label.setText(f"{chain.inputs[i]} =")
        if not keep_input:  # the chain's own point; a box it does not use keeps its value
            n = len(chain.inputs)
            self.binder.set(chain_input=(*chain.point[:n], *self.binder["chain_input"][n:]))
        while self.chain_row.count():
            item = self.chain_row.takeAt(0)
            widget = item.widget()
            if widget is not None:  # gone now, not at the next pass of the event loop
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.chain_boxes = []
        names = chain.inputs
        boxes = []
        for k, stage in enumerate(chain.stages, 1):
            outs, ins = ", ".join(stage.outputs), ", ".join(names)
            box = QGroupBox(f"J{subscript(k)}: ({outs}) of ({ins})")
            box.setToolTip("; ".join(f"{o} = {f}" for o, f in zip(stage.outputs,
                                                                 stage.formulas, strict=True)))
            label = QLabel()
            label.setTextFormat(Qt.PlainText)
            label.setStyleSheet("font-family: monospace;")
            QVBoxLayout(box).addWidget(label)
            boxes.append((box, label))
            names = stage.outputs
        # Written as the course writes a product: the last map's Jacobian first.
        for i, (box, _) in enumerate(reversed(boxes)):
            if i:
                self.chain_row.addWidget(QLabel("×"))
            self.chain_row.addWidget(box)
        self.chain_row.addWidget(QLabel("="))
        product_box = QGroupBox("J of the whole chain")
        QVBoxLayout(product_box).addWidget(self.chain_product)
        self.chain_row.addWidget(product_box)
        self.chain_row.addStretch(1)
        self.chain_boxes = boxes
        self.chain_note.setText(chain.note)
        self._draw_chain()

    def _draw_chain(self) -> None:
        chain = self._chain()
        point = list(self.binder["chain_input"][:len(chain.inputs)])
        result = maps.chain_jacobians(chain, point)
        names = chain.inputs
        for (_, label), stage, J, at in zip(self.chain_boxes, chain.stages, result.factors,
                                            result.values[:-1], strict=True):
            where = ", ".join(f"{n} = {fmt(float(c))}" for n, c in zip(names, at, strict=True))
            label.setText(f"{_matrix(J)}\nat {where}")
            names = stage.outputs
        self.chain_product.setText(_matrix(result.product))

    def nudge(self, sign: int) -> None:
        """[ and ]: the chain's first input a tenth back or on."""
        spin = self.input_spins[0]
        spin.setValue(spin.value() + 0.1 * sign)

    # ---- the neuron ------------------------------------------------------------------------
    def set_start(self, w: float, b: float) -> None:
        self.start = (float(w), float(b))
        self.run.reset()
        self._draw_neuron(maps.neuron_step(*self.start))

    def _descent(self):
        return maps.neuron_descent(*self.start, rate=self.binder["rate"],
                                   steps=self.binder["neuron_steps"])

    def _draw_neuron(self, step: maps.NeuronStep, path=()) -> None:
        self.cost_map.set_point(step.w, step.b)
        if path:
            self.cost_map.set_path([r.w for r in path], [r.b for r in path])
            ks = [r.step for r in path]
            for i, curve in enumerate(self.out_curves):
                curve.setData(ks, [r.outputs[i] for r in path])
        else:
            self.cost_map.set_path([], [])
            for curve in self.out_curves:
                curve.setData([], [])
        (c0a, a0z, z0w), (c1a, a1z, z1w) = step.chain
        self.neuron_text.setPlainText("\n".join([
            f"step {step.step}: w = {fmt(step.w)}, b = {fmt(step.b)}, C = {fmt(step.cost)}",
            f"outputs: a(0) = {fmt(step.outputs[0])}, a(1) = {fmt(step.outputs[1])}",
            "∂C/∂w = Σ ∂C/∂a · ∂a/∂z · ∂z/∂w",
            f"  = ({fmt(c0a)})({fmt(a0z)})({fmt(z0w)}) + ({fmt(c1a)})({fmt(a1z)})({fmt(z1w)})",
            f"  = {fmt(step.gradient[0])}"]))

    def blocked(self, last) -> str | None:
        return None

    def make_run(self, last):
        return islice(self._descent(), len(self.path), None)

    def _on_cleared(self) -> None:
        self._draw_neuron(maps.neuron_step(*self.start))

    def _on_batch(self, records: tuple) -> None:
        path = self.path
        self._draw_neuron(path[-1], path)
        last = path[-1]
        self.run_status.say_live(f"Step {last.step}: C = {fmt(last.cost)}, outputs "
                                 f"{fmt(last.outputs[0])} and {fmt(last.outputs[1])}")

    def _done_text(self, last) -> str:
        right = last.outputs[0] > 0.9 and abs(last.outputs[1]) < 0.1
        said = (f"After {last.step} steps C = {fmt(last.cost)}: input 0 gives "
                f"{fmt(last.outputs[0])} and input 1 gives {fmt(last.outputs[1])}.")
        if right:
            return said + (" The neuron computes NOT. tanh never reaches 1, so C only "
                           "approaches 0. Next: the Backpropagation tab, the same chain "
                           "through many layers.")
        return said + " Not NOT yet: more steps, or a larger learning rate."
