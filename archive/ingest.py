"""Ingest: read inputs, skip what is unchanged, store, index, then extract.

Articles are stored as read and indexed first, so they are keyword-searchable before the
slow part begins; then the people and outlets of every stored article awaiting extraction
are extracted in committed, indexed batches (archive/enrichment.py), so the facets fill in
as it goes and a killed run is resumed by the next ingest (or `newsarchive reextract`).

Every record read is accounted for once in the IngestReport:

    read = added + updated + unchanged + duplicates + rejected

and, when a `progress` callback is given, the counts it is called with add up to `read`
as well (readers.count_records() estimates that total beforehand, for a progress bar).
`stages`, if given, is told when indexing and extraction start (archive/stages.py).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from archive.config import Config
from archive.enrichment import BULK_INDEX_MIN, extract_stored, index_unindexed, reextract_store
from archive.models import Article, content_hash
from archive.readers import (
    Rejection,
    printable_path,
    read_file,
    with_publisher,
)
from archive.sources import inputs, relative_source
from archive.stages import Progress, Stage, StageStart
from archive.store import Store

BATCH_SIZE = 500

__all__ = [  # enrichment's names too: callers found them here before that module existed
    "BATCH_SIZE",
    "BULK_INDEX_MIN",
    "IngestReport",
    "Progress",
    "Stage",
    "StageStart",
    "ingest_paths",
    "reextract_store",
]


@dataclass
class IngestReport:
    """What one ingest run did with each record it read."""

    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # the same article twice within this run
    rejected: list[Rejection] = field(default_factory=list)
    warnings: int = 0
    indexed: int = 0
    extracted: int = 0  # articles whose people and outlets this run extracted

    def to_json(self) -> dict[str, Any]:
        """Return the counts, and each rejection's source and reason, as JSON values."""
        return {
            "read": self.read,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "rejected": len(self.rejected),
            "warnings": self.warnings,
            "indexed": self.indexed,
            "extracted": self.extracted,
            "rejections": [{"source": r.source, "reason": r.reason} for r in self.rejected],
        }

    def summary(self) -> str:
        """Return the one-line account of the run the command line prints."""
        return (
            f"read {self.read}, added {self.added}, updated {self.updated}, "
            f"unchanged {self.unchanged}, duplicates {self.duplicates}, "
            f"rejected {len(self.rejected)}"
        )


class FileFingerprint(NamedTuple):
    """What identifies one input file's content as read with the current options."""

    key: str  # resolved path and the reading options that change its records
    size: int
    digest: str


class _Run:
    """The state one ingest run shares between its stages."""

    def __init__(
        self, config: Config, store: Store, progress: Progress | None, publisher: str = ""
    ) -> None:
        self.config = config
        self.publisher = publisher  # of articles whose input names none (--publisher)
        self.store = store
        self.report = IngestReport()
        self.hashes: dict[str, str] = {}  # input hash of each article on its way to the store
        self.complete_files: list[tuple[str, int, str, int]] = []  # fingerprint + record count
        self._progress = progress

    def advance(self, count: int) -> None:
        """Tell the progress callback that count more records are dealt with."""
        if self._progress and count:
            self._progress(count)


def ingest_paths(
    config: Config,
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    index: bool = True,
    run_extraction: bool = True,
    publisher: str = "",
    stages: StageStart | None = None,
) -> IngestReport:
    """Ingest every article under paths into the store (and the index), then extract
    every stored article awaiting extraction.

    With run_extraction=False articles are stored as read (extractor unset), for a
    fast bulk load that the next ingest or `newsarchive reextract` completes. publisher
    names the outlet that published the articles whose input names none (plain-text files
    carry only a Source: line of outlets quoted; JSON records may lack a source field).
    """
    with Store(config.store_path) as store:
        run = _Run(config, store, progress, publisher.strip())
        pending = _new_or_changed(_read_all(paths, run), run)
        _store_batches(_counted(pending, run), run)
        # Only now is every record of these files stored: a killed run re-reads them.
        store.remember_files(run.complete_files)
        if index:
            # Everything not yet indexed, including what a killed earlier run stored.
            run.report.indexed = index_unindexed(config, store, stages)
        if run_extraction:
            # This run's articles, and those a killed or --no-extract run left awaiting.
            awaiting = store.ids_awaiting_extraction()
            run.report.extracted = extract_stored(
                config, store, awaiting, workers=workers, stages=stages, index=index
            )
    return run.report


