"""Faceted search over the live index: the one entry point for CLI, web pages and API.

Whoosh holds the index files, parses queries and serves stored fields; matching, scoring
and facet counting run on numpy arrays per segment (see matcher.py, postings.py and
facets.py), so no Python code runs per matching document.

Scoring (details in matcher.py): BM25F over the query's terms, K1 1.2, B 0.75, idf
ln(N / (df + 1)) + 1 from whole-index document frequencies, exact field lengths, title
terms weighted double; AND/OR add their parts, phrases score as one term counting the
phrase's occurrences, prefixes score a constant. Ties go to the lower index docnum.
Scores are close to, not identical with, Whoosh's (Whoosh rounds lengths to a byte).
"""

from __future__ import annotations

import math
import os
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
from whoosh import query as Q

from archive import schema as S
from archive.criteria import Criteria, IndexMissing, SearchError
from archive.facets import EPOCH_ORDINAL, SegmentFacets, Vocab
from archive.indexer import INDEX_NAME, live_dir, open_live
from archive.matcher import Stats, evaluate
from archive.models import format_date
from archive.packfile import pack_path, read_pack
from archive.postings import SegmentPostings
from archive.querying import highlight, parse, snippet, terms_of
from archive.ranking import by_date, by_score, facet_rows, month_label, prefixes
from archive.suggest import Speller

__all__ = ["Criteria", "Hit", "IndexMissing", "Results", "SearchError", "Searcher", "highlight"]

FACETS = ("people", "outlets", "sections")
FACET_LIMIT = 30
MLT_TERMS = 12  # key terms of an article that a similar one should share
MLT_MAX_SHARE = 0.5  # ignore terms found in more than this share of articles
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
    """One segment of an opened index: its facet columns, postings and live docs."""

    def __init__(self, searcher, offset: int, facets: SegmentFacets, postings: SegmentPostings,
                 alive: np.ndarray):
        self.searcher, self.offset, self.facets = searcher, offset, facets
        self.postings, self.alive = postings, alive
        self.title_words: dict[str, int] | None = postings.meta.get("title_words")


class _State:
    """One opened generation of the index."""

    def __init__(self, key, ix, searcher, segments):
        self.key, self.ix, self.searcher, self.segments = key, ix, searcher, segments
        self.stats = Stats(segments)
        self.speller: Speller | None = None
        self.totals: dict[str, np.ndarray] = {}


def _to_key(day) -> int:
    return (day.toordinal() - EPOCH_ORDINAL) * 86400


def _and(mask: np.ndarray, *others) -> np.ndarray:
    for other in others:
        if other is not None:
            mask = mask & other
    return mask


