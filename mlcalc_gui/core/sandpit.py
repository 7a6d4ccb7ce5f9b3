"""The course's Sandpit game: a phone buried at the lowest point of a sandpit, found by
dipping a stick that reads the depth (and the slope) wherever it is poked.

Every rule, floor and constant follows the course's own module (see COURSE.md).  One thing
is deliberately better: the phone and the highest point are the floor's true global
minimum and maximum, found on a 0.01 m grid and refined, where the original's single
optimiser run misses a narrow well about half the time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from mlcalc_gui.core.step_rules import STRATEGIES, STRATEGY_NAMES, Rule, parse_step

__all__ = [
    "KINDS", "KIND_NAMES", "MODES", "MODE_NAMES", "play", "PIT", "WIN_RADIUS", "HURRY_AT",
    "MAX_DIPS", "PROBE_H",
    "WORKER_STEPS", "Floor", "make_floor", "probe", "is_win", "local_minimum", "is_stuck",
    "STRATEGIES", "STRATEGY_NAMES", "Dip", "make_dip", "Game", "worker_steps",
    "strategy_path", "new_seed", "after_dip", "replay", "strategy_walk", "STRATEGY_CHOICES",
    "DEFAULT_STEP", "rule_of", "parse_step", "Score", "MAX_SCORES", "floor_label",
    "add_score", "score_table", "scores_to_json", "scores_from_json",
]

PIT = 6.0  # the pit is [0, 6] x [0, 6] m
WIN_RADIUS = 0.15  # a dip this close to the phone finds it
HURRY_AT = 22  # the dip at which the supervisor urges hurry
MAX_DIPS = 25  # dips counted; the next one reveals the floor
PROBE_H = 0.01  # the course's central-difference step for J and H
WORKER_STEPS = 5  # automatic steps after each of the learner's dips
GRID = 301  # the 0.02 m grid the phone is first looked for on (the well is 0.2 m wide)

MODES = ("depth", "slope", "worker")
MODE_NAMES = {"depth": "Depth only", "slope": "Depth and slope",
              "worker": "Depth, slope and a worker"}
KINDS = ("intro", "depth-only", "random", "rocks", "well", "multiple-minima")
KIND_NAMES = {"intro": "Intro", "depth-only": "Depth only", "random": "Random",
              "rocks": "Rocks", "well": "Well", "multiple-minima": "Multiple minima"}
#: The arrow is -J times this, cut to at most 1 m (the course's grad_length per floor).
GRAD_LENGTH = {"intro": 0.2, "depth-only": 0.2, "random": 0.3, "rocks": 0.3, "well": 0.3,
               "multiple-minima": 0.1}
_RANDOM_KINDS = ("random", "rocks", "well", "multiple-minima")


def new_seed(rng: np.random.Generator | None = None) -> int:
    """A fresh seed a class can type in to share a floor (six digits)."""
    return int((rng or np.random.default_rng()).integers(100_000, 1_000_000))


# ---- the floors -----------------------------------------------------------------------------
def _intro(x, y):
    return -((x - 4.1) ** 2 + (y - 0.9) ** 2) - 30 * np.exp(
        -((x - 1.5) ** 2 + (y - 3.7) ** 2) / 2.8)


class _Series:
    """sum over n, m = 0..3 of a[n,m] cos(k pi n x/6 + px) cos(k pi m y/6 + py), with
    a[n,m] = rand / ((n+1)(m+1))^2 and the phases 2 pi rand (k is the frequency)."""

    def __init__(self, rng: np.random.Generator, frequency: float, scale: float = 1.0):
        n = np.arange(4)
        self.a = scale * rng.random((4, 4)) / np.outer(n + 1, n + 1) ** 2
        self.px = 2 * np.pi * rng.random((4, 4))
        self.py = 2 * np.pi * rng.random((4, 4))
        self.kx = frequency * np.pi * np.repeat(n, 4).reshape(4, 4) / 6  # k pi n / 6
        self.ky = self.kx.T.copy()  # k pi m / 6

    def __call__(self, x, y):
        x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
        shape = (16,) + (1,) * x.ndim  # the sixteen terms at once (a dip is one point)
        cx = np.cos(self.kx.reshape(shape) * x + self.px.reshape(shape))
        cy = np.cos(self.ky.reshape(shape) * y + self.py.reshape(shape))
        return np.tensordot(self.a.ravel(), cx * cy, axes=1)

    def grid(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """Z[j, i] at (xs[i], ys[j]): sixteen outer products as one matrix product."""
        cx = np.cos(self.kx.reshape(-1, 1) * xs + self.px.reshape(-1, 1))  # (16, nx)
        cy = np.cos(self.ky.reshape(-1, 1) * ys + self.py.reshape(-1, 1))  # (16, ny)
        return (cy * self.a.reshape(-1, 1)).T @ cx


class _Raw:
    """A raw floor f(x, y): vectorised, with a fast :meth:`grid` where it separates."""

    def __init__(self, terms: list, extra: Callable | None = None):
        self.terms = terms  # _Series
        self.extra = extra  # anything else, of (x, y)

    def __call__(self, x, y):
        total = _edges(np.asarray(x, float), np.asarray(y, float))
        for t in self.terms:
            total = total + t(x, y)
        return total + (self.extra(x, y) if self.extra else 0.0)

    def grid(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        X, Y = np.meshgrid(xs, ys)
        total = _edges(X, Y)
        for t in self.terms:
            total += t.grid(xs, ys)
        if self.extra is not None:
            total += self.extra(X, Y)
        return total


def _edges(x, y):
    """(1 - x(x-6) y(y-6) / 81)^7 / 9: zero at the centre, 1/9 on the edges."""
    return (1 - x * (x - 6) * y * (y - 6) / 81) ** 7 / 9


def _random_floor(rng):
    return _Raw([_Series(rng, 1.0)])


def _rocks_floor(rng):
    return _Raw([_Series(rng, 1.0), _Series(rng, 10.0, scale=1 / 25)])


def _well_floor(rng):
    series = _Series(rng, 1.0)
    xw, yw = PIT * rng.random(2)
    return _Raw([series], lambda x, y: -0.6 * np.exp(-((x - xw) ** 2 + (y - yw) ** 2)
                                                    / (2 * 0.2 ** 2)))


_BUMPS = ((0, 0), (2, 0), (4, 0), (0, 2), (2, 2), (4, 2), (0, 4), (2, 4), (4, 4), (0, 6),
          (2, 6))
_DIPS = ((1, 1), (3, 1), (1, 3), (3, 3), (1, 5), (3, 5))


def _multiple_minima_floor(rng):
    theta = 2 * np.pi * rng.random()
    u1, v1 = (rng.random(2) - 0.5) * 2 / 3
    u0, v0 = (1 + 2 * (rng.random(2) < 0.5)).tolist()  # each 1 or 3: the doubled dip
    c, s = math.cos(theta), math.sin(theta)

    # Every bump (+1) and dip (-1), the doubled dip last: one weighted sum.
    centres = np.array([*_BUMPS, *_DIPS, (u0, v0)], dtype=float)
    weights = np.array([1.0] * len(_BUMPS) + [-1.0] * (len(_DIPS) + 1))

    def f(x, y):
        x, y = np.asarray(x, float), np.asarray(y, float)
        u = (x - 3) * c + (y - 3) * s + 2 + u1
        v = -(x - 3) * s + (y - 3) * c + 3 + v1
        if u.size > 4096:  # a grid: term by term, to keep the memory small
            return sum(w * np.sinc(u - i) * np.sinc(v - j)
                       for w, (i, j) in zip(weights, centres, strict=True))
        shape = (len(weights),) + (1,) * u.ndim
        terms = np.sinc(u - centres[:, 0].reshape(shape)) * np.sinc(
            v - centres[:, 1].reshape(shape))
        return np.tensordot(weights, terms, axes=1)

    return f


def _raw_floor(kind: str, seed: int | None) -> Callable:
    if kind in ("intro", "depth-only"):
        return _intro
    rng = np.random.default_rng(seed)
    return {"random": _random_floor, "rocks": _rocks_floor, "well": _well_floor,
            "multiple-minima": _multiple_minima_floor}[kind](rng)


def _refine(f: Callable, point: tuple[float, float], spacing: float, sign: float
            ) -> tuple[float, float]:
    """Zoom in on the lowest (sign 1) or highest (sign -1) value near ``point``: a 21 x 21
    grid around it, five times finer each round, kept inside the pit."""
    x, y = point
    offsets = np.linspace(-10, 10, 21)
    for _ in range(7):
        xs = np.clip(x + offsets * spacing, 0, PIT)
        ys = np.clip(y + offsets * spacing, 0, PIT)
        X, Y = np.meshgrid(xs, ys)
        j, i = np.unravel_index(np.argmin(sign * f(X, Y)), X.shape)
        x, y = float(xs[i]), float(ys[j])
        spacing /= 5
    return x, y


def _extreme(f: Callable, Z: np.ndarray, grid: np.ndarray, sign: float,
             candidates: int = 6) -> tuple[float, float]:
    """The global minimum (sign 1) or maximum (sign -1) of f: the lowest few of the grid's
    local minima (each cell no higher than its eight neighbours, the edges included),
    each refined, and the best of those."""
    W = sign * Z
    padded = np.pad(W, 1, constant_values=np.inf)
    n, m = W.shape
    is_min = np.ones(W.shape, dtype=bool)
    for dj in (0, 1, 2):
        for di in (0, 1, 2):
            if (dj, di) != (1, 1):
                is_min &= W <= padded[dj:dj + n, di:di + m]
    js, is_ = np.nonzero(is_min)
    order = np.argsort(W[js, is_])[:candidates]
    spacing = grid[1] - grid[0]
    found = []
    for k in order:
        x, y = _refine(f, (float(grid[is_[k]]), float(grid[js[k]])), spacing, sign)
        found.append((sign * float(f(x, y)), (x, y)))
    return min(found)[1]


@dataclass(frozen=True, eq=False)
class Floor:
    """A floor of the pit: ``depth(x, y)`` in metres (-9 at the phone, -1 at the highest
    point), vectorised; ``phone`` and ``highest`` are (x, y)."""

    kind: str
    seed: int | None
    raw: Callable = field(repr=False)
    f0: float  # the raw floor's global minimum
    f1: float  # and maximum
    phone: tuple[float, float]
    highest: tuple[float, float]

    @property
    def grad_length(self) -> float:
        return GRAD_LENGTH[self.kind]

    @property
    def name(self) -> str:
        name = KIND_NAMES[self.kind]
        return f"{name} (seed {self.seed})" if self.seed is not None else name

    def depth(self, x, y):
        """F = 8 (f - f1) / (f1 - f0) - 1 (metres)."""
        return self._depth_of(self.raw(np.asarray(x, float), np.asarray(y, float)))

    def grid(self, n: int = 121) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(xs, ys, Z) over the pit, Z[j, i] the depth at (xs[i], ys[j])."""
        xs = np.linspace(0, PIT, n)
        return xs, xs.copy(), self._depth_of(_raw_grid(self.raw, xs, xs))

    def _depth_of(self, raw: np.ndarray) -> np.ndarray:
        return 8 * (raw - self.f1) / (self.f1 - self.f0) - 1


