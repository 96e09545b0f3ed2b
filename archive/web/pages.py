"""The pages blueprint: the search page, an article, a facet value's page, facet search."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

from archive import identity
from archive.errors import IndexMissing, SearchError
from archive.facets import Facet, all_facets, with_page
from archive.facets import get as get_facet
from archive.index.text import normalise
from archive.models import Article
from archive.search import highlight
from archive.web import presenters as view
from archive.web import timelines
from archive.web.resources import error_page, get_searcher, get_store, links_for, parse_criteria

pages = Blueprint("pages", __name__)

MAX_NAME = 300
MAX_ID = 64


@pages.get("/")
def search_page() -> ResponseReturnValue:
    """Render the faceted search page for the criteria in the URL."""
    criteria = parse_criteria()
    links = links_for(criteria, "pages.search_page")
    if not links.pairs and get_store().count() == 0:  # only the bare home page pays for this
        return error_page(
            503,
            "The archive is empty",
            "There are no articles to search yet.",
            "newsarchive ingest PATH… (or make demo)",
        )
    results = get_searcher().search(criteria)
    shown = current_app.config["FACET_SHOWN"]
    return render_template(
        "search.html",
        criteria=criteria,
        results=results,
        links=links,
        facets=view.facet_blocks(results.facets, links, shown),
        chips=view.chips(links),
        histogram=timelines.histogram(results.facets, links),
        page_numbers=view.page_window(results.page, results.pages),
        state=urlencode(links.pairs),
        query_fields=view.query_fields(),
    )


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
    # The filter gives the page's count, timeline and articles: the number its "all
    # articles" link (the same filter) lists, where `person:"Donald Trump"` would also
    # find "Donald Trump Jr.".
    listed = [("sort", "newest"), ("per_page", "10")]
    results = searcher.search(parse_criteria([(facet.param, name), *listed]))
    if results.total == 0:
        abort(404, description=f"No article mentions “{name}”.")
    companions = results
    if '"' not in name and not facet.roles:
        # The people beside a person come from a field query: a filter makes a facet's
        # counts ignore its own selection.
        query = [("q", f'{facet.index_field}:"{name}"'), ("per_page", "1")]
        companions = searcher.search(parse_criteria(query))
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
        timeline=timelines.timeline(results.facets.get("months", [])),
        people=others("people")[:15],
        # An outlet page filters on its outlet (the count its "all articles" link gives), so
        # the outlets beside it come from a role facet the filter does not exempt.
        outlets=others("cited" if facet.roles else "outlets")[:15],
        roles=role_counts(facet, display),
    )


# The arguments of a facet value search itself: any other argument is a search to count in.
FACET_SEARCH_ARGS = {"prefix", "limit"}


@pages.get("/facets/<facet>")
def facet_search(facet: str) -> ResponseReturnValue:
    """List a facet's values matching a prefix: the no-JavaScript facet search."""
    spec = get_facet(facet)
    if spec is None:
        abort(404, description=f"There is no facet “{facet}”.")
    criteria = parse_criteria()
    prefix = request.args.get("prefix", "")[:MAX_NAME]
    # Counted within the search the links below refine, when there is one.
    within = criteria if set(request.args) - FACET_SEARCH_ARGS else None
    values = get_searcher().facet_values(spec.name, prefix=prefix, limit=50, within=within)
    links = links_for(criteria, "pages.search_page")
    items = [dict(v, url=links.add(spec.param, v["value"], spec.exclude_param)) for v in values]
    return render_template(
        "facet.html",
        facet=spec.name,
        heading=spec.label,
        prefix=prefix,
        items=items,
        back=links.url(),
        hidden=links.hidden("prefix"),
    )
