"""The main window: one tab per topic, menus, status bar, remembered geometry."""

from __future__ import annotations

import html
import importlib
import math
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QObject,
    QSettings,
    QSize,
    QStandardPaths,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QAction, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QFrame,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui import __version__
from mlcalc_gui.core import lessons as lessons_core
from mlcalc_gui.core import session as sessions
from mlcalc_gui.core.recording import GIF_WIDTH
from mlcalc_gui.core.states import (
    BackpropState,
    DerivativesState,
    FittingState,
    GradientsState,
    OptimisationState,
    SandpitState,
    TaylorState,
)
from mlcalc_gui.gui import scale, theme
from mlcalc_gui.gui.app_events import app_events, suspended
from mlcalc_gui.gui.autosave import Autosave, when
from mlcalc_gui.gui.export import (
    NOTHING_TO_ANIMATE,
    RunAnimation,
    choose_gif_options,
    choose_png_size,
    export_table,
    export_widget,
    run_frames,
)
from mlcalc_gui.gui.graphics import describe as describe_graphics
from mlcalc_gui.gui.graphics import graphics
from mlcalc_gui.gui.kit.tab import TutorTab
from mlcalc_gui.gui.lesson_panel import LessonPanel
from mlcalc_gui.gui.presentation import Presentation
from mlcalc_gui.gui.shortcut_list import ShortcutWindow, shortcut_groups
from mlcalc_gui.gui.widgets.contour_view import go_home_under
from mlcalc_gui.gui.widgets.surface_view import TAKES_ARROWS, SurfaceView

__all__ = ["MainWindow", "TAB_SPECS", "shortcut_list"]


@dataclass(frozen=True)
class TabSpec:
    title: str
    module: str
    cls: str
    tooltip: str
    state: type  # the tab's frozen state (core.states), read from sessions


#: The tabs, in course order.  Modules are imported when a tab is first shown.
TAB_SPECS: tuple[TabSpec, ...] = (
    TabSpec("Derivatives", "mlcalc_gui.gui.tabs.derivatives", "DerivativesTab",
            "Rise over run, h → 0, the derivative's graph and the rules step by step",
            DerivativesState),
    TabSpec("Gradients", "mlcalc_gui.gui.tabs.gradients", "GradientsTab",
            "Partial derivatives, the gradient, the Hessian and gradient descent on a surface",
            GradientsState),
    TabSpec("Sandpit", "mlcalc_gui.gui.tabs.sandpit", "SandpitTab",
            "The course's game: find the phone at the bottom of the pit by depth and slope",
            SandpitState),
    TabSpec("Backpropagation", "mlcalc_gui.gui.tabs.backprop", "BackpropTab",
            "A network learns to draw a curve: the chain rule, layer by layer", BackpropState),
    TabSpec("Taylor", "mlcalc_gui.gui.tabs.taylor", "TaylorTab",
            "Taylor series: polynomials that approximate f, their error, and where they "
            "converge; the tangent plane and the quadratic model in 2D", TaylorState),
    TabSpec("Optimisation", "mlcalc_gui.gui.tabs.optimisation", "OptimisationTab",
            "Newton-Raphson and its basins, descent against Newton on one surface, and "
            "Lagrange multipliers on a constraint", OptimisationState),
    TabSpec("Fitting", "mlcalc_gui.gui.tabs.fitting", "FittingTab",
            "Least squares: a Gaussian fitted to heights and a line to points, by descent",
            FittingState),
)
#: Text sizes the window offers (points): Ctrl+= and Ctrl+- stop here, and a stored size
#: outside is clamped.
FONT_RANGE = (7.0, 28.0)
#: How often a change of text size answers what it posted before the window is painted
#: (a new layout posts the plots' resizes, which post their redraws).
SETTLE_PASSES = 2
#: A screen smaller than this gets the window maximised.
SMALL_SCREEN = QSize(1400, 860)
STATE_CLASSES = {spec.title: spec.state for spec in TAB_SPECS}

#: What each export saves, and its file dialog's filter.
EXPORTS = {"png": ("view", "PNG image (*.png)"), "svg": ("view", "SVG drawing (*.svg)"),
           "csv": ("run", "CSV table (*.csv)"), "gif": ("run", "Animated GIF (*.gif)")}

