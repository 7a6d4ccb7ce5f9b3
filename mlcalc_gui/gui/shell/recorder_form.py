"""The lesson recorder's step form (Lessons > Record a lesson): what the chosen step says,
its formula (typeset beside it), a question of choices or a number, and a task that waits
for the learner; every field shown as plain text and read back as the lesson format has
it."""

from __future__ import annotations

import math

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from mlcalc_gui.core import lessons as lessons_core
from mlcalc_gui.core.lesson_draft import DraftStep
from mlcalc_gui.gui.widgets.typeset import TypesetLabel

__all__ = ["StepFormMixin"]


QUESTION_KINDS = ("No question", "Choices", "A number")


def _number(text: str):
    """A typed number as a float, or the text itself (the lesson check then says what
    is wrong, naming the step and key)."""
    cleaned = text.strip().replace("−", "-").replace(",", ".")
    try:
        value = float(cleaned) if len(cleaned) <= 40 else math.nan
    except ValueError:
        return text
    return value if math.isfinite(value) else text


def _flag_or_number(text: str):
    word = text.strip().lower()
    if word in ("true", "yes"):
        return True
    if word in ("false", "no"):
        return False
    return _number(text)


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class StepFormMixin:
    """The recorder's form for one step: what it says, its formula, its question and its
    task (a gate on what the learner does), filled from a step and read back into it."""

    def _step_form(self) -> QWidget:
        self.form_box = QGroupBox("The step")
        form = QFormLayout(self.form_box)
        self.say_edit = QPlainTextEdit()
        self.say_edit.setPlaceholderText("What the step says (required)")
        self.say_edit.setTabChangesFocus(True)
        self.say_edit.setMaximumHeight(110)
        self.say_edit.textChanged.connect(self._form_changed)
        form.addRow("&Narration", self.say_edit)
        self.formula_edit = QLineEdit()
        self.formula_edit.setPlaceholderText("optional, mathtext: \\frac{f(x+h) - f(x)}{h}")
        self.formula_edit.textEdited.connect(self._form_changed)
        form.addRow("&Formula", self.formula_edit)
        self.preview = TypesetLabel()
        form.addRow("", self.preview)
        state_row = QHBoxLayout()
        self.state_check = QCheckBox("Bring the tab into the state kept with the step")
        self.state_check.setToolTip("Off: the step leaves the tab as the learner has it")
        self.state_check.toggled.connect(self._form_changed)
        retake = QPushButton("Take the tab as it is now")
        retake.setToolTip("Keep the tab's state now with this step instead")
        retake.clicked.connect(self.retake_state)
        self.retake_button = retake
        state_row.addWidget(self.state_check, 1)
        state_row.addWidget(retake)
        form.addRow("State", state_row)
        self.show_combo = QComboBox()
        self.show_combo.setToolTip("A part of the tab to bring into view at this step")
        self.show_combo.currentIndexChanged.connect(self._form_changed)
        form.addRow("Show", self.show_combo)
        # the question
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(QUESTION_KINDS)
        self.kind_combo.setToolTip("A question asked before the answer is shown")
        self.kind_combo.currentIndexChanged.connect(self._form_changed)
        form.addRow("&Question", self.kind_combo)
        self.ask_edit = QLineEdit()
        self.ask_edit.setPlaceholderText("the question")
        self.choices_edit = QPlainTextEdit()
        self.choices_edit.setPlaceholderText("one choice a line (2 to 6)")
        self.choices_edit.setTabChangesFocus(True)
        self.choices_edit.setMaximumHeight(90)
        self.right_spin = QSpinBox()
        self.right_spin.setRange(1, lessons_core.MAX_CHOICES)
        self.right_spin.setPrefix("right choice: ")
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("the answer, a number")
        self.tolerance_edit = QLineEdit()
        self.tolerance_edit.setPlaceholderText("how far off still counts, like 0.01")
        self.explain_edit = QLineEdit()
        self.explain_edit.setPlaceholderText("why, shown with the answer")
        for edit in (self.ask_edit, self.number_edit, self.tolerance_edit, self.explain_edit):
            edit.textEdited.connect(self._form_changed)
        self.choices_edit.textChanged.connect(self._form_changed)
        self.right_spin.valueChanged.connect(self._form_changed)
        self.question_rows = (self.ask_edit, self.choices_edit, self.right_spin,
                              self.number_edit, self.tolerance_edit, self.explain_edit)
        for label, widget in zip(("Ask", "Choices", "Right one", "Answer", "Tolerance",
                                  "Why"), self.question_rows, strict=True):
            form.addRow(f"    {label}", widget)
        self._form = form
        # the task
        self.gate_combo = QComboBox()
        self.gate_combo.setToolTip("A task the learner does in the tab before the lesson "
                                   "goes on: one of the tab's observables, compared")
        self.gate_combo.currentIndexChanged.connect(self._form_changed)
        form.addRow("&Task", self.gate_combo)
        gate_row = QHBoxLayout()
        self.op_combo = QComboBox()
        self.op_combo.addItems(lessons_core.GATE_OPS)
        self.op_combo.currentIndexChanged.connect(self._form_changed)
        self.value_edit = QLineEdit()
        self.value_edit.setPlaceholderText("a number, or true / false")
        self.value_edit.textEdited.connect(self._form_changed)
        gate_row.addWidget(self.op_combo)
        gate_row.addWidget(self.value_edit, 1)
        self.gate_values = QWidget()
        self.gate_values.setLayout(gate_row)
        form.addRow("    Is", self.gate_values)
        self.goal_edit = QLineEdit()
        self.goal_edit.setPlaceholderText("the task in the lesson's words")
        self.goal_edit.textEdited.connect(self._form_changed)
        form.addRow("    Goal", self.goal_edit)
        return self.form_box

    # ---- the form --------------------------------------------------------------------------
    def _show_step(self, step: DraftStep | None) -> None:
        """The form shows ``step`` (empty and disabled without one)."""
        self.form_box.setEnabled(step is not None)
        for button in (self.up_button, self.down_button, self.delete_button,
                       self.play_button):
            button.setEnabled(step is not None)
        self.form_box.setTitle(f"Step {self.row + 1}" if step is not None else
                               "The step (add one: arrange the tab, then Add this as a step)")
        step = step or DraftStep()
        self._loading = True
        try:
            self.say_edit.setPlainText(step.say)
            self.formula_edit.setText(step.formula)
            self.state_check.setChecked(step.state is not None)
            self.show_combo.setCurrentIndex(max(self.show_combo.findData(step.show), 0))
            q = step.question or {}
            kind = 0 if not q else (1 if "choices" in q else 2)
            self.kind_combo.setCurrentIndex(kind)
            self.ask_edit.setText(str(q.get("ask", "")))
            self.choices_edit.setPlainText("\n".join(str(c) for c in q.get("choices", [])))
            answer = q.get("answer", 0)
            self.right_spin.setValue(answer + 1 if isinstance(answer, int) else 1)
            self.number_edit.setText(_shown(q.get("number", "")))
            self.tolerance_edit.setText(_shown(q.get("tolerance", "")))
            self.explain_edit.setText(str(q.get("explain", "")))
            g = step.until or {}
            self.gate_combo.setCurrentIndex(max(self.gate_combo.findData(g.get("observe", "")),
                                                0))
            self.op_combo.setCurrentIndex(max(self.op_combo.findText(str(g.get("is", ">="))),
                                              0))
            value = g.get("value", "")
            self.value_edit.setText(str(value).lower() if isinstance(value, bool)
                                    else _shown(value))
            self.goal_edit.setText(str(g.get("goal", "")))
        finally:
            self._loading = False
        self._update_visibility()
        self.preview.set_formula(step.formula)

    def _update_visibility(self) -> None:
        kind = self.kind_combo.currentIndex()
        shown = {self.ask_edit: kind != 0, self.explain_edit: kind != 0,
                 self.choices_edit: kind == 1, self.right_spin: kind == 1,
                 self.number_edit: kind == 2, self.tolerance_edit: kind == 2}
        gated = self.gate_combo.currentIndex() > 0
        shown |= {self.gate_values: gated, self.goal_edit: gated}
        for widget, visible in shown.items():
            self._form.setRowVisible(widget, visible)

    def _form_changed(self, *_args) -> None:
        """What the form says, into the step chosen (and the lesson's title)."""
        if self._loading:
            return
        self._update_visibility()
        if self.draft is not None:
            self.draft.title = self.title_edit.text()
            self.draft.week = self.week_spin.value()
            self.draft.about = self.about_edit.text()
        step = self._step()
        if step is None:
            return
        step.say = self.say_edit.toPlainText()
        if step.formula != self.formula_edit.text():
            step.formula = self.formula_edit.text()
            self.preview.set_formula(step.formula)
        if self.state_check.isChecked() and step.state is None:
            step.state = self._states.pop(self.row, {})
        elif not self.state_check.isChecked() and step.state is not None:
            self._states[self.row] = step.state
            step.state = None
        step.show = self.show_combo.currentData() or ""
        step.question = self._question()
        step.until = self._gate()
        item = self.step_list.item(self.row)
        if item is not None:
            item.setText(self._summary(self.row, step))

    def _question(self) -> dict | None:
        kind = self.kind_combo.currentIndex()
        if kind == 0:
            return None
        question = {"ask": self.ask_edit.text(), "explain": self.explain_edit.text()}
        if kind == 1:
            choices = [line.strip() for line in self.choices_edit.toPlainText().splitlines()
                       if line.strip()]
            return question | {"choices": choices, "answer": self.right_spin.value() - 1}
        tolerance = self.tolerance_edit.text().strip()
        return question | {"number": _number(self.number_edit.text()),
                           "tolerance": _number(tolerance) if tolerance else 0.0}

    def _gate(self) -> dict | None:
        name = self.gate_combo.currentData()
        if not name:
            return None
        return {"observe": name, "is": self.op_combo.currentText(),
                "value": _flag_or_number(self.value_edit.text()),
                "goal": self.goal_edit.text()}
