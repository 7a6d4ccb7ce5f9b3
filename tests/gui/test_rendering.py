"""Real drawing under Xvfb + Mesa: the 3D view shows the surface; no GL shows a message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mlcalc_gui.core.surfaces import preset_by_name
from mlcalc_gui.gui.widgets import gl_scene, surface_view


def image_array(qimage) -> np.ndarray:
    from PySide6.QtGui import QImage

    img = qimage.convertToFormat(QImage.Format_RGBA8888)
    ptr = img.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8, count=img.sizeInBytes())
    return arr.reshape(img.height(), img.bytesPerLine() // 4, 4)[:, : img.width(), :3].copy()


def test_3d_view_really_draws_the_surface(qtbot, gradients):
    view = gradients.landscape.surface
    assert view.has_gl, gl_scene.opengl_available()[1]
    gradients.apply_preset(preset_by_name("Bowl"))
    qtbot.waitUntil(lambda: not gradients.landscape.pending)
    qtbot.waitUntil(lambda: view.view.isVisible())
    view.view.update()
    pixels = image_array(view.grab_image())
    h, w, _ = pixels.shape
    assert h > 100 and w > 100
    background = np.array([250, 250, 250])
    drawn = np.abs(pixels.astype(int) - background).sum(axis=2) > 30
    assert drawn.mean() > 0.10, "the surface should cover a good part of the view"
    assert (pixels.sum(axis=2) < 30).mean() < 0.05, "not a black frame"
    # Viridis runs from purple (bowl bottom) to yellow (rim): both must be on screen.
    r, g, b = (pixels[..., i].astype(int) for i in range(3))
    yellowish = (r > 150) & (g > 150) & (b < 110)
    purplish = (b > r + 20) & (g < 90)
    # (Yellow only at the corners: the colours span the true range, 0 to 8.)
    assert yellowish.mean() > 0.0005 and purplish.mean() > 0.002


def lone_pixel_fraction(pixels: np.ndarray) -> float:
    """The share of the drawn pixels that differ sharply from both neighbours on a line
    that agree with each other: the speckle of a surface drawn without a depth test
    (back triangles over front ones, in triangle order).  A smooth surface has only its
    edges and labels: under 1.5 %; the speckle measured 6-10 %."""
    p = pixels.astype(int)
    c = p[1:-1, 1:-1]

    def far(a, b):
        return np.abs(a - b).sum(axis=2)

    lone = np.zeros(c.shape[:2], bool)
    for a, b in ((p[1:-1, :-2], p[1:-1, 2:]), (p[:-2, 1:-1], p[2:, 1:-1])):
        lone |= (far(c, a) > 60) & (far(c, b) > 60) & (far(a, b) < 20)
    drawn = np.abs(c - 250).sum(axis=2) > 30
    return float(lone[drawn].mean())


@pytest.mark.parametrize("preset", ["Himmelblau", "sin x · cos y"])
def test_a_surface_folding_in_front_of_itself_is_drawn_with_depth(qtbot, gradients, preset):
    view = gradients.landscape.surface
    gradients.apply_preset(preset_by_name(preset))
    qtbot.waitUntil(lambda: not gradients.landscape.pending)
    qtbot.waitUntil(lambda: view.view.isVisible())
    pixels = image_array(view.grab_image())
    assert view.view.context().format().depthBufferSize() >= 16
    assert lone_pixel_fraction(pixels) < 0.025


def test_3d_axis_labels_stay_inside_a_narrow_view(qtbot, gradients):
    from PySide6.QtGui import QFontMetrics, QVector3D

    view = gradients.landscape.surface
    gradients.landscape.surface_box.parentWidget().setSizes([260, 2000])  # narrowest
    gradients.apply_preset(preset_by_name("Himmelblau"))
    qtbot.waitUntil(lambda: not gradients.landscape.pending)
    qtbot.waitUntil(lambda: view.view.isVisible() and view.view.width() < 330)
    rect = view.view.rect()
    labels = [item for key, item in view._items.items() if key.startswith("label")]
    assert len(labels) == 3
    for item in labels:
        at = item.align_text(item.compute_projection().map(QVector3D(*item.pos)).toPointF())
        box = QFontMetrics(item.font).tightBoundingRect(item.text)
        assert 0 <= at.x() and at.x() + box.width() <= rect.width(), item.text
        assert 0 <= at.y() - box.height() and at.y() <= rect.height(), item.text


def test_changing_the_function_changes_the_3d_pixels(qtbot, gradients):
    gradients.apply_preset(preset_by_name("Bowl"))
    qtbot.waitUntil(lambda: gradients.landscape.surface.view.isVisible()
                    and not gradients.landscape.pending)
    first = image_array(gradients.landscape.surface.grab_image())
    gradients.apply_preset(preset_by_name("Saddle"))
    qtbot.waitUntil(lambda: not gradients.landscape.pending)  # (drawn from the worker)
    second = image_array(gradients.landscape.surface.grab_image())
    assert np.abs(first.astype(int) - second.astype(int)).sum(axis=2).mean() > 5


def test_after_a_click_on_the_3d_view_the_keys_still_drive_the_tab(qtbot, gradients):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    gradients.apply_preset(preset_by_name("Bowl"))
    qtbot.waitUntil(lambda: not gradients.landscape.pending)
    gradients.set_point(1.0, 1.0)
    view = gradients.landscape.surface.view
    gradients.window().activateWindow()  # as it is when the user clicks in it
    qtbot.waitUntil(lambda: view.isExposed() and QApplication.activeWindow() is not None)
    QTest.mouseClick(view, Qt.LeftButton, Qt.NoModifier, QPoint(40, 40))
    assert QApplication.focusWidget() is view.focus_widget
    # Keys now reach the focused 3D window; the tab's "N" (one step) must still work.
    QTest.keyClick(QApplication.focusWindow(), Qt.Key_N)
    qtbot.waitUntil(lambda: len(gradients.path) == 2)
    assert gradients.path[1].point == pytest.approx((0.8, 0.8))


def test_the_3d_view_is_its_own_window(qtbot, gradients):
    """A QOpenGLWidget would switch the whole window to OpenGL composition (slow on a
    software renderer, whichever tab shows): the 3D view must be a separate window."""
    from PySide6.QtOpenGLWidgets import QOpenGLWidget

    assert gradients.window().findChildren(QOpenGLWidget) == []
    view = gradients.landscape.surface.view
    qtbot.waitUntil(view.isExposed)  # embedded after the first frame, then shown
    assert view.parent() is not None  # inside the main window, not a loose window
    assert view.focus_widget.window() is gradients.window()


def test_a_scene_changing_by_itself_is_drawn_30_times_a_second_at_most(qtbot, gradients):
    """A run asks for a frame at every batch; under software GL each costs most of a
    core, so the view draws at most FRAME_S apart, unless the learner's hands are on it."""
    from PySide6.QtCore import QTimer

    view = gradients.landscape.surface.view
    qtbot.waitUntil(view.isExposed)
    frames = []
    view.frameSwapped.connect(lambda: frames.append(1))
    asking = QTimer(interval=2)
    asking.timeout.connect(view.update)  # a run asking for a frame every 2 ms
    asking.start()
    QTimer.singleShot(600, asking.stop)  # 300 asks in 0.6 s
    qtbot.waitUntil(lambda: not asking.isActive(), timeout=5000)
    qtbot.waitUntil(lambda: not view._deferred)  # the last one drawn
    assert 3 <= len(frames) <= 0.6 / gl_scene.FRAME_S + 2
    view.hands_on()  # a mouse move: the next frame is not held back
    view.update()
    assert not view._deferred


