"""One example walked through a network, stage by stage: the formula of each stage and
its operands and result as matrices."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.gui import scale, theme
from mlcalc_gui.gui.widgets.network_view import MatrixView

__all__ = ["StageWalk"]


class StageWalk(QGroupBox):
    """An example slider, Previous and Next, and the current stage shown as
    ``operand op operand … = result``.

    Signals: ``sig_previous``, ``sig_next``; the page binds ``example_slider`` to its
    state's example.
    """

    sig_previous = Signal()
    sig_next = Signal()

    def __init__(self, title: str = "Step by step: one example through the network"):
        super().__init__(title)
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Example t ="))
        self.example_slider = QSlider(Qt.Horizontal)
        self.example_slider.setToolTip("Which training example to follow (or hover the curve)")
        self.example_slider.setAccessibleName("Example")
        self.example_label = QLabel()
        self.example_label.setMinimumWidth(50)
        row.addWidget(self.example_slider, 1)
        row.addWidget(self.example_label)
        v.addLayout(row)
        row = QHBoxLayout()
        self.prev_button = QPushButton("◀ Previous")
        self.prev_button.setToolTip("The previous stage ([)")
        self.prev_button.clicked.connect(self.sig_previous)
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("The next stage (])")
        self.next_button.clicked.connect(self.sig_next)
        self.stage_label = QLabel()
        scale.set_relative_font(self.stage_label, 1.15, bold=True)
        row.addWidget(self.prev_button)
        row.addWidget(self.stage_label, 1, Qt.AlignCenter)
        row.addWidget(self.next_button)
        v.addLayout(row)
        self.formula_label = QLabel()
        self.formula_label.setTextFormat(Qt.PlainText)
        scale.set_relative_font(self.formula_label, 1.25)
        self.formula_label.setAlignment(Qt.AlignCenter)
        self.formula_label.setWordWrap(True)
        v.addWidget(self.formula_label)
        self.matrix_row = QHBoxLayout()
        self.matrix_row.setSpacing(4)
        holder = QWidget()
        holder.setLayout(self.matrix_row)
        scroll = self.matrix_scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        v.addWidget(scroll, 1)
        self.matrix_holder = holder
        self.matrix_views: list[MatrixView] = []
        self.operator_labels: list[QLabel] = []

    def show_stage(self, stage, index: int, count: int, example_text: str) -> None:
        """Stage ``index`` of ``count``: its formula, and its operands, operators and
        result as matrices (the widgets are reused)."""
        self.example_label.setText(example_text)
        self.stage_label.setText(f"{stage.phase.capitalize()} · {index + 1} / {count}")
        self.formula_label.setText(stage.formula)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < count - 1)
        matrices = [*stage.operands, stage.result]
        # Between two operands their operator; before the result "=".
        between = list(stage.operators)[:len(stage.operands) - 1]
        between += ["="] * (len(matrices) - 1 - len(between))
        if between:
            between[-1] = "="
        while self.matrix_row.count():
            self.matrix_row.takeAt(0)
        while len(self.matrix_views) < len(matrices):
            self.matrix_views.append(MatrixView())
        while len(self.operator_labels) < len(between):
            label = QLabel()
            label.setStyleSheet(theme.OPERATOR_STYLE)
            scale.set_relative_font(label, 1.7, bold=True)
            self.operator_labels.append(label)
        for w in self.matrix_views + self.operator_labels:
            w.setVisible(False)
        self.matrix_row.addStretch(1)
        for i, (name, values) in enumerate(matrices):
            view = self.matrix_views[i]
            view.set_matrix(name, values)
            view.setVisible(True)
            self.matrix_row.addWidget(view)
            if i < len(between):
                label = self.operator_labels[i]
                label.setText(between[i])
                label.setVisible(True)
                self.matrix_row.addWidget(label)
        self.matrix_row.addStretch(1)
        self.fit_matrices()

    def fit_matrices(self) -> None:
        """Room for every row of the tallest matrix (at a large text size the walk showed
        4½ rows of W²): the views around scroll instead."""
        self.matrix_holder.adjustSize()
        tallest = max((view.sizeHint().height() for view in self.matrix_views
                       if view.isVisibleTo(self)), default=0)
        bar = self.matrix_scroll.horizontalScrollBar().sizeHint().height()
        self.matrix_scroll.setMinimumHeight(tallest + bar + 4)

    def set_ui_scale(self, factor: float) -> None:
        """The matrices at a new text size: room again for all their rows (once they
        are resized themselves, in the next pass)."""
        QTimer.singleShot(0, self, self.fit_matrices)
