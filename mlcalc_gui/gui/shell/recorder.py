"""Lessons > Record a lesson: a lecturer arranges a tab, presses "Add this as a step",
and writes what the step says, a formula, a question and a task in a form; steps are
reordered, edited, deleted and played from any step; the lesson is saved in the
documented format, atomically (core.lesson_draft), after it has been read back by the
same checks as any lesson file.  Everything typed is shown as plain text."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from mlcalc_gui.core import lessons as lessons_core
from mlcalc_gui.core.lesson_draft import FILE_SUFFIX, Draft, DraftStep, state_delta
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.shell.recorder_form import StepFormMixin
from mlcalc_gui.gui.shell.registry import STATE_CLASSES, TAB_SPECS, lesson_checks, tab_class
from mlcalc_gui.gui.widgets.steady import WrappedLabel

__all__ = ["LessonRecorder"]


class LessonRecorder(StepFormMixin, QDialog):
    """The recorder beside the window (not modal: the tab is arranged while it is open).
    ``window`` is the main window: its tab in front, its lessons."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle("Record a lesson")
        self.draft: Draft | None = None
        self.saved_text: str | None = None  # the text last saved (unsaved work is asked)
        self.path: Path | None = None
        self._loading = False
        self._states: dict[int, dict] = {}  # a step's state while "set the state" is off
        outer = QVBoxLayout(self)
        head = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("The lesson's title, as the menu shows it")
        self.week_spin = QSpinBox()
        self.week_spin.setRange(0, 6)
        self.week_spin.setSpecialValueText("none")
        self.week_spin.setToolTip("The course's week (1 to 6) the lesson belongs to")
        self.about_edit = QLineEdit()
        self.about_edit.setPlaceholderText("What it teaches, in a line (optional)")
        for edit in (self.title_edit, self.about_edit):
            edit.textEdited.connect(self._form_changed)
        self.week_spin.valueChanged.connect(self._form_changed)
        head.addRow("&Title", self.title_edit)
        head.addRow("&Week", self.week_spin)
        head.addRow("&About", self.about_edit)
        self.tab_label = self._plain("Tab: the one in front when the first step is added.")
        head.addRow(self.tab_label)
        outer.addLayout(head)
        middle = QHBoxLayout()
        middle.addLayout(self._steps_column(), 1)
        middle.addWidget(self._step_form(), 2)
        outer.addLayout(middle, 1)
        self.message = self._plain()
        outer.addWidget(self.message)
        bottom = QHBoxLayout()
        open_button = QPushButton("Open a lesson to edit…")
        open_button.setToolTip("Go on with a lesson file: its steps into the recorder")
        open_button.clicked.connect(self.open_dialog)
        self.save_button = QPushButton("&Save…")
        self.save_button.setToolTip("Check the lesson and save it as a lesson file (Ctrl+S)")
        self.save_button.clicked.connect(self.save_dialog)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        bottom.addWidget(open_button)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(close)
        outer.addLayout(bottom)
        self._key(QKeySequence.Save, self.save_dialog)
        self.resize(980, 640)
        self._show_step(None)

    def _key(self, keys: QKeySequence, slot) -> None:
        shortcut = QShortcut(keys, self)
        shortcut.activated.connect(slot)

    @staticmethod
    def _plain(text: str = "") -> QLabel:
        label = WrappedLabel(text)
        label.setTextFormat(Qt.PlainText)  # what a lecturer types is never markup
        return label

    # ---- building ------------------------------------------------------------------------
    def _steps_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        self.add_button = QPushButton("+ Add this as a step")
        self.add_button.setToolTip("A new step after the one chosen, in the tab's state now "
                                   "(what differs from the tab's defaults) (Ctrl+Return)")
        self.add_button.clicked.connect(self.add_step)
        self._key(QKeySequence("Ctrl+Return"), self.add_step)
        column.addWidget(self.add_button)
        self.step_list = QListWidget()
        self.step_list.setToolTip("The steps in order: choose one to edit it")
        self.step_list.setWordWrap(True)
        self.step_list.setMinimumWidth(300)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.step_list.currentRowChanged.connect(self._on_row)
        column.addWidget(self.step_list, 1)
        row = QHBoxLayout()
        self.up_button = QPushButton("▲ Up")
        self.up_button.setToolTip("Move the step earlier (Alt+Up)")
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button = QPushButton("▼ Down")
        self.down_button.setToolTip("Move the step later (Alt+Down)")
        self.down_button.clicked.connect(lambda: self.move_step(1))
        self._key(QKeySequence("Alt+Up"), lambda: self.move_step(-1))
        self._key(QKeySequence("Alt+Down"), lambda: self.move_step(1))
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the step chosen")
        self.delete_button.clicked.connect(self.delete_step)
        for button in (self.up_button, self.down_button, self.delete_button):
            row.addWidget(button)
        column.addLayout(row)
        self.play_button = QPushButton("▶ Play from this step")
        self.play_button.setToolTip("Play the lesson in the window from the step chosen, "
                                    "as a learner sees it (Page Down steps it)")
        self.play_button.clicked.connect(self.play_from_here)
        column.addWidget(self.play_button)
        return column

    # ---- the steps -------------------------------------------------------------------------
    @property
    def row(self) -> int:
        return self.step_list.currentRow()

    def add_step(self) -> DraftStep | None:
        """A new step after the one chosen, holding the tab in front's state now."""
        tab = self.window.current_tab()
        if not tab.built:
            return None
        if self.draft is None:
            self.draft = Draft(tab.title, self.title_edit.text(), self.week_spin.value(),
                               self.about_edit.text())
            self._start_tab(tab.title)
        elif tab.title != self.draft.tab:
            self.say(f"This lesson walks the {self.draft.tab} tab: bring it to the front to "
                     "add a step (a lesson has one tab; record another for this one).",
                     error=True)
            return None
        step = DraftStep(state=state_delta(tab.capture_state()))
        at = self.row + 1 if self.row >= 0 else len(self.draft.steps)
        self.draft.steps.insert(at, step)
        self._states = {}
        self._refresh_list(at)
        self.say(f"Step {at + 1} added with the tab as it is now: write what it says.")
        self.say_edit.setFocus()
        return step

    def _start_tab(self, title: str) -> None:
        self.tab_label.setText(f"Tab: {title} (every step of a lesson is in one tab)")
        checks = lesson_checks()
        cls = tab_class(TAB_SPECS[[s.title for s in TAB_SPECS].index(title)])
        self._loading = True
        try:
            self.show_combo.clear()
            self.show_combo.addItem("(nothing)", "")
            for place in checks["places"].get(title, ()):
                self.show_combo.addItem(place, place)
            self.gate_combo.clear()
            self.gate_combo.addItem("No task", "")
            for name, words in cls.OBSERVABLES.items():
                self.gate_combo.addItem(f"{name}: {words}", name)
        finally:
            self._loading = False

    def retake_state(self) -> None:
        step = self._step()
        if step is None:
            return
        tab = self.window.current_tab()
        if tab.title != self.draft.tab:
            self.say(f"Bring the {self.draft.tab} tab to the front first.", error=True)
            return
        step.state = state_delta(tab.capture_state())
        self._loading = True
        self.state_check.setChecked(True)
        self._loading = False
        self.say(f"Step {self.row + 1} now keeps the tab as it is.")

    def move_step(self, by: int) -> None:
        if self._step() is None:
            return
        self._states = {}
        self._refresh_list(self.draft.move(self.row, self.row + by))

    def delete_step(self) -> None:
        if self._step() is None:
            return
        row = self.row
        self._states = {}
        self.draft.delete(row)
        self._refresh_list(min(row, len(self.draft.steps) - 1))
        self.say(f"Step {row + 1} deleted.")

    def _step(self) -> DraftStep | None:
        if self.draft is None or not 0 <= self.row < len(self.draft.steps):
            return None
        return self.draft.steps[self.row]

    def _refresh_list(self, select: int) -> None:
        self._loading = True
        try:
            self.step_list.clear()
            for i, step in enumerate(self.draft.steps if self.draft else ()):
                self.step_list.addItem(self._summary(i, step))
        finally:
            self._loading = False
        self.step_list.setCurrentRow(select)
        self._show_step(self._step())
        self.say("")

    @staticmethod
    def _summary(i: int, step: DraftStep) -> str:
        marks = "".join(mark for mark, on in (("  ⟳ state", step.state is not None),
                                               ("  ? question", step.question is not None),
                                               ("  ⚑ task", step.until is not None)) if on)
        words = " ".join(step.say.split()) or "(says nothing yet)"
        return f"{i + 1}. {words[:48] + '…' if len(words) > 48 else words}{marks}"

    def _on_row(self, _row: int) -> None:
        if not self._loading:
            self._show_step(self._step())

    # ---- checking, playing, saving ---------------------------------------------------------
    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(theme.ERROR_STYLE if error else "")
        self.message.setText(text)

    def checked_lesson(self) -> lessons_core.Lesson | None:
        """The draft read as a lesson file would be, or None after saying what is wrong
        (which step and key)."""
        if self.draft is None or not self.draft.steps:
            self.say("Add a step first: arrange the tab, then press Add this as a step.",
                     error=True)
            return None
        try:
            return self.draft.lesson(STATE_CLASSES, **lesson_checks())
        except lessons_core.LessonError as exc:
            self.say(f"Not yet a lesson: {exc}. Fix it in the form, then try again.",
                     error=True)
            return None

    def play_from_here(self) -> None:
        lesson = self.checked_lesson()
        if lesson is not None:
            self.window.start_lesson(lesson, max(self.row, 0))
            self.say(f"Playing from step {max(self.row, 0) + 1}: Page Down steps it in the "
                     "window.")

    def save_to(self, path: str | Path) -> bool:
        if self.checked_lesson() is None:
            return False
        try:
            self.draft.save(path, STATE_CLASSES, **lesson_checks())
        except OSError as exc:
            self.say(f"Not saved: {Path(path).name} could not be written "
                     f"({exc.strerror or exc}). Choose another folder.", error=True)
            return False
        except lessons_core.LessonError as exc:
            self.say(f"Not saved: {exc}.", error=True)
            return False
        self.path = Path(path)
        self.saved_text = self.draft.dumps()
        self.say(f"Saved {self.path.name}: Lessons > Open a lesson file (or mlcalc-gui "
                 f"{self.path.name}) opens it.")
        return True

    def save_dialog(self) -> bool:
        if self.checked_lesson() is None:
            return False
        slug = re.sub(r"[^a-z0-9]+", "-", self.draft.title.lower()).strip("-")[:40] or "lesson"
        start = self.path or Path(self.window.stored_folder("lesson_dir")) / f"{slug}{FILE_SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(self, "Save the lesson", str(start),
                                              f"mlcalc-gui lessons (*{FILE_SUFFIX} *.json)")
        if not path:
            return False
        self.window.settings.setValue("lesson_dir", str(Path(path).parent))
        return self.save_to(path)

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a lesson to edit", self.window.stored_folder("lesson_dir"),
            "mlcalc-gui lessons (*.json);;All files (*)")
        if path:
            self.open_lesson(path)

    def open_lesson(self, path: str | Path) -> bool:
        try:
            lesson = lessons_core.load(path, STATE_CLASSES, **lesson_checks())
        except lessons_core.LessonError as exc:
            self.say(f"{Path(path).name} was not opened: {exc}. Nothing was changed.",
                     error=True)
            return False
        self.load_draft(Draft.from_lesson(lesson))
        self.path = Path(path)
        self.saved_text = self.draft.dumps()
        self.say(f"Opened {Path(path).name}: {len(lesson.steps)} steps to edit.")
        return True

    def load_draft(self, draft: Draft) -> None:
        self.draft = draft
        self._start_tab(draft.tab)
        self._loading = True
        try:
            self.title_edit.setText(draft.title)
            self.week_spin.setValue(draft.week)
            self.about_edit.setText(draft.about)
        finally:
            self._loading = False
        self._states = {}
        self._refresh_list(0 if draft.steps else -1)

    @property
    def unsaved(self) -> bool:
        return (self.draft is not None and bool(self.draft.steps)
                and self.draft.dumps() != self.saved_text)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        """Unsaved steps are never lost without a word: save, discard or stay."""
        if self.unsaved:
            box = QMessageBox(QMessageBox.Question, "Record a lesson",
                              "The lesson has steps that are not saved. Save them?",
                              QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel,
                              self)
            box.setTextFormat(Qt.PlainText)
            answer = box.exec()
            if answer == QMessageBox.Cancel or (answer == QMessageBox.Save
                                                 and not self.save_dialog()):
                event.ignore()
                return
            if answer == QMessageBox.Discard:
                self.discard()
        super().closeEvent(event)

    def discard(self) -> None:
        """Start afresh: no steps, no tab yet."""
        self.draft, self.path, self.saved_text = None, None, None
        self._loading = True
        try:
            for edit in (self.title_edit, self.about_edit):
                edit.clear()
            self.week_spin.setValue(0)
        finally:
            self._loading = False
        self.tab_label.setText("Tab: the one in front when the first step is added.")
        self._refresh_list(-1)
        self.say("")


