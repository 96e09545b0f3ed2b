"""The Whoosh schema and its analyzers: the only place index field names live.

Fields
------
id        ID, stored, unique: the store's article id.
title     TEXT, stored, boost 2, stemmed (same analyzer as body), positions for phrases.
body      TEXT, stemmed, accent-folded, positions for phrases. Not stored: the store is
          the system of record and snippets are cut from the store's text (see search.py),
          which is why no character offsets are indexed (they cost indexing time and space
          for nothing we use).
date      DATETIME, stored and sortable, naive UTC (Whoosh drops tzinfo).
year      ID "2023" and month ID "2023-04": date buckets.
person    TEXT of the people's names, folded, not stemmed, a position gap between names,
          so `person:putin` and `person:"vladimir putin"` work and never match across two
          names. The exact names are kept whole in the stored `people` list; facet filters
          match those whole values case- and accent-insensitively (see `normalise`).
outlet    the same for outlets (stored whole in `outlets`).
section   TEXT (folded words), stored as written.
authors   TEXT (folded words), stored.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timezone

from whoosh.analysis import Analyzer, Token
from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema
from whoosh.lang.porter2 import stem as _porter_stem

ID_FIELD = "id"
TITLE, BODY, DATE, YEAR, MONTH = "title", "body", "date", "year", "month"
PERSON, OUTLET, SECTION, AUTHORS = "person", "outlet", "section", "authors"
PEOPLE, OUTLETS = "people", "outlets"  # stored whole values
DEFAULT_FIELDS = (TITLE, BODY)
QUERY_FIELDS = (TITLE, BODY, PERSON, OUTLET, SECTION, AUTHORS)
STEMMED_FIELDS = (TITLE, BODY)
FIELD_ALIASES = {PERSON: ["people"], OUTLET: ["outlets"], SECTION: ["sections"],
                 AUTHORS: ["author"]}
TITLE_BOOST = 2.0
VALUE_SEPARATOR = "\x1f"  # joins a list of names into one indexed string
VALUE_GAP = 100  # positions skipped between two names so phrases never span them

_WORD = re.compile(r"[^\W_]+")


class _FoldTable(dict):
    # str.translate table filled on first sight of each non-ASCII character, so folding
    # runs in C after warm-up instead of decomposing every text.
    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        result = "".join(c for c in decomposed if not unicodedata.combining(c))
        # Non-ASCII punctuation and spaces become plain spaces: they separate words.
        result = self[code] = "".join(c if c.isalnum() else " " for c in result)
        return result


_FOLD = _FoldTable()


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_run(match) -> str:
    return match.group().translate(_FOLD)


def fold(text: str) -> str:
    """Lower-case text and strip accents (ASCII text takes the fast path)."""
    text = text.lower()
    # translate() looks every character up in Python; only the non-ASCII runs need it.
    return text if text.isascii() else _NON_ASCII.sub(_fold_run, text)


def normalise(value: str) -> str:
    """Return the lookup key of a facet value: folded, single-spaced."""
    return " ".join(fold(value).split())


class _StemCache(dict):
    # A dict whose misses compute the stem, so map(cache.__getitem__, words) runs in C.
    def __missing__(self, word: str) -> str:
        result = self[word] = _porter_stem(word) if len(word) > 2 else word
        return result


STEMS = _StemCache()


# Byte table mapping ASCII punctuation to spaces; UTF-8 bytes of letters pass through.
_SPLIT = bytes(c if (c >= 128 or chr(c).isalnum()) else 32 for c in range(256))


def words(text: str) -> list[str]:
    """Split text into folded words (letters and digits; everything else separates)."""
    # bytes.translate + split runs in C and is ~5x faster than a regex findall.
    return fold(text).encode("utf-8").translate(_SPLIT).decode("utf-8").split()


def stemmed_words(text: str) -> list[str]:
    """Split text into the terms the stemmed fields index, in order."""
    return list(map(STEMS.__getitem__, words(text)))


class _Base(Analyzer):
    stemming = False

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self).__name__)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Prefix and wildcard texts arrive whole; the parser expands them later.
            token.text = fold(value)
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos
            yield token
            return
        if chars:
            # Only the query parser asks for offsets (phrases): the slow path is fine.
            yield from self._with_chars(token, value, positions, start_pos, start_char)
            return
        pos = start_pos
        for part in value.split(VALUE_SEPARATOR):
            terms = words(part)
            if self.stemming:
                terms = map(STEMS.__getitem__, terms)
            for text in terms:
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = pos
                pos += 1
                yield token
            pos += VALUE_GAP

    def _with_chars(self, token, value, positions, pos, start_char):
        folded = fold(value)
        for match in _WORD.finditer(folded):
            text = match.group()
            token.text = STEMS[text] if self.stemming else text
            token.boost = 1.0
            token.stopped = False
            token.startchar = start_char + match.start()
            token.endchar = start_char + match.end()
            if positions:
                token.pos = pos
            pos += 1
            yield token


class StemAnalyzer(_Base):
    """Fold, split on non-word characters and stem (Porter2); no stop words (phrases keep them)."""

    stemming = True


class FoldAnalyzer(_Base):
    """Fold and split on non-word characters; names and labels are not stemmed."""


def make_schema() -> Schema:
    """Return the index schema."""
    return Schema(**{
        ID_FIELD: ID(stored=True, unique=True),
        TITLE: TEXT(analyzer=StemAnalyzer(), stored=True, field_boost=TITLE_BOOST),
        BODY: TEXT(analyzer=StemAnalyzer()),
        DATE: DATETIME(stored=True, sortable=True),
        YEAR: ID(),
        MONTH: ID(),
        PERSON: TEXT(analyzer=FoldAnalyzer()),
        OUTLET: TEXT(analyzer=FoldAnalyzer()),
        SECTION: TEXT(analyzer=FoldAnalyzer(), stored=True),
        AUTHORS: TEXT(analyzer=FoldAnalyzer(), stored=True),
        PEOPLE: STORED(),
        OUTLETS: STORED(),
    })


def naive_utc(value):
    """Return an aware datetime as naive UTC, as Whoosh stores it (None stays None)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def document(article) -> dict:
    """Return the add_document keyword arguments for an Article."""
    doc = {
        ID_FIELD: article.id,
        TITLE: article.title or "",
        BODY: article.body or "",
        PERSON: VALUE_SEPARATOR.join(article.people),
        OUTLET: VALUE_SEPARATOR.join(article.outlets),
        SECTION: article.section or "",
        AUTHORS: ", ".join(article.authors),
        PEOPLE: list(article.people),
        OUTLETS: list(article.outlets),
    }
    date = naive_utc(article.date)
    if date is not None:
        doc[DATE] = date
        doc[YEAR] = f"{date.year:04d}"
        doc[MONTH] = f"{date.year:04d}-{date.month:02d}"
    return doc
