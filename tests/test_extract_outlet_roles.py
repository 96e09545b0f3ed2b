"""Outlets in two roles (issue 9): who published a story apart from whom it cites, the
outlet normalisation defects, and stores written before the role columns existed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fixtures import ROOT

from archive.extract import enrich, normalise_outlet
from archive.extract.domains import publishers
from archive.extract.outlets import find_attributed, find_mentioned
from archive.models import Article
from archive.store import Store


def roles(body: str, metadata: list[str]) -> tuple[list[str], list[str]]:
    """Return (sources, cited) that extraction finds for a body and its metadata outlets."""
    article = next(enrich([Article(title="Note", body=body, cited_outlets=metadata)], workers=1))
    return article.sources, article.cited


def test_publisher_and_cited_outlet_are_kept_apart() -> None:
    sources, cited = roles(
        "Anna Berg met officials in Warsaw, The Hill reported on Tuesday.", ["Newsmax"]
    )
    assert sources == ["Newsmax"]
    assert cited == ["The Hill"]


def test_a_label_and_the_domain_spelling_it_are_one_outlet() -> None:
    assert publishers(["The Flip Side", "theflipside.io"]) == ["The Flip Side"]
    assert publishers(["Media Matters", "mediamatters.org"]) == ["Media Matters"]
    assert publishers(["Human Rights Watch", "hrw.org"]) == ["Human Rights Watch"]
    assert publishers(["San Francisco Chronicle", "sfchronicle.com"]) == ["San Francisco Chronicle"]
    assert publishers(["Jacobin", "jacobinmag.com"]) == ["Jacobin"]
    label = "The Reporters Committee for Freedom of the Press"
    assert publishers([label, "rcfp.org"]) == [label]
    assert publishers(["Fox News", "foxbusiness.com"]) == ["Fox News", "Fox Business"]
    # A columnist's label is no outlet: the domain names the publisher.
    assert publishers(["Michelle Malkin", "townhall.com"]) == ["Townhall"]
    # Several outlets of a Source: line stay several.
    assert publishers(["dziennik.pl", "newsweek.com", "The New Voice of Ukraine"]) == [
        "dziennik.pl",
        "Newsweek",
        "The New Voice of Ukraine",
    ]


@pytest.mark.parametrize(
    ("label", "outlet"),
    [
        ("Fox News Wednesday", "Fox News"),
        ("New York Times - News", "The New York Times"),
        ("CNN (Web News)", "CNN"),
        ("Fox Online News", "Fox News"),
        ("As The Daily Beast", "The Daily Beast"),
    ],
)
def test_desk_format_and_weekday_suffixes_fold_into_the_outlet(label: str, outlet: str) -> None:
    assert normalise_outlet(label) == outlet


@pytest.mark.parametrize(
    "sentence",
    [
        "The newspaper reported that talks had stalled.",
        "Support fell to 40 percent, according to Gallup.",
        "Support fell, according to the Pew Research Center.",
        "White House Press Secretary Jay Carney said the talks would go on.",
        "But the Environmental Protection Agency said the smoke was safe.",
        "The video was posted on YouTube and shared on Facebook, Twitter reported.",
    ],
)
def test_bare_words_pollsters_offices_and_platforms_are_not_outlets(sentence: str) -> None:
    assert roles(sentence, [])[1] == []


@pytest.mark.parametrize(
    ("sentence", "outlet"),
    [
        ("The minister resigned, Poland's PAP news agency reported.", "Polish Press Agency"),
        ("The minister resigned, the IAR news agency reported.", "Polskie Radio"),
        ("Anna Berg told TVP that the talks went well.", "TVP"),
        ("The talks went well, said the Independent Journal Review.", "Independent Journal Review"),
        ("The Zagreb Evening Bulletin reported a new deal.", "The Zagreb Evening Bulletin"),
    ],
)
def test_possessive_and_acronym_agency_cues_are_found(sentence: str, outlet: str) -> None:
    assert outlet in [name for _, name in find_attributed(sentence)]


def test_known_outlets_named_as_media_are_cited_but_photo_credits_are_not() -> None:
    text = (
        "The senator said on CNN's State of the Union that he would vote no. "
        "(Jim Bourg/Reuters)\nREUTERS/Jim Bourg\nImage copyright AFP Image caption A rally."
    )
    assert [name for _, name in find_mentioned(text)] == ["CNN"]


def test_words_that_are_also_outlet_names_need_a_cue() -> None:
    assert find_mentioned("Michael Bloomberg spent his own money; it was Time to act.") == []
    assert [n for _, n in find_attributed("Prices rose, according to Bloomberg.")] == ["Bloomberg"]


def test_a_store_written_before_the_role_columns_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        article = Article(title="Old", body="Old body", sources=["CNN"], cited=["Reuters"])
        store.write_batch([(article, "hash")], [], "3")
    # Take the store back to the shape it had before the role columns existed.
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE articles DROP COLUMN sources")
    db.execute("ALTER TABLE articles DROP COLUMN cited")
    db.commit()
    db.close()
    with Store.open_readonly(path) as old:
        loaded = old.get(article.id)
        assert loaded is not None and (loaded.sources, loaded.cited) == ([], [])
    with Store(path) as upgraded:  # a writable open adds the columns
        upgraded.write_batch([(article, "hash2")], [], "4")
        loaded = upgraded.get(article.id)
        assert loaded is not None and (loaded.sources, loaded.cited) == (["CNN"], ["Reuters"])


def test_article_json_carries_both_roles_and_reads_old_json() -> None:
    article = Article(title="T", body="B", sources=["CNN"], cited=["Reuters"])
    data = article.to_json()
    assert (data["sources"], data["cited"]) == (["CNN"], ["Reuters"])
    old = {k: v for k, v in data.items() if k not in ("sources", "cited")}
    assert Article.from_json(json.loads(json.dumps(old))).cited == []


def test_no_name_or_domain_belongs_to_two_outlets() -> None:
    data = json.loads((ROOT / "archive" / "data" / "outlets.json").read_text("utf-8"))
    owners: dict[str, set[str]] = {}
    for entry in data["outlets"]:
        keys = [normalise_key(a) for a in [entry["name"], *entry["aliases"]]]
        for key in [*keys, *(f"@{d}" for d in entry["domains"])]:
            owners.setdefault(key, set()).add(entry["name"])
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def normalise_key(name: str) -> str:
    return " ".join(name.split()).casefold().removeprefix("the ")


@pytest.mark.parametrize(
    ("sentence", "outlets"),
    [
        ("Anna Berg told US officials the deal was off.", []),
        ("Nothing changed, South Korea's Yonhap news agency reported.", ["Yonhap"]),
        ("Prices rose, according to Mara Liasson of National Public Radio.", ["NPR"]),
        ("Prices rose, according to Bank of America.", []),
        ("Pundits spoke to Anderson Cooper.The show said it was fine.", []),
        ("Prices rose, Rodong Sinmun said, citing the North Korean newspaper Minju Joson.", []),
        ("Dan Bell told CNN's State of the Union that he would vote no.", ["CNN"]),
        ("Dan Bell told CNN’s State of the Union that he would vote no.", ["CNN"]),
        ("The boy died, the Cook County Medical Examiner said.", []),
        ("The memo leaked (H/T The Daily Caller said).", ["The Daily Caller"]),
    ],
)
def test_cue_candidates_reduce_to_the_outlet_they_name(sentence: str, outlets: list[str]) -> None:
    assert [name for _, name in find_attributed(sentence)] == outlets


def test_datelines_credit_the_story_and_boilerplate_cites_no_one() -> None:
    text = (
        "WASHINGTON (Reuters) - Talks resumed.\n(CNN) Talks went on.\n"
        "Copyright © 2019 The Washington Times, LLC.\n( Also on POLITICO: Budget fight)"
    )
    found = {name for _, name in [*find_attributed(text), *find_mentioned(text)]}
    assert found == {"Reuters", "CNN"}


def test_only_news_kinds_make_any_name_an_outlet() -> None:
    assert find_attributed("The Vistula Courier website said talks failed.") != []  # a news word
    assert find_attributed("The Hamas website said talks failed.") == []
    assert find_attributed("The IAEA agency said talks failed.") == []
    assert [n for _, n in find_attributed("The Kresy weekly reported a fire.")] == ["The Kresy"]
