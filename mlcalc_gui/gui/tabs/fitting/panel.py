"""The Fitting tab's control column: the problem, its data (a file read in the worker),
the descent, and the learner's own derivative ("your turn", as in the assignment) with its
check (built into the tab, as a Designer form is: the controls are the tab's
attributes)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import fitting as fit
from mlcalc_gui.core.expressions import ExpressionError
from mlcalc_gui.gui import scale, theme
from mlcalc_gui.gui.kit.widgets import button_row, note_label, panel_column, plain_label
from mlcalc_gui.gui.panels.descent_box import DescentBox
from mlcalc_gui.gui.panels.file_loader import FileLoader
from mlcalc_gui.gui.widgets.steady import WrappedLabel

__all__ = ["EXPLANATIONS", "PROBLEMS", "PanelMixin"]

PROBLEMS = {"gaussian": "Heights: fit a Gaussian", "line": "Points: fit a straight line"}

GAUSSIAN_EXPLANATION = """
<p>A fit is a <b>descent on a landscape</b>. χ² = Σ (yᵢ − f(xᵢ))² measures how far the
model is from the data; every choice of parameters (μ, σ) is a point on the χ² map.
Steepest descent steps against the Jacobian J = [∂χ²/∂μ, ∂χ²/∂σ]:
<b>(μ, σ) ← (μ, σ) − aggression · J</b>, so its path crosses the contours at right angles.</p>
<p>The bars: <b>grey</b> where data and model agree, <b>hatched orange</b> where the
model is above the data, <b>solid blue</b> where the data are above the model. Empty bins count:
a model standing over an empty bin is an error too. The solid curve is the model where
the descent is now; the dashed one, the best fit (the least-squares minimum). Click the
map to choose the start.</p>
"""

LINE_EXPLANATION = """
<p>A fit is a <b>descent on a landscape</b>. For a line y = m x + c, χ² = Σ (yᵢ − m xᵢ − c)²
is the sum of the squared residuals (the grey segments); every choice of (m, c) is a point
on the χ² map. Steepest descent steps against J = [∂χ²/∂m, ∂χ²/∂c]:
<b>(m, c) ← (m, c) − aggression · J</b>.</p>
<p>This χ² is a quadratic bowl, so its minimum has a closed form (the dashed line, from the
normal equations). The bowl is a long narrow valley: a large aggression zig-zags across it
and, past 2 / (its steepest curvature), flies out. Click the plot to add a point, drag one
to move it, Shift+click to delete it; click the map to choose the start.</p>
"""

EXPLANATIONS = {"gaussian": GAUSSIAN_EXPLANATION, "line": LINE_EXPLANATION}


class PanelMixin:
    """The control column of :class:`~mlcalc_gui.gui.tabs.fitting.FittingTab`, and the
    check of the learner's derivative."""

    def _build_panel(self) -> QWidget:
        panel, layout = panel_column(GAUSSIAN_EXPLANATION)
        self.explanation = layout.itemAt(0).widget()
        self.mode_combo = QComboBox()
        self.mode_combo.addItems(list(PROBLEMS.values()))
        self.mode_combo.setToolTip("Fit the course's Gaussian to heights, or a line to points")
        self.mode_combo.activated.connect(lambda i: self.set_problem(list(PROBLEMS)[i]))
        layout.addWidget(self.mode_combo)

        box = QGroupBox("Data")
        v = QVBoxLayout(box)
        self.data_label = plain_label()  # (it names the user's file)
        v.addWidget(self.data_label)
        v.addLayout(button_row(
            ("Open CSV…", "Heights: one measurement per row, or (bin centre, count) pairs. "
             "Points: (x, y) pairs. A header row is optional (Ctrl+O)", self.open_dialog),
            ("Course data", "Go back to the course's heights or sample points",
             self.restore_course_data)))
        form = QFormLayout()
        self.bin_spin = QDoubleSpinBox()
        self.bin_spin.setRange(0.01, 1000)
        self.bin_spin.setValue(2.5)
        self.bin_spin.setToolTip("The bin width used for files of raw measurements")
        form.addRow("Bin width for measurements", self.bin_spin)
        v.addLayout(form)
        self.loader = FileLoader(self)
        self.loader.sig_loaded.connect(self._on_file_read)
        self.loader.sig_failed.connect(
            lambda name, why: self.sig_status.emit(f"Not loaded: {name}: {why}"))
        v.addWidget(self.loader)
        self.line_hint = note_label("Click to add a point, drag one to move it, Shift+click "
                                    "to delete it.")
        v.addWidget(self.line_hint)
        layout.addWidget(box)

        box = DescentBox("Steepest descent", ("Aggression", "The step size: parameters −= "
                                              "aggression × J (the course uses 2000)"),
                         (1e-6, 1e7), ("Steps", "How many steps a run takes in all (the "
                                                "course takes 50)"), 50,
                         speeds=(1, 2, 5, 10, 20, 50, 0), decimals=6)
        self.aggression_spin = self.binder.bind("aggression", box.rate_spin,
                                                lambda _: self.run.restart())
        self.steps_spin = self.binder.bind("steps", box.steps_spin)
        self.playback, self.status, self.descent_box = box.playback, box.status, box
        layout.addWidget(box)
        layout.addWidget(self._build_your_turn())
        layout.addStretch(1)
        return panel

    def _build_your_turn(self) -> QGroupBox:
        self.turn_box = QGroupBox("Your turn: write a derivative")
        v = QVBoxLayout(self.turn_box)
        intro = WrappedLabel("As in the assignment, write ∂f/∂μ or ∂f/∂σ of the Gaussian "
                       "f = exp(−(x−μ)²/(2σ²)) / (σ√(2π)), in x, mu and sigma; f itself "
                       "may be written f.")
        v.addWidget(intro)
        self.which_combo = QComboBox()
        self.which_combo.addItems(["∂f/∂μ", "∂f/∂σ"])
        self.which_combo.setToolTip("Which derivative you are writing")
        self.derivative_edit = QLineEdit()
        self.derivative_edit.setPlaceholderText("in x, mu, sigma and f")
        self.derivative_edit.setToolTip("Use x, mu, sigma (or μ, σ), f for the Gaussian "
                                        "itself, pi, exp, sqrt, ^ …; press Enter to check")
        self.derivative_edit.returnPressed.connect(self.check_user_derivative)
        # Each derivative keeps what was typed for it: the box shows the one chosen.
        self._drafts = {"mu": "", "sigma": ""}
        self.derivative_edit.textEdited.connect(
            lambda text: self._drafts.__setitem__(self._writing(), text))
        self.which_combo.currentIndexChanged.connect(
            lambda _: self.derivative_edit.setText(self._drafts[self._writing()]))
        row = QHBoxLayout()
        row.addWidget(self.which_combo)
        row.addWidget(self.derivative_edit, 1)
        v.addLayout(row)
        check = QPushButton("Check it")
        check.setToolTip("Compare with the true derivative at 60 random points (Enter)")
        check.clicked.connect(self.check_user_derivative)
        v.addWidget(check)
        self.verdict_label = WrappedLabel()
        self.verdict_label.setTextFormat(Qt.PlainText)  # the parser's message quotes the text
        v.addWidget(self.verdict_label)
        self.use_mine = QCheckBox("Descend with my derivative")
        self.use_mine.setToolTip("Run the descent with your ∂f/∂μ or ∂f/∂σ in J: a wrong "
                                 "one visibly goes astray")
        self.binder.bind("use_mine", self.use_mine, lambda _: self.reset_descent())
        v.addWidget(self.use_mine)
        return self.turn_box

    def _build_numbers(self) -> QWidget:
        box = QGroupBox("The update in numbers")
        v = QVBoxLayout(box)
        self.numbers_label = WrappedLabel()
        self.numbers_label.setTextFormat(Qt.RichText)  # numbers and fixed names only
        scale.set_relative_font(self.numbers_label, 1.15)
        self.numbers_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        v.addWidget(self.numbers_label)
        v.addStretch(1)
        return box

    # ---- your turn -----------------------------------------------------------------------
    def _derivative_texts(self) -> tuple[str, str]:
        return tuple(f.text if f is not None else "" for f in
                     (self.user_derivative["mu"], self.user_derivative["sigma"]))

    def _writing(self) -> str:
        """Which derivative the learner is writing: 'mu' or 'sigma'."""
        return "mu" if self.which_combo.currentIndex() == 0 else "sigma"

    @Slot()
    def check_user_derivative(self) -> fit.DerivativeCheck | None:
        which = self._writing()
        self._drafts[which] = self.derivative_edit.text()
        try:
            function = fit.parse_derivative(self.derivative_edit.text())
        except ExpressionError as exc:
            self._say_verdict(f"⚠ {exc}", theme.ERROR_HEX)
            return None
        result = fit.check_derivative(function, which)
        self.derivative_ok[which] = result.ok
        self._say_verdict(f"{'✓' if result.ok else '✗'} {result.message}",
                          theme.GOOD_HEX if result.ok else theme.ERROR_HEX)
        self.user_derivative[which] = function
        if self.binder["use_mine"]:
            self.reset_descent()
        return result

    def _say_verdict(self, text: str, colour: str) -> None:
        self.verdict_label.setText(text)
        self.verdict_label.setStyleSheet(f"color:{colour}; font-weight:bold;")
