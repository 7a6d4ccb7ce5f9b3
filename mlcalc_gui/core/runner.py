"""Run a generator of records under control: pause, exact steps, a rate limit, cancel.

This is the loop every worker shares, with no Qt in it: the GUI's thread worker runs it in
a QThread, and the training process (:mod:`mlcalc_gui.core.training_process`) runs it in
a process of its own, which sends its records back in the frames made here
(:func:`encode_frame`, read by :class:`FrameReader`).  Another thread changes a
:class:`Control`; the loop reads it between two records, so a pause, step or cancel
takes effect within one record.
"""

from __future__ import annotations

import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

from mlcalc_gui.core.calculus import Diverged

__all__ = ["Control", "FinishKind", "FrameReader", "RunState", "Service", "Shown",
           "encode_frame", "run"]


@dataclass(frozen=True)
class Service:
    """A core module that runs jobs in a process of its own (``python -m module``), and
    the function that turns its batch payloads back into records."""

    module: str
    decode: Callable[[bytes], tuple]


class Shown:
    """A run whose screen shows more of a record than the run needs: ``show(record)``
    returns the record as drawn (with the point's analysis, say), and :func:`run` calls
    it on the last record of each hand-over, the one a frame shows.  So that work is
    done where the step is computed, once a frame rather than once a step, and the
    records in between stay lean (a run of 100,000 steps keeps no 100,000 analyses)."""

    def __init__(self, records: Iterator[Any], show: Callable[[Any], Any]):
        self.records = iter(records)
        self.show = show

    def __iter__(self) -> Shown:
        return self

    def __next__(self) -> Any:
        return next(self.records)

    def close(self) -> None:
        close = getattr(self.records, "close", None)
        if close is not None:
            close()


class RunState(str, Enum):
    """Where a run is.  A ``str`` enum: the workers' signals carry the plain value."""

    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"


class FinishKind(str, Enum):
    """How a run ended."""

    DONE = "done"
    CANCELLED = "cancelled"
    DIVERGED = "diverged"
    ERROR = "error"

FRAME = struct.Struct("<cII")  # kind, run id, payload length
MAX_PAYLOAD = 64 * 2**20


def encode_frame(kind: bytes, run: int, payload: bytes) -> bytes:
    return FRAME.pack(kind, run, len(payload)) + payload


class FrameReader:
    """Splits a byte stream into ``(kind, run, payload)`` frames as bytes arrive."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[tuple[bytes, int, bytes]]:
        self._buffer += data
        frames = []
        while len(self._buffer) >= FRAME.size:
            kind, run, length = FRAME.unpack_from(self._buffer)
            if length > MAX_PAYLOAD:
                raise ValueError(f"a frame of {length} bytes: the stream is corrupt")
            end = FRAME.size + length
            if len(self._buffer) < end:
                break
            frames.append((kind, run, bytes(self._buffer[FRAME.size:end])))
            del self._buffer[:end]
        return frames


class Control:
    """What the controlling thread asks of a run.  Change it under ``cond`` and
    ``notify_all`` (or use :meth:`update`)."""

    def __init__(self, paused: bool = False, rate: float | None = None):
        self.cond = threading.Condition()
        self.paused = paused
        self.steps_left = 0
        self.cancelled = False
        self.rate = rate  # records per second, None for as fast as possible

    def update(self, **changes: Any) -> None:
        with self.cond:
            for key, value in changes.items():
                setattr(self, key, value)
            self.cond.notify_all()

    def add_steps(self, n: int) -> None:
        """Pause after exactly ``n`` more records."""
        with self.cond:
            self.paused = True
            self.steps_left += n
            self.cond.notify_all()


def run(generator: Iterator[Any], ctl: Control, interval: float,
        flush: Callable[[list[Any]], None], say_state: Callable[[str], None]
        ) -> tuple[str, str]:
    """Drive ``generator`` as ``ctl`` asks until it ends or is cancelled.

    Records are collected and handed to ``flush`` (a new list each time) at most every
    ``interval`` seconds, at each stop and at the end.  ``say_state("running")`` comes
    when records start to flow, ``say_state("paused")`` at each stop, after the flush:
    the generator is then suspended, so its model may be read.  Returns ``(kind,
    message)``, kind being ``"done"``, ``"cancelled"``, ``"diverged"`` or ``"error"``.
    """
    buffer: list[Any] = []
    show = generator.show if isinstance(generator, Shown) else None
    last_flush = time.perf_counter()
    state = ""
    kind, message = "done", ""

    def hand_over() -> None:
        nonlocal buffer
        if buffer:
            records, buffer = buffer, []
            if show is not None:
                try:
                    records[-1] = show(records[-1])
                except Exception:  # noqa: BLE001 - the screen then derives it itself
                    pass
            flush(records)

    try:
        while True:
            if ctl.paused or ctl.cancelled or ctl.rate:
                with ctl.cond:
                    if ctl.paused and ctl.steps_left == 0 and not ctl.cancelled:
                        hand_over()
                        # Said on every stop, steps included.
                        state = "paused"
                        say_state(state)
                        while ctl.paused and ctl.steps_left == 0 and not ctl.cancelled:
                            ctl.cond.wait()
                    if ctl.cancelled:
                        kind = "cancelled"
                        break
                    stepping = ctl.paused
                    if stepping:
                        ctl.steps_left -= 1
                    rate = ctl.rate
            else:
                stepping, rate = False, None
            if not stepping and state != "running":
                state = "running"
                say_state(state)
            try:
                record = next(generator)
            except StopIteration:
                break
            buffer.append(record)
            now = time.perf_counter()
            if now - last_flush >= interval or (stepping and ctl.steps_left == 0):
                hand_over()
                last_flush = time.perf_counter()  # (flush may wait for the screen)
            if rate and not stepping:
                with ctl.cond:
                    ctl.cond.wait_for(lambda: ctl.cancelled or ctl.paused, timeout=1.0 / rate)
    except Diverged as exc:
        kind, message = "diverged", str(exc)
    except Exception as exc:  # a bug or bad input in the core: report, don't crash
        kind, message = "error", f"{type(exc).__name__}: {exc}"
    finally:
        hand_over()
        close = getattr(generator, "close", None)
        if close is not None:
            close()
    return kind, message
