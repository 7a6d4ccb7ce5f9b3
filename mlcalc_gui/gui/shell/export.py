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

import re
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView, QProgressDialog, QWidget

from mlcalc_gui.core import export_files
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.widgets.surface_view import SurfaceView

__all__ = ["export_widget", "grab_with_gl", "image_array", "RunAnimation", "export_table",
           "run_frames", "NOTHING_TO_ANIMATE", "flatten_svg_strokes", "PNG_SIZES",
           "run_description", "export_views", "choose_png_size", "choose_gif_options",
           "GIF_WIDTHS"]


#: The sizes a PNG may be exported at: (what the dialog says, times the screen's size or
#: a width in pixels).
PNG_SIZES = (("As on screen", 1.0, None), ("Twice as large, for slides", 2.0, None),
             ("3 times as large, for print", 3.0, None), ("1920 pixels wide", None, 1920),
             ("3840 pixels wide", None, 3840))


def export_widget(widget: QWidget, path: str, scale: float = 1.0) -> None:
    """Save ``widget`` as PNG (``scale`` times its size on screen: drawn again at that
    resolution, not stretched) or SVG, chosen by the file's ending; OSError if it
    fails."""
    if path.lower().endswith(".svg"):
        _export_svg(widget, path)
    elif not grab_with_gl(widget, scale).save(path):
        raise OSError("the image could not be written")


def _seen(view: QWidget, widget: QWidget) -> QRect:
    """The part of ``view`` its ancestors up to ``widget`` let through (a view scrolled
    partly out of its area shows only that part), in ``widget``'s coordinates."""
    seen = QRect(view.mapTo(widget, QPoint(0, 0)), view.size())
    parent = view.parentWidget()
    while parent is not None and parent is not widget and not seen.isEmpty():
        seen &= QRect(parent.mapTo(widget, QPoint(0, 0)), parent.size())
        parent = parent.parentWidget()
    return seen & widget.rect()


def _paste_3d_views(widget: QWidget, painter: QPainter) -> None:
    """Draw the true frames of the visible 3D views over ``widget``'s rendering (a
    widget grab cannot see into their OpenGL windows), each only where it shows."""
    for view in widget.findChildren(SurfaceView):
        if not (view.has_gl and view.isVisible()):
            continue
        seen = _seen(view, widget)
        if seen.isEmpty():
            continue
        top_left = view.mapTo(widget, QPoint(0, 0))
        painter.save()
        painter.setClipRect(seen)
        painter.drawImage(QRectF(top_left.x(), top_left.y(), view.width(), view.height()),
                          view.grab_image())
        painter.restore()


def grab_with_gl(widget: QWidget, scale: float = 1.0) -> QImage:
    """Grab ``widget`` as a QImage, with the true frames of its 3D views; ``scale`` > 1
    draws it again at that many times the resolution (text and lines stay sharp)."""
    if scale == 1.0:
        image = widget.grab().toImage()
    else:
        ratio = widget.devicePixelRatioF() * scale
        image = QImage(round(widget.width() * ratio), round(widget.height() * ratio),
                       QImage.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.white)
        painter = QPainter(image)
        widget.render(painter, QPoint())
        painter.end()
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
    flatten_svg_strokes(path)


_GROUP = re.compile(r'(<g\b[^>]*?)\stransform="matrix\(([^)]*)\)"([^>]*>)(.*?)(</g>)',
                    re.DOTALL)
_PAIR = re.compile(r"(-?\d+(?:\.\d*)?(?:e[-+]?\d+)?),(-?\d+(?:\.\d*)?(?:e[-+]?\d+)?)")


def flatten_svg_strokes(path: str) -> None:
    """Lines of a fixed width on screen (Qt's cosmetic pens) are written by Qt's SVG
    generator inside a scaled group (data units to pixels, 35 times and more), marked
    ``vector-effect="non-scaling-stroke"``: renderers that ignore the mark drew arrows
    and paths as giant filled shapes.  Their points are moved into the page's own
    coordinates instead, and the group's scaling dropped, so every renderer draws them
    as on screen."""
    text = Path(path).read_text(encoding="utf-8")

    def flatten(match: re.Match) -> str:
        head, matrix, tail, body, end = match.groups()
        if 'vector-effect="non-scaling-stroke"' not in body or "<image" in body \
                or "<text" in body:
            return match.group(0)
        try:
            a, b, c, d, e, f = (float(v) for v in matrix.split(","))
        except ValueError:
            return match.group(0)

        def move(pair: re.Match) -> str:
            x, y = float(pair.group(1)), float(pair.group(2))
            return f"{a * x + c * y + e:.6g},{b * x + d * y + f:.6g}"

        body = re.sub(r'(\sd="|\spoints=")([^"]*)"',
                      lambda m: m.group(1) + _PAIR.sub(move, m.group(2)) + '"', body)
        body = body.replace(' vector-effect="non-scaling-stroke"', "")
        return f"{head}{tail}{body}{end}"

    flattened = _GROUP.sub(flatten, text)
    if flattened != text:
        Path(path).write_text(flattened, encoding="utf-8")


def image_array(image: QImage) -> np.ndarray:
    """A QImage as an (H, W, 3) uint8 RGB array (a copy)."""
    rgb = image.convertToFormat(QImage.Format_RGB888)
    h, w = rgb.height(), rgb.width()
    data = np.frombuffer(rgb.constBits(), np.uint8, count=rgb.bytesPerLine() * h)
    return data.reshape(h, rgb.bytesPerLine())[:, :w * 3].reshape(h, w, 3).copy()


