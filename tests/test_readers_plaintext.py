"""Tests for the plain-text reader."""

from pathlib import Path

import pytest
from fixtures import SEED

from archive.config import Config
from archive.readers import Rejection, read_paths

ARTICLE = """World

Minister resigns over budget row

03.02.2021 09:15
Anna Nowak resigned on Wednesday, Gazeta Lokalna reported.
Photo:
Photo:PAP/Jan Kowal

She said the budget was \u201cunworkable\u201d.

(ab/cd)

Source: gazetalokalna.pl, Radio Kraj"""


def read_one(path: Path, zone="Europe/Warsaw"):
    items = list(read_paths([path], Config(home=path.parent, timezone=zone)))
    assert len(items) == 1
    return items[0]


def write(tmp_path, content, name="a.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_layout_parts(tmp_path: Path) -> None:
    article = read_one(write(tmp_path, ARTICLE))
    assert article.section == "World"
    assert article.title == "Minister resigns over budget row"
    assert article.to_json()["date"] == "2021-02-03T08:15:00Z"  # CET is UTC+1 in winter
    assert article.photo_credits == ["PAP/Jan Kowal"]
    assert article.editor_initials == "ab/cd"
    assert article.cited_outlets == ["gazetalokalna.pl", "Radio Kraj"]
    assert article.body.startswith("Anna Nowak resigned")
    for trailer in ("Photo", "Source:", "(ab/cd)"):
        assert trailer not in article.body
    assert article.body.split("\n\n")[1] == "She said the budget was \u201cunworkable\u201d."
    assert article.warnings == []


def test_summer_time_and_configured_zone(tmp_path):
    path = write(tmp_path, ARTICLE.replace("03.02.2021", "03.07.2021"))
    assert read_one(path).to_json()["date"] == "2021-07-03T07:15:00Z"
    assert read_one(path, zone="UTC").to_json()["date"] == "2021-07-03T09:15:00Z"


@pytest.mark.skipif(not SEED.exists(), reason="../shared/samples/seed-article.txt is absent")
def test_seed_article() -> None:
    article = read_one(SEED)
    data = article.to_json()
    assert data["title"] == "Ex-Russian officer defects to Ukraine to fight Putin: report"
    assert data["date"] == "2023-04-11T21:00:00Z"
    assert data["section"] == "English Section"
    assert data["photo_credits"] == ["PAP/UKRINFORM/Hennadii Minchenko"]
    assert data["editor_initials"] == "pm/gs"
    assert article.cited_outlets == ["dziennik.pl", "newsweek.com", "The New Voice of Ukraine"]
    for trailer in ("Photo", "Source:", "(pm/gs)"):
        assert trailer not in data["body"]
    assert data["body"].endswith("Tuesday is day 412 of Russia\u2019s war on Ukraine.")
    assert "\u2018We are slaves in Putin\u2019s system\u2019" in data["body"].split("\n\n")


def test_crlf_bom_and_no_trailing_newline_read_alike(tmp_path: Path) -> None:
    plain = read_one(write(tmp_path, ARTICLE, "plain.txt"))
    windows = b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode()  # BOM and CRLF
    crlf = read_one(write(tmp_path, windows, "crlf.txt"))
    assert (crlf.title, crlf.body, crlf.section, crlf.date) == (
        plain.title,
        plain.body,
        plain.section,
        plain.date,
    )
    assert crlf.id == plain.id


@pytest.mark.parametrize("encoding", ["cp1250", "iso-8859-2"])
def test_polish_single_byte_encodings(tmp_path, encoding):
    text = ARTICLE.replace("Anna Nowak resigned", "Zażółć gęślą jaźń: Łucja Śmigły resigned")
    text = text.replace("\u201c", '"').replace("\u201d", '"')  # latin-2 has no curly quotes
    article = read_one(write(tmp_path, text.encode(encoding)))
    assert "Zażółć gęślą jaźń: Łucja Śmigły" in article.body
    assert any(encoding in w for w in article.warnings)


def test_missing_section_and_date_still_ingested_with_warnings(tmp_path):
    no_section = read_one(write(tmp_path, ARTICLE.replace("World\n\n", ""), "a.txt"))
    assert no_section.title == "Minister resigns over budget row" and no_section.section == ""
    assert "no section line" in no_section.warnings
    no_date = read_one(write(tmp_path, ARTICLE.replace("03.02.2021 09:15\n", ""), "b.txt"))
    assert no_date.date is None and no_date.title == "Minister resigns over budget row"
    assert any("date" in w for w in no_date.warnings)


def test_implausible_date_becomes_unknown(tmp_path):
    article = read_one(write(tmp_path, ARTICLE.replace("03.02.2021", "03.02.2091")))
    assert article.date is None
    assert any("future" in w for w in article.warnings)


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "empty"),
        (b"   \n\n  ", "white space"),
        (bytes(range(256)) * 10, "binary"),
        (b"x" * (21 * 1024 * 1024), "too large"),
        (b"y" * 5000, "not an article"),
    ],
)
def test_bad_files_are_rejected_with_reason(tmp_path, content, words):
    path = write(tmp_path, content, "bad.txt")
    item = read_one(path)
    assert isinstance(item, Rejection)
    assert str(path) in item.source and words in item.reason
