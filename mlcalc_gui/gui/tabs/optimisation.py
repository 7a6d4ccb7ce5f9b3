"""The Optimisation tab (week 5), in three views.

* **Newton-Raphson**: f(x) with the start x0 dragged on the plot, each step drawn as its
  tangent down to the axis, a table of the iterates, and under the plot a strip over the
  x axis coloured by where a start there ends: which root, a cycle, a run away.
* **Descent compared**: steepest descent, Newton, the course's hybrid and momentum race
  from one start on one surface, each path in its own colour, dash and symbol.
* **Lagrange multipliers**: f's contours with the constraint g = 0; the learner drags a
  point along it and sees ∇f and ∇g, the angle between them and f against the arc
  length; the solutions are marked with λ, and moving the constraint to g = c shows λ
  as the price d f*/d c.
"""

from __future__ import annotations

import math
from itertools import islice

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGraphicsItem,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import optimisation as op
from mlcalc_gui.core.calculus import usable_with, why_undrawable
from mlcalc_gui.core.contours import contour_segments, graph_range
from mlcalc_gui.core.expressions import ExpressionError, Function, parse_function
from mlcalc_gui.core.numbers import subscript
from mlcalc_gui.core.states import OptimisationState
from mlcalc_gui.core.surfaces import sample_grid
from mlcalc_gui.gui import scale as ui_scale
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.tab import (
    Shortcut,
    TutorTab,
    error_label,
    panel_column,
    playback_shortcuts,
)
from mlcalc_gui.gui.panels.function_input import FunctionInput
from mlcalc_gui.gui.panels.landscape import Landscape
from mlcalc_gui.gui.panels.plots import (
    follow_x_range,
    legend,
    path_item,
    pointer_plot,
    teaching_plot,
    thin_labels,
)
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.run.controller import RunTabMixin
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.contour_view import arrow_segments
from mlcalc_gui.gui.widgets.playback import PlaybackBar

VIEWS = ("newton", "descent", "lagrange")
VIEW_TITLES = ("Newton-Raphson", "Descent compared", "Lagrange multipliers")
VIEW_SPEEDS = {"newton": 1, "descent": 5, "lagrange": 4}  # 2, 50 and 20 a second
SAMPLES = 801  # points along f(x)
STARTS = 2000  # starts in the basin strip
GRID_2D, GRID_3D = 160, 60
LABELLED = 8  # iterates named x₀, x₁, … on the plot
ARROW_PX = 90  # the least length of ∇f on the map, in pixels at normal text size

#: Each method's colour, dash and symbol (two cues besides the hue) and its names.
METHOD_STYLES = {
    "descent": (theme.SKY, Qt.DashLine, "t", "Steepest descent", "blue dashes, triangles"),
    "newton": (theme.PURPLE, Qt.DotLine, "d", "Newton", "pink dots, diamonds"),
    "hybrid": (theme.GREEN, Qt.SolidLine, "p", "The course's hybrid", "green line, pentagons"),
    "momentum": (theme.ORANGE, Qt.DashDotLine, "s", "Momentum", "orange dash-dots, squares"),
}
#: The roots' colours in the strip and on the plot; then a cycle, a run away, a flat
#: tangent and a start still wandering.
ROOT_COLOURS = (theme.BLUE, theme.VERMILLION, theme.GREEN, theme.PURPLE, theme.SKY,
                theme.ORANGE)
OTHER_COLOURS = {op.Basins.CYCLE: (20, 20, 20), op.Basins.DIVERGED: (235, 235, 235),
                 op.Basins.ZERO_SLOPE: (20, 20, 20), op.Basins.UNDECIDED: (150, 150, 150)}

EXPLANATIONS = {
    "newton": """
<p><b>Newton-Raphson</b> finds a root of f: from x<sub>n</sub> follow the tangent down to
the axis, x<sub>n+1</sub> = x<sub>n</sub> − f(x<sub>n</sub>)/f′(x<sub>n</sub>), and repeat.
Near a root the correct digits double at every step.</p>
<p><b>Drag on the graph</b> (or [ and ]) to move the start x<sub>0</sub>; <b>Play</b>
(Space) or <b>Step</b> (N) draws the tangents one by one.</p>
<p>It can fail: where f′ = 0 the tangent is flat and never meets the axis; some starts
<b>cycle</b>, some <b>run away</b>. The strip under the plot colours every start by where
it ends: the real-line picture of Newton's basins.</p>
""",
    "descent": """
<p>Four ways down one surface, from the same start (drag it on the map):
<b>steepest descent</b> steps −η∇f; <b>Newton</b> steps −H<sup>−1</sup>∇f, to where the
quadratic model is flat, which may be a saddle or a maximum; the course's <b>hybrid</b>
takes Newton's step only when it goes down, else −½∇f; <b>momentum</b> keeps a velocity,
v ← βv − η∇f.</p>
<p>In Rosenbrock's valley steepest descent zig-zags and crawls; Newton follows the
valley in a few steps. <b>Play</b> (Space) races them; the plot below compares f.</p>
""",
    "lagrange": """
<p>To find the best f(x, y) on a curve g(x, y) = 0, look where the contour of f just
touches the curve: there <b>∇f is parallel to ∇g</b>, ∇f = λ∇g. λ is the
<b>Lagrange multiplier</b>.</p>
<p><b>Drag the point along the constraint</b> (or [ and ]; Play walks it round).
The arrows are ∇f (red) and ∇g (blue, dashed): where the angle between them is 0° or
180°, f along the curve (plot below) is flat, and that is a candidate. G jumps to the
best one.</p>
<p>λ is also a <b>price</b>: move the constraint to g = c and the best f changes by about
λ·c.</p>
""",
}


def _rgb(rgb, alpha: float = 1.0) -> tuple[float, float, float, float]:
    return (rgb[0] / 255, rgb[1] / 255, rgb[2] / 255, alpha)


def _labelled_text(color=theme.TEXT, size: int = 11) -> pg.TextItem:
    item = pg.TextItem(color=color, anchor=(0.5, 1.2))
    font = item.textItem.font()
    font.setPointSize(size)
    item.setFont(font)
    item.setZValue(30)
    return item


def _number(i: int) -> str:
    """The label of the i-th solution on the map and in its list: ① … ⑨, then 10, 11…"""
    return "①②③④⑤⑥⑦⑧⑨"[i] if i < 9 else str(i + 1)


class LinesBox(QPlainTextEdit):
    """Read-only plain text, exactly ``lines`` lines high at the current font: numbers
    that change on every drag, without laying the panel out again."""

    def __init__(self, lines: int):
        super().__init__()
        self.lines = lines
        self.setReadOnly(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.NoFocus)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        height = self.fontMetrics().lineSpacing() * self.lines + 12
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(100, self.sizeHint().height())


