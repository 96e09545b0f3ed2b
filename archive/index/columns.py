"""Per-segment facet columns as numpy arrays; counting a facet is one np.bincount.

Every facet of the registry (archive/facets.py) is a column, multi-valued or not: a CSR
pair (values of doc d are val[off[d]:off[d+1]]) plus the doc of every entry, so counting
over a boolean mask of matching docs is `bincount(val[mask[entry_doc]])`. Value ids are
global to a `Vocab` shared by all segments, so per-segment counts add up as arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import numpy as np

from archive.facets import all_facets
from archive.index import schema as S
from archive.index.text import normalise

EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
NO_DATE = np.iinfo(np.int64).min
SPARSE_SHARE = 8  # count from the matched docs' own entries below 1/8 of the segment


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """Return the distinct values in ascending order, as np.unique does."""
    # np.unique (numpy 2.x) hashes integers first: about 100x slower than a sort here,
    # and it ran for every facet of every segment when a searcher opens.
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def run_indices(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Return the indices first[i]..last[i]-1 of every run, run after run."""
    lengths = last - first
    ends = np.cumsum(lengths)
    if not len(ends) or not ends[-1]:
        return np.zeros(0, np.int64)
    # Index k of the output lies in run i: it is first[i] + (k - start of run i in output).
    return np.arange(ends[-1]) + np.repeat(first - (ends - lengths), lengths)


def date_key(value: datetime) -> int:
    """Return seconds since 1970 for a naive UTC datetime."""
    return (
        (value.toordinal() - EPOCH_ORDINAL) * 86400
        + value.hour * 3600
        + value.minute * 60
        + value.second
    )


class Vocab:
    """Facet values across segments: id -> display value, normalised key -> id."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.ids: dict[str, int] = {}
        self._spelled: dict[str, int] = {}  # each spelling seen -> its id

    def add(self, value: str) -> int:
        """Return the id of value; values differing only in case or accents share one."""
        # Every segment lists its own values: a spelling another segment had skips normalise.
        known = self._spelled.get(value)
        if known is not None:
            return known
        self._spelled[value] = found = self._add(value)
        return found

    def _add(self, value: str) -> int:
        key = normalise(value)
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.names)
            self.names.append(value)  # shown as first seen
        return found

    def lookup(self, values: Iterable[str]) -> np.ndarray:
        """Return the ids of the given values that exist (unknown values match nothing)."""
        found = [self.ids[k] for k in map(normalise, values) if k in self.ids]
        return np.array(found, dtype=np.int32)


class FacetBuilder:
    """Collects one segment's facet values document by document (doc numbers in order)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.dates: list[int] = []
        # Per facet: offsets, local value ids, local id of each distinct value.
        self.values: dict[str, tuple[list[int], list[int], dict[str, int]]] = {
            facet.name: ([0], [], {}) for facet in all_facets()
        }

    def add(self, doc_id: str, date: datetime | None, values: dict[str, list[str]]) -> None:
        """Add the next document: its naive UTC date (or None) and values by facet name."""
        self.ids.append(doc_id)
        self.dates.append(NO_DATE if date is None else date_key(date))
        for name, (off, val, local) in self.values.items():
            for value in values.get(name) or ():
                if value:
                    val.append(local.setdefault(value, len(local)))
            off.append(len(val))

    def arrays(self) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
        """Return the arrays and metadata to store in the segment's pack."""
        arrays = {"ids": np.array(self.ids, dtype="S"), "dates": np.array(self.dates, np.int64)}
        meta = {}
        for name, (off, val, local) in self.values.items():
            arrays[f"{name}.off"] = np.array(off, np.int32)
            arrays[f"{name}.val"] = np.array(val, np.int32)
            meta[name] = list(local)
        return arrays, meta


