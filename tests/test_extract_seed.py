"""Acceptance: the seed article, the worker pool giving the same answers in order, and the
extractor version the store records (what `reextract` redoes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures import SEED

from archive.config import Config
from archive.extract import EXTRACTOR_VERSION, enrich
from archive.ingest import ingest_paths, reextract_store
from archive.models import Article
from archive.store import Store


@pytest.fixture(scope="module")
def seed() -> Article:
    """The seed article as the plain-text reader parses it (skipped where ../shared is absent)."""
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent (../shared is only beside a developer or CI checkout)")
    from archive.readers.plaintext import parse

    return parse(SEED.read_text("utf-8"), "Europe/Warsaw")


def test_seed_people_are_exactly_the_two_story_people(seed: Article) -> None:
    article = next(enrich([seed], workers=1))
    assert article.people == ["Vladislav Ammosov", "Vladimir Putin"]


def test_seed_outlets_are_cited_and_attributed_ones(seed: Article) -> None:
    article = next(enrich([seed], workers=1))
    cited = [
        "dziennik.pl",
        "Newsweek",
        "The New Voice of Ukraine",
        "Radio Free Europe/Radio Liberty",
    ]
    for outlet in cited:
        assert outlet in article.outlets
    assert not {"PAP", "UKRINFORM", "YouTube", "Kremlin"} & set(article.outlets)
    assert len(article.outlets) == len({o.casefold() for o in article.outlets})


def test_seed_photo_credits_stay_credits(seed: Article) -> None:
    article = next(enrich([seed], workers=1))
    assert article.photo_credits == ["PAP/UKRINFORM/Hennadii Minchenko"]
    assert "Hennadii Minchenko" not in article.people


def test_store_records_the_extractor_version_and_reextract_redoes_other_versions(
    tmp_path: Path,
) -> None:
    names = {"Note 0": "Anna Berg", "Note 1": "Tomas Holm"}
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(
            json.dumps(
                {
                    "title": title,
                    "url": f"https://version.test/{title}",
                    "body": (
                        f"{name} met officials in Warsaw. {name.split()[1]} said talks went well."
                    ),
                }
            )
            + "\n"
            for title, name in names.items()
        ),
        encoding="utf-8",
    )
    config = Config(home=tmp_path / "home")
    ingest_paths(config, [source], workers=1, index=False)
    with Store(config.store_path) as store:
        articles = {a.title: a for a in store.iter_articles()}
        assert {title: a.people for title, a in articles.items()} == {
            title: [name] for title, name in names.items()
        }
        ids = sorted(a.id for a in articles.values())
        assert [s.extractor for s in store.states(ids).values()] == [EXTRACTOR_VERSION] * 2
        # Make one article look extracted by an older extractor, with a stale result.
        stale = articles["Note 0"]
        stale.people = ["Stale Person"]
        store.write_batch([(stale, store.states([stale.id])[stale.id].input_hash)], [], "0")
    assert reextract_store(config, workers=1, index=False) == 1  # only the other version
    with Store(config.store_path) as store:
        assert [s.extractor for s in store.states(ids).values()] == [EXTRACTOR_VERSION] * 2
        redone = store.get(stale.id)
        assert redone is not None and redone.people == ["Anna Berg"]
    assert reextract_store(config, workers=1, index=False) == 0


@pytest.mark.slow
def test_worker_processes_keep_input_order_and_match_in_process() -> None:
    names = ["Anna Berg", "Tomas Holm", "Maria Nowak", "Ivan Petrov", "Oleksandr Bortnyk"]
    articles = [
        Article(
            title=f"Note {i}",
            body=f"{names[i % 5]} met officials in Warsaw on day {i}. "
            f"{names[i % 5].split()[1]} said talks went well, Reuters reported.",
        )
        for i in range(70)
    ]
    seen: list[int] = []
    pooled = list(
        enrich(
            [Article(title=a.title, body=a.body) for a in articles], workers=2, progress=seen.append
        )
    )
    local = list(enrich(articles, workers=1))
    assert [a.title for a in pooled] == [f"Note {i}" for i in range(70)]
    assert [(a.people, a.outlets) for a in pooled] == [(a.people, a.outlets) for a in local]
    assert pooled[3].people == ["Ivan Petrov"] and pooled[3].outlets == ["Reuters"]
    assert sum(seen) == 70


def test_seed_outlets_in_their_two_roles(seed: Article) -> None:
    article = next(enrich([seed], workers=1))
    assert article.sources == ["dziennik.pl", "Newsweek", "The New Voice of Ukraine"]
    assert "Radio Free Europe/Radio Liberty" in article.cited
    assert not {"PAP", "Polish Press Agency", "UKRINFORM", "YouTube"} & set(article.cited)
