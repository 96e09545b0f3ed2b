"""Unexpected errors explained: which fault of the archive's files lies behind them.

The command line and the web app call diagnose() on an error none of their handlers
expected. When the archive's own files explain it (the store corrupt, read-only or on a
full disk; an index file truncated or corrupted) the answer is the archive's error that
says so, which they show instead of a traceback or a 500; otherwise None, and the error
is a bug, shown as one. Diagnosing an index reads all its files (checksums), which is
why it only runs once something has already gone wrong.
"""

from __future__ import annotations

import errno
import time
from pathlib import Path
from typing import Any

from archive import store_faults
from archive.config import Config
from archive.errors import ArchiveError

_NOT_ALLOWED = (errno.EROFS, errno.EACCES, errno.EPERM)
REVERIFY_AFTER = 60.0  # seconds an index's verification answers for it
_verified: dict[Path, tuple[float, list[Any]]] = {}  # index directory: (when, problems)


def diagnose(config: Config, error: BaseException) -> ArchiveError | None:
    """Return the archive's error explaining error, or None when its files do not."""
    if store_faults.is_store_error(error):
        return store_faults.diagnose(config.store_path, error)
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return ArchiveError(
            f"disk full: writing under {config.home} failed ({error}); the archive keeps "
            "what was committed before: free some space and run this again"
        )
    refused = isinstance(error, OSError) and error.errno in _NOT_ALLOWED
    if refused and not store_faults.writable(config.store_path):
        return store_faults.read_only_error(config.store_path)
    if isinstance(error, Exception):
        return index_damage(config)
    return None


def index_damage(config: Config) -> ArchiveError | None:
    """Return the error naming the live index's damaged files, or None when its record of
    sizes and checksums finds none (or it has no record)."""
    from archive.index import integrity  # the index package loads Whoosh: only when needed

    path = config.index_path
    if not path.exists():
        return None
    folder = path.resolve()
    # At most one full read per index and minute: a bug answered 500 over and over must
    # not make every such request read the whole index again.
    checked = _verified.get(folder)
    if checked is None or time.monotonic() - checked[0] > REVERIFY_AFTER:
        checked = (time.monotonic(), integrity.verify(folder, checksums=True).problems)
        _verified[folder] = checked
    problems = checked[1]
    return integrity.damage(problems) if problems else None
