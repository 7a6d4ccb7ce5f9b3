"""The rules step by step: the expression's tree with the rule at each node, typeset, and
a walk that applies one rule at a time, the way the course writes it out."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core.derivatives import RULE_TEXT, RuleSteps, Step
from mlcalc_gui.gui.kit.widgets import note_label
from mlcalc_gui.gui.widgets.steady import WrappedLabel
from mlcalc_gui.gui.widgets.typeset import TypesetLabel

__all__ = ["RuleTree", "TypesetSteps", "typeset_steps"]


@dataclass(frozen=True)
class TypesetSteps:
    """The rules and the LaTeX the panel shows, made off the GUI thread."""

    steps: RuleSteps
    node_latex: tuple[str, ...]  # d/dx(sub-expression) = its derivative, per step
    working_latex: tuple[str, ...]  # d/dx f after 0, 1, … n steps


#: How much larger than the text the formulas are: in the tree, and the walk's.
NODE_SCALE, WORKING_SCALE = 1.3, 1.6


def typeset_steps(steps: RuleSteps, font_pt: float | None = None,
                  dpi: float = 96) -> TypesetSteps:
    """The LaTeX of every node and of every stage of the walk (sympy's printer is slow
    enough to belong in the worker), typeset ahead for text of ``font_pt`` points (so
    the GUI thread finds them cached)."""
    import sympy as sp

    from mlcalc_gui.gui.widgets.typeset import formula_size, raster

    x = steps.function.symbols[0]
    dx = sp.latex(x)
    node = tuple(f"{_d_dx(s.expr, dx)} = {latex(s.result)}" for s in steps.steps)
    lhs = _d_dx(steps.function.expr, dx)
    working = tuple(f"{lhs} = {latex(steps.working(k))}" if k else lhs
                    for k in range(len(steps.steps) + 1))
    if font_pt is not None:
        for text in node:
            raster(text, formula_size(font_pt, NODE_SCALE), dpi)
        raster(working[0], formula_size(font_pt, WORKING_SCALE), dpi)  # the rest on demand
    return TypesetSteps(steps, node, working)


def latex(expr) -> str:
    """sympy's LaTeX, lighter: plain parentheses, not \\left( \\right) (sized
    parentheses are only needed around fractions, and they double mathtext's work)."""
    import sympy as sp

    text = sp.latex(expr)
    return text.replace(r"\left(", "(").replace(r"\right)", ")")


def _d_dx(expr, dx: str) -> str:
    inner = latex(expr)
    if r"\frac" in inner:
        return rf"\frac{{d}}{{d{dx}}}\left({inner}\right)"
    return rf"\frac{{d}}{{d{dx}}}({inner})"


