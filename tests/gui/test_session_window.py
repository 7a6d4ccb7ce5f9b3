"""Sessions in the window: saved on close and continued, and a bad file changing nothing."""

from __future__ import annotations

import json

import pytest

from mlcalc_gui.core import session as sessions
from mlcalc_gui.gui.shell.window import MainWindow


def make_window(qtbot, settings) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def show(window, title: str):
    """Bring the tab called ``title`` to the front (building it) and return it."""
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(titles.index(title))
    return window.tab_by_title(title)


def test_closing_saves_the_session_and_the_next_start_continues_it(qtbot, settings):
    window = make_window(qtbot, settings)
    assert not window.continue_bar.isVisible()  # nothing to continue the first time
    gradients = show(window, "Gradients")
    qtbot.waitUntil(lambda: gradients.function is not None, timeout=10000)
    gradients.input.set_input("x^2 + 3y^2", (-3, 3, -2, 2))
    gradients.set_point(1.5, -1.0)
    gradients.steps_spin.setValue(4)
    with qtbot.waitSignal(gradients.run.sig_finished, timeout=10000):
        gradients.play()
    fitting = show(window, "Fitting")  # its start moved on the map
    qtbot.waitUntil(lambda: fitting.built and fitting.hist is not None)
    fitting.set_start(170.0, 12.0)
    window.close()
    assert window.autosave_path.is_file()

    again = make_window(qtbot, settings)
    assert again.continue_bar.isVisible()
    again.continue_last_session()
    assert not again.continue_bar.isVisible()
    assert again.tabs.tabText(again.tabs.currentIndex()) == "Fitting"
    fitting2 = again.tab_by_title("Fitting")
    qtbot.waitUntil(lambda: fitting2.built and fitting2.hist is not None)
    assert fitting2.start == (170.0, 12.0)
    gradients2 = show(again, "Gradients")
    qtbot.waitUntil(lambda: gradients2.function is not None, timeout=10000)
    assert gradients2.function.text == "x^2 + 3y^2" and gradients2.start == (1.5, -1.0)
    assert [r.point for r in gradients2.path] == [r.point for r in gradients.path]
    assert len(gradients2.path) == 5
    # Play goes on from the last step of the saved run (up to Steps more of them).
    with qtbot.waitSignal(gradients2.run.sig_finished, timeout=10000):
        gradients2.play()
    assert [r.step for r in gradients2.path] == list(range(9))
    again.close()


@pytest.mark.parametrize("content", [
    "{ truncated", "null", json.dumps({"format": "mlcalc-gui session", "version": 7}),
    json.dumps({"format": "mlcalc-gui session", "version": 1,
                "tabs": {"Gradients": {"rate": "fast"}}}),
])
def test_a_corrupt_session_gets_a_message_and_changes_nothing(qtbot, settings, tmp_path,
                                                              monkeypatch, content):
    said = []
    monkeypatch.setattr(MainWindow, "warn", lambda self, title, text: said.append(text))
    window = make_window(qtbot, settings)
    gradients = show(window, "Gradients")
    qtbot.waitUntil(lambda: gradients.function is not None, timeout=10000)
    gradients.set_point(0.7, -0.3)
    before = gradients.capture_state()
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert not window.open_session(path)
    assert len(said) == 1 and "Nothing was changed" in said[0] and "bad.json" in said[0]
    assert gradients.capture_state() == before
    window.close()


def test_an_expression_in_a_session_goes_through_the_safe_parser(qtbot, settings, tmp_path):
    window = make_window(qtbot, settings)
    gradients = show(window, "Gradients")
    qtbot.waitUntil(lambda: gradients.function is not None, timeout=10000)
    good = gradients.function
    data = json.loads(sessions.dumps(window.capture_session()))
    data["tabs"]["Gradients"]["function"] = "__import__('os').system('touch pwned')"
    data["tabs"]["Gradients"]["start"] = [0.3, -0.3]
    start = gradients.start
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data))
    assert window.open_session(path)  # a valid file: its text is only text
    assert gradients.function is good  # refused by the parser, the function kept
    assert gradients.start == start  # and the point with it
    assert gradients.input.error.isVisible()
    assert not (tmp_path / "pwned").exists()
    window.close()


