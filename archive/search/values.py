"""A facet's values as lists: those matching typed text, most frequent first, a page at a time.

The counts come from counting.select (the sidebar's own numbers for the same search) or from
the whole archive. A value matches typed text when one of its words starts the text, the
rest of the text following on from there (case and accents ignored, as filters match):
"put" and "vladimir p" both find "Vladimir Putin"; "ladimir" finds nothing. Pages ask for
ordered rows, so a value's place never depends on the page size: count descending, then
the value.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from archive.index.text import normalise
from archive.search.ranking import prefixes

# What typed text matches, as the pages and the API describe it.
MATCHES = "a word starting with"


class ValuePage(NamedTuple):
    """One page of a facet's values: rows {"value", "count"}, and how many values match."""

    values: list[dict[str, Any]]
    matched: int  # values matching the text with a nonzero count, over every page
    offset: int  # rows before this page's first


def matches(name: str, key: str) -> bool:
    """Say whether a value matches folded text: one of its words starts it."""
    return not key or any(ending.startswith(key) for ending in prefixes(normalise(name)))


def value_page(
    counts: np.ndarray, names: list[str], text: str = "", offset: int = 0, limit: int = 20
) -> ValuePage:
    """Return the values counting more than zero that match text, most frequent first (ties by
    value), `limit` of them from `offset`."""
    key = normalise(text)
    rows = [
        (names[i], int(counts[i]))
        for i in np.flatnonzero(counts).tolist()
        if i < len(names) and matches(names[i], key)
    ]
    rows.sort(key=lambda row: (-row[1], row[0]))
    page = rows[offset : offset + limit]
    return ValuePage([{"value": v, "count": n} for v, n in page], len(rows), offset)
