"""The store's SQL for the person registry (tables `people` and `person_aliases`).

A mixin of Store (store.py), apart only to keep each module short: the store still owns
all SQL. Recomputing replaces the computed rows and keeps rows a person curated.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import NamedTuple


class PersonRow(NamedTuple):
    """One person of the registry."""

    canonical: str
    articles: int
    first_seen: str | None
    last_seen: str | None


class AliasRow(NamedTuple):
    """One alias row: see the person_aliases table in store_schema.py."""

    alias: str
    period: str
    canonical: str
    articles: int
    rule: str


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
            self.db.execute("DELETE FROM people WHERE hidden = 0")
            self.db.execute("DELETE FROM person_aliases WHERE rule != 'curated'")
            self.db.executemany("INSERT OR REPLACE INTO people VALUES (?, ?, ?, ?, 0)", people)
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

    def registry_people(self, limit: int | None = None) -> list[PersonRow]:
        """Return the registry's people, most named first."""
        if not self._has_registry():
            return []
        rows = self.db.execute(
            "SELECT canonical, articles, first_seen, last_seen FROM people WHERE hidden = 0"
            " ORDER BY articles DESC, canonical LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return [PersonRow(*row) for row in rows]

    def _has_registry(self) -> bool:
        # A read-only store written before the registry existed has no tables.
        found = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'person_aliases'"
        )
        return found.fetchone() is not None
