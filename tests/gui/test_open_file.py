"""A lesson or a session named from outside the tutor (#34): ``mlcalc-gui FILE`` opens it
by what it says it is; a damaged one, a device or another document gets a message
beside a working window and changes nothing."""

from __future__ import annotations

import json
import os

import pytest

from mlcalc_gui.app import _parse_args
from mlcalc_gui.core import lessons

LESSON = {"format": lessons.FORMAT, "version": 1, "title": "From outside", "tab": "Taylor",
          "week": 4, "steps": [{"say": "e^x to order 2.",
                                "state": {"function": "e^x", "order": 2}}]}


def test_the_command_line_takes_a_file_to_open():
    assert _parse_args(["lesson.json"]).file == "lesson.json"
    assert _parse_args([]).file is None


def test_a_lesson_and_a_session_open_by_what_they_say_they_are(qtbot, window, tmp_path):
    path = tmp_path / "mine.mlcalc-lesson.json"
    path.write_text(json.dumps(LESSON), encoding="utf-8")
    assert window.open_file(path)
    assert window.lessons.active and window.lessons.lesson.title == "From outside"
    window.lessons.leave()
    window.tabs.setCurrentIndex(1)  # Gradients
    saved = tmp_path / "session.mlcalc.json"
    window.save_session(saved)
    window.tabs.setCurrentIndex(0)
    assert window.open_file(saved)
    assert window.current_tab().title == "Gradients"  # the tab shown when it was saved


@pytest.mark.parametrize("make, said", [
    (lambda p: p.write_text("{not json", encoding="utf-8"), "not a JSON document"),
    (lambda p: p.write_text(json.dumps({"format": "something else"}), encoding="utf-8"),
     "neither an mlcalc-gui lesson nor a session (it says it is 'something else')"),
    (lambda p: p.write_text("[1, 2]", encoding="utf-8"), "it has no \"format\""),
    (lambda p: os.mkfifo(p), "not a regular file"),
    (lambda p: None, ""),  # no such file
], ids=["not json", "another format", "no format", "a fifo", "missing"])
def test_anything_else_is_refused_with_a_message_and_nothing_changes(qtbot, window, tmp_path,
                                                                   monkeypatch, make, said):
    shown = []
    monkeypatch.setattr(window, "warn", lambda title, text: shown.append(text))
    path = tmp_path / "other.json"
    make(path)
    before = window.capture_session()
    assert not window.open_file(path)
    assert shown and "other.json was not opened" in shown[0] and said in shown[0]
    assert not window.lessons.active and window.capture_session() == before
