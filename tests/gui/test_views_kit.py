"""What a student expects of every view (#31, item 14): plots and maps zoom with the
wheel and pan, Home brings them back, a 3D view is reached and turned by keyboard and put
back, readouts can be selected, and a formula copies as LaTeX."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QLabel

from mlcalc_gui.gui.shell.registry import TAB_SPECS
from mlcalc_gui.gui.widgets.contour_view import ZoomableViewBox
from mlcalc_gui.gui.widgets.gl_scene import CAMERA
from mlcalc_gui.gui.widgets.surface_view import SurfaceView
from mlcalc_gui.gui.widgets.typeset import TypesetLabel

TITLES = [spec.title for spec in TAB_SPECS]


class _Wheel:
    """What pyqtgraph hands a view box for a wheel turn."""

    def __init__(self, scene_pos, delta):
        self._pos, self._delta = scene_pos, delta
        self.accepted = None

    def delta(self):
        return self._delta

    def scenePos(self):  # noqa: N802
        return self._pos

    def pos(self):
        return self._pos

    def accept(self):
        self.accepted = True

    def ignore(self):
        self.accepted = False


def _zoom(box, delta=240):
    centre = box.mapViewToScene(box.viewRect().center())
    box.wheelEvent(_Wheel(centre, delta))


@pytest.mark.parametrize("title", TITLES)
def test_every_plot_and_map_zooms_and_home_brings_it_back(qtbot, window, title):
    window.tabs.setCurrentIndex(TITLES.index(title))
    tab = window.tab(TITLES.index(title))
    qtbot.waitUntil(lambda: tab.built and tab._pending_state is None, timeout=15000)
    boxes = [item for view in tab.findChildren(pg.GraphicsView) if view.isVisibleTo(tab)
             for item in view.scene().items() if isinstance(item, pg.ViewBox)
             and not isinstance(item.parentItem(), pg.ColorBarItem)]  # (a colour bar)
    assert boxes and all(isinstance(box, ZoomableViewBox) for box in boxes), title
    box = max(boxes, key=lambda b: b.width() * b.height())
    before = [v for r in box.viewRange() for v in r]
    _zoom(box)  # the wheel zooms in
    after = box.viewRange()
    assert after[0][1] - after[0][0] < before[1] - before[0]
    assert box.user_moved
    window.fit_views()  # Home
    assert [v for r in box.viewRange() for v in r] == pytest.approx(before)
    assert not box.user_moved


def test_a_map_pans_with_the_right_button_and_the_left_still_places(qtbot, gradients):
    box = gradients.landscape.contour.getPlotItem().getViewBox()
    (x0, x1), _ = box.viewRange()
    box.manual(lambda: box.translateBy(x=0.5))
    assert box.viewRange()[0][0] == pytest.approx(x0 + 0.5) and box.user_moved
    box.go_home()
    assert box.viewRange()[0] == pytest.approx([x0, x1])


def test_a_3d_view_is_reached_by_tab_turned_by_arrows_and_put_back(qtbot, window, gradients):
    surface = gradients.landscape.surface
    qtbot.waitUntil(lambda: hasattr(surface, "container"), timeout=5000)
    container = surface.container
    assert container.focusPolicy() == Qt.StrongFocus
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    container.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(container.hasFocus)
    azimuth = surface.view.opts["azimuth"]
    qtbot.keyClick(container, Qt.Key_Left)
    assert surface.view.opts["azimuth"] != azimuth
    order_before = None
    qtbot.keyClick(container, Qt.Key_Plus)  # the camera's zoom, not a tab's key
    assert surface.view.opts["distance"] < CAMERA["distance"] and order_before is None
    window.fit_views()
    assert surface.view.opts["azimuth"] == CAMERA["azimuth"]
    assert surface.view.opts["distance"] == CAMERA["distance"]
    assert isinstance(surface, SurfaceView)


@pytest.mark.parametrize("title", TITLES)
def test_readouts_can_be_selected(qtbot, window, title):
    window.tabs.setCurrentIndex(TITLES.index(title))
    tab = window.tab(TITLES.index(title))
    qtbot.waitUntil(lambda: tab.built)
    readouts = [label for label in tab.findChildren(QLabel)
                if label.buddy() is None and not isinstance(label, TypesetLabel)
                and any(ch.isdigit() for ch in label.text())]
    assert readouts
    assert all(label.textInteractionFlags() & Qt.TextSelectableByMouse for label in readouts)


def test_a_formula_copies_as_latex(qtbot, derivatives):
    qtbot.waitUntil(lambda: derivatives.rules.working.typeset())
    label = derivatives.rules.working
    label.copy_latex()
    assert QApplication.clipboard().text() == label.formula() and "frac" in \
        label.formula() or "d}{dx" in label.formula() or "\\" in label.formula()
    label.setFocus()
    qtbot.keyClick(label, Qt.Key_C, Qt.ControlModifier)
    assert QApplication.clipboard().text() == label.formula()
    assert QPointF is not None


def test_a_click_on_the_path_places_the_point_there(qtbot, gradients):
    """A scatter takes clicks on its dots: a click on a path's dot (or on the marker)
    did nothing, so the first click after a run was lost where the path went."""
    import numpy as np

    view = gradients.landscape.contour
    x0, x1, y0, y1 = view.domain
    xs = np.linspace(x0, x1, 21)[3:-3]
    ys = np.linspace(y0, y1, 21)[3:-3]
    view.set_path(xs, ys)
    moved = []
    view.sig_point_moved.connect(lambda x, y: moved.append((x, y)))
    view.viewport().repaint()
    box = view.getPlotItem().getViewBox()
    for x, y in ((xs[4], ys[4]), (xs[9], ys[9])):  # dots of the path
        view.set_point(x, y)  # the second under the marker too
        scene = box.mapViewToScene(QPointF(x, y))
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.mapFromScene(scene))
    tol = 0.02 * (x1 - x0)
    assert moved == [pytest.approx((xs[4], ys[4]), abs=tol),
                     pytest.approx((xs[9], ys[9]), abs=tol)]
