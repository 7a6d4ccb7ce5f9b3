"""A form of typed settings, checked all at once: every bad field is marked and said
beside the form, and the previous settings stay in use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QWidget

from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.widgets import error_label

__all__ = ["SettingsForm"]


class SettingsForm(QGroupBox):
    """Line edits named by key.  ``parse(**texts)`` returns the settings or raises an
    error with ``problems``: a list of (key, message).

    ``sig_edited`` fires when the learner finishes editing a field (Enter, or leaving it).
    """

    sig_edited = Signal()

    def __init__(self, title: str, specs: Sequence[tuple[str, str, str, str]],
                 parse: Callable[..., Any], extra_rows: Sequence[tuple[str, QWidget]] = ()):
        """``specs`` are (key, label, default text, tooltip)."""
        super().__init__(title)
        self._parse = parse
        self.labels = {key: label for key, label, _, _ in specs}
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        for key, label, default, tip in specs:
            edit = QLineEdit(default)
            edit.setToolTip(tip)
            edit.setAccessibleName(label)
            edit.editingFinished.connect(self.sig_edited)
            self.fields[key] = edit
            form.addRow(label, edit)
        for label, widget in extra_rows:
            form.addRow(label, widget)
        self.error = error_label()
        form.addRow(self.error)

    def texts(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.fields.items()}

    def set_texts(self, texts: dict[str, Any]) -> None:
        for key, value in texts.items():
            self.fields[key].setText(str(value))

    def read(self) -> tuple[Any, str]:
        """(settings, "") or, after marking every bad field, (None, the message)."""
        for edit in self.fields.values():
            edit.setStyleSheet("")
        try:
            value = self._parse(**self.texts())
        except ValueError as exc:
            problems = getattr(exc, "problems", None) or [(next(iter(self.fields)), str(exc))]
            for key, _ in problems:
                self.fields[key].setStyleSheet(theme.INPUT_ERROR_STYLE)
            lines = [f"⚠ {self.labels[key]}: {message}" for key, message in problems]
            self.error.setText("\n".join([*lines, "The previous settings stay in use."]))
            self.error.setVisible(True)
            return None, "; ".join(f"{self.labels[k]}: {m}" for k, m in problems)
        self.error.setVisible(False)
        return value, ""
