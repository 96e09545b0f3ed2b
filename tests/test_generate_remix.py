"""The remix generator: real sentences, outlets, dates and names, deterministic, marked."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fixtures import ALLSIDES, ArchiveCliRunner

from archive.remix import NOTICE, load_pool, remix, remix_articles, to_record

# Hand-written articles in the AllSides shape (no corpus text).
REAL = [
    {
        "title": "Council approves the harbour budget after a long night",
        "date": "2019-03-04",
        "source": "Harbour Ledger",
        "source_url": "www.harbourledger.example",
        "authors": "Ann Reporter, Bo Writer",
        "topic": "budget",
        "content_original": "Mayor Maria Lopez signed the budget on Monday. The vote was close."
        "\n\nCritics said the harbour plan costs too much. Maria Lopez disagreed. "
        "Officials expect a second vote in May.",
    },
    {
        "title": "Budget talks stall as the harbour board walks out",
        "date": "2019-05-20",
        "source": "Northfield Tribune",
        "source_url": "www.tribune.example",
        "authors": "Cy Columnist",
        "topic": "budget",
        "content_original": "Talks on the budget stalled on Tuesday. James Carter left early. "
        "Board members refused to sign.\n\nThe tribune asked for comment. None came.",
    },
    {
        "title": "Rail link opens to the public at last",
        "date": "2020-01-15",
        "source": "Radio Meridian",
        "source_url": "www.meridian.example",
        "authors": "",
        "topic": "transport",
        "content_original": "The rail link opened on Sunday. Riders queued for hours. "
        "Engineer Sarah Novak said the line was safe.",
    },
]


@pytest.fixture()
def real_file(tmp_path: Path) -> Path:
    path = tmp_path / "articles-00.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in REAL), encoding="utf-8")
    return path


def sentences_of(body: str) -> list[str]:
    text = body.replace("\n\n" + NOTICE, "")
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def test_same_seed_same_articles_other_seed_others(real_file: Path) -> None:
    pool = load_pool([real_file])
    first = [to_record(r) for r in remix(pool, 30, seed=3)]
    assert first == [to_record(r) for r in remix(pool, 30, seed=3)]
    assert first != [to_record(r) for r in remix(pool, 30, seed=4)]


def test_remixed_text_is_real_sentences_and_marked_as_generated(real_file: Path) -> None:
    pool = load_pool([real_file])
    real_sentences = {s for r in REAL for s in sentences_of(r["content_original"])}
    for article in remix_articles(pool, 40, seed=1):
        assert article.body.endswith(NOTICE)
        assert set(sentences_of(article.body)) <= real_sentences
        assert article.source.startswith("remixed#")


def test_outlets_dates_topics_and_people_come_from_the_real_articles(real_file: Path) -> None:
    pool = load_pool([real_file])
    outlets = {r["source"] for r in REAL}
    dates = [datetime.fromisoformat(r["date"]) for r in REAL]
    for article in remix_articles(pool, 40, seed=2):
        assert article.outlets[0] in outlets
        assert article.section in {"budget", "transport"}
        assert article.date is not None
        day = article.date.replace(tzinfo=None)
        assert any(abs(day - d) <= timedelta(days=31) for d in dates)
        assert set(article.people) <= {"Maria Lopez", "James Carter", "Sarah Novak"}
        assert all(name in article.body for name in article.people)


def test_partner_articles_share_the_topic(real_file: Path) -> None:
    pool = load_pool([real_file])
    rail = "The rail link opened on Sunday."
    for article in remix_articles(pool, 60, seed=5):
        if article.section == "budget":
            assert rail not in article.body


def test_generate_remix_command_writes_readable_jsonl(
    runner: ArchiveCliRunner, real_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.run("generate", "--remix", real_file, "--count", "25", "--out", out)
    assert result.exit_code == 0, result.output
    written = next(out.glob("*.jsonl"))
    records = [json.loads(line) for line in written.read_text("utf-8").splitlines()]
    assert len(records) == 25 and all(r["generated"] for r in records)
    home = tmp_path / "home"
    ingested = runner.run("ingest", "--home", home, "--no-extract", written)
    assert ingested.exit_code == 0, ingested.output
    stats = json.loads(runner.run("stats", "--home", home, "--json").output)
    assert stats["articles"] == 25


@pytest.mark.skipif(not ALLSIDES.exists(), reason="the shared AllSides corpus is absent")
def test_remix_of_real_news_keeps_its_names_and_lengths() -> None:
    pool = load_pool([ALLSIDES / "articles-00.jsonl.gz"])
    articles = list(remix_articles(pool, 300, seed=7))
    people = [p for a in articles for p in a.people]
    assert len(set(people)) > 200  # a long tail of names, as real news has
    mean_body = sum(len(a.body) for a in articles) / len(articles)
    assert 2000 < mean_body < 20000


def test_sentences_keep_their_closing_quotes(tmp_path: Path) -> None:
    path = tmp_path / "quotes.jsonl"
    body = "She said “we will win.” Then she left.\n\nNobody asked why."
    path.write_text(json.dumps({"title": "T", "content_original": body}) + "\n", "utf-8")
    pool = load_pool([path])
    assert pool.sentences == ["She said “we will win.”", "Then she left.", "Nobody asked why."]
    assert list(pool.opens) == [1, 0, 1]


def test_undated_articles_stay_undated(tmp_path: Path) -> None:
    path = tmp_path / "undated.jsonl"
    path.write_text(json.dumps({"title": "T", "content_original": "One. Two."}) + "\n", "utf-8")
    assert all(a.date is None for a in remix_articles(load_pool([path]), 5, seed=1))


def test_generate_remix_of_a_missing_path_says_so(runner: ArchiveCliRunner, tmp_path: Path) -> None:
    result = runner.run("generate", "--remix", tmp_path / "nowhere", "--out", tmp_path / "o")
    assert result.exit_code != 0 and "no such file or folder to remix" in result.output
