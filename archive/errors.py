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


class ArchiveMissing(ArchiveError):
    """There is no store at the archive home yet (HTTP 503)."""


class IndexMissing(ArchiveError):
    """There is no search index to read (HTTP 503)."""


class IndexOutdated(IndexMissing):
    """The index was written by an incompatible version and must be rebuilt."""


class IndexBusy(ArchiveError):
    """Another ingest or reindex holds the index lock."""
