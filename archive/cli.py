"""The newsarchive command line: a thin layer over the archive package, the only module
importing click. Each command makes one library call and prints the answer (plain-text
views live in terminal.py); the archive's errors become messages once, in _ArchiveGroup.
Heavy modules (search, index, extraction, web) are imported by the commands using them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import click

from archive import terminal
from archive.config import Config
from archive.errors import ArchiveError, ArchiveMissing, IndexBusy
from archive.facets import all_facets
from archive.readers import Rejection
from archive.store import Store

Command = TypeVar("Command", bound=Callable[..., Any])

json_option = partial(click.option, "--json", "as_json", is_flag=True)
workers_option = partial(click.option, "--workers", type=click.IntRange(1, 64),
                         help="Extraction processes [default: CPU count].")
bold = partial(click.style, bold=True)  # click drops the style when not on a terminal


def home_option(command: Command) -> Command:
    """Add --home to a command, which receives the archive's Config as `config`."""
    return click.option("--home", "config", metavar="DIR", envvar="NEWSARCHIVE_HOME",
                        callback=lambda _ctx, _param, value: Config.load(home=value),
                        help="Archive directory holding the store and index "
                             "[env NEWSARCHIVE_HOME; default: index/].")(command)


def facet_options(command: Command) -> Command:
    """Add --PARAM and --exclude-PARAM for each facet of the registry (values in **facets)."""
    for facet in reversed(all_facets()):
        for param, help_text in ((facet.exclude_param, "Leave out articles {}."),
                                 (facet.param, "Only articles {} (repeatable: any of them).")):
            if param:
                command = click.option(f"--{param.replace('_', '-')}", param, multiple=True,
                                       metavar="VALUE",
                                       help=help_text.format(facet.describes))(command)
    return command


def emit(data: Any, lines: Iterable[str] | None = None) -> None:
    """Print the lines of a plain-text view or, when there is none, data as a line of JSON."""
    click.echo(json.dumps(data, ensure_ascii=False) if lines is None else "\n".join(lines))


def echo_rejections(rejections: Iterable[Rejection]) -> None:
    """Say on stderr which inputs were rejected and why."""
    for rejection in rejections:
        click.echo(f"rejected {rejection.source}: {rejection.reason}", err=True)


class _ArchiveGroup(click.Group):
    """The command group; the archive's own errors become one-line messages here, once."""

    def invoke(self, ctx: click.Context) -> Any:
        with _domain_errors():
            return super().invoke(ctx)


@contextmanager
def _domain_errors() -> Iterator[None]:
    """Turn the archive's own errors into one-line messages that say what to do."""
    try:
        yield
    except IndexBusy as exc:
        raise click.ClickException("another ingest or reindex is running on this archive: "
                                   "wait for it to finish, then run this again") from exc
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def _progress_bar(label: str, total: Callable[[], int], shown: bool = True
                  ) -> Iterator[Callable[[int], None] | None]:
    """Yield a callback advancing a bar on stderr, or None when stderr is no terminal
    (total is counted only when the bar is drawn)."""
    if not (shown and sys.stderr.isatty()):
        yield None
        return
    with click.progressbar(length=total(), label=label, file=sys.stderr, show_eta=True,
                           show_pos=True) as bar:
        yield bar.update


def _open_store(config: Config) -> Store:
    """Open the archive's store, or say how to create one."""
    if not config.store_path.exists():
        raise ArchiveMissing(f"no archive at {config.home}: run `newsarchive ingest PATH` "
                             "first, or pass --home")
    return Store(config.store_path)


