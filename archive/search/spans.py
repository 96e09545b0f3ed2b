"""Which words of a text match a query's terms (highlight.Terms), as offsets into it.

Every matching word, folded (lower case, accents stripped: "Wałęsa" -> "walesa"), starts
with one of the terms' keys (highlight.Terms.search_keys), so candidates are found by a
literal search and each distinct candidate is confirmed once per query:
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
from typing import TYPE_CHECKING, NamedTuple

from archive.index.text import fold

if TYPE_CHECKING:
    from archive.search.highlight import Terms

_WORD_SPAN = re.compile(r"[^\W_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_WORD = re.compile(rb"[a-z0-9]+")  # a word of a lower-cased ASCII text
_ASCII_BYTES = bytes(range(128))


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
