"""The Backpropagation tab (week 3): a network learns to draw a curve (the course's first
assignment), in two pages on one set of settings: :class:`~.network.NetworkPage`, one
network training with its cost, its diagram, a walk through one example's forward and
backward pass and a gradient check; :class:`~.race.RacePage`, the same network trained
from eight seeds at once.

The tab holds what both pages train on: the target curve (a preset or one drawn), the
settings and the seed, and the points ``x``, ``y`` made from them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QGroupBox, QPushButton, QVBoxLayout, QWidget

from mlcalc_gui.core.network import (
    CURVES,
    TrainingSettings,
    parse_training_settings,
    resample_curve,
)
from mlcalc_gui.core.states import DRAWN_CURVE, BackpropState
from mlcalc_gui.core.training_log import trained_log
from mlcalc_gui.gui.kit.page import PagedTab
from mlcalc_gui.gui.kit.shortcuts import Clicker, Shortcut, playback_shortcuts
from mlcalc_gui.gui.panels.settings_form import SettingsForm
from mlcalc_gui.gui.tabs.backprop.network import NetworkPage
from mlcalc_gui.gui.tabs.backprop.race import RACE_DRAWN, RACE_POINTS, RACE_SEEDS, RacePage
from mlcalc_gui.gui.theme import ERROR_STYLE
from mlcalc_gui.gui.widgets.steady import WrappedLabel

__all__ = ["BackpropTab", "NetworkPage", "RacePage", "RACE_DRAWN", "RACE_POINTS",
           "RACE_SEEDS"]

DRAWN = DRAWN_CURVE
SETTING_SPECS = (
    ("hidden", "Hidden layers", "Neurons in each hidden layer, e.g. '6 7' (the course's) or "
     "'12'; up to 4 layers of up to 64"),
    ("n", "Training points N", "How many points of the curve to learn from (2 to 2000)"),
    ("aggression", "Aggression", "The step size: parameter -= aggression × Jacobian (the "
     "course uses 7)"),
    ("noise", "Noise", "Each Jacobian is multiplied by (1 + noise × ξ), ξ ~ N(0, 1)"),
    ("iterations", "Iterations", "Train up to this many iterations"),
    ("seed", "Seed", "The random seed for the initial weights and the noise: the same seed "
     "gives the same run on this computer"),
)


class BackpropTab(PagedTab):
    title = "Backpropagation"
    State = BackpropState
    Pages = (NetworkPage, RacePage)
    panel_width = 370
    view_key = "V"
    shortcuts = (*playback_shortcuts(many=True),
                 Shortcut("[", "previous stage of the walk through one example",
                          lambda tab: tab.network.previous_stage()),
                 Shortcut("]", "next stage of the walk through one example",
                          lambda tab: tab.network.next_stage()),
                 Shortcut("D", "draw your own curve", lambda tab: tab.draw_button.toggle()),
                 Shortcut("8", f"race {RACE_SEEDS} seeds: show the race and start it",
                          lambda tab: tab.start_race()),
                 Shortcut("V", "one network / the race of seeds", lambda tab: tab.next_view()),
                 Shortcut("Ctrl+Z", "bring back the trained network a change set aside",
                          lambda tab: tab.network.undo_reset()))
    clicker = Clicker("next / previous stage of one example's walk",
                      lambda tab: tab.network.next_stage(),
                      lambda tab: tab.network.previous_stage())
    #: A lesson may hide the network's readouts; none is hidden unless a step names it
    #: (the questions of this tab are answered from the picture of the network itself).
    DEFAULT_SPOILERS = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.settings = TrainingSettings()
        self.curve_name = next(iter(CURVES))
        self.drawn_points: np.ndarray | None = None
        self.x, self.y = self.target()

    def build(self) -> None:
        super().build()
        self.network, self.race = self.pages

    # ---- the target curve and the settings (both pages train on them) --------------------
    def build_shared_panel(self) -> QWidget:
        shared = QWidget()
        layout = QVBoxLayout(shared)
        layout.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox("Target curve")
        v = QVBoxLayout(box)
        self.curve_combo = QComboBox()
        self.curve_combo.addItems([*CURVES, DRAWN])
        self.curve_combo.setToolTip("The curve the network learns to draw")
        self.curve_combo.activated.connect(self._on_curve_chosen)
        v.addWidget(self.curve_combo)
        self.draw_button = QPushButton("✎ Draw your own curve")
        self.draw_button.setCheckable(True)
        self.draw_button.setToolTip("Then drag with the mouse on the square; the network "
                                    "will learn to draw what you drew (D)")
        self.draw_button.toggled.connect(self._on_draw_toggled)
        v.addWidget(self.draw_button)
        self.curve_message = WrappedLabel()
        self.curve_message.setTextFormat(Qt.PlainText)
        self.curve_message.setVisible(False)
        v.addWidget(self.curve_message)
        layout.addWidget(box)

        d = TrainingSettings()
        defaults = {"hidden": " ".join(map(str, d.hidden)), "n": str(d.n),
                    "aggression": f"{d.aggression:g}", "noise": f"{d.noise:g}",
                    "iterations": str(d.iterations), "seed": str(d.seed)}
        self.activation_combo = QComboBox()
        self.activation_combo.addItems(["logistic", "tanh", "relu"])
        self.activation_combo.setToolTip("The hidden layers' activation (the output layer "
                                          "stays logistic, so it draws inside the square)")
        self.activation_combo.activated.connect(lambda _: self.apply_settings())
        self.form = SettingsForm(
            "Network and training",
            [(key, label, defaults[key], tip) for key, label, tip in SETTING_SPECS],
            parse_training_settings, [("Hidden activation", self.activation_combo)])
        self.form.sig_edited.connect(self.apply_settings)
        self.fields, self.settings_error = self.form.fields, self.form.error
        layout.addWidget(self.form)
        return shared

    @property
    def activation(self) -> str:
        return self.activation_combo.currentText()

    def read_settings(self) -> TrainingSettings | None:
        """The typed settings, or None after showing what is wrong beside the controls."""
        settings, problem = self.form.read()
        if settings is None:
            self.sig_status.emit(f"Setting refused: {problem}")
        return settings

    @Slot()
    def apply_settings(self) -> bool:
        new = self.read_settings()
        if new is None:
            return False
        old, self.settings = self.settings, new
        if ((new.hidden, new.n, new.seed) != (old.hidden, old.n, old.seed)
                or self.network.log.net.hidden_activation != self.activation):
            self.reset_network()
        elif (new.aggression, new.noise) != (old.aggression, old.noise):
            self.network.settings_changed(new)  # goes on with the new step settings
            self.race.run.restart()  # and the race, from its newest kept networks
        self.network.update_status()
        return True

    def target(self) -> tuple[np.ndarray, np.ndarray]:
        n = self.settings.n
        if self.curve_name == DRAWN and self.drawn_points is not None:
            return resample_curve(self.drawn_points, n)
        return CURVES[self.curve_name](n)

    def renew(self) -> TrainingSettings:
        """The settings typed (the last good ones if a field is wrong) and the target made
        from them: what a fresh network trains on.  The race starts again too."""
        self.settings = self.read_settings() or self.settings
        self.x, self.y = self.target()
        if getattr(self, "race", None) is not None:
            self.race.run.reset()  # a new network, curve or seed: a new race too
        return self.settings

    @Slot()
    def reset_network(self) -> None:
        """Stop, and start again from fresh weights drawn with the seed."""
        self.network.run.reset()

    @Slot()
    def new_seed(self) -> None:
        self.fields["seed"].setText(str((self.settings.seed + 1) % (2**32)))
        self.reset_network()

    def _on_curve_chosen(self, index: int) -> None:
        name = self.curve_combo.itemText(index)
        if name == DRAWN and self.drawn_points is None:
            self.draw_button.setChecked(True)
            return
        self.curve_name = name
        self.reset_network()

    def _on_draw_toggled(self, on: bool) -> None:
        if on:
            self.show_page(self.network)  # the curve is drawn on its square
        self.curve_message.setVisible(on)
        self.curve_message.setStyleSheet("")
        self.curve_message.setText("Drag on the square to draw a curve, in one stroke.")

    def accept_drawing(self, points: np.ndarray) -> bool:
        """Use a drawn polyline (M, 2) in the unit square as the target; False if refused."""
        self.network.square.drawing_item.setData([], [])
        try:
            resample_curve(points, self.settings.n)
        except ValueError as exc:
            self.curve_message.setStyleSheet(ERROR_STYLE)
            self.curve_message.setText(f"⚠ {exc}. The previous target stays.")
            self.curve_message.setVisible(True)
            return False
        self.drawn_points = np.asarray(points, dtype=float)
        self.curve_name = DRAWN
        self.curve_combo.setCurrentText(DRAWN)
        self.draw_button.setChecked(False)
        self.curve_message.setVisible(False)
        self.reset_network()
        self.sig_status.emit("Your curve is the new target: press Play to train")
        return True

    @Slot()
    def start_race(self) -> None:
        """Show the race page and start (or resume) the race."""
        self.show_page(self.race)
        self.race.run.play()

    # ---- the clicker and the step indicator walk one example, on either page -------------
    def step_position(self) -> str:
        return self.network.step_position()

    def step_at_end(self) -> bool:
        return self.network.step_at_end()

    # ---- state: the settings, the page shown, and the network on screen -------------------
    def capture(self) -> BackpropState:
        return self.network.state(self.settings, self.curve_name, self.drawn_points)

    def restore(self, state: BackpropState) -> None:
        self.form.set_texts({"hidden": " ".join(map(str, state.hidden)), "n": state.n,
                             "aggression": f"{state.aggression:g}",
                             "noise": f"{state.noise:g}", "iterations": state.iterations,
                             "seed": state.seed})
        self.activation_combo.setCurrentText(state.activation)
        self.drawn_points = None if state.drawn is None else np.array(state.drawn)
        self.curve_name = state.curve
        self.curve_combo.setCurrentText(state.curve)
        self.show_page(state.view)
        self.network.restore(state)

    def demo_state(self) -> BackpropState:
        """The tab as a learner first meets it, trained to the end (the course's settings
        and the default seed), walking example 30 backwards at δ²."""
        s = TrainingSettings()
        log = trained_log(s, *CURVES[next(iter(CURVES))](s.n))
        return BackpropState(example=30, stage=12, **log.saved())
