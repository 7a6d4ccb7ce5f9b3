"""The classroom: text size reaching every view live, presentation mode, the clicker."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from mlcalc_gui.gui import scale
from mlcalc_gui.gui.shell.presentation import magnification_for
from mlcalc_gui.gui.shell.registry import TAB_SPECS


def open_every_tab(window):
    tabs = []
    for i in range(len(TAB_SPECS)):
        window.tabs.setCurrentIndex(i)
        tab = window.tab(i)
        tab.run_demo()
        tabs.append(tab)
    return tabs


def activate(qtbot, window):
    """Window shortcuts (Page Down) need the window active."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def plain_labels(widget):
    """Labels that take the application's font (no size of their own)."""
    return [label for label in widget.findChildren(QLabel)
            if not label.testAttribute(Qt.WA_SetFont) and label.text()]


def plot_views(widget):
    import pyqtgraph as pg

    return widget.findChildren(pg.GraphicsView)


def test_larger_text_reaches_every_tab_and_its_plots_live(qtbot, window):
    tabs = open_every_tab(window)
    base = QApplication.font().pointSizeF()
    last = tabs[-1]  # shown: open_every_tab ends on it
    qtbot.waitUntil(last.isVisible)
    before = sorted(h for h, _ in scale.text_heights(last))
    assert before
    window.zoom_text(1)
    window.zoom_text(1)
    grown = base + 3.0
    assert QApplication.font().pointSizeF() == pytest.approx(grown)
    factor = grown / base
    assert scale.factor() == pytest.approx(factor)
    for tab in tabs:
        # Each tab is brought to the new scale when it is shown (a step lays out only the
        # tab on screen): every label, also those under style sheets, and every plot.
        window.tabs.setCurrentIndex(window._tab_objects.index(tab))
        labels = plain_labels(tab)
        assert labels, tab.title
        assert {label.font().pointSizeF() for label in labels} == {grown}, tab.title
        views = plot_views(tab)
        for view in views:
            assert view.transform().m11() == pytest.approx(factor), tab.title
    assert window.current_tab() is last
    # what is shown: every text read back (the plots' ticks, titles and legends too),
    # magnified
    after = sorted(h for h, _ in scale.text_heights(last))
    assert len(after) == len(before)
    assert after[0] == pytest.approx(before[0] * factor, rel=0.08)
    # Ctrl+0 returns everything exactly
    window.zoom_text(0)
    assert QApplication.font().pointSizeF() == pytest.approx(base)
    for tab in tabs:
        window.tabs.setCurrentIndex(window._tab_objects.index(tab))
        assert {label.font().pointSizeF() for label in plain_labels(tab)} == {base}
        for view in plot_views(tab):
            assert view.transform().isIdentity()
    window.tabs.setCurrentIndex(window._tab_objects.index(last))
    assert sorted(h for h, _ in scale.text_heights(last)) == pytest.approx(before)


def test_presentation_mode_on_and_off_on_every_tab(qtbot, window):
    tabs = open_every_tab(window)
    base = QApplication.font().pointSizeF()
    for i, tab in enumerate(tabs):
        window.tabs.setCurrentIndex(i)
        qtbot.waitUntil(tab.isVisible)
        geometry = window.geometry()
        palette = QApplication.palette()
        smallest = scale.smallest_text(tab)[0]
        explanations = [label for label in tab.findChildren(QLabel)
                        if label.isVisible() and type(label.parentWidget()).__name__
                        == "ExplanationBox"]
        window.enter_presentation(full_screen=False)
        m = magnification_for(window.height())
        assert window.presentation.active and window.presentation_action.isChecked()
        assert QApplication.font().pointSizeF() == pytest.approx(base * m)
        assert scale.smallest_text(tab)[0] >= smallest * m * 0.9, tab.title
        assert all(not label.isVisible() for label in explanations), tab.title
        assert window.presentation.indicator.isVisible()
        assert window.presentation.indicator.text().startswith(tab.title)
        assert QApplication.palette() != palette
        window.leave_presentation()
        assert not window.presentation.active
        assert window.geometry() == geometry, tab.title
        assert QApplication.font().pointSizeF() == pytest.approx(base)
        assert QApplication.palette() == palette
        assert all(label.isVisible() for label in explanations)
        assert scale.smallest_text(tab)[0] == pytest.approx(smallest)
        assert QApplication.overrideCursor() is None


def plot_text_heights(tab):
    """The heights of the texts drawn in ``tab``'s plots (not its widgets)."""
    return [h for h, where in scale.text_heights(tab) if " in " in where or " of " in where]


def test_presentation_text_is_at_least_20_px_at_1080p_on_every_tab(qtbot, window):
    window.resize(1920, 1080)
    window.enter_presentation(full_screen=False)
    assert magnification_for(window.height()) == pytest.approx(2.0, abs=0.1)
    for i, spec in enumerate(TAB_SPECS):
        # Most tabs are built here, in presentation mode: what they make at the
        # presentation's font must not be magnified twice, nor stay small.
        window.tabs.setCurrentIndex(i)
        tab = window.current_tab()
        qtbot.waitUntil(lambda tab=tab: tab.built and tab.isVisible())
        tab.run_demo()
        size, where = scale.smallest_text(window)
        assert size >= 20, f"{spec.title}: {where} is {size:.1f} px"
    window.leave_presentation()
    for i, spec in enumerate(TAB_SPECS):
        window.tabs.setCurrentIndex(i)
        tab = window.current_tab()
        qtbot.waitUntil(tab.isVisible)
        # At normal size no text in a plot is drawn at the presentation's size: the
        # largest (a 13 pt map axis) is 17.3 px, a twice-magnified one would be 28.
        heights = plot_text_heights(tab)
        assert heights and max(heights) < 20, spec.title


