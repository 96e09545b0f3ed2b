"""Every error the archive raises on purpose, in one hierarchy.

Each class says what went wrong in words a user can act on; the command line maps
ArchiveError to a one-line message (cli.py) and the web app maps each class to a status
(web/__init__.py). Anything else escaping is a bug and is shown as one.
"""

from __future__ import annotations


class ArchiveError(Exception):
    """Base of the archive's own errors: the message says what happened and what to do."""


class InputError(ArchiveError):
    """A whole input file cannot be read (its records are rejected, the batch goes on)."""


class SearchError(ArchiveError):
    """A query or search parameter that no search can use (HTTP 400)."""


class SearchTimeout(SearchError):
    """A search ran past its time budget and was stopped (HTTP 503 with Retry-After)."""


class ServerBusy(ArchiveError):
    """The server has no room for this request now (HTTP 503 with Retry-After)."""


class ArchiveMissing(ArchiveError):
    """There is no store at the archive home yet (HTTP 503)."""


class IndexMissing(ArchiveError):
    """There is no search index to read (HTTP 503)."""


class IndexOutdated(IndexMissing):
    """The index was written by an incompatible version and must be rebuilt."""


class IndexDamaged(IndexMissing):
    """An index file is truncated or corrupted (the message names it); reindex rebuilds it."""


class ArchiveReadOnly(ArchiveError):
    """A command that writes met a home it may not write (another user's, a read-only mount)."""


class DiskFull(ArchiveError):
    """The disk filled up during a write: the write is undone, what was committed is kept."""


class StoreDamaged(ArchiveError):
    """The SQLite store is corrupt; the message carries PRAGMA integrity_check's answer."""


class PortInUse(ArchiveError):
    """The address and port to serve on are taken by another program."""


class IndexBusy(ArchiveError):
    """Another ingest or reindex holds the index lock."""
