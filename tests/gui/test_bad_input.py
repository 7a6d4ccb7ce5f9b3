"""Hostile and unlucky input that escaped as exceptions or was said wrongly (#31, items 22
and 25): a constant too large for float steps, a 309-digit number, a failing disk, NaN
and a 5,000-digit number in a session."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest

from mlcalc_gui.core import session as sessions
from mlcalc_gui.core.contours import value_range
from mlcalc_gui.core.expressions import ExpressionError, parse_function
from mlcalc_gui.core.files import FileReadError, read_text_file
from mlcalc_gui.core.step_rules import parse_step

HUGE = "9" * 309


def test_a_range_too_narrow_for_floats_is_widened():
    lo, hi = value_range(np.full((3, 3), 1e100))
    assert hi > lo and np.isfinite(hi - lo)
    assert value_range(np.zeros((2, 2))) == (0.0, 1.0)


@pytest.mark.parametrize("text", [HUGE, f"{HUGE} J", f"-{HUGE} * J", f"2^{HUGE} J"])
def test_a_309_digit_step_is_too_large_not_an_overflow(text):
    with pytest.raises(ExpressionError, match="number too large"):
        parse_step(text)


@pytest.mark.parametrize("text", [HUGE, f"{HUGE} x", f"x^2 + {HUGE}"])
def test_a_309_digit_number_in_a_function_is_too_large_not_too_complicated(text):
    with pytest.raises(ExpressionError, match="number too large"):
        parse_function(text)


def test_an_io_error_while_reading_is_said_in_words(tmp_path, monkeypatch):
    path = tmp_path / "session.json"
    path.write_text("{}")
    real = os.fdopen

    class Failing:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def read(self, n):
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Failing(real(fd, mode)))
    with pytest.raises(FileReadError, match="could not be read .Input/output error.: the "
                                            "disk or stick"):
        read_text_file(path, 1000)
    with pytest.raises(sessions.SessionError, match="could not be read"):
        sessions.load(path, {})


def test_an_io_error_opening_a_session_gives_the_dialog(qtbot, window, tmp_path,
                                                        monkeypatch):
    said = []
    monkeypatch.setattr(type(window), "warn", lambda self, title, text: said.append(text))
    path = tmp_path / "s.json"
    path.write_text("{}")

    def failing(*args, **kwargs):
        raise FileReadError("s.json could not be read (Input/output error): the disk")

    monkeypatch.setattr(sessions, "read_text_file", failing)
    assert not window.open_session(path)
    assert said and "could not be read" in said[0] and "Nothing was changed" in said[0]


@pytest.mark.parametrize("value, words", [
    ("NaN", "window.text_pt: NaN is not a number"),
    ("Infinity", "window.text_pt: Infinity is not a finite number"),
    ("-Infinity", "window.text_pt: -Infinity is not a finite number"),
    ("9" * 5000, "a whole number of 5,000 digits"),
])
def test_numbers_no_field_can_hold_are_said_plainly(value, words):
    text = ('{"format": "mlcalc-gui session", "version": 1, "window": {"text_pt": '
            + value + '}}')
    with pytest.raises(sessions.SessionError) as caught:
        sessions.loads(text, {})
    message = str(caught.value)
    assert words in message
    assert "inf is not" not in message and "set_int_max_str_digits" not in message


def test_a_huge_constant_in_two_variables_is_drawn(qtbot, taylor):
    taylor.next_view()
    assert taylor.model.input2d.set_input("10^100", (-2.0, 2.0, -2.0, 2.0))
    assert taylor.model.function2d.text == "10^100"
    assert not taylor.model.model_error.isVisible()
