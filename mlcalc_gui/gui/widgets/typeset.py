"""Formulas typeset as a textbook prints them (fractions, raised powers, Greek), from LaTeX,
with matplotlib's mathtext: a well-kept renderer that needs no TeX installation and brings
its own fonts, so it works offline on every machine.

matplotlib is imported on the first formula, not at start-up.  Rendered formulas are cached
by (LaTeX, size, colour), so a redraw costs nothing.  LaTeX mathtext cannot read falls back
to the plain text given with it.
"""

from __future__ import annotations

import html
import threading
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QSizePolicy

__all__ = ["render_latex", "raster", "formula_size", "widget_dpi", "TypesetLabel",
           "typesetting_pending", "formula_problem"]


_LOCK = threading.Lock()  # mathtext's parser is not thread-safe


@lru_cache(maxsize=1)
def _parser():
    from matplotlib.mathtext import MathTextParser

    return MathTextParser("agg")


class ByteCache:
    """A least-recently-used cache bounded by the bytes it holds, not by its count: a
    formula typeset at every text size (Ctrl+=) or for every function typed grows the
    number of entries without end, and some are large (a long formula at 30 pt is a
    quarter of a megabyte as an image).  Thread-safe: workers typeset too."""

    def __init__(self, limit_bytes: int, size_of):
        from collections import OrderedDict

        self.limit = limit_bytes
        self._size_of = size_of
        self._items: OrderedDict = OrderedDict()
        self.bytes = 0
        self._lock = threading.Lock()

    def get(self, key, make):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        size = self._size_of(value)
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self.bytes += size
                while self.bytes > self.limit and len(self._items) > 1:
                    _, old = self._items.popitem(last=False)
                    self.bytes -= self._size_of(old)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0


#: The typeset masks and images kept for reuse (each cache's most, in bytes).
CACHE_BYTES = 24 * 2**20
_RASTERS = ByteCache(CACHE_BYTES, lambda a: 64 + (a.nbytes if a is not None else 0))
_IMAGES = ByteCache(CACHE_BYTES, lambda i: 64 + (i.sizeInBytes() if i is not None else 0))


def raster(latex: str, size_pt: float, dpi: float) -> np.ndarray | None:
    """``latex`` typeset as an alpha mask (uint8, rows × columns), or None if mathtext
    cannot read it.  No Qt: a worker may call it to have formulas ready (cached, within
    :data:`CACHE_BYTES`)."""
    return _RASTERS.get((latex, size_pt, dpi), lambda: _raster(latex, size_pt, dpi))


def _raster(latex: str, size_pt: float, dpi: float) -> np.ndarray | None:
    from matplotlib.font_manager import FontProperties

    if len(latex) > 4000:  # a formula too long to read typeset: the caller shows text
        return None
    try:
        with _LOCK:
            parsed = _parser().parse(f"${latex}$", dpi=dpi, prop=FontProperties(size=size_pt))
    except (ValueError, RuntimeError, KeyError, IndexError):  # mathtext cannot read it
        return None
    alpha = np.asarray(parsed.image, dtype=np.uint8)
    return alpha if alpha.size else None


def formula_problem(latex: str) -> str | None:
    """Why mathtext cannot typeset ``latex`` (its own words, shortened: "Unknown symbol:
    \\begin"), or None if it can."""
    from matplotlib.font_manager import FontProperties

    if len(latex) > 4000:
        return "it is too long"
    try:
        with _LOCK:
            _parser().parse(f"${latex}$", dpi=72, prop=FontProperties(size=10))
    except (ValueError, RuntimeError, KeyError, IndexError) as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        why = lines[-1] if lines else type(exc).__name__
        why = why.split("Exception: ", 1)[-1]
        return why.split(", found")[0][:120]
    return None


def widget_dpi(widget) -> float:
    """The dots per inch formulas are rastered at for ``widget``'s screen."""
    return round(96 * (widget.devicePixelRatioF() or 1.0))


def formula_size(font_pt: float, scale: float) -> float:
    """The size a :class:`TypesetLabel` typesets at (the key of the cache)."""
    return round(float(font_pt) * scale, 1)


