"""The run controller's semantics, tested once for every tab that uses it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mlcalc_gui.core.calculus import Diverged
from mlcalc_gui.core.runner import FinishKind, RunState
from mlcalc_gui.gui.kit.tab import TutorTab
from mlcalc_gui.gui.run.controller import RunController
from mlcalc_gui.gui.widgets.playback import PlaybackBar


@dataclass(frozen=True)
class Rec:
    step: int
    x: float


class CountingTab(TutorTab):
    """A tab whose run counts x up by ``increment`` from its start, ``steps`` records."""

    def __init__(self, **options):
        super().__init__()
        self.start = 0.0
        self.increment = 1.0
        self.steps = 5
        self.diverge_at: int | None = None
        self.playback = PlaybackBar(self)
        self.runs_made: list[Rec | None] = []
        self.run = RunController(self, self.playback, self.make_run, self.blocked, **options)
        self.cleared = 0
        self.run.sig_cleared.connect(lambda: setattr(self, "cleared", self.cleared + 1))

    def worker_threads_alive(self) -> bool:
        return any(w.is_alive() for w in self._workers)

    def blocked(self, last):
        return "all steps taken" if last is not None and last.step >= self.steps else None

    def make_run(self, last):
        self.runs_made.append(last)
        step, x = (last.step, last.x) if last else (0, self.start)
        if last is None:
            yield Rec(0, x)
        while step < self.steps:
            step += 1
            x += self.increment
            if step == self.diverge_at:
                raise Diverged("x ran away")
            yield Rec(step, x)


@pytest.fixture
def tab(qtbot):
    t = CountingTab()
    qtbot.addWidget(t)
    yield t
    t.close_workers()


def finish(qtbot, tab, action):
    with qtbot.waitSignal(tab.run.sig_finished, timeout=5000) as blocker:
        action()
    return blocker.args


def test_play_runs_to_the_end_and_says_how_it_ended(qtbot, tab):
    kind, message = finish(qtbot, tab, tab.run.play)
    assert isinstance(kind, FinishKind) and kind == FinishKind.DONE
    assert [r.x for r in tab.run.records] == [0, 1, 2, 3, 4, 5]
    assert tab.run.finish == (FinishKind.DONE, "") and tab.run.state == RunState.IDLE
    assert not tab.playback.running


def test_step_from_nothing_gives_the_start_and_exactly_n_more(qtbot, tab):
    tab.run.step(2)
    qtbot.waitUntil(lambda: len(tab.run.records) == 3)
    with qtbot.assertNotEmitted(tab.run.sig_records, wait=100):
        pass
    assert tab.run.state == RunState.PAUSED and tab.run.active
    tab.run.step(1)
    qtbot.waitUntil(lambda: len(tab.run.records) == 4)
    assert [r.step for r in tab.run.records] == [0, 1, 2, 3]


def test_refused_when_blocked_and_nothing_runs(qtbot, tab):
    finish(qtbot, tab, tab.run.play)
    with qtbot.waitSignal(tab.run.sig_refused) as blocker:
        tab.run.play()
    assert blocker.args == ["all steps taken"] and not tab.run.active
    tab.steps = 7  # more steps allowed: Play continues from the last record
    finish(qtbot, tab, tab.run.play)
    assert [r.step for r in tab.run.records] == list(range(8))
    assert tab.runs_made[-1] == Rec(5, 5.0)


def test_reset_forgets_the_run_and_its_message_and_starts_from_the_new_start(qtbot, tab):
    tab.diverge_at = 3
    kind, message = finish(qtbot, tab, tab.run.play)
    assert kind == FinishKind.DIVERGED and message == "x ran away"
    tab.diverge_at = None
    tab.start = 10.0  # the learner moved the start
    tab.run.reset()
    assert tab.run.records == [] and tab.run.finish == (None, "") and tab.cleared == 1
    finish(qtbot, tab, tab.run.play)
    assert tab.run.records[0] == Rec(0, 10.0) and tab.run.records[-1] == Rec(5, 15.0)


def test_reset_mid_run_cancels_and_joins(qtbot, tab):
    tab.steps = 10**9
    tab.run.set_speed(50)
    tab.run.play()
    qtbot.waitUntil(lambda: len(tab.run.records) >= 2)
    tab.run.reset()
    assert not tab.run.active and not tab.worker_threads_alive()
    assert tab.run.records == []


def test_restart_goes_on_from_the_last_record_with_new_settings(qtbot, tab):
    tab.run.step(2)
    qtbot.waitUntil(lambda: len(tab.run.records) == 3)
    tab.increment = 10.0  # a new learning rate, say
    tab.run.restart()
    assert tab.run.active and tab.run.records[-1] == Rec(2, 2.0)
    qtbot.waitUntil(lambda: tab.run.state == RunState.PAUSED)
    tab.run.step(1)
    qtbot.waitUntil(lambda: len(tab.run.records) == 4)
    assert tab.run.records[-1] == Rec(3, 12.0)  # paused as it was, on the same path


class ProcessLikeTab(CountingTab):
    """A run like training's: every run's first record is the state it starts from, the
    tab keeps its own history, and a stop makes the tab's model agree with the screen."""

    def __init__(self):
        super().__init__(keep_all=False, repeats_start=True, on_stop=self.on_stop)
        self.seen: list[Rec] = []
        self.stops = 0
        self.run.sig_records.connect(self.seen.extend)

    def on_stop(self):
        self.stops += 1

    def make_run(self, last):
        self.runs_made.append(last)
        step, x = (last.step, last.x) if last else (0, self.start)
        yield Rec(step, x)  # always: the start of this run
        while step < self.steps:
            step += 1
            x += self.increment
            yield Rec(step, x)


