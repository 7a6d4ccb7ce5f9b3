"""Several formulas typed together, as one input: a map's u and v, a path's x(t) and y(t)
with the f it walks on.  A preset list, one line per formula (each in its own
variables), an optional domain, and Draw.

:meth:`FormulasInput.apply` parses every line with the safe parser; a bad line is refused
with a message beside the input naming it, that line marked and its cursor where the
mistake is, and the previous formulas stay.  Good ones are announced together by
``sig_applied(functions, domain)``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from mlcalc_gui.core.expressions import ExpressionError, Function, parse_function
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.binder import Binder
from mlcalc_gui.gui.kit.widgets import error_label, note_label
from mlcalc_gui.gui.panels.function_input import PresetChoice, domain_boxes

__all__ = ["Formula", "FormulasInput"]


@dataclass(frozen=True)
class Formula:
    """One line of the input: its name ("u", "x(t)"), its variables, a tooltip."""

    name: str
    variables: tuple[str, ...]
    tip: str = ""


class FormulasInput(PresetChoice, QGroupBox):
    """``presets`` have a ``name``, a ``note`` and, read by ``texts_of(preset)``, the
    formulas' texts; ``domain`` names the variables whose from/to boxes it shows (none:
    no boxes).  ``check(functions, domain)`` may refuse formulas that parse."""

    sig_applied = Signal(object, object)  # (tuple of Functions, domain)
    sig_preset = Signal(object)
    sig_status = Signal(str)

    def __init__(self, title: str, formulas: Sequence[Formula], presets: Sequence,
                 texts_of: Callable[[object], tuple[str, ...]],
                 domain: tuple[str, ...] = (),
                 check: Callable[[tuple[Function, ...], tuple], str | None] | None = None):
        super().__init__(title)
        self.formulas = tuple(formulas)
        self.presets = tuple(presets)
        self._texts_of = texts_of
        self._check = check
        self.functions: tuple[Function, ...] = ()
        self.domain: tuple[float, ...] = ()
        layout = QVBoxLayout(self)
        self.preset_combo = QComboBox()
        self.preset_combo.addItems([p.name for p in self.presets] + ["Your own…"])
        self.preset_combo.setToolTip("Choose one of the classic examples, or type your own "
                                     "below")
        self.preset_combo.activated.connect(self._on_preset_chosen)
        layout.addWidget(self.preset_combo)
        grid = QGridLayout()
        self.edits: list[QLineEdit] = []
        for row, formula in enumerate(self.formulas):
            label = QLabel(f"{formula.name} =")
            edit = QLineEdit()
            edit.setToolTip(formula.tip or (
                f"A formula in {', '.join(formula.variables)}: ^ for powers, 2x y for "
                "products; sin cos exp log sqrt tanh sigmoid …, pi and e. Enter draws it."))
            edit.returnPressed.connect(self.apply)
            label.setBuddy(edit)
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            self.edits.append(edit)
        draw = QPushButton("Draw")
        draw.setToolTip("Draw what is typed (Enter in any line)")
        draw.clicked.connect(self.apply)
        grid.addWidget(draw, 0, 2)
        layout.addLayout(grid)
        self.error = error_label()
        layout.addWidget(self.error)
        self.domain_names = tuple(domain)
        self.domain_spins: list[QDoubleSpinBox] = []
        self.binder = Binder(self)
        if domain:
            boxes, self.domain_spins = domain_boxes(domain, self.binder, self._on_domain_edited)
            layout.addLayout(boxes)
        self.note = note_label()
        layout.addWidget(self.note)

    # ---- what the tab calls ---------------------------------------------------------------
    def texts(self) -> tuple[str, ...]:
        return tuple(edit.text() for edit in self.edits)

    def set_input(self, texts: Sequence[str], domain: Sequence[float] = ()) -> bool:
        """Put ``texts`` and ``domain`` in the boxes and apply them (a preset, a state)."""
        for edit, text in zip(self.edits, texts, strict=True):
            edit.setText(text)
            edit.setCursorPosition(0)
        if self.domain_spins:
            self.binder.set(domain=tuple(domain))
        return self.apply()

    @Slot()
    def apply(self) -> bool:
        """Parse every line; False (and a message beside the input) if one is refused,
        keeping the previous formulas."""
        functions = []
        for edit, formula in zip(self.edits, self.formulas, strict=True):
            try:
                functions.append(parse_function(edit.text(), variables=formula.variables))
            except ExpressionError as exc:
                self._show_error(f"{formula.name}: {exc}", edit, exc.position)
                return False
        functions = tuple(functions)
        try:
            domain = self._read_domain()
        except ValueError as exc:
            self._show_error(str(exc), None, None)
            return False
        problem = self._check(functions, domain) if self._check else None
        if problem:
            self._show_error(problem, None, None)
            return False
        self.error.setVisible(False)
        for edit in self.edits:
            edit.setStyleSheet("")
        texts = tuple(f.text for f in functions)
        self._name_preset(lambda p: tuple(self._texts_of(p)) == texts)
        self.functions, self.domain = functions, domain
        self.sig_applied.emit(functions, domain)
        return True

    # ---- inside ----------------------------------------------------------------------------
    def _first_edit(self) -> QLineEdit:
        return self.edits[0]

    def _on_domain_edited(self) -> None:
        if self.functions and self.binder["domain"] != self.domain:
            self.apply()

    def _read_domain(self) -> tuple[float, ...]:
        values = self.binder["domain"] if self.domain_spins else ()
        for var, lo, hi in zip(self.domain_names, values[::2], values[1::2], strict=True):
            if not hi > lo:
                raise ValueError(f"'{var} from' must be smaller than 'to'")
        return values

    def _show_error(self, message: str, edit: QLineEdit | None, position: int | None) -> None:
        self.error.setText(f"⚠ {message}. The previous one stays.")
        self.error.setVisible(True)
        for other in self.edits:
            other.setStyleSheet(theme.INPUT_ERROR_STYLE if other is edit else "")
        if edit is not None:
            edit.setFocus()
            if position is not None:
                edit.setCursorPosition(position)
        self.sig_status.emit("Not drawn: " + message)
