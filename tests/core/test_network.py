"""The backprop core: shapes, Jacobians against finite differences, the course's figures."""

from __future__ import annotations

import numpy as np
import pytest

from mlcalc_gui.core.calculus import Diverged
from mlcalc_gui.core.network import (
    CURVES,
    Network,
    PlateauWatch,
    SettingsError,
    TrainStep,
    backprop_stages,
    gradient_check,
    heart_curve,
    parse_training_settings,
    resample_curve,
    train,
)


def test_heart_curve_is_the_course_formula():
    x, y = heart_curve(100)
    assert x.shape == (1, 100) and y.shape == (2, 100)
    assert np.allclose(x[0], np.arange(100) / 100)
    t = 0.13
    X = 16 * np.sin(2 * np.pi * t) ** 3
    Y = 13 * np.cos(2 * np.pi * t) - 5 * np.cos(4 * np.pi * t) - 2 * np.cos(6 * np.pi * t) \
        - np.cos(8 * np.pi * t)
    assert y[:, 13] == pytest.approx([(X / 20 + 1) / 2, (Y / 20 + 1) / 2])
    assert y[0].min() == pytest.approx(0.1) and y[0].max() == pytest.approx(0.9)
    assert y[1].min() == pytest.approx(0.075) and y[1].max() == pytest.approx(0.7976, abs=1e-3)


@pytest.mark.parametrize("name", list(CURVES))
def test_every_curve_fits_the_unit_square(name):
    x, y = CURVES[name](50)
    assert x.shape == (1, 50) and y.shape == (2, 50)
    assert y.min() > 0 and y.max() < 1


def test_shapes_and_initialisation():
    net = Network((1, 6, 7, 2), seed=0)
    assert [w.shape for w in net.weights] == [(6, 1), (7, 6), (2, 7)]
    assert [b.shape for b in net.biases] == [(6, 1), (7, 1), (2, 1)]
    assert net.parameters.size == 6 + 6 + 42 + 7 + 14 + 2
    # standard normal / 2: over many networks the spread is 0.5
    spread = np.concatenate([Network(seed=s).parameters for s in range(200)]).std()
    assert spread == pytest.approx(0.5, rel=0.03)
    x, _ = heart_curve(100)
    zs, acts = net.forward_all(x)
    assert [a.shape for a in acts] == [(1, 100), (6, 100), (7, 100), (2, 100)]
    assert zs[0] is None and zs[3].shape == (2, 100)
    assert np.allclose(acts[1], 1 / (1 + np.exp(-(net.weights[0] @ x + net.biases[0]))))
    dw, db = net.jacobians(*heart_curve(100))
    assert [a.shape for a in dw] == [w.shape for w in net.weights]
    assert [a.shape for a in db] == [b.shape for b in net.biases]


def test_weights_are_views_of_the_flat_parameters():
    net = Network(seed=1)
    net.weights[1][2, 3] = 42.0
    assert 42.0 in net.parameters
    other = net.copy()
    other.weights[0][0, 0] = -7.0
    assert net.weights[0][0, 0] != -7.0


def test_cost_is_the_course_cost():
    net = Network(seed=4)
    x, y = heart_curve(100)
    a = net.forward(x)
    assert net.cost(x, y) == pytest.approx(np.sum((a - y) ** 2) / 100)


@pytest.mark.parametrize("sizes, activation", [
    ((1, 6, 7, 2), "logistic"), ((1, 3, 2), "logistic"), ((2, 5, 4, 3, 2), "tanh"),
    ((1, 8, 2), "relu"), ((1, 2), "logistic"),
])
def test_jacobians_match_central_differences(sizes, activation):
    rng = np.random.default_rng(5)
    net = Network(sizes, seed=3, hidden_activation=activation)
    x = rng.uniform(0.1, 0.9, (sizes[0], 12))
    y = rng.uniform(0.1, 0.9, (sizes[-1], 12))
    errors = dict(gradient_check(net, x, y))
    assert set(errors) == {f"{p}{i}" for i in range(1, len(sizes)) for p in "Wb"}
    assert max(errors.values()) < 1e-6, errors


