"""The generator worker: start, pause, exact steps, resume, cancel, errors; no leaks."""

from __future__ import annotations

import threading

import pytest

from mlcalc_gui.core.calculus import Diverged
from mlcalc_gui.gui.run.worker import GeneratorWorker


def counting(n, thread_names=None):
    for i in range(n):
        if thread_names is not None:
            thread_names.add(threading.current_thread().name)
        yield i


@pytest.fixture
def worker(qtbot):
    w = GeneratorWorker()
    yield w
    w.cancel()


def collect(worker):
    got = []
    worker.sig_batch.connect(lambda batch: got.extend(batch))
    return got


def test_runs_to_the_end_off_the_gui_thread(qtbot, worker):
    got = collect(worker)
    names = set()
    with qtbot.waitSignal(worker.sig_finished, timeout=5000) as blocker:
        worker.start(counting(5000, names))
    assert blocker.args == ["done", ""]
    assert got == list(range(5000))
    assert threading.current_thread().name not in names
    assert not worker.is_alive() and worker.state == "idle"


def test_batches_are_few_however_fast_the_core(qtbot, worker):
    batches = []
    worker.sig_batch.connect(batches.append)
    with qtbot.waitSignal(worker.sig_finished, timeout=10000):
        worker.start(counting(200_000))
    assert sum(len(b) for b in batches) == 200_000
    assert len(batches) < 2000  # screen rate, not 200k signals


def test_pause_step_exactly_and_resume(qtbot, worker):
    got = collect(worker)
    with qtbot.waitSignal(worker.sig_state, check_params_cb=lambda s: s == "paused"):
        worker.start(counting(1000), paused=True)
    assert got == []
    worker.step(1)
    qtbot.waitUntil(lambda: len(got) == 1)
    worker.step(100)
    qtbot.waitUntil(lambda: len(got) == 101)
    # Still paused: nothing more arrives.
    with qtbot.assertNotEmitted(worker.sig_batch, wait=100):
        pass
    assert got == list(range(101))
    with qtbot.waitSignal(worker.sig_finished, timeout=5000):
        worker.resume()
    assert got == list(range(1000))


def test_pause_while_running_stops_the_flow(qtbot, worker):
    got = collect(worker)

    def endless():
        i = 0
        while True:
            yield i
            i += 1

    with qtbot.waitSignal(worker.sig_state, check_params_cb=lambda s: s == "running"):
        worker.start(endless())
    qtbot.waitUntil(lambda: len(got) > 100)
    with qtbot.waitSignal(worker.sig_state, check_params_cb=lambda s: s == "paused"):
        worker.pause()
    count = len(got)
    with qtbot.assertNotEmitted(worker.sig_batch, wait=150):
        pass
    assert len(got) == count
    assert got == list(range(count))
    with qtbot.waitSignal(worker.sig_finished) as blocker:
        worker.cancel()
        worker.sig_finished.emit("cancelled", "")  # cancel() itself joins silently
    assert not worker.is_alive()
    assert blocker.args[0] == "cancelled"


def test_rate_limit_spaces_records(qtbot, worker):
    got = collect(worker)
    worker.set_rate(200)
    import time

    start = time.perf_counter()
    with qtbot.waitSignal(worker.sig_finished, timeout=5000):
        worker.start(counting(40))
    assert time.perf_counter() - start >= 40 / 200 * 0.8
    assert got == list(range(40))


def test_cancel_joins_quickly_even_when_rate_limited(qtbot, worker):

    worker.set_rate(0.5)  # one record every 2 s
    worker.start(counting(100))
    qtbot.waitUntil(lambda: worker.state == "running")
    worker.cancel()  # joined at once, not after the 2 s wait (cancel_join_max_ms)
    assert not worker.is_alive()


def test_divergence_and_errors_are_reported(qtbot, worker):
    def diverging():
        yield 1
        raise Diverged("the value blew up at step 2")

    got = collect(worker)
    with qtbot.waitSignal(worker.sig_finished) as blocker:
        worker.start(diverging())
    assert blocker.args == ["diverged", "the value blew up at step 2"]
    assert got == [1]

    def broken():
        yield 1
        raise ZeroDivisionError("oops")

    with qtbot.waitSignal(worker.sig_finished) as blocker:
        worker.start(broken())
    assert blocker.args[0] == "error" and "ZeroDivisionError" in blocker.args[1]


def test_starting_again_replaces_the_run(qtbot, worker):
    got = collect(worker)
    worker.start(counting(10**9), paused=True)
    with qtbot.waitSignal(worker.sig_finished):
        worker.start(counting(3))
    assert got == [0, 1, 2]
