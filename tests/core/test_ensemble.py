"""Eight seeds trained at once equal eight single runs, to rounding."""

from __future__ import annotations

import numpy as np
import pytest

from mlcalc_gui.core.ensemble import (
    STUCK_COST,
    Ensemble,
    EnsembleStep,
    RaceLog,
    race_summary,
    train_ensemble,
)
from mlcalc_gui.core.network import Network, heart_curve, train


@pytest.mark.parametrize("sizes,activation", [((1, 6, 7, 2), "logistic"),
                                              ((1, 5, 2), "tanh"),
                                              ((1, 4, 4, 3, 2), "relu")])
def test_the_batched_ensemble_is_eight_single_runs(sizes, activation):
    x, y = heart_curve(60)
    seeds = [3, 1, 4, 1_000_001, 5, 9, 2, 6]
    noise = [11 * s + 7 for s in seeds]
    ensemble = Ensemble(sizes, seeds, hidden_activation=activation)
    records = list(train_ensemble(ensemble, x, y, 300, aggression=5.0, noise=1.0,
                                  noise_seeds=noise, snapshot_every=100))
    assert [r.iteration for r in records] == list(range(301))
    assert [r.iteration for r in records if r.parameters is not None] == [0, 100, 200, 300]
    for k, seed in enumerate(seeds):
        net = Network(sizes, seed=seed, hidden_activation=activation)
        single = list(train(net, x, y, 300, aggression=5.0, noise=1.0, seed=noise[k]))
        costs = np.array([r.costs[k] for r in records])
        assert costs == pytest.approx([r.cost for r in single], rel=1e-9, abs=1e-15)
        assert np.allclose(ensemble.parameters[k], net.parameters, rtol=1e-9, atol=1e-12)
        assert np.allclose(records[200].parameters[k], single[200].parameters,
                           rtol=1e-9, atol=1e-12)
        assert np.allclose(ensemble.network(k).forward(x), net.forward(x), atol=1e-12)
    assert not records[-1].diverged.any()
    assert records[-1].costs.mean() < records[0].costs.mean()


def test_noise_drawn_in_blocks_is_the_stream_drawn_one_iteration_at_a_time():
    """The ensemble draws 256 iterations of noise at once; over a block boundary it must
    still be the single run's noise."""
    x, y = heart_curve(20)
    ensemble = Ensemble((1, 3, 2), [8])
    last = list(train_ensemble(ensemble, x, y, 600, noise_seeds=[5]))[-1]
    net = Network((1, 3, 2), seed=8)
    single = list(train(net, x, y, 600, seed=5))[-1]
    assert last.costs[0] == pytest.approx(single.cost, rel=1e-9)


def test_a_network_that_diverges_stops_at_its_last_good_state_and_is_marked():
    x, _ = heart_curve(20)
    ensemble = Ensemble((1, 6, 7, 2), [0, 1])
    good = ensemble.parameters.copy()
    # A target far outside the square: the first update overflows (as in test_network).
    records = list(train_ensemble(ensemble, x, np.full((2, 20), 1e150), 3,
                                  aggression=1e200, noise=0))
    assert [r.diverged.tolist() for r in records] == [[False, False]] + [[True, True]] * 3
    assert np.array_equal(ensemble.parameters, good)  # nothing overflowing was applied


def test_bad_settings_are_refused():
    x, y = heart_curve(10)
    ensemble = Ensemble((1, 3, 2), [0, 1])
    with pytest.raises(ValueError, match="aggression"):
        next(train_ensemble(ensemble, x, y, 5, aggression=float("nan")))
    with pytest.raises(ValueError, match="noise seeds"):
        next(train_ensemble(ensemble, x, y, 5, noise_seeds=[1]))
    with pytest.raises(ValueError, match="at least one seed"):
        Ensemble((1, 3, 2), [])


