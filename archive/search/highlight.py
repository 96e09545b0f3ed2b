"""Highlighting: the positive terms of a query, marked in titles, bodies and snippets.

Which words match is spans.py's (Terms, and the words found in C, each distinct one
confirmed once per query); this module marks them. A snippet is the window of `size`
characters holding the most matches (the earliest on ties), widened to whole words,
HTML-escaped, with ellipses where the text goes on; runs of whitespace show as one
space, collapsed in the stretch shown only.
"""

from __future__ import annotations

import html
import re

from archive.errors import SearchError
from archive.search.parsing import parse
from archive.search.spans import Span, Terms, find_spans, terms_of

_WHITESPACE, _NON_SPACE = re.compile(r"\s"), re.compile(r"\S")
SNIPPET_LIMIT = 32768  # characters of a body a snippet looks at


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
