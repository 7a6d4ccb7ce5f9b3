"""The main window's sessions: every tab's state in one file, saved on close and from
time to time (gui.shell.autosave), and the bar that offers the last one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QMessageBox, QPushButton

from mlcalc_gui.core import session as sessions
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.shell.autosave import when
from mlcalc_gui.gui.shell.registry import TAB_SPECS
from mlcalc_gui.gui.shell.text_size import FONT_RANGE
from mlcalc_gui.gui.widgets.steady import WrappedLabel


class SessionsMixin:
    """Sessions: saved every few minutes and on close (a failure is said, and the
    learner chooses), offered again at the next start, saved and opened as files."""

    @property
    def autosave_path(self) -> Path:
        """This tutor's own session file (saved every few minutes and on close)."""
        return self.autosave.path

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
        self.continue_label = WrappedLabel(f"Continue where you left off?{saved}{other}")
        self.continue_label.setTextFormat(Qt.PlainText)
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
        self.show_tabs()
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
                obj.stop_runs()
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