def _render(latex: str, size_pt: float, rgb: tuple[int, int, int], dpi: float) -> QImage | None:
    return _IMAGES.get((latex, size_pt, rgb, dpi), lambda: _image(latex, size_pt, rgb, dpi))


def _image(latex: str, size_pt: float, rgb: tuple[int, int, int], dpi: float) -> QImage | None:
    alpha = raster(latex, size_pt, dpi)
    if alpha is None:
        return None
    h, w = alpha.shape
    rgba = np.empty((h, w, 4), dtype=np.uint8)
    rgba[..., :3] = rgb
    rgba[..., 3] = alpha
    return QImage(rgba.tobytes(), w, h, 4 * w, QImage.Format_RGBA8888).copy()


def render_latex(latex: str, size_pt: float = 13.0, rgb: tuple[int, int, int] = (20, 20, 20),
                 dpi: float = 100.0) -> QImage | None:
    """``latex`` (without dollars) typeset as a transparent image, or None if mathtext
    cannot read it."""
    return _render(latex, round(float(size_pt), 1), tuple(rgb), round(float(dpi)))


#: The least a formula is shrunk to fit its label's width.
SHRINK_LEAST = 0.6

#: Between one formula typeset again at a new text size and the next: the window's
#: paint at the new size comes first, and keys are answered between them.
RETYPESET_MS = 15

_QUEUE: list = []  # weak references to labels to typeset again, one a pass
_RUNNER: list = []  # the timer that does it (one, made on first use)


def _later(label) -> None:
    import weakref

    import shiboken6
    from PySide6.QtCore import QCoreApplication, QTimer

    _QUEUE.append(weakref.ref(label))
    if not _RUNNER or not shiboken6.isValid(_RUNNER[0]):
        timer = QTimer(QCoreApplication.instance())
        timer.setSingleShot(True)
        timer.setInterval(RETYPESET_MS)
        timer.timeout.connect(_typeset_next)
        _RUNNER[:] = [timer]
    if not _RUNNER[0].isActive():
        _RUNNER[0].start()


def typesetting_pending() -> bool:
    """A formula on screen still waits to be typeset at the new text size."""
    import shiboken6

    return any(label is not None and shiboken6.isValid(label) and label._stale
               and label.isVisible() for label in (ref() for ref in _QUEUE))


def _typeset_next() -> None:
    """One waiting formula typeset (and the next pass for the one after)."""
    import shiboken6

    while _QUEUE:
        label = _QUEUE.pop(0)()
        if label is not None and shiboken6.isValid(label) and label._stale:
            if label.isVisible():
                label._draw()
                break  # one a pass: the window answers keys between them
            # a hidden one waits for its showEvent
    if _QUEUE:
        _RUNNER[0].start()


