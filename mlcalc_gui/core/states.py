"""What each tab holds, as a frozen Qt-free state: enough to save it in a session, open
it again, replay its run exactly and bring it into its demonstration.

A tab captures one of these (``capture_state``) and applies one (``apply_state``); the
window saves them all in a session (:mod:`mlcalc_gui.core.session`).  The limits on each
field are checked when a state is read from a file (:mod:`mlcalc_gui.core.state_codec`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mlcalc_gui.core import maps, sandpit, taylor
from mlcalc_gui.core import optimisation as opt
from mlcalc_gui.core.expressions import MAX_LENGTH
from mlcalc_gui.core.network import (
    ACTIVATIONS,
    CURVES,
    DEFAULT_SEED,
    SEED_MAX,
    TrainingSettings,
    resample_curve,
)
from mlcalc_gui.core.state_codec import limits
from mlcalc_gui.core.surfaces import PRESETS

__all__ = ["SandpitState", "TaylorState", "MapsState", "OptimisationState", "DerivativesState",
           "GradientsState", "FittingState",
           "HistogramState", "BackpropState", "DRAWN_CURVE", "MAX_RUN", "Points"]

Points = tuple[tuple[float, float], ...]
MAX_RUN = 100_001  # the longest run a tab takes (100,000 steps and the start)
COORDINATE = limits(-1e12, 1e12)


def _check_domain(domain: tuple[float, float, float, float]) -> None:
    x0, x1, y0, y1 = domain
    if not (x1 > x0 and y1 > y0):
        raise ValueError("the domain needs 'from' smaller than 'to' for x and y")


@dataclass(frozen=True)
class GradientsState:
    """f(x, y), the domain drawn, the learner's start, the descent and its path."""

    function: str = field(default=PRESETS[0].text, metadata=limits(max_len=MAX_LENGTH,
                                                                  formula=("x", "y")))
    domain: tuple[float, float, float, float] = field(default=PRESETS[0].domain,
                                                      metadata=limits(-1e4, 1e4))
    start: tuple[float, float] = field(default=PRESETS[0].start, metadata=COORDINATE)
    rate: float = field(default=PRESETS[0].learning_rate, metadata=limits(1e-4, 10.0))
    steps: int = field(default=300, metadata=limits(1, 100_000))
    #: The points of the current run, from its start: the records are recomputed from f.
    path: Points = field(default=(), metadata=limits(-1e12, 1e12, max_len=MAX_RUN))
    show_plane: bool = True
    show_field: bool = True

    def __post_init__(self) -> None:
        _check_domain(self.domain)


@dataclass(frozen=True)
class HistogramState:
    """A histogram loaded from the learner's file (bin centres and densities)."""

    centres: tuple[float, ...] = field(metadata=limits(-1e12, 1e12, max_len=1_000_000))
    density: tuple[float, ...] = field(metadata=limits(0.0, 1e12, max_len=1_000_000))
    width: float = field(metadata=limits(1e-12, 1e12))
    source: str = field(default="", metadata=limits(max_len=300))

    def __post_init__(self) -> None:
        if len(self.centres) != len(self.density) or len(self.centres) < 2:
            raise ValueError("a histogram needs as many densities as bins, and two bins")


@dataclass(frozen=True)
class FittingState:
    """Which problem is fitted, its data, the start, the descent and its path."""

    problem: str = field(default="gaussian", metadata=limits(choices=("gaussian", "line")))
    heights: HistogramState | None = None  # None: the course's heights
    bin_width: float = field(default=2.5, metadata=limits(0.01, 1000.0))
    points: Points | None = field(default=None, metadata=limits(-1e12, 1e12, max_len=100_000))
    start: tuple[float, float] = field(default=(155.0, 6.0), metadata=COORDINATE)
    aggression: float = field(default=2000.0, metadata=limits(1e-6, 1e7))
    steps: int = field(default=50, metadata=limits(1, 100_000))
    path: Points = field(default=(), metadata=limits(-1e12, 1e12, max_len=MAX_RUN))
    derivative_mu: str = field(default="", metadata=limits(max_len=MAX_LENGTH,
                                                           formula="derivative"))
    derivative_sigma: str = field(default="", metadata=limits(max_len=MAX_LENGTH,
                                                              formula="derivative"))
    use_mine: bool = False
    writing: str = field(default="mu", metadata=limits(choices=("mu", "sigma")))  # your turn's

    def __post_init__(self) -> None:
        if self.points is not None and len(self.points) < 2:
            raise ValueError("a line needs at least two points")


