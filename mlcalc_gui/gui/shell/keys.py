"""Space and Return for the focused control first, the tab's keys after.

The tabs' keys are window shortcuts (active while their tab is shown, wherever the
focus is), so a key pressed on a focused control would otherwise reach the tab first:
Space on a focused button played the run, and Return did nothing.  Handlers on the
application's one event filter (gui.app_events), installed with the app:

- Space on a control that takes it (a button, a check box, a choice, a list) goes to
  that control, not to the tab's "play or pause";
- Return or Enter on a focused button or check box presses it, as Space does (Qt's
  widgets answer Return only as a dialog's default button);
- Space in a number box, which never takes a space, goes to the tab's "play or pause".

Text fields keep every key they type, as Qt already arranges.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox

from mlcalc_gui.gui.app_events import AppEvents, install_once

__all__ = ["KeyRules", "install_key_rules", "TAKES_SPACE"]

#: Controls that do something with Space themselves.
TAKES_SPACE = (QAbstractButton, QComboBox, QAbstractItemView)
_RETURN_KEYS = (Qt.Key_Return, Qt.Key_Enter)


def _plain(event) -> bool:
    return not (event.modifiers() & ~Qt.KeypadModifier)


def _number_box(obj: QObject) -> bool:
    return isinstance(obj, QAbstractSpinBox) or isinstance(obj.parent(), QAbstractSpinBox)


class KeyRules(QObject):
    """The rules above, as handlers on the app's filter."""

    def __init__(self, parent: QObject, events: AppEvents):
        super().__init__(parent)
        events.on((QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress), self._on_key)

    def _on_key(self, obj: QObject, event: QEvent) -> bool:
        key = event.key()
        if not _plain(event) or key not in (Qt.Key_Space, *_RETURN_KEYS):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            if key == Qt.Key_Space and _number_box(obj):
                event.ignore()  # not the box's: the tab's Space shortcut may take it
                return True
            if key == Qt.Key_Space and isinstance(obj, TAKES_SPACE) and obj.isEnabled():
                event.accept()  # the control's own: no shortcut takes it
                return True
            if key in _RETURN_KEYS and isinstance(obj, QAbstractButton) and obj.isEnabled():
                event.accept()
                return True
            return False
        if key in _RETURN_KEYS and isinstance(obj, QAbstractButton) and obj.hasFocus() \
                and obj.isEnabled() and not event.isAutoRepeat():
            obj.animateClick()
            return True
        return False


def install_key_rules(app) -> KeyRules:
    """Install the rules on ``app`` (again is harmless)."""
    return install_once(app, KeyRules)