def test_gradient_check_detects_a_wrong_jacobian(monkeypatch):
    net = Network(seed=0)
    x, y = heart_curve(20)
    real = Network.jacobians

    def broken(self, xx, yy):
        dw, db = real(self, xx, yy)
        db[1] = db[1] * 1.01
        return dw, db

    monkeypatch.setattr(Network, "jacobians", broken)
    errors = dict(gradient_check(net, x, y))
    assert errors["b2"] > 1e-3 and errors["W2"] < 1e-6


def test_training_is_reproducible_and_yields_immutable_records():
    x, y = heart_curve(100)
    runs = []
    for _ in range(2):
        net = Network(seed=7)
        runs.append([r for r in train(net, x, y, 300, 7, 1, seed=11)])
    a, b = runs
    assert [r.iteration for r in a] == list(range(301))
    assert [r.cost for r in a] == [r.cost for r in b]
    assert isinstance(a[0], TrainStep)
    assert a[0].parameters is not None and a[100].parameters is not None
    assert a[1].parameters is None and a[300].parameters is not None
    with pytest.raises(ValueError):
        a[0].parameters[0] = 1.0  # read-only snapshot
    with pytest.raises(AttributeError):
        a[0].cost = 0.0
    net = Network(seed=7)
    other = [r.cost for r in train(net, x, y, 300, 7, 1, seed=12)]
    assert other[-1] != a[-1].cost  # the noise seed matters


def test_noise_free_training_is_plain_steepest_descent():
    x, y = heart_curve(30)
    net = Network(seed=2)
    before = net.copy()
    dw, db = before.jacobians(x, y)
    list(train(net, x, y, 1, aggression=3.5, noise=0.0))
    for w0, g, w1 in zip(before.weights, dw, net.weights, strict=True):
        assert np.allclose(w1, w0 - 3.5 * g)
    for b0, g, b1 in zip(before.biases, db, net.biases, strict=True):
        assert np.allclose(b1, b0 - 3.5 * g)


def test_initial_cost_distribution_matches_the_course():
    x, y = heart_curve(100)
    costs = np.array([Network(seed=s).cost(x, y) for s in range(300)])
    # The course's three draws started at 0.22-0.26, inside this distribution's bulk.
    assert 0.13 < np.median(costs) < 0.26
    assert np.mean((costs > 0.2) & (costs < 0.3)) > 0.15


def test_course_start_costs_are_the_courses():
    """Where training starts is not chaotic: the course's draws began at 0.22-0.26, and
    seed 2 does too.  (Where it ends is a distribution over seeds and BLAS kernels:
    test_course_distribution.py.)"""
    x, y = heart_curve(100)
    starts = [next(train(Network(seed=s), x, y, 10, 7, 1, seed=s)).cost for s in range(8)]
    assert all(0.1 < c < 0.35 for c in starts)
    assert 0.22 <= starts[2] <= 0.26


