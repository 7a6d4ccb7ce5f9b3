"""The tabs the window holds, in course order, and what is read from them as data: their
states (sessions), their readouts and places (lessons), their keys (the F1 list)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from mlcalc_gui.core import lessons as lessons_core
from mlcalc_gui.core.states import (
    BackpropState,
    DerivativesState,
    FittingState,
    GradientsState,
    MapsState,
    OptimisationState,
    SandpitState,
    TaylorState,
)
from mlcalc_gui.gui.kit.tab import TutorTab
from mlcalc_gui.gui.shell.shortcut_list import shortcut_groups


@dataclass(frozen=True)
class TabSpec:
    title: str
    module: str
    cls: str
    tooltip: str
    state: type  # the tab's frozen state (core.states), read from sessions


#: The tabs, in course order.  Modules are imported when a tab is first shown.
TAB_SPECS: tuple[TabSpec, ...] = (
    TabSpec("Derivatives", "mlcalc_gui.gui.tabs.derivatives", "DerivativesTab",
            "Rise over run, h → 0, the derivative's graph and the rules step by step",
            DerivativesState),
    TabSpec("Gradients", "mlcalc_gui.gui.tabs.gradients", "GradientsTab",
            "Partial derivatives, the gradient, the Hessian and gradient descent on a surface",
            GradientsState),
    TabSpec("Maps and chain rule", "mlcalc_gui.gui.tabs.maps", "MapsTab",
            "Weeks 2-3: the Jacobian of a map and det J, the total derivative along a "
            "path, Jacobians multiplying along a chain, and one neuron learning NOT",
            MapsState),
    TabSpec("Sandpit", "mlcalc_gui.gui.tabs.sandpit", "SandpitTab",
            "The course's game: find the phone at the bottom of the pit by depth and slope",
            SandpitState),
    TabSpec("Backpropagation", "mlcalc_gui.gui.tabs.backprop", "BackpropTab",
            "A network learns to draw a curve: the chain rule, layer by layer", BackpropState),
    TabSpec("Taylor", "mlcalc_gui.gui.tabs.taylor", "TaylorTab",
            "Taylor series: polynomials that approximate f, their error, and where they "
            "converge; the tangent plane and the quadratic model in 2D", TaylorState),
    TabSpec("Optimisation", "mlcalc_gui.gui.tabs.optimisation", "OptimisationTab",
            "Newton-Raphson and its basins, descent against Newton on one surface, and "
            "Lagrange multipliers on a constraint", OptimisationState),
    TabSpec("Fitting", "mlcalc_gui.gui.tabs.fitting", "FittingTab",
            "Least squares: a Gaussian fitted to heights and a line to points, by descent",
            FittingState),
)

STATE_CLASSES = {spec.title: spec.state for spec in TAB_SPECS}

#: The window's own keys; each tab adds its own (``TutorTab.shortcuts``).
WINDOW_SHORTCUTS = (
    ("Ctrl+1 … Ctrl+9", "go to tab 1 … 9"),
    ("Ctrl+Tab / Ctrl+Shift+Tab", "next / previous tab"),
    ("Arrow keys", "move the point on a focused map (Shift: bigger steps); turn a "
                   "focused 3D view (Tab to it; + and − zoom it)"),
    ("Mouse wheel / right drag", "zoom / pan a plot or map (the left button places the "
                                 "point)"),
    ("Home", "every plot and map back to its own view, the 3D views as they began"),
    ("Tab / Shift+Tab", "move between controls"),
    ("Ctrl+S / Ctrl+Shift+O", "save the session / open a session"),
    ("Ctrl+L / Ctrl+Shift+L", "open a lesson file / record a lesson"),
    ("Page Down / Page Up", "next / previous step: of the lesson when one is open, else "
                            "of what the tab walks through (below)"),
    ("F5 / Esc", "presentation mode: everything larger, high contrast, a step indicator "
                 "(Right / Left step too) / leave it"),
    ("Esc", "leave presentation mode, else the course map, else the lesson"),
    ("Alt+Home", "the course map: the six weeks, their lessons, your progress; Continue "
                 "(Enter, or Page Down)"),
    ("Ctrl+= / Ctrl+- / Ctrl+0", "larger / smaller / normal text"),
    ("F11", "full screen"),
    ("F6", "fold the controls away for more room, or bring them back"),
    ("Ctrl+E / Ctrl+Shift+E", "export the view as PNG / SVG"),
    ("Ctrl+Shift+C / Ctrl+Shift+G", "export the run as a CSV table / an animated GIF"),
    (", / .", "back / forward one record in the run's history"),
    ("F1", "this list"),
    ("Ctrl+Q", "quit"),
)

def tab_class(spec: TabSpec) -> type[TutorTab]:
    return getattr(importlib.import_module(spec.module), spec.cls)


def lesson_checks() -> dict:
    """What a lesson is checked against when it is read, besides its states: each tab's
    readouts a step may hide, and whether mathtext can typeset each formula."""
    from mlcalc_gui.gui.widgets.typeset import formula_problem

    return {"hideable": {spec.title: tab_class(spec).SPOILERS for spec in TAB_SPECS},
            "places": {spec.title: tab_class(spec).PLACES for spec in TAB_SPECS},
            "observables": {spec.title: tuple(tab_class(spec).OBSERVABLES)
                            for spec in TAB_SPECS},
            "formula_problem": formula_problem}


def load_lesson(path, state_classes) -> lessons_core.Lesson:
    """A lesson file, checked entirely as it is read (see :func:`lesson_checks`)."""
    return lessons_core.load(path, state_classes, **lesson_checks())

def shortcut_list(current: int = -1) -> list:
    """The F1 list's groups: the tab ``current`` first, the window's keys, the others
    (from the tabs' own declarations)."""
    return shortcut_groups(WINDOW_SHORTCUTS,
                           [(spec.title, tab_class(spec)) for spec in TAB_SPECS], current)
