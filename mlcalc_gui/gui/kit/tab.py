"""What every tab has: lazy building, its state in and out, its keys, its places and
readouts for the lessons, its workers stopped on leave and close (the pieces it is laid
out with are in kit.widgets, its keys' type in kit.shortcuts)."""

from __future__ import annotations

import gc
import linecache
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from mlcalc_gui.core.runner import Service
from mlcalc_gui.gui import theme
from mlcalc_gui.gui.kit.binder import Binder
from mlcalc_gui.gui.kit.shortcuts import Clicker, Shortcut
from mlcalc_gui.gui.kit.spoilers import Spoilers
from mlcalc_gui.gui.kit.widgets import ViewsArea, selectable_readouts, side_panel
from mlcalc_gui.gui.run.host import process_events_until
from mlcalc_gui.gui.run.process_worker import ProcessWorker
from mlcalc_gui.gui.run.worker import GeneratorWorker
from mlcalc_gui.gui.widgets.steady import Settle

__all__ = ["TutorTab", "settle_after_imports"]

def settle_after_imports() -> None:
    """Tidy up after lazy imports (a tab's modules, sympy).

    * PySide6's ``__feature__`` import hook calls ``inspect.getsource`` on each newly
      imported module that may use PySide6 (the rest are spared it:
      :func:`mlcalc_gui.app.lighten_import_hook`), which leaves the module's text in
      ``linecache``.  Nothing needs it (tracebacks read lines again on demand), so it is
      dropped.
    * The objects made so far (modules, sympy's tables: about 140,000) are moved out
      of the garbage collector's reach with ``gc.freeze``.  Otherwise every full
      collection walks them all, a 50-60 ms pause in the middle of an animation.
    """
    linecache.clearcache()
    gc.collect()
    gc.freeze()


