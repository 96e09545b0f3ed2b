"""The saved searches blueprint: name the current search, list and delete, an Atom feed each.

    GET  /saved                  the list: each search opens, compares over time, has a feed
    POST /saved                  save: `name` and `state` (the search page's URL arguments);
                                 a bad name or search answers 400 with the form as typed
    POST /saved/<id>/delete      delete one
    GET  /saved/<id>.atom        the newest articles of that search, for alerts

No accounts: the archive is its user's. Forms come only from the archive's own pages: a
POST whose Origin is another site is refused (403), so no other page can save or delete.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from archive.errors import ArchiveReadOnly, SearchError
from archive.models import format_date
from archive.search import Criteria
from archive.search.trends import SAVED_WITHOUT, SEARCH, describe, parse_state
from archive.store import Store
from archive.store_saved import MAX_NAME, SavedSearch
from archive.web import presenters as view
from archive.web.resources import external_url, get_searcher, get_store

saved = Blueprint("saved", __name__)

_ID = re.compile("[0-9]{1,12}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def canonical_state(state: str) -> tuple[Criteria, str]:
    """Return the criteria of a search state and the state as saved (SearchError when no
    search can use it)."""
    return parse_state(state, SAVED_WITHOUT)


def _entry(found: SavedSearch) -> dict[str, Any]:
    """Return what the list shows of a saved search, with its links."""
    pairs = parse_qsl(found.state)
    query = f"?{found.state}" if found.state else ""
    return {
        "id": found.id,
        "name": found.name,
        "summary": describe(pairs) or "every article",
        "created": found.created_at[:10],
        "search_url": url_for("pages.search_page") + query,
        "feed_url": url_for("saved.feed", search_id=found.id),
        "trend_url": url_for("trends.page", series=f"{SEARCH}:{found.state}")
        if found.state
        else "",
        "delete_url": url_for("saved.delete", search_id=found.id),
    }


def _listing(name: str = "", state: str = "", error: str = "", added: int | None = None) -> str:
    return render_template(
        "saved.html",
        searches=[_entry(s) for s in get_store().saved_searches()],
        name=name,
        state=state,
        pending=describe(parse_qsl(state)) or "every article",
        error=error,
        added=added,
        max_name=MAX_NAME,
    )


def writable_store() -> Store:
    """Open the store for writing (the request's own store only reads); ArchiveReadOnly
    when the home cannot be written."""
    return Store(current_app.config["ARCHIVE"].store_path)


@saved.get("/saved")
def listing() -> ResponseReturnValue:
    """List the saved searches (the newest first)."""
    added = request.args.get("added", "")
    return _listing(added=int(added) if _ID.fullmatch(added) else None)


def _same_origin() -> None:
    """Refuse a form posted from another site (403): saving and deleting are the user's."""
    origin = request.headers.get("Origin")
    elsewhere = origin and origin != "null" and urlsplit(origin).netloc != request.host
    if elsewhere or request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403, description="Saved searches change only from this archive's own pages.")


@saved.post("/saved")
def add() -> ResponseReturnValue:
    """Save the posted search under the posted name; 400 with the form kept when either is
    bad."""
    _same_origin()
    name, state = request.form.get("name", ""), request.form.get("state", "")
    try:
        _, state = canonical_state(state)
        with writable_store() as store:
            found = store.add_saved_search(name, state)
    except SearchError as error:
        return _listing(name=name, state=state, error=str(error)), 400
    except ArchiveReadOnly as error:
        return _listing(name=name, state=state, error=str(error)), 503
    return redirect(url_for("saved.listing", added=found.id), 303)


@saved.post("/saved/<int:search_id>/delete")
def delete(search_id: int) -> ResponseReturnValue:
    """Delete one saved search, then show the list."""
    _same_origin()
    with writable_store() as store:
        if not store.remove_saved_search(search_id):
            abort(404, description="There is no such saved search (deleted already?).")
    return redirect(url_for("saved.listing"), 303)


@saved.get("/saved/<int:search_id>.atom")
def feed(search_id: int) -> ResponseReturnValue:
    """Return an Atom feed of the newest articles of a saved search."""
    found = get_store().saved_search(search_id)
    if found is None:
        abort(404, description="There is no such saved search.")
    criteria, state = canonical_state(found.state)
    size = current_app.config["FEED_SIZE"]
    results = get_searcher().search(criteria.replace(sort="newest", page=1, per_page=size))
    dates = [_aware(h.date) for h in results.hits if h.date]
    updated = max(dates, default=datetime.now(UTC))
    self_url = external_url("saved.feed", search_id=search_id)
    body = render_template(
        "feed.xml",
        hits=results.hits,
        title=f"saved search “{found.name}”",
        updated=format_date(updated),
        self_url=self_url,
        html_url=external_url("pages.search_page") + (f"?{state}" if state else ""),
        feed_id=self_url,
        article_url=lambda hit: external_url("pages.article", article_id=hit.id),
        entry_date=lambda hit: format_date(_aware(hit.date) if hit.date else updated),
        plain=lambda snippet: xml_text(view.plain(snippet)),
        xml_text=xml_text,
    )
    return Response(body, mimetype="application/atom+xml")


def xml_text(value: object) -> str:
    """Drop the characters XML 1.0 cannot carry, even escaped (autoescaping does the rest)."""
    return _NOT_XML.sub("", str(value or ""))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
