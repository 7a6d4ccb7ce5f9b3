"""The course map: the home page a new learner sees first (Go > Course map, Alt+Home).

The six weeks, each with its lessons (what each teaches in a line, and how far the
learner got) and the tabs it uses; "Continue" goes to the first unfinished lesson at the
furthest step it reached.  Everything shown is plain text (a lesson's words come from a
file); the state of each lesson is said in words and a symbol, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core.lessons import Lesson
from mlcalc_gui.core.progress import WEEK_TITLES, Progress
from mlcalc_gui.gui import scale, theme

__all__ = ["CourseMap", "lesson_status"]

def _plain(text: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.PlainText)  # a lesson's title and words come from a file
    label.setWordWrap(wrap)
    return label


def lesson_status(lesson: Lesson, progress: Progress) -> tuple[str, str]:
    """The symbol and the words saying how far the learner got in ``lesson``."""
    now = progress.of(lesson.key)
    asked = sum(step.question is not None for step in lesson.steps)
    if now.finished:
        right = f" · {now.right_first} of {asked} right first time" if asked else ""
        return "✔", f"finished{right}"
    if lesson.key in progress.lessons:
        return "◐", f"reached step {now.reached + 1} of {len(lesson.steps)}"
    questions = f", {asked} question{'s' * (asked != 1)}" if asked else ""
    return "○", f"{len(lesson.steps)} steps{questions} · not started"


class CourseMap(QScrollArea):
    """``sig_lesson(lesson, step)``: open a lesson at a step; ``sig_tab(title)``: show a
    tab; ``sig_leave``: back to the tabs as they were; ``sig_at_start(bool)``: the
    learner's choice whether the map opens when the tutor starts."""

    sig_lesson = Signal(object, int)
    sig_tab = Signal(str)
    sig_leave = Signal()
    sig_at_start = Signal(bool)

    def __init__(self, tab_tips: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self._tips = tab_tips
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.continue_button: QPushButton | None = None
        self.lesson_buttons: list[QPushButton] = []
        self.at_start = True

    def show_course(self, lessons: Sequence[Lesson], progress: Progress,
                    at_start: bool = True) -> None:
        """Lay the map out afresh for ``lessons`` (course order) and ``progress``."""
        self.at_start = at_start
        page = QWidget()
        page.setObjectName("courseMap")
        page.setStyleSheet(theme.COURSE_MAP_STYLE)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(10)
        heading = _plain("The course, week by week")
        scale.set_relative_font(heading, 1.6, bold=True)
        outer.addWidget(heading)
        outer.addWidget(_plain(
            "Mathematics for Machine Learning: Multivariate Calculus, in six weeks. Each "
            "lesson walks one tab step by step: it asks you to predict before it shows, "
            "and some steps give you a task to do in the tab. Page Down (or Next) goes on. "
            "Your progress stays on this computer."))
        finished = sum(progress.of(lesson.key).finished for lesson in lessons)
        asked = sum(step.question is not None for lesson in lessons for step in lesson.steps)
        right = sum(progress.of(lesson.key).right_first for lesson in lessons)
        self.summary = _plain(f"{finished} of {len(lessons)} lessons finished · {right} of "
                              f"{asked} questions answered right the first time.")
        scale.set_relative_font(self.summary, 1.05, bold=True)
        outer.addWidget(self.summary)
        self.note = _plain("\n".join(f"⚠ {note}" for note in progress.notes))
        self.note.setStyleSheet(theme.WARNING_STYLE)
        self.note.setVisible(bool(progress.notes))
        outer.addWidget(self.note)
        self._top_row(lessons, progress, outer)
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(4)
        self.lesson_buttons = []
        self.week_boxes = [self._week_box(week, [le for le in lessons if le.week == week],
                                          progress) for week in sorted(WEEK_TITLES)]
        self._columns = 0
        outer.addLayout(self._grid)
        check = QCheckBox("Show the course map when the tutor starts")
        check.setChecked(self.at_start)
        check.setToolTip("Go > Course map (Alt+Home) opens it at any time")
        check.toggled.connect(self.sig_at_start)
        self.at_start_box = check
        outer.addWidget(check)
        outer.addStretch(1)
        self.setWidget(page)  # the old page is deleted with its buttons
        scale.apply(page)
        self._place_weeks()
        if self.continue_button is not None and self.continue_button.isEnabled():
            self.continue_button.setFocus(Qt.OtherFocusReason)

    def _top_row(self, lessons: Sequence[Lesson], progress: Progress, outer) -> None:
        """Continue and the tabs, and where Continue goes (words that wrap: a lesson's
        title in a button would make the page wider than a projector at large text)."""
        row = QHBoxLayout()
        resume = progress.resume((lesson.key, len(lesson.steps)) for lesson in lessons)
        button = QPushButton("▶ Continue")
        if resume is None:
            button.setEnabled(False)
            where = "✔ Every lesson is finished: open any one to go over it again."
        else:
            key, step = resume
            lesson = next(le for le in lessons if le.key == key)
            where = (f"Next: week {lesson.week}, {lesson.title} ({lesson.tab} tab), step "
                     f"{step + 1} of {len(lesson.steps)}.")
            button.setToolTip("Go on where you stopped: the first lesson not finished, at "
                              "the furthest step you reached (Enter)")
            button.clicked.connect(lambda _=False: self.sig_lesson.emit(lesson, step))
            button.setDefault(True)
            button.setAutoDefault(True)
        scale.set_relative_font(button, 1.1, bold=True)
        self.continue_button = button
        row.addWidget(button)
        tabs = QPushButton("Go to the tabs")
        tabs.setToolTip("Leave the course map for the tabs, as they were (Esc)")
        tabs.clicked.connect(self.sig_leave)
        row.addWidget(tabs)
        row.addStretch(1)
        outer.addLayout(row)
        self.continue_where = _plain(where)
        outer.addWidget(self.continue_where)

    def _place_weeks(self) -> None:
        """The weeks in two columns where both fit side by side, else in one (large
        text, a narrow window)."""
        if not getattr(self, "week_boxes", None):
            return
        need = max(box.minimumSizeHint().width() for box in self.week_boxes)
        room = self.viewport().width() - 48 - self._grid.horizontalSpacing()
        columns = 2 if room >= 2 * need else 1
        if columns == self._columns:
            return
        self._columns = columns
        for i, box in enumerate(self.week_boxes):
            self._grid.removeWidget(box)
            self._grid.addWidget(box, i // columns, i % columns)
        for column in range(2):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._place_weeks()

    def changeEvent(self, event) -> None:  # noqa: N802 (a new text size: new widths)
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._columns = 0
            self._place_weeks()

    def _week_box(self, week: int, lessons: Sequence[Lesson], progress: Progress) -> QFrame:
        box = QFrame()
        box.setObjectName("week")
        box.setAccessibleName(f"Week {week}")
        column = QVBoxLayout(box)
        column.setSpacing(2)
        heading = _plain(f"Week {week}: {WEEK_TITLES[week]}")  # wraps when the text is large
        scale.set_relative_font(heading, 1.1, bold=True)
        column.addWidget(heading)
        box.heading = heading
        for lesson in lessons:
            symbol, words = lesson_status(lesson, progress)
            row = QHBoxLayout()
            button = QPushButton(f"{symbol} {lesson.title}")
            button.setStyleSheet("QPushButton { text-align: left; padding: 3px 8px; }")
            scale.set_relative_font(button, 1.0)
            now = progress.of(lesson.key)
            start = 0 if now.finished else now.reached
            button.setToolTip(f"Open this lesson ({lesson.tab} tab) at step {start + 1}: "
                              f"{words}")
            button.clicked.connect(lambda _=False, le=lesson, s=start: self.sig_lesson.emit(le, s))
            self.lesson_buttons.append(button)
            row.addWidget(button)
            status = _plain(words)
            scale.set_relative_font(status, 0.9)
            status.setStyleSheet(f"color:{theme.GOOD_HEX};" if now.finished
                                 else f"color:{theme.NOTE_HEX};")
            row.addWidget(status, 1)
            column.addLayout(row)
            if lesson.about:
                about = _plain(lesson.about)
                scale.set_relative_font(about, 0.92)
                about.setStyleSheet(theme.LESSON_ABOUT_STYLE)
                column.addWidget(about)
        tabs = list(dict.fromkeys(lesson.tab for lesson in lessons))
        if tabs:
            row = QHBoxLayout()
            label = _plain("Tabs:", wrap=False)
            scale.set_relative_font(label, 0.92)
            row.addWidget(label)
            for title in tabs:
                button = QPushButton(title)
                button.setToolTip(f"Show the {title} tab: {self._tips.get(title, '')}")
                scale.set_relative_font(button, 0.92)
                button.clicked.connect(lambda _=False, t=title: self.sig_tab.emit(t))
                row.addWidget(button)
            row.addStretch(1)
            column.addLayout(row)
        column.addStretch(1)
        return box
