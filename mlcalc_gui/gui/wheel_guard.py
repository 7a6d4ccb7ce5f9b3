"""The scroll wheel scrolls panels; it changes a number box, a choice or a slider only
when that control has the keyboard focus.

Without this, scrolling down a panel that passes over "Hidden activation" changes it
(and throws a trained network away) without the learner ever touching it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QComboBox

__all__ = ["WheelGuard", "install_wheel_guard", "install_app_filter"]

_GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


class WheelGuard(QObject):
    """An application-wide event filter: a wheel event over an unfocused guarded
    control goes to its parent (the scroll area) instead."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Wheel and isinstance(obj, _GUARDED):
            if not obj.hasFocus():
                if obj.focusPolicy() == Qt.WheelFocus:
                    obj.setFocusPolicy(Qt.StrongFocus)  # the wheel must not take focus
                event.ignore()  # propagates to the parent: the panel scrolls
                return True
        return False


def install_app_filter(app, kind: type[QObject]) -> QObject:
    """One application-wide event filter of ``kind`` on ``app`` (again is harmless)."""
    found = app.findChild(kind)
    if found is None:
        found = kind(app)
        app.installEventFilter(found)
    return found


def install_wheel_guard(app) -> WheelGuard:
    """Install one guard on ``app`` (again is harmless)."""
    return install_app_filter(app, WheelGuard)