@click.group(cls=_ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Ingest, search and serve a full-text news archive.

    \b
    Examples:
      newsarchive ingest articles/ export.jsonl.gz
      newsarchive search "Putin" --from 2023 --outlet Newsweek
      newsarchive serve
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@workers_option()
@click.option("--no-extract", is_flag=True, help="Store articles without people/outlet "
              "extraction (fast bulk load; run `newsarchive reextract` later).")
@json_option(help="Print the summary as JSON.")
@home_option
def ingest(paths: tuple[Path, ...], workers: int | None, no_extract: bool, as_json: bool,
           config: Config) -> None:
    """Read articles from files and directories into the archive.

    Plain-text articles (.txt), JSON, JSON Lines and their .gz forms are
    read; directories are walked. Unchanged articles are skipped, changed
    ones updated. Exit status 1 when any input was rejected.

    \b
    Examples:
      newsarchive ingest ~/news/2023/
      newsarchive ingest --home /srv/archive feed.jsonl.gz
    """
    from archive.ingest import count_records, ingest_paths

    with _progress_bar("Ingesting", lambda: count_records(paths), not as_json) as progress:
        report = ingest_paths(config, paths, workers=workers, progress=progress,
                              run_extraction=not no_extract)
    if as_json:
        emit(report.to_json())
    else:
        echo_rejections(report.rejected)
        click.echo(f"{report.summary()} (archive: {config.home})")
    sys.exit(1 if report.rejected else 0)


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option(help="One JSON object per line (the default form).")
@workers_option(default=1, show_default=True, help="Extraction processes.")
@click.option("--timezone", help="Zone of plain-text date lines [default: Europe/Warsaw].")
def extract_command(paths: tuple[Path, ...], as_json: bool, workers: int,
                    timezone: str | None) -> None:
    """Print the records ingest would store, storing nothing.

    \b
    Example:
      newsarchive extract article.txt --json
    """
    from archive.ingest import preview

    rejected: list[Rejection] = []

    def reject(rejection: Rejection) -> None:  # said as met, between the records printed
        rejected.append(rejection)
        echo_rejections([rejection])

    config = Config.load(timezone=timezone)
    for article in preview(paths, config, workers=workers, on_reject=reject):
        emit(article.to_json())
    sys.exit(1 if rejected else 0)


@cli.command()
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
    with _open_store(config) as store:
        article = store.get(article_id)
    if article is None:
        raise click.ClickException(f"no article {article_id!r} in {config.home}: "
                                   "`newsarchive search` lists ids")
    emit(article.to_json(), None if as_json else terminal.article_lines(article))


@cli.command()
@json_option(help="Print the statistics as JSON.")
@home_option
def stats(as_json: bool, config: Config) -> None:
    """Show how many articles the archive holds, their dates, top outlets and people.

    \b
    Examples:
      newsarchive stats
      newsarchive stats --home /srv/archive --json
    """
    with _open_store(config) as store:
        data = dict(store.stats(), recent_rejections=store.rejections(limit=10))
    emit(data, None if as_json else terminal.stats_lines(data))


@cli.command()
@click.option("--count", type=click.IntRange(1), default=200, show_default=True,
              help="How many articles to write.")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Directory to write to.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text",
              show_default=True, help="One .txt file per article, or one JSON Lines file.")
def generate(count: int, out: Path, seed: int, fmt: str) -> None:
    """Write fictional sample articles (marked as generated) for demos and benchmarks.

    \b
    Example:
      newsarchive generate --count 500 --out samples/
    """
    from archive.generate import write_articles

    written = write_articles(out, count, seed=seed, fmt=fmt)
    click.echo(f"wrote {count} generated articles to {written}")


@cli.command()
@click.argument("query", required=False, default="")
@facet_options
@click.option("--from", "date_from", metavar="DATE",
              help="From this date, inclusive: 2023, 2023-04 or 2023-04-11.")
