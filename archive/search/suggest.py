"""'Did you mean': correct misspelt query words against the archive's own vocabulary.

A word is corrected to a known word within distance 2 (Damerau-Levenshtein, optimal string
alignment: insertions, deletions, substitutions and adjacent transpositions count one
each) that is more frequent than the word itself: the closest first, then the most frequent.

Candidates come from a symmetric-delete table of depth 2, so a lookup never scans the
vocabulary. Two words are within distance d only if deleting at most d letters from each
leaves a common string (an insertion on one side is a deletion on the other; a
substitution or a transposition is one deletion on each side). The same holds for their
first PREFIX letters, so only those are used, which bounds a word's keys at
1 + 7 + 21 = 29 (its first 7 letters with none, one or two deleted). Every key is a 64-bit
hash, kept in one sorted numpy array beside its word's number: 12 bytes a key and no Python
object per key. A lookup hashes the query's own keys, binary-searches them and checks each
candidate's true distance, so a hash collision costs a distance computation, never a
wrong answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import combinations

import numpy as np

from archive.index.text import fold, words

MAX_DISTANCE = 2
PREFIX = 7  # letters of a word that take part in its keys
MIN_LENGTH = 3  # shorter words are never suggested (nor are words with digits)

_PLAIN_WORD = re.compile(r"(?<![\w:*\"])([^\W\d_]{3,})(?![\w:*])")
_OPERATORS = ("AND", "OR", "NOT")
# Every way of deleting up to MAX_DISTANCE of the PREFIX columns: (deleted, kept).
_PATTERNS = [
    (deleted, [c for c in range(PREFIX) if c not in deleted])
    for n in range(MAX_DISTANCE + 1)
    for deleted in combinations(range(PREFIX), n)
]
_HASH_SEED = np.uint64(0x9E3779B97F4A7C15)
_HASH_MULTIPLIER = np.uint64(0xBF58476D1CE4E5B9)


def distance(a: str, b: str) -> int:
    """Return the Damerau-Levenshtein distance (adjacent transpositions count once)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _codes(texts: list[str]) -> np.ndarray:
    """Return the code points of each text's first PREFIX letters, zero-padded, one row each."""
    fixed = np.array([t[:PREFIX] for t in texts], dtype=f"<U{PREFIX}")
    return fixed.view(np.uint32).reshape(len(texts), PREFIX).astype(np.uint64)


def _hash_rows(codes: np.ndarray) -> np.ndarray:
    """Return a 64-bit hash of each row (a multiply-xorshift mix; wraps modulo 2**64)."""
    hashes = np.full(len(codes), _HASH_SEED, np.uint64)
    for column in range(codes.shape[1]):
        hashes ^= codes[:, column]
        hashes *= _HASH_MULTIPLIER
        hashes ^= hashes >> np.uint64(31)
    return hashes


def _delete_keys(codes: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the hash of every key of every row and the row each key belongs to."""
    hashes, rows = [], []
    for deleted, kept in _PATTERNS:
        # Deleting a padding column would repeat a shorter deletion of the same row.
        valid = np.flatnonzero(lengths > max(deleted, default=-1))
        keys = np.zeros((len(valid), PREFIX), np.uint64)
        keys[:, : len(kept)] = codes[valid][:, kept]
        hashes.append(_hash_rows(keys))
        rows.append(valid.astype(np.int32))
    return np.concatenate(hashes), np.concatenate(rows)


class Speller:
    """Word frequencies plus a depth-2 symmetric-delete table of the spellable words."""

    def __init__(self, texts: Iterable[str], counts: Mapping[str, int] | None = None) -> None:
        self.freq: Counter[str] = Counter(counts or {})
        for text in texts:
            self.freq.update(words(text))
        self._words = [w for w in self.freq if len(w) >= MIN_LENGTH and w.isalpha()]
        self._lengths = np.array([len(w) for w in self._words], np.int32)
        hashes, rows = _delete_keys(_codes(self._words), np.minimum(self._lengths, PREFIX))
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._rows = hashes[order], rows[order]

    def candidates(self, word: str) -> list[str]:
        """Return the spellable words that may lie within MAX_DISTANCE of word (a superset)."""
        if not self._words:
            return []
        hashes, _ = _delete_keys(_codes([word]), np.array([min(len(word), PREFIX)]))
        starts = np.searchsorted(self._hashes, hashes, side="left")
        ends = np.searchsorted(self._hashes, hashes, side="right")
        found = [self._rows[s:e] for s, e in zip(starts.tolist(), ends.tolist()) if e > s]
        if not found:
            return []
        rows = np.unique(np.concatenate(found))
        # A length difference beyond MAX_DISTANCE alone rules a candidate out.
        rows = rows[np.abs(self._lengths[rows] - len(word)) <= MAX_DISTANCE]
        return [self._words[i] for i in rows.tolist()]

    def correct(self, word: str) -> str | None:
        """Return the most frequent known word within distance 2, or None."""
        word = fold(word)
        own = self.freq.get(word, 0)
        if own > 1:
            return None
        scored = [
            (distance(word, c), -self.freq[c], c)
            for c in self.candidates(word)
            if c != word and self.freq[c] > own
        ]
        scored = [s for s in scored if s[0] <= MAX_DISTANCE]
        return min(scored)[2] if scored else None

    def suggest(self, text: str) -> str | None:
        """Return the query with misspelt plain words corrected, or None if nothing changed."""
        changed = False

        def fix(match: re.Match[str]) -> str:
            nonlocal changed
            word = match.group(1)
            if word in _OPERATORS:
                return word
            better = self.correct(word)
            if better is None:
                return word
            changed = True
            return better

        corrected = _PLAIN_WORD.sub(fix, text)
        return corrected if changed else None
