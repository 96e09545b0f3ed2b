"""The store's reporting queries: what reextract would redo, rejections, statistics, and
the label/domain pairs outlet normalisation learns from. A mixin of Store (store.py),
kept apart so each module stays small; like store.py it is the store's own SQL.
"""

from __future__ import annotations

import sqlite3
from typing import Any, NamedTuple

from archive.store_people import PersonTables


class ExtractionBacklog(NamedTuple):
    """Articles whose people and outlets are not the current extractor's."""

    awaiting: int  # never extracted: the next ingest (or reextract) extracts them
    outdated: int  # extracted by another version: reextract redoes them


class ReportQueries(PersonTables):
    """Read-only summaries over the articles and rejections tables (top people come from
    the person registry's tables)."""

    db: sqlite3.Connection

    def count(self) -> int:
        """Return the number of stored articles."""
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def _extraction_filter(
        self, since: str | None, everything: bool, version: str | None
    ) -> tuple[str, list[str]]:
        clauses, params = [], []
        if since:
            clauses.append("updated_at >= ?")
            params.append(since)
        if not everything:
            clauses.append("(extractor IS NULL OR extractor != ?)")
            params.append(version or "")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count_for_extraction(self, since: str | None, everything: bool, version: str) -> int:
        """Count the articles reextract would redo."""
        where, params = self._extraction_filter(since, everything, version)
        return self.db.execute(f"SELECT COUNT(*) FROM articles{where}", params).fetchone()[0]

    def ids_for_extraction(self, since: str | None, everything: bool, version: str) -> list[str]:
        """Return the ids reextract would redo, in id order."""
        where, params = self._extraction_filter(since, everything, version)
        return [
            r[0] for r in self.db.execute(f"SELECT id FROM articles{where} ORDER BY id", params)
        ]

    def ids_awaiting_extraction(self) -> list[str]:
        """Return the ids of the articles stored without extraction (ingest --no-extract, or
        a run killed before its extraction pass reached them), in id order."""
        rows = self.db.execute("SELECT id FROM articles WHERE extractor IS NULL ORDER BY id")
        return [row[0] for row in rows]

    def extraction_backlog(self, version: str) -> ExtractionBacklog:
        """Count the articles awaiting extraction and those another extractor version made."""
        awaiting = outdated = 0
        for extractor, count in self.db.execute(
            "SELECT extractor, COUNT(*) FROM articles GROUP BY extractor"
        ):
            if extractor is None:
                awaiting = count
            elif extractor != version:
                outdated += count
        return ExtractionBacklog(awaiting, outdated)

    def rejections(self, limit: int = 100) -> list[dict[str, str]]:
        """Return the most recent rejections, newest first."""
        rows = self.db.execute(
            "SELECT source, reason, at FROM rejections ORDER BY seq DESC LIMIT ?", (limit,)
        )
        return [{"source": s, "reason": r, "at": at} for s, r, at in rows]

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Return counts, the date range and the most frequent outlets and people."""
        q = self.db.execute
        articles = self.count()
        undated = q("SELECT COUNT(*) FROM articles WHERE date IS NULL").fetchone()[0]
        first, last = q("SELECT MIN(date), MAX(date) FROM articles").fetchone()
        registered = self.registry_people(top)
        return {
            "articles": articles,
            "undated": undated,
            "rejected": q("SELECT COUNT(*) FROM rejections").fetchone()[0],
            "first_date": first,
            "last_date": last,
            "top_outlets": self._top_outlets(top),
            # The registry's canonical names, as the index counts them; the articles' own
            # strings until the registry is first computed.
            "top_people": [{"value": p.canonical, "count": p.articles} for p in registered]
            or self._top("people", top),
        }

    def label_domain_pairs(self) -> list[tuple[str, str, int]]:
        """Return (label, domain, records) for the inputs naming two outlets, a label and
        a domain, as publisher metadata does (what extract.domains learns from)."""
        rows = self.db.execute(
            "SELECT json_extract(cited_outlets, '$[0]'), json_extract(cited_outlets, '$[1]'),"
            " COUNT(*) FROM articles WHERE json_array_length(cited_outlets) = 2 GROUP BY 1, 2"
        )
        return [(label, domain, count) for label, domain, count in rows]

    def _top_outlets(self, limit: int) -> list[dict[str, Any]]:
        if not self.curation_generation():
            return self._top("outlets", limit)
        # Imported here: curation.py imports the index package, which imports the store.
        from archive.curation import top_outlets

        return top_outlets(self, limit)  # as hand curation names them, hidden ones left out

    def _top(self, column: str, limit: int) -> list[dict[str, Any]]:
        rows = self.db.execute(
            f"SELECT j.value, COUNT(*) AS n FROM articles, json_each(articles.{column}) AS j "
            "GROUP BY j.value ORDER BY n DESC, j.value LIMIT ?",
            (limit,),
        )
        return [{"value": v, "count": n} for v, n in rows]
