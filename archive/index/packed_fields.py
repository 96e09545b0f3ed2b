"""A pack's text fields (packfile.py): sorted terms, and each term's postings as slices.

Per text field a pack holds the sorted terms (one UTF-8 blob plus offsets), each term's
range of postings and where its positions start, the doc and the frequency of each
posting (uint16 unless a frequency needs more), the positions numbered segment-wide,
each doc's base coordinate and length. Reading a term is a binary search over the terms
and a few preads; a prefix's terms lie together, so their postings are one slice.
pack_field turns a field's postings, as the bulk build collects them (tokens.py), into
these arrays.
"""

from __future__ import annotations

from array import array
from functools import partial

import numpy as np

from archive.index.columns import run_indices
from archive.index.packfile import Pack
from archive.index.term import PrefixDocs, Term
from archive.index.tokens import FieldPostings

FEW_ROWS = 32  # a phrase reads this few postings' positions one pread each (see _rows)


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


class PackedField:
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
