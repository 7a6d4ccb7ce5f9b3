"""The contract every tab keeps, checked over the tab registry: a new tab that breaks it
fails here.  Each tab builds lazily, shows its demo state (what --screenshot renders),
round-trips its state through a session file, stops its workers on leave and close,
binds and lists its shortcuts, and exports PNG and SVG."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
import shiboken6
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from mlcalc_gui.gui.run.worker import live_workers
from mlcalc_gui.gui.shell.registry import TAB_SPECS, shortcut_list
from mlcalc_gui.gui.shell.window import MainWindow
from mlcalc_gui.gui.widgets.playback import PlaybackBar
from mlcalc_gui.gui.widgets.surface_view import SurfaceView

TITLES = [spec.title for spec in TAB_SPECS]


def make_window(qtbot, settings) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_tab(qtbot, window, title):
    index = TITLES.index(title)
    window.tabs.setCurrentIndex(index)
    tab = window.tab(index)
    qtbot.waitUntil(lambda: tab.built and tab._pending_state is None, timeout=15000)
    # Its first work done off the GUI thread (typeset rules, a floor) is drawn too.
    qtbot.waitUntil(lambda: not tab.working, timeout=15000)
    return tab


def test_only_the_shown_tab_is_built(qtbot, settings):
    window = make_window(qtbot, settings)
    shown = window.tabs.currentIndex()
    assert [obj is not None for obj in window._tab_objects] == [
        i == shown for i in range(len(TAB_SPECS))]
    window.close()


@pytest.mark.parametrize("title", TITLES)
def test_the_demo_state_is_what_the_tab_shows_and_survives_a_session(qtbot, settings,
                                                                      tmp_path, title):
    window = make_window(qtbot, settings)
    tab = open_tab(qtbot, window, title)
    demo = tab.demo_state()
    assert demo != type(demo)(), "a demo shows more than the state a tab starts in"
    tab.run_demo()
    assert tab.capture_state() == demo
    path = tmp_path / "session.json"
    window.save_session(path)
    window.close()
    again = make_window(qtbot, settings)
    assert again.open_session(path)
    reopened = open_tab(qtbot, again, title)
    assert reopened.capture_state() == demo
    assert again.tabs.currentIndex() == TITLES.index(title)  # the window's tab came back
    again.close()


@pytest.mark.parametrize("title", TITLES)
def test_workers_stop_on_leave_and_are_joined_on_close(qtbot, settings, title):
    window = make_window(qtbot, settings)
    tab = open_tab(qtbot, window, title)
    tab.playback.sig_play.emit()
    qtbot.waitUntil(lambda: any(w.has_run() for w in tab._workers), timeout=10000)
    other = (TITLES.index(title) + 1) % len(TITLES)
    window.tabs.setCurrentIndex(other)
    assert not any(w.has_run() for w in tab._workers)
    window.close()
    assert live_workers() == []


@pytest.mark.parametrize("title", TITLES)
def test_shortcuts_are_bound_listed_and_answer_their_key(qtbot, settings, monkeypatch,
                                                         title):
    """Each key the tab declares is listed in F1, and pressing it (with no control
    focused) calls what it declares."""
    from PySide6.QtWidgets import QApplication, QFileDialog

    from mlcalc_gui.gui.kit.shortcuts import Shortcut

    called: list[str] = []
    real = Shortcut.resolve

    def recording(self, tab):
        slot = real(self, tab)
        return lambda: (called.append(self.key), slot())

    monkeypatch.setattr(Shortcut, "resolve", recording)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    window = make_window(qtbot, settings)
    tab = open_tab(qtbot, window, title)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert tab.shortcuts, "every tab has keys: at least its playback"
    bound = {s.key().toString() for s in tab.findChildren(QShortcut)}
    listed = {row for _, rows in shortcut_list() for row in rows}
    for shortcut in tab.shortcuts:
        assert QKeySequence(shortcut.key).toString() in bound
        assert (shortcut.key, shortcut.text) in listed
        focus = QApplication.focusWidget()
        if focus is not None:
            focus.clearFocus()  # a focused control keeps its own keys (gui.shell.keys)
        combo = QKeySequence(shortcut.key)[0]
        called.clear()
        qtbot.keyClick(window, combo.key(), combo.keyboardModifiers())
        assert called == [shortcut.key], f"{shortcut.key} did not call its target"
    tab.stop_work()
    window.close()


@pytest.mark.parametrize("title", TITLES)
def test_exports_png_and_svg(qtbot, settings, tmp_path, title):
    window = make_window(qtbot, settings)
    open_tab(qtbot, window, title)
    window.export_view(str(tmp_path / "view.png"))
    window.export_view(str(tmp_path / "view.svg"))
    image = QImage(str(tmp_path / "view.png"))
    assert image.width() > 800 and image.height() > 500
    assert len({image.pixel(x, y) for x in range(0, image.width(), 3)
                for y in range(0, image.height(), 3)}) > 10  # a picture, not a blank
    svg = (tmp_path / "view.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    # A drawing, not an empty frame: tick labels and titles, and line work (curves, axes,
    # ticks, grid). The sandpit before its first dip (sand, one marker) is the barest.
    assert svg.count("<text") >= 15
    assert svg.count("<path") + svg.count("<polyline") >= 20
    window.close()


@pytest.mark.parametrize("title", TITLES)
def test_hostile_text_in_every_field_is_shown_as_text(qtbot, settings, title):
    """Markup typed into any field of any tab never reaches a label or tooltip that
    renders rich text (an ``<img src=...>`` there reads that file: /dev/zero until the
    memory runs out, a FIFO for ever)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QLineEdit

    window = make_window(qtbot, settings)
    tab = open_tab(qtbot, window, title)
    hostile = '<img src="HOSTILE.png"><b>HOSTILE</b>'
    edits = [e for e in tab.findChildren(QLineEdit) if e.isVisibleTo(tab) and e.isEnabled()]
    assert edits, "every tab has something to type into"
    for edit in edits:
        edit.setFocus()
        edit.setText(hostile)
        edit.returnPressed.emit()
        edit.editingFinished.emit()
        qtbot.waitUntil(lambda: not tab.run.active if hasattr(tab, "run") else True)
        for label in window.findChildren(QLabel):
            if "HOSTILE" in label.text():
                assert label.textFormat() == Qt.PlainText, (edit.toolTip(), label.text())
        for widget in window.findChildren(QWidget):
            assert "HOSTILE" not in widget.toolTip()
    window.close()


