"""The Gradients tab: f(x, y) as a 3D surface and a contour map, the gradient and Hessian
at a point, and gradient descent from it."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core.calculus import (
    classify_critical_point,
    find_stationary_point,
    gradient_descent,
    resumed,
)
from mlcalc_gui.core.expressions import ExpressionError, Function, parse_function
from mlcalc_gui.core.runner import FinishKind
from mlcalc_gui.core.surfaces import PRESETS, Preset, sample_grid
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.run.controller import RunTabMixin
from mlcalc_gui.gui.tab_base import (
    ERROR_STYLE,
    TutorTab,
    error_label,
    note_label,
    panel_column,
    process_events_until,
    titled,
)
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.contour_view import ContourView
from mlcalc_gui.gui.widgets.formula_view import FormulaLabel, pretty_equation, substituted
from mlcalc_gui.gui.widgets.playback import PlaybackBar
from mlcalc_gui.gui.widgets.surface_view import SurfaceView

GRID_2D = 200  # contour-map resolution
GRID_3D = 70  # surface mesh resolution (normals are recomputed on every change)
FIELD = 15  # arrows per side of the gradient field

EXPLANATION = f"""
<p>The <b>gradient</b> ∇f = (∂f/∂x, ∂f/∂y) points
<span style="color:{theme.UPHILL_HEX}"><b>uphill</b></span>,
the way f grows fastest; its length is how steep that is. Its negative points
<span style="color:{theme.DOWNHILL_HEX}"><b>downhill</b></span>. On the map the gradient
always crosses the
contour lines at right angles.</p>
<p><b>Click or drag on the map</b> to move the point. Where ∇f = 0 the <b>Hessian</b>
(the matrix of second derivatives) tells a minimum (both eigenvalues &gt; 0) from a maximum
(both &lt; 0) or a saddle (one of each).</p>
<p><b>Gradient descent</b> repeats x ← x − η∇f(x): press <b>Play</b> (Space) or <b>Step</b> (N).
Too large a learning rate η overshoots and diverges.</p>
"""


class GradientsTab(RunTabMixin, TutorTab):
    title = "Gradients"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.function: Function | None = None
        self.domain: tuple[float, float, float, float] = (-2.0, 2.0, -2.0, 2.0)
        self.start: tuple[float, float] = (1.0, 1.0)  # where the learner put the point
        self.point: tuple[float, float] = self.start  # the point shown: the start, or a step
        self.verdict = ""  # the Hessian's verdict at the point, once it is defined
        self._preset: Preset = PRESETS[0]

    # ---- layout --------------------------------------------------------------------------
    def build(self) -> None:
        panel = self._build_panel()
        self.install_run(self._descent_run, self._blocked)
        right = QSplitter(Qt.Vertical)
        views = QSplitter(Qt.Horizontal)
        self.surface = SurfaceView(axis_labels=("x", "y", "f"))
        self.contour = ContourView(labels=("x", "y"))
        self.contour.sig_point_moved.connect(self.set_point)
        views.addWidget(titled(self.surface, "Surface z = f(x, y) — drag to rotate"))
        views.addWidget(titled(self.contour, "Contour map — click or drag to move the point"))
        views.setSizes([500, 500])
        right.addWidget(views)
        self.value_plot = pg.PlotWidget()
        theme.style_plot(self.value_plot.getPlotItem(), 10)
        self.value_plot.setLabel("bottom", "step")
        self.value_plot.setLabel("left", "f")
        self.value_plot.setTitle("f along the descent path", size="11pt")
        self.value_plot.setMenuEnabled(False)
        self.value_curve = self.value_plot.plot([], [], pen=theme.mkpen(theme.PATH, 2.5),
                                                symbol="o", symbolSize=5,
                                                symbolBrush=theme.PATH, symbolPen=None)
        right.addWidget(self.value_plot)
        right.setSizes([700, 200])
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        self.set_main_layout(panel, right, 390)
        self.playback.install_shortcuts(self)
        # Parse the first function once the window is up: sympy loads lazily.
        self.call_after_first_paint(lambda: self.apply_preset(self._preset))

    def _build_panel(self) -> QWidget:
        panel, layout = panel_column(EXPLANATION)

        # -- the function
        box = QGroupBox("The function f(x, y)")
        form = QVBoxLayout(box)
        self.preset_combo = QComboBox()
        for preset in PRESETS:
            self.preset_combo.addItem(preset.name)
        self.preset_combo.addItem("Your own…")
        self.preset_combo.setToolTip("Choose a classic surface, or type your own below")
        self.preset_combo.activated.connect(self._on_preset_chosen)
        form.addWidget(self.preset_combo)
        row = QHBoxLayout()
        label = QLabel("f(x, y) =")
        self.expr_edit = QLineEdit()
        self.expr_edit.setPlaceholderText("e.g. x^2 - y^2, sin(x) exp(-y^2), 2x y")
        self.expr_edit.setToolTip(
            "Write maths as usual: ^ for powers, 2x y for products; sin cos tan exp log sqrt "
            "abs tanh sigmoid …, pi and e. Press Enter to draw it."
        )
        self.expr_edit.returnPressed.connect(self.apply_text)
        label.setBuddy(self.expr_edit)
        draw = QPushButton("Draw")
        draw.setToolTip("Draw the typed function (Enter)")
        draw.clicked.connect(self.apply_text)
        row.addWidget(label)
        row.addWidget(self.expr_edit, 1)
        row.addWidget(draw)
        form.addLayout(row)
        self.expr_error = error_label()
        form.addWidget(self.expr_error)
        dom = QGridLayout()
        self.domain_spins = []
        for i, name in enumerate(("x from", "to", "y from", "to")):
            spin = QDoubleSpinBox()
            spin.setRange(-1e4, 1e4)
            spin.setDecimals(2)
            spin.setSingleStep(0.5)
            spin.setKeyboardTracking(False)
            spin.setToolTip("The domain drawn; press Enter or leave the box to apply")
            spin.editingFinished.connect(self.apply_domain)
            lab = QLabel(name)
            lab.setBuddy(spin)
            dom.addWidget(lab, i // 2, (i % 2) * 2)
            dom.addWidget(spin, i // 2, (i % 2) * 2 + 1)
            self.domain_spins.append(spin)
        form.addLayout(dom)
        self.preset_note = note_label()
        form.addWidget(self.preset_note)
        layout.addWidget(box)

        # -- at the point
        box = QGroupBox("At the point")
        grid = QFormLayout(box)
        self.readouts: dict[str, QLabel] = {}
        rows = [("point", "(x, y)"), ("f", "f"), ("fx", "∂f/∂x"), ("fy", "∂f/∂y"),
                ("norm", "|∇f|"), ("angle", "direction of ∇f")]
        for key, text in rows:
            value = QLabel("—")
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            value.setStyleSheet("font-size: 12pt;")
            self.readouts[key] = value
            grid.addRow(QLabel(text), value)
        legend = QLabel(
            f"<span style='color:rgb{theme.UPHILL}'>■</span> ∇f uphill &nbsp; "
            f"<span style='color:rgb{theme.DOWNHILL}'>■</span> −∇f downhill &nbsp; "
            f"<span style='color:rgb{theme.PATH}'>■</span> descent path"
        )
        grid.addRow(legend)
        self.show_plane = QCheckBox("Tangent plane in 3D")
        self.show_plane.setChecked(True)
        self.show_plane.setToolTip("The plane z = f + ∂f/∂x·Δx + ∂f/∂y·Δy that touches f here")
        self.show_field = QCheckBox("Gradient field on the map")
        self.show_field.setChecked(True)
        self.show_field.setToolTip("Arrows of ∇f across the map: longer means steeper")
        self.show_plane.toggled.connect(lambda: self._update_point_views())
        self.show_field.toggled.connect(lambda: self._draw_field())
        grid.addRow(self.show_plane)
        grid.addRow(self.show_field)
        layout.addWidget(box)

        # -- Hessian
        box = QGroupBox("Hessian and verdict")
        hv = QVBoxLayout(box)
        self.hessian_label = QLabel("—")
        self.hessian_label.setTextFormat(Qt.RichText)
        self.hessian_label.setStyleSheet("font-size: 12pt;")
        self.verdict_label = QLabel("—")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextFormat(Qt.RichText)
        self.newton_button = QPushButton("Jump to the nearest stationary point")
        self.newton_button.setToolTip(
            "Newton's method on ∇f = 0 from here: finds a minimum, maximum or saddle (J)"
        )
        self.newton_button.setShortcut("J")
        self.newton_button.clicked.connect(self.jump_to_stationary)
        hv.addWidget(self.hessian_label)
        hv.addWidget(self.verdict_label)
        hv.addWidget(self.newton_button)
        layout.addWidget(box)

        # -- descent
        box = QGroupBox("Gradient descent from the point")
        dv = QVBoxLayout(box)
        form = QFormLayout()
        self.rate_spin = QDoubleSpinBox()
        self.rate_spin.setDecimals(4)
        self.rate_spin.setRange(0.0001, 10.0)
        self.rate_spin.setSingleStep(0.01)
        self.rate_spin.setToolTip("The learning rate η in x ← x − η∇f(x)")
        self.rate_spin.valueChanged.connect(self._on_rate_changed)
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(1, 100000)
        self.steps_spin.setValue(300)
        self.steps_spin.setToolTip("The most steps one run takes")
        form.addRow("Learning rate η", self.rate_spin)
        form.addRow("Steps at most", self.steps_spin)
        dv.addLayout(form)
        self.playback = PlaybackBar(speeds=(1, 2, 5, 10, 20, 50, 100, 0), default_speed=4,
                                    unit="steps")
        dv.addWidget(self.playback)
        self.descent_status = QLabel("Press Play to descend from the point.")
        self.descent_status.setWordWrap(True)
        dv.addWidget(self.descent_status)
        layout.addWidget(box)

        # -- formulas
        box = QGroupBox("Formulas")
        fv = QVBoxLayout(box)
        self.formula = FormulaLabel()
        fscroll = QScrollArea()
        fscroll.setWidget(self.formula)
        fscroll.setWidgetResizable(True)
        fscroll.setMinimumHeight(230)
        fv.addWidget(fscroll)
        copy = QPushButton("Copy as LaTeX")
        copy.setToolTip("Copy f and its partial derivatives as LaTeX, for notes or slides")
        copy.clicked.connect(self.copy_latex)
        fv.addWidget(copy)
        layout.addWidget(box)
        layout.addStretch(1)
        return panel

    # ---- the function --------------------------------------------------------------------
    def _on_preset_chosen(self, index: int) -> None:
        if index < len(PRESETS):
            self.apply_preset(PRESETS[index])
        else:
            self.expr_edit.setFocus()
            self.expr_edit.selectAll()

    def apply_preset(self, preset: Preset) -> None:
        self.stop_work()
        self._preset = preset
        self.preset_combo.setCurrentIndex(PRESETS.index(preset))
        self.expr_edit.setText(preset.text)
        self.preset_note.setText(preset.note)
        self._set_domain_spins(preset.domain)
        self.rate_spin.blockSignals(True)
        self.rate_spin.setValue(preset.learning_rate)
        self.rate_spin.blockSignals(False)
        if self.apply_text(point=preset.start):
            self.domain = tuple(float(v) for v in preset.domain)

    def _set_domain_spins(self, domain) -> None:
        for spin, value in zip(self.domain_spins, domain, strict=True):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)

    @Slot()
    def apply_text(self, point: tuple[float, float] | None = None) -> bool:
        """Parse the typed function and draw it; on error keep the previous one."""
        text = self.expr_edit.text()
        try:
            function = parse_function(text)
            domain = self._read_domain()
            xs, ys, Z = sample_grid(function, domain, GRID_2D)
        except ExpressionError as exc:
            self._show_error(str(exc), exc.position)
            return False
        if not np.isfinite(Z).any():
            self._show_error("f is undefined everywhere on this domain (for example log of a "
                             "negative number): change the function or the domain", None)
            return False
        self.stop_work()
        self.expr_error.setVisible(False)
        self.expr_edit.setStyleSheet("")
        if function.text != self._preset.text:
            self.preset_combo.setCurrentIndex(len(PRESETS))
            self.preset_note.setText("")
        self.function = function
        self.domain = domain
        self._draw_landscape(xs, ys, Z)
        if point is None or not self._inside(point):
            point = self.start if self._inside(self.start) else (
                (domain[0] + domain[1]) / 2 + 0.17 * (domain[1] - domain[0]),
                (domain[2] + domain[3]) / 2 + 0.11 * (domain[3] - domain[2]))
        self.set_point(*point)
        self.sig_status.emit(f"Drawing f(x, y) = {text}")
        return True

    def _read_domain(self) -> tuple[float, float, float, float]:
        x0, x1, y0, y1 = (s.value() for s in self.domain_spins)
        if not (x1 > x0 and y1 > y0):
            raise ExpressionError("the domain needs 'from' smaller than 'to' for x and y")
        return (x0, x1, y0, y1)

    def _show_error(self, message: str, position: int | None) -> None:
        self.expr_error.setText("⚠ " + message)
        self.expr_error.setVisible(True)
        self.expr_edit.setStyleSheet(theme.INPUT_ERROR_STYLE)
        if position is not None:
            self.expr_edit.setCursorPosition(position)
        self.sig_status.emit("Not drawn: " + message)

    @Slot()
    def apply_domain(self) -> None:
        if self.function is not None and tuple(s.value() for s in self.domain_spins) != self.domain:
            self.apply_text(point=self.start)

    def _inside(self, point) -> bool:
        x0, x1, y0, y1 = self.domain
        return x0 <= point[0] <= x1 and y0 <= point[1] <= y1

    def _draw_landscape(self, xs, ys, Z) -> None:
        finite = Z[np.isfinite(Z)]
        lo, hi = float(finite.min()), float(np.percentile(finite, 99.5))
        if not hi > lo:
            hi = lo + 1.0
        self._zlim = (lo, hi)
        self.contour.set_field(xs, ys, Z, levels=20, zlim=(lo, hi))
        xs3, ys3, Z3 = sample_grid(self.function, self.domain, GRID_3D)
        self.surface.set_surface(xs3, ys3, Z3, zlim=(lo, hi))
        self._draw_field()
        self._show_formulas()

    def _draw_field(self) -> None:
        if self.function is None:
            return
        if not self.show_field.isChecked():
            self.contour.clear_arrow_field()
            return
        x0, x1, y0, y1 = self.domain
        cell = min(x1 - x0, y1 - y0) / FIELD
        xs = np.linspace(x0 + cell / 2, x1 - cell / 2, FIELD)
        ys = np.linspace(y0 + cell / 2, y1 - cell / 2, FIELD)
        X, Y = np.meshgrid(xs, ys)
        U, V = (np.asarray(g, dtype=float) for g in self.function.gradient(X, Y))
        mag = np.hypot(U, V)
        finite = mag[np.isfinite(mag)]
        scale = np.percentile(finite, 90) if finite.size else 1.0
        if not scale > 0:
            self.contour.clear_arrow_field()
            return
        # Longer means steeper, but capped so arrows never cover each other.
        length = 0.85 * cell * np.minimum(mag / scale, 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            U, V = U / mag * length, V / mag * length
        self.contour.set_arrow_field(X, Y, U, V)

    # ---- the point -----------------------------------------------------------------------
    @Slot(float, float)
    def set_point(self, x: float, y: float) -> None:
        """The learner puts the point here: the old path goes, and the next descent
        starts from here."""
        self.start = (float(x), float(y))
        self.run.reset()  # draws the point through _on_cleared

    def _show_point(self, point: tuple[float, float]) -> None:
        """Show ``point`` (the start, or the descent's latest step) and its readouts."""
        self.point = point
        if self.function is None:
            return
        self.contour.set_point(*point)
        self._update_point_views()

    def _update_point_views(self) -> None:
        f = self.function
        if f is None:
            return
        x, y = self.point
        value = float(f(x, y))
        gx, gy = (float(v) for v in f.gradient(x, y))
        H = np.asarray(f.hessian(x, y), dtype=float)
        r = self.readouts
        r["point"].setText(f"({fmt(x)}, {fmt(y)})")
        r["f"].setText(fmt(value))
        r["fx"].setText(fmt(gx))
        r["fy"].setText(fmt(gy))
        norm = math.hypot(gx, gy)
        r["norm"].setText(fmt(norm))
        # At a stationary point the direction of a round-off-sized gradient means nothing.
        stationary = self._is_stationary(H, (gx, gy))
        r["angle"].setText("— (∇f ≈ 0)" if stationary or norm == 0 else
                           f"{math.degrees(math.atan2(gy, gx)):.1f}° from the x axis")
        x0, x1, y0, y1 = self.domain
        length = 0.12 * min(x1 - x0, y1 - y0)
        ax, ay = (0.0, 0.0) if stationary else (gx, gy)
        self.contour.set_point_arrows(x, y, ax, ay, length)
        if math.isfinite(value):
            self.surface.set_point(x, y, value)
            self.surface.set_gradient_arrows(x, y, value, ax, ay, length)
            if self.show_plane.isChecked() and math.isfinite(gx) and math.isfinite(gy):
                self.surface.set_tangent_plane(x, y, value, gx, gy,
                                               (0.12 * (x1 - x0), 0.12 * (y1 - y0)))
            else:
                self.surface._remove("plane")
        self._show_hessian(H, (gx, gy))
        self._show_formulas()

    @staticmethod
    def _is_stationary(H: np.ndarray, g: tuple[float, float]) -> bool:
        return bool(np.all(np.isfinite(H))) and classify_critical_point(
            H, g, tol=1e-6) != "not stationary"

    def _show_hessian(self, H: np.ndarray, g: tuple[float, float]) -> None:
        if not np.all(np.isfinite(H)):
            self.hessian_label.setText("H is undefined here")
            self.verdict_label.setText("")
            self.verdict = ""
            return
        eig = np.linalg.eigvalsh(H)
        self.hessian_label.setText(
            "<table cellspacing=4><tr><td rowspan=2 style='font-size:22pt'>H =</td>"
            f"<td>⎡ {fmt(H[0, 0])}</td><td>{fmt(H[0, 1])} ⎤</td></tr>"
            f"<tr><td>⎣ {fmt(H[1, 0])}</td><td>{fmt(H[1, 1])} ⎦</td></tr></table>"
            f"eigenvalues λ₁ = {fmt(eig[0])}, λ₂ = {fmt(eig[1])}<br>"
            f"det H = {fmt(float(np.linalg.det(H)))}"
        )
        verdict = classify_critical_point(H, g, tol=1e-6)
        colours = theme.VERDICT_HEX
        texts = {
            "minimum": "∇f = 0 and both eigenvalues are positive: a <b>minimum</b>.",
            "maximum": "∇f = 0 and both eigenvalues are negative: a <b>maximum</b>.",
            "saddle": "∇f = 0 and the eigenvalues have opposite signs: a <b>saddle</b>.",
            "inconclusive": "∇f = 0 but an eigenvalue is zero: the second-derivative test "
                            "is <b>inconclusive</b>.",
        }
        if verdict == "not stationary":
            shape = ("curves up in every direction" if eig[0] > 0 else
                     "curves down in every direction" if eig[1] < 0 else
                     "curves up one way and down another")
            self.verdict_label.setText(
                f"∇f ≠ 0 here, so this is not a stationary point. Here f {shape}. "
                "Press <i>Jump</i> to find a stationary point."
            )
        else:
            self.verdict_label.setText(
                f"<span style='color:{colours[verdict]}; font-size:13pt'>{texts[verdict]}</span>"
            )
        self.verdict = verdict

    def _show_formulas(self) -> None:
        f = self.function
        if f is None:
            return
        x, y = self.point
        parts = [pretty_equation("f(x, y)", f.expr)]
        for name, expr, value in zip(("∂f/∂x", "∂f/∂y"), f.partials, f.gradient(x, y),
                                     strict=True):
            parts.append(pretty_equation(name, expr))
            if expr.free_symbols:
                sub = substituted(expr, f.symbols, (x, y))
                parts.append(pretty_equation(" " * len(name), sub, f" = {fmt(float(value))}"))
        parts.append(f"at (x, y) = ({fmt(x)}, {fmt(y)})")
        self.formula.setText("\n\n".join(parts))

    def copy_latex(self) -> None:
        f = self.function
        if f is None:
            return
        fx, fy = f.partial_latex()
        text = (f"f(x, y) = {f.latex}\n"
                f"\\frac{{\\partial f}}{{\\partial x}} = {fx}\n"
                f"\\frac{{\\partial f}}{{\\partial y}} = {fy}")
        QApplication.clipboard().setText(text)
        self.sig_status.emit("Copied f and its partial derivatives as LaTeX")

    @Slot()
    def jump_to_stationary(self) -> None:
        if self.function is None:
            return
        found = find_stationary_point(self.function, self.point)
        if found is None or not self._inside(found):
            self.sig_status.emit("Newton's method found no stationary point near here "
                                 "inside the domain; try another point")
            return
        self.set_point(float(found[0]), float(found[1]))
        self.sig_status.emit(f"Stationary point at ({fmt(found[0])}, {fmt(found[1])}): "
                             f"{self.verdict}")

    # ---- descent -------------------------------------------------------------------------
    def _blocked(self, last) -> str | None:
        return "Type a function first" if self.function is None else None

    def _descent_run(self, last):
        start = last.point if last else self.start
        gen = gradient_descent(self.function, start, self.rate_spin.value(),
                               steps=self.steps_spin.value())
        return resumed(gen, last.step) if last else gen

    def _on_cleared(self) -> None:
        self.contour.set_path([], [])
        self.surface.set_path([], [], [])
        self.value_curve.setData([], [])
        self.descent_status.setText("Press Play (Space) to descend from the point, "
                                    "or Step (N) one step at a time.")
        self.descent_status.setStyleSheet("")
        self._show_point(self.start)

    def _on_rate_changed(self) -> None:
        self.run.restart()  # a new learning rate continues the same path from where it is

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        pts = np.array([r.point for r in self.path])
        values = np.array([r.value for r in self.path])
        self.contour.set_path(pts[:, 0], pts[:, 1])
        self.surface.set_path(pts[:, 0], pts[:, 1], values)
        self.value_curve.setData([r.step for r in self.path], values)
        last = self.path[-1]
        self._show_point(last.point)
        self.descent_status.setStyleSheet("")
        self.descent_status.setText(
            f"Step {last.step}: f = {fmt(last.value)}, |∇f| = {fmt(last.gradient_norm)}"
        )

    @Slot(object, str)
    def _on_finished(self, kind: FinishKind, message: str) -> None:
        if kind == FinishKind.DIVERGED:
            self.descent_status.setText("⚠ Diverged: " + message)
            self.descent_status.setStyleSheet(ERROR_STYLE)
            self.sig_status.emit("Gradient descent diverged: " + message)
        elif kind == FinishKind.ERROR:
            self.descent_status.setText("⚠ " + message)
            self.descent_status.setStyleSheet(ERROR_STYLE)
        elif kind == FinishKind.DONE and self.path:
            last = self.path[-1]
            why = ("the gradient vanished: converged" if last.gradient_norm < 1e-9
                   else "reached the step limit")
            self.descent_status.setText(
                f"Stopped at step {last.step} ({why}): f = {fmt(last.value)} at "
                f"({fmt(last.point[0])}, {fmt(last.point[1])})"
            )

    # ---- screenshot demo -----------------------------------------------------------------
    def run_demo(self) -> None:
        self.ensure_built()
        process_events_until(lambda: self.function is not None, 10)
        self.apply_preset(PRESETS[4])  # Himmelblau: four minima, a curving path
        self.set_point(-0.4, -3.6)
        self.steps_spin.setValue(6)  # stop mid-way, where the arrows and plane say most
        self.run.run_to_end(10)
