"""Term postings of one segment as numpy arrays: doc numbers, frequencies, positions.

Segments written by the bulk reindex carry a pack (see packfile.py) with, per text field:
the sorted terms (one UTF-8 blob plus offsets), each term's range of postings and of
positions, the doc and the frequency of each posting (uint16 unless a frequency needs
more), and the positions. Reading a term is then a few array slices. Other segments
(written by Whoosh's own writer during ingest) are read through Whoosh's matchers, one
posting at a time, and the result is cached per term.

The builder collects a keyed field's postings per term as TermPostings, and a text
field's as token columns (tokens.py); pack_field turns a text field's into pack arrays.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import numpy as np
from whoosh.reading import IndexReader

from archive.index.columns import run_indices
from archive.index.packfile import Pack
from archive.index.tokens import FieldPostings

CACHE_TERMS = 256  # terms read through Whoosh kept per segment
FEW_ROWS = 32  # a phrase reads this few postings' positions one pread each (see _rows)


class TermPostings:
    """One term's postings in a segment being built, in doc order, as Whoosh writes them.

    docs: doc numbers, ascending; weights: Whoosh's weight of each posting (for text,
    frequency x field boost); values: each posting's payload in the field's Whoosh format.
    """

    __slots__ = ("docs", "values", "weights")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []


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


def pack_field(
    name: str, postings: FieldPostings, lengths: array[int], spans: array[int]
) -> dict[str, np.ndarray]:
    """Return the pack arrays of one text field from its postings (tokens.py); lengths are
    each doc's number of terms, spans each doc's positions plus a gap."""
    blobs = [k.encode("utf-8") for k in postings.terms]
    toff = np.zeros(len(blobs) + 1, np.int64)
    toff[1:] = np.cumsum([len(b) for b in blobs])
    base = np.zeros(len(spans) + 1, np.int64)
    np.cumsum(np.frombuffer(spans, np.uint32), out=base[1:])
    coords = postings.positions + np.repeat(base[:-1][postings.docs], postings.freqs)
    coords = coords.astype(np.int32 if base[-1] < 2**31 else np.int64)
    most = int(postings.freqs.max()) if len(postings.freqs) else 0
    return {
        f"{name}.terms": np.frombuffer(b"".join(blobs), np.uint8),
        f"{name}.toff": toff,
        f"{name}.pstart": postings.pstart,
        f"{name}.docs": postings.docs,
        f"{name}.freq": postings.freqs.astype(np.uint16 if most < 65536 else np.uint32),
        f"{name}.tpos": postings.poff[postings.pstart],
        f"{name}.pos": coords,
        f"{name}.base": base,
        f"{name}.len": np.frombuffer(lengths, np.uint32),
    }


class _PackedField:
    # One text field of a pack: its sorted terms and their postings' ranges.
    def __init__(self, pack: Pack, name: str) -> None:
        self.pack, self.name = pack, name
        self.blob = pack.array(f"{name}.terms")
        self.toff, self.pstart = pack.array(f"{name}.toff"), pack.array(f"{name}.pstart")
        self.base = pack.array(f"{name}.base")
        self.lengths = pack.array(f"{name}.len")
        # Where each term's positions start; older packs kept each posting's instead (poff).
        self.tpos = pack.array(f"{name}.tpos") if f"{name}.tpos" in pack.names() else None
        self.count = len(self.toff) - 1

    def key(self, i: int) -> bytes:
        return self.blob[self.toff[i] : self.toff[i + 1]].tobytes()

    def lower_bound(self, key: bytes) -> int:
        lo, hi = 0, self.count
        while lo < hi:
            mid = (lo + hi) // 2
            if self.key(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def find(self, text: str) -> int:
        key = text.encode("utf-8")
        i = self.lower_bound(key)
        return i if i < self.count and self.key(i) == key else -1

    def term(self, i: int) -> Term:
        a, b = int(self.pstart[i]), int(self.pstart[i + 1])
        read, name = self.pack.read, self.name
        if self.tpos is None:  # packs written before per-posting frequencies were stored
            poff = read(f"{name}.poff", a, b + 1)
            freqs, first, last = np.diff(poff), int(poff[0]), int(poff[-1])
        else:
            freqs = read(f"{name}.freq", a, b).astype(np.int32)
            first, last = int(self.tpos[i]), int(self.tpos[i + 1])
        return Term(
            read(f"{name}.docs", a, b),
            freqs,
            base=self.base,
            load=partial(read, f"{name}.pos", first, last),
            load_rows=None if self.tpos is None else partial(self._rows, first, freqs),
        )

    def _rows(self, first: int, freqs: np.ndarray, rows: np.ndarray) -> np.ndarray:
        # Posting j's positions are first + (freqs[0] + ... + freqs[j-1]) onwards, freqs[j]
        # of them. Read with pread, not through the map: pages touched through a map stay
        # in the process's resident set (a million-article archive's phrases took a query
        # process from 0.5 to 4 GB). A few rows are read one by one; more as the one
        # stretch holding them all, gathered here.
        ends = np.cumsum(freqs, dtype=np.int64)
        starts = ends - freqs
        name = f"{self.name}.pos"
        if len(rows) <= FEW_ROWS:
            reads = [
                self.pack.read(name, first + int(starts[r]), first + int(ends[r])) for r in rows
            ]
            return np.concatenate(reads) if reads else np.zeros(0, self.base.dtype)
        low, high = int(starts[rows[0]]), int(ends[rows[-1]])
        stretch = self.pack.read(name, first + low, first + high)
        return stretch[run_indices(starts[rows] - low, ends[rows] - low)]

    def prefix_docs(self, prefix: str) -> PrefixDocs:
        # Keys sort as UTF-8, where no byte is 0xFF: key + 0xFF bounds the keys starting
        # with key. Their postings lie together, so one read fetches them all.
        key = prefix.encode("utf-8")
        lo, hi = self.lower_bound(key), self.lower_bound(key + b"\xff")
        a, b = int(self.pstart[lo]), int(self.pstart[hi])
        return PrefixDocs(hi - lo, partial(self.pack.read, f"{self.name}.docs", a, b))

    def expand(self, prefix: str) -> list[str]:
        key = prefix.encode("utf-8")
        out, i = [], self.lower_bound(key)
        while i < self.count:
            word = self.key(i)
            if not word.startswith(key):
                break
            out.append(word.decode("utf-8"))
            i += 1
        return out


class SegmentPostings:
    """Postings, document frequencies and field lengths of one segment."""

    def __init__(self, reader: IndexReader, pack: Pack | None = None) -> None:
        self.reader = reader
        self.meta: dict[str, Any] = pack.meta if pack is not None else {}
        self.size = reader.doc_count_all()
        self.packed = (
            {}
            if pack is None
            else {name: _PackedField(pack, name) for name in pack.meta.get("fields", [])}
        )
        self._cache: OrderedDict[tuple[str, str], Term] = OrderedDict()
        self._lengths: dict[str, np.ndarray] = {}

    def term(self, field: str, text: str) -> Term:
        """Return the postings of a term (EMPTY when the segment lacks it)."""
        packed = self.packed.get(field)
        if packed is not None:
            i = packed.find(text)
            return packed.term(i) if i >= 0 else EMPTY
        key = (field, text)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._read(field, text)
            if len(self._cache) > CACHE_TERMS:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return found

    def _read(self, field: str, text: str) -> Term:
        # Whoosh's own matcher, one posting at a time: only for segments without a pack.
        # A posting's frequency heads its encoded positions; the positions themselves
        # (a pickle per posting) are decoded only when a phrase asks for them.
        if field not in self.reader.schema or (field, text) not in self.reader:
            return EMPTY
        fmt = self.reader.schema[field].format
        positional = fmt.supports("positions")
        matcher = self.reader.postings(field, text)
        docs: list[int] = []
        freqs: list[int] = []
        while matcher.is_active():
            docs.append(matcher.id())
            if positional:
                freqs.append(fmt.decode_frequency(matcher.value()))
            else:
                freqs.append(max(1, round(matcher.weight())))
            matcher.next()
        return Term(
            np.array(docs, np.int32),
            np.array(freqs, np.int32),
            load=partial(self._coords, field, text) if positional else None,
        )

    def _coords(self, field: str, text: str) -> np.ndarray:
        # Read when asked, through the reader of the generation asking (see term).
        fmt = self.reader.schema[field].format
        matcher = self.reader.postings(field, text)
        coords: list[int] = []
        while matcher.is_active():
            doc = matcher.id()
            coords.extend((doc << 32) + p for p in fmt.decode_positions(matcher.value()))
            matcher.next()
        return np.array(coords, np.int64)

    def df(self, field: str, text: str) -> int:
        """Return how many docs of the segment (deleted ones too) hold the term."""
        packed = self.packed.get(field)
        if packed is not None:
            i = packed.find(text)
            return int(packed.pstart[i + 1] - packed.pstart[i]) if i >= 0 else 0
        try:
            return self.reader.doc_frequency(field, text)
        except (KeyError, ValueError):
            return 0

    def expand(self, field: str, prefix: str) -> list[str]:
        """Return the segment's terms of field starting with prefix."""
        packed = self.packed.get(field)
        if packed is not None:
            return packed.expand(prefix)
        if field not in self.reader.schema:
            return []
        return [
            t.decode("utf-8") if isinstance(t, bytes) else t
            for t in self.reader.expand_prefix(field, prefix)
        ]

    def prefix_docs(self, field: str, prefix: str) -> PrefixDocs | None:
        """Return the terms of a packed field starting with prefix, read at once (None
        for fields without a pack: use expand and term)."""
        packed = self.packed.get(field)
        return None if packed is None else packed.prefix_docs(prefix)

    def lengths(self, field: str) -> np.ndarray:
        """Return each doc's number of terms in field."""
        packed = self.packed.get(field)
        if packed is not None:
            return packed.lengths
        found = self._lengths.get(field)
        if found is None:
            length = self.reader.doc_field_length
            found = np.array([length(d, field) or 0 for d in range(self.size)], np.uint32)
            self._lengths[field] = found
        return found

    def total_length(self, field: str) -> int:
        """Return the sum of the field's lengths over the segment."""
        packed = self.packed.get(field)
        if packed is not None:
            return int(packed.lengths.sum(dtype=np.int64))
        return int(self.reader.field_length(field) or 0)
