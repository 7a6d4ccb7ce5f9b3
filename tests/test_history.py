"""The bounded, evenly thinned history used for long runs."""

import pytest

from mlcalc_gui.core.history import ThinnedHistory


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
