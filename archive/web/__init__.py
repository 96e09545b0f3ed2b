"""The Flask web app: search pages, the JSON API, exports and feeds, served by waitress.

__init__.py   create_app() (the app factory), error pages, security headers
server.py     build_server() (one guarded waitress server), serve() (worker processes)
prefork.py    the guards (timeouts, stalled readers, overload 503) and the worker processes
resources.py  the request's store on `g`, the app's shared searcher (close_searcher), URL helpers
pages.py      the pages blueprint: search, article, a facet value's page, facet search
api.py        the API blueprint: JSON search, articles, facet values, OpenAPI, exports, Atom
openapi.py    the OpenAPI document, its facet parameters filled in from the registry
presenters.py view helpers without Flask: links, facet lists, chips, paging
timelines.py  date views without Flask: the histogram, timelines, date formats
forms.py      the search form as typed when it cannot run: which field to fix, what to keep
results_view.py  the results list: titles with the query marked, per page, "leave out undated"
localtime.py  article times in the display zone (ARCHIVE_TIMEZONE), UTC on hover
trends.py     the trends blueprint: up to five searches per month, as a page, JSON and CSV
trend_chart.py  the trends chart's SVG geometry and table, without Flask
saved.py      the saved searches blueprint: save, list, delete, an Atom feed each
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import logging
import threading
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, NotFound

from archive.config import Config
from archive.diagnosis import diagnose
from archive.errors import ArchiveMissing, IndexMissing, SearchError, SearchTimeout, ServerBusy
from archive.search.criteria import MAX_QUERY
from archive.web import presenters as view
from archive.web import timelines
from archive.web.resources import (
    FAULT_TITLES,
    entity_url,
    error_page,
    fault_page,
    init_app,
    wants_json,
)
from archive.web.server import RETRY_AFTER, Server, build_server, serve

log = logging.getLogger(__name__)

# No inline script or style anywhere: the templates only load /static files,
# so injected markup in an article could never run even if escaping failed.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def templates_dir() -> Path:
    """Find the templates: inside the installed package, else the repo's templates/."""
    try:
        found = importlib.resources.files("archive.templates")
        if found.joinpath("base.html").is_file():
            return Path(str(found))
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "templates"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; test_config overrides ARCHIVE_HOME and the other settings."""
    from archive.web.api import EXPORT_SLOTS, api
    from archive.web.pages import pages
    from archive.web.saved import saved
    from archive.web.trends import trends

    folder = templates_dir()
    app = Flask(__name__, template_folder=str(folder), static_folder=str(folder / "static"))
    app.config.from_mapping(
        ARCHIVE_HOME=None,  # None: NEWSARCHIVE_HOME or ./index, as the CLI does
        ARCHIVE_TIMEZONE=None,  # the zone pages show times in (serve --timezone); None: UTC
        FEED_SIZE=50,  # entries per Atom feed
        EXPORT_BATCH=500,  # articles read from the store at a time while streaming an export
        EXPORT_CONCURRENCY=2,  # exports streaming at once per process; more get 503
        FACET_SHOWN=8,  # facet values shown before "show more"
        # The public URL for absolute links (feeds, exports); None: the served address.
        ARCHIVE_BASE_URL=None,
        # Seconds one search may run (README: Limits); None: NEWSARCHIVE_SEARCH_TIMEOUT or 5.
        ARCHIVE_SEARCH_TIMEOUT=None,
    )
    if test_config:
        app.config.update(test_config)
    config = Config.load(app.config["ARCHIVE_HOME"], app.config["ARCHIVE_TIMEZONE"])
    if app.config["ARCHIVE_SEARCH_TIMEOUT"] is not None:
        config = dataclasses.replace(
            config, search_timeout=float(app.config["ARCHIVE_SEARCH_TIMEOUT"])
        )
    app.config["ARCHIVE"] = config
    init_app(app)
    app.extensions[EXPORT_SLOTS] = threading.BoundedSemaphore(app.config["EXPORT_CONCURRENCY"])
    app.jinja_env.filters.update(
        nice_date=timelines.nice_date,
        iso_date=timelines.iso_date,
        marks=view.marks_only,
        month_label=timelines.month_label,
    )
    # max_query: the search box stops where the server would refuse (Criteria.validate).
    app.jinja_env.globals.update(entity_url=entity_url, max_query=MAX_QUERY)
    app.register_blueprint(pages)
    app.register_blueprint(api)
    app.register_blueprint(trends)
    app.register_blueprint(saved)
    app.after_request(_secure_headers)
    _register_errors(app)
    return app


def _register_errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        message = exc.description or exc.name
        if isinstance(exc, NotFound) and message == NotFound.description:
            message = "There is nothing at this address."
        return error_page(exc.code or 500, exc.name, message)

    @app.errorhandler(IndexMissing)
    def index_missing(exc: IndexMissing) -> ResponseReturnValue:
        return error_page(
            503,
            "The search index is missing",
            f"The archive has no usable search index ({exc}).",
            "newsarchive reindex",
        )

    @app.errorhandler(ArchiveMissing)
    def archive_missing(exc: ArchiveMissing) -> ResponseReturnValue:
        message = str(exc)
        return error_page(
            503,
            "No archive here yet",
            f"{message[:1].upper()}{message[1:]}.",
            "newsarchive ingest PATH… (or make demo)",
        )

    @app.errorhandler(SearchError)
    def bad_search(exc: SearchError) -> ResponseReturnValue:
        return error_page(400, "That search cannot run", str(exc) or "The search is not valid.")

    @app.errorhandler(SearchTimeout)
    def too_slow(exc: SearchTimeout) -> ResponseReturnValue:
        # Busy rather than wrong: the same search may finish when the server is idler.
        return retry_later("That search took too long", str(exc))

    @app.errorhandler(ServerBusy)
    def busy(exc: ServerBusy) -> ResponseReturnValue:
        return retry_later("The archive is busy", f"{str(exc)[:1].upper()}{str(exc)[1:]}.")

    for fault in FAULT_TITLES:
        app.register_error_handler(fault, fault_page)

    @app.errorhandler(Exception)
    def crash(exc: Exception) -> ResponseReturnValue:
        # A damaged or read-only store, a full disk, a damaged index file: said as such.
        diagnosed = diagnose(app.config["ARCHIVE"], exc)
        if diagnosed is not None:
            log.error("%s (on %s)", diagnosed, request.path)
            return fault_page(diagnosed)
        # Log the traceback for the operator; the client gets no internals.
        log.exception("unhandled error on %s", request.path)
        return error_page(
            500,
            "Something went wrong",
            "The archive could not answer this request. It has been logged.",
        )


def retry_later(title: str, message: str) -> Response:
    """Return a 503 with Retry-After: JSON for machine paths, else the error page with a
    search box that keeps what the user typed."""
    if wants_json():
        response = jsonify({"error": message, "status": 503})
    else:
        response = make_response(
            render_template(
                "error.html",
                status=503,
                title=title,
                message=message,
                query=request.args.get("q", ""),
            )
        )
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _secure_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


__all__ = ["Server", "build_server", "create_app", "serve", "templates_dir"]
