"""Training in a process of its own: the plain-data protocol (core, no Qt) and the
ProcessWorker that drives it (start, pause, exact steps, cancel, divergence, a crash)."""

from __future__ import annotations

import json
import os
import threading

import numpy as np
import pytest

from mlcalc_gui.core.network import Network, heart_curve, train
from mlcalc_gui.core.runner import FrameReader, encode_frame
from mlcalc_gui.core.training_process import decode_steps, encode_steps, job_spec, serve


def course_job(iterations=300, aggression=7.0, seed=0, start=0, net=None):
    x, y = heart_curve(100)
    return job_spec(net or Network(seed=0), x, y, iterations, aggression, 1.0, seed=seed,
                    start_iteration=start)


# ---- the protocol, in the core -----------------------------------------------------------
def test_records_survive_the_trip_exactly():
    x, y = heart_curve(100)
    records = list(train(Network(seed=0), x, y, 250, 7, 1, seed=3))
    back = decode_steps(encode_steps(records))
    assert [r.iteration for r in back] == [r.iteration for r in records]
    assert [r.cost for r in back] == [r.cost for r in records]  # bit for bit
    for a, b in zip(back, records, strict=True):
        assert (a.parameters is None) == (b.parameters is None)
        if a.parameters is not None:
            assert np.array_equal(a.parameters, b.parameters)
            assert not a.parameters.flags.writeable


def test_frames_split_however_the_bytes_arrive():
    stream = b"".join([encode_frame(b"S", 1, b"running"), encode_frame(b"B", 2, b"x" * 1000),
                       encode_frame(b"D", 2, b"[]")])
    reader = FrameReader()
    frames = []
    for i in range(0, len(stream), 7):  # seven bytes at a time
        frames += reader.feed(stream[i:i + 7])
    assert frames == [(b"S", 1, b"running"), (b"B", 2, b"x" * 1000), (b"D", 2, b"[]")]
    with pytest.raises(ValueError, match="corrupt"):
        FrameReader().feed(encode_frame(b"B", 1, b"")[:5] + b"\xff\xff\xff\xff")


def run_service(*commands: dict) -> list[tuple[bytes, int, bytes]]:
    """serve() on pipes, as the GUI drives it: send the commands, read frames until the
    last run has ended, then close its input (which ends it)."""
    cmd_read, cmd_write = os.pipe()
    out_read, out_write = os.pipe()
    with open(cmd_read, "rb") as commands_in, open(out_write, "wb") as frames_out:
        server = threading.Thread(target=serve, args=(commands_in, frames_out))
        server.start()
        with open(cmd_write, "wb", buffering=0) as to_service:
            for command in commands:
                to_service.write(json.dumps(command).encode() + b"\n")
            last_run = max(c.get("run", 0) for c in commands)
            reader, frames = FrameReader(), []
            while not any(k == b"D" and r == last_run for k, r, _ in frames):
                chunk = os.read(out_read, 65536)
                assert chunk, "the service stopped before the run ended"
                frames += reader.feed(chunk)
        server.join(10)
        assert not server.is_alive()
    os.close(out_read)
    return frames


def test_the_service_trains_exactly_as_the_core_does():
    job = course_job(300)
    frames = run_service({"op": "start", "run": 4, "job": job, "interval": 0.01})
    assert {run for _, run, _ in frames} == {4}
    records = [r for kind, _, p in frames if kind == b"B" for r in decode_steps(p)]
    x, y = heart_curve(100)
    net = Network(seed=0)
    core = list(train(net, x, y, 300, 7, 1, seed=0))
    assert [r.cost for r in records] == [r.cost for r in core]
    models = [np.frombuffer(p) for kind, _, p in frames if kind == b"M"]
    assert np.array_equal(models[-1], net.parameters)  # the network it ended with
    assert frames[-1][0] == b"D" and json.loads(frames[-1][2]) == ["done", ""]


def test_the_service_refuses_a_bad_job_and_goes_on():
    bad = dict(course_job(10), parameters=[1.0, 2.0])
    frames = run_service({"op": "start", "run": 1, "job": bad},
                         {"op": "start", "run": 2, "job": course_job(10)})
    ends = [(run, json.loads(p)) for kind, run, p in frames if kind == b"D"]
    assert ends[0][0] == 1 and ends[0][1][0] == "error" and "do not fit" in ends[0][1][1]
    assert ends[1] == (2, ["done", ""])


def test_the_service_ignores_nonsense_commands():
    frames = run_service({"op": "launch"}, {"no": "op"},
                         {"op": "start", "run": 1, "job": course_job(5)})
    assert frames[-1][0] == b"D" and json.loads(frames[-1][2]) == ["done", ""]


# ---- the worker, in the GUI --------------------------------------------------------------
@pytest.fixture
def worker(qtbot):
    from mlcalc_gui.core.training_process import TRAINING_SERVICE as TRAINING
    from mlcalc_gui.gui.run.process_worker import ProcessWorker

    w = ProcessWorker(TRAINING)
    yield w
    w.close()
    assert not w.is_alive()


def collect(worker):
    got = []
    worker.sig_batch.connect(lambda batch: got.extend(batch))
    return got


