"""Keep the Whoosh index in step with the store: lock, update, full reindex with atomic swap, check.

An archive home holds the live index as a symlink `whoosh` to a directory
`whoosh-<stamp>/`; a reindex builds a new directory and renames a fresh symlink over the
old one, so readers see the old index or the new one, never half of either.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from whoosh import index as windex
from whoosh.index import FileIndex, LockError

from archive import identity
from archive.config import Config
from archive.errors import ArchiveError, IndexBusy, IndexOutdated
from archive.index import schema as S
from archive.index.schema import INDEX_NAME
from archive.store import Store
from archive.store import now as store_clock

LOCK_NAME = "index.lock"
DIR_PREFIX = "whoosh-"


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


@dataclass
class CheckReport:
    """Whether store and index agree; messages say what differs and how to fix it."""

    ok: bool
    messages: list[str] = field(default_factory=list)
    store_count: int = 0
    index_count: int = 0


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


def live_dir(config: Config) -> Path | None:
    """Return the real directory of the live index, or None when there is none."""
    path = config.index_path
    if not path.exists():
        return None
    return path.resolve()


def _new_dir(config: Config) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}"
    path = config.home / f"{DIR_PREFIX}{stamp}"
    path.mkdir(parents=True)
    return path


def swap_in(config: Config, new_dir: Path) -> None:
    """Point the live symlink at new_dir atomically (rename a fresh symlink over it)."""
    link = config.index_path
    if link.exists() and not link.is_symlink():
        # An index directory from before symlinks: move it aside so the link can replace it.
        os.rename(link, config.home / f"{DIR_PREFIX}legacy-{time.time_ns()}")
    tmp = config.home / f".whoosh-link-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(new_dir.name, tmp)  # relative, so the home directory can move
    os.replace(tmp, link)
    _fsync_dir(config.home)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clean_old_dirs(config: Config, keep: int = 1) -> list[Path]:
    """Remove index directories other than the live one and the `keep` newest others."""
    live = live_dir(config)
    others = sorted(
        (p for p in config.home.glob(DIR_PREFIX + "*") if p.is_dir() and p.resolve() != live),
        key=lambda p: p.stat().st_mtime,
    )
    # Searchers that still have an old directory open keep their files (Unix unlink
    # semantics), and they reopen on the live one at their next search.
    doomed = others[:-keep] if keep else others
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return doomed


def create_empty(config: Config) -> Path:
    """Create an empty index and make it live (caller holds the lock)."""
    new = _new_dir(config)
    windex.create_in(str(new), S.make_schema(), indexname=INDEX_NAME)
    swap_in(config, new)
    return new


def open_live(config: Config) -> FileIndex | None:
    """Open the live Whoosh index, or return None when there is none."""
    path = live_dir(config)
    if path is None or not windex.exists_in(str(path), indexname=INDEX_NAME):
        return None
    try:
        return windex.open_dir(str(path), indexname=INDEX_NAME)
    except (ImportError, AttributeError) as error:
        # The schema is pickled with its analyzers' import paths: an index written by an
        # older layout names modules that no longer exist.
        raise IndexOutdated(
            f"the index at {path} was written by another version of "
            f"newsarchive ({error}): run `newsarchive reindex`"
        ) from None


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
            # The commit may merge packed segments away: Whoosh's clean-up deletes their
            # files, packs included (named as the segment's files). Searchers that still
            # use one keep their open copy (Unix unlink semantics).
            writer.commit()
        except BaseException:
            writer.cancel()  # a failed commit keeps Whoosh's lock unless cancelled
            raise
        return written


def index_ids(ix: FileIndex) -> list[str]:
    """Return the ids of every live document in the index."""
    with ix.searcher() as searcher:
        return [fields[S.ID_FIELD] for _, fields in searcher.reader().iter_docs()]


def check(config: Config, store: Store) -> CheckReport:
    """Compare store and index ids and say what differs and how to fix it."""
    store_ids = store.ids()
    ix = open_live(config)
    if ix is None:
        return CheckReport(
            False,
            [f"no index at {config.index_path}: run `newsarchive reindex`"],
            len(store_ids),
            0,
        )
    listed = index_ids(ix)
    ix.close()
    indexed = set(listed)
    messages = []
    missing = sorted(store_ids - indexed)
    extra = sorted(indexed - store_ids)
    duplicates = len(listed) - len(indexed)
    if missing:
        messages.append(
            f"{len(missing)} stored article(s) are not in the index (e.g. {', '.join(missing[:3])})"
        )
    if extra:
        messages.append(
            f"{len(extra)} indexed article(s) are not in the store (e.g. {', '.join(extra[:3])})"
        )
    if duplicates:
        messages.append(f"{duplicates} article(s) are indexed more than once")
    if messages:
        messages.append("fix: run `newsarchive reindex` to rebuild the index from the store")
    else:
        messages.append(f"store and index agree: {len(store_ids)} articles")
    return CheckReport(not (missing or extra or duplicates), messages, len(store_ids), len(listed))


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
        new = _new_dir(config)
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
