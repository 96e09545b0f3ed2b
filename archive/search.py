"""Faceted search over the live index: the one entry point for CLI, web pages and API."""

from __future__ import annotations

import heapq
import math
import os
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

from whoosh import query as Q

from archive import schema as S
from archive.criteria import Criteria, IndexMissing, SearchError
from archive.facets import EPOCH_ORDINAL, SegmentFacets
from archive.indexer import live_dir, open_live
from archive.models import format_date
from archive.querying import highlight, parse, snippet, terms_of
from archive.suggest import Speller

__all__ = ["Criteria", "Hit", "IndexMissing", "Results", "SearchError", "Searcher", "highlight"]

FACETS = ("people", "outlets", "sections")
FACET_LIMIT = 30
SUGGEST_BELOW = 3  # offer "did you mean" when a query finds fewer hits than this


@dataclass
class Hit:
    """One result row."""

    id: str
    title: str
    date: datetime | None
    people: list[str]
    outlets: list[str]
    section: str
    snippet: str
    score: float

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "date": format_date(self.date),
                "people": list(self.people), "outlets": list(self.outlets),
                "section": self.section, "snippet": self.snippet, "score": self.score}


@dataclass
class Results:
    """A page of hits with totals, facet counts and a spelling suggestion."""

    total: int
    page: int
    per_page: int
    pages: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[dict]] = field(default_factory=dict)
    suggestion: str | None = None

    def to_json(self) -> dict:
        return {"total": self.total, "page": self.page, "per_page": self.per_page,
                "pages": self.pages, "hits": [h.to_json() for h in self.hits],
                "facets": self.facets, "suggestion": self.suggestion}


class _Segment:
    def __init__(self, searcher, offset: int, facets: SegmentFacets, alive: frozenset):
        self.searcher, self.offset, self.facets, self.alive = searcher, offset, facets, alive
        self._whole: dict[str, Counter] = {}

    def count(self, facet: str, docs) -> Counter:
        """Count a facet over docs; counts over the whole segment are computed once."""
        if docs is not self.alive:
            return self.facets.count(facet, docs)
        if facet not in self._whole:
            self._whole[facet] = self.facets.count(facet, docs)
        return self._whole[facet]


def _has_phrase(query) -> bool:
    return isinstance(query, Q.Phrase) or any(isinstance(q, Q.Phrase) for q in query.leaves())


def _scored_matches(query, searcher) -> dict[int, float]:
    matcher = query.matcher(searcher)
    found = {}
    while matcher.is_active():
        found[matcher.id()] = matcher.score()
        matcher.next()
    return found


class _State:
    """One opened generation of the index."""

    def __init__(self, key, ix, searcher, segments):
        self.key, self.ix, self.searcher, self.segments = key, ix, searcher, segments
        self.speller: Speller | None = None
        self.totals: dict[str, Counter] = {}


def _to_key(day) -> int:
    return (day.toordinal() - EPOCH_ORDINAL) * 86400


def _intersect(docs: set, *others) -> set:
    for other in others:
        if other is not None:
            docs = docs & other
    return docs


