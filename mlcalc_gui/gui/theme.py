"""Colours, fonts and number formatting shared by every view.

Colours carry meaning and are the same in every tab: uphill/gradient is red, downhill
(-gradient) is blue, paths are orange, targets are bluish green, the past is grey.  Where
two of them meet in one view, a second cue (dashes, width, markers, hatching) tells them
apart without colour.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from mlcalc_gui.core.numbers import format_number  # noqa: F401  (one home for both)

UPHILL = (215, 48, 39)
DOWNHILL = (33, 102, 172)
PATH = (240, 110, 0)
TARGET = (0, 158, 115)  # Okabe–Ito bluish green: apart from PATH under deuteranopia
TRAIL = (120, 120, 120)  # a network's curve every 100 iterations: the past, in grey
POINT = (200, 20, 20)
# Okabe–Ito colours, told apart under every common colour-vision deficiency; every view
# using them adds a second cue (dashes, markers).
ORANGE = (230, 159, 0)
SKY = (86, 180, 233)
BLUE = (0, 114, 178)
VERMILLION = (213, 94, 0)
PURPLE = (204, 121, 167)
GREEN = (0, 158, 115)
TEXT = (30, 30, 30)
MUTED = (110, 110, 110)
PLOT_BG = "w"

# The same colours for widgets' text and style sheets (hex), so that no tab carries its own.
ERROR_HEX = "#b2182b"  # a refusal, a wrong answer, a divergence
GOOD_HEX = "#1a9850"  # a right answer, an agreement
WARNING_HEX = "#8c510a"  # a caution that is not an error (a stuck run)
UPHILL_HEX = "#{:02x}{:02x}{:02x}".format(*UPHILL)
DOWNHILL_HEX = "#{:02x}{:02x}{:02x}".format(*DOWNHILL)
#: The Hessian's verdicts, coloured alike wherever they are named.
VERDICT_HEX = {"minimum": GOOD_HEX, "maximum": UPHILL_HEX, "saddle": "#f46d43",
               "inconclusive": "#762a83"}
#: How a refusal looks everywhere: red and bold, next to where the input was typed.
ERROR_STYLE = f"color:{ERROR_HEX}; font-weight:bold;"
#: The border of a field whose text was refused.
INPUT_ERROR_STYLE = f"QLineEdit {{ border: 2px solid {ERROR_HEX}; }}"
WARNING_STYLE = f"color:{WARNING_HEX};"

_CMAP_CACHE: dict[str, np.ndarray] = {}


def configure_pyqtgraph() -> None:
    """Light backgrounds (they project and print well) and antialiased lines."""
    pg.setConfigOptions(antialias=True, background=PLOT_BG, foreground=TEXT,
                        imageAxisOrder="row-major")


def lookup_table(name: str = "viridis", n: int = 256) -> np.ndarray:
    """An (n, 4) uint8 RGBA table of a perceptually uniform colormap bundled with pyqtgraph."""
    key = f"{name}:{n}"
    if key not in _CMAP_CACHE:
        lut = pg.colormap.get(name).getLookupTable(nPts=n, alpha=True)
        _CMAP_CACHE[key] = np.asarray(lut, dtype=np.uint8)
    return _CMAP_CACHE[key]


def colormap_rgba(t: np.ndarray, name: str = "viridis") -> np.ndarray:
    """Map values in [0, 1] to float RGBA in [0, 1], shape t.shape + (4,)."""
    lut = lookup_table(name)
    idx = np.clip((np.nan_to_num(t, nan=0.0) * (len(lut) - 1)).astype(int), 0, len(lut) - 1)
    return lut[idx].astype(np.float32) / 255.0


def pale(colour: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    """``colour`` mixed with white: ``amount`` 0 keeps it, 1 is white."""
    return tuple(round(c + (255 - c) * amount) for c in colour)


def mkpen(color, width: float = 2.0, style=None):
    pen = pg.mkPen(color=color, width=width)
    if style is not None:
        pen.setStyle(style)
    return pen


def cache_axes(plot: pg.PlotItem) -> None:
    """Keep ``plot``'s four axes (their ticks, labels and grid lines) as pixmaps, drawn
    again only when their range or size changes.  Text is slow to draw (an axis took
    4 ms a paint), and an axis is repainted whenever anything moves over the area it
    spans: with a grid, the whole plot."""
    from PySide6.QtWidgets import QGraphicsItem

    for name in ("left", "bottom", "right", "top"):
        plot.getAxis(name).setCacheMode(QGraphicsItem.DeviceCoordinateCache)


def style_plot(plot: pg.PlotItem, font_pt: int = 11, grid: bool = True) -> None:
    """Readable axes for projection: bigger tick labels and (unless ``grid`` is False) a
    light grid.  Plots that animate every frame go without: an axis with a grid spans
    the plot and is repainted, text and all, with every moving curve."""
    from PySide6.QtGui import QFont

    font = QFont()
    font.setPointSize(font_pt)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTickFont(font)
        axis.setTextPen(pg.mkPen(TEXT))
        axis.setPen(pg.mkPen(MUTED))
        # Show the numbers as they are: "0.04", never "40 (x0.001)".
        axis.enableAutoSIPrefix(False)
    cache_axes(plot)
    if grid:
        plot.showGrid(x=True, y=True, alpha=0.15)