def test_page_down_steps_what_each_tab_walks_through(qtbot, window, backprop):
    activate(qtbot, window)
    # Backpropagation: the stage walk (a clicker could not advance it before)
    backprop.network.stage_index = 0
    backprop.network.previous_stage()
    qtbot.keyClick(window, Qt.Key_PageDown)
    qtbot.keyClick(window, Qt.Key_PageDown)
    assert backprop.network.stage_index == 2
    qtbot.keyClick(window, Qt.Key_PageUp)
    assert backprop.network.stage_index == 1
    assert window.step_indicator_text() == "Backpropagation · stage 2 / " \
        f"{len(backprop.network._stages())} · Page Down: next"
    # Taylor: the order
    window.tabs.setCurrentIndex([s.title for s in TAB_SPECS].index("Taylor"))
    taylor = window.current_tab()
    qtbot.waitUntil(lambda: taylor.built and taylor.isVisible())
    order = taylor.series.order
    qtbot.keyClick(window, Qt.Key_PageDown)
    assert taylor.series.order == order + 1
    qtbot.keyClick(window, Qt.Key_PageUp)
    assert taylor.series.order == order
    # Gradients: one step of the run; Page Up says there is no going back
    window.tabs.setCurrentIndex([s.title for s in TAB_SPECS].index("Gradients"))
    gradients = window.current_tab()
    qtbot.waitUntil(gradients.isVisible)
    gradients.playback.reset()
    assert gradients.path == []
    qtbot.keyClick(window, Qt.Key_PageDown)
    qtbot.waitUntil(lambda: len(gradients.path) == 2)
    qtbot.keyClick(window, Qt.Key_PageUp)
    assert "no previous step" in window.statusBar().currentMessage()


def test_arrows_step_in_presentation_unless_a_field_has_the_focus(qtbot, window, backprop):
    activate(qtbot, window)
    backprop.network.stage_index = 0
    backprop.network.previous_stage()
    button = backprop.network.walk.next_button
    qtbot.keyClick(button, Qt.Key_Right)  # not in presentation mode: nothing
    assert backprop.network.stage_index == 0
    window.enter_presentation(full_screen=False)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(button, Qt.Key_Right)
    assert backprop.network.stage_index == 1
    qtbot.keyClick(button, Qt.Key_Left)
    assert backprop.network.stage_index == 0
    field = backprop.findChildren(QLineEdit)[0]
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.setCursorPosition(0)
    qtbot.keyClick(field, Qt.Key_Right)
    assert backprop.network.stage_index == 0 and field.cursorPosition() == 1
    qtbot.keyClick(window, Qt.Key_Escape)
    assert not window.presentation.active


# ---- export of a run -------------------------------------------------------------------------
def test_a_run_exports_as_csv_and_gif_read_back(qtbot, window, gradients, tmp_path):
    import csv

    from PIL import Image

    gradients.run.step(6)
    qtbot.waitUntil(lambda: len(gradients.path) == 7)
    gradients.playback.scrub_back()  # the export ends at the record shown
    path = tmp_path / "run.csv"
    window.export_run_table(str(path))
    with open(path, newline="") as handle:
        lines = handle.read().splitlines()
    about = dict(line[2:].split(": ", 1) for line in lines if line.startswith("# "))
    # What made the run opens the file (#31, item 20): the function, rate and start.
    assert about["mlcalc-gui run"] == "Gradients"
    assert about["function"] == gradients.function.text
    assert float(about["rate"]) == gradients.rate_spin.value()
    assert about["start"] == ", ".join(f"{v:g}" for v in gradients.start)
    table = list(csv.reader(line for line in lines if not line.startswith("#")))
    header, rows = table[0], table[1:]
    assert header[:3] == ["step", "point[0]", "point[1]"] and "value" in header
    assert len(rows) == 6
    records = gradients.run.records
    assert [float(v) for v in rows[5][1:3]] == list(records[5].point)
    assert float(rows[5][header.index("value")]) == records[5].value

    gif = tmp_path / "run.gif"
    window.export_animation(str(gif))  # draws the frames, then writes off the GUI thread
    qtbot.waitUntil(lambda: "6 frames" in window.statusBar().currentMessage(), timeout=30000)
    with Image.open(gif) as image:
        assert image.n_frames == 6  # every record up to the one shown: the path grows
        width = image.size[0]
    assert 200 < width <= 960
    assert gradients.run.timeline.position == 5  # the history row is back where it was
    assert not any(p.name.startswith(".mlcalc-") for p in tmp_path.iterdir())


def test_cancelling_a_gif_export_leaves_no_file_and_the_run_as_it_was(qtbot, window,
                                                                      gradients, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QPushButton

    gradients.run.step(8)
    qtbot.waitUntil(lambda: len(gradients.path) == 9)
    gif = tmp_path / "run.gif"
    def press_cancel():
        window._animation.dialog.findChild(QPushButton).click()

    QTimer.singleShot(0, press_cancel)  # at the first frame
    animation = window.export_animation(str(gif))
    assert animation.cancelled and animation.dialog is None
    assert window.statusBar().currentMessage() == "Export cancelled"
    assert not gradients.run.scrubbed and len(gradients.path) == 9
    assert not gif.exists() and not list(tmp_path.glob(".mlcalc-*"))


def test_a_tab_with_no_run_says_so_instead_of_exporting(qtbot, window, gradients, tmp_path):
    gradients.run.reset()
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    window.export_run_table(str(tmp_path / "x.csv"))
    assert "no run to export" in window.statusBar().currentMessage()
    assert window.export_animation(str(tmp_path / "x.gif")) is None
    assert "no run to animate" in window.statusBar().currentMessage()
    assert list(tmp_path.iterdir()) == []
