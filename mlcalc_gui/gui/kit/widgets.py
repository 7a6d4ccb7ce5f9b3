"""The pieces a tab's page is laid out with: its control column and explanation, the
views' scrolling area, titled views, the labels that say what is wrong or hint, and the
Undo line."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.gui import theme
from mlcalc_gui.gui.theme import ERROR_STYLE, WARNING_STYLE
from mlcalc_gui.gui.widgets.steady import WrappedLabel, hold_height

__all__ = ["ViewsArea", "side_panel", "panel_column", "error_label", "note_label",
           "plain_label", "number_box", "button_row",
           "UndoNote", "EXPLAINS", "VIEW_TITLE", "titled", "selectable_readouts",
           "ExplanationBox"]


class ViewsArea(QScrollArea):
    """A tab's views, scrolling (both ways) when the window cannot give every view its
    least size, which grows with the text (gui.scale), instead of squashing them; it asks
    for little room itself, so the window fits any screen at any text size."""

    def __init__(self, views: QWidget):
        super().__init__()
        self.setWidget(views)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        return QSize(160, 120)


class _Column(QScrollArea):
    """A scroll area never narrower than its column's widest control (larger text,
    Ctrl+=, widens the column instead of clipping it: it cannot scroll sideways).

    Its content keeps the most height it has needed at this width and text size while
    it keeps changing: a readout or a run's message one line shorter leaves room at the
    bottom instead of laying the whole column out again, every control in it moved and
    painted, at every frame of a run (Gradients' column did that twice a frame).  A
    second after its last change it takes only what it needs (widgets.steady)."""

    def __init__(self, min_width: int):
        super().__init__()
        self._min_width = min_width

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        width = (inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                 + 2 * self.frameWidth())
        return QSize(max(self._min_width, width), hint.height())


def side_panel(panel: QWidget, min_width: int = 350) -> QScrollArea:
    """The tab's control column: scrolls vertically, never horizontally, and keeps room
    for its scroll bar so no text runs under it."""
    scroll = _Column(min_width)
    scroll.setWidget(hold_height(panel, QEvent.LayoutRequest))
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    scroll.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOn)
    return scroll


def panel_column(explanation_html: str) -> tuple[QWidget, QVBoxLayout]:
    """A tab's control column, opening with its explanation; add the controls below."""
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(4, 4, 8, 4)
    layout.addWidget(ExplanationBox(explanation_html))
    return panel, layout


def plain_label(text: str = "") -> QLabel:
    """A word-wrapped label that shows plain text only (words that may quote what was
    typed or read: never rich text)."""
    label = WrappedLabel(text)
    label.setTextFormat(Qt.PlainText)
    return label


def number_box(tip: str, *, decimals: int = 2, step: float = 1.0, lo: float = -1e4,
               hi: float = 1e4, value: float | None = None, special: str = ""
               ) -> QDoubleSpinBox:
    """A decimal number box: a value when Enter is pressed or the box is left, not each
    key typed towards it; ``special`` names its lowest value ("none", "anywhere")."""
    box = QDoubleSpinBox()
    box.setDecimals(decimals)
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setKeyboardTracking(False)
    if value is not None:
        box.setValue(value)
    if special:
        box.setSpecialValueText(special)
    box.setToolTip(tip)
    return box


def button_row(*buttons: tuple[str, str, Callable[[], object]]) -> QHBoxLayout:
    """Push buttons side by side, each ``(text, tooltip, what a press does)``."""
    row = QHBoxLayout()
    for text, tip, pressed in buttons:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(pressed)
        row.addWidget(button)
    return row


def error_label() -> QLabel:
    """A hidden, word-wrapped label for saying what is wrong with an input.  It shows
    plain text only: the message may repeat what was typed or read from a file."""
    label = WrappedLabel()
    label.setTextFormat(Qt.PlainText)
    label.setStyleSheet(ERROR_STYLE)
    label.setVisible(False)
    return label


def note_label(text: str = "") -> QLabel:
    """A quiet, word-wrapped hint."""
    label = WrappedLabel(text)
    label.setStyleSheet(theme.NOTE_STYLE)
    return label


class UndoNote(QWidget):
    """A line saying what was just set aside, with an Undo button: work thrown away by a
    change of settings can be brought back (the tab keeps what ``sig_undo`` restores)."""

    sig_undo = Signal()

    def __init__(self, key: str = "Ctrl+Z", parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = WrappedLabel()
        self.label.setTextFormat(Qt.PlainText)
        self.label.setStyleSheet(WARNING_STYLE)
        self.button = QPushButton(f"Undo ({key})")
        self.button.setToolTip("Bring back what was set aside")
        self.button.clicked.connect(self.sig_undo)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.setVisible(False)

    def offer(self, text: str) -> None:
        self.label.setText(text)
        self.setVisible(True)

    def clear(self) -> None:
        self.setVisible(False)


#: A widget with this property set explains (a caption under a plot): presentation mode
#: hides it with the explanations, the lecturer says it.
EXPLAINS = "mlc_explains"

#: The property naming a view (a titled box) for the exports' choice of view.
VIEW_TITLE = "mlc_view_title"


def titled(widget: QWidget, title: str) -> QWidget:
    """``widget`` under a bold one-line title."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label = WrappedLabel(f"<b>{title}</b>")  # a larger text (presentation) wraps, not clips
    label.setStyleSheet(theme.CAPTION_STYLE)
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    box.setProperty(VIEW_TITLE, title)  # a view an export may choose (gui.export)
    return box


def selectable_readouts(root: QWidget) -> None:
    """Every label under ``root`` that reads out (not a control's name, nor a picture)
    can be selected and copied with the mouse: a learner takes the numbers into notes."""
    from PySide6.QtWidgets import QAbstractButton

    from mlcalc_gui.gui.widgets.typeset import TypesetLabel

    for label in root.findChildren(QLabel):
        flags = label.textInteractionFlags()
        if (label.buddy() is None and not flags & Qt.TextSelectableByMouse
                and not isinstance(label.parent(), QAbstractButton)
                and not isinstance(label, TypesetLabel)  # copied as LaTeX instead
                and label.pixmap().isNull()):
            label.setTextInteractionFlags(flags | Qt.TextSelectableByMouse)



class ExplanationBox(QWidget):
    """A collapsible "What am I looking at?" panel, open by default, so a tab explains itself."""

    def __init__(self, html: str, parent: QWidget | None = None, title: str = "What is this?"):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toggle = QToolButton()
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.DownArrow)
        self.toggle.setStyleSheet("QToolButton { border: none; font-weight: bold; }")
        self.toggle.setToolTip("Show or hide the explanation")
        self.body = WrappedLabel(html)
        self.body.setTextFormat(Qt.RichText)
        self.body.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        self.body.setStyleSheet(theme.EXPLANATION_STYLE)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.toggle.toggled.connect(self._on_toggled)

    def _on_toggled(self, shown: bool) -> None:
        self.body.setVisible(shown)
        self.toggle.setArrowType(Qt.DownArrow if shown else Qt.RightArrow)
