"""Selecting documents by criteria and counting facets, one segment at a time on arrays.

For each segment the query gives a mask of matching docs; exclusions and the date filter
narrow it to `base`; each facet with selected values gives a mask sel(f) of docs carrying
any of them (mode "any") or, in mode "all", carrying every one of them. A picked value
stands for the spellings the index holds for it (one person, several names): a doc
"carries" it when it has any of them. A doc is a result when it is in `base` and in every
facet's mask:

    sel_any(f) = OR over picked v of docs(v)      sel_all(f) = AND over picked v of docs(v)
    final = base & sel(f1) & sel(f2) & ...

Facet counts of an "any" facet are disjunctive: facet f counts over base & (every
selection but its own), so choosing a second value of f widens the results and the first
choice does not hide the others. An "all" facet counts over `final` itself: its counts are
co-mentions, how many results also name each other value. The date histogram counts over
the matches without the date filter (`kept`), so other periods stay visible while one is
chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple, Protocol

import numpy as np
from whoosh import query as Q

from archive.facets import Facet, all_facets
from archive.index.columns import EPOCH_ORDINAL, SegmentFacets, Vocab
from archive.search import parallel
from archive.search.criteria import Criteria
from archive.search.evaluation import Segment, Stats, evaluate

MOST_OF_SEGMENT = 0.5  # above this share of the live docs, count the rest and subtract


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


class _Pick(NamedTuple):
    """One facet's selection: the value ids each picked value stands for, and its mode."""

    groups: list[np.ndarray]
    every: bool  # "all": a doc must carry a value of every group


class _Filters(NamedTuple):
    picks: dict[str, _Pick]  # facet name -> its selection
    drops: dict[str, np.ndarray]  # facet name -> excluded value ids
    start: int | None
    end: int | None
    include_undated: bool


def _pick(criteria: Criteria, name: str, vocab: Vocab) -> _Pick:
    names = criteria.spellings.get(name, {})
    groups = [vocab.lookup(names.get(value, (value,))) for value in criteria.values(name)]
    return _Pick(groups, criteria.mode(name) == "all")