class Searcher:
    """Searches the live index; reuse one across requests (searches are serialised)."""

    def __init__(self, config):
        self.config = config
        self._lock = threading.RLock()
        self._caches: dict[tuple[str, str], SegmentFacets] = {}
        self._canonical: dict[str, str] = {}
        self._state: _State | None = None
        self._db: sqlite3.Connection | None = None
        with self._lock:
            self._current()

    # -- opening ---------------------------------------------------------

    def _key(self):
        path = live_dir(self.config)
        if path is None:
            raise IndexMissing(f"no index at {self.config.index_path}: run `newsarchive reindex`")
        try:
            return str(path), os.stat(path).st_mtime_ns
        except FileNotFoundError:
            raise IndexMissing(f"no index at {path}: run `newsarchive reindex`") from None

    def _current(self) -> _State:
        key = self._key()
        if self._state is not None and self._state.key == key:
            return self._state
        ix = open_live(self.config)
        if ix is None:
            raise IndexMissing(f"no index at {self.config.index_path}: run `newsarchive reindex`")
        searcher = ix.searcher()
        segments, seen = [], set()
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            segment = reader.segment()
            cache_key = (key[0], segment.segid)
            seen.add(cache_key)
            facets = self._caches.get(cache_key)
            if facets is None:
                facets = self._caches[cache_key] = SegmentFacets(reader, self._canonical)
            alive = frozenset(range(facets.size))
            if segment.has_deletions():
                alive = alive - frozenset(segment.deleted_docs())
            segments.append(_Segment(sub, offset, facets, alive))
        for stale in set(self._caches) - seen:
            del self._caches[stale]
        old, self._state = self._state, _State(key, ix, searcher, segments)
        if old is not None:
            old.searcher.close()
        return self._state

    def close(self) -> None:
        """Release the index and the store connection."""
        with self._lock:
            if self._state is not None:
                self._state.searcher.close()
                self._state = None
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- searching -------------------------------------------------------

    def search(self, criteria: Criteria) -> Results:
        """Run one search: the page of hits, the total, disjunctive facets and a suggestion."""
        c = criteria
        query = None if c.browsing else parse(c.q)
        start, end = c.date_range()
        start_key = _to_key(start) if start else None
        end_key = _to_key(end) if end else None
        ranged = start is not None or end is not None
        with self._lock:
            state = self._current()
            counts = {name: Counter() for name in FACETS + ("years", "months")}
            finals, total, filtered = [], 0, False
            one_pass = query is not None and c.sort == "relevance" and _has_phrase(query)
            scored = []
            for seg in state.segments:
                f = seg.facets
                if query is None:
                    matched = seg.alive
                elif one_pass:
                    # Phrase matching dominates: collect ids and scores in one pass.
                    pairs = _scored_matches(query, seg.searcher)
                    scored.append(pairs)
                    matched = set(pairs) & seg.alive
                else:
                    matched = set(query.matcher(seg.searcher).all_ids()) & seg.alive
                kept = matched
                if c.exclude_people:
                    kept = kept - f.docs_with("people", map(S.normalise, c.exclude_people))
                if c.exclude_outlets:
                    kept = kept - f.docs_with("outlets", map(S.normalise, c.exclude_outlets))
                if ranged:
                    base = kept & f.in_range(start_key, end_key)
                elif not c.include_undated:
                    base = kept - f.undated
                else:
                    base = kept
                sel_p = f.docs_with("people", map(S.normalise, c.people)) if c.people else None
                sel_o = f.docs_with("outlets", map(S.normalise, c.outlets)) if c.outlets else None
                sel_s = f.docs_with("sections", map(S.normalise, c.section)) if c.section else None
                final = _intersect(base, sel_p, sel_o, sel_s)
                # Disjunctive counts: each facet ignores its own selection.
                counts["people"].update(seg.count("people", _intersect(base, sel_o, sel_s)))
                counts["outlets"].update(seg.count("outlets", _intersect(base, sel_p, sel_s)))
                counts["sections"].update(seg.count("sections", _intersect(base, sel_p, sel_o)))
                dated = _intersect(kept, sel_p, sel_o, sel_s)
                counts["years"].update(seg.count("years", dated))
                counts["months"].update(seg.count("months", dated))
                filtered = filtered or len(final) != len(matched)
                finals.append(final)
                total += len(final)
            want = c.page * c.per_page
            first = (c.page - 1) * c.per_page
            if first >= total:
                ranked = []
            elif one_pass:
                ranked = heapq.nlargest(want, (
                    (score, seg.offset + doc) for seg, pairs, final in
                    zip(state.segments, scored, finals) for doc, score in pairs.items()
                    if doc in final), key=lambda r: (r[0], -r[1]))
                ranked = [(docnum, score) for score, docnum in ranked]
            elif query is not None and c.sort == "relevance":
                ranked = self._by_score(state, query, finals if filtered else None, want)
            else:
                ranked = self._by_date(state, finals, want, newest=c.sort != "oldest")
            hits = self._hits(state, ranked[first:want], terms_of(query))
            suggestion = None
            if query is not None and total < SUGGEST_BELOW:
                suggestion = self._speller(state).suggest(c.q)
        facets = {name: _top(counts[name], getattr(c, attr, ()), FACET_LIMIT)
                  for name, attr in (("people", "people"), ("outlets", "outlets"),
                                     ("sections", "section"))}
        facets["years"] = [{"value": v, "count": n} for v, n in sorted(counts["years"].items())]
        facets["months"] = [{"value": v, "count": n} for v, n in sorted(counts["months"].items())]
        return Results(total=total, page=c.page, per_page=c.per_page,
                       pages=math.ceil(total / c.per_page), hits=hits, facets=facets,
                       suggestion=suggestion)

    def _by_score(self, state, query, finals, want) -> list[tuple[int, float]]:
        allow = None
        if finals is not None:
            allow = set()
            for seg, final in zip(state.segments, finals):
                offset = seg.offset
                allow.update(d + offset for d in final) if offset else allow.update(final)
        results = state.searcher.search(query, limit=want, filter=allow)
        return [(docnum, score) for score, docnum in results.top_n]

    def _by_date(self, state, finals, want, newest: bool) -> list[tuple[int, float]]:
        pick = heapq.nlargest if newest else heapq.nsmallest
        dated, undated = [], []
        for seg, final in zip(state.segments, finals):
            f = seg.facets
            for doc in pick(want, final - f.undated, key=f.rank.__getitem__):
                dated.append(((f.dates[doc], f.ids[doc]), seg.offset + doc))
            for doc in heapq.nsmallest(want, final & f.undated, key=f.ids.__getitem__):
                undated.append((f.ids[doc], seg.offset + doc))
        dated.sort(reverse=newest)
        undated.sort()
        ordered = [d for _, d in dated] + [d for _, d in undated]
        return [(docnum, 0.0) for docnum in ordered[:want]]

    def _hits(self, state, ranked, terms) -> list[Hit]:
        stored = [state.searcher.stored_fields(docnum) for docnum, _ in ranked]
        bodies = self._bodies([s[S.ID_FIELD] for s in stored])
        hits = []
        for fields, (docnum, score) in zip(stored, ranked):
            date = fields.get(S.DATE)
            hits.append(Hit(
                id=fields[S.ID_FIELD], title=fields.get(S.TITLE, ""),
                date=date.replace(tzinfo=timezone.utc) if date else None,
                people=list(fields.get(S.PEOPLE) or []), outlets=list(fields.get(S.OUTLETS) or []),
                section=fields.get(S.SECTION, ""),
                snippet=snippet(bodies.get(fields[S.ID_FIELD], ""), terms),
                score=round(float(score), 4)))
        return hits

    def _bodies(self, ids: list[str]) -> dict[str, str]:
        # The store is the system of record for the text; the index does not hold it.
        if not ids:
            return {}
        if self._db is None:
            path = self.config.store_path
            if not path.exists():
                return {}
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        marks = ",".join("?" * len(ids))
        return dict(self._db.execute(f"SELECT id, body FROM articles WHERE id IN ({marks})", ids))

    def _speller(self, state) -> Speller:
        if state.speller is None:
            def texts():
                for seg in state.segments:
                    for doc in seg.alive:
                        fields = seg.searcher.stored_fields(doc)
                        yield fields.get(S.TITLE, "")
                    yield from (" ".join(v) for v in seg.facets.people)
            state.speller = Speller(texts())
        return state.speller

    # -- other views -----------------------------------------------------

    def more_like_this(self, article_id: str, limit: int = 5) -> list[Hit]:
        """Return articles similar to the given one (by its body's key terms)."""
        with self._lock:
            state = self._current()
            docnum = state.searcher.document_number(**{S.ID_FIELD: article_id})
            if docnum is None:
                return []
            body = self._bodies([article_id]).get(article_id, "")
            title = state.searcher.stored_fields(docnum).get(S.TITLE, "")
            results = state.searcher.more_like(docnum, S.BODY, text=f"{title}\n{body}",
                                               top=limit + 1, numterms=15)
            ranked = [(hit.docnum, hit.score) for hit in results if hit.docnum != docnum]
            return self._hits(state, ranked[:limit], terms_of(None))

    def facet_values(self, facet: str, prefix: str = "", limit: int = 20) -> list[dict]:
        """Return the most frequent values of a facet over the whole archive, filtered by prefix."""
        if facet not in FACETS:
            raise SearchError(f"unknown facet {facet!r}; use one of {', '.join(FACETS)}")
        with self._lock:
            state = self._current()
            if facet not in state.totals:
                total = Counter()
                for seg in state.segments:
                    total.update(seg.count(facet, seg.alive))
                state.totals[facet] = total
            counts = state.totals[facet]
        key = S.normalise(prefix)
        rows = [(v, n) for v, n in counts.items()
                if not key or any(w.startswith(key) for w in _prefixes(S.normalise(v)))]
        rows.sort(key=lambda r: (-r[1], r[0]))
        return [{"value": v, "count": n} for v, n in rows[:limit]]


def _prefixes(value: str) -> list[str]:
    # A prefix may start the value or any of its words ("put" finds "Vladimir Putin").
    parts = value.split()
    return [" ".join(parts[i:]) for i in range(len(parts))]


def _top(counts: Counter, selected, limit: int) -> list[dict]:
    rows = sorted(counts.items(), key=lambda r: (-r[1], r[0]))[:limit]
    shown = {S.normalise(v) for v, _ in rows}
    for value in selected:  # a selected value stays visible even when it counts nothing
        if S.normalise(value) not in shown:
            rows.append((value, counts.get(value, 0)))
    return [{"value": v, "count": n} for v, n in rows]
