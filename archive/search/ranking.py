"""Ordering: top hits by score or date across segments, facet rows, date labels."""

from __future__ import annotations

import numpy as np

from archive.index.columns import Vocab
from archive.index.text import normalise


def month_label(month: int) -> tuple[str, str]:
    """Return the year and month labels of a count of months since 1970-01."""
    year, index = divmod(month, 12)
    year += 1970
    return f"{year:04d}", f"{year:04d}-{index + 1:02d}"


def by_score(segments, finals, want: int) -> list[tuple[int, float]]:
    """Return the best `want` (docnum, score) pairs over the segments' final masks."""
    docs, scores = [], []
    for seg, (final, score) in zip(segments, finals):
        found = np.flatnonzero(final)
        values = score[found]
        if len(found) > want:
            # Everything above the cut, then the lowest docnums among ties at the cut,
            # so a longer page never reorders a shorter one (stable paging).
            cut = -np.partition(-values, want - 1)[want - 1]
            above = values > cut
            ties = np.flatnonzero(values == cut)[:want - int(above.sum())]
            keep = np.flatnonzero(above)
            keep = np.concatenate([keep, ties])
            found, values = found[keep], values[keep]
        docs.append(found + seg.offset)
        scores.append(values)
    if not docs:  # an index with no segments
        return []
    docs, scores = np.concatenate(docs), np.concatenate(scores)
    # Best score first, ties in index order (stable paging).
    order = np.lexsort((docs, -scores))[:want]
    return list(zip(docs[order].tolist(), scores[order].tolist()))


def by_date(segments, finals, want: int, newest: bool) -> list[tuple[int, float]]:
    """Return the first `want` docs by date (ties by id), undated ones last by id."""
    dated, undated = [], []
    for seg, (final, _) in zip(segments, finals):
        f = seg.facets
        for column, rows, reverse in ((f.date_rank, dated, newest),
                                      (f.id_rank, undated, False)):
            found = np.flatnonzero(final & (f.dated if rows is dated else ~f.dated))
            ranks = column[found]
            if len(found) > want:
                top = np.argpartition(-ranks if reverse else ranks, want - 1)[:want]
                found = found[top]
            for doc in found.tolist():
                key = (int(f.dates[doc]), bytes(f.ids[doc])) if rows is dated else \
                    bytes(f.ids[doc])
                rows.append((key, seg.offset + doc))
    dated.sort(reverse=newest)
    undated.sort()
    ordered = [d for _, d in dated] + [d for _, d in undated]
    return [(docnum, 0.0) for docnum in ordered[:want]]


def prefixes(value: str) -> list[str]:
    """Return the value and its endings that start at a word."""
    # A prefix may start the value or any of its words ("put" finds "Vladimir Putin").
    parts = value.split()
    return [" ".join(parts[i:]) for i in range(len(parts))]


def facet_rows(counts: np.ndarray, vocab: Vocab, selected, limit: int) -> list[dict]:
    """Return the top values by count (ties by value), plus selected values not among them."""
    nonzero = np.flatnonzero(counts)
    if len(nonzero) > limit:
        # Only values counting at least the limit-th largest count can be shown.
        cut = np.partition(counts[nonzero], len(nonzero) - limit)[len(nonzero) - limit]
        nonzero = nonzero[counts[nonzero] >= cut]
    rows = sorted(((vocab.names[i], int(counts[i])) for i in nonzero.tolist()),
                  key=lambda r: (-r[1], r[0]))[:limit]
    shown = {normalise(v) for v, _ in rows}
    for value in selected:  # a selected value stays visible even when it counts nothing
        key = normalise(value)
        if key not in shown:
            found = vocab.ids.get(key)
            rows.append((value, int(counts[found]) if found is not None and found < len(counts)
                         else 0))
    return [{"value": v, "count": n} for v, n in rows]
