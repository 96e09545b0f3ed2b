"""Plain-text views for the command line: search results, one article, archive statistics.

No click here (the cli modules alone import it): each view returns lines, and the caller passes
a `bold` function when the terminal can show bold text. Text that came from input goes through
`printable` first, so an ESC cannot drive the terminal and a newline cannot forge a line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from archive.facets import all_facets
from archive.models import Article

if TYPE_CHECKING:  # a type only: importing the search package loads Whoosh and numpy
    from archive.search.results import Results

Style = Callable[[str], str]
# What `show` prints before the body, in this order (keys of Article.to_json()).
_SHOWN = "id title date section people outlets authors url photo_credits editor_initials source"
ARTICLE_FIELDS = tuple(_SHOWN.split())
INDENT = " " * 12  # under the title, past the date column
FACET_VALUES_SHOWN = 8
HIT_PEOPLE_SHOWN = 5
_MARK = re.compile(r"<mark>(.*?)</mark>")
# C0 and C1 control characters, DEL, and lone surrogates (undecodable bytes of a file name).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(value: object, keep_lines: bool = False) -> str:
    """Return value as text safe to print: control characters written as escapes
    (ESC as \\x1b, a newline as \\n), except newlines and tabs when keep_lines is set."""
    return (_CONTROL_BUT_LINES if keep_lines else _CONTROL).sub(_escape, str(value))


def _plain(text: str) -> str:
    return text


def snippet_text(snippet: str, bold: Style = _plain) -> str:
    """Turn an HTML snippet into printable text, matched terms set off with bold."""
    # split() with a group alternates text outside marks (even) and marked terms (odd).
    pieces = [printable(html.unescape(piece)) for piece in _MARK.split(snippet)]
    return "".join(bold(piece) if at % 2 else piece for at, piece in enumerate(pieces))


def counted(values: list[dict[str, Any]]) -> str:
    """Format facet values as "Reuters (12), BBC (9)"."""
    return ", ".join(f"{printable(v['value'])} ({v['count']})" for v in values)


def results_lines(results: Results, bold: Style = _plain) -> Iterator[str]:
    """Yield a page of results: the total, each hit, then the top values of each facet."""
    yield f"{results.total} articles (page {results.page} of {max(results.pages, 1)})"
    if results.suggestion:
        yield f"did you mean: {printable(results.suggestion)}"
    for hit in results.hits:
        day = hit.date.strftime("%Y-%m-%d") if hit.date else "undated   "
        yield f"\n{day}  {bold(printable(hit.title))}  [{printable(hit.id)}]"
        named = [
            part
            for part in ("; ".join(hit.outlets), ", ".join(hit.people[:HIT_PEOPLE_SHOWN]))
            if part
        ]
        if named:
            yield INDENT + printable(" | ".join(named))
        if hit.snippet:
            yield INDENT + snippet_text(hit.snippet, bold)
    for name in (*(f.name for f in all_facets()), "years"):
        values = results.facets.get(name) or []
        if values:
            yield f"\n{name}: {counted(values[:FACET_VALUES_SHOWN])}"


def article_lines(article: Article) -> Iterator[str]:
    """Yield an article's metadata, one "field: value" line each, a blank line and its body."""
    data = article.to_json()
    for key in ARTICLE_FIELDS:
        value = data[key]
        if value:
            yield f"{key}: {printable(', '.join(value) if isinstance(value, list) else value)}"
    yield ""
    yield printable(article.body, keep_lines=True)


def extraction_line(awaiting: int, outdated: int) -> str:
    """Say how many articles await extraction of people and outlets, and what does it."""
    if not (awaiting or outdated):
        return "extraction: complete"
    parts = []
    if awaiting:
        parts.append(f"{awaiting} awaiting (the next ingest or `newsarchive reextract` does them)")
    if outdated:
        parts.append(f"{outdated} by an older extractor (`newsarchive reextract` redoes them)")
    return "extraction: " + "; ".join(parts)


def stats_lines(stats: dict[str, Any]) -> Iterator[str]:
    """Yield the archive's statistics (Store.stats() plus its recent rejections)."""
    yield f"articles:  {stats['articles']} ({stats['undated']} undated)"
    yield f"dates:     {stats['first_date'] or '-'} .. {stats['last_date'] or '-'}"
    yield f"rejected:  {stats['rejected']}"
    if "awaiting_extraction" in stats:
        yield extraction_line(stats["awaiting_extraction"], stats["outdated_extraction"])
    yield f"top outlets: {counted(stats['top_outlets'])}"
    yield f"top people: {counted(stats['top_people'])}"
    recent = stats.get("recent_rejections") or []
    if recent:
        yield "latest rejections:"
        yield from (f"  {printable(r['source'])}: {printable(r['reason'])}" for r in recent)
