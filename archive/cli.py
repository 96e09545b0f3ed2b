"""The newsarchive command line: a thin layer over the archive package."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from archive.config import Config

HOME_HELP = "Archive directory holding the store and index [env NEWSARCHIVE_HOME; default: index/]."


def home_option(command):
    """Add --home to a command and pass a Config instead."""
    def to_config(ctx, param, value):
        return Config.load(home=value)

    return click.option("--home", "config", metavar="DIR", envvar="NEWSARCHIVE_HOME",
                        callback=to_config, help=HOME_HELP)(command)


def print_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@home_option
def ingest(paths, workers, as_json, config):
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
        report = ingest_paths(config, paths, workers=workers, progress=bar.update if bar else None)
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


def _require_store(config: Config) -> None:
    if not config.store_path.exists():
        raise click.ClickException(f"no archive at {config.home}: run `newsarchive ingest PATH` "
                                   "first, or pass --home")


def main():
    """Run the command line."""
    cli(prog_name="newsarchive")
