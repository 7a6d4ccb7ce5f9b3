"""The views of the Taylor series page: f and its polynomial T_n about a, the band where
the series converges, T_n typeset with its numbers, and the error against x."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QSizePolicy,
    QSplitter,
    QWidget,
)

from mlcalc_gui.core import taylor as tl
from mlcalc_gui.core.polynomial_text import polynomial_text
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.panels.plots import legend, pointer_plot, teaching_plot
from mlcalc_gui.gui.widgets.typeset import TypesetLabel, formula_size, raster, widget_dpi

__all__ = ["SeriesViewsMixin"]


class SeriesViewsMixin:
    """The series page's views and how they are drawn: f with T_n and its band of
    convergence, T_n's terms typeset, and the error |f − T_n| on a log scale."""

    def build_views(self) -> QWidget:
        self.f_plot, self.f_box = pointer_plot("x", "f(x)", grid=False)
        self.f_plot.getPlotItem().setTitle("f and its Taylor polynomial — drag to move a",
                                           size="11pt")
        self.f_box.sig_pressed.connect(self._on_graph_pressed)
        # the press that marked a prediction is not also a drag of a
        self.f_box.sig_clicked.connect(self._release)
        self.f_box.sig_drag.connect(lambda _x, _y, phase: self._release() if phase == 2 else None)
        self.band = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(0, 158, 115, 28),
                                        pen=theme.mkpen(theme.GREEN, 1.5, Qt.DashLine))
        self.band.setZValue(-10)
        self.f_plot.addItem(self.band)
        self.f_curve = self.f_plot.plot([], [], pen=theme.mkpen(theme.TEXT, 3))
        self.t_curve = self.f_plot.plot([], [], pen=theme.mkpen(theme.VERMILLION, 3,
                                                                Qt.DashLine))
        self.gap = pg.FillBetweenItem(self.f_curve, self.t_curve,
                                      brush=pg.mkBrush(230, 159, 0, 80))
        self.f_plot.addItem(self.gap)
        self.a_point = self.f_plot.plot([], [], pen=None, symbol="o", symbolSize=13,
                                        symbolBrush=theme.BLUE, symbolPen="w")
        self.a_line = pg.InfiniteLine(angle=90, pen=theme.mkpen(theme.BLUE, 1.5, Qt.DotLine))
        self.f_plot.addItem(self.a_line)
        # predict, then see: the learner's mark, and where the new polynomial is good
        self.guess_line = pg.InfiniteLine(angle=90, pen=theme.mkpen(theme.PURPLE, 2.5,
                                                                    Qt.DashLine))
        self.good_band = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(204, 121, 167, 40),
                                             pen=theme.mkpen(theme.PURPLE, 1.5))
        for item in (self.guess_line, self.good_band):
            item.setVisible(False)
            self.f_plot.addItem(item)
        legend(self.f_plot, [(self.f_curve, "f"), (self.t_curve, "Tₙ, the polynomial"),
                             (self.a_point, "a, the centre")])

        self.e_plot = teaching_plot("x", "|f − Tₙ|", "The error, and Lagrange's bound on it",
                                    font_pt=10, grid=False, log_y=True)
        self.e_plot.setXLink(self.f_plot)
        self.e_curve = self.e_plot.plot([], [], pen=theme.mkpen(theme.ORANGE, 2.5))
        self.b_curve = self.e_plot.plot([], [], pen=theme.mkpen(theme.BLUE, 2, Qt.DashLine))
        self.e_band = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(0, 158, 115, 28),
                                          pen=theme.mkpen(theme.GREEN, 1.5, Qt.DashLine))
        self.e_band.setZValue(-10)
        self.e_plot.addItem(self.e_band)
        legend(self.e_plot, [(self.e_curve, "|f − Tₙ|"), (self.b_curve, "Lagrange's bound")],
               corner="bottom right")
        one = QSplitter(Qt.Vertical)
        one.addWidget(self.f_plot)
        one.addWidget(self.e_plot)
        one.setSizes([600, 380])
        return one

    def _draw_series(self) -> None:
        if self._awaiting is not None and self.order != self._awaiting - 1:
            self._cancel_prediction()  # the order or a changed under the question
        a, n = self.a, self.order
        names = []
        if a == 0:
            names.append("Maclaurin series (a = 0)")
        if n == 1:
            names.append("the linearisation: the tangent line at a")
        elif n == 0:
            names.append("order 0: the constant f(a)")
        self.name_label.setText("; ".join(names).capitalize() if names else "")
        self.a_line.setValue(a)
        self.gap.setVisible(bool(self._coefficients.size))  # no series: no gap to shade
        if not self._coefficients.size:
            for item in (self.t_curve, self.a_point, self.e_curve, self.b_curve):
                item.setData([], [])
            self._free_term_rows()
            for label in self.terms:
                label.setVisible(False)
            self.verdict.setText("")
            self._show_band(math.nan)
            return
        with np.errstate(all="ignore"):
            T = self._polynomial()
        self.t_curve.setData(self._xs, T)
        self.a_point.setData([a], [self._coefficients[0]])
        lines, self.terms_plain = polynomial_text(self._coefficients, a, n,
                                                  per_line=3 if a == 0 else 2)
        size, dpi = formula_size(self.host.font().pointSizeF(), 1.15), widget_dpi(self.host)
        self.formula_task.submit(tuple(lines),
                                 lambda: [raster(line, size, dpi) for line in lines])
        self._show_band(self.radius)
        self._say_verdict()
        self._draw_error()

    #: How many lines of terms keep their room: the most shown since a or f last changed
    #: (a lower order leaves the lines it does not fill empty, and nothing below moves).
    _term_rows = 0

    def _on_formula(self, lines, _masks) -> None:
        """The terms typeset (their rasters are cached now), one label per line."""
        while len(self.terms) < len(lines):
            label = TypesetLabel()
            # A long line never widens the column (which would clip the whole panel).
            label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Minimum)
            label.setVisible(False)
            self.terms_layout.addWidget(label)
            self.terms.append(label)
        self._term_rows = max(self._term_rows, len(lines))
        for i, (label, line) in enumerate(zip(self.terms, lines + ("",) * len(self.terms),
                                              strict=False)):
            label.set_formula(line, self.terms_plain)
            if label.isVisibleTo(self.terms_box) != (i < self._term_rows):
                label.setVisible(i < self._term_rows)

    def _free_term_rows(self) -> None:
        """A new a or f: the terms take the room they need again."""
        self._term_rows = 0

    def _show_band(self, radius: float) -> None:
        for band in (self.band, self.e_band):
            if math.isfinite(radius):
                band.setRegion((self.a - radius, self.a + radius))
                band.setVisible(True)
            else:
                band.setVisible(False)

    def _fit_error_range(self) -> None:
        """The error plot's height, kept over every order about this a: the error is
        seen falling (or growing past the radius) as n climbs, against axes that stay
        put (and are not drawn again at every order)."""
        span = tl.error_range(self._fx, self._coefficients, self.a, self._xs)
        plot = self.e_plot.getPlotItem()
        if span is None:
            plot.enableAutoRange(axis="y")
        else:
            plot.setYRange(*span, padding=0)

    def _draw_error(self) -> None:
        if not self._coefficients.size or self.function is None:
            return
        with np.errstate(all="ignore"):
            err = np.abs(self._fx - self._polynomial())
        shown = np.where(err > 0, err, np.nan)
        self.e_curve.setData(self._xs, shown, connect="finite")
        if self._next is None:
            self.b_curve.setData([], [])
            return
        bound = tl.remainder_bound(self._next[self.order + 1], self._xs, self.a, self.order)
        self.b_curve.setData(self._xs, np.where(bound > 0, bound, np.nan), connect="finite")
