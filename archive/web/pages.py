"""The pages blueprint: the search page, an article, a facet value's page, facet search."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from archive import curation, identity
from archive.errors import IndexMissing, SearchError, SearchTimeout
from archive.facets import Facet, all_facets, with_page
from archive.facets import get as get_facet
from archive.index.text import normalise
from archive.models import Article
from archive.search import Criteria, highlight
from archive.search.results import Results
from archive.search.values import MATCHES
from archive.sources import public_source
from archive.web import localtime, timelines
from archive.web import presenters as view
from archive.web.forms import FormProblem, locate, typed_state
from archive.web.resources import error_page, get_searcher, get_store, links_for, parse_criteria
from archive.web.results_view import (
    DEFAULT_PER_PAGE,
    marked_titles,
    per_page_choices,
    undated_choice,
)

pages = Blueprint("pages", __name__)

MAX_NAME = 300
MAX_ID = 64


@pages.app_template_filter("value_label")
def value_label(value: str, facet: str) -> str:
    """Return a facet value as pages show it (`{{ hit.section|value_label('sections') }}`)."""
    spec = get_facet(facet)
    return spec.value_label(value) if spec else value


@pages.get("/")
def search_page() -> ResponseReturnValue:
    """Render the faceted search page for the criteria in the URL. A search that cannot run
    comes back as typed, with a message at the field to fix and status 400 (forms.py)."""
    try:
        criteria = parse_criteria()
    except SearchError as error:
        return search_again(error, parsed=False)
    links = links_for(criteria, "pages.search_page")
    if respelled_dates(criteria):  # "March 2016" typed: the URL says from=2016-03, as links do
        return redirect(links.url())
    if not links.pairs and get_store().count() == 0:  # only the bare home page pays for this
        return error_page(
            503,
            "The archive is empty",
            "There are no articles to search yet.",
            "newsarchive ingest PATH… (or make demo)",
        )
    try:
        results = get_searcher().search(criteria)
    except SearchTimeout:
        raise  # busy rather than wrong: the 503 page asks to retry
    except SearchError as error:
        return search_again(error, parsed=True)
    return render_search(criteria, links, results)


def render_search(
    criteria: Criteria | None,
    links: view.Links,
    results: Results | None,
    problem: FormProblem | None = None,
) -> str:
    """Render the search page: results, or the form as typed with what to fix (problem)."""
    shown = current_app.config["FACET_SHOWN"]
    per_page = criteria.per_page if criteria else _typed_per_page(links)
    found = results or Results(total=0, page=1, per_page=per_page, pages=0)
    return render_template(
        "search.html",
        criteria=criteria,
        results=found,
        links=links,
        facets=view.facet_blocks(found.facets, links, shown),
        chips=view.chips(links),
        histogram=timelines.histogram(found.facets, links, found.total) if results else None,
        page_numbers=view.page_window(found.page, found.pages),
        state=urlencode(links.pairs),
        query_fields=view.query_fields(),
        problem=problem,
        titles=marked_titles(found.hits, links.first("q")),
        per_page_choices=per_page_choices(per_page),
        offer_undated=undated_choice(results, links),
    )


def search_again(error: SearchError, parsed: bool) -> ResponseReturnValue:
    """Return the search page as the user typed it, saying what to fix (400)."""
    state = typed_state(request.args)
    base = url_for("pages.search_page")
    links = view.Links(state, lambda pairs: base + ("?" + urlencode(pairs) if pairs else ""))
    return render_search(None, links, None, locate(state, error, parsed)), 400


def respelled_dates(criteria: Criteria) -> bool:
    """Say whether a date was typed in another spelling than URLs use ("March 2016")."""
    typed = dict(typed_state(request.args))
    return any(
        " ".join(typed.get(key, "").split()) != (value or "")
        for key, value in (("from", criteria.date_from), ("to", criteria.date_to))
    )


def _typed_per_page(links: view.Links) -> int:
    typed = links.first("per_page", str(DEFAULT_PER_PAGE))
    return int(typed) if typed.isdecimal() and 0 < int(typed) <= 1000 else DEFAULT_PER_PAGE


@pages.app_template_filter("local_date")
def local_date(value: datetime | date | str | None, with_time: bool = False) -> str:
    """Format a date in the archive's display zone (`{{ hit.date|local_date }}`)."""
    zone = localtime.display_zone(current_app.config.get("ARCHIVE_TIMEZONE"))
    return localtime.local_date(value, zone, with_time)


@pages.app_template_filter("utc_title")
def utc_title(value: datetime | date | str | None) -> str:
    """Format a date in UTC for a <time> title (`{{ hit.date|utc_title }}`)."""
    return localtime.utc_title(value)


@pages.get("/articles/<article_id>")
def article(article_id: str) -> ResponseReturnValue:
    """Render one article, highlighting the search that led here."""
    if len(article_id) > MAX_ID:
        abort(404, description=f"No article has the id “{article_id[:MAX_ID]}…”.")
    found = get_store().get(article_id)
    if found is None:
        abort(404, description=f"No article has the id “{article_id}”.")
    found = identity.as_indexed(get_store(), found)  # people named as the person pages are
    try:  # the search state is a courtesy here: a bad one is dropped, not a 400
        criteria = parse_criteria() if request.args else None
    except SearchError:
        criteria = None
    query = criteria.q if criteria else ""
    try:
        similar = get_searcher().more_like_this(found.id, limit=5)
    except (SearchError, IndexMissing):  # no index yet, or not indexed: still show it
        similar = []
    back = links_for(criteria, "pages.search_page").url() if criteria else None
    return render_template(
        "article.html",
        article=found,
        query=query,
        back=back,
        similar=similar,
        title_html=view.marks_only(highlight(found.title, query)) if query else None,
        paragraphs=[
            view.marks_only(highlight(p, query)) if query else p
            for p in view.paragraphs(found.body)
        ],
        source_href=view.safe_href(found.url),
        source_file=public_source(found.source),  # never the server's absolute path
        entity_lists=entity_lists(found),
    )


