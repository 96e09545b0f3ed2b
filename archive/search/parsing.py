"""Query language: parse and check user queries into Whoosh query trees.

Queries take words, AND/OR/NOT, "phrases", prefix*, parentheses and field prefixes
(`title:`, each facet's field such as `person:`, `author:`, `date:`). A malformed query
raises SearchError with a message that says what to fix, and so does a query past the
limits below (README: Limits): a ~slop above MAX_SLOP, more than MAX_TERMS words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh import query as Q
from whoosh.qparser import (
    FieldAliasPlugin,
    FieldsPlugin,
    GroupPlugin,
    MultifieldParser,
    OperatorsPlugin,
    PhrasePlugin,
    PrefixPlugin,
    SingleQuotePlugin,
    WhitespacePlugin,
)

from archive.errors import SearchError
from archive.facets import Facet, all_facets
from archive.index import schema as S
from archive.index.text import STEMS, fold

_OPERATOR_EDGE = re.compile(r"^\s*(AND|OR)\b|\b(AND|OR|NOT)\s*$")
# Two NOTs in a row cancel out (Whoosh's parser fails on them); `title:NOT` is a word.
_DOUBLE_NOT = re.compile(r"(?<![^\s(])NOT\s+NOT(?=[\s(])")
_NOT_BEFORE_OPERATOR = re.compile(r"(?<![^\s(])NOT\s+(AND|OR)(?=[\s(])")
_PHRASE = re.compile(r'("[^"]*")')
MIN_PREFIX = 2
MAX_SLOP = 50  # "a b"~50: words at most 50 positions apart
MAX_TERMS = 40  # words, phrases' words and prefixes of one query


@lru_cache(maxsize=4)
def _parser(facets: tuple[Facet, ...]) -> MultifieldParser:
    # Keyed by the registry: a facet registered later gets a parser that knows its field.
    parser = MultifieldParser(
        list(S.DEFAULT_FIELDS),
        S.make_schema(),
        plugins=[
            WhitespacePlugin(),
            SingleQuotePlugin(),
            FieldsPlugin(),
            PhrasePlugin(),
            PrefixPlugin(),
            GroupPlugin(),
            OperatorsPlugin(),
        ],
    )
    parser.add_plugin(FieldAliasPlugin(S.field_aliases()))
    return parser


def parse(text: str) -> Q.Query:
    """Parse a user query, raising SearchError with a clear message when it is malformed."""
    text = text.strip()
    if text.count('"') % 2:
        raise SearchError('unbalanced quote: close the phrase with a second "')
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            raise SearchError("unbalanced parentheses: a ) has no matching (")
    if depth:
        raise SearchError("unbalanced parentheses: a ( is never closed")
    text = _cancel_double_nots(text)
    if _NOT_BEFORE_OPERATOR.search(text):
        raise SearchError("NOT needs a word after it, not AND or OR")
    if _OPERATOR_EDGE.search(text):
        raise SearchError("AND, OR and NOT need a word after them (and AND/OR one before)")
    for match in re.finditer(r"(?:^|[\s(:\"])(\S*?)\*", text):
        if len(fold(match.group(1)).strip('"():')) < MIN_PREFIX:
            raise SearchError(f"a prefix search needs at least {MIN_PREFIX} letters before *")
    try:
        query = _parser(all_facets()).parse(text)
    except Exception:  # Whoosh raises assorted errors on odd input; theirs mean nothing here
        raise SearchError(
            "could not understand the query: check its operators, quotes and parentheses"
        ) from None
    query = _stem_prefixes(query).normalize()
    if query is Q.NullQuery or not list(query.leaves()):
        raise SearchError("the query has no words to search for")
    _check_limits(query)
    return query


def _check_limits(query: Q.Query) -> None:
    """Refuse a query whose work could grow past any time budget: too wide or too sloppy."""
    leaves = list(query.leaves())
    # A word searched in several fields (title and body) is one word here.
    distinct = {(type(leaf), getattr(leaf, "text", None)) for leaf in leaves}
    distinct |= {(Q.Term, w) for leaf in leaves if isinstance(leaf, Q.Phrase) for w in leaf.words}
    words = len(distinct)
    if words > MAX_TERMS:
        raise SearchError(f"the query has {words} words; at most {MAX_TERMS} are searched at once")
    for leaf in leaves:
        if isinstance(leaf, Q.Phrase) and leaf.slop > MAX_SLOP:
            raise SearchError(
                f"~{leaf.slop} is too loose: a phrase's words may be at most ~{MAX_SLOP} apart"
            )


def _cancel_double_nots(text: str) -> str:
    """Drop each pair of NOTs in a row outside "phrases": `NOT NOT trump` is `trump`."""
    pieces = _PHRASE.split(text)  # odd pieces are phrases, left as they are
    for at in range(0, len(pieces), 2):
        count = 1
        while count:
            pieces[at], count = _DOUBLE_NOT.subn("", pieces[at], count=1)
    return "".join(pieces)


def _stem_prefixes(query: Q.Query) -> Q.Query:
    # Stemmed fields hold "presid" for "president": search the stem's prefix as well.
    if isinstance(query, Q.Prefix) and query.fieldname in S.STEMMED_FIELDS:
        stem = STEMS[query.text]
        if stem != query.text and len(stem) >= MIN_PREFIX:
            return Q.Or([query, Q.Prefix(query.fieldname, stem, boost=query.boost)])
        return query
    if isinstance(query, Q.Not):
        return query  # excluded words are never expanded or highlighted
    if query.is_leaf():
        return query
    return query.apply(_stem_prefixes)