#: The window's own keys; each tab adds its own (``TutorTab.shortcuts``).
WINDOW_SHORTCUTS = (
    ("Ctrl+1 … Ctrl+9", "go to tab 1 … 9"),
    ("Ctrl+Tab / Ctrl+Shift+Tab", "next / previous tab"),
    ("Arrow keys", "move the point on a focused map (Shift: bigger steps); turn a "
                   "focused 3D view (Tab to it; + and − zoom it)"),
    ("Mouse wheel / right drag", "zoom / pan a plot or map (the left button places the "
                                 "point)"),
    ("Home", "every plot and map back to its own view, the 3D views as they began"),
    ("Tab / Shift+Tab", "move between controls"),
    ("Ctrl+S / Ctrl+Shift+O", "save the session / open a session"),
    ("Page Down / Page Up", "next / previous step: of the lesson when one is open, else "
                            "of what the tab walks through (below)"),
    ("F5 / Esc", "presentation mode: everything larger, high contrast, a step indicator "
                 "(Right / Left step too) / leave it"),
    ("Esc", "leave presentation mode, else leave the lesson"),
    ("Ctrl+= / Ctrl+- / Ctrl+0", "larger / smaller / normal text"),
    ("F11", "full screen"),
    ("F6", "fold the controls away for more room, or bring them back"),
    ("Ctrl+E / Ctrl+Shift+E", "export the view as PNG / SVG"),
    ("Ctrl+Shift+C / Ctrl+Shift+G", "export the run as a CSV table / an animated GIF"),
    (", / .", "back / forward one record in the run's history"),
    ("F1", "this list"),
    ("Ctrl+Q", "quit"),
)


#: Focused controls that keep the arrow keys in presentation mode.
ARROW_USERS = (QLineEdit, QAbstractSpinBox, QAbstractSlider, QComboBox, QPlainTextEdit,
               QTextEdit, QAbstractItemView, QGraphicsView)


def tab_class(spec: TabSpec) -> type[TutorTab]:
    return getattr(importlib.import_module(spec.module), spec.cls)


def lesson_checks() -> dict:
    """What a lesson is checked against when it is read, besides its states: each tab's
    readouts a step may hide, and whether mathtext can typeset each formula."""
    from mlcalc_gui.gui.widgets.typeset import formula_problem

    return {"hideable": {spec.title: tab_class(spec).SPOILERS for spec in TAB_SPECS},
            "places": {spec.title: tab_class(spec).PLACES for spec in TAB_SPECS},
            "formula_problem": formula_problem}


def load_lesson(path, state_classes) -> lessons_core.Lesson:
    """A lesson file, checked entirely as it is read (see :func:`lesson_checks`)."""
    return lessons_core.load(path, state_classes, **lesson_checks())


def shortcut_list(current: int = -1) -> list:
    """The F1 list's groups: the tab ``current`` first, the window's keys, the others
    (from the tabs' own declarations)."""
    return shortcut_groups(WINDOW_SHORTCUTS,
                           [(spec.title, tab_class(spec)) for spec in TAB_SPECS], current)


class _PresenterArrows(QObject):
    """In presentation mode Right and Left step like Page Down and Page Up, unless the
    focused control uses them (a text field, a number box, a slider, a list, a map)."""

    def __init__(self, window: MainWindow):
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


