"""The controls of a descent, shared by every tab that runs one: its step size, how many
steps, the playback bar and the line that says how the run goes."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QGroupBox, QSpinBox, QVBoxLayout

from mlcalc_gui.gui.widgets.playback import PlaybackBar
from mlcalc_gui.gui.widgets.steady import WrappedLabel

__all__ = ["DescentBox"]


class DescentBox(QGroupBox):
    """``rate_spin`` (the learning rate or aggression), ``steps_spin`` (the page binds
    both to its state), ``playback`` and ``status`` (hand it to ``install_run``)."""

    def __init__(self, title: str, rate: tuple[str, str], rate_range: tuple[float, float],
                 steps: tuple[str, str], steps_default: int, speeds: tuple[float, ...],
                 decimals: int = 4, unit: str = "steps"):
        super().__init__(title)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.rate_spin = QDoubleSpinBox()
        self.rate_spin.setDecimals(decimals)
        self.rate_spin.setRange(*rate_range)
        self.rate_spin.setSingleStep(0.01)
        self.rate_spin.setToolTip(rate[1])
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(1, 100_000)
        self.steps_spin.setValue(steps_default)
        self.steps_spin.setToolTip(steps[1])
        form.addRow(rate[0], self.rate_spin)
        form.addRow(steps[0], self.steps_spin)
        layout.addLayout(form)
        self.playback = PlaybackBar(speeds=speeds, default_speed=4, unit=unit)
        layout.addWidget(self.playback)
        self.status = WrappedLabel()
        layout.addWidget(self.status)
