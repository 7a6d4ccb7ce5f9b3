"""The Derivatives tab's control column: the function, rise over run with h and its
run, f measured at points with noise, and the learner's own f′ (built into the tab, as a
Designer form is: the controls are the tab's attributes)."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core.calculus import usable_with
from mlcalc_gui.core.derivatives import PRESETS, Measured
from mlcalc_gui.gui.kit.widgets import error_label, number_box, panel_column
from mlcalc_gui.gui.panels.function_input import FunctionInput
from mlcalc_gui.gui.widgets.playback import PlaybackBar
from mlcalc_gui.gui.widgets.steady import WrappedLabel

H_RANGE = (-6.0, math.log10(2.0))  # the h slider, in powers of ten


class PanelMixin:
    """The control column of :class:`~mlcalc_gui.gui.tabs.derivatives.DerivativesTab`."""

    def _build_panel(self) -> QWidget:
        panel, layout = panel_column(self.EXPLANATION)
        self.input = FunctionInput(PRESETS, variables=("x",), check=usable_with(1),
                                   placeholder="e.g. x^3 - 2x, sin x, e^x, 1/x, abs(x)",
                                   host=self)
        self.input.wire(self, self._on_function)
        layout.addWidget(self.input)

        box = QGroupBox("Rise over run")
        grid = QGridLayout(box)
        self.x_spin = number_box("The point x where the slope is taken ([ and ] move it)",
                                 decimals=4, step=0.05)
        self.binder.bind("x", self.x_spin, self.set_x)
        grid.addWidget(_buddy("&x =", self.x_spin), 0, 0)
        grid.addWidget(self.x_spin, 0, 1, 1, 2)
        self.h_slider = QSlider(Qt.Horizontal)
        self.h_slider.setRange(int(H_RANGE[0] * 100), int(H_RANGE[1] * 100))
        self.h_slider.setToolTip("The run h, from 10⁻⁶ to 2 on a log scale")
        self.binder.bind("h", self.h_slider, self._on_h_slider,  # a log scale
                         shown=lambda h: round(math.log10(h) * 100),
                         taken=lambda v: float(10 ** (v / 100)))
        self.h_label = QLabel()
        self.h_label.setMinimumWidth(90)
        grid.addWidget(_buddy("&h =", self.h_slider), 1, 0)
        grid.addWidget(self.h_slider, 1, 1)
        grid.addWidget(self.h_label, 1, 2)
        self.numbers = QLabel()
        self.numbers.setTextFormat(Qt.PlainText)
        self.numbers.setStyleSheet("font-family: monospace;")
        grid.addWidget(self.numbers, 2, 0, 1, 3)
        self.verdict = error_label()
        grid.addWidget(self.verdict, 3, 0, 1, 3)
        self.playback = PlaybackBar(speeds=(2, 5, 10, 20, 0))
        grid.addWidget(self.playback, 4, 0, 1, 3)
        self.h_status = WrappedLabel()
        grid.addWidget(self.h_status, 5, 0, 1, 3)
        self.show_derivative = QCheckBox("Show f′ (untick to predict it first)")
        self.show_derivative.setChecked(True)
        self.show_derivative.setToolTip("Hide the curve f′ and trace it yourself by moving x; "
                                         "then reveal it (D)")
        self.binder.bind("show_derivative", self.show_derivative,
                         lambda _: self._draw_derivative())
        grid.addWidget(self.show_derivative, 6, 0, 1, 3)
        clear = QPushButton("Clear the trace")
        clear.setToolTip("Forget the slopes traced so far")
        clear.clicked.connect(self.clear_trace)
        grid.addWidget(clear, 7, 0, 1, 3)
        layout.addWidget(box)

        layout.addWidget(self._build_measured())

        box = QGroupBox("Your turn: type f′(x)")
        yl = QVBoxLayout(box)
        row = QHBoxLayout()
        self.answer_edit = QLineEdit()
        self.answer_edit.setPlaceholderText("your derivative of f, in x")
        self.answer_edit.setToolTip("Work out f′ by the rules and type it; Enter checks it at "
                                    "400 points")
        self.answer_edit.returnPressed.connect(self.check_answer)
        check = QPushButton("Check")
        check.clicked.connect(self.check_answer)
        row.addWidget(_buddy("f′(x) =", self.answer_edit))
        row.addWidget(self.answer_edit, 1)
        row.addWidget(check)
        yl.addLayout(row)
        self.answer_result = WrappedLabel()
        self.answer_result.setTextFormat(Qt.PlainText)
        yl.addWidget(self.answer_result)
        layout.addWidget(box)
        layout.addStretch(1)
        return panel

    def _build_measured(self) -> QGroupBox:
        """Reality is hard: f known only at points of a grid, each measured with noise."""
        box = QGroupBox("Known only at points (reality is hard)")
        form = QFormLayout(box)
        self.measured_check = QCheckBox("f is measured, not known")
        self.measured_check.setToolTip(
            "The slopes come from measurements of f: at the points of a grid, each off by "
            "noise; the error plot shows the noise taking over as h shrinks")
        form.addRow(self.measured_check)
        self.spacing_spin = number_box(
            "The grid f is measured on (anywhere: at every x asked); a run h below it "
            "reads the same point twice", decimals=3, step=0.01, lo=0.0, hi=1.0,
            special="anywhere")
        form.addRow("Measured every", self.spacing_spin)
        self.noise_spin = number_box(
            "How far each measurement is off (its standard deviation)", decimals=6,
            step=1e-4, lo=0.0, hi=1.0, value=1e-4, special="none")
        form.addRow("Noise of each", self.noise_spin)
        for field, control in (("measured", self.measured_check),
                               ("spacing", self.spacing_spin), ("noise", self.noise_spin)):
            self.binder.bind(field, control, lambda _: self._on_measured())
        return box

    def _f(self):
        """What the slopes are taken of: f, or its measurements."""
        if self.function is None or not self.binder["measured"]:
            return self.function
        return Measured(self.function, self.binder["spacing"], self.binder["noise"])

    def _on_measured(self) -> None:
        self._errors_key = None  # the error curves are of the measurements now
        self.run.reset()
        self._draw_samples()
        self._draw_secant()

    def _draw_samples(self) -> None:
        """The measurements on the plot of f, where there is a grid of them to see."""
        f = self._f()
        if not isinstance(f, Measured) or self.function is None:
            self.samples.setData([], [])
            return
        lo, hi = self.domain
        if f.spacing > 0 and (hi - lo) / f.spacing <= 400:
            xs = np.arange(math.ceil(lo / f.spacing), math.floor(hi / f.spacing) + 1) * f.spacing
        else:
            xs = np.linspace(lo, hi, 161)
        self.samples.setData(xs, f(xs))


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label