@click.option("--to", "date_to", metavar="DATE", help="Up to this date, inclusive.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              default="relevance", show_default=True)
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--per-page", type=int, default=20, show_default=True)
@json_option(help="Print hits, facets and suggestion as JSON.")
@home_option
def search(query: str, date_from: str | None, date_to: str | None, sort: str, page: int,
           per_page: int, as_json: bool, config: Config, **facet_args: tuple[str, ...]) -> None:
    """Search the archive; an empty QUERY with filters lists what they match.

    QUERY takes words, AND/OR/NOT, "phrases", prefix* and the fields
    title:, person:, outlet:, section:, author: (a byline) and date:
    (2023, 2023-04 or 2023-04-11).

    \b
    Examples:
      newsarchive search putin --from 2023-04 --to 2023-04
      newsarchive search '"volunteer battalion"' --sort newest
      newsarchive search 'author:"Anna Nowak" date:2023-04'
      newsarchive search --person "Vladimir Putin" --outlet Newsweek --json
    """
    from archive.search import Criteria, Searcher

    facets = all_facets()
    criteria = Criteria(
        q=query, selected={f.name: facet_args.get(f.param, ()) for f in facets},
        excluded={f.name: facet_args.get(f.exclude_param, ()) for f in facets if f.exclude_param},
        date_from=date_from, date_to=date_to, sort=sort, page=page, per_page=per_page)
    with Searcher(config) as searcher:
        results = searcher.search(criteria)
    emit(results.to_json(), None if as_json else terminal.results_lines(results, bold))


@cli.command()
@workers_option(help="Indexing processes [default: CPU count].")
@home_option
def reindex(workers: int | None, config: Config) -> None:
    """Rebuild the search index from the store and swap it in atomically.

    Searches keep using the old index until the new one is complete; an
    interrupted reindex leaves the old index serving. Nothing is re-parsed
    or re-extracted.

    \b
    Example:
      newsarchive reindex --workers 2
    """
    from archive.index import reindex as rebuild

    with _open_store(config) as store, _progress_bar("Indexing", store.count) as progress:
        built = rebuild(config, store, workers=workers, progress=progress)
    click.echo(f"indexed {built.articles} articles in {built.seconds:.1f} s "
               f"({built.rate:.0f}/s, {built.workers} workers)")


@cli.command()
@home_option
def check(config: Config) -> None:
    """Check that the store and the index hold the same articles (exit 1 if not).

    \b
    Examples:
      newsarchive check
      newsarchive check --home /srv/archive || newsarchive reindex --home /srv/archive
    """
    from archive.index import check as compare

    with _open_store(config) as store:
        report = compare(config, store)
    for message in report.messages:
        click.echo(message)
    sys.exit(0 if report.ok else 1)


@cli.command()
@click.option("--since", metavar="DATE",
              help="Only articles ingested or updated since this date (YYYY-MM-DD).")
@click.option("--all", "everything", is_flag=True,
              help="Every article, even those the current extractor made.")
@workers_option()
@home_option
def reextract(since: str | None, everything: bool, workers: int | None, config: Config) -> None:
    """Run people and outlet extraction again over stored articles.

    By default only articles extracted by another version of the extractor
    (or never extracted, after `ingest --no-extract`) are redone.

    \b
    Examples:
      newsarchive reextract
      newsarchive reextract --since 2024-01-01 --all
    """
    from archive.extract import EXTRACTOR_VERSION
    from archive.ingest import reextract_store

    with _open_store(config) as store:
        todo = store.count_for_extraction(since, everything, EXTRACTOR_VERSION)
    with _progress_bar("Extracting", lambda: todo) as progress:
        done = reextract_store(config, since=since, everything=everything, workers=workers,
                               progress=progress)
    click.echo(f"re-extracted {done} articles")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (keep localhost behind a proxy).")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True)
@click.option("--url-prefix", default="",
              help="Path the app is mounted at behind a reverse proxy.")
@click.option("--trusted-proxy", metavar="ADDR",
              help="Trust X-Forwarded-* headers from this proxy address.")
@home_option
def serve(host: str, port: int, threads: int, url_prefix: str, trusted_proxy: str | None,
          config: Config) -> None:
    """Serve the search pages and JSON API with a production WSGI server.

    \b
    Example:
      newsarchive serve --port 8080
    """
    from archive.web import serve as run

    click.echo(f"serving {config.home} on http://{host}:{port}{url_prefix}/", err=True)
    run(config, host=host, port=port, threads=threads, url_prefix=url_prefix,
        trusted_proxy=trusted_proxy)


def main() -> None:
    """Run the command line."""
    cli(prog_name="newsarchive")
