"""Keep the Whoosh index in step with the store: lock, update, full reindex with atomic swap, check.

An archive home holds the live index as a symlink `whoosh` to a directory
`whoosh-<stamp>/`; a reindex builds a new directory and renames a fresh symlink over the
old one, so readers see the old index or the new one, never half of either.
"""

from __future__ import annotations

import fcntl
import io
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from whoosh import index as windex
from whoosh.codec.base import Segment
from whoosh.filedb.structfile import StructFile
from whoosh.index import FileIndex, LockError
from whoosh.writing import MERGE_SMALL, SegmentWriter

from archive import identity, store_faults
from archive.config import Config
from archive.errors import ArchiveError, IndexBusy, IndexDamaged, IndexOutdated
from archive.index import integrity, packing
from archive.index import schema as S
from archive.index.agreement import CheckReport, compare_ids
from archive.index.directories import DIR_PREFIX as DIR_PREFIX  # where tests find it
from archive.index.directories import clean_old_dirs, live_dir, new_dir, swap_in
from archive.index.packfile import BULK, pack_origin, pack_path, read_pack
from archive.index.schema import INDEX_NAME
from archive.store import Store
from archive.store import now as store_clock

LOCK_NAME = "index.lock"


@dataclass
class ReindexStats:
    """What a full reindex did."""

    articles: int
    seconds: float
    workers: int
    segments: int
    path: str

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


class IndexGeneration(NamedTuple):
    """One committed state of an index: its directory and the generation of its TOC.

    A reindex swaps in another directory; each commit to a directory writes a TOC of
    the next generation. Readers compare this to notice either.
    """

    directory: str
    generation: int


@contextmanager
def index_lock(config: Config, wait: float = 0.0) -> Iterator[None]:
    """Hold the archive-wide index lock (an flock, so a killed holder never wedges it)."""
    config.home.mkdir(parents=True, exist_ok=True)
    # Closing the descriptor releases the flock.
    with open(config.home / LOCK_NAME, "a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        "another ingest or reindex is running; wait for it to finish and "
                        "try again (if it was killed, the lock is already free)"
                    ) from None
                time.sleep(0.1)
        yield


def create_empty(config: Config) -> Path:
    """Create an empty index and make it live (caller holds the lock)."""
    new = new_dir(config)
    windex.create_in(str(new), S.make_schema(), indexname=INDEX_NAME)
    integrity.write_manifest(new)
    swap_in(config, new)
    return new


def open_live(config: Config) -> FileIndex | None:
    """Open the live Whoosh index, or return None when there is none."""
    path = live_dir(config)
    if path is None or integrity.latest_generation(path) < 0:
        return None
    # Sizes first (a stat per file): a truncated file is named before Whoosh trips on it.
    integrity.require_sound(path)
    try:
        return windex.open_dir(str(path), indexname=INDEX_NAME)
    except (ImportError, AttributeError) as error:
        # The schema is pickled with its analyzers' import paths: an index written by an
        # older layout names modules that no longer exist.
        raise IndexOutdated(
            f"the index at {path} was written by another version of "
            f"newsarchive ({error}): run `newsarchive reindex`"
        ) from None
    except Exception as error:  # a TOC Whoosh cannot read, whatever it raises for it
        _close_files_left_open(error)
        integrity.require_sound(path, checksums=True)
        raise IndexDamaged(
            f"the index at {path} cannot be read ({type(error).__name__}: {error}): "
            "run `newsarchive reindex`"
        ) from None


def _close_files_left_open(error: BaseException) -> None:
    # Whoosh does not close a file it fails to parse: close those its frames still hold.
    trace = error.__traceback__
    while trace is not None:
        for value in trace.tb_frame.f_locals.values():
            if isinstance(value, (io.IOBase, StructFile)):
                value.close()
        trace = trace.tb_next


def generation_of(ix: FileIndex) -> IndexGeneration:
    """Return the directory of an opened index and the newest generation it holds now."""
    return IndexGeneration(ix.storage.folder, ix.latest_generation())


def update_index(
    config: Config,
    store: Store,
    ids: Iterable[str],
    wait: float = 0.0,
    registry: identity.Registry | None = None,
) -> int:
    """Add or replace these stored articles in the live index (creating it if missing),
    their people named by registry (by their own strings when None)."""
    registry = registry or identity.Registry()
    ids = sorted(set(ids))
    if not ids:
        return 0
    with index_lock(config, wait):
        ix = open_live(config)
        if ix is None:
            create_empty(config)
            ix = open_live(config)
            assert ix is not None, "an index was just created"
        try:
            writer = ix.writer()
        except LockError:
            raise IndexBusy("the index is locked by another writer; try again") from None
        written = 0
        try:
            for article_id in ids:
                article = store.get(article_id)
                if article is None:
                    # Gone from the store: the index must not keep it either.
                    writer.delete_by_term(S.ID_FIELD, article_id)
                    continue
                writer.update_document(**S.document(registry.apply(article)))
                written += 1
            # Only segments Whoosh wrote are merged (keep_packed_segments); a merge never
            # reads a packed segment back through Whoosh's slow path.
            writer.commit(mergetype=keep_packed_segments)
        except BaseException:
            writer.cancel()  # a failed commit keeps Whoosh's lock unless cancelled
            raise
        _pack_new_segments(ix, store, registry)
        integrity.write_manifest(Path(ix.storage.folder))
        return written


