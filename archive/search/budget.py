"""The time budget of one search: a deadline that the long loops check as they go.

A search runs inside `limited(seconds)`; the loops that can run long (prefix expansion, OR
unions, Whoosh's matcher one document at a time, facet counting segment by segment) call
`check()`, which raises SearchTimeout once time.monotonic() has passed
    deadline = start + seconds.
The deadline lives in a context variable, so the searches of concurrent threads each
have their own, and code running outside any search is never stopped. A Searcher holds a
BudgetedLock: whoever holds it (one search at a time) works under the budget, counted from
when the lock is taken, so time spent waiting for it is not charged to the search.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import NamedTuple

from archive.errors import SearchTimeout


class Deadline(NamedTuple):
    """When the running search must stop, and the budget it was given (for the message)."""

    at: float  # time.monotonic() value
    seconds: float


_current: ContextVar[Deadline | None] = ContextVar("search_deadline", default=None)


def _start(seconds: float | None) -> Token[Deadline | None]:
    """Set the deadline seconds from now (None or 0: none), keeping an enclosing budget that
    ends sooner; return the token that restores the enclosing one."""
    outer = _current.get()
    deadline = outer
    if seconds:
        mine = Deadline(time.monotonic() + seconds, seconds)
        deadline = mine if outer is None or mine.at < outer.at else outer
    return _current.set(deadline)


@contextmanager
def limited(seconds: float | None) -> Iterator[None]:
    """Run the block under a budget of seconds (None or 0: no budget)."""
    token = _start(seconds)
    try:
        yield
    finally:
        _current.reset(token)


class BudgetedLock:
    """A re-entrant lock whose holder runs under a time budget of seconds (0: none)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._lock = threading.RLock()
        self._held = threading.local()  # this thread's tokens, innermost last

    def __enter__(self) -> BudgetedLock:
        self._lock.acquire()
        tokens = self._held.__dict__.setdefault("tokens", [])
        tokens.append(_start(self.seconds))
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            _current.reset(self._held.tokens.pop())
        finally:
            self._lock.release()


def check() -> None:
    """Raise SearchTimeout when the running search has used up its budget."""
    deadline = _current.get()
    if deadline is not None and time.monotonic() > deadline.at:
        raise SearchTimeout(
            f"the search took longer than its budget of {deadline.seconds:g} seconds and was "
            "stopped: make it narrower (fewer prefixes, a smaller ~slop, more words)"
        )
