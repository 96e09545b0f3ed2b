"""Term postings of one segment as Terms (term.py), from its pack or through Whoosh.

Segments with a pack (bulk-built ones, and large ones an ingest wrote: packing.py) read
their text fields from it (packed_fields.py): a few array slices per term. Other
segments are read through Whoosh's matchers, one posting at a time, and the result is
cached per term. Document frequencies, prefix expansions and field lengths come from the
same two places.

The bulk builder collects a keyed field's postings per term as TermPostings (written to
Whoosh's files); its text fields go to the pack (packed_fields.pack_field).
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from functools import partial
from typing import Any

import numpy as np
from whoosh.reading import IndexReader

from archive.index.packed_fields import PackedField
from archive.index.packfile import Pack
from archive.index.term import EMPTY, PrefixDocs, Term

CACHE_TERMS = 256  # terms read through Whoosh kept per segment


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


class SegmentPostings:
    """Postings, document frequencies and field lengths of one segment."""

    def __init__(self, reader: IndexReader, pack: Pack | None = None) -> None:
        self.reader = reader
        self.meta: dict[str, Any] = pack.meta if pack is not None else {}
        self.size = reader.doc_count_all()
        self.packed = (
            {}
            if pack is None
            else {name: PackedField(pack, name) for name in pack.meta.get("fields", [])}
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
