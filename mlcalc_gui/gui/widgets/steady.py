"""Heights that hold while a run goes: a widget whose text changes every frame (a run's
message, a readout) keeps the tallest it has been at this width and text size, so a line
fewer leaves room instead of moving (and painting again) everything under it; a second
after its text stops changing it takes only the room it needs again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel, QWidget

__all__ = ["hold_height", "WrappedLabel", "SETTLE_MS", "Settle"]

#: What makes a held height stale: the text's size or style changed.
_RELEASE = (QEvent.FontChange, QEvent.ApplicationFontChange, QEvent.StyleChange)
#: How long a held height outlasts the last change: a run's frames come far faster than
#: this, and this long after they stop the room goes back to what is needed.
SETTLE_MS = 1000


class Settle(QTimer):
    """A single-shot timer that calls ``let_go`` once ``SETTLE_MS`` pass with no
    :meth:`again` (each change restarts it); a tab whose work stops settles its own at
    once (:meth:`settle_now`), so none is left running."""

    def __init__(self, parent: QObject, let_go):
        super().__init__(parent)
        self.setObjectName("mlc_settle")
        self.setSingleShot(True)
        self.setInterval(SETTLE_MS)
        self._let_go = let_go
        self.timeout.connect(let_go)

    def again(self) -> None:
        self.start()

    def settle_now(self) -> None:
        if self.isActive():
            self.stop()
            self._let_go()


class _HeldHeight(QObject):
    def __init__(self, widget: QWidget, changed: QEvent.Type):
        super().__init__(widget)
        self._widget = widget
        self._changed = changed
        self._width = -1
        self._settle = Settle(self, self._let_go)
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt naming)
        kind = event.type()
        if kind == QEvent.Resize:
            width = event.size().width()
            if width != self._width:  # another width: another number of lines
                self._width = width
                watched.setMinimumHeight(0)  # (a label's height for a width counts it)
            # What it needs at this width (a stretched column's content is given more).
            need = (watched.heightForWidth(width) if watched.hasHeightForWidth()
                    else event.size().height())
            if need > watched.minimumHeight():
                watched.setMinimumHeight(need)  # held from here
        elif kind == self._changed and watched.isVisible():
            self._settle.again()  # its content changed: held until it settles
        elif kind == QEvent.Hide:
            self._settle.settle_now()  # not shown: nothing to hold, no timer left
        elif kind in _RELEASE:
            self._let_go()
        return False

    def _let_go(self) -> None:
        self._width = -1  # the next size it gets is held, as a new width's
        self._widget.setMinimumHeight(0)


def hold_height(widget: QWidget, changed: QEvent.Type = QEvent.Paint) -> QWidget:
    """Make ``widget`` keep the tallest height it has needed while it keeps changing
    (each ``changed`` event: a label is painted again; a column's content asks for a new
    layout), until its width or its font changes or it settles (then it takes what it
    needs again); returns it."""
    _HeldHeight(widget, changed)
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
