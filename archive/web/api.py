"""The JSON API, streamed exports (CSV, JSON Lines) and Atom feeds.

Errors on all of these paths are JSON ({"error": ..., "status": ...}), never a page:
see resources.wants_json().
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    stream_with_context,
)
from flask.typing import ResponseReturnValue

from archive import identity
from archive.errors import SearchError, ServerBusy
from archive.facets import all_facets
from archive.facets import get as get_facet
from archive.models import Article, format_date
from archive.search import Criteria
from archive.search.highlight import snippet
from archive.sources import public_source
from archive.store import Store
from archive.web import presenters as wv
from archive.web.openapi import openapi_document
from archive.web.resources import (
    export_store,
    external_url,
    get_searcher,
    get_store,
    parse_criteria,
)
from archive.web.results_view import query_terms

RowWriter = Callable[[Article, str], str]  # (article, its page's URL) -> one line of output

api = Blueprint("api", __name__)
EXPORT_SLOTS = "newsarchive_exports"  # app.extensions: the semaphore of concurrent exports

# Characters XML 1.0 forbids even when escaped; an article may still contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_PREFIX = 300
_SMALL_NUMBER = re.compile("[0-9]{1,3}")
_OFFSET = re.compile("[0-9]{1,7}")
FACET_VALUE_ARGS = {"prefix", "limit", "offset"}  # the value list's own; others are a search
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Outlets in either role, then apart: who published it (sources) and whom it cites.
CSV_COLUMNS = (
    "id",
    "date",
    "title",
    "section",
    "people",
    "outlets",
    "sources",
    "cited",
    "authors",
    "url",
    "link",
    "snippet",  # the body's passage around the query's words (its start without a query)
)


@api.get("/api/search")
def search() -> ResponseReturnValue:
    """Return the same JSON as `newsarchive search --json`."""
    return jsonify(get_searcher().search(parse_criteria()).to_json())


@api.get("/api/articles/<article_id>")
def article(article_id: str) -> ResponseReturnValue:
    """Return one article's JSON."""
    found = get_store().get(article_id) if len(article_id) <= 64 else None
    if found is None:
        abort(404, description=f"No article has the id “{article_id}”.")
    return jsonify(public_json(identity.as_indexed(get_store(), found)))  # canonical people


@api.get("/api/facets/<facet>")
def facet_values(facet: str) -> ResponseReturnValue:
    """Return a facet's values with a word starting with ?prefix=, most frequent first,
    ?limit= of them from ?offset=: counted within the search the other parameters give, or
    archive-wide without any ("scope" says); "matched" counts the values over all pages."""
    if get_facet(facet) is None:
        names = ", ".join(f.name for f in all_facets())
        abort(404, description=f"Unknown facet “{facet}”; use one of {names}.")
    prefix = request.args.get("prefix", "")
    if len(prefix) > MAX_PREFIX:
        raise SearchError(f"prefix is longer than {MAX_PREFIX} characters")
    limit = request.args.get("limit", "20")
    # str.isdigit() accepts "²" and 5,000-digit strings, which int() then refuses.
    if not _SMALL_NUMBER.fullmatch(limit) or not 1 <= int(limit) <= 100:
        raise SearchError("limit must be a whole number from 1 to 100")
    offset = request.args.get("offset", "0")
    if not _OFFSET.fullmatch(offset):
        raise SearchError("offset must be a whole number from 0 to 9,999,999")
    # Search parameters beside these: counted within that search (issue 9).
    within = parse_criteria() if set(request.args) - FACET_VALUE_ARGS else None
    found = get_searcher().facet_page(facet, prefix, int(offset), int(limit), within)
    scope = "archive" if within is None else "search"
    return jsonify(
        {
            "facet": facet,
            "prefix": prefix,
            "scope": scope,
            "values": found.values,
            "offset": found.offset,
            "matched": found.matched,
        }
    )


@api.get("/api/openapi.json")
def openapi() -> ResponseReturnValue:
    """Return the OpenAPI document describing this API."""
    return jsonify(openapi_document())


@api.get("/api/<path:_rest>")
def api_not_found(_rest: str) -> ResponseReturnValue:
    """Answer unknown API paths with a JSON 404 (not the HTML page)."""
    abort(404, description="No such API endpoint; see /api/openapi.json.")


# -- exports -----------------------------------------------------------------


def _all_articles(criteria: Criteria, store: Store) -> Iterator[Article]:
    """Yield every stored article criteria match, in the criteria's order, a batch at a time."""
    batch = current_app.config["EXPORT_BATCH"]
    ids = get_searcher().ordered_ids(criteria)
    shown = identity.displayed(store)  # canonical people, then hand curation (hidden left out)
    for start in range(0, len(ids), batch):
        yield from map(shown, store.get_many(ids[start : start + batch]))


