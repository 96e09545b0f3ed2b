"""The store's SQL for the person registry (tables `people` and `person_aliases`) and for
curation (table `curation`, the log of hand-made merges, splits, renames and hides).

A mixin of Store (store.py), apart only to keep each module short: the store still owns
all SQL. Recomputing the registry replaces the computed rows and keeps rows a person
curated.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import NamedTuple


class PersonRow(NamedTuple):
    """One person of the registry."""

    canonical: str
    articles: int
    first_seen: str | None
    last_seen: str | None
    hidden: bool = False  # hidden by curation: listed only by `people list --hidden`


class AliasRow(NamedTuple):
    """One alias row: see the person_aliases table in store_schema.py."""

    alias: str
    period: str
    canonical: str
    articles: int
    rule: str


class CurationAction(NamedTuple):
    """One row of the curation log: see the curation table in store_schema.py."""

    family: str
    kind: str
    subject: str
    target: str | None
    at: str = ""  # set by the store when it records the action


class PersonTables:
    """Reads and writes of the person registry's tables."""

    db: sqlite3.Connection

    def people_mentions(self) -> Iterator[tuple[str | None, list[str]]]:
        """Yield (date, people) of every stored article naming someone: reads only those
        two columns, so the registry is cheap to recompute."""
        rows = self.db.execute("SELECT date, people FROM articles WHERE people != '[]'")
        for date, people in rows:
            yield date, json.loads(people)

    def replace_person_registry(self, people: list[PersonRow], aliases: list[AliasRow]) -> None:
        """Replace the computed registry with people and aliases, in one transaction."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DELETE FROM people")
            self.db.execute("DELETE FROM person_aliases WHERE rule != 'curated'")
            self.db.executemany("INSERT OR REPLACE INTO people VALUES (?, ?, ?, ?, ?)", people)
            self.db.executemany("INSERT INTO person_aliases VALUES (?, ?, ?, ?, ?)", aliases)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def person_aliases(self, only: Iterable[str] | None = None) -> list[AliasRow]:
        """Return the alias rows (of the aliases `only`, when given; none when the registry
        was never computed)."""
        if not self._has_registry():
            return []
        select = "SELECT alias, period, canonical, articles, rule FROM person_aliases"
        if only is None:
            return [AliasRow(*row) for row in self.db.execute(select)]
        wanted = json.dumps(sorted(set(only)), ensure_ascii=False)
        rows = self.db.execute(
            f"{select} WHERE alias IN (SELECT value FROM json_each(?))", (wanted,)
        )
        return [AliasRow(*row) for row in rows]

    def registry_people(self, limit: int | None = None, hidden: bool = False) -> list[PersonRow]:
        """Return the registry's people as curated (the hidden ones instead, if asked), most
        named first."""
        if not self._has_registry():
            return []
        rows = self.db.execute(
            "SELECT canonical, articles, first_seen, last_seen, hidden FROM people"
            " WHERE hidden = ? ORDER BY articles DESC, canonical LIMIT ?",
            (int(hidden), -1 if limit is None else limit),
        )
        return [PersonRow(name, n, first, last, bool(off)) for name, n, first, last, off in rows]

    def people_by_article(self) -> Iterator[tuple[str, list[str]]]:
        """Yield (id, people) of every stored article naming someone."""
        rows = self.db.execute("SELECT id, people FROM articles WHERE people != '[]'")
        for article_id, people in rows:
            yield article_id, json.loads(people)

    def outlet_mentions(self) -> Iterator[list[str]]:
        """Yield the outlets (both roles) of every stored article naming one."""
        rows = self.db.execute("SELECT outlets, sources, cited FROM articles")
        for row in rows:
            yield list(dict.fromkeys(name for column in row for name in json.loads(column)))

    # -- curation --------------------------------------------------------

    def article_outlets(self) -> Iterator[list[str]]:
        """Yield the outlets of every stored article naming one (the column `stats` counts)."""
        for (outlets,) in self.db.execute("SELECT outlets FROM articles WHERE outlets != '[]'"):
            yield json.loads(outlets)

    def curation_generation(self) -> int:
        """Return the number of the latest curation action (0: none): one cheap query, so
        a long-lived searcher can ask before every search whether curation changed."""
        if not self._has_table("curation"):
            return 0
        return self.db.execute("SELECT coalesce(max(seq), 0) FROM curation").fetchone()[0]

    def curation_actions(self, family: str | None = None) -> list[CurationAction]:
        """Return the curation log (of one family, when given), oldest first."""
        if not self._has_table("curation"):
            return []
        select = "SELECT family, kind, subject, target, at FROM curation"
        if family is None:
            rows = self.db.execute(f"{select} ORDER BY seq")
        else:
            rows = self.db.execute(f"{select} WHERE family = ? ORDER BY seq", (family,))
        return [CurationAction(*row) for row in rows]

    def record_curation(self, action: CurationAction, kept_apart: str | None = None) -> None:
        """Append an action to the curation log; kept_apart, when given, is a name the
        person registry must keep as its own person (a curated alias row, read by
        identity.py), written in the same transaction."""
        at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute(
                "INSERT INTO curation (family, kind, subject, target, at) VALUES (?, ?, ?, ?, ?)",
                (*action[:4], at),
            )
            if kept_apart is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO person_aliases VALUES (?, '', ?, 0, 'curated')",
                    (kept_apart, kept_apart),
                )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _has_registry(self) -> bool:
        return self._has_table("person_aliases")

    def _has_table(self, name: str) -> bool:
        # A read-only store written before a table existed does not have it.
        found = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        )
        return found.fetchone() is not None