def test_warnings_show_file_names_as_text(qtbot, settings):
    from PySide6.QtCore import Qt

    window = make_window(qtbot, settings)
    box = window.warning_box("Session not opened", '<img src="/dev/zero">.json was not opened')
    assert box.textFormat() == Qt.PlainText
    window.close()


@pytest.mark.parametrize("title", [t for t in TITLES if t != "Backpropagation"])
def test_the_history_row_shows_a_run_as_it_was(qtbot, settings, title):
    """Scrubbing back (comma) shows exactly what the run showed then: the same state and
    the same picture as a run stopped there (Backpropagation's thinned snapshots are
    tested in its own tests)."""
    window = make_window(qtbot, settings)
    tab = open_tab(qtbot, window, title)
    tab.run_demo()
    tab.run.reset()
    tab.run.step(2)
    qtbot.waitUntil(lambda: len(tab.path) == 3 and not tab.run.worker.state == "running")
    # what the demo started off the GUI thread (Taylor's bound) is drawn before "then"
    qtbot.waitUntil(lambda: not tab.working, timeout=30000)
    then = (tab.capture_state(), drawn(tab))
    tab.run.step(3)
    qtbot.waitUntil(lambda: len(tab.path) == 6)
    assert tab.playback.history_slider.maximum() == 5
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tab.playback.history_slider.setFocus()
    for _ in range(3):
        qtbot.keyClick(tab.playback.history_slider, ",")
    assert tab.run.scrubbed and len(tab.path) == 3 and len(tab.run.records) == 6
    assert tab.capture_state() == then[0]
    # What the record shown asks of the worker again (Taylor's bound) and what a page
    # draws a few times a second comes after the row has moved on a loaded machine.
    qtbot.waitUntil(lambda: not tab.working and drawn(tab) == then[1], timeout=10000)
    window.close()


