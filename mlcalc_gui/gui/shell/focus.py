"""Where the keyboard is, visible from the back row.

A handler on the application's one event filter (gui.app_events), installed with the
app, keeps a 3 px ring round the widget that took the keyboard focus by Tab, a shortcut
or the window coming back (not by a click: the pointer already shows where that is).
The ring lies over the window, outside the widget's edge, so no panel clips it; it
follows the widget as it or a panel round it moves, resizes, scrolls or hides.  (What
Space and Return do on a focused control: gui.keys.)
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QApplication, QWidget

from mlcalc_gui.gui.app_events import AppEvents, install_once

__all__ = ["FocusRing", "install_focus_ring", "RING_COLOUR", "RING_WIDTH"]

RING_COLOUR = QColor(0, 114, 178)  # Okabe–Ito blue: seen under every colour deficiency
RING_WIDTH = 3
_GAP = 1  # between the widget's edge and the ring
_KEYBOARD_REASONS = (Qt.TabFocusReason, Qt.BacktabFocusReason, Qt.ShortcutFocusReason,
                     Qt.ActiveWindowFocusReason, Qt.OtherFocusReason)
_FOLLOW = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide,
           QEvent.Type.LayoutRequest)


class _Ring(QWidget):
    """The ring itself: a child of the window that draws nothing but its border and
    lets every click through."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.NoFocus)
        self.target: QWidget | None = None

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(RING_COLOUR, RING_WIDTH))
        half = RING_WIDTH / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 3, 3)

    def place(self) -> None:
        """Round the part of the target that is on screen; hidden if none is."""
        target = self.target
        if target is None or not shiboken6.isValid(target) or not target.isVisible():
            self.hide()
            return
        # The part of the target its panels let through (a scrolled panel cuts it).
        window = self.parentWidget()
        seen = QRect(target.mapTo(window, QPoint(0, 0)), target.size())
        panel = target.parentWidget()
        while panel is not None and panel is not window and not seen.isEmpty():
            seen &= QRect(panel.mapTo(window, QPoint(0, 0)), panel.size())
            panel = panel.parentWidget()
        if seen.isEmpty():
            self.hide()
            return
        pad = RING_WIDTH + _GAP
        self.setGeometry(seen.adjusted(-pad, -pad, pad, pad))
        self.show()
        self.raise_()


class FocusRing(QObject):
    """The ring, a handler on the app's filter; :attr:`ringed` is the widget ringed, or
    None."""

    def __init__(self, parent: QObject, events: AppEvents):
        super().__init__(parent)
        self.ring: _Ring | None = None
        events.on((QEvent.Type.FocusIn, *_FOLLOW), self._on_event)

    def _on_event(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FocusIn and isinstance(obj, QWidget):
            self._follow(obj, event.reason())
        elif kind in _FOLLOW and self._tracking(obj):
            self.ring.place()
        return False

    def _tracking(self, obj: QObject) -> bool:
        ring = self.ring
        if ring is None or not shiboken6.isValid(ring) or ring.target is None:
            return False
        if not shiboken6.isValid(ring.target):
            ring.target = None
            return False
        return isinstance(obj, QWidget) and obj is not ring and (
            obj is ring.target or obj.isAncestorOf(ring.target))

    def _follow(self, widget: QWidget, reason: Qt.FocusReason) -> None:
        if widget is not QApplication.focusWidget() or widget.isWindow():
            return
        if reason == Qt.PopupFocusReason:
            return
        window = widget.window()
        if self.ring is None or not shiboken6.isValid(self.ring) or \
                self.ring.parentWidget() is not window:
            if self.ring is not None and shiboken6.isValid(self.ring):
                self.ring.deleteLater()
            self.ring = _Ring(window)
        self.ring.target = widget if reason in _KEYBOARD_REASONS else None
        self.ring.place()

    @property
    def ringed(self) -> QWidget | None:
        ring = self.ring
        if ring is None or not shiboken6.isValid(ring) or not ring.isVisible():
            return None
        return ring.target


def install_focus_ring(app) -> FocusRing:
    """Install one filter on ``app`` (again is harmless)."""
    return install_once(app, FocusRing)
