"""`ingest --publisher NAME` (issue 9): plain-text articles carry no publisher, so the
option names it; a JSON record's own source field is never overridden."""

from __future__ import annotations

import json
from pathlib import Path

from fixtures import ArchiveCliRunner

from archive.config import Config
from archive.store import Store

STORY = """World

Harbour talks resume in Gdansk

05.06.2023 10:00
Port officials met shipping firms on Monday, the Vistula Herald reported.

Source: vistulaherald.pl
"""


def _stored(home: Path) -> dict[str, tuple[list[str], list[str]]]:
    with Store(Config(home=home).store_path) as store:
        return {a.title: (a.sources, a.cited) for a in store.iter_articles()}


def test_publisher_option_names_the_source_of_plain_text(
    runner: ArchiveCliRunner, tmp_path: Path
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(STORY, encoding="utf-8")
    record = {"title": "Port strike", "body": "Dockers walked out.", "source": "Reuters"}
    (tmp_path / "in" / "wire.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    result = runner.run(
        "ingest", "--home", home, "--workers", 1, "--publisher", "Polish Radio", tmp_path / "in"
    )
    assert result.exit_code == 0, result.output
    stored = _stored(home)
    assert stored["Harbour talks resume in Gdansk"] == (
        ["Polskie Radio", "vistulaherald.pl"],
        ["Vistula Herald"],
    )
    assert stored["Port strike"][0] == ["Reuters"]


def test_without_the_option_plain_text_has_only_its_source_line(
    runner: ArchiveCliRunner, tmp_path: Path
) -> None:
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    home = tmp_path / "home"
    assert (
        runner.run("ingest", "--home", home, "--workers", 1, tmp_path / "story.txt").exit_code == 0
    )
    assert _stored(home)["Harbour talks resume in Gdansk"][0] == ["vistulaherald.pl"]


def test_a_domain_folds_into_the_label_the_data_pairs_it_with(
    runner: ArchiveCliRunner, tmp_path: Path
) -> None:
    records = [
        ("Harbour news", "Gdansk Harbour Weekly", "harbourweekly.example.com"),
        ("Harbour talks", "Gdansk Harbour Weekly", "harbourweekly.example.com"),
        ("A guest view", "Guest Writer - Left", "harbourweekly.example.com"),
        ("Shared host 1", "Tide Review", "sharedblogs.example.org"),
        ("Shared host 2", "Port Courier", "sharedblogs.example.org"),
        ("Shared host 3", "Guest Writer - Right", "sharedblogs.example.org"),
    ]
    lines = [
        json.dumps({"title": t, "body": "Dockers met.", "source": s, "source_url": d})
        for t, s, d in records
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    assert (
        runner.run("ingest", "--home", home, "--workers", 1, tmp_path / "feed.jsonl").exit_code == 0
    )
    stored = _stored(home)
    # Label and domain are one outlet, and a columnist's record gets the domain's outlet.
    assert stored["Harbour news"][0] == ["Gdansk Harbour Weekly"]
    assert stored["A guest view"][0] == ["Gdansk Harbour Weekly"]
    # A domain that several outlets share has no dominant label: it stays as it is.
    assert stored["Shared host 3"][0] == ["sharedblogs.example.org"]
    assert stored["Shared host 1"][0] == ["Tide Review", "sharedblogs.example.org"]
