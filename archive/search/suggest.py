"""'Did you mean': correct misspelt query words against the archive's own vocabulary."""

from __future__ import annotations

import re
from collections import Counter

from archive.index.text import fold, words

_PLAIN_WORD = re.compile(r"(?<![\w:*\"])([^\W\d_]{3,})(?![\w:*])")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


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


class Speller:
    """Word frequencies plus a single-deletion table, so lookups never scan the vocabulary."""

    def __init__(self, texts, counts=None):
        self.freq: Counter = Counter(counts or {})
        for text in texts:
            self.freq.update(words(text))
        self.table: dict[str, list[str]] = {}
        for word in self.freq:
            if len(word) >= 3 and word.isalpha():
                for key in _deletes(word) | {word}:
                    self.table.setdefault(key, []).append(word)

    def correct(self, word: str) -> str | None:
        """Return the most frequent known word within distance 2, or None."""
        word = fold(word)
        if self.freq.get(word, 0) > 1:
            return None
        candidates = set()
        for key in _deletes(word) | {word}:
            candidates.update(self.table.get(key, ()))
        scored = [(distance(word, c), -self.freq[c], c) for c in candidates if c != word]
        scored = [s for s in scored if s[0] <= 2 and -s[1] > self.freq.get(word, 0)]
        return min(scored)[2] if scored else None

    def suggest(self, text: str) -> str | None:
        """Return the query with misspelt plain words corrected, or None if nothing changed."""
        changed = False

        def fix(match):
            nonlocal changed
            word = match.group(1)
            if word in ("AND", "OR", "NOT"):
                return word
            better = self.correct(word)
            if better is None:
                return word
            changed = True
            return better

        corrected = _PLAIN_WORD.sub(fix, text)
        return corrected if changed else None
