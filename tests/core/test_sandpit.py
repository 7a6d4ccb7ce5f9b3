"""The Sandpit game's core against the course's formulas, rules and constants."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

from mlcalc_gui.core import sandpit as sp
from mlcalc_gui.core.surfaces import preset_by_name

SEEDS = int(os.environ.get("MLCALC_SANDPIT_SEEDS", "300"))


def course_intro(x, y):
    return -((x - 4.1) ** 2 + (y - 0.9) ** 2) - 30 * np.exp(
        -((x - 1.5) ** 2 + (y - 3.7) ** 2) / 2.8)


def test_the_intro_floor_is_the_courses_with_its_true_deepest_point():
    floor = sp.make_floor("intro")
    assert floor.phone == pytest.approx((1.2128, 4.0093), abs=1e-3)
    assert floor.highest == pytest.approx((4.2032, 0.7888), abs=1e-3)
    g = np.linspace(0, 6, 601)
    X, Y = np.meshgrid(g, g)
    raw = course_intro(X, Y)
    f0, f1 = raw.min(), raw.max()
    assert floor.f0 <= f0 and floor.f1 >= f1  # refined: at least as deep and as high
    assert floor.f0 == pytest.approx(f0, abs=1e-3) and floor.f1 == pytest.approx(f1, abs=1e-3)
    # F = 8 (f - f1) / (f1 - f0) - 1: -9 m at the phone, -1 m at the highest point.
    assert floor.depth(*floor.phone) == pytest.approx(-9.0, abs=1e-12)
    assert floor.depth(*floor.highest) == pytest.approx(-1.0, abs=1e-12)
    for x, y in [(0.0, 0.0), (3.0, 2.0), (5.5, 5.9)]:
        assert floor.depth(x, y) == pytest.approx(
            8 * (course_intro(x, y) - floor.f1) / (floor.f1 - floor.f0) - 1, abs=1e-12)
    assert sp.make_floor("depth-only").phone == floor.phone
    assert "(1.21, 4.01)" in preset_by_name("Sandpit (intro floor)").note


def course_series(rng, frequency):
    """The course's 4 x 4 cosine series, term by term (draws: a, then px, then py)."""
    a = rng.random((4, 4))
    px = 2 * math.pi * rng.random((4, 4))
    py = 2 * math.pi * rng.random((4, 4))

    def f(x, y):
        return sum(a[n, m] / ((n + 1) * (m + 1)) ** 2
                   * math.cos(frequency * math.pi * n * x / 6 + px[n, m])
                   * math.cos(frequency * math.pi * m * y / 6 + py[n, m])
                   for n in range(4) for m in range(4))

    return f


def edges(x, y):
    return (1 - x * (x - 6) * y * (y - 6) / 81) ** 7 / 9


def sinc(t):
    return 1.0 if t == 0 else math.sin(math.pi * t) / (math.pi * t)


def course_floor(kind, seed):
    rng = np.random.default_rng(seed)
    if kind == "multiple-minima":
        theta = 2 * math.pi * rng.random()
        u1, v1 = (rng.random(2) - 0.5) * 2 / 3
        u0, v0 = (1 + 2 * (rng.random(2) < 0.5))

        def f(x, y):
            u = (x - 3) * math.cos(theta) + (y - 3) * math.sin(theta) + 2 + u1
            v = -(x - 3) * math.sin(theta) + (y - 3) * math.cos(theta) + 3 + v1
            bumps = [(0, 0), (2, 0), (4, 0), (0, 2), (2, 2), (4, 2), (0, 4), (2, 4), (4, 4),
                     (0, 6), (2, 6)]
            dips = [(1, 1), (3, 1), (1, 3), (3, 3), (1, 5), (3, 5)]
            return (sum(sinc(u - i) * sinc(v - j) for i, j in bumps)
                    - sum(sinc(u - i) * sinc(v - j) for i, j in dips)
                    - sinc(u - u0) * sinc(v - v0))

        return f
    series = course_series(rng, 1)
    if kind == "random":
        return lambda x, y: series(x, y) + edges(x, y)
    if kind == "rocks":
        rocks = course_series(rng, 10)
        return lambda x, y: series(x, y) + edges(x, y) + rocks(x, y) / 25
    xw, yw = 6 * rng.random(2)
    return lambda x, y: (series(x, y) + edges(x, y)
                         - 0.6 * math.exp(-((x - xw) ** 2 + (y - yw) ** 2) / (2 * 0.2 ** 2)))


