"""Tests for the JSON and JSON Lines reader."""

import gzip
import json
from pathlib import Path

import pytest
from fixtures import ALLSIDES

from archive.config import Config
from archive.readers import Rejection, read_paths


def read(*paths):
    return list(read_paths(paths, Config(home=Path("."))))


def record(**fields):
    base = {
        "title": "A title",
        "content_original": "Body text.",
        "date": "2019-05-01",
        "source": "Example Times",
        "source_url": "www.example.com",
        "url": "http://x.test/1",
        "authors": "Jane Roe, John Doe",
    }
    base.update(fields)
    return base


def write_jsonl(path: Path, records, opener=open):
    with opener(path, "wt", encoding="utf-8") as handle:
        for item in records:
            handle.write((item if isinstance(item, str) else json.dumps(item)) + "\n")
    return path


def test_field_mapping(tmp_path):
    [article] = read(write_jsonl(tmp_path / "a.jsonl", [record()]))
    assert article.title == "A title" and article.body == "Body text."
    assert article.to_json()["date"] == "2019-05-01T00:00:00Z"
    assert article.cited_outlets == ["Example Times", "example.com"]
    assert article.authors == ["Jane Roe", "John Doe"]
    assert article.url == "http://x.test/1"
    assert article.source.endswith("a.jsonl:1")


def test_alternative_field_names(tmp_path: Path) -> None:
    item = {
        "headline": "H",
        "text": "T",
        "published": "2020-01-02T10:00:00+02:00",
        "publisher": {"name": "P"},
        "byline": "By Ann Lee",
        "link": "http://y.test/",
    }
    [article] = read(write_jsonl(tmp_path / "b.jsonl", [item]))
    assert (article.title, article.body, article.cited_outlets, article.authors) == (
        "H",
        "T",
        ["P"],
        ["Ann Lee"],
    )
    assert article.to_json()["date"] == "2020-01-02T08:00:00Z"


@pytest.mark.parametrize(
    "raw, expected, warned",
    [
        ("2017-07-23", "2017-07-23T00:00:00Z", False),
        ("7/23/17", "2017-07-23T00:00:00Z", False),
        ("", None, True),
        ("0001-11-30", None, True),
        ("2050-01-01", None, True),
        ("1799-12-31", None, True),
        ("not a date", None, True),
    ],
)
def test_dirty_dates(tmp_path, raw, expected, warned):
    [article] = read(write_jsonl(tmp_path / "d.jsonl", [record(date=raw)]))
    assert article.to_json()["date"] == expected
    assert bool(article.warnings) == warned


def test_json_array_document_and_gzip(tmp_path):
    (tmp_path / "arr.json").write_text(json.dumps([record(url="u1"), record(url="u2")]))
    write_jsonl(tmp_path / "c.jsonl.gz", [record(url="u3")], opener=gzip.open)
    items = read(tmp_path)
    assert sorted(a.url for a in items) == ["u1", "u2", "u3"]
    assert any(a.source.endswith("arr.json#2") for a in items)


def test_invalid_line_among_good_ones(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [record(url="a"), "{not json", record(url="b"), "[1, 2]", {"foo": 1}],
    )
    items = read(path)
    assert [a.url for a in items if not isinstance(a, Rejection)] == ["a", "b"]
    rejections = {r.source: r.reason for r in items if isinstance(r, Rejection)}
    assert set(rejections) == {f"{path}:2", f"{path}:4", f"{path}:5"}
    assert "invalid JSON" in rejections[f"{path}:2"]
    assert "no title or body" in rejections[f"{path}:5"]


def test_invalid_utf8_line_is_rejected_alone(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(json.dumps(record(url="ok")).encode() + b"\n" + b'{"title": "\xff\xfe"}\n')
    items = read(path)
    assert items[0].url == "ok"
    assert isinstance(items[1], Rejection) and "UTF-8" in items[1].reason


def test_huge_single_line_is_rejected_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    huge_line = b'{"title": "' + b"x" * (20 * 1024 * 1024) + b'"}\n'
    path.write_bytes(huge_line + json.dumps(record()).encode() + b"\n")
    items = read(path)
    assert isinstance(items[0], Rejection) and "longer than" in items[0].reason
    assert items[1].title == "A title" and items[1].source.endswith(":2")


def test_corrupt_gzip_is_rejected(tmp_path):
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(gzip.compress(json.dumps(record()).encode() * 1000)[:200])
    items = read(path)
    assert isinstance(items[-1], Rejection) and "gzip" in items[-1].reason


@pytest.mark.corpus
@pytest.mark.skipif(not ALLSIDES.exists(), reason="../shared/corpus/allsides is absent")
def test_allsides_corpus_dates_are_all_plausible_or_unknown():
    articles = read(*sorted(ALLSIDES.glob("articles-*.jsonl.gz")))  # not the gold annotations
    assert len(articles) == 10_000
    assert not any(isinstance(a, Rejection) for a in articles)
    dated = [a for a in articles if a.date]
    assert all(1800 <= a.date.year <= 2030 for a in dated)
    assert len(articles) - len(dated) == sum(1 for a in articles if a.warnings)
