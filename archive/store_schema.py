"""The store's tables, and how an Article maps to a row of `articles` and back.

List-valued fields are stored as JSON arrays, dates as ISO 8601 UTC text with Z (NULL
when unknown). Only store.py reads or writes the database; this module holds its shape.
"""

from __future__ import annotations

import json
from typing import Any

from archive.models import Article, format_date, parse_iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    date TEXT,                -- ISO 8601 UTC with Z, or NULL when unknown
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    people TEXT NOT NULL,     -- JSON arrays
    outlets TEXT NOT NULL,
    sources TEXT NOT NULL DEFAULT '[]',  -- outlets that published it (added in issue 9)
    cited TEXT NOT NULL DEFAULT '[]',    -- outlets its text attributes information to
    authors TEXT NOT NULL,
    url TEXT NOT NULL,
    photo_credits TEXT NOT NULL,
    editor_initials TEXT NOT NULL,
    cited_outlets TEXT NOT NULL,
    warnings TEXT NOT NULL,
    source TEXT NOT NULL,
    raw TEXT NOT NULL,
    input_hash TEXT NOT NULL, -- hash of the reader's output: equal means unchanged input
    extractor TEXT,           -- version of the extractor that filled people/outlets
    ingested_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    indexed INTEGER NOT NULL DEFAULT 0  -- 0 until the index holds this version
);
CREATE INDEX IF NOT EXISTS articles_unindexed ON articles(indexed) WHERE indexed = 0;
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
-- Finds the articles awaiting extraction (extractor NULL) without reading their text.
CREATE INDEX IF NOT EXISTS articles_extractor ON articles(extractor);
CREATE TABLE IF NOT EXISTS files (  -- input files read in full, to skip them when unchanged
    path TEXT PRIMARY KEY,    -- absolute path plus the reading options that shape the parse
    size INTEGER NOT NULL,
    digest TEXT NOT NULL,     -- content hash: mtimes can be coarse or preserved by copies
    records INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rejections (
    seq INTEGER PRIMARY KEY,
    source TEXT NOT NULL,     -- file and line or record
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS people (  -- the person registry (archive/identity.py)
    canonical TEXT PRIMARY KEY,
    articles INTEGER NOT NULL,   -- articles naming the person in any form
    first_seen TEXT,             -- dates of the first and last of them (NULL: undated)
    last_seen TEXT,
    hidden INTEGER NOT NULL DEFAULT 0  -- 1: hidden by curation (`newsarchive people hide`)
);
CREATE TABLE IF NOT EXISTS person_aliases (
    alias TEXT NOT NULL,         -- a surface form, or for rule 'surname' the last word
    period TEXT NOT NULL,        -- a year, or '' for any period
    canonical TEXT NOT NULL,
    articles INTEGER NOT NULL,
    rule TEXT NOT NULL,          -- 'name' (rules 1-3), 'surname' (rule 4), 'curated'
    PRIMARY KEY (alias, period, rule)
);
CREATE TABLE IF NOT EXISTS saved_searches (  -- named searches (store_saved.py)
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    state TEXT NOT NULL,         -- the search's URL arguments: q=talks&person=Anna+Nowak
    created_at TEXT NOT NULL     -- ISO 8601 UTC with Z
);
CREATE TABLE IF NOT EXISTS curation (  -- hand curation of people and outlets (curation.py)
    seq INTEGER PRIMARY KEY,     -- order of the actions; the largest is the generation
    family TEXT NOT NULL,        -- 'people' or 'outlets'
    kind TEXT NOT NULL,          -- 'merge', 'split', 'rename', 'hide', 'unhide'
    subject TEXT NOT NULL,       -- the value acted on (merge, split: the alias)
    target TEXT,                 -- merge: into; split: from; rename: the new name
    at TEXT NOT NULL
);
"""

COLUMNS = (
    "id",
    "title",
    "date",
    "section",
    "body",
    "people",
    "outlets",
    "sources",
    "cited",
    "authors",
    "url",
    "photo_credits",
    "editor_initials",
    "cited_outlets",
    "warnings",
    "source",
    "raw",
)
JSON_COLUMNS = {
    "people",
    "outlets",
    "sources",
    "cited",
    "authors",
    "photo_credits",
    "cited_outlets",
    "warnings",
}
# Columns added after the first release: a store without them gets them by ALTER TABLE,
# and a read-only store without them reads their default.
ADDED_COLUMNS = {"sources": "'[]'", "cited": "'[]'"}


def select_list(present: set[str]) -> tuple[str, ...]:
    """Return the select expressions of COLUMNS for a table holding the present columns:
    a column added later that an old read-only store lacks reads as its default."""
    return tuple(
        c if c in present or c not in ADDED_COLUMNS else f"{ADDED_COLUMNS[c]} AS {c}"
        for c in COLUMNS
    )


def article_row(article: Article) -> tuple[Any, ...]:
    """Return the values of COLUMNS for an article, as the articles table stores them."""
    values = []
    for column in COLUMNS:
        value = getattr(article, column)
        if column in JSON_COLUMNS:
            value = json.dumps(value, ensure_ascii=False)
        elif column == "date":
            value = format_date(value)
        values.append(value)
    return tuple(values)


def row_article(row: tuple[Any, ...]) -> Article:
    """Return the article of a row holding the values of COLUMNS."""
    data = dict(zip(COLUMNS, row))
    for column in JSON_COLUMNS:
        data[column] = json.loads(data[column])
    data["date"] = parse_iso(data["date"]) if data["date"] else None
    return Article(**data)
