"""Per-request and per-app resources of the web layer, and helpers every blueprint shares.

The store connection lives on `g` for one request (SQLite connections belong to a
thread); the searcher is opened once per app and shared, since it caches the index's
arrays, until close_searcher(app). Blueprints import from here and never from each other.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

from flask import Flask, current_app, g, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from archive.errors import (
    ArchiveError,
    ArchiveMissing,
    ArchiveReadOnly,
    DiskFull,
    IndexDamaged,
    StoreDamaged,
)
from archive.facets import all_facets
from archive.search import Criteria, Searcher
from archive.store import Store
from archive.web.presenters import Links

EXTENSION = "newsarchive"
# Read by programs rather than people, like /api/: their errors are JSON too, never a page.
MACHINE_PATHS = frozenset({"/export.csv", "/export.jsonl", "/feed.atom"})
DEFAULT_PORTS = {"http": "80", "https": "443"}


log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Give the app its shared searcher slot and close each request's store after it."""
    app.extensions[EXTENSION] = {"searcher": None, "lock": threading.Lock()}
    app.before_request(require_archive)
    app.teardown_appcontext(close_store)


# Endpoints that answer without an archive: static files and the API's description.
ARCHIVE_FREE = frozenset({"static", "api.openapi"})


def require_archive() -> None:
    """Answer 503 "no archive here" before any route that reads the archive runs, when the
    home has no store (or a zero-byte one): an index alone is not an archive, and no read
    may create an empty store."""
    if request.endpoint in ARCHIVE_FREE:
        return
    path = current_app.config["ARCHIVE"].store_path
    if not Store.present(path):
        raise ArchiveMissing(f"there is no archive at {path}")


def get_store() -> Store:
    """Return this request's store connection (sqlite connections are per thread)."""
    if "store" not in g:
        path = current_app.config["ARCHIVE"].store_path
        if not Store.present(path):  # reads never create a store, not even an empty one
            raise ArchiveMissing(f"there is no archive at {path}")
        g.store = Store.open_readonly(path)  # the web app only reads: a read-only home serves
    return g.store


def export_store() -> Store:
    """Return a new read-only connection for an export's stream, its articles table checked
    (StoreDamaged, a 503, while a status can still be sent)."""
    store = Store.open_readonly(current_app.config["ARCHIVE"].store_path)
    try:
        store.require_sound_articles()
    except BaseException:
        store.close()
        raise
    return store


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


def site_root() -> str:
    """Return the absolute URL the app lives at, without a trailing slash.

    In order: the configured ARCHIVE_BASE_URL (serve --base-url); behind a trusted proxy,
    the request's URL root (waitress has already dropped forwarded headers from anyone
    else); the address serve() bound (ARCHIVE_SERVED_AT) and the mount prefix; else, under
    another WSGI server, its SERVER_NAME and SERVER_PORT. Never a client's Host header.
    """
    config = current_app.config
    if config.get("ARCHIVE_BASE_URL"):
        return str(config["ARCHIVE_BASE_URL"]).rstrip("/")
    if config.get("ARCHIVE_TRUST_FORWARDED"):
        return request.url_root.rstrip("/")
    if config.get("ARCHIVE_SERVED_AT"):
        return str(config["ARCHIVE_SERVED_AT"]) + request.script_root
    environ = request.environ
    scheme = environ.get("wsgi.url_scheme", "http")
    host = str(environ.get("SERVER_NAME") or "localhost")
    if ":" in host and not host.startswith("["):  # an IPv6 address
        host = f"[{host}]"
    port = str(environ.get("SERVER_PORT") or "")
    if port and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}{request.script_root}"


def external_url(endpoint: str, **values: Any) -> str:
    """Return the absolute URL of endpoint under site_root() (feeds, exports' links)."""
    path = url_for(endpoint, **values)
    return site_root() + path[len(request.script_root) :]


def wants_json() -> bool:
    """Say whether the client should get errors as JSON (the API, exports and feeds)."""
    return request.path.startswith("/api/") or request.path in MACHINE_PATHS


def error_page(
    status: int, title: str, message: str, hint: str | None = None
) -> ResponseReturnValue:
    """Return an error as JSON where wants_json() says so, else as a page.

    The client never sees the server's own paths: the archive home in a message (a missing
    store, a damaged file) reads "the archive home"; the server's log keeps the whole text.
    """
    message = without_server_paths(message)
    if wants_json():
        body: dict[str, Any] = {"error": message, "status": status}
        if hint:
            body["hint"] = hint
        return jsonify(body), status
    return render_template(
        "error.html", status=status, title=title, message=message, hint=hint
    ), status


def without_server_paths(message: str) -> str:
    """Return message with the archive home's path (as configured and resolved) replaced."""
    config = current_app.config.get("ARCHIVE")
    if config is None:
        return message
    home = config.home
    # Absolute forms only: a relative home ("index") is also an everyday word.
    for path in sorted({str(home.resolve()), str(home.absolute())}, key=len, reverse=True):
        if path in message:
            log.warning("%s", message)
            message = message.replace(path, "the archive home")
    return message


# A fault of the archive's files, its page's title and the fix (a 503: the server is fine).
FAULT_TITLES: dict[type[ArchiveError], tuple[str, str]] = {
    IndexDamaged: ("The search index is damaged", "newsarchive reindex"),
    StoreDamaged: ("The archive's store is damaged", "restore archive.sqlite3 from a backup"),
    ArchiveReadOnly: ("The archive is read-only", "run ingest and reindex as its owner"),
    DiskFull: ("The disk is full", "free some space"),
}


def fault_page(exc: ArchiveError) -> ResponseReturnValue:
    """Return the 503 page of a fault of the archive's files (diagnosis.py names them)."""
    title, hint = next(
        (found for kind, found in FAULT_TITLES.items() if isinstance(exc, kind)),
        ("The archive cannot be read", "newsarchive check"),
    )
    message = str(exc)
    return error_page(503, title, f"{message[:1].upper()}{message[1:]}.", hint)