def _raw_grid(raw: Callable, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    if hasattr(raw, "grid"):
        return raw.grid(xs, ys)
    X, Y = np.meshgrid(xs, ys)
    return raw(X, Y)


def make_floor(kind: str, seed: int | None = None) -> Floor:
    """The course's floor ``kind`` (one of :data:`KINDS`) made from ``seed`` (the random
    kinds draw a fresh seed when it is None; intro and depth-only have none)."""
    if kind not in KINDS:
        raise ValueError(f"unknown floor {kind!r}: choose one of {', '.join(KINDS)}")
    if kind in _RANDOM_KINDS:
        seed = new_seed() if seed is None else int(seed)
    else:
        seed = None
    raw = _raw_floor(kind, seed)
    grid = np.linspace(0, PIT, GRID)
    Z = _raw_grid(raw, grid, grid)
    phone = _extreme(raw, Z, grid, 1.0)
    highest = _extreme(raw, Z, grid, -1.0)
    f0, f1 = float(raw(*phone)), float(raw(*highest))
    return Floor(kind, seed, raw, f0, f1, phone, highest)


# ---- the dip-stick --------------------------------------------------------------------------
def probe(floor: Floor, x: float, y: float) -> tuple[float, np.ndarray, np.ndarray]:
    """(depth, J, H) at (x, y): J and H by the course's central differences, h = 0.01."""
    h = PROBE_H
    F = floor.depth

    def jac(px, py):
        return np.array([(F(px + h, py) - F(px - h, py)) / (2 * h),
                         (F(px, py + h) - F(px, py - h)) / (2 * h)], dtype=float)

    J = jac(x, y)
    dJdx = (jac(x + h, y) - jac(x - h, y)) / (2 * h)
    dJdy = (jac(x, y + h) - jac(x, y - h)) / (2 * h)
    H = np.array([[dJdx[0], dJdy[0]], [dJdx[1], dJdy[1]]])
    return float(F(x, y)), J, H


def is_win(floor: Floor, x: float, y: float) -> bool:
    return math.hypot(x - floor.phone[0], y - floor.phone[1]) <= WIN_RADIUS


def local_minimum(floor: Floor, x: float, y: float, iterations: int = 300
                  ) -> tuple[float, float]:
    """Where a local minimisation of the depth started at (x, y) ends: steepest descent
    with a backtracking line search, kept inside the pit."""
    p = np.array([x, y], dtype=float)
    value = float(floor.depth(*p))
    step = 0.1
    h, F = PROBE_H, floor.depth
    for _ in range(iterations):
        J = np.array([(F(p[0] + h, p[1]) - F(p[0] - h, p[1])) / (2 * h),
                      (F(p[0], p[1] + h) - F(p[0], p[1] - h)) / (2 * h)], dtype=float)
        norm = float(np.hypot(*J))
        if norm < 1e-6:
            break
        while step > 1e-7:
            q = np.clip(p - step * J / norm, 0, PIT)
            v = float(floor.depth(*q))
            if v < value:
                p, value = q, v
                step *= 1.5
                break
            step /= 2
        else:
            break
    return float(p[0]), float(p[1])


def is_stuck(floor: Floor, x: float, y: float) -> bool:
    """The course's test: a local minimisation from the dip ends within 0.15 m of it."""
    lx, ly = local_minimum(floor, x, y)
    return math.hypot(lx - x, ly - y) <= WIN_RADIUS


# ---- dips and games -------------------------------------------------------------------------
@dataclass(frozen=True)
class Dip:
    """One poke of the stick: where, the depth and slope read there, the arrow drawn
    (-J x grad_length, at most 1 m), and what it found."""

    x: float
    y: float
    depth: float
    slope: tuple[float, float]
    arrow: tuple[float, float]
    number: int  # the learner's count (automatic dips carry the count they follow)
    automatic: bool = False
    won: bool = False
    stuck: bool = False


def make_dip(floor: Floor, x: float, y: float, number: int, automatic: bool = False,
             check_stuck: bool = True) -> Dip:
    depth, J, _ = probe(floor, x, y)
    arrow = -J * floor.grad_length
    length = float(np.hypot(*arrow))
    if length > 1:
        arrow = arrow / length
    won = is_win(floor, x, y)
    stuck = (not won) and check_stuck and is_stuck(floor, x, y)
    return Dip(float(x), float(y), depth, (float(J[0]), float(J[1])),
               (float(arrow[0]), float(arrow[1])), number, automatic, won, stuck)


def _in_pit(p: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(p)) and 0 <= p[0] <= PIT and 0 <= p[1] <= PIT)