def entity_lists(found: Article) -> list[tuple[Facet, list[str]]]:
    """Return the values with pages of their own (people, outlets) in registry order, an
    outlet in its roles (published by, cited) rather than in the union of both, unless
    the article was extracted before roles existed."""
    lists = [(f, f.values(found)) for f in all_facets() if f.page and f.values(found)]
    present = {f.name for f, _ in lists}
    return [(f, values) for f, values in lists if not present & set(f.roles)]


def role_counts(facet: Facet, name: str) -> list[tuple[Facet, int]]:
    """Return how many articles carry name in each role of facet ("published" 12,
    "cited" 40); an outlet page says which role each count is."""
    searcher = get_searcher()
    counts = []
    for role in filter(None, map(get_facet, facet.roles)):
        criteria = parse_criteria([(role.param, name), ("per_page", "1")])
        counts.append((role, searcher.search(criteria).total))
    return counts


@pages.get("/<kind>/<path:name>")
def entity(kind: str, name: str) -> ResponseReturnValue:
    """Render a person's or outlet's page: counts, timeline, companions, latest articles."""
    facet = with_page(kind)
    if facet is None:
        abort(404)
    if not name.strip() or len(name) > MAX_NAME:
        abort(404, description="That name is empty or too long.")
    searcher = get_searcher()
    # A name merged or renamed by hand has its value's page; a hidden one has none.
    curated = curation.shown_name(get_store(), facet.curation, name)
    if curated is None:
        abort(404, description=f"No article mentions “{name}”.")
    name = curated
    # The filter gives the page's count, timeline and articles: the number its "all
    # articles" link (the same filter) lists, where `person:"Donald Trump"` would also
    # find "Donald Trump Jr.".
    listed = [("sort", "newest"), ("per_page", "10")]
    if facet.mode_param and not facet.roles:
        # With "all", a facet counts its own values over the matches (co-mentions): the
        # people beside a person, where "any" ignores the facet's own selection.
        listed.append((facet.mode_param, "all"))
    results = searcher.search(parse_criteria([(facet.param, name), *listed]))
    if results.total == 0:
        abort(404, description=f"No article mentions “{name}”.")
    companions = results
    key = normalise(name)
    # The page shows the name as the archive spells it, whatever spelling the URL used.
    display = next(
        (i["value"] for i in companions.facets.get(facet.name, []) if normalise(i["value"]) == key),
        name,
    )

    def others(facet_name: str) -> list[dict[str, Any]]:
        return [i for i in companions.facets.get(facet_name, []) if normalise(i["value"]) != key]

    search_url = url_for("pages.search_page") + "?" + urlencode([(facet.param, display)])
    return render_template(
        "entity.html",
        kind=facet.param,
        name=display,
        results=results,
        search_url=search_url,
        timeline=timelines.timeline(
            results.facets.get("months", []),
            lambda month: f"{search_url}&from={month}&to={month}",
            results.total,
        ),
        people=others("people")[:15],
        # An outlet page filters on its outlet (the count its "all articles" link gives), so
        # the outlets beside it come from a role facet the filter does not exempt.
        outlets=others("cited" if facet.roles else "outlets")[:15],
        roles=role_counts(facet, display),
    )


# The arguments of a facet value list itself: any other argument is a search to count in
# (its `page` is the list's page: a search's own page does not change its counts).
FACET_SEARCH_ARGS = {"prefix", "limit", "page"}
FACET_PAGE = 50  # values a page of the facet list shows


@pages.get("/facets/<facet>")
def facet_search(facet: str) -> ResponseReturnValue:
    """List every value of a facet in the current search, most frequent first, a page at a
    time, or those with a word starting with ?prefix=: "show all" and the no-JavaScript
    facet search."""
    spec = get_facet(facet)
    if spec is None:
        abort(404, description=f"There is no facet “{facet}”.")
    criteria = parse_criteria()
    prefix = request.args.get("prefix", "")[:MAX_NAME]
    # Counted within the search the links below refine, when there is one.
    within = criteria if set(request.args) - FACET_SEARCH_ARGS else None
    found = get_searcher().facet_page(
        spec.name, prefix, (criteria.page - 1) * FACET_PAGE, FACET_PAGE, within
    )
    links = links_for(criteria, "pages.search_page")
    items = [
        dict(
            v,
            label=spec.value_label(v["value"]),
            url=links.add(spec.param, v["value"], spec.exclude_param),
        )
        for v in found.values
    ]
    here = links_for(criteria, "pages.facet_search", facet=spec.name)
    if prefix:
        here = view.Links([*here.hidden("prefix"), ("prefix", prefix)], here.build)
    return render_template(
        "facet.html",
        facet=spec.name,
        heading=spec.label,
        prefix=prefix,
        matches=MATCHES,
        items=items,
        matched=found.matched,
        scope="these results" if within else "the archive",
        first=found.offset + 1,
        page=criteria.page,
        pages=view.page_window(criteria.page, -(-found.matched // FACET_PAGE)),
        page_url=here.page,
        back=links.page(1),
        hidden=links.hidden("prefix"),
    )
