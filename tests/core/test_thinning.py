"""The bounded, evenly thinned history used for long runs."""

import numpy as np
import pytest

from mlcalc_gui.core.thinning import ThinnedHistory


def test_keeps_everything_until_full():
    h = ThinnedHistory(10)
    for i in range(10):
        assert h.append(i)
    assert list(h) == list(range(10)) and h.stride == 1 and h.generation == 0


def test_memory_stays_bounded_and_spans_the_whole_stream():
    h = ThinnedHistory(100)
    for i in range(1_000_000):
        h.append(i)
    assert len(h) <= 100
    items = list(h)
    assert items[0] == 0 and items[-1] > 990_000
    steps = {b - a for a, b in zip(items, items[1:], strict=False)}
    assert steps == {h.stride}  # evenly spread
    assert h.generation == 14 and h.stride == 2**14


def test_truncate_rewinds():
    h = ThinnedHistory(50)
    for i in range(30):
        h.append(i)
    h.truncate(lambda v: v > 20)
    assert list(h)[-1] == 20


def test_capacity_must_be_sensible():
    with pytest.raises(ValueError):
        ThinnedHistory(1)


def test_array_view_follows_appends_thinning_and_truncation():
    h = ThinnedHistory(8)
    for i in range(5):
        h.append((i, i * i))
    assert h.array().tolist() == [[i, i * i] for i in range(5)]
    for i in range(5, 30):
        h.append((i, i * i))
        assert h.array().tolist() == [list(t) for t in h.items]
    h.truncate(lambda t: t[0] > 20)
    assert h.array().tolist() == [list(t) for t in h.items]


def test_record_arrays_grow_by_the_new_records_only_and_rebuild_on_a_new_run():
    from mlcalc_gui.core.thinning import RecordArrays

    calls = []

    def numbers(r):
        calls.append(r)
        return (r, 2.0 * r)

    rows = RecordArrays(numbers, 2)
    records = list(range(100))
    assert rows.update(records[:10]).tolist() == [[k, 2 * k] for k in range(10)]
    assert rows.update(records).shape == (100, 2) and len(calls) == 100  # 90 new ones only
    assert rows.update(records)[-1].tolist() == [99, 198] and len(calls) == 100
    other = [float(k) for k in range(5)]  # a new run: not the same records
    assert rows.update(other).tolist() == [[k, 2 * k] for k in range(5)]
    assert rows.update(other[:3]).shape == (3, 2)  # a rewind


def test_drawn_indices_are_bounded_ordered_and_keep_the_start_and_the_end():
    from mlcalc_gui.core.thinning import drawn_indices

    assert drawn_indices(10).tolist() == list(range(10))
    for n in (2001, 10_000, 100_000, 10_000_000):
        k = drawn_indices(n)
        assert len(k) <= 2001 and k[0] == 0 and k[-1] == n - 1
        assert np.all(np.diff(k) > 0) and set(range(1000)) <= set(k.tolist())
