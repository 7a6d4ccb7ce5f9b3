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
#: Near black, near white and a mid grey, for what is named by its lightness (a start
#: that cycles, runs away or still wanders, in Newton's strip).
INK = (20, 20, 20)
PAPER = (235, 235, 235)
GREY = (150, 150, 150)
PLOT_BG = "w"

# The same colours for widgets' text and style sheets (hex), so that no tab carries its own.
ERROR_HEX = "#b2182b"  # a refusal, a wrong answer, a divergence
GOOD_HEX = "#1a9850"  # a right answer, an agreement
WARNING_HEX = "#8c510a"  # a caution that is not an error (a stuck run)
NOTE_HEX = "#555555"  # words beside a readout that say what it is (a legend's cue)
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

#: Style sheets of the kit's pieces: every colour of the tutor is in this file.
#: A quiet hint under a control.
NOTE_STYLE = "color:#555; font-style:italic;"
#: A view's title above it.
CAPTION_STYLE = "color:#333; padding-left:4px;"
#: What a lesson is about, under its title on the course map.
LESSON_ABOUT_STYLE = "color:#333; padding-left:12px;"
#: What a map's colours span.
RANGE_NOTE_STYLE = "color:#555; padding-left:4px;"
#: The explanation at the head of a column.
EXPLANATION_STYLE = ("QLabel { background: #f6f8fb; border: 1px solid #d8dee8; border-radius: 4px;"
                     " padding: 6px; color: #222; }")
#: The strip that folds the control column.
FOLD_BUTTON_STYLE = ("QToolButton#foldButton { background: #e9eef4; border: none;"
                     " border-right: 1px solid #c8d0da; border-radius: 3px; }"
                     "QToolButton#foldButton:hover { background: #d6e2ef; }")
#: The bar offering to go on with the last session.
CONTINUE_BAR_STYLE = "QFrame { background:#eef4fb; border-bottom:1px solid #c8d6e8; }"
#: The × and = between matrices.
OPERATOR_STYLE = "color:#444;"
#: The lesson bar.
#: The course map's page, a little warmer than the tabs' (its boxes stand out on it).
COURSE_MAP_STYLE = ("QWidget#courseMap { background:#f7f9fc; }"
                    "QFrame#week { background:#ffffff; border:1px solid #d3dbe6;"
                    " border-radius:6px; padding:6px; }"
                    "QFrame#week QLabel { border: none; background: transparent; }")
LESSON_STYLE = "QFrame#lesson { background:#fbf7ea; border-top:2px solid #c9b458; }"
#: A matrix's shape under it.
SHAPE_STYLE = "color: #666;"
#: The numbers that follow the pointer on a map.
READOUT_STYLE = ("QLabel { background: rgba(255, 255, 255, 225); color: #1e1e1e;"
                 " border: 1px solid #8a8a8a; border-radius: 3px; padding: 1px 5px; }")
#: The words where 3D cannot be drawn.
GL_FALLBACK_STYLE = "background:#f3f3f3; color:#333; padding:16px;"
#: The cover over a readout a question hides.
SPOILER_STYLE = ("QLabel#spoilerCover { background: #f4f1e6; color: #5a4a12; "
                 "border: 2px dashed #c9b458; padding: 6px; font-style: italic; }")
NEUTRAL_HEX = "#222222"  # an answer not yet marked

_CMAP_CACHE: dict[str, np.ndarray] = {}


def gl_colour(rgb, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """A colour of this theme (0–255) as the 3D view takes it (0–1, with alpha)."""
    return (rgb[0] / 255, rgb[1] / 255, rgb[2] / 255, alpha)


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
        # Major and minor ticks only: the third level's grid lines were all but
        # invisible (alpha 6 of 255), three in four of the lines, and redrawn at every
        # change of size (a sixth of a step of text size, #31).
        axis.setStyle(maxTickLevel=1)
    cache_axes(plot)
    if grid:
        plot.showGrid(x=True, y=True, alpha=0.15)