def _pack_new_segments(ix: FileIndex, store: Store, registry: identity.Registry) -> None:
    # Packs for the segments Whoosh wrote (packing.py), then an empty commit: a new
    # generation, so searchers reopen and read them.
    if packing.pack_new_segments(ix, store, registry):
        writer = ix.writer()
        try:
            writer.commit(merge=False)
        except BaseException:
            writer.cancel()
            raise


def keep_packed_segments(writer: SegmentWriter, segments: list[Segment]) -> list[Segment]:
    """Whoosh's MERGE_SMALL over the segments it wrote itself; bulk-built ones stay whole.

    MERGE_SMALL merges the smallest segments up to the first i > 3 with fewer documents in
    them than fib(i + 5): at a million articles in 34 bulk-built segments of 30,000 that is
    26 of them (780,000 articles) re-read posting by posting through Whoosh on the next
    ingest of a single article, and written back as one segment without a pack.
    """
    folder = writer.storage.folder
    bulk = [seg for seg in segments if _bulk_built(pack_path(folder, seg))]
    written = [seg for seg in segments if seg not in bulk]
    return bulk + MERGE_SMALL(writer, written)


def _bulk_built(path: Path) -> bool:
    # Segments Whoosh wrote may carry a pack too (packing.py): their Whoosh files still
    # hold the text, so they may merge; a bulk-built segment's text is in its pack alone.
    pack = read_pack(path)
    return pack is not None and pack_origin(pack.meta) == BULK


def index_ids(ix: FileIndex) -> list[str]:
    """Return the ids of every live document in the index."""
    with ix.searcher() as searcher:
        return [fields[S.ID_FIELD] for _, fields in searcher.reader().iter_docs()]


def check(config: Config, store: Store) -> CheckReport:
    """Verify the store's and the index's files, compare their ids, say what differs and
    how to fix it."""
    store_problems = store_faults.integrity_problems(store.path)
    if store_problems:
        return CheckReport(False, [str(store_faults.damaged(store.path, store_problems))])
    store_ids = store.ids()
    path = live_dir(config)
    if path is None or integrity.latest_generation(path) < 0:
        return CheckReport(
            False,
            [f"no index at {config.index_path}: run `newsarchive reindex`"],
            len(store_ids),
            0,
        )
    verified = integrity.verify(path, checksums=True)
    try:
        if verified.problems:
            raise integrity.damage(verified.problems)
        listed = _readable_ids(config)
    except IndexDamaged as error:
        return CheckReport(False, [str(error)], len(store_ids), 0)
    report = compare_ids(store_ids, listed)
    if not verified.recorded:
        report.messages.append(
            f"note: the index at {path} has no record of its files' checksums (it was "
            "built by an older newsarchive): `newsarchive reindex` adds one"
        )
    return report


def _readable_ids(config: Config) -> list[str]:
    ix = open_live(config)
    if ix is None:  # swapped away since: the live one is another index, read it next time
        return []
    try:
        return index_ids(ix)
    except Exception as error:  # a stored-fields file Whoosh cannot read, unrecorded
        raise IndexDamaged(
            f"the index at {ix.storage.folder} cannot be read ({type(error).__name__}: "
            f"{error}): run `newsarchive reindex`"
        ) from None
    finally:
        ix.close()


def _refuse_to_empty(config: Config) -> None:
    """Raise ArchiveError when the live index holds articles (an empty store would erase it)."""
    live = open_live(config)
    if live is None:
        return
    with live.searcher() as searcher:
        indexed = searcher.doc_count()
    if indexed:
        raise ArchiveError(
            f"the store at {config.store_path} is empty but the live index holds {indexed} "
            "articles: not replacing it with an empty index (pass --allow-empty to do so)"
        )


def reindex(
    config: Config,
    store: Store,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    allow_empty: bool = False,
) -> ReindexStats:
    """Rebuild the whole index from the store into a fresh directory, then swap it in.

    progress(n) is called as segments finish, with the number of articles each added.
    An empty store does not replace a live index that holds articles unless allow_empty
    says so: an emptied or wrong store is likelier than a wish to erase the index.
    """
    from archive.index import builder

    started = time.monotonic()
    with index_lock(config):
        if not allow_empty and store.count() == 0:
            _refuse_to_empty(config)
        snapshot = store_clock()
        identity.refresh(store)  # the builder's workers index the canonical names
        new = new_dir(config)
        try:
            built = builder.build(new, store, workers=workers, progress=progress)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)  # the old index keeps serving
            raise
        swap_in(config, new)
        store.mark_indexed_before(snapshot)
        clean_old_dirs(config)
    return ReindexStats(
        built.articles, time.monotonic() - started, built.workers, built.segments, str(new)
    )
