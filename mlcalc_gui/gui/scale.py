"""One scale for everything on screen: larger text (Ctrl+=) and presentation mode.

The window sets the application's font (``base_pt × factor``) and then calls
:func:`apply` on itself and on every tab it builds later.  :func:`apply` reaches what
the font alone does not:

* widgets with a style sheet keep the font they had when the sheet was set (Qt's
  style-sheet style polishes a font once): they are polished again;
* a widget given a size relative to the text (:func:`set_relative_font`, never a
  ``font-size`` in a style sheet) gets it at the new size;
* every pyqtgraph view is magnified as a whole (tick labels, axis titles, legends, text
  items), and its curves' line widths and scatter points grow with it;
* a widget with a ``set_ui_scale(factor)`` method (the 3D view's labels, the network
  diagram, matrices) is told.

Rich text that needs a bigger size says so relative to the text (``font-size:x-large``),
so it follows without being written again.
"""

from __future__ import annotations

import math
import weakref

import numpy as np
from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QFont, QTransform
from PySide6.QtWidgets import QApplication, QWidget

__all__ = ["factor", "pt", "px", "set_factor", "normal_pt", "set_relative_font", "apply",
           "zoom_view", "REL_FONT_PROPERTY", "fresh_atlas"]

REL_FONT_PROPERTY = "mlc_relative_font"
_state = {"factor": 1.0}


def factor() -> float:
    """How much larger than normal everything is drawn now (1.0: normal)."""
    return _state["factor"]


def set_factor(value: float) -> None:
    _state["factor"] = float(value)


def normal_pt() -> float:
    """The application's text size at normal scale (read once, before any change)."""
    if "normal_pt" not in _state:
        _state["normal_pt"] = QApplication.font().pointSizeF()
    return _state["normal_pt"]


def reset_application_font() -> None:
    """The application's font back to normal and the scale to 1 (a window closing)."""
    font = QFont(QApplication.font())
    font.setPointSizeF(normal_pt())
    QApplication.setFont(font)
    set_factor(1.0)


def pt(size: float) -> float:
    """A point size given for normal text, at the current scale."""
    return size * _state["factor"]


def px(size: float) -> int:
    """A length in pixels given for normal text, at the current scale."""
    return max(1, round(size * _state["factor"]))


def set_relative_font(widget: QWidget, relative: float = 1.0, bold: bool = False,
                      italic: bool = False) -> None:
    """``widget``'s text ``relative`` times the application's, now and after every
    change of scale."""
    widget.setProperty(REL_FONT_PROPERTY, (float(relative), bool(bold), bool(italic)))
    _apply_relative_font(widget)


def _apply_relative_font(widget: QWidget) -> None:
    relative, bold, italic = widget.property(REL_FONT_PROPERTY)
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * relative)
    font.setBold(bold)
    font.setItalic(italic)
    widget.setFont(font)


_HELD = "_mlc_held_font"


def hold_font(widget: QWidget) -> None:
    """``widget`` and all under it keep their font through changes of the application's
    font until :func:`release_font` (a tab not shown: Qt re-laid it out unseen at every
    step of text size)."""
    if widget.testAttribute(Qt.WA_SetFont):
        return
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF())  # an explicit size: the change passes it by
    widget.setFont(font)
    widget.setProperty(_HELD, True)


def release_font(widget: QWidget) -> bool:
    """``widget`` follows the application's font again, if :func:`hold_font` held it
    (then True: what the change posted is still to be answered)."""
    if not widget.property(_HELD):
        return False
    widget.setProperty(_HELD, None)
    widget.setFont(QFont())
    return True


def _widgets(root: QWidget, skip: tuple[QWidget, ...]):
    """``root`` and every widget under it, leaving out the ``skip`` widgets and all under
    them."""
    stack = [root]
    while stack:
        widget = stack.pop()
        yield widget
        stack.extend(child for child in widget.children()
                     if isinstance(child, QWidget) and child not in skip)


