"""Numbers as a learner reads them."""

from __future__ import annotations

import math

__all__ = ["format_number", "superscript", "subscript"]

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def superscript(n: int) -> str:
    """n as a raised exponent in plain text: 12 -> ¹²."""
    return str(n).translate(_SUPERSCRIPT)


def subscript(n: int) -> str:
    """n as a subscript in plain text: 7 -> ₇."""
    return str(n).translate(_SUBSCRIPT)


def format_number(value: float, digits: int = 4) -> str:
    """A compact, readable number: 0.1235, -12.35, 1.235e+05, 'inf', 'nan'."""
    if value is None:
        return "—"
    value = float(value)
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e5 or magnitude < 1e-3:
        return f"{value:.{digits - 1}e}"
    text = f"{value:.{digits}g}" if magnitude >= 1 else f"{value:.{digits}f}"
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return text


def latex_number(value: float, digits: int = 4) -> str:
    """:func:`format_number` written for LaTeX: 1.984e-04 becomes 1.984\\times10^{-4}
    (typeset as written, "1.984e−04x⁷" reads as a subtraction)."""
    text = format_number(value, digits)
    if "e" not in text or not math.isfinite(float(value)):
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa}\\times10^{{{int(exponent)}}}"
