"""The store's faults named for an operator: read-only homes, a full disk, a corrupt file.

SQLite reports these as bare error codes ("unable to open database file", "database or
disk is full", "database disk image is malformed"); here each becomes the archive's own
error (archive/errors.py) saying which file, what happened and what to do. Opening for
reading never needs write access: a WAL store whose -shm file is gone (its last writer
closed cleanly) cannot be opened `mode=ro` in a directory we may not write, nor on a
disk without a byte left to create that file, so such a store is opened `immutable=1`,
which reads the file as it is (nobody can be writing it then). Store.transaction() is a
Transaction from here: it never hides SQLite's error behind a failed second ROLLBACK.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from types import TracebackType
from typing import TypeGuard

from archive.errors import ArchiveError, ArchiveReadOnly, DiskFull, StoreDamaged

# Primary SQLite result codes (an extended code keeps the primary one in its low byte).
SQLITE_READONLY = 8
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_NOTADB = 26
INTEGRITY_LINES = 10  # integrity_check stops after this many problems


def writable(path: Path) -> bool:
    """Say whether this process may write the store at path and its directory (access(2)
    also answers "no" on a read-only mount, even to root)."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # a home still to be created: its first existing ancestor
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def read_only_error(path: Path) -> ArchiveReadOnly:
    """Return the error of a write asked of a home this process may not write."""
    return ArchiveReadOnly(
        f"the archive at {path.parent} is read-only: reading it works (stats, search, show, "
        "check, serve), but ingest and reindex need write access to the directory and its "
        "files (run them as the archive's owner, or on a writable copy)"
    )


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open the store at path for reading only, with or without write access to its home."""
    # A URI built by pathlib: a home such as "news#1" must not end the path at "#".
    uri = path.resolve().as_uri()
    db = _connect(uri + "?mode=ro")
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as error:
        db.close()
        # The WAL index (-shm) is missing and cannot be created (a directory we may not
        # write, a disk without a byte left): read the file as it is.
        db = _connect(uri + "?mode=ro&immutable=1")
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise error from None
        return db


def _connect(uri: str) -> sqlite3.Connection:
    return sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)


def is_store_error(error: BaseException) -> TypeGuard[sqlite3.Error]:
    """Say whether error is SQLite's (for modules that leave SQLite to the store)."""
    return isinstance(error, sqlite3.Error)


def primary_code(error: sqlite3.Error) -> int:
    """Return the primary SQLite result code of an error (0 when it carries none)."""
    return (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def diagnose(path: Path, error: sqlite3.Error) -> ArchiveError | None:
    """Return the archive's error for an SQLite error met on the store at path, or None
    when it is none of the faults named here (then it is a bug, shown as one)."""
    code = primary_code(error)
    text = str(error)
    if code == SQLITE_FULL or "disk is full" in text:
        return disk_full(path, error)
    if code == SQLITE_READONLY or "readonly database" in text:
        return read_only_error(path)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text:
        return damaged(path)
    if "unable to open database file" in text and not writable(path):
        return read_only_error(path)
    return None


def raise_diagnosed(path: Path, error: sqlite3.Error) -> None:
    """Raise the archive's error for error when diagnose names one (chained to it);
    return otherwise, for the caller to raise the original."""
    diagnosed = diagnose(path, error)
    if diagnosed is not None:
        raise diagnosed from error


def disk_full(path: Path, error: sqlite3.Error) -> DiskFull:
    """Return the error of a write that found the disk full (the transaction was undone)."""
    return DiskFull(
        f"disk full: the store at {path} could not be written ({error}); everything "
        "committed before is kept: free some space and run this again"
    )


def damaged(path: Path, problems: list[str] | None = None) -> StoreDamaged:
    """Return the error naming the store as corrupt, with PRAGMA integrity_check's answer
    (problems, when the caller has it already)."""
    answer = "; ".join(integrity_problems(path) if problems is None else problems)
    return StoreDamaged(
        f"the store at {path} is damaged (PRAGMA integrity_check: {answer}): restore "
        "archive.sqlite3 from a backup, or ingest the inputs again into a new home"
    )


def require_sound_table(db: sqlite3.Connection, path: Path, table: str) -> None:
    """Raise StoreDamaged unless PRAGMA quick_check finds table and its indexes sound."""
    try:
        answer = [str(row[0]) for row in db.execute(f"PRAGMA quick_check({table})")]
    except sqlite3.DatabaseError as error:
        answer = [str(error)]
    if answer != ["ok"]:
        raise damaged(path)


def integrity_problems(path: Path) -> list[str]:
    """Return what PRAGMA integrity_check finds wrong with the store ([] when it says ok);
    a file SQLite cannot read at all answers with SQLite's own error."""
    try:
        db = connect_readonly(path)
    except sqlite3.DatabaseError as error:
        return [str(error)]
    try:
        rows = db.execute(f"PRAGMA integrity_check({INTEGRITY_LINES})").fetchall()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        db.close()
    # A row may hold several lines ("*** in database main ***" and the first problem).
    answer = [line for row in rows for line in str(row[0]).splitlines() if line.strip()]
    return [] if answer == ["ok"] else answer[:INTEGRITY_LINES]


class Transaction:
    """One IMMEDIATE transaction (a context manager): committed, or rolled back on an
    error, which is raised as the fault it is when it is one (diagnose)."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path

    def __enter__(self) -> None:
        self._run("BEGIN IMMEDIATE")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self._run("COMMIT")
            return
        # SQLite may have rolled back already (a full disk does): a second ROLLBACK would
        # replace the real error with "cannot rollback - no transaction is active".
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            raise_diagnosed(self.path, exc)

    def _run(self, statement: str) -> None:
        try:
            self.db.execute(statement)
        except sqlite3.DatabaseError as error:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")  # a failed COMMIT leaves the transaction open
            raise_diagnosed(self.path, error)
            raise
