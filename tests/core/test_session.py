"""Sessions and tab states as untrusted files: round trips, and every kind of bad file
refused with a message (nothing evaluated, nothing half-read)."""

from __future__ import annotations

import json
import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import JSON

from mlcalc_gui.core import session as sessions
from mlcalc_gui.core.state_codec import StateError, from_json, to_json
from mlcalc_gui.core.states import BackpropState, FittingState, GradientsState, HistogramState

CLASSES = {"Gradients": GradientsState, "Backpropagation": BackpropState,
           "Fitting": FittingState}
STATES = {
    "Gradients": GradientsState(function="sin(x) cos(y)", domain=(-3.0, 3.0, -2.0, 2.0),
                                start=(0.4, 0.6), rate=0.3, steps=12,
                                path=((0.4, 0.6), (0.1, 0.2)), show_plane=False),
    "Backpropagation": BackpropState(curve="Your drawing", drawn=((0.1, 0.1), (0.9, 0.8)),
                                     hidden=(3,), n=10, seed=5, iteration=7,
                                     parameters=tuple(float(i) for i in range(14)),
                                     costs=((0.0, 0.3), (7.0, 0.2)), example=4, stage=2),
    "Fitting": FittingState(problem="line", heights=HistogramState((1.0, 2.0), (0.5, 0.5), 1.0,
                                                                   "mine.csv"),
                            points=((0.0, 1.0), (1.0, 3.0)), start=(2.0, 1.0),
                            aggression=0.01, steps=5, path=((2.0, 1.0),),
                            derivative_mu="x - mu"),
}
SESSION = sessions.Session(sessions.WindowState("Fitting", 14.0), STATES)


def test_every_tab_state_round_trips_exactly(tmp_path):
    path = tmp_path / "s.json"
    sessions.save(path, SESSION)
    assert sessions.load(path, CLASSES) == SESSION
    assert json.loads(path.read_text())["version"] == sessions.VERSION


def test_saving_is_atomic_and_leaves_no_temporary_files(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    sessions.save(path, SESSION)
    before = path.read_text()

    def crash(*_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        sessions.save(path, sessions.Session())
    assert path.read_text() == before  # the old file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def good_text() -> str:
    return sessions.dumps(SESSION)


@pytest.mark.parametrize("text, words", [
    ("", "not valid JSON"),
    ("[1, 2]", "not an mlcalc-gui session"),
    ('{"format": "something else", "version": 1}', "not an mlcalc-gui session"),
    ('{"format": "mlcalc-gui session"}', "no format version"),
    ('{"format": "mlcalc-gui session", "version": 99}', "newer mlcalc-gui"),
    ('{"format": "mlcalc-gui session", "version": 1, "tabs": []}', "'tabs' must be"),
    ("[" * 100_000, "nests too deeply"),
    ('{"format": "mlcalc-gui session", "version": 1, "tabs": {"Gradients": {"steps": '
     + "9" * 5000 + "}}}", "a whole number of 5,000 digits"),
])
def test_malformed_sessions_are_refused_with_a_message(text, words):
    with pytest.raises(sessions.SessionError, match=words):
        sessions.loads(text, CLASSES)


@pytest.mark.parametrize("tab, field, value, words", [
    ("Gradients", "rate", "0.1", "expected a number"),
    ("Gradients", "rate", 1e300, "outside"),
    ("Gradients", "steps", True, "whole number"),
    ("Gradients", "steps", 10 ** 400, "outside"),
    ("Gradients", "start", [float("inf"), 0], "not a finite"),
    ("Gradients", "domain", [1, 0, 0, 1], "smaller than"),
    ("Gradients", "function", "x" * 1_000_000, "longer than"),
    ("Gradients", "path", [[0, 0]] * 100_002, "more than"),
    ("Gradients", "show_plane", "yes", "true or false"),
    ("Fitting", "problem", "__import__('os')", "must be one of"),
    ("Fitting", "heights", {"centres": [1, 2], "density": [1], "width": 1}, "as many"),
    ("Backpropagation", "parameters", [0.0] * 13, "has 14 parameters"),
    ("Backpropagation", "drawn", [[0.5, 0.5], [0.5, 0.5]], "longer curve"),
    ("Backpropagation", "hidden", [6, 7, 8, 9, 10], "more than 4"),
])
def test_wrong_values_are_refused_naming_the_field(tab, field, value, words):
    data = json.loads(good_text())
    data["tabs"][tab][field] = value
    with pytest.raises(sessions.SessionError, match=words) as info:
        sessions.loads(json.dumps(data), CLASSES)
    assert f"{tab}.{field}" in str(info.value) or tab in str(info.value)


def test_unknown_keys_and_tabs_are_ignored_and_missing_keys_take_defaults():
    data = json.loads(good_text())
    data["tabs"]["Gradients"]["from_the_future"] = {"a": 1}
    data["tabs"]["A tab not yet written"] = {"x": 1}
    del data["tabs"]["Gradients"]["steps"]
    session = sessions.loads(json.dumps(data), CLASSES)
    assert session.tabs["Gradients"].steps == GradientsState().steps
    assert set(session.tabs) == set(CLASSES)


def test_every_truncation_is_refused():
    text = good_text()
    for cut in range(0, len(text) - 1, max(1, len(text) // 300)):
        with pytest.raises(sessions.SessionError):
            sessions.loads(text[:cut], CLASSES)


def test_files_that_are_not_regular_or_too_large_are_not_read(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # 100 MB (sparse): refused before reading
    with pytest.raises(sessions.SessionError, match="limit is"):
        sessions.load(big, CLASSES)
    with pytest.raises(sessions.SessionError, match="not a regular file"):
        sessions.load(tmp_path, CLASSES)
    if sys.platform != "win32":
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        with pytest.raises(sessions.SessionError, match="not a regular file"):
            sessions.load(fifo, CLASSES)  # returns at once: never waits for a writer
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(sessions.SessionError, match="not a UTF-8"):
        sessions.load(binary, CLASSES)
    with pytest.raises(sessions.SessionError, match="cannot open"):
        sessions.load(tmp_path / "missing.json", CLASSES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tab=st.sampled_from(sorted(CLASSES)), key=st.text(max_size=12), value=JSON)
def test_fuzzed_fields_give_a_state_or_a_session_error(tab, key, value):
    """Any JSON value in any field: the file opens with values inside the limits, or is
    refused with SessionError; never another exception."""
    data = json.loads(good_text())
    fields = list(data["tabs"][tab])
    data["tabs"][tab][fields[hash(key) % len(fields)] if key else key] = value
    try:
        session = sessions.loads(json.dumps(data), CLASSES)
    except sessions.SessionError:
        return
    state = session.tabs[tab]
    assert from_json(type(state), to_json(state)) == state


def test_states_refuse_bad_values_directly():
    with pytest.raises(StateError):
        from_json(GradientsState, {"domain": [0, 1, 1, 0]})
    with pytest.raises(StateError, match="expected an object"):
        from_json(GradientsState, [])
