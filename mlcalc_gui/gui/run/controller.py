"""One run controller for every tab: Play, Pause, Step, Reset mean the same everywhere.

A tab hands the controller its playback bar and two things of its own: ``make_run(last)``,
a generator of records starting from the learner's start as it is *now* (``last`` is
None) or continuing from the last record of the current run, and slots for
``sig_records`` (a batch arrived: draw ``controller.records``), ``sig_cleared`` (the run
is gone: draw the start) and ``sig_finished``.  The semantics, tested once
(tests/gui/test_run_controller.py):

* Play resumes a paused run, or starts one: from the last record if the current run has
  records, else from the learner's start.
* Step advances exactly n records (a new run's first record is its start, so stepping
  from nothing gives the start and n more).
* :meth:`reset` stops and forgets the run and its finish message.  The tab calls it when
  the learner moves the start or changes a setting that makes a new run, so the next
  Play starts from where the learner's point is now, never from an old one, and no stale
  message stays.
* :meth:`restart` keeps the records and goes on from the last one with new settings (a
  new learning rate continues the same path), running or paused as it was.

Two options fit runs that are not a short path (training, in a process of its own):
``keep_all=False`` keeps only the last record (the tab keeps its own bounded history),
and ``repeats_start=True`` says every run's first record is the state it starts from,
which the controller drops, so Step n always advances exactly n.  ``on_stop`` is called
after a run is cancelled by :meth:`stop` or :meth:`restart`, for a tab to make its model
agree with what is on screen.

History: the playback bar's history row moves through the run's kept records (a
:class:`Timeline`; by default the records themselves, or one the tab keeps, as training
keeps thinned snapshots of its network).  Scrubbing pauses a running run and shows the
run at that record (``sig_scrubbed``; :attr:`RunTabMixin.path` ends there).  Play or
Step from a scrubbed record starts a new branch: the records after it are dropped and
the run goes on from it.  Scrubbing back to the newest record and pressing Play resumes
the run as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel

from mlcalc_gui.core.export_files import record_table
from mlcalc_gui.core.runner import FinishKind, RunState, Service
from mlcalc_gui.core.verdict import Level, as_verdict
from mlcalc_gui.gui.run.host import WorkHost, process_events_until
from mlcalc_gui.gui.theme import ERROR_STYLE, WARNING_STYLE
from mlcalc_gui.gui.widgets.playback import PlaybackBar

__all__ = ["RunController", "RunTabMixin", "Timeline", "ListTimeline", "RecordTimeline",
           "LiveUpdate"]

#: How a finished run's verdict looks at each level (with the ⚠ of Verdict.marked).
VERDICT_STYLES = {Level.INFO: "", Level.WARNING: WARNING_STYLE, Level.ERROR: ERROR_STYLE}

#: How often words and numbers that follow a running run change: a reader cannot take
#: in more than a few a second, and each change re-lays out its panel.
LIVE_INTERVAL_MS = 100


class Timeline(Protocol):
    """The kept history of a run, as the history row moves through it."""

    #: The index shown, or None for the newest (live).
    position: int | None

    def __len__(self) -> int: ...

    def show(self, index: int) -> None:
        """Show the run at kept item ``index`` (the newest means live again)."""

    def cut(self) -> None:
        """Drop what comes after the item shown and make it the newest (a new branch)."""

    def describe(self) -> str:
        """Which item is shown, for the history row: "step 12 of 40"."""


class ListTimeline:
    """A history kept as a sequence of items, every one (a subclass says which, in
    ``items()``, and how a branch drops the later ones, in ``cut``)."""

    #: What one item is called in the history row ("record 3 of 40").
    noun = "record"

    def __init__(self):
        self.position: int | None = None

    def items(self):
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.items())

    def show(self, index: int) -> None:
        last = len(self) - 1
        index = min(max(int(index), 0), last)
        self.position = None if index >= last else index

    def cut(self) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        n = len(self)
        shown = n if self.position is None else self.position + 1
        return f"{self.noun} {shown:,} of {n:,}" + ("" if self.position is None else " (past)")


class RecordTimeline(ListTimeline):
    """The records of a controller's run, every one kept."""

    def __init__(self, controller: RunController):
        super().__init__()
        self.controller = controller

    def items(self):
        return self.controller.records

    def cut(self) -> None:
        if self.position is not None:
            del self.controller.records[self.position + 1:]
            self.position = None