def test_under_software_gl_a_drag_turns_a_coarser_mesh(qtbot, gradients):
    """Mesa's llvmpipe here: while the learner drags the view, every other row and
    column of the 70 x 70 mesh (35 x 35); the fine mesh again on release."""
    from mlcalc_gui.gui.graphics import graphics

    surface = gradients.landscape.surface
    assert graphics().kind == "software", graphics().renderer
    gradients.apply_preset(preset_by_name("Bowl"))
    qtbot.waitUntil(lambda: not gradients.landscape.pending)
    item = surface._items["surface"]

    def vertices() -> int:
        return len(item.opts["meshdata"].vertexes())

    assert vertices() == 70 * 70
    surface.view.set_dragging(True)  # what a mouse press on the view says
    assert vertices() == 35 * 35
    surface.view.set_dragging(False)
    assert vertices() == 70 * 70
    pixels = image_array(surface.grab_image())
    assert pixels.std() > 10  # the fine surface drawn again


def test_without_opengl_the_view_explains_and_the_tab_still_works(qtbot, monkeypatch):
    monkeypatch.setattr(gl_scene, "_GL_PROBE", (False, "No OpenGL here (test)."))
    view = surface_view.SurfaceView()
    qtbot.addWidget(view)
    assert not view.has_gl
    from PySide6.QtWidgets import QLabel

    label = view.findChild(QLabel, "glFallback")
    assert "needs OpenGL" in label.text() and "No OpenGL here" in label.text()
    xs = np.linspace(-1, 1, 5)
    view.set_surface(xs, xs, np.zeros((5, 5)))  # all calls are harmless no-ops
    view.set_point(0, 0, 0)
    view.set_path([0, 1], [0, 1], [0, 1])


def test_screenshot_mode_writes_one_png_per_tab(tmp_path, screenshot_names):
    out = tmp_path / "shots"
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "main.py", "--screenshot", str(out), "--size", "1366x768"],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    files = sorted(out.glob("*.png"))
    assert {p.name for p in files} == screenshot_names
    from PySide6.QtGui import QImage

    for path in files:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1366, 768)
        pixels = image_array(image)
        assert pixels.std() > 20, f"{path.name} looks blank"


def test_screenshot_size_is_validated(tmp_path):
    result = subprocess.run([sys.executable, "main.py", "--screenshot", str(tmp_path),
                             "--size", "bad"], cwd=Path(__file__).resolve().parents[2],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "WIDTHxHEIGHT" in result.stderr


def test_every_axis_of_every_tab_is_kept_as_a_pixmap_and_still_right(qtbot, window):
    """Axes are slow to draw (their text): every plot's are cached, so a moving curve
    or point repaints them from a pixmap; a new range still draws new ticks."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QGraphicsItem

    from mlcalc_gui.gui.panels.plots import teaching_plot

    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        tab = window.tab(i)
        qtbot.waitUntil(lambda tab=tab: tab.built)
        axes = [item for view in tab.findChildren(pg.GraphicsView)
                for item in view.scene().items() if isinstance(item, pg.AxisItem)]
        assert axes, window.tabs.tabText(i)
        plain = [(type(view).__name__, a.orientation) for view in
                 tab.findChildren(pg.GraphicsView) for a in view.scene().items()
                 if isinstance(a, pg.AxisItem)
                 and a.cacheMode() != QGraphicsItem.DeviceCoordinateCache]
        assert not plain, (window.tabs.tabText(i), plain)
    plot = teaching_plot("x", "y")
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    plot.getPlotItem().setXRange(0, 10, padding=0)
    axis = plot.getPlotItem().getAxis("bottom")
    qtbot.waitUntil(lambda: axis.tickValues(0, 10, 400)[0][1][-1] == 10)
    plot.getPlotItem().setXRange(0, 1000, padding=0)
    qtbot.waitUntil(lambda: axis.range[1] == 1000)
