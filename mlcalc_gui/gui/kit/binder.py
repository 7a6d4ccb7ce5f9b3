"""Controls bound to the fields of a page's state: the state is the truth.

napari's pattern: the model holds the value, a control mirrors it, and a change made by
the program is written into the control under a signal blocker, so that only the
learner's own edits call back.  A page binds each number box, tick box and choice to one
field of its state once; :meth:`Binder.values` is that part of the state as it is, and
:meth:`Binder.set` brings fields (a preset, a session, a point dragged on a plot) into
the state and the controls in one trip.  A field may show in more than one control (a
number box and a log-scale slider beside it, through ``shown`` and ``taken``): an edit in
one is shown in the others.  No page writes ``blockSignals`` by hand, and no control can
be forgotten by a session: the contract test changes every bound control, saves, changes
it again and opens the session.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
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
        self._bindings: dict[str, list[_Binding]] = {}
        self._values: dict[str, Any] = {}
        self._tuples: dict[str, tuple[str, ...]] = {}  # a tuple field: its elements' names

    def bind(self, field: str, control: QWidget,
             edited: Callable[[Any], None] | None = None, *,
             shown: Callable[[Any], Any] | None = None,
             taken: Callable[[Any], Any] | None = None) -> QWidget:
        """Bind ``control`` to ``field``; ``edited(value)`` is called when the learner
        changes it, after the field (and every other control of the field) has taken the
        value.  The first control bound gives the field its value; a further one shows
        that value.  ``shown(value)`` is what the control holds for a value of the field
        and ``taken(raw)`` the value a control's own value means (a slider of log₁₀ h:
        ``shown=lambda h: round(100 * log10(h))``, ``taken=lambda v: 10 ** (v / 100)``).
        Returns the control."""
        raw_read, raw_write, changed = _accessors(control)
        read = raw_read if taken is None else (lambda: taken(raw_read()))
        write = raw_write if shown is None else (lambda value: raw_write(shown(value)))
        if isinstance(control, QAbstractSpinBox):
            control.setKeyboardTracking(False)  # a value, not each key typed towards it
        binding = _Binding(control, read, write)
        if field in self._bindings:
            if any(b.control is control for b in self._bindings[field]):
                raise ValueError(f"{field!r} is bound to this control already")
            self._bindings[field].append(binding)
            self._show(binding, self._values[field])
        else:
            self._bindings[field] = [binding]
            self._values[field] = read()

        def on_change(*_: Any) -> None:
            value = read()
            first = self._bindings[field][0]
            if binding is not first:  # the first control holds what the field can be
                self._show(first, value)  # (a number box's decimals)
                value = first.read()
            self._values[field] = value
            for other in self._bindings[field][1:]:
                if other is not binding:  # (the one being dragged keeps its place)
                    self._show(other, value)
            if edited is not None:
                edited(value)

        changed.connect(on_change)
        return control

    def bind_each(self, field: str, controls: Sequence[QWidget],
                  edited: Callable[[tuple], None] | None = None) -> None:
        """Bind a tuple field, one control per element (a domain's four boxes, a
        point's two): the field is the tuple of their values, and ``edited(value)`` gets
        the whole tuple when the learner changes one."""
        names = tuple(f"{field}[{i}]" for i in range(len(controls)))
        whole = (lambda _: edited(self[field])) if edited is not None else None
        for name, control in zip(names, controls, strict=True):
            self.bind(name, control, whole)
        self._tuples[field] = names

    @staticmethod
    def _show(binding: _Binding, value: Any) -> None:
        with QSignalBlocker(binding.control):
            binding.write(value)

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
        if field in self._tuples:
            return tuple(self._values[name] for name in self._tuples[field])
        return self._values[field]

    def control(self, field: str) -> QWidget:
        """The control that gives ``field`` its value (the first bound)."""
        return self._bindings[field][0].control

    @property
    def fields(self) -> tuple[str, ...]:
        elements = {name for names in self._tuples.values() for name in names}
        return (*(f for f in self._bindings if f not in elements), *self._tuples)

    def values(self) -> dict[str, Any]:
        """Each bound field's value now (the part of the page's state the controls show)."""
        return {field: self[field] for field in self.fields}

    def set(self, **values: Any) -> None:
        """Give fields new values and show them in their controls, without calling back
        (the program set them, not the learner).  A control that cannot hold a value
        (outside its range) keeps what it can, and so does the field."""
        for field, value in list(values.items()):
            if field in self._tuples:
                self.set(**dict(zip(self._tuples[field], value, strict=True)))
                continue
            first, *others = self._bindings[field]
            self._show(first, value)
            self._values[field] = first.read()
            for other in others:
                self._show(other, self._values[field])

    def configure(self, field: str, change: Callable[[QWidget], None]) -> None:
        """Change ``field``'s control (its range, say) without calling back; the field
        takes whatever value the control holds after it."""
        first, *others = self._bindings[field]
        with QSignalBlocker(first.control):
            change(first.control)
        self._values[field] = first.read()
        for other in others:
            self._show(other, self._values[field])

    def refresh(self, field: str) -> None:
        """Show ``field`` again in every control (what ``shown`` gives has changed: a
        slider's scale follows the domain)."""
        for binding in self._bindings[field]:
            self._show(binding, self._values[field])
