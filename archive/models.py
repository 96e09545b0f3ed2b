"""The Article record that every part of the archive speaks."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

LIST_FIELDS = ("people", "outlets", "sources", "cited", "authors", "photo_credits", "warnings")


@dataclass
class Article:
    """One news article, as read from a file and enriched by extraction."""

    title: str = ""
    body: str = ""
    date: datetime | None = None  # timezone-aware, UTC
    section: str = ""
    people: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)  # sources and cited together
    # The outlets in two roles: who published the story (metadata, a Source: line) and
    # who the text attributes information to ("according to Reuters", "told CNN").
    sources: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    url: str = ""
    photo_credits: list[str] = field(default_factory=list)
    editor_initials: str = ""
    source: str = ""  # "path:line" or "path#record" it came from
    id: str = ""
    warnings: list[str] = field(default_factory=list)
    # Outlets named by the input itself (Source: line, publisher metadata),
    # kept apart so extraction can merge them with what it finds in the text.
    cited_outlets: list[str] = field(default_factory=list)
    raw: str = field(default="", repr=False)  # the input text, kept by the store

    def __post_init__(self) -> None:
        if self.date is not None:
            self.date = to_utc(self.date)
        if not self.id:
            self.id = make_id(self)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form used by every --json output and the API."""
        return {
            "id": self.id,
            "title": self.title,
            "date": format_date(self.date),
            "section": self.section,
            "body": self.body,
            "people": list(self.people),
            "outlets": list(self.outlets),
            "sources": list(self.sources),
            "cited": list(self.cited),
            "authors": list(self.authors),
            "url": self.url,
            "photo_credits": list(self.photo_credits),
            "editor_initials": self.editor_initials,
            "source": self.source,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        """Build an Article from its JSON form (inverse of to_json)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("date"):
            values["date"] = parse_iso(values["date"])
        return cls(**values)


def to_utc(value: datetime) -> datetime:
    """Return value in UTC; naive datetimes are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_date(value: datetime | None) -> str | None:
    """Format a date as ISO 8601 UTC with a Z suffix."""
    if value is None:
        return None
    return to_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """Parse the ISO form written by format_date (a trailing Z is UTC)."""
    return to_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def make_id(article: Article) -> str:
    """Derive a stable id: from the URL when there is one, else from the content."""
    if article.url:
        key = "url\0" + normalise_url(article.url)
    else:
        key = "\0".join(
            [
                "text",
                " ".join(article.title.split()),
                format_date(article.date) or "",
                " ".join(article.body.split())[:2000],
            ]
        )
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def normalise_url(url: str) -> str:
    """Reduce a URL to what identifies the article (no scheme, www, fragment or trailing slash)."""
    url = url.strip().split("#", 1)[0]
    for prefix in ("https://", "http://"):
        if url.lower().startswith(prefix):
            url = url[len(prefix) :]
            break
    if url.lower().startswith("www."):
        url = url[4:]
    return url.rstrip("/").lower()


def content_hash(article: Article) -> str:
    """Hash everything that makes an article's stored form; equal hash means unchanged."""
    payload = article.to_json()
    payload.pop("source", None)
    payload.pop("warnings", None)
    payload["cited_outlets"] = article.cited_outlets
    return hashlib.sha1(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()