class MainWindow(QMainWindow):
    """The tutor's window.  ``settings`` defaults to the user's QSettings."""

    def __init__(self, settings: QSettings | None = None, offer_last_session: bool = True):
        super().__init__()
        self.settings = settings if settings is not None else QSettings("mlcalc-gui", "mlcalc-gui")
        self.autosave = Autosave(self._session_folder(), self.capture_session, self)
        self.autosave.sig_failed.connect(
            lambda why: self.show_status(f"⚠ The session could not be saved ({why}): "
                                         "File > Save session… saves it elsewhere"))
        self.setWindowTitle("mlcalc-gui — multivariate calculus for machine learning")
        self.setMinimumSize(QSize(1000, 640))
        self._base_font_pt = scale.normal_pt()
        self._text_pt = self._base_font_pt  # the reader's text size (Ctrl+=, Ctrl+-)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # No font size in a style sheet: it would not follow Ctrl+= (see gui.scale).
        self.tabs.tabBar().setStyleSheet("QTabBar::tab { padding: 8px 18px; }")
        scale.set_relative_font(self.tabs.tabBar(), 1.05)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.continue_bar = self._build_continue_bar()
        offered = offer_last_session and self.autosave.offer is not None
        self.continue_bar.setVisible(offered)
        if not offered:
            self.autosave.start()  # else once the learner has chosen (see the bar)
        column.addWidget(self.continue_bar)
        column.addWidget(self.tabs, 1)
        self.lessons = LessonPanel(self._apply_lesson_step)
        self.lessons.sig_question.connect(self._on_lesson_question)
        self._lesson_applied: tuple[int, int] | None = None
        column.addWidget(self.lessons)
        self.setCentralWidget(central)
        self._hosts: list[QWidget] = []
        self._tab_objects: list[TutorTab | None] = []
        for spec in TAB_SPECS:
            host = QWidget()
            QVBoxLayout(host).setContentsMargins(0, 0, 0, 0)
            self._hosts.append(host)
            self._tab_objects.append(None)
            index = self.tabs.addTab(host, spec.title)
            self.tabs.setTabToolTip(index, spec.tooltip)
        self.presentation = Presentation(self)
        self.lessons.sig_changed.connect(self.presentation.update_indicator)
        self.statusBar().addPermanentWidget(self.presentation.indicator)
        self._controls_folded = False  # F6 (presentation mode may fold them, too)
        self._zoom_timer = QTimer(self, singleShot=True, interval=0)
        self._zoom_timer.timeout.connect(self._apply_stored_size)
        self._build_menus()
        self._build_step_keys()
        self.statusBar().showMessage("Ready")
        self._restore_settings()
        self._current = -1
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._on_tab_changed(self.tabs.currentIndex())

    # ---- tabs ----------------------------------------------------------------------------
    def tab(self, index: int) -> TutorTab:
        """The tab object at ``index``, created (but not built) on first request."""
        obj = self._tab_objects[index]
        if obj is None:
            spec = TAB_SPECS[index]
            obj = tab_class(spec)()
            obj.settings = self.settings
            obj.sig_status.connect(self.show_status)
            self._hosts[index].layout().addWidget(obj)
            self._tab_objects[index] = obj
        return obj

    def tab_by_title(self, title: str) -> TutorTab:
        for i, spec in enumerate(TAB_SPECS):
            if spec.title == title:
                return self.tab(i)
        raise KeyError(title)

    def current_tab(self) -> TutorTab:
        return self.tab(self.tabs.currentIndex())

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if 0 <= self._current < len(self._tab_objects):
            previous = self._tab_objects[self._current]
            if previous is not None and self._current != index:
                previous.stop_work()
        self._current = index
        self.statusBar().clearMessage()
        if index >= 0:
            tab = self.tab(index)
            if not tab.built:
                tab.ensure_built()
                self.presentation.collapse(tab)
            if tab.scaled_at != scale.factor():  # built, or scaled, while not shown
                scale.apply(tab)
                tab.scaled_at = scale.factor()
            self.fit_panels()
            self.presentation.update_indicator()
            self.settings.setValue("last_tab", TAB_SPECS[index].title)

    @Slot(str)
    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    # ---- menus ---------------------------------------------------------------------------
    def _action(self, menu, text, slot, shortcut=None, tip="") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&Save session…", self.save_session_dialog, "Ctrl+S",
                     "Save every tab's state (functions, points, runs, data) in one file")
        self._action(file_menu, "&Open session…", self.open_session_dialog, "Ctrl+Shift+O",
                     "Open a saved session: every tab as it was")
        self._action(file_menu, "&Continue where you left off", self.continue_last_session,
                     None, "Bring back the session saved when the tutor was last closed")
        file_menu.addSeparator()
        self._action(file_menu, "Export view as &PNG…", lambda: self.export_dialog("png"),
                     "Ctrl+E", "Save the current tab as a PNG picture")
        self._action(file_menu, "Export view as &SVG…", lambda: self.export_dialog("svg"),
                     "Ctrl+Shift+E", "Save the current tab as an SVG drawing")
        self._action(file_menu, "Export run as C&SV…", lambda: self.export_dialog("csv"),
                     "Ctrl+Shift+C", "Save the current run's records, up to the one shown, "
                     "as a table")
        self._action(file_menu, "Export run as animated &GIF…",
                     lambda: self.export_dialog("gif"), "Ctrl+Shift+G",
                     "Save the current run's history, up to the record shown, as an "
                     "animation for slides")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.Quit, "Quit mlcalc-gui")
        view_menu = bar.addMenu("&View")
        self.fullscreen_action = self._action(view_menu, "&Full screen", self.toggle_fullscreen,
                                              "F11", "Fill the screen (for projecting)")
        self.fullscreen_action.setCheckable(True)
        self.presentation_action = self._action(
            view_menu, "&Presentation mode", self.toggle_presentation, "F5",
            "For a projector: everything about twice as large, high contrast, only the "
            "controls, a step indicator; Esc leaves")
        self.presentation_action.setCheckable(True)
        view_menu.addSeparator()
        self._action(view_menu, "&Larger text", lambda: self.zoom_text_soon(1), "Ctrl+=",
                     "Make all text larger (for the back row)")
        self._action(view_menu, "&Smaller text", lambda: self.zoom_text_soon(-1), "Ctrl+-",
                     "Make all text smaller")
        self._action(view_menu, "&Normal text", lambda: self.zoom_text_soon(0), "Ctrl+0",
                     "Return to the normal text size")
        lesson_menu = bar.addMenu("&Lessons")
        # The built-in lessons are read when the menu first opens, not at start-up.
        lesson_menu.aboutToShow.connect(self._list_lessons)
        self._lesson_menu = lesson_menu
        self._lessons_listed = False
        self._lesson_separator = lesson_menu.addSeparator()
        self._action(lesson_menu, "&Open a lesson file…", self.open_lesson_dialog, "Ctrl+L",
                     "Open a lesson written as a JSON file (see the README)")
        self._action(lesson_menu, "&Leave the lesson", self.lessons.leave, None,
                     "Close the lesson; the tab stays as it is")
        go_menu = bar.addMenu("&Go")
        for i, spec in enumerate(TAB_SPECS):
            self._action(go_menu, f"&{i + 1} {spec.title}",
                         lambda _=False, i=i: self.tabs.setCurrentIndex(i),
                         f"Ctrl+{i + 1}" if i < 9 else None, spec.tooltip)
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts, "F1",
                     "List the keyboard shortcuts")
        self._action(help_menu, "&About mlcalc-gui", self.show_about, None,
                     "What this program is")

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
        self._arrow_keys = _PresenterArrows(self)

    # ---- the control column, folded where the views need the room ------------------------
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
        """Esc: out of presentation mode, else out of the lesson (the tab stays)."""
        if self.presentation.active:
            self.leave_presentation()
        elif self.lessons.active:
            self.lessons.leave()
            self.show_status("Left the lesson: the tab stays as it is, to play on")

    def step_next(self) -> None:
        """Page Down: the lesson's next step, or the current tab's (its clicker)."""
        if self.lessons.active:
            self.lessons.next_step()
        else:
            self.current_tab().step_next()
        self.presentation.update_indicator()

    def step_previous(self) -> None:
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
        if self.lessons.active:
            return self.lessons.position_text()
        tab = self.current_tab()
        where = tab.step_position() if tab.built else ""
        if not where:
            return f"{tab.title} · Page Down: {tab.clicker.what}"
        then = "the end: Page Up goes back" if tab.step_at_end() else "Page Down: next"
        return f"{tab.title} · {where} · {then}"

    # ---- lessons -----------------------------------------------------------------------
    @cached_property
    def builtin_lessons(self) -> list[lessons_core.Lesson]:
        """The lessons that ship with the tutor, in course order (read on first use)."""
        try:
            return lessons_core.builtin_lessons(STATE_CLASSES, **lesson_checks())
        except (OSError, lessons_core.LessonError) as exc:  # a broken installation
            sys.stderr.write(f"mlcalc-gui: the built-in lessons could not be read: {exc}\n")
            return []

    def _list_lessons(self) -> None:
        """The built-in lessons at the top of the Lessons menu (once)."""
        if self._lessons_listed:
            return
        self._lessons_listed = True
        menu = self._lesson_menu
        for lesson in self.builtin_lessons:
            action = QAction(f"Week {lesson.week}, {lesson.tab}: {lesson.title}", self)
            tip = (f"A walkthrough of the {lesson.tab} tab in {len(lesson.steps)} steps; "
                   "Page Down steps it")
            action.setStatusTip(tip)
            action.setToolTip(tip)
            action.triggered.connect(lambda _=False, lesson=lesson: self.start_lesson(lesson))
            menu.insertAction(self._lesson_separator, action)

    def start_lesson(self, lesson: lessons_core.Lesson) -> None:
        self._lesson_applied = None
        self.lessons.start(lesson)
        self.show_status(f"Lesson: {lesson.title} — Page Down steps it")

    def _apply_lesson_step(self, lesson: lessons_core.Lesson, index: int) -> None:
        """The step's tab in front, in the state of the step (the latest state given at
        or before it); a step that gives none leaves the learner's play as it is."""
        titles = [spec.title for spec in TAB_SPECS]
        self.tabs.setCurrentIndex(titles.index(lesson.tab))
        tab = self.tab_by_title(lesson.tab)
        given = [i for i in range(index + 1) if lesson.steps[i].state is not None]
        if given:
            key = (id(lesson), given[-1])
            if key != self._lesson_applied:
                self._lesson_applied = key
                tab.apply_state(lesson.steps[given[-1]].state)
        if lesson.steps[index].show:  # the subject of the step in view
            tab.show_place(lesson.steps[index].show)

    def _on_lesson_question(self, waiting: bool) -> None:
        """While a question waits, the readouts that would answer it are hidden."""
        lesson = self.lessons.lesson
        if lesson is None:
            return
        tab = self.tab_by_title(lesson.tab)
        if waiting:
            tab.hide_readouts(lesson.steps[self.lessons.index].hide)
        else:
            tab.show_readouts()

    def open_lesson(self, path: str | Path) -> bool:
        """Open a lesson file; a bad one gets a message and changes nothing."""
        lesson = self._read_or_say("Lesson", load_lesson, lessons_core.LessonError, path)
        if lesson is None:
            return False
        self.start_lesson(lesson)
        return True

    def _read_or_say(self, kind: str, load, error: type[Exception], path: str | Path):
        """``load(path, STATE_CLASSES)``, or None after saying why the file was refused
        (in a dialog and the status bar)."""
        try:
            return load(path, STATE_CLASSES)
        except error as exc:
            self.warn(f"{kind} not opened", f"{Path(path).name} was not opened: {exc}.\n\n"
                      "Nothing was changed.")
            self.show_status(f"{kind} not opened: {exc}")
            return None

    def open_lesson_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a lesson", self.stored_folder("lesson_dir"),
            "mlcalc-gui lessons (*.json);;All files (*)")
        if path:
            self.settings.setValue("lesson_dir", str(Path(path).parent))
            self.open_lesson(path)

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

    def stored_number(self, key: str, default: float, low: float, high: float) -> float:
        """A number from the settings file, clamped to [low, high]; ``default`` when it
        is missing or not a finite number (the file may be hand-edited or corrupt)."""
        try:
            value = float(str(self.settings.value(key, default)).strip()[:40])
        except ValueError:
            return default
        return min(max(value, low), high) if math.isfinite(value) else default

    def stored_folder(self, key: str) -> str:
        """A folder remembered in the settings, if it is still a folder; else home."""
        value = self.settings.value(key)
        if isinstance(value, str) and len(value) < 4096 and Path(value).is_dir():
            return value
        return str(Path.home())

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

    def _rescale(self) -> None:
        size = self._text_pt * self.presentation.magnification
        font = QFont(QApplication.font())
        font.setPointSizeF(size)
        QApplication.setFont(font)
        scale.set_factor(size / self._base_font_pt)
        # Only the tab shown now: the others are brought to the scale when shown (a step
        # of Ctrl+= with every tab built took 0.3-0.5 s).
        shown = self.tabs.currentIndex()
        hidden = tuple(host for i, host in enumerate(self._hosts) if i != shown)
        scale.apply(self, skip=hidden)
        for i, obj in enumerate(self._tab_objects):
            if obj is not None:
                obj.scaled_at = scale.factor() if i == shown else None

    def warning_box(self, title: str, text: str) -> QMessageBox:
        """A warning dialog showing ``text`` as plain text: it may name a file or quote
        one, and rich text would load an ``<img>`` named there."""
        box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Ok, self)
        box.setTextFormat(Qt.PlainText)
        return box

    def warn(self, title: str, text: str) -> None:
        self.warning_box(title, text).exec()

    def show_shortcuts(self) -> ShortcutWindow:
        """F1: the keys in a window that scrolls and searches, this tab's first."""
        window = ShortcutWindow(shortcut_list(self.tabs.currentIndex()), self)
        window.setAttribute(Qt.WA_DeleteOnClose)
        window.show()
        return window

    def show_about(self) -> None:
        QMessageBox.about(self, "About mlcalc-gui", self.about_html())

    def about_html(self) -> str:
        """Help > About: what the tutor is, and which graphics it found."""
        return (
            f"<h3>mlcalc-gui {__version__}</h3>"
            "<p>An offline visual tutor for <i>Mathematics for Machine Learning: "
            "Multivariate Calculus</i>: derivatives, gradients, Hessians, Taylor series, "
            "optimisation, backpropagation and least-squares fitting.</p>"
            "<p>Built with Qt (PySide6), pyqtgraph, numpy and sympy. "
            "It never uses the network.</p>"
            f"<p>{html.escape(describe_graphics(graphics()))}</p>")

    # ---- export --------------------------------------------------------------------------
    def export_dialog(self, kind: str) -> None:
        """Ask where to save the view (png, svg) or the run (csv, gif), and save it."""
        name = TAB_SPECS[self.tabs.currentIndex()].title.lower().replace(" ", "-")
        what, filters = EXPORTS[kind]
        start = str(Path(self.stored_folder("export_dir")) / f"{name}.{kind}")
        path, _ = QFileDialog.getSaveFileName(self, f"Export {what} as {kind.upper()}",
                                              start, filters)
        if not path:
            return
        if not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        if kind == "gif":
            options = choose_gif_options(self, self.current_tab())
            if options is not None:
                self.export_animation(path, *options)
        elif kind == "csv":
            self.export_run_table(path)
        elif kind == "png":
            factor = choose_png_size(self, self.current_tab().export_widget())
            if factor is not None:
                self._write(path, lambda p: self.export_view(p, factor), "export_dir",
                            f"Saved {path}")
        else:
            self._write(path, self.export_view, "export_dir", f"Saved {path}")

    def export_run_table(self, path: str) -> None:
        """Save the current tab's run as CSV (a tab with no run yet says so)."""
        tab = self.current_tab()
        rows = []
        try:
            self._write(path, lambda p: rows.append(export_table(tab, p)), "export_dir",
                        f"Saved {path}")
        except ValueError as exc:
            self.show_status(str(exc))
            return
        if rows:
            self.show_status(f"Saved {path}: {rows[0]:,} records")

    def export_animation(self, path: str, view: QWidget | None = None,
                         width: int | None = None) -> RunAnimation | None:
        """Save the current tab's run as an animated GIF of ``view`` (the whole view by
        default) ``width`` pixels wide, with a progress dialog; the export (its
        ``sig_done`` comes when the file is written)."""
        tab = self.current_tab()
        if len(run_frames(tab)) < 2:
            self.show_status(NOTHING_TO_ANIMATE)
            return None
        animation = RunAnimation(tab, path, self, view=view,
                                 width=width or GIF_WIDTH)
        animation.sig_done.connect(lambda p, n: self._on_exported(p, f"{n} frames"))
        animation.sig_failed.connect(lambda message: self.warn("Not saved", message))
        animation.sig_cancelled.connect(lambda: self.show_status("Export cancelled"))
        self._animation = animation  # kept until the next export
        animation.start()
        return animation

    def _on_exported(self, path: str, what: str) -> None:
        self.settings.setValue("export_dir", str(Path(path).parent))
        self.show_status(f"Saved {path}: {what}")

    def _write(self, path: str, write, folder_key: str, done: str) -> None:
        """``write(path)``; a failure is said in a message, a success in the status bar,
        and the folder is remembered for the next dialog."""
        try:
            write(path)
        except OSError as exc:
            self.warn("Not saved", f"Could not write {path}:\n{exc}")
            return
        self.settings.setValue(folder_key, str(Path(path).parent))
        self.show_status(done)

    def export_view(self, path: str, scale: float = 1.0) -> None:
        """Save the current tab's view as PNG (``scale`` times its size) or SVG (chosen by
        the file's ending)."""
        export_widget(self.current_tab().export_widget(), path, scale)

    # ---- settings and closing ------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if not (isinstance(geometry, QByteArray) and not geometry.isEmpty()
                and self.restoreGeometry(geometry)):
            self.resize(1366, 800)
        self.fit_to_screen()
        last = self.settings.value("last_tab")
        for i, spec in enumerate(TAB_SPECS):
            if spec.title == last:
                self.tabs.setCurrentIndex(i)
        if self.settings.contains("font_pt"):
            self._apply_font(self.stored_number("font_pt", self._base_font_pt, *FONT_RANGE))

    def fit_to_screen(self) -> None:
        """Never larger than the screen's free area; on a small screen (a 1366×768
        laptop, a projector) maximised, so the status bar and axes are not cut off."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
        if free.width() < SMALL_SCREEN.width() or free.height() < SMALL_SCREEN.height():
            self.resize(free.size())
            self.move(free.topLeft())
            self.setWindowState(self.windowState() | Qt.WindowMaximized)
            return
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        self.resize(min(self.width(), free.width() - extra_w),
                    min(self.height(), free.height() - extra_h))
        if not free.contains(self.frameGeometry()):
            self.move(free.center() - self.rect().center())

    @property
    def autosave_path(self) -> Path:
        """This tutor's own session file (saved every few minutes and on close)."""
        return self.autosave.path

    def closeEvent(self, event) -> None:  # noqa: N802
        self._zoom_timer.stop()
        self.leave_presentation()
        for obj in self._tab_objects:
            if obj is not None:
                obj.stop_work()  # runs stop where they are shown; their results are saved
        problem = self.autosave.save_now()
        if problem is not None and not self._quit_unsaved(problem):
            event.ignore()  # the learner stays, with everything as it was
            return
        for obj in self._tab_objects:
            if obj is not None:
                obj.close_workers()
        self.autosave.release()
        self.statusBar().clearMessage()  # also stops its timeout timer
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.sync()
        scale.reset_application_font()
        super().closeEvent(event)

    def ask_when_unsaved(self, problem: str) -> str:
        """The session could not be saved on close: "elsewhere" (choose a file),
        "quit" (quit without it) or "stay" (do not close)."""
        box = QMessageBox(QMessageBox.Warning, "The session was not saved",
                          f"The session could not be saved in {self.autosave_path}: "
                          f"{problem}.\n\nSave it elsewhere (a USB stick, another "
                          f"folder), or quit without saving it? If you quit, the next start "
                          f"offers the session saved before, not this one.",
                          QMessageBox.NoButton, self)
        box.setTextFormat(Qt.PlainText)
        elsewhere = box.addButton("Save elsewhere…", QMessageBox.AcceptRole)
        quit_button = box.addButton("Quit without saving", QMessageBox.DestructiveRole)
        box.addButton("Do not quit", QMessageBox.RejectRole)
        box.setDefaultButton(elsewhere)
        box.exec()
        clicked = box.clickedButton()
        return "elsewhere" if clicked is elsewhere else "quit" if clicked is quit_button \
            else "stay"

    def _quit_unsaved(self, problem: str) -> bool:
        """Whether to close after the session failed to save (the learner chooses)."""
        while True:
            answer = self.ask_when_unsaved(problem)
            if answer == "quit":
                return True
            if answer == "stay":
                self.show_status(f"⚠ The session is not saved ({problem})")
                return False
            path, _ = QFileDialog.getSaveFileName(
                self, "Save the session", str(Path.home() / "session.mlcalc.json"),
                "mlcalc-gui sessions (*.json)")
            if not path:
                continue
            try:
                sessions.save(path, self.capture_session())
            except (OSError, ValueError) as exc:
                problem = f"{Path(path).name} could not be written either ({exc})"
                continue
            return True

    # ---- sessions ------------------------------------------------------------------------
    def _session_folder(self) -> Path:
        """Beside the settings file when there is one (tests, screenshots), else in the
        user's application data folder."""
        if self.settings.format() == QSettings.IniFormat:
            return Path(self.settings.fileName()).parent
        return Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation))

    def _build_continue_bar(self) -> QFrame:
        bar = QFrame()
        bar.setStyleSheet(theme.CONTINUE_BAR_STYLE)
        row = QHBoxLayout(bar)
        row.setContentsMargins(10, 4, 10, 4)
        offer = self.autosave.offer
        saved = f" Your last session was saved {when(offer)}." if offer is not None else ""
        other = (" Another mlcalc-gui is open: this one keeps its session in a file of its "
                 "own." if self.autosave.shared else "")
        self.continue_label = QLabel(f"Continue where you left off?{saved}{other}")
        self.continue_label.setTextFormat(Qt.PlainText)
        self.continue_label.setWordWrap(True)
        go = QPushButton("Continue")
        go.setToolTip("Bring back every tab as it was when that session was saved")
        go.clicked.connect(self.continue_last_session)
        fresh = QPushButton("Start fresh")
        fresh.setToolTip("Keep the tutor as it starts: the last session is replaced when this "
                         "one is next saved (every few minutes, and on closing)")
        fresh.clicked.connect(self.start_fresh)
        row.addWidget(self.continue_label, 1)
        row.addWidget(go)
        row.addWidget(fresh)
        return bar

    def start_fresh(self) -> None:
        self.continue_bar.setVisible(False)
        self.autosave.start()

    def capture_session(self) -> sessions.Session:
        """Every used tab's state (tabs given a state but never shown keep it)."""
        states = {}
        for spec, obj in zip(TAB_SPECS, self._tab_objects, strict=True):
            state = obj.capture_state() if obj is not None else None
            if state is not None:
                states[spec.title] = state
        pt = (self.stored_number("font_pt", 0.0, *FONT_RANGE)
              if self.settings.contains("font_pt") else 0.0)
        window = sessions.WindowState(TAB_SPECS[self.tabs.currentIndex()].title, pt)
        return sessions.Session(window, states)

    def apply_session(self, session: sessions.Session) -> None:
        for i, spec in enumerate(TAB_SPECS):
            if spec.title in session.tabs:
                self.tab(i).apply_state(session.tabs[spec.title])
        for i, spec in enumerate(TAB_SPECS):
            if spec.title == session.window.tab:
                self.tabs.setCurrentIndex(i)
        if session.window.text_pt:
            self.set_text_size(session.window.text_pt)

    def save_session(self, path: str | Path) -> None:
        """Write every tab's state to ``path`` (runs stop first, their results kept)."""
        for obj in self._tab_objects:
            if obj is not None:
                obj.stop_work()
        sessions.save(path, self.capture_session())

    def open_session(self, path: str | Path) -> bool:
        """Open a session; a bad file gets a message and changes nothing."""
        session = self._read_or_say("Session", sessions.load, sessions.SessionError, path)
        if session is None:
            return False
        self.apply_session(session)
        self.show_status(f"Opened the session {Path(path).name}")
        return True

    def save_session_dialog(self) -> None:
        start = str(Path(self.stored_folder("session_dir")) / "session.mlcalc.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save session", start,
                                              "mlcalc-gui sessions (*.json)")
        if path:
            self._write(path, self.save_session, "session_dir", f"Saved the session in {path}")

    def open_session_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open session", self.stored_folder("session_dir"),
            "mlcalc-gui sessions (*.json);;All files (*)")
        if path:
            self.open_session(path)

    def continue_last_session(self) -> None:
        self.continue_bar.setVisible(False)
        offer = self.autosave.offer
        self.autosave.start()
        if offer is None or not offer.is_file():
            self.show_status("There is no saved session yet: it is saved every few minutes "
                             "and when you close")
            return
        self.open_session(offer)
