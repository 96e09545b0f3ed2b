"""Per-segment facet columns as numpy arrays; counting a facet is one np.bincount.

Every facet of the registry (archive/facets.py) is a column, multi-valued or not: a CSR
pair (values of doc d are val[off[d]:off[d+1]]) plus the doc of every entry, so counting
over a boolean mask of matching docs is `bincount(val[mask[entry_doc]])`. Value ids are
global to a `Vocab` shared by all segments, so per-segment counts add up as arrays.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np

from archive.facets import all_facets
from archive.index import schema as S
from archive.index.text import normalise

EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
NO_DATE = np.iinfo(np.int64).min


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

    def add(self, value: str) -> int:
        """Return the id of value; values differing only in case or accents share one."""
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
                pairs = np.unique(docs.astype(np.int64) << 32 | val)
                docs, val = (pairs >> 32).astype(np.int32), (pairs & 0xFFFFFFFF).astype(np.int32)
            self.val[name], self.entry_doc[name] = val, docs

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
            mask[self.entry_doc[facet][np.isin(self.val[facet], ids)]] = True
        return mask

    def count(self, facet: str, mask: np.ndarray, size: int) -> np.ndarray:
        """Count the facet's value ids over the docs in mask (an array of `size` counts)."""
        return np.bincount(self.val[facet][mask[self.entry_doc[facet]]], minlength=size)

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