class LiveUpdate(QObject):
    """An update of words or numbers (a status line, a panel of readouts) that follows a
    run.  While the run runs, ``live(*args)`` is applied at most every
    :data:`LIVE_INTERVAL_MS` (a call in between is kept and applied at the interval's
    end, the latest winning); paused, stepped or stopped, at once.  :meth:`now` applies
    at once and drops one kept; :meth:`flush` applies one kept now.

    Made by :meth:`RunController.live`, which flushes them when its run stops running,
    before the tab hears how it ended."""

    def __init__(self, controller: RunController, apply: Callable[..., None]):
        super().__init__(controller)
        self._controller = controller
        self._apply = apply
        self._pending: tuple | None = None
        self._since = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    def __call__(self, *args: Any) -> None:
        if self._controller.state != RunState.RUNNING:
            self.now(*args)
            return
        self._pending = args
        if not self._since.isValid() or self._since.elapsed() >= LIVE_INTERVAL_MS:
            self.flush()
        elif not self._timer.isActive():
            self._timer.start(max(1, LIVE_INTERVAL_MS - self._since.elapsed()))

    def now(self, *args: Any) -> None:
        self._pending = args
        self.flush()

    @Slot()
    def flush(self) -> None:
        self._timer.stop()
        if self._pending is not None:
            args, self._pending = self._pending, None
            self._since.start()
            self._apply(*args)

    def cancel(self) -> None:
        """Drop a kept update (what it would show is out of date)."""
        self._timer.stop()
        self._pending = None


