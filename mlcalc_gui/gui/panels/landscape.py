"""A landscape shown twice: a 3D surface and a contour map, with one path, one point and
one colour range.  Gradients draws f(x, y) with it, Fitting draws χ² over the parameters."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QWidget

from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.tab import titled
from mlcalc_gui.gui.theme import format_number
from mlcalc_gui.gui.widgets.contour_view import ContourView
from mlcalc_gui.gui.widgets.surface_view import SurfaceView

__all__ = ["Landscape"]


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
        self.range_note = QLabel()  # what the colours span, and whether they were clipped
        self.range_note.setTextFormat(Qt.PlainText)
        self.range_note.setWordWrap(True)
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
        or the same) in 3D, both in one colour range: the true range, or where a spike (a
        pole) would flatten the rest, the 0.5th or 99.5th percentile on that side, said in
        ``range_note``.  Returns that range."""
        finite = Z[np.isfinite(Z)]
        bottom, top = float(finite.min()), float(finite.max())
        lo, hi = (float(v) for v in np.percentile(finite, [0.5, 99.5]))
        spread = hi - lo
        clipped_low, clipped_high = lo - bottom > 0.5 * spread, top - hi > 0.5 * spread
        lo, hi = (lo if clipped_low else bottom), (hi if clipped_high else top)
        if not hi - lo > 1e-9 * max(1.0, abs(lo), abs(hi)):
            # Flat, or flat to float precision (10^20 + x^2): a range around the value
            # that float arithmetic can still tell apart.
            pad = max(0.5, abs(lo) * 1e-6)
            lo, hi = lo - pad, hi + pad
            clipped_low = clipped_high = False
        self.zlim = (lo, hi)
        name = self.labels[2]
        note = f"Colours span {name} from {format_number(lo)} to {format_number(hi)}"
        spikes = [f"down to {format_number(bottom)}"] * clipped_low + [
            f"up to {format_number(top)}"] * clipped_high
        if spikes:
            note += (", the middle 99% of its values: a few reach " + " and ".join(spikes)
                     + " (a pole or a steep wall) and take the end colours.")
        note = note if spikes else note + "."
        if finite.size < Z.size:
            note += f" The holes are where {name} is undefined."
        self.range_note.setText(note)
        self.contour.set_field(xs, ys, Z, levels=levels, zlim=self.zlim, label=name)
        self.surface.set_surface(*(mesh or (xs, ys, Z)), zlim=self.zlim)
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