DRAWN_CURVE = "Your drawing"
_SETTINGS = TrainingSettings()


@dataclass(frozen=True)
class BackpropState:
    """The target, the settings and seed, and where training is: the network's
    parameters, the iteration and the cost so far, so a reopened session shows the
    same curve and trains on exactly as it would have."""

    curve: str = field(default=next(iter(CURVES)),
                       metadata=limits(choices=(*CURVES, DRAWN_CURVE)))
    drawn: Points | None = field(default=None, metadata=limits(0.0, 1.0, max_len=100_000))
    hidden: tuple[int, ...] = field(default=_SETTINGS.hidden, metadata=limits(1, 64, max_len=4))
    n: int = field(default=_SETTINGS.n, metadata=limits(2, 2000))
    aggression: float = field(default=_SETTINGS.aggression, metadata=limits(0.0, 1000.0))
    noise: float = field(default=_SETTINGS.noise, metadata=limits(0.0, 1e6))
    iterations: int = field(default=_SETTINGS.iterations, metadata=limits(1, 10_000_000))
    seed: int = field(default=DEFAULT_SEED, metadata=limits(0, SEED_MAX))
    activation: str = field(default="logistic", metadata=limits(choices=tuple(ACTIVATIONS)))
    #: Where training is; None: fresh weights from the seed.
    iteration: int = field(default=0, metadata=limits(0, 10_000_000))
    parameters: tuple[float, ...] | None = field(default=None,
                                                 metadata=limits(-1e6, 1e6, max_len=20_000))
    #: (iteration, cost) pairs, thinned: the cost curve as it was drawn.
    costs: Points = field(default=(), metadata=limits(0.0, 1e12, max_len=20_000))
    #: The trail: (iteration, x values..., y values...) of the curve every 100 iterations.
    trail: tuple[tuple[float, ...], ...] = field(default=(),
                                                 metadata=limits(-1e12, 1e12, max_len=200))
    example: int = field(default=0, metadata=limits(0, 1999))
    stage: int = field(default=0, metadata=limits(0, 100))
    #: The page in view: one network, or the race of seeds (which a session does not
    #: keep: it races again on Play).
    view: str = field(default="network", metadata=limits(choices=("network", "race")))

    def __post_init__(self) -> None:
        if not self.hidden:
            raise ValueError("give at least one hidden layer")
        if self.curve == DRAWN_CURVE and self.drawn is None:
            raise ValueError("the drawn curve is missing")
        if self.drawn is not None:
            resample_curve(np.array(self.drawn), self.n)  # says what is wrong with it
        sizes = (1, *self.hidden, 2)
        count = sum((a + 1) * b for a, b in zip(sizes, sizes[1:], strict=False))
        if self.parameters is not None and len(self.parameters) != count:
            raise ValueError(f"a {'-'.join(map(str, sizes))} network has {count} parameters, "
                             f"not {len(self.parameters)}")
        if any(len(item) != 1 + 2 * self.n for item in self.trail):
            raise ValueError("each trail curve needs its iteration and N points")

    @property
    def settings(self) -> TrainingSettings:
        return TrainingSettings(self.hidden, self.n, self.aggression, self.noise,
                                self.iterations, self.seed)


@dataclass(frozen=True)
class DerivativesState:
    """f(x), where the learner's point and step are, the trace of slopes visited, the
    rules walked so far, the learner's own f′ and the quiz."""

    function: str = field(default="x^3 - 2x", metadata=limits(max_len=MAX_LENGTH, formula=("x",)))
    domain: tuple[float, float] = field(default=(-2.0, 2.0), metadata=limits(-1e4, 1e4))
    x: float = field(default=1.0, metadata=COORDINATE)
    h: float = field(default=1.0, metadata=limits(1e-6, 2.0))
    show_derivative: bool = True
    trace: Points = field(default=(), metadata=limits(-1e12, 1e12, max_len=4000))
    walk: int = field(default=0, metadata=limits(0, 400))
    answer: str = field(default="", metadata=limits(max_len=MAX_LENGTH, formula=("x",)))
    quiz_seed: int = field(default=1, metadata=limits(0, SEED_MAX))
    score: tuple[int, int] = field(default=(0, 0), metadata=limits(0, 1_000_000))
    measured: bool = False  # f known only at points ("reality is hard")
    spacing: float = field(default=0.0, metadata=limits(0.0, 1.0))
    noise: float = field(default=1e-4, metadata=limits(0.0, 1.0))

    def __post_init__(self) -> None:
        if not self.domain[1] > self.domain[0]:
            raise ValueError("the domain needs 'x from' smaller than 'to'")
        if self.score[0] > self.score[1]:
            raise ValueError("more right answers than questions")


