"""Readers: turn input files into Article records or rejections, one module per format."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from archive.config import Config
from archive.errors import InputError
from archive.models import Article
from archive.readers import jsonfile, plaintext
from archive.readers.records import MAX_RECORD_BYTES, Rejection

__all__ = [
    "MAX_RECORD_BYTES",
    "Rejection",
    "find_files",
    "read_file",
    "read_paths",
    "with_publisher",
]


def find_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Rejection]:
    """Yield the files under each path (directories recurse, hidden entries skipped)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield path
        else:
            yield Rejection(str(path), "no such file or directory: check the path")


def _walk(top: Path) -> Iterator[Path | Rejection]:
    def on_error(error: OSError) -> None:
        problems.append(Rejection(str(error.filename), f"cannot list directory: {error.strerror}"))

    problems: list[Rejection] = []
    for root, dirs, files in os.walk(top, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name
        yield from problems
        problems.clear()


def read_file(path: Path, config: Config) -> Iterator[Article | Rejection]:
    """Yield the articles of one file, detecting its format from name and content."""
    try:
        fmt = detect_format(path)
        reader = jsonfile.read if fmt == "json" else plaintext.read
        yield from reader(path, config)
    except InputError as error:
        yield Rejection(str(path), str(error))
    except PermissionError:
        yield Rejection(str(path), "permission denied: make the file readable and ingest it again")
    except OSError as error:
        yield Rejection(str(path), f"cannot read file: {error.strerror or error}")


def with_publisher(article: Article, publisher: str, path: Path) -> Article:
    """Put a publisher (`ingest --publisher`) first among an article's input outlets when
    its input names no publisher: every plain-text article, a JSON record without a
    source field."""
    if not publisher or publisher in article.cited_outlets:
        return article
    if not article.cited_outlets or detect_format(path) == "text":
        article.cited_outlets.insert(0, publisher)
    return article


def read_paths(
    paths: Iterable[str | os.PathLike[str]], config: Config
) -> Iterator[Article | Rejection]:
    """Yield every article and rejection found under the given paths."""
    for item in find_files(paths):
        if isinstance(item, Rejection):
            yield item
        else:
            yield from read_file(item, config)


JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")


def detect_format(path: Path) -> str:
    """Return "json" or "text" from the file name, else from the first bytes."""
    name = path.name.lower()
    if name.endswith(JSON_SUFFIXES):
        return "json"
    if name.endswith((".txt", ".text")):
        return "text"
    with open(path, "rb") as handle:
        head = handle.read(64)
    if head[:2] == b"\x1f\x8b":
        return "json"  # gzip: the only compressed form we read
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return "json" if stripped[:1] in (b"{", b"[") else "text"
