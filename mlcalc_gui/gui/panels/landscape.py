"""A landscape shown twice: a 3D surface and a contour map, with one path, one point and
one colour range.  The Sandpit draws its floor with it; :class:`FunctionLandscape` draws
a landscape worked out in the worker: a typed f(x, y) (Gradients, the descent race,
Lagrange, the path page) or any picture a core function makes (Fitting's χ²)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QSplitter, QWidget

from mlcalc_gui.core.surfaces import LandscapePicture, landscape_picture, picture_of_grid
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.widgets import titled
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.widgets.contour_view import ContourView
from mlcalc_gui.gui.widgets.steady import WrappedLabel
from mlcalc_gui.gui.widgets.surface_view import SurfaceView

__all__ = ["FunctionLandscape", "Landscape"]


class Landscape(QObject):
    """Owns the two views; the tab places ``surface_box`` and ``map_box`` (or the
    side-by-side :meth:`pair`).  ``sig_point_moved(x, y)``: the learner clicked, dragged or
    nudged the point on the map."""

    sig_point_moved = Signal(float, float)

    def __init__(self, parent: QWidget, labels: tuple[str, str, str] = ("x", "y", "f"),
                 lock_aspect: bool = True,
                 titles: tuple[str, str] = ("Surface — drag to rotate",
                                            "Contour map — click or drag to move the point")):
        super().__init__(parent)
        self.surface = SurfaceView(axis_labels=labels)
        self.contour = ContourView(labels=labels[:2], lock_aspect=lock_aspect)
        self.contour.sig_point_moved.connect(self.sig_point_moved)
        title = titles[0]
        if not self.surface.has_gl:  # it cannot be rotated: it says why instead
            title = title.split(" — ")[0] + " — 3D is off here (no OpenGL that draws)"
        self.surface_box = titled(self.surface, title)
        self.map_box = titled(self.contour, titles[1])
        self.labels = labels
        self.range_note = WrappedLabel()  # what the colours span, and whether they were clipped
        self.range_note.setTextFormat(Qt.PlainText)
        self.range_note.setStyleSheet(theme.RANGE_NOTE_STYLE)
        self.map_box.layout().addWidget(self.range_note)
        self.zlim = (0.0, 1.0)

    def pair(self) -> QSplitter:
        """The surface and the map side by side."""
        views = QSplitter(Qt.Horizontal)
        views.addWidget(self.surface_box)
        views.addWidget(self.map_box)
        views.setSizes([500, 500])
        return views

    def set_landscape(self, xs: np.ndarray, ys: np.ndarray, Z: np.ndarray,
                      mesh: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
                      levels: int = 20) -> tuple[float, float]:
        """Draw ``Z[j, i]`` at ``(xs[i], ys[j])`` on the map and (``mesh``, a coarser grid,
        or the same) in 3D, both in one colour range (:func:`core.surfaces.colour_range`,
        said in ``range_note``).  Returns that range."""
        return self.show_picture(picture_of_grid((xs, ys, Z), mesh, levels, self.labels[2]))

    def show_picture(self, picture: LandscapePicture, keep_overlays: bool = False
                     ) -> tuple[float, float]:
        """Draw a landscape worked out before (off the GUI thread, say); its range.
        ``keep_overlays``: the point, path, arrows and plane drawn before it came stay
        (on the new surface's scale)."""
        self.zlim = picture.zlim
        self.range_note.setText(picture.note)
        self.contour.set_field(*picture.grid, levels=picture.levels, zlim=self.zlim,
                               label=self.labels[2], segments=picture.contours)
        self.surface.set_surface(*picture.mesh, zlim=self.zlim, keep_overlays=keep_overlays)
        return self.zlim

    def set_covered(self, domain: tuple[float, float, float, float], texture: np.ndarray,
                    note: str = "") -> None:
        """The landscape hidden under ``texture`` (a game's sand): the map shows it, and
        the note under the map says ``note`` (never the last landscape's colours)."""
        self.contour.set_covered(domain, texture)
        self.range_note.setText(note)

    def set_path(self, points: Sequence[Sequence[float]], heights: Sequence[float]) -> None:
        """The run's path on both views (``heights`` in the landscape's units)."""
        pts = np.asarray(points, dtype=float).reshape(-1, 2)
        self.contour.set_path(pts[:, 0], pts[:, 1])
        self.surface.set_path(pts[:, 0], pts[:, 1], np.asarray(heights, dtype=float))

    def set_point(self, x: float, y: float, z: float) -> None:
        """The point on the map, and on the surface where its height is finite."""
        self.contour.set_point(x, y)
        if np.isfinite(z):
            self.surface.set_point(x, y, z)


class FunctionLandscape(Landscape):
    """The landscape of a typed (or chosen) f(x, y), drawn from the host's worker.

    The page keeps the maths at the point on the GUI thread (one analysis, cheap) and
    asks :meth:`draw` for the pictures: the map's 200 × 200 samples, the surface's mesh,
    the contours, the colour range and (``field``) the gradient's arrows are worked out
    off the GUI thread, the newest function winning, and drawn when they come
    (``sig_drawn(picture)``; ``picture`` is the one shown).  A function the worker cannot
    draw is said by ``sig_status``, and the previous picture stays.
    """

    sig_drawn = Signal(object)  # the LandscapePicture just drawn
    sig_status = Signal(str)

    def __init__(self, host, labels: tuple[str, str, str] = ("x", "y", "f"),
                 titles: tuple[str, str] | None = None, field: int = 0, grid: int = 200,
                 mesh: int = 70):
        super().__init__(host, labels, **({"titles": titles} if titles else {}))
        self.sizes = (grid, mesh, field)
        self.picture: LandscapePicture | None = None
        self.task = BackgroundTask(host)
        self.task.sig_done.connect(self._on_picture)
        self.task.sig_failed.connect(
            lambda _, why: self.sig_status.emit(f"The landscape could not be drawn: {why}"))

    @property
    def pending(self) -> bool:
        """A function asked for is still being worked out."""
        return self.task.busy

    def draw(self, function, domain, ready: LandscapePicture | None = None) -> None:
        """Work out f's pictures over ``domain`` off the GUI thread, and draw them; or
        draw ``ready``, if it is their picture (made in the input's own job)."""
        domain = tuple(domain)
        if isinstance(ready, LandscapePicture) and ready.tag == (function.text, domain):
            self.task.cancel()  # (an older function's picture would come after)
            self._on_picture(ready.tag, ready)
            return
        self.draw_work((function.text, domain), lambda: self.picture_of(function, domain))

    def picture_of(self, function, domain) -> LandscapePicture:
        """f's pictures over ``domain`` at this landscape's sizes (in a worker)."""
        grid, mesh, field = self.sizes
        return landscape_picture(function, tuple(domain), grid, mesh, field=field,
                                 name=self.labels[2])

    def prepare_with(self, function_input) -> None:
        """Let ``function_input`` work this landscape's pictures out in the job that
        checks a typed function (one trip to the worker, not two); the page passes
        ``function_input.prepared`` to :meth:`draw`."""
        function_input.prepare = self.picture_of

    def draw_work(self, tag, work) -> None:
        """Draw the picture ``work()`` makes (a core function returning a
        :class:`LandscapePicture`: χ² over a fit's parameters, say), made off the GUI
        thread; ``tag`` names what it is a picture of."""
        self.task.submit(tag, work)

    @Slot(object, object)
    def _on_picture(self, _tag, picture: LandscapePicture) -> None:
        if not np.isfinite(picture.extent[0]):
            self.sig_status.emit(f"{self.labels[2]} is undefined all over this map: the "
                                 "last landscape stays")
            return
        self.picture = picture
        # The page drew its point, path and arrows for this function already: they stay.
        self.show_picture(picture, keep_overlays=True)
        self.sig_drawn.emit(picture)
