"""The learner's progress file: kept between runs, read back as untrusted data."""

import json

import pytest

from mlcalc_gui.core import progress as pg


def test_progress_round_trips_and_counts_the_first_answer_only(tmp_path):
    progress = pg.Progress()
    assert progress.note_step("1-derivatives", 2)
    assert not progress.note_step("1-derivatives", 1)  # going back keeps the furthest
    assert progress.note_answer("1-derivatives", 1, False)
    assert not progress.note_answer("1-derivatives", 1, True)  # right the second time
    assert progress.note_answer("1-derivatives", 3, True)
    assert progress.note_finished("1-derivatives", 5)
    assert not progress.note_finished("1-derivatives", 5)
    path = tmp_path / pg.FILE_NAME
    pg.save(path, progress)
    again = pg.load(path)
    assert again.notes == []
    got = again.of("1-derivatives")
    assert (got.reached, got.finished, dict(got.first), got.right_first) == \
        (5, True, {1: False, 3: True}, 1)


def test_continue_goes_to_the_first_unfinished_lesson_at_its_furthest_step():
    progress = pg.Progress()
    order = [("a", 4), ("b", 3), ("c", 5)]
    assert progress.resume(order) == ("a", 0)
    progress.note_finished("a", 3)
    progress.note_step("c", 4)
    assert progress.resume(order) == ("b", 0)
    progress.note_step("b", 2)
    assert progress.resume(order) == ("b", 2)
    progress.note_finished("b", 2)
    assert progress.resume(order) == ("c", 4)
    progress.note_finished("c", 4)
    assert progress.resume(order) is None
    # a lesson that has shrunk since: its last step, not past it
    progress.lessons["d"] = pg.LessonProgress(reached=9)
    assert progress.resume([("d", 3)]) == ("d", 2)


@pytest.mark.parametrize("entry, words", [
    ({"reached": -1}, "'reached'"),
    ({"reached": 10 ** 6}, "'reached'"),
    ({"reached": True}, "'reached'"),
    ({"finished": "yes"}, "'finished'"),
    ({"first": {"x": True}}, "'first'"),
    ({"first": {"1": 1}}, "'first'"),
    ({"first": []}, "'first'"),
    ({"extra": 1}, "cannot have"),
    ([1, 2], "not an object"),
])
def test_a_damaged_entry_is_left_out_with_a_note_and_the_rest_kept(entry, words):
    text = json.dumps({"format": pg.FORMAT, "version": 1, "lessons": {
        "good": {"reached": 2, "finished": False, "first": {"0": True}}, "bad": entry}})
    progress = pg.loads(text)
    assert set(progress.lessons) == {"good"} and progress.of("good").reached == 2
    assert len(progress.notes) == 1 and words in progress.notes[0] and "'bad'" in progress.notes[0]


def test_a_lesson_name_that_no_lesson_has_is_left_out():
    text = json.dumps({"format": pg.FORMAT, "version": 1,
                       "lessons": {"../../etc": {}, "<b>x</b>": {}, "ok-1": {}}})
    progress = pg.loads(text)
    assert set(progress.lessons) == {"ok-1"} and len(progress.notes) == 2


@pytest.mark.parametrize("content", [
    b"not json", b"[]", b'{"format": "mlcalc-gui session", "version": 1}',
    b'{"format": "mlcalc-gui progress", "version": 99, "lessons": {}}',
    b'{"format": "mlcalc-gui progress", "version": 1, "lessons": []}',
    b"\xff\xfe\x00garbage", b"1" * 5000,
])
def test_a_file_that_is_no_progress_starts_afresh_with_a_note(tmp_path, content):
    path = tmp_path / pg.FILE_NAME
    path.write_bytes(content)
    progress = pg.load(path)
    assert progress.lessons == {} and len(progress.notes) == 1
    assert "starts afresh" in progress.notes[0]


def test_no_file_yet_is_empty_progress_without_a_note(tmp_path):
    assert pg.load(tmp_path / "missing.json") == pg.Progress()


def test_only_a_regular_file_of_bounded_size_is_read(tmp_path):
    import os

    folder = tmp_path / pg.FILE_NAME
    folder.mkdir()
    assert pg.load(folder).notes  # a folder: refused with a note
    big = tmp_path / "big.json"
    big.write_text(" " * (pg.MAX_BYTES + 1))
    assert pg.load(big).notes
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        assert pg.load(fifo).notes  # refused at once, never opened