def _export(
    criteria: Criteria, write_row: RowWriter, mimetype: str, filename: str, header: str = ""
) -> Response:
    # Parse and run the first search before streaming, so errors still get a status.
    get_searcher().search(criteria.replace(page=1, per_page=1))
    # Its own connection (the stream outlives the request), checked before the 200: a
    # damaged store must not cut a stream that has already said all is well.
    store = export_store()
    # Exports at once per process are capped (README: Limits): a slot is held until the
    # server closes the stream, whether it ended, failed or its client went away.
    slots = current_app.extensions[EXPORT_SLOTS]
    if not slots.acquire(blocking=False):
        store.close()
        raise ServerBusy("the server is already streaming its exports at most: try again soon")
    # Article ids are URL-safe hex: each link is this prefix and the id.
    link_prefix = external_url("pages.article", article_id="ID").removesuffix("ID")

    def generate() -> Iterator[str]:
        try:
            if header:
                yield header
            for found in _all_articles(criteria, store):
                yield write_row(found, link_prefix + found.id)
        finally:
            store.close()

    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    response = Response(stream_with_context(generate()), mimetype=mimetype, headers=headers)
    response.call_on_close(slots.release)
    return response


@api.get("/export.csv")
def export_csv() -> Response:
    """Stream every matching article as CSV (a snippet, no body text), in result order."""
    criteria = parse_criteria()
    terms = query_terms(criteria.q)  # found once: each row's snippet marks the same words

    def row(found: Article, link: str) -> str:
        buffer = io.StringIO()
        data = public_json(found)
        data["link"] = link
        data["snippet"] = wv.plain(snippet(found.body, terms))
        for column in ("people", "outlets", "sources", "cited", "authors"):
            data[column] = "; ".join(data[column])
        csv.writer(buffer).writerow([spreadsheet_safe(data[c] or "") for c in CSV_COLUMNS])
        return buffer.getvalue()

    header = ",".join(CSV_COLUMNS) + "\r\n"
    return _export(criteria, row, "text/csv", "newsarchive.csv", header)


@api.get("/export.jsonl")
def export_jsonl() -> Response:
    """Stream every matching article as JSON Lines, in result order."""

    def row(found: Article, link: str) -> str:
        return json.dumps(dict(public_json(found), link=link), ensure_ascii=False) + "\n"

    return _export(parse_criteria(), row, "application/x-ndjson", "newsarchive.jsonl")


@api.get("/feed.atom")
def feed() -> Response:
    """Return an Atom feed of the newest articles matching the search."""
    criteria = parse_criteria()
    size = current_app.config["FEED_SIZE"]
    results = get_searcher().search(criteria.replace(sort="newest", page=1, per_page=size))
    pairs = [(k, v) for k, v in criteria.to_args() if k not in ("page", "per_page", "sort")]
    query = ("?" + urlencode(pairs)) if pairs else ""
    dates = [h.date for h in results.hits if h.date]
    updated = max((_as_datetime(d) for d in dates), default=datetime.now(UTC))
    title = " · ".join(f"{k} {v}" for k, v in pairs) or "everything"
    body = render_template(
        "feed.xml",
        hits=results.hits,
        title=title,
        updated=format_date(updated),
        self_url=external_url("api.feed") + query,
        html_url=external_url("pages.search_page") + query,
        feed_id=external_url("api.feed") + query,
        article_url=lambda hit: external_url("pages.article", article_id=hit.id),
        entry_date=lambda hit: format_date(_as_datetime(hit.date) if hit.date else updated),
        plain=lambda snippet: xml_text(wv.plain(snippet)),
        xml_text=xml_text,
    )
    return Response(body, mimetype="application/atom+xml")


def public_json(found: Article) -> dict[str, Any]:
    """Return an article's JSON as the web gives it: its source named relative to what was
    ingested, never by the server's absolute path (archive/sources.py)."""
    data = found.to_json()
    data["source"] = public_source(found.source)
    return data


def spreadsheet_safe(value: object) -> str:
    """Return a CSV cell a spreadsheet shows as text: a leading ' when it would start a
    formula (=, +, -, @, tab, carriage return), as spreadsheet-safety guidance advises."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def xml_text(value: object) -> str:
    """Drop the characters XML cannot carry (autoescaping does the rest)."""
    return _NOT_XML.sub("", str(value or ""))


def _as_datetime(value: datetime | date | str) -> datetime:
    """Return a date as an aware datetime (naive ones are UTC) for the feed's timestamps."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
