"""Which words of a text match a query's positive terms (Terms), as offsets into it.

Every matching word, folded (lower case, accents stripped: "Wałęsa" -> "walesa"), starts
with one of the terms' keys: a phrase or facet word itself, a prefix query's text, or for
a stem s the first max(2, len(s) - 2) characters (Porter2 changes at most the last two
characters of a word's kept part: "elections" -> "elect", "happy" -> "happi"; its three
irregular forms "dying", "lying", "tying" get their own key). So candidates are found by
a literal search and each distinct candidate is confirmed once per query:
- a text whose characters beyond ASCII all fold to spaces (quotes, dashes, ellipses,
  no-break and zero-width spaces: 95% of the AllSides bodies) is searched as ASCII bytes,
  each such character one "?", so the words and their offsets are the text's own and
  folding a word is lower-casing it: bytes.find per key, or one expression when a key is
  one or two letters (it occurs inside most words) or there are several keys;
- any other text is folded whole, with a map from folded offsets back to the original
  (the identity except after letters that fold to more or fewer characters, "ß" -> "ss").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from whoosh import query as Q

from archive.index import schema as S
from archive.index.text import STEMS, fold

_WORD_SPAN = re.compile(r"[^\W_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_WORD = re.compile(rb"[a-z0-9]+")  # a word of a lower-cased ASCII text
_ASCII_BYTES = bytes(range(128))
# Keys are found one by one with bytes.find (C's memchr speed, a Python step per find)
# unless one is this short or there are this many: then by one regular expression.
SHORT_KEY, MANY_KEYS = 2, 3
# Porter2's irregular forms whose stem does not share the word's first two letters.
_IRREGULAR_KEYS = {"die": "dy", "lie": "ly", "tie": "ty"}


@dataclass
class Terms:
    """What to highlight: folded/stemmed words, phrases' words and prefixes."""

    stems: set[str] = field(default_factory=set)
    plain: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    _seen: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    _keys: tuple[str, ...] | None = field(default=None, repr=False, compare=False)
    _ascii: tuple[re.Pattern[bytes] | None, tuple[bytes, ...]] | None = field(
        default=None, repr=False, compare=False
    )

    def __bool__(self) -> bool:
        return bool(self.stems or self.plain or self.prefixes)

    def matches(self, word: str) -> bool:
        """Tell whether a word of a text is one of the terms (folded, stemmed or prefixed)."""
        known = self._seen.get(word)
        if known is None:
            # Texts repeat their words: decide each distinct word once.
            folded = fold(word)
            known = (
                folded in self.plain
                or STEMS[folded] in self.stems
                or any(folded.startswith(p) for p in self.prefixes)
            )
            self._seen[word] = known
        return known

    def search_keys(self) -> tuple[str, ...]:
        """Return the literal prefixes that every matching folded word starts with."""
        if self._keys is None:
            keys = set(self.plain) | set(self.prefixes)
            for stem in self.stems:
                keys.add(stem[: max(2, len(stem) - 2)])
                if stem in _IRREGULAR_KEYS:
                    keys.add(_IRREGULAR_KEYS[stem])
            # A key that starts with a shorter key finds nothing the shorter one misses.
            self._keys = tuple(
                k for k in keys if k and not any(k != o and k.startswith(o) for o in keys)
            )
        return self._keys

    def ascii_keys(self) -> tuple[re.Pattern[bytes] | None, tuple[bytes, ...]]:
        """Return the ASCII keys as bytes: an expression finding the words that start with
        a key, or None and the keys to find one by one. Keys beyond ASCII are left out:
        they only occur in words beyond ASCII."""
        if self._ascii is None:
            keys = [k.encode("ascii") for k in self.search_keys() if k.isascii()]
            if keys and (len(keys) >= MANY_KEYS or min(map(len, keys)) <= SHORT_KEY):
                # Short keys occur inside most words, and many keys make many passes:
                # one expression finds the words starting with any key in one pass.
                either = b"|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
                self._ascii = (re.compile(rb"(?<![a-z0-9])(?:" + either + rb")[a-z0-9]*"), ())
            else:
                self._ascii = (None, tuple(keys))
        return self._ascii


def terms_of(query: Q.Query | None) -> Terms:
    """Collect the positive terms of a query (not those under NOT)."""
    terms = Terms()
    if query is None:
        return terms

    def walk(node: Q.Query) -> None:
        if isinstance(node, Q.Not):
            return
        if isinstance(node, Q.Prefix):
            terms.prefixes.add(node.text)
        elif isinstance(node, Q.Phrase):
            target = terms.stems if node.fieldname in S.STEMMED_FIELDS else terms.plain
            target.update(node.words)
        elif isinstance(node, Q.Term):
            if node.fieldname in S.STEMMED_FIELDS:
                terms.stems.add(node.text)
            elif node.fieldname in S.value_fields():
                terms.plain.add(node.text)
        if not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(query)
    return terms


