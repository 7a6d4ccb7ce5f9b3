"""The solutions of a Lagrange problem and the price of its constraint: the search for the
points where ∇f = λ∇g (off the GUI thread), their list with λ, and what moving g = 0 to
g = c does to the best f."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
)

from mlcalc_gui.core import optimisation as op
from mlcalc_gui.core.contours import contour_segments
from mlcalc_gui.core.states import OptimisationState
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.widgets import error_label, plain_label
from mlcalc_gui.gui.panels.plots import text_label
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.steady import WrappedLabel

__all__ = ["SolutionsMixin"]


def _number(i: int) -> str:
    """The label of the i-th solution on the map and in its list: ① … ⑨, then 10, 11…"""
    return "①②③④⑤⑥⑦⑧⑨"[i] if i < 9 else str(i + 1)


class SolutionsMixin:
    """The Lagrange page's solutions and price: the points where ∇f = λ∇g searched for
    off the GUI thread, listed with λ and marked on the map, and the price d f*/d c of
    moving the constraint to g = c."""

    def _solutions_box(self) -> QGroupBox:
        box = QGroupBox("The solutions, and λ as a price")
        bl = QVBoxLayout(box)
        self.solutions_text = plain_label()
        bl.addWidget(self.solutions_text)
        row = QHBoxLayout()
        self.c_spin = self.binder.number(
            "shift", OptimisationState, "Move the constraint to g = c (dashed) and compare "
            "the change in the best f with λ·c", lambda _: self._search(), step=0.05,
            decimals=3)
        label = QLabel("Move the constraint to g = c, c =")
        label.setBuddy(self.c_spin)
        row.addWidget(label)
        row.addWidget(self.c_spin)
        bl.addLayout(row)
        self.price_text = WrappedLabel()
        self.price_text.setTextFormat(Qt.PlainText)
        bl.addWidget(self.price_text)
        self.lagrange_error = error_label()
        bl.addWidget(self.lagrange_error)
        return box

    # ---- the solutions and the price -----------------------------------------------------
    def _search_key(self) -> tuple:
        return (self.objective.text, self.constraint.text, self.ldomain, self.binder["shift"])

    def _search(self) -> None:
        """Find the solutions and the price of moving g to c, off the GUI thread."""
        if self.objective is None or self.constraint is None:
            return
        F, G, domain, c = self.objective, self.constraint, self.ldomain, self.binder["shift"]
        self._draw_shifted(c)
        self.solutions_text.setText("Searching for the points where ∇f = λ∇g…")
        self.price_text.setText("")
        self.lagrange_error.setVisible(False)
        self.search_task.submit(self._search_key(),
                                lambda: op.lagrange_study(F, G, domain, c), steps=True)

    def _draw_shifted(self, c: float) -> None:
        if not self._gz.size or c == 0:
            self.shifted_line.setData([], [])
            return
        segs = contour_segments(*self._gxy, self._gz, c)
        if len(segs):
            self.shifted_line.setData(segs[:, 0], segs[:, 1], connect="pairs")
        else:
            self.shifted_line.setData([], [])

    @Slot(object, float)
    def _on_search_progress(self, key, fraction: float) -> None:
        self.solutions_text.setText(f"Searching for the points where ∇f = λ∇g… "
                                    f"{100 * fraction:.0f}%")

    @Slot(object, object)
    def _on_solutions(self, key, result) -> None:
        if self.objective is None or self.constraint is None or key != self._search_key():
            return
        self.solutions, self.price = result
        sol = self.solutions
        self.solution_dots.setData([p.x for p in sol], [p.y for p in sol])
        while len(self.solution_labels) < len(sol):
            item = text_label(theme.TEXT, 11)
            item.fill = pg.mkBrush(255, 255, 255, 210)
            self.lmap.getPlotItem().addItem(item)
            self.solution_labels.append(item)
        for i, label in enumerate(self.solution_labels):
            if i < len(sol):
                p = sol[i]
                # A number, said in full in the list beside the map: names and λ on
                # the map overlap where the solutions are close, above all when magnified.
                label.setText(_number(i))
                label.setPos(p.x, p.y)
                label.setAnchor((-0.15, 1.0))
            label.setVisible(i < len(sol))
        self.solutions_text.setText(self._solutions_words(sol))
        self._say_price()
        self._draw_s_plot()
        if self.here is not None:
            self._show_point(self._piece, self.here.index)

    @staticmethod
    def _solutions_words(sol: list[op.LagrangePoint]) -> str:
        if not sol:
            return "No point with ∇f = λ∇g was found on the map."
        lines = []
        for i, p in enumerate(sol):
            what = {"max": "a local maximum", "min": "a local minimum"}.get(p.kind, "stationary")
            best = f" — {p.best}" if p.best else ""
            lines.append(f"★{_number(i)} ({fmt(p.x)}, {fmt(p.y)}): f = {fmt(p.value)}, λ = "
                         f"{fmt(p.multiplier)}, {what}{best}")
        return "\n".join(lines)

    def _say_price(self) -> None:
        price, c = self.price, self.binder["shift"]
        if price is None:
            self.price_text.setText("" if c else "Set c ≠ 0 to move the constraint.")
            return
        best = price.point
        word = "maximum" if best.best == "the maximum" else "minimum"
        if price.moved is None:
            self.price_text.setText(f"On g = {fmt(c)} no {word} was found on the map.")
            return
        self.price_text.setText(
            f"The {word} on g = 0: f* = {fmt(best.value)}, λ = {fmt(best.multiplier)}.\n"
            f"On g = {fmt(c)} (dashed): f* = {fmt(price.moved.value)}.\n"
            f"Change in f*: {fmt(price.change)}   λ·c: {fmt(price.predicted)}\n"
            f"λ is the rate d f*/d c: what loosening the constraint by one unit is worth.")

    def _say_problem(self, text: str) -> None:
        self.lagrange_error.setText(text)
        self.lagrange_error.setVisible(bool(text))
