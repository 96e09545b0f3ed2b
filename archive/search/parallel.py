"""Segments searched side by side: a small thread pool per process.

A search's work is per segment (evaluation, filters, facet values) and almost all of it is
numpy (masks, binary searches, gathers) and pread, which run without Python's global lock,
so on a machine with several cores the segments of one search can be worked on at once:
at a million articles in 34 segments a phrase of common words or an OR of ten words is
bound by exactly this work. Results come back in segment order, so nothing a search
returns depends on which thread ran what.

Each task runs in a copy of the caller's context, so the search's time budget
(budget.py, a context variable) holds in the pool's threads too. The pool is made on
first use in each process: a server forks its workers, and threads do not survive a fork.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_THREADS = 4  # more threads than this buy nothing on the searches measured

_pool: ThreadPoolExecutor | None = None
_pool_pid = 0


def threads() -> int:
    """Return how many threads the pool runs: the cores this process may use, at most
    MAX_THREADS."""
    return max(1, min(MAX_THREADS, len(os.sched_getaffinity(0))))


def map_ordered(work: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """Return [work(item) for item in items], computed on the pool when there are several
    items and cores; the first exception raised by any item is raised here."""
    items = list(items)
    if len(items) < 2 or threads() < 2:
        return [work(item) for item in items]
    pool = _shared_pool()
    futures = [pool.submit(contextvars.copy_context().run, work, item) for item in items]
    return [future.result() for future in futures]


def _shared_pool() -> ThreadPoolExecutor:
    global _pool, _pool_pid
    if _pool is None or _pool_pid != os.getpid():
        _pool, _pool_pid = ThreadPoolExecutor(threads(), "search"), os.getpid()
    return _pool
