"""Whether store and index hold the same articles: the report `check` gives, and the
comparison of their ids (each stored article indexed once, nothing indexed that is not
stored). maintenance.check verifies the files first (integrity.py, store_faults.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CheckReport:
    """Whether store and index agree; messages say what differs and how to fix it."""

    ok: bool
    messages: list[str] = field(default_factory=list)
    store_count: int = 0
    index_count: int = 0


def compare_ids(store_ids: set[str], listed: list[str]) -> CheckReport:
    """Say whether the store's ids and the index's agree; messages say what differs."""
    indexed = set(listed)
    messages = []
    missing = sorted(store_ids - indexed)
    extra = sorted(indexed - store_ids)
    duplicates = len(listed) - len(indexed)
    if missing:
        messages.append(
            f"{len(missing)} stored article(s) are not in the index (e.g. {', '.join(missing[:3])})"
        )
    if extra:
        messages.append(
            f"{len(extra)} indexed article(s) are not in the store (e.g. {', '.join(extra[:3])})"
        )
    if duplicates:
        messages.append(f"{duplicates} article(s) are indexed more than once")
    if messages:
        messages.append("fix: run `newsarchive reindex` to rebuild the index from the store")
    else:
        messages.append(f"store and index agree: {len(store_ids)} articles")
    return CheckReport(not (missing or extra or duplicates), messages, len(store_ids), len(listed))
