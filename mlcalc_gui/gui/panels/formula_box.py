"""A function and its partial derivatives, typeset as a textbook prints them, with their
values at the point and a "Copy as LaTeX" button.

The LaTeX is printed by sympy and typeset by mathtext in the tab's worker (a long formula
takes a while), so typing a function never waits for it; moving the point changes only
the numbers line.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QGroupBox, QPushButton, QVBoxLayout

from mlcalc_gui.core.expressions import Function, expr_size
from mlcalc_gui.gui.kit.tab import TutorTab
from mlcalc_gui.gui.kit.widgets import note_label
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.steady import WrappedLabel
from mlcalc_gui.gui.widgets.typeset import TypesetLabel, formula_size, raster

__all__ = ["FormulaBox", "formula_rows"]

#: A formula with more nodes than this is not typeset (nobody reads it); its size is said.
MAX_TYPESET_NODES = 400


def formula_rows(function: Function) -> list[tuple[str, str]]:
    """(LaTeX, plain-text fallback) for f and each of its first partial derivatives."""
    import sympy

    names = function.variables
    call = f"f({', '.join(names)})"
    rows = []
    for i, expr in enumerate((function.expr, *function.partials)):
        lhs_tex = call if i == 0 else rf"\frac{{\partial f}}{{\partial {names[i - 1]}}}"
        lhs_text = call if i == 0 else f"∂f/∂{names[i - 1]}"
        n = expr_size(expr, MAX_TYPESET_NODES)
        if n > MAX_TYPESET_NODES:
            text = (f"{lhs_text} has more than {MAX_TYPESET_NODES} terms: too long to "
                    f"typeset (Copy as LaTeX has it)")
            rows.append(("", text))
            continue
        rows.append((f"{lhs_tex} = {sympy.latex(expr)}", f"{lhs_text} = {sympy.sstr(expr)}"))
    return rows


class FormulaBox(QGroupBox):
    """f and its partials typeset (worked out in ``tab``'s worker) and their values."""

    sig_status = Signal(str)

    def __init__(self, tab: TutorTab, title: str = "Formulas"):
        super().__init__(title)
        layout = QVBoxLayout(self)
        self.labels: list[TypesetLabel] = []
        self._layout = layout
        self.values = WrappedLabel()
        self.values.setTextFormat(Qt.PlainText)
        self.values.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.status = note_label()
        layout.addWidget(self.status)
        self._rows_at = layout.count()
        layout.addWidget(self.values)
        copy = QPushButton("Copy as LaTeX")
        copy.setToolTip("Copy f and its partial derivatives as LaTeX, for notes or slides")
        copy.clicked.connect(self.copy_latex)
        layout.addWidget(copy)
        self.function: Function | None = None
        self.task = BackgroundTask(tab)
        self.task.sig_done.connect(self._on_rows)
        self.task.sig_failed.connect(self._on_failed)

    def set_function(self, function: Function) -> None:
        """Typeset ``function`` and its partials (in the worker)."""
        self.function = function
        self.status.setText("Typesetting…")
        self.status.setVisible(True)
        size = formula_size(self.font().pointSizeF(), 1.15)
        dpi = round(96 * (self.devicePixelRatioF() or 1.0))

        def work():
            rows = formula_rows(function)
            for latex, _ in rows:
                if latex:
                    raster(latex, size, dpi)  # cached: the GUI only wraps it
            return rows

        self.task.submit(function.text, work)

    def show_values(self, point: Sequence[float], value: float,
                    gradient: Sequence[float]) -> None:
        """The numbers at ``point``: f and each partial derivative there."""
        if self.function is None:
            return
        names = self.function.variables
        at = ", ".join(fmt(p) for p in point)
        parts = [f"f = {fmt(value)}"] + [f"∂f/∂{n} = {fmt(g)}"
                                         for n, g in zip(names, gradient, strict=True)]
        self.values.setText(f"At ({', '.join(names)}) = ({at}):  " + ",  ".join(parts))

    def rows(self) -> list[str]:
        """What each row shows: its LaTeX, or its text when it is not typeset."""
        return [label.formula() or label.text() for label in self.labels]

    @Slot(object, object)
    def _on_rows(self, text: str, rows) -> None:
        if self.function is None or text != self.function.text:
            return
        while len(self.labels) < len(rows):
            label = TypesetLabel()
            label.setWordWrap(True)
            self._layout.insertWidget(self._rows_at + len(self.labels), label)
            self.labels.append(label)
        for label, (latex, fallback) in zip(self.labels, rows, strict=False):
            if latex:
                label.set_formula(latex, fallback)
            else:
                label.set_formula("")
                label.setText(fallback)
            label.setVisible(True)
        for label in self.labels[len(rows):]:
            label.setVisible(False)
        self.status.setVisible(False)

    @Slot(object, str)
    def _on_failed(self, text: str, message: str) -> None:
        if self.function is not None and text == self.function.text:
            self.status.setText("No formulas: " + message)

    def copy_latex(self) -> None:
        f = self.function
        if f is None:
            return
        lines = [f"f({', '.join(f.variables)}) = {f.latex}"]
        lines += [rf"\frac{{\partial f}}{{\partial {n}}} = {tex}"
                  for n, tex in zip(f.variables, f.partial_latex(), strict=True)]
        QApplication.clipboard().setText("\n".join(lines))
        self.sig_status.emit("Copied f and its partial derivatives as LaTeX")