@pytest.mark.parametrize("kind", ["random", "rocks", "well", "multiple-minima"])
def test_random_floors_follow_the_courses_formulas(kind):
    for seed in (1, 2, 12345):
        floor = sp.make_floor(kind, seed)
        f = course_floor(kind, seed)
        for x, y in [(0.3, 5.1), (2.0, 2.0), (4.4, 0.7), (6.0, 6.0)]:
            assert floor.raw(x, y) == pytest.approx(f(x, y), abs=1e-12)
        xs, ys, Z = floor.grid(7)  # the fast grid agrees with the pointwise formula
        assert Z[2, 5] == pytest.approx(floor.depth(xs[5], ys[2]), abs=1e-12)


def test_floors_are_reproducible_from_the_seed_and_differ_between_seeds():
    a, b = sp.make_floor("rocks", 7), sp.make_floor("rocks", 7)
    assert a.phone == b.phone and a.raw(1.0, 2.0) == b.raw(1.0, 2.0)
    assert sp.make_floor("rocks", 8).raw(1.0, 2.0) != a.raw(1.0, 2.0)
    fresh = sp.make_floor("well")
    assert 100_000 <= fresh.seed < 1_000_000
    with pytest.raises(ValueError, match="choose one of"):
        sp.make_floor("lava")


