"""Hostile inputs for the readers (issue 10, items 6-10): every record accounted for,
never a traceback, never a lost neighbour, never a hang."""

from __future__ import annotations

import gzip
import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from archive import readers
from archive.config import Config
from archive.ingest import ingest_paths
from archive.models import Article
from archive.readers import Rejection, read_paths
from archive.store import Store


def read(*paths: Path) -> list[Article | Rejection]:
    return list(read_paths(paths, Config(home=Path("."))))


def article(number: int, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "title": f"Title {number}",
        "body": "A body paragraph that is long enough to look like news. " * 3,
        "date": "2019-05-01",
        "url": f"http://x.test/{number}",
    }
    base.update(fields)
    return base


class StillReading(Exception):
    """Not an OSError, so no reader's error handling can swallow it."""


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail the test instead of hanging forever (the old readers blocked on a FIFO)."""

    def give_up(signum: int, frame: object) -> None:
        signal.alarm(1)  # again, should the first interruption be swallowed
        raise StillReading(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# Item 6: JSON documents are read whole.


def test_json_array_over_8_kb_is_read_whole(tmp_path: Path) -> None:
    records = [article(n) for n in range(120)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(records))
    assert path.stat().st_size > 20_000
    items = read(path)
    assert all(isinstance(item, Article) for item in items)
    assert [item.title for item in items if isinstance(item, Article)] == [
        f"Title {n}" for n in range(120)
    ]


def test_pretty_printed_object_and_gzip_document_over_8_kb(tmp_path: Path) -> None:
    single = article(1, body="word " * 4000)
    (tmp_path / "one.json").write_text(json.dumps(single, indent=4))
    with gzip.open(tmp_path / "many.json.gz", "wt") as handle:
        json.dump({"articles": [article(n) for n in range(2, 80)]}, handle, indent=2)
    items = read(tmp_path / "one.json", tmp_path / "many.json.gz")
    assert all(isinstance(item, Article) for item in items)
    assert len(items) == 79


def test_document_over_the_size_cap_is_rejected_clearly(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "w") as handle:
        handle.write('[{"title": "t", "body": "')
        handle.write("x" * (101 * 1024 * 1024))
        handle.write('"}]')
    [rejection] = read(path)
    assert isinstance(rejection, Rejection) and "100 MB" in rejection.reason


# Item 7: one bad record never sinks its neighbours.

HOSTILE_LINES = {
    "deep nesting": '{"title": "t", "body": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "huge integer": '{"title": "t", "body": "b", "count": ' + "7" * 5000 + "}",
    "lone surrogate": '{"title": "t \\ud800", "body": "b"}',
    "lone surrogate in body": '{"title": "t", "body": "b \\udfff", "url": "http://x.test/s"}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_LINES))
def test_hostile_line_is_rejected_alone(tmp_path: Path, name: str) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps(article(1)), HOSTILE_LINES[name], json.dumps(article(2))]
    path.write_text("\n".join(lines) + "\n")
    items = read(path)
    assert [type(item).__name__ for item in items] == ["Article", "Rejection", "Article"]
    assert items[1].source == f"{path}:2"


def test_invalid_source_url_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "url.jsonl"
    path.write_text(json.dumps(article(1, source_url="http://[invalid")) + "\n")
    [item] = read(path)
    assert isinstance(item, Article) and item.cited_outlets == []
    assert any("source_url" in warning for warning in item.warnings)


def test_hostile_records_are_stored_with_their_neighbours(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = [json.dumps(article(1)), *HOSTILE_LINES.values(), json.dumps(article(2))]
    (inputs / "mixed.jsonl").write_text("\n".join(lines) + "\n")
    odd_name = os.fsencode(inputs) + b"/odd-\xff\xfe.jsonl"
    with open(odd_name, "w") as handle:
        handle.write(json.dumps(article(3)) + "\n")
    config = Config(home=tmp_path / "home")
    report = ingest_paths(config, [inputs], workers=1)
    assert report.added == 3
    assert len(report.rejected) == len(HOSTILE_LINES)
    with Store(config.store_path) as store:
        assert store.count() == 3


# Item 8: no hang on FIFOs or devices.


def test_fifo_and_devices_are_skipped(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.jsonl").write_text(json.dumps(article(1)) + "\n")
    os.mkfifo(inputs / "pipe.jsonl")
    (inputs / "random.json").symlink_to("/dev/urandom")
    with deadline(20):
        items = read(inputs, Path("/dev/zero"))
    reasons = {Path(i.source).name: i.reason for i in items if isinstance(i, Rejection)}
    assert set(reasons) == {"pipe.jsonl", "random.json", "zero"}
    assert all("not a regular file" in reason for reason in reasons.values())
    assert [i.title for i in items if isinstance(i, Article)] == ["Title 1"]


def test_ingest_skips_a_fifo(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.jsonl").write_text(json.dumps(article(1)) + "\n")
    os.mkfifo(inputs / "pipe.jsonl")
    with deadline(60):
        report = ingest_paths(Config(home=tmp_path / "home"), [inputs], workers=1)
    assert report.added == 1 and len(report.rejected) == 1


# Item 9: rejections per file are capped, their count kept.


def test_rejections_per_file_are_capped_with_a_count(tmp_path: Path) -> None:
    path = tmp_path / "empties.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b"{}\n" * 200_000)
        handle.write(json.dumps(article(1)).encode() + b"\n")
    items = read(path)
    rejections = [item for item in items if isinstance(item, Rejection)]
    assert len(rejections) == readers.MAX_REJECTIONS_PER_FILE + 1
    assert "199900 more" in rejections[-1].reason
    assert [item.title for item in items if isinstance(item, Article)] == ["Title 1"]


# Item 10: field types are validated; UTF-16/32 files are decoded.


@pytest.mark.parametrize("value", [True, False, {"year": 2019}, [2019, 5, 1]])
def test_a_date_that_is_not_a_date_warns(tmp_path: Path, value: object) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(article(1, date=value)) + "\n")
    [item] = read(path)
    assert isinstance(item, Article) and item.date is None
    assert any("date" in warning for warning in item.warnings)


def test_a_dict_body_is_not_stored_as_its_repr(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    body = {"html": "<p>x</p>", "text": "Plain words"}
    path.write_text(json.dumps(article(1, body=body)) + "\n")
    [item] = read(path)
    assert isinstance(item, Article)
    assert "{" not in item.body and "'text'" not in item.body
    assert any("body" in warning for warning in item.warnings)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_json_with_a_bom_are_decoded(tmp_path: Path, encoding: str) -> None:
    records = [article(n, title=f"Zażółć {n}") for n in range(3)]
    document = tmp_path / "doc.json"
    lines = tmp_path / "lines.jsonl"
    bom = {"utf-16-be": "\ufeff", "utf-32-le": "\ufeff"}.get(encoding, "")
    document.write_bytes((bom + json.dumps(records, ensure_ascii=False)).encode(encoding))
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
    lines.write_bytes((bom + text).encode(encoding))
    unnamed = tmp_path / "export"  # no suffix: the format is told from the decoded head
    unnamed.write_bytes(document.read_bytes())
    items = read(document, lines, unnamed)
    assert [item.title for item in items if isinstance(item, Article)] == [
        f"Zażółć {n}" for n in range(3)
    ] * 3