#: The worker's choices: the course's four strategies and the learner's own step ("yours").
STRATEGY_CHOICES = (*STRATEGIES, "yours")
#: The step "yours" starts with.
DEFAULT_STEP = "-0.3 J"


def rule_of(strategy: str | Rule) -> Rule:
    """A strategy's step rule: one of :data:`STRATEGIES` by name, or a rule itself (a
    learner's :class:`~mlcalc_gui.core.step_rules.StepFormula`)."""
    return STRATEGIES[strategy] if isinstance(strategy, str) else strategy


def _strategy_dips(floor: Floor, start: Dip, strategy: str | Rule, steps: int,
                   number: Callable[[int], int]) -> Iterator[Dip]:
    """Up to ``steps`` automatic dips by ``strategy`` after ``start`` (the k-th numbered
    ``number(k)``), stopping when the next step leaves the pit, or after a dip that wins
    or is stuck."""
    rule = rule_of(strategy)
    p = np.array([start.x, start.y])
    for k in range(1, steps + 1):
        _, J, H = probe(floor, *p)
        p = p + rule(J, H)
        if not _in_pit(p):
            return
        dip = make_dip(floor, *p, number=number(k), automatic=True)
        yield dip
        if dip.won or dip.stuck:
            return


def worker_steps(floor: Floor, dip: Dip, strategy: str | Rule, steps: int = WORKER_STEPS
                 ) -> Iterator[Dip]:
    """The worker after the learner's ``dip``: up to ``steps`` automatic dips by
    ``strategy``, stopping when it leaves the pit (no dip), wins or is stuck."""
    return _strategy_dips(floor, dip, strategy, steps, lambda _: dip.number)


