"""Long one-off work off the GUI thread: symbolic work (sympy) and reading files.

The work is a plain function of the core that checks its own deadline (and so ends
within it).  The newest request wins: while one job runs, a new request waits, and a
request superseded before it started is dropped, so typing fast never queues work and
never blocks the GUI joining a thread.  Results and errors arrive by signal, tagged with
the request they answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from mlcalc_gui.core.expressions import ExpressionError
from mlcalc_gui.gui.run.host import WorkHost

__all__ = ["BackgroundTask"]


def _job(work: Callable[[], Any], steps: bool):
    try:
        if not steps:
            yield ("ok", work())
            return
        gen = work()  # yields fractions done (the run can be cancelled between them)
        while True:
            try:
                fraction = next(gen)
            except StopIteration as stop:
                yield ("ok", stop.value)
                return
            yield ("progress", float(fraction))
    except (ExpressionError, OSError, ValueError) as exc:  # said to the learner as it is
        yield ("error", str(exc))


class BackgroundTask(QObject):
    """One kind of long work for a tab (its worker is the tab's: stopped on leave and
    joined on close; the request it was working on resumes when the tab is shown again
    or a state has been applied).

    Signals: ``sig_done(tag, result)``, ``sig_failed(tag, message)``, and for work
    submitted with ``steps=True``, ``sig_progress(tag, fraction)``.
    """

    sig_done = Signal(object, object)
    sig_failed = Signal(object, str)
    sig_progress = Signal(object, float)

    def __init__(self, tab: WorkHost):
        super().__init__(tab)
        self.worker = tab.make_worker(self._on_batch, self._on_state, self._on_finished)
        tab.add_task(self)
        self._waiting: tuple[Any, Callable[[], Any], bool] | None = None
        self._running: tuple[Any, Callable[[], Any], bool] | None = None
        self._tag: Any = None
        self._answered = False

    @property
    def busy(self) -> bool:
        return self.worker.has_run() or self._waiting is not None

    def submit(self, tag: Any, work: Callable[[], Any], steps: bool = False) -> None:
        """Run ``work()`` off the GUI thread; its result comes as ``sig_done(tag, …)``.
        With ``steps``, ``work()`` is a generator yielding the fraction done (each one
        a ``sig_progress``, and a point where :meth:`cancel` takes effect) and returning
        the result.  A request made while another runs replaces any request waiting."""
        self._waiting = (tag, work, steps)
        if not self.worker.has_run():
            self._start_waiting()

    def cancel(self) -> None:
        """Drop the request waiting and stop (and join) the one running: no answer."""
        self._waiting = None
        self._running = None
        self.worker.cancel()

    def _start_waiting(self) -> None:
        if self._waiting is None:
            return
        self._running, self._waiting = self._waiting, None
        self._tag, work, steps = self._running
        self._answered = False
        self.worker.start(_job(work, steps))

    @Slot(object)
    def _on_batch(self, records: tuple) -> None:
        for kind, value in records:
            self._answered = self._answered or kind != "progress"
            if self._waiting is not None:
                continue  # already superseded: only the newest request is answered
            if kind == "progress":
                self.sig_progress.emit(self._tag, value)
            elif kind == "ok":
                self.sig_done.emit(self._tag, value)
            else:
                self.sig_failed.emit(self._tag, value)

    @Slot(str)
    def _on_state(self, state: str) -> None:
        pass

    def resume(self) -> None:
        """Run again the request the tab's ``stop_work`` cancelled (the tab was left, or
        a state applied), unless a newer one is waiting."""
        if self._running is not None and not self.worker.has_run():
            if self._waiting is None:
                self._waiting = self._running
            self._running = None
            self._start_waiting()

    @Slot(str, str)
    def _on_finished(self, kind: str, message: str) -> None:
        self._running = None
        if kind == "error" and not self._answered and self._waiting is None:
            self.sig_failed.emit(self._tag, f"this could not be worked out ({message})")
        self._start_waiting()
