"""Keys and the wheel as a student uses them (#31, items 8, 10, 11, 14 and 19): the wheel
scrolls a side panel, Space and Return act on the focused control, a tab's keys answer
from the moment it is shown, a hidden quiz takes no answer, Page Down steps what is
shown, and Esc leaves a lesson."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QPushButton

from mlcalc_gui.core.lessons import Lesson, Step
from mlcalc_gui.gui.shell.registry import TAB_SPECS

TITLES = [spec.title for spec in TAB_SPECS]


def _activate(qtbot, window):
    """The window active (shortcuts answer only in the active window)."""
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _wheel(widget, steps=-1):
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.NoButton, Qt.NoModifier,
                        Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def _show(qtbot, window, title):
    window.tabs.setCurrentIndex(TITLES.index(title))
    tab = window.tab_by_title(title)
    qtbot.waitUntil(lambda: tab.built and tab._pending_state is None, timeout=15000)
    return tab


@pytest.mark.parametrize("title", TITLES)
def test_the_wheel_over_a_side_panel_scrolls_it(qtbot, window, title):
    """At 1366×768 every panel hides 240–875 px; the wheel scrolled none of them, since
    the guard took the panel's own scroll bar for a guarded slider."""
    tab = _show(qtbot, window, title)
    column = tab.side_column
    bar = column.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    # (A wheel over a label reaches the panel's viewport by propagation, which Qt does
    # only for spontaneous events: the test hands it to the viewport, as Qt would.)
    before = bar.value()
    for _ in range(3):
        _wheel(column.viewport())
    assert bar.value() > before


def test_space_and_return_press_the_focused_button_and_tick_the_focused_box(qtbot, window,
                                                                           gradients):
    """Space on a focused button played the run; Return did nothing."""
    _activate(qtbot, window)
    jump = next(b for b in gradients.findChildren(QPushButton) if b.text().startswith("Jump"))
    gradients.set_point(0.1, 0.2)  # Himmelblau: Newton jumps from here
    before = gradients.start
    jump.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(jump.hasFocus)
    qtbot.keyClick(jump, Qt.Key_Space)
    qtbot.waitUntil(lambda: gradients.start != before)
    assert not gradients.run.active  # Space did not start the descent
    box = gradients.show_field
    box.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(box.hasFocus)
    was = box.isChecked()
    qtbot.keyClick(box, Qt.Key_Return)
    qtbot.waitUntil(lambda: box.isChecked() != was)
    qtbot.keyClick(box, Qt.Key_Space)
    qtbot.waitUntil(lambda: box.isChecked() == was)
    assert not gradients.run.active
    play = gradients.playback.play_button
    play.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(play.hasFocus)
    qtbot.keyClick(play, Qt.Key_Return)  # Return presses Play itself
    qtbot.waitUntil(lambda: gradients.run.active or len(gradients.path) > 1)
    gradients.run.reset()


def test_space_plays_where_no_control_takes_it(qtbot, window, gradients):
    _activate(qtbot, window)
    window.tabs.tabBar().setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(window.tabs.tabBar().hasFocus)
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key_Space)
    qtbot.waitUntil(lambda: len(gradients.path) > 1, timeout=5000)
    gradients.run.reset()


@pytest.mark.parametrize("title, key, changed", [
    ("Taylor", "T", lambda tab: tab.view_tabs.currentIndex() == 1),
    ("Optimisation", "V", lambda tab: tab.view == "descent"),
    ("Sandpit", "V", lambda tab: tab._revealed),
])
def test_a_tabs_keys_answer_as_soon_as_it_is_shown(qtbot, window, title, key, changed):
    """After Ctrl+5 (or a click on the tab), V, T, N and Space did nothing until Tab moved
    the focus into the page."""
    _activate(qtbot, window)
    bar = window.tabs.tabBar()
    bar.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(bar.hasFocus)
    tab = _show(qtbot, window, title)
    qtbot.waitUntil(lambda: not tab.working, timeout=15000)
    assert not tab.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), getattr(Qt, f"Key_{key}"))
    qtbot.waitUntil(lambda: changed(tab), timeout=5000)


