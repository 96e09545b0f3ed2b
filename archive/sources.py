"""Where an article came from, as the archive shows it: never the server's absolute path.

A reader names each record by its file and position ("/srv/in/export.jsonl.gz:2349",
"notes.txt:1", "fixture#quill"). Ingest stores that name relative to the input it was given:
a file given by itself keeps its own name ("export.jsonl.gz:2349"); a file found in a folder
given keeps its path inside that folder ("2016/march.jsonl:12"). Articles stored before
that kept the reader's full path: public_source() cuts an absolute path down to the file's
name when a page or the API shows it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath

from archive.readers import Rejection, find_files, printable_path

# A record's position after its file's name: ":2349" (a line) or "#3" (a record).
_POSITION = re.compile(r"(:\d+|#[^/\\]*)$")


def inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path | Rejection, Path]]:
    """Yield each file (or rejection) found under paths with the path given that found it."""
    for top in map(Path, paths):
        for item in find_files([top]):
            yield item, top


def relative_source(source: str, file: Path, top: Path) -> str:
    """Return a record's source with its file named relative to top, the ingested input:
    the file's own name when top is that file, its path inside top when top is a folder."""
    shown = printable_path(file)
    if not source.startswith(shown):
        return public_source(source)
    try:
        inside = file.relative_to(top) if top != file else Path(file.name)
    except ValueError:  # not under top (cannot happen for find_files' answers): the name
        inside = Path(file.name)
    return printable_path(inside) + source[len(shown) :]


def public_source(source: str) -> str:
    """Return source as pages may show it: an absolute path (or a ~ or ../ one) becomes
    the file's name, with the record's position kept ("export.jsonl.gz:2349")."""
    position = _POSITION.search(source)
    suffix = position.group(0) if position else ""
    path = source[: len(source) - len(suffix)]
    if _absolute(path):
        return _file_name(path) + suffix
    return source


def _absolute(path: str) -> bool:
    # A path climbing out of the ingested folder ("../../srv/in/x.jsonl") also says where
    # the server keeps things.
    return (
        path.startswith(("~", "/", "\\"))
        or ".." in PurePosixPath(path.replace("\\", "/")).parts
        or PurePosixPath(path).is_absolute()
        or PureWindowsPath(path).is_absolute()
    )


def _file_name(path: str) -> str:
    return PureWindowsPath(path).name if "\\" in path else PurePosixPath(path).name


__all__ = ["inputs", "public_source", "relative_source"]
