"""One term's postings in one segment as arrays: docs, frequencies, positions on demand.

A Term is what evaluation reads, whichever way the segment keeps its postings (a pack,
packed_fields.py, or Whoosh's files, postings.py): docs ascending with their frequencies,
and the positions numbered segment-wide, read only when a phrase asks for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class Term:
    """The postings of one term in one segment.

    coords holds the term's positions numbered segment-wide, ascending: doc d's position
    p is base[d] + p when the segment has a base array (packs), else d << 32 | p. A doc's
    span leaves a gap, so adjacent coordinates never straddle two docs. Packs load
    coords only when a phrase asks for them.
    """

    def __init__(
        self,
        docs: np.ndarray,
        freqs: np.ndarray,
        coords: np.ndarray | None = None,
        base: np.ndarray | None = None,
        load: Callable[[], np.ndarray] | None = None,
        load_rows: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> None:
        self.docs, self.freqs, self.base = docs, freqs, base
        self._coords, self._load, self._load_rows = coords, load, load_rows

    @property
    def coords(self) -> np.ndarray | None:
        if self._load is not None:
            self._coords, self._load = self._load(), None
        return self._coords

    def coords_of(self, rows: np.ndarray, exact: bool = True) -> np.ndarray:
        """Return the coordinates of the postings at rows (ascending), ascending; when not
        exact, maybe others of the term's too (all of them, when that costs less).

        A pack reads just those postings' runs of positions when they are under a quarter
        of the term's; otherwise (or without a pack) all are read and, if exact, the rows'
        kept (a pass over every position).
        """
        if self._load_rows is not None and self._coords is None and 4 * len(rows) < len(self.docs):
            return self._load_rows(rows)
        coords = self.coords
        assert coords is not None, "a term without positions has no positions to select"
        if len(rows) == len(self.docs) or not exact:
            return coords
        wanted = np.zeros(len(self.docs), bool)
        wanted[rows] = True
        return coords[np.repeat(wanted, self.freqs)]

    def docs_of(self, coords: np.ndarray) -> np.ndarray:
        """Return the doc of each coordinate."""
        if self.base is None:
            return (coords >> 32).astype(np.int64)
        return np.searchsorted(self.base, coords, side="right") - 1

    def positions(self, i: int) -> list[int]:
        """Return the in-document positions of posting i (for tests and debugging)."""
        start = int(self.freqs[:i].sum())
        coords = self.coords
        assert coords is not None, "a term without positions has no positions to list"
        found = coords[start : start + int(self.freqs[i])].astype(np.int64)
        offset = int(self.docs[i]) << 32 if self.base is None else int(self.base[self.docs[i]])
        return (found - offset).tolist()


class PrefixDocs(NamedTuple):
    """The terms a prefix expands to in a packed segment: how many, and a reader of the
    docs of their postings (unsorted, repeated; read only once the count is allowed)."""

    words: int
    docs: Callable[[], np.ndarray]


EMPTY = Term(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int64))
