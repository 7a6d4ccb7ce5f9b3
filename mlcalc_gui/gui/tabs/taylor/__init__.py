"""The Taylor tab (week 4): polynomial approximations and how far to trust them, in two
pages: :class:`~.series.SeriesPage`, the series of f(x) about a, its error and its radius
(Play climbs the order); :class:`~.model.ModelPage`, the tangent plane and the quadratic
model of f(x, y) at a point."""

from __future__ import annotations

from mlcalc_gui.core.states import TaylorState
from mlcalc_gui.gui.kit.page import PagedTab
from mlcalc_gui.gui.kit.shortcuts import Clicker, Shortcut, nudge_shortcuts, playback_shortcuts
from mlcalc_gui.gui.tabs.taylor.model import ModelPage
from mlcalc_gui.gui.tabs.taylor.series import SeriesPage

__all__ = ["TaylorTab", "SeriesPage", "ModelPage"]


class TaylorTab(PagedTab):
    title = "Taylor"
    State = TaylorState
    Pages = (SeriesPage, ModelPage)
    view_key = "T"
    shortcuts = (*playback_shortcuts(),
                 Shortcut("+", "raise the order n", lambda tab: tab.order_up()),
                 Shortcut("=", "raise the order n (the + key without Shift)",
                          lambda tab: tab.order_up()),
                 Shortcut("-", "lower the order n", lambda tab: tab.order_down()),
                 *nudge_shortcuts("move a right", "move a left"),
                 Shortcut("M", "a = 0: the Maclaurin series",
                          lambda tab: tab.series.maclaurin()),
                 Shortcut("T", "one variable / two variables", lambda tab: tab.next_view()))
    clicker = Clicker("order n up / down (two variables: the model's order 1 / 2)",
                      lambda tab: tab.order_up(), lambda tab: tab.order_down())
    restore_after_paint = True  # the first parse imports sympy
    #: The terms stay: a question asks what the polynomial gives, from its terms.
    DEFAULT_SPOILERS = ("error", "verdict")

    def build(self) -> None:
        super().build()
        self.series, self.model = self.pages

    def demo_state(self) -> TaylorState:
        return TaylorState("log(1 + x)", (-0.99, 2.5), 0.0, 6)

    # ---- what + and −, Page Down and Up, and the step indicator mean: the page's ---------
    def order_up(self) -> None:
        """+ or Page Down: the order of what is shown (n, or the 2D model's 1 → 2)."""
        self.page.order_up()

    def order_down(self) -> None:
        self.page.order_down()

    def step_position(self) -> str:
        return self.page.step_position()

    def step_at_end(self) -> bool:
        return self.page.step_at_end()
