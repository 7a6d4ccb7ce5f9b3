"""A bounded history of a long run, thinned evenly as it grows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

__all__ = ["ThinnedHistory", "RecordArrays", "drawn_indices"]


class ThinnedHistory:
    """Keeps at most ``capacity`` items of a stream, spread evenly over all of it.

    Every item is kept until the history is full; then every other kept item is dropped
    and from then on only every second new item is kept (the stride doubles), and so on.
    So memory stays bounded however long a run lasts, and a plot of the history still
    spans the whole run.  ``generation`` counts the thinnings (a view redraws when it
    changes).
    """

    def __init__(self, capacity: int):
        if capacity < 2:
            raise ValueError("capacity must be at least 2")
        self.capacity = capacity
        self.items: list[Any] = []
        self.stride = 1
        self.count = 0
        self.generation = 0
        self._array: np.ndarray | None = None
        self._array_key = (-1, 0)

    def append(self, item: Any, always: bool = False) -> bool:
        """Offer the next item of the stream; True if it was kept (``always``: it is,
        whatever the stride; a rewound history's new end)."""
        keep = always or self.count % self.stride == 0
        self.count += 1
        if keep:
            self.items.append(item)
            if len(self.items) > self.capacity:
                self.items = self.items[::2]
                self.stride *= 2
                self.generation += 1
        return keep

    def array(self) -> np.ndarray:
        """The kept items (tuples of numbers) as a float array of shape (len, width).

        Kept up to date incrementally: a frame that adds k items converts only those k,
        not the whole history.
        """
        generation, converted = self._array_key
        if self._array is None or generation != self.generation or converted > len(self.items):
            self._array = np.asarray(self.items, dtype=float).reshape(len(self.items), -1)
        elif converted < len(self.items):
            new = np.asarray(self.items[converted:], dtype=float).reshape(
                len(self.items) - converted, -1)
            self._array = np.concatenate([self._array, new])
        self._array_key = (self.generation, len(self.items))
        return self._array

    def truncate(self, predicate) -> None:
        """Drop kept items from the end while ``predicate(item)`` holds (used when a run
        is rewound to the state on screen)."""
        while self.items and predicate(self.items[-1]):
            self.items.pop()
        self._array = None

    def prefix(self, n: int) -> ThinnedHistory:
        """The first ``n`` kept items, as a history of the same generation (what a run
        looked like then; a view drawing it incrementally redraws only what differs)."""
        other = ThinnedHistory(self.capacity)
        other.items = self.items[:n]
        other.stride, other.count, other.generation = self.stride, self.count, self.generation
        return other

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __getitem__(self, index):
        return self.items[index]


class RecordArrays:
    """The numbers of a run's growing list of records as one array, extended by the new
    records only: a run of 100,000 steps made a list of every point, every frame.

    ``numbers(record)`` gives a record's row of ``width`` numbers.  :meth:`update` takes
    the records as they are now; if they are not the ones seen before plus new ones (a
    new run, a rewind, a branch), the array is built again from them.
    """

    def __init__(self, numbers, width: int):
        self.numbers = numbers
        self.width = width
        self.clear()

    def clear(self) -> None:
        self._data = np.empty((64, self.width))
        self._n = 0
        self._first: Any = None
        self._last: Any = None

    def update(self, records) -> np.ndarray:
        """A view of (len(records), width) rows; valid until the next update."""
        n = len(records)
        if n < self._n or (self._n and (records[0] is not self._first
                                        or records[self._n - 1] is not self._last)):
            self.clear()
        if n > self._n:
            new = np.array([self.numbers(r) for r in records[self._n:n]],
                           dtype=float).reshape(-1, self.width)
            if n > len(self._data):
                grown = np.empty((max(n, 2 * len(self._data)), self.width))
                grown[:self._n] = self._data[:self._n]
                self._data = grown
            self._data[self._n:n] = new
            self._n, self._first, self._last = n, records[0], records[n - 1]
        return self._data[:n]

    def drawn(self, records, most: int = 2000) -> np.ndarray:
        """:meth:`update`, then only the rows to draw (:func:`drawn_indices`): bounded
        work per frame however long the run."""
        rows = self.update(records)
        return rows[drawn_indices(len(rows), most)]


def drawn_indices(n: int, most: int = 2000) -> np.ndarray:
    """Which of ``n`` path points to draw, ``most`` at most, in order: the first half of
    them all (a descent moves most at its start), then spaced ever wider (geometrically)
    to the last, which is always drawn."""
    if n <= most:
        return np.arange(n)
    head = np.arange(most // 2)
    tail = np.geomspace(most // 2, n - 1, most - most // 2).astype(int)
    return np.unique(np.concatenate([head, tail, [n - 1]]))