@dataclass(frozen=True)
class SandpitState:
    """A Sandpit game: the floor (its kind and seed; 0 for the fixed floors), the mode,
    the worker's strategy and the learner's dips in order (the worker's are replayed from
    them), the cursor, whether the strategies are compared after the game, and the
    learner's own step formula (text, read by the step parser)."""

    kind: str = field(default="intro", metadata=limits(choices=sandpit.KINDS))
    seed: int = field(default=0, metadata=limits(0, 999_999))
    mode: str = field(default="slope", metadata=limits(choices=sandpit.MODES))
    strategy: str = field(default="hybrid", metadata=limits(choices=sandpit.STRATEGY_CHOICES))
    dips: Points = field(default=(), metadata=limits(0.0, sandpit.PIT,
                                                      max_len=sandpit.MAX_DIPS + 1))
    cursor: tuple[float, float] = field(default=(3.0, 3.0), metadata=limits(0.0, sandpit.PIT))
    compare: bool = True
    step: str = field(default=sandpit.DEFAULT_STEP, metadata=limits(max_len=MAX_LENGTH,
                                                                    formula="step"))


@dataclass(frozen=True)
class TaylorState:
    """The series of f(x) about a to the order shown; the two-variable model of g(x, y)
    at a point; and which of the two is in view."""

    function: str = field(default="e^x", metadata=limits(max_len=MAX_LENGTH, formula=("x",)))
    domain: tuple[float, float] = field(default=(-4.0, 4.0), metadata=limits(-1e4, 1e4))
    a: float = field(default=0.0, metadata=COORDINATE)
    order: int = field(default=3, metadata=limits(0, taylor.MAX_ORDER))
    view: str = field(default="1d", metadata=limits(choices=("1d", "2d")))
    function2d: str = field(default="exp(-x^2 - y^2)", metadata=limits(max_len=MAX_LENGTH,
                                                                       formula=("x", "y")))
    domain2d: tuple[float, float, float, float] = field(default=(-2.0, 2.0, -2.0, 2.0),
                                                       metadata=limits(-1e4, 1e4))
    point: tuple[float, float] = field(default=(0.5, 0.3), metadata=COORDINATE)
    order2d: int = field(default=2, metadata=limits(1, 2))
    predict: bool = False  # + asks where the next order will be good before showing it

    def __post_init__(self) -> None:
        if not self.domain[1] > self.domain[0]:
            raise ValueError("the domain needs 'x from' smaller than 'to'")
        x0, x1, y0, y1 = self.domain2d
        if not (x1 > x0 and y1 > y0):
            raise ValueError("the 2D domain needs 'from' smaller than 'to'")


_NEWTON = opt.NEWTON_PRESETS[0]
_SURFACE = opt.SURFACE_PRESETS[0]
_LAGRANGE = opt.LAGRANGE_PRESETS[0]


