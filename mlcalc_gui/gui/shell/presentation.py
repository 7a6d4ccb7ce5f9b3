"""Presentation mode (F5): the whole window laid out for a projector, and back (Esc).

Entering it remembers everything it changes: the window's geometry and state, the
application's palette, which explanations were open and the cursor.  Then:

* everything is magnified live (:mod:`mlcalc_gui.gui.scale`): about twice at 1080p,
  a little less on a smaller screen so that nothing is clipped;
* a high-contrast palette;
* the side columns lose their explanations (the lecturer speaks them), so only the
  controls remain;
* a large pointer;
* a step indicator in the status bar: the tab, what Page Down steps through, and where.

Leaving restores each of these exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QCursor, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from mlcalc_gui.gui.kit.widgets import EXPLAINS

__all__ = ["Presentation", "magnification_for", "projector_palette", "big_pointer"]


#: At a 1080-pixel-high screen; scaled with the screen's height, within these bounds.
MAGNIFICATION_1080P = 2.0
MAGNIFICATION_RANGE = (1.25, 3.0)


def magnification_for(screen_height: int) -> float:
    """How much presentation mode magnifies on a screen ``screen_height`` pixels high."""
    lo, hi = MAGNIFICATION_RANGE
    return min(max(MAGNIFICATION_1080P * screen_height / 1080, lo), hi)


def projector_palette() -> QPalette:
    """Black on white, a strong blue for selection: what survives a washed-out projector."""
    palette = QPalette()
    black, white = QColor(0, 0, 0), QColor(255, 255, 255)
    for role, colour in ((QPalette.Window, white), (QPalette.WindowText, black),
                         (QPalette.Base, white), (QPalette.AlternateBase, QColor(235, 235, 235)),
                         (QPalette.Text, black), (QPalette.Button, QColor(230, 230, 230)),
                         (QPalette.ButtonText, black), (QPalette.BrightText, white),
                         (QPalette.Highlight, QColor(0, 60, 160)),
                         (QPalette.HighlightedText, white),
                         (QPalette.ToolTipBase, QColor(255, 255, 220)),
                         (QPalette.ToolTipText, black),
                         (QPalette.PlaceholderText, QColor(70, 70, 70)),
                         (QPalette.Link, QColor(0, 50, 170))):
        palette.setColor(role, colour)
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        palette.setColor(QPalette.Disabled, role, QColor(100, 100, 100))
    return palette


def big_pointer(size: int = 48) -> QCursor:
    """An arrow pointer ``size`` pixels tall, black with a white rim (seen on any colour)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.transparent)
    s = size / 24.0
    path = QPainterPath(QPointF(1 * s, 1 * s))
    for x, y in ((1, 19), (6, 14.5), (9.5, 22), (12.5, 20.5), (9, 13.5), (15.5, 13.5)):
        path.lineTo(x * s, y * s)
    path.closeSubpath()
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(QPen(QColor("white"), 1.6 * s, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
    painter.setBrush(QColor("black"))
    painter.drawPath(path)
    painter.end()
    return QCursor(pixmap, round(1 * s), round(1 * s))


@dataclass
class _Saved:
    geometry: QRect
    window_state: Qt.WindowState
    palette: QPalette
    hidden: list  # explanations this mode hid


class Presentation:
    """The window's presentation mode.  ``magnification`` is 1 outside it."""

    def __init__(self, window):
        self.window = window
        self.magnification = 1.0
        self._saved: _Saved | None = None
        self.indicator = QLabel()
        self.indicator.setTextFormat(Qt.PlainText)
        self.indicator.setVisible(False)
        self.indicator.setToolTip("What Page Down steps through here, and where it is")
        self._timer = QTimer(window)
        self._timer.setInterval(400)  # a run's progress changes without telling us
        self._timer.timeout.connect(self.update_indicator)

    @property
    def active(self) -> bool:
        return self._saved is not None

    def enter(self, full_screen: bool = True) -> None:
        if self.active:
            return
        w = self.window
        self._saved = _Saved(w.geometry(), w.windowState(), QPalette(QApplication.palette()),
                             [])
        # Sized for the screen the window fills, or for the window (a screenshot's size).
        screen = w.screen() or QApplication.primaryScreen()
        height = screen.geometry().height() if full_screen and screen is not None else w.height()
        self.magnification = magnification_for(height)
        QApplication.setPalette(projector_palette())
        QApplication.setOverrideCursor(big_pointer(48 if self.magnification >= 1.8 else 36))
        if full_screen:
            w.showFullScreen()
        self.collapse(w)
        w.apply_scale()
        self.indicator.setVisible(True)
        self._timer.start()
        self.update_indicator()

    def leave(self) -> None:
        if not self.active:
            return
        saved, self._saved = self._saved, None
        w = self.window
        self._timer.stop()
        self.indicator.setVisible(False)
        for widget in saved.hidden:
            widget.setVisible(True)
        self.magnification = 1.0
        QApplication.setPalette(saved.palette)
        QApplication.restoreOverrideCursor()
        w.apply_scale()
        # The layout shrinks back before the window takes its old place and size.
        QApplication.sendPostedEvents(None, QEvent.LayoutRequest)
        w.setWindowState(saved.window_state)
        if not saved.window_state & (Qt.WindowFullScreen | Qt.WindowMaximized):
            w.setGeometry(saved.geometry)

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def collapse(self, root: QWidget) -> None:
        """Hide the explanations under ``root`` (a tab built during the mode too)."""
        if not self.active:
            return
        from mlcalc_gui.gui.kit.widgets import ExplanationBox

        for box in root.findChildren(ExplanationBox):
            if box.body.isVisibleTo(box):
                box.body.setVisible(False)
                self._saved.hidden.append(box.body)
        for widget in root.findChildren(QWidget):
            if widget.property(EXPLAINS) and widget.isVisibleTo(widget.parentWidget()):
                widget.setVisible(False)
                self._saved.hidden.append(widget)

    def update_indicator(self) -> None:
        if self.active:
            self.indicator.setText(self.window.step_indicator_text())
