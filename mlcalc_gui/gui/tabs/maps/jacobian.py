"""A map (x, y) → (u, v) and its Jacobian: a grid and its image side by side, a point
dragged on either, J with its numbers, the small square at the point and its curved
image against the parallelogram J predicts, det J as the area ratio and as a heat map
over the domain, and the fold where det J = 0.  Play shrinks the square: the two areas
come to agree."""

from __future__ import annotations

import math
from itertools import islice

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QSlider, QSplitter, QVBoxLayout, QWidget

from mlcalc_gui.core import maps
from mlcalc_gui.core.states import MapsState
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.controls import LinesBox
from mlcalc_gui.gui.kit.page import Page
from mlcalc_gui.gui.kit.widgets import note_label, titled
from mlcalc_gui.gui.panels.formulas_input import Formula, FormulasInput
from mlcalc_gui.gui.panels.plots import legend, pointer_plot
from mlcalc_gui.gui.run.background import BackgroundTask
from mlcalc_gui.gui.theme import format_number as fmt
from mlcalc_gui.gui.widgets.contour_view import ContourView

__all__ = ["MapPage"]

SIDE_TICKS = 200  # steps of the side's log slider

EXPLANATION = """
<p>A <b>map</b> sends each point (x, y) to a point (u, v). Near a point it acts like a
matrix: the <b>Jacobian</b> J = [[∂u/∂x, ∂u/∂y], [∂v/∂x, ∂v/∂y]] sends a small step
(dx, dy) to (du, dv) = J (dx, dy).</p>
<p>So a small square at the point becomes, nearly, the parallelogram J makes of it, and
its area is multiplied by <b>det J</b>. For polar coordinates, x = r cos θ and
y = r sin θ, det J = r.</p>
<p><b>Drag the point</b> on the grid or on its image (arrow keys on the grid);
<b>Play</b> (Space) shrinks the square until its image and the parallelogram agree.
Where det J = 0 the map <b>folds</b>: it is not one-to-one there.</p>
"""


