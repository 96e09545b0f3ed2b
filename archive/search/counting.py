"""Selecting documents by criteria and counting facets, one segment at a time on arrays.

For each segment the query gives a mask of matching docs; exclusions and the date filter
narrow it to `base`; each facet with selected values gives a mask of docs carrying any
of them. A doc is a result when it is in `base` and in every facet's mask:

    final = base & sel(f1) & sel(f2) & ...

Facet counts are disjunctive: facet f counts over base & (every selection but its own),
so choosing a second value of f widens the results and the first choice does not hide
the others. The date histogram counts over the matches without the date filter
(`kept`), so other periods stay visible while one is chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple, Protocol

import numpy as np
from whoosh import query as Q

from archive.facets import Facet, all_facets
from archive.index.columns import EPOCH_ORDINAL, SegmentFacets, Vocab
from archive.search.criteria import Criteria
from archive.search.evaluation import Segment, Stats, evaluate


class CountedSegment(Segment, Protocol):
    """What selecting and counting need of a segment: postings, facet columns, live docs."""

    facets: SegmentFacets
    alive: np.ndarray  # bool, False for deleted docs


class SegmentMatch(NamedTuple):
    """The final mask of one segment's results and their scores (None when browsing)."""

    final: np.ndarray
    scores: np.ndarray | None


class Selection(NamedTuple):
    """What a search selected: per-segment matches, the total and, if asked, the counts."""

    matches: list[SegmentMatch]
    total: int
    counts: dict[str, np.ndarray]  # facet name -> count of each value id
    months: dict[int, int]  # months since 1970-01 -> count


def day_key(day: date) -> int:
    """Return seconds since 1970 at the start of day (the facet columns' date unit)."""
    return (day.toordinal() - EPOCH_ORDINAL) * 86400


def _and(mask: np.ndarray, *others: np.ndarray | None) -> np.ndarray:
    for other in others:
        if other is not None:
            mask = mask & other
    return mask


class _Filters(NamedTuple):
    picks: dict[str, np.ndarray]  # facet name -> selected value ids
    drops: dict[str, np.ndarray]  # facet name -> excluded value ids
    start: int | None
    end: int | None
    include_undated: bool


def _filters(criteria: Criteria, vocabs: dict[str, Vocab]) -> _Filters:
    start, end = criteria.date_range()
    return _Filters(
        picks={name: vocabs[name].lookup(values) for name, values in criteria.selected.items()},
        drops={name: vocabs[name].lookup(values) for name, values in criteria.excluded.items()},
        start=day_key(start) if start else None,
        end=day_key(end) if end else None,
        include_undated=criteria.include_undated,
    )


def _query_mask(
    segment: CountedSegment, query: Q.Query | None, stats: Stats
) -> tuple[np.ndarray, np.ndarray | None]:
    if query is None:
        return segment.alive, None
    matched, scores = evaluate(query, segment, stats)
    return matched & segment.alive, scores


def _narrow(columns: SegmentFacets, kept: np.ndarray, filters: _Filters) -> np.ndarray:
    if filters.start is not None or filters.end is not None:
        return kept & columns.in_range(filters.start, filters.end)
    if not filters.include_undated:
        return kept & columns.dated
    return kept


def select(
    segments: Sequence[CountedSegment],
    criteria: Criteria,
    query: Q.Query | None,
    stats: Stats,
    vocabs: dict[str, Vocab],
    with_counts: bool,
) -> Selection:
    """Return each segment's matches, the total, and facet and month counts if asked."""
    facets: tuple[Facet, ...] = all_facets()
    filters = _filters(criteria, vocabs)
    sizes = {f.name: len(vocabs[f.name].names) for f in facets}
    counts = {f.name: np.zeros(sizes[f.name], np.int64) for f in facets}
    months: dict[int, int] = {}
    matches, total = [], 0
    for segment in segments:
        columns: SegmentFacets = segment.facets
        kept, scores = _query_mask(segment, query, stats)
        for name, ids in filters.drops.items():
            kept = kept & ~columns.docs_with(name, ids)
        base = _narrow(columns, kept, filters)
        chosen = {name: columns.docs_with(name, ids) for name, ids in filters.picks.items()}
        final = _and(base, *chosen.values())
        if with_counts:
            for facet in facets:
                others = [mask for name, mask in chosen.items() if name != facet.name]
                counts[facet.name] += columns.count(
                    facet.name, _and(base, *others), sizes[facet.name]
                )
            for month, n in columns.month_counts(_and(kept, *chosen.values())).items():
                months[month] = months.get(month, 0) + n
        matches.append(SegmentMatch(final, scores))
        total += int(np.count_nonzero(final))
    return Selection(matches, total, counts, months)