def apply(root: QWidget, skip: tuple[QWidget, ...] = ()) -> None:
    """Bring ``root`` and everything under it to the current scale (``skip``: widgets
    left as they are for now, such as tabs not shown, brought to it when shown)."""
    import pyqtgraph as pg

    f = factor()
    for widget in _widgets(root, tuple(skip)):
        if widget.property(REL_FONT_PROPERTY) is not None:
            _apply_relative_font(widget)
        elif not widget.testAttribute(Qt.WA_SetFont):
            parent = widget.parentWidget()
            inherited = parent.font() if parent is not None else QApplication.font()
            if widget.font().pointSizeF() != inherited.pointSizeF():
                # The application's change of font stopped here (Qt hands it on only
                # through widgets that take it): an empty font inherits it again.
                widget.setFont(QFont())
        if widget.styleSheet():
            # Polished again, the sheet's font follows the application's.
            widget.setStyleSheet(widget.styleSheet())
        if isinstance(widget, pg.GraphicsView):
            zoom_view(widget, f)
        hook = getattr(widget, "set_ui_scale", None)
        if callable(hook):
            hook(f)


# ---- pyqtgraph views ----------------------------------------------------------------------
class _ResizeFilter(QObject):
    """Keeps a magnified view's scene the widget's size divided by its zoom."""

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        if event.type() == QEvent.Resize and getattr(obj, "_mlc_zoom", 1.0) != 1.0:
            size = event.size()
            obj.range = QRectF(0, 0, size.width() / obj._mlc_zoom,
                               size.height() / obj._mlc_zoom)
        return False


_FILTER: list[_ResizeFilter] = []


def _resize_filter() -> _ResizeFilter:
    if not _FILTER:
        _FILTER.append(_ResizeFilter())
    return _FILTER[0]


def _exact_transform(view) -> None:
    """fitInView leaves a margin: the magnification is set exactly instead."""
    zoom = getattr(view, "_mlc_zoom", 1.0)
    if zoom != 1.0:
        view.setTransform(QTransform.fromScale(zoom, zoom))


def zoom_view(view, zoom: float) -> None:
    """Draw pyqtgraph ``view`` ``zoom`` times larger: its scene is the widget's size
    divided by ``zoom``, shown magnified, so every text in it grows; line widths and
    point sizes (cosmetic, so not magnified) are scaled to match."""
    import pyqtgraph as pg

    old = getattr(view, "_mlc_zoom", 1.0)
    if not getattr(view, "_mlc_hooked", False):
        view._mlc_hooked = True
        view._mlc_min_height = view.minimumHeight()
        view._mlc_min_width = view.minimumWidth()
        view._mlc_max_height = view.maximumHeight()
        view.installEventFilter(_resize_filter())
        view.sigDeviceTransformChanged.connect(_exact_transform)
    view._mlc_zoom = zoom
    # A magnified plot needs more pixels to show as much: a splitter may not squash it.
    view.setMinimumHeight(round(max(view._mlc_min_height, MIN_PLOT_HEIGHT) * zoom)
                          if zoom > 1.0 else view._mlc_min_height)
    # Nor narrower than it can show its ticks and title (the views scroll instead).
    view.setMinimumWidth(round(max(view._mlc_min_width, MIN_PLOT_WIDTH) * zoom)
                         if zoom > 1.0 else view._mlc_min_width)
    if view._mlc_max_height < QWIDGETSIZE_MAX:
        # A plot of a fixed height (a strip) grows with what it shows.
        view.setMaximumHeight(max(round(view._mlc_max_height * zoom), view.minimumHeight()))
    if zoom != old:
        view.autoPixelRange = zoom == 1.0
        w, h = view.width(), view.height()
        pg.GraphicsView.setRange(view, QRectF(0, 0, w / zoom, h / zoom), padding=0,
                                 disableAutoPixel=False)
        if zoom == 1.0:
            view.resetTransform()
    scale_strokes(view, zoom)