class Searcher:
    """Searches the live index; reuse one across requests (searches are serialised)."""

    def __init__(self, config):
        self.config = config
        self._lock = threading.RLock()
        self._caches: dict[tuple[str, str], tuple[SegmentFacets, SegmentPostings]] = {}
        self._vocabs = {name: Vocab() for name in FACETS}
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
            if segment is None:  # an index with no documents has a reader but no segment
                continue
            cache_key = (key[0], segment.segid)
            seen.add(cache_key)
            cached = self._caches.get(cache_key)
            if cached is None:
                cached = self._caches[cache_key] = self._open_segment(key[0], reader)
            facets, postings = cached
            postings.reader = reader  # the previous generation's reader is closed below
            alive = np.ones(facets.size, bool)
            if segment.has_deletions():
                alive[list(segment.deleted_docs())] = False
            segments.append(_Segment(sub, offset, facets, postings, alive))
        for stale in set(self._caches) - seen:
            del self._caches[stale]
        old, self._state = self._state, _State(key, ix, searcher, segments)
        if old is not None:
            old.searcher.close()
        return self._state

    def _open_segment(self, path: str, reader) -> tuple[SegmentFacets, SegmentPostings]:
        # Segments from the bulk reindex carry a pack; others are read through Whoosh.
        pack = read_pack(pack_path(path, INDEX_NAME, reader.segment().segid))
        if pack is None:
            return SegmentFacets.from_reader(reader, self._vocabs), SegmentPostings(reader)
        arrays = {name: pack.array(name) for name in pack.names()
                  if not name.endswith((".docs", ".poff", ".pos"))}
        return SegmentFacets(arrays, pack.meta["facets"], self._vocabs), \
            SegmentPostings(reader, pack)

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
        with self._lock:
            state = self._current()
            vocabs = self._vocabs
            finals, total, counts, months = self._select(state, c, query, facets_wanted=True)
            want = c.page * c.per_page
            first = (c.page - 1) * c.per_page
            if first >= total:
                ranked = []
            elif query is not None and c.sort == "relevance":
                ranked = by_score(state.segments, finals, want)
            else:
                ranked = by_date(state.segments, finals, want, newest=c.sort != "oldest")
            hits = self._hits(state, ranked[first:want], terms_of(query))
            suggestion = None
            if query is not None and total < SUGGEST_BELOW:
                suggestion = self._speller(state).suggest(c.q)
        facets = {name: facet_rows(counts[name], vocabs[name], getattr(c, attr), FACET_LIMIT)
                  for name, attr in (("people", "people"), ("outlets", "outlets"),
                                     ("sections", "section"))}
        years: dict[str, int] = {}
        labelled = []
        for month in sorted(months):
            year, label = month_label(month)
            years[year] = years.get(year, 0) + months[month]
            labelled.append({"value": label, "count": months[month]})
        facets["years"] = [{"value": v, "count": n} for v, n in sorted(years.items())]
        facets["months"] = labelled
        return Results(total=total, page=c.page, per_page=c.per_page,
                       pages=math.ceil(total / c.per_page), hits=hits, facets=facets,
                       suggestion=suggestion)

    def _select(self, state, c: Criteria, query, facets_wanted: bool):
        """Return per-segment (final mask, scores), the total, and facet counts if wanted."""
        vocabs = self._vocabs
        sizes = {name: len(vocabs[name].names) for name in FACETS}
        picks = {}
        for name, facet, values in (("people", "people", c.people),
                                    ("outlets", "outlets", c.outlets),
                                    ("sections", "sections", c.section),
                                    ("x-people", "people", c.exclude_people),
                                    ("x-outlets", "outlets", c.exclude_outlets)):
            if values:
                picks[name] = (facet, vocabs[facet].lookup(values))
        start, end = c.date_range()
        start_key = _to_key(start) if start else None
        end_key = _to_key(end) if end else None
        counts = {name: np.zeros(sizes[name], np.int64) for name in FACETS}
        months: dict[int, int] = {}
        finals, total = [], 0
        for seg in state.segments:
            f = seg.facets
            if query is None:
                matched, scores = seg.alive, None
            else:
                matched, scores = evaluate(query, seg, state.stats)
                matched &= seg.alive
            sel = {name: f.docs_with(*picks[name]) if name in picks else None
                   for name in picks}
            kept = matched
            for name in ("x-people", "x-outlets"):
                if name in sel:
                    kept = kept & ~sel[name]
            if start_key is not None or end_key is not None:
                base = kept & f.in_range(start_key, end_key)
            elif not c.include_undated:
                base = kept & f.dated
            else:
                base = kept
            sp, so, ss = sel.get("people"), sel.get("outlets"), sel.get("sections")
            final = _and(base, sp, so, ss)
            if facets_wanted:
                # Disjunctive counts: each facet ignores its own selection.
                counts["people"] += f.count("people", _and(base, so, ss), sizes["people"])
                counts["outlets"] += f.count("outlets", _and(base, sp, ss), sizes["outlets"])
                counts["sections"] += f.count("sections", _and(base, sp, so), sizes["sections"])
                for month, n in f.month_counts(_and(kept, sp, so, ss)).items():
                    months[month] = months.get(month, 0) + n
            finals.append((final, scores))
            total += int(np.count_nonzero(final))
        return finals, total, counts, months

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
            counts: dict[str, int] = {}

            def texts():
                for seg in state.segments:
                    if seg.title_words is not None:
                        continue  # counted by the reindex (deleted docs too: close enough)
                    for doc in np.flatnonzero(seg.alive).tolist():
                        yield seg.searcher.stored_fields(doc).get(S.TITLE, "")
                # Each name once per document that mentions it, as word frequencies want.
                counts = self._totals(state, "people")
                for value, n in zip(self._vocabs["people"].names, counts.tolist()):
                    if n:
                        yield " ".join([value] * n)
            for seg in state.segments:
                for word, n in (seg.title_words or {}).items():
                    counts[word] = counts.get(word, 0) + n
            state.speller = Speller(texts(), counts)
        return state.speller

    def _totals(self, state, facet: str) -> np.ndarray:
        if facet not in state.totals:
            size = len(self._vocabs[facet].names)
            state.totals[facet] = sum((seg.facets.count(facet, seg.alive, size)
                                       for seg in state.segments), np.zeros(size, np.int64))
        return state.totals[facet]

    # -- other views -----------------------------------------------------

    def ordered_ids(self, criteria: Criteria) -> list[str]:
        """Return the id of every match in the criteria's order, ignoring paging (for exports)."""
        query = None if criteria.browsing else parse(criteria.q)
        with self._lock:
            state = self._current()
            finals, total, _, _ = self._select(state, criteria, query, facets_wanted=False)
            if query is not None and criteria.sort == "relevance":
                ranked = by_score(state.segments, finals, total)
            else:
                ranked = by_date(state.segments, finals, total, newest=criteria.sort != "oldest")
            return [state.searcher.stored_fields(docnum)[S.ID_FIELD] for docnum, _ in ranked]

    def more_like_this(self, article_id: str, limit: int = 5) -> list[Hit]:
        """Return articles similar to the given one: an OR of its most telling body terms."""
        with self._lock:
            state = self._current()
            docnum = state.searcher.document_number(**{S.ID_FIELD: article_id})
            if docnum is None:
                return []
            body = self._bodies([article_id]).get(article_id, "")
            title = state.searcher.stored_fields(docnum).get(S.TITLE, "")
            terms = self._key_terms(state, f"{title}\n{body}")
            if not terms:
                return []
            # Runs on the same array matcher as search: Whoosh's more_like walks every
            # posting in Python (about a second at 100k articles).
            query = Q.Or([Q.Term(S.BODY, term) for term in terms])
            finals = []
            for seg in state.segments:
                matched, scores = evaluate(query, seg, state.stats)
                finals.append((matched & seg.alive, scores))
            ranked = [(d, score) for d, score in by_score(state.segments, finals, limit + 1)
                      if d != docnum]
            return self._hits(state, ranked[:limit], terms_of(None))

    def _key_terms(self, state, text: str) -> list[str]:
        # tf-idf over the article's own stemmed words; words in most articles say nothing.
        reader = state.searcher.reader()
        total = max(reader.doc_count(), 1)
        weights = {}
        for term, tf in Counter(S.stemmed_words(text)).items():
            if len(term) < 3:
                continue
            df = reader.doc_frequency(S.BODY, term)
            if 0 < df <= total * MLT_MAX_SHARE:
                weights[term] = tf * math.log(total / df)
        return sorted(weights, key=weights.get, reverse=True)[:MLT_TERMS]

    def facet_values(self, facet: str, prefix: str = "", limit: int = 20) -> list[dict]:
        """Return the most frequent values of a facet over the whole archive, filtered by prefix."""
        if facet not in FACETS:
            raise SearchError(f"unknown facet {facet!r}; use one of {', '.join(FACETS)}")
        with self._lock:
            state = self._current()
            counts = self._totals(state, facet)
            names = self._vocabs[facet].names
        key = S.normalise(prefix)
        rows = [(names[i], int(counts[i])) for i in np.flatnonzero(counts).tolist()
                if not key or any(w.startswith(key) for w in prefixes(S.normalise(names[i])))]
        rows.sort(key=lambda r: (-r[1], r[0]))
        return [{"value": v, "count": n} for v, n in rows[:limit]]
