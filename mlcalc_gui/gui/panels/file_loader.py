"""Reading a user's file off the GUI thread: a progress bar, a Cancel button, and the
error beside them (the current data stay)."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from mlcalc_gui.gui.kit.tab import TutorTab
from mlcalc_gui.gui.kit.widgets import error_label
from mlcalc_gui.gui.run.background import BackgroundTask

__all__ = ["FileLoader"]


class FileLoader(QWidget):
    """Runs a core generator that reads a file (yielding the fraction read, returning
    the result) in ``tab``'s worker.  ``sig_loaded(name, result)`` on success; on
    failure the message is shown here and ``sig_failed(name, message)`` emitted."""

    sig_loaded = Signal(str, object)
    sig_failed = Signal(str, str)

    def __init__(self, tab: TutorTab, keeps: str = "The current data stay."):
        super().__init__()
        self._keeps = keeps
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFormat("Reading %p%")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop reading the file; the current data stay (Esc)")
        self.cancel_button.setShortcut("Esc")
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.error = error_label()
        layout.addWidget(self.error)
        self._show_progress(False)
        self.task = BackgroundTask(tab)
        self.task.sig_done.connect(self._on_done)
        self.task.sig_failed.connect(self._on_failed)
        self.task.sig_progress.connect(self._on_progress)
        self._name = ""

    @property
    def busy(self) -> bool:
        return self.task.busy

    def load(self, name: str, steps: Callable[[], Generator[float, None, Any]]) -> None:
        """Read ``name`` with ``steps()`` in the worker."""
        self._name = name
        self.error.setVisible(False)
        self.progress.setValue(0)
        self._show_progress(True)
        self.task.submit(name, steps, steps=True)

    @Slot()
    def cancel(self) -> None:
        if not self.task.busy:
            return
        self.task.cancel()
        self._show_progress(False)
        self.sig_failed.emit(self._name, "cancelled")

    def clear_error(self) -> None:
        self.error.setVisible(False)

    def _show_progress(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.cancel_button.setVisible(on)

    @Slot(object, float)
    def _on_progress(self, name: str, fraction: float) -> None:
        self.progress.setValue(round(100 * fraction))

    @Slot(object, object)
    def _on_done(self, name: str, result: Any) -> None:
        self._show_progress(False)
        self.sig_loaded.emit(name, result)

    @Slot(object, str)
    def _on_failed(self, name: str, message: str) -> None:
        self._show_progress(False)
        self.error.setText(f"⚠ {name}: {message}. {self._keeps}")
        self.error.setVisible(True)
        self.sig_failed.emit(name, message)
