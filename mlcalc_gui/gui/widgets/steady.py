"""Heights that hold while a run goes: a widget whose text changes every frame (a run's
message, a readout) keeps the tallest it has been at this width and text size, so a line
fewer leaves room instead of moving (and painting again) everything under it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QWidget

__all__ = ["hold_height", "WrappedLabel"]

#: What makes a held height stale: the text's size or style changed.
_RELEASE = (QEvent.FontChange, QEvent.ApplicationFontChange, QEvent.StyleChange)


class _HeldHeight(QObject):
    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self._width = -1
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt naming)
        kind = event.type()
        if kind == QEvent.Resize:
            size = event.size()
            if size.width() != self._width:  # another width: another number of lines
                self._width = size.width()
                watched.setMinimumHeight(0)  # (a label's height for a width counts it)
                need = (watched.heightForWidth(self._width) if watched.hasHeightForWidth()
                        else 0)
                watched.setMinimumHeight(max(need, 0))  # held from here
            elif size.height() > watched.minimumHeight():
                watched.setMinimumHeight(size.height())
        elif kind in _RELEASE:
            self._width = -1
            watched.setMinimumHeight(0)
        return False


def hold_height(widget: QWidget) -> QWidget:
    """Make ``widget`` keep the tallest height it has had until its width or its
    font changes (then it takes what it needs again); returns it."""
    _HeldHeight(widget)
    return widget


class WrappedLabel(QLabel):
    """A word-wrapped label that works out its height for a width once per text, font
    and width.  A layout asks a label's height many times a frame (its least height is
    never cached by Qt), and a wrapped label lays its text out again for each answer,
    rich text a whole document, which also repaints it: a long explanation at the top
    of a column was laid out and painted again at every frame of a run below it."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._heights: dict[tuple[int, int], int] = {}

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        if text != self.text():
            self._heights.clear()
        super().setText(text)

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        key = (width, self.minimumHeight())  # (Qt's answer counts the least height)
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > 8:
                self._heights.clear()
            height = self._heights[key] = super().heightForWidth(width)
        return height

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() in _RELEASE:
            self._heights.clear()
        super().changeEvent(event)
