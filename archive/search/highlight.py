"""Highlighting: the positive terms of a query, marked in titles, bodies and snippets."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from whoosh import query as Q

from archive.errors import SearchError
from archive.index import schema as S
from archive.index.text import STEMS, fold
from archive.search.parsing import parse

_WORD_SPAN = re.compile(r"[^\W_]+")


@dataclass
class Terms:
    """What to highlight: folded/stemmed words, phrases' words and prefixes."""

    stems: set[str] = field(default_factory=set)
    plain: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    _seen: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    _yes: set[str] = field(default_factory=set, repr=False, compare=False)
    _no: set[str] = field(default_factory=set, repr=False, compare=False)

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
            (self._yes if known else self._no).add(word)
        return known

    def matching(self, words: set[str]) -> frozenset[str]:
        """Return those of the distinct words that match (set operations for known words)."""
        for word in words - self._yes - self._no:
            self.matches(word)
        return frozenset(words & self._yes)


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


def mark(text: str, terms: Terms, start: int = 0, end: int | None = None) -> str:
    """Return text[start:end] HTML-escaped with matching words wrapped in <mark>."""
    end = len(text) if end is None else end
    if not terms:
        return html.escape(text[start:end])
    out, last = [], start
    for match in _WORD_SPAN.finditer(text, start, end):
        if terms.matches(match.group()):
            out.append(html.escape(text[last : match.start()]))
            out.append("<mark>" + html.escape(match.group()) + "</mark>")
            last = match.end()
    out.append(html.escape(text[last:end]))
    return "".join(out)


@lru_cache(maxsize=512)
def _alternation(words: frozenset[str]) -> re.Pattern[str]:
    # Longest first, and bounded by non-word characters, so only whole words match.
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def snippet(text: str, terms: Terms, size: int = 240) -> str:
    """Return an HTML-safe excerpt of about size characters around the best cluster of matches."""
    # Without terms the excerpt is the start: normalise only what it can show.
    limit = 32768 if terms else 2 * size
    more = len(text) > limit  # text beyond the normalised part still earns an ellipsis
    text = " ".join(text[:limit].split())
    if not text:
        return ""
    hits = []
    if terms:
        # Decide each distinct word once, then find the matching ones with one regex
        # (C speed) instead of a Python step per word of the text.
        found = terms.matching(set(_WORD_SPAN.findall(text)))
        if found:
            hits = [m.start() for m in _alternation(found).finditer(text)]
    start = 0
    if hits:
        # The window holding the most matches wins; the earliest on ties.
        best, j = (0, hits[0]), 0
        for i, position in enumerate(hits):
            while hits[j] < position - size // 2:
                j += 1
            if i - j + 1 > best[0]:
                best = (i - j + 1, hits[j])
        start = max(0, best[1] - 40)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else 0
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = mark(text, terms, start, end)
    return ("…" if start else "") + body + ("…" if end < len(text) or more else "")


def highlight(text: str, query: str) -> str:
    """Return the whole text HTML-escaped with the query's words in <mark>."""
    try:
        terms = terms_of(parse(query)) if query and query.strip() else Terms()
    except SearchError:
        terms = Terms()
    return mark(text, terms)
