"""Controls bound to the fields of a page's state: the state is the truth.

napari's pattern: the model holds the value, a control mirrors it, and a change made by
the program is written into the control under a signal blocker, so that only the
learner's own edits call back.  A page binds each number box, tick box and choice to one
field of its state once; :meth:`Binder.values` is that part of the state as it is, and
:meth:`Binder.set` brings fields (a preset, a session, a point dragged on a plot) into
the state and the controls in one trip.  No page writes ``blockSignals`` by hand, and no
control can be forgotten by a session: the contract test changes every bound control,
saves, changes it again and opens the session.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QSignalBlocker
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QSpinBox,
    QWidget,
)

__all__ = ["Binder"]


@dataclass(frozen=True)
class _Binding:
    control: QWidget
    read: Callable[[], Any]
    write: Callable[[Any], None]


def _accessors(control: QWidget) -> tuple[Callable[[], Any], Callable[[Any], None], Any]:
    """How to read, write and hear ``control``: its value, and its signal of a change."""
    if isinstance(control, QDoubleSpinBox):
        return control.value, lambda v: control.setValue(float(v)), control.valueChanged
    if isinstance(control, QSpinBox | QAbstractSlider):
        return control.value, lambda v: control.setValue(int(v)), control.valueChanged
    if isinstance(control, QAbstractButton) and control.isCheckable():
        return control.isChecked, lambda v: control.setChecked(bool(v)), control.toggled
    if isinstance(control, QComboBox):
        # The item's data if it has one (a key), else its text.
        def read() -> Any:
            data = control.currentData()
            return control.currentText() if data is None else data

        def write(value: Any) -> None:
            index = control.findData(value)
            control.setCurrentIndex(index if index >= 0 else control.findText(str(value)))

        return read, write, control.currentIndexChanged
    raise TypeError(f"no binding for a {type(control).__name__}")


class Binder(QObject):
    """The fields of a state that controls show, and the controls that show them."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._bindings: dict[str, _Binding] = {}
        self._values: dict[str, Any] = {}

    def bind(self, field: str, control: QWidget,
             edited: Callable[[Any], None] | None = None) -> QWidget:
        """Bind ``control`` to ``field`` (its value now is the field's); ``edited(value)``
        is called when the learner changes it, after the field has taken the value.
        Returns the control."""
        if field in self._bindings:
            raise ValueError(f"{field!r} is bound already")
        read, write, changed = _accessors(control)
        if isinstance(control, QAbstractSpinBox):
            control.setKeyboardTracking(False)  # a value, not each key typed towards it
        self._bindings[field] = _Binding(control, read, write)
        self._values[field] = read()

        def on_change(*_: Any) -> None:
            self._values[field] = read()
            if edited is not None:
                edited(self._values[field])

        changed.connect(on_change)
        return control

    def number(self, field: str, state: type, tip: str, edited: Callable[[Any], None] | None,
               *, step: float = 1, decimals: int = 2, lo: float | None = None,
               hi: float | None = None) -> QSpinBox | QDoubleSpinBox:
        """A number box for ``field`` of the frozen ``state`` class, made from the field:
        a whole-number box for an int field, else a decimal one; its range the field's
        limits (narrowed by ``lo`` and ``hi`` where a box should offer less); its value
        the field's default; ``tip`` its tooltip.  Bound (see :meth:`bind`) and returned."""
        spec = next((f for f in dataclasses.fields(state) if f.name == field), None)
        if spec is None:
            raise KeyError(f"{state.__name__} has no field {field!r}")
        limits = spec.metadata
        low = lo if lo is not None else limits.get("lo")
        high = hi if hi is not None else limits.get("hi")
        whole = isinstance(spec.default, int) and not isinstance(spec.default, bool)
        box = QSpinBox() if whole else QDoubleSpinBox()
        if not whole:
            box.setDecimals(decimals)
        box.setRange(low if low is not None else -1e12, high if high is not None else 1e12)
        box.setSingleStep(step)
        box.setValue(spec.default)
        box.setToolTip(tip)
        return self.bind(field, box, edited)

    def __getitem__(self, field: str) -> Any:
        return self._values[field]

    def control(self, field: str) -> QWidget:
        return self._bindings[field].control

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self._bindings)

    def values(self) -> dict[str, Any]:
        """Each bound field's value now (the part of the page's state the controls show)."""
        return dict(self._values)

    def set(self, **values: Any) -> None:
        """Give fields new values and show them in their controls, without calling back
        (the program set them, not the learner).  A control that cannot hold a value
        (outside its range) keeps what it can, and so does the field."""
        for field, value in values.items():
            binding = self._bindings[field]
            with QSignalBlocker(binding.control):
                binding.write(value)
            self._values[field] = binding.read()

    def configure(self, field: str, change: Callable[[QWidget], None]) -> None:
        """Change ``field``'s control (its range, say) without calling back; the field
        takes whatever value the control holds after it."""
        binding = self._bindings[field]
        with QSignalBlocker(binding.control):
            change(binding.control)
        self._values[field] = binding.read()