def _filters(criteria: Criteria, vocabs: dict[str, Vocab]) -> _Filters:
    start, end = criteria.date_range()
    return _Filters(
        picks={name: _pick(criteria, name, vocabs[name]) for name in criteria.selected},
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


def _picked_docs(columns: SegmentFacets, name: str, pick: _Pick) -> np.ndarray:
    if not pick.every:
        return columns.docs_with(name, np.concatenate(pick.groups))
    mask = columns.docs_with(name, pick.groups[0])
    for ids in pick.groups[1:]:
        mask &= columns.docs_with(name, ids)
    return mask


def _narrow(columns: SegmentFacets, kept: np.ndarray, filters: _Filters) -> np.ndarray:
    if filters.start is not None or filters.end is not None:
        return kept & columns.in_range(filters.start, filters.end)
    if not filters.include_undated:
        return kept & columns.dated
    return kept


class _Masks(NamedTuple):
    """One segment's masks: matches after filters, each picked facet's docs, results."""

    base: np.ndarray
    chosen: dict[str, np.ndarray]
    final: np.ndarray


def _over(name: str, picks: dict[str, _Pick], masks: _Masks) -> np.ndarray:
    """Return the docs facet `name` counts over (see the module's docstring)."""
    pick = picks.get(name)
    if pick is None or pick.every:
        return masks.final  # an unpicked facet's "every selection but its own" is all of them
    return _and(masks.base, *(mask for other, mask in masks.chosen.items() if other != name))


class _Tally:
    """One facet's counts over all segments, with one bincount per `size` values tallied.

    A bincount costs the vocabulary's size (`size`) on top of its values: values wait
    until as many have gathered, so many segments with few matches each do not pay the
    vocabulary once per segment. A segment whose matches are most of its live docs
    sends the counts over its live docs and the values of the docs left out, which are
    taken off:  counts = sum(live counts) + bincount(added) - bincount(left out).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.counts = np.zeros(size, np.int64)
        self._waiting: list[np.ndarray] = []
        self._left_out: list[np.ndarray] = []
        self._waited = 0

    def add(self, share: FacetShare) -> None:
        if share.live is not None:
            self.counts += share.live
            self._left_out.append(share.values)
        else:
            self._waiting.append(share.values)
        self._waited += len(share.values)
        if self._waited >= self.size:
            self.flush()

    def flush(self) -> np.ndarray:
        if self._waiting:
            self.counts += np.bincount(np.concatenate(self._waiting), minlength=self.size)
        if self._left_out:
            self.counts -= np.bincount(np.concatenate(self._left_out), minlength=self.size)
        self._waiting, self._left_out, self._waited = [], [], 0
        return self.counts


class FacetShare(NamedTuple):
    """One segment's share of a facet's counts: its docs' value ids, or (when live is
    given) the counts over its live docs and the value ids of the live docs left out."""

    values: np.ndarray
    live: np.ndarray | None = None


def _facet_values(
    columns: SegmentFacets,
    facets: Sequence[Facet],
    picks: dict[str, _Pick],
    masks: _Masks,
    live: _Live,
) -> dict[str, FacetShare]:
    """Return one segment's share of each facet's counts."""
    # Facets counting over the same mask share its list of docs, which lets few matches
    # be counted from their own entries (columns.values_over), and most of the live docs
    # from the entries of the others (FacetShare). Each mask is kept with its list, so no
    # id is reused while the dict lives.
    listed: dict[int, tuple[np.ndarray, np.ndarray, bool]] = {}
    shares = {}
    for facet in facets:
        over = _over(facet.name, picks, masks)
        if id(over) not in listed:
            docs = np.flatnonzero(over)
            most = len(docs) > live.docs * MOST_OF_SEGMENT
            if most:
                docs = np.flatnonzero(live.mask & ~over)
            listed[id(over)] = (over, docs, most)
        _, docs, most = listed[id(over)]
        if most:
            left_out = columns.values_over(facet.name, live.mask & ~over, docs)
            counts = columns.live_counts(facet.name, live.mask, live.sizes[facet.name])
            shares[facet.name] = FacetShare(left_out, counts)
        else:
            shares[facet.name] = FacetShare(columns.values_over(facet.name, over, docs))
    return shares


class _Live(NamedTuple):
    """A segment's live docs (mask and count), and each facet's vocabulary size."""

    mask: np.ndarray
    docs: int
    sizes: dict[str, int]


class _SegmentResult(NamedTuple):
    """What one segment contributes: its matches, and its facet values and months."""

    match: SegmentMatch
    total: int
    values: dict[str, FacetShare]
    months: dict[int, int]


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

    def one(segment: CountedSegment) -> _SegmentResult:
        columns: SegmentFacets = segment.facets
        kept, scores = _query_mask(segment, query, stats)
        if not kept.any():  # most segments, for a rare word: nothing to filter or count
            return _SegmentResult(SegmentMatch(kept, scores), 0, {}, {})
        for name, ids in filters.drops.items():
            kept = kept & ~columns.docs_with(name, ids)
        base = _narrow(columns, kept, filters)
        chosen = {name: _picked_docs(columns, name, pick) for name, pick in filters.picks.items()}
        final = _and(base, *chosen.values())
        values, months = {}, {}
        if with_counts:
            live = _Live(segment.alive, int(np.count_nonzero(segment.alive)), sizes)
            masks = _Masks(base, chosen, final)
            values = _facet_values(columns, facets, filters.picks, masks, live)
            months = columns.month_counts(_and(kept, *chosen.values()))
        return _SegmentResult(
            SegmentMatch(final, scores), int(np.count_nonzero(final)), values, months
        )

    # Segments are worked on side by side (parallel.py), then added up in their order.
    if query is not None:
        stats.prepare(query)
    results = parallel.map_ordered(one, segments)
    tallies = {f.name: _Tally(sizes[f.name]) for f in facets}
    months: dict[int, int] = {}
    for result in results:
        for name, share in result.values.items():
            tallies[name].add(share)
        for month, n in result.months.items():
            months[month] = months.get(month, 0) + n
    counts = {name: tally.flush() for name, tally in tallies.items()}
    return Selection([r.match for r in results], sum(r.total for r in results), counts, months)
