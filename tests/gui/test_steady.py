"""Heights that hold through a run's frames (widgets.steady): a held label keeps its
tallest height until its width or font changes; a wrapped label's height for a width is
worked out once per text and is the label's own."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mlcalc_gui.gui.widgets.steady import WrappedLabel, hold_height

LONG = "a run's message long enough to wrap over three lines or more in a narrow column"


def column(qtbot, label, width=160):
    host = QWidget()
    layout = QVBoxLayout(host)
    layout.addWidget(label)
    layout.addStretch(1)
    host.resize(width, 400)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    return host


def test_a_held_label_keeps_its_tallest_height_until_its_width_or_font_changes(qtbot):
    label = QLabel(LONG)
    label.setWordWrap(True)
    host = column(qtbot, hold_height(label))
    tall = label.height()
    assert tall >= 3 * label.fontMetrics().height()
    label.setText("one line")
    host.layout().activate()
    assert label.height() == tall and label.minimumHeight() == tall  # nothing below moved
    host.resize(400, 400)  # wider: the room is worked out again
    qtbot.waitUntil(lambda: label.height() < tall)
    assert label.height() <= 2 * label.fontMetrics().height()
    label.setText(LONG)
    host.resize(160, 400)
    qtbot.waitUntil(lambda: label.height() >= tall)
    label.setText("one line")
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 0.5)
    label.setFont(font)  # another text size releases the held height
    qtbot.waitUntil(lambda: label.height() < tall / 2)


def test_a_wrapped_labels_height_is_worked_out_once_per_text_and_width(qtbot):
    label = WrappedLabel("<b>rich</b> " + LONG)
    plain = QLabel(label.text())
    plain.setWordWrap(True)
    hosts = column(qtbot, label), column(qtbot, plain)  # noqa: F841 (kept alive)
    assert label.heightForWidth(160) == plain.heightForWidth(160)
    assert label.heightForWidth(400) == plain.heightForWidth(400)
    calls = []
    original = QLabel.heightForWidth
    QLabel.heightForWidth = lambda self, w: calls.append(w) or original(self, w)
    try:
        first = label.heightForWidth(160)
        assert label.heightForWidth(160) == first and calls == []  # remembered
        label.setText("short")
        short = label.heightForWidth(160)
        assert calls == [160] and short < first
    finally:
        QLabel.heightForWidth = original
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    assert label.heightForWidth(160) > short  # a new font: worked out again


def test_a_held_wrapped_label_shrinks_when_it_is_widened(qtbot):
    """The two together (a run's message): the remembered height for a width is not the
    held height of another width."""
    label = WrappedLabel(LONG)
    host = column(qtbot, hold_height(label))
    tall = label.height()
    label.setText("one line")
    host.resize(400, 400)
    qtbot.waitUntil(lambda: label.height() < tall)
    assert label.height() == label.fontMetrics().height()


def test_a_held_height_lets_go_once_the_text_settles(qtbot):
    """Held while it changes (a run's frames); a second after its last change the label
    takes only what it needs, and nothing holds a room once the run is over."""
    from mlcalc_gui.gui.widgets.steady import SETTLE_MS

    label = QLabel(LONG)
    label.setWordWrap(True)
    host = column(qtbot, hold_height(label))
    tall = label.height()
    label.setText("one line")
    host.layout().activate()
    assert label.height() == tall
    qtbot.waitUntil(lambda: label.height() == label.fontMetrics().height(),
                    timeout=3 * SETTLE_MS)


def test_the_side_column_keeps_its_room_while_it_changes_then_settles(qtbot):
    """A tab's column: a message a line shorter leaves its room at the bottom (nothing
    above or below is laid out again), and a second later the column needs only what
    it shows."""
    from mlcalc_gui.gui.kit.widgets import side_panel
    from mlcalc_gui.gui.widgets.steady import SETTLE_MS

    panel = QWidget()
    layout = QVBoxLayout(panel)
    top = QLabel("the explanation")
    message = QLabel(LONG * 4)
    message.setWordWrap(True)
    layout.addWidget(top)
    layout.addWidget(message)
    layout.addStretch(1)
    scroll = side_panel(panel, min_width=200)
    scroll.resize(220, 120)  # shorter than its content: it scrolls
    qtbot.addWidget(scroll)
    scroll.show()
    qtbot.waitExposed(scroll)
    qtbot.waitUntil(lambda: panel.height() > 120)
    tall = panel.height()
    message.setText("one line")
    qtbot.waitUntil(lambda: message.height() < 2 * message.fontMetrics().height())
    assert panel.height() == tall  # held: the room stays
    qtbot.waitUntil(lambda: panel.height() < tall, timeout=3 * SETTLE_MS)
    assert panel.height() <= max(120, panel.layout().totalHeightForWidth(panel.width()))
