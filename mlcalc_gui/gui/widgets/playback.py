"""The shared playback bar: play/pause, step, step many, reset, speed and progress.

It only emits intentions; the tab connects them to its :class:`GeneratorWorker`.
Keyboard shortcuts work anywhere inside the owning tab: Space plays or pauses, N (or
Page Down, as a presenter's clicker sends) steps once, Shift+N steps many, R resets.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

__all__ = ["PlaybackBar"]


class PlaybackBar(QWidget):
    """Signals: ``sig_play``, ``sig_pause``, ``sig_step(int)``, ``sig_reset``,
    ``sig_speed(float)`` (records per second; 0 means as fast as possible)."""

    sig_play = Signal()
    sig_pause = Signal()
    sig_step = Signal(int)
    sig_reset = Signal()
    sig_speed = Signal(float)

    def __init__(self, parent: QWidget | None = None, many: int = 0,
                 speeds: tuple[float, ...] = (), default_speed: int = 0,
                 unit: str = "steps"):
        super().__init__(parent)
        self._running = False
        self._many = many
        self._speeds = speeds
        self._unit = unit
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        outer.addLayout(row)
        self.play_button = QPushButton("▶ Play")
        self.play_button.setToolTip("Run, or pause a run (Space)")
        self.play_button.clicked.connect(self.toggle)
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip(f"Advance exactly one {unit[:-1]} and pause (N or Page Down)")
        self.step_button.clicked.connect(lambda: self.sig_step.emit(1))
        row.addWidget(self.play_button)
        row.addWidget(self.step_button)
        self.many_button = None
        if many:
            self.many_button = QPushButton(f"Step {many}")
            self.many_button.setToolTip(f"Advance exactly {many} {unit} and pause (Shift+N)")
            self.many_button.clicked.connect(lambda: self.sig_step.emit(self._many))
            row.addWidget(self.many_button)
        self.reset_button = QPushButton("⟲ Reset")
        self.reset_button.setToolTip("Stop and start again from the beginning (R)")
        self.reset_button.clicked.connect(self.sig_reset.emit)
        row.addWidget(self.reset_button)
        for button in (self.play_button, self.step_button, self.many_button, self.reset_button):
            if button is not None:
                button.setMinimumHeight(32)
        self.speed_slider = None
        if speeds:
            speed_row = QHBoxLayout()
            outer.addLayout(speed_row)
            label = QLabel("Speed")
            self.speed_slider = QSlider(Qt.Horizontal)
            self.speed_slider.setRange(0, len(speeds) - 1)
            self.speed_slider.setValue(default_speed)
            self.speed_slider.setPageStep(1)
            self.speed_label = QLabel()
            self.speed_label.setMinimumWidth(90)
            self.speed_slider.setToolTip(f"How many {unit} per second to animate")
            label.setBuddy(self.speed_slider)
            self.speed_slider.valueChanged.connect(self._on_speed)
            speed_row.addWidget(label)
            speed_row.addWidget(self.speed_slider, 1)
            speed_row.addWidget(self.speed_label)
            self._update_speed_label()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        outer.addWidget(self.progress)

    def step_once(self) -> None:
        self.sig_step.emit(1)

    def step_many(self) -> None:
        if self._many:
            self.sig_step.emit(self._many)

    def reset(self) -> None:
        self.sig_reset.emit()

    # ---- state ---------------------------------------------------------------------------
    def speed(self) -> float:
        if not self._speeds:
            return 0.0
        return float(self._speeds[self.speed_slider.value()])

    def _on_speed(self) -> None:
        self._update_speed_label()
        self.sig_speed.emit(self.speed())

    def _update_speed_label(self) -> None:
        value = self.speed()
        self.speed_label.setText("max" if value == 0 else f"{value:g} {self._unit}/s")

    def toggle(self) -> None:
        if self._running:
            self.sig_pause.emit()
        else:
            self.sig_play.emit()

    def set_running(self, running: bool) -> None:
        """Show whether a run is going (the tab calls this from the worker's state)."""
        self._running = running
        self.play_button.setText("⏸ Pause" if running else "▶ Play")

    @property
    def running(self) -> bool:
        return self._running

    def set_progress(self, value: int, maximum: int) -> None:
        self.progress.setVisible(maximum > 0)
        self.progress.setMaximum(max(maximum, 1))
        self.progress.setValue(min(value, maximum))
        self.progress.setFormat(f"{value:,} / {maximum:,} {self._unit}")