class SegmentFacets:
    """Facet columns of one segment, indexed by segment doc number."""

    def __init__(
        self, arrays: dict[str, np.ndarray], meta: dict[str, list[str]], vocabs: dict[str, Vocab]
    ) -> None:
        self.ids = arrays["ids"]
        self.size = n = len(self.ids)
        self.dates = arrays["dates"]
        self.dated = self.dates != NO_DATE
        months = np.full(n, -1, np.int64)
        months[self.dated] = (
            self.dates[self.dated].astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
        )
        self.month_base = int(months[self.dated].min()) if self.dated.any() else 0
        self.months = np.where(self.dated, months - self.month_base, -1)
        # Sort orders: by (date, id) for date sorting, by id for undated documents.
        self.id_rank = np.empty(n, np.int64)
        self.id_rank[np.argsort(self.ids, kind="stable")] = np.arange(n)
        self.date_rank = np.empty(n, np.int64)
        self.date_rank[np.lexsort((self.id_rank, self.dates))] = np.arange(n)
        self.val: dict[str, np.ndarray] = {}
        self.entry_doc: dict[str, np.ndarray] = {}
        for name, vocab in vocabs.items():
            if name not in meta:  # a facet registered after this segment was built
                self.val[name] = self.entry_doc[name] = np.zeros(0, np.int32)
                continue
            remap = np.array([vocab.add(v) for v in meta[name]] or [0], np.int32)
            off = np.asarray(arrays[f"{name}.off"], np.int64)
            docs = np.repeat(np.arange(n, dtype=np.int32), np.diff(off))
            val = (
                remap[arrays[f"{name}.val"]] if len(off) > 1 and off[-1] else np.zeros(0, np.int32)
            )
            if len(val):
                # Two spellings of one value in one document count once.
                pairs = unique_sorted(docs.astype(np.int64) << 32 | val)
                docs, val = (pairs >> 32).astype(np.int32), (pairs & 0xFFFFFFFF).astype(np.int32)
            self.val[name], self.entry_doc[name] = val, docs
        self._cache: dict[tuple[str, str, int], tuple[np.ndarray, ...]] = {}
        self._live: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    @classmethod
    def from_reader(cls, reader: Any, vocabs: dict[str, Vocab]) -> SegmentFacets:
        """Build the columns from a segment's stored fields (segments without a pack)."""
        builder = FacetBuilder()
        facets = all_facets()
        for doc in range(reader.doc_count_all()):
            fields = reader.stored_fields(doc)
            builder.add(
                fields.get(S.ID_FIELD, ""),
                fields.get(S.DATE),
                {f.name: fields.get(f.stored_field) or [] for f in facets},
            )
        return cls(*builder.arrays(), vocabs)

    def docs_with(self, facet: str, ids: np.ndarray) -> np.ndarray:
        """Return the mask of docs having any of the given value ids."""
        mask = np.zeros(self.size, bool)
        if len(ids):
            # Entries sorted by value: each id's docs are one run, found by binary search.
            values, docs = self._by_value(facet)
            ids = np.asarray(ids, values.dtype)
            first, last = np.searchsorted(values, ids), np.searchsorted(values, ids, "right")
            mask[docs[run_indices(first, last)]] = True
        return mask

    def count(
        self, facet: str, mask: np.ndarray, size: int, docs: np.ndarray | None = None
    ) -> np.ndarray:
        """Count the facet's value ids over the docs in mask (an array of `size` counts)."""
        return np.bincount(self.values_over(facet, mask, docs), minlength=size)

    def values_over(
        self, facet: str, mask: np.ndarray, docs: np.ndarray | None = None
    ) -> np.ndarray:
        """Return the facet's value id of every entry of the docs in mask (unordered).

        docs, when given, are mask's docs in order: a few of them are read from their own
        entries (work proportional to the matches); many, by one pass over all entries.
        """
        if docs is not None and len(docs) * SPARSE_SHARE < self.size:
            starts = self._doc_starts(facet)
            return self.val[facet][run_indices(starts[docs], starts[docs + 1])]
        return self.val[facet][mask[self.entry_doc[facet]]]

    def live_counts(self, facet: str, alive: np.ndarray, size: int) -> np.ndarray:
        """Return the count of each value id (`size` of them) over the live docs in alive;
        kept for this alive mask and these entries (a search of most of the segment counts
        the rest and takes it from these)."""
        source = self.val[facet]
        found = self._live.get(facet)
        if (
            found is None
            or found[0] is not source
            or found[1] is not alive
            or len(found[2]) != size
        ):
            found = self._live[facet] = (source, alive, self.count(facet, alive, size))
        return found[2]

    def _doc_starts(self, facet: str) -> np.ndarray:
        """Return where each doc's entries start (n + 1 offsets; entries are sorted by doc)."""

        def starts() -> np.ndarray:
            found = np.zeros(self.size + 1, np.int64)
            np.cumsum(np.bincount(self.entry_doc[facet], minlength=self.size), out=found[1:])
            return found

        return self._derived("starts", facet, starts)[0]

    def _by_value(self, facet: str) -> tuple[np.ndarray, ...]:
        """Return the facet's value ids sorted, and the doc of each."""

        def by_value() -> tuple[np.ndarray, ...]:
            order = np.argsort(self.val[facet], kind="stable")
            return self.val[facet][order], self.entry_doc[facet][order]

        return self._derived("by value", facet, by_value)

    def _derived(
        self, kind: str, facet: str, compute: Callable[[], np.ndarray | tuple[np.ndarray, ...]]
    ) -> tuple[np.ndarray, ...]:
        # Built on first use and kept with the entries they were built from: curated
        # columns (search/curated.py) are shallow copies with entries of their own.
        source = self.val[facet]
        key = (kind, facet, id(source))
        found = self._cache.get(key)
        if found is None or found[0] is not source:
            if len(self._cache) > 4 * len(self.val):
                self._cache.clear()  # curation changed often: forget the old columns'
            made = compute()
            found = self._cache[key] = (source, *(made if isinstance(made, tuple) else (made,)))
        return found[1:]

    def in_range(self, start: int | None, end: int | None) -> np.ndarray:
        """Return the mask of dated docs with start <= date < end (None means open)."""
        mask = self.dated.copy()
        if start is not None:
            mask &= self.dates >= start
        if end is not None:
            mask &= self.dates < end
        return mask

    def month_counts(self, mask: np.ndarray) -> dict[int, int]:
        """Return {months since 1970-01: count} over the dated docs in mask."""
        counts = np.bincount(self.months[mask & self.dated])
        nonzero = np.flatnonzero(counts)
        return dict(zip((nonzero + self.month_base).tolist(), counts[nonzero].tolist()))
