"""The scroll wheel scrolls panels; it changes a number box, a choice or a slider only
when that control has the keyboard focus.

Without this, scrolling down a panel that passes over "Hidden activation" changes it
(and throws a trained network away) without the learner ever touching it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QComboBox, QScrollBar

from mlcalc_gui.gui.app_events import AppEvents, install_once

__all__ = ["WheelGuard", "install_wheel_guard"]

_GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


class WheelGuard(QObject):
    """A wheel event over an unfocused guarded control goes to its parent (the scroll
    area) instead."""

    def __init__(self, parent: QObject, events: AppEvents):
        super().__init__(parent)
        events.on((QEvent.Type.Wheel,), self._on_wheel)

    def _on_wheel(self, obj: QObject, event: QEvent) -> bool:
        # A scroll bar is a slider too, but the wheel is what it is for: a scroll area
        # hands it every wheel over its panel.
        if isinstance(obj, _GUARDED) and not isinstance(obj, QScrollBar) \
                and not obj.hasFocus():
            if obj.focusPolicy() == Qt.WheelFocus:
                obj.setFocusPolicy(Qt.StrongFocus)  # the wheel must not take focus
            event.ignore()  # propagates to the parent: the panel scrolls
            return True
        return False


def install_wheel_guard(app) -> WheelGuard:
    """Install one guard on ``app`` (again is harmless)."""
    return install_once(app, WheelGuard)
