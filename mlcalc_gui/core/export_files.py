"""A run's records as a table (CSV) and a run's frames as an animation (GIF).

Qt-free: the GUI hands over records and frames (numpy images); this module lays them out
and writes the files.  A file is written to a temporary name beside the target and
renamed when complete, so a failed or cancelled export never leaves half a file.
"""

from __future__ import annotations

import csv
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mlcalc_gui.core.files import usual_mode

__all__ = ["record_table", "write_csv", "gif_frame", "write_gif", "thin_indices",
           "MAX_COLUMNS", "MAX_FRAMES", "GIF_WIDTH"]

MAX_COLUMNS = 64  # a field with more numbers (a network's parameters) is left out
MAX_FRAMES = 150  # an animation's frames; a longer run is thinned evenly
GIF_WIDTH = 960  # frames wider than this are scaled down (slides, and a file of MBs)


def _flatten(name: str, value: Any) -> Iterator[tuple[str, Any]]:
    if value is None:
        yield name, ""
    elif isinstance(value, (bool, np.bool_)):
        yield name, int(value)
    elif isinstance(value, (int, float, str, np.integer, np.floating)):
        yield name, value.item() if isinstance(value, np.generic) else value
    elif isinstance(value, (tuple, list, np.ndarray)):
        for i, item in enumerate(value):
            yield from _flatten(f"{name}[{i}]", item)


def record_table(records: Sequence[Any]) -> tuple[list[str], list[list[Any]]]:
    """The records (dataclasses of one kind) as a header and rows: one column per number,
    a tuple's numbers as ``name[i]``; a field of more than :data:`MAX_COLUMNS` numbers is
    left out, and so is one outside the records' equality (``compare=False``).  Rows
    follow the first record's columns."""
    if not records:
        return [], []
    first = records[0]
    if not is_dataclass(first):
        raise ValueError("records must be dataclasses")
    keep = []
    for f in fields(first):
        if not f.compare:
            continue  # what the screen shows, not the run (DescentStep.analysis)
        columns = list(_flatten(f.name, getattr(first, f.name)))
        if 0 < len(columns) <= MAX_COLUMNS:
            keep.append(f.name)
    header = [name for f in keep for name, _ in _flatten(f, getattr(first, f))]
    rows = []
    for record in records:
        row = [value for f in keep for _, value in _flatten(f, getattr(record, f, None))]
        rows.append((row + [""] * len(header))[:len(header)])
    return header, rows


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)  # exact, and nan/inf
    return value


def _atomic(path: str | Path, write: Callable[[str], None]) -> None:
    """``write(tmp)`` then rename it to ``path``; nothing is left if it fails."""
    target = Path(path)
    if target.exists() and not target.is_file():
        raise OSError(f"{target.name} is not a regular file: choose another name")
    fd, tmp = tempfile.mkstemp(prefix=".mlcalc-", suffix=target.suffix,
                               dir=target.parent if str(target.parent) else ".")
    os.close(fd)
    try:
        write(tmp)
        usual_mode(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]],
              about: Sequence[tuple[str, str]] = ()) -> int:
    """Write a CSV file (floats to full precision); the number of rows written.  ``about``
    (what made the run: the function, the rate, the start…) opens the file as comment
    lines, ``# name: value``, which spreadsheets show and ``pandas.read_csv(...,
    comment="#")`` skips."""
    count = 0

    def write(tmp: str) -> None:
        nonlocal count
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            for name, value in about:
                handle.write(f"# {name}: {' '.join(str(value).splitlines())}\n")
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([_cell(v) for v in row])
                count += 1

    _atomic(path, write)
    return count


def thin_indices(first: int, last: int, most: int = MAX_FRAMES) -> list[int]:
    """At most ``most`` indices from ``first`` to ``last`` inclusive, evenly spread, both
    ends kept."""
    n = last - first + 1
    if n <= 0:
        return []
    if n <= most:
        return list(range(first, last + 1))
    return sorted({int(round(v)) for v in np.linspace(first, last, most)})


def gif_frame(rgb: np.ndarray, width: int = GIF_WIDTH):
    """An (H, W, 3) uint8 image as a 256-colour frame for :func:`write_gif`, scaled to at
    most ``width`` wide (the frame is small: one byte a pixel)."""
    from PIL import Image

    image = Image.fromarray(np.ascontiguousarray(rgb[:, :, :3], dtype=np.uint8), "RGB")
    if image.width > width:
        image = image.resize((width, max(1, round(image.height * width / image.width))),
                             Image.Resampling.LANCZOS)
    return image.quantize(colors=256, method=Image.Quantize.FASTOCTREE)


def write_gif(path: str | Path, frames: Sequence[Any], fps: float = 10.0) -> int:
    """Write ``frames`` (from :func:`gif_frame`) as a looping GIF, and read it back: the
    frame count the file plays (Pillow shows a frame identical to the one before it as
    that one held longer)."""
    from PIL import Image

    if not frames:
        raise ValueError("there is nothing to animate: run a few steps first")
    duration = max(20, round(1000 / fps))
    played = 0

    def write(tmp: str) -> None:
        nonlocal played
        frames[0].save(tmp, format="GIF", save_all=True, append_images=list(frames[1:]),
                       duration=duration, loop=0, optimize=False, disposal=1)
        with Image.open(tmp) as written:
            played = written.n_frames

    _atomic(path, write)
    return played
