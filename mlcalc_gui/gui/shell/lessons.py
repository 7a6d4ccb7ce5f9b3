"""The main window's part for lessons: the built-in ones in the menu, a lesson file
opened, and each step applied to its tab."""

from __future__ import annotations

import sys
from functools import cached_property
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from mlcalc_gui.core import lessons as lessons_core
from mlcalc_gui.gui.shell.registry import STATE_CLASSES, TAB_SPECS, lesson_checks, load_lesson


class LessonsMixin:
    """The Lessons menu and the lesson bar: a lesson's step puts its tab in front, in
    the step's state, and hides the readouts its question would give away."""

    @cached_property
    def builtin_lessons(self) -> list[lessons_core.Lesson]:
        """The lessons that ship with the tutor, in course order (read on first use)."""
        try:
            return lessons_core.builtin_lessons(STATE_CLASSES, **lesson_checks())
        except (OSError, lessons_core.LessonError) as exc:  # a broken installation
            sys.stderr.write(f"mlcalc-gui: the built-in lessons could not be read: {exc}\n")
            return []

    def _list_lessons(self) -> None:
        """The built-in lessons at the top of the Lessons menu (once)."""
        if self._lessons_listed:
            return
        self._lessons_listed = True
        menu = self._lesson_menu
        for lesson in self.builtin_lessons:
            action = QAction(f"Week {lesson.week}, {lesson.tab}: {lesson.title}", self)
            tip = (f"A walkthrough of the {lesson.tab} tab in {len(lesson.steps)} steps; "
                   "Page Down steps it")
            action.setStatusTip(tip)
            action.setToolTip(tip)
            action.triggered.connect(lambda _=False, lesson=lesson: self.start_lesson(lesson))
            menu.insertAction(self._lesson_separator, action)

    def start_lesson(self, lesson: lessons_core.Lesson, index: int = 0) -> None:
        """Play ``lesson`` from its step ``index``, the tabs in front."""
        self._lesson_applied = None
        self.show_tabs()
        self.lessons.start(lesson, index)
        self.show_status(f"Lesson: {lesson.title} — Page Down steps it")

    def _apply_lesson_step(self, lesson: lessons_core.Lesson, index: int) -> None:
        """The step's tab in front, in the state of the step (the latest state given at
        or before it); a step that gives none leaves the learner's play as it is."""
        titles = [spec.title for spec in TAB_SPECS]
        self.tabs.setCurrentIndex(titles.index(lesson.tab))
        tab = self.tab_by_title(lesson.tab)
        given = [i for i in range(index + 1) if lesson.steps[i].state is not None]
        if given:
            key = (id(lesson), given[-1])
            if key != self._lesson_applied:
                self._lesson_applied = key
                tab.apply_state(lesson.steps[given[-1]].state)
        if lesson.steps[index].show:  # the subject of the step in view
            tab.show_place(lesson.steps[index].show)

    def _on_lesson_question(self, waiting: bool) -> None:
        """While a question waits, the readouts that would answer it are hidden."""
        lesson = self.lessons.lesson
        if lesson is None:
            return
        tab = self.tab_by_title(lesson.tab)
        if waiting:
            tab.hide_readouts(lesson.steps[self.lessons.index].hide)
        else:
            tab.show_readouts()

    def open_lesson(self, path: str | Path) -> bool:
        """Open a lesson file; a bad one gets a message and changes nothing."""
        lesson = self._read_or_say("Lesson", load_lesson, lessons_core.LessonError, path)
        if lesson is None:
            return False
        self.start_lesson(lesson)
        return True

    def record_lesson(self):
        """Lessons > Record a lesson: the recorder beside the window (one, kept with its
        steps while the window is open)."""
        from mlcalc_gui.gui.shell.recorder import LessonRecorder

        recorder = getattr(self, "_recorder", None)
        if recorder is None:
            recorder = self._recorder = LessonRecorder(self)
        recorder.show()
        recorder.raise_()
        recorder.activateWindow()
        return recorder

    def open_lesson_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a lesson", self.stored_folder("lesson_dir"),
            "mlcalc-gui lessons (*.json);;All files (*)")
        if path:
            self.settings.setValue("lesson_dir", str(Path(path).parent))
            self.open_lesson(path)
