"""A run in a process of its own: :class:`ProcessWorker`, for a run too heavy to share the
interpreter with the GUI (training).  It has the signals and controls of every
:class:`~mlcalc_gui.gui.run.worker.Worker`; the core's run loop goes on in a
:class:`~mlcalc_gui.core.runner.Service` process and streams its records back as plain
data, in the frames of :mod:`mlcalc_gui.core.runner`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QElapsedTimer,
    QObject,
    QProcess,
    QProcessEnvironment,
    QTimer,
    Slot,
)

import mlcalc_gui
from mlcalc_gui.core.runner import FrameReader, Service
from mlcalc_gui.gui.run.worker import Worker

__all__ = ["CLOSE_WAIT_MS", "KILL_WAIT_MS", "STALL_MS", "ProcessWorker", "Service"]

# The folder holding the mlcalc_gui package (a clone or site-packages).
_PACKAGE_ROOT = str(Path(mlcalc_gui.__file__).resolve().parents[1])
#: A running process run that sends nothing for this long is said to stall.
STALL_MS = 3000
#: Closing waits this long for the process to end by itself, then kills it and waits
#: this long more: at most a second in all.
CLOSE_WAIT_MS = 400
KILL_WAIT_MS = 500


class ProcessWorker(Worker):
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
