"""What a tab with one run offers: RunTabMixin (the run's records as its path, its
controls, how a run's end is said, the same in every tab) and RunStatus (the line under
the playback bar)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel

from mlcalc_gui.core.export_files import record_table
from mlcalc_gui.core.runner import FinishKind
from mlcalc_gui.core.verdict import Level, as_verdict
from mlcalc_gui.gui.run.controller import RunController
from mlcalc_gui.gui.theme import ERROR_STYLE, WARNING_STYLE
from mlcalc_gui.gui.widgets.steady import hold_height

__all__ = ["VERDICT_STYLES", "RunStatus", "RunTabMixin"]


#: How a finished run's verdict looks at each level (with the ⚠ of Verdict.marked).
VERDICT_STYLES = {Level.INFO: "", Level.WARNING: WARNING_STYLE, Level.ERROR: ERROR_STYLE}


class RunStatus(QObject):
    """The line under a playback bar that says where the run is and how it ended:
    :meth:`say_live` while it goes (a few times a second while it runs), :meth:`say`
    for what stays (how it ended, what to do)."""

    def __init__(self, label: QLabel, idle_text: str, controller: RunController):
        super().__init__(label)
        self.label = label
        self.label.setTextFormat(Qt.PlainText)  # messages may quote what was typed
        hold_height(label)  # a message a line shorter moves nothing under it
        self.idle_text = idle_text
        self._live = controller.live(self._show)
        self.say(idle_text)

    def say_live(self, text: str) -> None:
        self._live(text, "")

    def say(self, text: str, style: str = "") -> None:
        self._live.cancel()  # a step's words kept for later would hide these
        self._show(text, style)

    def _show(self, text: str, style: str) -> None:
        self.label.setText(text)
        # A style change re-lays out the panel: only when it changes, not every frame.
        if self.label.styleSheet() != style:
            self.label.setStyleSheet(style)


class RunTabMixin:
    """What a tab with one :class:`RunController` in ``self.run`` offers its menus,
    demos and tests: the records of the current run as ``path``, and its controls.

    The tab draws in ``_on_batch(records)`` and ``_on_cleared()`` and words the end of
    a finished run in ``_done_text(last)`` (a Verdict when it warns); divergence
    and errors are said the same way in every tab."""

    run: RunController
    IDLE_TEXT = "Press Play (Space) to run from the start, or Step (N) one step at a time."
    #: What to do after a divergence, said after its message.
    DIVERGED_HINT = ""

    def install_run(self, make_run: Callable[[Any | None], Any],
                    blocked: Callable[[Any | None], str | None], status: QLabel,
                    **options: Any) -> None:
        """Make ``self.run`` for the tab's ``playback``; ``status`` says how it goes.
        ``options`` go to :class:`RunController`."""
        self.run = RunController(self, self.playback, make_run, blocked, **options)
        self.run_status = RunStatus(status, self.IDLE_TEXT, self.run)
        self.run.sig_records.connect(self._on_records)
        self.run.sig_cleared.connect(self._on_run_cleared)
        self.run.sig_finished.connect(self._on_run_finished)
        self.run.sig_refused.connect(self.sig_status)
        self.run.sig_scrubbed.connect(self._on_scrubbed)
        self.run.sig_stalled.connect(self._on_run_stalled)

    def _on_records(self, batch: tuple) -> None:
        if not self.run.scrubbed:
            self._on_batch(batch)
        # else: a batch in flight when the history row paused the run is kept, and
        # shown when the row comes back to the newest record

    def _on_scrubbed(self) -> None:
        """Draw the run as the history row shows it: from the start, up to that record."""
        self._on_cleared()
        if self.path:
            self._on_batch(tuple(self.path))
        if self.run.scrubbed:
            self.run_status.say(f"History: {self.run.timeline.describe()}. Play or Step "
                                "branches from here.")
        elif self.run.finish[0] == FinishKind.DONE and self.path:
            self._say_done()

    def _on_run_stalled(self, message: str) -> None:
        """A run that stopped answering (a stopped process) is said, and so is its
        return."""
        if message:
            self.run_status.say("⚠ " + message, WARNING_STYLE)
            self.sig_status.emit(f"{self.title}: {message}")
        else:
            self.run_status.say("The run answers again.")

    def _on_run_cleared(self) -> None:
        self.run_status.say(self.IDLE_TEXT)
        self._on_cleared()

    def _on_run_finished(self, kind: FinishKind, message: str) -> None:
        if kind == FinishKind.DIVERGED:
            text = "⚠ Diverged: " + message
            if self.DIVERGED_HINT:
                text = f"{text.rstrip('.')}. {self.DIVERGED_HINT}"
            self.run_status.say(text, ERROR_STYLE)
            self.sig_status.emit(f"{self.title}: the run diverged: {message}")
        elif kind == FinishKind.ERROR:
            self.run_status.say("⚠ " + message, ERROR_STYLE)
            self.sig_status.emit(f"{self.title}: {message}")
        elif kind == FinishKind.DONE and self.path:
            self._say_done()

    def _say_done(self) -> None:
        """The end of a finished run in the tab's words (a :class:`Verdict`, or plain
        words for information), styled by its level: a run that finished but went wrong
        is said as an error, one to look at again as a warning."""
        verdict = as_verdict(self._done_text(self.path[-1]))
        self.run_status.say(verdict.marked, VERDICT_STYLES[verdict.level])

    @property
    def path(self) -> list[Any]:
        """The records of the current run (a descent's path), up to the one the history
        row shows."""
        return self.run.shown_records

    @property
    def worker(self):
        return self.run.worker

    def run_table(self) -> tuple[list[str], list[list[Any]]]:
        """The run up to the record shown, as a table for CSV: a column per number."""
        return record_table(self.path)

    @property
    def last_finish(self) -> tuple[FinishKind | None, str]:
        return self.run.finish

    def play(self) -> None:
        self.run.play()

    def step(self, n: int = 1) -> None:
        self.run.step(n)

    def reset_descent(self) -> None:
        self.run.reset()

    def stop_work(self) -> None:
        """Stop the run (the tab is left or closed); its records stay on screen."""
        if getattr(self, "run", None) is not None:
            self.run.stop()
        super().stop_work()
