"""The shared playback bar: play/pause, step, step many, reset, speed and progress.

It only emits intentions; the tab connects them to its :class:`GeneratorWorker`.
Keyboard shortcuts work anywhere inside the owning tab: Space plays or pauses, N (or
Page Down, as a presenter's clicker sends) steps once, Shift+N steps many, R resets,
comma and full stop move back and forward through the run's history.

The history row (shown once a run has two records to choose between) is a slider over
the records the run kept: moving it shows the run as it was at that record, and Play or
Step from there starts a new branch.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QStyle,
    QVBoxLayout,
    QWidget,
)

__all__ = ["PlaybackBar"]


class PlaybackBar(QWidget):
    """Signals: ``sig_play``, ``sig_pause``, ``sig_step(int)``, ``sig_reset``,
    ``sig_speed(float)`` (records per second; 0 means as fast as possible),
    ``sig_scrub(int)`` (show the run at that kept record)."""

    sig_play = Signal()
    sig_pause = Signal()
    sig_step = Signal(int)
    sig_reset = Signal()
    sig_speed = Signal(float)
    sig_scrub = Signal(int)

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
        # Icons from the style, never glyphs: a font without "⏸" drew "▯ Pause".
        style = self.style()
        self._icons = {False: style.standardIcon(QStyle.SP_MediaPlay),
                       True: style.standardIcon(QStyle.SP_MediaPause)}
        self.play_button = QPushButton(self._icons[False], "Play")
        self.play_button.setToolTip("Run, or pause a run (Space)")
        self.play_button.clicked.connect(self.toggle)
        self.step_button = QPushButton(style.standardIcon(QStyle.SP_MediaSkipForward), "Step")
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
        self.reset_button = QPushButton(style.standardIcon(QStyle.SP_BrowserReload), "Reset")
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
        self._build_history(outer)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        outer.addWidget(self.progress)

    def _build_history(self, outer: QVBoxLayout) -> None:
        self.history_row = QWidget()
        row = QHBoxLayout(self.history_row)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("History")
        self.history_slider = QSlider(Qt.Horizontal)
        self.history_slider.setPageStep(10)
        self.history_slider.setToolTip(
            "Move back and forth through this run's records (comma and full stop step "
            "one). Play or Step from an earlier record starts a new branch from there.")
        label.setBuddy(self.history_slider)
        self.history_label = QLabel()
        self.history_label.setTextFormat(Qt.PlainText)
        self.history_slider.valueChanged.connect(self._on_history_moved)
        row.addWidget(label)
        row.addWidget(self.history_slider, 1)
        row.addWidget(self.history_label)
        # Its room is kept while it is hidden: the panel does not jump when a run starts
        # (nor re-lay out every time one does).
        policy = self.history_row.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.history_row.setSizePolicy(policy)
        self.history_row.setVisible(False)
        outer.addWidget(self.history_row)
        self._history_text = ""

    def set_history(self, count: int, index: int | None, text: str = "") -> None:
        """``count`` kept records, shown at ``index`` (None: the newest, live), and
        ``text`` saying which record that is; fewer than two records hide the row."""
        self.history_row.setVisible(count >= 2)
        with QSignalBlocker(self.history_slider):
            self.history_slider.setRange(0, max(count - 1, 0))
            self.history_slider.setValue(count - 1 if index is None else index)
        if text != self._history_text:
            self._history_text = text
            self.history_label.setText(text)

    def _on_history_moved(self, index: int) -> None:
        self.sig_scrub.emit(index)

    def scrub_back(self) -> None:
        if self.history_slider.value() > 0:
            self.sig_scrub.emit(self.history_slider.value() - 1)

    def scrub_forward(self) -> None:
        if self.history_slider.value() < self.history_slider.maximum():
            self.sig_scrub.emit(self.history_slider.value() + 1)

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
        self.play_button.setText("Pause" if running else "Play")
        self.play_button.setIcon(self._icons[running])

    @property
    def running(self) -> bool:
        return self._running

    def set_progress(self, value: int, maximum: int) -> None:
        self.progress.setVisible(maximum > 0)
        self.progress.setMaximum(max(maximum, 1))
        self.progress.setValue(min(value, maximum))
        self.progress.setFormat(f"{value:,} / {maximum:,} {self._unit}")