def test_a_run_that_repeats_its_start_steps_exactly_n_and_keeps_only_the_last(qtbot):
    tab = ProcessLikeTab()
    qtbot.addWidget(tab)
    try:
        tab.run.step(2)
        qtbot.waitUntil(lambda: len(tab.seen) == 2)
        assert tab.seen == [Rec(1, 1.0), Rec(2, 2.0)]  # the repeated start is dropped
        assert tab.run.records == [Rec(2, 2.0)]
        tab.increment = 10.0
        tab.run.restart()  # a new run from the last record: its start is dropped too
        assert tab.stops == 1
        qtbot.waitUntil(lambda: tab.run.state == RunState.PAUSED)
        tab.run.step(1)
        qtbot.waitUntil(lambda: len(tab.seen) == 3)
        with qtbot.assertNotEmitted(tab.run.sig_records, wait=100):
            pass
        assert tab.seen[-1] == Rec(3, 12.0) and tab.run.records == [Rec(3, 12.0)]
        tab.run.stop()
        assert tab.stops == 2 and not tab.run.active
        tab.run.stop()  # nothing running: nothing to make agree
        assert tab.stops == 2
        finish(qtbot, tab, tab.run.play)
        assert [r.step for r in tab.seen] == [1, 2, 3, 4, 5]
    finally:
        tab.close_workers()


# ---- the history row: scrub, branch, resume ------------------------------------------------
def test_scrubbing_back_shows_that_record_and_play_branches_from_it(qtbot, tab):
    finish(qtbot, tab, tab.run.play)
    assert tab.playback.history_slider.maximum() == 5
    scrubbed = []
    tab.run.sig_scrubbed.connect(lambda: scrubbed.append(list(tab.run.shown_records)))
    tab.playback.history_slider.setValue(2)  # the learner drags the row
    assert [r.x for r in scrubbed[-1]] == [0, 1, 2]
    assert tab.run.scrubbed and tab.run.timeline.describe() == "record 3 of 6 (past)"
    tab.increment = 10.0  # a new setting: the branch goes its own way
    finish(qtbot, tab, tab.run.play)
    assert [r.x for r in tab.run.records] == [0, 1, 2, 12, 22, 32]
    assert tab.runs_made[-1] == Rec(2, 2.0) and not tab.run.scrubbed
    assert tab.playback.history_slider.value() == 5


