"""Regression tests for the search-side defects of issue 8 (1, 2, 3, 5 and 7), end to end.

1. folding letters without a Unicode decomposition (ł ø ß đ), 2. archive homes whose path
holds #, ? or %, 3. exports over an index with no segments, 5. the person page matching
names with the schema's normalisation, 7. "did you mean" at distance 2 (two insertions).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from fixtures import load_articles
from flask import Flask
from search_fixtures import ARTICLES, make_archive

from archive.config import Config
from archive.index.maintenance import create_empty, index_lock, reindex
from archive.index.text import fold, normalise
from archive.ingest import ingest_paths
from archive.search import Criteria, Searcher
from archive.search.suggest import Speller, distance
from archive.store import Store
from archive.web.api import CSV_COLUMNS

WALESA = "Lech Wałęsa"
POLISH = load_articles("polish_articles.jsonl")  # Wałęsa in Łódź, Søren by the Straße


@pytest.fixture
def get_page(make_app: Callable[[Path], Flask]) -> Callable[[Path, str], tuple[int, str]]:
    """Get a URL from a fresh app over an archive home: its status and text."""

    def get(home: Path, url: str) -> tuple[int, str]:
        response = make_app(home).test_client().get(url)
        return response.status_code, response.get_data(as_text=True)

    return get


def heading(html: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert found, "the page has no <h1>"
    return found.group(1).strip()


def companions(html: str) -> list[str]:
    """Return the names the person page lists under "Named with them"."""
    section = html[html.index('id="h-people"') :]
    section = section[: section.index("</section>")]
    return re.findall(r'<a href="[^"]*">([^<]*)</a>', section)


# -- defect 1: letters without a decomposition ------------------------------------------------


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Wałęsa", "walesa"),
        ("ŁÓDŹ", "lodz"),
        ("Straße", "strasse"),
        ("Søren", "soren"),
        ("Đoković", "dokovic"),
        ("Ærø", "aero"),
    ],
)
def test_fold_maps_letters_that_unicode_does_not_decompose(text, folded):
    assert fold(text) == folded


@pytest.fixture(scope="module")
def polish(tmp_path_factory):
    config, store = make_archive(tmp_path_factory.mktemp("polish"), POLISH + ARTICLES)
    store.close()
    with Searcher(config) as searcher:
        yield config, searcher


def titles(results) -> set[str]:
    return {hit.title for hit in results.hits}


@pytest.mark.parametrize("q", ["walesa", "WALESA", "lodz", "person:walesa", 'person:"lech walesa"'])
def test_ascii_spellings_find_the_polish_ones(polish, q):
    _, searcher = polish
    assert "Wałęsa returns to Łódź" in titles(searcher.search(Criteria(q=q)))


def test_ascii_person_filter_selects_the_polish_name(polish):
    _, searcher = polish
    results = searcher.search(Criteria(selected={"people": ("lech walesa",)}))
    assert titles(results) == {"Wałęsa returns to Łódź", "Solidarity wins the vote"}
    counts = {row["value"]: row["count"] for row in results.facets["people"]}
    assert counts[WALESA] == 2


def test_sharp_s_and_slashed_o_are_searchable(polish):
    _, searcher = polish
    assert titles(searcher.search(Criteria(q="strasse"))) == {"Copenhagen harbour"}
    assert titles(searcher.search(Criteria(q="person:soren"))) == {"Copenhagen harbour"}


def test_ascii_person_page_shows_the_archive_spelling(polish, get_page):
    config, _ = polish
    status, html = get_page(config.home, "/people/" + quote("lech walesa"))
    assert status == 200
    assert heading(html) == WALESA
    assert companions(html) == ["Anna Walentynowicz"]


# -- defect 5: the person page matches names as the facets do ----------------------------------


def test_person_page_with_other_accents_shows_the_archive_spelling_once(polish, get_page):
    config, _ = polish
    assert normalise("lech wałesa") == normalise(WALESA) != "lech wałesa".casefold()
    status, html = get_page(config.home, "/people/" + quote("lech wałesa"))
    assert status == 200
    assert heading(html) == WALESA
    # The person is not their own companion; the one real companion is listed.
    assert companions(html) == ["Anna Walentynowicz"]


# -- defect 2: #, ? and % in the archive's path ------------------------------------------------


@pytest.mark.parametrize("folder", ["news#1", "what?now", "100% sure%25"])
def test_archive_home_with_uri_characters_works_end_to_end(tmp_path, folder, get_page):
    inputs = tmp_path / "in"
    inputs.mkdir()
    records = [
        {
            "title": "Harbour dredging approved",
            "body": "The council approved the harbour dredging on Monday.",
            "url": "https://h.test/1",
            "date": "2020-05-01",
        },
        {
            "title": "Ferry timetable",
            "body": "A new ferry timetable starts in June.",
            "url": "https://h.test/2",
            "date": "2020-05-02",
        },
    ]
    (inputs / "news.jsonl").write_text("\n".join(map(json.dumps, records)) + "\n")
    config = Config(tmp_path / folder / "home")

    report = ingest_paths(config, [inputs], workers=1, run_extraction=False)
    assert (report.read, report.added, report.indexed) == (2, 2, 2)
    with Store(config.store_path) as store:
        assert reindex(config, store, workers=1).articles == 2
    with Searcher(config) as searcher:
        hits = searcher.search(Criteria(q="dredging")).hits
    assert [h.title for h in hits] == ["Harbour dredging approved"]
    assert "<mark>dredging</mark>" in hits[0].snippet  # the body came from the store
    status, html = get_page(config.home, "/?q=dredging")
    assert status == 200 and "<mark>dredging</mark>" in html

    # A URI cut at the special character would have opened (and created) another file.
    stray = [
        p
        for p in tmp_path.rglob("*")
        if not (p.is_relative_to(inputs) or p.is_relative_to(config.home))
        and p != config.home.parent
    ]
    assert stray == []
    databases = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and p.read_bytes()[:16] == b"SQLite format 3\x00"
    ]
    assert databases == [config.store_path]


# -- defect 3: exports over an index with no segments -----------------------------------------


@pytest.fixture()
def empty_home(tmp_path):
    config = Config(tmp_path / "home")
    Store(config.store_path).close()
    with index_lock(config):
        create_empty(config)
    return config


def test_exports_of_an_index_without_segments_are_empty(empty_home, get_page):
    status, csv_text = get_page(empty_home.home, "/export.csv?q=anything")
    assert status == 200 and csv_text.splitlines() == [",".join(CSV_COLUMNS)]
    status, jsonl_text = get_page(empty_home.home, "/export.jsonl?q=x")
    assert status == 200 and jsonl_text == ""


def test_ordered_ids_of_an_index_without_segments(empty_home):
    with Searcher(empty_home) as searcher:
        assert searcher.ordered_ids(Criteria(q="x")) == []
        assert searcher.ordered_ids(Criteria(q="x", sort="newest")) == []


# -- defect 7: "did you mean" within distance 2 ------------------------------------------------


def test_did_you_mean_restores_two_missing_letters(polish):
    _, searcher = polish
    results = searcher.search(Criteria(q="elctons"))
    assert results.total == 0 and results.suggestion == "elections"


SPELLER_TEXTS = [
    "elections elections elections election selection electron",
    "administrations administrations administration",
    "lectern",
]


@pytest.mark.parametrize(
    "typo, meant",
    [
        ("elctons", "elections"),  # two letters missing: the reported defect
        ("eelecttions", "elections"),  # two letters too many
        ("elektiins", "elections"),  # two letters wrong
        ("lecetions", "elections"),  # a transposition and a missing letter
        ("admnistratins", "administrations"),  # one error inside the keyed prefix, one after it
    ],
)
def test_every_kind_of_distance_two_error_is_corrected(typo, meant):
    assert distance(typo, meant) == 2
    assert Speller(SPELLER_TEXTS).correct(typo) == meant


def test_nothing_beyond_distance_two_is_suggested():
    speller = Speller(SPELLER_TEXTS)
    assert distance("elctns", "elections") == 3
    assert speller.correct("elctns") is None
    assert speller.correct("elections") is None  # known words are left alone


def test_lookups_agree_with_scanning_the_whole_vocabulary():
    # Short random words over few letters have many close neighbours, long ones exercise
    # the prefix: the table must find whatever a scan finds.
    rng = random.Random(8)
    letters = "aeilnorstж"  # folding keeps Cyrillic: code points beyond ASCII get keys too
    vocabulary = sorted(
        {"".join(rng.choice(letters) for _ in range(rng.randint(3, 11))) for _ in range(500)}
    )
    frequencies = {word: rng.randint(1, 4) for word in vocabulary}
    speller = Speller([], frequencies)

    def scan(word: str) -> str | None:
        own = frequencies.get(word, 0)
        if own > 1:
            return None
        scored = [
            (distance(word, c), -n, c) for c, n in frequencies.items() if c != word and n > own
        ]
        scored = [s for s in scored if s[0] <= 2]
        return min(scored)[2] if scored else None

    def misspell(word: str) -> str:
        for _ in range(rng.randint(1, 3)):  # 3+ letters, 3 edits at most: never an empty word
            at, letter = rng.randrange(len(word)), rng.choice(letters)
            dropped = word[:at] + word[at + 1 :]
            added = word[:at] + letter + word[at:]
            replaced = word[:at] + letter + word[at + 1 :]
            swapped = word[:at] + word[at + 1 : at + 2] + word[at] + word[at + 2 :]
            word = rng.choice([dropped, added, replaced, swapped])
        return word

    typos = [misspell(word) for word in rng.sample(vocabulary, 150)]
    assert sum(scan(t) is not None for t in typos) > 100  # most typos have a correction
    assert [speller.correct(t) for t in typos] == [scan(t) for t in typos]