def test_the_hidden_quiz_takes_no_answer(qtbot, window, derivatives):
    _activate(qtbot, window)
    window.tabs.tabBar().setFocus(Qt.TabFocusReason)
    derivatives.tabs.setCurrentWidget(derivatives.rules)
    asked = derivatives.quiz.asked
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key_2)
    assert derivatives.quiz.asked == asked
    assert derivatives.tabs.currentWidget() is derivatives.rules
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key_Q)  # Q shows it, with a question
    assert derivatives.tabs.currentWidget() is derivatives.quiz
    qtbot.waitUntil(lambda: derivatives.quiz._question is not None)
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key_2)
    assert derivatives.quiz.asked == asked + 1


def test_page_down_steps_what_is_shown_and_says_when_the_walk_is_done(qtbot, window,
                                                                     taylor, derivatives):
    window.tabs.setCurrentIndex(TITLES.index("Taylor"))
    taylor.view_tabs.setCurrentIndex(1)
    taylor.model.set_order2d(1)
    order = taylor.series.order
    window.step_next()
    assert taylor.model._order2d() == 2 and taylor.series.order == order  # not the hidden 1D order
    assert "the end" in window.step_indicator_text()
    window.step_previous()
    assert taylor.model._order2d() == 1
    window.tabs.setCurrentIndex(TITLES.index("Derivatives"))
    derivatives.rules.walk_to(derivatives.rules.step_count - 1)
    assert "Page Down: next" in window.step_indicator_text()
    window.step_next()
    assert "the end: Page Up goes back" in window.step_indicator_text()
    assert "Page Down: next" not in window.step_indicator_text()


def test_space_plays_after_a_lesson_is_done_and_esc_leaves_a_lesson(qtbot, window,
                                                                   gradients):
    _activate(qtbot, window)
    lesson = Lesson("Two steps", "Gradients", 2, (Step("One."), Step("Two.")))
    window.start_lesson(lesson)
    window.step_next()
    window.step_next()
    assert window.lessons.finished
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key_Space)
    qtbot.waitUntil(lambda: len(gradients.path) > 1, timeout=5000)
    gradients.run.reset()
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key_Escape)
    assert not window.lessons.active and not window.lessons.isVisible()


def test_a_check_box_wheel_and_a_focused_slider_keep_their_own_rules(qtbot, window, taylor):
    """The wheel changes a slider only when it has the focus (the guard still holds)."""
    slider = taylor.series.order_slider
    window.tabs.tabBar().setFocus(Qt.TabFocusReason)
    order = slider.value()
    _wheel(slider, 1)
    assert slider.value() == order
    assert isinstance(taylor.findChildren(QCheckBox), list)


def test_f1_is_a_scrolling_searchable_window_with_this_tab_first(qtbot, window, taylor):
    """F1's box was 3,022 px tall, did not scroll, and its OK button was off screen."""
    window.tabs.setCurrentIndex(TITLES.index("Taylor"))
    keys = window.show_shortcuts()
    qtbot.waitExposed(keys)
    free = keys.screen().availableGeometry()
    assert keys.frameGeometry().height() <= free.height()
    assert keys.tree.verticalScrollBar().maximum() > 0  # it scrolls
    groups = [keys.tree.topLevelItem(i).text(0) for i in range(keys.tree.topLevelItemCount())]
    assert groups[0] == "Taylor (this tab)" and groups[1] == "Everywhere"
    assert groups[2:] == [t for t in TITLES if t != "Taylor"]
    keys.search.setText("maclaurin")
    rows = keys.rows()
    assert rows == [("Taylor (this tab)", "M", "a = 0: the Maclaurin series")]
    keys.search.setText("zzzz")
    assert keys.rows() == [] and keys.empty.isVisible()
    keys.search.setText("")
    assert len(keys.rows()) > 60
    keys.close()