def test_scrubbing_pauses_a_run_and_the_newest_record_resumes_it(qtbot, tab):
    tab.steps = 10_000
    tab.run.set_speed(200)
    tab.run.play()
    qtbot.waitUntil(lambda: len(tab.run.records) >= 4)
    tab.playback.scrub_back()
    qtbot.waitUntil(lambda: tab.run.state == RunState.PAUSED)
    assert tab.run.scrubbed and tab.run.active
    n = len(tab.run.records)
    tab.run.scrub(n - 1)  # back to the newest record: the run as it was
    assert not tab.run.scrubbed
    tab.run.play()
    qtbot.waitUntil(lambda: len(tab.run.records) > n + 2)
    xs = [r.x for r in tab.run.records]
    assert xs == list(range(len(xs)))  # one run, resumed, never restarted
    assert len(tab.runs_made) == 1
    tab.run.reset()
    assert not tab.playback.history_row.isVisibleTo(tab)


def test_stepping_from_a_scrubbed_record_of_a_paused_run_branches(qtbot, tab):
    tab.steps = 100
    tab.run.step(6)
    qtbot.waitUntil(lambda: len(tab.run.records) == 7)
    tab.playback.scrub_back()
    tab.playback.scrub_back()
    assert [r.x for r in tab.run.shown_records] == [0, 1, 2, 3, 4]
    tab.run.step(1)
    qtbot.waitUntil(lambda: len(tab.run.records) == 6)
    assert [r.x for r in tab.run.records] == [0, 1, 2, 3, 4, 5]
    assert tab.runs_made == [None, Rec(4, 4.0)]


def test_new_settings_at_a_scrubbed_record_go_on_from_it(qtbot, tab):
    tab.steps = 100
    tab.run.step(5)
    qtbot.waitUntil(lambda: len(tab.run.records) == 6)
    tab.run.scrub(2)
    tab.increment = 10.0
    tab.run.restart()  # a tab's new learning rate: the same path goes on, from here
    tab.run.step(1)
    qtbot.waitUntil(lambda: len(tab.run.records) == 4)
    assert [r.x for r in tab.run.records] == [0, 1, 2, 12]
    assert not tab.run.scrubbed


def test_live_updates_follow_a_running_run_a_few_times_a_second_and_end_exact(qtbot, tab):
    """Words and numbers a run changes every frame are applied at most every
    LIVE_INTERVAL_MS while it runs (the latest kept for the interval's end); the last
    record's are applied before the tab hears the run ended; paused, at once."""
    from PySide6.QtCore import QElapsedTimer

    from mlcalc_gui.gui.run.timeline import LIVE_INTERVAL_MS

    applied: list[tuple[int, int]] = []
    clock = QElapsedTimer()
    clock.start()
    live = tab.run.live(lambda step: applied.append((step, clock.elapsed())))
    tab.run.sig_records.connect(lambda batch: live(batch[-1].step))
    tab.steps = 400
    tab.run.set_speed(200)  # a record every 5 ms: far more often than the interval
    seen_at_finish = []
    tab.run.sig_finished.connect(lambda *_: seen_at_finish.append(applied[-1][0]))
    finish(qtbot, tab, tab.run.play)
    assert seen_at_finish == [400]  # the end is exact, and said before the finish
    running = applied[1:-1]
    gaps = [b[1] - a[1] for a, b in zip(running, running[1:], strict=False)]
    assert len(applied) < 400 / 4 and min(gaps) >= LIVE_INTERVAL_MS - 5
    # Not running: applied at once, and ``now`` drops a kept one.
    live(7)
    assert applied[-1][0] == 7
    live.now(8)
    assert applied[-1][0] == 8
