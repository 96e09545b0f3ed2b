"""Ingest: read inputs, skip what is unchanged, extract, store, then index."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from itertools import islice
from typing import Callable, Iterable, Iterator

from archive import extract
from archive.config import Config
from archive.models import Article, content_hash
from archive.readers import Rejection, find_files, read_file
from archive.store import Store

BATCH_SIZE = 500
BULK_INDEX_MIN = 1000  # from this many articles to index, rebuild rather than update


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

    def to_json(self) -> dict:
        return {
            "read": self.read, "added": self.added, "updated": self.updated,
            "unchanged": self.unchanged, "duplicates": self.duplicates,
            "rejected": len(self.rejected), "warnings": self.warnings, "indexed": self.indexed,
            "rejections": [{"source": r.source, "reason": r.reason} for r in self.rejected],
        }


def ingest_paths(config: Config, paths: Iterable[str | os.PathLike], *, workers: int | None = None,
                 progress: Callable[[int], None] | None = None, index: bool = True,
                 run_extraction: bool = True) -> IngestReport:
    """Ingest every article under paths into the store (and the index).

    With run_extraction=False articles are stored as read (extractor unset), for a
    fast bulk load that `newsarchive reextract` completes later.
    """
    report = IngestReport()
    with Store(config.store_path) as store:
        hashes: dict[str, str] = {}
        complete_files: list[tuple[str, int, str, int]] = []
        records = _read_all(paths, config, report, store, complete_files, progress)
        pending = _new_or_changed(records, store, report, hashes, progress)
        if run_extraction:
            enriched = extract.enrich(pending, workers=workers, progress=progress)
            version = extract.EXTRACTOR_VERSION
        else:
            enriched, version = _counted(pending, progress), None
        written = 0  # rejections already in the store
        while True:
            batch = list(islice(enriched, BATCH_SIZE))
            rows = [(a, hashes.pop(a.id)) for a in batch]
            fresh = [(r.source, r.reason) for r in report.rejected[written:]]
            written = len(report.rejected)
            store.write_batch(rows, fresh, version)
            if not batch:
                break
        # Only now is every record of these files stored: a killed run re-reads them.
        store.remember_files(complete_files)
        if index:
            # Everything not yet indexed, including what a killed earlier run stored.
            report.indexed = _index(config, store, store.unindexed_ids())
    return report


def _read_all(paths, config: Config, report: IngestReport, store: Store,
              complete_files: list, progress) -> Iterator[Article]:
    """Yield the articles of every input file, skipping files read in full before."""
    for item in find_files(paths):
        if isinstance(item, Rejection):
            report.read += 1
            report.rejected.append(item)
            continue
        fingerprint = _fingerprint(item, config)
        known = fingerprint and store.known_file(*fingerprint)
        if known:
            report.read += known
            report.unchanged += known
            if progress:
                progress(known)
            continue
        records = rejected = 0
        for record in read_file(item, config):
            records += 1
            report.read += 1
            if isinstance(record, Rejection):
                rejected += 1
                report.rejected.append(record)
            else:
                report.warnings += bool(record.warnings)
                yield record
        if fingerprint and not rejected:
            complete_files.append(fingerprint + (records,))


def _fingerprint(path, config: Config) -> tuple[str, int, str] | None:
    """Return (key, size, digest) identifying this file's content and reading options."""
    try:
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "blake2b").hexdigest()
        size = path.stat().st_size
    except OSError:
        return None  # read_file reports the problem
    return f"{path.resolve()}\0{config.timezone}", size, digest


def reextract_store(config: Config, *, since: str | None = None, everything: bool = False,
                    workers: int | None = None, progress: Callable[[int], None] | None = None,
                    index: bool = True) -> int:
    """Run extraction again over stored articles (by default those another version made)."""
    done = 0
    with Store(config.store_path) as store:
        ids = store.ids_for_extraction(since, everything, extract.EXTRACTOR_VERSION)
        hashes = {i: s.input_hash for i, s in store.states(ids).items()}

        def stored():
            for start in range(0, len(ids), BATCH_SIZE):
                yield from store.get_many(ids[start:start + BATCH_SIZE])

        enriched = extract.enrich(stored(), workers=workers, progress=progress)
        while batch := list(islice(enriched, BATCH_SIZE)):
            store.write_batch([(a, hashes[a.id]) for a in batch], [], extract.EXTRACTOR_VERSION)
            done += len(batch)
        if index:
            _index(config, store, store.unindexed_ids())
    return done


def _counted(articles: Iterator[Article], progress) -> Iterator[Article]:
    for article in articles:
        if progress:
            progress(1)
        yield article


def _new_or_changed(records: Iterator[Article], store: Store, report: IngestReport,
                    hashes: dict[str, str], progress) -> Iterator[Article]:
    """Yield the articles the store lacks or holds in another form, noting their input hash."""
    seen: set[str] = set()
    while batch := list(islice(records, BATCH_SIZE)):
        unique = []
        for article in batch:
            if article.id in seen:
                report.duplicates += 1
            else:
                seen.add(article.id)
                unique.append(article)
        states = store.states(a.id for a in unique)
        skipped = 0
        for article in unique:
            digest = content_hash(article)
            state = states.get(article.id)
            if state is None:
                report.added += 1
            elif state.input_hash == digest:
                report.unchanged += 1
                skipped += 1
                continue
            else:
                report.updated += 1
            hashes[article.id] = digest
            yield article
        if progress and skipped:
            progress(skipped + len(batch) - len(unique))


def _index(config: Config, store: Store, ids: list[str]) -> int:
    from archive import index

    if not ids:
        return 0
    if index.live_dir(config) is None or len(ids) >= max(BULK_INDEX_MIN, store.count() // 5):
        # Many new articles: the bulk builder is faster than Whoosh's writer and writes
        # the per-segment packs the fast search path reads.
        return index.reindex(config, store).articles
    count = index.update_index(config, store, ids)
    store.mark_indexed(ids)
    return count


def count_records(paths: Iterable[str | os.PathLike]) -> int:
    """Estimate how many records paths hold (JSON Lines: lines; other files: one), for progress."""
    import gzip

    total = 0
    for item in find_files(paths):
        if isinstance(item, Rejection):
            continue
        name = item.name.lower()
        if ".jsonl" in name or ".ndjson" in name:
            try:
                opener = gzip.open if name.endswith(".gz") else open
                with opener(item, "rb") as handle:
                    total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            except OSError:
                total += 1
        else:
            total += 1
    return total
