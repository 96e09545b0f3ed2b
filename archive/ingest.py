"""Ingest: read inputs, skip what is unchanged, extract, store, then index.

Every record read is accounted for once in the IngestReport:

    read = added + updated + unchanged + duplicates + rejected

and, when a `progress` callback is given, the counts it is called with add up to `read`
as well (readers.count_records() estimates that total beforehand, for a progress bar).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from archive import extract, identity
from archive.config import Config
from archive.extract.domains import DomainLabels
from archive.models import Article, content_hash
from archive.readers import (
    Rejection,
    find_files,
    printable_path,
    read_file,
    with_publisher,
)
from archive.store import Store

BATCH_SIZE = 500
BULK_INDEX_MIN = 1000  # from this many articles to index, rebuild rather than update

Progress = Callable[[int], None]


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
) -> IngestReport:
    """Ingest every article under paths into the store (and the index).

    With run_extraction=False articles are stored as read (extractor unset), for a
    fast bulk load that `newsarchive reextract` completes later. publisher names the
    outlet that published the articles whose input names none (plain-text files carry
    only a Source: line of outlets quoted; JSON records may lack a source field).
    """
    with Store(config.store_path) as store:
        run = _Run(config, store, progress, publisher.strip())
        pending = _new_or_changed(_read_all(paths, run), run)
        if run_extraction:
            learned = DomainLabels(store.label_domain_pairs())
            enriched = extract.enrich(
                learned.learning(pending), workers, run.advance, fold=learned.fold
            )
            version: str | None = extract.EXTRACTOR_VERSION
        else:
            enriched, version = _counted(pending, run), None
        _store_batches(enriched, run, version)
        # Only now is every record of these files stored: a killed run re-reads them.
        store.remember_files(run.complete_files)
        if index:
            # Everything not yet indexed, including what a killed earlier run stored.
            run.report.indexed = _index(config, store, store.unindexed_ids())
    return run.report


def _store_batches(articles: Iterator[Article], run: _Run, version: str | None) -> None:
    """Write articles and the rejections met so far to the store, a batch per transaction."""
    written = 0  # rejections already in the store
    while True:
        batch = list(islice(articles, BATCH_SIZE))
        rows = [(a, run.hashes.pop(a.id)) for a in batch]
        fresh = [(r.source, r.reason) for r in run.report.rejected[written:]]
        written = len(run.report.rejected)
        run.store.write_batch(rows, fresh, version)
        if not batch:  # the last, empty batch still writes the last rejections
            break


def _read_all(paths: Iterable[str | os.PathLike[str]], run: _Run) -> Iterator[Article]:
    """Yield the articles of every input file, skipping files read in full before."""
    report = run.report
    for item in find_files(paths):
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


def reextract_store(
    config: Config,
    *,
    since: str | None = None,
    everything: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    index: bool = True,
) -> int:
    """Run extraction again over stored articles (by default those another version made)."""
    done = 0
    with Store(config.store_path) as store:
        ids = store.ids_for_extraction(since, everything, extract.EXTRACTOR_VERSION)
        hashes = {i: s.input_hash for i, s in store.states(ids).items()}

        def stored() -> Iterator[Article]:
            for start in range(0, len(ids), BATCH_SIZE):
                yield from store.get_many(ids[start : start + BATCH_SIZE])

        learned = DomainLabels(store.label_domain_pairs())
        enriched = extract.enrich(stored(), workers, progress, fold=learned.fold)
        while batch := list(islice(enriched, BATCH_SIZE)):
            store.write_batch([(a, hashes[a.id]) for a in batch], [], extract.EXTRACTOR_VERSION)
            done += len(batch)
        if index:
            _index(config, store, store.unindexed_ids())
    return done


def _counted(articles: Iterator[Article], run: _Run) -> Iterator[Article]:
    """Pass articles through, advancing progress as extraction would have."""
    for article in articles:
        run.advance(1)
        yield article


def _new_or_changed(records: Iterator[Article], run: _Run) -> Iterator[Article]:
    """Yield the articles the store lacks or holds in another form, noting their input hash.

    Progress advances here for the records dropped (duplicates and unchanged ones); the
    ones yielded advance it once extracted.
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


def _index(config: Config, store: Store, ids: list[str]) -> int:
    """Index ids: update the live index, or rebuild it when they are many."""
    from archive import index

    if not ids:
        return 0
    if index.live_dir(config) is None or len(ids) >= max(BULK_INDEX_MIN, store.count() // 5):
        # Many new articles: the bulk builder is faster than Whoosh's writer and writes
        # the per-segment packs the fast search path reads.
        return index.reindex(config, store).articles
    # New articles may add names or shift a surname's dominance; articles indexed earlier
    # keep the canonical names of their time until the next reindex.
    count = index.update_index(config, store, ids, registry=identity.refresh(store))
    store.mark_indexed(ids)
    return count
