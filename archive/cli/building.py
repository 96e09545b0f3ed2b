"""The commands that build the archive: generate samples, preview (extract), ingest,
reextract and reindex. The library calls behind them are imported by each command, so
`newsarchive --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archive.cli.options import (
    echo_rejections,
    emit,
    home_option,
    json_option,
    open_store,
    progress_bar,
    require_archive,
    workers_option,
)
from archive.cli.progress import StageLines
from archive.config import Config
from archive.readers import Rejection


@click.command()
@click.option(
    "--count",
    type=click.IntRange(1),
    default=200,
    show_default=True,
    help="How many articles to write.",
)
@click.option(
    "--out", type=click.Path(path_type=Path), required=True, help="Directory to write to."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "jsonl"]),
    default="text",
    show_default=True,
    help="One .txt file per article, or one JSON Lines file.",
)
@click.option(
    "--remix",
    "remix_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Remix the sentences of these real JSON Lines articles (a folder or files) "
    "instead of inventing text; always writes JSON Lines.",
)
def generate(count: int, out: Path, seed: int, fmt: str, remix_paths: tuple[Path, ...]) -> None:
    """Write sample articles (marked as generated) for demos and benchmarks.

    Fictional by default; with --remix, remixed from the sentences, titles, dates,
    outlets and names of real articles read at run time.

    \b
    Examples:
      newsarchive generate --count 500 --out samples/
      newsarchive generate --remix corpus/allsides/ --count 100000 --out scale/
    """
    if remix_paths:
        from archive.remix import write_remix

        written = write_remix(remix_paths, out, count, seed=seed)
        click.echo(f"wrote {count} remixed articles to {written}")
        return
    from archive.generate import write_articles

    written = write_articles(out, count, seed=seed, fmt=fmt)
    click.echo(f"wrote {count} generated articles to {written}")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@workers_option()
@click.option(
    "--no-extract",
    is_flag=True,
    help="Store and index articles without people/outlet extraction: searchable by "
    "keyword at once; the next ingest or `newsarchive reextract` extracts them.",
)
@click.option(
    "--publisher",
    default="",
    metavar="NAME",
    help="Outlet that published articles whose files name none "
    "(every plain-text article; JSON records without a source field).",
)
@json_option(help="Print the summary as JSON.")
@home_option
def ingest(
    paths: tuple[Path, ...],
    workers: int | None,
    no_extract: bool,
    publisher: str,
    as_json: bool,
    config: Config,
) -> None:
    """Read articles from files and directories into the archive.

    Plain-text articles (.txt), JSON, JSON Lines and their .gz forms are
    read; directories are walked. Unchanged articles are skipped, changed
    ones updated. Exit status 1 when any input was rejected.

    Articles are stored and indexed first, so they are searchable by keyword
    at once; then their people and outlets are extracted in batches, each
    stored and indexed as it is done (progress on stderr). An interrupted
    ingest loses no finished batch: the next ingest resumes the extraction.

    \b
    Examples:
      newsarchive ingest ~/news/2023/
      newsarchive ingest --home /srv/archive feed.jsonl.gz
      newsarchive ingest --publisher "Polish Radio" stories/
    """
    from archive.ingest import Stage, ingest_paths
    from archive.readers import count_records

    lines = None if as_json else stage_lines()
    # Counting the records first costs a read of the inputs: only for a live line.
    reading = lines.start(Stage.READING, count_records(paths)) if lines and lines.live else None
    try:
        report = ingest_paths(
            config,
            paths,
            workers=workers,
            progress=reading,
            run_extraction=not no_extract,
            publisher=publisher,
            stages=lines.start if lines else None,
        )
    finally:
        if lines:
            lines.finish()
    if as_json:
        emit(report.to_json())
    else:
        echo_rejections(report.rejected)
        click.echo(f"{report.summary()} (archive: {config.home})")
    sys.exit(1 if report.rejected else 0)


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option(help="One JSON object per line (the default form).")
@workers_option(default=1, show_default=True, help="Extraction processes.")
@click.option("--timezone", help="Zone of plain-text date lines [default: Europe/Warsaw].")
def extract_command(
    paths: tuple[Path, ...], as_json: bool, workers: int, timezone: str | None
) -> None:
    """Print the records ingest would store, storing nothing.

    \b
    Example:
      newsarchive extract article.txt --json
    """
    from archive.extract import preview

    rejected: list[Rejection] = []

    def reject(rejection: Rejection) -> None:  # said as met, between the records printed
        rejected.append(rejection)
        echo_rejections([rejection])

    config = Config.load(timezone=timezone)
    for article in preview(paths, config, workers=workers, on_reject=reject):
        emit(article.to_json())
    sys.exit(1 if rejected else 0)


@click.command()
@click.option(
    "--since",
    metavar="DATE",
    help="Only articles ingested or updated since this date (YYYY-MM-DD).",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every article, even those the current extractor made.",
)
@workers_option()
@home_option
def reextract(since: str | None, everything: bool, workers: int | None, config: Config) -> None:
    """Run people and outlet extraction again over stored articles.

    By default only articles extracted by another version of the extractor,
    or never extracted (after `ingest --no-extract` or a killed ingest), are
    done. Each batch is stored and indexed as it is done, so an interrupted
    run resumes where it stopped.

    \b
    Examples:
      newsarchive reextract
      newsarchive reextract --since 2024-01-01 --all
    """
    from archive.enrichment import reextract_store

    require_archive(config)
    lines = stage_lines()
    try:
        done = reextract_store(
            config, since=since, everything=everything, workers=workers, stages=lines.start
        )
    finally:
        lines.finish()
    click.echo(f"re-extracted {done} articles")


def stage_lines() -> StageLines:
    """Return the progress lines of a building command, on stderr (live on a terminal)."""
    return StageLines(sys.stderr, live=sys.stderr.isatty())


@click.command()
@workers_option(help="Indexing processes [default: CPU count].")
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Replace the live index even when the store is empty (it holds no articles then).",
)
@home_option
def reindex(workers: int | None, allow_empty: bool, config: Config) -> None:
    """Rebuild the search index from the store and swap it in atomically.

    Searches keep using the old index until the new one is complete; an
    interrupted reindex leaves the old index serving. Nothing is re-parsed
    or re-extracted. An empty store does not replace an index that holds
    articles unless --allow-empty is given.

    \b
    Example:
      newsarchive reindex --workers 2
    """
    from archive.index import reindex as rebuild

    with open_store(config) as store, progress_bar("Indexing", store.count) as progress:
        built = rebuild(config, store, workers=workers, progress=progress, allow_empty=allow_empty)
    click.echo(
        f"indexed {built.articles} articles in {built.seconds:.1f} s "
        f"({built.rate:.0f}/s, {built.workers} workers)"
    )


BUILD_COMMANDS = (generate, extract_command, ingest, reextract, reindex)