def after_dip(floor: Floor, game: Game, x: float, y: float) -> Iterator[Dip]:
    """The learner dips at (x, y): that dip (with the win and stuck tests), then, in the
    worker mode, the worker's steps from it."""
    dip = make_dip(floor, x, y, number=game.counted + 1)
    yield dip
    if game.mode == "worker" and not dip.won and not dip.stuck:
        yield from worker_steps(floor, dip, game.rule)


def replay(floor: Floor, game: Game, points) -> Iterator[Dip]:
    """A game's dips again from the learner's ``points`` (a saved game): every dip and
    the worker's steps after each, as they were."""
    for x, y in points:
        for dip in after_dip(floor, game, x, y):
            game = game.with_dip(dip)
            yield dip
        if game.over:
            return


def strategy_walk(floor: Floor, start: tuple[float, float], strategy: str | Rule,
                  steps: int = MAX_DIPS) -> Iterator[Dip]:
    """A strategy playing alone from ``start``: the dip there, then its steps, until it
    leaves the pit, wins, is stuck or has taken ``steps``."""
    dip = make_dip(floor, *start, number=0, automatic=True)
    yield dip
    if not (dip.won or dip.stuck):
        yield from _strategy_dips(floor, dip, strategy, steps, lambda k: k)


def strategy_path(floor: Floor, start: tuple[float, float], strategy: str | Rule,
                  steps: int = MAX_DIPS) -> list[tuple[float, float]]:
    """Where ``strategy`` goes from ``start`` in up to ``steps`` steps (for the replay
    after a game); stops on leaving the pit, at the phone, or when its steps vanish."""
    rule = rule_of(strategy)
    p = np.array(start, dtype=float)
    path = [(float(p[0]), float(p[1]))]
    for _ in range(steps):
        _, J, H = probe(floor, *p)
        q = p + rule(J, H)
        if not _in_pit(q):
            break
        path.append((float(q[0]), float(q[1])))
        if is_win(floor, *q) or np.hypot(*(q - p)) < 1e-4:
            break
        p = q
    return path


