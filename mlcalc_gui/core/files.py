"""Reading and writing the user's files safely: regular files only, bounded in size, and
written atomically."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["FileReadError", "read_text_file", "document_format", "decode_text", "write_text_atomic",
           "usual_mode"]


class FileReadError(ValueError):
    """A file could not be read; the message says why in words a user can act on."""


def read_text_file(path: str | os.PathLike, max_bytes: int, any_encoding: bool = False) -> str:
    """The text of a regular file of at most ``max_bytes``: UTF-8 (a BOM allowed), or
    with ``any_encoding`` (data files from spreadsheets) see :func:`decode_text`.

    A FIFO, a device or a directory is refused without reading it (so ``/dev/zero`` or a
    pipe can neither fill the memory nor block), and so is a file that is too large.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileReadError(f"cannot open {path.name}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise _unreadable(path, exc) from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise FileReadError(f"{path.name} is not a regular file")
    with os.fdopen(fd, "rb") as fh:
        if info.st_size > max_bytes:
            raise FileReadError(f"{path.name} is {info.st_size / 1e6:.1f} MB; the limit is "
                                f"{max_bytes / 1e6:.0f} MB")
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise _unreadable(path, exc) from None
    if len(data) > max_bytes:
        raise FileReadError(f"{path.name} is larger than {max_bytes / 1e6:.0f} MB")
    if any_encoding:
        return decode_text(data, path.name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileReadError(f"{path.name} is not a UTF-8 text file") from None


def _unreadable(path: Path, exc: OSError) -> FileReadError:
    """An I/O error while reading (a failing disk or USB stick, a lost network share)."""
    return FileReadError(f"{path.name} could not be read ({exc.strerror or exc}): the disk "
                         f"or stick it is on may be failing; copy it elsewhere and try again")


def decode_text(data: bytes, name: str = "the file") -> str:
    """Text from bytes: UTF-8 (a BOM allowed), UTF-16 with its BOM, else the one-byte
    Windows/Latin-1 encoding spreadsheets write.  Binary data is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileReadError(f"{name} says it is UTF-16 but is not: save it again as "
                                f"UTF-8 text") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise FileReadError(f"{name} is not a text file (it holds binary data): export "
                            f"it from the spreadsheet as CSV")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def usual_mode(path: str | os.PathLike) -> None:
    """Give ``path`` the permissions a new file of the user's gets (0644 under the usual
    umask): a temporary file is made readable by its owner only, and a file renamed from
    one kept that (a CSV or GIF export no one else could open)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves the old file or the new one,
    never half of one: a temporary file beside it, flushed, then renamed over it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        usual_mode(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def document_format(path: str | os.PathLike, max_bytes: int) -> str:
    """What a JSON document of ours says it is (its "format": "mlcalc-gui lesson",
    "mlcalc-gui session"), read as untrusted data; "" if it says nothing.  A file that is
    not a regular file, too large or not JSON raises :class:`FileReadError`."""
    import json

    text = read_text_file(path, max_bytes)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise FileReadError(f"it is not a JSON document (line {getattr(exc, 'lineno', '?')})"
                            ) from exc
    kind = data.get("format") if isinstance(data, dict) else None
    return kind[:80] if isinstance(kind, str) else ""
