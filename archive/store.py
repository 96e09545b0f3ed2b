"""The SQLite store: the archive's system of record, and the one module running SQL.

The tables and the mapping between an Article and a row are in store_schema.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive import store_faults as faults
from archive.models import Article
from archive.store_reports import ReportQueries
from archive.store_saved import SavedSearches
from archive.store_schema import (
    ADDED_COLUMNS,
    COLUMNS,
    SCHEMA,
    article_row,
    row_article,
    select_list,
)


@dataclass
class StoredState:
    """What the store knows of an article id before an upsert."""

    input_hash: str
    extractor: str | None


class Store(ReportQueries, SavedSearches):
    """Articles, their raw text, every rejection and the person registry, in one SQLite
    file."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        try:
            self.db = self._open(readonly)
            self._read_columns = select_list(self._present_columns())
        except sqlite3.DatabaseError as error:
            if hasattr(self, "db"):
                self.db.close()
            # Read-only home, full disk, corrupt file: said as such (store_faults.py).
            faults.raise_diagnosed(self.path, error)
            raise

    def _open(self, readonly: bool) -> sqlite3.Connection:
        if readonly:
            return faults.connect_readonly(self.path)
        if not faults.writable(self.path):
            raise faults.read_only_error(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._add_missing_columns()
        return self.db

    def _present_columns(self) -> set[str]:
        return {row[1] for row in self.db.execute("PRAGMA table_info(articles)")}

    def _add_missing_columns(self) -> None:
        """Bring a store written before a column existed up to date (its rows get the default)."""
        present = self._present_columns()
        for column, default in ADDED_COLUMNS.items():
            if column in present:
                continue
            try:
                self.db.execute(
                    f"ALTER TABLE articles ADD COLUMN {column} TEXT NOT NULL DEFAULT {default}"
                )
            except sqlite3.OperationalError as error:  # another process added it first
                if "duplicate column" not in str(error):
                    raise

    @staticmethod
    def present(path: str | Path) -> bool:
        """Say whether path holds a store to read: a file with content. Opening a missing
        or zero-byte file for writing would create an empty store, so readers check first."""
        try:
            return Path(path).stat().st_size > 0
        except OSError:  # missing, or not reachable
            return False

    @classmethod
    def open_readonly(cls, path: str | Path) -> Store:
        """Open an existing store for reading only (any thread may use the connection)."""
        return cls(path, readonly=True)

    def require_sound_articles(self) -> None:
        """Raise StoreDamaged unless PRAGMA quick_check finds the tables an export reads
        (articles, and the person registry naming their people) sound."""
        for table in ("articles", "people", "person_aliases"):
            faults.require_sound_table(self.db, self.path, table)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------

    def states(self, ids: Iterable[str]) -> dict[str, StoredState]:
        """Return the stored hash and extractor version of each known id."""
        rows = self._rows_with_ids("id, input_hash, extractor", list(ids))
        return {row[0]: StoredState(row[1], row[2]) for row in rows}

    def write_batch(
        self,
        articles: list[tuple[Article, str]],
        rejections: list[tuple[str, str]],
        extractor: str | None,
    ) -> None:
        """Insert or replace (article, input_hash) pairs and rejections in one transaction."""
        now = _now()
        rows = [article_row(a) + (h, extractor, now, now) for a, h in articles]
        marks = ",".join("?" * (len(COLUMNS) + 4))
        cols = ",".join(COLUMNS + ("input_hash", "extractor", "ingested_at", "updated_at"))
        updates = ",".join(
            f"{c}=excluded.{c}"
            for c in COLUMNS[1:] + ("input_hash", "extractor", "updated_at")
            if c != "raw"
        )
        # An article read back without its raw text must never blank the stored copy.
        updates += (
            ",raw=CASE WHEN excluded.raw != '' THEN excluded.raw ELSE articles.raw END,indexed=0"
        )
        with self.transaction():
            self.db.executemany(
                f"INSERT INTO articles ({cols}) VALUES ({marks}) "
                f"ON CONFLICT(id) DO UPDATE SET {updates}",
                rows,
            )
            self.db.executemany(
                "INSERT INTO rejections (source, reason, at) VALUES (?, ?, ?)",
                [(s, r, now) for s, r in rejections],
            )

    def known_file(self, key: str, size: int, digest: str) -> int | None:
        """Return the record count of a file read in full before and unchanged since, else None."""
        row = self.db.execute(
            "SELECT records FROM files WHERE path = ? AND size = ? AND digest = ?",
            (key, size, digest),
        ).fetchone()
        return row[0] if row else None

    def remember_files(self, files: list[tuple[str, int, str, int]]) -> None:
        """Record (key, size, digest, records) of files whose every record is stored."""
        now = _now()
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", [f + (now,) for f in files]
            )

    def unindexed_ids(self) -> list[str]:
        """Return the ids whose stored version the index does not hold yet."""
        return [row[0] for row in self.db.execute("SELECT id FROM articles WHERE indexed = 0")]

    def mark_indexed_before(self, snapshot: str) -> None:
        """Record that a rebuild begun at snapshot (store clock) indexed every older row.

        Rows written after the rebuild started may have been read before they changed:
        they stay flagged for the next ingest to index again.
        """
        with self.transaction():
            self.db.execute(
                "UPDATE articles SET indexed = 1 WHERE indexed = 0 AND updated_at < ?", (snapshot,)
            )

    def mark_indexed(self, ids: Iterable[str] | None = None) -> None:
        """Record that the index holds these articles (all of them when ids is None)."""
        with self.transaction():
            if ids is None:
                self.db.execute("UPDATE articles SET indexed = 1 WHERE indexed = 0")
            else:
                self.db.executemany(
                    "UPDATE articles SET indexed = 1 WHERE id = ?", ((i,) for i in ids)
                )

    def transaction(self) -> faults.Transaction:
        """Return a context manager for one IMMEDIATE transaction."""
        return faults.Transaction(self.db, self.path)

    # -- reading ---------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        """Return one article by id, or None."""
        row = self.db.execute(
            f"SELECT {','.join(self._read_columns)} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return row_article(row) if row else None

    def get_many(self, ids: list[str]) -> list[Article]:
        """Return the stored articles among ids, in the order given."""
        found = {
            row[0]: row_article(row)
            for row in self._rows_with_ids(",".join(self._read_columns), ids)
        }
        return [found[i] for i in ids if i in found]

    def bodies(self, ids: list[str]) -> dict[str, str]:
        """Return the body text of each stored id among ids."""
        return dict(self._rows_with_ids("id, body", ids))

    def ordered_ids(self) -> list[str]:
        """Return every stored id in id order."""
        return [row[0] for row in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def articles_between(self, low: str, high: str | None) -> Iterator[Article]:
        """Yield the articles with low <= id < high (None: no upper bound) in id order,
        without their raw text (what the index is built from)."""
        cols = ",".join(c if c != "raw" else "'' AS raw" for c in self._read_columns)
        if high is None:
            rows = self.db.execute(f"SELECT {cols} FROM articles WHERE id >= ? ORDER BY id", (low,))
        else:
            rows = self.db.execute(
                f"SELECT {cols} FROM articles WHERE id >= ? AND id < ? ORDER BY id", (low, high)
            )
        for row in rows:
            yield row_article(row)

    def _rows_with_ids(self, columns: str, ids: list[str]) -> Iterator[tuple[Any, ...]]:
        # SQLite caps bound parameters, so long id lists go in chunks.
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(
                f"SELECT {columns} FROM articles WHERE id IN ({marks})", chunk
            )

    def iter_articles(
        self, batch_size: int = 1000, with_raw: bool = False, since: str | None = None
    ) -> Iterator[Article]:
        """Yield every article in id order, reading in batches (raw text only if asked)."""
        cols = [c if (c != "raw" or with_raw) else "'' AS raw" for c in self._read_columns]
        last = ""
        where = " AND updated_at >= ?" if since else ""
        while True:
            params = (last, since, batch_size) if since else (last, batch_size)
            rows = self.db.execute(
                f"SELECT {','.join(cols)} FROM articles WHERE id > ?{where} ORDER BY id LIMIT ?",
                params,
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row_article(row)
            last = rows[-1][0]

    def ids(self) -> set[str]:
        """Return the set of every stored article id."""
        return {row[0] for row in self.db.execute("SELECT id FROM articles")}


def now() -> str:
    """Return the store's clock: UTC to the microsecond, so writes order against snapshots."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_now = now
