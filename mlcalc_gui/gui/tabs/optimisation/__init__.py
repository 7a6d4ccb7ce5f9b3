"""The Optimisation tab (week 5): three pages, each with its own run.

* :class:`~.newton.NewtonPage`: Newton-Raphson on f(x), the tangents and where each
  start ends;
* :class:`~.race.RacePage`: four methods race down one surface;
* :class:`~.lagrange.LagrangePage`: the best f on a curve g = 0, and λ as a price.
"""

from __future__ import annotations

from mlcalc_gui.core.states import OptimisationState
from mlcalc_gui.gui.kit.page import PagedTab
from mlcalc_gui.gui.kit.shortcuts import (
    Shortcut,
    nudge_shortcuts,
    playback_shortcuts,
    view_shortcut,
)
from mlcalc_gui.gui.tabs.optimisation.lagrange import LagrangePage
from mlcalc_gui.gui.tabs.optimisation.newton import NewtonPage
from mlcalc_gui.gui.tabs.optimisation.race import RacePage

__all__ = ["OptimisationTab", "NewtonPage", "RacePage", "LagrangePage"]


class OptimisationTab(PagedTab):
    title = "Optimisation"
    State = OptimisationState
    Pages = (NewtonPage, RacePage, LagrangePage)
    shortcuts = (*playback_shortcuts(),
                 view_shortcut("Newton, descent, Lagrange"),
                 *nudge_shortcuts("move x0 (or the point on the constraint) right / along",
                                  "move x0 (or the point on the constraint) left / back"),
                 Shortcut("G", "the point to the best solution on the constraint",
                          lambda tab: tab.lagrange.go_to_solution()))
    restore_after_paint = True  # the first parse imports sympy

    def build(self) -> None:
        super().build()
        self.newton, self.race, self.lagrange = self.pages

    def demo_state(self) -> OptimisationState:
        """The course's polynomial from x₀ = 3.1: the tangents wander near 3 (where f has
        a minimum above the axis), with the strip showing why."""
        return OptimisationState(shown=9)

    def more_demos(self) -> tuple[tuple[str, OptimisationState], ...]:
        best = (-0.0958377, -0.4253073)  # the course's maximum on the ellipse
        return (("descent", OptimisationState(view="descent", raced=300)),
                ("lagrange", OptimisationState(view="lagrange", point=best)))

