"""The Flask web app: search, article, person and outlet pages, error pages, and serve()."""

from __future__ import annotations

import importlib.resources
import logging
import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, quote_plus, urlencode

from flask import Blueprint, Flask, abort, current_app, g, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from archive import webview as wv
from archive.config import Config
from archive.search import Criteria, IndexMissing, SearchError, Searcher, highlight
from archive.store import Store

log = logging.getLogger(__name__)
bp = Blueprint("pages", __name__)

# No inline script or style anywhere: the templates only load /static files,
# so injected markup in an article could never run even if escaping failed.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
ENTITIES = {"person": ("people", "People"), "outlet": ("outlets", "Outlets")}
MAX_NAME = 300


class ArchiveMissing(Exception):
    """The store file does not exist yet."""


def templates_dir() -> Path:
    """Find the templates: inside the installed package, else the repo's templates/."""
    try:
        found = importlib.resources.files("archive.templates")
        if found.joinpath("base.html").is_file():
            return Path(str(found))
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "templates"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; test_config overrides ARCHIVE_HOME and the other settings."""
    folder = templates_dir()
    app = Flask(__name__, template_folder=str(folder), static_folder=str(folder / "static"))
    app.config.from_mapping(
        ARCHIVE_HOME=None,        # None: NEWSARCHIVE_HOME or ./index, as the CLI does
        ARCHIVE_TIMEZONE=None,
        FEED_SIZE=50,             # entries per Atom feed
        EXPORT_BATCH=500,         # articles read from the store at a time while streaming an export
        FACET_SHOWN=8,            # facet values shown before "show more"
    )
    if test_config:
        app.config.update(test_config)
    app.config["ARCHIVE"] = Config.load(app.config["ARCHIVE_HOME"], app.config["ARCHIVE_TIMEZONE"])
    app.extensions["newsarchive"] = {"searcher": None, "lock": threading.Lock()}
    app.jinja_env.filters.update(nice_date=wv.nice_date, iso_date=wv.iso_date,
                                 marks=wv.marks_only, month_label=wv.month_label)
    app.jinja_env.globals.update(entity_url=entity_url)
    app.register_blueprint(bp)
    from archive.webapi import api  # imports this module, so only once it is complete
    app.register_blueprint(api)
    app.teardown_appcontext(_close_store)
    app.after_request(_secure_headers)
    _register_errors(app)
    return app


# -- per-request and per-app resources -------------------------------------

def get_store() -> Store:
    """Return this request's store connection (sqlite connections are per thread)."""
    if "store" not in g:
        path = current_app.config["ARCHIVE"].store_path
        if not path.exists():
            raise ArchiveMissing(str(path))
        g.store = Store(path)
    return g.store


