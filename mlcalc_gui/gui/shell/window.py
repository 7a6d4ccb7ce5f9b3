"""The main window: one tab per topic (gui.shell.registry), its menus and status bar,
remembered geometry; each concern of the window is a mixin of its own module."""

from __future__ import annotations

import html
import math
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui import __version__
from mlcalc_gui.gui import scale
from mlcalc_gui.gui.graphics import describe as describe_graphics
from mlcalc_gui.gui.graphics import graphics
from mlcalc_gui.gui.kit.tab import TutorTab
from mlcalc_gui.gui.shell.autosave import Autosave
from mlcalc_gui.gui.shell.course import CourseMixin
from mlcalc_gui.gui.shell.export_actions import ExportsMixin
from mlcalc_gui.gui.shell.lesson_panel import LessonPanel
from mlcalc_gui.gui.shell.lessons import LessonsMixin
from mlcalc_gui.gui.shell.memory import GiveBack
from mlcalc_gui.gui.shell.presentation import Presentation
from mlcalc_gui.gui.shell.presenting import PresentingMixin
from mlcalc_gui.gui.shell.registry import STATE_CLASSES, TAB_SPECS, shortcut_list, tab_class
from mlcalc_gui.gui.shell.sessions import SessionsMixin
from mlcalc_gui.gui.shell.shortcut_list import ShortcutWindow
from mlcalc_gui.gui.shell.text_size import FONT_RANGE, TextSizeMixin

__all__ = ["MainWindow", "TAB_SPECS", "shortcut_list"]


#: A screen smaller than this gets the window maximised.
SMALL_SCREEN = QSize(1400, 860)


class MainWindow(SessionsMixin, LessonsMixin, CourseMixin, ExportsMixin, TextSizeMixin,
                 PresentingMixin, QMainWindow):
    """The tutor's window.  ``settings`` defaults to the user's QSettings.  Its parts are
    mixins, one a concern: sessions, lessons, the course map, exports, text size,
    presenting."""

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
        stack = QStackedWidget()  # the tabs, or the course map in front of them
        stack.addWidget(self.tabs)
        column.addWidget(stack, 1)
        self.lessons = LessonPanel(self._apply_lesson_step, observe=self._observe_lesson_tab,
                                   describe=self._describe_observable)
        self.lessons.sig_question.connect(self._on_lesson_question)
        self._lesson_applied: tuple[int, int] | None = None
        column.addWidget(self.lessons)
        self._build_course(stack)
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
        # What a text size, a lesson or presentation mode freed goes back to the system.
        self.memory = GiveBack(self)
        self.lessons.sig_changed.connect(self.memory.soon)
        self._build_menus()
        self._build_step_keys()
        self.statusBar().showMessage("Ready")
        self._restore_settings()
        self._current = -1
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._on_tab_changed(self.tabs.currentIndex())

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
            released = scale.release_font(self._hosts[index])
            if tab.scaled_at != scale.factor():  # built, or scaled, while not shown
                scale.apply(tab)
                tab.scaled_at = scale.factor()
            self.fit_panels()
            if released:  # fitted again once its layouts are at the new size
                QTimer.singleShot(0, self.fit_panels)
            self.presentation.update_indicator()
            self.settings.setValue("last_tab", TAB_SPECS[index].title)

    @Slot(str)
    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

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
        course = self._action(lesson_menu, "&Course map", self.show_course_map, "Alt+Home",
                              "The six weeks, their lessons and your progress; Continue "
                              "goes on where you stopped")
        self._action(lesson_menu, "&Open a lesson file…", self.open_lesson_dialog, "Ctrl+L",
                     "Open a lesson written as a JSON file (see the README)")
        self._action(lesson_menu, "&Record a lesson…", self.record_lesson, "Ctrl+Shift+L",
                     "Make a lesson without writing JSON: arrange the tab, add it as a "
                     "step, write what it says, a question, a task")
        self._action(lesson_menu, "&Leave the lesson", self.lessons.leave, None,
                     "Close the lesson; the tab stays as it is")
        go_menu = bar.addMenu("&Go")
        go_menu.addAction(course)
        go_menu.addSeparator()
        for i, spec in enumerate(TAB_SPECS):
            self._action(go_menu, f"&{i + 1} {spec.title}",
                         lambda _=False, i=i: self.go_to_tab(i),
                         f"Ctrl+{i + 1}" if i < 9 else None, spec.tooltip)
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts, "F1",
                     "List the keyboard shortcuts")
        self._action(help_menu, "&About mlcalc-gui", self.show_about, None,
                     "What this program is")

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

    def open_file(self, path: str | Path) -> bool:
        """A lesson or a session named from outside the tutor (on the command line, or a
        file double-clicked): opened by what it says it is; anything else is refused with
        a message, beside a working window, and nothing changes."""
        from mlcalc_gui.core import lessons as lessons_core
        from mlcalc_gui.core import session as sessions
        from mlcalc_gui.core.files import FileReadError, document_format

        name = Path(path).name
        try:
            kind = document_format(path, max(sessions.MAX_BYTES, lessons_core.MAX_BYTES))
        except FileReadError as exc:
            problem = str(exc)
        else:
            if kind == lessons_core.FORMAT:
                return self.open_lesson(path)
            if kind == sessions.FORMAT:
                return self.open_session(path)
            problem = (f"it is neither an mlcalc-gui lesson nor a session (it says it is "
                       f"{kind!r})" if kind else
                       "it is neither an mlcalc-gui lesson nor a session (it has no "
                       "\"format\")")
        self.warn("Not opened", f"{name} was not opened: {problem}.\n\nNothing was changed. "
                  "A lesson or a session saved by the tutor opens like this.")
        self.show_status(f"Not opened: {name}: {problem}")
        return False

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

    def _observe_lesson_tab(self) -> dict:
        """The observables of the lesson's tab, for a step's task (empty if not built)."""
        lesson = self.lessons.lesson
        if lesson is None:
            return {}
        tab = self.tab_by_title(lesson.tab)
        return tab.observe() if tab.built else {}

    def _describe_observable(self, name: str) -> str:
        lesson = self.lessons.lesson
        return tab_class(TAB_SPECS[[s.title for s in TAB_SPECS].index(lesson.tab)]
                         ).OBSERVABLES.get(name, "") if lesson else ""

    def closeEvent(self, event) -> None:  # noqa: N802
        recorder = getattr(self, "_recorder", None)
        if recorder is not None and recorder.unsaved and not recorder.close():
            event.ignore()  # the lecturer chose to stay with the lesson being recorded
            return
        self._zoom_timer.stop()
        self.lessons.stop_watching()
        self.leave_presentation()
        for obj in self._tab_objects:
            if obj is not None:
                obj.stop_work()  # runs stop where they are shown; their results are saved
        problem = self.autosave.save_now()
        if problem is not None and not self._quit_unsaved(problem):
            event.ignore()  # the learner stays, with everything as it was
            return
        self.memory.stop()
        for obj in self._tab_objects:
            if obj is not None:
                obj.close_workers()
        self.save_progress()
        self.autosave.release()
        self.statusBar().clearMessage()  # also stops its timeout timer
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.sync()
        scale.reset_application_font()
        super().closeEvent(event)