class Span(NamedTuple):
    """A matching word: its start and end offsets in the original text."""

    start: int
    end: int


class _Folded(NamedTuple):
    """A folded text and the offsets where its map back to the original text changes."""

    text: str
    folded_marks: list[int]
    original_marks: list[int]

    def original(self, position: int) -> int:
        """Return the original offset of a folded offset (inside an expansion: its end)."""
        i = bisect_right(self.folded_marks, position) - 1
        mapped = self.original_marks[i] + position - self.folded_marks[i]
        if i + 1 < len(self.original_marks):
            mapped = min(mapped, self.original_marks[i + 1])
        return mapped


_RUNS: dict[str, tuple[str, tuple[int, ...] | None]] = {}


def _fold_run(run: str) -> tuple[str, tuple[int, ...] | None]:
    # Folds a run of non-ASCII characters; the lengths of each character's folding are
    # kept only when one of them is not a single character. Runs repeat (quotes, dashes).
    known = _RUNS.get(run)
    if known is None:
        parts = [fold(char) for char in run]
        uneven = any(len(part) != 1 for part in parts)
        known = ("".join(parts), tuple(map(len, parts)) if uneven else None)
        if len(_RUNS) > 100_000:
            _RUNS.clear()
        _RUNS[run] = known
    return known


def _fold_mapped(text: str) -> _Folded:
    """Fold a text, recording where folded and original offsets stop moving in step."""
    if text.isascii():
        return _Folded(text.lower(), [0], [0])
    pieces, folded_marks, original_marks = [], [0], [0]
    folded_at = last = 0
    for run in _NON_ASCII.finditer(text):
        start, end = run.span()
        pieces.append(text[last:start].lower())  # ASCII: one character for one
        folded_at += start - last
        folded_run, lengths = _fold_run(run.group())
        pieces.append(folded_run)
        if lengths is None:
            folded_at += end - start
        else:
            for original_at, length in enumerate(lengths, start):
                folded_marks.append(folded_at)
                original_marks.append(original_at)
                folded_at += length
                folded_marks.append(folded_at)
                original_marks.append(original_at + 1)
        last = end
    pieces.append(text[last:].lower())
    return _Folded("".join(pieces), folded_marks, original_marks)


def find_spans(text: str, terms: Terms) -> list[Span]:
    """Return the spans of the words of text that match the terms, in order."""
    if not terms:
        return []
    if _letters_beyond_ascii(text):
        return _find_folded(text, terms)
    # Every character beyond ASCII separates words here, so the text as ASCII bytes (each
    # of those characters one "?") has the same words at the same offsets, and folding its
    # words is lower-casing them: the search runs on bytes, in C.
    plain = text.encode("ascii", "replace").lower()
    find, word_at, matches = plain.find, _ASCII_WORD.match, terms.matches
    ends: dict[int, int] = {}
    short, long = terms.ascii_keys()
    if short is not None:
        for found in short.finditer(plain):
            if matches(found.group().decode("ascii")):
                ends[found.start()] = found.end()
    for needle in long:
        at = find(needle)
        while at >= 0:
            if at == 0 or not plain[at - 1 : at].isalnum():
                word = word_at(plain, at)
                if word and matches(word.group().decode("ascii")):
                    ends[at] = word.end()
            at = find(needle, at + len(needle))
    return [Span(at, ends[at]) for at in sorted(ends)]


def _letters_beyond_ascii(text: str) -> bool:
    """Tell whether some character beyond ASCII folds to anything but spaces (a letter,
    digit or combining mark), i.e. whether words must be found in the folded text."""
    if text.isascii():
        return False
    # Deleting the ASCII bytes of the UTF-8 leaves the others, a few per article.
    beyond = text.encode("utf-8").translate(None, _ASCII_BYTES).decode("utf-8")
    return not all(fold(char).isspace() for char in set(beyond))


def _find_folded(text: str, terms: Terms) -> list[Span]:
    # Texts with accented or other non-ASCII letters: fold the whole text, keeping the
    # map back to the original offsets.
    folded = _fold_mapped(text)
    plain, find, word_at = folded.text, folded.text.find, _WORD_SPAN.match
    # [^\W_] is exactly str.isalnum: a key found after a letter or digit is inside a word.
    ends: dict[int, int] = {}
    for key in terms.search_keys():
        at = find(key)
        while at >= 0:
            if at == 0 or not plain[at - 1].isalnum():
                word = word_at(plain, at)
                if word and terms.matches(word.group()):
                    ends[at] = word.end()
            # Keys are letters and digits: the next word starts after this occurrence.
            at = find(key, at + len(key))
    if len(folded.folded_marks) == 1:  # folding kept every offset
        return [Span(at, ends[at]) for at in sorted(ends)]
    return [Span(folded.original(at), folded.original(ends[at])) for at in sorted(ends)]
