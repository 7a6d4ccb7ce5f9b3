"""The function input every function tab shares: presets, the typed formula, the domain,
and the error beside the input."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from mlcalc_gui.core.expressions import ExpressionError, Function, parse_function
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.binder import Binder
from mlcalc_gui.gui.kit.widgets import error_label, note_label, number_box

__all__ = ["FunctionInput", "PresetChoice", "domain_boxes"]

Domain = tuple[float, ...]


def domain_boxes(variables: Sequence[str], binder: Binder, edited: Callable[[], None]
                 ) -> tuple[QGridLayout, list[QDoubleSpinBox]]:
    """A "from … to …" pair of number boxes for each variable, in rows, bound to the
    field ``domain`` of ``binder``; ``edited`` is called when the learner changes one
    (Enter, leaving the box, or its arrows)."""
    grid = QGridLayout()
    spins: list[QDoubleSpinBox] = []
    for i, var in enumerate(variables):
        for j, text in enumerate((f"{var} from", "to")):
            spin = number_box("What is drawn: applied on Enter, on leaving the box, or at "
                              "each step of its arrows", step=0.5)
            label = QLabel(text)
            label.setBuddy(spin)
            grid.addWidget(label, i, 2 * j)
            grid.addWidget(spin, i, 2 * j + 1)
            spins.append(spin)
    binder.bind_each("domain", spins, lambda _: edited())
    return grid, spins


class PresetChoice:
    """The preset list of an input: naming the preset what is typed is (or "Your own…")
    with its note, and a choice from it (its own: to type, the first line focused)."""

    presets: tuple
    preset_combo: QComboBox
    note: QLabel
    sig_preset: Signal

    def _name_preset(self, matches) -> None:
        """The list names the first preset ``matches(preset)``, or "Your own…"."""
        match = [i for i, p in enumerate(self.presets) if matches(p)]
        self.preset_combo.setCurrentIndex(match[0] if match else len(self.presets))
        self.note.setText(self.presets[match[0]].note if match else "")

    def wire(self, page, applied: Callable) -> None:
        """Connect the input to ``page``: a function accepted goes to ``applied``, a
        preset chosen to ``page.apply_preset``, what it says to ``page.sig_status``."""
        self.sig_applied.connect(applied)
        self.sig_preset.connect(page.apply_preset)
        self.sig_status.connect(page.sig_status)

    def _first_edit(self) -> QLineEdit:  # pragma: no cover - abstract
        raise NotImplementedError

    def _on_preset_chosen(self, index: int) -> None:
        if index >= len(self.presets):
            self._first_edit().setFocus()
            self._first_edit().selectAll()
            return
        preset = self.presets[index]
        self.note.setText(preset.note)
        self.sig_preset.emit(preset)


class FunctionInput(PresetChoice, QGroupBox):
    """A preset list, a line edit for f and a domain (from/to per variable).

    :meth:`apply` parses what is typed with the safe parser; a good function is kept
    and announced by ``sig_applied(function, domain)``; a bad one is refused with a
    message beside the input and the previous function stays.  ``check(function,
    domain)`` may refuse a function that parses (undefined on the whole domain, say).

    With a ``host`` (the tab, whose workers it uses), what the learner types is checked
    off the GUI thread: the check works out f's derivatives symbolically (sympy, tens of
    milliseconds), and the newest text wins.  ``prepare(function, domain)``, if set,
    runs in the same job after the check (a landscape's pictures): its result is
    :attr:`prepared` when ``sig_applied`` comes (None after :meth:`set_input`, which (a
    preset, a session, a lesson) checks at once, as it must answer whether the function
    was taken).
    """

    sig_applied = Signal(object, object)  # (Function, domain)
    sig_preset = Signal(object)  # the preset chosen from the list
    sig_status = Signal(str)

    def __init__(self, presets: Sequence, variables: tuple[str, ...] = ("x", "y"),
                 title: str = "", check: Callable[[Function, Domain], str | None] | None = None,
                 placeholder: str = "e.g. x^2 - y^2, sin(x) exp(-y^2), 2x y", host=None):
        self.variables = variables
        name = f"f({', '.join(variables)})"
        super().__init__(title or f"The function {name}")
        self.presets = tuple(presets)
        self.function: Function | None = None
        self.domain: Domain = ()
        self._check = check
        self.prepare: Callable[[Function, Domain], object] | None = None
        self.prepared: object | None = None  # what prepare made for the function taken
        self.task = None
        if host is not None and check is not None:
            from mlcalc_gui.gui.run.background import BackgroundTask

            self.task = BackgroundTask(host)
            self.task.sig_done.connect(self._on_checked)
            self.task.sig_failed.connect(lambda _, why: self._show_error(why, None))
        layout = QVBoxLayout(self)
        self.preset_combo = QComboBox()
        self.preset_combo.addItems([p.name for p in self.presets] + ["Your own…"])
        self.preset_combo.setToolTip("Choose a classic function, or type your own below")
        self.preset_combo.activated.connect(self._on_preset_chosen)
        layout.addWidget(self.preset_combo)
        row = QHBoxLayout()
        label = QLabel(f"{name} =")
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setToolTip(
            "Write maths as usual: ^ for powers, 2x y for products; sin cos tan exp log sqrt "
            "abs tanh sigmoid …, pi and e. Press Enter to draw it.")
        self.edit.returnPressed.connect(self.apply)
        label.setBuddy(self.edit)
        draw = QPushButton("Draw")
        draw.setToolTip("Draw the typed function (Enter)")
        draw.clicked.connect(self.apply)
        row.addWidget(label)
        row.addWidget(self.edit, 1)
        row.addWidget(draw)
        layout.addLayout(row)
        self.error = error_label()
        layout.addWidget(self.error)
        self.binder = Binder(self)
        grid, self.domain_spins = domain_boxes(variables, self.binder, self._on_domain_edited)
        layout.addLayout(grid)
        self.note = note_label()
        layout.addWidget(self.note)

    # ---- what the tab calls ---------------------------------------------------------------
    def text(self) -> str:
        return self.edit.text()

    def set_input(self, text: str, domain: Domain) -> bool:
        """Put ``text`` and ``domain`` in the boxes and apply them (a preset, a state)."""
        self.edit.setText(text)
        self.edit.setCursorPosition(0)  # a long formula shows its beginning
        self.binder.set(domain=tuple(domain))
        return self.apply(now=True)

    @property
    def pending(self) -> bool:
        """What was typed is still being checked (off the GUI thread)."""
        return self.task is not None and self.task.busy

    @Slot()
    def apply(self, now: bool = False) -> bool:
        """Parse the typed function on the domain in the boxes; False (and a message
        beside the input) if refused, keeping the previous function.  With a host and
        not ``now``, the check goes to the worker: True says it parsed, and the function
        is taken (or refused, beside the input) when the check answers."""
        text = self.edit.text()
        try:
            function = parse_function(text, variables=self.variables)
            domain = self._read_domain()
            if self.task is not None and not now:
                check, prepare = self._check, self.prepare

                def work():
                    problem = check(function, domain)
                    ready = prepare(function, domain) if prepare and not problem else None
                    return function, domain, problem, ready

                self.task.submit((text, domain), work)
                return True
            if self.task is not None:
                self.task.cancel()  # a typed function still being checked: this one wins
            problem = self._check(function, domain) if self._check else None
        except ExpressionError as exc:
            self._show_error(str(exc), exc.position)
            return False
        return self._take(function, domain, problem)

    @Slot(object, object)
    def _on_checked(self, _tag, checked) -> None:
        self._take(*checked)

    def _take(self, function: Function, domain: Domain, problem: str | None,
              prepared: object | None = None) -> bool:
        if problem:
            self._show_error(problem, None)
            return False
        self.prepared = prepared
        self.error.setVisible(False)
        self.edit.setStyleSheet("")
        self._name_preset(lambda p: p.text == function.text)
        self.function, self.domain = function, domain
        self.sig_applied.emit(function, domain)
        return True

    # ---- inside ----------------------------------------------------------------------------
    def _first_edit(self) -> QLineEdit:
        return self.edit

    def _on_domain_edited(self) -> None:
        if self.function is not None and self.binder["domain"] != tuple(self.domain):
            self.apply()

    def _read_domain(self) -> Domain:
        values = self.binder["domain"]
        for var, (lo, hi) in zip(self.variables, zip(values[::2], values[1::2], strict=True),
                                 strict=True):
            if not hi > lo:
                raise ExpressionError(f"the domain needs '{var} from' smaller than 'to'")
        return values

    def _show_error(self, message: str, position: int | None) -> None:
        self.error.setText("⚠ " + message)
        self.error.setVisible(True)
        self.edit.setStyleSheet(theme.INPUT_ERROR_STYLE)
        if position is not None:
            self.edit.setCursorPosition(position)
        self.sig_status.emit("Not drawn: " + message)

