"""A Taylor polynomial as a learner reads it: its terms with their numbers, as LaTeX lines
short enough for a narrow column and as one line of plain text."""

from __future__ import annotations

import numpy as np

from mlcalc_gui.core.numbers import format_number as fmt
from mlcalc_gui.core.numbers import latex_number, subscript, superscript

__all__ = ["polynomial_text"]


def _power_text(base: str, k: int) -> tuple[str, str]:
    """(LaTeX, plain) of base^k."""
    if k == 0:
        return "", ""
    if k == 1:
        return base, base
    return f"{base}^{{{k}}}", f"{base}{superscript(k)}"


def polynomial_text(c: np.ndarray, a: float, order: int, per_line: int = 3
                    ) -> tuple[list[str], str]:
    """T_n with its numbers: LaTeX lines of at most ``per_line`` terms (a narrow column
    shows them all), and the whole as plain text.  Terms that are 0 are left out."""
    base = "x" if a == 0 else f"(x {'-' if a > 0 else '+'} {fmt(abs(a))})"
    biggest = float(np.max(np.abs(c[:order + 1])))
    latex, plain = [], []
    for k in range(order + 1):
        ck = float(c[k])
        if ck == 0 or abs(ck) < 1e-15 * max(1.0, biggest):
            continue
        power_tex, power_plain = _power_text(base, k)
        number, number_tex = fmt(abs(ck)), latex_number(abs(ck))
        if power_tex and number == "1":
            number = number_tex = ""
        elif power_tex and "times" in number_tex:
            number_tex += r"\,"  # 1.984×10⁻⁴ x⁷, apart
        sign = "-" if ck < 0 else "+"
        latex.append((sign, f"{number_tex}{power_tex}" if power_tex else number_tex))
        joint = "·" if "e" in number else ""
        plain.append((sign, f"{number}{joint}{power_plain}" if power_plain else number))

    def join(parts, first: bool) -> str:
        out = ""
        for i, (sign, term) in enumerate(parts):
            if i == 0 and first:
                out += ("-" if sign == "-" else "") + term
            else:
                out += f" {sign} {term}"
        return out

    head = f"T_{{{order}}}(x) = "
    if not latex:
        return [head + "0"], f"T{subscript(order)}(x) = 0"
    lines = [join(latex[i:i + per_line], i == 0) for i in range(0, len(latex), per_line)]
    lines = [head + lines[0]] + [r"\quad" + line for line in lines[1:]]
    return lines, f"T{subscript(order)}(x) = " + join(plain, True)
