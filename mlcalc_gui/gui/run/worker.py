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

:class:`~mlcalc_gui.gui.run.process_worker.ProcessWorker` has the same signals and
controls (both are a :class:`Worker`) for a run that is too heavy to share the
interpreter with the GUI (training): the same loop runs in a process of its own and
streams its records back as plain data.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from mlcalc_gui.core import runner
from mlcalc_gui.core.runner import Control

__all__ = ["GeneratorWorker", "Worker", "live_workers"]

_ALL_WORKERS: weakref.WeakSet[Worker] = weakref.WeakSet()
# Threads whose generator did not stop within the join timeout (one core step running
# very long): kept referenced, since destroying a running QThread aborts the process.
_UNJOINED: list[QThread] = []


def live_workers() -> list[Worker]:
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


class Worker(QObject):
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


class GeneratorWorker(Worker):
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
