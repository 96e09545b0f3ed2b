"""Fast full build: worker processes read store ranges and write finished Whoosh segments.

Stock Whoosh spends most of a bulk build outside the analyzer: Token objects, a posting
pool that pickles, sorts and merges every posting, and a per-posting writer. Here the
store's ids are cut into ranges, and a worker per range (build_worker.py) keeps its
segment's postings in memory and hands whole blocks to Whoosh's own block writer, so the
files are in Whoosh's own format, plus a pack per segment (packfile.py).

The parent then lists the segments in the directory's only table of contents, at the
generation after whatever the directory held, removes the workers' temporary
directory and records every file's size and checksum (integrity.py): a finished build
holds one TOC, each segment's files (its pack among them) and that record.

Workers die with the parent: on Linux each asks the kernel for SIGKILL when its parent
goes (prctl PR_SET_PDEATHSIG), so a reindex killed with -9 leaves no orphan writing into
its abandoned directory (elsewhere they may outlive a killed parent; the next reindex
still never mistakes their directory for a finished index: maintenance.py).
"""

from __future__ import annotations

import ctypes
import math
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import NamedTuple, cast

from whoosh import index as windex
from whoosh.codec.base import Segment
from whoosh.filedb.filestore import FileStorage

from archive.errors import ArchiveError
from archive.index import integrity
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
    integrity.write_manifest(Path(path))
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
    # A process per task (a worker's memory is freed with it), started by this thread:
    # the parent-death signal follows the thread that started a process, so a pool whose
    # helper thread starts replacements would see them killed when that thread ends.
    # spawn, not fork: the parent holds SQLite connections and maybe threads.
    context = multiprocessing.get_context("spawn")
    waiting = list(enumerate(tasks))
    running: dict[Connection, tuple[int, BaseProcess]] = {}
    stems: dict[str, str] = {}  # what finished workers stemmed, handed to the next ones
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                n, task = waiting.pop(0)
                receiver, sender = context.Pipe(duplex=False)
                task = task._replace(stems=stems)
                process = context.Process(target=_work, args=(task, sender, os.getpid()))
                process.start()
                sender.close()  # the child's copy is the one left: EOF when it dies
                running[receiver] = (n, process)
            for ready in wait(list(running)):
                finished = cast(Connection, ready)
                number, worker = running.pop(finished)
                built = _outcome(finished, worker)
                stems = {**stems, **built.stems}  # a new dict: started tasks keep theirs
                yield number, built._replace(stems={})
    finally:
        for receiver, (_, unfinished) in running.items():  # an error, or the caller gave up
            unfinished.kill()
            unfinished.join()
            receiver.close()


def _outcome(receiver: Connection, process: BaseProcess) -> BuiltSegment:
    with receiver:
        try:
            done, value = receiver.recv()
        except EOFError:
            done, value = False, None
    process.join()
    if done:
        return cast(BuiltSegment, value)
    if isinstance(value, BaseException):
        raise value
    raise ArchiveError(
        f"an indexing worker died (exit status {process.exitcode}): the live index is "
        "unchanged; run `newsarchive reindex` again"
    )


def _work(task: SegmentTask, sender: Connection, parent: int) -> None:
    """A worker process: build one segment and send (True, it), or (False, the error)."""
    die_with_parent(parent)
    try:
        sender.send((True, build_segment(task)))
    except Exception as error:
        try:
            sender.send((False, error))
        except Exception:  # an error that does not pickle: its text then
            sender.send((False, RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        sender.close()


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Make this worker process die when its parent does (SIGKILL from the kernel)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)  # the C library this process runs on
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    # The parent may have died before the request above: then nobody would kill us.
    if os.getppid() != parent:
        os._exit(1)


def _write_toc(storage: FileStorage, segments: list[Segment]) -> None:
    generation = next_generation(storage, INDEX_NAME)
    windex.TOC(S.make_schema(), segments, generation).write(storage, INDEX_NAME)
    # Whoosh's own clean-up after a commit: TOCs of other generations, unlisted segments.
    windex.clean_files(storage, INDEX_NAME, generation, segments)
