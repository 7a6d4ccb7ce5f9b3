"""What the run kit asks of the widget that owns a run: the kit's one contract with
the tab kit, so that it imports none of it (the layer rule in ``ruff.toml`` says so).

A :class:`~mlcalc_gui.gui.kit.tab.TutorTab` is a host; so is anything else that makes
workers it stops when it is left and joins when it is closed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop

from mlcalc_gui.core.runner import Service
from mlcalc_gui.gui.run.process_worker import ProcessWorker
from mlcalc_gui.gui.run.worker import GeneratorWorker

__all__ = ["WorkHost", "process_events_until"]


class WorkHost(Protocol):
    """The owner of a run's workers and background tasks, and their QObject parent."""

    def make_worker(self, on_batch: Callable, on_state: Callable, on_finished: Callable,
                    frame_interval: float = 1 / 60,
                    service: Service | None = None) -> GeneratorWorker | ProcessWorker:
        """A worker it owns (stopped on leave, joined on close), its signals connected."""

    def add_task(self, task: Any) -> None:
        """Keep ``task`` going: cancelled on leave, resumed when shown again."""


def process_events_until(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Run the event loop until ``predicate()`` holds (for --screenshot demos, not tests)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents(QEventLoop.AllEvents, 20)
        # As the application's own loop does: processEvents alone leaves deleteLater's
        # objects for a loop that never comes, and a long demo (or benchmark) grew.
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        time.sleep(0.002)
    return True
