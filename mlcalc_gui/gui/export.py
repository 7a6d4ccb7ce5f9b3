"""Export: a view as PNG or SVG, with the true frames of its 3D views pasted in."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

from mlcalc_gui.gui.widgets.surface_view import SurfaceView

__all__ = ["export_widget", "grab_with_gl"]


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
    widget.render(painter, QPoint())
    _paste_3d_views(widget, painter)
    painter.end()
