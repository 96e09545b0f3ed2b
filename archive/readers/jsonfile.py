"""Read JSON, JSON Lines and their gzipped forms: one object per article."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

from archive.config import Config
from archive.errors import InputError
from archive.models import Article
from archive.readers.dates import checked_date
from archive.readers.encoding import looks_binary
from archive.readers.records import MAX_RECORD_BYTES, Rejection

# Field names seen in common news exports, most specific first.
TITLE_KEYS = ("title", "headline")
BODY_KEYS = ("body", "content", "content_original", "text", "article", "description")
DATE_KEYS = ("date", "published", "publish_date", "published_at", "pubdate", "datetime")
OUTLET_KEYS = ("source", "outlet", "publisher", "site_name")
DOMAIN_KEYS = ("source_url", "domain")
AUTHOR_KEYS = ("authors", "author", "byline")
URL_KEYS = ("url", "link")
SECTION_KEYS = ("section", "category", "topic")


def read(path: Path, config: Config) -> Iterator[Article | Rejection]:
    """Yield articles from a JSON document or from JSON Lines, gzipped or not."""
    with open(path, "rb") as raw:
        head = raw.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    try:
        with opener(path, "rb") as handle:
            first = handle.read(8192)
            if not first.strip():
                raise InputError("empty file: nothing to ingest")
            if looks_binary(first):
                raise InputError("binary file, not JSON: remove it from the input or convert it")
            start = first.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            stream = _Rewound(first, handle)
            if start == b"[" or (start == b"{" and _single_document(path)):
                yield from _read_document(path, stream)
            else:
                yield from _read_lines(path, stream)
    except (gzip.BadGzipFile, EOFError) as error:
        raise InputError(f"corrupt gzip file ({error}): re-export or re-download it") from None


def _single_document(path: Path) -> bool:
    return path.name.lower().removesuffix(".gz").endswith(".json")


class _Rewound(io.RawIOBase):
    """A binary stream that replays bytes already read from its head."""

    def __init__(self, head: bytes, rest: IO[bytes] | gzip.GzipFile) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_lines(path: Path, stream: io.RawIOBase) -> Iterator[Article | Rejection]:
    reader = io.BufferedReader(stream, buffer_size=1 << 16)
    lineno = 0
    while True:
        line = reader.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        lineno += 1
        source = f"{path}:{lineno}"
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the over-long line
                line = reader.readline(1 << 20)
            yield Rejection(
                source,
                f"line longer than {MAX_RECORD_BYTES // 2**20} MB: "
                "not one article; split the record or check the file",
            )
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except UnicodeDecodeError:
            yield Rejection(source, "invalid UTF-8 in JSON: re-export the file as UTF-8")
            continue
        except json.JSONDecodeError as error:
            yield Rejection(
                source,
                f"invalid JSON ({error.msg} at column {error.colno}): fix or remove this line",
            )
            continue
        yield to_article(record, source, line.decode("utf-8", "replace"))


def _read_document(path: Path, stream: io.RawIOBase) -> Iterator[Article | Rejection]:
    data = stream.read(MAX_RECORD_BYTES * 20 + 1)
    if len(data) > MAX_RECORD_BYTES * 20:
        raise InputError("JSON document over 100 MB: export it as JSON Lines (one article a line)")
    try:
        document = json.loads(data)
    except UnicodeDecodeError:
        raise InputError("invalid UTF-8 in JSON: re-export the file as UTF-8") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"invalid JSON ({error.msg} at line {error.lineno} column {error.colno}): fix the file"
        ) from None
    if isinstance(document, dict):
        document = document.get("articles", [document])
    if not isinstance(document, list):
        raise InputError("JSON holds neither an object nor a list of objects")
    for number, record in enumerate(document, 1):
        yield to_article(record, f"{path}#{number}", json.dumps(record, ensure_ascii=False))


def to_article(record: object, source: str, raw: str) -> Article | Rejection:
    """Map one JSON object's common field names onto an Article."""
    if not isinstance(record, dict):
        return Rejection(source, f"expected a JSON object, found {type(record).__name__}")
    title = _text(_first(record, TITLE_KEYS))
    body = _text(_first(record, BODY_KEYS))
    if not title and not body:
        return Rejection(
            source,
            "record has no title or body: nothing to index "
            f"(keys: {', '.join(sorted(record)[:12])})",
        )
    warnings: list[str] = []
    date = checked_date(_first(record, DATE_KEYS), warnings)
    cited = [
        name
        for name in (
            _outlet_name(_first(record, OUTLET_KEYS)),
            _domain(_first(record, DOMAIN_KEYS)),
        )
        if name
    ]
    return Article(
        title=title,
        body=body,
        date=date,
        section=_text(_first(record, SECTION_KEYS)),
        authors=_authors(_first(record, AUTHOR_KEYS)),
        url=_text(_first(record, URL_KEYS)),
        cited_outlets=cited,
        source=source,
        warnings=warnings,
        raw=raw,
    )


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", []):
            return value
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n\n".join(_text(v) for v in value if v)
    return str(value).strip()


def _outlet_name(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    return _text(value)


def _domain(value: object) -> str:
    text = _text(value)
    if not text:
        return ""
    host = urlparse(text if "//" in text else "//" + text).hostname or ""
    return host.removeprefix("www.")


def _authors(value: object) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).replace(" and ", ",").split(",")
    names = []
    for item in items:
        name = " ".join(_outlet_name(item).split()).removeprefix("By ").strip()
        if name and name not in names:
            names.append(name)
    return names
