"""The main window's text size (Ctrl+=, Ctrl+-, Ctrl+0), times presentation mode's
magnification, applied in one layout pass."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from mlcalc_gui.gui import scale
from mlcalc_gui.gui.app_events import suspended

#: Text sizes the window offers (points): Ctrl+= and Ctrl+- stop here, and a stored size
#: outside is clamped.
FONT_RANGE = (7.0, 28.0)
#: How often a change of text size answers what it posted before the window is painted
#: (a new layout posts the plots' resizes, which post their redraws).
SETTLE_PASSES = 2


class TextSizeMixin:
    """Ctrl+=, Ctrl+- and Ctrl+0: the reader's text size, remembered in the settings."""

    def zoom_text(self, direction: int) -> None:
        """One step of text size now: larger (1), smaller (-1) or normal (0)."""
        current = self.stored_number("font_pt", self._base_font_pt, *FONT_RANGE)
        self.set_text_size(self._base_font_pt if direction == 0 else current + 1.5 * direction)

    def zoom_text_soon(self, direction: int) -> None:
        """The keys' step of text size: the size is chosen and said at once, and the
        window is laid out at it in the event loop's next pass, once for presses that
        come together (ten quick presses of Ctrl+= re-laid the window ten times)."""
        current = self.stored_number("font_pt", self._base_font_pt, *FONT_RANGE)
        size = self._base_font_pt if direction == 0 else current + 1.5 * direction
        size = min(max(size, FONT_RANGE[0]), FONT_RANGE[1])
        self.settings.setValue("font_pt", size)
        self.show_status(f"Text size {size:g} pt")
        self._zoom_timer.start()

    def _apply_stored_size(self) -> None:
        self._apply_font(self.stored_number("font_pt", self._base_font_pt, *FONT_RANGE))

    def set_text_size(self, size: float) -> None:
        """Clamp ``size`` to :data:`FONT_RANGE`, remember it and apply it."""
        size = min(max(size, FONT_RANGE[0]), FONT_RANGE[1])
        self.settings.setValue("font_pt", size)
        self._apply_font(size)

    def _apply_font(self, size: float) -> None:
        self._text_pt = size
        self.apply_scale()
        self.show_status(f"Text size {size:g} pt")

    def apply_scale(self) -> None:
        """Everything at the reader's text size, times the presentation's magnification:
        the application's font, then what it does not reach (:func:`scale.apply`), then
        the controls folded if the views now need their room.  The window is laid out
        and painted once, at the end: updates are held while what the change posts (new
        layouts, the plots' new ranges and the scenes' redraws) is answered, or each
        painted every plot again (three paints a step, each remaking every axis)."""
        self.setUpdatesEnabled(False)
        try:
            with suspended(QApplication.instance()):
                self._rescale()
                for _ in range(SETTLE_PASSES):
                    QApplication.sendPostedEvents()
                self.fit_panels()
                QApplication.sendPostedEvents()
        finally:
            self.setUpdatesEnabled(True)
        self.memory.soon()  # every layout and text cache made anew: the old ones freed

    def _rescale(self) -> None:
        size = self._text_pt * self.presentation.magnification
        font = QFont(QApplication.font())
        font.setPointSizeF(size)
        # Only the tab shown now: the others are brought to the scale when shown (a step
        # of Ctrl+= with every tab built took 0.3-0.5 s).  A hidden tab keeps the font it
        # has until then, so the application's new font does not re-lay it out unseen.
        shown = self.tabs.currentIndex()
        hidden = tuple(host for i, host in enumerate(self._hosts) if i != shown)
        for i, host in enumerate(self._hosts):
            obj = self._tab_objects[i]
            if i != shown and obj is not None and obj.built:
                scale.hold_font(host)
        QApplication.setFont(font)
        scale.set_factor(size / self._base_font_pt)
        scale.apply(self, skip=hidden)
        for i, obj in enumerate(self._tab_objects):
            if obj is not None:
                obj.scaled_at = scale.factor() if i == shown else None
