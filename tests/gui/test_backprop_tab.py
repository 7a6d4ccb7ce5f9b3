"""The Backpropagation tab, driven as a learner would."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from mlcalc_gui.core.network import (
    DEFAULT_SEED,
    Network,
    TrainingSettings,
    TrainStep,
    heart_curve,
    resample_curve,
    train,
)
from mlcalc_gui.core.runner import RunState


def set_field(qtbot, tab, key, text):
    edit = tab.fields[key]
    edit.clear()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key_Return)


def core_costs(tab, x, y, iterations):
    """The costs of the core's run with the tab's settings (same machine: bit for bit)."""
    s = tab.settings
    net = Network((1, *s.hidden, 2), seed=s.seed)
    return [r.cost for r in train(net, x, y, iterations, s.aggression, s.noise,
                                  seed=s.noise_seed(0))]


def test_starts_with_the_course_network(backprop):
    assert backprop.network.log.net.sizes == (1, 6, 7, 2)
    assert backprop.settings == TrainingSettings() and backprop.settings.seed == DEFAULT_SEED
    assert backprop.fields["seed"].text() == str(DEFAULT_SEED)
    x, y = heart_curve(100)
    assert np.allclose(backprop.y, y)
    assert backprop.network.log.costs[0] == Network(seed=DEFAULT_SEED).cost(x, y)
    shown_x, shown_y = backprop.network.square.target_item.getData()
    assert np.allclose(shown_x, y[0]) and np.allclose(shown_y, y[1])


def test_play_then_pause_stops_the_iterations(qtbot, backprop):
    backprop.network.worker.set_rate(None)
    with qtbot.waitSignal(backprop.network.worker.sig_state,
                          check_params_cb=lambda s: s == "running"):
        backprop.playback.play_button.click()
    qtbot.waitUntil(lambda: backprop.network.log.iteration > 200, timeout=10000)
    with qtbot.waitSignal(backprop.network.worker.sig_state,
                          check_params_cb=lambda s: s == "paused"):
        backprop.playback.play_button.click()
    stopped = backprop.network.log.iteration
    with qtbot.assertNotEmitted(backprop.network.worker.sig_batch, wait=200):
        pass
    assert backprop.network.log.iteration == stopped
    assert backprop.network.log.iterations == list(range(stopped + 1))
    # Exactly the core's run with the same seed, however far the pause landed.
    x, y = heart_curve(100)
    core = core_costs(backprop, x, y, stopped)
    assert backprop.network.log.costs == pytest.approx(core, rel=1e-12, abs=0)
    # The view shows exactly the paused network.
    assert backprop.network.log.view_iteration == stopped
    assert np.array_equal(backprop.network.log.view_net.parameters,
                          backprop.network.log.net.parameters)


def test_step_100_advances_exactly_100(qtbot, backprop):
    with qtbot.waitSignal(backprop.network.worker.sig_state,
                          check_params_cb=lambda s: s == "paused"):
        backprop.playback.step_button.click()
    qtbot.waitUntil(lambda: backprop.network.log.iteration == 1)
    with qtbot.waitSignal(backprop.network.worker.sig_state,
                          check_params_cb=lambda s: s == "paused"):
        backprop.playback.many_button.click()
    qtbot.waitUntil(lambda: backprop.network.log.iteration == 101)
    with qtbot.assertNotEmitted(backprop.network.worker.sig_batch, wait=150):
        pass
    assert backprop.network.log.iteration == 101
    assert backprop.network.log.iterations == list(range(102))
    assert backprop.playback.progress.value() == 101
    # The same 101 iterations in the core give the same cost.
    x, y = heart_curve(100)
    assert backprop.network.log.costs[-1] == core_costs(backprop, x, y, 101)[101]


def test_bad_settings_are_refused_beside_the_control(qtbot, backprop):
    before = backprop.network.log.net
    for key, text in (("hidden", "6 0"), ("n", "1"), ("aggression", "-2"),
                      ("aggression", "inf")):
        set_field(qtbot, backprop, key, text)
        assert backprop.settings_error.isVisible()
        assert "previous settings stay" in backprop.settings_error.text()
        assert "border" in backprop.fields[key].styleSheet()
        assert backprop.network.log.net is before
        assert backprop.settings.hidden == (6, 7) and backprop.settings.n == 100
        backprop.fields[key].setText({"hidden": "6 7", "n": "100", "aggression": "7"}[key])
    set_field(qtbot, backprop, "aggression", "7")
    assert not backprop.settings_error.isVisible()


def test_typed_text_in_a_message_is_shown_as_text_never_as_html(qtbot, backprop):
    """An <img> typed into a field would make a rich-text label read that file (with
    /dev/zero: until the memory runs out); the message shows it as plain text."""
    set_field(qtbot, backprop, "aggression", '<img src="a.png">')
    assert backprop.settings_error.textFormat() == Qt.PlainText
    assert '<img src="a.png">' in backprop.settings_error.text()
    backprop.fields["aggression"].setText("7")


def test_changing_sizes_mid_run_stops_and_resets(qtbot, backprop):
    backprop.network.worker.set_rate(None)
    backprop.play()
    qtbot.waitUntil(lambda: backprop.network.log.iteration > 50, timeout=10000)
    set_field(qtbot, backprop, "hidden", "4 5 3")
    assert not backprop.network.worker.has_run()
    assert backprop.network.log.net.sizes == (1, 4, 5, 3, 2)
    assert backprop.network.log.iteration == 0 and len(backprop.network.log.costs) == 1
    assert backprop.network.diagram.sizes == (1, 4, 5, 3, 2)


def test_a_drawn_curve_is_accepted_and_trained_on(qtbot, backprop):
    t = np.linspace(0, 1, 40)
    drawn = np.column_stack([0.2 + 0.6 * t, 0.5 + 0.3 * np.sin(6 * t)])
    assert backprop.accept_drawing(drawn)
    assert backprop.curve_combo.currentText() == "Your drawing"
    assert backprop.y.shape == (2, 100)
    assert np.allclose(backprop.y[:, 0], drawn[0]) and np.allclose(backprop.y[:, -1], drawn[-1])
    backprop.network.worker.set_rate(None)
    backprop.play()
    qtbot.waitUntil(lambda: backprop.network.log.iteration >= 500, timeout=10000)
    backprop.stop_work()
    # Trained on the drawing: exactly the core's run on the resampled stroke.
    x, y = resample_curve(drawn, 100)
    core = core_costs(backprop, x, y, backprop.network.log.iteration)
    assert backprop.network.log.costs == pytest.approx(core, rel=1e-12, abs=0)
    assert min(core[-50:]) < core[0]
    # Too short a stroke is refused and the target stays.
    target = backprop.y.copy()
    assert not backprop.accept_drawing(np.array([[0.5, 0.5], [0.501, 0.5]]))
    assert backprop.curve_message.isVisible() and "longer" in backprop.curve_message.text()
    assert np.array_equal(backprop.y, target)


def test_drawing_with_the_mouse(qtbot, backprop):
    backprop.draw_button.setChecked(True)
    for x, y, phase in ((0.2, 0.2, 0), (0.4, 0.5, 1), (0.6, 0.3, 1), (0.8, 0.7, 2)):
        backprop.network.square.view_box.sig_drag.emit(x, y, phase)
    assert backprop.curve_name == "Your drawing"
    assert not backprop.draw_button.isChecked()
    assert np.allclose(backprop.y[:, 0], (0.2, 0.2))


def test_step_by_step_walks_forward_and_back_by_keyboard(qtbot, window, backprop):
    window.activateWindow()
    qtbot.waitActive(window)
    backprop.network.cost_view.plot.setFocus()
    qtbot.waitUntil(backprop.network.cost_view.plot.hasFocus)
    backprop.network.stage_index = 0
    backprop.network._show_stage()
    for _ in range(9):
        qtbot.keyClick(backprop.network.cost_view.plot, Qt.Key_BracketRight)
    assert backprop.network.stage_index == 9
    assert backprop.network.walk.formula_label.text().startswith("δ³")
    assert "Backward" in backprop.network.walk.stage_label.text()
    views = backprop.network.walk.matrix_views
    result = views[len([v for v in views if v.isVisible()]) - 1]
    k = backprop.network.example
    zs, acts = backprop.network.log.view_net.forward_all(backprop.x[:, k:k + 1])
    deltas = backprop.network.log.view_net.deltas(zs, acts, backprop.y[:, k:k + 1])
    assert np.allclose(result.values, deltas[3])
    assert backprop.network.diagram.deltas[3] is not None
    qtbot.keyClick(backprop.network.cost_view.plot, Qt.Key_BracketLeft)
    assert backprop.network.stage_index == 8


def test_gradient_check_panel_agrees(backprop):
    result = dict(backprop.network.run_gradient_check())
    assert max(result.values()) < 1e-6
    assert "agrees" in backprop.network.check_label.text()
    assert "differs" not in backprop.network.check_label.text()


def test_divergence_shows_a_message_and_draws_nothing_nan(qtbot, backprop):
    backprop.y = np.full((2, 100), 1e200)  # a target no network can reach without overflow
    with qtbot.waitSignal(backprop.network.worker.sig_finished) as blocker:
        backprop.play()
    assert blocker.args[0] == "diverged"
    assert "Diverged" in backprop.network.status.text()
    assert "last good network is kept" in backprop.network.status.text()
    assert np.all(np.isfinite(backprop.network.log.net.parameters))
    xs, ys = backprop.network.square.current_item.getData()
    assert np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))


def test_closing_mid_run_leaves_no_thread(qtbot, window, backprop):
    backprop.network.worker.set_rate(None)
    backprop.play()
    qtbot.waitUntil(lambda: backprop.network.log.iteration > 10, timeout=10000)
    window.close()  # joins the training process (how fast: benchmarks' cancel_join_max_ms)
    assert not backprop.network.worker.is_alive()


def test_leaving_the_tab_stops_training_and_keeps_the_state(qtbot, window, backprop):
    backprop.network.worker.set_rate(None)
    backprop.play()
    qtbot.waitUntil(lambda: backprop.network.log.iteration > 300, timeout=10000)
    window.tabs.setCurrentIndex(0)
    assert not backprop.network.worker.has_run()
    assert backprop.network.log.iteration == backprop.network.log.view_iteration > 0
    assert np.array_equal(backprop.network.log.net.parameters,
                          backprop.network.log.view_net.parameters)
    assert backprop.network.log.iterations[-1] == backprop.network.log.iteration


def test_a_start_stuck_on_a_plateau_is_named_and_the_way_out_given(backprop):
    """Records as the worker delivers them: a cost that sits at 0.03 for 3,000 iterations
    is "stuck on a plateau", with what to do; a falling cost never is."""
    backprop.network._on_batch(tuple(TrainStep(k, 0.2 * 0.999 ** k + 0.002)
                                     for k in range(1, 2001)))
    assert "plateau" not in backprop.network.status.text()
    backprop.reset_network()
    backprop.network._on_batch(tuple(TrainStep(k, 0.03) for k in range(1, 3001)))
    text = backprop.network.status.text()
    assert "stuck on a plateau" in text and "new seed" in text and "Iterations" in text
    backprop.reset_network()  # a fresh start is not stuck
    assert "plateau" not in backprop.network.status.text()


def test_a_kicked_last_iteration_is_explained(backprop):
    backprop.network._on_batch(tuple(TrainStep(k, 0.0025) for k in range(1, 1200)))
    assert "kicked" not in backprop.network.status.text()
    backprop.network._on_batch((TrainStep(1200, 0.034),))
    assert "kicked the network off" in backprop.network.status.text()
    assert "0.0025" in backprop.network.status.text()


def test_a_killed_training_process_is_said_and_training_goes_on_honestly(qtbot, backprop):
    """kill -9 (or the OS out of memory) mid-run: the message stays, the tab goes back to
    the last network the process sent, and the next Play goes on from exactly that (#11)."""
    import os
    import signal

    backprop.network.worker.set_rate(None)
    backprop.play()
    qtbot.waitUntil(lambda: backprop.network.log.iteration > 700, timeout=10000)
    with qtbot.waitSignal(backprop.network.worker.sig_finished, timeout=10000) as blocker:
        os.kill(backprop.network.worker.process_id(), signal.SIGKILL)
    assert blocker.args[0] == "error"
    with qtbot.assertNotEmitted(backprop.network.worker.sig_batch, wait=100):
        pass
    text = backprop.network.status.text()
    assert "Training stopped" in text and "press Play" in text
    shown = backprop.network.log.view_iteration
    assert shown % 100 == 0 and backprop.network.log.iteration == shown and f"{shown:,}" in text
    assert backprop.network.log.iterations[-1] == shown
    assert np.array_equal(backprop.network.log.net.parameters,
                          backprop.network.log.view_net.parameters)
    # Step starts a new process and goes on from the network at ``shown``, exactly as
    # the core would from there.
    s = backprop.settings
    expected = [r.cost for r in train(backprop.network.log.net.copy(), backprop.x, backprop.y, 5,
                                      s.aggression, s.noise, seed=s.noise_seed(shown),
                                      start_iteration=shown)]
    backprop.step(5)
    qtbot.waitUntil(lambda: backprop.network.log.iteration == shown + 5, timeout=10000)
    assert backprop.network.log.iterations[-6:] == list(range(shown, shown + 6))
    assert backprop.network.log.costs[-6:] == pytest.approx(expected, rel=1e-12, abs=0)


def test_a_new_aggression_while_paused_goes_on_from_the_same_network(qtbot, backprop):
    """The run restarts with the new step size from where it was, still paused, and Step
    still advances exactly one iteration (the restarted run's repeated start is dropped)."""
    backprop.step(30)
    qtbot.waitUntil(lambda: backprop.network.log.iteration == 30
                    and backprop.network.log.view_iteration == 30, timeout=10000)
    before = backprop.network.log.net.copy()
    set_field(qtbot, backprop, "aggression", "3")
    assert backprop.run.active and backprop.network.log.iteration == 30
    qtbot.waitUntil(lambda: backprop.run.state.value == "paused", timeout=10000)
    backprop.step(1)
    qtbot.waitUntil(lambda: backprop.network.log.iteration == 31, timeout=10000)
    with qtbot.assertNotEmitted(backprop.network.worker.sig_batch, wait=150):
        pass
    assert backprop.network.log.iterations[-2:] == [30, 31]
    s = backprop.settings
    expected = [r.cost for r in train(before, backprop.x, backprop.y, 1, 3.0, s.noise,
                                      seed=s.noise_seed(30), start_iteration=30)]
    assert backprop.network.log.costs[-2:] == pytest.approx(expected, rel=1e-12, abs=0)


def _wheel(widget, steps=-1):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.NoButton, Qt.NoModifier,
                        Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_scroll_wheel_changes_only_a_focused_choice(qtbot, window, backprop):
    """Scrolling the panel over "Hidden activation" once turned logistic into relu and
    threw the trained network away (#11)."""
    combo = backprop.activation_combo
    backprop.fields["seed"].setFocus()
    qtbot.waitUntil(lambda: not combo.hasFocus())
    _wheel(combo)
    assert combo.currentText() == "logistic"
    assert backprop.network.log.net.hidden_activation == "logistic"
    window.activateWindow()
    qtbot.waitActive(window)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    _wheel(combo)
    assert combo.currentText() == "tanh"
    combo.setCurrentText("logistic")


def test_the_largest_network_is_drawn_in_bounded_work(qtbot, backprop):
    """1-64-64-64-64-2 has 12,480 weights; the diagram drew them all, antialiased, four
    times a second (the window froze, #11).  It now draws the 600 largest, bundled, and
    says so."""
    from mlcalc_gui.gui.widgets.network_view import MAX_LINES

    set_field(qtbot, backprop, "hidden", "64 64 64 64")
    diagram = backprop.network.diagram
    assert diagram.weight_count == 1 * 64 + 64 * 64 * 3 + 64 * 2
    shown = diagram.shown_weights()
    assert len(shown) == MAX_LINES
    sizes = np.concatenate([np.abs(w).ravel() for w in diagram.weights])
    smallest_shown = min(abs(diagram.weights[layer][j, i]) for layer, j, i in shown)
    assert smallest_shown >= np.sort(sizes)[-MAX_LINES]
    strokes = diagram._weight_strokes()
    assert len(strokes) <= 2 * 8 * 2 and sum(len(lines) for _, lines in strokes) == MAX_LINES
    diagram.grab()  # paints
    set_field(qtbot, backprop, "hidden", "6 7")
    assert len(backprop.network.diagram.shown_weights()) == 6 + 42 + 14  # small: every weight


def test_matrix_cells_never_show_minus_zero():
    from mlcalc_gui.gui.widgets.network_view import cell_text

    assert [cell_text(v) for v in (-0.0001, -0.0, -0.0006, -1.5, 250.0)] == [
        "0.000", "0.000", "-0.001", "-1.500", "2.5e+02"]


def test_scrubbing_back_shows_that_iterations_network_and_play_branches(qtbot, backprop):
    backprop.step(500)
    qtbot.waitUntil(lambda: backprop.network.log.iteration == 500 and backprop.run.state.value
                    == "paused", timeout=10000)
    log, bar = backprop.network.log, backprop.playback
    assert [it for it, _ in log.items()] == [0, 100, 200, 300, 400, 500]
    assert bar.history_slider.maximum() == 5 and bar.history_slider.value() == 5
    bar.history_slider.setValue(2)
    assert log.view_iteration == 200 and backprop.run.scrubbed
    # The curve on screen is the network of iteration 200: the trail drew it then.
    x, y = heart_curve(100)
    net = Network(seed=backprop.settings.seed)
    list(train(net, x, y, 200, backprop.settings.aggression, backprop.settings.noise,
               seed=backprop.settings.noise_seed(0)))
    assert np.array_equal(log.view_net.parameters, net.parameters)
    shown = backprop.network.square.current_item.getData()
    assert np.array_equal(shown[0], net.forward(x)[0])
    assert backprop.network.cost_view.curve.xData.max() == 200  # the cost up to then
    assert np.array_equal(backprop.network.diagram.weights[-1], net.weights[-1])
    assert "iteration 200" in backprop.network.status.text()
    assert backprop.playback.progress.value() == 200
    # Step goes on from iteration 200: the run after it is dropped, a new branch.
    backprop.step(1)
    qtbot.waitUntil(lambda: log.iteration == 201, timeout=10000)
    assert not backprop.run.scrubbed
    assert log.iterations == list(range(202))
    assert log.costs[:201] == pytest.approx(core_costs(backprop, x, y, 200), rel=1e-12, abs=0)
    s = backprop.settings  # the branch draws its noise as any run from iteration 200 does
    branch = list(train(net, x, y, 1, s.aggression, s.noise, seed=s.noise_seed(200),
                        start_iteration=200))
    assert log.costs[201] == pytest.approx(branch[-1].cost, rel=1e-12, abs=0)
    assert [it for it, _ in log.items()] == [0, 100, 200, 201]


def test_the_same_settings_and_seed_replay_the_same_run(qtbot, backprop):
    runs = []
    for _ in range(2):
        backprop.reset_network()
        backprop.step(300)
        qtbot.waitUntil(lambda: backprop.network.log.iteration == 300, timeout=10000)
        runs.append((backprop.network.log.costs, backprop.network.log.view_net.parameters.copy()))
    assert runs[0][0] == runs[1][0]
    assert np.array_equal(runs[0][1], runs[1][1])


def test_a_race_of_eight_seeds_is_eight_single_runs_with_the_stuck_marked(qtbot, window,
                                                                           backprop):
    from mlcalc_gui.core.ensemble import STUCK_COST
    from mlcalc_gui.gui.tabs.backprop import RACE_POINTS, RACE_SEEDS

    set_field(qtbot, backprop, "iterations", "300")
    backprop.race.playback.speed_slider.setValue(backprop.race.playback.speed_slider.maximum())
    window.activateWindow()
    qtbot.waitActive(window)
    backprop.network.cost_view.plot.setFocus()
    qtbot.waitUntil(backprop.network.cost_view.plot.hasFocus)
    qtbot.keyClick(backprop.network.cost_view.plot, Qt.Key_8)  # the race page, racing
    assert backprop.view == "race"
    qtbot.waitUntil(lambda: len(backprop.race.log) > 0 and not backprop.race.run.active,
                    timeout=60000)
    records = backprop.race.log.records()
    assert [r.iteration for r in records] == list(range(301))
    seeds = backprop.race.seeds()
    assert seeds == [DEFAULT_SEED + k for k in range(RACE_SEEDS)]
    # network k is the single run with seed + k (same machine, 300 steps: to rounding)
    s = backprop.settings
    for k in (0, 5):
        single = TrainingSettings(seed=seeds[k], iterations=300)
        net = Network((1, *s.hidden, 2), seed=seeds[k])
        costs = [r.cost for r in train(net, backprop.x, backprop.y, 300, s.aggression,
                                       s.noise, seed=single.noise_seed(0))]
        assert [r.costs[k] for r in records] == pytest.approx(costs, rel=1e-9)
    views = backprop.race.views
    # the same seeds again (a reset, a session opened): the same items, the target anew
    items = [tile["curve"] for tile in views.tiles]
    half = np.asarray(backprop.y) * 0.5
    views.set_seeds(seeds, half)
    assert all(tile["curve"] is item for tile, item in zip(views.tiles, items, strict=True))
    target = views.tiles[3]["target"].getData()
    from mlcalc_gui.gui.panels.race_views import tile_origin

    ox, oy = tile_origin(3)
    assert target[0] - ox == pytest.approx(half[0])
    assert target[1] - oy == pytest.approx(half[1])
    views.set_seeds(seeds, backprop.y)
    for tile, line in zip(views.tiles, views.lines, strict=True):
        assert len(tile["curve"].getData()[0]) == RACE_POINTS
        assert len(line.getData()[0]) == 301
    # after 300 iterations every network is still on the plateau: all stuck, marked
    final = records[-1].costs
    stuck = [k for k in range(RACE_SEEDS) if final[k] > STUCK_COST]
    assert stuck
    for k in stuck:
        assert "stuck" in views.tiles[k]["label"].textItem.toPlainText()
        assert views.tiles[k]["frame"].opts["pen"].style() == Qt.DashLine
    assert "After 300 iterations" in views.summary.text()
    assert f"stuck above {STUCK_COST:g}" in views.summary.text()
    # the history goes back: iteration 150 is shown, not marked stuck (not the end)
    backprop.race.run.scrub(150)
    assert views.summary.text().startswith("After 150 iterations")
    assert all("stuck" not in t["label"].textItem.toPlainText() for t in views.tiles)
    assert len(views.lines[0].getData()[0]) == 151
    # Play from there branches from the networks kept at iteration 100 (with the noise a
    # run continued from 100 draws), and the same branch again is the same run
    branches = []
    for _ in range(2):
        backprop.race.run.scrub(150)
        backprop.race.playback.play_button.click()
        qtbot.waitUntil(lambda: not backprop.race.run.active
                        and backprop.race.log.record().iteration == 300, timeout=60000)
        again = backprop.race.log.records()
        assert [r.iteration for r in again] == list(range(301))
        assert again[100].costs == pytest.approx(records[100].costs, rel=1e-12)
        branches.append(again[-1].costs)
    assert branches[1] == pytest.approx(branches[0], rel=1e-12)
    assert branches[0] != pytest.approx(final, rel=1e-6)  # another noise: another end
    # a new seed is a new race
    set_field(qtbot, backprop, "seed", "3")
    assert len(backprop.race.log) == 0 and backprop.race.seeds()[0] == 3


def test_a_change_that_throws_a_trained_network_away_can_be_undone(qtbot, window, backprop):
    """Changing the activation (or sizes, seed, curve) discarded a trained network
    without a word (#11): now it is set aside, said, and Ctrl+Z brings it back."""
    with qtbot.waitSignal(backprop.network.worker.sig_state,
                          check_params_cb=lambda s: s == "paused"):
        backprop.playback.many_button.click()
    qtbot.waitUntil(lambda: backprop.network.log.iteration == 100)
    trained = backprop.network.log.net.parameters.copy()
    cost = backprop.network.log.last_cost
    assert not backprop.network.undo_note.isVisible()
    backprop.activation_combo.setCurrentText("relu")
    backprop.activation_combo.activated.emit(2)
    assert backprop.network.log.iteration == 0
    assert backprop.network.log.net.hidden_activation == "relu"
    assert backprop.network.undo_note.isVisible()
    assert "trained for 100 iterations" in backprop.network.undo_note.label.text()
    window.activateWindow()
    qtbot.waitActive(window)
    backprop.network.cost_view.plot.setFocus()
    qtbot.waitUntil(backprop.network.cost_view.plot.hasFocus)
    qtbot.keyClick(backprop.network.cost_view.plot, Qt.Key_Z, Qt.ControlModifier)
    assert backprop.network.log.iteration == 100 and backprop.network.log.last_cost == cost
    assert np.array_equal(backprop.network.log.net.parameters, trained)
    assert backprop.activation_combo.currentText() == "logistic"
    assert backprop.network.log.net.hidden_activation == "logistic"
    assert not backprop.network.undo_note.isVisible()  # the fresh relu network was never trained
    # Training goes on from the network brought back, as a reopened session does.
    with qtbot.waitSignal(backprop.network.worker.sig_state,
                          check_params_cb=lambda s: s == "paused"):
        backprop.playback.step_button.click()
    qtbot.waitUntil(lambda: backprop.network.log.iteration == 101)
    s = backprop.settings
    net = Network((1, *s.hidden, 2), seed=s.seed)
    net.set_parameters(trained)
    x, y = heart_curve(100)
    step = list(train(net, x, y, 1, s.aggression, s.noise, seed=s.noise_seed(100)))[-1]
    assert backprop.network.log.costs[-1] == step.cost
    # A change of seed after more training: set aside too.
    backprop.new_seed()
    assert backprop.network.undo_note.isVisible() and backprop.settings.seed != 0
    assert backprop.network.undo_reset() and backprop.network.log.iteration == 101
    assert not backprop.network.undo_reset()  # nothing left to undo


def test_the_log_cost_axis_labels_never_crowd(backprop):
    """Over a decade or so pyqtgraph labelled 0.9, 0.8, 0.7 … on top of each other (#11)."""
    from mlcalc_gui.gui.panels.training_views import log_ticks

    for lo, hi in ((-1.2, 0.1), (-0.9, -0.2), (-3.2, 0.1), (-12.2, 0.1)):
        major, minor = log_ticks(lo, hi)
        at = [v for v, _ in major]
        assert len(at) >= 2 and all(lo <= v <= hi for v in at)
        assert min(np.diff(at)) >= np.log10(2.5) - 1e-9  # labels at least 0.4 decade apart
        assert all(label == "" for _, label in minor)
    axis = backprop.network.cost_view.plot.getPlotItem().getAxis("left")
    assert [label for _, label in axis._tickLevels[0]] == ["0.1", "1"]


def test_a_race_frame_draws_bounded_points_at_a_thousand_and_a_million_iterations(
        qtbot, backprop):
    """A 10,000,000-iteration race froze the window longer and longer (#31, item 3)."""
    from mlcalc_gui.core.ensemble import RACE_ROWS, EnsembleStep
    from mlcalc_gui.gui.tabs.backprop import RACE_DRAWN, RACE_SEEDS

    backprop.race.views.set_seeds(backprop.race.seeds(), backprop.y)
    params = np.zeros((RACE_SEEDS, 77))
    drawn = {}
    for total in (1000, 1_000_000):
        backprop.race.log.clear()
        costs = np.linspace(0.2, 0.002, RACE_SEEDS)
        for start in range(0, total + 1, 50_000):
            stop = min(start + 50_000, total + 1)
            backprop.race.log.extend([
                EnsembleStep(i, costs, np.zeros(RACE_SEEDS, bool),
                             params if i % 100 == 0 else None)
                for i in range(start, stop)])
        assert len(backprop.race.log) <= RACE_ROWS + 1
        backprop.race.draw()
        points = [len(line.getData()[0]) for line in backprop.race.views.lines]
        drawn[total] = points
        assert max(points) <= RACE_DRAWN
        assert backprop.race.views.lines[0].getData()[0][-1] == total  # the end is drawn
    assert drawn[1000] == [1001] * RACE_SEEDS
    assert drawn[1_000_000] == [RACE_DRAWN] * RACE_SEEDS  # the same work a frame
    backprop.race.log.clear()


def test_each_page_plays_its_own_run_and_a_session_keeps_the_page(qtbot, window, backprop):
    """The race is a page with its run from the kit: on it, the window's Step (N) steps
    the race and leaves the single network where it was; the view is part of the state."""
    assert backprop.view == "network"
    backprop.show_page("race")
    assert backprop.run is backprop.race.run and backprop.playback is backprop.race.playback
    assert "8 networks" in backprop.race.run_label.text()
    with qtbot.waitSignal(backprop.race.run.sig_state,
                          check_params_cb=lambda s: s == RunState.PAUSED, timeout=30000):
        backprop.step()  # what N does
    qtbot.waitUntil(lambda: len(backprop.race.log) == 2, timeout=30000)  # 0 and 1
    assert [r.iteration for r in backprop.race.log.records()] == [0, 1]
    assert backprop.network.log.iteration == 0  # the single network did not move
    state = backprop.capture_state()
    assert state.view == "race"
    backprop.show_page("network")
    backprop.apply_state(state)
    qtbot.waitUntil(lambda: backprop._pending_state is None)
    assert backprop.view == "race"
    assert backprop.capture_state() == state