class RunController(QObject):
    """Owns a tab's worker and the records of its current run.

    Signals
    -------
    sig_records(tuple)
        A batch of new records, already appended to :attr:`records`.
    sig_cleared()
        The run was reset: :attr:`records` is empty and the finish message gone.
    sig_finished(FinishKind, str)
        The run ended; :attr:`finish` holds the same pair.
    sig_refused(str)
        Play or Step could not start (``blocked`` said why), for the status bar.
    sig_state(RunState)
        The run started, paused or stopped.
    sig_scrubbed()
        The history row moved: the tab draws the run as :attr:`timeline` shows it.
    sig_stalled(str)
        The run has not answered for a while (what to say), or answers again ("").
    """

    sig_records = Signal(object)
    sig_cleared = Signal()
    sig_finished = Signal(object, str)
    sig_refused = Signal(str)
    sig_state = Signal(object)
    sig_scrubbed = Signal()
    sig_stalled = Signal(str)

    def __init__(self, tab: WorkHost, playback: PlaybackBar,
                 make_run: Callable[[Any | None], Any],
                 blocked: Callable[[Any | None], str | None] = lambda last: None,
                 frame_interval: float = 1 / 60, service: Service | None = None,
                 keep_all: bool = True, repeats_start: bool = False,
                 on_stop: Callable[[], None] = lambda: None,
                 timeline: Callable[[], Timeline] | None = None):
        """``blocked(last)`` says why no run can start now (no function yet, all steps
        taken), or None.  ``make_run(last)`` returns a generator, or with ``service`` a
        job for that service's process.  ``timeline()`` gives the history the tab keeps
        (by default the records)."""
        super().__init__(tab)
        self.records: list[Any] = []
        self.finish: tuple[FinishKind | None, str] = (None, "")
        self.state = RunState.IDLE
        self._live: list[LiveUpdate] = []
        self._make_run = make_run
        self._blocked = blocked
        self._keep_all = keep_all
        self._repeats_start = repeats_start
        self._drop_first = False
        self._step_owed = False
        self._on_stop = on_stop
        self.playback = playback
        records_timeline = RecordTimeline(self)
        self._timeline = timeline or (lambda: records_timeline)
        self.worker = tab.make_worker(self._on_batch, self._on_state, self._on_finished,
                                      frame_interval=frame_interval, service=service)
        self.worker.sig_stalled.connect(self.sig_stalled)
        playback.sig_play.connect(self.play)
        playback.sig_pause.connect(self.pause)
        playback.sig_step.connect(self.step)
        playback.sig_reset.connect(self.reset)
        playback.sig_speed.connect(self.set_speed)
        playback.sig_scrub.connect(self.scrub)
        self.set_speed(playback.speed())
        self._live_history = self.live(self.update_history)

    # ---- what a tab reads -----------------------------------------------------------------
    @property
    def last(self) -> Any | None:
        return self.records[-1] if self.records else None

    def live(self, apply: Callable[..., None]) -> LiveUpdate:
        """``apply`` as a :class:`LiveUpdate` of this run (words and numbers a running
        run changes every frame)."""
        update = LiveUpdate(self, apply)
        self._live.append(update)
        return update

    def flush_live(self) -> None:
        for update in self._live:
            update.flush()

    @property
    def timeline(self) -> Timeline | None:
        """The run's history (None while the tab has none yet)."""
        return self._timeline()

    @property
    def scrubbed(self) -> bool:
        """The history row shows an earlier record than the newest."""
        timeline = self.timeline
        return timeline is not None and timeline.position is not None

    @property
    def shown_records(self) -> list[Any]:
        """The records up to the one the history row shows."""
        position = self.timeline.position if self._keep_all else None
        return self.records if position is None else self.records[:position + 1]

    @property
    def active(self) -> bool:
        """A run is started and not finished (running or paused)."""
        return self.worker.has_run()

    # ---- controls -------------------------------------------------------------------------
    @Slot()
    def play(self) -> None:
        self._branch_if_scrubbed()
        if self.active:
            self.worker.resume()
        elif self._may_start():
            self._start(paused=False)

    @Slot()
    def pause(self) -> None:
        self.worker.pause()

    @Slot(int)
    def step(self, n: int = 1) -> None:
        self._branch_if_scrubbed()
        if not self.active:
            if not self._may_start():
                return
            self._start(paused=True)
            if not self.records and not self._repeats_start:
                n += 1  # the run's first record is the start itself
        if self._step_owed:
            n += 1  # the paused run's first record repeats its start and is dropped
            self._step_owed = False
        self.worker.step(n)

    @Slot()
    def reset(self) -> None:
        """Stop and forget the run: the next Play starts from the learner's start."""
        self.worker.cancel()
        self.records = []
        self.finish = (None, "")
        if self._keep_all:
            self.timeline.position = None  # a tab's own timeline starts again with it
        self.sig_cleared.emit()
        self.update_history()

    def restart(self) -> None:
        """Go on from the last record with the tab's new settings, as it was going."""
        if self.active:
            paused = self.worker.state != RunState.RUNNING
            self.worker.cancel()
            self._on_stop()
            if self.scrubbed:  # new settings from an earlier record: a branch from it
                self.timeline.cut()
                self.sig_scrubbed.emit()
                self.update_history()
            self._start(paused=paused)

    def stop(self) -> None:
        """Cancel the run, keeping its records on screen (the tab is left)."""
        if self.active:
            self.worker.cancel()
            self._on_stop()

    @Slot(int)
    def scrub(self, index: int) -> None:
        """Show the run at kept item ``index`` of its history (pausing a running run)."""
        timeline = self.timeline
        if timeline is None or len(timeline) < 2:
            return
        if self.state == RunState.RUNNING:
            self.worker.pause()
        before = timeline.position
        timeline.show(index)
        if timeline.position != before:
            self.sig_scrubbed.emit()
        self.update_history()

    def update_history(self) -> None:
        """Bring the history row up to date with :attr:`timeline`."""
        timeline = self.timeline
        if timeline is None:
            self.playback.set_history(0, None)
        else:
            self.playback.set_history(len(timeline), timeline.position, timeline.describe())

    def _branch_if_scrubbed(self) -> None:
        """Play or Step from an earlier record: drop what came after it and go on from
        there, as a new branch."""
        if not self.scrubbed:
            return
        if self.active:
            self.worker.cancel()
            self._on_stop()
        self.timeline.cut()
        self.finish = (None, "")
        self.sig_scrubbed.emit()
        self.update_history()

    def show_records(self, records: list) -> None:
        """Make ``records`` the current run, stopped (a saved run opened again): Play
        goes on from the last of them."""
        self.reset()
        if records:
            self.records = list(records)
            self.sig_records.emit(tuple(records))
            self.update_history()

    @Slot(float)
    def set_speed(self, records_per_second: float) -> None:
        """0 means as fast as possible."""
        self.worker.set_rate(records_per_second or None)

    def run_to_end(self, timeout: float = 30) -> None:
        """Run at full speed until the run ends (the --screenshot demos), then go back to
        the playback bar's speed."""
        self.worker.set_rate(None)
        self.play()
        process_events_until(lambda: not self.active, timeout)
        self.set_speed(self.playback.speed())

    # ---- from the worker ------------------------------------------------------------------
    def _start(self, paused: bool) -> None:
        self._drop_first = self._repeats_start
        self._step_owed = self._repeats_start and paused
        self.worker.start(self._make_run(self.last), paused=paused)

    def _may_start(self) -> bool:
        reason = self._blocked(self.last)
        if reason:
            self.sig_refused.emit(reason)
            return False
        self.finish = (None, "")
        return True

    @Slot(object)
    def _on_batch(self, batch: tuple) -> None:
        if self._drop_first:
            self._drop_first = False
            batch = batch[1:]
            if not batch:
                return
        if self._keep_all:
            self.records.extend(batch)
        else:
            self.records = [batch[-1]]
        self.sig_records.emit(batch)
        self._live_history()

    @Slot(str)
    def _on_state(self, state: str) -> None:
        self.state = RunState(state)
        if self.state != RunState.RUNNING:
            self.flush_live()
        self.playback.set_running(self.state == RunState.RUNNING)
        self.sig_state.emit(self.state)

    @Slot(str, str)
    def _on_finished(self, kind: str, message: str) -> None:
        self.finish = (FinishKind(kind), message)
        self.flush_live()
        self.sig_finished.emit(self.finish[0], message)


