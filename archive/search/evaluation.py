"""Evaluate a parsed Whoosh query over one segment with numpy: a doc mask and scores.

Every node yields dense arrays as long as the segment (a bool mask and float32 scores),
so AND/OR/NOT are elementwise operations and no Python runs per matching document.

Scoring is BM25F, computed from postings' term frequencies and exact field lengths:
    idf(t)     = ln(N / (df + 1)) + 1                  (N docs, df over all segments)
    score(t,d) = idf * w * (K1 + 1) / (w + K1 * (1 - B + B * len(d) / avglen))
with w = term frequency * field boost (title counts double), K1 = 1.2, B = 0.75, as
Whoosh's default weighting (whose lengths are rounded to a byte; ours are exact).
AND and OR add their children's scores, NOT and the right side of ANDNOT add nothing,
a phrase scores like one term whose frequency is the number of occurrences and whose
idf is the sum of its words', and a prefix scores a constant 1 (as Whoosh does) times
its boost. Query types not handled here fall back to Whoosh's own matcher.
"""

from __future__ import annotations

import math

import numpy as np
from whoosh import query as Q

from archive.index import schema as S

K1, B = 1.2, 0.75
BOOSTS = {S.TITLE: S.TITLE_BOOST}


class Stats:
    """Whole-index statistics for scoring: document count, average lengths, document frequencies."""

    def __init__(self, segments):
        self.segments = segments
        self.count = sum(seg.postings.size for seg in segments) or 1
        self._avg: dict[str, float] = {}
        self._df: dict[tuple[str, str], int] = {}

    def avglen(self, field: str) -> float:
        if field not in self._avg:
            total = sum(seg.postings.total_length(field) for seg in self.segments)
            self._avg[field] = total / self.count or 1.0
        return self._avg[field]

    def idf(self, field: str, text: str) -> float:
        key = (field, text)
        df = self._df.get(key)
        if df is None:
            if len(self._df) > 100_000:
                self._df.clear()
            df = self._df[key] = sum(seg.postings.df(field, text) for seg in self.segments)
        return math.log(self.count / (df + 1)) + 1


def bm25(stats: Stats, seg, field: str, docs, freqs, idf: float) -> np.ndarray:
    """Return the BM25F score of each (doc, frequency) pair."""
    w = freqs.astype(np.float32) * BOOSTS.get(field, 1.0)
    lengths = seg.postings.lengths(field)[docs].astype(np.float32)
    norm = K1 * ((1 - B) + B * lengths / np.float32(stats.avglen(field)))
    return (idf * w * (K1 + 1) / (w + norm)).astype(np.float32)


def evaluate(query, seg, stats: Stats) -> tuple[np.ndarray, np.ndarray]:
    """Return (mask, scores) of query over the segment's docs (deleted docs included)."""
    n = seg.postings.size
    if isinstance(query, Q.Term):
        term = seg.postings.term(query.fieldname, query.text)
        mask, score = np.zeros(n, bool), np.zeros(n, np.float32)
        mask[term.docs] = True
        idf = stats.idf(query.fieldname, query.text)
        score[term.docs] = bm25(stats, seg, query.fieldname, term.docs, term.freqs, idf) * query.boost
        return mask, score
    if isinstance(query, Q.Phrase) and query.slop == 1:
        return _phrase(query, seg, stats)
    if isinstance(query, Q.Prefix):
        mask = np.zeros(n, bool)
        for text in seg.postings.expand(query.fieldname, query.text):
            mask[seg.postings.term(query.fieldname, text).docs] = True
        return mask, mask * np.float32(query.boost)
    if isinstance(query, (Q.And, Q.Or)):
        parts = [evaluate(child, seg, stats) for child in query.subqueries]
        mask, score = parts[0][0].copy(), parts[0][1].copy()
        for m, s in parts[1:]:
            if isinstance(query, Q.And):
                mask &= m
            else:
                mask |= m
            score += s
        return mask, score * np.float32(query.boost)
    if isinstance(query, Q.Not):
        mask, _ = evaluate(query.query, seg, stats)
        return ~mask, np.zeros(n, np.float32)
    if isinstance(query, Q.AndNot):
        mask, score = evaluate(query.a, seg, stats)
        return mask & ~evaluate(query.b, seg, stats)[0], score
    if isinstance(query, Q.AndMaybe):
        mask, score = evaluate(query.a, seg, stats)
        _, extra = evaluate(query.b, seg, stats)
        return mask, score + extra
    if isinstance(query, Q.Require):
        mask, score = evaluate(query.a, seg, stats)
        return mask & evaluate(query.b, seg, stats)[0], score
    if query is Q.NullQuery or isinstance(query, Q.NullQuery.__class__):
        return np.zeros(n, bool), np.zeros(n, np.float32)
    return _whoosh(query, seg, n)


def _whoosh(query, seg, n: int) -> tuple[np.ndarray, np.ndarray]:
    # Anything else (e.g. Every, ranges): Whoosh's matcher, one document at a time.
    mask, score = np.zeros(n, bool), np.zeros(n, np.float32)
    matcher = query.matcher(seg.searcher)
    while matcher.is_active():
        mask[matcher.id()] = True
        score[matcher.id()] = matcher.score()
        matcher.next()
    return mask, score


def _phrase(query, seg, stats: Stats) -> tuple[np.ndarray, np.ndarray]:
    n = seg.postings.size
    mask, score = np.zeros(n, bool), np.zeros(n, np.float32)
    field, words = query.fieldname, list(query.words)
    terms = [seg.postings.term(field, w) for w in words]
    if any(t.coords is None or len(t.coords) == 0 for t in terms):
        return mask, score
    # Segment-wide coordinates make a phrase start c where word i sits at c + i in
    # every word's sorted list: start from the rarest word, look the others up.
    order = sorted(range(len(terms)), key=lambda i: len(terms[i].coords))
    starts = terms[order[0]].coords.astype(np.int64) - order[0]
    for i in order[1:]:
        coords, wanted = terms[i].coords, starts + i
        at = np.searchsorted(coords, wanted)
        at[at == len(coords)] = len(coords) - 1
        starts = starts[coords[at] == wanted]
        if not len(starts):
            return mask, score
    docs, counts = np.unique(terms[0].docs_of(starts), return_counts=True)
    idf = sum(stats.idf(field, w) for w in words)
    mask[docs] = True
    score[docs] = bm25(stats, seg, field, docs, counts, idf) * query.boost
    return mask, score