class RuleTree(QWidget):
    """The tree of rules and the walk.  ``sig_selected(step)`` when a node is chosen (the
    tab shows that sub-derivative's value at x)."""

    sig_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.typeset: TypesetSteps | None = None
        self.walked = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        split = QSplitter(Qt.Vertical)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Rule", "What it gives"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.setToolTip("The expression as a tree: each node is one rule applied to one "
                             "part of f. Click a node for its value at x.")
        self.tree.currentItemChanged.connect(self._on_current)
        split.addWidget(self.tree)

        walk = QWidget()
        wl = QVBoxLayout(walk)
        wl.setContentsMargins(0, 0, 0, 0)
        self.rule_label = WrappedLabel()
        self.rule_label.setTextFormat(Qt.PlainText)
        self.rule_label.setStyleSheet("font-weight:bold;")
        wl.addWidget(self.rule_label)
        self.working = TypesetLabel(scale=WORKING_SCALE)
        scroll = QScrollArea()
        scroll.setWidget(self.working)
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(70)
        wl.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.back = QPushButton("◀ Previous rule")
        self.back.setToolTip("Undo the last rule (Page Up)")
        self.back.clicked.connect(self.previous_step)
        self.next = QPushButton("Next rule ▶")
        self.next.setToolTip("Apply the next rule (Page Down: a presenter's clicker)")
        self.next.clicked.connect(self.next_step)
        self.all = QPushButton("All rules")
        self.all.setToolTip("Apply every rule: the derivative")
        self.all.clicked.connect(lambda: self.walk_to(len(self._steps())))
        for b in (self.back, self.next, self.all):
            row.addWidget(b)
        wl.addLayout(row)
        self.detail = note_label()
        self.detail.setTextFormat(Qt.PlainText)
        wl.addWidget(self.detail)
        split.addWidget(walk)
        split.setSizes([300, 200])
        layout.addWidget(split)
        self._items: list[QTreeWidgetItem] = []

    def _steps(self) -> tuple[Step, ...]:
        return self.typeset.steps.steps if self.typeset else ()

    @property
    def step_count(self) -> int:
        return len(self._steps())

    # ---- what the tab calls ---------------------------------------------------------------
    def set_steps(self, typeset: TypesetSteps | None, walked: int = 0) -> None:
        self.typeset = typeset
        self.tree.clear()
        self._items = []
        self.detail.setText("")  # a note on the last function's node is stale now
        if typeset is None:
            self.working.set_formula("")
            self.rule_label.setText("")
            self._enable()
            return
        for step, latex in zip(typeset.steps.steps, typeset.node_latex, strict=True):
            parent = self._items[self._parent_index(step)] if step.depth else None
            item = QTreeWidgetItem([step.name])
            item.setToolTip(0, RULE_TEXT.get(step.rule, step.rule))
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            label = TypesetLabel(scale=NODE_SCALE)
            label.set_formula(latex, f"d/dx ({step.expr}) = {step.result}")
            self.tree.setItemWidget(item, 1, label)
            # The row as tall as its typeset formula (else rows overlap until a later
            # layout pass, as they did until the walk started).
            item.setSizeHint(1, label.sizeHint())
            self._items.append(item)
        self.tree.expandAll()
        self.walk_to(min(walked, len(self._items)))

    def _parent_index(self, step: Step) -> int:
        steps = self._steps()
        for i in range(step.index - 1, -1, -1):
            if steps[i].depth == step.depth - 1:
                return i
        return 0

    @Slot()
    def next_step(self) -> None:
        self.walk_to(self.walked + 1)

    @Slot()
    def previous_step(self) -> None:
        self.walk_to(self.walked - 1)

    def walk_to(self, k: int) -> None:
        steps = self._steps()
        k = max(0, min(int(k), len(steps)))
        self.walked = k
        if self.typeset is None:
            return
        self.working.set_formula(self.typeset.working_latex[k])
        if k == 0:
            self.rule_label.setText(f"{len(steps)} rule{'s' * (len(steps) != 1)} to apply: "
                                    "press Next rule "
                                    "(Page Down) to apply the first.")
        else:
            step = steps[k - 1]
            done = " — the derivative is complete." if k == len(steps) else ""
            self.rule_label.setText(f"Rule {k} of {len(steps)}: {step.name}. "
                                    f"{RULE_TEXT.get(step.rule, '')}{done}")
            self.tree.setCurrentItem(self._items[k - 1])
        for i, item in enumerate(self._items):
            font = item.font(0)
            font.setBold(i < k)
            item.setFont(0, font)
        self._enable()

    def show_detail(self, text: str) -> None:
        self.detail.setText(text)

    # ---- inside ----------------------------------------------------------------------------
    def _enable(self) -> None:
        n = len(self._steps())
        self.back.setEnabled(self.walked > 0)
        self.next.setEnabled(self.walked < n)
        self.all.setEnabled(self.walked < n)

    def _on_current(self, item: QTreeWidgetItem | None, _previous) -> None:
        if item is not None and item in self._items:
            self.sig_selected.emit(self._steps()[self._items.index(item)])