class TutorTab(QWidget):
    """Base of every topic tab.

    A subclass sets ``title``, ``State`` (its frozen Qt-free state class) and
    ``shortcuts``, and implements:

    * :meth:`build`: make the widgets (called on first show, so start-up only pays for
      the visible tab); the keys in ``shortcuts`` are bound after it;
    * :meth:`capture` and :meth:`restore`: the tab's state, out and in (a session, a
      demo, the state it starts in);
    * :meth:`demo_state`: the state ``--screenshot`` shows (default: ``State()``), and
      :meth:`more_demos` the further ones it shows (a tab of several views);

    and may override :meth:`export_widget`.  What a tab keeps between sessions (the
    Sandpit's scores) goes in ``settings``, the window's QSettings (None for a tab made
    on its own: then it is kept for this run only).  Workers made with :meth:`make_worker` are
    cancelled and joined by :meth:`stop_work`, which the window calls on tab change and
    on close.
    """

    title = "Tab"
    State: ClassVar[type] = object
    shortcuts: ClassVar[tuple[Shortcut, ...]] = ()
    clicker: ClassVar[Clicker] = Clicker("one step of the run",
                                         lambda tab: tab.playback.step_once())
    #: Restore the first state only once the tab is painted (its first parse imports
    #: sympy, which would otherwise hold back the window's first frame).
    restore_after_paint: ClassVar[bool] = False
    #: The readouts a lesson's question may hide until it is answered (names a lesson
    #: file's "hide" uses), and those hidden when a step names none (None: all).
    SPOILERS: ClassVar[tuple[str, ...]] = ()
    #: The places a lesson's step may bring into view ("show": the Hessian's box, say).
    PLACES: ClassVar[tuple[str, ...]] = ()
    #: What a lesson's gate ("until") may test: each observable's name and what it is.
    #: :meth:`observe` gives their values now.
    OBSERVABLES: ClassVar[dict[str, str]] = {}
    DEFAULT_SPOILERS: ClassVar[tuple[str, ...] | None] = None
    sig_status = Signal(str)
    settings: Any = None
    #: The scale (gui.scale.factor) the tab was last brought to; None: out of date.
    scaled_at: float | None = 1.0

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._built = False
        self._workers: list[GeneratorWorker | ProcessWorker] = []
        self._tasks: list[Any] = []  # BackgroundTasks: resumed when the tab is shown again
        self._after_paint: list[Callable[[], None]] = []
        self._settle_pending = False
        self._pending_state: Any = None  # to restore once built
        self._spoilers = Spoilers()
        #: The controls bound to fields of the tab's state (see kit.binder).
        self.binder = Binder(self)

    def call_after_first_paint(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the tab has been painted: slow first work (importing
        sympy, say) then never holds back the window's first frame."""
        self._after_paint.append(callback)

    def event(self, ev) -> bool:
        if ev.type() == QEvent.Paint and (self._after_paint or self._settle_pending):
            pending, self._after_paint = self._after_paint, []
            self._settle_pending = False
            # Settled once, after the slow first work (sympy's imports are settled with
            # the tab's own; their source is never read, see app.lighten_import_hook).
            for callback in pending:
                QTimer.singleShot(0, self, callback)
            QTimer.singleShot(0, self, settle_after_imports)
        return super().event(ev)

    @property
    def built(self) -> bool:
        return self._built

    def ensure_built(self) -> None:
        if self._built:
            return
        self._built = True
        self.build()  # imports the tab's modules: settled after the first frame
        selectable_readouts(self)
        self._settle_pending = True
        for shortcut in self.shortcuts:
            # Window-wide, so the keys answer from the moment the tab is shown, wherever
            # the focus is (the tab bar after Ctrl+2, the lesson bar); a hidden tab's
            # are off, since Qt takes no shortcut of a hidden widget.  A focused control
            # keeps its own keys (gui.keys, and text fields by Qt's own rule).
            key = QShortcut(QKeySequence(shortcut.key), self)
            key.setContext(Qt.WindowShortcut)
            key.activated.connect(shortcut.resolve(self))
        if self._pending_state is None:
            self._pending_state = self.State()
        if self.restore_after_paint:
            self.sketch(self._pending_state)  # (drawn in the first frame)
            self.call_after_first_paint(self._restore_pending)
        else:
            self._restore_pending()

    def sketch(self, state: Any) -> None:
        """For a tab that restores its first state after the first frame: draw what it
        can of ``state`` before that, without the slow first work (sympy), so the first
        frame already shows it.  Nothing by default."""

    def _restore_pending(self) -> None:
        state, self._pending_state = self._pending_state, None
        if state is not None:
            self.restore(state)

    # ---- the clicker: Page Down / Page Up -------------------------------------------------
    def step_next(self) -> None:
        """Page Down: the next step of what this tab walks through."""
        self.ensure_built()
        self.clicker.next(self)

    def step_previous(self) -> bool:
        """Page Up: the previous step; False if this tab has none to go back to."""
        self.ensure_built()
        if self.clicker.previous is None:
            return False
        self.clicker.previous(self)
        return True

    def step_position(self) -> str:
        """Where the walk is, for the presentation's step indicator ("" if unknown):
        by default the run's progress."""
        bar = getattr(self, "playback", None)
        progress = getattr(bar, "progress", None)
        if progress is not None and progress.isVisible():
            return progress.format()
        return ""

    def step_at_end(self) -> bool:
        """Page Down has nothing further to step here (the walk is at its last step)."""
        return False

    # ---- readouts a question hides -------------------------------------------------------
    def spoiler_parts(self) -> dict[str, list]:
        """What each of :data:`SPOILERS` is made of (see :mod:`gui.spoilers`)."""
        return {}

    def hide_readouts(self, names: tuple[str, ...] | None = None) -> None:
        """Hide the readouts ``names`` (None: :data:`DEFAULT_SPOILERS`) until
        :meth:`show_readouts`: a question is waiting for the learner's prediction."""
        self.ensure_built()
        if names is None:
            names = self.SPOILERS if self.DEFAULT_SPOILERS is None else self.DEFAULT_SPOILERS
        self._spoilers.hide(names, self.spoiler_parts())

    def show_readouts(self) -> None:
        self._spoilers.show()

    @property
    def hidden_readouts(self) -> tuple[str, ...]:
        return self._spoilers.names

    def build(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # ---- state -----------------------------------------------------------------------------
    def capture_state(self) -> Any:
        """The tab's state now (a state given before the tab was built, or None if
        the tab was never used)."""
        if self._pending_state is not None or not self._built:
            return self._pending_state
        return self.capture()

    def apply_state(self, state: Any) -> None:
        """Bring the tab into ``state``; an unbuilt tab takes it when it is built."""
        if not isinstance(state, self.State):
            raise TypeError(f"{self.title} takes a {self.State.__name__}")
        if self._built and self._pending_state is None:
            # The runs stop (the state brings its own); background work is not waited
            # for: a request the state makes supersedes it, and only the newest is
            # answered (joining it held opening a session 0.1 s a tab).
            self.stop_runs()
            self.restore(state)
            self.resume_tasks()
        else:
            self._pending_state = state

    def capture(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def restore(self, state: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def preset_state(self, preset: Any) -> dict[str, Any]:  # pragma: no cover - abstract
        """The fields of the state ``preset`` sets: its function, domain and start, and
        the run's progress back to none (a new preset starts afresh)."""
        raise NotImplementedError

    def apply_preset(self, preset: Any) -> None:
        """A preset is a partial state: its fields over the state now, applied as a
        session's or a lesson's state is (the controls and views follow the state)."""
        self.apply_state(replace(self.capture_state() or self.State(),
                                 **self.preset_state(preset)))

    def demo_state(self) -> Any:
        """The state the --screenshot picture shows."""
        return self.State()

    def more_demos(self) -> tuple[tuple[str, Any], ...]:
        """Further (name, state) pairs ``--screenshot`` shows: a tab of several views
        shows each (default: none)."""
        return ()

    def run_demo(self, state: Any = None) -> None:
        """Bring the tab into its demonstration state, or ``state`` (``--screenshot``)."""
        self.ensure_built()
        process_events_until(lambda: self._pending_state is None, 30)
        self.apply_state(self.demo_state() if state is None else state)
        # What the state starts off the GUI thread (formulas, a floor, a replay) is drawn.
        process_events_until(lambda: not self.working, 30)

    def make_worker(self, on_batch, on_state, on_finished, frame_interval: float = 1 / 60,
                    service: Service | None = None) -> GeneratorWorker | ProcessWorker:
        """A worker owned (and stopped) by this tab, its three signals connected: a
        thread for a generator, or with ``service`` a process for jobs."""
        worker = (ProcessWorker(service, self, frame_interval) if service is not None
                  else GeneratorWorker(self, frame_interval=frame_interval))
        worker.sig_batch.connect(on_batch)
        worker.sig_state.connect(on_state)
        worker.sig_finished.connect(on_finished)
        self._workers.append(worker)
        return worker

    def add_task(self, task: Any) -> None:
        """Keep ``task`` (a BackgroundTask) going: :meth:`stop_work` cancels it when the
        tab is left or a state applied, and it resumes when the tab is shown again."""
        self._tasks.append(task)

    @property
    def working(self) -> bool:
        """Work off the GUI thread (a typed function's check, a landscape, a search, a
        typeset rule) is still going."""
        return any(task.busy for task in self._tasks)

    def resume_tasks(self) -> None:
        for task in self._tasks:
            task.resume()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        if self._built:
            self.resume_tasks()  # leaving the tab stopped them

    def set_main_layout(self, panel: QWidget, views: QWidget, panel_width: int = 380) -> None:
        """Every tab's shape: the control column on the left, which folds away (F6, or
        the arrow beside it) to give the views the room; its views on the right, in an
        area that scrolls when the window is too small for them, so no view is ever
        squashed below a usable size (a projector of 1024 × 768 in presentation mode)."""
        outer = QHBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(2)
        self.fold_button = QToolButton()
        self.fold_button.setObjectName("foldButton")
        self.fold_button.setStyleSheet(theme.FOLD_BUTTON_STYLE)
        self.fold_button.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Expanding)
        self.fold_button.clicked.connect(lambda: self.set_panel_folded(not self.panel_folded))
        outer.addWidget(self.fold_button)
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)
        self.side_column = side_panel(panel)
        self.views_area = ViewsArea(views)
        self.splitter.addWidget(self.side_column)
        self.splitter.addWidget(self.views_area)
        self.splitter.setSizes([panel_width, 1200])
        self.splitter.setStretchFactor(1, 1)
        for inner in [views, *views.findChildren(QSplitter)]:
            if isinstance(inner, QSplitter):
                inner.setChildrenCollapsible(False)  # a view keeps its least size
        self.set_panel_folded(False)

    @property
    def panel_folded(self) -> bool:
        side = getattr(self, "side_column", None)
        return side is not None and not side.isVisibleTo(self)

    def set_panel_folded(self, folded: bool) -> None:
        """Fold the control column away (the views take the room) or bring it back."""
        side = getattr(self, "side_column", None)
        if side is None:
            return
        side.setVisible(not folded)
        self.fold_button.setArrowType(Qt.RightArrow if folded else Qt.LeftArrow)
        self.fold_button.setToolTip("Show the controls (F6)" if folded else
                                    "Fold the controls away, for more room for the views (F6)")

    def observe(self) -> dict[str, float | bool]:
        """The values of :data:`OBSERVABLES` now (one missing: it has none yet)."""
        return {}

    def places(self) -> dict[str, QWidget]:
        """What each of :data:`PLACES` is (a box of the control column, or a view)."""
        return {}

    def show_place(self, widget: QWidget | str) -> None:
        """Bring ``widget`` (a box of the control column, or a view; or the name of one
        of :data:`PLACES`) into view: the page holding it comes forward, the column
        unfolds if it must, and the column or the views scroll to it."""
        if isinstance(widget, str):
            self.ensure_built()
            widget = self.places()[widget]
        child, parent = widget, widget.parentWidget()
        while parent is not None and parent is not self:  # sub-pages (a view, a tab)
            if isinstance(parent, QStackedWidget):
                parent.setCurrentWidget(child)
            child, parent = parent, parent.parentWidget()
        side = getattr(self, "side_column", None)
        if side is None:
            return
        if side.widget().isAncestorOf(widget):
            self.set_panel_folded(False)
            side.ensureWidgetVisible(widget, 0, 0)
        elif self.views_area.widget().isAncestorOf(widget):
            self.views_area.ensureWidgetVisible(widget, 0, 0)

    def stop_runs(self) -> None:
        """Stop this tab's runs (a session is being saved), their records kept on screen;
        its background work (a formula typeset, a grid of series) goes on: a save need
        not wait for it (joining it held each save a tenth of a second a tab)."""
        from mlcalc_gui.gui.run.controller import RunController

        for controller in self.findChildren(RunController):
            controller.stop()

    def stop_work(self) -> None:
        """Cancel and join every run of this tab; its results so far stay on screen."""
        for worker in self._workers:
            worker.cancel()
        for timer in self.findChildren(QTimer, "mlc_legend_placer"):  # panels.plots
            timer.stop()
        for settle in self.findChildren(Settle):  # held heights let go (widgets.steady)
            settle.settle_now()

    def close_workers(self) -> None:
        """Stop the work and end the workers' processes (the window is closing)."""
        self.stop_work()
        for worker in self._workers:
            worker.close()

    def export_widget(self) -> QWidget:
        """The part of the tab that File > Export saves."""
        return self