def _store_batches(articles: Iterator[Article], run: _Run) -> None:
    """Write articles (awaiting extraction) and the rejections met so far to the store, a
    batch per transaction."""
    written = 0  # rejections already in the store
    while True:
        batch = list(islice(articles, BATCH_SIZE))
        rows = [(a, run.hashes.pop(a.id)) for a in batch]
        fresh = [(r.source, r.reason) for r in run.report.rejected[written:]]
        written = len(run.report.rejected)
        run.store.write_batch(rows, fresh, None)
        if not batch:  # the last, empty batch still writes the last rejections
            break


def _read_all(paths: Iterable[str | os.PathLike[str]], run: _Run) -> Iterator[Article]:
    """Yield the articles of every input file, skipping files read in full before."""
    report = run.report
    for item, top in inputs(paths):  # top: the input given, which sources are relative to
        if isinstance(item, Rejection):
            _reject(item, run)
            continue
        fingerprint = _fingerprint(item, run.config, run.publisher)
        known = run.store.known_file(*fingerprint) if fingerprint else None
        if known:
            report.read += known
            report.unchanged += known
            run.advance(known)
            continue
        records = rejected = 0
        for record in read_file(item, run.config):
            records += 1
            if isinstance(record, Rejection):
                rejected += 1
                _reject(record, run)
            else:
                report.read += 1
                report.warnings += bool(record.warnings)
                record.source = relative_source(record.source, item, top)
                yield with_publisher(record, run.publisher, item)
        if fingerprint and not rejected:
            run.complete_files.append((*fingerprint, records))


def _reject(rejection: Rejection, run: _Run) -> None:
    run.report.read += 1
    run.report.rejected.append(rejection)
    run.advance(1)


def _fingerprint(path: Path, config: Config, publisher: str = "") -> FileFingerprint | None:
    """Identify this file's content and reading options (None if it cannot be read)."""
    try:
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "blake2b").hexdigest()
        size = path.stat().st_size
    except OSError:
        return None  # read_file reports the problem
    # The key holds the reading options that shape the parse: another one re-reads the file.
    key = f"{printable_path(path.resolve())}\0{config.timezone}" + (
        f"\0{publisher}" if publisher else ""
    )
    return FileFingerprint(key, size, digest)


def _counted(articles: Iterator[Article], run: _Run) -> Iterator[Article]:
    """Pass articles through, advancing progress as each goes to the store."""
    for article in articles:
        run.advance(1)
        yield article


def _new_or_changed(records: Iterator[Article], run: _Run) -> Iterator[Article]:
    """Yield the articles the store lacks or holds in another form, noting their input hash.

    Progress advances here for the records dropped (duplicates and unchanged ones); the
    ones yielded advance it on their way to the store.
    """
    seen: set[str] = set()
    report = run.report
    while batch := list(islice(records, BATCH_SIZE)):
        unique = _first_sightings(batch, seen, report)
        states = run.store.states(a.id for a in unique)
        passed = 0
        for article in unique:
            digest = content_hash(article)
            state = states.get(article.id)
            if state is not None and state.input_hash == digest:
                report.unchanged += 1
                continue
            if state is None:
                report.added += 1
            else:
                report.updated += 1
            run.hashes[article.id] = digest
            passed += 1
            yield article
        # Every dropped record, duplicates too: a batch without an unchanged record
        # once left its duplicates uncounted.
        run.advance(len(batch) - passed)


def _first_sightings(batch: list[Article], seen: set[str], report: IngestReport) -> list[Article]:
    """Return the articles of batch not seen before in this run, counting the others."""
    unique = []
    for article in batch:
        if article.id in seen:
            report.duplicates += 1
        else:
            seen.add(article.id)
            unique.append(article)
    return unique
