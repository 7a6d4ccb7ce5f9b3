"""The course map: the home page, the learner's progress on it, and Continue."""

import json

from mlcalc_gui.core import progress as pg


def _finish(window, lesson, right: bool = True) -> None:
    """Play ``lesson`` to its end as a learner would: every question answered (right or
    wrong), every task skipped with the lecturer's second Page Down."""
    window.start_lesson(lesson)
    panel = window.lessons
    for _ in range(4 * len(lesson.steps)):
        if panel.finished:
            break
        question = lesson.steps[panel.index].question
        if question is not None and not panel.revealed:
            wrong = (question.answer + 1) % len(question.choices) if question.choices \
                else question.number + 10 * question.tolerance + 1
            panel.answer(question.answer if question.choices and right else
                         question.number if right else wrong)
        window.step_next()
    assert panel.finished, lesson.title


def test_the_map_shows_every_week_and_lesson_and_opens_them(qtbot, window):
    window.show_course_map()
    course = window.course_map
    assert window.course_map_shown and course.isVisible()
    lessons = window.builtin_lessons
    assert len(course.week_boxes) == 6
    assert [box.heading.text().split(":")[0] for box in course.week_boxes] == \
        [f"Week {w}" for w in range(1, 7)]
    assert len(course.lesson_buttons) == len(lessons)
    for button, lesson in zip(course.lesson_buttons, lessons, strict=True):
        assert button.text() == f"○ {lesson.title}"  # in course order, none started
    assert course.summary.text().startswith(f"0 of {len(lessons)} lessons finished")
    assert course.continue_where.text().startswith(
        f"Next: week 1, {lessons[0].title} ({lessons[0].tab} tab), step 1 of")
    course.lesson_buttons[3].click()
    assert not window.course_map_shown and window.lessons.lesson is lessons[3]
    assert window.current_tab().title == lessons[3].tab
    window.lessons.leave()
    window.show_course_map()
    window.escape()  # Esc: back to the tabs
    assert not window.course_map_shown
    # a clicker on the map: Page Down is Continue, Page Up does nothing
    window.show_course_map()
    assert window.step_indicator_text() == "Course map · Page Down: Continue · Esc: the tabs"
    window.step_previous()
    assert window.course_map_shown
    window.step_next()
    assert not window.course_map_shown and window.lessons.lesson is lessons[0]
    window.lessons.leave()


def test_progress_is_kept_and_continue_goes_on_where_the_learner_stopped(qtbot, settings):
    from mlcalc_gui.gui.shell.window import MainWindow

    window = MainWindow(settings, offer_last_session=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    first, second = window.builtin_lessons[:2]
    _finish(window, first)
    asked = sum(step.question is not None for step in first.steps)
    window.start_lesson(second)
    window.step_next()
    while window.lessons.index < 2:
        window.step_next()
    window.lessons.leave()
    window.close()  # the progress is written as the window closes
    saved = json.loads(window.progress_path.read_text())
    assert saved["lessons"][first.key]["finished"] is True
    assert saved["lessons"][second.key]["reached"] == 2

    again = MainWindow(settings, offer_last_session=False)
    qtbot.addWidget(again)
    again.resize(1366, 768)
    again.show()
    again.show_course_map()
    course = again.course_map
    total = len(again.builtin_lessons)
    assert course.summary.text().startswith(f"1 of {total} lessons finished · {asked} of")
    assert course.lesson_buttons[0].text() == f"✔ {first.title}"
    assert course.lesson_buttons[1].text() == f"◐ {second.title}"
    assert course.continue_where.text() == (f"Next: week {second.week}, {second.title} "
                                            f"({second.tab} tab), step 3 of "
                                            f"{len(second.steps)}.")
    qtbot.keyClick(course.continue_button, " ")  # Space on the focused button presses it
    assert not again.course_map_shown
    assert again.lessons.lesson.key == second.key and again.lessons.index == 2
    again.lessons.leave()
    again.close()


def test_a_question_counts_right_only_the_first_time(qtbot, window):
    lesson = next(le for le in window.builtin_lessons
                  if sum(s.question is not None for s in le.steps) >= 2)
    _finish(window, lesson, right=False)
    _finish(window, lesson, right=True)  # right the second time round: not first time
    assert window.progress.of(lesson.key).right_first == 0
    assert window.progress.of(lesson.key).finished
    window.lessons.leave()


def test_damaged_progress_is_left_out_with_a_note_on_the_map(qtbot, settings, tmp_path):
    from mlcalc_gui.gui.shell.window import MainWindow

    (tmp_path / pg.FILE_NAME).write_text(json.dumps({
        "format": pg.FORMAT, "version": 1,
        "lessons": {"1-derivatives": {"finished": True}, "2-gradients": {"reached": "x"}}}))
    window = MainWindow(settings, offer_last_session=False)
    qtbot.addWidget(window)
    window.show()
    window.show_course_map()
    course = window.course_map
    assert course.note.isVisible() and "'2-gradients'" in course.note.text()
    assert course.lesson_buttons[0].text().startswith("✔")  # the good entry is kept
    window.close()


def test_the_map_is_plain_text_and_fits_one_column_when_the_text_is_large(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QWidget

    window.show_course_map()
    course = window.course_map
    labels = course.widget().findChildren(QLabel)
    assert labels and all(label.textFormat() == Qt.PlainText for label in labels)
    assert course._columns == 2  # 1366 px: two weeks side by side
    window.set_text_size(24)
    qtbot.waitUntil(lambda: course._columns == 1)
    page = course.widget()
    widest = max(page.findChildren(QWidget), key=lambda w: w.minimumSizeHint().width())
    assert page.width() <= course.viewport().width(), (widest.text(), widest.minimumSizeHint())
    window.set_text_size(window._base_font_pt)
    qtbot.waitUntil(lambda: course._columns == 2)


def test_the_choice_to_show_the_map_at_start_is_kept(qtbot, window):
    assert window.course_map_at_start()
    window.show_course_map()
    window.course_map.at_start_box.setChecked(False)
    assert not window.course_map_at_start()
    window.course_map.at_start_box.setChecked(True)
    assert window.course_map_at_start()


def test_the_tutor_starts_on_the_map_unless_a_file_is_named_or_the_learner_said_not(
        qtbot, window, tmp_path):
    from mlcalc_gui.app import first_sight

    first_sight(window, None)
    assert window.course_map_shown
    assert window.focusWidget() is window.course_map.continue_button  # Enter continues
    window.show_tabs()
    window.settings.setValue("course_map_at_start", False)
    first_sight(window, None)
    assert not window.course_map_shown
    window.settings.setValue("course_map_at_start", True)
    lesson = tmp_path / "mine.json"
    lesson.write_text(json.dumps({"format": "mlcalc-gui lesson", "version": 1, "title": "M",
                                  "tab": "Taylor", "steps": [{"say": "Hello."}]}))
    first_sight(window, str(lesson))
    qtbot.waitUntil(lambda: window.lessons.active)
    assert not window.course_map_shown and window.lessons.lesson.title == "M"
    window.lessons.leave()
