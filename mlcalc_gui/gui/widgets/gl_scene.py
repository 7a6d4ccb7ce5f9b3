"""The pieces of the 3D scene made once and shared by every surface view: whether OpenGL
draws here, the GL window the scene is drawn in, its soft shader, the camera and the keys
that turn it, axis labels kept inside the view, and the surface's triangle mesh."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import QWidget

__all__ = ["BOX", "HEIGHT", "CAMERA", "TURN", "CAMERA_KEYS", "FRAME_S", "HANDS_ON_S",
           "opengl_available",
           "overlay_options", "soft_shader", "view_window_class", "axis_label_class",
           "reset_camera", "turn_camera", "grid_mesh", "vec"]


BOX = 10.0  # the x and y extent of the drawn box, in GL units
HEIGHT = 6.0  # the z extent

_GL_PROBE: tuple[bool, str] | None = None


# Overlays (points, paths, arrows) are drawn over the surface, never hidden inside a hill.
_OVERLAY_GL = None


def overlay_options() -> dict:
    global _OVERLAY_GL
    if _OVERLAY_GL is None:
        from OpenGL import GL

        _OVERLAY_GL = {
            GL.GL_DEPTH_TEST: False, GL.GL_BLEND: True, GL.GL_CULL_FACE: False,
            "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA),
        }
    return _OVERLAY_GL


def soft_shader():
    """Vertex colours lit softly from above: enough shading to read the shape, while the
    colormap stays true (pyqtgraph's 'shaded' darkens colours to 20 % in shadow).

    One program per view: a compiled program belongs to the GL context it was made in.
    """
    from pyqtgraph.opengl.shaders import FragmentShader, ShaderProgram, VertexShader

    return ShaderProgram(None, [
            VertexShader("""
                uniform mat4 u_mvp;
                uniform mat3 u_normal;
                attribute vec4 a_position;
                attribute vec3 a_normal;
                attribute vec4 a_color;
                varying vec4 v_color;
                varying vec3 v_normal;
                void main() {
                    v_normal = normalize(u_normal * a_normal);
                    v_color = a_color;
                    gl_Position = u_mvp * a_position;
                }
            """),
            FragmentShader("""
                #ifdef GL_ES
                precision mediump float;
                #endif
                varying vec4 v_color;
                varying vec3 v_normal;
                void main() {
                    float p = abs(dot(normalize(v_normal), normalize(vec3(0.3, 0.5, 1.0))));
                    vec3 rgb = v_color.rgb * (0.55 + 0.5 * p);
                    gl_FragColor = vec4(min(rgb, vec3(1.0)), v_color.a);
                }
            """),
        ])


def opengl_available() -> tuple[bool, str]:
    """Whether the 3D views can draw here, and if not, why (see gui.graphics: a context
    that exists but cannot draw counts as none)."""
    global _GL_PROBE
    if _GL_PROBE is None:
        from mlcalc_gui.gui.graphics import graphics

        found = graphics()
        _GL_PROBE = (found.drawable, found.reason)
    return _GL_PROBE


def view_window_class():
    """pyqtgraph's 3D camera and items on a QOpenGLWindow (its GLViewMixin is made for
    this), made on first use so pyqtgraph.opengl is only imported with OpenGL."""
    global _VIEW_WINDOW
    if _VIEW_WINDOW is None:
        from pyqtgraph.opengl.GLViewWidget import GLViewMixin
        from PySide6.QtOpenGL import QOpenGLWindow

        class GLViewWindow(GLViewMixin, QOpenGLWindow):
            """At most :data:`FRAME_S` between two frames while the scene changes by
            itself (a run's path growing), which under software GL is most of a core;
            at full rate while the learner turns or zooms it (a frame asked within
            :data:`HANDS_ON_S` of the mouse or a key)."""

            _last_paint = 0.0
            _last_touch = 0.0
            _deferred = False
            #: Told True when a drag starts and False when it ends (its SurfaceView
            #: swaps in a coarser mesh meanwhile, under software GL).
            on_drag: Callable[[bool], None] | None = None

            def set_dragging(self, dragging: bool) -> None:
                """A drag (turning, panning) starts or ends."""
                if self.on_drag is not None:
                    self.on_drag(dragging)

            def update(self) -> None:
                now = time.perf_counter()
                wait = self._last_paint + FRAME_S - now
                if wait <= 0 or now - self._last_touch < HANDS_ON_S:
                    super().update()
                elif not self._deferred:  # one frame later, for every change till then
                    self._deferred = True
                    QTimer.singleShot(int(wait * 1000) + 1, self, self._late_update)

            def _late_update(self) -> None:
                self._deferred = False
                super().update()

            def paintGL(self) -> None:  # noqa: N802
                self._last_paint = time.perf_counter()
                super().paintGL()

            def hands_on(self) -> None:
                """The learner is turning or zooming the view: frames at full rate."""
                self._last_touch = time.perf_counter()

            def mouseMoveEvent(self, ev) -> None:  # noqa: N802
                self.hands_on()
                super().mouseMoveEvent(ev)

            def wheelEvent(self, ev) -> None:  # noqa: N802
                self.hands_on()
                super().wheelEvent(ev)

            # The mixin asks for QWidget's devicePixelRatioF; a QWindow has this one.
            def deviceWidth(self) -> int:  # noqa: N802 (pyqtgraph naming)
                return int(self.width() * self.devicePixelRatio())

            def deviceHeight(self) -> int:  # noqa: N802
                return int(self.height() * self.devicePixelRatio())

            def rect(self) -> QRect:  # GLTextItem places its text with this
                return QRect(0, 0, self.width(), self.height())

            def mouseReleaseEvent(self, ev) -> None:  # noqa: N802
                super().mouseReleaseEvent(ev)
                self.set_dragging(False)

            def mousePressEvent(self, ev) -> None:  # noqa: N802
                self.hands_on()
                self.set_dragging(True)
                # A click focuses the container, so the tab's keyboard shortcuts keep
                # working (and the arrow keys still turn the camera).
                super().mousePressEvent(ev)
                if self.focus_widget is not None:
                    self.focus_widget.setFocus(Qt.MouseFocusReason)

            def keyPressEvent(self, ev) -> None:  # noqa: N802
                self.hands_on()
                if turn_camera(self, ev.key(), ev.modifiers()):
                    ev.accept()
                else:
                    super().keyPressEvent(ev)

            focus_widget: QWidget | None = None

        _VIEW_WINDOW = GLViewWindow
    return _VIEW_WINDOW


_VIEW_WINDOW = None
_AXIS_LABEL = None
#: The shortest time between two frames of a scene that changes by itself: 30 a second.
FRAME_S = 1 / 30
#: How long after the learner's mouse or key the scene is drawn at full rate.
HANDS_ON_S = 0.25

#: Where the camera starts, and where Home puts it back.
CAMERA = {"distance": 19, "elevation": 30, "azimuth": -60}
#: Degrees an arrow key turns the camera (Shift: four times as much).
TURN = 5.0
#: The keys a focused 3D view takes for its camera.
CAMERA_KEYS = (Qt.Key_Left, Qt.Key_Right, Qt.Key_Up, Qt.Key_Down, Qt.Key_Plus, Qt.Key_Equal,
               Qt.Key_Minus, Qt.Key_Home)


def reset_camera(view) -> None:
    """The 3D view's camera where it started (after rotating, zooming, panning)."""
    view.setCameraPosition(**CAMERA)
    view.opts["center"] = vec(0, 0, HEIGHT / 3)
    view.update()


def turn_camera(view, key, modifiers) -> bool:
    """The arrow keys turn the camera round the surface (Shift: faster), + and − zoom,
    Home puts it back; True if ``key`` was one of those."""
    step = TURN * (4 if modifiers & Qt.ShiftModifier else 1)
    turns = {Qt.Key_Left: (step, 0), Qt.Key_Right: (-step, 0), Qt.Key_Up: (0, step),
             Qt.Key_Down: (0, -step)}
    if key in turns:
        view.orbit(*turns[key])
    elif key in (Qt.Key_Plus, Qt.Key_Equal, Qt.Key_Minus):
        view.opts["distance"] *= 0.9 if key != Qt.Key_Minus else 1 / 0.9
        view.update()
    elif key == Qt.Key_Home:
        reset_camera(view)
    else:
        return False
    return True


def axis_label_class():
    """pyqtgraph's GLTextItem, centred on its point and kept inside the view: a label
    near the edge of a narrow view is moved in, not cut off ("y [0 … 6")."""
    global _AXIS_LABEL
    if _AXIS_LABEL is None:
        from pyqtgraph.opengl import GLTextItem
        from PySide6.QtGui import QFontMetrics

        class AxisLabel(GLTextItem):
            def align_text(self, pos):  # noqa: D401 (pyqtgraph's hook)
                pos = super().align_text(pos)
                box = QFontMetrics(self.font).tightBoundingRect(self.text)
                rect = self.view().rect()
                margin = 4
                x = min(max(pos.x(), margin), rect.width() - box.width() - margin)
                y = min(max(pos.y(), box.height() + margin), rect.height() - margin)
                pos.setX(max(x, margin))  # wider than the view: its start shows
                pos.setY(y)
                return pos

        _AXIS_LABEL = AxisLabel
    return _AXIS_LABEL


_FACES: dict[tuple[int, int], np.ndarray] = {}


def grid_mesh(gx: np.ndarray, gy: np.ndarray, gz: np.ndarray, colors: np.ndarray):
    """A triangle mesh of the height field ``gz[i, j]`` at ``(gx[i], gy[j])``.

    The vertex normals are computed here from the field's gradient, n ∝ (−∂z/∂x, −∂z/∂y, 1):
    pyqtgraph would otherwise compute them in a Python loop over every vertex (a quarter of
    a second for a 200 x 200 grid).
    """
    from pyqtgraph.opengl import MeshData

    nx, ny = gz.shape
    faces = _FACES.get((nx, ny))
    if faces is None:
        idx = np.arange(nx * ny).reshape(nx, ny)
        a, b = idx[:-1, :-1].ravel(), idx[1:, :-1].ravel()
        c, d = idx[1:, 1:].ravel(), idx[:-1, 1:].ravel()
        faces = np.concatenate([np.column_stack([a, b, c]), np.column_stack([a, c, d])])
        faces = _FACES[(nx, ny)] = faces.astype(np.uint32)
    X, Y = np.meshgrid(gx, gy, indexing="ij")
    vertexes = np.column_stack([X.ravel(), Y.ravel(), gz.ravel()]).astype(np.float32)
    dzdx, dzdy = np.gradient(gz, gx, gy)
    normals = np.stack([-dzdx, -dzdy, np.ones_like(gz)], axis=-1).reshape(-1, 3)
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    mesh = MeshData(vertexes=vertexes, faces=faces, vertexColors=colors)
    mesh._vertexNormals = normals.astype(np.float32)  # MeshData has no public setter
    return mesh


def vec(x: float, y: float, z: float):
    from PySide6.QtGui import QVector3D

    return QVector3D(x, y, z)
