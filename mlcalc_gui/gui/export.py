"""Export: a view as PNG or SVG, with the true frames of its 3D views pasted in; a run
as a CSV table of its records, or as a GIF of its history.

A GIF is made in two parts.  Its frames are drawn on the GUI thread, as they must be: the
history row shows each kept record in turn (thinned to at most ``MAX_FRAMES``), the tab
is grabbed as it is on screen (its scale, its typeset formulas, its 3D views), and each
frame is made small at once (256 colours).  The file is then written off the GUI thread.
A progress dialog follows both and can cancel either; the history row goes back to where
it was.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView, QProgressDialog, QWidget

from mlcalc_gui.core import recording
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.widgets.surface_view import SurfaceView

__all__ = ["export_widget", "grab_with_gl", "image_array", "RunAnimation", "export_table",
           "run_frames", "NOTHING_TO_ANIMATE"]


def export_widget(widget: QWidget, path: str) -> None:
    """Save ``widget`` as PNG or SVG, chosen by the file's ending; OSError if it fails."""
    if path.lower().endswith(".svg"):
        _export_svg(widget, path)
    elif not grab_with_gl(widget).save(path):
        raise OSError("the image could not be written")


def _paste_3d_views(widget: QWidget, painter: QPainter) -> None:
    """Draw the true frames of the visible 3D views over ``widget``'s rendering: a
    widget grab cannot see into their OpenGL windows."""
    for view in widget.findChildren(SurfaceView):
        if view.has_gl and view.isVisible():
            top_left = view.mapTo(widget, QPoint(0, 0))
            painter.drawImage(QRectF(top_left.x(), top_left.y(), view.width(),
                                     view.height()), view.grab_image())


def grab_with_gl(widget: QWidget) -> QImage:
    """Grab ``widget`` as a QImage, with the true frames of its 3D views."""
    image = widget.grab().toImage()
    painter = QPainter(image)
    _paste_3d_views(widget, painter)
    painter.end()
    return image


def _export_svg(widget: QWidget, path: str) -> None:
    from PySide6.QtSvg import QSvgGenerator

    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(widget.size())
    generator.setViewBox(widget.rect())
    generator.setTitle("mlcalc-gui view")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError("the SVG file could not be opened for writing")
    # Items kept as pixmaps on screen (axes, heat-map contours) are drawn as vectors.
    cached = [item for view in widget.findChildren(QGraphicsView)
              for item in view.scene().items()
              if item.cacheMode() != QGraphicsItem.NoCache]
    modes = [item.cacheMode() for item in cached]
    try:
        for item in cached:
            item.setCacheMode(QGraphicsItem.NoCache)
        widget.render(painter, QPoint())
    finally:
        for item, mode in zip(cached, modes, strict=True):
            item.setCacheMode(mode)
    _paste_3d_views(widget, painter)
    painter.end()


def image_array(image: QImage) -> np.ndarray:
    """A QImage as an (H, W, 3) uint8 RGB array (a copy)."""
    rgb = image.convertToFormat(QImage.Format_RGB888)
    h, w = rgb.height(), rgb.width()
    data = np.frombuffer(rgb.constBits(), np.uint8, count=rgb.bytesPerLine() * h)
    return data.reshape(h, rgb.bytesPerLine())[:, :w * 3].reshape(h, w, 3).copy()


def export_table(tab, path: str) -> int:
    """Write the tab's run, up to the record shown, as CSV; the rows written.  ValueError
    when there is no run yet, OSError when the file cannot be written."""
    header, rows = tab.run_table()
    if not rows:
        raise ValueError("There is no run to export yet: press Play or Step first.")
    return recording.write_csv(path, header, rows)


class RunAnimation(QObject):
    """One GIF export of a tab's run, from its first kept record to the one the history
    row shows, with a progress dialog that can cancel it.

    Signals: ``sig_done(path, frames)``, ``sig_failed(message)``, ``sig_cancelled()``.
    """

    sig_done = Signal(str, int)
    sig_failed = Signal(str)
    sig_cancelled = Signal()

    def __init__(self, tab, path: str, parent: QWidget | None = None, fps: float = 10.0):
        super().__init__(parent)
        self.tab, self.path, self.fps = tab, path, fps
        self.frames: list = []
        self.cancelled = False
        self.dialog = QProgressDialog("Drawing the frames…", "Cancel", 0, 1, parent)
        self.dialog.setWindowTitle("Export the run as GIF")
        self.dialog.setWindowModality(Qt.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.task: BackgroundTask | None = None

    def start(self) -> None:
        """Draw the frames (the GUI stays live between them), then write the file."""
        run = self.tab.run
        indices = run_frames(self.tab)
        if len(indices) < 2:
            self._finish()
            self.sig_failed.emit(NOTHING_TO_ANIMATE)
            return
        run.pause()
        was = run.timeline.position
        self.dialog.setMaximum(len(indices) + 1)
        self.dialog.show()
        widget = self.tab.export_widget()
        try:
            for k, index in enumerate(indices):
                run.scrub(index)
                self.frames.append(recording.gif_frame(image_array(grab_with_gl(widget))))
                self.dialog.setValue(k + 1)
                QApplication.processEvents()  # the dialog's Cancel, and repaints
                if self.dialog is not None and self.dialog.wasCanceled():
                    self.cancel()
                if self.cancelled:
                    return
        finally:
            run.scrub(len(run.timeline) - 1 if was is None else was)
        self.dialog.setLabelText(f"Writing {len(self.frames)} frames…")
        self.dialog.setRange(0, 0)  # busy: the writing says nothing until it is done
        self.task = _export_task(self.tab)
        self.task.sig_done.connect(self._on_written)
        self.task.sig_failed.connect(self._on_failed)
        frames, path, fps = self.frames, self.path, self.fps
        self.task.submit(self, lambda: recording.write_gif(path, frames, fps))

    def cancel(self) -> None:
        """Stop drawing or writing: no file is left (it is written under another name
        and renamed only when complete)."""
        if self.dialog is None:
            return  # already done
        self.cancelled = True
        if self.task is not None:
            self.task.cancel()
        self._finish()
        self.sig_cancelled.emit()

    def _on_written(self, tag, played: int) -> None:
        if tag is self:
            self._finish()
            self.sig_done.emit(self.path, int(played))

    def _on_failed(self, tag, message: str) -> None:
        if tag is self:
            self._finish()
            self.sig_failed.emit(f"Could not write {self.path}: {message}")

    def _finish(self) -> None:
        if self.dialog is None:
            return
        self.frames = []
        if self.task is not None:
            self.task.sig_done.disconnect(self._on_written)
            self.task.sig_failed.disconnect(self._on_failed)
        dialog, self.dialog = self.dialog, None
        dialog.canceled.disconnect(self.cancel)  # closing it would say "canceled"
        dialog.close()
        dialog.deleteLater()


NOTHING_TO_ANIMATE = ("There is no run to animate yet: press Play or Step first (an "
                      "animation needs two records or more).")


def run_frames(tab) -> list[int]:
    """The history items an animation of ``tab``'s run shows: from the first to the one
    the history row shows, thinned evenly; fewer than two means nothing to animate."""
    timeline = tab.run.timeline if getattr(tab, "run", None) is not None else None
    if timeline is None:
        return []
    last = len(timeline) - 1 if timeline.position is None else timeline.position
    return recording.thin_indices(0, last)


def _export_task(tab) -> BackgroundTask:
    """The tab's one task for writing exports (made on the first export)."""
    task = getattr(tab, "_export_task", None)
    if task is None:
        task = tab._export_task = BackgroundTask(tab)
    return task
