"""What a search returns: a page of hits with totals, facet counts and a suggestion."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from archive.facets import all_facets
from archive.models import format_date


@dataclass
class Hit:
    """One result row; values holds each facet's values by facet name."""

    id: str
    title: str
    date: datetime | None
    values: dict[str, list[str]]
    snippet: str
    score: float

    @property
    def people(self) -> list[str]:
        return self.values.get("people", [])

    @property
    def outlets(self) -> list[str]:
        return self.values.get("outlets", [])

    @property
    def publishers(self) -> list[str]:
        """The outlets that published the story (none before a reindex adds the role)."""
        return self.values.get("sources", [])

    @property
    def section(self) -> str:
        sections = self.values.get("sections", [])
        return sections[0] if sections else ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "title": self.title, "date": format_date(self.date)}
        for facet in all_facets():
            data[facet.article_field] = facet.json_value(self.values.get(facet.name, []))
        data.update(snippet=self.snippet, score=self.score)
        return data


@dataclass
class Results:
    """A page of hits with totals, facet counts and a spelling suggestion."""

    total: int
    page: int
    per_page: int
    pages: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    suggestion: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "pages": self.pages,
            "hits": [h.to_json() for h in self.hits],
            "facets": self.facets,
            "suggestion": self.suggestion,
        }
