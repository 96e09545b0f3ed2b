"""The commands that read the archive: show, stats, search, check and serve."""

from __future__ import annotations

import dataclasses
import sys
from urllib.parse import urlsplit

import click

from archive import terminal
from archive.cli.options import (
    bold,
    emit,
    facet_modes,
    facet_options,
    home_option,
    json_option,
    open_store,
    require_archive,
)
from archive.config import DEFAULT_SEARCH_TIMEOUT, DEFAULT_WORKERS, Config
from archive.facets import all_facets


@click.command()
@click.argument("article_id")
@json_option(help="Print the article as JSON.")
@home_option
def show(article_id: str, as_json: bool, config: Config) -> None:
    """Show one stored article by id.

    \b
    Examples:
      newsarchive show 3f2a9c41d0b87e65
      newsarchive show 3f2a9c41d0b87e65 --json
    """
    article = None
    if _storable(article_id):
        with open_store(config, readonly=True) as store:
            article = store.get(article_id)
    if article is None:
        raise click.ClickException(
            f"no article {article_id!r} in {config.home}: `newsarchive search` lists ids"
        )
    emit(article.to_json(), None if as_json else terminal.article_lines(article))


def _storable(article_id: str) -> bool:
    """True when the id could be stored: UTF-8 text (the command line hands undecodable bytes
    over as lone surrogates, which SQLite cannot take)."""
    try:
        article_id.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@click.command()
@json_option(help="Print the statistics as JSON.")
@home_option
def stats(as_json: bool, config: Config) -> None:
    """Show how many articles the archive holds, their dates, top outlets and people.

    \b
    Examples:
      newsarchive stats
      newsarchive stats --home /srv/archive --json
    """
    from archive.extract import EXTRACTOR_VERSION

    with open_store(config, readonly=True) as store:
        backlog = store.extraction_backlog(EXTRACTOR_VERSION)
        data = dict(
            store.stats(),
            awaiting_extraction=backlog.awaiting,
            outdated_extraction=backlog.outdated,
            recent_rejections=store.rejections(limit=10),
        )
    emit(data, None if as_json else terminal.stats_lines(data))


@click.command()
@click.argument("query", required=False, default="")
@facet_options
@click.option(
    "--from",
    "date_from",
    metavar="DATE",
    help="From this date, inclusive: 2023, 2023-04 or 2023-04-11.",
)
@click.option("--to", "date_to", metavar="DATE", help="Up to this date, inclusive.")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest"]),
    default="relevance",
    show_default=True,
)
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--per-page", type=int, default=20, show_default=True)
@json_option(help="Print hits, facets and suggestion as JSON.")
@home_option
def search(
    query: str,
    date_from: str | None,
    date_to: str | None,
    sort: str,
    page: int,
    per_page: int,
    as_json: bool,
    config: Config,
    **facet_args: tuple[str, ...],
) -> None:
    """Search the archive; an empty QUERY with filters lists what they match.

    QUERY takes words, AND/OR/NOT, "phrases", prefix* and the fields
    title:, person:, outlet: (either role), source: (published by), cited:
    (cited by the text), section:, author: (a byline) and date: (2023,
    2023-04 or 2023-04-11).

    \b
    Examples:
      newsarchive search putin --from 2023-04 --to 2023-04
      newsarchive search '"volunteer battalion"' --sort newest
      newsarchive search 'author:"Anna Nowak" date:2023-04'
      newsarchive search --person "Vladimir Putin" --outlet Newsweek --json
    """
    from archive.search import Criteria, Searcher

    require_archive(config)  # an index without its store is no archive to search
    facets = all_facets()
    criteria = Criteria(
        q=query,
        selected={f.name: facet_args.get(f.param, ()) for f in facets},
        excluded={f.name: facet_args.get(f.exclude_param, ()) for f in facets if f.exclude_param},
        modes=facet_modes(facet_args),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=page,
        per_page=per_page,
    )
    with Searcher(config) as searcher:
        results = searcher.search(criteria)
    emit(results.to_json(), None if as_json else terminal.results_lines(results, bold))


@click.command()
@home_option
def check(config: Config) -> None:
    """Check that the store and the index hold the same articles (exit 1 if not).

    \b
    Examples:
      newsarchive check
      newsarchive check --home /srv/archive || newsarchive reindex --home /srv/archive
    """
    from archive.extract import EXTRACTOR_VERSION
    from archive.index import check as compare

    with open_store(config, readonly=True) as store:
        report = compare(config, store)
        backlog = store.extraction_backlog(EXTRACTOR_VERSION)
    for message in report.messages:
        click.echo(message)
    if backlog.awaiting or backlog.outdated:  # searchable, but facets not yet complete
        click.echo(terminal.extraction_line(backlog.awaiting, backlog.outdated))
    sys.exit(0 if report.ok else 1)


def check_base_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Accept an absolute http(s) URL without query or fragment (links are built under it)."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise click.BadParameter(f"{value!r} is not an http(s) URL like https://example.org/news")
    return value.rstrip("/")


def check_timezone(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Accept a time zone this machine knows (Europe/Warsaw, UTC)."""
    from archive.web.localtime import known_zone

    if value and not known_zone(value):
        raise click.BadParameter(f"{value!r} is not a time zone; use a name like Europe/Warsaw")
    return value or None


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind (keep localhost behind a proxy).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Threads of each worker process.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=DEFAULT_WORKERS,
    show_default=True,
    help="Worker processes sharing the socket (default: the CPU count, at most 8).",
)
@click.option(
    "--search-timeout",
    type=click.FloatRange(min=0),
    envvar="NEWSARCHIVE_SEARCH_TIMEOUT",
    default=DEFAULT_SEARCH_TIMEOUT,
    show_default=True,
    help="Seconds one search may run before it is stopped with a 503 (0: no limit) "
    "[env: NEWSARCHIVE_SEARCH_TIMEOUT].",
)
@click.option("--url-prefix", default="", help="Path the app is mounted at behind a reverse proxy.")
@click.option(
    "--trusted-proxy", metavar="ADDR", help="Trust X-Forwarded-* headers from this proxy address."
)
@click.option(
    "--base-url",
    metavar="URL",
    envvar="NEWSARCHIVE_BASE_URL",
    callback=check_base_url,
    help="Public URL of the app (e.g. https://news.example.org/archive), used for every "
    "absolute link in feeds and exports [env: NEWSARCHIVE_BASE_URL]. Without it: the address "
    "served on, or the trusted proxy's forwarded headers; never the request's Host header.",
)
@click.option(
    "--timezone",
    metavar="ZONE",
    callback=check_timezone,
    help="Time zone pages show article times in, e.g. Europe/Warsaw [default: UTC]; "
    "the UTC time shows on hover, and the API keeps UTC.",
)
@home_option
def serve(
    host: str,
    port: int,
    threads: int,
    workers: int,
    search_timeout: float,
    url_prefix: str,
    trusted_proxy: str | None,
    base_url: str | None,
    timezone: str | None,
    config: Config,
) -> None:
    """Serve the search pages and JSON API with a production WSGI server.

    \b
    Example:
      newsarchive serve --port 8080
    """
    from archive.web import serve as run

    config = dataclasses.replace(config, display_timezone=timezone, search_timeout=search_timeout)
    run(  # it says where it serves once the port is bound (or that the port is taken)
        config,
        host=host,
        port=port,
        threads=threads,
        workers=workers,
        url_prefix=url_prefix,
        trusted_proxy=trusted_proxy,
        base_url=base_url,
    )


READ_COMMANDS = (show, stats, search, check, serve)
