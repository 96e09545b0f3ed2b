"""The newsarchive command line: a thin layer over the archive package."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

from typing import Any, Callable, Iterator

import click

from archive.config import Config
from archive.errors import ArchiveError, ArchiveMissing, IndexBusy
from archive.facets import all_facets

HOME_HELP = "Archive directory holding the store and index [env NEWSARCHIVE_HOME; default: index/]."


def home_option(command):
    """Add --home to a command and pass a Config instead."""
    def to_config(ctx, param, value):
        return Config.load(home=value)

    return click.option("--home", "config", metavar="DIR", envvar="NEWSARCHIVE_HOME",
                        callback=to_config, help=HOME_HELP)(command)


def print_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False))


class _ArchiveGroup(click.Group):
    """The command group; the archive's own errors become one-line messages here, once."""

    def invoke(self, ctx: click.Context) -> Any:
        with _domain_errors():
            return super().invoke(ctx)


@click.group(cls=_ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli():
    """Ingest, search and serve a full-text news archive.

    \b
    Examples:
      newsarchive ingest articles/ export.jsonl.gz
      newsarchive search "Putin" --from 2023 --outlet Newsweek
      newsarchive serve
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--workers", type=click.IntRange(1, 64), help="Extraction processes [default: CPU count].")
@click.option("--no-extract", is_flag=True,
              help="Store articles without people/outlet extraction (fast bulk load; "
                   "run `newsarchive reextract` later).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@home_option
def ingest(paths, workers, no_extract, as_json, config):
    """Read articles from files and directories into the archive.

    Plain-text articles (.txt), JSON, JSON Lines and their .gz forms are
    read; directories are walked. Unchanged articles are skipped, changed
    ones updated. Exit status 1 when any input was rejected.

    \b
    Examples:
      newsarchive ingest ~/news/2023/
      newsarchive --home /srv/archive ingest feed.jsonl.gz
    """
    from archive.ingest import ingest_paths, count_records

    total = count_records(paths) if sys.stderr.isatty() and not as_json else None
    with _progress(total, "Ingesting") as bar:
        report = ingest_paths(config, paths, workers=workers, progress=bar.update if bar else None,
                              run_extraction=not no_extract)
    if as_json:
        print_json(report.to_json())
    else:
        for rejection in report.rejected:
            click.echo(f"rejected {rejection.source}: {rejection.reason}", err=True)
        click.echo(f"read {report.read}, added {report.added}, updated {report.updated}, "
                   f"unchanged {report.unchanged}, duplicates {report.duplicates}, "
                   f"rejected {len(report.rejected)} (archive: {config.home})")
    sys.exit(1 if report.rejected else 0)


class _NoBar:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _progress(total, label):
    if total is None:
        return _NoBar()
    return click.progressbar(length=total, label=label, file=sys.stderr, show_eta=True,
                             show_pos=True, item_show_func=None)


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (the default form).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extraction processes.")
@click.option("--timezone", default=None, help="Zone of plain-text date lines [default: Europe/Warsaw].")
def extract_command(paths, as_json, workers, timezone):
    """Print the records ingest would store, storing nothing.

    \b
    Example:
      newsarchive extract article.txt --json
    """
    from archive import extract
    from archive.readers import Rejection, read_paths

    config = Config.load(timezone=timezone)
    rejected = []

    def articles():
        for item in read_paths(paths, config):
            if isinstance(item, Rejection):
                rejected.append(item)
                click.echo(f"rejected {item.source}: {item.reason}", err=True)
            else:
                yield item

    for article in extract.enrich(articles(), workers=workers):
        print_json(article.to_json())
    sys.exit(1 if rejected else 0)


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@home_option
def show(article_id, as_json, config):
    """Show one stored article by id."""
    from archive.store import Store

    _require_store(config)
    with Store(config.store_path) as store:
        article = store.get(article_id)
    if article is None:
        raise click.ClickException(f"no article {article_id!r} in {config.home}: "
                                   "`newsarchive search` lists ids")
    if as_json:
        print_json(article.to_json())
        return
    data = article.to_json()
    for key in ("id", "title", "date", "section", "people", "outlets", "authors", "url",
                "photo_credits", "editor_initials", "source"):
        value = data[key]
        if value:
            click.echo(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    click.echo("")
    click.echo(article.body)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@home_option
def stats(as_json, config):
    """Show how many articles the archive holds, their dates, top outlets and people."""
    from archive.store import Store

    _require_store(config)
    with Store(config.store_path) as store:
        data = store.stats()
        data["recent_rejections"] = store.rejections(limit=10)
    if as_json:
        print_json(data)
        return
    click.echo(f"articles:  {data['articles']} ({data['undated']} undated)")
    click.echo(f"dates:     {data['first_date'] or '-'} .. {data['last_date'] or '-'}")
    click.echo(f"rejected:  {data['rejected']}")
    for key in ("top_outlets", "top_people"):
        click.echo(f"{key.replace('_', ' ')}: " +
                   ", ".join(f"{v['value']} ({v['count']})" for v in data[key]))


@cli.command()
@click.option("--count", type=click.IntRange(1), default=200, show_default=True,
              help="How many articles to write.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Directory to write to.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text",
              show_default=True, help="One .txt file per article, or one JSON Lines file.")
def generate(count, out, seed, fmt):
    """Write fictional sample articles (marked as generated) for demos and benchmarks.

    \b
    Example:
      newsarchive generate --count 500 --out samples/
    """
    from archive.generate import write_articles

    written = write_articles(out, count, seed=seed, fmt=fmt)
    click.echo(f"wrote {count} generated articles to {written}")


def facet_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --PARAM and --exclude-PARAM for each facet of the registry (values in **facets)."""
    for facet in reversed(all_facets()):
        if facet.exclude_param:
            command = click.option(f"--{facet.exclude_param.replace('_', '-')}",
                                   facet.exclude_param, multiple=True, metavar="VALUE",
                                   help=f"Leave out articles {facet.describes}.")(command)
        command = click.option(f"--{facet.param.replace('_', '-')}", facet.param, multiple=True,
                               metavar="VALUE",
                               help=f"Only articles {facet.describes} (repeatable: any of them)."
                               )(command)
    return command


@cli.command()
@click.argument("query", required=False, default="")
@facet_options
@click.option("--from", "date_from", metavar="DATE", help="From this date, inclusive: 2023, 2023-04 or 2023-04-11.")
@click.option("--to", "date_to", metavar="DATE", help="Up to this date, inclusive.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance", show_default=True)
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--per-page", type=int, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print hits, facets and suggestion as JSON.")
@home_option
def search(query: str, date_from: str | None, date_to: str | None, sort: str, page: int,
           per_page: int, as_json: bool, config: Config, **facet_args: tuple[str, ...]) -> None:
    """Search the archive; an empty QUERY with filters lists what they match.

    QUERY takes words, AND/OR/NOT, "phrases", prefix* and the fields
    title:, person:, outlet:, section:, author: and date:.

    \b
    Examples:
      newsarchive search putin --from 2023-04 --to 2023-04
      newsarchive search '"volunteer battalion"' --sort newest
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
    if as_json:
        print_json(results.to_json())
        return
    _print_results(results)


def _print_results(results) -> None:
    import html
    import re

    def plain(snippet: str) -> str:
        marked = re.sub(r"<mark>(.*?)</mark>", lambda m: click.style(m.group(1), bold=True), snippet)
        return html.unescape(marked)

    click.echo(f"{results.total} articles (page {results.page} of {max(results.pages, 1)})")
    if results.suggestion:
        click.echo(f"did you mean: {results.suggestion}")
    for hit in results.hits:
        day = hit.date.strftime("%Y-%m-%d") if hit.date else "undated   "
        click.echo(f"\n{day}  {click.style(hit.title, bold=True)}  [{hit.id}]")
        if hit.outlets or hit.people:
            click.echo(f"            {'; '.join(hit.outlets)}{' | ' if hit.outlets and hit.people else ''}{', '.join(hit.people[:5])}")
        if hit.snippet:
            click.echo(f"            {plain(hit.snippet)}")
    for name in (*(f.name for f in all_facets()), "years"):
        values = results.facets.get(name) or []
        if values:
            click.echo(f"\n{name}: " + ", ".join(f"{v['value']} ({v['count']})" for v in values[:8]))


@cli.command()
@click.option("--workers", type=click.IntRange(1, 64), help="Indexing processes [default: CPU count].")
@home_option
def reindex(workers, config):
    """Rebuild the search index from the store and swap it in atomically.

    Searches keep using the old index until the new one is complete; an
    interrupted reindex leaves the old index serving. Nothing is re-parsed
    or re-extracted.

    \b
    Example:
      newsarchive reindex --workers 2
    """
    from archive.index import reindex as rebuild
    from archive.store import Store

    _require_store(config)
    with Store(config.store_path) as store:
        total = store.count()
        with _progress(total if sys.stderr.isatty() else None, "Indexing") as bar:
            stats = rebuild(config, store, workers=workers, progress=bar.update if bar else None)
    click.echo(f"indexed {stats.articles} articles in {stats.seconds:.1f} s "
               f"({stats.rate:.0f}/s, {stats.workers} workers)")


@cli.command()
@home_option
def check(config):
    """Check that the store and the index hold the same articles (exit 1 if not)."""
    from archive.index import check as compare
    from archive.store import Store

    _require_store(config)
    with Store(config.store_path) as store:
        report = compare(config, store)
    for message in report.messages:
        click.echo(message)
    sys.exit(0 if report.ok else 1)


@cli.command()
@click.option("--since", metavar="DATE", help="Only articles ingested or updated since this date (YYYY-MM-DD).")
@click.option("--all", "everything", is_flag=True, help="Every article, even those the current extractor made.")
@click.option("--workers", type=click.IntRange(1, 64), help="Extraction processes [default: CPU count].")
@home_option
def reextract(since, everything, workers, config):
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

    from archive.store import Store

    _require_store(config)
    with Store(config.store_path) as store:
        todo = store.count_for_extraction(since, everything, EXTRACTOR_VERSION)
    with _progress(todo if sys.stderr.isatty() else None, "Extracting") as bar:
        done = reextract_store(config, since=since, everything=everything, workers=workers,
                               progress=bar.update if bar else None)
    click.echo(f"re-extracted {done} articles")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (keep localhost behind a proxy).")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True)
@click.option("--url-prefix", default="", help="Path the app is mounted at behind a reverse proxy.")
@click.option("--trusted-proxy", metavar="ADDR", help="Trust X-Forwarded-* headers from this proxy address.")
@home_option
def serve(host, port, threads, url_prefix, trusted_proxy, config):
    """Serve the search pages and JSON API with a production WSGI server.

    \b
    Example:
      newsarchive serve --port 8080
    """
    from archive.web import serve as run

    click.echo(f"serving {config.home} on http://{host}:{port}{url_prefix}/", err=True)
    run(config, host=host, port=port, threads=threads, url_prefix=url_prefix,
        trusted_proxy=trusted_proxy)


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


def _require_store(config: Config) -> None:
    if not config.store_path.exists():
        raise ArchiveMissing(f"no archive at {config.home}: run `newsarchive ingest PATH` "
                             "first, or pass --home")


def main():
    """Run the command line."""
    cli(prog_name="newsarchive")
