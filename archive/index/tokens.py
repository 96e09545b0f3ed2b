"""A segment's text fields as token columns, turned into postings by one sort per field.

The bulk build used to keep a postings list per term and append to it for every distinct
term of every document: a Python loop over ~400 terms per 5 KB article. Here a worker
only appends each document's term ids (and, for name fields, positions) to one array per
field; words map to term ids through a dict whose misses stem the word, so the per-word
work runs in C (`map(ids.__getitem__, words)`). When the segment is complete,
`FieldTokens.postings()` orders all tokens by term rank with one stable sort, which
keeps each term's tokens in (doc, position) order since they were appended that way:

    rank[t]        = position of term t in the sorted term list
    order          = stable argsort of rank[id] over all tokens
    posting starts = where (term, doc) of the sorted tokens changes
    freq           = distance between two posting starts
    term ranges    = searchsorted of the postings' terms over 0..V

The result (`FieldPostings`) is what Whoosh's block writer and the pack both read.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from typing import NamedTuple

import numpy as np

from archive.index import text as T


class FieldPostings(NamedTuple):
    """One text field's postings in a segment, as arrays.

    terms: sorted; term i's postings are docs[pstart[i]:pstart[i+1]] (ascending) with
    freqs alike; posting j's in-document positions are positions[poff[j]:poff[j+1]].
    """

    terms: list[str]
    pstart: np.ndarray  # int64, len(terms) + 1
    docs: np.ndarray  # int32, one per posting
    freqs: np.ndarray  # int32, one per posting
    poff: np.ndarray  # int64, len(docs) + 1
    positions: np.ndarray  # int32, one per token, in posting order


class _TermIds(dict[str, int]):
    # word -> term id; a miss computes the word's term (its stem, for stemmed fields) and
    # gives a new term its id, so map(self.__getitem__, words) stays in C for known words.
    def __init__(self, term_of: Callable[[str], str]) -> None:
        super().__init__()
        self.term_of = term_of
        self.terms: dict[str, int] = {}

    def __missing__(self, word: str) -> int:
        term = self.term_of(word)
        found = self.terms.get(term)
        if found is None:
            found = self.terms[term] = len(self.terms)
        self[word] = found
        return found


def _same(word: str) -> str:
    return word


class FieldTokens:
    """The tokens of one text field over a segment's documents, in document order."""

    def __init__(self, stemmed: bool, names: bool) -> None:
        self.names = names
        self.ids = _TermIds(T.STEMS.__getitem__ if stemmed else _same)
        self.tokens = array("i")  # term id of every token
        self.explicit = array("i")  # positions of every token (name fields only)
        self.lengths = array("I")  # tokens per doc
        self.spans = array("I")  # positions a doc spans plus a gap (see postings.py)

    def add_words(self, words: list[str]) -> int:
        """Add one doc's words (positions 0, 1, ...); return its length."""
        self.tokens.extend(map(self.ids.__getitem__, words))
        self.lengths.append(len(words))
        self.spans.append(len(words) + 1)
        return len(words)

    def add_names(self, values: Iterable[str]) -> int:
        """Add one doc's names, a position gap between two so phrases never span two."""
        base = length = 0
        last = -1
        for value in values:
            terms = T.words(value)
            self.tokens.extend(map(self.ids.__getitem__, terms))
            self.explicit.extend(range(base, base + len(terms)))
            if terms:
                last = base + len(terms) - 1
            length += len(terms)
            base += len(terms) + T.VALUE_GAP
        self.lengths.append(length)
        self.spans.append(last + 2)
        return length

    def postings(self) -> FieldPostings:
        """Return the field's postings (see the module docstring for the method).

        int32 throughout but for the sort order, and each unsorted array dropped as soon as
        its sorted copy exists: a 30,000-article segment holds ~30 million body tokens.
        """
        terms = sorted(self.ids.terms)
        rank = np.empty(len(terms), np.int32)
        rank[[self.ids.terms[t] for t in terms]] = np.arange(len(terms), dtype=np.int32)
        lengths = np.frombuffer(self.lengths, np.uint32).astype(np.int32)
        ranked = rank[np.frombuffer(self.tokens, np.int32)]
        order = np.argsort(ranked, kind="stable")
        ranked = ranked[order]
        docs = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)[order]
        if self.names:
            positions = np.frombuffer(self.explicit, np.int32)[order]
        else:
            starts = np.cumsum(lengths, dtype=np.int32) - lengths  # tokens < 2**31
            positions = (np.arange(len(ranked), dtype=np.int32) - np.repeat(starts, lengths))[order]
        del order
        new = np.ones(len(ranked), bool)
        new[1:] = (ranked[1:] != ranked[:-1]) | (docs[1:] != docs[:-1])
        starts_of = np.flatnonzero(new)
        del new
        poff = np.append(starts_of, len(ranked)).astype(np.int64)
        pstart = np.searchsorted(ranked[starts_of], np.arange(len(terms) + 1)).astype(np.int64)
        return FieldPostings(
            terms, pstart, docs[starts_of], np.diff(poff).astype(np.int32), poff, positions
        )
