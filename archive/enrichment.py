"""Extraction over stored articles, and keeping the index in step with the store.

Ingest stores and indexes the articles it reads first, without people or outlets, so they
are keyword-searchable at once; then this pass extracts the stored articles that await it
(extractor unset), EXTRACT_BATCH articles at a time. Each batch is committed to the store
with the extractor's version; then the live index is brought up to date (with a person
registry refreshed from every extracted article so far) after the first batch and then as
often as INDEX_SHARE of the time allows, so the facets fill in as it goes.
A run killed at any point loses at most the batch in flight: the next `ingest` or
`reextract` extracts what still awaits it. `reextract` runs the same pass over the articles
another extractor version made.

Indexing: a few articles update the live index in place; many of them, at least

    max(BULK_INDEX_MIN, articles in the store / 5)

rebuild it, which is faster than Whoosh's writer and writes the packs the fast search path
reads. A pass that extracted that many rebuilds the index once more at its end, so every
article carries the person registry of the whole archive, not the one of its batch's time.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from itertools import islice

from archive import extract, identity
from archive.config import Config
from archive.errors import IndexBusy
from archive.extract.domains import DomainLabels
from archive.models import Article
from archive.stages import Stage, StageStart
from archive.store import Store

EXTRACT_BATCH = 500  # articles extracted and committed to the store together
BULK_INDEX_MIN = 1000  # from this many articles to index, rebuild rather than update
READ_BATCH = 500  # articles read back from the store at a time
INDEX_SHARE = 0.2  # most of an extraction pass's time that index updates may take


def index_unindexed(config: Config, store: Store, stages: StageStart | None = None) -> int:
    """Index every stored article the index does not hold yet; return how many were."""
    from archive import index

    ids = store.unindexed_ids()
    if not ids:
        return 0
    if index.live_dir(config) is None or _many(store, len(ids)):
        progress = stages(Stage.INDEXING, store.count()) if stages else None
        return index.reindex(config, store, progress=progress).articles
    progress = stages(Stage.INDEXING, len(ids)) if stages else None
    count = _update(config, store, ids)
    if progress:
        progress(len(ids))
    return count


def _many(store: Store, count: int) -> bool:
    """Tell whether count articles are enough to rebuild the index rather than update it."""
    return count >= max(BULK_INDEX_MIN, store.count() // 5)


def _update(config: Config, store: Store, ids: list[str]) -> int:
    """Update the live index in place with ids, their people named by a fresh registry."""
    from archive import index

    # New articles may add names or shift a surname's dominance; articles indexed earlier
    # keep the canonical names of their time until the next rebuild.
    count = index.update_index(config, store, ids, registry=identity.refresh(store))
    store.mark_indexed(ids)
    return count


def extract_stored(
    config: Config,
    store: Store,
    ids: list[str],
    *,
    workers: int | None = None,
    stages: StageStart | None = None,
    index: bool = True,
) -> int:
    """Extract the people and outlets of the stored articles ids, a committed (and, with
    index, indexed) batch at a time; return how many were extracted."""
    if not ids:
        return 0  # before anything loads the model: a run with nothing to do stays cheap
    progress = stages(Stage.EXTRACTING, len(ids)) if stages else None
    hashes = {i: state.input_hash for i, state in store.states(ids).items()}
    # Learned from the whole store, this run's articles included: they are stored already.
    learned = DomainLabels(store.label_domain_pairs())
    enriched = extract.enrich(_stored(store, ids), workers, progress, fold=learned.fold)
    cadence = _IndexCadence()
    done = 0
    while batch := list(islice(enriched, EXTRACT_BATCH)):
        rows = [(article, hashes[article.id]) for article in batch]
        store.write_batch(rows, [], extract.EXTRACTOR_VERSION)
        done += len(batch)
        if index and cadence.due():
            with cadence.timed():
                _index_batch(config, store)
    if index and _many(store, done):
        _rebuild(config, store, stages)
    elif index:
        index_unindexed(config, store, stages)  # what a busy index made a batch skip
    return done


class _IndexCadence:
    """Decides after which batches the index is brought up to date: after the first, then
    whenever the time since the last update is at least

        last update's seconds * (1 - INDEX_SHARE) / INDEX_SHARE

    so updates take at most INDEX_SHARE of the pass however slow they grow (a big index,
    a busy machine), and the facets still fill in every few batches."""

    def __init__(self) -> None:
        self.cost = 0.0  # seconds the last update took
        self.ended = time.monotonic()

    def due(self) -> bool:
        """Tell whether an update is due now."""
        waited = time.monotonic() - self.ended
        return waited >= self.cost * (1 - INDEX_SHARE) / INDEX_SHARE

    @contextlib.contextmanager
    def timed(self) -> Iterator[None]:
        """Time the update made inside the block."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.ended = time.monotonic()
            self.cost = self.ended - started


def _stored(store: Store, ids: list[str]) -> Iterator[Article]:
    """Yield the stored articles ids, reading a batch at a time."""
    for start in range(0, len(ids), READ_BATCH):
        yield from store.get_many(ids[start : start + READ_BATCH])


def _index_batch(config: Config, store: Store) -> None:
    """Bring the live index up to date after a batch, unless another process holds it
    (the articles stay flagged unindexed, so a later batch or the pass's end does them)."""
    from archive import index

    ids = store.unindexed_ids()
    if not ids or index.live_dir(config) is None:
        return  # with no index yet, the pass's end builds the whole of it
    with contextlib.suppress(IndexBusy):
        _update(config, store, ids)


def _rebuild(config: Config, store: Store, stages: StageStart | None) -> None:
    """Rebuild the whole index (with the registry of the whole archive)."""
    from archive import index

    progress = stages(Stage.INDEXING, store.count()) if stages else None
    index.reindex(config, store, progress=progress)


def reextract_store(
    config: Config,
    *,
    since: str | None = None,
    everything: bool = False,
    workers: int | None = None,
    index: bool = True,
    stages: StageStart | None = None,
) -> int:
    """Run extraction again over stored articles (by default those another version made,
    or none did); return how many."""
    with Store(config.store_path) as store:
        ids = store.ids_for_extraction(since, everything, extract.EXTRACTOR_VERSION)
        done = extract_stored(config, store, ids, workers=workers, stages=stages, index=index)
        if index:
            index_unindexed(config, store, stages)  # also what an earlier run left unindexed
    return done
