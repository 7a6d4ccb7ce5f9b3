"""Readouts hidden until a lesson's question is answered: predict first, then see.

A tab names the readouts that could give an answer away (``TutorTab.SPOILERS``) and
says what each is made of (``TutorTab.spoiler_parts``): widgets, which are covered by a
plain card that says why; graphics items on a plot, which are hidden; or a callable
``hidden(bool)`` for a readout that must say less rather than vanish (a plot title with
the fitted line in it).  The window hides them while a question waits and shows them
again once it is answered or revealed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QGraphicsItem, QLabel, QWidget

from mlcalc_gui.gui import theme

__all__ = ["Cover", "Spoilers", "COVER_TEXT"]

COVER_TEXT = "Hidden until you answer the lesson's question (predict first, then see)"


class Cover(QLabel):
    """A card over ``target`` (a child of it, so it moves, shows and hides with it)."""

    def __init__(self, target: QWidget):
        super().__init__(COVER_TEXT, target)
        self.setTextFormat(Qt.PlainText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignCenter)
        self.setAutoFillBackground(True)
        self.setObjectName("spoilerCover")
        self.setStyleSheet(theme.SPOILER_STYLE)
        self.setAttribute(Qt.WA_TransparentForMouseEvents, False)
        target.installEventFilter(self)
        self._fit()
        self.show()
        self.raise_()

    def _fit(self) -> None:
        self.setGeometry(self.parentWidget().rect())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if event.type() in (QEvent.Resize, QEvent.LayoutRequest):
            self._fit()
            self.raise_()
        return False


Part = QWidget | QGraphicsItem | Callable[[bool], None]


class Spoilers:
    """What is hidden now, and how to show it again."""

    def __init__(self) -> None:
        self._covers: list[Cover] = []
        self._items: list[tuple[QGraphicsItem, bool]] = []
        self._calls: list[Callable[[bool], None]] = []
        self.names: tuple[str, ...] = ()

    def hide(self, names: Iterable[str], parts: dict[str, list[Part]]) -> None:
        """Hide the readouts ``names`` (what was hidden before is shown first)."""
        self.show()
        self.names = tuple(names)
        for name in self.names:
            for part in parts.get(name, ()):
                if isinstance(part, QWidget):
                    self._covers.append(Cover(part))
                elif isinstance(part, QGraphicsItem):
                    self._items.append((part, part.isVisible()))
                    part.setVisible(False)
                else:
                    part(True)
                    self._calls.append(part)

    def show(self) -> None:
        """Show everything hidden."""
        for cover in self._covers:
            if shiboken6.isValid(cover):
                parent = cover.parentWidget()
                if parent is not None:
                    parent.removeEventFilter(cover)
                cover.hide()
                # At once, not later: a deferred delete waits for the event loop's own
                # turn, and a lesson stepped from a nested loop (a clicker held down,
                # a demo) piled up hundreds of covers.
                shiboken6.delete(cover)
        for item, visible in self._items:
            item.setVisible(visible)
        for call in self._calls:
            call(False)
        self._covers, self._items, self._calls, self.names = [], [], [], ()

    @property
    def hidden(self) -> bool:
        return bool(self.names)
