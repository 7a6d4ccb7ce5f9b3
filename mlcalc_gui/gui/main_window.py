"""The main window: one tab per topic, menus, status bar, remembered geometry."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui import __version__
from mlcalc_gui.gui.export import export_widget
from mlcalc_gui.gui.tab_base import TutorTab

__all__ = ["MainWindow", "TAB_SPECS"]


@dataclass(frozen=True)
class TabSpec:
    title: str
    module: str
    cls: str
    tooltip: str


#: The tabs, in course order.  Modules are imported when a tab is first shown.
TAB_SPECS: tuple[TabSpec, ...] = (
    TabSpec("Gradients", "mlcalc_gui.gui.tabs.gradients", "GradientsTab",
            "Partial derivatives, the gradient, the Hessian and gradient descent on a surface"),
    TabSpec("Backpropagation", "mlcalc_gui.gui.tabs.backprop", "BackpropTab",
            "A network learns to draw a curve: the chain rule, layer by layer"),
    TabSpec("Fitting", "mlcalc_gui.gui.tabs.fitting", "FittingTab",
            "Least squares: a Gaussian fitted to heights and a line to points, by descent"),
)

SHORTCUTS_HTML = """
<h3>Keyboard shortcuts</h3>
<table cellspacing="6">
<tr><td><b>Ctrl+1 … Ctrl+9</b></td><td>go to tab 1 … 9</td></tr>
<tr><td><b>Ctrl+Tab / Ctrl+Shift+Tab</b></td><td>next / previous tab</td></tr>
<tr><td><b>Space</b></td><td>play or pause the current tab's animation</td></tr>
<tr><td><b>N</b> or <b>Page Down</b></td><td>single step (a presenter's clicker works)</td></tr>
<tr><td><b>Shift+N</b></td><td>step many (where offered)</td></tr>
<tr><td><b>R</b></td><td>reset the run</td></tr>
<tr><td><b>[ and ]</b></td><td>previous / next stage of the backprop walk</td></tr>
<tr><td><b>D</b></td><td>draw your own curve (Backpropagation)</td></tr>
<tr><td><b>J</b></td><td>jump to the nearest stationary point (Gradients)</td></tr>
<tr><td><b>Ctrl+O</b></td><td>open a data file (Fitting)</td></tr>
<tr><td><b>Arrow keys</b></td><td>move the point on a focused map (Shift: bigger steps)</td></tr>
<tr><td><b>Tab / Shift+Tab</b></td><td>move between controls</td></tr>
<tr><td><b>Ctrl+= / Ctrl+- / Ctrl+0</b></td><td>larger / smaller / normal text</td></tr>
<tr><td><b>F11</b></td><td>full screen</td></tr>
<tr><td><b>Ctrl+E / Ctrl+Shift+E</b></td><td>export the view as PNG / SVG</td></tr>
<tr><td><b>F1</b></td><td>this list</td></tr>
<tr><td><b>Ctrl+Q</b></td><td>quit</td></tr>
</table>
"""


class MainWindow(QMainWindow):
    """The tutor's window.  ``settings`` defaults to the user's QSettings."""

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.settings = settings if settings is not None else QSettings("mlcalc-gui", "mlcalc-gui")
        self.setWindowTitle("mlcalc-gui — multivariate calculus for machine learning")
        self.setMinimumSize(QSize(1000, 640))
        self._base_font_pt = QApplication.font().pointSizeF()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setStyleSheet("QTabBar::tab { padding: 8px 18px; font-size: 11pt; }")
        self.setCentralWidget(self.tabs)
        self._hosts: list[QWidget] = []
        self._tab_objects: list[TutorTab | None] = []
        for spec in TAB_SPECS:
            host = QWidget()
            QVBoxLayout(host).setContentsMargins(0, 0, 0, 0)
            self._hosts.append(host)
            self._tab_objects.append(None)
            index = self.tabs.addTab(host, spec.title)
            self.tabs.setTabToolTip(index, spec.tooltip)
        self._build_menus()
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
            cls = getattr(importlib.import_module(spec.module), spec.cls)
            obj = cls()
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
            self.tab(index).ensure_built()
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
        self._action(file_menu, "Export view as &PNG…", lambda: self.export_dialog("png"),
                     "Ctrl+E", "Save the current tab as a PNG picture")
        self._action(file_menu, "Export view as &SVG…", lambda: self.export_dialog("svg"),
                     "Ctrl+Shift+E", "Save the current tab as an SVG drawing")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.Quit, "Quit mlcalc-gui")
        view_menu = bar.addMenu("&View")
        self.fullscreen_action = self._action(view_menu, "&Full screen", self.toggle_fullscreen,
                                              "F11", "Fill the screen (for projecting)")
        self.fullscreen_action.setCheckable(True)
        view_menu.addSeparator()
        self._action(view_menu, "&Larger text", lambda: self.zoom_text(1), "Ctrl+=",
                     "Make all text larger (for the back row)")
        self._action(view_menu, "&Smaller text", lambda: self.zoom_text(-1), "Ctrl+-",
                     "Make all text smaller")
        self._action(view_menu, "&Normal text", lambda: self.zoom_text(0), "Ctrl+0",
                     "Return to the normal text size")
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

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.fullscreen_action.setChecked(self.isFullScreen())

    def zoom_text(self, direction: int) -> None:
        current = float(self.settings.value("font_pt", self._base_font_pt))
        size = self._base_font_pt if direction == 0 else current + 1.5 * direction
        size = min(max(size, 7.0), 28.0)
        self.settings.setValue("font_pt", size)
        self._apply_font(size)

    def _apply_font(self, size: float) -> None:
        font = QFont(QApplication.font())
        font.setPointSizeF(size)
        QApplication.setFont(font)
        self.show_status(f"Text size {size:g} pt")

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts", SHORTCUTS_HTML)

    def show_about(self) -> None:
        QMessageBox.about(
            self, "About mlcalc-gui",
            f"<h3>mlcalc-gui {__version__}</h3>"
            "<p>An offline visual tutor for <i>Mathematics for Machine Learning: "
            "Multivariate Calculus</i>: derivatives, gradients, Hessians, Taylor series, "
            "optimisation, backpropagation and least-squares fitting.</p>"
            "<p>Built with Qt (PySide6), pyqtgraph, numpy and sympy. "
            "It never uses the network.</p>",
        )

    # ---- export --------------------------------------------------------------------------
    def export_dialog(self, kind: str) -> None:
        name = TAB_SPECS[self.tabs.currentIndex()].title.lower().replace(" ", "-")
        start = str(Path(self.settings.value("export_dir", str(Path.home()))) / f"{name}.{kind}")
        filters = "PNG image (*.png)" if kind == "png" else "SVG drawing (*.svg)"
        path, _ = QFileDialog.getSaveFileName(self, f"Export view as {kind.upper()}", start,
                                              filters)
        if not path:
            return
        if not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        try:
            self.export_view(path)
        except OSError as exc:
            QMessageBox.warning(self, "Export failed", f"Could not write {path}:\n{exc}")
            return
        self.settings.setValue("export_dir", str(Path(path).parent))
        self.show_status(f"Saved {path}")

    def export_view(self, path: str) -> None:
        """Save the current tab's view as PNG or SVG (chosen by the file's ending)."""
        export_widget(self.current_tab().export_widget(), path)

    # ---- settings and closing ------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 800)
        last = self.settings.value("last_tab")
        for i, spec in enumerate(TAB_SPECS):
            if spec.title == last:
                self.tabs.setCurrentIndex(i)
        font_pt = self.settings.value("font_pt")
        if font_pt is not None:
            self._apply_font(float(font_pt))

    def closeEvent(self, event) -> None:  # noqa: N802
        for obj in self._tab_objects:
            if obj is not None:
                obj.close_workers()
        self.statusBar().clearMessage()  # also stops its timeout timer
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)