class OptimisationTab(RunTabMixin, TutorTab):
    title = "Optimisation"
    State = OptimisationState
    shortcuts = (*playback_shortcuts(),
                 Shortcut("V", "next view: Newton, descent, Lagrange", lambda tab: tab.next_view()),
                 Shortcut("]", "move x0 (or the point on the constraint) right / along",
                          lambda tab: tab.nudge_forward()),
                 Shortcut("[", "move x0 (or the point on the constraint) left / back",
                          lambda tab: tab.nudge_back()),
                 Shortcut("G", "the point to the best solution on the constraint",
                          lambda tab: tab.go_to_solution()))
    restore_after_paint = True  # the first parse imports sympy
    IDLE_TEXT = "Play (Space) runs from the start; Step (N) takes one step."

    def __init__(self, parent=None):
        super().__init__(parent)
        # Newton-Raphson
        self.nfunction: Function | None = None
        self.ndomain: tuple[float, float] = (-4.5, 4.5)
        self.x0 = 3.1
        self.basins: op.Basins | None = None
        # the race
        self.surface: Function | None = None
        self.sdomain: tuple[float, float, float, float] = (-2, 2, -1, 3)
        self.start = (-1.2, 1.0)
        # Lagrange
        self.objective: Function | None = None
        self.constraint: Function | None = None
        self.ldomain: tuple[float, float, float, float] = (-1.5, 1.5, -2.2, 0.4)
        self.point = (0.9, -1.2)  # where the learner asked for the point
        self.curves: list[op.Curve] = []
        self.here: op.CurvePoint | None = None  # the point on the curve shown
        self._piece = 0  # which piece of the curve the point is on
        self.solutions: list[op.LagrangePoint] = []
        self.price: op.Price | None = None
        self._gz = np.zeros((0, 0))
        self._log_values = False
        self._walk_from: tuple[float, float] | None = None  # where Play started a walk

    @property
    def view(self) -> str:
        return VIEWS[self.view_tabs.currentIndex()]

    # ---- layout --------------------------------------------------------------------------
    def build(self) -> None:
        panel = self._build_panel()
        views = self._build_views()
        self.set_main_layout(panel, views, 400)
        self.install_run(self._make_run, self._blocked, self.run_label)
        self.basin_task = BackgroundTask(self)
        self.basin_task.sig_done.connect(self._on_basins)
        self.lagrange_task = BackgroundTask(self)
        self.lagrange_task.sig_done.connect(self._on_solutions)
        self.lagrange_task.sig_progress.connect(self._on_search_progress)
        self.lagrange_task.sig_failed.connect(
            lambda _, why: self._say_lagrange(f"⚠ The search failed: {why}"))

    def _build_panel(self) -> QWidget:
        panel, layout = panel_column(EXPLANATIONS["newton"])
        self.explanation = layout.itemAt(0).widget()
        self.pages = QStackedWidget()
        self.pages.addWidget(self._newton_page())
        self.pages.addWidget(self._descent_page())
        self.pages.addWidget(self._lagrange_page())
        layout.addWidget(self.pages)
        box = QGroupBox("Run")
        v = QVBoxLayout(box)
        self.playback = PlaybackBar(speeds=(1, 2, 5, 10, 20, 50, 0), default_speed=1)
        v.addWidget(self.playback)
        self.run_label = QLabel()
        self.run_label.setWordWrap(True)
        v.addWidget(self.run_label)
        layout.addWidget(box)
        layout.addStretch(1)
        return panel

    def _newton_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.ninput = FunctionInput(op.NEWTON_PRESETS, variables=("x",),
                                    check=usable_with(1),
                                    placeholder="e.g. x^3 - 2x + 2, cos x - x, atan x")
        self.ninput.sig_applied.connect(self._on_newton_function)
        self.ninput.sig_preset.connect(self.apply_newton_preset)
        self.ninput.sig_status.connect(self.sig_status)
        v.addWidget(self.ninput)
        box = QGroupBox("The start and the steps")
        form = QFormLayout(box)
        self.x0_spin = QDoubleSpinBox()
        self.x0_spin.setDecimals(4)
        self.x0_spin.setRange(-1e4, 1e4)
        self.x0_spin.setSingleStep(0.05)
        self.x0_spin.setKeyboardTracking(False)
        self.x0_spin.setToolTip("Where Newton starts (drag on the graph; [ and ] nudge it)")
        self.x0_spin.valueChanged.connect(self.set_x0)
        form.addRow("x₀ =", self.x0_spin)
        self.nsteps_spin = QSpinBox()
        self.nsteps_spin.setRange(1, 200)
        self.nsteps_spin.setValue(50)
        self.nsteps_spin.setToolTip("The most steps one run takes")
        self.nsteps_spin.valueChanged.connect(lambda _: self.run.reset())
        form.addRow("Steps at most", self.nsteps_spin)
        v.addWidget(box)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["n", "xₙ", "f(xₙ)", "f′(xₙ)", "xₙ₊₁"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.table.setMinimumHeight(160)
        self.table.setToolTip("Newton's iterates: each row is one tangent")
        v.addWidget(self.table)
        self.basin_note = QLabel()
        self.basin_note.setWordWrap(True)
        self.basin_note.setTextFormat(Qt.RichText)  # numbers and our own words only
        v.addWidget(self.basin_note)
        return page

    def _descent_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.sinput = FunctionInput(op.SURFACE_PRESETS, check=usable_with(2))
        self.sinput.sig_applied.connect(self._on_surface)
        self.sinput.sig_preset.connect(self.apply_surface_preset)
        self.sinput.sig_status.connect(self.sig_status)
        v.addWidget(self.sinput)
        box = QGroupBox("The race (drag the start on the map)")
        form = QFormLayout(box)
        self.rate_spin = QDoubleSpinBox()
        self.rate_spin.setDecimals(5)
        self.rate_spin.setRange(1e-5, 10.0)
        self.rate_spin.setSingleStep(0.001)
        self.rate_spin.setKeyboardTracking(False)
        self.rate_spin.setToolTip("The learning rate η of steepest descent and momentum")
        form.addRow("Learning rate η", self.rate_spin)
        self.momentum_spin = QDoubleSpinBox()
        self.momentum_spin.setDecimals(3)
        self.momentum_spin.setRange(0.0, 0.999)
        self.momentum_spin.setSingleStep(0.05)
        self.momentum_spin.setValue(0.9)
        self.momentum_spin.setKeyboardTracking(False)
        self.momentum_spin.setToolTip("β in v ← βv − η∇f: how much of the last step is kept")
        form.addRow("Momentum β", self.momentum_spin)
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(1, 5000)
        self.steps_spin.setValue(300)
        self.steps_spin.setToolTip("The most steps each method takes")
        form.addRow("Steps at most", self.steps_spin)
        for spin in (self.rate_spin, self.momentum_spin, self.steps_spin):
            spin.valueChanged.connect(lambda _: self.run.reset())
        v.addWidget(box)
        self.race_text = QLabel()
        self.race_text.setWordWrap(True)
        self.race_text.setTextFormat(Qt.RichText)  # numbers and our own words only
        v.addWidget(self.race_text)
        return page

    def _lagrange_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.linput = FunctionInput(op.LAGRANGE_PRESETS, title="The function f(x, y) to "
                                    "make best", check=usable_with(2))
        self.linput.sig_applied.connect(self._on_objective)
        self.linput.sig_preset.connect(self.apply_lagrange_preset)
        self.linput.sig_status.connect(self.sig_status)
        v.addWidget(self.linput)
        box = QGroupBox("The constraint")
        bl = QVBoxLayout(box)
        row = QHBoxLayout()
        self.g_edit = QLineEdit()
        self.g_edit.setPlaceholderText("e.g. x^2 + y^2 - 1, x + y - 2")
        self.g_edit.setToolTip("g(x, y): the point must stay on the curve g = 0 (Enter)")
        self.g_edit.returnPressed.connect(self.apply_constraint)
        label = QLabel("g(x, y) =")
        label.setBuddy(self.g_edit)
        row.addWidget(label)
        row.addWidget(self.g_edit, 1)
        row.addWidget(QLabel("= 0"))
        draw = QPushButton("Draw")
        draw.setToolTip("Draw the typed constraint (Enter)")
        draw.clicked.connect(self.apply_constraint)
        row.addWidget(draw)
        bl.addLayout(row)
        self.g_error = error_label()
        bl.addWidget(self.g_error)
        v.addWidget(box)
        box = QGroupBox("At the point")
        bl = QVBoxLayout(box)
        # Read-only text of a fixed height: its numbers change on every drag, and a label
        # would lay the whole panel out again each time (8 ms a frame).
        self.here_text = LinesBox(6)
        self.here_text.setStyleSheet("QPlainTextEdit { font-family: monospace;"
                                     " background: transparent; }")
        self.here_text.setToolTip("The point on the constraint, and what f and g do there")
        bl.addWidget(self.here_text)
        self.verdict = LinesBox(4)
        self.verdict.setStyleSheet("QPlainTextEdit { background: transparent; }")
        bl.addWidget(self.verdict)
        v.addWidget(box)
        box = QGroupBox("The solutions, and λ as a price")
        bl = QVBoxLayout(box)
        self.solutions_text = QLabel()
        self.solutions_text.setTextFormat(Qt.PlainText)
        self.solutions_text.setWordWrap(True)
        bl.addWidget(self.solutions_text)
        row = QHBoxLayout()
        self.c_spin = QDoubleSpinBox()
        self.c_spin.setDecimals(3)
        self.c_spin.setRange(-100.0, 100.0)
        self.c_spin.setSingleStep(0.05)
        self.c_spin.setValue(0.1)
        self.c_spin.setKeyboardTracking(False)
        self.c_spin.setToolTip("Move the constraint to g = c (dashed) and compare the "
                               "change in the best f with λ·c")
        self.c_spin.valueChanged.connect(lambda _: self._search())
        label = QLabel("Move the constraint to g = c, c =")
        label.setBuddy(self.c_spin)
        row.addWidget(label)
        row.addWidget(self.c_spin)
        bl.addLayout(row)
        self.price_text = QLabel()
        self.price_text.setTextFormat(Qt.PlainText)
        self.price_text.setWordWrap(True)
        bl.addWidget(self.price_text)
        self.lagrange_error = error_label()
        bl.addWidget(self.lagrange_error)
        v.addWidget(box)
        return page

    def _build_views(self) -> QWidget:
        self.view_tabs = QTabWidget()
        self.view_tabs.addTab(self._newton_views(), VIEW_TITLES[0])
        self.view_tabs.addTab(self._descent_views(), VIEW_TITLES[1])
        self.view_tabs.addTab(self._lagrange_views(), VIEW_TITLES[2])
        for i, tip in enumerate(("Roots by tangents, and where each start ends",
                                 "Four methods race down one surface",
                                 "The best f on a curve: ∇f = λ∇g")):
            self.view_tabs.setTabToolTip(i, f"{tip} (V)")
        self.view_tabs.currentChanged.connect(self._on_view_changed)
        return self.view_tabs

    def _newton_views(self) -> QWidget:
        self.f_plot, self.f_box = pointer_plot("x", "f(x)", grid=False)
        self.f_plot.getPlotItem().setTitle("f and Newton's tangents — drag to move x₀",
                                           size="11pt")
        self.f_box.sig_pressed.connect(lambda x, _y: self.set_x0(x))
        axis = pg.InfiniteLine(pos=0, angle=0, pen=theme.mkpen(theme.MUTED, 1.2))
        self.f_plot.addItem(axis)
        self.f_curve = self.f_plot.plot([], [], pen=theme.mkpen(theme.TEXT, 3))
        self.tangents = self.f_plot.plot([], [], pen=theme.mkpen(theme.VERMILLION, 2.2),
                                         connect="pairs")
        self.drops = self.f_plot.plot([], [], pen=theme.mkpen(theme.MUTED, 1.5, Qt.DotLine),
                                      connect="pairs")
        self.iterates = self.f_plot.plot([], [], pen=None, symbol="o", symbolSize=9,
                                         symbolBrush=theme.VERMILLION, symbolPen="w")
        self.root_dots = pg.ScatterPlotItem(size=14, symbol="star", pen=pg.mkPen("k", width=1))
        self.root_dots.setZValue(20)
        self.f_plot.addItem(self.root_dots)
        self.x0_line = pg.InfiniteLine(angle=90, pen=theme.mkpen(theme.BLUE, 1.5, Qt.DashLine))
        self.f_plot.addItem(self.x0_line)
        self.x0_dot = self.f_plot.plot([], [], pen=None, symbol="o", symbolSize=14,
                                       symbolBrush=theme.BLUE, symbolPen="w")
        self.iterate_labels: list[pg.TextItem] = []
        self.root_labels: list[pg.TextItem] = []
        legend(self.f_plot, [(self.f_curve, "f"), (self.tangents, "tangent to the axis"),
                             (self.x0_dot, "x₀, the start"), (self.iterates, "iterates")])
        self.strip_plot, strip_box = pointer_plot("start x₀", "")
        self.strip_plot.getPlotItem().setTitle("Where each start ends (50 steps)",
                                               size="10pt")
        # The same left margin as the plot above, so each start sits under its x.
        strip_axis = self.strip_plot.getPlotItem().getAxis("left")
        strip_axis.setStyle(showValues=False)
        strip_axis.setTicks([[]])
        for axis in (strip_axis, self.f_plot.getPlotItem().getAxis("left")):
            axis.setWidth(72)
        follow_x_range(self.f_plot, self.strip_plot)
        self.strip_plot.setFixedHeight(120)
        self.strip_plot.setToolTip("Each start x₀ coloured by where Newton takes it: "
                                   "which root, a cycle, a run away (white), still "
                                   "wandering (grey). Paler: more steps. Click to start there.")
        strip_box.sig_pressed.connect(lambda x, _y: self.set_x0(x))
        self.strip = pg.ImageItem()
        self.strip_plot.addItem(self.strip)
        self.strip_x0 = pg.InfiniteLine(angle=90, pen=theme.mkpen(theme.TEXT, 2.5))
        self.strip_plot.addItem(self.strip_x0)
        self.strip_plot.getPlotItem().setYRange(0, 1, padding=0)
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(0)
        v.addWidget(self.f_plot, 1)
        v.addWidget(self.strip_plot)
        return box

    def _descent_views(self) -> QWidget:
        self.landscape = Landscape(self, ("x", "y", "f"), titles=(
            "The surface and the four paths — drag to rotate",
            "Contour map — click or drag to move the start"))
        self.landscape.sig_point_moved.connect(self.set_start)
        plot = self.landscape.contour.getPlotItem()
        self.race_paths = {}
        self.race_curves = {}
        self.value_plot = teaching_plot("step", "f", "f along each path", font_pt=10,
                                        integer_x=True, grid=False)
        for name, (rgb, dash, symbol, _, _) in METHOD_STYLES.items():
            item = path_item(rgb, dash, symbol, size=6)
            item.setZValue(20 - len(self.race_paths))  # steepest descent, the slowest, on top
            plot.addItem(item)
            self.race_paths[name] = item
            self.race_curves[name] = self.value_plot.plot(
                [], [], pen=theme.mkpen(rgb, 2.5, dash))
        legend(self.value_plot, [(self.race_curves[m], METHOD_STYLES[m][3])
                                 for m in METHOD_STYLES], corner="bottom right", columns=2)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.landscape.pair())
        split.addWidget(self.value_plot)
        split.setSizes([650, 280])
        return split

    def _lagrange_views(self) -> QWidget:
        self.llandscape = Landscape(self, ("x", "y", "f"), titles=(
            "f with the constraint lifted onto it — drag to rotate",
            "f's contours and g = 0 — drag the point along the curve"))
        self.lmap = self.llandscape.contour
        self.lmap.sig_point_moved.connect(self.set_point)
        plot = self.lmap.getPlotItem()
        self.curve_line = pg.PlotDataItem(pen=pg.mkPen(theme.TEXT, width=3.5),
                                          connect="finite")
        self.shifted_line = pg.PlotDataItem(pen=theme.mkpen(theme.TEXT, 2, Qt.DashLine),
                                            connect="pairs")
        self.grad_f = pg.PlotDataItem(pen=theme.mkpen(theme.VERMILLION, 3.5), connect="pairs")
        self.grad_g = pg.PlotDataItem(pen=theme.mkpen(theme.BLUE, 3.5, Qt.DashLine),
                                      connect="pairs")
        self.solution_dots = pg.ScatterPlotItem(size=20, symbol="star",
                                                pen=pg.mkPen("k", width=1.2),
                                                brush=pg.mkBrush(255, 255, 255))
        for item in (self.curve_line, self.shifted_line, self.grad_f, self.grad_g,
                     self.solution_dots):
            item.setZValue(15)
            plot.addItem(item)
        self.label_f = _labelled_text(theme.VERMILLION, 13)
        self.label_g = _labelled_text(theme.BLUE, 13)
        for item in (self.label_f, self.label_g):
            plot.addItem(item)
        self.solution_labels: list[pg.TextItem] = []
        # The axis is named in the title: a bottom label would squash this short plot.
        self.s_plot = teaching_plot("", "f", "f against s, the distance along g = 0: flat "
                                    "where ∇f ∥ ∇g", font_pt=10, grid=False)
        self.s_curve = self.s_plot.plot([], [], pen=theme.mkpen(theme.TEXT, 2.5))
        self.s_curve.curve.setCacheMode(QGraphicsItem.DeviceCoordinateCache)  # (a drag)
        self.s_marks = self.s_plot.plot([], [], pen=None, symbol="star", symbolSize=16,
                                        symbolBrush="w", symbolPen=pg.mkPen("k", width=1.2))
        self.s_line = pg.InfiniteLine(angle=90, pen=theme.mkpen(theme.POINT, 2))
        self.s_plot.addItem(self.s_line)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.llandscape.pair())
        split.addWidget(self.s_plot)
        split.setSizes([700, 230])
        return split

    def export_widget(self) -> QWidget:
        return self.view_tabs.currentWidget()

    PLACES = ("iterates", "basins", "newton", "race", "race summary", "constraint",
              "solutions", "price")

    def places(self) -> dict[str, QWidget]:
        return {"iterates": self.table, "basins": self.strip_plot, "newton": self.f_plot,
                "race": self.value_plot, "race summary": self.race_text,
                "constraint": self.here_text, "solutions": self.solutions_text,
                "price": self.price_text}

    SPOILERS = ("iterates", "basins", "readout", "race")

    def spoiler_parts(self) -> dict[str, list]:
        return {"iterates": [self.table, self.run_label], "basins": [self.strip_plot,
                                                                     self.basin_note],
                "readout": [self.here_text, self.verdict, self.solutions_text,
                            self.price_text],
                "race": [self.race_text, self.value_plot]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> OptimisationState:
        view = self.view
        shown = min(len(self.path), 200) if view == "newton" else 0
        raced = self.path[-1].step if view == "descent" and self.path else 0
        return OptimisationState(
            view=view,
            function=self.nfunction.text if self.nfunction else self.ninput.text(),
            domain=self.ndomain, x0=self.x0, shown=shown,
            newton_steps=self.nsteps_spin.value(),
            surface=self.surface.text if self.surface else self.sinput.text(),
            surface_domain=self.sdomain, start=self.start, rate=self.rate_spin.value(),
            momentum=self.momentum_spin.value(), steps=self.steps_spin.value(),
            raced=raced,
            objective=self.objective.text if self.objective else self.linput.text(),
            constraint=self.constraint.text if self.constraint else self.g_edit.text(),
            lagrange_domain=self.ldomain, point=self.point, shift=self.c_spin.value())

    def restore(self, state: OptimisationState) -> None:
        self.view_tabs.blockSignals(True)
        self.view_tabs.setCurrentIndex(VIEWS.index(state.view))
        self.view_tabs.blockSignals(False)
        self._on_view_changed(self.view_tabs.currentIndex(), reset=False)
        for spin, value in ((self.rate_spin, state.rate), (self.momentum_spin, state.momentum),
                            (self.steps_spin, state.steps), (self.c_spin, state.shift),
                            (self.nsteps_spin, state.newton_steps)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self.x0 = state.x0
        self.ninput.set_input(state.function, state.domain)
        self.start = state.start
        self.sinput.set_input(state.surface, state.surface_domain)
        self.point = state.point
        self.g_edit.setText(state.constraint)
        self.linput.set_input(state.objective, state.lagrange_domain)
        if state.view == "newton" and state.shown and self.nfunction is not None:
            self.run.show_records(list(islice(
                op.newton_raphson(self.nfunction, self.x0, self.nsteps_spin.value()),
                state.shown)))
        elif state.view == "descent" and state.raced and self.surface is not None:
            self.run.show_records(list(islice(self._race(), state.raced + 1)))

    def demo_state(self) -> OptimisationState:
        """The course's polynomial from x₀ = 3.1: the tangents wander near 3 (where f has
        a minimum above the axis), with the strip showing why."""
        return OptimisationState(shown=9)

    def more_demos(self) -> tuple[tuple[str, OptimisationState], ...]:
        best = (-0.0958377, -0.4253073)  # the course's maximum on the ellipse
        return (("descent", OptimisationState(view="descent", raced=300)),
                ("lagrange", OptimisationState(view="lagrange", point=best)))

    # ---- views ---------------------------------------------------------------------------
    @Slot(int)
    def _on_view_changed(self, index: int, reset: bool = True) -> None:
        self.pages.setCurrentIndex(index)
        # The column is as tall as the page shown, not as the tallest page.
        for i in range(self.pages.count()):
            policy = QSizePolicy.Preferred if i == index else QSizePolicy.Ignored
            self.pages.widget(i).setSizePolicy(policy, policy)
        self.pages.adjustSize()
        self.explanation.body.setText(EXPLANATIONS[VIEWS[index]])
        # A pace for each view: tangents to follow one by one, a race of hundreds of
        # steps, a walk round a curve (the slider's speeds: 1, 2, 5, 10, 20, 50, max).
        self.playback.speed_slider.setValue(VIEW_SPEEDS[VIEWS[index]])
        if reset:
            self.run.reset()

    @Slot()
    def next_view(self) -> None:
        self.view_tabs.setCurrentIndex((self.view_tabs.currentIndex() + 1) % len(VIEWS))

    @Slot()
    def nudge_forward(self) -> None:
        self._nudge(1)

    @Slot()
    def nudge_back(self) -> None:
        self._nudge(-1)

    def _nudge(self, sign: int) -> None:
        if self.view == "newton":
            self.set_x0(self.x0 + sign * (self.ndomain[1] - self.ndomain[0]) / 100)
        elif self.view == "lagrange" and self.here is not None and self.curves:
            curve = self.curves[self._piece]
            n = len(curve.s)
            index = self.here.index + sign * 3
            index = index % (n - 1) if curve.closed else min(max(index, 0), n - 1)
            self.point = tuple(float(v) for v in curve.points[index])
            self._show_point(self._piece, index)

    # ---- the runs ------------------------------------------------------------------------
    def _race(self):
        return op.race(self.surface, self.start, self.rate_spin.value(),
                       self.steps_spin.value(), self.momentum_spin.value())

    def _blocked(self, last) -> str | None:
        view = self.view
        if view == "newton":
            if self.nfunction is None:
                return "Type a function f(x) first"
            if last is not None and (last.stopped or last.step + 1 >= self.nsteps_spin.value()):
                return "Newton has stopped: move x₀ or press Reset (R) to watch it again"
        elif view == "descent":
            if self.surface is None:
                return "Type a surface f(x, y) first"
            if last is not None and (not any(last.moving)
                                     or last.step >= self.steps_spin.value()):
                return "The race is over: move the start or press Reset (R)"
        else:
            if not self.curves or self.objective is None:
                return "Draw a function and a constraint that crosses the map first"
            curve = self.curves[self._piece]
            if last is not None and not curve.closed and last.index >= len(curve.s) - 1:
                return "The point is at the end of the curve: drag it back or press Reset (R)"
        return None

    def _make_run(self, last):
        view = self.view
        if view == "newton":
            return islice(op.newton_raphson(self.nfunction, self.x0, self.nsteps_spin.value()),
                          len(self.path), None)
        if view == "descent":
            return islice(self._race(), len(self.path), None)
        curve = self.curves[self._piece]
        index = self.here.index if self.here is not None else 0
        if last is None:  # Reset brings the point back here
            self._walk_from = self.point
        start = index if last is None else index + 3
        return op.walk_curve(self.objective, self.constraint, curve, start % len(curve.s))

    def _on_cleared(self) -> None:
        for item in (self.tangents, self.drops, self.iterates):
            item.setData([], [])
        for label in self.iterate_labels:
            label.setVisible(False)
        self.table.setRowCount(0)
        self._draw_x0()
        for name in METHOD_STYLES:
            self.race_paths[name].setData([], [])
            self.race_curves[name].setData([], [])
            self.landscape.surface.set_line(f"line:{name}", [], [], [], (0, 0, 0, 1))
        self._draw_start()
        self._frame_start_value()
        self.race_text.setText(self._race_summary(None))
        if self._walk_from is not None and self.curves:  # a walk reset: back to its start
            point, self._walk_from = self._walk_from, None
            self.set_point(*point)

    def _frame_start_value(self) -> None:
        """The plot of f along the paths round the start's value, not the range a last
        (perhaps diverged) race left: its ±8e15 axes stayed over an empty plot."""
        if self.surface is None:
            return
        with np.errstate(all="ignore"):
            value = float(self.surface(*self.start))
        if math.isfinite(value) and (value > 0 or not self._log_values):
            shown = math.log10(value) if self._log_values else value
            pad = max(abs(shown) * 0.1, 0.5)
            self.value_plot.getPlotItem().setRange(xRange=(0, 10), yRange=(shown - pad,
                                                                          shown + pad),
                                                   padding=0)
            self.value_plot.getPlotItem().enableAutoRange()

    def _on_scrubbed(self) -> None:
        walk_from, self._walk_from = self._walk_from, None  # not a reset: the point stays
        super()._on_scrubbed()
        self._walk_from = walk_from

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        last = self.path[-1]
        if isinstance(last, op.NewtonStep):
            self._draw_newton(records)
        elif isinstance(last, op.RaceStep):
            self._draw_race()
        elif isinstance(last, op.CurvePoint):
            self.point = (last.x, last.y)
            self._show_here(last)
            self.run_status.say_live(f"s = {fmt(last.s)}: f = {fmt(last.value)}, angle "
                                     f"{last.angle:.1f}°")

    def _done_text(self, last) -> str:
        if isinstance(last, op.NewtonStep):
            return self._newton_verdict(last)
        if isinstance(last, op.RaceStep):
            return f"The race is over after {last.step} steps: see each method above."
        return "Walked the curve: the plot below shows f along it, flat at the solutions."

    # ---- Newton-Raphson ------------------------------------------------------------------
    def apply_newton_preset(self, preset: op.NewtonPreset) -> None:
        self.x0 = preset.x0
        self.ninput.set_input(preset.text, preset.domain)

    @Slot(object, object)
    def _on_newton_function(self, function: Function, domain) -> None:
        self.nfunction, self.ndomain = function, tuple(domain)
        xs = np.linspace(domain[0], domain[1], SAMPLES)
        with np.errstate(all="ignore"):
            fx = function(xs)
        self.f_curve.setData(xs, np.where(np.isfinite(fx), fx, np.nan), connect="finite")
        # The axis, where the tangents land, always in view.
        self.f_plot.getPlotItem().setRange(xRange=domain, yRange=graph_range(
            fx, include=0.0) or (-1, 1), padding=0)
        self.x0_spin.blockSignals(True)
        self.x0_spin.setRange(domain[0], domain[1])
        self.x0_spin.blockSignals(False)
        self.basins = None
        self.strip.clear()
        self.root_dots.setData([], [])
        self.basin_note.setText("Working out where each start ends…")
        starts = np.linspace(domain[0], domain[1], STARTS)
        self.basin_task.submit((function.text, tuple(domain)),
                               lambda: op.newton_basins(function, starts, 50))
        self.set_x0(min(max(self.x0, domain[0]), domain[1]), force=True)

    @Slot(object, object)
    def _on_basins(self, key, basins: op.Basins) -> None:
        if self.nfunction is None or key != (self.nfunction.text, self.ndomain):
            return
        self.basins = basins
        colours = np.zeros((basins.kind.size, 3))
        for kind, rgb in OTHER_COLOURS.items():
            colours[basins.kind == kind] = rgb
        roots = basins.kind == op.Basins.ROOT
        palette = np.array([ROOT_COLOURS[i % len(ROOT_COLOURS)]
                            for i in range(max(len(basins.roots), 1))], float)
        colours[roots] = palette[basins.root_index[roots]]
        # Paler where a start takes more steps to settle.
        pale = 0.65 * np.clip(basins.steps / 25.0, 0, 1)[:, None]
        colours[roots] = colours[roots] * (1 - pale[roots]) + 255 * pale[roots]
        image = colours.astype(np.uint8)[None, :, :]
        self.strip.setImage(image, levels=(0, 255))
        x0, x1 = self.ndomain
        self.strip.setRect(QRectF(x0, 0, x1 - x0, 1))
        self.root_dots.setData(basins.roots, np.zeros(len(basins.roots)),
                               brush=[pg.mkBrush(*palette[i]) for i in range(len(basins.roots))])
        while len(self.root_labels) < len(basins.roots):
            item = _labelled_text(theme.TEXT, 11)
            self.f_plot.addItem(item)
            self.root_labels.append(item)
        for i, label in enumerate(self.root_labels):
            if i < len(basins.roots):
                label.setText(f"r{subscript(i + 1)}")
                label.setPos(float(basins.roots[i]), 0.0)
            label.setVisible(i < len(basins.roots))
        thin_labels(self.root_labels, self.f_box)
        counts = np.bincount(basins.kind, minlength=5) / basins.kind.size
        share = [100 * float(np.mean(basins.root_index == i)) for i in range(len(basins.roots))]
        parts = [f"<span style='color:rgb{tuple(int(v) for v in palette[i])}'>■</span> "
                 f"r{subscript(i + 1)} = {fmt(r)}: {share[i]:.0f}%"
                 for i, r in enumerate(basins.roots)]
        names = {op.Basins.CYCLE: "a cycle", op.Basins.DIVERGED: "runs away (white)",
                 op.Basins.ZERO_SLOPE: "a flat tangent", op.Basins.UNDECIDED:
                 "still wandering after 50 steps (grey)"}
        for kind, name in names.items():
            if counts[kind] > 0:
                parts.append(f"{name}: {100 * counts[kind]:.1f}%")
        self.basin_note.setText("<b>The strip</b> (starts across the plot): "
                                + "; ".join(parts) + ". Paler: slower.")

    def set_x0(self, x: float, force: bool = False) -> None:
        if self.nfunction is None or not math.isfinite(x):
            return
        x = float(min(max(x, self.ndomain[0]), self.ndomain[1]))
        if x == self.x0 and not force:
            return
        self.x0 = x
        self.x0_spin.blockSignals(True)
        self.x0_spin.setValue(x)
        self.x0_spin.blockSignals(False)
        if self.view == "newton" or force:
            self.run.reset()
        else:
            self._draw_x0()

    def _draw_x0(self) -> None:
        if self.nfunction is None:
            return
        self.x0_line.setValue(self.x0)
        self.strip_x0.setValue(self.x0)
        with np.errstate(all="ignore"):
            y = float(self.nfunction(self.x0))
        self.x0_dot.setData([self.x0], [y] if math.isfinite(y) else [0.0])

    def _draw_newton(self, records: tuple) -> None:
        path = self.path
        xs = np.array([r.x for r in path])
        values = np.array([r.value for r in path])
        nxt = np.array([r.next_x for r in path])
        with np.errstate(all="ignore"):
            landing = self.nfunction(nxt)
        ok = np.isfinite(nxt) & np.isfinite(values)
        tangents = np.column_stack([xs[ok], values[ok], nxt[ok], np.zeros(ok.sum())])
        self.tangents.setData(tangents[:, [0, 2]].ravel(), tangents[:, [1, 3]].ravel(),
                              connect="pairs")
        drop = ok & np.isfinite(landing)
        self.drops.setData(np.repeat(nxt[drop], 2),
                           np.column_stack([np.zeros(drop.sum()), landing[drop]]).ravel(),
                           connect="pairs")
        self.iterates.setData(xs, values)
        while len(self.iterate_labels) < min(len(path), LABELLED):
            item = _labelled_text(theme.VERMILLION, 11)
            self.f_plot.addItem(item)
            self.iterate_labels.append(item)
        for i, label in enumerate(self.iterate_labels):
            shown = i < len(path) and math.isfinite(values[i])
            if shown:
                label.setText(f"x{subscript(i)}")
                label.setPos(float(xs[i]), float(values[i]))
            label.setVisible(shown)
        # Iterates homing in on a root stand on top of each other: the first named.
        thin_labels(self.iterate_labels, self.f_box)
        for r in records:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, value in enumerate((str(r.step), fmt(r.x), fmt(r.value), fmt(r.slope),
                                         "—" if math.isnan(r.next_x) else fmt(r.next_x))):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.scrollToBottom()
        last = path[-1]
        self.run_status.say_live(f"Step {last.step}: x = {fmt(last.x)}, f(x) = {fmt(last.value)}, "
                                 f"next x = {fmt(last.next_x)}")

    def _newton_verdict(self, last: op.NewtonStep) -> str:
        n = last.step
        if last.stopped == "root":
            return (f"A root: x = {fmt(last.x)} after {n} step{'s' * (n != 1)} "
                    f"(f(x) = {fmt(last.value)}).")
        if last.stopped == "zero slope":
            return (f"f′({fmt(last.x)}) = 0: the tangent is flat and never meets the axis, "
                    "so Newton cannot take a step. Move x₀.")
        if last.stopped.startswith("cycle"):
            return (f"A {last.stopped}: the tangents come back to where they were, for "
                    "ever. Newton never settles from here.")
        if last.stopped == "runaway":
            return (f"Ran away: the next x would be {fmt(last.next_x)}. Each tangent lands "
                    "further out: Newton diverges from here.")
        if last.stopped:
            return f"Stopped at x = {fmt(last.x)}: {last.stopped}."
        return (f"After {n + 1} steps Newton has not settled: x = {fmt(last.x)}, "
                f"f(x) = {fmt(last.value)}.")

    # ---- the race ------------------------------------------------------------------------
    def apply_surface_preset(self, preset: op.SurfacePreset) -> None:
        self.rate_spin.blockSignals(True)
        self.rate_spin.setValue(preset.rate)
        self.rate_spin.blockSignals(False)
        self.start = preset.start
        self.sinput.set_input(preset.text, preset.domain)

    @Slot(object, object)
    def _on_surface(self, function: Function, domain) -> None:
        self.surface, self.sdomain = function, tuple(domain)
        xs, ys, Z = sample_grid(function, domain, GRID_2D)
        self.landscape.set_landscape(xs, ys, Z, mesh=sample_grid(function, domain, GRID_3D))
        # f ≥ 0 (a sum of squares): a log scale shows how fast each method closes in.
        finite = Z[np.isfinite(Z)]
        self._log_values = bool(finite.size and finite.min() >= 0)
        self.value_plot.getPlotItem().setLogMode(y=self._log_values)
        self.value_plot.getPlotItem().setTitle(
            "f along each path" + (" (log scale)" if self._log_values else ""), size="11pt")
        x0, x1, y0, y1 = domain
        x, y = self.start
        self.start = (min(max(x, x0), x1), min(max(y, y0), y1))
        self.run.reset()

    @Slot(float, float)
    def set_start(self, x: float, y: float) -> None:
        self.start = (float(x), float(y))
        self.run.reset()

    def _draw_start(self) -> None:
        if self.surface is None:
            return
        x, y = self.start
        with np.errstate(all="ignore"):
            z = float(self.surface(x, y))
        self.landscape.set_point(x, y, z)

    def _method_points(self, i: int) -> np.ndarray:
        return np.array([r.points[i] for r in self.path if r.moving[i]]).reshape(-1, 3)

    def _draw_race(self) -> None:
        surface = self.landscape.surface
        paths = [self._method_points(i) for i in range(len(METHOD_STYLES))]
        for pts, (name, (rgb, *_)) in zip(paths, METHOD_STYLES.items(), strict=True):
            self.race_paths[name].setData(pts[:, 0], pts[:, 1])
            values = np.maximum(pts[:, 2], 1e-30) if self._log_values else pts[:, 2]
            self.race_curves[name].setData(np.arange(len(pts)), values)
            surface.set_line(f"line:{name}", pts[:, 0], pts[:, 1], pts[:, 2], _rgb(rgb))
        last = self.path[-1]
        self.race_text.setText(self._race_summary(last, paths))
        self.run_status.say_live(f"Step {last.step}")

    def _race_summary(self, last: op.RaceStep | None, paths=()) -> str:
        """Each method's line: its cues, and with ``last`` and its ``paths`` (one array
        of points each) how far it got."""
        lines = []
        for i, (rgb, _, _, title, cue) in enumerate(METHOD_STYLES.values()):
            head = (f"<span style='color:rgb{tuple(rgb)}'>■</span> <b>{title}</b> "
                    f"<span style='color:#555'>({cue})</span>")
            if last is None:
                lines.append(head)
                continue
            pts = paths[i]
            x, y, value = pts[-1]
            steps = len(pts) - 1
            state = "still going" if last.moving[i] else "stopped"
            lines.append(f"{head}: {steps} step{'s' * (steps != 1)}, f = {fmt(value)} at "
                         f"({fmt(x)}, {fmt(y)}), {state}")
        return "<br>".join(lines)

    # ---- Lagrange ------------------------------------------------------------------------
    def apply_lagrange_preset(self, preset: op.LagrangePreset) -> None:
        self.point = preset.point
        self.g_edit.setText(preset.g)
        self.linput.set_input(preset.f, preset.domain)

    @Slot(object, object)
    def _on_objective(self, function: Function, domain) -> None:
        self.objective, self.ldomain = function, tuple(domain)
        xs, ys, Z = sample_grid(function, domain, GRID_2D)
        self.llandscape.set_landscape(xs, ys, Z, mesh=sample_grid(function, domain, GRID_3D))
        self.apply_constraint(force=True)

    @Slot()
    def apply_constraint(self, force: bool = False) -> None:
        """Parse g; a good one that crosses the map is drawn, a bad one is refused
        beside the box and the previous constraint stays."""
        if self.objective is None:
            return
        text = self.g_edit.text()
        try:
            g = parse_function(text, ("x", "y"))
            problem = why_undrawable(g, self.ldomain, order=2)
            curves = [] if problem else op.constraint_curves(g, self.ldomain)
            if not problem and not curves:
                problem = ("g = 0 does not cross the map: change g (its value must change "
                           "sign on the map) or widen the domain")
        except ExpressionError as exc:
            problem = str(exc)
        if problem:
            self.g_error.setText("⚠ " + problem)
            self.g_error.setVisible(True)
            self.g_edit.setStyleSheet(theme.INPUT_ERROR_STYLE)
            self.sig_status.emit("Constraint not drawn: " + problem)
            if self.constraint is None or not force:
                return
            g = self.constraint  # a new f keeps the last good constraint
            curves = op.constraint_curves(g, self.ldomain)
            if not curves:
                return
        else:
            self.g_error.setVisible(False)
            self.g_edit.setStyleSheet("")
        self.constraint, self.curves = g, curves
        xs, ys, _ = sample_grid(g, self.ldomain, GRID_2D)
        with np.errstate(all="ignore"):
            X, Y = np.meshgrid(xs, ys)
            self._gz = g(X, Y)
        self._gxy = (xs, ys)
        joined = np.concatenate([np.vstack([c.points, [[np.nan, np.nan]]]) for c in curves])
        self.curve_line.setData(joined[:, 0], joined[:, 1], connect="finite")
        surface = self.llandscape.surface
        for i, curve in enumerate(curves[:8]):
            surface.set_line(f"line:g{i}", *curve.points.T, self.objective(*curve.points.T),
                             _rgb(theme.TEXT), 4.0)
        self.solutions, self.price = [], None
        self.solution_dots.setData([], [])
        for label in self.solution_labels:
            label.setVisible(False)
        self.run.reset()
        self.set_point(*self.point)
        self._search()

    def _search(self) -> None:
        """Find the solutions and the price of moving g to c, off the GUI thread."""
        if self.objective is None or self.constraint is None:
            return
        F, G, domain, c = self.objective, self.constraint, self.ldomain, self.c_spin.value()
        self._draw_shifted(c)
        self.solutions_text.setText("Searching for the points where ∇f = λ∇g…")
        self.price_text.setText("")
        self.lagrange_error.setVisible(False)
        self.lagrange_task.submit((F.text, G.text, domain, c),
                                  lambda: op.lagrange_study(F, G, domain, c), steps=True)

    def _draw_shifted(self, c: float) -> None:
        if not self._gz.size or c == 0:
            self.shifted_line.setData([], [])
            return
        segs = contour_segments(*self._gxy, self._gz, c)
        if len(segs):
            self.shifted_line.setData(segs[:, 0], segs[:, 1], connect="pairs")
        else:
            self.shifted_line.setData([], [])

    @Slot(object, float)
    def _on_search_progress(self, key, fraction: float) -> None:
        self.solutions_text.setText(f"Searching for the points where ∇f = λ∇g… "
                                    f"{100 * fraction:.0f}%")

    @Slot(object, object)
    def _on_solutions(self, key, result) -> None:
        if self.objective is None or self.constraint is None or key != (
                self.objective.text, self.constraint.text, self.ldomain, self.c_spin.value()):
            return
        self.solutions, self.price = result
        sol = self.solutions
        self.solution_dots.setData([p.x for p in sol], [p.y for p in sol])
        while len(self.solution_labels) < len(sol):
            item = _labelled_text(theme.TEXT, 11)
            item.setAnchor((0.5, -0.35))
            item.fill = pg.mkBrush(255, 255, 255, 210)
            self.lmap.getPlotItem().addItem(item)
            self.solution_labels.append(item)
        for i, label in enumerate(self.solution_labels):
            if i < len(sol):
                p = sol[i]
                # A number, said in full in the list beside the map: names and λ on
                # the map overlap where the solutions are close, above all when magnified.
                label.setText(_number(i))
                label.setPos(p.x, p.y)
                label.setAnchor((-0.15, 1.0))
            label.setVisible(i < len(sol))
        if not sol:
            self.solutions_text.setText("No point with ∇f = λ∇g was found on the map.")
        else:
            lines = []
            for i, p in enumerate(sol):
                what = {"max": "a local maximum", "min": "a local minimum"}.get(
                    p.kind, "stationary")
                best = f" — {p.best}" if p.best else ""
                lines.append(f"★{_number(i)} ({fmt(p.x)}, {fmt(p.y)}): f = {fmt(p.value)}, λ = "
                             f"{fmt(p.multiplier)}, {what}{best}")
            self.solutions_text.setText("\n".join(lines))
        self._say_price()
        self._draw_s_plot()
        if self.here is not None:
            self._show_point(self._piece, self.here.index)

    def _say_price(self) -> None:
        price, c = self.price, self.c_spin.value()
        if price is None:
            self.price_text.setText("" if c else "Set c ≠ 0 to move the constraint.")
            return
        best = price.point
        word = "maximum" if best.best == "the maximum" else "minimum"
        if price.moved is None:
            self.price_text.setText(f"On g = {fmt(c)} no {word} was found on the map.")
            return
        self.price_text.setText(
            f"The {word} on g = 0: f* = {fmt(best.value)}, λ = {fmt(best.multiplier)}.\n"
            f"On g = {fmt(c)} (dashed): f* = {fmt(price.moved.value)}.\n"
            f"Change in f*: {fmt(price.change)}   λ·c: {fmt(price.predicted)}\n"
            f"λ is the rate d f*/d c: what loosening the constraint by one unit is worth.")

    def _say_lagrange(self, text: str) -> None:
        self.lagrange_error.setText(text)
        self.lagrange_error.setVisible(bool(text))

    @Slot(float, float)
    def set_point(self, x: float, y: float) -> None:
        """The learner asks for the point at (x, y): it goes to the nearest point of the
        constraint."""
        if not self.curves:
            return
        if self.view == "lagrange" and (self.run.active or self.path):
            self.run.reset()  # a walk in progress stops where the learner takes over
        self.point = (float(x), float(y))
        best = min(((i, c.nearest(x, y)) for i, c in enumerate(self.curves)),
                   key=lambda ic: float(np.hypot(*(self.curves[ic[0]].points[ic[1]]
                                                   - (x, y)))))
        self._show_point(*best)

    def _show_point(self, piece: int, index: int) -> None:
        curve = self.curves[piece]
        at = None
        gap = curve.spacing
        for p in self.solutions:  # near a solution: show the solution itself
            if math.hypot(p.x - curve.points[index][0], p.y - curve.points[index][1]) < gap:
                at = (p.x, p.y)
        redraw = piece != self._piece
        self._piece = piece
        self._show_here(op.curve_point(self.objective, self.constraint, curve, index, at))
        if redraw:
            self._draw_s_plot()

    def _show_here(self, here: op.CurvePoint) -> None:
        self.here = here
        x, y = here.x, here.y
        self.lmap.set_point(x, y)
        if math.isfinite(here.value):
            self.llandscape.surface.set_point_soon(x, y, here.value)
        x0, x1, y0, y1 = self.ldomain
        # Long enough on screen to stand clear of the point and its label, which grow
        # with the text (in presentation mode the arrows were 20-30 px under them).
        pixel = max(self.lmap.getPlotItem().getViewBox().viewPixelSize())
        length = max(0.15 * min(x1 - x0, y1 - y0), ARROW_PX * ui_scale.factor() * pixel)
        # Directions only (their sizes are in the panel); ∇g shorter, so where the two
        # are parallel both still show, and their names stand on either side of them.
        for item, label, (u, v), name, scale, side in (
                (self.grad_f, self.label_f, here.grad_f, "∇f", 1.0, 1.0),
                (self.grad_g, self.label_g, here.grad_g, "∇g", 0.6, -1.0)):
            norm = math.hypot(u, v)
            if not (math.isfinite(norm) and norm > 0):
                item.setData([], [])
                label.setVisible(False)
                continue
            ux, uy = u / norm, v / norm
            du, dv = ux * length * scale, uy * length * scale
            item.setData(*arrow_segments([x], [y], [du], [dv], 0.25).T, connect="pairs")
            label.setText(name)
            label.setAnchor((0.5, 0.5))
            label.setPos(x + du + 0.12 * length * ux - side * 0.16 * length * uy,
                         y + dv + 0.12 * length * uy + side * 0.16 * length * ux)
            label.setVisible(True)
        self.s_line.setValue(here.s)
        self.here_text.setPlainText(
            f"(x, y) = ({fmt(x)}, {fmt(y)})   s = {fmt(here.s)}\n"
            f"f = {fmt(here.value)}\n"
            f"∇f = ({fmt(here.grad_f[0])}, {fmt(here.grad_f[1])})\n"
            f"∇g = ({fmt(here.grad_g[0])}, {fmt(here.grad_g[1])})\n"
            f"angle between them: {here.angle:.1f}°\n"
            f"df/ds along the curve: {fmt(here.slope)}")
        if not math.isfinite(here.angle):
            text = "∇f or ∇g is zero or has no value here."
        elif min(here.angle, 180 - here.angle) < 1.0:
            text = (f"Parallel: ∇f = λ∇g with λ = {fmt(here.multiplier)}. f along the curve "
                    "is flat here: a candidate for the best f.")
        else:
            way = "grows" if here.slope > 0 else "falls"
            text = (f"Not parallel: ∇f has a part along the curve, so f {way} as the point "
                    "moves on (df/ds ≠ 0). Keep going towards the flat place.")
        if self.verdict.toPlainText() != text:
            self.verdict.setPlainText(text)

    def _draw_s_plot(self) -> None:
        if not self.curves:
            return
        curve = self.curves[self._piece]
        self.s_curve.setData(curve.s, self.objective(*curve.points.T))
        gap = curve.spacing
        marks = []
        for p in self.solutions:
            i = curve.nearest(p.x, p.y)
            if math.hypot(*(curve.points[i] - (p.x, p.y))) < 2 * gap:
                marks.append((curve.s[i], p.value))
        marks = np.array(marks).reshape(-1, 2)
        self.s_marks.setData(marks[:, 0], marks[:, 1])

    @Slot()
    def go_to_solution(self) -> None:
        best = op.best_point(self.solutions)
        if best is None:
            self.sig_status.emit("No solution found yet on this constraint")
            return
        if self.view != "lagrange":
            self.view_tabs.setCurrentIndex(VIEWS.index("lagrange"))
        self.set_point(best.x, best.y)
