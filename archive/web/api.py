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
from archive.errors import SearchError
from archive.facets import all_facets
from archive.facets import get as get_facet
from archive.models import Article, format_date
from archive.search import Criteria
from archive.store import Store
from archive.web import presenters as wv
from archive.web.openapi import openapi_document
from archive.web.resources import external_url, get_searcher, get_store, parse_criteria

RowWriter = Callable[[Article, str], str]  # (article, its page's URL) -> one line of output

api = Blueprint("api", __name__)

# Characters XML 1.0 forbids even when escaped; an article may still contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_PREFIX = 300
_SMALL_NUMBER = re.compile("[0-9]{1,3}")
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
    return jsonify(identity.as_indexed(get_store(), found).to_json())  # canonical people


@api.get("/api/facets/<facet>")
def facet_values(facet: str) -> ResponseReturnValue:
    """Return a facet's values starting with ?prefix=, most frequent first: counted within
    the search the other parameters give, or archive-wide without any ("scope" says)."""
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
    # Search parameters beside prefix and limit: counted within that search (issue 9).
    within = parse_criteria() if set(request.args) - {"prefix", "limit"} else None
    values = get_searcher().facet_values(facet, prefix=prefix, limit=int(limit), within=within)
    scope = "archive" if within is None else "search"
    return jsonify({"facet": facet, "prefix": prefix, "scope": scope, "values": values})


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
    registry = identity.load(store)  # people by their canonical names, as the index has them
    for start in range(0, len(ids), batch):
        yield from map(registry.apply, store.get_many(ids[start : start + batch]))


def _export(
    criteria: Criteria, write_row: RowWriter, mimetype: str, filename: str, header: str = ""
) -> Response:
    # Parse and run the first search before streaming, so errors still get a status.
    get_searcher().search(criteria.replace(page=1, per_page=1))
    config = current_app.config["ARCHIVE"]
    # Article ids are URL-safe hex: each link is this prefix and the id.
    link_prefix = external_url("pages.article", article_id="ID").removesuffix("ID")

    def generate() -> Iterator[str]:
        store = Store(config.store_path)  # its own connection: the stream outlives the request
        try:
            if header:
                yield header
            for found in _all_articles(criteria, store):
                yield write_row(found, link_prefix + found.id)
        finally:
            store.close()

    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(stream_with_context(generate()), mimetype=mimetype, headers=headers)


@api.get("/export.csv")
def export_csv() -> Response:
    """Stream every matching article as CSV (no body text), in result order."""

    def row(found: Article, link: str) -> str:
        buffer = io.StringIO()
        data = found.to_json()
        data["link"] = link
        for column in ("people", "outlets", "sources", "cited", "authors"):
            data[column] = "; ".join(data[column])
        csv.writer(buffer).writerow([spreadsheet_safe(data[c] or "") for c in CSV_COLUMNS])
        return buffer.getvalue()

    header = ",".join(CSV_COLUMNS) + "\r\n"
    return _export(parse_criteria(), row, "text/csv", "newsarchive.csv", header)


@api.get("/export.jsonl")
def export_jsonl() -> Response:
    """Stream every matching article as JSON Lines, in result order."""

    def row(found: Article, link: str) -> str:
        return json.dumps(dict(found.to_json(), link=link), ensure_ascii=False) + "\n"

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