def _free_title(label) -> None:
    """A plot's title never makes the plot wider than its view (at a larger scale a
    long title would push the plot's right side out of sight): only its height counts."""
    def update_min() -> None:
        label.setMinimumWidth(0)
        label.setMinimumHeight(label.itemRect().height())

    label._mlc_free = True
    label.updateMin = update_min
    update_min()


#: Qt's "no maximum" for a widget's size.
QWIDGETSIZE_MAX = (1 << 24) - 1

#: A legend is magnified at most this much (10.5 pt text: 21 px at 1080p).
LEGEND_MAX_ZOOM = 1.5

#: The most of its plot's width or height a legend may take.
LEGEND_ROOM = 0.9

#: The least height and width of a plot, at normal scale, once magnified.
MIN_PLOT_HEIGHT = 110
MIN_PLOT_WIDTH = 200

_BASES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def fit_legend(legend) -> None:
    """``legend`` at its scale (see scale_strokes), or smaller if its plot is too small
    for it: never more than LEGEND_ROOM of the plot's width or height."""
    box = legend.parentItem()
    scale = getattr(legend, "_mlc_scale", 1.0)
    size = legend.boundingRect()
    if box is not None and size.width() > 0 and size.height() > 0:
        room = box.boundingRect()
        scale = min(scale, LEGEND_ROOM * room.width() / size.width(),
                    LEGEND_ROOM * room.height() / size.height())
    if scale != legend.scale():
        legend.setScale(scale)
        legend.setOffset(legend.opts["offset"])  # anchored again at its new size


def _same(value: float, applied: float) -> bool:
    """``value`` is the size this module gave (up to rounding: a size set as
    ``sizes * (new / current)`` comes back an ulp off, and taken for a size of the tab's
    own it made each step multiply the last one's, until a symbol was too large to draw)."""
    return abs(value - applied) <= 1e-9 * max(abs(applied), 1.0)


def scale_strokes(view, zoom: float) -> None:
    """Line widths and point sizes of ``view``'s items at ``zoom`` times their own (and
    its plots' titles freed from widening them).  The width an item was given is
    remembered; one given anew since (a restyled curve) is taken as its own width."""
    import pyqtgraph as pg

    for item in view.scene().items():
        if isinstance(item, pg.PlotItem) and not hasattr(item.titleLabel, "_mlc_free"):
            _free_title(item.titleLabel)
        elif isinstance(item, pg.LegendItem):
            # A legend grows less than its plot: fully magnified it would hide the data
            # of a small plot.  (Legends are made magnifiable in plots.legend.)
            item._mlc_scale = min(zoom, LEGEND_MAX_ZOOM) / zoom
            fit_legend(item)
        elif isinstance(item, pg.PlotCurveItem):
            pen = item.opts.get("pen")
            if pen is None or not hasattr(pen, "widthF"):
                continue
            width = pen.widthF()
            base, applied = _BASES.get(item, (width, width))
            if not _same(width, applied):
                base = width
            new = base * zoom
            _BASES[item] = (base, new)
            if new != width:
                pen = pg.mkPen(pen)
                pen.setWidthF(new)
                item.setPen(pen)
        elif isinstance(item, pg.ScatterPlotItem) and item.opts.get("pxMode", True):
            sizes = np.asarray(item.data["size"], dtype=float)
            if not len(sizes):
                continue
            # A spot's size -1 means the item's own size.
            sizes = np.where(sizes < 0, float(item.opts.get("size", 7)), sizes)
            current = float(sizes[0])
            if not (current > 0 and np.isfinite(sizes).all()):
                continue
            base, applied = _BASES.get(item, (current, current))
            if not _same(current, applied):
                base = current
            new = base * zoom
            _BASES[item] = (base, new)
            if new != current:
                fresh_atlas(item)  # before the new size is drawn into it
                item.setSize(sizes * (new / current))


