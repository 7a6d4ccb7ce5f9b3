"""The Binder (gui/kit/binder.py): the state's fields are the truth, controls mirror them;
the program's changes call nothing back, the learner's do, and a field shown twice (a box
and a log slider) shows one value."""

from __future__ import annotations

import math

import pytest
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QSlider, QWidget

from mlcalc_gui.gui.kit.binder import Binder


@pytest.fixture
def parts(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    binder = Binder(host)
    box = QDoubleSpinBox(host)
    box.setDecimals(4)
    box.setRange(1e-4, 100.0)
    box.setValue(0.5)
    slider = QSlider(host)
    slider.setRange(-400, 200)  # log10 of the value, in hundredths
    edits = []
    binder.bind("h", box, lambda v: edits.append(("box", v)))
    binder.bind("h", slider, lambda v: edits.append(("slider", v)),
                shown=lambda h: round(100 * math.log10(h)), taken=lambda k: 10 ** (k / 100))
    yield binder, box, slider, edits
    del host  # (kept alive, with its controls, until the test is done)


def test_a_second_control_shows_the_field_the_first_gave(parts):
    binder, box, slider, edits = parts
    assert binder["h"] == 0.5 and binder.control("h") is box
    assert slider.value() == round(100 * math.log10(0.5)) == -30
    assert edits == []  # binding is not an edit


def test_the_program_sets_every_control_and_calls_nothing_back(parts):
    binder, box, slider, edits = parts
    binder.set(h=0.01)
    assert (binder["h"], box.value(), slider.value()) == (0.01, 0.01, -200)
    assert edits == []
    binder.set(h=1e6)  # beyond the box: the field keeps what the box can hold
    assert binder["h"] == box.value() == 100.0 and slider.value() == 200
    assert binder.values() == {"h": 100.0}


def test_the_learners_edit_in_one_control_shows_in_the_other(parts):
    binder, box, slider, edits = parts
    box.setValue(0.001)  # as typed
    assert binder["h"] == 0.001 and slider.value() == -300
    assert edits == [("box", 0.001)]
    slider.setValue(-150)  # as dragged: the box holds 10^-1.5 to its four decimals
    assert box.value() == 0.0316 and binder["h"] == 0.0316
    assert slider.value() == -150  # the slider being dragged keeps its place
    assert edits[-1] == ("slider", 0.0316)


def test_a_changed_scale_is_shown_on_refresh_and_a_range_by_configure(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    binder = Binder(host)
    span = [10.0]
    box = QDoubleSpinBox(host)
    box.setRange(0, 100)
    slider = QSlider(host)
    slider.setRange(0, 100)
    binder.bind("t", box)
    binder.bind("t", slider, shown=lambda t: round(100 * t / span[0]),
                taken=lambda k: k * span[0] / 100)
    binder.set(t=5.0)
    assert slider.value() == 50
    span[0] = 20.0
    binder.refresh("t")
    assert slider.value() == 25 and binder["t"] == 5.0
    binder.configure("t", lambda spin: spin.setRange(0, 2))  # clamps: every control follows
    assert binder["t"] == 2.0 and slider.value() == 10


def test_a_control_is_bound_once_and_a_tick_box_reads_as_a_flag(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    binder = Binder(host)
    tick = QCheckBox(host)
    binder.bind("on", tick)
    with pytest.raises(ValueError):
        binder.bind("on", tick)
    tick.click()
    assert binder["on"] is True


def test_a_tuple_field_is_one_control_per_element(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    boxes = [QDoubleSpinBox(holder) for _ in range(2)]
    for box in boxes:
        box.setRange(-10, 10)
    heard = []
    binder = Binder(holder)
    binder.bind_each("point", boxes, heard.append)
    binder.set(point=(1.5, -2.0))
    assert [b.value() for b in boxes] == [1.5, -2.0] and heard == []
    assert binder["point"] == (1.5, -2.0) and binder.values() == {"point": (1.5, -2.0)}
    assert binder.fields == ("point",)
    boxes[1].setValue(3.0)  # the learner's edit of one element: the whole point heard
    assert heard == [(1.5, 3.0)] and binder["point"] == (1.5, 3.0)
    with pytest.raises(ValueError):
        binder.set(point=(1.0,))  # a point of one number is not a point
