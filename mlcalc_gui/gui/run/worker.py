"""Run a core generator off the GUI thread, with start, pause, step, resume and cancel.

Every tab uses :class:`GeneratorWorker` the same way::

    worker = GeneratorWorker(parent=tab)
    worker.sig_batch.connect(tab.on_batch)        # tuple of records, at screen rate
    worker.sig_finished.connect(tab.on_finished)  # (kind, message)
    worker.start(core_generator(...))

The generator runs in a QThread, driven by the core's :func:`mlcalc_gui.core.runner.run`.
Records are collected there and handed to the GUI thread in batches: at most one
notification is ever queued, so however fast the core runs, the GUI draws at screen rate
and the event queue never floods.  Pause, step and cancel are flags read between two
records, so they take effect within one record.

:class:`ProcessWorker` has the same signals and controls for a run that is too heavy to
share the interpreter with the GUI (training): the same loop runs in a process of its
own and streams its records back as plain data.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QElapsedTimer,
    QObject,
    QProcess,
    QProcessEnvironment,
    QThread,
    QTimer,
    Signal,
    Slot,
)

import mlcalc_gui
from mlcalc_gui.core import runner
from mlcalc_gui.core.runner import Control, FrameReader, Service

__all__ = ["GeneratorWorker", "ProcessWorker", "Service", "live_workers"]

_ALL_WORKERS: weakref.WeakSet[_Worker] = weakref.WeakSet()
# The folder holding the mlcalc_gui package (a clone or site-packages).
_PACKAGE_ROOT = str(Path(mlcalc_gui.__file__).resolve().parents[1])
#: A running process run that sends nothing for this long is said to stall.
STALL_MS = 3000
#: Closing waits this long for the process to end by itself, then kills it and waits
#: this long more: at most a second in all.
CLOSE_WAIT_MS = 400
KILL_WAIT_MS = 500
# Threads whose generator did not stop within the join timeout (one core step running
# very long): kept referenced, since destroying a running QThread aborts the process.
_UNJOINED: list[QThread] = []


def live_workers() -> list[_Worker]:
    """Workers whose thread or process is still running (the test suite asserts this
    is empty)."""
    return [w for w in list(_ALL_WORKERS) if w.is_alive()]


class _Thread(QThread):
    sig_ready = Signal()
    sig_state = Signal(str)
    sig_done = Signal(str, str)

    def __init__(self, generator: Iterator[Any], control: Control, interval: float):
        super().__init__()
        self.generator = generator
        self.control = control
        self.interval = interval
        self.lock = threading.Lock()
        self.pending: list[Any] = []
        self.notified = False
        self.drawn = threading.Event()  # the GUI has drawn the last batch handed over
        self.drawn.set()

    def _flush(self, records: list[Any]) -> None:
        with self.lock:
            self.pending.extend(records)
            notify = not self.notified
            self.notified = True
        if notify:  # at most one notification queued: the GUI drains all at once
            self.drawn.clear()
            self.sig_ready.emit()
        # At most one batch ahead of the screen: the run waits (the GIL free) while the
        # GUI thread draws.  Otherwise a run at full speed holds the GIL, every Python
        # call of the GUI's frame waits up to a switch interval for it, and a descent of
        # 100,000 steps froze the window for its whole 5 s.
        # Not at a stop: the run hands over there holding the control's lock, which the
        # GUI may be waiting for.
        while not self.control.paused and not self.drawn.wait(0.05):
            if self.control.cancelled:
                break

    def take(self) -> list[Any]:
        with self.lock:
            records, self.pending = self.pending, []
            self.notified = False
        return records

    def run(self) -> None:
        kind, message = runner.run(self.generator, self.control, self.interval,
                                   self._flush, self.sig_state.emit)
        self.sig_done.emit(kind, message)


class _Worker(QObject):
    """What both workers share: the three signals and the state.

    Signals
    -------
    sig_batch(tuple)
        Records yielded since the last batch, oldest first; delivered in the GUI thread at
        most about once per screen frame.
    sig_state(str)
        ``"running"``, ``"paused"`` or ``"idle"``.  ``"paused"`` comes each time the run
        stops (after a pause or after the last of a number of steps), once every record
        before it has been delivered; until the next resume or step, the generator is
        suspended.
    sig_finished(str, str)
        ``(kind, message)`` when a run ends; kind is ``"done"``, ``"cancelled"``,
        ``"diverged"`` or ``"error"``.  All records are delivered before it.
    """

    sig_batch = Signal(object)
    sig_state = Signal(str)
    sig_finished = Signal(str, str)
    #: The run has not answered for a while (a message), or answers again ("").
    sig_stalled = Signal(str)

    def __init__(self, parent: QObject | None, frame_interval: float):
        super().__init__(parent)
        self._frame_interval = frame_interval
        self._rate: float | None = None
        self.state = "idle"
        _ALL_WORKERS.add(self)

    def _run_says(self, state: str) -> None:
        """A state the run reports: always passed on ("paused" comes at every stop)."""
        self.state = state
        self.sig_state.emit(state)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self._run_says(state)

    def close(self) -> None:
        """Cancel any run and release what the worker holds (the app is closing)."""
        self.cancel()

    def cancel(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def is_alive(self) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError


class GeneratorWorker(_Worker):
    """Owns at most one worker thread running one generator at a time.  While paused,
    the model the generator updates may be read from the GUI thread."""

    def __init__(self, parent: QObject | None = None, frame_interval: float = 1 / 60):
        super().__init__(parent, frame_interval)
        self._thread: _Thread | None = None
        self._control: Control | None = None

    # ---- queries -------------------------------------------------------------------------
    def is_alive(self) -> bool:
        """True while a thread exists and has not finished."""
        return self._thread is not None and self._thread.isRunning()

    def has_run(self) -> bool:
        """True while a run is started and not finished (running or paused)."""
        return self._thread is not None

    # ---- control -------------------------------------------------------------------------
    def start(self, generator: Iterator[Any], paused: bool = False) -> None:
        """Run ``generator``; any earlier run is cancelled and joined first."""
        self.cancel()
        self._control = Control(paused=paused, rate=self._rate)
        thread = _Thread(generator, self._control, self._frame_interval)
        thread.sig_ready.connect(self._drain)
        thread.sig_state.connect(self._on_state)
        thread.sig_done.connect(self._on_done)
        self._thread = thread
        thread.start()

    def pause(self) -> None:
        if self._control is not None:
            self._control.update(paused=True)

    def resume(self) -> None:
        if self._control is not None:
            self._control.update(paused=False, steps_left=0)

    def step(self, n: int = 1) -> None:
        """Advance exactly ``n`` records, then stay paused."""
        if n >= 1 and self._control is not None:
            self._control.add_steps(n)

    def set_rate(self, records_per_second: float | None) -> None:
        """Limit the run to this many records per second (None: as fast as possible)."""
        self._rate = records_per_second if records_per_second else None
        if self._control is not None:
            self._control.update(rate=self._rate)

    def cancel(self, timeout_ms: int = 5000) -> None:
        """Ask the run to stop, and join its thread.  Safe to call at any time."""
        thread, ctl = self._thread, self._control
        if thread is None or ctl is None:
            return
        ctl.update(cancelled=True)
        if not thread.wait(timeout_ms):
            _UNJOINED.append(thread)  # it stops at its next record; never destroy it early
        self._finish_thread()

    # ---- internals -----------------------------------------------------------------------
    @Slot()
    def _drain(self) -> None:
        if self._thread is None or self._thread is not self.sender():
            return
        thread = self._thread
        records = thread.take()
        if records:
            self.sig_batch.emit(tuple(records))
        thread.drawn.set()

    @Slot(str)
    def _on_state(self, state: str) -> None:
        if self._thread is not None and self._thread is self.sender():
            self._run_says(state)

    @Slot(str, str)
    def _on_done(self, kind: str, message: str) -> None:
        thread = self._thread
        if thread is None or thread is not self.sender():
            return  # a cancelled run's late signal
        records = thread.take()
        if records:
            self.sig_batch.emit(tuple(records))
        thread.wait()
        self._finish_thread()
        self.sig_finished.emit(kind, message)

    def _finish_thread(self) -> None:
        thread = self._thread
        if thread is None:
            return
        self._thread = None
        self._control = None
        for sig in (thread.sig_ready, thread.sig_state, thread.sig_done):
            try:
                sig.disconnect()
            except (RuntimeError, TypeError):
                pass
        if thread not in _UNJOINED:
            thread.deleteLater()
        self._set_state("idle")


class ProcessWorker(_Worker):
    """The same signals and controls as :class:`GeneratorWorker`, but each run is a job
    (plain data) for a :class:`Service` process, which streams its records back.

    The process shares no interpreter lock with the GUI, so a long, Python-heavy run
    neither slows nor is slowed by drawing.  It is started on the first run and kept
    for the next; :meth:`close` ends it.  ``model`` holds the parameters the process
    sent at the latest stop (pause, end or divergence).
    """

    def __init__(self, service: Service, parent: QObject | None = None,
                 frame_interval: float = 1 / 30):
        super().__init__(parent, frame_interval)
        self.service = service
        self._process: QProcess | None = None
        self._frames = FrameReader()
        self._run = 0  # the current run's id; frames of earlier runs are ignored
        self._active = False
        self.model: np.ndarray | None = None
        # The watchdog: a running run sends frames many times a second; one that sends
        # none for STALL_MS (a process stopped, a machine swapping) is said to stall.
        self._heard = QElapsedTimer()
        self._awaiting = False  # a run is running, or a pause or a step was asked for
        self.stalled = False
        self._watch = QTimer(self, interval=500)
        self._watch.timeout.connect(self._check_heard)

    # ---- queries -------------------------------------------------------------------------
    def is_alive(self) -> bool:
        """True while the service process is running (it idles between runs)."""
        return self._process is not None and self._process.state() != QProcess.NotRunning

    def has_run(self) -> bool:
        return self._active

    def process_id(self) -> int | None:
        """The service process's id while it runs (for measuring its memory)."""
        return self._process.processId() if self.is_alive() else None

    # ---- control -------------------------------------------------------------------------
    def start(self, job: dict, paused: bool = False) -> None:
        self.cancel()
        self._ensure_process()
        self._run += 1
        self._active = True
        self.model = None
        self._expect_answer()
        self._send({"op": "start", "run": self._run, "job": job, "paused": paused,
                    "rate": self._rate, "interval": self._frame_interval})

    def pause(self) -> None:
        self._expect_answer()
        self._send({"op": "pause"})

    def resume(self) -> None:
        self._expect_answer()
        self._send({"op": "resume"})

    def step(self, n: int = 1) -> None:
        if n >= 1:
            self._expect_answer()
            self._send({"op": "step", "n": int(n)})

    # ---- the watchdog --------------------------------------------------------------------
    def _expect_answer(self) -> None:
        if not self._active:
            return
        self._awaiting = True
        self._heard.start()
        if not self._watch.isActive():
            self._watch.start()

    def _check_heard(self) -> None:
        if not (self._active and self._awaiting):
            self._watch.stop()
            return
        waited = self._heard.elapsed()
        if waited >= STALL_MS and not self.stalled:
            self.stalled = True
            self.sig_stalled.emit(
                f"Training has not answered for {waited / 1000:.0f} s: the computer may be "
                "very busy, or the training process was stopped. It goes on by itself if it "
                "can; closing the tutor ends it at once.")

    def _heard_from(self, state: str | None = None) -> None:
        self._heard.start()
        if state is not None:
            self._awaiting = state == "running"
        if self.stalled:
            self.stalled = False
            self.sig_stalled.emit("")

    def set_rate(self, records_per_second: float | None) -> None:
        self._rate = records_per_second if records_per_second else None
        self._send({"op": "rate", "value": self._rate})

    def cancel(self) -> None:
        """Stop the run.  Its records still in flight are dropped; the process stays
        for the next run."""
        if self._active:
            self._send({"op": "cancel"})
            self._active = False
        self._awaiting = False
        self._watch.stop()
        if self.stalled:
            self.stalled = False
            self.sig_stalled.emit("")
        self._set_state("idle")

    def close(self, timeout_ms: int = CLOSE_WAIT_MS) -> None:
        """Stop the run and end the process (closing its input ends it), and wait: at
        most ``timeout_ms``, then it is killed (a stopped or stuck process held the
        window 6 s)."""
        self.cancel()
        process, self._process = self._process, None
        if process is None:
            return
        process.readyReadStandardOutput.disconnect(self._read)
        process.finished.disconnect(self._on_process_end)
        process.errorOccurred.disconnect(self._on_process_error)
        if process.state() != QProcess.NotRunning:
            process.closeWriteChannel()
            if not process.waitForFinished(timeout_ms):
                process.kill()  # SIGKILL ends a stopped process too
                process.waitForFinished(KILL_WAIT_MS)
        process.deleteLater()

    # ---- internals -----------------------------------------------------------------------
    def _ensure_process(self) -> None:
        if self.is_alive():
            return
        if self._process is not None:
            self.close()
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        # The package may run from a clone that is not installed.
        path = env.value("PYTHONPATH")
        env.insert("PYTHONPATH", _PACKAGE_ROOT + (os.pathsep + path if path else ""))
        env.insert("OPENBLAS_NUM_THREADS", "1")  # small arrays: threads only cost memory
        process.setProcessEnvironment(env)
        process.setProcessChannelMode(QProcess.ForwardedErrorChannel)
        process.readyReadStandardOutput.connect(self._read)
        process.finished.connect(self._on_process_end)
        process.errorOccurred.connect(self._on_process_error)
        self._frames = FrameReader()
        self._process = process
        if getattr(sys, "frozen", False):  # a bundle (scripts/bundle.sh): no python -m
            process.start(sys.executable, ["--service", self.service.module])
        else:
            process.start(sys.executable, ["-m", self.service.module])

    def _send(self, command: dict) -> None:
        if not self.is_alive() or not (self._active or command["op"] == "cancel"):
            return
        self._process.write(json.dumps(command).encode() + b"\n")

    @Slot()
    def _read(self) -> None:
        if self._process is None:
            return
        try:
            frames = self._frames.feed(bytes(self._process.readAllStandardOutput()))
        except ValueError as exc:  # never expected: end the process rather than guess
            if self._active:
                self._end_run("error", f"the training process sent nonsense ({exc})")
            self.close()
            return
        batch: list[Any] = []

        def deliver() -> None:
            if batch:
                self.sig_batch.emit(tuple(batch))
                batch.clear()

        for kind, run, payload in frames:
            if run != self._run or not self._active:
                continue  # a cancelled run's late frames
            self._heard_from(payload.decode() if kind == b"S" else None)
            if kind == b"B":
                batch.extend(self.service.decode(payload))
            elif kind == b"M":
                self.model = np.frombuffer(payload, np.float64).copy()
            elif kind == b"S":
                deliver()
                self._run_says(payload.decode())
            elif kind == b"D":
                deliver()
                self._end_run(*json.loads(payload))
        deliver()

    def _end_run(self, kind: str, message: str) -> None:
        self._active = False
        self._awaiting = False
        self._watch.stop()
        self._set_state("idle")
        self.sig_finished.emit(kind, message)

    @Slot(int, QProcess.ExitStatus)
    def _on_process_end(self, code: int, status) -> None:
        self._read()
        if self._active:
            if status == QProcess.CrashExit:
                why = ("the training process was killed (perhaps the computer ran out of "
                       "memory)")
            else:
                why = (f"the training process stopped (exit code {code}); its messages "
                       "are in the terminal")
            self._end_run("error", why)

    @Slot(QProcess.ProcessError)
    def _on_process_error(self, error) -> None:
        if error == QProcess.FailedToStart and self._active:
            self._end_run("error", f"the training process could not start: "
                          f"{self._process.errorString() if self._process else error}")