@dataclass(frozen=True)
class Game:
    """A game so far: the floor, the mode ("depth", "slope" or "worker"), the strategy
    the worker plays (one of :data:`STRATEGY_CHOICES`; "yours" plays the formula
    ``step``), and every dip in order."""

    kind: str = "intro"
    seed: int | None = None
    mode: str = "depth"
    strategy: str = "hybrid"
    dips: tuple[Dip, ...] = ()
    step: str = DEFAULT_STEP

    @property
    def rule(self) -> Rule:
        """The worker's step rule (raises ExpressionError for a bad ``step`` of yours)."""
        return parse_step(self.step) if self.strategy == "yours" else STRATEGIES[self.strategy]

    @property
    def counted(self) -> int:
        """The learner's dips (automatic ones are free)."""
        return sum(1 for d in self.dips if not d.automatic)

    @property
    def won(self) -> bool:
        return any(d.won for d in self.dips)

    @property
    def over(self) -> bool:
        """Won, or the floor revealed after the 25th dip."""
        return self.won or self.counted > MAX_DIPS

    @property
    def outcome(self) -> str:
        if self.won:
            return "won"
        return "revealed" if self.counted > MAX_DIPS else "playing"

    @property
    def score(self) -> int | None:
        """The learner's dips to find the phone (None until it is found)."""
        return self.counted if self.won else None

    def with_dip(self, dip: Dip) -> Game:
        return replace(self, dips=(*self.dips, dip))

    def message(self) -> str:
        """What the game says after the last dip."""
        if not self.dips:
            return ("The phone is at the lowest point of the pit. Click (or press Enter) "
                    "to dip the stick.")
        last = self.dips[-1]
        if self.won:
            return (f"Found it in {self.counted} dip{'s' * (self.counted != 1)}! The "
                    f"floor is revealed.")
        if self.counted > MAX_DIPS:
            return "Out of dips: the floor is revealed. Try again!"
        if last.stuck:
            return "Stuck in a local optimum: this is a hollow, but not the deepest. Try elsewhere."
        if self.counted >= HURRY_AT:
            left = MAX_DIPS - self.counted
            return (f"Hurry: the supervisor has calls to make! {left} dip"
                    f"{'s' * (left != 1)} left.")
        return f"{last.depth:.2f} m here. Keep dipping."


