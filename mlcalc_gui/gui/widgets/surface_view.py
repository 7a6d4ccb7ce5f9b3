"""The shared 3D surface view: a surface z = f(x, y) with a point, paths, arrows and a plane.

Every tab that shows a landscape (gradients, the chi-squared of a fit, ...) uses this one
component.  Data are given in the function's own coordinates; the view rescales them to a
fixed-size box so that any domain and any range of values looks well proportioned.
If OpenGL cannot be used, the view shows a message instead and every method is a no-op.

The 3D scene is a ``QOpenGLWindow`` in a window container, not a ``QOpenGLWidget``.  A
window holding a QOpenGLWidget is composited through OpenGL at every repaint, from then
on, whichever tab is showing; with a software renderer (Mesa llvmpipe, as on machines
without a graphics driver) that made each frame of the 2D plots cost 20-30 ms more.  A
window container keeps the rest of the window on Qt's plain raster path.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QImage, QSurfaceFormat
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from mlcalc_gui.core.contours import value_range
from mlcalc_gui.gui import scale, theme
from mlcalc_gui.gui.theme import colormap_rgba
from mlcalc_gui.gui.widgets.gl_scene import (
    BOX,
    CAMERA,
    CAMERA_KEYS,
    HEIGHT,
    axis_label_class,
    grid_mesh,
    opengl_available,
    overlay_options,
    reset_camera,
    soft_shader,
    turn_camera,
    vec,
    view_window_class,
)

__all__ = ["SurfaceView", "TAKES_ARROWS"]


#: A widget with this property set keeps the arrow keys (presentation mode leaves them).
TAKES_ARROWS = "mlc_takes_arrows"


def _holed(mesh, defined: np.ndarray):
    """``mesh`` without the triangles at a vertex where f is undefined (``defined[i, j]``
    False): holes, as on the map, not a floor."""
    flat = defined.ravel()
    if not flat.all():
        faces = mesh.faces()
        mesh._faces = np.ascontiguousarray(faces[flat[faces].all(axis=1)])
    return mesh


class SurfaceView(QWidget):
    """A rotatable 3D view of one surface with overlays.

    Drag to rotate, scroll to zoom.  Methods take the function's own coordinates.
    """

    def __init__(self, parent: QWidget | None = None, axis_labels=("x", "y", "f")):
        super().__init__(parent)
        self.setMinimumSize(260, 220)
        self._layout = QStackedLayout(self)
        self.axis_labels = axis_labels
        self._scale = None  # (x0, sx, y0, sy, z0, sz)
        self._zlim = (0.0, 1.0)
        self.view = None
        self._items: dict[str, object] = {}
        # The overlays as they were asked for, in the data's units: a surface that comes
        # after them (worked out in a worker) draws them again at its own scale.
        self._asked: dict[str, tuple] = {}
        self._soon: tuple[float, float, float] | None = None  # set_point_soon's point
        ok, why = opengl_available()
        if ok:
            self._build_gl()
        else:
            self.message = why
            label = QLabel(
                "<b>The 3D view needs OpenGL, which cannot draw here.</b><br>"
                + html.escape(why) + "<br><br>Everything else in this tab works: use the "
                "2D map beside it. (Help &gt; About says which graphics were found.)")
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignCenter)
            label.setObjectName("glFallback")
            label.setStyleSheet(theme.GL_FALLBACK_STYLE)
            self._layout.addWidget(label)

    def event(self, ev) -> bool:
        if ev.type() == QEvent.Paint and self.view is not None and not self._embedded:
            self._embedded = True
            QTimer.singleShot(0, self, self._embed_view)
        return super().event(ev)

    def _embed_view(self) -> None:
        container = QWidget.createWindowContainer(self.view, self)
        container.setToolTip("Drag to rotate, scroll to zoom, Ctrl+drag to pan; with the "
                             "keyboard (Tab to it): arrow keys turn it, + and − zoom, "
                             "Home puts it back")
        container.setFocusPolicy(Qt.StrongFocus)  # Tab reaches it
        container.setProperty(TAKES_ARROWS, True)  # presentation mode's Right/Left too
        container.setMinimumSize(200, 160)
        container.installEventFilter(self)
        self.view.focus_widget = container
        self.container = container
        self._layout.addWidget(container)
        self._layout.setCurrentWidget(container)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        # Keys pressed while the container has the focus (Tab to it): the camera turns,
        # before any shortcut of the tab's (+ is Taylor's order, else).
        if obj is not getattr(self, "container", None) or self.view is None:
            return False
        if event.type() == QEvent.ShortcutOverride and event.key() in CAMERA_KEYS:
            event.accept()
            return True
        if event.type() == QEvent.KeyPress:
            return turn_camera(self.view, event.key(), event.modifiers())
        return False

    def reset_camera(self) -> None:
        """The camera where it started (Home)."""
        if self.view is not None:
            reset_camera(self.view)

    @property
    def has_gl(self) -> bool:
        return self.view is not None

    def _build_gl(self) -> None:
        import pyqtgraph.opengl as gl

        self.view = view_window_class()()
        # A window's default format has no depth buffer on some platforms (GLX under
        # Xvfb gives none): then a surface folding in front of itself is drawn in
        # triangle order, back over front, as speckle.  Ask for one before it is made.
        fmt = QSurfaceFormat(self.view.format())
        fmt.setDepthBufferSize(24)
        self.view.setFormat(fmt)
        self.view.setBackgroundColor((250, 250, 250))
        from mlcalc_gui.gui.graphics import graphics

        self._coarse_drags = graphics().kind == "software"
        self._meshes: tuple = (None, None)  # the surface's fine mesh, and its coarse one
        self.view.on_drag = self._on_drag
        self.view.setCameraPosition(**CAMERA)
        self.view.opts["center"] = vec(0, 0, HEIGHT / 3)
        # The scene can be filled at once; its window is embedded only after this
        # view's first paint, so a native window never holds back the app's first frame.
        placeholder = QWidget()
        placeholder.setStyleSheet("background: rgb(250, 250, 250);")
        self._layout.addWidget(placeholder)
        self._embedded = False
        grid = gl.GLGridItem()
        grid.setSize(BOX, BOX)
        grid.setSpacing(BOX / 10, BOX / 10)
        grid.setColor((120, 120, 120, 90))
        self.view.addItem(grid)
        self._grid = grid

    # ---- coordinates ---------------------------------------------------------------------
    def _to_gl(self, x, y, z) -> np.ndarray:
        x0, sx, y0, sy, z0, sz = self._scale
        zc = np.clip(np.asarray(z, dtype=float), *self._zlim)
        return np.column_stack(
            [(np.asarray(x, float) - x0) * sx - BOX / 2,
             (np.asarray(y, float) - y0) * sy - BOX / 2,
             (zc - z0) * sz]
        )

    # ---- data ----------------------------------------------------------------------------
    def set_surface(self, xs: np.ndarray, ys: np.ndarray, Z: np.ndarray,
                    zlim: tuple[float, float] | None = None, cmap: str = "viridis",
                    keep_overlays: bool = False) -> None:
        """Draw ``Z[j, i] = f(xs[i], ys[j])``, coloured by height.

        ``zlim`` clips the heights shown (default: the finite range of Z).  The point,
        paths, arrows and plane go (a new surface's are drawn after it), unless
        ``keep_overlays``: a surface that arrives after them (from a worker) draws them
        again on its own scale.
        """
        if not self.has_gl:
            return
        import pyqtgraph.opengl as gl

        lo, hi = self._zlim = value_range(Z, zlim)
        self._scale = (
            xs[0], BOX / (xs[-1] - xs[0]), ys[0], BOX / (ys[-1] - ys[0]), lo, HEIGHT / (hi - lo)
        )
        Zc = np.where(np.isfinite(Z), np.clip(Z, lo, hi), lo)
        gx = (xs - xs[0]) * self._scale[1] - BOX / 2
        gy = (ys - ys[0]) * self._scale[3] - BOX / 2
        gz = (Zc - lo) * self._scale[5]
        colors = colormap_rgba((Zc - lo) / (hi - lo), cmap)
        # The mesh wants z[i, j] at (x[i], y[j]) and colours flat (N*M, 4).
        gz_t = np.ascontiguousarray(gz.T)
        colors_flat = np.ascontiguousarray(colors.transpose(1, 0, 2).reshape(-1, 4))
        defined = np.isfinite(Z).T
        mesh = _holed(grid_mesh(gx, gy, gz_t, colors_flat), defined)
        # Under software GL a drag draws every other row and column (a quarter of the
        # triangles); the fine mesh comes back on release.
        self._meshes = (mesh, None)
        if self._coarse_drags and min(gz_t.shape) >= 40:
            cols = colors_flat.reshape(*gz_t.shape, 4)[::2, ::2].reshape(-1, 4)
            self._meshes = (mesh, _holed(grid_mesh(gx[::2], gy[::2], gz_t[::2, ::2],
                                                   np.ascontiguousarray(cols)),
                                         defined[::2, ::2]))
        item = self._items.get("surface")
        if item is None:
            item = gl.GLMeshItem(meshdata=mesh, shader=soft_shader(), smooth=True,
                                 glOptions="opaque")
            self.view.addItem(item)
            self._items["surface"] = item
        else:
            item.setMeshData(meshdata=mesh)
        self.heights = gz_t  # what is drawn, z[i, j] at (x[i], y[j]) in GL units
        self._set_axis_labels(xs, ys, (lo, hi))
        asked, self._asked = (self._asked if keep_overlays else {}), {}
        for key in ["point", "path", "arrows", "arrows_down", "plane",
                    *(k for k in self._items if k.startswith("line:"))]:
            self._remove(key)
        for method, args in asked.values():
            method(*args)

    def _on_drag(self, dragging: bool) -> None:
        """A drag of the view starts (the coarse mesh) or ends (the fine one)."""
        item, (fine, coarse) = self._items.get("surface"), self._meshes
        if item is not None and coarse is not None:
            item.setMeshData(meshdata=coarse if dragging else fine)

    def _set_axis_labels(self, xs, ys, zlim) -> None:
        from mlcalc_gui.gui.theme import format_number

        for key in [k for k in self._items if k.startswith("label")]:
            self._remove(key)
        half = BOX / 2
        lx, ly, lz = self.axis_labels
        labels = {
            "label_x": ((0, -half - 1.2, 0), f"{lx}  [{format_number(xs[0])} … "
                                              f"{format_number(xs[-1])}]"),
            "label_y": ((half + 1.2, 0, 0), f"{ly}  [{format_number(ys[0])} … "
                                             f"{format_number(ys[-1])}]"),
            "label_z": ((-half, half, HEIGHT + 0.6), f"{lz}  [{format_number(zlim[0])} … "
                                                      f"{format_number(zlim[1])}]"),
        }
        from PySide6.QtGui import QFont

        font = QFont()
        font.setPointSizeF(scale.pt(11))
        self._label_args = (xs, ys, zlim)
        for key, (pos, text) in labels.items():
            item = axis_label_class()(pos=pos, text=text, color=(30, 30, 30, 255), font=font,
                                       alignment=Qt.AlignHCenter | Qt.AlignVCenter)
            self.view.addItem(item)
            self._items[key] = item

    def set_ui_scale(self, factor: float) -> None:
        """Axis labels at the text's size (gui.scale)."""
        args = getattr(self, "_label_args", None)
        if args is not None and self.view is not None:
            self._set_axis_labels(*args)

    def _remove(self, key: str) -> None:
        item = self._items.pop(key, None)
        if item is not None and self.view is not None:
            self.view.removeItem(item)

    def _lines(self, key: str, points: np.ndarray, color, width: float, mode="line_strip"):
        import pyqtgraph.opengl as gl

        width *= scale.factor()
        item = self._items.get(key)
        if item is None:
            item = gl.GLLinePlotItem(pos=points, color=color, width=width, antialias=True,
                                     mode=mode, glOptions=overlay_options())
            item.setDepthValue(10)
            self.view.addItem(item)
            self._items[key] = item
        else:
            item.setData(pos=points, color=color, width=width, mode=mode)

    def _lift(self) -> float:
        return 0.04 * HEIGHT

    def set_point(self, x: float, y: float, z: float) -> None:
        """Mark one point on the surface."""
        self._asked["point"] = (self.set_point, (x, y, z))
        if not self.has_gl or self._scale is None:
            return
        import pyqtgraph.opengl as gl

        pos = self._to_gl([x], [y], [z])
        pos[:, 2] += self._lift()
        item = self._items.get("point")
        if item is None:
            item = gl.GLScatterPlotItem(pos=pos, size=14, color=(0.85, 0.1, 0.1, 1.0),
                                        pxMode=True, glOptions=overlay_options())
            item.setDepthValue(20)
            self.view.addItem(item)
            self._items["point"] = item
        else:
            item.setData(pos=pos)

    def set_point_soon(self, x: float, y: float, z: float) -> None:
        """:meth:`set_point` in the event loop's next pass (the latest call wins): while
        a point is dragged on a map, the map and this view then repaint in two short
        blocks, not one long one (the GL frame costs 6-10 ms under software GL)."""
        if self._soon is None:
            QTimer.singleShot(0, self, self._point_now)
        self._soon = (x, y, z)

    def _point_now(self) -> None:
        point, self._soon = self._soon, None
        if point is not None:
            self.set_point(*point)

    def set_path(self, xs, ys, zs, color=(0.95, 0.35, 0.0, 1.0)) -> None:
        """Draw a path over the surface (for example a descent), lifted slightly."""
        self.set_line("path", xs, ys, zs, color)

    def set_line(self, key: str, xs, ys, zs, color, width: float = 3.0) -> None:
        """Draw the line ``key`` (a path, a curve lifted onto the surface) over the
        surface, lifted slightly; no points remove it."""
        if len(xs) == 0:
            self._asked.pop(key, None)
            self._remove(key)
            return
        self._asked[key] = (self.set_line, (key, xs, ys, zs, color, width))
        if not self.has_gl or self._scale is None:
            return
        pos = self._to_gl(xs, ys, zs)
        pos[:, 2] += self._lift()
        self._lines(key, pos, color, width)

    def set_gradient_arrows(self, x: float, y: float, z: float, gx: float, gy: float,
                            length: float) -> None:
        """Uphill (red) and downhill (blue) arrows in the tangent plane at (x, y)."""
        self._asked["arrows"] = (self.set_gradient_arrows, (x, y, z, gx, gy, length))
        if not self.has_gl or self._scale is None:
            return
        norm = float(np.hypot(gx, gy))
        if not np.isfinite(norm) or norm == 0:
            self._asked.pop("arrows")
            self._remove("arrows")
            self._remove("arrows_down")
            return
        ux, uy = gx / norm * length, gy / norm * length
        up = self._to_gl([x, x + ux], [y, y + uy], [z, z + norm * length])
        down = self._to_gl([x, x - ux], [y, y - uy], [z, z - norm * length])
        up[:, 2] += self._lift()
        down[:, 2] += self._lift()
        self._lines("arrows", up, (0.85, 0.15, 0.1, 1.0), 5.0)
        self._lines("arrows_down", down, (0.1, 0.35, 0.9, 1.0), 5.0)

    def set_tangent_plane(self, x: float, y: float, z: float, gx: float, gy: float,
                          half_width: tuple[float, float]) -> None:
        """A translucent patch of the plane z = f + gx dx + gy dy around (x, y)."""
        self._asked["plane"] = (self.set_tangent_plane, (x, y, z, gx, gy, half_width))
        if not self.has_gl or self._scale is None:
            return
        import pyqtgraph.opengl as gl

        hx, hy = half_width
        dx = np.linspace(-hx, hx, 2)
        dy = np.linspace(-hy, hy, 2)
        DX, DY = np.meshgrid(dx, dy, indexing="ij")
        Zp = z + gx * DX + gy * DY
        pos = self._to_gl((x + DX).ravel(), (y + DY).ravel(), Zp.ravel())
        verts = pos.reshape(2, 2, 3)
        vertexes = np.array([verts[0, 0], verts[1, 0], verts[1, 1], verts[0, 1]])
        faces = np.array([[0, 1, 2], [0, 2, 3]])
        self._remove("plane")
        item = gl.GLMeshItem(vertexes=vertexes, faces=faces, color=(0.9, 0.45, 0.1, 0.35),
                             smooth=False, drawEdges=True, edgeColor=(0.6, 0.25, 0.0, 1.0),
                             glOptions="translucent")
        self.view.addItem(item)
        self._items["plane"] = item

    def set_model(self, xs: np.ndarray, ys: np.ndarray, Z: np.ndarray) -> None:
        """A second, translucent surface ``Z[j, i]`` over the same box (a Taylor model
        over f), clipped to f's height range; where it leaves the range it is cut."""
        if not self.has_gl or self._scale is None:
            return
        import pyqtgraph.opengl as gl

        lo, hi = self._zlim
        inside = np.isfinite(Z) & (Z >= lo) & (Z <= hi)
        X, Y = np.meshgrid(xs, ys)
        pos = self._to_gl(X.T.ravel(), Y.T.ravel(), np.where(inside, Z, lo).T.ravel())
        gz = pos[:, 2].reshape(len(xs), len(ys))
        gx = (xs - self._scale[0]) * self._scale[1] - BOX / 2
        gy = (ys - self._scale[2]) * self._scale[3] - BOX / 2
        colors = np.zeros((len(xs) * len(ys), 4), dtype=np.float32)
        colors[:] = (0.85, 0.4, 0.05, 0.45)
        mesh = grid_mesh(gx, gy, gz, colors)
        # Outside f's range the model is cut off: only triangles wholly inside are drawn.
        faces = mesh.faces()
        keep = inside.T.ravel()[faces].all(axis=1)
        mesh._faces = np.ascontiguousarray(faces[keep])
        self._remove("model")
        item = gl.GLMeshItem(meshdata=mesh, smooth=True, glOptions="translucent")
        item.setDepthValue(5)
        self.view.addItem(item)
        self._items["model"] = item

    def remove_model(self) -> None:
        self._remove("model")

    def remove_plane(self) -> None:
        self._asked.pop("plane", None)
        self._remove("plane")

    def clear_overlays(self) -> None:
        self._asked.clear()
        for key in ("point", "path", "arrows", "arrows_down", "plane", "model"):
            self._remove(key)

    def grab_image(self) -> QImage:
        """The 3D frame, rendered now, as an image (the message without OpenGL)."""
        if not self.render_now():
            return self.grab().toImage()
        # A QOpenGLWindow's grab reads the framebuffer as it is, hence render_now first.
        return self.view.grabFramebuffer()

    def render_now(self) -> bool:
        """Draw the scene at once, and wait for it (False without a GL context)."""
        view = self.view
        if view is None or not view.isValid():
            return False
        from OpenGL import GL

        view.makeCurrent()
        GL.glViewport(0, 0, view.deviceWidth(), view.deviceHeight())
        view.paintGL()
        GL.glFinish()
        return True


