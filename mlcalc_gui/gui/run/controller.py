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
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from mlcalc_gui.core.runner import FinishKind, RunState, Service
from mlcalc_gui.gui.run.host import WorkHost, process_events_until
from mlcalc_gui.gui.run.timeline import (
    LiveUpdate,
    RecordTimeline,
    Timeline,
)
from mlcalc_gui.gui.widgets.playback import PlaybackBar

__all__ = ["RunController"]


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


