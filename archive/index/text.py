"""Text analysis shared by indexing and searching: folding, word splitting, stemming.

Folding lower-cases and strips accents so "Wałęsa", "WALESA" and "walesa" are one word.
Letters that Unicode does not decompose into a base letter plus marks (ł, ø, đ, ß, æ...)
are mapped by hand, or "walesa" would never find "Wałęsa". The analyzers here are the
Whoosh analyzers of the schema: the schema is pickled into the index with their import
path, so they live in this module for good.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Token
from whoosh.lang.porter2 import stem as _porter_stem

VALUE_SEPARATOR = "\x1f"  # joins a list of names into one indexed string
VALUE_GAP = 100  # positions skipped between two names so phrases never span them
# Letters with no Unicode decomposition, folded as a reader of the language would type
# them on an ASCII keyboard (lower case only: text is lower-cased before folding).
UNDECOMPOSED = {
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
    "ŧ": "t",
    "ı": "i",
    "ŀ": "l",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ĸ": "k",
    "ŋ": "n",
}

_WORD = re.compile(r"[^\W_]+")


class _FoldTable(dict[int, str]):
    # str.translate table filled on first sight of each non-ASCII character, so folding
    # runs in C after warm-up instead of decomposing every text.
    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in UNDECOMPOSED:
            self[code] = UNDECOMPOSED[char]
            return self[code]
        decomposed = unicodedata.normalize("NFKD", char)
        result = "".join(c for c in decomposed if not unicodedata.combining(c))
        # Non-ASCII punctuation and spaces become plain spaces: they separate words.
        result = self[code] = "".join(c if c.isalnum() else " " for c in result)
        return result


_FOLD = _FoldTable()


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_FOLD)


def fold(text: str) -> str:
    """Lower-case text and strip accents (ASCII text takes the fast path)."""
    text = text.lower()
    # translate() looks every character up in Python; only the non-ASCII runs need it.
    return text if text.isascii() else _NON_ASCII.sub(_fold_run, text)


@lru_cache(maxsize=65536)
def normalise(value: str) -> str:
    """Return the lookup key of a facet value: folded, single-spaced.

    Cached: a results page compares the same few hundred names many times over.
    """
    return " ".join(fold(value).split())


class _StemCache(dict[str, str]):
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

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
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
            terms: Iterable[str] = words(part)
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

    def _with_chars(
        self, token: Token, value: str, positions: bool, pos: int, start_char: int
    ) -> Iterator[Token]:
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
