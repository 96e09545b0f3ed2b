"""Fast full build: worker processes read store ranges and write finished Whoosh segments.

Stock Whoosh spends most of a bulk build outside the analyzer: Token objects, a posting
pool that pickles, sorts and merges every posting, and a per-posting writer. Here the
store's ids are cut into ranges, and a worker per range (build_worker.py) keeps its
segment's postings in memory and hands whole blocks to Whoosh's own block writer, so the
files are in Whoosh's own format, plus a pack per segment (packfile.py).

The parent then lists the segments in the directory's only table of contents, at the
generation after whatever the directory held, and removes the workers' temporary
directory: a finished build holds one TOC and each segment's files, its pack among them.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from whoosh import index as windex
from whoosh.codec.base import Segment
from whoosh.filedb.filestore import FileStorage

from archive.index import schema as S
from archive.index.build_worker import BuiltSegment, SegmentTask, build_segment
from archive.index.schema import INDEX_NAME
from archive.index.whoosh_internals import next_generation, remove_temp_storage
from archive.store import Store

MIN_PER_WORKER = 2000  # below this a worker process costs more than it saves
MAX_SEGMENT = 30000  # bounds a worker's memory (its postings are held until written)


class BuildResult(NamedTuple):
    """What a build did."""

    articles: int
    segments: int
    workers: int


def build(
    path: Path,
    store: Store,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildResult:
    """Index every stored article into the directory path.

    progress, if given, is called with the number of articles each finished segment added.
    """
    Path(path).mkdir(parents=True, exist_ok=True)
    storage = FileStorage(str(path))
    ids = store.ordered_ids()
    workers = _worker_count(len(ids), workers)
    tasks = _plan(str(path), str(store.path), ids, workers)
    # Listed in task order, the order of their ids, whatever order they finish in.
    built: list[BuiltSegment | None] = [None] * len(tasks)
    for n, segment in _numbered_results(tasks, workers):
        built[n] = segment
        if progress:
            progress(segment.articles)
    segments = [segment for segment in built if segment is not None]
    # The only table of contents, written last: until then the directory is no index.
    _write_toc(storage, [s.segment for s in segments])
    remove_temp_storage(storage, INDEX_NAME)
    return BuildResult(sum(s.articles for s in segments), len(segments), workers)


def _worker_count(total: int, requested: int | None) -> int:
    workers = max(1, requested or os.cpu_count() or 1)
    return min(workers, max(1, total // MIN_PER_WORKER))


def _plan(index_dir: str, store_path: str, ids: list[str], workers: int) -> list[SegmentTask]:
    # At least one segment per worker, and none bigger than MAX_SEGMENT articles.
    total = len(ids)
    if not total:
        return []
    size = math.ceil(total / max(workers, math.ceil(total / MAX_SEGMENT)))
    return [
        SegmentTask(index_dir, store_path, ids[i], ids[i + size] if i + size < total else None)
        for i in range(0, total, size)
    ]


def _numbered_results(tasks: list[SegmentTask], workers: int) -> Iterator[tuple[int, BuiltSegment]]:
    # Each finished segment with its task's number, as soon as it is finished.
    if workers == 1:
        for n, task in enumerate(tasks):
            yield n, build_segment(task)
        return
    # spawn, not fork: the parent holds SQLite connections and maybe threads.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, maxtasksperchild=1) as pool:
        yield from pool.imap_unordered(_numbered, enumerate(tasks))


def _numbered(item: tuple[int, SegmentTask]) -> tuple[int, BuiltSegment]:
    n, task = item
    return n, build_segment(task)


def _write_toc(storage: FileStorage, segments: list[Segment]) -> None:
    generation = next_generation(storage, INDEX_NAME)
    windex.TOC(S.make_schema(), segments, generation).write(storage, INDEX_NAME)
    # Whoosh's own clean-up after a commit: TOCs of other generations, unlisted segments.
    windex.clean_files(storage, INDEX_NAME, generation, segments)
