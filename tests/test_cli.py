"""Tests for the command line: help everywhere, JSON forms, exit statuses, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures import SEED, ArchiveCliRunner

from archive.cli import cli
from archive.generate import write_articles


@pytest.fixture(scope="module")
def archive_home(tmp_path_factory: pytest.TempPathFactory, runner: ArchiveCliRunner) -> Path:
    """A home ingested through the CLI from 40 generated articles (read only)."""
    root = tmp_path_factory.mktemp("cli")
    samples = write_articles(root / "in", 40, seed=11)
    result = runner.run("ingest", "--home", root / "home", "--workers", "1", samples)
    assert result.exit_code == 0, result.output
    return root / "home"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_a_summary(runner: ArchiveCliRunner, command: str) -> None:
    result = runner.run(command, "--help")
    assert result.exit_code == 0
    assert cli.commands[command].get_short_help_str().strip()
    assert "--help" in result.output
    if "--home" in result.output:
        assert "NEWSARCHIVE_HOME" in result.output


def test_usage_error_exits_2(runner: ArchiveCliRunner) -> None:
    assert runner.run("ingest").exit_code == 2
    assert runner.run("search", "--sort", "sideways").exit_code == 2


def test_stats_json_keys(runner: ArchiveCliRunner, archive_home: Path) -> None:
    data = json.loads(runner.run("stats", "--home", archive_home, "--json").output)
    keys = {
        "articles",
        "undated",
        "rejected",
        "first_date",
        "last_date",
        "top_outlets",
        "top_people",
    }
    assert keys <= set(data)
    assert data["articles"] == 40 and data["rejected"] == 0


def test_home_from_environment(runner: ArchiveCliRunner, archive_home: Path) -> None:
    result = runner.run("stats", "--json", env={"NEWSARCHIVE_HOME": str(archive_home)})
    assert json.loads(result.output)["articles"] == 40


def test_search_json_shape_and_show(runner: ArchiveCliRunner, archive_home: Path) -> None:
    result = runner.run(
        "search", "--home", archive_home, "talks OR minister", "--json", "--per-page", "5"
    )
    data = json.loads(result.output)
    assert set(data) >= {"total", "page", "per_page", "hits", "facets", "suggestion"}
    assert set(data["facets"]) >= {"people", "outlets", "sections", "years", "months"}
    assert 0 < len(data["hits"]) <= 5 and data["total"] >= len(data["hits"])
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "date", "people", "outlets", "section", "snippet", "score"}
    shown = json.loads(runner.run("show", "--home", archive_home, hit["id"], "--json").output)
    assert shown["title"] == hit["title"] and shown["id"] == hit["id"]


def test_check_agrees_after_ingest(runner: ArchiveCliRunner, archive_home: Path) -> None:
    result = runner.run("check", "--home", archive_home)
    assert result.exit_code == 0 and "agree" in result.output


def test_domain_errors_are_messages_not_tracebacks(
    runner: ArchiveCliRunner, tmp_path: Path, archive_home: Path
) -> None:
    missing = runner.run("stats", "--home", tmp_path / "none")
    assert missing.exit_code == 1 and "newsarchive ingest" in missing.output
    unknown = runner.run("show", "--home", archive_home, "nope")
    assert unknown.exit_code == 1 and "no article" in unknown.output
    malformed = runner.run("search", "--home", archive_home, "(talks")
    assert malformed.exit_code == 1 and "Traceback" not in malformed.output
    assert "Error:" in malformed.output
    bad_date = runner.run("search", "--home", archive_home, "x", "--from", "2023-13")
    assert bad_date.exit_code == 1 and "Error:" in bad_date.output


@pytest.mark.skipif(not SEED.exists(), reason="../shared/samples/seed-article.txt is absent")
def test_extract_seed_json(runner: ArchiveCliRunner) -> None:
    result = runner.run("extract", SEED, "--json")
    data = json.loads(result.output.splitlines()[0])
    assert data["title"] == "Ex-Russian officer defects to Ukraine to fight Putin: report"
    assert data["date"] == "2023-04-11T21:00:00Z"
    assert data["section"] == "English Section"
    assert {"dziennik.pl", "Newsweek", "The New Voice of Ukraine"} <= set(data["outlets"])
    assert data["photo_credits"] == ["PAP/UKRINFORM/Hennadii Minchenko"]
    assert data["editor_initials"] == "pm/gs"


def test_generate_writes_the_count(runner: ArchiveCliRunner, tmp_path: Path) -> None:
    result = runner.run("generate", "--count", "7", "--out", tmp_path / "g", "--format", "jsonl")
    assert result.exit_code == 0
    lines = next((tmp_path / "g").glob("*.jsonl")).read_text().splitlines()
    assert len(lines) == 7 and "fictional" in json.loads(lines[0])["body"]


def test_no_extract_then_reextract_fills_people_and_the_index(
    runner: ArchiveCliRunner, tmp_path: Path
) -> None:
    samples = write_articles(tmp_path / "in", 6, seed=31)
    home = tmp_path / "home"
    assert runner.run("ingest", "--home", home, "--no-extract", samples).exit_code == 0
    before = json.loads(runner.run("stats", "--home", home, "--json").output)
    assert before["top_people"] == []
    result = runner.run("reextract", "--home", home, "--workers", "1")
    assert "re-extracted 6 articles" in result.output
    after = json.loads(runner.run("stats", "--home", home, "--json").output)
    top = after["top_people"][0]["value"]
    found = json.loads(runner.run("search", "--home", home, "--person", top, "--json").output)
    assert found["total"] == after["top_people"][0]["count"]
    assert (
        "re-extracted 0 articles"
        in runner.run("reextract", "--home", home, "--workers", "1").output
    )
