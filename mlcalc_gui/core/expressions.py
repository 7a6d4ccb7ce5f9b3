"""Safe parsing of typed mathematical functions into symbolic and numpy form.

User text is never handed to ``eval``, ``exec``, ``sympify`` or ``parse_expr``: those run
Python.  Instead the text is tokenised, rewritten (``^`` to ``**``, implicit multiplication
such as ``2x y``), parsed with :mod:`ast` and checked node by node against an allow-list.
The sympy expression is then built from that tree by hand, and evaluated by a small
compiler that maps sympy nodes to numpy ufuncs (no generated source code).

Example
-------
>>> f = parse_function("x^2 - y^2")
>>> f(1.0, 2.0)
-3.0
>>> f.gradient(1.0, 2.0)
(2.0, -4.0)
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

__all__ = ["ExpressionError", "Function", "parse_function", "FUNCTION_NAMES", "MAX_LENGTH",
           "expr_size", "parse_tree", "TreeWalker", "as_function",
           "compile_expression"]

#: Longest accepted input, in characters.
MAX_LENGTH = 400
#: Deepest accepted nesting of parentheses / operators.
MAX_DEPTH = 40
#: Most accepted nodes in the parsed tree.
MAX_NODES = 300
#: Largest accepted magnitude of a literal number.
MAX_LITERAL = 1e12
#: Largest accepted magnitude of a constant exponent.
MAX_EXPONENT = 100
#: Largest accepted magnitude of any constant sub-expression.
MAX_CONSTANT = 1e100
#: Most nodes a first partial derivative may have (``x^x^…^x`` grows fast): beyond it f
#: is refused, since every view would have to evaluate and print it.
MAX_DERIVATIVE_NODES = 5000
#: Largest first partial whose derivatives are still worked out symbolically (about
#: 0.2 s); the Hessian of a longer one comes from central differences of the exact
#: gradient, which agree to about 1e-8 and cost nothing to set up.
SYMBOLIC_HESSIAN_NODES = 300


def expr_size(expr: Any, cap: int | None = None) -> int:
    """The number of nodes in ``expr``'s tree, counting stops just past ``cap``."""
    import sympy

    n = 0
    for _ in sympy.preorder_traversal(expr):
        n += 1
        if cap is not None and n > cap:
            break
    return n


class ExpressionError(ValueError):
    """Raised for text that is not an acceptable function.

    Attributes
    ----------
    position : int or None
        0-based character offset in the original text where the problem is, when known.
    """

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


# name -> (number of arguments, builder name).  Builders are resolved lazily so that
# sympy is only imported when a function is first parsed.
_FUNCTIONS: dict[str, str] = {
    "sin": "sin", "cos": "cos", "tan": "tan",
    "asin": "asin", "acos": "acos", "atan": "atan",
    "arcsin": "asin", "arccos": "acos", "arctan": "atan",
    "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
    "asinh": "asinh", "acosh": "acosh", "atanh": "atanh",
    "exp": "exp", "log": "log", "ln": "log", "sqrt": "sqrt", "abs": "Abs",
    "sec": "sec", "csc": "csc", "cot": "cot", "sign": "sign",
    "sigmoid": "sigmoid", "log10": "log10", "log2": "log2",
}
FUNCTION_NAMES = tuple(sorted(_FUNCTIONS))
_CONSTANTS = ("pi", "e")

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|[-+*/^(),])
  | (?P<bad>.)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op"
    text: str
    pos: int


def _tokenise(text: str, variables: Sequence[str]) -> list[_Token]:
    tokens: list[_Token] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        value = m.group()
        if kind == "space":
            continue
        if kind == "bad":
            raise ExpressionError(
                f"'{value}' is not allowed at position {m.start() + 1}: use numbers, "
                f"{', '.join(variables)}, + - * / ^ and parentheses",
                m.start(),
            )
        if kind == "name":
            tokens.extend(_split_name(value, m.start(), variables))
        else:
            tokens.append(_Token(kind, value, m.start()))
    return tokens


