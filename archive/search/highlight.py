"""Highlighting: the positive terms of a query, marked in titles, bodies and snippets.

Terms holds what to mark: folded words, stems and prefixes, and the key each matching
word starts with, a prefix every matching folded word starts with: a phrase or facet word
itself, a prefix query's text, or for a stem s the first max(2, len(s) - 2) characters
(Porter2 changes at most the last two characters of a word's kept part: "elections" ->
"elect", "happy" -> "happi"; its three irregular forms "dying", "lying", "tying" get their
own key). spans.py finds the words starting with a key in C and confirms each distinct
one once per query, so the Python work is proportional to the candidates, not the words.
A snippet is the window of `size` characters holding the most matches (the earliest on
ties), widened to whole words, HTML-escaped, with ellipses where the text goes on; runs of
whitespace show as one space, collapsed in the stretch shown only.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from whoosh import query as Q

from archive.errors import SearchError
from archive.index import schema as S
from archive.index.text import STEMS, fold
from archive.search.parsing import parse
from archive.search.spans import Span, find_spans

_WHITESPACE, _NON_SPACE = re.compile(r"\s"), re.compile(r"\S")
# Keys are found one by one with bytes.find (C's memchr speed, a Python step per find)
# unless one is this short or there are this many: then by one regular expression.
SHORT_KEY, MANY_KEYS = 2, 3
SNIPPET_LIMIT = 32768  # characters of a body a snippet looks at
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


def _marked(text: str, spans: list[Span], start: int, end: int) -> str:
    """Return text[start:end] HTML-escaped with the spans inside it wrapped in <mark>."""
    out, last = [], start
    for span in spans:
        if span.start >= start and span.end <= end:
            out.append(html.escape(text[last : span.start]))
            out.append("<mark>" + html.escape(text[span.start : span.end]) + "</mark>")
            last = span.end
    out.append(html.escape(text[last:end]))
    return "".join(out)


def mark(text: str, terms: Terms, start: int = 0, end: int | None = None) -> str:
    """Return text[start:end] HTML-escaped with matching words wrapped in <mark>."""
    end = len(text) if end is None else end
    return _marked(text, find_spans(text[:end], terms), start, end)


def _best_window_start(starts: list[int], size: int) -> int:
    """Return the first match of the window of size // 2 holding the most matches."""
    best_count, best_start, j = 0, starts[0], 0
    for i, position in enumerate(starts):
        while starts[j] < position - size // 2:
            j += 1
        if i - j + 1 > best_count:
            best_count, best_start = i - j + 1, starts[j]
    return best_start


def snippet(text: str, terms: Terms, size: int = 240) -> str:
    """Return an HTML-safe excerpt of about size characters around the best cluster of matches."""
    # Without terms the excerpt is the start: look only at what it can show.
    limit = SNIPPET_LIMIT if terms else 2 * size
    more = len(text) > limit  # text beyond the part looked at still earns an ellipsis
    text = text[:limit]
    spans = find_spans(text, terms)
    start = 0
    if spans:
        start = max(0, _best_window_start([s.start for s in spans], size) - 40)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else 0
    # Runs of whitespace show as one space: collapse them in the stretch shown only (twice
    # the excerpt's size, to the end of a word), not in the whole text.
    after = _WHITESPACE.search(text, start + 2 * size)
    stop = after.start() if after else len(text)
    shown = " ".join(text[start:stop].split())
    if not shown:
        return ""
    end = min(len(shown), size)
    if end < len(shown):
        space = shown.rfind(" ", 0, end)
        end = space if space > 0 else end
    before = start > 0 and _NON_SPACE.search(text, 0, start) is not None
    beyond = end < len(shown) or more or _NON_SPACE.search(text, stop) is not None
    body = _marked(shown, find_spans(shown, terms), 0, end)
    return ("…" if before else "") + body + ("…" if beyond else "")


def highlight(text: str, query: str) -> str:
    """Return the whole text HTML-escaped with the query's words in <mark>."""
    try:
        terms = terms_of(parse(query)) if query and query.strip() else Terms()
    except SearchError:
        terms = Terms()
    return mark(text, terms)