def fresh_atlas(item) -> None:
    """Drop the symbols ``item`` (a scatter) no longer draws from its atlas.

    pyqtgraph's atlas keeps every (symbol, size, pen, brush) it has ever drawn, and
    rebuilds only past 1,000 entries: every change of scale gave every scatter a new
    size, and the atlas image grew without end (638 MB, and a process killed at 24 GB,
    after some dozens of Ctrl+= and Ctrl+-).  Cleared, it holds only what is drawn now."""
    atlas = getattr(item, "fragmentAtlas", None)
    if atlas is None:
        return
    atlas.clear()
    if len(item.data):
        item.data["sourceRect"] = 0  # every spot looks its symbol up again when drawn


# ---- measuring --------------------------------------------------------------------------
def _pt_to_px(points: float, widget: QWidget) -> float:
    return points * widget.logicalDpiY() / 72.0


def _on_screen_scale(item, view) -> float:
    """How many screen pixels one unit of ``item`` is: everything between it and the
    screen (the view's magnification, a legend that ignores it, a rotated axis title)."""
    t = item.deviceTransform(view.viewportTransform())
    return math.sqrt(abs(t.m11() * t.m22() - t.m12() * t.m21()))


def _graphics_text_px(text_item, view) -> float:
    """The em height on screen of a text in a pyqtgraph scene, from the size its first
    character is drawn at (a size given in its markup, else the item's own font)."""
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(text_item.document())
    cursor.movePosition(QTextCursor.NextCharacter)
    size = cursor.charFormat().fontPointSize() or text_item.font().pointSizeF()
    return _pt_to_px(size, view) * _on_screen_scale(text_item, view)


def text_heights(root: QWidget) -> list[tuple[float, str]]:
    """The pixel size (em height) of every text shown under ``root``, with where it is:
    labels, buttons, fields and lists by their fonts; in the pyqtgraph views tick labels,
    axis titles, plot titles, legends and text items, at the size the screen shows them
    (the view's magnification, or its absence, included)."""
    import pyqtgraph as pg
    from PySide6.QtGui import QFontInfo
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QTabBar,
    )

    found: list[tuple[float, str]] = []
    textual = (QLabel, QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QGroupBox,
               QTabBar)
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        name = f"{type(widget).__name__} {widget.objectName()}".strip()
        if isinstance(widget, textual):
            text = getattr(widget, "text", lambda: "x")
            if isinstance(widget, QLabel) and (not text() or widget.pixmap() is not None
                                               and not widget.pixmap().isNull()):
                continue
            found.append((float(QFontInfo(widget.font()).pixelSize()), f"{name} {text()!r:.40}"
                          if callable(text) else name))
        if isinstance(widget, pg.GraphicsView):
            for item in widget.scene().items():
                if not item.isVisible():
                    continue
                if isinstance(item, pg.AxisItem):
                    if item.style.get("showValues", True):
                        font = item.style.get("tickFont") or widget.font()
                        found.append((_pt_to_px(font.pointSizeF(), widget)
                                      * _on_screen_scale(item, widget), f"ticks of {name}"))
                    label = item.label
                    if label is not None and label.isVisible() and label.toPlainText().strip():
                        found.append((_graphics_text_px(label, widget),
                                      f"{label.toPlainText()!r:.40} axis of {name}"))
                elif isinstance(item, pg.LabelItem) and item.text:
                    found.append((_graphics_text_px(item.item, widget),
                                  f"{item.text!r:.40} in {name}"))
                elif isinstance(item, pg.TextItem) and item.textItem.toPlainText():
                    found.append((_graphics_text_px(item.textItem, widget),
                                  f"{item.textItem.toPlainText()!r:.30} in {name}"))
    return found


def smallest_text(root: QWidget) -> tuple[float, str]:
    """The smallest text under ``root`` (pixels) and where it is."""
    return min(text_heights(root), default=(0.0, "no text"))
