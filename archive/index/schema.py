"""The Whoosh schema: the only place index field names live.

Fields
------
id        ID, stored, unique: the store's article id.
title     TEXT, stored, boost 2, stemmed (same analyzer as body), positions for phrases.
body      TEXT, stemmed, accent-folded, positions for phrases. Not stored: the store is
          the system of record and snippets are cut from the store's text (see
          search/highlight.py), which is why no character offsets are indexed (they cost
          indexing time and space for nothing we use).
date      DATETIME, stored, naive UTC (Whoosh drops tzinfo).
year      ID "2023" and month ID "2023-04": date buckets (`year:2023`).
authors   TEXT (folded words) of the bylines (`author:`).
Per facet of the registry (archive/facets.py):
index_field   TEXT of the values, folded, not stemmed, a position gap between values, so
              `person:putin` and `person:"vladimir putin"` work and never match across
              two names.
stored_field  STORED list of the whole values; facet filters match them case- and
              accent-insensitively (see text.normalise).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from archive.facets import all_facets
from archive.index.text import VALUE_SEPARATOR, FoldAnalyzer, StemAnalyzer
from archive.models import Article

INDEX_NAME = "MAIN"  # Whoosh's name of the index: its files are MAIN_<segment>.*
ID_FIELD = "id"
TITLE, BODY, DATE, YEAR, MONTH, AUTHORS = "title", "body", "date", "year", "month", "authors"
DEFAULT_FIELDS = (TITLE, BODY)
STEMMED_FIELDS = (TITLE, BODY)
TITLE_BOOST = 2.0


def field_aliases() -> dict[str, list[str]]:
    """Return the other names a query may use for a field (`people:` for `person:`)."""
    aliases = {AUTHORS: ["author"]}
    for facet in all_facets():
        if facet.name != facet.index_field:
            aliases.setdefault(facet.index_field, []).append(facet.name)
    return aliases


def value_fields() -> tuple[str, ...]:
    """Return the fields that hold whole names (folded, never stemmed): facets and authors."""
    return tuple(dict.fromkeys([*(f.index_field for f in all_facets()), AUTHORS]))


def make_schema() -> Schema:
    """Return the index schema (the facets' fields come from the registry)."""
    fields: dict[str, Any] = {
        ID_FIELD: ID(stored=True, unique=True),
        TITLE: TEXT(analyzer=StemAnalyzer(), stored=True, field_boost=TITLE_BOOST),
        BODY: TEXT(analyzer=StemAnalyzer()),
        DATE: DATETIME(stored=True),
        YEAR: ID(),
        MONTH: ID(),
        AUTHORS: TEXT(analyzer=FoldAnalyzer()),
    }
    for facet in all_facets():
        fields.setdefault(facet.index_field, TEXT(analyzer=FoldAnalyzer()))
        fields.setdefault(facet.stored_field, STORED())
    return Schema(**fields)


def naive_utc(value: datetime | None) -> datetime | None:
    """Return an aware datetime as naive UTC, as Whoosh stores it (None stays None)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def document(article: Article) -> dict[str, Any]:
    """Return the add_document keyword arguments for an Article."""
    doc: dict[str, Any] = {
        ID_FIELD: article.id,
        TITLE: article.title or "",
        BODY: article.body or "",
        AUTHORS: VALUE_SEPARATOR.join(article.authors),
    }
    for facet in all_facets():
        values = facet.values(article)
        doc[facet.index_field] = VALUE_SEPARATOR.join(values)
        doc[facet.stored_field] = values
    date = naive_utc(article.date)
    if date is not None:
        doc[DATE] = date
        doc[YEAR] = f"{date.year:04d}"
        doc[MONTH] = f"{date.year:04d}-{date.month:02d}"
    return doc
