"""A seeded run of random actions on a tab, as a learner (or a cat on the keyboard) makes
them: clicks, choices, typed text (hostile too), numbers, sliders, map clicks, the tab's
keys, and special or malformed files handed back by the file dialog.

Shared by the fuzz test (``tests/contract/test_fuzz_actions.py``: no crash, no uncaught
exception) and the benchmark (``python -m benchmarks``: ``action_stall_max_ms``, the most
one action kept the GUI from answering), so that the wall clock is read only where it is
a measurement, never an assertion of a test."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QSlider,
    QTabWidget,
    QWidget,
)

from mlcalc_gui.gui.widgets.contour_view import ContourView

__all__ = ["TEXTS", "make_files", "controls", "random_actions"]

TEXTS = ['<img src="/dev/zero">', "<b>bold</b>", "x^^2", "1e999", "99999999999999999999",
         "²", "٣", "", "   ", "sin x", "x^x^x^x^x^x^x^x", "nan", "-inf", "1/(x-x)",
         "(" * 40, "log(-1)", "10^100", "10^20 + x^2", "sign(x)", "(-1)^x", "0", "-5",
         "3.7", "x + y", "exp(1000 x)", "64 64 64 64", "6 7", "1e-300", "é", "f x / sigma",
         "atan(arccos(100 ^ 1e-300))", "x" * 300]


def make_files(folder: Path) -> list[str]:
    """What the file dialog hands back: special files, malformed and good ones, none."""
    (folder / "bad.csv").write_text("height\nabc\n")
    (folder / "huge.csv").write_text("1e308\n1.5e308\n")
    (folder / "one.csv").write_text("170\n170\n")
    (folder / "bin.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "good.csv").write_text("\n".join(str(150 + (k * 37) % 40) for k in range(300)))
    (folder / "points.csv").write_text("x,y\n1,2\n2,3.5\n3,3.9\n")
    fifo = folder / "pipe.csv"
    if not fifo.exists():
        os.mkfifo(fifo)
    return [str(p) for p in (folder / "bad.csv", folder / "huge.csv", folder / "one.csv",
                             folder / "bin.csv", folder / "good.csv",
                             folder / "points.csv", fifo, folder)] + ["/dev/zero", ""]


def controls(tab: QWidget) -> list[QWidget]:
    """The tab's controls a learner can reach now (shown and enabled)."""
    kinds = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QSlider, ContourView,
             QTabWidget)
    return [w for w in tab.findChildren(QWidget)
            if isinstance(w, kinds) and w.isVisible() and w.isEnabled()
            and not isinstance(w.parentWidget(), QAbstractSpinBox)]  # (a box's own edit)


def _type(edit: QLineEdit, text: str) -> None:
    """Type ``text`` over what is there and press Enter (text beyond ASCII is pasted:
    QTest cannot type it)."""
    edit.selectAll()
    if text.isascii():
        QTest.keyClicks(edit, text)
    else:
        edit.insert(text)
    QTest.keyClick(edit, Qt.Key_Return)


def _act(rng: random.Random, widget: QWidget) -> str:
    if isinstance(widget, QAbstractButton):
        QTest.mouseClick(widget, Qt.LeftButton)
        return f"click {widget.text()!r}"
    if isinstance(widget, QComboBox):
        index = rng.randrange(widget.count())
        widget.setCurrentIndex(index)
        widget.activated.emit(index)
        return f"choose {widget.itemText(index)!r}"
    if isinstance(widget, QAbstractSpinBox):
        edit = widget.findChild(QLineEdit)
        text = rng.choice(TEXTS + [str(rng.uniform(-1e3, 1e3))])[:40]
        _type(edit, text)
        return f"number {text!r}"
    if isinstance(widget, QLineEdit):
        text = rng.choice(TEXTS)
        widget.setFocus()
        _type(widget, text)
        return f"type {text[:30]!r}"
    if isinstance(widget, QSlider):
        widget.setValue(rng.randint(widget.minimum(), widget.maximum()))
        return f"slide {widget.value()}"
    if isinstance(widget, ContourView):
        at = QPoint(rng.randrange(max(widget.width(), 1)), rng.randrange(max(widget.height(), 1)))
        QTest.mouseClick(widget.viewport(), Qt.LeftButton, Qt.NoModifier, at)
        return f"map {at.x()},{at.y()}"
    if isinstance(widget, QTabWidget):
        widget.setCurrentIndex(rng.randrange(widget.count()))
        return f"page {widget.currentIndex()}"
    raise TypeError(type(widget))


def _key(rng: random.Random, tab) -> str:
    shortcut = rng.choice(tab.shortcuts)
    combo = QKeySequence(shortcut.key)[0]
    focus = QApplication.focusWidget()
    target = focus if focus is not None and tab.isAncestorOf(focus) else tab
    QTest.keyClick(target, combo.key(), combo.keyboardModifiers())
    return f"key {shortcut.key}"


def random_actions(tab, rng: random.Random, count: int) -> Iterator[tuple[str, float]]:
    """``count`` random actions on ``tab``: each as (what it was, the seconds it kept the
    GUI, until what the workers sent meanwhile was drawn)."""
    for _ in range(count):
        start = time.perf_counter()
        reachable = controls(tab)
        if rng.random() < 0.25 or not reachable:
            what = _key(rng, tab)
        else:
            what = _act(rng, rng.choice(reachable))
        QApplication.processEvents()  # what the workers sent meanwhile is drawn
        yield what, time.perf_counter() - start
