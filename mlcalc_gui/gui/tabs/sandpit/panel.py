"""The Sandpit tab's control column: the floor, the game's mode and strategy, your own
step rule, the dips, and the best scores kept between sessions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mlcalc_gui.core import sandpit as pit
from mlcalc_gui.core.step_rules import STEP_EXAMPLES
from mlcalc_gui.gui.kit.widgets import (
    button_row,
    error_label,
    note_label,
    panel_column,
    plain_label,
)
from mlcalc_gui.gui.tabs.sandpit.plots import CHOICE_NAMES
from mlcalc_gui.gui.widgets.playback import PlaybackBar
from mlcalc_gui.gui.widgets.steady import WrappedLabel

#: The settings key the score table is kept under.
SCORES_KEY = "sandpit/scores"


class PanelMixin:
    """The control column of :class:`~mlcalc_gui.gui.tabs.sandpit.SandpitTab`."""

    def _build_panel(self) -> QWidget:
        panel, layout = panel_column(self.EXPLANATION)
        box = QGroupBox("The floor")
        form = QFormLayout(box)
        self.kind_combo = QComboBox()
        self.kind_combo.addItems([pit.KIND_NAMES[k] for k in pit.KINDS])
        self.kind_combo.setToolTip("The course's floors: intro and depth-only are fixed; "
                                   "the others are made from a seed")
        self.kind_combo.activated.connect(self._kind_chosen)
        form.addRow("Floor", self.kind_combo)
        row = QHBoxLayout()
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 999_999)
        self.seed_spin.setKeyboardTracking(False)
        self.seed_spin.setToolTip("The same seed makes the same floor: a class can all "
                                  "play one floor. Press Enter to use it.")
        self.seed_spin.editingFinished.connect(self._choose_floor)
        new = QPushButton("New floor")
        new.setToolTip("A new random floor of this kind, with a new seed (F)")
        new.clicked.connect(self.new_floor)
        row.addWidget(self.seed_spin, 1)
        row.addWidget(new)
        form.addRow("Seed", row)
        layout.addWidget(box)

        box = QGroupBox("The stick")
        form = QFormLayout(box)
        self.mode_combo = QComboBox()
        self.mode_combo.addItems([pit.MODE_NAMES[m] for m in pit.MODES])
        self.mode_combo.setToolTip("What a dip reads: the depth only, the depth and the "
                                   "slope (an arrow of −J), or both with a worker who takes "
                                   "up to 5 steps after each of your dips")
        self.mode_combo.activated.connect(lambda _: self._mode_changed())
        form.addRow("Mode", self.mode_combo)
        self.strategy_combo = QComboBox()
        self.strategy_combo.addItems([CHOICE_NAMES[s] for s in pit.STRATEGY_CHOICES])
        self.strategy_combo.setToolTip(
            "The worker's step from the slope J and the Hessian H: one metre right; "
            "−0.5 J; Newton's −H⁻¹J (it can run to a maximum); Newton unless it goes "
            "uphill or further than 2 m, then −0.5 J; or your own formula")
        self.strategy_combo.activated.connect(lambda _: self._strategy_changed())
        form.addRow("Strategy", self.strategy_combo)
        self.step_edit = QLineEdit(self._step)
        self.step_edit.setPlaceholderText("a step in J and H, e.g. -0.3 J")
        self.step_edit.setToolTip(
            "Write the course's next_step: a vector from the slope J and the Hessian H "
            "(entries Jx, Jy, Hxx, Hxy, Hyy; I the identity). H J is the matrix product, "
            "J J the dot product, H^-1 the inverse. Enter plays it.")
        self.step_edit.returnPressed.connect(self._step_typed)
        form.addRow("Your step", self.step_edit)
        self.step_error = error_label()
        form.addRow(self.step_error)
        examples = note_label("Try " + "; ".join(f"{t} ({what})" for t, what in STEP_EXAMPLES)
                              + ".")
        form.addRow(examples)
        layout.addWidget(box)

        box = QGroupBox("Your dips")
        v = QVBoxLayout(box)
        self.message = plain_label()
        v.addWidget(self.message)
        self.dip_list = QListWidget()
        self.dip_list.setToolTip("Each dip and its depth; the worker's steps are indented")
        self.dip_list.setMinimumHeight(120)
        v.addWidget(self.dip_list, 1)
        v.addLayout(button_row(
            ("New game", "Start again on the same floor (G)", self.new_game),
            ("Reveal the floor", "Show the floor and the phone (V): the game is over",
             self.reveal)))
        layout.addWidget(box)

        box = QGroupBox("The strategies")
        v = QVBoxLayout(box)
        self.compare = QCheckBox("Compare them after the game")
        self.compare.setChecked(True)
        self.compare.setToolTip("Steepest descent, Newton and the hybrid from your first "
                                "dip, drawn on the revealed floor")
        self.binder.bind("compare", self.compare, lambda _: self._draw_compared())
        v.addWidget(self.compare)
        self.compare_note = note_label()
        v.addWidget(self.compare_note)
        self.playback = PlaybackBar(speeds=(1, 2, 5, 10), default_speed=1, unit="dips")
        v.addWidget(self.playback)
        self.run_label = WrappedLabel()
        v.addWidget(self.run_label)
        layout.addWidget(box)
        layout.addWidget(self._build_scores())
        layout.addStretch(1)
        return panel

    def _build_scores(self) -> QWidget:
        box = QGroupBox("Best scores (kept between sessions)")
        v = QVBoxLayout(box)
        self.score_view = QTableWidget(0, 4)
        self.score_view.setHorizontalHeaderLabels(["Floor", "Alone", "Worker", "Won"])
        self.score_view.setToolTip("Your fewest dips to find the phone on each floor, "
                                   "without a worker and with one, and the games won")
        self.score_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.score_view.verticalHeader().setVisible(False)
        header = self.score_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for i in (1, 2, 3):
            header.setSectionResizeMode(i, QHeaderView.ResizeToContents)
        self.score_view.setMinimumHeight(110)
        v.addWidget(self.score_view)
        self.score_note = note_label()
        v.addWidget(self.score_note)
        clear = QPushButton("Clear the table")
        clear.setToolTip("Forget every score kept (it cannot be undone)")
        clear.clicked.connect(self.clear_scores)
        v.addWidget(clear, 0, Qt.AlignRight)
        return box


    # ---- the score table -------------------------------------------------------------------
    def _load_scores(self) -> None:
        stored = self.settings.value(SCORES_KEY) if self.settings is not None else None
        self.scores, problem = pit.scores_from_json(stored)
        self._show_scores(problem or "")

    def _record_score(self) -> None:
        self.scores = pit.add_score(self.scores, self.game)
        if self.settings is not None:
            self.settings.setValue(SCORES_KEY, pit.scores_to_json(self.scores))
        self._show_scores()

    @Slot()
    def clear_scores(self) -> None:
        self.scores = ()
        if self.settings is not None:
            self.settings.remove(SCORES_KEY)
        self._show_scores()

    def _show_scores(self, note: str = "") -> None:
        rows = pit.score_table(self.scores)
        self.score_view.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem("–" if value is None else str(value))
                if c:
                    item.setTextAlignment(Qt.AlignCenter)
                self.score_view.setItem(r, c, item)
        self.score_note.setText(note or ("No games won yet: find a phone to start the "
                                         "table." if not rows else ""))


