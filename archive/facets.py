"""Per-segment facet caches: per-document values held in plain lists, counted with C loops."""

from __future__ import annotations

import bisect
from collections import Counter
from itertools import chain

from archive import schema as S

EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


def date_key(value) -> int:
    """Return seconds since 1970 for a naive UTC datetime."""
    return ((value.toordinal() - EPOCH_ORDINAL) * 86400 + value.hour * 3600
            + value.minute * 60 + value.second)


class SegmentFacets:
    """Stored values of one segment's documents, indexed by segment docnum.

    Built once per segment from its stored fields and shared by every searcher that
    opens the segment; segments never change, only their deletions do.
    """

    def __init__(self, reader, canonical: dict[str, str]):
        n = reader.doc_count_all()
        self.size = n
        self.ids: list[str] = [""] * n
        self.dates: list[int | None] = [None] * n
        self.years: list[str | None] = [None] * n
        self.months: list[str | None] = [None] * n
        self.people: list[tuple[str, ...]] = [()] * n
        self.outlets: list[tuple[str, ...]] = [()] * n
        self.sections: list[str | None] = [None] * n
        self.people_docs: dict[str, set[int]] = {}
        self.outlet_docs: dict[str, set[int]] = {}
        self.section_docs: dict[str, set[int]] = {}
        stored = reader.stored_fields
        for doc in range(n):
            fields = stored(doc)
            self.ids[doc] = fields.get(S.ID_FIELD, "")
            date = fields.get(S.DATE)
            if date is not None:
                self.dates[doc] = date_key(date)
                self.years[doc] = _intern(canonical, f"{date.year:04d}")
                self.months[doc] = _intern(canonical, f"{date.year:04d}-{date.month:02d}")
            self.people[doc] = _values(fields.get(S.PEOPLE), canonical, self.people_docs, doc)
            self.outlets[doc] = _values(fields.get(S.OUTLETS), canonical, self.outlet_docs, doc)
            section = fields.get(S.SECTION) or None
            if section:
                self.sections[doc] = _values([section], canonical, self.section_docs, doc)[0]
        # Documents in date order (ties by id) for date ranges and date sorting.
        self.by_date = sorted((d for d in range(n) if self.dates[d] is not None),
                              key=lambda d: (self.dates[d], self.ids[d]))
        self.sorted_keys = [self.dates[d] for d in self.by_date]
        self.rank: list[int] = [0] * n
        for position, doc in enumerate(self.by_date):
            self.rank[doc] = position
        self.undated = frozenset(d for d in range(n) if self.dates[d] is None)

    def in_range(self, start: int | None, end: int | None) -> set[int]:
        """Return the dated docs with start <= date < end (None means open)."""
        lo = 0 if start is None else bisect.bisect_left(self.sorted_keys, start)
        hi = len(self.by_date) if end is None else bisect.bisect_left(self.sorted_keys, end)
        return set(self.by_date[lo:hi])

    def docs_with(self, facet: str, keys) -> set[int]:
        """Return the docs having any of the normalised values in keys."""
        table = {"people": self.people_docs, "outlets": self.outlet_docs,
                 "sections": self.section_docs}[facet]
        found: set[int] = set()
        for key in keys:
            found |= table.get(key, set())
        return found

    def count(self, facet: str, docs) -> Counter:
        """Count the facet's values over docs."""
        if facet == "people":
            return Counter(chain.from_iterable(map(self.people.__getitem__, docs)))
        if facet == "outlets":
            return Counter(chain.from_iterable(map(self.outlets.__getitem__, docs)))
        column = {"sections": self.sections, "years": self.years, "months": self.months}[facet]
        counts = Counter(map(column.__getitem__, docs))
        counts.pop(None, None)
        return counts


def _intern(canonical: dict[str, str], value: str) -> str:
    return canonical.setdefault(value, value)


def _values(values, canonical, inverted, doc) -> tuple[str, ...]:
    # Values that differ only in case or accents count as one, shown as first seen.
    if not values:
        return ()
    out = []
    for value in values:
        key = S.normalise(value)
        if not key:
            continue
        display = canonical.setdefault("\0" + key, value)
        if display not in out:
            out.append(display)
        inverted.setdefault(key, set()).add(doc)
    return tuple(out)
