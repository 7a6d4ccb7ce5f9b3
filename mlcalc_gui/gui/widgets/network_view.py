"""Drawing a network: neurons, weighted connections, activations and deltas; and small
labelled matrices with a colour scale for the step-by-step walk."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.gui import scale as ui_scale
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.theme import format_number

__all__ = ["NetworkDiagram", "MatrixView", "diverging_color"]

#: Most weight lines a diagram draws (the largest |w|): 1-64-64-64-64-2 has 12,480, which
#: took about 1.1 s a paint antialiased, four times a second while training.
MAX_LINES = 600
#: Up to this many lines are drawn antialiased.
SMOOTH_LINES = 300
#: Widths and alphas a line can have (lines are drawn in bundles, one per level).
STRENGTH_LEVELS = 8


def cell_text(value: float) -> str:
    """A matrix cell: three decimals, never "-0.000" (a tiny negative is 0 to the eye)."""
    text = f"{value:.3f}" if abs(value) < 100 else f"{value:.2g}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def diverging_color(value: float, scale: float) -> QColor:
    """Blue for negative, white for zero, red for positive; saturated at |value| = scale."""
    if not np.isfinite(value) or scale <= 0:
        return QColor(235, 235, 235)
    t = max(-1.0, min(1.0, value / scale))
    if t >= 0:
        r, g, b = theme.UPHILL
    else:
        r, g, b = theme.DOWNHILL
    k = abs(t)
    return QColor(int(255 + (r - 255) * k), int(255 + (g - 255) * k), int(255 + (b - 255) * k))


class NetworkDiagram(QWidget):
    """Neurons in columns; weights as lines whose width is |w| and colour its sign
    (red positive, blue negative); neurons filled by their activation for one example;
    during the backward pass, a ring and a number show each neuron's δ."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumSize(280, 220)
        self.setMouseTracking(True)
        self.setToolTip("Hover a neuron to read its activation (and δ in the backward pass)")
        self.sizes: tuple[int, ...] = ()
        self.weights: list[np.ndarray] = []
        self.activations: list[np.ndarray] = []
        self.deltas: list[np.ndarray | None] = []
        self.highlight: int | None = None
        self.caption = ""
        self._centres: list[list[QPointF]] = []

    def set_state(self, sizes, weights, activations, deltas=None, highlight=None,
                  caption: str = "") -> None:
        self.sizes = tuple(sizes)
        self.weights = [np.asarray(w) for w in weights]
        self.activations = [np.asarray(a).ravel() for a in activations]
        self.deltas = list(deltas) if deltas is not None else []
        self.highlight = highlight
        self.caption = caption
        self.update()

    @property
    def weight_count(self) -> int:
        return sum(w.size for w in self.weights)

    def shown_weights(self) -> list[tuple[int, int, int]]:
        """(layer, j, i) of the weights drawn: all of them, or the :data:`MAX_LINES`
        largest in size when there are more."""
        flat = [(layer, w) for layer, w in enumerate(self.weights) if w.size]
        if not flat:
            return []
        sizes = np.concatenate([np.abs(w).ravel() for _, w in flat])
        keep = np.arange(sizes.size)
        if sizes.size > MAX_LINES:
            keep = np.sort(np.argpartition(sizes, -MAX_LINES)[-MAX_LINES:])
        bounds = np.cumsum([0] + [w.size for _, w in flat])
        shown = []
        for k in keep:
            slot = int(np.searchsorted(bounds, k, side="right")) - 1
            layer, w = flat[slot]
            j, i = divmod(int(k - bounds[slot]), w.shape[1])
            shown.append((layer, j, i))
        return shown

    def _weight_strokes(self) -> list[tuple[QPen, list[QLineF]]]:
        if [len(c) for c in self._centres] != list(self.sizes):
            self._layout()
        biggest = max((float(np.abs(w).max()) for w in self.weights if w.size), default=1.0)
        buckets: dict[tuple[bool, int, bool], list[QLineF]] = {}
        for layer, j, i in self.shown_weights():
            value = float(self.weights[layer][j, i])
            strength = min(abs(value) / biggest, 1.0) if biggest > 0 else 0.0
            dim = self.highlight is not None and self.highlight != layer + 1
            key = (value >= 0, round(strength * (STRENGTH_LEVELS - 1)), dim)
            buckets.setdefault(key, []).append(
                QLineF(self._centres[layer][i], self._centres[layer + 1][j]))
        strokes = []
        for (positive, level, dim), lines in sorted(buckets.items()):
            strength = level / (STRENGTH_LEVELS - 1)
            colour = QColor(*(theme.UPHILL if positive else theme.DOWNHILL))
            colour.setAlpha(int((40 if dim else 70) + (60 if dim else 170) * strength))
            strokes.append((QPen(colour, 0.6 + 4.5 * strength), lines))
        return strokes

    def _layout(self) -> float:
        line = self.fontMetrics().height()  # room for the layer names and the caption
        w, h = self.width(), self.height() - 2 * line - 6
        n_layers = len(self.sizes)
        biggest = max(self.sizes) if self.sizes else 1
        radius = max(6.0, min(ui_scale.pt(20.0), h / (2.6 * biggest),
                              w / (6.0 * max(n_layers, 1))))
        margin = max(40.0, 2.2 * radius)
        self._centres = []
        for i, n in enumerate(self.sizes):
            x = margin + (w - 2 * margin) * (i / max(n_layers - 1, 1))
            gap = h / (n + 1)
            self._centres.append([QPointF(x, line + 2 + gap * (j + 1)) for j in range(n)])
        return radius

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        if not self.sizes:
            painter.end()
            return
        radius = self._layout()
        # Antialiased wide lines are Qt's slowest path: a big network gets only its
        # strongest weights, bundled by colour and width into a few drawLines calls.
        painter.setRenderHint(QPainter.Antialiasing, self.weight_count <= SMOOTH_LINES)
        for pen, lines in self._weight_strokes():
            painter.setPen(pen)
            painter.drawLines(lines)
        painter.setRenderHint(QPainter.Antialiasing)
        # A value inside its neuron when it fits at a readable size (gui.scale).
        value_pt = min(ui_scale.pt(10.0), radius * 0.55)
        font = QFont(self.font())
        font.setPointSizeF(max(value_pt, 1.0))
        painter.setFont(font)
        for layer, centres in enumerate(self._centres):
            acts = self.activations[layer] if layer < len(self.activations) else None
            delta = self.deltas[layer] if layer < len(self.deltas) else None
            for j, c in enumerate(centres):
                value = float(acts[j]) if acts is not None and j < len(acts) else np.nan
                fill = theme.colormap_rgba(np.array([np.clip(value, 0, 1)]))[0] * 255
                painter.setBrush(QBrush(QColor(int(fill[0]), int(fill[1]), int(fill[2]))))
                ring = QPen(QColor(40, 40, 40), 1.2)
                if delta is not None and j < len(np.ravel(delta)):
                    d = float(np.ravel(delta)[j])
                    scale = float(np.abs(delta).max()) or 1.0
                    ring = QPen(diverging_color(d, scale), 5.0)
                painter.setPen(ring)
                painter.drawEllipse(c, radius, radius)
                if np.isfinite(value) and value_pt >= ui_scale.pt(7.5):
                    painter.setPen(QColor("white") if value < 0.6 else QColor("black"))
                    painter.drawText(QRectF(c.x() - radius, c.y() - radius, 2 * radius,
                                            2 * radius), Qt.AlignCenter, f"{value:.2f}")
        painter.setPen(QColor(*theme.TEXT))
        painter.setFont(self.font())
        line = painter.fontMetrics().height()
        names = ["input t"] + [f"layer {i}" for i in range(1, len(self.sizes) - 1)] + ["(x, y)"]
        for layer, centres in enumerate(self._centres):
            if centres:
                painter.drawText(QRectF(centres[0].x() - 4 * line, 0, 8 * line, line),
                                 Qt.AlignCenter,
                                 names[layer] if layer < len(names) else "")
        caption = self.caption
        if self.weight_count > MAX_LINES:
            caption += f" · the {MAX_LINES:,} strongest of {self.weight_count:,} weights"
        if caption:
            caption = painter.fontMetrics().elidedText(caption, Qt.ElideRight,
                                                       max(self.width() - 4, 10))
            painter.drawText(QRectF(0, self.height() - line - 2, self.width(), line),
                             Qt.AlignCenter, caption)
        painter.end()

    def neuron_at(self, pos: QPointF) -> tuple[int, int] | None:
        radius = self._layout() if self.sizes else 0
        for layer, centres in enumerate(self._centres):
            for j, c in enumerate(centres):
                if (c - pos).manhattanLength() <= 1.5 * radius:
                    return layer, j
        return None

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        hit = self.neuron_at(event.position())
        if hit is None:
            QToolTip.hideText()
            return
        layer, j = hit
        text = f"layer {layer}, neuron {j + 1}"
        if layer < len(self.activations) and j < len(self.activations[layer]):
            text += f"\na = {format_number(self.activations[layer][j])}"
        if layer < len(self.deltas) and self.deltas[layer] is not None:
            text += f"\nδ = {format_number(float(np.ravel(self.deltas[layer])[j]))}"
        QToolTip.showText(event.globalPosition().toPoint(), text, self)


