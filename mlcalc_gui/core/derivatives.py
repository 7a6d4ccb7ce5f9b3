"""Week 1: rise over run, finite differences and their errors, and the differentiation
rules applied one at a time, as a student writes them out.

Numpy and sympy only (no Qt).  Typed text goes through the safe parser
(:func:`mlcalc_gui.core.expressions.parse_function`), never ``sympify``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mlcalc_gui.core.expressions import ExpressionError, Function, parse_function

__all__ = ["secant_slope", "forward_difference", "central_difference", "DifferenceErrors",
           "difference_errors", "Step", "RuleSteps", "rule_steps", "SecantRecord",
           "shrink_h", "limit_verdict", "check_answer", "AnswerCheck", "RULE_TIME_LIMIT",
           "MAX_STEPS", "Measured"]

#: The longest the rules may take for one function (seconds), and the most steps shown.
RULE_TIME_LIMIT = 2.0
MAX_STEPS = 400


# ---- rise over run ---------------------------------------------------------------------
def _values(f: Callable, x: Any) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(f(np.asarray(x, dtype=float)), dtype=float)


def secant_slope(f: Callable, x: Any, h: Any) -> np.ndarray:
    """Rise over run between x and x + h: (f(x + h) - f(x)) / h, vectorised over both."""
    x, h = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(h, dtype=float))
    with np.errstate(all="ignore"):
        return (_values(f, x + h) - _values(f, x)) / h


def forward_difference(f: Callable, x: Any, h: Any) -> np.ndarray:
    """The forward difference (f(x + h) - f(x)) / h: error O(h)."""
    return secant_slope(f, x, h)


def central_difference(f: Callable, x: Any, h: Any) -> np.ndarray:
    """The central difference (f(x + h) - f(x - h)) / 2h: error O(h²)."""
    x, h = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(h, dtype=float))
    with np.errstate(all="ignore"):
        return (_values(f, x + h) - _values(f, x - h)) / (2 * h)


def _exact_derivative(f: Any, x: float) -> float:
    if isinstance(f, Function):
        return float(f.gradient(np.float64(x))[0])
    raise TypeError("give exact= for a function that is not a parsed Function")


# ---- reality is hard: f known only at points -------------------------------------------
def _noise_at(x: np.ndarray, seed: int) -> np.ndarray:
    """A standard normal number for each x, the same for the same x and seed however often
    it is asked (a measurement is made once): SplitMix64 of the float's bits, then
    Box-Muller."""
    bits = np.ascontiguousarray(x, dtype=np.float64).view(np.uint64)

    def mix(z: np.ndarray) -> np.ndarray:
        z = (z + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(0xFFFFFFFFFFFFFFFF)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))

    with np.errstate(over="ignore"):
        a = mix(bits ^ np.uint64(seed * 0x632BE59BD9B4E019 & 0xFFFFFFFFFFFFFFFF))
        b = mix(a)
    u1 = ((a >> np.uint64(11)).astype(np.float64) + 0.5) / 2.0**53
    u2 = (b >> np.uint64(11)).astype(np.float64) / 2.0**53
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


@dataclass(frozen=True)
class Measured:
    """f known only at points, as the course's "reality is hard" has it: measured on a
    grid of ``spacing`` (0: wherever it is asked; a point between grid points reads the
    nearest one), each measurement off by noise of standard deviation ``noise``, the
    same at a point however often it is read.  Call it like f: a difference quotient of
    it is what a derivative from data is."""

    function: Callable
    spacing: float = 0.0
    noise: float = 0.0
    seed: int = 1

    def points(self, x: Any) -> np.ndarray:
        """Where the measurements asked for at ``x`` were made (the grid points)."""
        x = np.asarray(x, dtype=float)
        if self.spacing > 0:
            return np.round(x / self.spacing) * self.spacing
        return x

    def __call__(self, x: Any) -> np.ndarray:
        at = self.points(x)
        values = _values(self.function, at)
        if self.noise > 0:
            values = values + self.noise * _noise_at(at, self.seed).reshape(np.shape(at))
        return values


@dataclass(frozen=True)
class DifferenceErrors:
    """The absolute errors of the forward and central differences for each h.

    ``best_forward`` / ``best_central``: the h with the smallest error.  The slopes are
    fitted on the log-log plot: ``truncation_*`` for h well above the best (about 1 and
    2), ``roundoff_*`` well below it (about -1: the error grows like ε / h).  A slope is
    nan where too few errors were non-zero to fit it.
    """

    hs: np.ndarray
    forward: np.ndarray
    central: np.ndarray
    exact: float
    best_forward: float
    best_central: float
    truncation_forward: float
    truncation_central: float
    roundoff_forward: float
    roundoff_central: float


def _slope(hs: np.ndarray, errors: np.ndarray, mask: np.ndarray) -> float:
    keep = mask & (errors > 0) & np.isfinite(errors)
    if keep.sum() < 4:
        return math.nan
    return float(np.polyfit(np.log10(hs[keep]), np.log10(errors[keep]), 1)[0])


def _best(hs: np.ndarray, errors: np.ndarray) -> float:
    finite = np.where(np.isfinite(errors), errors, np.inf)
    return float(hs[int(np.argmin(finite))]) if np.isfinite(finite).any() else math.nan


def difference_errors(f: Callable, x: float, hs: Any = None,
                      exact: float | None = None) -> DifferenceErrors:
    """The errors of both differences at ``x`` for each step in ``hs`` (default 1 down to
    1e-16), against ``exact`` (default: the symbolic derivative of a parsed function)."""
    hs = np.logspace(0, -16, 161) if hs is None else np.asarray(hs, dtype=float)
    exact = _exact_derivative(f, x) if exact is None else float(exact)
    with np.errstate(all="ignore"):
        fwd = np.abs(forward_difference(f, x, hs) - exact)
        ctr = np.abs(central_difference(f, x, hs) - exact)
    best_f, best_c = _best(hs, fwd), _best(hs, ctr)
    # Truncation: from h = 0.1 down to a decade above the best; round-off: below the best
    # by a decade and more (the first few decades are too noisy to fit).
    def regimes(best: float, errors: np.ndarray) -> tuple[float, float]:
        if not math.isfinite(best):
            return math.nan, math.nan
        trunc = (hs <= 0.1) & (hs >= best * 10)
        round_ = (hs <= best / 10) & (hs >= 1e-15)
        return _slope(hs, errors, trunc), _slope(hs, errors, round_)

    tf, rf = regimes(best_f, fwd)
    tc, rc = regimes(best_c, ctr)
    return DifferenceErrors(hs, fwd, ctr, exact, best_f, best_c, tf, tc, rf, rc)


@dataclass(frozen=True)
class SecantRecord:
    """One frame of "h → 0": the step, the secant's slope and its distance from f'(x)."""

    step: int
    h: float
    slope: float
    error: float


def shrink_h(f: Callable, x: float, h0: float, exact: float, factor: float = 0.8,
             h_min: float = 1e-6) -> Iterator[SecantRecord]:
    """The secant from x to x + h as h shrinks geometrically from ``h0`` to ``h_min``."""
    h, step = float(h0), 0
    while True:
        slope = float(secant_slope(f, x, h))
        yield SecantRecord(step, h, slope, abs(slope - exact))
        if abs(h) <= h_min:
            return
        h = math.copysign(max(abs(h) * factor, h_min), h)
        step += 1


def limit_verdict(f: Callable, x: float, exact: float | None = None) -> str | None:
    """Why f has no derivative at ``x`` (said for a learner), or None if it has one.

    Undefined at x (1/x at 0), slopes from the left and the right that disagree (|x| at
    0), or slopes that grow without bound (√x, ∛x at 0): the limit of rise over run does
    not exist there."""
    x = float(x)
    value = float(_values(f, x))
    if not math.isfinite(value):
        return (f"f is not defined at x = {x:g}, so there is no point to draw a secant "
                "from: rise over run has no limit here")
    hs = np.array([1e-3, 1e-4, 1e-5])
    with np.errstate(all="ignore"):
        right = (_values(f, x + hs) - value) / hs
        left = (value - _values(f, x - hs)) / hs
    if not (np.isfinite(right).all() and np.isfinite(left).all()):
        return (f"f is not defined on one side of x = {x:g}: the secant cannot shrink "
                "from both sides")
    for side, slopes in (("right", right), ("left", left)):
        if abs(slopes[-1]) > 100 and abs(slopes[-1]) > 5 * abs(slopes[0]):
            return (f"from the {side} the secants get steeper without bound as h → 0 "
                    f"(slope {slopes[-1]:.3g} at h = 1e-5): there is no finite slope at "
                    f"x = {x:g}, the curve stands vertical there")
    scale = 1 + abs(right[-1]) + abs(left[-1])
    if abs(right[-1] - left[-1]) > 1e-2 * scale and abs(right[-1] - left[-1]) >= 0.5 * abs(
            right[-2] - left[-2]):
        return (f"from the right the slope tends to {right[-1]:.3g}, from the left to "
                f"{left[-1]:.3g}: they disagree, so f has a corner at x = {x:g} and no "
                "derivative there")
    if exact is not None and not math.isfinite(exact):
        return f"f'({x:g}) is not defined"
    return None


# ---- the learner's own f'(x) -------------------------------------------------------------
@dataclass(frozen=True)
class AnswerCheck:
    right: bool
    message: str
    worst_x: float = math.nan


def check_answer(function: Function, answer: Function, domain: tuple[float, float],
                 points: int = 400) -> AnswerCheck:
    """Compare the learner's f'(x) with the true one at many points of ``domain``."""
    xs = np.linspace(domain[0], domain[1], points)
    with np.errstate(all="ignore"):
        true = np.asarray(function.gradient(xs)[0], dtype=float) * np.ones_like(xs)
        mine = np.asarray(answer(xs), dtype=float) * np.ones_like(xs)
    both = np.isfinite(true) & np.isfinite(mine)
    if not both.any():
        return AnswerCheck(False, "neither f′ nor your answer has a value on this domain")
    # Where either side has no finite value the gap is left out (inf − inf, inf / inf).
    with np.errstate(all="ignore"):
        gap = np.where(both, np.abs(mine - true) / (1 + np.abs(true)), 0.0)
    only_one = np.isfinite(true) != np.isfinite(mine)
    if gap.max() < 1e-6 and not only_one.any():
        return AnswerCheck(True, f"Right: it equals f′(x) at all {points} points checked.")
    if gap.max() < 1e-6:
        i = int(np.argmax(only_one))
        return AnswerCheck(False, f"Nearly: at x = {xs[i]:.4g} one of the two has no value "
                                  "and the other has", float(xs[i]))
    i = int(np.argmax(gap))
    agree = 100 * float(np.mean(gap[both] < 1e-6))
    return AnswerCheck(False, f"Not yet: at x = {xs[i]:.4g} yours is {mine[i]:.4g} but f′ is "
                              f"{true[i]:.4g} (they agree at {agree:.0f}% of the points).",
                       float(xs[i]))


# ---- the rules, one at a time ------------------------------------------------------------
#: The rule for each function of one argument, named as a textbook does.
_FUNCTION_RULES = {
    "sin": "sin", "cos": "cos", "tan": "tan", "exp": "exp", "log": "log",
    "asin": "arcsin", "acos": "arccos", "atan": "arctan", "sinh": "sinh", "cosh": "cosh",
    "tanh": "tanh", "asinh": "arsinh", "acosh": "arcosh", "atanh": "artanh",
    "Abs": "abs", "sign": "sign", "sec": "sec", "csc": "csc", "cot": "cot",
}

#: What each rule says, for the learner (u, v: functions of x; c, n: constants).
RULE_TEXT = {
    "constant": "d/dx c = 0",
    "constant multiple": "d/dx (c·u) = c·u′",
    "sum": "d/dx (u + v) = u′ + v′",
    "difference": "d/dx (u − v) = u′ − v′",
    "power": "d/dx xⁿ = n·xⁿ⁻¹",
    "product": "d/dx (u·v) = u′·v + u·v′",
    "quotient": "d/dx (u/v) = (u′·v − u·v′) / v²",
    "chain": "d/dx f(g(x)) = f′(g(x))·g′(x)",
    "exponential": "d/dx aˣ = aˣ·ln a",
    "general power": "d/dx uᵛ = uᵛ·(v′·ln u + v·u′/u)",
    "exp": "d/dx eˣ = eˣ",
    "log": "d/dx ln x = 1/x",
    "sin": "d/dx sin x = cos x",
    "cos": "d/dx cos x = −sin x",
    "tan": "d/dx tan x = 1/cos²x",
    "abs": "d/dx |x| = sign(x) (none at 0)",
}


@dataclass(eq=False)
class Step:
    """One rule applied to one sub-expression.

    ``expr``: what is differentiated; ``rule``: the rule's name; ``outer``: for the chain
    rule, the rule of the outer function; ``gives``: what the rule turns d/dx expr into,
    with the derivatives still to work out left as unevaluated ``Derivative`` objects;
    ``result``: the derivative of ``expr`` once every step below is done; ``children``:
    the steps for the derivatives ``gives`` leaves open, in order.
    """

    expr: Any
    rule: str
    gives: Any
    result: Any = None
    outer: str = ""
    children: list[Step] = field(default_factory=list)
    index: int = 0  # position in the walk (pre-order)
    depth: int = 0

    @property
    def latex(self) -> str:
        import sympy as sp

        x = next(iter(sorted(self.expr.free_symbols, key=str)), sp.Symbol("x"))
        return (rf"\frac{{d}}{{d{sp.latex(x)}}}\left({sp.latex(self.expr)}\right) = "
                f"{sp.latex(self.gives)}")

    @property
    def name(self) -> str:
        """The rule as a learner reads it: "chain (outer: sin)"."""
        return f"{self.rule} (outer: {self.outer})" if self.outer else self.rule

    def walk(self) -> Iterator[Step]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class RuleSteps:
    """The rules applied to f, as a tree (``root``) and in walk order (``steps``)."""

    function: Function
    root: Step
    steps: tuple[Step, ...]

    @property
    def result(self) -> Any:
        return self.root.result

    def working(self, done: int) -> Any:
        """d/dx f with the first ``done`` steps applied (0: the unevaluated derivative)."""
        import sympy as sp

        x = self.function.symbols[0]
        expr = sp.Derivative(self.function.expr, x)
        for step in self.steps[:done]:
            expr = expr.xreplace({sp.Derivative(step.expr, x): step.gives})
        return expr


class _Rules:
    def __init__(self, x: Any, deadline: float):
        import sympy as sp

        self.sp = sp
        self.x = x
        self.deadline = deadline
        self.count = 0

    def d(self, e: Any) -> Any:
        return self.sp.Derivative(e, self.x)

    def step(self, e: Any, depth: int = 0) -> Step:
        sp = self.sp
        self.count += 1
        if self.count > MAX_STEPS:
            raise ExpressionError(f"this needs more than {MAX_STEPS} steps: try a shorter "
                                  "formula")
        if time.monotonic() > self.deadline:
            raise ExpressionError(f"the rules took longer than {RULE_TIME_LIMIT:g} s for "
                                  "this formula: try a shorter one")
        s = self._rule(e, depth)
        s.depth = depth
        # The result: 'gives' with each open derivative replaced by its step's result.
        done = {self.d(c.expr): c.result for c in s.children}
        s.result = s.gives.xreplace(done) if done else s.gives
        if s.result.has(sp.Derivative):  # a child sub-expression sympy merged: finish it
            s.result = s.result.doit()
        return s

    def _children(self, parts: list[Any], depth: int) -> list[Step]:
        return [self.step(p, depth + 1) for p in parts]

    def _rule(self, e: Any, depth: int) -> Step:
        sp, x = self.sp, self.x
        if not e.has(x):
            return Step(e, "constant", sp.Integer(0))
        if e == x:
            return Step(e, "power", sp.Integer(1))
        if e.is_Add:
            terms = list(e.args)
            rule = "difference" if any(t.could_extract_minus_sign() for t in terms) else "sum"
            kids = self._children(terms, depth)
            return Step(e, rule, sp.Add(*[self.d(k.expr) for k in kids]), children=kids)
        if e.is_Mul:
            return self._mul(e, depth)
        if e.is_Pow:
            return self._pow(e, depth)
        if isinstance(e, sp.exp):
            return self._function(e, "exp", sp.exp(e.args[0]), depth)
        name = _FUNCTION_RULES.get(type(e).__name__)
        if name is None or len(e.args) != 1:
            raise ExpressionError(f"no rule for {type(e).__name__} in this tab")
        t = sp.Dummy("t", real=True)
        outer = type(e)(t).diff(t)
        return self._function(e, name, outer.xreplace({t: e.args[0]}), depth)

    def _function(self, e: Any, name: str, outer_derivative: Any, depth: int) -> Step:
        inner = e.args[0]
        if inner == self.x:
            return Step(e, name, outer_derivative)
        kid = self.step(inner, depth + 1)
        return Step(e, "chain", outer_derivative * self.d(inner), outer=name, children=[kid])

    def _mul(self, e: Any, depth: int) -> Step:
        sp, x = self.sp, self.x
        const, rest = e.as_independent(x, as_Add=False)
        if const != 1:
            kid = self.step(rest, depth + 1)
            return Step(e, "constant multiple", const * self.d(rest), children=[kid])
        num, den = sp.fraction(e, exact=True)
        if den.has(x) and num.has(x) and den != 1:
            u, v = num, den
            kids = self._children([u, v], depth)
            gives = (self.d(u) * v - u * self.d(v)) / v**2
            return Step(e, "quotient", gives, children=kids)
        factors = list(e.args)
        u, v = factors[0], sp.Mul(*factors[1:])
        kids = self._children([u, v], depth)
        return Step(e, "product", self.d(u) * v + u * self.d(v), children=kids)

    def _pow(self, e: Any, depth: int) -> Step:
        sp, x = self.sp, self.x
        base, n = e.args
        if not n.has(x):  # u^n: the power rule (with the chain rule if u is not x)
            outer = n * base ** (n - 1)
            if base == x:
                return Step(e, "power", outer)
            kid = self.step(base, depth + 1)
            return Step(e, "chain", outer * self.d(base), outer="power", children=[kid])
        if not base.has(x):  # a^v
            outer = e * sp.log(base)
            if n == x:
                return Step(e, "exponential", outer)
            kid = self.step(n, depth + 1)
            return Step(e, "chain", outer * self.d(n), outer="exponential", children=[kid])
        kids = self._children([base, n], depth)  # u^v
        gives = e * (self.d(n) * sp.log(base) + n * self.d(base) / base)
        return Step(e, "general power", gives, children=kids)


def _agree(a: Any, b: Any, symbols: tuple[Any, ...], rng: np.random.Generator) -> bool:
    """``a`` and ``b`` are the same function: equal at random points where both have a
    value (the rules' tree is never shown if they differ)."""
    from mlcalc_gui.core.expressions import compile_expression

    fa, fb = compile_expression(a, symbols), compile_expression(b, symbols)
    xs = np.concatenate([rng.uniform(-3, 3, 40), rng.uniform(0.05, 5, 40),
                         rng.uniform(-20, 20, 20)])
    with np.errstate(all="ignore"):
        va = np.asarray(fa(xs), dtype=float) * np.ones_like(xs)
        vb = np.asarray(fb(xs), dtype=float) * np.ones_like(xs)
    both = np.isfinite(va) & np.isfinite(vb)
    if both.sum() < 5:
        import sympy as sp

        return sp.simplify(a - b) == 0
    return bool(np.all(np.abs(va[both] - vb[both]) <= 1e-7 * (1 + np.abs(vb[both]))))


def rule_steps(text: str | Function, variable: str = "x",
               time_limit: float = RULE_TIME_LIMIT) -> RuleSteps:
    """Differentiate ``text`` by the rules, one named step per sub-expression.

    Raises :class:`ExpressionError` for text the parser refuses, for formulas that need
    more than :data:`MAX_STEPS` steps or ``time_limit`` seconds, and (never expected) if
    the steps' result differs from sympy's own derivative."""
    function = text if isinstance(text, Function) else parse_function(text, (variable,))
    x = function.symbols[0]
    rules = _Rules(x, time.monotonic() + time_limit)
    try:
        root = rules.step(function.expr)
    except RecursionError:
        raise ExpressionError("this formula is nested too deeply for the rules") from None
    steps = tuple(root.walk())
    for i, s in enumerate(steps):
        s.index = i
    if not _agree(root.result, function.partials[0], function.symbols,
                  np.random.default_rng(0)):
        raise ExpressionError("the rules and sympy disagree on this derivative (a bug: "
                              "please report the formula)")
    return RuleSteps(function, root, steps)


# ---- match the graph to its derivative -----------------------------------------------------
#: Function families for the quiz: text with {a} and {b} for random whole numbers.
QUIZ_FAMILIES = (
    "x^2 - {a}x", "{a} - x^2", "x^3 - {a}x", "x^3/3 - x^2 - {a}x", "sin({b}x)", "cos({b}x)",
    "exp(x/{b})", "x exp(-x^2/{b})", "{a} x^2 - x^4/{b}", "tanh({b}x)", "log(x^2 + {b})",
    "x sin(x)", "1/(1 + x^2)", "x^4/4 - {a}x^2",
)
QUIZ_DOMAIN = (-3.0, 3.0)


@dataclass(frozen=True)
class QuizQuestion:
    """One f and four graphs, one of them f′; ``roles`` says what each graph is.  The
    curves are sampled at ``xs`` (:data:`QUIZ_DOMAIN`): ``f_values`` and one array of
    ``values`` per candidate."""

    f: str
    candidates: tuple[str, ...]
    roles: tuple[str, ...]
    answer: int
    explanation: str
    xs: np.ndarray
    f_values: np.ndarray
    values: tuple[np.ndarray, ...]


def _role_curves(text: str) -> dict[str, Any]:
    import sympy as sp

    function = parse_function(text, ("x",))
    x = function.symbols[0]
    d1 = function.partials[0]
    return {"f′": d1, "f itself": function.expr, "−f′": -d1, "f″": d1.diff(x),
            "f′ shifted": d1.subs(x, x - 1), "f′ upside down": d1.subs(x, -x)}, x, sp


def quiz_question(rng: np.random.Generator) -> QuizQuestion:
    """A random f from :data:`QUIZ_FAMILIES` and four graphs to choose f′ from: f′ and
    three look-alikes (f itself, −f′, f″, f′ shifted or mirrored), all visibly different."""
    from mlcalc_gui.core.expressions import compile_expression

    xs = np.linspace(*QUIZ_DOMAIN, 241)
    while True:
        template = QUIZ_FAMILIES[int(rng.integers(len(QUIZ_FAMILIES)))]
        text = template.format(a=int(rng.integers(1, 4)), b=int(rng.integers(1, 4)))
        curves, x, sp = _role_curves(text)
        text = _plain(curves["f itself"])
        values = {}
        for role, expr in curves.items():
            with np.errstate(all="ignore"):
                v = np.asarray(compile_expression(expr, (x,))(xs), dtype=float) * np.ones_like(xs)
            if np.isfinite(v).all():
                values[role] = v
        if "f′" not in values:
            continue
        scale = max(np.ptp(v) for v in values.values()) or 1.0
        chosen = ["f′"]
        for role in rng.permutation([r for r in values if r != "f′"]):
            if all(np.max(np.abs(values[role] - values[c])) > 0.15 * scale for c in chosen):
                chosen.append(str(role))
            if len(chosen) == 4:
                break
        if len(chosen) < 4:
            continue
        order = rng.permutation(4)
        roles = tuple(chosen[i] for i in order)
        answer = roles.index("f′")
        candidates = tuple(_plain(curves[r]) for r in roles)
        return QuizQuestion(text, candidates, roles, answer,
                            _explain(values["f′"], xs, roles, answer), xs,
                            values["f itself"], tuple(values[r] for r in roles))


def _plain(expr: Any) -> str:
    """An expression as the parser reads it back (x^2, not x**2)."""
    return str(expr).replace("**", "^")


def _explain(d1: np.ndarray, xs: np.ndarray, roles: tuple[str, ...], answer: int) -> str:
    letters = "ABCD"
    nonzero = d1 != 0
    xz, dz = xs[nonzero], d1[nonzero]
    flips = np.nonzero(np.sign(dz[:-1]) != np.sign(dz[1:]))[0]
    turning = ", ".join(f"{(xz[i] + xz[i + 1]) / 2:.1f}" for i in flips[:4])
    where = (f"f turns at x ≈ {turning}, so f′ crosses zero there. " if turning
             else "f never turns here, so f′ keeps one sign. ")
    others = "; ".join(f"{letters[i]} is {r}" for i, r in enumerate(roles) if i != answer)
    return (f"Graph {letters[answer]} is f′. {where}Where f rises f′ is above the axis, "
            f"where f falls it is below, and the steeper f, the further from zero. "
            f"({others}.)")


# ---- presets -----------------------------------------------------------------------------
@dataclass(frozen=True)
class DerivativePreset:
    name: str
    text: str
    domain: tuple[float, float]
    x: float
    note: str = ""


PRESETS = (
    DerivativePreset("A cubic: x³ − 2x", "x^3 - 2x", (-2.0, 2.0), 1.0,
                     "Two turning points: f′ crosses zero at x = ±√(2/3) ≈ ±0.82."),
    DerivativePreset("A parabola: x²", "x^2", (-2.0, 2.0), 1.0,
                     "The secant from x to x + h has slope 2x + h: let h → 0."),
    DerivativePreset("sin x", "sin x", (-6.3, 6.3), 1.0,
                     "Its slope is cos x: f′ is the same wave, shifted by a quarter turn."),
    DerivativePreset("eˣ", "e^x", (-3.0, 2.0), 0.5,
                     "The one function that is its own derivative: slope = height."),
    DerivativePreset("1/x", "1/x", (-3.0, 3.0), 1.0,
                     "f′ = −1/x²: always negative. At x = 0 there is no f, no tangent."),
    DerivativePreset("|x|", "abs(x)", (-2.0, 2.0), 0.5,
                     "A corner at 0: slopes −1 from the left, +1 from the right."),
    DerivativePreset("x·sin(1/x)", "x sin(1/x)", (-0.5, 0.5), 0.2,
                     "Wiggles faster and faster near 0, where it has no derivative."),
    DerivativePreset("A product: x² sin x", "x^2 sin x", (-4.0, 4.0), 1.0,
                     "The product rule: (uv)′ = u′v + uv′."),
    DerivativePreset("A chain: sin(x²)", "sin(x^2)", (-3.0, 3.0), 1.0,
                     "The chain rule: cos(x²) · 2x."),
    DerivativePreset("A quotient: x/(1 + x²)", "x/(1 + x^2)", (-4.0, 4.0), 0.5,
                     "The quotient rule: (u′v − uv′)/v²."),
)
