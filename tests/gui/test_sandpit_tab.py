"""The Sandpit tab: games won by clicking and from the keyboard, the worker with each
strategy, reveals, seeds shared by a class, and the strategies compared."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from mlcalc_gui.core import sandpit as sp
from mlcalc_gui.core.states import SandpitState


def click_map(qtbot, tab, x, y):
    view = tab.map
    vb = view.getPlotItem().getViewBox()
    pos = view.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=pos)


def wait_dug(qtbot, tab):
    qtbot.waitUntil(lambda: not tab.digger.has_run())


def test_a_game_won_by_clicking(qtbot, sandpit):
    assert sandpit.game.kind == "intro" and sandpit.floor.phone == pytest.approx(
        (1.2128, 4.0093), abs=1e-3)
    assert not sandpit.landscape.surface_box.isVisible()  # the floor is hidden
    click_map(qtbot, sandpit, 4.5, 1.5)
    wait_dug(qtbot, sandpit)
    first = sandpit.game.dips[0]
    assert (first.x, first.y) == pytest.approx((4.5, 1.5), abs=0.05)
    assert first.depth == pytest.approx(sandpit.floor.depth(first.x, first.y))
    assert sandpit.dip_list.item(0).text().startswith(f"1) {first.depth:.2f} m")
    assert sandpit.labels[0].textItem.toPlainText() == "1"
    assert "Keep dipping" in sandpit.message.text()
    click_map(qtbot, sandpit, *sandpit.floor.phone)
    wait_dug(qtbot, sandpit)
    assert sandpit.game.won and sandpit.game.score == 2
    assert sandpit.message.text() == "Found it in 2 dips! The floor is revealed."
    assert sandpit.landscape.surface_box.isVisible()
    assert len(sandpit.map.contours.getData()[0]) > 0  # the floor's contours
    assert sandpit.phone.data["x"][0] == pytest.approx(sandpit.floor.phone[0])
    # The strategies compared from the first dip, each drawn, each said.
    for name in ("steepest", "newton", "hybrid"):
        xs, _ = sandpit.compared[name].getData()
        assert xs[0] == pytest.approx(first.x)
    assert "From your first dip" in sandpit.compare_note.text()
    click_map(qtbot, sandpit, 1.0, 1.0)  # the game is over: no more dips
    assert sandpit.game.counted == 2 and "over" in sandpit.message.text()


def test_a_game_won_from_the_keyboard(qtbot, sandpit):
    sandpit.map.setFocus()
    sandpit.map.set_point(1.2, 4.0)  # the cursor, then arrow keys and Enter
    sandpit.cursor = (1.2, 4.0)
    qtbot.keyClick(sandpit.map, Qt.Key_Right, Qt.ShiftModifier)  # +0.3 m
    qtbot.keyClick(sandpit.map, Qt.Key_Return)
    wait_dug(qtbot, sandpit)
    assert sandpit.game.dips[-1].x == pytest.approx(1.5) and not sandpit.game.won
    qtbot.keyClick(sandpit.map, Qt.Key_Left)
    qtbot.keyClick(sandpit.map, Qt.Key_Left, Qt.ShiftModifier)
    qtbot.keyClick(sandpit.map, Qt.Key_Return)
    wait_dug(qtbot, sandpit)
    assert sandpit.game.won and sandpit.game.counted == 2


def test_hurry_at_22_and_the_reveal_after_25(qtbot, sandpit):
    floor = sandpit.floor
    far = [(x, y) for x in np.linspace(3.5, 5.8, 6) for y in np.linspace(0.2, 2.0, 5)]
    for k, (x, y) in enumerate(far[:26], start=1):
        sandpit.dip(x, y)
        wait_dug(qtbot, sandpit)
        assert sandpit.game.counted == k
        if k == 22:
            assert "Hurry" in sandpit.message.text()
            assert not sandpit.landscape.surface_box.isVisible()
    assert math.dist(far[0], floor.phone) > 2
    assert sandpit.game.outcome == "revealed"
    assert "Try again" in sandpit.message.text() and sandpit.landscape.surface_box.isVisible()


@pytest.mark.parametrize("strategy", list(sp.STRATEGIES))
def test_the_worker_steps_after_each_dip_with_each_strategy(qtbot, sandpit, strategy):
    sandpit.apply_state(SandpitState("random", 4242, "worker", strategy))
    qtbot.waitUntil(lambda: sandpit.floor is not None)
    sandpit.dip(2.0, 2.0)
    wait_dug(qtbot, sandpit)
    floor = sandpit.floor
    expected = list(sp.after_dip(floor, sp.Game("random", 4242, "worker", strategy), 2.0, 2.0))
    assert sandpit.game.dips == tuple(expected)
    assert sandpit.game.counted == 1  # the worker's dips are free
    assert sum(d.automatic for d in sandpit.game.dips) == len(expected) - 1
    assert sandpit.dip_list.count() == len(expected)
    if len(expected) > 1:
        assert "(worker)" in sandpit.dip_list.item(1).text()


def test_a_seed_makes_the_same_floor_for_a_class(qtbot, sandpit):
    sandpit.kind_combo.setCurrentIndex(sp.KINDS.index("well"))
    sandpit.seed_spin.setValue(123456)
    sandpit.seed_spin.editingFinished.emit()
    qtbot.waitUntil(lambda: sandpit.floor is not None and sandpit.floor.seed == 123456)
    assert sandpit.floor.phone == sp.make_floor("well", 123456).phone
    sandpit.new_floor()
    qtbot.waitUntil(lambda: sandpit.floor is not None)
    assert sandpit.floor.kind == "well" and sandpit.floor.seed != 123456
    assert sandpit.seed_spin.value() == sandpit.floor.seed


def test_a_saved_game_is_replayed_with_its_worker_steps(qtbot, sandpit):
    state = SandpitState("rocks", 777, "worker", "steepest", ((1.0, 5.0), (4.0, 4.0)),
                         cursor=(4.0, 4.0))
    sandpit.apply_state(state)
    assert sandpit.capture_state() == state  # before the floor is ready too
    qtbot.waitUntil(lambda: sandpit.floor is not None and not sandpit.digger.has_run())
    assert sandpit.game.counted == 2 and sandpit.capture_state() == state
    assert any(d.automatic for d in sandpit.game.dips)


def test_the_strategy_plays_alone_from_the_cursor_and_reset_clears_it(qtbot, sandpit):
    sandpit.cursor = (5.0, 1.0)
    with qtbot.waitSignal(sandpit.run.sig_finished, timeout=20000):
        sandpit.play()
    walk = list(sp.strategy_walk(sandpit.floor, (5.0, 1.0), "hybrid"))
    assert [(d.x, d.y) for d in sandpit.path] == [(d.x, d.y) for d in walk]
    assert sandpit.game.counted == 0  # not the learner's dips
    assert "stopped after" in sandpit.run_label.text()
    sandpit.playback.reset()
    assert sandpit.walk_line.getData()[0] is None or len(sandpit.walk_line.getData()[0]) == 0


def test_your_step_typed_plays_and_a_bad_one_is_refused_beside_the_box(qtbot, sandpit):
    sandpit.apply_state(SandpitState("random", 4242, "worker", "hybrid"))
    qtbot.waitUntil(lambda: sandpit.floor is not None)
    qtbot.keyClicks(sandpit.step_edit, "\b" * 20)
    sandpit.step_edit.setText("")
    qtbot.keyClicks(sandpit.step_edit, "-0.5 J")
    qtbot.keyClick(sandpit.step_edit, Qt.Key_Return)
    assert sandpit.strategy_combo.currentText().startswith("Your step")
    assert sandpit.game.strategy == "yours" and not sandpit.step_error.isVisible()
    sandpit.dip(2.0, 2.0)
    wait_dug(qtbot, sandpit)
    steepest = list(sp.after_dip(sandpit.floor, sp.Game("random", 4242, "worker",
                                                        "steepest"), 2.0, 2.0))
    assert sandpit.game.dips == tuple(steepest) and len(steepest) > 1
    # A formula that is not a step: said beside the box; the worker keeps the last good one.
    sandpit.step_edit.setText("J + <b>1</b>")
    qtbot.keyClick(sandpit.step_edit, Qt.Key_Return)
    assert sandpit.step_error.isVisible()
    assert sandpit.step_error.textFormat() == Qt.PlainText
    assert "'<' is not allowed at position 5" in sandpit.step_error.text()
    assert "keeps -0.5 J" in sandpit.step_error.text()
    sandpit.step_edit.setText("J + 1")
    qtbot.keyClick(sandpit.step_edit, Qt.Key_Return)
    assert "a vector + a number" in sandpit.step_error.text()
    assert sandpit.capture_state().step == "-0.5 J"
    # After the game, your step is compared with the course's strategies.
    sandpit.dip(*sandpit.floor.phone)
    wait_dug(qtbot, sandpit)
    xs, _ = sandpit.compared["yours"].getData()
    assert xs is not None and xs[0] == pytest.approx(2.0)
    assert "Your step (black dash-dots, circles)" in sandpit.compare_note.text()


def test_a_session_with_a_step_that_is_not_one_keeps_the_game_playable(qtbot, sandpit):
    sandpit.apply_state(SandpitState("intro", 0, "worker", "yours", step="H"))
    qtbot.waitUntil(lambda: sandpit.floor is not None)
    assert sandpit.step_error.isVisible() and "is a matrix" in sandpit.step_error.text()
    assert sandpit.game.strategy == "hybrid" and sandpit.game.step == sp.DEFAULT_STEP


def test_scores_are_kept_between_sessions(qtbot, sandpit, settings):
    assert "No games won yet" in sandpit.score_note.text()
    sandpit.dip(4.5, 1.5)
    sandpit.dip(*sandpit.floor.phone)
    assert sandpit.game.won
    assert sandpit.score_view.rowCount() == 1
    assert [sandpit.score_view.item(0, c).text() for c in range(4)] == ["Intro", "2", "–", "1"]
    sandpit.new_game()
    sandpit.dip(*sandpit.floor.phone)
    assert sandpit.score_view.item(0, 1).text() == "1"
    assert sandpit.score_view.item(0, 3).text() == "2"
    settings.sync()
    from mlcalc_gui.gui.shell.window import MainWindow

    again = MainWindow(settings, offer_last_session=False)
    qtbot.addWidget(again)
    tab = again.tab_by_title("Sandpit")
    tab.ensure_built()
    assert [tab.score_view.item(0, c).text() for c in range(4)] == ["Intro", "1", "–", "2"]
    # Damaged settings: the tab says so and starts a new table.
    settings.setValue("sandpit/scores", "{not json")
    tab._load_scores()
    assert tab.score_view.rowCount() == 0 and "could not be read" in tab.score_note.text()
    tab.clear_scores()
    assert not settings.contains("sandpit/scores")
    again.close()


def test_the_history_row_goes_back_through_the_game_and_a_dip_branches(qtbot, sandpit):
    # depth mode: no worker dips, so dip k is the learner's k-th
    sandpit.mode_combo.setCurrentIndex(sp.MODES.index("depth"))
    sandpit.new_game()
    spots = [(4.5, 1.5), (3.0, 3.0), (2.0, 4.5)]
    for x, y in spots:
        click_map(qtbot, sandpit, x, y)
        wait_dug(qtbot, sandpit)
    bar = sandpit.playback
    assert bar.history_row.isVisible() or not sandpit.isVisible()
    assert bar.history_slider.maximum() == 2 and bar.history_slider.value() == 2
    assert bar.history_label.text() == "dip 3 of 3"
    qtbot.keyClick(bar.history_slider, Qt.Key_Left)  # back to dip 2
    assert sandpit.game_history.position == 1
    assert bar.history_label.text() == "dip 2 of 3 (past)"
    assert sandpit.dip_list.count() == 2 and len(sandpit.labels) == 2
    assert sandpit.learner_dots.getData()[0] == pytest.approx([4.5, 3.0], abs=0.05)
    assert "dip 2 of 3" in sandpit.run_label.text()
    assert len(sandpit.game.dips) == 3  # nothing lost by looking back
    # a dip from there is a branch: dip 3 is replaced
    click_map(qtbot, sandpit, 1.0, 1.0)
    wait_dug(qtbot, sandpit)
    assert np.array([(d.x, d.y) for d in sandpit.game.dips]) == pytest.approx(
        np.array([(4.5, 1.5), (3.0, 3.0), (1.0, 1.0)]), abs=0.05)
    assert sandpit.game_history.position is None
    assert bar.history_label.text() == "dip 3 of 3"
    header, rows = sandpit.run_table()  # the game as CSV, up to the dip shown
    assert header[:3] == ["x", "y", "depth"] and len(rows) == 3
    assert rows[2][:2] == pytest.approx([1.0, 1.0], abs=0.05)
