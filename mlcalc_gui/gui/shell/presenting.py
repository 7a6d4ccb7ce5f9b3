"""The main window's part for a lecturer projecting: the clicker's keys, presentation
mode (gui.shell.presentation does the restyling), the folded controls, Home and Esc."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGraphicsView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)

from mlcalc_gui.gui.app_events import app_events
from mlcalc_gui.gui.widgets.contour_view import go_home_under
from mlcalc_gui.gui.widgets.surface_view import TAKES_ARROWS, SurfaceView

#: Focused controls that keep the arrow keys in presentation mode.
ARROW_USERS = (QLineEdit, QAbstractSpinBox, QAbstractSlider, QComboBox, QPlainTextEdit,
               QTextEdit, QAbstractItemView, QGraphicsView)


class PresenterArrows(QObject):
    """In presentation mode Right and Left step like Page Down and Page Up, unless the
    focused control uses them (a text field, a number box, a slider, a list, a map)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    def set_active(self, active: bool) -> None:
        """Watch the keys only in presentation mode: a handler for key presses on the
        app's one filter (gui.app_events), not a filter of its own on every event."""
        events = app_events(QApplication.instance())
        events.off((QEvent.Type.KeyPress,), self._on_key)
        if active:
            events.on((QEvent.Type.KeyPress,), self._on_key)

    def _on_key(self, obj, event) -> bool:
        if (not self.window.presentation.active
                or event.key() not in (Qt.Key_Right, Qt.Key_Left)
                or event.modifiers() not in (Qt.NoModifier, Qt.KeypadModifier)
                or not self.window.isActiveWindow()):
            return False
        focus = QApplication.focusWidget()
        if isinstance(focus, ARROW_USERS) or (focus is not None
                                              and focus.property(TAKES_ARROWS)):
            return False
        (self.window.step_next if event.key() == Qt.Key_Right else self.window.step_previous)()
        return True


class PresentingMixin:
    """The window's keys for a lecturer: Page Down / Page Up (a clicker), F5 presentation
    mode, F6 folding the controls, F11, Home and Esc."""

    def _build_step_keys(self) -> None:
        """Page Down / Page Up (what a presenter's clicker sends) step whatever the tab
        walks through; Esc leaves presentation mode."""
        for key, slot in (("PgDown", self.step_next), ("PgUp", self.step_previous)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(slot)
        self._leave_key = QShortcut(QKeySequence("Esc"), self)
        self._leave_key.activated.connect(self.escape)
        self._home_key = QShortcut(QKeySequence("Home"), self)
        self._home_key.activated.connect(self.fit_views)
        self._fold_key = QShortcut(QKeySequence("F6"), self)
        self._fold_key.activated.connect(self.toggle_controls)
        self._arrow_keys = PresenterArrows(self)

    def toggle_controls(self) -> None:
        """F6: fold the control column away, or bring it back (every tab alike)."""
        tab = self.current_tab()
        self._controls_folded = not (tab.built and tab.panel_folded)
        self.fit_panels()

    def fit_panels(self) -> None:
        """The shown tab's control column folded when the learner folded it, or, in
        presentation mode, when the views would not get the width they need beside it
        (on a projector of 1024 × 768 the plots were slivers beside the column)."""
        tab = self.current_tab()
        if not tab.built or getattr(tab, "side_column", None) is None:
            return
        folded = self._controls_folded
        if self.presentation.active and not folded:
            views = tab.views_area.widget().minimumSizeHint().width()
            side = tab.side_column.minimumSizeHint().width()
            folded = views + side + 60 > tab.width()
        if folded != tab.panel_folded:
            tab.set_panel_folded(folded)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        if self.presentation.active:
            self.fit_panels()

    def fit_views(self) -> None:
        """Home: every plot and map of the tab back to the view the tab gave it (after
        zooming or panning), and its 3D views' cameras where they started."""
        tab = self.current_tab()
        moved = go_home_under(tab)
        for view in tab.findChildren(SurfaceView):
            view.reset_camera()
        self.show_status(f"Home: the plots and maps in their own views ({moved} had been "
                         "zoomed or panned), the 3D views as they began")

    def escape(self) -> None:
        """Esc: out of presentation mode, else from the course map to the tabs, else out
        of the lesson (the tab stays)."""
        if self.presentation.active:
            self.leave_presentation()
        elif self.course_map_shown:
            self.show_tabs()
        elif self.lessons.active:
            self.lessons.leave()
            self.show_status("Left the lesson: the tab stays as it is, to play on")

    def step_next(self) -> None:
        """Page Down: the lesson's next step, or the current tab's (its clicker); on the
        course map, Continue."""
        if self.course_map_shown:
            button = self.course_map.continue_button
            if button is not None and button.isEnabled():
                button.click()
        elif self.lessons.active:
            self.lessons.next_step()
        else:
            self.current_tab().step_next()
        self.presentation.update_indicator()

    def step_previous(self) -> None:
        if self.course_map_shown:
            return  # nothing before the course map
        if self.lessons.active:
            self.lessons.previous_step()
        elif not self.current_tab().step_previous():
            tab = self.current_tab()
            self.show_status(f"{tab.title}: Page Up has no previous step here; Page Down "
                             f"steps {tab.clicker.what}")
        self.presentation.update_indicator()

    def step_indicator_text(self) -> str:
        """The presentation's step indicator: the lesson and its step, or the tab, what
        Page Down steps and where it is."""
        if self.course_map_shown:
            return "Course map · Page Down: Continue · Esc: the tabs"
        if self.lessons.active:
            return self.lessons.position_text()
        tab = self.current_tab()
        where = tab.step_position() if tab.built else ""
        if not where:
            return f"{tab.title} · Page Down: {tab.clicker.what}"
        then = "the end: Page Up goes back" if tab.step_at_end() else "Page Down: next"
        return f"{tab.title} · {where} · {then}"

    def toggle_presentation(self) -> None:
        if self.presentation.active:
            self.leave_presentation()
        else:
            self.enter_presentation()

    def enter_presentation(self, full_screen: bool = True) -> None:
        self.presentation.enter(full_screen)
        self.presentation_action.setChecked(True)
        self._arrow_keys.set_active(True)
        QApplication.sendPostedEvents(None, QEvent.LayoutRequest)  # the new sizes first
        self.fit_panels()
        self.show_status("Page Down or → steps, Esc leaves")

    def leave_presentation(self) -> None:
        self.presentation.leave()
        self.fit_panels()
        self.presentation_action.setChecked(False)
        self.fullscreen_action.setChecked(self.isFullScreen())
        self._arrow_keys.set_active(False)

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.fullscreen_action.setChecked(self.isFullScreen())
