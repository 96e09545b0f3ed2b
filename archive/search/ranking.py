"""Ordering: top hits by score or date across segments, facet rows, date labels.

Docnums are index-wide: a segment's doc d is offset + d. Ties are broken by docnum (by
score) or by article id (by date), so a longer page never reorders a shorter one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np

from archive.index.columns import SegmentFacets, Vocab
from archive.index.text import normalise

Ranked = list[tuple[int, float]]  # (index-wide docnum, score), best first
Matched = tuple[np.ndarray, np.ndarray | None]  # a segment's result mask and scores


class RankedSegment(Protocol):
    """What ranking needs of a segment: where its docnums start and its facet columns."""

    offset: int
    facets: SegmentFacets


def month_label(month: int) -> tuple[str, str]:
    """Return the year and month labels of a count of months since 1970-01."""
    year, index = divmod(month, 12)
    year += 1970
    return f"{year:04d}", f"{year:04d}-{index + 1:02d}"


def by_score(segments: Sequence[RankedSegment], finals: Iterable[Matched], want: int) -> Ranked:
    """Return the best `want` (docnum, score) pairs over the segments' final masks."""
    docs: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    for seg, (final, score) in zip(segments, finals):
        assert score is not None, "ranking by score needs a query's scores"
        found = np.flatnonzero(final)
        values = score[found]
        keep = _best(values, want)
        docs.append(found[keep] + seg.offset)
        scores.append(values[keep])
    if not docs:  # an index with no segments
        return []
    all_docs, all_scores = np.concatenate(docs), np.concatenate(scores)
    # Docnums ascend segment after segment, so the same cut holds across segments; only
    # the survivors are sorted: best score first, ties in index order (stable paging).
    keep = _best(all_scores, want)
    all_docs, all_scores = all_docs[keep], all_scores[keep]
    order = np.lexsort((all_docs, -all_scores))
    return list(zip(all_docs[order].tolist(), all_scores[order].tolist()))


def _best(values: np.ndarray, want: int) -> np.ndarray | slice:
    """Return which of values (in ascending docnum order) make the best `want`, unordered:
    everything above the want-th score, then the lowest docnums among ties at it."""
    if len(values) <= want:
        return slice(None)
    cut = -np.partition(-values, want - 1)[want - 1]
    above = values > cut
    ties = np.flatnonzero(values == cut)[: want - int(np.count_nonzero(above))]
    return np.concatenate([np.flatnonzero(above), ties])


def by_date(
    segments: Sequence[RankedSegment], finals: Iterable[Matched], want: int, newest: bool
) -> Ranked:
    """Return the first `want` docs by date (ties by id), undated ones last by id."""
    dated: list[tuple[tuple[int, bytes], int]] = []
    undated: list[tuple[bytes, int]] = []
    for seg, (final, _) in zip(segments, finals):
        f = seg.facets
        for doc in _first_ranked(final & f.dated, f.date_rank, want, newest):
            dated.append(((int(f.dates[doc]), bytes(f.ids[doc])), seg.offset + doc))
        for doc in _first_ranked(final & ~f.dated, f.id_rank, want, False):
            undated.append((bytes(f.ids[doc]), seg.offset + doc))
    dated.sort(reverse=newest)
    undated.sort()
    ordered = [d for _, d in dated] + [d for _, d in undated]
    return [(docnum, 0.0) for docnum in ordered[:want]]


def _first_ranked(mask: np.ndarray, ranks: np.ndarray, want: int, reverse: bool) -> list[int]:
    """Return the docs of mask with the `want` lowest ranks (highest if reverse), unordered."""
    found = np.flatnonzero(mask)
    if len(found) > want:
        # Only a segment's first `want` can make the page: the caller sorts the survivors.
        column = ranks[found]
        found = found[np.argpartition(-column if reverse else column, want - 1)[:want]]
    return found.tolist()


def prefixes(value: str) -> list[str]:
    """Return the value and its endings that start at a word."""
    # A prefix may start the value or any of its words ("put" finds "Vladimir Putin").
    parts = value.split()
    return [" ".join(parts[i:]) for i in range(len(parts))]


def facet_rows(
    counts: np.ndarray, vocab: Vocab, selected: Iterable[str], limit: int
) -> list[dict[str, Any]]:
    """Return the top values by count (ties by value), plus selected values not among them."""
    nonzero = np.flatnonzero(counts)
    if len(nonzero) > limit:
        # Only values counting at least the limit-th largest count can be shown.
        cut = np.partition(counts[nonzero], len(nonzero) - limit)[len(nonzero) - limit]
        nonzero = nonzero[counts[nonzero] >= cut]
    rows = sorted(
        ((vocab.names[i], int(counts[i])) for i in nonzero.tolist()), key=lambda r: (-r[1], r[0])
    )[:limit]
    shown = {normalise(v) for v, _ in rows}
    for value in selected:  # a selected value stays visible even when it counts nothing
        key = normalise(value)
        if key not in shown:
            found = vocab.ids.get(key)
            rows.append(
                (value, int(counts[found]) if found is not None and found < len(counts) else 0)
            )
    return [{"value": v, "count": n} for v, n in rows]


def date_rows(months: dict[int, int]) -> dict[str, list[dict[str, Any]]]:
    """Return the "years" and "months" rows of the date histogram from month counts."""
    years: dict[str, int] = {}
    labelled = []
    for month in sorted(months):
        year, label = month_label(month)
        years[year] = years.get(year, 0) + months[month]
        labelled.append({"value": label, "count": months[month]})
    return {
        "years": [{"value": v, "count": n} for v, n in sorted(years.items())],
        "months": labelled,
    }
