"""The Fitting tab: a Gaussian fitted to the heights histogram (the course's second
assignment) and a straight line fitted to points, each as steepest descent on the
chi-squared landscape over the parameters."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import fitting as fit
from mlcalc_gui.core.calculus import resumed
from mlcalc_gui.core.expressions import ExpressionError, parse_function
from mlcalc_gui.core.runner import FinishKind
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.run.controller import RunTabMixin
from mlcalc_gui.gui.tab_base import (
    ERROR_STYLE,
    TutorTab,
    error_label,
    note_label,
    panel_column,
    titled,
)
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.contour_view import ContourView, PointerViewBox
from mlcalc_gui.gui.widgets.playback import PlaybackBar
from mlcalc_gui.gui.widgets.surface_view import SurfaceView

GAUSS, LINE = "Heights: fit a Gaussian", "Points: fit a straight line"
OVERLAP = (150, 150, 205)
MODEL_ABOVE = theme.PATH
DATA_ABOVE = theme.TARGET

EXPLANATION = """
<p>A fit is a <b>descent on a landscape</b>. χ² = Σ (yᵢ − f(xᵢ))² measures how far the
model is from the data; every choice of parameters (μ, σ) is a point on the χ² map.
Steepest descent steps against the Jacobian J = [∂χ²/∂μ, ∂χ²/∂σ]:
<b>(μ, σ) ← (μ, σ) − aggression · J</b>, so its path crosses the contours at right angles.</p>
<p>Histogram colours: <span style="color:rgb(150,150,205)"><b>■</b></span> data and
model agree, <span style="color:rgb(240,110,0)"><b>■</b></span> model above the data,
<span style="color:rgb(26,152,80)"><b>■</b></span> data above the model. Empty bins count:
a model standing over an empty bin is an error too. Click the map to choose the start.</p>
"""


class FittingTab(RunTabMixin, TutorTab):
    title = "Fitting"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.mode = GAUSS
        self.hist = None  # fit.Histogram
        self.start = (155.0, 6.0)
        self.points = fit.SAMPLE_POINTS.copy()
        self.line_start = (0.0, 0.0)
        self.user_derivative = {"mu": None, "sigma": None}
        self._drag_index: int | None = None

    # ---- layout --------------------------------------------------------------------------
    def build(self) -> None:
        panel = self._build_panel()
        self.install_run(self._descent_run, self._blocked)
        right = QWidget()
        grid = QGridLayout(right)
        grid.setContentsMargins(0, 0, 0, 0)
        self.data_stack = QStackedWidget()
        self.data_stack.addWidget(self._build_histogram_view())
        self.data_stack.addWidget(self._build_points_view())
        self.map_stack = QStackedWidget()
        self.gauss_map = ContourView(labels=("μ (cm)", "σ (cm)"), lock_aspect=True)
        self.line_map = ContourView(labels=("m (slope)", "c (intercept)"), lock_aspect=False)
        for view in (self.gauss_map, self.line_map):
            view.sig_point_moved.connect(self.set_start)
            view.setToolTip("χ² over the parameters. Click or drag to choose where the "
                            "descent starts; arrow keys nudge it.")
            self.map_stack.addWidget(view)
        self.surface = SurfaceView(axis_labels=("μ", "σ", "log₁₀ χ²"))
        grid.addWidget(self.data_stack, 0, 0)
        grid.addWidget(titled(self.map_stack, "χ² landscape with the descent path"), 0, 1)
        grid.addWidget(titled(self.surface, "The same landscape in 3D — drag to rotate"), 1, 0)
        grid.addWidget(self._build_numbers(), 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        self.set_main_layout(panel, right, 380)
        self.playback.install_shortcuts(self)
        self.load_heights()

    def _build_panel(self) -> QWidget:
        panel, layout = panel_column(EXPLANATION)
        self.mode_combo = QComboBox()
        self.mode_combo.addItems([GAUSS, LINE])
        self.mode_combo.setToolTip("Fit the course's Gaussian to heights, or a line to points")
        self.mode_combo.activated.connect(lambda i: self.set_mode(self.mode_combo.itemText(i)))
        layout.addWidget(self.mode_combo)

        box = QGroupBox("Data")
        v = QVBoxLayout(box)
        self.data_label = QLabel()
        self.data_label.setWordWrap(True)
        v.addWidget(self.data_label)
        row = QHBoxLayout()
        open_button = QPushButton("Open CSV…")
        open_button.setToolTip("Heights: one measurement per row, or (bin centre, count) "
                               "pairs. Points: (x, y) pairs. A header row is optional (Ctrl+O)")
        open_button.setShortcut("Ctrl+O")
        open_button.clicked.connect(self.open_dialog)
        self.restore_button = QPushButton("Course data")
        self.restore_button.setToolTip("Go back to the course's heights or sample points")
        self.restore_button.clicked.connect(self.restore_course_data)
        row.addWidget(open_button)
        row.addWidget(self.restore_button)
        v.addLayout(row)
        form = QFormLayout()
        self.bin_spin = QDoubleSpinBox()
        self.bin_spin.setRange(0.01, 1000)
        self.bin_spin.setValue(2.5)
        self.bin_spin.setToolTip("The bin width used for files of raw measurements")
        form.addRow("Bin width for measurements", self.bin_spin)
        v.addLayout(form)
        self.data_error = error_label()
        v.addWidget(self.data_error)
        self.line_hint = note_label("Click to add a point, drag one to move it, Shift+click "
                                    "to delete it.")
        v.addWidget(self.line_hint)
        layout.addWidget(box)

        box = QGroupBox("Steepest descent")
        v = QVBoxLayout(box)
        form = QFormLayout()
        self.aggression_spin = QDoubleSpinBox()
        self.aggression_spin.setDecimals(6)
        self.aggression_spin.setRange(1e-6, 1e7)
        self.aggression_spin.setValue(2000)
        self.aggression_spin.setToolTip("The step size: parameters −= aggression × J "
                                        "(the course uses 2000)")
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(1, 100000)
        self.steps_spin.setValue(50)
        self.steps_spin.setToolTip("How many steps one run takes (the course takes 50)")
        form.addRow("Aggression", self.aggression_spin)
        form.addRow("Steps", self.steps_spin)
        v.addLayout(form)
        self.playback = PlaybackBar(speeds=(1, 2, 5, 10, 20, 50, 0), default_speed=4)
        v.addWidget(self.playback)
        self.status = QLabel()
        self.status.setWordWrap(True)
        v.addWidget(self.status)
        layout.addWidget(box)

        self.turn_box = QGroupBox("Your turn: write a derivative")
        v = QVBoxLayout(self.turn_box)
        intro = QLabel("As in the assignment, write ∂f/∂μ or ∂f/∂σ of the Gaussian "
                       "f = exp(−(x−μ)²/(2σ²)) / (σ√(2π)), in x, mu and sigma.")
        intro.setWordWrap(True)
        v.addWidget(intro)
        self.which_combo = QComboBox()
        self.which_combo.addItems(["∂f/∂μ", "∂f/∂σ"])
        self.which_combo.setToolTip("Which derivative you are writing")
        self.derivative_edit = QLineEdit()
        self.derivative_edit.setPlaceholderText("e.g. (x - mu)/sigma^2 · f written out")
        self.derivative_edit.setToolTip("Use x, mu, sigma (or μ, σ), pi, exp, sqrt, ^ …; "
                                        "press Enter to check")
        self.derivative_edit.returnPressed.connect(self.check_user_derivative)
        row = QHBoxLayout()
        row.addWidget(self.which_combo)
        row.addWidget(self.derivative_edit, 1)
        v.addLayout(row)
        check = QPushButton("Check it")
        check.setToolTip("Compare with the true derivative at 60 random points (Enter)")
        check.clicked.connect(self.check_user_derivative)
        v.addWidget(check)
        self.verdict_label = QLabel()
        self.verdict_label.setWordWrap(True)
        v.addWidget(self.verdict_label)
        self.use_mine = QCheckBox("Descend with my derivative")
        self.use_mine.setToolTip("Run the descent with your ∂f/∂μ or ∂f/∂σ in J: a wrong "
                                 "one visibly goes astray")
        self.use_mine.toggled.connect(lambda _: self.reset_descent())
        v.addWidget(self.use_mine)
        layout.addWidget(self.turn_box)
        layout.addStretch(1)
        return panel

    def _build_histogram_view(self) -> QWidget:
        self.hist_plot = pg.PlotWidget()
        plot = self.hist_plot.getPlotItem()
        theme.style_plot(plot)
        plot.setMenuEnabled(False)
        plot.disableAutoRange()  # ranges are set for each data set; the model never moves them
        plot.setLabel("bottom", "height (cm)")
        plot.setLabel("left", "density (per cm)")
        self.bars = {name: pg.BarGraphItem(x=[], height=[], width=1, brush=pg.mkBrush(*c),
                                           pen=pg.mkPen(None))
                     for name, c in (("overlap", OVERLAP), ("model", MODEL_ABOVE),
                                     ("data", DATA_ABOVE))}
        for item in self.bars.values():
            plot.addItem(item)
        self.model_curve = plot.plot(pen=theme.mkpen((40, 40, 40), 2))
        self.best_curve = plot.plot(pen=theme.mkpen((40, 40, 40), 1.5, Qt.DashLine))
        # Top left: the heights start at 160 cm, so 130-155 cm is free of bars.
        legend = plot.addLegend(offset=(10, 10), labelTextSize="10pt")
        legend.addItem(self.model_curve, "model (descent)")
        legend.addItem(self.best_curve, "least-squares minimum")
        for name, label in (("overlap", "agree"), ("model", "model above data"),
                            ("data", "data above model")):
            legend.addItem(self.bars[name], label)
        return titled(self.hist_plot, "The data and the model")

    def _build_points_view(self) -> QWidget:
        self.points_vb = PointerViewBox()
        self.points_plot = pg.PlotWidget(viewBox=self.points_vb)
        plot = self.points_plot.getPlotItem()
        theme.style_plot(plot)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        self.points_vb.setMouseEnabled(False, False)
        self.points_vb.disableAutoRange()
        self.points_vb.wheelEvent = lambda ev, axis=None: ev.ignore()
        plot.setLabel("bottom", "x")
        plot.setLabel("left", "y")
        self.residual_item = plot.plot(pen=pg.mkPen((120, 120, 120), width=1.5),
                                       connect="pairs")
        self.exact_line = plot.plot(pen=theme.mkpen(theme.TARGET, 2, Qt.DashLine))
        self.descent_line = plot.plot(pen=theme.mkpen(theme.PATH, 3))
        self.point_item = pg.ScatterPlotItem(size=11, brush=pg.mkBrush(*theme.DOWNHILL),
                                             pen=pg.mkPen("w", width=1.5))
        plot.addItem(self.point_item)
        legend = plot.addLegend(offset=(10, 10), labelTextSize="10pt")
        legend.addItem(self.exact_line, "closed form")
        legend.addItem(self.descent_line, "descent")
        legend.addItem(self.residual_item, "residuals")
        self.points_vb.sig_clicked.connect(self._on_points_click)
        self.points_vb.sig_drag.connect(self._on_points_drag)
        return titled(self.points_plot, "Points, the fitted lines and the residuals")

    def _build_numbers(self) -> QWidget:
        box = QGroupBox("The update in numbers")
        v = QVBoxLayout(box)
        self.numbers_label = QLabel()
        self.numbers_label.setTextFormat(Qt.RichText)
        self.numbers_label.setWordWrap(True)
        self.numbers_label.setStyleSheet("font-size: 12pt;")
        self.numbers_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        v.addWidget(self.numbers_label)
        v.addStretch(1)
        return box

    # ---- data ----------------------------------------------------------------------------
    def load_heights(self, hist: fit.Histogram | None = None) -> None:
        if hist is None:
            x, y = fit.heights_data()
            hist = fit.Histogram(x, y, 2.5, "the course's heights (built in)")
        self.hist = hist
        x, y = hist.centres, hist.density
        self.best = fit.least_squares_fit(x, y, start=self._moment_start(x, y))
        lo, hi = self._gauss_ranges()
        mus = np.linspace(lo[0], lo[1], 140)
        sigmas = np.linspace(hi[0], hi[1], 120)
        self.gauss_grid = (mus, sigmas, fit.chi_squared_grid(x, y, mus, sigmas))
        self.data_label.setText(
            f"<b>{hist.source}</b>: {len(x)} bins of {fmt(hist.width)} cm, "
            f"{int(np.count_nonzero(y))} of them non-empty, area 1.")
        if self.mode == GAUSS:
            self._show_mode()

    def _moment_start(self, x, y) -> tuple[float, float]:
        w = y / y.sum()
        mean = float(np.sum(w * x))
        return mean, float(np.sqrt(np.sum(w * (x - mean) ** 2))) or 1.0

    def _gauss_ranges(self):
        """μ 150–200, σ 2–35 cm for the course's data; around the data otherwise."""
        x, y = self.hist.centres, self.hist.density
        if self.hist.source.startswith("the course"):
            return (150.0, 200.0), (2.0, 35.0)
        mean, spread = self._moment_start(x, y)
        return (mean - 3 * spread, mean + 3 * spread), (0.15 * spread, 4.0 * spread)

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open data", "", "CSV files (*.csv *.txt)"
                                              ";;All files (*)")
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> bool:
        """Load a CSV for the current mode; on error keep the current data and say why."""
        try:
            if self.mode == GAUSS:
                hist = fit.load_data_file(path, self.bin_spin.value())
            else:
                with open(path, encoding="utf-8-sig") as fh:
                    if fh.seek(0, 2) > fit.MAX_FILE_BYTES:
                        raise fit.DataError("the file is larger than 20 MB")
                    fh.seek(0)
                    points = fit.parse_points_text(fh.read())
        except fit.DataError as exc:
            self._data_failed(f"{path.rsplit('/', 1)[-1]}: {exc}")
            return False
        except (OSError, UnicodeDecodeError) as exc:
            self._data_failed(f"cannot read {path}: {exc}")
            return False
        self.data_error.setVisible(False)
        self.stop_work()
        if self.mode == GAUSS:
            self.start = self._moment_start(hist.centres, hist.density)
            self.start = (self.start[0] - 0.5 * self.start[1], 0.6 * self.start[1])
            self.load_heights(hist)
        else:
            self.points = points
            self._show_mode()
        self.sig_status.emit(f"Loaded {path}")
        return True

    def _data_failed(self, message: str) -> None:
        self.data_error.setText(f"⚠ {message}. The current data stay.")
        self.data_error.setVisible(True)
        self.sig_status.emit("Not loaded: " + message)

    def restore_course_data(self) -> None:
        self.stop_work()
        self.data_error.setVisible(False)
        if self.mode == GAUSS:
            self.start = (155.0, 6.0)
            self.load_heights()
        else:
            self.points = fit.SAMPLE_POINTS.copy()
            self._show_mode()

    # ---- modes ---------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        self.stop_work()
        self.mode = mode
        self.mode_combo.setCurrentText(mode)
        self._show_mode()

    def _show_mode(self) -> None:
        gauss = self.mode == GAUSS
        self.data_stack.setCurrentIndex(0 if gauss else 1)
        self.map_stack.setCurrentIndex(0 if gauss else 1)
        self.turn_box.setVisible(gauss)
        self.bin_spin.setEnabled(gauss)
        self.line_hint.setVisible(not gauss)
        self.surface.axis_labels = ("μ", "σ", "log₁₀ χ²") if gauss else ("m", "c", "log₁₀ χ²")
        if gauss:
            self.aggression_spin.setDecimals(1)
            self.aggression_spin.setValue(2000)
            self.steps_spin.setValue(50)
            mus, sigmas, Z = self.gauss_grid
            self._draw_landscape(self.gauss_map, mus, sigmas, Z)
            x = self.hist.centres
            if self.hist.source.startswith("the course"):
                self.hist_plot.setXRange(130, 210, padding=0)
                self.hist_plot.setYRange(0, 0.08, padding=0)
            else:
                mean, spread = self._moment_start(x, self.hist.density)
                self.hist_plot.setXRange(mean - 4 * spread, mean + 4 * spread, padding=0)
                self.hist_plot.setYRange(0, 1.3 * self.hist.density.max(), padding=0)
            xs = np.linspace(x[0], x[-1], 2000)
            self.best_curve.setData(xs, fit.gaussian(xs, self.best[0], self.best[1]))
        else:
            self._prepare_line()
            self.data_label.setText(
                f"<b>{len(self.points)} points</b>; closed-form fit y = "
                f"{fmt(self.exact[0])} x + {fmt(self.exact[1])}. A CSV of (x, y) rows "
                "replaces them.")
        self.reset_descent()

    def _draw_landscape(self, view: ContourView, xs, ys, Z) -> None:
        logZ = np.log10(np.maximum(Z, 1e-300))
        view.set_field(xs, ys, logZ, levels=20)
        self.surface.set_surface(xs, ys, logZ)

    # ---- the line ------------------------------------------------------------------------
    def _prepare_line(self) -> None:
        x, y = self.points[:, 0], self.points[:, 1]
        m0, c0 = fit.linear_fit(x, y)
        self.exact = (m0, c0)
        dm, dc = max(1.5 * abs(m0), 1.0), max(1.5 * abs(c0), 2.0)
        ms = np.linspace(m0 - dm, m0 + dm, 120)
        cs = np.linspace(c0 - dc, c0 + dc, 120)
        X, Y = x[None, None, :], y[None, None, :]
        Z = np.sum((Y - (ms[None, :, None] * X + cs[:, None, None])) ** 2, axis=-1)
        self.line_grid = (ms, cs, Z)
        self._draw_landscape(self.line_map, ms, cs, Z)
        if not (ms[0] <= self.line_start[0] <= ms[-1] and cs[0] <= self.line_start[1] <= cs[-1]):
            self.line_start = (m0 - 0.8 * dm, c0 + 0.8 * dc)
        # A stable step: below 2 / (largest eigenvalue of the Hessian of chi^2).
        H = 2 * np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), len(x)]])
        self.aggression_spin.setDecimals(6)
        self.aggression_spin.setValue(float(f"{0.9 / np.linalg.eigvalsh(H)[-1]:.2g}"))
        self.steps_spin.setValue(60)
        xr = np.array([x.min() - 0.1 * np.ptp(x), x.max() + 0.1 * np.ptp(x)])
        self.exact_line.setData(xr, m0 * xr + c0)
        self.point_item.setData(x, y)
        pad_y = 0.15 * max(np.ptp(y), 1e-9)
        self.points_plot.setXRange(xr[0], xr[1], padding=0)
        self.points_plot.setYRange(y.min() - pad_y, y.max() + pad_y, padding=0)

    def _near_point(self, x: float, y: float) -> int | None:
        (x0, x1), (y0, y1) = self.points_vb.viewRange()
        d = np.hypot((self.points[:, 0] - x) / (x1 - x0), (self.points[:, 1] - y) / (y1 - y0))
        k = int(np.argmin(d))
        return k if d[k] < 0.03 else None

    def _on_points_click(self, x: float, y: float) -> None:
        near = self._near_point(x, y)
        if QApplication.keyboardModifiers() & Qt.ShiftModifier:
            if near is not None and len(self.points) > 2:
                self.points = np.delete(self.points, near, axis=0)
            elif near is not None:
                self.sig_status.emit("A line needs at least two points")
        elif near is None:
            self.points = np.vstack([self.points, [x, y]])
        self._points_changed()

    def _on_points_drag(self, x: float, y: float, phase: int) -> None:
        if phase == 0:
            self._drag_index = self._near_point(x, y)
        if self._drag_index is None:
            return
        self.points[self._drag_index] = (x, y)
        if np.ptp(self.points[:, 0]) == 0:
            self.points[self._drag_index, 0] += 1e-6
        self.point_item.setData(self.points[:, 0], self.points[:, 1])
        if phase == 2:
            self._drag_index = None
            self._points_changed()

    def _points_changed(self) -> None:
        self.stop_work()
        if self.mode == LINE:
            self._show_mode()

    # ---- descent -------------------------------------------------------------------------
    @Slot(float, float)
    def set_start(self, a: float, b: float) -> None:
        """Choose where the descent starts (from the map): the old path goes, and the
        data view shows the new start."""
        if self.mode == GAUSS:
            self.start = (a, max(b, 1e-3))
        else:
            self.line_start = (a, b)
        self.reset_descent()

    def _blocked(self, last) -> str | None:
        if last is not None and last.step >= self.steps_spin.value():
            return "All the steps are taken: raise Steps, or Reset"
        return None

    def _descent_run(self, last):
        steps, aggression = self.steps_spin.value(), self.aggression_spin.value()
        offset = last.step if last else 0
        if self.mode == GAUSS:
            start = last.params if last else self.start
            dmu = self.user_derivative["mu"] if self.use_mine.isChecked() else None
            dsigma = self.user_derivative["sigma"] if self.use_mine.isChecked() else None
            gen = fit.steepest_descent(*start, aggression, steps - offset,
                                       data=(self.hist.centres, self.hist.density),
                                       dmu=dmu, dsigma=dsigma)
        else:
            start = last.params if last else self.line_start
            gen = fit.line_descent(*start, aggression, steps - offset,
                                   self.points[:, 0], self.points[:, 1])
        return resumed(gen, offset) if last else gen

    def _on_cleared(self) -> None:
        self.status.setStyleSheet("")
        self.status.setText("Press Play (Space) or Step (N).")
        start = self.start if self.mode == GAUSS else self.line_start
        self._show_params(start, None)

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        last = self.path[-1]
        self._show_params(last.params, last)

    def _show_params(self, params, record: fit.FitStep | None) -> None:
        view = self.gauss_map if self.mode == GAUSS else self.line_map
        pts = np.array([r.params for r in self.path]) if self.path else np.empty((0, 2))
        view.set_path(pts[:, 0], pts[:, 1])
        view.set_point(*params)
        if len(pts):
            self.surface.set_path(pts[:, 0], pts[:, 1],
                                  np.log10(np.maximum([r.chi2 for r in self.path], 1e-300)))
        else:
            self.surface.set_path([], [], [])
        if self.mode == GAUSS:
            chi2 = self._draw_histogram(*params)
            J = fit.chi_squared_jacobian(self.hist.centres, self.hist.density, *params,
                                         *self._derivatives())
            names = ("μ", "σ")
        else:
            chi2 = self._draw_line(*params)
            J = fit.line_chi_squared_jacobian(self.points[:, 0], self.points[:, 1], *params)
            names = ("m", "c")
        self.surface.set_point(params[0], params[1], np.log10(max(chi2, 1e-300)))
        agg = self.aggression_spin.value()
        best = self.best[:2] if self.mode == GAUSS else self.exact
        best_chi2 = self.best[2] if self.mode == GAUSS else fit.line_chi_squared(
            self.points[:, 0], self.points[:, 1], *self.exact)
        step_text = f"step {record.step}" if record else "the start"
        to_go = float(np.hypot(params[0] - best[0], params[1] - best[1]))
        a, b = names
        self.numbers_label.setText(
            f"At {step_text}: {a} = <b>{fmt(params[0], 5)}</b>, {b} = <b>{fmt(params[1], 5)}"
            f"</b>, χ² = <b>{fmt(chi2)}</b><br><br>"
            f"J = [∂χ²/∂{a}, ∂χ²/∂{b}] = [{fmt(J[0])}, {fmt(J[1])}]<br>"
            f"step = −aggression · J = −{fmt(agg)} · J = "
            f"[{fmt(-agg * J[0])}, {fmt(-agg * J[1])}]<br><br>"
            f"Least-squares minimum: {a} = {fmt(best[0], 5)}, {b} = {fmt(best[1], 5)}, "
            f"χ² = {fmt(best_chi2)}<br>"
            f"Distance still to go: {fmt(to_go)}"
        )
        if record:
            self.status.setText(f"Step {record.step} of {self.steps_spin.value()}: "
                                f"χ² = {fmt(record.chi2)}")

    def _derivatives(self):
        if self.use_mine.isChecked():
            return self.user_derivative["mu"], self.user_derivative["sigma"]
        return None, None

    def _draw_histogram(self, mu: float, sigma: float) -> float:
        x, y = self.hist.centres, self.hist.density
        with np.errstate(all="ignore"):
            model = fit.gaussian(x, mu, sigma)
        overlap = np.minimum(model, y)
        w = self.hist.width
        self.bars["overlap"].setOpts(x=x, height=overlap, width=w)
        above = np.maximum(model - y, 0)
        self.bars["model"].setOpts(x=x, y0=y, height=above, width=w)
        below = np.maximum(y - model, 0)
        self.bars["data"].setOpts(x=x, y0=model, height=below, width=w)
        xs = np.linspace(x[0], x[-1], 2000)
        with np.errstate(all="ignore"):
            self.model_curve.setData(xs, fit.gaussian(xs, mu, sigma))
        chi2 = float(np.sum((y - model) ** 2))
        self.hist_plot.setTitle(f"χ² = {fmt(chi2)}   (μ = {fmt(mu, 5)} cm, σ = {fmt(sigma)} cm)",
                                size="13pt")
        return chi2

    def _draw_line(self, m: float, c: float) -> float:
        x, y = self.points[:, 0], self.points[:, 1]
        (x0, x1), _ = self.points_vb.viewRange()
        self.descent_line.setData([x0, x1], [m * x0 + c, m * x1 + c])
        fitted = m * x + c
        segs = np.empty((2 * len(x), 2))
        segs[0::2] = np.column_stack([x, y])
        segs[1::2] = np.column_stack([x, fitted])
        self.residual_item.setData(segs[:, 0], segs[:, 1], connect="pairs")
        chi2 = float(np.sum((y - fitted) ** 2))
        self.points_plot.setTitle(f"Σ residual² = χ² = {fmt(chi2)}   "
                                  f"(y = {fmt(m)} x + {fmt(c)})", size="13pt")
        return chi2

    @Slot(object, str)
    def _on_finished(self, kind: FinishKind, message: str) -> None:
        if kind in (FinishKind.DIVERGED, FinishKind.ERROR):
            self.status.setText("⚠ Stopped: " + message)
            self.status.setStyleSheet(ERROR_STYLE)
            self.sig_status.emit("The descent diverged: " + message)
        elif kind == FinishKind.DONE and self.path:
            last = self.path[-1]
            self.status.setText(f"Done: {last.step} steps, χ² = {fmt(last.chi2)} "
                                f"(from {fmt(self.path[0].chi2)})")

    # ---- your turn -----------------------------------------------------------------------
    @Slot()
    def check_user_derivative(self) -> fit.DerivativeCheck | None:
        which = "mu" if self.which_combo.currentIndex() == 0 else "sigma"
        text = self.derivative_edit.text().replace("μ", "mu").replace("σ", "sigma")
        try:
            function = parse_function(text, variables=("x", "mu", "sigma"))
        except ExpressionError as exc:
            self.verdict_label.setText(f"<span style='color:{theme.ERROR_HEX}'>⚠ {exc}</span>")
            return None
        result = fit.check_derivative(function, which)
        colour = theme.GOOD_HEX if result.ok else theme.ERROR_HEX
        self.verdict_label.setText(f"<span style='color:{colour}'><b>"
                                   f"{'✓' if result.ok else '✗'}</b> {result.message}</span>")
        self.user_derivative[which] = function
        if self.use_mine.isChecked():
            self.reset_descent()
        return result

    # ---- screenshot demo -----------------------------------------------------------------
    def run_demo(self) -> None:
        self.ensure_built()
        self.set_mode(GAUSS)
        self.restore_course_data()
        self.run.run_to_end(30)
        self.surface.view and self.surface.view.setCameraPosition(azimuth=-120, elevation=35)
