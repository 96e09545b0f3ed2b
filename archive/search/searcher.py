"""The Searcher: faceted search over the live index, for CLI, web pages and API alike.

Whoosh holds the index files, parses queries and serves stored fields; matching, scoring
and facet counting run on numpy arrays per segment (see evaluation.py, counting.py and
index/postings.py), so no Python code runs per matching document. What one opened
generation of the index holds, and how it is opened, is in snapshot.py.

Scoring (details in evaluation.py): BM25F over the query's terms, K1 1.2, B 0.75, idf
ln(N / (df + 1)) + 1 from whole-index document frequencies, exact field lengths, title
terms weighted double; AND/OR add their parts, phrases score as one term counting the
phrase's occurrences, prefixes score a constant. Ties go to the lower index docnum.
Scores are close to, not identical with, Whoosh's (Whoosh rounds lengths to a byte).
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from datetime import UTC
from typing import Any

from whoosh import query as Q

from archive import identity
from archive.config import Config
from archive.errors import IndexMissing, SearchError
from archive.facets import all_facets
from archive.facets import get as get_facet
from archive.index import schema as S
from archive.index.columns import Vocab
from archive.index.maintenance import live_dir, open_live
from archive.index.text import stemmed_words
from archive.search.budget import BudgetedLock
from archive.search.counting import SegmentMatch, select
from archive.search.criteria import Criteria
from archive.search.curated import CuratedView
from archive.search.evaluation import evaluate
from archive.search.highlight import snippet
from archive.search.parsing import parse
from archive.search.ranking import Ranked, by_date, by_score, date_rows, facet_rows
from archive.search.results import Hit, Results
from archive.search.snapshot import SegmentCache, Snapshot
from archive.search.spans import Terms, terms_of
from archive.search.values import ValuePage, value_page
from archive.store import Store

PEOPLE = "people"  # the facet whose values archive/identity.py makes one per person
FACET_LIMIT = 30
MLT_TERMS = 12  # key terms of an article that a similar one should share
MLT_MAX_SHARE = 0.5  # ignore terms found in more than this share of articles
SUGGEST_BELOW = 3  # offer "did you mean" when a query finds fewer hits than this


class Searcher:
    """Searches the live index; reuse one across requests (searches are serialised).

    Use it as a context manager (`with Searcher(config) as searcher:`) or call close().
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = BudgetedLock(config.search_timeout)  # README: Limits
        self._vocabs = {facet.name: Vocab() for facet in all_facets()}
        self._segment_cache = SegmentCache(self._vocabs)
        self._state: Snapshot | None = None
        self._store: Store | None = None
        self._curation = CuratedView()  # hand curation, mapped at query time
        with self._lock:
            self._current()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- opening ---------------------------------------------------------

    def _current(self) -> Snapshot:
        path = live_dir(self.config)
        if path is None:
            raise IndexMissing(f"no index at {self.config.index_path}: run `newsarchive reindex`")
        state = self._state
        if state is not None and state.is_current(str(path)):
            return self._curated(state)
        ix = open_live(self.config)
        if ix is None:
            raise IndexMissing(f"no index at {self.config.index_path}: run `newsarchive reindex`")
        old, self._state = self._state, self._segment_cache.open(ix)
        if old is not None:
            old.searcher.close()
        return self._curated(self._state)

    def _curated(self, state: Snapshot) -> Snapshot:
        # The store's curation generation, one cheap query, says whether to map again.
        self._curation.update(self._readonly_store(), state, self._vocabs)
        return state

    def close(self) -> None:
        """Release the index and the store connection."""
        with self._lock:
            if self._state is not None:
                self._state.searcher.close()
                self._state = None
            if self._store is not None:
                self._store.close()
                self._store = None

    # -- searching -------------------------------------------------------

    def search(self, criteria: Criteria) -> Results:
        """Run one search: the page of hits, the total, disjunctive facets and a suggestion."""
        c = criteria
        query = None if c.browsing else parse(c.q)
        with self._lock:
            state = self._current()
            chosen = select(
                state.segments, self._as_indexed(c), query, state.stats, self._vocabs, True
            )
            want = c.page * c.per_page
            first = (c.page - 1) * c.per_page
            ranked = (
                self._rank(state, c, query, chosen.matches, want) if first < chosen.total else []
            )
            hits = self._hits(state, ranked[first:want], terms_of(query))
            suggestion = None
            if query is not None and chosen.total < SUGGEST_BELOW:
                suggestion = state.spelling(self._vocabs["people"]).suggest(c.q)
        facets = {
            f.name: facet_rows(
                chosen.counts[f.name],
                self._vocabs[f.name],
                self._curation.values(f, list(c.values(f.name))),  # a picked value as curated
                FACET_LIMIT,
            )
            for f in all_facets()
        }
        facets.update(date_rows(chosen.months))
        return Results(
            total=chosen.total,
            page=c.page,
            per_page=c.per_page,
            pages=math.ceil(chosen.total / c.per_page),
            hits=hits,
            facets=facets,
            suggestion=suggestion,
        )

    @staticmethod
    def _rank(
        state: Snapshot,
        criteria: Criteria,
        query: Q.Query | None,
        matches: list[SegmentMatch],
        want: int,
    ) -> Ranked:
        if query is not None and criteria.sort == "relevance":
            return by_score(state.segments, matches, want)
        return by_date(state.segments, matches, want, newest=criteria.sort != "oldest")

    def _hits(self, state: Snapshot, ranked: Ranked, terms: Terms) -> list[Hit]:
        stored = [state.searcher.stored_fields(docnum) for docnum, _ in ranked]
        bodies = self._bodies([s[S.ID_FIELD] for s in stored])
        facets = all_facets()
        hits = []
        for fields, (_, score) in zip(stored, ranked):
            date = fields.get(S.DATE)
            hits.append(
                Hit(
                    id=fields[S.ID_FIELD],
                    title=fields.get(S.TITLE, ""),
                    date=date.replace(tzinfo=UTC) if date else None,
                    values={
                        f.name: self._curation.values(f, list(fields.get(f.stored_field) or []))
                        for f in facets
                    },
                    snippet=snippet(bodies.get(fields[S.ID_FIELD], ""), terms),
                    score=round(float(score), 4),
                )
            )
        return hits

    def _bodies(self, ids: list[str]) -> dict[str, str]:
        # The store is the system of record for the text; the index does not hold it.
        store = self._readonly_store() if ids else None
        return store.bodies(ids) if store is not None else {}

    def _readonly_store(self) -> Store | None:
        if self._store is None and self.config.store_path.exists():
            self._store = Store.open_readonly(self.config.store_path)
        return self._store

    def _as_indexed(self, criteria: Criteria) -> Criteria:
        """Return criteria whose people are also named as the index names them (a picked
        person stands for its names, so "all" still means every person)."""
        chosen, left_out = criteria.values(PEOPLE), criteria.excluded_values(PEOPLE)
        store = self._readonly_store() if chosen or left_out else None
        if store is None:
            return self._curation.criteria(criteria)
        names = {name: tuple(identity.indexed_names(store, [name])) for name in chosen}
        excluded = {**criteria.excluded, PEOPLE: tuple(identity.indexed_names(store, left_out))}
        spellings = {**criteria.spellings, PEOPLE: names}
        registry = dataclasses.replace(criteria, excluded=excluded, spellings=spellings)
        return self._curation.criteria(registry)

    # -- other views -----------------------------------------------------

    def ordered_ids(self, criteria: Criteria) -> list[str]:
        """Return the id of every match in the criteria's order, ignoring paging (for exports)."""
        query = None if criteria.browsing else parse(criteria.q)
        with self._lock:
            state = self._current()
            chosen = select(
                state.segments, self._as_indexed(criteria), query, state.stats, self._vocabs, False
            )
            ranked = self._rank(state, criteria, query, chosen.matches, chosen.total)
            return [state.searcher.stored_fields(docnum)[S.ID_FIELD] for docnum, _ in ranked]

    def month_counts(self, criteria: Criteria) -> dict[int, int]:
        """Return {months since 1970-01: dated matches} of a search (for search/trends.py):
        one selection, then one bincount of the month column per segment."""
        query = None if criteria.browsing else parse(criteria.q)
        with self._lock:
            state = self._current()
            chosen = select(
                state.segments, self._as_indexed(criteria), query, state.stats, self._vocabs, False
            )
            months: Counter[int] = Counter()
            for segment, match in zip(state.segments, chosen.matches):
                months.update(segment.facets.month_counts(match.final))
        return dict(months)

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
            ranked = [
                (d, score)
                for d, score in by_score(state.segments, finals, limit + 1)
                if d != docnum
            ]
            return self._hits(state, ranked[:limit], terms_of(None))

    def _key_terms(self, state: Snapshot, text: str) -> list[str]:
        # tf-idf over the article's own stemmed words; words in most articles say nothing.
        total = max(state.searcher.reader().doc_count(), 1)
        weights: dict[str, float] = {}
        for term, tf in Counter(stemmed_words(text)).items():
            if len(term) < 3:
                continue
            df = state.stats.df(S.BODY, term)  # remembered across searches
            if 0 < df <= total * MLT_MAX_SHARE:
                weights[term] = tf * math.log(total / df)
        return sorted(weights, key=lambda term: weights[term], reverse=True)[:MLT_TERMS]

    def facet_values(
        self, facet: str, prefix: str = "", limit: int = 20, within: Criteria | None = None
    ) -> list[dict[str, Any]]:
        """Return the most frequent values of a facet matching prefix (values.py)."""
        return self.facet_page(facet, prefix, limit=limit, within=within).values

    def facet_page(
        self,
        facet: str,
        prefix: str = "",
        offset: int = 0,
        limit: int = 20,
        within: Criteria | None = None,
    ) -> ValuePage:
        """Return a page of a facet's values with a word starting with prefix, most frequent
        first: counted within the search `within` (the numbers of its facet list), or over
        the whole archive when it is None."""
        if get_facet(facet) is None:
            known = ", ".join(f.name for f in all_facets())
            raise SearchError(f"unknown facet {facet!r}; use one of {known}")
        query = None if within is None or within.browsing else parse(within.q)
        with self._lock:
            state = self._current()
            if within is None:
                counts = state.facet_totals(facet, self._vocabs[facet])
            else:
                expanded = self._as_indexed(within)
                chosen = select(state.segments, expanded, query, state.stats, self._vocabs, True)
                counts = chosen.counts[facet]
            names = self._vocabs[facet].names[: len(counts)]  # a copy: reopening appends
        return value_page(counts, names, prefix, offset, limit)