def test_a_short_noise_free_run_against_an_independent_loop():
    """300 iterations without noise are not chaotic: an independent textbook loop, each
    Jacobian from the course's formulas with its own forward pass, lands on the same
    network to rounding."""
    x, y = heart_curve(100)
    net = Network(seed=5)
    W = [w.copy() for w in net.weights]
    b = [v.copy() for v in net.biases]
    records = list(train(net, x, y, 300, aggression=7, noise=0))

    def sigma(z):
        return 1 / (1 + np.exp(-z))

    for _ in range(300):
        a0 = x
        z1 = W[0] @ a0 + b[0]
        a1 = sigma(z1)
        z2 = W[1] @ a1 + b[1]
        a2 = sigma(z2)
        z3 = W[2] @ a2 + b[2]
        a3 = sigma(z3)
        d3 = 2 * (a3 - y) * a3 * (1 - a3)
        d2 = (W[2].T @ d3) * a2 * (1 - a2)
        d1 = (W[1].T @ d2) * a1 * (1 - a1)
        grads = [(d1 @ a0.T, d1.sum(1, keepdims=True)), (d2 @ a1.T, d2.sum(1, keepdims=True)),
                 (d3 @ a2.T, d3.sum(1, keepdims=True))]
        for layer, (gw, gb) in enumerate(grads):
            W[layer] -= 7 * gw / 100
            b[layer] -= 7 * gb / 100
    for mine, theirs in zip(net.weights + net.biases, W + b, strict=True):
        assert np.allclose(mine, theirs, rtol=1e-9, atol=1e-12)
    assert records[-1].cost < records[0].cost / 1.5  # and it did learn


def test_plateau_watch_calls_a_flat_cost_stuck_and_a_good_fit_never():
    flat = PlateauWatch()
    for k in range(3000):
        flat.feed(k, 0.03 + 0.01 * (k % 7 == 0))  # noisy, but its lows never fall
    assert flat.stuck
    good = PlateauWatch()
    for k in range(20_000):
        good.feed(k, 0.002)  # a finished heart is not "stuck"
    assert not good.stuck
    falling = PlateauWatch()
    for k in range(20_000):
        falling.feed(k, 0.3 * 0.9997 ** k + 0.004)  # still falling, 5 % per 2,000 and more
    assert not falling.stuck
    short = PlateauWatch()
    for k in range(2400):  # too short to tell
        short.feed(k, 0.03)
    assert not short.stuck


def test_plateau_watch_sees_through_one_kicked_iteration():
    watch = PlateauWatch()
    for k in range(1200):
        watch.feed(k, 0.0025)
    watch.feed(1200, 0.034)  # one noisy step kicked the network off
    assert watch.recent_low == 0.0025 and not watch.stuck


def test_divergence_keeps_the_last_good_network():
    x, _ = heart_curve(20)
    # The update overflows: the first state is yielded, then nothing is applied.
    net = Network(seed=0)
    good = net.parameters.copy()
    seen = []
    with pytest.raises(Diverged, match="update became infinite at iteration 1"):
        for r in train(net, x, np.full((2, 20), 1e150), 100, aggression=1e200, noise=0):
            seen.append(r)
    assert [r.iteration for r in seen] == [0] and np.isfinite(seen[0].cost)
    assert np.array_equal(net.parameters, good)
    # The cost itself overflows.
    with pytest.raises(Diverged, match="cost became inf"):
        next(train(net, x, np.full((2, 20), 1e200), 10))
    assert np.array_equal(net.parameters, good)


def test_bad_train_arguments():
    x, y = heart_curve(10)
    with pytest.raises(ValueError):
        next(train(Network(), x, y, 10, aggression=float("nan")))
    with pytest.raises(ValueError):
        next(train(Network(), x, y, 10, aggression=-1))
    with pytest.raises(ValueError):
        Network((1, 0, 2))


@pytest.mark.parametrize("field, kwargs", [
    ("hidden", {"hidden": "6 0"}), ("hidden", {"hidden": "-3"}), ("hidden", {"hidden": "a"}),
    ("hidden", {"hidden": ""}), ("n", {"n": "1"}), ("n", {"n": "0"}), ("n", {"n": "x"}),
    ("aggression", {"aggression": "-1"}), ("aggression", {"aggression": "nan"}),
    ("aggression", {"aggression": "inf"}), ("noise", {"noise": "-0.5"}),
    ("iterations", {"iterations": "0"}), ("seed", {"seed": "-1"}),
])
def test_bad_settings_are_refused_naming_the_field(field, kwargs):
    base = dict(hidden="6 7", n="100", aggression="7", noise="1", iterations="10000", seed="0")
    base.update(kwargs)
    with pytest.raises(SettingsError) as info:
        parse_training_settings(**base)
    assert info.value.field == field and str(info.value)