class TypesetLabel(QLabel):
    """A label that shows a formula typeset, at its own font's size (Ctrl+= enlarges it),
    or its plain-text fallback.  Never rich text: nothing typed is interpreted."""

    def __init__(self, parent=None, rgb: tuple[int, int, int] = (20, 20, 20),
                 scale: float = 1.15):
        super().__init__(parent)
        self.setTextFormat(Qt.PlainText)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        self.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self._latex = ""
        self._fallback = ""
        self._rgb = rgb
        self._scale = scale
        self._stale = False  # typeset at a font it no longer has (see changeEvent)
        self._drawn_pt = 0.0  # the size its image was typeset at
        self._natural_px = 0.0  # the image's width unshrunk, in logical pixels
        self._shrunk = 1.0  # the shrink it was typeset with
        self.setFocusPolicy(Qt.ClickFocus)  # clicked, Ctrl+C copies its LaTeX
        self.setContextMenuPolicy(Qt.DefaultContextMenu)

    def set_formula(self, latex: str, fallback: str = "") -> None:
        self._latex, self._fallback = latex, fallback or latex
        # A tooltip that looks like markup is rendered as rich text: the formula may come
        # from a lesson file, so it is shown escaped, always as text.
        self.setToolTip(f"<p>{html.escape(self._fallback)}</p>" if self._fallback else "")
        self._draw()

    def formula(self) -> str:
        return self._latex

    def copy_latex(self) -> None:
        """The formula's LaTeX to the clipboard (to paste into notes or slides)."""
        QApplication.clipboard().setText(self._latex)

    def copy_text(self) -> None:
        QApplication.clipboard().setText(self._fallback or self._latex)

    def contextMenuEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if not self._latex:
            return
        menu = QMenu(self)
        menu.addAction("Copy as LaTeX", self.copy_latex)
        menu.addAction("Copy as text", self.copy_text)
        menu.exec(event.globalPos())

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.matches(QKeySequence.Copy) and self._latex:
            self.copy_latex()
            event.accept()
            return
        super().keyPressEvent(event)

    def size_pt(self) -> float:
        return formula_size(self.font().pointSizeF(), self._scale)

    def dpi(self) -> float:
        return widget_dpi(self)

    def typeset(self) -> bool:
        """The formula is shown as an image (not as its fallback text)."""
        return not self.pixmap().isNull()

    def _draw(self) -> None:
        self._stale = False
        if not self._latex:
            self.clear()
            return
        size, dpi = self.size_pt(), self.dpi()
        image = render_latex(self._latex, size, self._rgb, dpi=dpi)
        if image is None:
            self.setPixmap(QPixmap())
            self.setText(self._fallback)
            return
        self._natural_px = image.width() * 96 / dpi
        shrink = self._shrink(self._natural_px)
        if shrink < 1.0:
            # The typeset image scaled down, not typeset again at the smaller size: that
            # was mathtext on the GUI thread for every width a layout tried (a power
            # tower's rules held the window a second), and a raster shrunk smoothly reads
            # as well as one typeset small.
            image = image.scaled(max(1, round(image.width() * shrink)),
                                 max(1, round(image.height() * shrink)),
                                 Qt.KeepAspectRatio, Qt.SmoothTransformation)
        self._drawn_pt, self._shrunk = size, shrink
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(dpi / 96)
        self.setPixmap(pixmap)

    def _stand_in(self) -> None:
        """Until it is typeset again at a new font, the formula's image scaled to the new
        size: the window is laid out right at once, and sharpened a moment later."""
        old = self.pixmap()
        size = self.size_pt()
        if old.isNull() or self._drawn_pt <= 0 or size == self._drawn_pt:
            return
        ratio = size / self._drawn_pt
        scaled = old.scaled(max(1, round(old.width() * ratio)),
                            max(1, round(old.height() * ratio)),
                            Qt.KeepAspectRatio, Qt.SmoothTransformation)
        scaled.setDevicePixelRatio(old.devicePixelRatio())
        self._drawn_pt = size
        self._natural_px *= ratio
        self.setPixmap(scaled)

    def _shrink(self, width: float) -> float:
        """A formula wider than the label (a narrow window, large text) is shown
        smaller, in tenths down to SHRINK_LEAST of its size, rather than cut off."""
        room = self.contentsRect().width()
        if room <= 0 or width <= room:
            return 1.0
        return max(SHRINK_LEAST, int(10 * room / width) / 10)

    def minimumSizeHint(self):  # noqa: N802 (Qt naming)
        """A layout may make the label narrower than its formula: it then shrinks."""
        hint = super().minimumSizeHint()
        if self.typeset():
            hint.setWidth(round(hint.width() * SHRINK_LEAST))
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        # Typeset again only if the new width changes how far it must shrink (and not
        # while it waits to be typeset at a new font: that comes next anyway).
        if (self._latex and not self._stale and self.typeset()
                and self._shrink(self._natural_px) != self._shrunk):
            self._draw()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.type() == QEvent.FontChange and self._latex:
            # Typeset again once the window has answered the change of text size (a
            # formula new at a size takes 20 ms to typeset; ten of them held a step of
            # Ctrl+= half a second): on screen, one formula an event-loop pass; hidden
            # (another tab's), when it is next shown.
            self._stale = True
            if self.isVisible():
                self._stand_in()
                _later(self)
        super().changeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if self._stale:
            self._stale = False
            self._draw()
        super().showEvent(event)
