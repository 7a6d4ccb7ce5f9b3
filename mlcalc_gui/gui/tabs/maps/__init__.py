"""The Maps and the chain rule tab (weeks 2 and 3), in three pages:

* :class:`~.jacobian.MapPage`: a map (x, y) → (u, v), its Jacobian and det J, the area
  a small square is scaled by, and where the map folds;
* :class:`~.path.PathPage`: f along a path r(t), and the total derivative ∇f · r′(t);
* :class:`~.chain.ChainPage`: Jacobians multiplying along a chain, and one neuron
  learning NOT, the chain that backpropagation repeats layer by layer.
"""

from __future__ import annotations

from mlcalc_gui.core.states import MapsState
from mlcalc_gui.gui.kit.page import PagedTab
from mlcalc_gui.gui.kit.shortcuts import nudge_shortcuts, playback_shortcuts, view_shortcut
from mlcalc_gui.gui.tabs.maps.chain import ChainPage
from mlcalc_gui.gui.tabs.maps.jacobian import MapPage
from mlcalc_gui.gui.tabs.maps.path import PathPage

__all__ = ["MapsTab", "MapPage", "PathPage", "ChainPage"]


class MapsTab(PagedTab):
    title = "Maps and chain rule"
    State = MapsState
    Pages = (MapPage, PathPage, ChainPage)
    shortcuts = (*playback_shortcuts(),
                 view_shortcut("the map, along a path, the chain and the neuron"),
                 *nudge_shortcuts("move the point (t, the chain's input) on",
                                  "move the point (t, the chain's input) back"))
    restore_after_paint = True  # the first parse imports sympy

    def build(self) -> None:
        super().build()
        self.map_page, self.path_page, self.chain_page = self.pages

    def demo_state(self) -> MapsState:
        """Polar coordinates, the course's example: a square from r = 1 shrunk four times,
        its image and the parallelogram J predicts closing in, det J = r."""
        return MapsState(shrunk=4)

    def more_demos(self) -> tuple[tuple[str, MapsState], ...]:
        return (("path", MapsState(view="path", walked=60)),
                ("chain", MapsState(view="chain", trained=120)))