def test_a_race_job_is_the_single_runs_and_crosses_the_process_boundary_exactly():
    from mlcalc_gui.core.network import TrainingSettings
    from mlcalc_gui.core.training_process import _build, decode_race, race_spec

    x, y = heart_curve(60)
    seeds = [4, 9, 11]
    noise = [TrainingSettings(seed=s).noise_seed(0) for s in seeds]
    model, gen, encode = _build(race_spec((1, 6, 7, 2), "logistic", seeds, x, y, 120, 7.0,
                                          1.0, snapshot_every=50, noise_seeds=noise))
    records = list(gen)
    back = decode_race(encode(records))
    assert [r.iteration for r in back] == list(range(121))
    assert [k for k, r in enumerate(back) if r.parameters is not None] == [0, 50, 100, 120]
    for a, b in zip(records, back, strict=True):
        assert np.array_equal(a.costs, b.costs) and np.array_equal(a.diverged, b.diverged)
    assert np.array_equal(back[-1].parameters, model.parameters)
    for k, seed in enumerate(seeds):
        single = [r.cost for r in train(Network(seed=seed), x, y, 120, 7.0, 1.0,
                                        seed=noise[k])]
        assert [r.costs[k] for r in records] == pytest.approx(single, rel=1e-9)


def test_a_bad_race_job_is_refused():
    from mlcalc_gui.core.training_process import _build, race_spec

    x, y = heart_curve(10)
    spec = race_spec((1, 3, 2), "logistic", [1, 2], x, y, 5, 7.0, 1.0)
    for change in ({"activation": "eval"}, {"seeds": []}, {"parameters": [[1.0]]},
                   {"x": [1.0, 2.0]}):
        with pytest.raises(ValueError):
            _build({**spec, **change})


def _steps(n: int, every: int = 4, first: int = 0) -> list:
    return [EnsembleStep(i, np.array([1.0 / (i + 1), 2.0]), np.zeros(2, bool),
                         np.full((2, 3), float(i)) if i % every == 0 else None)
            for i in range(first, first + n)]


def test_race_log_keeps_its_rows_finds_the_kept_networks_and_branches():
    log = RaceLog()
    steps = _steps(300)
    log.extend(steps[:10])
    log.extend(steps[10:300])
    iterations, costs = log.view()
    assert len(log) == 300 and list(iterations) == list(range(300))
    assert costs[7, 0] == pytest.approx(1 / 8) and costs.shape == (300, 2)
    assert log.snapshot()[0] == 296 and log.snapshot(11)[0] == 8
    log.show(10)  # the history row at record 10: the networks kept at 8 go on
    assert log.record().iteration == 10 and log.snapshot()[0] == 8
    assert "iteration 10 of 299 (past)" == log.describe()
    log.cut()
    assert len(log) == 11 and log.position is None
    log.start_from(8)  # the run from there repeats record 8 first
    assert len(log) == 8
    log.extend(_steps(3, first=8))
    assert list(log.view()[0]) == list(range(11))
    log.clear()
    assert len(log) == 0 and log.snapshot() is None and log.record() is None


def test_a_long_race_keeps_bounded_rows_and_a_frame_draws_bounded_points():
    """A race of 10,000,000 iterations froze the window longer and longer: every frame
    drew every iteration of eight cost lines (#31, item 3)."""
    log = RaceLog(capacity=1000, snapshots=20)
    for start in range(0, 1_000_000, 10_000):
        log.extend(_steps(10_000, every=100, first=start))
        assert len(log) <= 1001 and len(log._snapshots) <= 21
    iterations, costs = log.view()
    assert iterations[0] == 0 and iterations[-1] == 999_999  # the whole race, its end too
    gaps = np.diff(iterations)
    assert gaps.min() > 0 and gaps.max() <= 2 * np.median(gaps) + 1  # spread evenly
    drawn_i, drawn_c = log.drawn(200)
    assert len(drawn_i) <= 200 and drawn_i[-1] == 999_999 and drawn_c.shape[1] == 2
    assert log.snapshot()[0] == 999_900
    small = RaceLog(capacity=1000)
    small.extend(_steps(1000))
    assert len(small.drawn(200)[0]) <= 200 and len(small) == 1000


def test_race_summary_spread_and_stuck():
    costs = np.array([0.002, 0.03, np.nan, 0.004, 0.5])
    diverged = np.array([False, False, True, False, False])
    summary = race_summary(EnsembleStep(10000, costs, diverged))
    assert (summary.best, summary.median, summary.worst) == pytest.approx((0.002, 0.017, 0.5))
    assert summary.stuck == (1, 4) and summary.diverged == (2,)
    text = summary.describe([10, 11, 12, 13, 14])
    assert "stuck above 0.01: seeds 11, 14" in text and "diverged: 12" in text
    assert "still above 0.01" in summary.describe([10, 11, 12, 13, 14], final=False)
    assert STUCK_COST == 0.01
