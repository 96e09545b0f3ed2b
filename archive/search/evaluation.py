"""Evaluate a parsed Whoosh query over one segment with numpy: a doc mask and scores.

Every node yields dense arrays as long as the segment (a bool mask and float32 scores),
so AND/OR/NOT are elementwise operations and no Python runs per matching document.
`evaluate` looks the node's class up in a table of one small function per node kind;
`date:` ranges read the date column; query types not in the table (e.g. Every) fall back
to Whoosh's own matcher.

Scoring is BM25F, computed from postings' term frequencies and exact field lengths:
    idf(t)     = ln(N / (df + 1)) + 1                  (N docs, df over all segments)
    score(t,d) = idf * w * (K1 + 1) / (w + K1 * (1 - B + B * len(d) / avglen))
with w = term frequency * field boost (title counts double), K1 = 1.2, B = 0.75, as
Whoosh's default weighting (whose lengths are rounded to a byte; ours are exact).
AND and OR add their children's scores, NOT and the right side of ANDNOT add nothing,
a phrase scores like one term whose frequency is the number of occurrences and whose
idf is the sum of its words', and a prefix scores a constant 1 (as Whoosh does) times
its boost.

Phrases, exact and sloppy, are found on the positions (phrases.py). The loops that can
run long check the search's time budget (budget.py), and a prefix expanding to more than
MAX_PREFIX_TERMS words is refused with a SearchError that says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol

import numpy as np
from whoosh import query as Q

from archive.errors import SearchError
from archive.index import schema as S
from archive.index.columns import SegmentFacets
from archive.index.postings import SegmentPostings
from archive.search import budget, phrases

K1, B = 1.2, 0.75
BOOSTS = {S.TITLE: S.TITLE_BOOST}
DF_CACHE_LIMIT = 100_000  # document frequencies remembered before the cache starts afresh
MAX_PREFIX_TERMS = 20_000  # words one prefix may expand to in a segment (README: Limits)
DATE_EPOCH = 62_135_596_800 * 10**6  # 1970-01-01 as Whoosh's date long (whoosh.util.times)
CHECK_EVERY = 256  # terms or documents handled between two looks at the time budget


class Segment(Protocol):
    """What evaluation needs of one index segment (the searcher's segments have it)."""

    postings: SegmentPostings
    facets: SegmentFacets  # for `date:` ranges, answered from the date column
    searcher: Any  # the segment's Whoosh searcher, for the fallback matcher


class Evaluation(NamedTuple):
    """A query's result over one segment: which docs match and their scores."""

    mask: np.ndarray  # bool, one per doc of the segment (deleted docs included)
    scores: np.ndarray  # float32, zero where the mask is False


class Stats:
    """Whole-index statistics for scoring: document count, average lengths, document frequencies."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.segments = segments
        self.count = sum(seg.postings.size for seg in segments) or 1
        self._avg: dict[str, float] = {}
        self._df: dict[tuple[str, str], int] = {}

    def avglen(self, field: str) -> float:
        """Return the field's average length over all documents (1 for an empty field)."""
        if field not in self._avg:
            total = sum(seg.postings.total_length(field) for seg in self.segments)
            self._avg[field] = total / self.count or 1.0
        return self._avg[field]

    def idf(self, field: str, text: str) -> float:
        """Return ln(N / (df + 1)) + 1 for the term, df counted over every segment."""
        return math.log(self.count / (self.df(field, text) + 1)) + 1

    def df(self, field: str, text: str) -> int:
        """Return how many docs of all segments (deleted ones too) hold the term."""
        # Remembered for the generation: looking a term up costs a search per segment.
        key = (field, text)
        df = self._df.get(key)
        if df is None:
            if len(self._df) > DF_CACHE_LIMIT:
                self._df.clear()
            df = self._df[key] = sum(seg.postings.df(field, text) for seg in self.segments)
        return df

    def prepare(self, query: Q.Query) -> None:
        """Look up every document frequency and average length the query will ask for.

        A document frequency is read from every segment; done here, before the segments
        are evaluated side by side (parallel.py), no segment's Whoosh reader is read by
        two threads at once (Whoosh's readers are not made for that).
        """
        for leaf in query.leaves():
            if isinstance(leaf, (Q.Term, Q.Phrase)):
                self.avglen(leaf.fieldname)
                for word in leaf.words if isinstance(leaf, Q.Phrase) else [leaf.text]:
                    self.df(leaf.fieldname, word)


def bm25(
    stats: Stats, seg: Segment, field: str, docs: np.ndarray, freqs: np.ndarray, idf: float
) -> np.ndarray:
    """Return the BM25F score of each (doc, frequency) pair."""
    w = freqs.astype(np.float32) * BOOSTS.get(field, 1.0)
    lengths = seg.postings.lengths(field)[docs].astype(np.float32)
    norm = K1 * ((1 - B) + B * lengths / np.float32(stats.avglen(field)))
    return (idf * w * (K1 + 1) / (w + norm)).astype(np.float32)


def evaluate(query: Q.Query, seg: Segment, stats: Stats) -> Evaluation:
    """Return (mask, scores) of query over the segment's docs (deleted docs included)."""
    budget.check()
    # The first handled class along the node's MRO, so subclasses (DefaultOr, SplitOr...)
    # are evaluated as the class they refine, as an isinstance test would.
    for cls in type(query).__mro__:
        handler = _HANDLERS.get(cls)
        if handler is not None:
            return handler(query, seg, stats)
    return _whoosh(query, seg)


def _nothing(size: int) -> Evaluation:
    return Evaluation(np.zeros(size, bool), np.zeros(size, np.float32))


def _term(query: Q.Term, seg: Segment, stats: Stats) -> Evaluation:
    term = seg.postings.term(query.fieldname, query.text)
    result = _nothing(seg.postings.size)
    result.mask[term.docs] = True
    idf = stats.idf(query.fieldname, query.text)
    scores = bm25(stats, seg, query.fieldname, term.docs, term.freqs, idf)
    result.scores[term.docs] = scores * query.boost
    return result


def _prefix(query: Q.Prefix, seg: Segment, stats: Stats) -> Evaluation:
    mask = np.zeros(seg.postings.size, bool)
    packed = seg.postings.prefix_docs(query.fieldname, query.text)
    if packed is not None:
        # A pack keeps terms sorted and their postings together: the docs of every
        # expansion are one slice, read at once instead of one term at a time.
        _check_prefix(query, packed.words)
        mask[packed.docs()] = True
        return Evaluation(mask, mask * np.float32(query.boost))
    words = seg.postings.expand(query.fieldname, query.text)
    _check_prefix(query, len(words))
    for done, text in enumerate(words):
        if done % CHECK_EVERY == 0:
            budget.check()
        mask[seg.postings.term(query.fieldname, text).docs] = True
    return Evaluation(mask, mask * np.float32(query.boost))


def _check_prefix(query: Q.Prefix, words: int) -> None:
    if words > MAX_PREFIX_TERMS:
        raise SearchError(
            f"{query.text}* matches more than {MAX_PREFIX_TERMS:,} words: "
            "type more letters before the *"
        )


def _and(query: Q.And, seg: Segment, stats: Stats) -> Evaluation:
    return _combine(query, seg, stats, np.logical_and)


def _or(query: Q.Or, seg: Segment, stats: Stats) -> Evaluation:
    return _combine(query, seg, stats, np.logical_or)


def _combine(
    query: Q.CompoundQuery, seg: Segment, stats: Stats, join: Callable[..., np.ndarray]
) -> Evaluation:
    # Masks join as the operator says; scores of every child add up either way.
    parts = [evaluate(child, seg, stats) for child in query.subqueries]
    mask, scores = parts[0].mask.copy(), parts[0].scores.copy()
    for part in parts[1:]:
        budget.check()
        join(mask, part.mask, out=mask)
        scores += part.scores
    return Evaluation(mask, scores * np.float32(query.boost))


def _not(query: Q.Not, seg: Segment, stats: Stats) -> Evaluation:
    excluded = evaluate(query.query, seg, stats).mask
    return Evaluation(~excluded, np.zeros(seg.postings.size, np.float32))


def _and_not(query: Q.AndNot, seg: Segment, stats: Stats) -> Evaluation:
    kept = evaluate(query.a, seg, stats)
    return Evaluation(kept.mask & ~evaluate(query.b, seg, stats).mask, kept.scores)


def _and_maybe(query: Q.AndMaybe, seg: Segment, stats: Stats) -> Evaluation:
    required = evaluate(query.a, seg, stats)
    optional = evaluate(query.b, seg, stats)
    return Evaluation(required.mask, required.scores + optional.scores)


def _require(query: Q.Require, seg: Segment, stats: Stats) -> Evaluation:
    scored = evaluate(query.a, seg, stats)
    return Evaluation(scored.mask & evaluate(query.b, seg, stats).mask, scored.scores)


def _null(query: Q.Query, seg: Segment, stats: Stats) -> Evaluation:
    return _nothing(seg.postings.size)


def _phrase(query: Q.Phrase, seg: Segment, stats: Stats) -> Evaluation:
    # Scores like one term whose frequency is the phrase's occurrences (see phrases.py).
    result = _nothing(seg.postings.size)
    field, words = query.fieldname, list(query.words)
    docs, counts = phrases.occurrences([seg.postings.term(field, w) for w in words], query.slop)
    if len(docs):
        idf = sum(stats.idf(field, w) for w in words)
        result.mask[docs] = True
        result.scores[docs] = bm25(stats, seg, field, docs, counts, idf) * query.boost
    return result


def _numeric_range(query: Q.NumericRange, seg: Segment, stats: Stats) -> Evaluation:
    # `date:2016` parses to a range of Whoosh's date longs (microseconds since 0001-01-01,
    # both ends included); the date column holds whole seconds since 1970, so
    #     first second = ceil((start - EPOCH) / 10**6),  end = floor((end - EPOCH) / 10**6) + 1
    # and a date matches when first second <= date < end. Packed segments keep no Whoosh
    # postings of the date field, so this is the only way a `date:` query is answered.
    if query.fieldname != S.DATE:
        return _whoosh(query, seg)
    start = end = None
    if query.start is not None:
        start = -(-(int(query.start) + query.startexcl - DATE_EPOCH) // 10**6)
    if query.end is not None:
        end = (int(query.end) - query.endexcl - DATE_EPOCH) // 10**6 + 1
    mask = seg.facets.in_range(start, end)
    return Evaluation(mask, mask * np.float32(query.boost))


def _whoosh(query: Q.Query, seg: Segment) -> Evaluation:
    # Anything else (e.g. Every, ranges): Whoosh's matcher, one document at a time. A
    # packed segment's text postings are in its pack alone (index/build_worker.py), so
    # Whoosh's matcher would find nothing there: refuse rather than answer wrongly.
    if seg.postings.packed.keys() & {leaf.field() for leaf in query.leaves()}:
        raise SearchError("this kind of query is not supported on article text")
    result = _nothing(seg.postings.size)
    matcher = query.matcher(seg.searcher)
    done = 0
    while matcher.is_active():
        done += 1
        if done % CHECK_EVERY == 0:
            budget.check()
        result.mask[matcher.id()] = True
        result.scores[matcher.id()] = matcher.score()
        matcher.next()
    return result


_HANDLERS: dict[type, Callable[[Any, Segment, Stats], Evaluation]] = {
    Q.Term: _term,
    Q.Phrase: _phrase,
    Q.Prefix: _prefix,
    Q.And: _and,
    Q.Or: _or,
    Q.Not: _not,
    Q.AndNot: _and_not,
    Q.AndMaybe: _and_maybe,
    Q.Require: _require,
    Q.NumericRange: _numeric_range,
    type(Q.NullQuery): _null,
}
