"""Trends: how many articles each of a few searches finds per month, and their share.

A series is a Criteria, so any search can be one. In a URL it is written `KIND:VALUE`:

    q:climate                      the query "climate" (text without a known kind is a query)
    person:Donald Trump            a facet filter: the facet's URL parameter, then a value
                                   (person, outlet, source, cited, section)
    search:q=talks&person=Anna     a whole search, as the search page's URL arguments

Counting a series is one search (its matching documents) and one np.bincount of their
month column per segment (Searcher.month_counts); the archive's articles per month are the
same count over every live document. Undated articles have no month and are not counted.
The months run from the first to the last month any series has an article in, and

    share(series, month) = articles(series, month) / articles(archive, month)

(0 when the archive has no article that month).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from archive.errors import SearchError
from archive.facets import Facet, all_facets
from archive.search.criteria import Criteria
from archive.search.ranking import month_label
from archive.search.searcher import Searcher

MAX_SERIES = 5
MAX_SPEC = 1000  # characters of one series as written
QUERY, SEARCH = "q", "search"
SAVED_WITHOUT = ("page",)  # a saved search keeps its order and page size, not its page
# Arguments of a search state that do not change which articles match.
NOT_SELECTING = ("sort", "page", "per_page")


class Series(NamedTuple):
    """One line of a trend chart: the search it counts and how it is named."""

    spec: str  # canonical `KIND:VALUE`, as the URL carries it
    label: str
    criteria: Criteria


class SeriesCounts(NamedTuple):
    """A series' articles and share of the archive in each month of its Trend."""

    series: Series
    counts: list[int]
    shares: list[float]


class Trend(NamedTuple):
    """The compared series over one span of months."""

    months: list[str]  # "2016-01", consecutive
    totals: list[int]  # the archive's dated articles each month
    lines: list[SeriesCounts]


def facet_kinds() -> dict[str, Facet]:
    """Return the facets a series can filter by, by their URL parameter."""
    return {f.param: f for f in all_facets()}


def parse_series(text: str) -> Series:
    """Return the series written as `KIND:VALUE` (see the module's docstring)."""
    spec = " ".join(text.split())
    if len(spec) > MAX_SPEC:
        raise SearchError(f"a series is longer than {MAX_SPEC} characters")
    kind, colon, value = spec.partition(":")
    kind, value = kind.strip().lower(), value.strip()
    facet = facet_kinds().get(kind)
    if colon and facet is not None:
        if not value:
            raise SearchError(f"the series “{spec}” has no value after the colon")
        criteria = Criteria(selected={facet.name: (value,)})
        return Series(f"{facet.param}:{value}", facet.value_label(value), criteria)
    if colon and kind == SEARCH:
        return search_series(value)
    query = value if colon and kind == QUERY else spec
    if not query:
        raise SearchError(f"the series “{spec}” has no query")
    return Series(f"{QUERY}:{query}", query, Criteria(q=query))


def parse_state(state: str, ignored: Sequence[str] = NOT_SELECTING) -> tuple[Criteria, str]:
    """Return the criteria of a search state (the search page's URL arguments,
    `q=talks&person=Anna+Nowak`) without the ignored arguments, and the state as the search
    page writes it; SearchError when no search can use it."""
    args: dict[str, list[str]] = {}
    for key, value in parse_qsl(state):
        if key not in ignored:
            args.setdefault(key, []).append(value)
    criteria = Criteria.from_args(args)
    return criteria, urlencode(criteria.to_args())


def search_series(state: str) -> Series:
    """Return the series of a search state (`q=talks&person=Anna+Nowak`)."""
    criteria, _ = parse_state(state)
    canonical = criteria.to_args()
    if not canonical:
        raise SearchError("a search series needs a query or a filter: it would count everything")
    return Series(f"{SEARCH}:{urlencode(canonical)}", describe(canonical), criteria)


def describe(pairs: Iterable[tuple[str, str]]) -> str:
    """Return a short label of a search state: its query and values, "not" before an
    excluded one, "from"/"to" before dates."""
    before = {"q": "", "from": "from ", "to": "to "}
    for facet in all_facets():
        before[facet.param] = ""
        if facet.exclude_param:
            before[facet.exclude_param] = "not "
    return " · ".join(before[key] + value for key, value in pairs if key in before)


def parse_all(texts: Iterable[str]) -> list[Series]:
    """Return the series written in texts: blank ones skipped, repeats once, at most
    MAX_SERIES (SearchError beyond, saying so)."""
    found: dict[str, Series] = {}
    for text in texts:
        if text.strip():
            series = parse_series(text)
            found.setdefault(series.spec, series)
    if len(found) > MAX_SERIES:
        raise SearchError(
            f"a trend compares at most {MAX_SERIES} series; {len(found)} were given: "
            f"remove {len(found) - MAX_SERIES}"
        )
    return list(found.values())


def trend(searcher: Searcher, series: Sequence[Series]) -> Trend:
    """Count each series and the archive per month (see the module's docstring)."""
    per_series = [searcher.month_counts(s.criteria) for s in series]
    used = [month for counts in per_series for month, n in counts.items() if n]
    if not used:
        return Trend([], [], [SeriesCounts(s, [], []) for s in series])
    span = range(min(used), max(used) + 1)
    archive = searcher.month_counts(Criteria())
    totals = [archive.get(month, 0) for month in span]
    lines = []
    for each, counts in zip(series, per_series):
        counted = [counts.get(month, 0) for month in span]
        shares = [round(n / total, 6) if total else 0.0 for n, total in zip(counted, totals)]
        lines.append(SeriesCounts(each, counted, shares))
    return Trend([month_label(month)[1] for month in span], totals, lines)