def _split_name(word: str, pos: int, variables: Sequence[str]) -> list[_Token]:
    """Split run-together names like ``xy`` or ``pix`` into known names, when possible."""
    known = set(variables) | set(_CONSTANTS) | set(_FUNCTIONS)
    if word in known:
        return [_Token("name", word, pos)]
    atoms = sorted(set(variables) | set(_CONSTANTS), key=len, reverse=True)
    parts: list[_Token] = []
    i = 0
    while i < len(word):
        for atom in atoms:
            if word.startswith(atom, i):
                parts.append(_Token("name", atom, pos + i))
                i += len(atom)
                break
        else:
            raise ExpressionError(
                f"unknown name '{word}' at position {pos + 1}: variables are "
                f"{', '.join(variables)}; functions include sin, cos, exp, log, sqrt",
                pos,
            )
    return parts


def _wrap_bare_arguments(tokens: list[_Token]) -> list[_Token]:
    """``sin x`` -> ``sin(x)`` where it is unambiguous: a function name, one number or
    name, and then the end, ``+``, ``-``, ``)``, ``,`` or another function (``sin x cos x``).
    Otherwise (``sin x^2``, ``sin 2x``) ask for parentheses, saying why."""
    out: list[_Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        out.append(tok)
        arg = tokens[i + 1] if i + 1 < len(tokens) else None
        if (tok.kind == "name" and tok.text in _FUNCTIONS and arg is not None
                and arg.kind in ("number", "name") and arg.text not in _FUNCTIONS):
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            if after is None or after.text in ("+", "-", ")", ",") or (
                    after.kind == "name" and after.text in _FUNCTIONS):
                out += [_Token("op", "(", arg.pos), arg, _Token("op", ")", arg.pos)]
                i += 2
                continue
            raise ExpressionError(
                f"write {tok.text}(…) with parentheses at position {tok.pos + 1}: "
                f"'{tok.text} {arg.text}{after.text}…' could mean "
                f"{tok.text}({arg.text}{after.text}…) or ({tok.text} {arg.text}){after.text}…",
                tok.pos)
        i += 1
    return out


_BINARY = ("^", "**", "*", "/")


def _check_operators(tokens: list[_Token]) -> None:
    """Say what is wrong, not only where: two operators in a row, an operator with
    nothing after it, a parenthesis never closed or never opened."""
    depth = 0
    for prev, tok in zip([None, *tokens], tokens, strict=False):
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
            if depth < 0:
                raise ExpressionError(
                    f"a ')' at position {tok.pos + 1} closes nothing: remove it or add a '('",
                    tok.pos)
        if tok.text in _BINARY and (prev is None or prev.text in (*_BINARY, "(", ",", "+",
                                                                     "-")):
            before = f"'{prev.text}{tok.text}'" if prev is not None else f"'{tok.text}'"
            where = "starts the formula" if prev is None else "follows another operator"
            raise ExpressionError(
                f"{before} at position {tok.pos + 1}: '{tok.text}' {where}; "
                f"write a number or x on its left (x^2, 2*x)", tok.pos)
    if tokens and tokens[-1].kind == "op" and tokens[-1].text not in (")",):
        last = tokens[-1]
        raise ExpressionError(
            f"the formula ends with '{last.text}': write what comes after it", last.pos)
    if depth > 0:
        raise ExpressionError(f"{depth} '(' never closed: add ')'", tokens[-1].pos)


def _insert_implicit_products(tokens: list[_Token]) -> list[_Token]:
    """``2x`` -> ``2*x``, ``x y`` -> ``x*y``, ``2(x+1)`` -> ``2*(x+1)``, ``(x)(y)``."""
    tokens = _wrap_bare_arguments(tokens)
    out: list[_Token] = []
    for tok in tokens:
        if out:
            prev = out[-1]
            prev_ends_value = prev.kind == "number" or prev.text == ")" or (
                prev.kind == "name" and prev.text not in _FUNCTIONS
            )
            starts_value = tok.kind in ("number", "name") or tok.text == "("
            if prev_ends_value and starts_value:
                out.append(_Token("op", "*", tok.pos))
        out.append(tok)
    return out


def _to_python_source(tokens: list[_Token]) -> tuple[str, list[int]]:
    """Join tokens into Python syntax, remembering where each output column came from."""
    pieces: list[str] = []
    origin: list[int] = []
    for tok in tokens:
        text = "**" if tok.text == "^" else tok.text
        pieces.append(text + " ")
        origin.extend([tok.pos] * (len(text) + 1))
    return "".join(pieces), origin


def _check_depth(tokens: list[_Token]) -> None:
    depth = 0
    for tok in tokens:
        if tok.text == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError(
                    f"too deeply nested (more than {MAX_DEPTH} parentheses)", tok.pos
                )
        elif tok.text == ")":
            depth -= 1
            if depth < 0:
                raise ExpressionError(f"unmatched ')' at position {tok.pos + 1}", tok.pos)
    if depth > 0:
        raise ExpressionError("a '(' is never closed: add ')'", None)
    # Long runs of operators (e.g. "----x" or "x^x^x^...") also nest in the AST.
    run = 0
    for tok in tokens:
        run = run + 1 if tok.kind == "op" and tok.text not in "()" else 0
        if run > MAX_DEPTH:
            raise ExpressionError("too many operators in a row", tok.pos)


class TreeWalker:
    """The base of a builder walking :func:`parse_tree`'s tree: errors that say where."""

    def __init__(self, origin: list[int]):
        self.origin = origin
        self.count = 0

    def _pos(self, node: ast.AST) -> int | None:
        col = getattr(node, "col_offset", None)
        if col is None or not self.origin:
            return None
        return self.origin[min(col, len(self.origin) - 1)]

    def _fail(self, message: str, node: ast.AST) -> ExpressionError:
        pos = self._pos(node)
        where = f" at position {pos + 1}" if pos is not None else ""
        return ExpressionError(message + where, pos)

    def _counted(self, node: ast.AST) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(f"expression too long (more than {MAX_NODES} parts)", node)

    def _literal(self, node: ast.Constant) -> int | float:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._fail("only plain numbers are allowed", node)
        # Compared before any conversion: a 309-digit integer has no float.
        if abs(value) > MAX_LITERAL or not math.isfinite(value):
            raise self._fail(f"number too large (limit {MAX_LITERAL:g})", node)
        return value


class _Builder(TreeWalker):
    """Walk an allow-listed AST and build a sympy expression, checking sizes as it goes."""

    def __init__(self, variables: Sequence[str], origin: list[int]):
        import sympy

        super().__init__(origin)
        self.sp = sympy
        self.symbols = {name: sympy.Symbol(name, real=True) for name in variables}

    def build(self, node: ast.AST) -> Any:
        self._counted(node)
        sp = self.sp
        if isinstance(node, ast.Expression):
            return self.build(node.body)
        if isinstance(node, ast.Constant):
            return self._number(node)
        if isinstance(node, ast.Name):
            if node.id in self.symbols:
                return self.symbols[node.id]
            if node.id == "pi":
                return sp.pi
            if node.id == "e":
                return sp.E
            if node.id in _FUNCTIONS:
                raise self._fail(f"'{node.id}' is a function: write {node.id}(...)", node)
            raise self._fail(f"unknown name '{node.id}'", node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.build(node.operand)
            result = -operand if isinstance(node.op, ast.USub) else operand
            return self._checked(result, node)
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        raise self._fail(f"'{_describe(node)}' is not allowed in a function", node)

    def _number(self, node: ast.Constant) -> Any:
        value = self._literal(node)
        if isinstance(value, int):
            return self.sp.Integer(value)
        text = repr(value)
        if "e" not in text and len(text.replace("-", "").replace(".", "")) <= 8:
            # A short decimal stays exact, which keeps derivatives tidy (0.5 -> 1/2) ...
            return self.sp.Rational(text)
        # ... and 1e-300 or 3.14159265358979 is a float, never a ratio of huge integers
        # (which sympy would go on to simplify symbolically, without end).
        return self.sp.Float(value)

    def _binop(self, node: ast.BinOp) -> Any:
        op = node.op
        left = self.build(node.left)
        right = self.build(node.right)
        if isinstance(op, ast.Add):
            result = left + right
        elif isinstance(op, ast.Sub):
            result = left - right
        elif isinstance(op, ast.Mult):
            result = left * right
        elif isinstance(op, ast.Div):
            if right.is_zero:
                raise self._fail("division by zero", node)
            result = left / right
        elif isinstance(op, ast.Pow):
            if right.is_number:
                exponent = float(right)
                if not math.isfinite(exponent) or abs(exponent) > MAX_EXPONENT:
                    raise self._fail(f"exponent too large (limit {MAX_EXPONENT})", node)
            if left.is_number and right.is_number:
                self._check_constant(float(left), float(right), node)
                if not (left.is_Rational and right.is_Integer):
                    # 100^1e-300 and 2^pi are numbers, not symbolic powers to simplify.
                    base, exponent = float(left), float(right)
                    if base < 0 and not exponent.is_integer():
                        raise self._fail("this is not a real number", node)
                    return self._checked(self.sp.Float(base**exponent), node)
            result = left**right
        else:
            raise self._fail(f"the operator '{_describe(node)}' is not allowed", node)
        return self._checked(result, node)

    def _check_constant(self, base: float, exponent: float, node: ast.AST) -> None:
        try:
            value = abs(base) ** exponent
        except ZeroDivisionError:
            raise self._fail("division by zero", node) from None
        except OverflowError:
            raise self._fail("number too large", node) from None
        if isinstance(value, complex) or value > MAX_CONSTANT:
            raise self._fail("number too large", node)

    def _numeric(self, expr: Any) -> Any:
        """A constant as a float (15 digits), or the constant itself when it is already
        a float, a short ratio, e, or a short ratio of pi (sympy evaluates functions of
        those by table, without searching)."""
        if expr.is_Float or _small_ratio(expr) or expr is self.sp.E or _small_ratio(
                expr / self.sp.pi):
            return expr  # sin(pi/2) is still 1, exactly
        value = complex(expr.evalf(17))
        if value.imag != 0:
            raise ArithmeticError("this is not a real number")
        return self.sp.Float(value.real)

    def _checked(self, expr: Any, node: ast.AST) -> Any:
        if expr.has(self.sp.zoo, self.sp.nan, self.sp.oo, -self.sp.oo):
            raise self._fail("this is undefined (division by zero or infinity)", node)
        if expr.is_number:
            try:
                value = complex(expr.evalf(20))
            except (TypeError, ValueError, OverflowError):
                raise self._fail("this constant cannot be evaluated", node) from None
            if value.imag != 0:
                raise self._fail("this is not a real number", node)
            magnitude = abs(value)
            if not math.isfinite(magnitude) or magnitude > MAX_CONSTANT:
                raise self._fail("number too large", node)
        return expr

    def _call(self, node: ast.Call) -> Any:
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else _describe(node.func)
            raise self._fail(
                f"'{name}' is not a known function (known: {', '.join(FUNCTION_NAMES)})", node
            )
        if node.keywords or len(node.args) != 1:
            raise self._fail(f"{node.func.id}(...) takes exactly one argument", node)
        arg = self.build(node.args[0])
        sp = self.sp
        kind = _FUNCTIONS[node.func.id]
        if arg.is_number:
            # A function of a constant is evaluated numerically: sympy's automatic
            # evaluation of, say, atan(acos(100^1e-300)) looks for minimal polynomials
            # and grows without bound.
            arg = self._numeric(arg)
        if kind == "sigmoid":
            result = 1 / (1 + sp.exp(-arg))
        elif kind == "log10":
            result = sp.log(arg) / sp.log(10)
        elif kind == "log2":
            result = sp.log(arg) / sp.log(2)
        else:
            result = getattr(sp, kind)(arg)
        return self._checked(result, node)


#: What it means when a derivative contains something that has no numeric value.
_NOT_EVALUABLE = {
    "DiracDelta": "its derivative is a Dirac delta (a jump, as in sign(x)), which has no "
                  "value to draw: use a smooth function",
    "ImaginaryUnit": "it is not a real number for some x and y (a negative number to a "
                     "power that is not whole, as in (-1)^x)",
    "Heaviside": "its derivative has a jump with no value at it: use a smooth function",
}


def _small_ratio(expr: Any) -> bool:
    return bool(expr.is_Rational) and abs(expr.q) < 10**6 and abs(expr.p) < 10**12


def _describe(node: ast.AST) -> str:
    names = {
        ast.Attribute: "attribute access (.)", ast.Lambda: "lambda", ast.Subscript: "[...]",
        ast.ListComp: "comprehension", ast.Compare: "comparison", ast.BoolOp: "and/or",
        ast.Mod: "%", ast.FloorDiv: "//", ast.BitXor: "^", ast.Tuple: "a tuple (comma)",
        ast.List: "a list", ast.Dict: "a dict", ast.Starred: "*", ast.MatMult: "@",
    }
    return names.get(type(node), type(node).__name__)


def parse_tree(text: str, variables: Sequence[str]) -> tuple[ast.Expression, list[int]]:
    """The checked syntax tree of a formula in ``variables`` (still to be walked by an
    allow-listing builder), with each source column's position in ``text``.  Length,
    names, nesting and operators are checked here; :class:`ExpressionError` says what
    is wrong."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"too long: {len(text)} characters (limit {MAX_LENGTH})")
    tokens = _insert_implicit_products(_tokenise(text, variables))
    if not tokens:
        raise ExpressionError("type a formula")
    _check_depth(tokens)
    _check_operators(tokens)
    source, origin = _to_python_source(tokens)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        col = (exc.offset or 1) - 1
        pos = origin[min(col, len(origin) - 1)] if origin else None
        where = f" near position {pos + 1}" if pos is not None else ""
        raise ExpressionError(f"this is not a complete formula{where}", pos) from None
    except (MemoryError, RecursionError, ValueError):
        raise ExpressionError("this formula is too complicated") from None
    return tree, origin


def parse_function(text: str, variables: Sequence[str] = ("x", "y")) -> Function:
    """Parse text such as ``"x^2 - y^2"`` or ``"2x y"`` into a :class:`Function`.

    Parameters
    ----------
    text : str
        The function as people write maths: ``^`` or ``**`` for powers, implicit
        multiplication (``2x``, ``x y``, ``2(x+1)``), functions such as sin, cos, exp, log,
        sqrt, abs, tanh, sigmoid, and the constants pi and e.
    variables : sequence of str
        Names of the independent variables, in argument order.

    Raises
    ------
    ExpressionError
        For anything that is not such a function, with a message saying what is wrong and
        (where known) the 1-based position.  Never any other exception.
    """
    if not isinstance(text, str):
        raise ExpressionError("the function must be text")
    for name in variables:
        if not re.fullmatch(r"[A-Za-z_]\w*", name) or name in _FUNCTIONS or name in _CONSTANTS:
            raise ExpressionError(f"'{name}' cannot be a variable name")
    if not text.strip():
        example = " + ".join(f"{v}^2" for v in variables[:2]) or "2"
        raise ExpressionError(f"type a function of {', '.join(variables)}, for example "
                              f"{example}")
    tree, origin = parse_tree(text, variables)
    try:
        expr = _Builder(variables, origin).build(tree)
        return Function(expr, tuple(variables), text)
    except ExpressionError:
        raise
    except (RecursionError, MemoryError, OverflowError):
        raise ExpressionError("this formula is too complicated") from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ExpressionError(f"cannot use this formula: {exc}") from None


def as_function(f: Function | str, variables: Sequence[str]) -> Function:
    """``f`` itself if already parsed, else the text parsed in ``variables`` (the core's
    functions take either)."""
    return parse_function(f, variables) if isinstance(f, str) else f


class Function:
    """A function of several variables with symbolic derivatives and numpy evaluation.

    Parameters
    ----------
    expr : sympy.Expr
        The symbolic expression.
    variables : tuple of str
        Names of its variables, in argument order.
    text : str
        The text it was parsed from (for display).

    All numeric methods take one array per variable (any broadcastable shapes) and return
    float arrays of the broadcast shape; scalars in give numpy scalars out.
    """

    def __init__(self, expr: Any, variables: tuple[str, ...], text: str = ""):
        import sympy

        self.expr = expr
        self.variables = variables
        self.text = text
        self.symbols = tuple(sympy.Symbol(v, real=True) for v in variables)
        self._value = compile_expression(expr, self.symbols)

    def __repr__(self) -> str:
        return f"Function({self.text!r})"

    # ---- symbolic -------------------------------------------------------------------
    @cached_property
    def partials(self) -> tuple[Any, ...]:
        """The first partial derivatives, one sympy expression per variable.

        Raises ExpressionError when one is longer than ``MAX_DERIVATIVE_NODES``."""
        parts = tuple(self.expr.diff(s) for s in self.symbols)
        if max(expr_size(p, MAX_DERIVATIVE_NODES) for p in parts) > MAX_DERIVATIVE_NODES:
            raise ExpressionError(
                f"the derivatives of f are too long to work out here (more than "
                f"{MAX_DERIVATIVE_NODES} terms): try a shorter formula")
        return parts

    @cached_property
    def second_partials(self) -> tuple[tuple[Any, ...], ...] | None:
        """The Hessian as nested tuples of sympy expressions, or None when the first
        partials are too long for it to be worked out quickly (see :meth:`hessian`)."""
        if max(expr_size(p, SYMBOLIC_HESSIAN_NODES) for p in self.partials) > \
                SYMBOLIC_HESSIAN_NODES:
            return None
        return tuple(tuple(p.diff(s) for s in self.symbols) for p in self.partials)

    @property
    def latex(self) -> str:
        import sympy

        return sympy.latex(self.expr)

    def partial_latex(self) -> tuple[str, ...]:
        import sympy

        return tuple(sympy.latex(p) for p in self.partials)

    # ---- numeric ----------------------------------------------------------------------
    @cached_property
    def _gradient_fns(self) -> tuple[Callable, ...]:
        return tuple(compile_expression(p, self.symbols) for p in self.partials)

    @cached_property
    def _hessian_fns(self) -> tuple[tuple[Callable, ...], ...] | None:
        second = self.second_partials
        if second is None:
            return None
        return tuple(tuple(compile_expression(h, self.symbols) for h in row) for row in second)

    def _check_args(self, args: tuple) -> list[np.ndarray]:
        if len(args) != len(self.symbols):
            raise TypeError(f"expected {len(self.symbols)} arrays, got {len(args)}")
        return [np.asarray(a, dtype=float) for a in args]

    def __call__(self, *arrays: Any) -> np.ndarray:
        """Evaluate the function elementwise.  Where a function of one variable is 0/0
        (sin x / x at 0), its value is the limit there (:meth:`_limits`)."""
        args = self._check_args(arrays)
        return self._limits(_evaluate(self._value, args), args, 0)

    def gradient(self, *arrays: Any) -> tuple[np.ndarray, ...]:
        """The partial derivatives at the given points: one array per variable (for one
        variable, the limit where the formula is 0/0)."""
        args = self._check_args(arrays)
        return tuple(self._limits(_evaluate(fn, args), args, 1)
                     for fn in self._gradient_fns)

    @cached_property
    def _divides(self) -> bool:
        """f (of one variable) divides by something: it may be 0/0 somewhere."""
        import sympy

        return len(self.symbols) == 1 and any(
            e.is_Pow and e.exp.is_number and e.exp.is_negative
            for e in sympy.preorder_traversal(self.expr))

    def _limits(self, values: np.ndarray, args: list[np.ndarray], order: int) -> np.ndarray:
        """``values`` (of f, or of f′ for ``order`` 1) with each nan at a finite x where f
        divides 0 by 0 replaced by the limit there, from f's Taylor series about x (whose
        arithmetic divides out the common zero): a removable singularity, as the parser
        can tell it.  Elsewhere nan stays nan (log of a negative number, a pole)."""
        if not self._divides:
            return values
        holes = np.isnan(values) & np.isfinite(args[0])
        if not np.any(holes):
            return values
        from mlcalc_gui.core.taylor import SeriesError, series

        xs = np.broadcast_to(args[0], np.shape(values))[holes]
        try:
            c = series(self, xs, order)[order] * (1.0 if order < 2 else 2.0)
        except (SeriesError, ExpressionError):
            return values
        if np.ndim(values) == 0:
            return c[0] if np.isfinite(c[0]) else values
        filled = np.array(values, dtype=float)
        filled[holes] = c
        return filled

    def hessian(self, *arrays: Any) -> np.ndarray:
        """Second derivatives, of shape ``broadcast_shape + (n, n)``."""
        args = self._check_args(arrays)
        fns = self._hessian_fns
        if fns is None:
            return self._difference_hessian(args)
        rows = [[_evaluate(fn, args) for fn in row] for row in fns]
        return np.stack([np.stack(r, axis=-1) for r in rows], axis=-2)

    def _difference_hessian(self, args: list[np.ndarray]) -> np.ndarray:
        """Central differences of the exact gradient, symmetrised (error about 1e-8)."""
        args = list(np.broadcast_arrays(*args))
        n = len(args)
        out = np.empty(args[0].shape + (n, n))
        for j in range(n):
            h = 1e-5 * np.maximum(1.0, np.abs(args[j]))
            up = [a + h if k == j else a for k, a in enumerate(args)]
            down = [a - h if k == j else a for k, a in enumerate(args)]
            for i, fn in enumerate(self._gradient_fns):
                out[..., i, j] = (_evaluate(fn, up) - _evaluate(fn, down)) / (2 * h)
        out = (out + np.swapaxes(out, -1, -2)) / 2
        return out[()] if out.ndim == 2 else out


def _evaluate(fn: Callable, args: list[np.ndarray]) -> np.ndarray:
    shape = np.broadcast_shapes(*(a.shape for a in args))
    with np.errstate(all="ignore"):
        out = np.asarray(fn(*args), dtype=float)
    if out.shape != shape:
        out = np.broadcast_to(out, shape).copy()
    return out[()] if out.ndim == 0 else out


# ---- a tiny sympy -> numpy compiler (closures, no generated source) ---------------------
def compile_expression(expr: Any, symbols: tuple[Any, ...]) -> Callable[..., np.ndarray]:
    """A numpy function of one array per symbol for the sympy ``expr`` (built from the
    safe parser's tree): closures over numpy ufuncs, never generated source."""
    import sympy as sp

    unary = {
        sp.sin: np.sin, sp.cos: np.cos, sp.tan: np.tan,
        sp.asin: np.arcsin, sp.acos: np.arccos, sp.atan: np.arctan,
        sp.sinh: np.sinh, sp.cosh: np.cosh, sp.tanh: np.tanh,
        sp.asinh: np.arcsinh, sp.acosh: np.arccosh, sp.atanh: np.arctanh,
        sp.exp: np.exp, sp.log: np.log, sp.Abs: np.abs, sp.sign: np.sign,
        sp.sec: lambda v: 1 / np.cos(v), sp.csc: lambda v: 1 / np.sin(v),
        sp.cot: lambda v: 1 / np.tan(v),
        sp.Heaviside: lambda v: np.heaviside(v, 0.5),
        # The derivative of sign/abs: zero almost everywhere.
        sp.DiracDelta: lambda v: np.zeros_like(v, dtype=float),
    }
    index = {s: i for i, s in enumerate(symbols)}
    built: dict[Any, Callable[[list[np.ndarray]], Any]] = {}  # shared sub-trees once

    def build(e: Any) -> Callable[[list[np.ndarray]], Any]:
        fn = built.get(e)
        if fn is None:
            fn = built[e] = make(e)
        return fn

    def make(e: Any) -> Callable[[list[np.ndarray]], Any]:
        if e in index:
            i = index[e]
            return lambda a: a[i]
        if e.is_Number or e.is_NumberSymbol:
            value = float(e)
            return lambda a: value
        if e.is_Add:
            parts = [build(t) for t in e.args]

            def add(a: list[np.ndarray]) -> Any:
                total = parts[0](a)
                for p in parts[1:]:
                    total = total + p(a)
                return total

            return add
        if e.is_Mul:
            parts = [build(t) for t in e.args]

            def mul(a: list[np.ndarray]) -> Any:
                total = parts[0](a)
                for p in parts[1:]:
                    total = total * p(a)
                return total

            return mul
        if e.is_Pow:
            base, exponent = build(e.args[0]), e.args[1]
            if exponent == sp.Rational(1, 2):
                return lambda a: np.sqrt(base(a))
            if exponent == -1:
                return lambda a: 1.0 / base(a)
            if exponent.is_Integer:
                k = int(exponent)
                return lambda a: np.power(np.asarray(base(a), dtype=float), k)
            power = build(exponent)
            return lambda a: np.power(np.asarray(base(a), dtype=float), power(a))
        func = type(e)
        if func in unary and len(e.args) == 1:
            inner, ufunc = build(e.args[0]), unary[func]
            return lambda a: ufunc(inner(a))
        raise ExpressionError(_NOT_EVALUABLE.get(
            func.__name__, f"cannot evaluate {func.__name__} numerically"))

    body = build(expr)
    return lambda *args: body(list(args))