def drawn(tab) -> list:
    """What the tab's plots and 3D views draw: every curve's and scatter's points, every
    text, and the 3D lines and points."""
    out = []
    for view in tab.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            if isinstance(item, pg.PlotDataItem):
                out.append(("curve", _bytes(item.xData), _bytes(item.yData)))
            elif isinstance(item, pg.ScatterPlotItem):
                out.append(("points", _bytes(item.data["x"]), _bytes(item.data["y"])))
            elif isinstance(item, pg.TextItem) and item.isVisible():
                out.append(("text", item.toPlainText(), item.pos().x(), item.pos().y()))
    for view in tab.findChildren(SurfaceView):
        for item in (view.view.items if view.view is not None else ()):
            pos = getattr(item, "pos", None)
            if isinstance(pos, np.ndarray):
                out.append(("3d", type(item).__name__, _bytes(pos)))
    return out


def _bytes(array) -> bytes | None:
    return None if array is None else np.asarray(array, dtype=float).tobytes()


# ---- every control a learner can change is part of the state --------------------------------
def _state_controls(tab) -> list:
    """Every number box, tick box, choice and line in ``tab`` a learner can change, but the
    playback bar's (how fast a run is shown is the viewer's, not the run's)."""
    from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLineEdit

    playback = {w for bar in tab.findChildren(PlaybackBar) for w in bar.findChildren(QWidget)}
    found = []
    for kind in (QAbstractSpinBox, QCheckBox, QComboBox, QLineEdit):
        for control in tab.findChildren(kind):
            if isinstance(control.parent(), (QAbstractSpinBox, QComboBox)):
                continue  # a box's own line
            if control in playback or not control.isEnabled() or (
                    isinstance(control, (QAbstractSpinBox, QLineEdit))
                    and control.isReadOnly()):
                continue
            if control.window() is not tab.window():
                continue  # a dialog's
            found.append(control)
    return found


def _value(control):
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

    if isinstance(control, QLineEdit):
        return control.text()
    if isinstance(control, QCheckBox):
        return control.isChecked()
    if isinstance(control, QComboBox):
        return control.currentIndex()
    return control.value()


