"""Lessons > Record a lesson: a lecturer's four-step lesson, recorded, saved, opened from
the command line's way in, and replayed in the states it was recorded in."""

import json

from PySide6.QtCore import Qt

from mlcalc_gui.core.states import TaylorState


def _taylor(qtbot, window, state: TaylorState):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(titles.index("Taylor"))
    tab = window.current_tab()
    qtbot.waitUntil(lambda: tab.built)
    tab.apply_state(state)
    qtbot.waitUntil(lambda: tab._pending_state is None and tab.series.order == state.order)
    return tab


def test_a_recorded_lesson_saves_opens_and_replays_its_states(qtbot, window, tmp_path):
    recorder = window.record_lesson()
    assert recorder.isVisible() and not recorder.form_box.isEnabled()
    tab = _taylor(qtbot, window, TaylorState(function="sin(x)", order=1))
    recorded = []

    def add(say: str) -> None:
        assert recorder.add_step() is not None
        recorded.append(tab.capture_state())
        qtbot.keyClicks(recorder.say_edit, say)

    qtbot.keyClicks(recorder.title_edit, "sin, order by order")
    recorder.week_spin.setValue(4)
    add("Order 1 of sin about 0 is the line y = x.")
    qtbot.keyClicks(recorder.formula_edit, "\\sin x \\approx x")
    assert recorder.preview.formula() == "\\sin x \\approx x"
    tab.order_up()
    tab.order_up()
    qtbot.waitUntil(lambda: tab.series.order == 3)
    add("Order 3 adds -x³/6.")
    recorder.kind_combo.setCurrentIndex(2)  # a number
    qtbot.keyClicks(recorder.ask_edit, "What does T3 give at x = 1?")
    qtbot.keyClicks(recorder.number_edit, "0.8333")
    qtbot.keyClicks(recorder.tolerance_edit, "0.001")
    qtbot.keyClicks(recorder.explain_edit, "1 - 1/6.")
    add("Your turn: raise the order.")
    recorder.gate_combo.setCurrentIndex(recorder.gate_combo.findData("order"))
    recorder.op_combo.setCurrentIndex(recorder.op_combo.findText(">="))
    qtbot.keyClicks(recorder.value_edit, "7")
    qtbot.keyClicks(recorder.goal_edit, "raise the order to 7")
    tab.apply_state(TaylorState(function="cos(x)", order=4))
    qtbot.waitUntil(lambda: tab._pending_state is None and tab.series.order == 4)
    add("cos is even.")
    recorder.kind_combo.setCurrentIndex(1)  # choices
    qtbot.keyClicks(recorder.ask_edit, "Which powers does cos have?")
    recorder.choices_edit.setPlainText("even ones\nodd ones")
    qtbot.keyClicks(recorder.explain_edit, "cos(-x) = cos(x).")
    # reordered, and back; a step deleted and made again
    recorder.move_step(-1)
    assert recorder.draft.steps[2].say == "cos is even." and recorder.row == 2
    recorder.move_step(1)
    recorder.step_list.setCurrentRow(1)
    assert recorder.say_edit.toPlainText() == "Order 3 adds -x³/6."  # edited in place
    assert recorder.number_edit.text() == "0.8333"
    assert [s.say for s in recorder.draft.steps][-1] == "cos is even."
    assert recorder.unsaved
    path = tmp_path / "sin.mlcalc-lesson.json"
    assert recorder.save_to(path) and not recorder.unsaved
    data = json.loads(path.read_text())
    assert data["tab"] == "Taylor" and data["week"] == 4 and len(data["steps"]) == 4
    assert data["steps"][0]["state"] == {"function": "sin(x)", "order": 1}
    assert data["steps"][2]["until"] == {"observe": "order", "is": ">=", "value": 7.0,
                                         "goal": "raise the order to 7"}
    recorder.close()
    # opened as a file named from outside, and replayed step by step
    tab.apply_state(TaylorState(function="e^x", order=6))
    qtbot.waitUntil(lambda: tab._pending_state is None and tab.series.order == 6)
    assert window.open_file(path)
    lesson = window.lessons.lesson
    assert lesson.title == "sin, order by order" and len(lesson.steps) == 4
    for i, state in enumerate(recorded):
        assert lesson.steps[i].state == state
        window.lessons.show_step(i)
        qtbot.waitUntil(lambda: tab._pending_state is None)
        now = tab.capture_state()
        assert (now.function, now.order, now.a) == (state.function, state.order, state.a)
    assert lesson.steps[1].question.check(1 - 1 / 6)
    window.lessons.show_step(2)  # the task waits: order 3, not yet 7
    qtbot.waitUntil(lambda: tab._pending_state is None)
    assert lesson.steps[2].until.op == ">=" and not window.lessons.gate_met
    window.lessons.leave()


def test_a_step_is_refused_from_another_tab_and_a_wrong_one_is_named(qtbot, window,
                                                                     tmp_path):
    recorder = window.record_lesson()
    tab = _taylor(qtbot, window, TaylorState())
    recorder.add_step()
    window.tabs.setCurrentIndex(0)  # Derivatives
    qtbot.waitUntil(lambda: window.current_tab().built)
    assert recorder.add_step() is None
    assert "walks the Taylor tab" in recorder.message.text()
    path = tmp_path / "x.json"
    assert not recorder.save_to(path) and not path.exists()  # no title yet
    assert "'title' is empty" in recorder.message.text()
    assert recorder.message.textFormat() == Qt.PlainText
    qtbot.keyClicks(recorder.title_edit, "T")
    assert not recorder.save_to(path) and not path.exists()  # the step says nothing
    assert "step 1: 'say' is empty" in recorder.message.text()
    recorder.step_list.setCurrentRow(0)
    qtbot.keyClicks(recorder.say_edit, "<img src=x> is text")
    assert recorder.step_list.item(0).text().startswith("1. <img src=x> is text")
    assert recorder.save_to(path) and tab.title == "Taylor"


def test_unsaved_steps_are_asked_about_on_close(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    recorder = window.record_lesson()
    _taylor(qtbot, window, TaylorState())
    recorder.add_step()
    asked = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda box: asked.append(box.text()) or QMessageBox.Cancel)
    recorder.close()
    assert asked and recorder.isVisible() and recorder.draft.steps  # nothing lost
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.Discard)
    recorder.close()
    assert not recorder.isVisible() and recorder.draft is None


def test_the_window_does_not_close_over_a_lesson_being_recorded(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    recorder = window.record_lesson()
    qtbot.keyClicks(recorder.title_edit, "Typed before the first step")
    _taylor(qtbot, window, TaylorState())
    recorder.add_step()
    assert recorder.draft.title == "Typed before the first step"
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.Cancel)
    window.close()
    assert window.isVisible() and recorder.isVisible() and recorder.draft.steps
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.Discard)
