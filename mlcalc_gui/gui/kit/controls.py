"""Controls a page's panel is made of, beyond Qt's own."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy

__all__ = ["LinesBox"]


class LinesBox(QPlainTextEdit):
    """Read-only plain text, exactly ``lines`` lines high at the current font: numbers
    that change on every drag, without laying the panel out again (a label would, at
    8 ms a frame)."""

    def __init__(self, lines: int):
        super().__init__()
        self.lines = lines
        self.setReadOnly(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.NoFocus)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        height = self.fontMetrics().lineSpacing() * self.lines + 12
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(100, self.sizeHint().height())
