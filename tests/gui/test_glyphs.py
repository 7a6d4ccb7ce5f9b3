"""Every character a control or label shows is in its font (#31, item 15): the Pause
button read "▯ Pause" where the font had no "⏸"."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

from mlcalc_gui.gui.shell.registry import TAB_SPECS


def _missing(widget, text: str) -> set[str]:
    metrics = QFontMetrics(widget.font())
    return {ch for ch in text if ord(ch) > 127 and not metrics.inFontUcs4(ord(ch))}


@pytest.mark.parametrize("index", range(len(TAB_SPECS)))
def test_every_glyph_shown_is_in_the_font(qtbot, window, index):
    window.tabs.setCurrentIndex(index)
    tab = window.tab(index)
    qtbot.waitUntil(lambda: tab.built and tab._pending_state is None, timeout=15000)
    missing = {}
    for running in (False, True):  # Play and Pause both
        tab.playback.set_running(running)
        widgets = [*window.findChildren(QAbstractButton), *window.findChildren(QLabel),
                   *window.findChildren(QGroupBox)]
        for widget in widgets:
            text = widget.title() if isinstance(widget, QGroupBox) else widget.text()
            for ch in _missing(widget, text):
                missing.setdefault(ch, text)
    tab.playback.set_running(False)
    for i in range(window.tabs.count()):
        for ch in _missing(window.tabs.tabBar(), window.tabs.tabText(i)):
            missing.setdefault(ch, window.tabs.tabText(i))
    assert not missing, f"glyphs the font lacks: {missing}"
    assert not tab.playback.play_button.icon().isNull()  # an icon, not a glyph