def test_a_run_in_the_process_matches_the_core(qtbot, worker):
    got = collect(worker)
    with qtbot.waitSignal(worker.sig_finished, timeout=20000) as blocker:
        worker.start(course_job(500))
    assert blocker.args == ["done", ""]
    x, y = heart_curve(100)
    net = Network(seed=0)
    core = list(train(net, x, y, 500, 7, 1, seed=0))
    assert [r.cost for r in got] == [r.cost for r in core]
    assert np.array_equal(worker.model, net.parameters)
    assert worker.state == "idle" and not worker.has_run()
    assert worker.is_alive()  # kept for the next run
    assert threading.active_count() >= 1


def test_pause_and_exact_steps_send_the_model_at_each_stop(qtbot, worker):
    got = collect(worker)
    with qtbot.waitSignal(worker.sig_state, check_params_cb=lambda s: s == "paused",
                          timeout=20000):
        worker.start(course_job(1000), paused=True)
    assert got == []
    with qtbot.waitSignal(worker.sig_state, check_params_cb=lambda s: s == "paused"):
        worker.step(101)  # the start state and 100 updates
    assert [r.iteration for r in got] == list(range(101))
    x, y = heart_curve(100)
    net = Network(seed=0)
    for _ in zip(range(101), train(net, x, y, 1000, 7, 1, seed=0), strict=False):
        pass
    assert np.array_equal(worker.model, net.parameters)


def test_cancel_drops_the_rest_and_a_new_run_starts_clean(qtbot, worker):
    got = collect(worker)
    with qtbot.waitSignal(worker.sig_state, check_params_cb=lambda s: s == "running",
                          timeout=20000):
        worker.start(course_job(10_000_000))
    worker.cancel()
    assert worker.state == "idle" and not worker.has_run()
    got.clear()
    with qtbot.waitSignal(worker.sig_finished, timeout=20000) as blocker:
        worker.start(course_job(50, start=7))
    assert blocker.args == ["done", ""]
    assert [r.iteration for r in got] == list(range(7, 58))  # nothing of the first run


def test_divergence_is_reported_with_the_last_good_network(qtbot, worker):
    x, _ = heart_curve(20)
    net = Network(seed=0)
    # As in the core's test: a huge target and aggression make the first update overflow.
    job = job_spec(net, x, np.full((2, 20), 1e150), 100, 1e200, 0.0, seed=0)
    with qtbot.waitSignal(worker.sig_finished, timeout=20000) as blocker:
        worker.start(job)
    assert blocker.args[0] == "diverged" and "aggression" in blocker.args[1]
    assert np.array_equal(worker.model, net.parameters)  # the last good network


def test_a_crashed_process_is_an_error_not_a_hang(qtbot, worker):
    with qtbot.waitSignal(worker.sig_state, check_params_cb=lambda s: s == "running",
                          timeout=20000):
        worker.start(course_job(10_000_000))
    with qtbot.waitSignal(worker.sig_finished, timeout=10000) as blocker:
        os.kill(worker._process.processId(), 9)
    assert blocker.args[0] == "error" and "was killed" in blocker.args[1]
    assert not worker.has_run() and worker.state == "idle"
    with qtbot.waitSignal(worker.sig_finished, timeout=20000) as blocker:
        worker.start(course_job(20))  # a new process
    assert blocker.args == ["done", ""]


def test_a_stopped_process_is_said_to_stall_and_closing_ends_it_at_once(qtbot, worker):
    """SIGSTOP on the training process: nothing said training had stalled, Pause showed
    no effect, and closing then took 6.3 s (#31, item 24)."""
    import signal

    from mlcalc_gui.gui.run.process_worker import CLOSE_WAIT_MS, KILL_WAIT_MS, STALL_MS

    said = []
    worker.sig_stalled.connect(said.append)
    with qtbot.waitSignal(worker.sig_state, check_params_cb=lambda s: s == "running",
                          timeout=20000):
        worker.start(course_job(10_000_000))
    pid = worker._process.processId()
    os.kill(pid, signal.SIGSTOP)
    try:
        worker.pause()  # no answer comes
        with qtbot.waitSignal(worker.sig_stalled, timeout=STALL_MS + 3000) as blocker:
            pass
        assert "has not answered" in blocker.args[0] and worker.stalled
        assert CLOSE_WAIT_MS + KILL_WAIT_MS <= 1000  # closing waits a second at most
        worker.close()
        assert not worker.is_alive()

        def gone() -> bool:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return True
            return False

        qtbot.waitUntil(gone, timeout=2000)  # killed and reaped, not left stopped
    finally:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
    assert said[-1] == ""  # cleared with the run


def test_a_process_that_answers_again_clears_the_stall(qtbot, worker):
    import signal

    from mlcalc_gui.gui.run.process_worker import STALL_MS

    with qtbot.waitSignal(worker.sig_state, check_params_cb=lambda s: s == "running",
                          timeout=20000):
        worker.start(course_job(10_000_000))
    pid = worker._process.processId()
    os.kill(pid, signal.SIGSTOP)
    with qtbot.waitSignal(worker.sig_stalled, timeout=STALL_MS + 3000):
        pass
    with qtbot.waitSignal(worker.sig_stalled, check_params_cb=lambda m: m == "",
                          timeout=10000):
        os.kill(pid, signal.SIGCONT)
    assert not worker.stalled
    worker.cancel()
