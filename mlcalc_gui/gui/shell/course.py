"""The main window's part for the course: the course map in front of the tabs (the home
page), and the learner's progress through the built-in lessons, kept in a file beside
the saved session and read back as untrusted data (core.progress)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from PySide6.QtCore import QTimer

from mlcalc_gui.core import progress as progress_core
from mlcalc_gui.gui.shell.course_map import CourseMap
from mlcalc_gui.gui.shell.registry import TAB_SPECS

#: A change of progress is written this long after it (a lesson's steps come quickly).
SAVE_DELAY_MS = 1000


class CourseMixin:
    """Go > Course map (Alt+Home): the six weeks, their lessons and tabs, the learner's
    progress, and "Continue"; shown when the tutor starts unless the learner said not."""

    def _build_course(self, stack) -> None:
        self.course_map = CourseMap({spec.title: spec.tooltip for spec in TAB_SPECS})
        self.course_map.sig_lesson.connect(self._open_from_map)
        self.course_map.sig_tab.connect(self._tab_from_map)
        self.course_map.sig_leave.connect(self.show_tabs)
        self.course_map.sig_at_start.connect(
            lambda on: self.settings.setValue("course_map_at_start", bool(on)))
        stack.addWidget(self.course_map)
        self._stack = stack
        self._progress_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._progress_timer.timeout.connect(self.save_progress)
        self.lessons.sig_changed.connect(self._note_lesson_moved)
        self.lessons.sig_answered.connect(self._note_answer)

    # ---- the map -----------------------------------------------------------------------
    def course_map_at_start(self) -> bool:
        """Whether the map opens when the tutor starts (the learner's choice, on it)."""
        value = self.settings.value("course_map_at_start", True)
        return value not in (False, "false", "0", 0)

    @property
    def course_map_shown(self) -> bool:
        return self._stack.currentWidget() is self.course_map

    def show_course_map(self) -> None:
        """The course map in front, laid out for the progress now."""
        self.course_map.show_course(self.builtin_lessons, self.progress,
                                    self.course_map_at_start())
        self._stack.setCurrentWidget(self.course_map)
        self.presentation.update_indicator()
        if self.course_map.continue_button is not None:
            self.course_map.continue_button.setFocus()
        self.show_status("The course map: Continue, or choose a lesson or a tab "
                         "(Esc: the tabs)")

    def show_tabs(self) -> None:
        if self._stack.currentWidget() is not self.tabs:
            self._stack.setCurrentWidget(self.tabs)
            self.current_tab().setFocus()
            self.presentation.update_indicator()

    def go_to_tab(self, index: int) -> None:
        self.show_tabs()
        self.tabs.setCurrentIndex(index)

    def _tab_from_map(self, title: str) -> None:
        self.go_to_tab([spec.title for spec in TAB_SPECS].index(title))

    def _open_from_map(self, lesson, step: int) -> None:
        self.show_tabs()
        self.start_lesson(lesson, step)

    # ---- progress ------------------------------------------------------------------------
    @property
    def progress_path(self) -> Path:
        return self._session_folder() / progress_core.FILE_NAME

    @cached_property
    def progress(self) -> progress_core.Progress:
        """The learner's progress, read on first use (damaged entries left out with a
        note, which the course map shows)."""
        found = progress_core.load(self.progress_path)
        for note in found.notes:
            self.show_status(f"⚠ Progress: {note}")
        return found

    def _note_lesson_moved(self) -> None:
        panel = self.lessons
        lesson = panel.lesson
        if lesson is None or not lesson.key:  # a lesson from a file keeps no progress
            return
        changed = self.progress.note_step(lesson.key, panel.index)
        if panel.finished:
            changed |= self.progress.note_finished(lesson.key, panel.index)
        if changed:
            self._progress_timer.start()

    def _note_answer(self, index: int, right: bool) -> None:
        lesson = self.lessons.lesson
        if lesson is not None and lesson.key \
                and self.progress.note_answer(lesson.key, index, right):
            self._progress_timer.start()

    def save_progress(self) -> bool:
        """Write the progress now (atomically); a failure is said in the status bar."""
        self._progress_timer.stop()
        if "progress" not in self.__dict__:  # never read: nothing changed
            return True
        try:
            self.progress_path.parent.mkdir(parents=True, exist_ok=True)
            progress_core.save(self.progress_path, self.progress)
        except OSError as exc:
            self.show_status(f"⚠ Your progress could not be saved ({exc.strerror or exc})")
            return False
        return True
