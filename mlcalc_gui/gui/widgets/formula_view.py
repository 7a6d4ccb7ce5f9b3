"""Typeset formulas with sympy's Unicode pretty-printer, shown in a monospace label.

Chosen over LaTeX rendering because it needs nothing beyond sympy (no matplotlib, no TeX,
no web engine), draws real 2D maths (stacked fractions, raised powers) and stays crisp at
any font size on a projector.  The LaTeX of each formula can still be copied.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QLabel, QSizePolicy

from mlcalc_gui.gui.theme import format_number

__all__ = ["FormulaLabel", "pretty_equation", "substituted"]


def _printer():
    from sympy.printing.pretty.pretty import PrettyPrinter

    return PrettyPrinter({"use_unicode": True, "wrap_line": False})


def pretty_equation(lhs: str, expr, rhs_suffix: str = "") -> str:
    """``lhs = <expr><rhs_suffix>`` as multi-line Unicode text, baselines aligned."""
    from sympy.printing.pretty.stringpict import prettyForm

    form = prettyForm(*prettyForm(f"{lhs} = ").right(_printer()._print(expr)))
    if rhs_suffix:
        form = prettyForm(*form.right(rhs_suffix))
    return form.render(wrap_line=False)


def substituted(expr, symbols, values):
    """``expr`` with each symbol replaced by a placeholder that prints as its number."""
    import sympy

    mapping = {}
    for sym, value in zip(symbols, values, strict=True):
        mapping[sym] = sympy.Symbol(f"({format_number(value)})")
    return expr.xreplace(mapping)


class FormulaLabel(QLabel):
    """A selectable monospace label for pretty-printed formulas."""

    def __init__(self, parent=None):
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        font.setStyleHint(QFont.Monospace)
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        self.setFont(font)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.setTextFormat(Qt.PlainText)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Minimum)
        self.setAlignment(Qt.AlignLeft | Qt.AlignTop)
