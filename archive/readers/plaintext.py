"""Read the plain-text article layout: section, title, date line, body, credits, Source line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from archive.config import Config
from archive.errors import InputError
from archive.models import Article
from archive.readers.dates import TEXT_DATE, parse_text_date, plausibility_problem
from archive.readers.encoding import decode, looks_binary
from archive.readers.records import MAX_RECORD_BYTES

PHOTO = re.compile(r"^\s*Photo\s*:\s*(.*?)\s*$", re.IGNORECASE)
INITIALS = re.compile(r"^\s*\(([a-z]{1,5}(?:\s*/\s*[a-z]{1,5})*)\)\s*$")
SOURCE = re.compile(r"^\s*Sources?\s*:\s*(.+?)\s*$", re.IGNORECASE)
# Header lines are short; a long first line is a paragraph, not a section or title.
MAX_HEADER_CHARS = 300


def read(path: Path, config: Config) -> Iterator[Article]:
    """Yield the one article a plain-text file holds."""
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file: nothing to ingest")
    if size > MAX_RECORD_BYTES:
        raise InputError(
            f"file of {size / 1e6:.1f} MB is too large for one article "
            f"(limit {MAX_RECORD_BYTES // 2**20} MB): split it or check it is an article"
        )
    data = path.read_bytes()
    if looks_binary(data):
        raise InputError("binary file, not text: remove it from the input or convert it")
    text, encoding = decode(data)
    article = parse(text, config.timezone, source=f"{path}:1")
    if encoding != "utf-8":
        article.warnings.append(f"decoded as {encoding} (not UTF-8)")
    yield article


def parse(text: str, zone: str, source: str = "") -> Article:
    """Parse one article in the plain-text layout; missing parts become warnings."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        raise InputError("file holds only white space: nothing to ingest")
    warnings: list[str] = []
    section, title, date, body_start = _header(numbered, zone, warnings)
    body, photo_credits, initials, cited = [], [], "", []
    for _, line in numbered[body_start:]:
        if match := PHOTO.match(line):
            if match.group(1):
                photo_credits.append(match.group(1))
        elif match := INITIALS.match(line):
            initials = re.sub(r"\s+", "", match.group(1))
        elif match := SOURCE.match(line):
            cited.extend(_split_sources(match.group(1)))
        else:
            body.append(line)
    if not title:
        raise InputError("no title or text found: is this an article?")
    if not body:
        warnings.append("no body text")
    return Article(
        title=title,
        body="\n\n".join(body),
        date=date,
        section=section,
        photo_credits=photo_credits,
        editor_initials=initials,
        cited_outlets=cited,
        source=source,
        warnings=warnings,
        raw=text,
    )


def _header(
    numbered: list[tuple[int, str]], zone: str, warnings: list[str]
) -> tuple[str, str, datetime | None, int]:
    """Return (section, title, date, index of the first body line)."""
    for index, (lineno, line) in enumerate(numbered[:4]):
        if TEXT_DATE.match(line):
            date = parse_text_date(line, zone)
            if date is None:
                warnings.append(f"line {lineno}: unreadable date {line!r}: stored as undated")
            elif problem := plausibility_problem(date):
                warnings.append(f"line {lineno}: implausible {problem}: stored as undated")
                date = None
            heads = [text for _, text in numbered[:index]]
            if len(heads) >= 2:
                return heads[-2], heads[-1], date, index + 1
            if len(heads) == 1:
                warnings.append("no section line")
                return "", heads[0], date, index + 1
            warnings.append("no section or title before the date line")
            return "", "", date, index + 1
    warnings.append("no DD.MM.YYYY date line: stored as undated")
    first = numbered[0][1]
    if len(numbered) > 2 and len(numbered[1][1]) <= MAX_HEADER_CHARS and _is_section(first):
        return first, numbered[1][1], None, 2
    if len(first) > MAX_HEADER_CHARS:
        raise InputError(
            f"line 1 is {len(first)} characters long with no title or date line: "
            "not an article in the plain-text layout"
        )
    warnings.append("no section line")
    return "", first, None, 1


def _is_section(line: str) -> bool:
    return len(line.split()) <= 4 and not line.endswith((".", "?", "!", ":"))


def _split_sources(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]
