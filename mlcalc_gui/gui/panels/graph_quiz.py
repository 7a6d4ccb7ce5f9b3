"""The course's quiz: one f and four graphs, pick its derivative; scored and explained."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mlcalc_gui.core.derivatives import QuizQuestion, quiz_question
from mlcalc_gui.gui import scale, theme
from mlcalc_gui.gui.panels.plots import teaching_plot
from mlcalc_gui.gui.widgets.steady import WrappedLabel

__all__ = ["GraphQuiz"]

LETTERS = "ABCD"


class GraphQuiz(QWidget):
    """``sig_scored(right, asked)`` after each answer; ``seed`` and the score are the
    tab's state."""

    sig_scored = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.seed = 1
        self.right = self.asked = 0
        self._question: QuizQuestion | None = None
        self._stale = True  # the question for ``seed`` is made when first needed
        self.answered = False
        # The five plots are made with the first question (when first shown) or score.
        self._built = False

    def _build(self) -> None:
        if self._built:
            return
        self._built = True
        # One row: f with the prompt, score and explanation on the left; the four
        # candidate graphs in a 2 × 2 grid on the right (fits 1366 × 768).
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        side = QVBoxLayout()
        self.f_plot = teaching_plot("x", "f(x)", font_pt=9)
        self.f_plot.setMinimumHeight(110)
        self.f_curve = self.f_plot.plot([], [], pen=theme.mkpen(theme.TEXT, 3))
        side.addWidget(self.f_plot, 2)
        self.prompt = WrappedLabel()
        self.prompt.setTextFormat(Qt.PlainText)
        self.prompt.setStyleSheet("font-weight:bold;")
        side.addWidget(self.prompt)
        row = QHBoxLayout()
        self.score_label = QLabel()
        self.score_label.setTextFormat(Qt.PlainText)
        row.addWidget(self.score_label)
        self.new_button = QPushButton("New question")
        self.new_button.setToolTip("Another function to match (Q)")
        self.new_button.clicked.connect(self.new_question)
        row.addWidget(self.new_button)
        side.addLayout(row)
        self.explanation = WrappedLabel()
        self.explanation.setTextFormat(Qt.PlainText)
        side.addWidget(self.explanation, 1)
        layout.addLayout(side, 1)
        grid = QGridLayout()
        self.plots: list[pg.PlotWidget] = []
        self.curves: list[pg.PlotDataItem] = []
        self.buttons: list[QPushButton] = []
        for i, letter in enumerate(LETTERS):
            plot = teaching_plot("", "", font_pt=8)
            plot.setMinimumHeight(100)
            curve = plot.plot([], [], pen=theme.mkpen(theme.DOWNHILL, 2.5))
            plot.addItem(pg.InfiniteLine(0, angle=0, pen=theme.mkpen(theme.MUTED, 1)))
            button = QPushButton(f"{letter} is f′  ({i + 1})")
            button.setToolTip(f"Answer: graph {letter} is the derivative of f (key {i + 1})")
            button.clicked.connect(lambda _=False, k=i: self.answer(k))
            cell = QVBoxLayout()
            cell.addWidget(plot, 1)
            cell.addWidget(button)
            grid.addLayout(cell, i // 2, i % 2)
            self.plots.append(plot)
            self.curves.append(curve)
            self.buttons.append(button)
        layout.addLayout(grid, 2)
        for label in (self.prompt, self.score_label, self.explanation):
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)  # (as every readout)
        if scale.factor() != 1.0:  # made after a change of text size: brought to it
            scale.apply(self)

    @property
    def question(self) -> QuizQuestion:
        """The question for ``seed``, made when first shown or asked for (its curves come
        from sympy: not at start-up or when a session opens with the quiz unseen)."""
        if self._stale:
            self._ask()
        return self._question

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if self._stale:
            self._ask()
        super().showEvent(event)

    def set_progress(self, seed: int, right: int, asked: int) -> None:
        if (int(seed), int(right), int(asked)) == (self.seed, self.right, self.asked):
            return  # as it is (a preset's state): the question shown, answered or not, stays
        self.seed, self.right, self.asked = int(seed), int(right), int(asked)
        self._stale, self.answered = True, False
        self._say_score()
        if self.isVisible():
            self._ask()

    @Slot()
    def new_question(self) -> None:
        self.seed += 1
        self._ask()

    def _ask(self) -> None:
        self._build()
        self._stale = False
        self._question = q = quiz_question(np.random.default_rng(self.seed))
        self.answered = False
        self.f_curve.setData(q.xs, q.f_values, connect="finite")
        self.f_plot.getPlotItem().setTitle(f"f(x) = {q.f}", size="10pt")
        for curve, plot, values in zip(self.curves, self.plots, q.values, strict=True):
            curve.setData(q.xs, values, connect="finite")
            curve.setPen(theme.mkpen(theme.DOWNHILL, 2.5))
            plot.getPlotItem().setTitle("", size="9pt")
        for b in self.buttons:
            b.setEnabled(True)
        self.prompt.setText("Which graph is the derivative f′ of the black curve? "
                            "Click its button, or press 1–4.")
        self.explanation.setText("")
        self._say_score()

    @Slot(int)
    def answer(self, k: int) -> None:
        q = self.question
        if self.answered or not 0 <= k < 4:
            return
        self.answered = True
        self.asked += 1
        right = k == q.answer
        self.right += int(right)
        for i, (curve, plot) in enumerate(zip(self.curves, self.plots, strict=True)):
            good = i == q.answer
            pen = (theme.mkpen(theme.TARGET, 4) if good else
                   theme.mkpen(theme.UPHILL, 2.5, style=Qt.DashLine) if i == k else
                   theme.mkpen(theme.MUTED, 2, style=Qt.DotLine))
            curve.setPen(pen)
            # Short titles (the explanation names every graph): ✓ f′, ✗ your choice.
            mark = " ✓ f′" if good else (" ✗" if i == k else "")
            plot.getPlotItem().setTitle(f"{LETTERS[i]}{mark}", size="9pt")
        for b in self.buttons:
            b.setEnabled(False)
        verdict = "✓ Right!" if right else f"✗ Not quite: it was {LETTERS[q.answer]}."
        self.prompt.setText(verdict + " Press New question (Q) for another.")
        colour = theme.GOOD_HEX if right else theme.ERROR_HEX
        self.prompt.setStyleSheet(f"font-weight:bold; color:{colour};")
        self.explanation.setText(q.explanation)
        self._say_score()
        self.sig_scored.emit(self.right, self.asked)

    def _say_score(self) -> None:
        self._build()
        self.score_label.setText(f"Score: {self.right} of {self.asked}")
        if not self.answered:
            self.prompt.setStyleSheet("font-weight:bold;")
