"""Phrases on positions: which docs of a segment hold a phrase, and how many times.

Positions are numbered segment-wide (index/term.py), so word i of an exact phrase
starting at coordinate c sits at c + i, and a sloppy phrase `"a b c"~k` (as Whoosh defines
it) is a chain where each word follows the previous one by 1 to k positions in the same
doc. The work is bounded by the rarest word, in two steps:
1. the docs holding every word: the rarest word's docs, kept where each other word's
   sorted docs hold them too (a binary search per kept doc, never a whole-segment mask);
   no doc left means no phrase, and no position is read at all;
2. each word's positions in those docs only (a pack reads just their runs of positions,
   see Term.coords_of), then the match: exact, from the word with the fewest positions,
   looking the others up at c + i; sloppy, from the last word back, a position of word i
   counting when the first counted position of word i+1 after it lies within k of it.
Without step 1 a phrase of common words read every position of every word: at a million
articles, about 50 million positions of "the" alone for "the stability of".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from archive.index.term import Term
from archive.search import budget

NO_DOCS = np.zeros(0, np.int32)


def occurrences(terms: Sequence[Term], slop: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the docs holding the phrase of these words (ascending) and how often each."""
    docs = docs_with_all(terms)
    if not len(docs):
        return NO_DOCS, NO_DOCS
    rows = [np.searchsorted(term.docs, docs) for term in terms]
    # The word with the fewest positions in those docs is where matching starts: its
    # positions are exactly those; the others' are looked up, so a superset does (see
    # Term.coords_of: selecting costs a pass over all of a word's positions).
    fewest = int(np.argmin([int(term.freqs[r].sum()) for term, r in zip(terms, rows)]))
    coords = [term.coords_of(r, exact=i == fewest) for i, (term, r) in enumerate(zip(terms, rows))]
    if slop > 1:
        starts = _sloppy_starts(coords, slop, terms[0].docs_of)
    else:
        starts = _phrase_starts(coords)
    if not len(starts):
        return NO_DOCS, NO_DOCS
    found, counts = np.unique(terms[0].docs_of(starts), return_counts=True)
    return found, counts


def docs_with_all(terms: Sequence[Term]) -> np.ndarray:
    """Return the docs (ascending) that every term's postings hold."""
    by_size = sorted(terms, key=lambda term: len(term.docs))
    docs = by_size[0].docs
    for term in by_size[1:]:
        if not len(docs):
            break
        at = np.searchsorted(term.docs, docs)
        at[at == len(term.docs)] = 0  # past the end: compared with an entry that differs
        docs = docs[term.docs[at] == docs] if len(term.docs) else NO_DOCS
    return docs


def _same_width(coords: list[np.ndarray], reach: int) -> list[np.ndarray]:
    # int32 coordinates stay int32 (a searchsorted between int32 and int64 arrays copies
    # the int32 one) unless coordinate + reach could overflow.
    if all(c.dtype == np.int32 for c in coords):
        top = max((int(c[-1]) for c in coords if len(c)), default=0)
        if top + reach < np.iinfo(np.int32).max:
            return coords
    return [c.astype(np.int64) for c in coords]


def _phrase_starts(coords: list[np.ndarray]) -> np.ndarray:
    """Return the coordinates where word 0 starts an occurrence of the whole phrase."""
    # A phrase starts at c where word i sits at c + i in every word's sorted list: start
    # from the word with the fewest positions, look the others up.
    coords = _same_width(coords, len(coords))
    order = sorted(range(len(coords)), key=lambda i: len(coords[i]))
    starts = coords[order[0]] - coords[order[0]].dtype.type(order[0])
    for i in order[1:]:
        if not len(starts) or not len(coords[i]):
            return starts[:0]
        wanted = starts + starts.dtype.type(i)
        at = np.searchsorted(coords[i], wanted)
        at[at == len(coords[i])] = len(coords[i]) - 1
        starts = starts[coords[i][at] == wanted]
    return starts


def _sloppy_starts(
    coords: list[np.ndarray], slop: int, docs_of: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """Return the coordinates of word 0 that start a chain where each next word follows
    within slop positions, all in one document."""
    # Walking back: `chained` holds the positions of word i+1 that end a valid chain; a
    # position p of word i chains when the first of them after p is at most p + slop.
    coords = [c.astype(np.int64) for c in coords]
    chained = coords[-1]
    for i in range(len(coords) - 2, -1, -1):
        budget.check()
        here = coords[i]
        if not len(chained):
            return chained
        at = np.searchsorted(chained, here, side="right")
        inside = at < len(chained)
        here, after = here[inside], chained[at[inside]]
        near = (after - here <= slop) & (docs_of(after) == docs_of(here))
        chained = here[near]
    return chained