def test_good_settings_parse():
    s = parse_training_settings("12, 5", " 50 ", "3.5", "0", "20,000", "9")
    assert (s.hidden, s.n, s.aggression, s.noise, s.iterations, s.seed) == \
        ((12, 5), 50, 3.5, 0.0, 20000, 9)


def test_resample_by_arc_length():
    pts = np.array([[0.1, 0.1], [0.1, 0.1], [0.5, 0.1], [0.5, 0.9]])  # lengths 0.4 and 0.8
    x, y = resample_curve(pts, 13)
    assert x.shape == (1, 13) and y.shape == (2, 13)
    steps = np.hypot(*np.diff(y, axis=1))
    assert np.allclose(steps, 0.1)  # 1.2 / 12, the corner cut aside
    with pytest.raises(ValueError):
        resample_curve(np.array([[0.5, 0.5], [0.5, 0.5]]), 10)


def test_stages_walk_forward_then_back_and_agree_with_the_batch_jacobians():
    net = Network(seed=3)
    x, y = heart_curve(100)
    stages = backprop_stages(net, x[:, 17], y[:, 17])
    names = [s.name for s in stages]
    assert names == ["input", "z¹", "a¹", "z²", "a²", "z³", "a³", "C", "∂C/∂a³", "δ³",
                     "∂C/∂W³", "∂C/∂b³", "δ²", "∂C/∂W²", "∂C/∂b²", "δ¹", "∂C/∂W¹", "∂C/∂b¹"]
    dw, db = net.jacobians(x[:, 17:18], y[:, 17:18])  # N = 1: the example's own C
    by_name = {s.name: s.result[1] for s in stages}
    for layer in (1, 2, 3):
        sup = "¹²³"[layer - 1]
        assert np.allclose(by_name[f"∂C/∂W{sup}"], dw[layer - 1])
        assert np.allclose(by_name[f"∂C/∂b{sup}"], db[layer - 1])
    z1 = next(s for s in stages if s.name == "z¹")
    W, a0, b = (v for _, v in z1.operands)
    assert np.allclose(W @ a0 + b, z1.result[1])


def test_gradient_check_does_not_cry_wolf_near_a_minimum():
    """Near convergence many Jacobian entries are almost zero; a correct backprop must
    still be reported as agreeing (the tab shows ✗ above 1e-5)."""
    x, y = heart_curve(100)
    net = Network(seed=2)
    list(train(net, x, y, 8000, 7, 1, seed=2_000_006))
    assert max(e for _, e in gradient_check(net, x[:, :20], y[:, :20])) < 1e-6


@pytest.mark.parametrize("field, text", [
    ("n", "99999999999999999999"), ("seed", "²"), ("iterations", "²"), ("n", "٣"),
    ("seed", "99999999999999999999"), ("aggression", "1e999"), ("noise", "1" * 400),
])
def test_odd_numbers_are_refused_with_a_message_not_an_exception(field, text):
    """Digits that are not 0-9, and numbers too big for a machine integer or float, were
    TypeError and ValueError (#11)."""
    base = dict(hidden="6 7", n="100", aggression="7", noise="1", iterations="10000", seed="0")
    base[field] = text
    with pytest.raises(SettingsError) as info:
        parse_training_settings(**base)
    assert info.value.field == field and len(str(info.value)) < 120


def test_every_bad_setting_is_reported_at_once():
    with pytest.raises(SettingsError) as info:
        parse_training_settings("6 x", "1", "7", "-1", "10", "s")
    assert [f for f, _ in info.value.problems] == ["hidden", "n", "noise", "seed"]
    assert info.value.field == "hidden"
    assert "'x' is not a whole number" in str(info.value) and "N must be between" in str(
        info.value)