def _close_store(_exc=None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.close()


def get_searcher() -> Searcher:
    """Return the app's searcher, opened on first use and kept across requests."""
    ext = current_app.extensions["newsarchive"]
    if ext["searcher"] is None:
        with ext["lock"]:
            if ext["searcher"] is None:
                # IndexMissing propagates (503 page) and the next request retries.
                ext["searcher"] = Searcher(current_app.config["ARCHIVE"])
    return ext["searcher"]


def parse_criteria(args=None) -> Criteria:
    """Parse request args (or given pairs) into Criteria; SearchError means 400."""
    if args is None:
        args = request.args
    elif not isinstance(args, MultiDict):
        args = MultiDict(args)
    return Criteria.from_args(args)


def links_for(criteria: Criteria, endpoint: str, **values) -> wv.Links:
    """Return a Links object that rebuilds URLs of endpoint from criteria."""
    base = url_for(endpoint, **values)
    # A results page builds a few hundred links: encode each (key, value) once.
    return wv.Links(criteria.to_args(),
                    lambda pairs: base + ("?" + "&".join(_encode_pair(*p) for p in pairs) if pairs else ""))


@lru_cache(maxsize=8192)
def _encode_pair(key: str, value: str) -> str:
    return quote_plus(key) + "=" + quote_plus(value)


def entity_url(kind: str, name: str) -> str:
    """Return the URL of a person's or outlet's page (what url_for gives, built cheaply)."""
    return f"{request.script_root}/{ENTITIES[kind][0]}/{quote(name, safe='/')}"


# -- pages -------------------------------------------------------------------

@bp.get("/")
def search_page():
    """Render the faceted search page for the criteria in the URL."""
    criteria = parse_criteria()
    links = links_for(criteria, "pages.search_page")
    if not links.pairs and get_store().count() == 0:  # only the bare home page pays for this
        return error_page(503, "The archive is empty",
                          "There are no articles to search yet.",
                          "newsarchive ingest PATH… (or make demo)")
    results = get_searcher().search(criteria)
    shown = current_app.config["FACET_SHOWN"]
    return render_template(
        "search.html", criteria=criteria, results=results, links=links,
        facets=wv.facet_blocks(results.facets, links, shown), chips=wv.chips(links),
        histogram=wv.histogram(results.facets, links),
        page_numbers=wv.page_window(results.page, results.pages),
        state=urlencode(links.pairs))


@bp.get("/articles/<article_id>")
def article(article_id: str):
    """Render one article, highlighting the search that led here."""
    if len(article_id) > 64:
        abort(404)
    found = get_store().get(article_id)
    if found is None:
        abort(404, description=f"No article has the id “{article_id}”.")
    try:  # the search state is a courtesy here: a bad one is dropped, not a 400
        criteria = parse_criteria() if request.args else None
    except SearchError:
        criteria = None
    query = (getattr(criteria, "q", "") or "") if criteria else ""
    try:
        similar = get_searcher().more_like_this(found.id, limit=5)
    except SearchError:  # no index yet, or the article is not indexed: still show it
        similar = []
    back = links_for(criteria, "pages.search_page").url() if criteria else None
    return render_template(
        "article.html", article=found, query=query, back=back, similar=similar,
        title_html=wv.marks_only(highlight(found.title, query)) if query else None,
        paragraphs=[wv.marks_only(highlight(p, query)) if query else p
                    for p in wv.paragraphs(found.body)],
        source_href=wv.safe_href(found.url))


@bp.get("/<any(people, outlets):kind>/<path:name>")
def entity(kind: str, name: str):
    """Render a person's or outlet's page: counts, timeline, companions, latest articles."""
    key = "person" if kind == "people" else "outlet"
    if not name.strip() or len(name) > MAX_NAME:
        abort(404)
    searcher = get_searcher()
    # A field query (not a filter) so that the facets count what co-occurs with
    # the name; filters make a facet's counts ignore its own selection.
    if '"' not in name:
        query = f'{key}:"{name}"'
        results = searcher.search(parse_criteria([("q", query), ("sort", "newest"), ("per_page", "10")]))
    else:
        results = searcher.search(parse_criteria([(key, name), ("sort", "newest"), ("per_page", "10")]))
    if results.total == 0:
        abort(404, description=f"No article mentions “{name}”.")
    own = results.facets.get(kind, [])
    display = next((i["value"] for i in own if i["value"].casefold() == name.casefold()), name)
    people = [i for i in results.facets.get("people", []) if i["value"].casefold() != name.casefold()]
    outlets = [i for i in results.facets.get("outlets", []) if i["value"].casefold() != name.casefold()]
    search_url = url_for("pages.search_page") + "?" + urlencode([(key, display)])
    return render_template(
        "entity.html", kind=key, name=display, results=results, search_url=search_url,
        timeline=wv.timeline(results.facets.get("months", [])),
        people=people[:15], outlets=outlets[:15])


@bp.get("/facets/<any(people, outlets, sections):facet>")
def facet_search(facet: str):
    """List a facet's values matching a prefix: the no-JavaScript facet search."""
    criteria = parse_criteria()
    prefix = request.args.get("prefix", "")[:MAX_NAME]
    values = get_searcher().facet_values(facet, prefix=prefix, limit=50)
    links = links_for(criteria, "pages.search_page")
    key, exclude = wv.FACET_PARAMS[facet]
    items = [dict(v, url=links.add(key, v["value"], exclude)) for v in values]
    return render_template("facet.html", facet=facet, heading=facet.capitalize(), prefix=prefix,
                           items=items, back=links.url(), hidden=links.hidden("prefix"))


# -- errors and headers ------------------------------------------------------

def wants_json() -> bool:
    """Say whether the client should get errors as JSON (the API, exports, feeds)."""
    return request.path.startswith("/api/")


def error_page(status: int, title: str, message: str, hint: str | None = None):
    """Return an error as JSON under /api/, else as a page."""
    if wants_json():
        body = {"error": message, "status": status}
        if hint:
            body["hint"] = hint
        return jsonify(body), status
    return render_template("error.html", status=status, title=title, message=message,
                           hint=hint), status


def _register_errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = exc.description or exc.name
        if exc.code == 404 and message == HTTPException.description:
            message = "There is nothing at this address."
        return error_page(exc.code or 500, exc.name, message)

    @app.errorhandler(IndexMissing)
    def index_missing(exc: IndexMissing):
        return error_page(503, "The search index is missing",
                          f"The archive has no search index yet ({exc}).",
                          "newsarchive reindex")

    @app.errorhandler(ArchiveMissing)
    def archive_missing(exc: ArchiveMissing):
        return error_page(503, "No archive here yet",
                          f"There is no archive at {exc}.",
                          "newsarchive ingest PATH… (or make demo)")

    @app.errorhandler(SearchError)
    def bad_search(exc: SearchError):
        return error_page(400, "That search cannot run", str(exc) or "The search is not valid.")

    @app.errorhandler(Exception)
    def crash(exc: Exception):
        # Log the traceback for the operator; the client gets no internals.
        log.exception("unhandled error on %s", request.path)
        return error_page(500, "Something went wrong",
                          "The archive could not answer this request. It has been logged.")


def _secure_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


# -- serving -----------------------------------------------------------------

def serve(config: Config, host: str = "127.0.0.1", port: int = 5000, *, threads: int = 4,
          url_prefix: str = "", trusted_proxy: str | None = None) -> None:
    """Serve the archive with waitress (behind a proxy: pass url_prefix and trusted_proxy)."""
    from waitress import serve as waitress_serve

    app = create_app({"ARCHIVE_HOME": str(config.home), "ARCHIVE_TIMEZONE": config.timezone})
    options = {"host": host, "port": port, "threads": threads, "ident": "newsarchive",
               "url_prefix": url_prefix}
    if trusted_proxy:
        # Believe X-Forwarded-* only from the proxy, so links and feeds use the public URL.
        options.update(trusted_proxy=trusted_proxy, clear_untrusted_proxy_headers=True,
                       trusted_proxy_headers="x-forwarded-for x-forwarded-host "
                                             "x-forwarded-proto x-forwarded-port")
    waitress_serve(app, **options)