class RunStatus(QObject):
    """The line under a playback bar that says where the run is and how it ended:
    :meth:`say_live` while it goes (a few times a second while it runs), :meth:`say`
    for what stays (how it ended, what to do)."""

    def __init__(self, label: QLabel, idle_text: str, controller: RunController):
        super().__init__(label)
        self.label = label
        self.label.setTextFormat(Qt.PlainText)  # messages may quote what was typed
        self.idle_text = idle_text
        self._live = controller.live(self._show)
        self.say(idle_text)

    def say_live(self, text: str) -> None:
        self._live(text, "")

    def say(self, text: str, style: str = "") -> None:
        self._live.cancel()  # a step's words kept for later would hide these
        self._show(text, style)

    def _show(self, text: str, style: str) -> None:
        self.label.setText(text)
        # A style change re-lays out the panel: only when it changes, not every frame.
        if self.label.styleSheet() != style:
            self.label.setStyleSheet(style)


class RunTabMixin:
    """What a tab with one :class:`RunController` in ``self.run`` offers its menus,
    demos and tests: the records of the current run as ``path``, and its controls.

    The tab draws in ``_on_batch(records)`` and ``_on_cleared()`` and words the end of
    a finished run in ``_done_text(last)`` (a Verdict when it warns); divergence
    and errors are said the same way in every tab."""

    run: RunController
    IDLE_TEXT = "Press Play (Space) to run from the start, or Step (N) one step at a time."
    #: What to do after a divergence, said after its message.
    DIVERGED_HINT = ""

    def install_run(self, make_run: Callable[[Any | None], Any],
                    blocked: Callable[[Any | None], str | None], status: QLabel,
                    **options: Any) -> None:
        """Make ``self.run`` for the tab's ``playback``; ``status`` says how it goes.
        ``options`` go to :class:`RunController`."""
        self.run = RunController(self, self.playback, make_run, blocked, **options)
        self.run_status = RunStatus(status, self.IDLE_TEXT, self.run)
        self.run.sig_records.connect(self._on_records)
        self.run.sig_cleared.connect(self._on_run_cleared)
        self.run.sig_finished.connect(self._on_run_finished)
        self.run.sig_refused.connect(self.sig_status)
        self.run.sig_scrubbed.connect(self._on_scrubbed)
        self.run.sig_stalled.connect(self._on_run_stalled)

    def _on_records(self, batch: tuple) -> None:
        if not self.run.scrubbed:
            self._on_batch(batch)
        # else: a batch in flight when the history row paused the run is kept, and
        # shown when the row comes back to the newest record

    def _on_scrubbed(self) -> None:
        """Draw the run as the history row shows it: from the start, up to that record."""
        self._on_cleared()
        if self.path:
            self._on_batch(tuple(self.path))
        if self.run.scrubbed:
            self.run_status.say(f"History: {self.run.timeline.describe()}. Play or Step "
                                "branches from here.")
        elif self.run.finish[0] == FinishKind.DONE and self.path:
            self._say_done()

    def _on_run_stalled(self, message: str) -> None:
        """A run that stopped answering (a stopped process) is said, and so is its
        return."""
        if message:
            self.run_status.say("⚠ " + message, WARNING_STYLE)
            self.sig_status.emit(f"{self.title}: {message}")
        else:
            self.run_status.say("The run answers again.")

    def _on_run_cleared(self) -> None:
        self.run_status.say(self.IDLE_TEXT)
        self._on_cleared()

    def _on_run_finished(self, kind: FinishKind, message: str) -> None:
        if kind == FinishKind.DIVERGED:
            text = "⚠ Diverged: " + message
            if self.DIVERGED_HINT:
                text = f"{text.rstrip('.')}. {self.DIVERGED_HINT}"
            self.run_status.say(text, ERROR_STYLE)
            self.sig_status.emit(f"{self.title}: the run diverged: {message}")
        elif kind == FinishKind.ERROR:
            self.run_status.say("⚠ " + message, ERROR_STYLE)
            self.sig_status.emit(f"{self.title}: {message}")
        elif kind == FinishKind.DONE and self.path:
            self._say_done()

    def _say_done(self) -> None:
        """The end of a finished run in the tab's words (a :class:`Verdict`, or plain
        words for information), styled by its level: a run that finished but went wrong
        is said as an error, one to look at again as a warning."""
        verdict = as_verdict(self._done_text(self.path[-1]))
        self.run_status.say(verdict.marked, VERDICT_STYLES[verdict.level])

    @property
    def path(self) -> list[Any]:
        """The records of the current run (a descent's path), up to the one the history
        row shows."""
        return self.run.shown_records

    @property
    def worker(self):
        return self.run.worker

    def run_table(self) -> tuple[list[str], list[list[Any]]]:
        """The run up to the record shown, as a table for CSV: a column per number."""
        return record_table(self.path)

    @property
    def last_finish(self) -> tuple[FinishKind | None, str]:
        return self.run.finish

    def play(self) -> None:
        self.run.play()

    def step(self, n: int = 1) -> None:
        self.run.step(n)

    def reset_descent(self) -> None:
        self.run.reset()

    def stop_work(self) -> None:
        """Stop the run (the tab is left or closed); its records stay on screen."""
        if getattr(self, "run", None) is not None:
            self.run.stop()
        super().stop_work()