class MatrixView(QWidget):
    """A labelled matrix: numbers in cells coloured blue (negative) to red (positive)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignCenter)
        self.label.setStyleSheet("font-weight: bold;")
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.setFocusPolicy(Qt.NoFocus)
        self.table.horizontalHeader().setVisible(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.table.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Maximum)
        self.shape_label = QLabel()
        self.shape_label.setAlignment(Qt.AlignCenter)
        self.shape_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.shape_label.setStyleSheet(theme.SHAPE_STYLE)
        ui_scale.set_relative_font(self.shape_label, 0.85)
        layout.addWidget(self.label)
        layout.addWidget(self.table, 0, Qt.AlignHCenter)
        layout.addWidget(self.shape_label)
        self.values = np.empty((0, 0))
        self.name = ""

    def set_matrix(self, name: str, values: np.ndarray) -> None:
        values = np.atleast_2d(np.asarray(values, dtype=float))
        self.values = values
        self.name = name
        self.label.setText(name)
        rows, cols = values.shape
        self.shape_label.setText(f"{rows}×{cols}")
        table = self.table
        table.setRowCount(rows)
        table.setColumnCount(cols)
        scale = float(np.abs(values[np.isfinite(values)]).max()) if values.size else 1.0
        font = QFont(self.font())
        font.setPointSizeF(ui_scale.pt(9.0))
        for r in range(rows):
            for c in range(cols):
                v = float(values[r, c])
                item = QTableWidgetItem(cell_text(v))
                item.setTextAlignment(Qt.AlignCenter)
                item.setFont(font)
                item.setBackground(diverging_color(v, scale))
                item.setToolTip(f"{name}[{r + 1}, {c + 1}] = {v!r}")
                table.setItem(r, c, item)
        w, h = ui_scale.px(52), ui_scale.px(22)
        for c in range(cols):
            table.setColumnWidth(c, w)
        for r in range(rows):
            table.setRowHeight(r, h)
        table.setFixedSize(min(w * cols + 4, w * 8 + 20), min(h * rows + 4, h * 8 + 20))

    def set_ui_scale(self, factor: float) -> None:
        """Cells sized for the text (gui.scale)."""
        if self.values.size:
            self.set_matrix(self.name, self.values)