@pytest.mark.parametrize("font_pt, geometry, folder", [
    ("big", "not a geometry", 12), ("1e9", b"\x00\x01garbage", "/dev/null"),
    ("nan", None, "x" * 5000), ("-inf", None, None), ("inf", None, None),
])
def test_a_corrupt_settings_file_still_starts_with_sane_values(qtbot, settings, font_pt,
                                                                geometry, folder):
    """A hand-edited or corrupt settings file (a word for the text size, 1e9, NaN) once
    stopped the app from starting or was applied as it was (#11)."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtWidgets import QApplication

    settings.setValue("font_pt", font_pt)
    if geometry is not None:
        settings.setValue("geometry", QByteArray(geometry) if isinstance(geometry, bytes)
                          else geometry)
    if folder is not None:
        settings.setValue("session_dir", folder)
    settings.sync()
    window = make_window(qtbot, settings)
    size = QApplication.font().pointSizeF()
    assert 7 <= size <= 28
    free = window.screen().availableGeometry()
    assert window.width() <= free.width() and window.height() <= free.height()
    assert window.stored_folder("session_dir") != folder or folder is None
    window.zoom_text(+1)
    assert 7 <= QApplication.font().pointSizeF() <= 28
    window.zoom_text(0)
    window.close()


def test_a_session_that_cannot_be_saved_on_close_is_said_and_offered_elsewhere(
        qtbot, settings, tmp_path, monkeypatch):
    """With the disk full or the folder read-only the session was lost with one line on
    stderr, and the next start offered an older one without a word (#31, item 2)."""
    import errno

    window = make_window(qtbot, settings)
    gradients = show(window, "Gradients")
    qtbot.waitUntil(lambda: gradients.function is not None, timeout=10000)
    gradients.set_point(0.25, -0.75)
    real_save = sessions.save

    def full(path, session):
        if str(path) == str(window.autosave_path):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_save(path, session)

    monkeypatch.setattr(sessions, "save", full)
    asked = []
    answers = iter(["stay", "elsewhere", "elsewhere"])
    monkeypatch.setattr(window, "ask_when_unsaved",
                        lambda problem: asked.append(problem) or next(answers))
    assert not window.close()  # "Do not quit": the window stays, as it was
    assert window.isVisible() and "No space left on device" in asked[0]
    assert gradients.start == (0.25, -0.75)
    elsewhere = tmp_path / "rescued.json"
    dialogs = iter(["", str(elsewhere)])  # the first file dialog is cancelled: asked again
    monkeypatch.setattr("mlcalc_gui.gui.shell.sessions.QFileDialog.getSaveFileName",
                        lambda *a, **k: (next(dialogs), ""))
    assert window.close()
    assert len(asked) == 3 and elsewhere.is_file()
    saved = sessions.load(elsewhere, {"Gradients": type(gradients.capture_state())})
    assert saved.tabs["Gradients"].start == (0.25, -0.75)


def test_quit_without_saving_quits(qtbot, settings, monkeypatch):
    import errno

    window = make_window(qtbot, settings)

    def full(path, session):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(sessions, "save", full)
    monkeypatch.setattr(window, "ask_when_unsaved", lambda problem: "quit")
    assert window.close()


def test_the_session_is_saved_while_the_tutor_runs(qtbot, settings):
    """A crash lost the morning: the session was saved only on close."""
    from mlcalc_gui.gui.shell.autosave import AUTOSAVE_MS

    window = make_window(qtbot, settings)
    assert window.autosave.timer.isActive() and window.autosave.timer.interval() == AUTOSAVE_MS
    assert AUTOSAVE_MS <= 5 * 60 * 1000
    gradients = show(window, "Gradients")
    qtbot.waitUntil(lambda: gradients.function is not None, timeout=10000)
    gradients.set_point(-0.5, 0.5)
    assert not window.autosave_path.exists()
    window.autosave.timer.setInterval(50)  # as the timer would, sooner
    qtbot.waitUntil(window.autosave_path.is_file, timeout=5000)
    from mlcalc_gui.gui.shell.registry import STATE_CLASSES

    saved = sessions.load(window.autosave_path, STATE_CLASSES)
    assert saved.tabs["Gradients"].start == (-0.5, 0.5)
    window.close()


def test_a_failing_timed_save_is_said_once_in_the_status_bar(qtbot, settings, monkeypatch):
    import errno

    window = make_window(qtbot, settings)
    said = []
    monkeypatch.setattr(window, "show_status", said.append)

    def full(path, session):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sessions, "save", full)
    window.autosave.save_timed()
    window.autosave.save_timed()
    assert len([s for s in said if "could not be saved" in s]) == 1
    monkeypatch.undo()
    window.close()


def test_two_tutors_keep_a_session_each_and_the_newest_is_offered(qtbot, settings):
    """Two tutors on one account: the last closed silently replaced the other's (#31,
    item 25)."""
    import os
    import time

    first = make_window(qtbot, settings)
    second = make_window(qtbot, settings)
    assert first.autosave_path != second.autosave_path and second.autosave.shared
    assert "Another mlcalc-gui is open" in second.continue_label.text() or \
        not second.continue_bar.isVisible()
    show(first, "Taylor")
    show(second, "Fitting")
    first.close()
    second.close()
    os.utime(second.autosave_path, (time.time() + 5, time.time() + 5))  # the newer one
    assert first.autosave_path.is_file() and second.autosave_path.is_file()
    third = make_window(qtbot, settings)
    assert third.autosave.offer == second.autosave_path
    assert third.continue_bar.isVisible() and "saved at" in third.continue_label.text()
    third.continue_last_session()
    assert third.tabs.tabText(third.tabs.currentIndex()) == "Fitting"
    third.close()