def _change(control) -> None:
    """Another value ``control`` allows, as a learner would give it."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

    if isinstance(control, QLineEdit):
        control.setText(_another_text(control.text()))
        control.returnPressed.emit()  # as Enter
        control.editingFinished.emit()
    elif isinstance(control, QCheckBox):
        control.click()
    elif isinstance(control, QComboBox):
        control.setCurrentIndex((control.currentIndex() + 1) % control.count())
        control.activated.emit(control.currentIndex())  # as a choice from its list
    else:
        if control.value() + control.singleStep() <= control.maximum():
            control.setValue(control.value() + control.singleStep())
        else:
            control.setValue(control.value() - control.singleStep())
        control.editingFinished.emit()  # as Enter, or leaving the box


def _another_text(text: str) -> str:
    """Numbers (a seed, '6 7'): the last one larger by one; a formula: twice it."""
    numbers = text.replace(",", " ").split()
    try:
        last = float(numbers[-1])
    except (IndexError, ValueError):
        return f"2 ({text})" if text.strip() else "x"
    numbers[-1] = f"{last + 1:g}"
    return " ".join(numbers)


def _name(control) -> str:
    tip = control.toolTip() or control.accessibleName() or control.objectName()
    return f"{type(control).__name__} '{tip[:60]}'"


@pytest.mark.parametrize("title", TITLES)
def test_a_session_keeps_every_control(qtbot, settings, title):
    """Change each number box, tick box, choice and line, save the state as a session does
    (through its JSON), change it again, open the state: each holds its saved value."""
    from mlcalc_gui.core.session import Session, dumps, loads
    from mlcalc_gui.gui.shell.registry import STATE_CLASSES

    window = make_window(qtbot, settings)
    tab = open_tab(qtbot, window, title)
    forgotten = []
    for control in _state_controls(tab):
        if not (control.isEnabled() and shiboken6.isValid(control)):
            continue
        _change(control)
        # (a typed function is checked off the GUI thread: the tab answers first)
        qtbot.waitUntil(lambda: tab._pending_state is None
                        and not tab.working, timeout=5000)
        saved = _value(control)
        text = dumps(Session(tabs={title: tab.capture_state()}))
        _change(control)
        if _value(control) == saved:
            continue  # a box that cannot take another value here
        tab.apply_state(loads(text, STATE_CLASSES).tabs[title])
        if _value(control) != saved:
            forgotten.append(_name(control))
    assert not forgotten, f"{title}: a session forgets {forgotten}"
    window.close()


@pytest.mark.parametrize("title", TITLES)
def test_every_tab_observes_what_a_lessons_task_may_test(qtbot, settings, title):
    """A tab declares observables (a lesson's "until" names them) and gives every one's
    value as a number or a flag once its demo is shown (each page's, for a tab of
    pages), never more than it declares."""
    window = make_window(qtbot, settings)
    tab = open_tab(qtbot, window, title)
    tab.run_demo()
    seen = dict(tab.observe())
    for state in (state for _, state in tab.more_demos()):  # the other pages' demos
        tab.run_demo(state)
        qtbot.waitUntil(lambda: tab._pending_state is None)
        seen.update(tab.observe())
    assert tab.OBSERVABLES and set(seen) == set(tab.OBSERVABLES), title
    assert all(type(v) in (bool, float) for v in seen.values()), seen
    assert all(isinstance(what, str) and what for what in tab.OBSERVABLES.values())
    window.close()


@pytest.mark.parametrize("title", TITLES)
def test_a_preset_is_a_partial_state_applied_on_its_page_alone(qtbot, settings, title):
    """Choosing a preset from any list sets the fields its page says, and nothing else of
    the tab's state changes (another page's run, a tick box, the steps a run takes)."""
    from mlcalc_gui.gui.panels.function_input import PresetChoice

    window = make_window(qtbot, settings)
    tab = open_tab(qtbot, window, title)
    inputs = [w for w in tab.findChildren(QWidget) if isinstance(w, PresetChoice)
              and hasattr(w, "wire") and len(w.presets) > 1]
    tested = []
    for choice in inputs:
        owner = next((page for page in getattr(tab, "pages", ())
                      if page.panel.isAncestorOf(choice)), tab)
        if not hasattr(owner, "preset_state"):
            continue
        before = tab.capture_state()
        preset = choice.presets[1]
        choice.preset_combo.setCurrentIndex(1)
        choice.preset_combo.activated.emit(1)
        qtbot.waitUntil(lambda: not tab.working, timeout=15000)
        after = tab.capture_state()
        wanted = owner.preset_state(preset)
        for name, value in wanted.items():
            assert getattr(after, name) == pytest.approx(value), (title, name)
        for name in set(vars(before)) - set(wanted) - {"view"}:
            assert getattr(after, name) == getattr(before, name), (title, name)
        assert choice.preset_combo.currentIndex() == 1
        tested.append(type(owner).__name__)
    # (Fitting, the Sandpit and Backpropagation choose data, games and curves: no formulas.)
    assert len(tested) == {"Derivatives": 1, "Gradients": 1, "Taylor": 2, "Optimisation": 3,
                           "Maps and chain rule": 2}.get(title, 0)
