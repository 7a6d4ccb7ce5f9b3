"""Presentation mode on the screens schools project on (#31, item 17): every view at a
usable size (folded controls, scrolling views, never squashed), the subject of a lesson's
step in view, a window that fits a 1366 × 768 screen at any text size, and no 3D view
drawn over the lesson."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QRect

from mlcalc_gui.gui import scale
from mlcalc_gui.gui.scale import MIN_PLOT_HEIGHT, MIN_PLOT_WIDTH
from mlcalc_gui.gui.shell.registry import TAB_SPECS
from mlcalc_gui.gui.shell.text_size import FONT_RANGE

TITLES = [spec.title for spec in TAB_SPECS]


def _show_tab(qtbot, window, title):
    window.tabs.setCurrentIndex(TITLES.index(title))
    tab = window.tab(TITLES.index(title))
    qtbot.waitUntil(lambda: tab.built and tab._pending_state is None, timeout=15000)
    qtbot.waitUntil(lambda: not tab.working, timeout=15000)
    return tab


def _plots(tab):
    return [view for view in tab.findChildren(pg.PlotWidget) if view.isVisible()]


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1920, 1080)])
def test_in_presentation_mode_no_plot_is_squashed(qtbot, window, size):
    window.resize(*size)
    window.enter_presentation(full_screen=False)
    zoom = scale.factor()
    try:
        for title in TITLES:
            tab = _show_tab(qtbot, window, title)
            qtbot.waitUntil(lambda tab=tab: bool(_plots(tab)), timeout=5000)
            for plot in _plots(tab):
                assert plot.width() >= MIN_PLOT_WIDTH * zoom * 0.97, (title, plot.size())
                assert plot.height() >= min(MIN_PLOT_HEIGHT * zoom, plot.maximumHeight()) \
                    * 0.97, (title, plot.size())
            if size[0] == 1024:  # the controls fold away to give the views the room
                assert tab.panel_folded, title
    finally:
        window.leave_presentation()
    assert not window.current_tab().panel_folded  # as the learner had them


def test_f6_folds_and_unfolds_the_controls(qtbot, window, gradients):
    assert not gradients.panel_folded
    window.toggle_controls()
    assert gradients.panel_folded
    window.tabs.setCurrentIndex(TITLES.index("Taylor"))
    taylor = window.current_tab()
    qtbot.waitUntil(lambda: taylor.built)
    assert taylor.panel_folded  # every tab alike
    window.toggle_controls()
    assert not taylor.panel_folded


def test_a_lesson_step_shows_its_subject(qtbot, window):
    """At 1080p the Hessian and its verdict were below the fold in the lesson about
    them."""
    window.resize(1920, 1080)
    window.enter_presentation(full_screen=False)
    try:
        lesson = next(les for les in window.builtin_lessons if les.tab == "Gradients")
        window.start_lesson(lesson)
        tab = window.tab_by_title("Gradients")
        step = next(i for i, s in enumerate(lesson.steps) if s.show == "hessian")
        window.lessons.show_step(step)
        qtbot.waitUntil(lambda: tab.hessian.isVisible())
        viewport = tab.side_column.viewport()
        top = tab.hessian.mapTo(viewport, QPoint(0, 0))
        seen = QRect(top, tab.hessian.size()) & viewport.rect()
        assert seen.height() >= min(tab.hessian.height(), viewport.height()) * 0.9
        window.lessons.leave()
    finally:
        window.leave_presentation()


def test_at_the_largest_text_the_window_fits_a_laptop_screen(qtbot, window):
    """At 24 pt the window's minimum size was 1376 × 994, over a 1366 × 768 screen."""
    for title in TITLES:
        _show_tab(qtbot, window, title)
    window.set_text_size(FONT_RANGE[1])
    for title in TITLES:
        _show_tab(qtbot, window, title)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768, (title, hint)
    window.set_text_size(window._base_font_pt)


def test_no_3d_view_is_drawn_over_the_lesson(qtbot, window):
    """In the Fitting lesson at 1280 × 720 the 3D view was drawn over the lesson's
    title: the screen, as Xvfb shows it, has the lesson's colours there."""
    window.resize(1280, 720)
    window.enter_presentation(full_screen=False)
    try:
        lesson = next(les for les in window.builtin_lessons if les.tab == "Fitting")
        window.start_lesson(lesson)
        window.lessons.show_step(2)
        tab = window.tab_by_title("Fitting")
        qtbot.waitUntil(lambda: tab.built, timeout=15000)
        surface = tab.landscape.surface
        tab.show_place(tab.landscape.surface_box)  # the 3D view embedded as it shows
        qtbot.waitUntil(lambda: hasattr(surface, "container"), timeout=15000)
        bar = tab.views_area.verticalScrollBar()
        bar.setValue(bar.minimum())  # the 3D view half below the views' area, by the lesson
        qtbot.waitUntil(lambda: surface.mapTo(tab.views_area, QPoint(0, 0)).y()
                        + surface.height() > tab.views_area.height())
        panel = window.lessons

        def lesson_shows() -> bool:
            corner = panel.mapToGlobal(QPoint(0, 0))
            shot = window.screen().grabWindow(0, corner.x(), corner.y(), panel.width(),
                                              panel.height()).toImage()
            inside = [shot.pixelColor(x, y) for x in range(0, shot.width(), 9)
                      for y in range(0, shot.height(), 9)]
            like = sum(abs(c.red() - 0xfb) < 12 and abs(c.green() - 0xf7) < 12
                       and abs(c.blue() - 0xea) < 14 for c in inside)
            return like > 0.5 * len(inside)

        qtbot.waitUntil(lesson_shows, timeout=5000)  # as the X server shows the screen
        window.lessons.leave()
    finally:
        window.leave_presentation()