def export_views(tab) -> list[tuple[str, QWidget]]:
    """The views an export may show: the whole of what the tab exports, then each view
    shown in it (a titled plot or map, a plot with a title of its own), by its title."""
    import pyqtgraph as pg

    from mlcalc_gui.gui.kit.widgets import VIEW_TITLE

    whole = tab.export_widget()
    views: list[tuple[str, QWidget]] = [("The whole view", whole)]
    inside: set[int] = set()
    for widget in whole.findChildren(QWidget):
        title = widget.property(VIEW_TITLE)
        if title and widget.isVisible():
            views.append((str(title).split(" — ")[0], widget))
            inside.update(id(w) for w in widget.findChildren(QWidget))
    for plot in whole.findChildren(pg.PlotWidget):
        title = plot.getPlotItem().titleLabel.text
        if plot.isVisible() and id(plot) not in inside and title:
            views.append((re.sub("<[^>]*>", "", title).split(" — ")[0], plot))
    return views


def choose_png_size(parent: QWidget, widget: QWidget) -> float | None:
    """Ask the size a PNG is exported at (None: cancelled); the scale of the view."""
    from PySide6.QtWidgets import QInputDialog

    w, h = widget.width(), widget.height()
    names = []
    for name, factor, width in PNG_SIZES:
        k = factor if factor is not None else width / max(w, 1)
        names.append(f"{name} ({round(w * k)} × {round(h * k)})")
    choice, ok = QInputDialog.getItem(parent, "Export the view as PNG", "Size:", names, 0,
                                      False)
    if not ok:
        return None
    _, factor, width = PNG_SIZES[names.index(choice)]
    return factor if factor is not None else width / max(w, 1)


#: The widths a GIF may be made at (its frames are scaled to it).
GIF_WIDTHS = (640, 960, 1280, 1920)


def choose_gif_options(parent: QWidget, tab) -> tuple[QWidget, int] | None:
    """Ask which view a GIF shows and how wide it is (None: cancelled)."""
    from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle("Export the run as GIF")
    form = QFormLayout(dialog)
    views = export_views(tab)
    view_box = QComboBox()
    view_box.addItems([name for name, _ in views])
    view_box.setToolTip("The whole view, or one plot, map or 3D view of it (larger text "
                        "on a slide)")
    width_box = QComboBox()
    width_box.addItems([f"{w} pixels wide" for w in GIF_WIDTHS])
    width_box.setCurrentIndex(GIF_WIDTHS.index(export_files.GIF_WIDTH))
    form.addRow("Show", view_box)
    form.addRow("Size", width_box)
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.Accepted:
        return None
    return views[view_box.currentIndex()][1], GIF_WIDTHS[width_box.currentIndex()]


def export_table(tab, path: str) -> int:
    """Write the tab's run, up to the record shown, as CSV; the rows written.  ValueError
    when there is no run yet, OSError when the file cannot be written."""
    header, rows = tab.run_table()
    if not rows:
        raise ValueError("There is no run to export yet: press Play or Step first.")
    return export_files.write_csv(path, header, rows, run_description(tab))


def run_description(tab) -> list[tuple[str, str]]:
    """What made a tab's run, for the top of its CSV: the tab, the tutor and the date,
    then every setting of the tab's state short enough to read (its function, domain,
    rate, start, steps…; a path or a network's parameters are the table itself)."""
    import datetime

    from mlcalc_gui import __version__
    from mlcalc_gui.core.state_codec import to_json

    now = datetime.datetime.now()
    about = [("mlcalc-gui run", tab.title),
             ("exported", f"{now:%Y-%m-%d %H:%M} by mlcalc-gui {__version__}")]
    state = tab.capture_state()
    if state is None:
        return about
    for name, value in to_json(state).items():
        if isinstance(value, str | int | float | bool) and len(str(value)) <= 200:
            about.append((name, str(value)))
        elif isinstance(value, list) and len(value) <= 4 and all(
                isinstance(v, int | float) for v in value):
            about.append((name, ", ".join(f"{v:g}" for v in value)))
    return about


class RunAnimation(QObject):
    """One GIF export of a tab's run, from its first kept record to the one the history
    row shows, with a progress dialog that can cancel it.

    Signals: ``sig_done(path, frames)``, ``sig_failed(message)``, ``sig_cancelled()``.
    """

    sig_done = Signal(str, int)
    sig_failed = Signal(str)
    sig_cancelled = Signal()

    def __init__(self, tab, path: str, parent: QWidget | None = None, fps: float = 10.0,
                 view: QWidget | None = None, width: int = export_files.GIF_WIDTH):
        super().__init__(parent)
        self.tab, self.path, self.fps = tab, path, fps
        self.view, self.width = view, width
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
        widget = self.view if self.view is not None else self.tab.export_widget()
        # A frame narrower than the GIF is drawn larger (sharp), never stretched.
        scale = max(1.0, self.width / max(widget.width(), 1))
        try:
            for k, index in enumerate(indices):
                run.scrub(index)
                image = image_array(grab_with_gl(widget, scale))
                self.frames.append(export_files.gif_frame(image, self.width))
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
        self.task.submit(self, lambda: export_files.write_gif(path, frames, fps))

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
    return export_files.thin_indices(0, last)


def _export_task(tab) -> BackgroundTask:
    """The tab's one task for writing exports (made on the first export)."""
    task = getattr(tab, "_export_task", None)
    if task is None:
        task = tab._export_task = BackgroundTask(tab)
    return task
