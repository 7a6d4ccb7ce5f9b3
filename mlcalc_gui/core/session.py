"""Sessions: every tab's state and the window's, in one versioned JSON file.

A session file is read as untrusted data: regular files only, at most
:data:`MAX_BYTES`, plain JSON (never unpickled or evaluated), a known format and a
version no newer than this program's, and every tab's state checked field by field
(:mod:`mlcalc_gui.core.state_codec`).  :func:`load` either returns a whole session or raises
:class:`SessionError` with a message for the user: a bad file changes nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlcalc_gui.core.files import FileReadError, read_text_file, write_text_atomic
from mlcalc_gui.core.state_codec import StateError, from_json, limits, to_json

__all__ = ["FORMAT", "VERSION", "MAX_BYTES", "Session", "WindowState", "SessionError",
           "dumps", "loads", "save", "load", "read_document", "read_file"]

FORMAT = "mlcalc-gui session"
VERSION = 1
#: Larger than any session this program writes (a trained network with its cost history
#: is well under 1 MB), small enough to read at once.
MAX_BYTES = 16 * 1024 * 1024


class SessionError(ValueError):
    """The file is not a session this program can open; nothing was changed."""


@dataclass(frozen=True)
class WindowState:
    tab: str = field(default="", metadata=limits(max_len=100))
    text_pt: float = field(default=0.0, metadata=limits(0.0, 40.0))  # 0: the system's


@dataclass(frozen=True)
class Session:
    window: WindowState = WindowState()
    tabs: Mapping[str, Any] = field(default_factory=dict)  # tab title -> its state


def dumps(session: Session) -> str:
    return json.dumps({
        "format": FORMAT,
        "version": VERSION,
        "window": to_json(session.window),
        "tabs": {title: to_json(state) for title, state in session.tabs.items()},
    }, indent=1, allow_nan=False)


class _NotANumber(ValueError):
    """A number in the file that no field can hold (said as it is)."""


#: The most digits a whole number in a file may have: Python's own limit for turning
#: text into an integer (a longer one would fail with Python's words, not ours).  A
#: number short of it but too large for its field is refused by the field's limits.
MAX_DIGITS = 4300


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _NotANumber(f"the file holds a whole number of {digits:,} digits, far too "
                          f"large for any field (is the file damaged?)")
    return int(text)


def read_document(text: str, fmt: str, version: int, kind: str,
                  error: type[ValueError]) -> dict:
    """The JSON object of a versioned mlcalc-gui file (a session, a lesson): its
    ``format`` must be ``fmt`` and its version at most ``version``; else ``error``
    says what is wrong."""
    try:
        data = json.loads(text, parse_int=_bounded_int)
    except RecursionError:
        raise error(f"the file nests too deeply to be a {kind}") from None
    except _NotANumber as exc:
        raise error(str(exc)) from None
    except ValueError as exc:  # JSONDecodeError
        raise error(f"the file is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise error(f"the file is not an mlcalc-gui {kind} (it needs \"format\": \"{fmt}\")")
    found = data.get("version")
    if isinstance(found, bool) or not isinstance(found, int):
        raise error("the file has no format version (\"version\": 1)")
    if found > version:
        raise error(f"the file was written by a newer mlcalc-gui (format {found}; this one "
                    f"reads up to {version}): update mlcalc-gui to open it")
    return data


def loads(text: str, state_classes: Mapping[str, type]) -> Session:
    """Read a session; ``state_classes`` maps each tab title to its state's class.
    Tabs this program does not know are left out."""
    data = read_document(text, FORMAT, VERSION, "session", SessionError)
    tabs = data.get("tabs", {})
    if not isinstance(tabs, dict):
        raise SessionError("'tabs' must be an object")
    try:
        window = from_json(WindowState, data.get("window", {}), "window")
        states = {title: from_json(cls, tabs[title], title)
                  for title, cls in state_classes.items() if title in tabs}
    except StateError as exc:
        raise SessionError(str(exc)) from None
    except RecursionError:
        raise SessionError("the file nests too deeply to be a session") from None
    return Session(window, states)


def save(path: str | os.PathLike, session: Session) -> None:
    """Write atomically: a crash leaves the old file or the new one."""
    write_text_atomic(path, dumps(session))


def read_file(path: str | os.PathLike, max_bytes: int, error: type[ValueError]) -> str:
    """The text of a regular file of at most ``max_bytes``; ``error`` says why not."""
    try:
        return read_text_file(path, max_bytes)
    except FileReadError as exc:
        raise error(str(exc)) from None


def load(path: str | os.PathLike, state_classes: Mapping[str, type]) -> Session:
    return loads(read_file(path, MAX_BYTES, SessionError), state_classes)
