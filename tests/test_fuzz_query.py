"""Fuzzing the query language (issue 10): any string, and any soup of the language's own
operators, parses or is refused with a SearchError, never another exception; and a
query that parses runs on a real index the same way.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as Q

from archive.errors import SearchError
from archive.search import Criteria, Searcher
from archive.search.parsing import parse

# Bounded, and deterministic: a run writes no example database into the checkout.
BOUNDED = settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# The pieces of the language, and pieces that look like them.
PIECES = [
    "AND", "OR", "NOT", "and", "not", "(", ")", '"', "'", "*", "?", "~", "~2", "~999",
    "^2", "-", "+", ":", "title:", "person:", "outlet:", "source:", "cited:", "section:",
    "author:", "date:", "date:2023", "date:2023-04-11", "date:9999-12-31", "date:[",
    "[", "]", "{", "}", "TO", "\\", "putin", "warsaw", "a", "ab*", "ż", "Ω", "\x00", "\u200b",
]  # fmt: skip
SOUP = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), min_size=1, max_size=14).flatmap(
    lambda pieces: st.lists(
        st.sampled_from(["", " ", "  "]), min_size=len(pieces), max_size=len(pieces)
    ).map(lambda gaps: "".join(piece + gap for piece, gap in zip(pieces, gaps, strict=True)))
)
QUERIES = st.text(max_size=120) | SOUP


def parsed_or_refused(text: str) -> Q.Query | None:
    """Parse text; None when the parser refused it with a SearchError (the only refusal)."""
    try:
        query = parse(text)
    except SearchError as error:
        assert str(error), "a refusal says what to fix"
        return None
    assert isinstance(query, Q.Query)
    return query


@BOUNDED
@given(QUERIES)
def test_any_query_parses_or_is_refused_with_a_search_error(text):
    parsed_or_refused(text)


@BOUNDED
@given(SOUP)
def test_any_query_that_parses_runs_or_is_refused(small_archive, text):
    with Searcher(small_archive) as searcher:
        try:
            results = searcher.search(Criteria(q=text))
        except SearchError:
            return
        assert results.total >= 0 and len(results.hits) <= results.per_page
