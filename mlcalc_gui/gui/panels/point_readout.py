"""What f does at a point, shared by every tab with a point on a surface: the value, the
gradient and its direction, the Hessian, its eigenvalues and the verdict."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from mlcalc_gui.core.calculus import PointAnalysis
from mlcalc_gui.gui import scale, theme
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.steady import WrappedLabel, hold_height

__all__ = ["PointReadout", "HessianReadout", "VERDICT_TEXTS", "AROUND_TEXTS"]

VERDICT_TEXTS = {
    "minimum": "∇f = 0 and both eigenvalues are positive: a <b>minimum</b>.",
    "maximum": "∇f = 0 and both eigenvalues are negative: a <b>maximum</b>.",
    "saddle": "∇f = 0 and the eigenvalues have opposite signs: a <b>saddle</b>.",
    "inconclusive": "∇f = 0 but an eigenvalue is zero (smaller than the Hessian changes "
                    "a short way off): the second-derivative test is <b>inconclusive</b>.",
}

#: What the values of f all round the point show, when the Hessian cannot decide.
AROUND_TEXTS = {
    "no extremum": "Around the point f is higher on some sides and lower on others: "
                   "<b>no extremum</b> here (as for x³ + y³ or the monkey saddle at 0).",
    "minimum": "Around the point f is higher on every side: a <b>minimum</b>, decided by "
               "the higher-order terms, not by the Hessian (as for x⁴ + y⁴ at 0).",
    "maximum": "Around the point f is lower on every side: a <b>maximum</b>, decided by "
               "the higher-order terms, not by the Hessian.",
}


def _value_label() -> QLabel:
    label = QLabel("—")
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    scale.set_relative_font(label, 1.15)
    return label


class PointReadout(QGroupBox):
    """The point, f, ∂f/∂x, ∂f/∂y, |∇f| and the direction of ∇f (numbers only, so
    rich text never shows anything typed)."""

    ROWS = (("point", "(x, y)"), ("f", "f"), ("fx", "∂f/∂x"), ("fy", "∂f/∂y"),
            ("norm", "|∇f|"), ("angle", "direction of ∇f"))

    def __init__(self, title: str = "At the point"):
        super().__init__(title)
        self.form = QFormLayout(self)
        self.values: dict[str, QLabel] = {}
        for key, text in self.ROWS:
            self.values[key] = _value_label()
            self.form.addRow(QLabel(text), self.values[key])

    def add_row(self, widget: QWidget) -> None:
        """A legend or a check box under the numbers."""
        self.form.addRow(widget)

    def show_analysis(self, a: PointAnalysis) -> None:
        (x, y), (gx, gy) = a.point, a.gradient
        v = self.values
        v["point"].setText(f"({fmt(x)}, {fmt(y)})")
        v["f"].setText(fmt(a.value) if math.isfinite(a.value) else "undefined here")
        defined = math.isfinite(a.value)  # where f is undefined, so is its gradient
        v["fx"].setText(fmt(gx) if defined else "—")
        v["fy"].setText(fmt(gy) if defined else "—")
        v["norm"].setText(fmt(a.gradient_norm) if defined else "—")
        if a.verdict == "undefined":
            v["angle"].setText("— (f or ∇f is undefined here)")
        elif a.stationary or a.gradient_norm == 0:
            # At a stationary point the direction of a round-off-sized gradient means
            # nothing.
            v["angle"].setText("— (∇f ≈ 0)")
        else:
            v["angle"].setText(f"{math.degrees(math.atan2(gy, gx)):.1f}° from the x axis")


class HessianReadout(QGroupBox):
    """The Hessian as a matrix, its eigenvalues and determinant, and what they say."""

    def __init__(self, title: str = "Hessian and verdict"):
        super().__init__(title)
        self.layout_ = QVBoxLayout(self)
        self.matrix = QLabel("—")
        self.matrix.setTextFormat(Qt.RichText)  # numbers only
        scale.set_relative_font(self.matrix, 1.15)
        self.verdict = WrappedLabel("—")
        self.verdict.setTextFormat(Qt.RichText)  # fixed texts only
        # Moved along a run, the verdict changes its lines: what is under it stays put.
        self.layout_.addWidget(hold_height(self.matrix))
        self.layout_.addWidget(hold_height(self.verdict))

    def add_widget(self, widget: QWidget) -> None:
        self.layout_.addWidget(widget)

    def show_analysis(self, a: PointAnalysis, hint: str = "") -> None:
        """``hint`` follows the words for a point that is not stationary."""
        H = a.hessian
        if a.verdict == "undefined":
            self.matrix.setText("H is undefined here")
            self.verdict.setText("f, its gradient or its Hessian is undefined at this point "
                                 "(outside where f is defined, or at a pole): no verdict.")
            return
        self.matrix.setText(
            "<table cellspacing=4><tr><td rowspan=2 style='font-size:xx-large'>H =</td>"
            f"<td>⎡ {fmt(H[0, 0])}</td><td>{fmt(H[0, 1])} ⎤</td></tr>"
            f"<tr><td>⎣ {fmt(H[1, 0])}</td><td>{fmt(H[1, 1])} ⎦</td></tr></table>"
            f"eigenvalues λ₁ = {fmt(a.eigenvalues[0])}, λ₂ = {fmt(a.eigenvalues[1])}<br>"
            f"det H = {fmt(a.determinant)}")
        if a.verdict == "not stationary":
            self.verdict.setText(f"∇f ≠ 0 here, so this is not a stationary point. "
                                 f"Here f {a.shape}. {hint}")
        else:
            more = AROUND_TEXTS.get(a.around, "") if a.verdict == "inconclusive" else ""
            self.verdict.setText(f"<span style='color:{theme.VERDICT_HEX[a.verdict]}; "
                                 f"font-size:large'>{VERDICT_TEXTS[a.verdict]}</span>"
                                 + (f"<br>{more}" if more else ""))
