"""The application's one event filter, shared by every app-wide guard (the wheel guard,
the focus ring).

Every event of every widget passes an application filter, and a filter written in
Python costs a call into the interpreter each time: one filter that looks up the event's
type and calls only the handlers registered for it keeps that to one call per event,
however many guards there are."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject

__all__ = ["AppEvents", "app_events", "install_once", "suspended"]

Handler = Callable[[QObject, QEvent], bool]


class AppEvents(QObject):
    """Handlers by event type; a handler returning True stops the event."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._handlers: dict[QEvent.Type, list[Handler]] = {}

    def on(self, kinds: Iterable[QEvent.Type], handler: Handler) -> None:
        for kind in kinds:
            self._handlers.setdefault(kind, []).append(handler)

    def off(self, kinds: Iterable[QEvent.Type], handler: Handler) -> None:
        """Stop calling ``handler`` for ``kinds`` (a handler never added is no error)."""
        for kind in kinds:
            handlers = self._handlers.get(kind, [])
            if handler in handlers:
                handlers.remove(handler)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        handlers = self._handlers.get(event.type())
        if handlers:
            for handler in handlers:
                if handler(obj, event):
                    return True
        return False


def app_events(app) -> AppEvents:
    """``app``'s one filter, installed on first use."""
    events = app.findChild(AppEvents)
    if events is None:
        events = AppEvents(app)
        app.installEventFilter(events)
    return events


def install_once(app, kind: type[QObject]) -> QObject:
    """One guard of ``kind`` on ``app`` (again is harmless); ``kind(app, events)``
    registers its handlers with the app's filter."""
    found = app.findChild(kind)
    if found is None:
        found = kind(app, app_events(app))
    return found


@contextmanager
def suspended(app) -> Iterator[None]:
    """``app``'s filter out of the way for a block that sends thousands of events none of
    its handlers takes (a change of the application's font sends every widget, shown or
    not, a font change, a style change and a layout request): no input event arrives
    within a block that does not return to the event loop."""
    events = app.findChild(AppEvents)
    if events is None:
        yield
        return
    app.removeEventFilter(events)
    try:
        yield
    finally:
        app.installEventFilter(events)