def play(floor: Floor, game: Game, x: float, y: float) -> tuple[Game, Dip]:
    """The learner dips at (x, y): the game with that dip, and the dip."""
    dip = make_dip(floor, x, y, number=game.counted + 1)
    return game.with_dip(dip), dip


# ---- the score table, kept between sessions -------------------------------------------------
#: Games kept (the most recent); older ones drop off.
MAX_SCORES = 500


@dataclass(frozen=True)
class Score:
    """One game won: the floor (seed 0 for the fixed floors), whether a worker helped,
    and the learner's dips."""

    kind: str
    seed: int
    worker: bool
    dips: int


def floor_label(kind: str, seed: int) -> str:
    return f"{KIND_NAMES[kind]} {seed}" if seed else KIND_NAMES[kind]


def add_score(scores: tuple[Score, ...], game: Game) -> tuple[Score, ...]:
    """The scores with ``game`` (won) added; at most :data:`MAX_SCORES` kept."""
    if game.score is None:
        return scores
    score = Score(game.kind, game.seed or 0, game.mode == "worker", game.score)
    return (*scores, score)[-MAX_SCORES:]


def score_table(scores: tuple[Score, ...]) -> list[tuple[str, int | None, int | None, int]]:
    """Per floor, the most recently played first: its name, the fewest dips without a
    worker and with one (None if never won that way) and the games won."""
    rows: dict[tuple[str, int], list] = {}
    for s in reversed(scores):
        row = rows.setdefault((s.kind, s.seed), [floor_label(s.kind, s.seed), None, None, 0])
        i = 2 if s.worker else 1
        row[i] = s.dips if row[i] is None else min(row[i], s.dips)
        row[3] += 1
    return [tuple(r) for r in rows.values()]


def scores_to_json(scores: tuple[Score, ...]) -> str:
    return json.dumps([[s.kind, s.seed, s.worker, s.dips] for s in scores])


def scores_from_json(text: object) -> tuple[tuple[Score, ...], str | None]:
    """Scores read back from stored text (untrusted: settings can be edited or damaged),
    and what was wrong, if anything.  Entries that are not valid are left out."""
    if text is None or text == "":
        return (), None
    try:
        data = json.loads(text) if isinstance(text, str) and len(text) < 200_000 else None
    except ValueError:
        data = None
    if not isinstance(data, list):
        return (), "The stored scores could not be read; a new table was started."
    scores = []
    for entry in data[-MAX_SCORES:]:
        if (isinstance(entry, list) and len(entry) == 4 and entry[0] in KINDS
                and type(entry[1]) is int and 0 <= entry[1] <= 999_999
                and type(entry[2]) is bool and type(entry[3]) is int
                and 1 <= entry[3] <= MAX_DIPS):
            scores.append(Score(*entry))
    bad = min(len(data), MAX_SCORES) - len(scores)
    problem = (f"{bad} stored score{'s' * (bad != 1)} could not be read and "
               f"{'were' if bad != 1 else 'was'} left out." if bad else None)
    return tuple(scores), problem