class MapPage(Page):
    key = "map"
    title = "A map and its Jacobian"
    tip = "A grid and its image: J and det J at a point"
    explanation = EXPLANATION
    speeds = (1, 2, 5)
    default_speed = 0
    unit = "squares"
    IDLE_TEXT = "Play (Space) shrinks the square step by step; N one step."
    PLACES = ("map", "image", "jacobian")
    SPOILERS = ("jacobian",)
    OBSERVABLES = {"side": "the side of the square drawn",
                   "area_gap": "how far the square's image's area is from |det J| × side², "
                               "as a fraction (0.01: 1 %)",
                   "det": "det J at the point", "x": "the point's x", "y": "the point's y"}

    def __init__(self, host):
        super().__init__(host)
        self.u = self.v = None
        self.domain = MapsState.map_domain
        self.point = MapsState.map_point
        self._image_range = None  # the whole image's (u range, v range)
        self._drawn = (math.nan, math.nan, math.nan)  # (side, image's area, det J) shown
        # det J over the domain, the grid, its image and the fold: off the GUI thread
        self.map_task = BackgroundTask(host)
        self.map_task.sig_done.connect(self._on_pictures)
        self.map_task.sig_failed.connect(lambda _, why: self.sig_status.emit(
            f"The map could not be drawn: {why}"))

    # ---- layout --------------------------------------------------------------------------
    def build_panel(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.input = FormulasInput(
            "The map (x, y) → (u, v)",
            (Formula("u", ("x", "y")), Formula("v", ("x", "y"))), maps.MAP_PRESETS,
            lambda p: (p.u, p.v), domain=("x", "y"))
        self.input.wire(self, self._on_map)
        v.addWidget(self.input)
        box = QGroupBox("At the point")
        form = QFormLayout(box)
        self.side_spin = self.binder.number(
            "side", MapsState, "The side of the small square from the point (Play shrinks "
            "it)", lambda _: self.run.reset(), step=0.05, decimals=4, lo=1e-4, hi=100.0)
        form.addRow("Square's side", self.side_spin)
        # The same side on a log slider, from a hundredth of the domain to a third of it:
        # drag it down and watch the image and the parallelogram come to agree.
        self.side_slider = QSlider(Qt.Horizontal)
        self.side_slider.setRange(0, SIDE_TICKS)
        self.side_slider.setPageStep(SIDE_TICKS // 10)
        self.side_slider.setToolTip("Shrink the square (or grow it): its image comes to "
                                    "agree with the parallelogram J predicts")
        self.binder.bind("side", self.side_slider, lambda _: self.run.reset(),
                         shown=self._side_ticks, taken=self._side_of_ticks)
        form.addRow("Shrink it", self.side_slider)
        self.readout = LinesBox(5)
        self.readout.setToolTip("J at the point, det J, and the areas of the square's image "
                                "and of the parallelogram J makes")
        form.addRow(self.readout)
        self.words = note_label()
        form.addRow(self.words)
        v.addWidget(box)
        return page

    def build_views(self) -> QWidget:
        self.grid_view = ContourView(labels=("x", "y"), lock_aspect=False)
        self.grid_view.sig_point_moved.connect(self.set_point)
        plot = self.grid_view.getPlotItem()
        self.grid_lines = pg.PlotDataItem(pen=pg.mkPen(255, 255, 255, 150, width=1),
                                          connect="finite")
        self.square = pg.PlotDataItem(pen=theme.mkpen(theme.VERMILLION, 3))
        self.fold = pg.PlotDataItem(pen=theme.mkpen(theme.INK, 4, Qt.DashLine),
                                    connect="pairs")
        for item in (self.grid_lines, self.fold, self.square):
            item.setZValue(11)
            plot.addItem(item)
        self.image_view, self.image_box = pointer_plot("u", "v", grid=False, lock_aspect=True)
        self.image_box.sig_pressed.connect(self._on_image_pressed)
        self.image_lines = self.image_view.plot([], [], pen=theme.mkpen(theme.GREY, 1),
                                                connect="finite")
        self.image_square = self.image_view.plot([], [], pen=theme.mkpen(theme.VERMILLION, 3),
                                                 fillLevel=None)
        self.parallelogram = self.image_view.plot([], [], pen=theme.mkpen(theme.BLUE, 2.5,
                                                                          Qt.DashLine))
        self.image_point = self.image_view.plot([], [], pen=None, symbol="o", symbolSize=13,
                                                symbolBrush=theme.POINT, symbolPen="w")
        legend(self.image_view, [(self.image_square, "the square's image"),
                                 (self.parallelogram, "what J predicts"),
                                 (self.image_point, "the point's image")])
        views = QSplitter(Qt.Horizontal)
        self.map_box = titled(self.grid_view, "The grid, coloured by det J — drag the point")
        self.image_titled = titled(self.image_view, "Its image (u, v) — drag here too")
        views.addWidget(self.map_box)
        views.addWidget(self.image_titled)
        views.setSizes([500, 500])
        return views

    def _side_range(self) -> tuple[float, float]:
        x0, x1, y0, y1 = self.domain
        span = min(x1 - x0, y1 - y0)
        return span / 300, span / 3

    def _side_ticks(self, side: float) -> int:
        """Where the log slider stands for ``side`` (a side off its scale at its end)."""
        lo, hi = self._side_range()
        side = min(max(side, lo), hi)
        return round(SIDE_TICKS * math.log(side / lo) / math.log(hi / lo))

    def _side_of_ticks(self, k: int) -> float:
        lo, hi = self._side_range()
        return lo * (hi / lo) ** (k / SIDE_TICKS)

    def observe(self) -> dict[str, float | bool]:
        side, area, det = self._drawn
        gap = abs(area / (abs(det) * side**2) - 1) if det and side > 0 else math.nan
        return {"side": side, "area_gap": gap, "det": det, "x": self.point[0],
                "y": self.point[1]}

    def places(self) -> dict[str, QWidget]:
        return {"map": self.map_box, "image": self.image_titled,
                "jacobian": self.readout.parentWidget()}

    def spoiler_parts(self) -> dict[str, list]:
        return {"jacobian": [self.readout, self.words]}

    # ---- state ---------------------------------------------------------------------------
    def capture(self) -> dict:
        u, v = self.input.texts() if self.u is None else (self.u.text, self.v.text)
        return {**self.binder.values(), "u": u, "v": v, "map_domain": self.domain,
                "map_point": self.point, "shrunk": len(self.path)}

    def restore(self, state: MapsState) -> None:
        self.binder.set(side=state.side)
        self.point = state.map_point
        self.input.set_input((state.u, state.v), state.map_domain)
        if state.shrunk and self.u is not None:
            records = list(maps.shrinking_squares(self.u, self.v, *self.point, state.side))
            self.run.show_records(records[:state.shrunk])

    def preset_state(self, preset: maps.MapPreset) -> dict:
        return {"u": preset.u, "v": preset.v, "map_domain": preset.domain,
                "map_point": preset.point, "shrunk": 0}

    # ---- the map ---------------------------------------------------------------------------
    def _on_map(self, functions, domain) -> None:
        """A new map: the point and its square at once; det J, the grids and the fold
        from the worker (a typed map of 81 × 81 points and 22 lines)."""
        self.run.reset()
        self.u, self.v = functions
        self.domain = tuple(domain)
        x0, x1, y0, y1 = self.domain
        x, y = self.point
        self.point = (min(max(x, x0), x1), min(max(y, y0), y1))
        self._image_range = None  # (the last map's: the new one's comes with its pictures)
        u, v, where = self.u, self.v, self.domain
        self.map_task.submit((u.text, v.text, where), lambda: maps.map_pictures(u, v, where))
        self.binder.refresh("side")  # the slider's scale is the domain's

    def _on_pictures(self, key, pictures: maps.MapPictures) -> None:
        if self.u is None or key != (self.u.text, self.v.text, self.domain):
            return  # a map typed since
        if np.isfinite(pictures.det).any():
            self.grid_view.set_field(pictures.xs, pictures.ys, pictures.det, levels=12,
                                     label="det J")
        self.grid_lines.setData(*pictures.grid)
        self.image_lines.setData(*pictures.image)
        fold = pictures.fold
        if len(fold):
            self.fold.setData(fold[:, 0], fold[:, 1], connect="pairs")
        else:
            self.fold.setData([], [])
        us, vs = pictures.image
        finite = np.isfinite(us) & np.isfinite(vs)
        self._image_range = None
        if finite.any():
            self._image_range = ((us[finite].min(), us[finite].max()),
                                 (vs[finite].min(), vs[finite].max()))
        self._draw_point()

    def set_point(self, x: float, y: float) -> None:
        x0, x1, y0, y1 = self.domain
        self.point = (min(max(float(x), x0), x1), min(max(float(y), y0), y1))
        self.run.reset()  # (which draws the point: _on_cleared)

    def nudge(self, sign: int) -> None:
        """[ and ]: the point a fiftieth of the domain along x."""
        x0, x1 = self.domain[:2]
        self.set_point(self.point[0] + sign * (x1 - x0) / 50, self.point[1])

    def _on_image_pressed(self, u: float, v: float) -> None:
        """A press on the image: the point that maps there, found from the point now."""
        if self.u is None:
            return
        found = maps.preimage(self.u, self.v, (u, v), self.point)
        x0, x1, y0, y1 = self.domain
        if found is None or not (x0 <= found[0] <= x1 and y0 <= found[1] <= y1):
            self.sig_status.emit("No point of the domain near the last one maps there "
                                 "(the map may fold, or not reach it): drag on the grid")
            return
        self.set_point(*found)

    def _draw_point(self, side: float | None = None) -> None:
        if self.u is None:
            return
        x, y = self.point
        s = self.binder["side"] if side is None else side
        self.grid_view.set_point(x, y)
        xs, ys, us, vs = maps.square_image(self.u, self.v, x, y, s)
        self.square.setData(xs, ys)
        self.image_square.setData(us, vs)
        self._frame_image(us, vs)
        with np.errstate(all="ignore"):
            J = maps.map_jacobian(self.u, self.v, x, y)
            pu, pv = (float(c) for c in maps.apply_map(self.u, self.v, x, y))
        det = float(np.linalg.det(J)) if np.all(np.isfinite(J)) else math.nan
        corners = np.array([[0, 0], [s, 0], [s, s], [0, s], [0, 0]], dtype=float)
        predicted = corners @ J.T + (pu, pv) if math.isfinite(det) else np.full((5, 2), np.nan)
        self.parallelogram.setData(predicted[:, 0], predicted[:, 1])
        self.image_point.setData([pu], [pv])
        area = maps.image_area(self.u, self.v, x, y, s)
        self._drawn = (s, area, det)
        self.readout.setPlainText("\n".join([
            f"at (x, y) = ({fmt(x)}, {fmt(y)}) → (u, v) = ({fmt(pu)}, {fmt(pv)})",
            f"J = [[{fmt(J[0, 0])}, {fmt(J[0, 1])}], [{fmt(J[1, 0])}, {fmt(J[1, 1])}]]",
            f"det J = {fmt(det)}",
            f"the image's area = {area:.4g}",
            f"|det J| × side² = {abs(det) * s * s:.4g}"
            + (f" (ratio {area / (abs(det) * s * s):.4f})" if det else "")]))
        words = self._words(det, J)
        if words != self.words.text():  # (a label laid out again at every move: 8 ms)
            self.words.setText(words)

    def _frame_image(self, us: np.ndarray, vs: np.ndarray) -> None:
        """The whole image in view, or, once the square's image is too small to see in it
        (Play shrinking it), a close-up of the square's image and the parallelogram."""
        if self._image_range is None:
            return
        (u0, u1), (v0, v1) = self._image_range
        ok = np.isfinite(us) & np.isfinite(vs)
        span = max(u1 - u0, v1 - v0)
        if ok.any():
            size = max(np.ptp(us[ok]), np.ptp(vs[ok]))
            if 0 < size < 0.08 * span:
                cu, cv = (us[ok].min() + us[ok].max()) / 2, (vs[ok].min() + vs[ok].max()) / 2
                half = 1.5 * size
                self.image_view.getPlotItem().setRange(
                    xRange=(cu - half, cu + half), yRange=(cv - half, cv + half), padding=0)
                return
        self.image_view.getPlotItem().setRange(xRange=(u0, u1), yRange=(v0, v1), padding=0.05)

    def _words(self, det: float, J: np.ndarray) -> str:
        """What det J means here, in words that change only when its meaning does (the
        numbers are in the box above)."""
        if not math.isfinite(det):
            return "The map is not defined here: move the point."
        scale = max(1.0, float(np.abs(J).max()))
        if abs(det) < 1e-9 * scale:
            return ("det J = 0: here the map is not one-to-one, and a small square is "
                    "flattened onto a line (the dashed fold).")
        said = ("A small square's area is multiplied by |det J|"
                + (", and its orientation flipped (det J < 0)." if det < 0 else "."))
        if self.u.text == maps.MAP_PRESETS[0].u and self.v.text == maps.MAP_PRESETS[0].v:
            said += " In polar coordinates det J = r, the point's x."
        return said + (" The square's image is bigger or smaller than that by the ratio "
                       "above: shrink the square and the ratio tends to 1.")

    # ---- the run: a square shrinking -------------------------------------------------------
    def blocked(self, last) -> str | None:
        return "No map yet: draw one" if self.u is None else None

    def make_run(self, last):
        records = maps.shrinking_squares(self.u, self.v, *self.point, self.binder["side"])
        return islice(records, len(self.path), None)

    def _on_cleared(self) -> None:
        self._draw_point()

    def _on_batch(self, records: tuple) -> None:
        last = self.path[-1]
        self._draw_point(last.side)
        self.run_status.say_live(f"Side {fmt(last.side)}: the image's area is "
                                 f"{fmt(last.ratio)} × what J predicts")

    def _done_text(self, last) -> str:
        return (f"At side {fmt(last.side)} the image's area is {fmt(last.ratio)} times "
                "|det J| × side²: the smaller the square, the better J describes the map.")
