"""The results list's view (no Flask here): titles with the query marked, the per-page choice,
and whether "leave out undated" would change anything.

Titles are marked with the snippets' highlighter (archive/search/highlight.py): the query's
terms are found once and each title is HTML-escaped with its matching words in <mark>.
The undated articles among the results are those no month counts:

    undated = total - sum(count of each month)

(the month counts cover exactly the matches when no date range is set, the only time the
choice is offered: a date range leaves undated articles out by itself).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from markupsafe import Markup

from archive.errors import SearchError
from archive.search.highlight import mark
from archive.search.parsing import parse
from archive.search.results import Hit, Results
from archive.search.spans import Terms, terms_of
from archive.web.presenters import Links, marks_only

PER_PAGE_CHOICES = (20, 50, 100)
DEFAULT_PER_PAGE = 20


class PerPage(NamedTuple):
    """One choice of how many results a page lists."""

    value: int
    current: bool


def query_terms(query: str) -> Terms:
    """Return the terms a query's highlighting marks (none for a query that cannot parse)."""
    if not query.strip():
        return Terms()
    try:
        return terms_of(parse(query))
    except SearchError:
        return Terms()


def marked_titles(hits: Iterable[Hit], query: str) -> dict[str, Markup]:
    """Return each hit's title (by id), escaped, with the query's words in <mark>."""
    terms = query_terms(query)
    return {hit.id: marks_only(mark(hit.title, terms)) for hit in hits if hit.title}


def per_page_choices(current: int) -> list[PerPage]:
    """Return 20, 50 and 100 a page, plus the current number if a URL asked for another."""
    values = sorted({*PER_PAGE_CHOICES, current})
    return [PerPage(value, value == current) for value in values]


def undated_choice(results: Results | None, links: Links) -> bool:
    """Say whether the page offers "leave out undated": only without a date range, and
    only where it changes the result (undated matches, or already left out)."""
    if links.first("from") or links.first("to"):
        return False
    if links.first("undated") == "0":
        return True
    if results is None:
        return False
    dated = sum(item["count"] for item in results.facets.get("months", []))
    return results.total > dated


__all__ = [
    "DEFAULT_PER_PAGE",
    "PerPage",
    "marked_titles",
    "per_page_choices",
    "query_terms",
    "undated_choice",
]
