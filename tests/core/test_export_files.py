"""Runs written out: the CSV table of records and the GIF of frames, read back."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from PIL import Image

from mlcalc_gui.core import optimisation as op
from mlcalc_gui.core.export_files import (
    GIF_WIDTH,
    gif_frame,
    record_table,
    thin_indices,
    write_csv,
    write_gif,
)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_newton_records_round_trip_exactly_through_csv(tmp_path):
    records = list(op.newton_raphson("x^2 - 2", 1.0, 8))
    header, rows = record_table(records)
    assert header == ["step", "x", "value", "slope", "next_x", "stopped"]
    path = tmp_path / "newton.csv"
    assert write_csv(path, header, rows) == len(records)
    table = read_csv(path)
    assert table[0] == header and len(table) == len(records) + 1
    xs = [float(row[1]) for row in table[1:]]
    assert xs == [r.x for r in records]  # every digit kept
    assert xs[-1] == pytest.approx(math.sqrt(2), abs=1e-9)
    assert table[-1][5] == records[-1].stopped != ""


def test_nested_points_get_a_column_each_and_big_arrays_are_left_out():
    records = list(op.race("x^2 + 3*y^2", (1.0, 1.0), steps=3))
    header, rows = record_table(records)
    n = len(records[0].points)
    assert header[:4] == ["step", "points[0][0]", "points[0][1]", "points[0][2]"]
    assert len(header) == 1 + 3 * n + n
    assert rows[1][1:4] == list(records[1].points[0])
    assert rows[1][-n:] == [int(m) for m in records[1].moving]

    from mlcalc_gui.core.network import TrainStep
    header, rows = record_table([TrainStep(1, 0.5, np.zeros(200))])
    assert header == ["iteration", "cost"] and rows == [[1, 0.5]]


def test_nan_and_infinity_are_written_as_words(tmp_path):
    path = tmp_path / "r.csv"
    write_csv(path, ["a", "b"], [[float("nan"), float("-inf")]])
    assert read_csv(path)[1] == ["nan", "-inf"]


def test_a_failed_write_leaves_nothing(tmp_path):
    target = tmp_path / "folder.csv"
    target.mkdir()  # a folder where the file should go
    with pytest.raises(OSError, match="not a regular file"):
        write_csv(target, ["a"], [[1]])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.csv"]


def test_thinned_frames_keep_both_ends_and_are_evenly_spread():
    assert thin_indices(0, 9) == list(range(10))
    picked = thin_indices(0, 9999, 150)
    assert len(picked) == 150 and picked[0] == 0 and picked[-1] == 9999
    gaps = np.diff(picked)
    assert gaps.min() >= 66 and gaps.max() <= 68
    assert thin_indices(5, 4) == []


def test_a_gif_plays_every_frame_at_its_size(tmp_path):
    frames = []
    for k in range(12):  # a dot moving right: every frame differs from the one before
        image = np.full((300, 1600, 3), 255, np.uint8)
        image[100:200, 100 * k:100 * k + 100] = (213, 94, 0)
        frames.append(gif_frame(image))
    path = tmp_path / "run.gif"
    assert write_gif(path, frames, fps=5) == 12
    with Image.open(path) as gif:
        assert gif.n_frames == 12 and gif.size == (GIF_WIDTH, 180)
        assert gif.info["duration"] == 200 and gif.info["loop"] == 0
        gif.seek(11)
        rgb = np.asarray(gif.convert("RGB"))
    # the last frame's dot is where it was drawn (scaled by 960/1600)
    assert tuple(rgb[90, int(1150 * 0.6)]) == pytest.approx((213, 94, 0), abs=12)
    assert tuple(rgb[90, 30]) == pytest.approx((255, 255, 255), abs=3)


def test_nothing_to_animate_is_refused(tmp_path):
    with pytest.raises(ValueError, match="run a few steps"):
        write_gif(tmp_path / "x.gif", [])
    assert not (tmp_path / "x.gif").exists()
