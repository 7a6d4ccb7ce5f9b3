"""A bounded history of a long run, thinned evenly as it grows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

__all__ = ["ThinnedHistory"]


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
