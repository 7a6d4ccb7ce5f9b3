"""The lesson bar under the tabs: a lesson's narration, formula and question, stepped by
Page Down (a presenter's clicker), the Next button or Right in presentation mode.

Page Down on an unanswered question reveals its answer (so a clicker alone can drive a
lesson); answered or revealed, it goes on to the next step.  Leaving the lesson keeps
the tab as it is, to play on.  Everything a lesson file says is shown as plain text;
formulas are typeset images.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core.lessons import Lesson, Question
from mlcalc_gui.gui import scale, theme
from mlcalc_gui.gui.theme import ERROR_HEX, GOOD_HEX
from mlcalc_gui.gui.widgets.typeset import TypesetLabel

__all__ = ["LessonPanel", "FORMULA_SCALE"]

#: A lesson's formula, times the narration's text size.
FORMULA_SCALE = 1.7


def _plain(text: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.PlainText)  # lesson files are untrusted text
    label.setWordWrap(wrap)
    return label


class LessonPanel(QFrame):
    """Plays one :class:`Lesson`.  ``apply_step(lesson, index)`` is the window's: it
    brings the step's tab forward in the step's state.  ``sig_changed`` after every
    move (the step indicator follows it)."""

    sig_changed = Signal()
    #: A question waits for the learner (True: its step is shown) or not any more (it is
    #: answered or revealed, or the lesson moved on or ended): the window hides and
    #: shows the readouts that would give it away.
    sig_question = Signal(bool)
    #: A question of the step (its index) was answered (True: right) or revealed
    #: without an answer (False): the learner's progress keeps the first of these.
    sig_answered = Signal(int, bool)

    #: How often a task's observable is looked at while the task waits.
    GATE_MS = 250

    def __init__(self, apply_step, parent: QWidget | None = None, observe=None,
                 describe=None):
        super().__init__(parent)
        self._apply_step = apply_step
        self._observe = observe or (lambda: {})  # the lesson's tab's observables now
        self._describe = describe or (lambda name: "")  # what an observable is, in words
        self.gate_met = True  # the step's task (its "until") is done, or it has none
        self._gate_warned = False  # Page Down said what is still to do: again skips it
        self.skipped = 0  # tasks skipped (a lecturer's Page Down)
        self.lesson: Lesson | None = None
        self.index = 0
        self.revealed = False
        self.finished = False
        self.right = 0
        self.asked = 0  # questions the learner answered
        self.shown = 0  # questions revealed without an answer (the clicker)
        self.setObjectName("lesson")
        self.setStyleSheet(theme.LESSON_STYLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 6, 10, 6)
        top = QHBoxLayout()
        self.title = _plain(wrap=True)
        scale.set_relative_font(self.title, 1.1, bold=True)
        self.back_button = QPushButton("◀ Back")
        self.back_button.setToolTip("The previous step (Page Up)")
        self.back_button.clicked.connect(self.previous_step)
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("Reveal the answer, or go to the next step (Page Down)")
        self.next_button.clicked.connect(self.next_step)
        self.leave_button = QPushButton("Leave the lesson")
        self.leave_button.setToolTip("Close the lesson; the tab stays as it is, to play on")
        self.leave_button.clicked.connect(self.leave)
        top.addWidget(self.title, 1)
        for button in (self.back_button, self.next_button, self.leave_button):
            top.addWidget(button)
        outer.addLayout(top)
        self.say = _plain()
        # Larger than the narration: a fraction's parts are typeset at about 0.7 of it.
        self.formula = TypesetLabel(scale=FORMULA_SCALE)
        outer.addWidget(self.say)
        outer.addWidget(self.formula)
        # the question
        self.question_box = QWidget()
        q = QVBoxLayout(self.question_box)
        q.setContentsMargins(0, 2, 0, 0)
        self.ask = _plain()
        scale.set_relative_font(self.ask, 1.0, bold=True)
        q.addWidget(self.ask)
        self.choice_row = QHBoxLayout()
        q.addLayout(self.choice_row)
        self.choice_buttons: list[QPushButton] = []  # this question's, from the pool
        self._choice_pool: list[QPushButton] = []
        number_row = QHBoxLayout()
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("your answer, a number")
        self.number_edit.setToolTip("Type a number (like 2.5 or -1e-3) and press Enter")
        self.number_edit.returnPressed.connect(self._answer_number)
        self.check_button = QPushButton("Check")
        self.check_button.setToolTip("Check your answer (Enter)")
        self.check_button.clicked.connect(self._answer_number)
        number_row.addWidget(self.number_edit, 1)
        number_row.addWidget(self.check_button)
        number_row.addStretch(2)
        self.number_row = QWidget()
        self.number_row.setLayout(number_row)
        q.addWidget(self.number_row)
        self.feedback = _plain()
        q.addWidget(self.feedback)
        outer.addWidget(self.question_box)
        # the task: what to do in the tab before the lesson goes on
        self.gate_label = _plain()
        scale.set_relative_font(self.gate_label, 1.0, bold=True)
        outer.addWidget(self.gate_label)
        self._gate_timer = QTimer(self, interval=self.GATE_MS)
        self._gate_timer.timeout.connect(self._check_gate)
        self.setVisible(False)

    # ---- playing ---------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.lesson is not None

    def start(self, lesson: Lesson, index: int = 0) -> None:
        """Play ``lesson`` from its step ``index`` (0: the start)."""
        self.lesson = lesson
        self.right = self.asked = self.shown = self.skipped = 0
        self.setVisible(True)
        self.show_step(index)

    def leave(self) -> None:
        self._gate_timer.stop()
        self.sig_question.emit(False)
        self.lesson = None
        self.setVisible(False)
        self.sig_changed.emit()

    def show_step(self, index: int) -> None:
        lesson = self.lesson
        if lesson is None:
            return
        self.index = max(0, min(index, len(lesson.steps) - 1))
        self.revealed = False
        self.finished = False
        step = lesson.steps[self.index]
        self.sig_question.emit(False)
        self._apply_step(lesson, self.index)
        week = f"Week {lesson.week} · " if lesson.week else ""
        self.title.setText(f"{week}{lesson.title} — step {self.index + 1} of "
                           f"{len(lesson.steps)}")
        self.say.setText(step.say)
        self.formula.set_formula(step.formula)
        self.formula.setVisible(bool(step.formula))
        self._show_question(step.question)
        self._gate_warned = False
        self.gate_met = step.until is None
        self.gate_label.setVisible(step.until is not None)
        self._gate_timer.stop()
        if step.until is not None:
            self._check_gate()
            if not self.gate_met:
                self._gate_timer.start()
        self.back_button.setEnabled(self.index > 0)
        self._update_next()
        if step.question is not None:
            self.sig_question.emit(True)
        self.sig_changed.emit()

    def _show_question(self, question: Question | None) -> None:
        self.question_box.setVisible(question is not None)
        self.feedback.setText("")
        if question is None:
            return
        self.ask.setText(question.ask)
        # The buttons are made once and kept (a question has at most MAX_CHOICES):
        # made afresh at every step, the old ones waited for a deferred delete.
        while len(self._choice_pool) < len(question.choices):
            i = len(self._choice_pool)
            button = QPushButton()
            button.setToolTip("Choose this answer")
            button.clicked.connect(lambda _=False, i=i: self.answer(i))
            self.choice_row.addWidget(button)
            self._choice_pool.append(button)
        for i, button in enumerate(self._choice_pool):
            shown = i < len(question.choices)
            button.setVisible(shown)
            button.setEnabled(True)
            if shown:
                button.setText(f"{'ABCDEF'[i]}: {question.choices[i]}")
        self.choice_buttons = self._choice_pool[:len(question.choices)]
        self.number_row.setVisible(not question.choices)
        self.number_edit.clear()
        self.number_edit.setEnabled(True)
        self.check_button.setEnabled(True)

    def _update_next(self) -> None:
        question = self.lesson.steps[self.index].question if self.lesson else None
        last = self.lesson is not None and self.index == len(self.lesson.steps) - 1
        if question is not None and not self.revealed:
            self.next_button.setText("Show the answer ▶")
        elif not self.gate_met and self._gate_warned:
            self.next_button.setText("Skip the task ▶")
        else:
            self.next_button.setText("Finish ■" if last else "Next ▶")
        self.next_button.setEnabled(not self.finished)

    def next_step(self) -> None:
        """Page Down: reveal a pending answer; say what a task still wants (again: skip
        it, a lecturer's choice); else the next step, else finish."""
        if self.lesson is None or self.finished:
            return
        step = self.lesson.steps[self.index]
        question = step.question
        if question is not None and not self.revealed:
            self.shown += 1
            self._reveal(question, None)
            self.sig_answered.emit(self.index, False)
            return
        if not self.gate_met:
            if not self._gate_warned:
                self._gate_warned = True
                self.gate_label.setText(f"Still to do: {step.until.goal}. (Page Down again "
                                        "skips it.)")
                self._update_next()
                self.sig_changed.emit()
                return
            self.skipped += 1
            self._gate_timer.stop()
        if self.index < len(self.lesson.steps) - 1:
            self.show_step(self.index + 1)
        else:
            self.finished = True
            self.title.setText(f"{self.lesson.title} — done: {self.score_text()} Back goes "
                               "over it again; Leave the lesson to play on.")
            self._update_next()
            self.sig_changed.emit()

    def score_text(self) -> str:
        """How the questions went: answered right, answered wrong, shown unanswered (a
        question the clicker revealed was never wrong)."""
        parts = []
        if self.asked:
            parts.append(f"{self.right} of {self.asked} question{'s' * (self.asked != 1)} "
                         f"answered right")
        if self.shown:
            parts.append(f"{self.shown} revealed without an answer")
        return ("; ".join(parts) + ".") if parts else "no questions on the way."

    def previous_step(self) -> None:
        if self.lesson is not None:
            self.show_step(self.index - 1)

    def answer(self, given: int | float) -> bool:
        """The learner's prediction (a choice's index or a number): checked, then the
        answer revealed."""
        if self.lesson is None or self.revealed:
            return False
        question = self.lesson.steps[self.index].question
        if question is None:
            return False
        right = question.check(given)
        self.asked += 1
        self.right += right
        self._reveal(question, right)
        self.sig_answered.emit(self.index, right)
        return right

    def _answer_number(self) -> None:
        text = self.number_edit.text().strip().replace("−", "-").replace(",", ".")
        try:
            value = float(text) if len(text) <= 40 else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.feedback.setStyleSheet(f"color:{ERROR_HEX};")
            self.feedback.setText("Type a number, like 2.5 or -0.25, then press Enter.")
            return
        self.answer(value)

    def _reveal(self, question: Question, right: bool | None) -> None:
        self.revealed = True
        if question.choices:
            answer = f"{'ABCDEF'[question.answer]}: {question.choices[question.answer]}"
            for i, button in enumerate(self.choice_buttons):
                button.setEnabled(i == question.answer)
        else:
            answer = f"{question.number:g}"
            self.number_edit.setEnabled(False)
            self.check_button.setEnabled(False)
        verdict = {True: "✔ Right. ", False: "✘ Not quite. ", None: ""}[right]
        colour = {True: GOOD_HEX, False: ERROR_HEX, None: theme.NEUTRAL_HEX}[right]
        self.feedback.setStyleSheet(f"color:{colour};")
        self.feedback.setText(f"{verdict}The answer: {answer}. {question.explain}")
        self._update_next()
        self.sig_question.emit(False)
        self.sig_changed.emit()

    def position_text(self) -> str:
        if self.lesson is None:
            return ""
        step = self.lesson.steps[self.index]
        waiting = (" · Page Down: show the answer" if step.question and not self.revealed
                   else " · a task to do first" if not self.gate_met else "")
        return f"Lesson · step {self.index + 1} / {len(self.lesson.steps)}{waiting}"

    # ---- the task ----------------------------------------------------------------------------
    def stop_watching(self) -> None:
        """No more looking at the tab (the window closes)."""
        self._gate_timer.stop()

    def _check_gate(self) -> None:
        """Look at the tab: is the step's task done?  Says what is observed, and stops
        looking once it is."""
        if self.lesson is None:
            self._gate_timer.stop()
            return
        gate = self.lesson.steps[self.index].until
        if gate is None:
            self._gate_timer.stop()
            return
        try:
            observed = self._observe()
        except (ValueError, ArithmeticError):
            observed = {}
        now = observed.get(gate.observe)
        if gate.met(observed):
            self.gate_met = True
            self._gate_timer.stop()
            self.gate_label.setStyleSheet(f"color:{GOOD_HEX};")
            self.gate_label.setText(f"✔ Done: {gate.goal}. Page Down goes on.")
            self._update_next()
            self.sig_changed.emit()
            return
        self.gate_label.setStyleSheet("")
        shown = "—" if now is None else (f"{now:.4g}" if isinstance(now, float) else str(now))
        still = "Still to do" if self._gate_warned else "Your turn"
        again = " (Page Down again skips it.)" if self._gate_warned else ""
        name = self._describe(gate.observe).split(",")[0] or gate.observe
        self.gate_label.setText(f"{still}: {gate.goal}. Now {name}: {shown}.{again}")
