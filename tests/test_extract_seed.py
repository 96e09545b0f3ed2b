"""Acceptance: the seed article, and the worker pool giving the same answers in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.extract import EXTRACTOR_VERSION, enrich
from archive.models import Article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "samples" / "seed-article.txt"


@pytest.fixture(scope="module")
def seed() -> Article:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent (../shared is only beside a developer or CI checkout)")
    from archive.readers.plaintext import parse

    return parse(SEED.read_text("utf-8"), "Europe/Warsaw")


def test_seed_people_are_exactly_the_two_story_people(seed):
    article = next(enrich([seed], workers=1))
    assert article.people == ["Vladislav Ammosov", "Vladimir Putin"]


def test_seed_outlets_are_cited_and_attributed_ones(seed):
    article = next(enrich([seed], workers=1))
    for outlet in ["dziennik.pl", "Newsweek", "The New Voice of Ukraine", "Radio Free Europe/Radio Liberty"]:
        assert outlet in article.outlets
    assert not {"PAP", "UKRINFORM", "YouTube", "Kremlin"} & set(article.outlets)
    assert len(article.outlets) == len({o.casefold() for o in article.outlets})


def test_seed_photo_credits_stay_credits(seed):
    article = next(enrich([seed], workers=1))
    assert article.photo_credits == ["PAP/UKRINFORM/Hennadii Minchenko"]
    assert "Hennadii Minchenko" not in article.people


def test_extractor_version_is_exposed():
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


@pytest.mark.slow
def test_worker_processes_keep_input_order_and_match_in_process():
    names = ["Anna Berg", "Tomas Holm", "Maria Nowak", "Ivan Petrov", "Oleksandr Bortnyk"]
    articles = [Article(title=f"Note {i}", body=f"{names[i % 5]} met officials in Warsaw on day {i}. "
                        f"{names[i % 5].split()[1]} said talks went well, Reuters reported.")
                for i in range(70)]
    seen: list[int] = []
    pooled = list(enrich([Article(title=a.title, body=a.body) for a in articles], workers=2,
                         progress=seen.append))
    local = list(enrich(articles, workers=1))
    assert [a.title for a in pooled] == [f"Note {i}" for i in range(70)]
    assert [(a.people, a.outlets) for a in pooled] == [(a.people, a.outlets) for a in local]
    assert pooled[3].people == ["Ivan Petrov"] and pooled[3].outlets == ["Reuters"]
    assert sum(seen) == 70