@dataclass(frozen=True)
class OptimisationState:
    """The three views of week 5 and which is shown: Newton-Raphson on f(x) from x0
    (``shown``: the steps on screen, recomputed from f), the methods raced on a surface
    (``raced``: the steps on screen), and f on the constraint g = 0 with the learner's
    point and the shift c of the constraint."""

    view: str = field(default="newton", metadata=limits(choices=("newton", "descent",
                                                                "lagrange")))
    function: str = field(default=_NEWTON.text, metadata=limits(max_len=MAX_LENGTH, formula=("x",)))
    domain: tuple[float, float] = field(default=_NEWTON.domain, metadata=limits(-1e4, 1e4))
    x0: float = field(default=_NEWTON.x0, metadata=COORDINATE)
    shown: int = field(default=0, metadata=limits(0, 200))
    newton_steps: int = field(default=50, metadata=limits(1, 200))  # the most a run takes
    surface: str = field(default=_SURFACE.text,
                         metadata=limits(max_len=MAX_LENGTH, formula=("x", "y")))
    surface_domain: tuple[float, float, float, float] = field(default=_SURFACE.domain,
                                                              metadata=limits(-1e4, 1e4))
    start: tuple[float, float] = field(default=_SURFACE.start, metadata=COORDINATE)
    rate: float = field(default=_SURFACE.rate, metadata=limits(1e-5, 10.0))
    momentum: float = field(default=0.9, metadata=limits(0.0, 0.999))
    steps: int = field(default=300, metadata=limits(1, 5000))
    raced: int = field(default=0, metadata=limits(0, 5000))
    objective: str = field(default=_LAGRANGE.f,
                           metadata=limits(max_len=MAX_LENGTH, formula=("x", "y")))
    constraint: str = field(default=_LAGRANGE.g,
                            metadata=limits(max_len=MAX_LENGTH, formula=("x", "y")))
    lagrange_domain: tuple[float, float, float, float] = field(default=_LAGRANGE.domain,
                                                               metadata=limits(-1e4, 1e4))
    point: tuple[float, float] = field(default=_LAGRANGE.point, metadata=COORDINATE)
    shift: float = field(default=0.1, metadata=limits(-100.0, 100.0))

    def __post_init__(self) -> None:
        if not self.domain[1] > self.domain[0]:
            raise ValueError("the domain needs 'x from' smaller than 'to'")
        _check_domain(self.surface_domain)
        _check_domain(self.lagrange_domain)


_MAP = maps.MAP_PRESETS[0]
_PATH = maps.PATH_PRESETS[1]  # the course's: f = x² y on the unit circle


@dataclass(frozen=True)
class MapsState:
    """A map (x, y) → (u, v) with the point and the square from it, and how far Play has
    shrunk the square; f along a path r(t), where t is and how far Play has walked; a
    chain of maps at its input, and one neuron learning NOT from (w, b) with how far it
    has trained; and which of the three is in view."""

    view: str = field(default="map", metadata=limits(choices=("map", "path", "chain")))
    u: str = field(default=_MAP.u, metadata=limits(max_len=MAX_LENGTH, formula=("x", "y")))
    v: str = field(default=_MAP.v, metadata=limits(max_len=MAX_LENGTH, formula=("x", "y")))
    map_domain: tuple[float, float, float, float] = field(default=_MAP.domain,
                                                          metadata=limits(-1e4, 1e4))
    map_point: tuple[float, float] = field(default=_MAP.point, metadata=COORDINATE)
    side: float = field(default=0.4, metadata=limits(1e-4, 100.0))
    shrunk: int = field(default=0, metadata=limits(0, 100))
    f: str = field(default=_PATH.f, metadata=limits(max_len=MAX_LENGTH, formula=("x", "y")))
    x_t: str = field(default=_PATH.x, metadata=limits(max_len=MAX_LENGTH, formula=("t",)))
    y_t: str = field(default=_PATH.y, metadata=limits(max_len=MAX_LENGTH, formula=("t",)))
    t_range: tuple[float, float] = field(default=_PATH.t_range, metadata=limits(-1e4, 1e4))
    t: float = field(default=0.7, metadata=COORDINATE)
    reveal: bool = False  # df/dt drawn along the whole path, not only where t has been
    walked: int = field(default=0, metadata=limits(0, 100_000))
    chain: int = field(default=0, metadata=limits(0, len(maps.CHAINS) - 1))
    chain_input: tuple[float, float] = field(default=(0.7, 0.5), metadata=limits(-100, 100))
    w: float = field(default=maps.NEURON_START[0], metadata=limits(-1e3, 1e3))
    b: float = field(default=maps.NEURON_START[1], metadata=limits(-1e3, 1e3))
    rate: float = field(default=maps.NEURON_RATE, metadata=limits(1e-4, 10.0))
    neuron_steps: int = field(default=300, metadata=limits(1, 100_000))
    trained: int = field(default=0, metadata=limits(0, MAX_RUN))

    def __post_init__(self) -> None:
        _check_domain(self.map_domain)
        if not self.t_range[1] > self.t_range[0]:
            raise ValueError("the path needs 't from' smaller than 'to'")
