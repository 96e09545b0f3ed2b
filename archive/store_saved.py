"""The store's SQL for saved searches (table `saved_searches`).

A mixin of Store (store.py), apart only to keep each module short: the store still owns
all SQL. A saved search is a name and a search state: the URL arguments of the search
page (`q=talks&person=Anna+Nowak`), which the web and the command line turn into
Criteria. Names are unique, ignoring case.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from datetime import UTC, datetime
from typing import NamedTuple

from archive.errors import SearchError

MAX_NAME = 100
MAX_STATE = 4000  # characters of URL arguments: far beyond any search the pages build


class SavedSearch(NamedTuple):
    """One saved search."""

    id: int
    name: str
    state: str  # URL arguments of the search page
    created_at: str  # ISO 8601 UTC with Z


def clean_name(text: str) -> str:
    """Return the name with runs of spaces collapsed; SearchError when it is empty, too
    long or holds control characters."""
    name = " ".join(text.split())
    if not name:
        raise SearchError("give the search a name")
    if len(name) > MAX_NAME:
        raise SearchError(f"a name has at most {MAX_NAME} characters, not {len(name)}")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise SearchError("a name cannot hold control characters")
    return name


class SavedSearches:
    """Reads and writes of the saved searches."""

    db: sqlite3.Connection

    def add_saved_search(self, name: str, state: str) -> SavedSearch:
        """Save the search state under name (cleaned by clean_name); SearchError when the
        name is taken or the state too long."""
        name = clean_name(name)
        if len(state) > MAX_STATE:
            raise SearchError(f"the search is too long to save ({len(state)} characters)")
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            cursor = self.db.execute(
                "INSERT INTO saved_searches (name, state, created_at) VALUES (?, ?, ?)",
                (name, state, now),
            )
        except sqlite3.IntegrityError:
            raise SearchError(
                f"a saved search is already called “{name}”: choose another name"
            ) from None
        return SavedSearch(int(cursor.lastrowid or 0), name, state, now)

    def saved_searches(self) -> list[SavedSearch]:
        """Return every saved search, the newest first."""
        if not self._has_saved_searches():
            return []
        rows = self.db.execute(
            "SELECT id, name, state, created_at FROM saved_searches ORDER BY id DESC"
        )
        return [SavedSearch(*row) for row in rows]

    def saved_search(self, key: int | str) -> SavedSearch | None:
        """Return the saved search with this id (an int) or name (any case), if any."""
        if not self._has_saved_searches():
            return None
        column = "id" if isinstance(key, int) else "name"
        row = self.db.execute(
            f"SELECT id, name, state, created_at FROM saved_searches WHERE {column} = ?", (key,)
        ).fetchone()
        return SavedSearch(*row) if row else None

    def remove_saved_search(self, search_id: int) -> bool:
        """Delete a saved search; say whether there was one."""
        cursor = self.db.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,))
        return cursor.rowcount > 0

    def _has_saved_searches(self) -> bool:
        # A store opened read-only that was written before saved searches has no table.
        found = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'saved_searches'"
        )
        return found.fetchone() is not None
