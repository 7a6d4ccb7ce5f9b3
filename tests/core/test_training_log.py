"""Where training is, as the Backpropagation tab keeps it (Qt-free)."""

from __future__ import annotations

import numpy as np
import pytest

from mlcalc_gui.core.network import Network, TrainingSettings, TrainStep, heart_curve, train
from mlcalc_gui.core.training_log import TrainingLog, trained_log


def course_records(iterations, net=None):
    x, y = heart_curve(100)
    s = TrainingSettings()
    net = net or Network(seed=s.seed)
    return list(train(net, x, y, iterations, s.aggression, s.noise, seed=s.noise_seed(0)))


def fresh_log():
    x, y = heart_curve(100)
    return TrainingLog(Network(seed=TrainingSettings().seed), x, y)


def test_feeding_a_run_keeps_its_costs_and_shows_its_latest_snapshot():
    log = fresh_log()
    records = course_records(250)
    log.feed(records[1:])  # a run's repeated start is not fed
    assert log.iterations == list(range(251))
    assert log.costs == [r.cost for r in records]
    assert log.iteration == 250 and log.view_iteration == 250  # the last record's snapshot
    assert np.array_equal(log.view_net.parameters, records[-1].parameters)
    assert [it for it, _ in log.trail] == [100, 200]


def test_a_rewind_goes_back_to_the_network_on_screen_and_drops_the_rest():
    log = fresh_log()
    records = course_records(250)
    log.feed([r for r in records[1:] if r.iteration <= 240 and r.iteration != 240] + [
        TrainStep(240, records[240].cost)])  # a run cancelled at 240, snapshot at 200
    assert log.iteration == 240 and log.view_iteration == 200
    log.rewind_to_view()
    assert log.iteration == 200 and log.iterations[-1] == 200
    assert log.last_cost == records[200].cost
    assert np.array_equal(log.net.parameters, records[200].parameters)


def test_adopt_takes_the_network_a_paused_run_sent():
    log = fresh_log()
    records = course_records(37)
    log.feed(records[1:])
    params = records[-1].parameters
    log.adopt(params)
    assert log.view_iteration == 37 and np.array_equal(log.net.parameters, params)
    assert np.array_equal(log.view_net.parameters, params)


def test_saved_and_reopened_is_the_same_training():
    log = fresh_log()
    log.feed(course_records(300)[1:])
    log.adopt(None)
    other = fresh_log()
    other.reopen(**log.saved())
    assert other.saved() == log.saved()
    assert other.last_cost == log.last_cost and other.start_cost == log.start_cost


def test_the_status_names_a_plateau_and_a_kicked_cost():
    log = fresh_log()
    log.feed(TrainStep(k, 0.03) for k in range(1, 3001))
    lines, warning = log.status(10_000, settled=True)
    assert warning and "stuck on a plateau" in lines[-1] and lines[0] == (
        "Iteration 3,000 of 10,000")
    log = fresh_log()
    log.feed(TrainStep(k, 0.0025) for k in range(1, 1200))
    log.feed([TrainStep(1200, 0.034)])
    assert "kicked" not in " ".join(log.status(10_000, settled=False)[0])
    lines, warning = log.status(10_000, settled=True)
    assert not warning and "kicked the network off" in lines[-1] and "0.0025" in lines[-1]


def test_the_demo_is_the_core_run_to_the_end():
    s = TrainingSettings(iterations=500)
    x, y = heart_curve(100)
    log = trained_log(s, x, y)
    records = course_records(500)
    assert log.iteration == 500 and log.costs == pytest.approx(
        [r.cost for r in records], rel=1e-12, abs=0)
    assert np.array_equal(log.net.parameters, records[-1].parameters)
