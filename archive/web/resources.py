"""Per-request and per-app resources of the web layer, and helpers every blueprint shares.

The store connection lives on `g` for one request (SQLite connections belong to a
thread); the searcher is opened once per app and shared, since it caches the index's
arrays, until close_searcher(app). Blueprints import from here and never from each other.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

from flask import Flask, current_app, g, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from archive.errors import ArchiveMissing
from archive.facets import all_facets
from archive.search import Criteria, Searcher
from archive.store import Store
from archive.web.presenters import Links

EXTENSION = "newsarchive"
# Read by programs rather than people, like /api/: their errors are JSON too, never a page.
MACHINE_PATHS = frozenset({"/export.csv", "/export.jsonl", "/feed.atom"})


def init_app(app: Flask) -> None:
    """Give the app its shared searcher slot and close each request's store after it."""
    app.extensions[EXTENSION] = {"searcher": None, "lock": threading.Lock()}
    app.teardown_appcontext(close_store)


def get_store() -> Store:
    """Return this request's store connection (sqlite connections are per thread)."""
    if "store" not in g:
        path = current_app.config["ARCHIVE"].store_path
        if not path.exists():
            raise ArchiveMissing(f"there is no archive at {path}")
        g.store = Store(path)
    return g.store


def close_store(_exc: BaseException | None = None) -> None:
    """Close this request's store connection, if it opened one."""
    store = g.pop("store", None)
    if store is not None:
        store.close()


def get_searcher() -> Searcher:
    """Return the app's searcher, opened on first use and kept across requests."""
    ext = current_app.extensions[EXTENSION]
    if ext["searcher"] is None:
        with ext["lock"]:
            if ext["searcher"] is None:
                # IndexMissing propagates (503 page) and the next request retries.
                ext["searcher"] = Searcher(current_app.config["ARCHIVE"])
    return ext["searcher"]


def close_searcher(app: Flask) -> None:
    """Close the app's shared searcher, if one is open; a later request opens a new one.

    For whoever ends an app (tests, a server shutting down): the searcher holds the
    index's files and a store connection for the app's whole life.
    """
    ext = app.extensions[EXTENSION]
    with ext["lock"]:
        searcher, ext["searcher"] = ext["searcher"], None
    if searcher is not None:
        searcher.close()


def parse_criteria(args: Any = None) -> Criteria:
    """Parse request args (or given pairs) into Criteria; SearchError means 400."""
    if args is None:
        args = request.args
    elif not isinstance(args, MultiDict):
        args = MultiDict(args)
    return Criteria.from_args(args)


def links_for(criteria: Criteria, endpoint: str, **values: Any) -> Links:
    """Return a Links object that rebuilds URLs of endpoint from criteria."""
    base = url_for(endpoint, **values)

    def build(pairs: list[tuple[str, str]]) -> str:
        # A results page builds a few hundred links: encode each (key, value) once.
        return base + ("?" + "&".join(_encode_pair(*p) for p in pairs) if pairs else "")

    return Links(criteria.to_args(), build)


@lru_cache(maxsize=8192)
def _encode_pair(key: str, value: str) -> str:
    return quote_plus(key) + "=" + quote_plus(value)


def entity_url(param: str, name: str) -> str:
    """Return the URL of the page of a facet value, by the facet's URL parameter
    ("person", "Lech Wałęsa"), built cheaply (what url_for gives)."""
    page = next((f.page for f in all_facets() if f.param == param and f.page), None)
    if page is None:
        values: dict[str, Any] = {param: name}
        return url_for("pages.search_page", **values)
    return f"{request.script_root}/{page}/{quote(name, safe='/')}"


def wants_json() -> bool:
    """Say whether the client should get errors as JSON (the API, exports and feeds)."""
    return request.path.startswith("/api/") or request.path in MACHINE_PATHS


def error_page(
    status: int, title: str, message: str, hint: str | None = None
) -> ResponseReturnValue:
    """Return an error as JSON where wants_json() says so, else as a page."""
    if wants_json():
        body: dict[str, Any] = {"error": message, "status": status}
        if hint:
            body["hint"] = hint
        return jsonify(body), status
    return render_template(
        "error.html", status=status, title=title, message=message, hint=hint
    ), status
