"""Tests for the command line: help everywhere, JSON forms, exit statuses, messages."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.generate import write_articles

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "seed-article.txt"


@pytest.fixture(scope="module")
def archive_home(tmp_path_factory):
    """A home ingested through the CLI from generated articles."""
    root = tmp_path_factory.mktemp("cli")
    samples = write_articles(root / "in", 40, seed=11)
    result = CliRunner().invoke(cli, ["ingest", "--home", str(root / "home"), "--workers", "1", str(samples)])
    assert result.exit_code == 0, result.output
    return root / "home"


def invoke(*args, **kwargs):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_a_summary(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert cli.commands[command].get_short_help_str().strip()
    assert "--help" in result.output
    if "--home" in result.output:
        assert "NEWSARCHIVE_HOME" in result.output


def test_usage_error_exits_2():
    assert CliRunner().invoke(cli, ["ingest"]).exit_code == 2
    assert CliRunner().invoke(cli, ["search", "--sort", "sideways"]).exit_code == 2


def test_stats_json_keys(archive_home):
    data = json.loads(invoke("stats", "--home", str(archive_home), "--json").output)
    assert {"articles", "undated", "rejected", "first_date", "last_date", "top_outlets", "top_people"} <= set(data)
    assert data["articles"] == 40 and data["rejected"] == 0


def test_home_from_environment(archive_home):
    result = invoke("stats", "--json", env={"NEWSARCHIVE_HOME": str(archive_home)})
    assert json.loads(result.output)["articles"] == 40


def test_search_json_shape_and_show(archive_home):
    result = invoke("search", "--home", str(archive_home), "talks OR minister", "--json", "--per-page", "5")
    data = json.loads(result.output)
    assert set(data) >= {"total", "page", "per_page", "hits", "facets", "suggestion"}
    assert set(data["facets"]) >= {"people", "outlets", "sections", "years", "months"}
    assert 0 < len(data["hits"]) <= 5 and data["total"] >= len(data["hits"])
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "date", "people", "outlets", "section", "snippet", "score"}
    shown = json.loads(invoke("show", "--home", str(archive_home), hit["id"], "--json").output)
    assert shown["title"] == hit["title"] and shown["id"] == hit["id"]


def test_check_agrees_after_ingest(archive_home):
    result = invoke("check", "--home", str(archive_home))
    assert result.exit_code == 0 and "agree" in result.output


def test_domain_errors_are_messages_not_tracebacks(tmp_path, archive_home):
    missing = CliRunner().invoke(cli, ["stats", "--home", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "newsarchive ingest" in missing.output
    unknown = CliRunner().invoke(cli, ["show", "--home", str(archive_home), "nope"])
    assert unknown.exit_code == 1 and "no article" in unknown.output
    malformed = CliRunner().invoke(cli, ["search", "--home", str(archive_home), "(talks"])
    assert malformed.exit_code == 1 and "Traceback" not in malformed.output and "Error:" in malformed.output
    bad_date = CliRunner().invoke(cli, ["search", "--home", str(archive_home), "x", "--from", "2023-13"])
    assert bad_date.exit_code == 1 and "Error:" in bad_date.output


@pytest.mark.skipif(not SEED.exists(), reason="../shared/samples/seed-article.txt is absent")
def test_extract_seed_json():
    result = invoke("extract", str(SEED), "--json")
    data = json.loads(result.output.splitlines()[0])
    assert data["title"] == "Ex-Russian officer defects to Ukraine to fight Putin: report"
    assert data["date"] == "2023-04-11T21:00:00Z"
    assert data["section"] == "English Section"
    assert {"dziennik.pl", "Newsweek", "The New Voice of Ukraine"} <= set(data["outlets"])
    assert data["photo_credits"] == ["PAP/UKRINFORM/Hennadii Minchenko"]
    assert data["editor_initials"] == "pm/gs"


def test_generate_writes_the_count(tmp_path):
    result = invoke("generate", "--count", "7", "--out", str(tmp_path / "g"), "--format", "jsonl")
    assert result.exit_code == 0
    lines = next((tmp_path / "g").glob("*.jsonl")).read_text().splitlines()
    assert len(lines) == 7 and "fictional" in json.loads(lines[0])["body"]


def test_no_extract_then_reextract_fills_people_and_the_index(tmp_path):
    samples = write_articles(tmp_path / "in", 6, seed=31)
    home = str(tmp_path / "home")
    assert invoke("ingest", "--home", home, "--no-extract", str(samples)).exit_code == 0
    before = json.loads(invoke("stats", "--home", home, "--json").output)
    assert before["top_people"] == []
    result = invoke("reextract", "--home", home, "--workers", "1")
    assert "re-extracted 6 articles" in result.output
    after = json.loads(invoke("stats", "--home", home, "--json").output)
    top = after["top_people"][0]["value"]
    found = json.loads(invoke("search", "--home", home, "--person", top, "--json").output)
    assert found["total"] == after["top_people"][0]["count"]
    assert "re-extracted 0 articles" in invoke("reextract", "--home", home, "--workers", "1").output
