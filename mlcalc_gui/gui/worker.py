"""Run a core generator off the GUI thread, with start, pause, step, resume and cancel.

Every tab uses :class:`GeneratorWorker` the same way::

    worker = GeneratorWorker(parent=tab)
    worker.sig_batch.connect(tab.on_batch)        # tuple of records, at screen rate
    worker.sig_finished.connect(tab.on_finished)  # (kind, message)
    worker.start(core_generator(...))

The generator runs in a QThread.  Records are collected there and handed to the GUI
thread in batches: at most one notification is ever queued, so however fast the core
runs, the GUI draws at screen rate and the event queue never floods.  Pause, step and
cancel are flags read between two records, so they take effect within one record.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from mlcalc_gui.core.calculus import Diverged

__all__ = ["GeneratorWorker", "live_workers"]

_ALL_WORKERS: weakref.WeakSet[GeneratorWorker] = weakref.WeakSet()
# Threads whose generator did not stop within the join timeout (one core step running
# very long): kept referenced, since destroying a running QThread aborts the process.
_UNJOINED: list[QThread] = []


def live_workers() -> list[GeneratorWorker]:
    """Workers whose thread is still running (the test suite asserts this is empty)."""
    return [w for w in list(_ALL_WORKERS) if w.is_alive()]


class _Control:
    """State shared between the GUI thread and the worker thread."""

    def __init__(self, paused: bool, rate: float | None):
        self.cond = threading.Condition()
        self.paused = paused
        self.steps_left = 0
        self.cancelled = False
        self.rate = rate  # records per second, None for as fast as possible
        self.pending: list[Any] = []
        self.notified = False


class _Thread(QThread):
    sig_ready = Signal()
    sig_state = Signal(str)
    sig_done = Signal(str, str)

    def __init__(self, generator: Iterator[Any], control: _Control, interval: float):
        super().__init__()
        self.generator = generator
        self.control = control
        self.interval = interval

    def _flush(self, buffer: list[Any]) -> None:
        if not buffer:
            return
        ctl = self.control
        with ctl.cond:
            ctl.pending.extend(buffer)
            notify = not ctl.notified
            ctl.notified = True
        buffer.clear()
        if notify:
            self.sig_ready.emit()

    def run(self) -> None:
        ctl = self.control
        buffer: list[Any] = []
        last_flush = time.perf_counter()
        kind, message = "done", ""
        state = ""
        try:
            while True:
                if ctl.paused or ctl.cancelled or ctl.rate:
                    with ctl.cond:
                        if ctl.paused and ctl.steps_left == 0 and not ctl.cancelled:
                            self._flush(buffer)
                            # Said on every stop, steps included: while paused the
                            # generator is suspended, so the GUI may read its model.
                            state = "paused"
                            self.sig_state.emit(state)
                            while ctl.paused and ctl.steps_left == 0 and not ctl.cancelled:
                                ctl.cond.wait()
                        if ctl.cancelled:
                            kind = "cancelled"
                            break
                        stepping = ctl.paused
                        if stepping:
                            ctl.steps_left -= 1
                        rate = ctl.rate
                    if not stepping and state != "running":
                        state = "running"
                        self.sig_state.emit(state)
                else:
                    stepping, rate = False, None
                    if state != "running":
                        state = "running"
                        self.sig_state.emit(state)
                try:
                    record = next(self.generator)
                except StopIteration:
                    break
                buffer.append(record)
                now = time.perf_counter()
                if now - last_flush >= self.interval or (stepping and ctl.steps_left == 0):
                    self._flush(buffer)
                    last_flush = now
                if rate and not stepping:
                    with ctl.cond:
                        ctl.cond.wait_for(
                            lambda: ctl.cancelled or ctl.paused, timeout=1.0 / rate
                        )
        except Diverged as exc:
            kind, message = "diverged", str(exc)
        except Exception as exc:  # a bug or bad input in the core: report, don't crash
            kind, message = "error", f"{type(exc).__name__}: {exc}"
        finally:
            self._flush(buffer)
            close = getattr(self.generator, "close", None)
            if close is not None:
                close()
            self.sig_done.emit(kind, message)


class GeneratorWorker(QObject):
    """Owns at most one worker thread running one generator at a time.

    Signals
    -------
    sig_batch(tuple)
        Records yielded since the last batch, oldest first; delivered in the GUI thread at
        most about once per screen frame.
    sig_state(str)
        ``"running"``, ``"paused"`` or ``"idle"``.  ``"paused"`` comes each time the run
        stops (after a pause or after the last of a number of steps), once every record
        before it has been delivered; until the next resume or step, the generator is
        suspended and the model it updates may be read from the GUI thread.
    sig_finished(str, str)
        ``(kind, message)`` when a run ends; kind is ``"done"``, ``"cancelled"``,
        ``"diverged"`` or ``"error"``.  All records are delivered before it.
    """

    sig_batch = Signal(object)
    sig_state = Signal(str)
    sig_finished = Signal(str, str)

    def __init__(self, parent: QObject | None = None, frame_interval: float = 1 / 60):
        super().__init__(parent)
        self._thread: _Thread | None = None
        self._control: _Control | None = None
        self._frame_interval = frame_interval
        self._rate: float | None = None
        self.state = "idle"
        _ALL_WORKERS.add(self)

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
        self._control = _Control(paused=paused, rate=self._rate)
        thread = _Thread(generator, self._control, self._frame_interval)
        thread.sig_ready.connect(self._drain)
        thread.sig_state.connect(self._on_state)
        thread.sig_done.connect(self._on_done)
        self._thread = thread
        thread.start()

    def pause(self) -> None:
        self._update(paused=True)

    def resume(self) -> None:
        self._update(paused=False, steps_left=0)

    def step(self, n: int = 1) -> None:
        """Advance exactly ``n`` records, then stay paused."""
        if n < 1:
            return
        ctl = self._control
        if ctl is None:
            return
        with ctl.cond:
            ctl.paused = True
            ctl.steps_left += n
            ctl.cond.notify_all()

    def set_rate(self, records_per_second: float | None) -> None:
        """Limit the run to this many records per second (None: as fast as possible)."""
        self._rate = records_per_second if records_per_second else None
        self._update(rate=self._rate)

    def cancel(self, timeout_ms: int = 5000) -> None:
        """Ask the run to stop, and join its thread.  Safe to call at any time."""
        thread, ctl = self._thread, self._control
        if thread is None or ctl is None:
            return
        with ctl.cond:
            ctl.cancelled = True
            ctl.cond.notify_all()
        if not thread.wait(timeout_ms):
            _UNJOINED.append(thread)  # it stops at its next record; never destroy it early
        self._finish_thread()

    # ---- internals -----------------------------------------------------------------------
    def _update(self, **changes: Any) -> None:
        ctl = self._control
        if ctl is None:
            return
        with ctl.cond:
            for key, value in changes.items():
                setattr(ctl, key, value)
            ctl.cond.notify_all()

    @Slot()
    def _drain(self) -> None:
        ctl = self._control
        if ctl is None:
            return
        with ctl.cond:
            records, ctl.pending = ctl.pending, []
            ctl.notified = False
        if records:
            self.sig_batch.emit(tuple(records))

    @Slot(str)
    def _on_state(self, state: str) -> None:
        if self._thread is not None and self._thread is self.sender():
            self.state = state
            self.sig_state.emit(state)

    @Slot(str, str)
    def _on_done(self, kind: str, message: str) -> None:
        if self._thread is None or self._thread is not self.sender():
            return  # a cancelled run's late signal
        self._drain()
        self._thread.wait()
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
        if self.state != "idle":
            self.state = "idle"
            self.sig_state.emit("idle")
