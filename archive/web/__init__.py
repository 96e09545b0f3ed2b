"""The Flask web app: search pages, the JSON API, exports and feeds, served by waitress.

__init__.py   create_app() (the app factory), error pages, security headers, build_server(), serve()
resources.py  the request's store on `g`, the app's shared searcher (close_searcher), URL helpers
pages.py      the pages blueprint: search, article, a facet value's page, facet search
api.py        the API blueprint: JSON search, articles, facet values, OpenAPI, exports, Atom
openapi.py    the OpenAPI document, its facet parameters filled in from the registry
presenters.py view helpers without Flask: links, facet lists, chips, paging
timelines.py  date views without Flask: the histogram, timelines, date formats
"""

from __future__ import annotations

import importlib.resources
import logging
import socket
from pathlib import Path
from typing import Any, NamedTuple

from flask import Flask, Response, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, NotFound

from archive.config import Config
from archive.errors import ArchiveMissing, IndexMissing, SearchError
from archive.search.criteria import MAX_QUERY
from archive.web import presenters as view
from archive.web import timelines
from archive.web.resources import entity_url, error_page, init_app

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
    from archive.web.api import api
    from archive.web.pages import pages

    folder = templates_dir()
    app = Flask(__name__, template_folder=str(folder), static_folder=str(folder / "static"))
    app.config.from_mapping(
        ARCHIVE_HOME=None,  # None: NEWSARCHIVE_HOME or ./index, as the CLI does
        ARCHIVE_TIMEZONE=None,
        FEED_SIZE=50,  # entries per Atom feed
        EXPORT_BATCH=500,  # articles read from the store at a time while streaming an export
        FACET_SHOWN=8,  # facet values shown before "show more"
        # The public URL for absolute links (feeds, exports); None: the served address.
        ARCHIVE_BASE_URL=None,
    )
    if test_config:
        app.config.update(test_config)
    app.config["ARCHIVE"] = Config.load(app.config["ARCHIVE_HOME"], app.config["ARCHIVE_TIMEZONE"])
    init_app(app)
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

    @app.errorhandler(Exception)
    def crash(exc: Exception) -> ResponseReturnValue:
        # Log the traceback for the operator; the client gets no internals.
        log.exception("unhandled error on %s", request.path)
        return error_page(
            500,
            "Something went wrong",
            "The archive could not answer this request. It has been logged.",
        )


def _secure_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


class Server(NamedTuple):
    """A bound waitress server and the app it serves (whose searcher its owner closes)."""

    app: Flask
    waitress: Any  # waitress.server.BaseWSGIServer: run(), close(), effective_port


def build_server(
    config: Config,
    host: str = "127.0.0.1",
    port: int = 5000,
    *,
    threads: int = 4,
    url_prefix: str = "",
    trusted_proxy: str | None = None,
    base_url: str | None = None,
) -> Server:
    """Return a waitress server of the archive, bound and ready to run (port 0: any free one).

    Absolute links (feeds, exports) go under base_url when given; else under the trusted
    proxy's forwarded address when there is a proxy; else under the address bound here.
    """
    from waitress.server import create_server

    app = create_app(
        {
            "ARCHIVE_HOME": str(config.home),
            "ARCHIVE_TIMEZONE": config.timezone,
            "ARCHIVE_BASE_URL": base_url,
        }
    )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "threads": threads,
        "ident": "newsarchive",
        "url_prefix": url_prefix,
    }
    if trusted_proxy:
        # Believe X-Forwarded-* only from the proxy, so links and feeds use the public URL.
        options.update(
            trusted_proxy=trusted_proxy,
            clear_untrusted_proxy_headers=True,
            trusted_proxy_headers="x-forwarded-for x-forwarded-host "
            "x-forwarded-proto x-forwarded-port",
        )
    server = create_server(app, **options)
    if trusted_proxy:
        app.config["ARCHIVE_TRUST_FORWARDED"] = True
    else:
        # A name bound on several sockets (localhost: IPv4 and IPv6) has no single
        # effective port; the port asked for is then the one bound.
        bound = getattr(server, "effective_port", port)
        app.config["ARCHIVE_SERVED_AT"] = f"http://{url_host(host)}:{bound}"
    return Server(app, server)


def url_host(host: str) -> str:
    """Return a bound address as a URL's host: a wildcard as this machine's name, an IPv6
    address in brackets."""
    if host in ("", "0.0.0.0", "::"):
        return socket.getfqdn()
    return f"[{host}]" if ":" in host else host


def serve(
    config: Config,
    host: str = "127.0.0.1",
    port: int = 5000,
    *,
    threads: int = 4,
    url_prefix: str = "",
    trusted_proxy: str | None = None,
    base_url: str | None = None,
) -> None:
    """Serve the archive with waitress until interrupted (see build_server)."""
    server = build_server(
        config,
        host,
        port,
        threads=threads,
        url_prefix=url_prefix,
        trusted_proxy=trusted_proxy,
        base_url=base_url,
    ).waitress
    logging.basicConfig()  # as waitress.serve does: its "Serving on" line is logged
    server.print_listen("Serving on http://{}:{}")
    server.run()


__all__ = ["build_server", "create_app", "serve", "templates_dir"]
