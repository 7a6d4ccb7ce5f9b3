"""A first sketch of a typed f(x) and its slope, without sympy.

The tutor's functions are sympy expressions (:mod:`mlcalc_gui.core.expressions`), and
importing sympy takes a quarter of a second or more: the first function a learner sees
would wait for it.  :func:`sketch` reads the same checked syntax tree
(:func:`~mlcalc_gui.core.expressions.parse_tree`) and evaluates it with numpy directly,
carrying each value's derivative along (forward-mode differentiation: the slope is the
chain rule applied node by node, exact to rounding, not a difference quotient).  It is
only a picture to show while sympy loads: anything it does not know (``sign``, a
formula in more than one variable) gives no sketch, and the full parse decides what is
valid.  Nothing is evaluated but the allow-listed nodes.

>>> s = sketch("x^3 - 2x")
>>> s(np.array([1.0]))
(array([-1.]), array([1.]))
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable

import numpy as np

from mlcalc_gui.core.expressions import _FUNCTIONS, ExpressionError, TreeWalker, parse_tree

__all__ = ["Sketch", "sketch"]

#: A node's value and derivative at the samples.
_Pair = tuple[np.ndarray, np.ndarray]
_Part = Callable[[np.ndarray], _Pair]


def _chain(outer: Callable, slope: Callable) -> Callable[[_Pair], _Pair]:
    """f(u) and f′(u)·u′ from f and f′."""
    return lambda p: (outer(p[0]), slope(p[0]) * p[1])


_LN10, _LN2 = math.log(10.0), math.log(2.0)
_CONSTANTS = {"pi": math.pi, "e": math.e}


def _sigmoid(u):
    return 1.0 / (1.0 + np.exp(-u))


#: Each known function's value and derivative (the names as the parser knows them).
_RULES: dict[str, Callable[[_Pair], _Pair]] = {
    "sin": _chain(np.sin, np.cos),
    "cos": _chain(np.cos, lambda u: -np.sin(u)),
    "tan": _chain(np.tan, lambda u: 1.0 / np.cos(u) ** 2),
    "asin": _chain(np.arcsin, lambda u: 1.0 / np.sqrt(1.0 - u * u)),
    "acos": _chain(np.arccos, lambda u: -1.0 / np.sqrt(1.0 - u * u)),
    "atan": _chain(np.arctan, lambda u: 1.0 / (1.0 + u * u)),
    "sinh": _chain(np.sinh, np.cosh),
    "cosh": _chain(np.cosh, np.sinh),
    "tanh": _chain(np.tanh, lambda u: 1.0 - np.tanh(u) ** 2),
    "asinh": _chain(np.arcsinh, lambda u: 1.0 / np.sqrt(u * u + 1.0)),
    "acosh": _chain(np.arccosh, lambda u: 1.0 / np.sqrt(u * u - 1.0)),
    "atanh": _chain(np.arctanh, lambda u: 1.0 / (1.0 - u * u)),
    "exp": _chain(np.exp, np.exp),
    "log": _chain(np.log, lambda u: 1.0 / u),
    "sqrt": _chain(np.sqrt, lambda u: 0.5 / np.sqrt(u)),
    "Abs": _chain(np.abs, np.sign),
    "sec": _chain(lambda u: 1.0 / np.cos(u), lambda u: np.sin(u) / np.cos(u) ** 2),
    "csc": _chain(lambda u: 1.0 / np.sin(u), lambda u: -np.cos(u) / np.sin(u) ** 2),
    "cot": _chain(lambda u: 1.0 / np.tan(u), lambda u: -1.0 / np.sin(u) ** 2),
    "sigmoid": _chain(_sigmoid, lambda u: _sigmoid(u) * (1.0 - _sigmoid(u))),
    "log10": _chain(lambda u: np.log(u) / _LN10, lambda u: 1.0 / (u * _LN10)),
    "log2": _chain(lambda u: np.log(u) / _LN2, lambda u: 1.0 / (u * _LN2)),
}


class _Unknown(Exception):
    """Something the sketch does not draw (the full parse will say what it is)."""


class _SketchBuilder(TreeWalker):
    def __init__(self, variable: str, origin: list[int]):
        super().__init__(origin)
        self.variable = variable

    def build(self, node: ast.AST) -> tuple[_Part, bool]:
        """The node as a function of the samples, and whether it is a constant."""
        self._counted(node)
        if isinstance(node, ast.Expression):
            return self.build(node.body)
        if isinstance(node, ast.Constant):
            value = float(self._literal(node))
            return (lambda xs: (np.full_like(xs, value), np.zeros_like(xs))), True
        if isinstance(node, ast.Name):
            if node.id == self.variable:
                return (lambda xs: (xs, np.ones_like(xs))), False
            if node.id in _CONSTANTS:
                value = _CONSTANTS[node.id]
                return (lambda xs: (np.full_like(xs, value), np.zeros_like(xs))), True
            raise _Unknown(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            part, constant = self.build(node.operand)
            if isinstance(node.op, ast.UAdd):
                return part, constant
            return (lambda xs: tuple(-v for v in part(xs))), constant
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and not node.keywords and len(node.args) == 1:
            rule = _RULES.get(_FUNCTIONS.get(node.func.id, ""))
            if rule is None:
                raise _Unknown(node.func.id)
            part, constant = self.build(node.args[0])
            return (lambda xs: rule(part(xs))), constant
        raise _Unknown(type(node).__name__)

    def _binop(self, node: ast.BinOp) -> tuple[_Part, bool]:
        (f, cf), (g, cg) = self.build(node.left), self.build(node.right)
        constant = cf and cg
        op = node.op
        if isinstance(op, ast.Add):
            def part(xs):
                (u, du), (v, dv) = f(xs), g(xs)
                return u + v, du + dv
        elif isinstance(op, ast.Sub):
            def part(xs):
                (u, du), (v, dv) = f(xs), g(xs)
                return u - v, du - dv
        elif isinstance(op, ast.Mult):
            def part(xs):
                (u, du), (v, dv) = f(xs), g(xs)
                return u * v, du * v + u * dv
        elif isinstance(op, ast.Div):
            def part(xs):
                (u, du), (v, dv) = f(xs), g(xs)
                return u / v, (du * v - u * dv) / (v * v)
        elif isinstance(op, ast.Pow) and cg:
            def part(xs):  # u^c: c u^(c-1) u′ (a negative u keeps a whole power real)
                (u, du), (c, _) = f(xs), g(xs)
                return u**c, c * u ** (c - 1.0) * du
        elif isinstance(op, ast.Pow):
            def part(xs):  # u^v = e^(v ln u): u^v (v′ ln u + v u′/u)
                (u, du), (v, dv) = f(xs), g(xs)
                w = u**v
                return w, w * (dv * np.log(u) + v * du / u)
        else:
            raise _Unknown(type(op).__name__)
        return part, constant


class Sketch:
    """``sketch(xs)`` is (f(xs), f′(xs)) as float arrays, nan where f is undefined."""

    def __init__(self, text: str, part: _Part):
        self.text = text
        self._part = part

    def __call__(self, xs) -> _Pair:
        xs = np.asarray(xs, dtype=float)
        with np.errstate(all="ignore"):
            values, slopes = self._part(xs)
            values = np.where(np.isfinite(values), values, np.nan)
            slopes = np.where(np.isfinite(values) & np.isfinite(slopes), slopes, np.nan)
        return (np.broadcast_to(values, xs.shape).astype(float),
                np.broadcast_to(slopes, xs.shape).astype(float))


def sketch(text: str, variable: str = "x") -> Sketch | None:
    """A sketch of f(``variable``) typed as ``text``, or None where the sketch cannot
    draw it (the full parse gives the reason, if any)."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        tree, origin = parse_tree(text, (variable,))
        part, _ = _SketchBuilder(variable, origin).build(tree)
    except (ExpressionError, _Unknown, RecursionError, MemoryError, ValueError):
        return None
    return Sketch(text, part)
