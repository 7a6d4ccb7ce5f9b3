"""Hypothesis strategies shared by the fuzz tests of the file formats."""

from __future__ import annotations

from hypothesis import strategies as st

#: Any JSON value, nested a little: what a hand-edited or hostile file may hold.
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)