@pytest.mark.parametrize("kind", ["random", "rocks", "well", "multiple-minima"])
def test_the_phone_is_the_true_global_minimum_on_every_seed(kind):
    """Against a brute-force grid (0.005 m; 0.01 m for the non-separable multiple
    minima): no grid point is deeper than the phone or higher than the highest point.
    The original's single optimiser run misses the narrow well about half the time."""
    step = 0.01 if kind == "multiple-minima" else 0.005
    g = np.linspace(0, 6, round(6 / step) + 1)
    seeds = SEEDS if kind != "multiple-minima" else max(SEEDS // 5, 20)
    for seed in range(seeds):
        floor = sp.make_floor(kind, seed)
        raw = sp._raw_grid(floor.raw, g, g)
        assert raw.min() >= floor.f0 - 1e-9, (kind, seed)
        assert raw.max() <= floor.f1 + 1e-9, (kind, seed)


def test_probe_is_the_courses_central_differences():
    floor = sp.make_floor("intro")
    x, y, h = 3.0, 2.0, 0.01
    F = floor.depth
    depth, J, H = sp.probe(floor, x, y)
    assert depth == F(x, y)
    assert J == pytest.approx([(F(x + h, y) - F(x - h, y)) / (2 * h),
                               (F(x, y + h) - F(x, y - h)) / (2 * h)], abs=1e-13)
    assert J.shape == (2,) and H.shape == (2, 2)
    # Analytic: close to the exact derivatives (O(h^2)).
    s = 8 / (floor.f1 - floor.f0)
    e = np.exp(-((x - 1.5) ** 2 + (y - 3.7) ** 2) / 2.8)
    fx = -2 * (x - 4.1) + 30 * e * 2 * (x - 1.5) / 2.8
    fy = -2 * (y - 0.9) + 30 * e * 2 * (y - 3.7) / 2.8
    assert J == pytest.approx([s * fx, s * fy], rel=1e-4)
    assert H[0, 1] == pytest.approx(H[1, 0], abs=1e-9)


def test_strategies_against_hand_worked_steps():
    J = np.array([2.0, -1.0])
    H = np.array([[2.0, 0.0], [0.0, 4.0]])
    assert sp.STRATEGIES["right"](J, H).tolist() == [1.0, 0.0]
    assert sp.STRATEGIES["steepest"](J, H).tolist() == [-1.0, 0.5]
    assert sp.STRATEGIES["newton"](J, H).tolist() == [-1.0, 0.25]
    assert sp.STRATEGIES["hybrid"](J, H).tolist() == [-1.0, 0.25]  # downhill, short
    # Newton uphill (a maximum, H negative definite): the hybrid falls back to steepest.
    assert sp.STRATEGIES["newton"](J, -H).tolist() == [1.0, -0.25]
    assert sp.STRATEGIES["hybrid"](J, -H).tolist() == [-1.0, 0.5]
    # Newton too long (|s| > 2): steepest again.
    flat = np.array([[0.1, 0.0], [0.0, 4.0]])
    assert np.hypot(*sp.STRATEGIES["newton"](J, flat)) > 2
    assert sp.STRATEGIES["hybrid"](J, flat).tolist() == [-1.0, 0.5]
    assert set(sp.STRATEGIES) == {"right", "steepest", "newton", "hybrid"}


def test_win_and_stuck_rules():
    floor = sp.make_floor("intro")
    px, py = floor.phone
    assert sp.is_win(floor, px + 0.149, py) and not sp.is_win(floor, px + 0.151, py)
    won = sp.make_dip(floor, px + 0.1, py, 1)
    assert won.won and not won.stuck  # the win check comes first
    assert won.depth == pytest.approx(-9.0, abs=0.05)
    # On the intro floor every slope leads to the phone: never stuck away from it.
    assert not sp.make_dip(floor, 5.0, 1.0, 2).stuck
    # A multiple-minima floor has hollows that are not the deepest.
    floor = sp.make_floor("multiple-minima", 3)
    stuck = 0
    for x in np.linspace(0.5, 5.5, 6):
        for y in np.linspace(0.5, 5.5, 6):
            lx, ly = sp.local_minimum(floor, x, y)
            dip = sp.make_dip(floor, lx, ly, 1)
            if not dip.won:
                assert dip.stuck
                stuck += 1
    assert stuck > 0


def test_the_arrow_is_minus_j_times_grad_length_cut_to_one_metre():
    floor = sp.make_floor("random", 5)
    dip = sp.make_dip(floor, 2.0, 3.0, 1)
    _, J, _ = sp.probe(floor, 2.0, 3.0)
    expected = -J * 0.3
    if np.hypot(*expected) > 1:
        expected /= np.hypot(*expected)
    assert dip.arrow == pytest.approx(tuple(expected))
    steep = sp.make_dip(floor, 0.02, 0.02, 1)  # the raised edge: long arrows are cut
    assert np.hypot(*steep.arrow) <= 1 + 1e-12
    assert sp.GRAD_LENGTH == {"intro": 0.2, "depth-only": 0.2, "random": 0.3, "rocks": 0.3,
                              "well": 0.3, "multiple-minima": 0.1}


def test_the_worker_takes_up_to_five_steps_and_stops_on_a_win_stuck_or_leaving():
    floor = sp.make_floor("random", 11)
    first = sp.make_dip(floor, 1.0, 1.0, 1)
    steps = list(sp.worker_steps(floor, first, "steepest"))
    assert 1 <= len(steps) <= 5 and all(s.automatic and s.number == 1 for s in steps)
    p = np.array([1.0, 1.0])
    for s in steps:  # each step is -0.5 J from the last
        _, J, _ = sp.probe(floor, *p)
        p = p - 0.5 * J
        assert (s.x, s.y) == pytest.approx(tuple(p), abs=1e-12)
    assert len(steps) == 5 or steps[-1].won or steps[-1].stuck
    # One metre right leaves the pit from x = 4.5 after one step (x = 5.5 in, 6.5 out).
    right = list(sp.worker_steps(floor, sp.make_dip(floor, 4.5, 3.0, 1), "right"))
    assert [round(s.x, 9) for s in right] in ([5.5],)


def test_the_game_counts_hurries_reveals_and_scores():
    floor = sp.make_floor("random", 21)
    game = sp.Game("random", 21)
    rng = np.random.default_rng(0)
    far = [(x, y) for x, y in rng.uniform(0, 6, (200, 2))
           if math.dist((x, y), floor.phone) > 1.0][:26]
    for i, (x, y) in enumerate(far, start=1):
        game, dip = sp.play(floor, game, x, y)
        assert dip.number == i
        if i == sp.HURRY_AT:
            assert "Hurry" in game.message() or "Stuck" in game.message()
        assert game.outcome == ("playing" if i <= sp.MAX_DIPS else "revealed")
    assert game.over and game.score is None and "Try again" in game.message()
    game = sp.Game("random", 21)
    game, _ = sp.play(floor, game, 0.5, 0.5)
    game = game.with_dip(sp.make_dip(floor, 3.0, 3.0, 1, automatic=True))
    game, dip = sp.play(floor, game, *floor.phone)
    assert dip.won and game.won and game.score == 2 and game.counted == 2
    assert game.message().startswith("Found it in 2 dips")


def test_the_worker_plays_a_typed_step_as_it_plays_a_strategy():
    floor = sp.make_floor("random", 4242)
    typed = sp.Game("random", 4242, "worker", "yours", step="-0.5 J")
    named = sp.Game("random", 4242, "worker", "steepest")
    ours = list(sp.after_dip(floor, typed, 2.0, 2.0))
    theirs = list(sp.after_dip(floor, named, 2.0, 2.0))
    assert len(ours) > 1 and ours == theirs
    # A step with no value (H^-1 of a singular H would be one) ends the worker's turn.
    nowhere = sp.Game("random", 4242, "worker", "yours", step="-J / (Jx - Jx)")
    assert len(list(sp.after_dip(floor, nowhere, 2.0, 2.0))) == 1


def test_the_score_table_keeps_the_best_per_floor_and_survives_bad_storage():
    assert sp.add_score((), sp.Game("intro")) == ()  # not won: no score
    scores = ()
    won = [("intro", None, "depth", 7), ("intro", None, "worker", 3),
           ("random", 482913, "slope", 9), ("intro", None, "slope", 5)]
    for kind, seed, mode, n in won:
        dips = tuple(sp.Dip(1.0, 1.0, -3.0, (0.0, 0.0), (0.0, 0.0), k, False, k == n, False)
                     for k in range(1, n + 1))
        scores = sp.add_score(scores, sp.Game(kind, seed, mode, dips=dips))
    table = sp.score_table(scores)
    assert table == [("Intro", 5, 3, 3), ("Random 482913", 9, None, 1)]
    text = sp.scores_to_json(scores)
    assert sp.scores_from_json(text) == (scores, None)
    # Damaged or edited settings: nothing crashes; what cannot be read is said.
    assert sp.scores_from_json("[[") == ((), "The stored scores could not be read; a new "
                                             "table was started.")
    assert sp.scores_from_json(["a list"])[0] == ()
    mixed = ('[["intro", 0, false, 4], ["moon", 0, false, 4], ["intro", -1, false, 4], '
             '["intro", 0, 1, 4], ["intro", 0, false, 99], ["intro", 0, false, 2.5], 7]')
    kept, problem = sp.scores_from_json(mixed)
    assert kept == (sp.Score("intro", 0, False, 4),)
    assert problem == "6 stored scores could not be read and were left out."
    long = sp.scores_to_json(tuple(sp.Score("intro", 0, False, 4)
                                   for _ in range(sp.MAX_SCORES + 50)))
    assert len(sp.scores_from_json(long)[0]) == sp.MAX_SCORES
