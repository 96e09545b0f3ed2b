"""Read JSON, JSON Lines and their gzipped forms: one object per article."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

from archive.config import Config
from archive.errors import InputError
from archive.models import Article
from archive.readers.dates import checked_date
from archive.readers.encoding import looks_binary, wide_encoding
from archive.readers.records import MAX_DOCUMENT_BYTES, MAX_RECORD_BYTES, Rejection

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
            first, stream = _utf8_stream(handle)
            start = first.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            # A .jsonl name means lines even when the first line is an array: read as one
            # document, a bad first line would sink every record after it (fuzzing found).
            document = start == b"[" and not _lines_by_name(path)
            if document or (start == b"{" and _single_document(path)):
                yield from _read_document(path, stream)
            else:
                yield from _read_lines(path, stream)
    except (gzip.BadGzipFile, EOFError) as error:
        raise InputError(f"corrupt gzip file ({error}): re-export or re-download it") from None


def _utf8_stream(handle: IO[bytes] | gzip.GzipFile) -> tuple[bytes, io.BufferedReader]:
    """Return the first bytes of the input and a stream of all of it as UTF-8; a UTF-16 or
    UTF-32 file (told by its byte-order mark) is decoded whole, within the document cap."""
    first = handle.read(8192)
    if not first.strip():
        raise InputError("empty file: nothing to ingest")
    encoding = wide_encoding(first)
    if encoding is None:
        if looks_binary(first):
            raise InputError("binary file, not JSON: remove it from the input or convert it")
        return first, io.BufferedReader(_Rewound(first, handle), buffer_size=1 << 16)
    data = first + handle.read(MAX_DOCUMENT_BYTES + 1 - len(first))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"{encoding.upper()} file over 100 MB: re-export it as UTF-8")
    try:
        utf8 = data.decode(encoding).encode("utf-8")
    except UnicodeError:
        raise InputError(f"invalid {encoding.upper()} text: re-export the file as UTF-8") from None
    return utf8[:8192], io.BufferedReader(io.BytesIO(utf8))


def _single_document(path: Path) -> bool:
    return path.name.lower().removesuffix(".gz").endswith(".json")


def _lines_by_name(path: Path) -> bool:
    return path.name.lower().removesuffix(".gz").endswith((".jsonl", ".ndjson"))


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


def _read_lines(path: Path, reader: io.BufferedReader) -> Iterator[Article | Rejection]:
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
        if line.strip():
            yield _line_record(line, source)


def _line_record(line: bytes, source: str) -> Article | Rejection:
    """Parse, validate and identify one JSON line; whatever fails is this line's rejection."""
    if line.strip() == b"{}":  # cheap to refuse: files of millions of them exist
        return Rejection(source, "empty JSON object: nothing to index")
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        return Rejection(source, "invalid UTF-8 in JSON: re-export the file as UTF-8")
    except json.JSONDecodeError as error:
        return Rejection(
            source, f"invalid JSON ({error.msg} at column {error.colno}): fix or remove this line"
        )
    except (ValueError, RecursionError) as error:
        return Rejection(source, f"unreadable JSON ({_why(error)}): fix or remove this line")
    return _guarded_article(record, source, lambda: line.decode("utf-8", "replace"))


def _read_document(path: Path, stream: io.BufferedReader) -> Iterator[Article | Rejection]:
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError("JSON document over 100 MB: export it as JSON Lines (one article a line)")
    try:
        document = json.loads(data)
    except UnicodeDecodeError:
        raise InputError("invalid UTF-8 in JSON: re-export the file as UTF-8") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"invalid JSON ({error.msg} at line {error.lineno} column {error.colno}): fix the file"
        ) from None
    except (ValueError, RecursionError) as error:
        raise InputError(f"unreadable JSON ({_why(error)}): fix the file") from None
    if isinstance(document, dict):
        document = document.get("articles", [document])
    if not isinstance(document, list):
        raise InputError("JSON holds neither an object nor a list of objects")
    for number, record in enumerate(document, 1):
        yield _guarded_article(record, f"{path}#{number}", partial(_raw_json, record))


def _raw_json(record: object) -> str:
    """Serialise a record for the store; escapes keep invalid Unicode storable."""
    text = json.dumps(record, ensure_ascii=False)
    return text if _storable(text) else json.dumps(record)


def _guarded_article(record: object, source: str, raw: Callable[[], str]) -> Article | Rejection:
    """Map one parsed record inside its own error boundary: a record that cannot become
    an article is a rejection naming why, never an exception that loses its neighbours."""
    try:
        return to_article(record, source, raw())
    except (ValueError, TypeError, RecursionError, UnicodeError) as error:
        return Rejection(source, f"record cannot be read ({_why(error)}): fix or remove it")


def _why(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return f"{type(error).__name__}: {str(error)[:100]}"


def _storable(text: str) -> bool:
    """Tell whether text encodes as UTF-8 (JSON escapes can make lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def to_article(record: object, source: str, raw: str) -> Article | Rejection:
    """Map one JSON object's common field names onto an Article."""
    if not isinstance(record, dict):
        return Rejection(source, f"expected a JSON object, found {type(record).__name__}")
    warnings: list[str] = []
    title = _field_text(record, TITLE_KEYS, "title", warnings)
    body = _field_text(record, BODY_KEYS, "body", warnings)
    if not title and not body:
        return Rejection(
            source,
            "record has no title or body: nothing to index "
            f"(keys: {', '.join(sorted(record)[:12])})",
        )
    date = checked_date(_first(record, DATE_KEYS), warnings)
    cited = [
        name
        for name in (
            _outlet_name(_first(record, OUTLET_KEYS)),
            _domain(_first(record, DOMAIN_KEYS), warnings),
        )
        if name
    ]
    section = _field_text(record, SECTION_KEYS, "section", warnings)
    authors = _authors(_first(record, AUTHOR_KEYS))
    url = _field_text(record, URL_KEYS, "url", warnings)
    if not all(map(_storable, [title, body, section, url, raw, *authors, *cited])):
        return Rejection(
            source, "invalid Unicode (a lone surrogate escape such as \\ud800): fix the record"
        )
    return Article(
        title=title,
        body=body,
        date=date,
        section=section,
        authors=authors,
        url=url,
        cited_outlets=cited,
        source=source,
        warnings=warnings,
        raw=raw,
    )


def _field_text(
    record: dict[str, Any], keys: tuple[str, ...], name: str, warnings: list[str]
) -> str:
    """Return a text field; a JSON object where text belongs is ignored with a warning
    (its Python repr is not the article's text)."""
    value = _first(record, keys)
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
    ):
        warnings.append(f"{name} is a JSON object or nested list, not text: ignored")
        return ""
    return _text(value)


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


def _domain(value: object, warnings: list[str]) -> str:
    text = _text(value)
    if not text:
        return ""
    try:
        host = urlparse(text if "//" in text else "//" + text).hostname or ""
    except ValueError:
        warnings.append(f"unreadable source_url {text[:60]!r}: no outlet taken from it")
        return ""
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
