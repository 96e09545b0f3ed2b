"""Curation of people and outlets (issue 9 item 2, acceptance 4), end to end: the CLI
changes it, then a running app (the same app, its searcher kept across requests) shows
the change in the facet of `/`, the person or outlet page, `/api/search`, the facet API,
the article JSON and the export, and it survives `reextract` and `reindex`.

The archive is real: generated articles ingested through the CLI (extraction included),
a Whoosh index and a SQLite store. The values acted on are read from `people list` and
`outlets list`, so the tests do not depend on which names the generator picks.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
from fixtures import ArchiveCliRunner, fetch, fetch_page, query_args, utc

from archive.config import Config
from archive.generate import write_articles
from archive.models import Article, content_hash
from archive.store import Store

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, runner: ArchiveCliRunner) -> Path:
    """A home ingested through the CLI from 40 generated articles (copied by each test)."""
    root = tmp_path_factory.mktemp("curation")
    samples = write_articles(root / "in", 40, seed=11)
    result = runner.run("ingest", "--home", root / "home", "--workers", "1", samples)
    assert result.exit_code == 0, result.output
    return root / "home"


@pytest.fixture
def home(ingested: Path, tmp_path: Path) -> Path:
    """A fresh copy of the ingested archive (its live index is a relative symlink)."""
    copy = tmp_path / "home"
    shutil.copytree(ingested, copy, symlinks=True)
    return copy


@pytest.fixture
def client(make_app: Callable[[Path], Flask], home: Path) -> Iterator[FlaskClient]:
    app = make_app(home)
    with app.test_client() as client:
        yield client


def listed(runner: ArchiveCliRunner, home: Path, family: str, *args: str) -> list[dict[str, Any]]:
    result = runner.run(family, "list", "--home", home, "--json", "--limit", "500", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def curate(runner: ArchiveCliRunner, home: Path, family: str, *args: str) -> str:
    result = runner.run(family, *args, "--home", home)
    assert result.exit_code == 0, result.output
    return result.output


def facet(client: FlaskClient, name: str) -> dict[str, int]:
    """Return a facet's archive-wide counts from the API."""
    values = fetch(client, f"/api/facets/{name}?limit=100").get_json()["values"]
    return {v["value"]: v["count"] for v in values}


def sidebar(client: FlaskClient, name: str) -> dict[str, int]:
    """Return a facet's counts as the search page's JSON twin lists them (`/api/search`)."""
    rows = fetch(client, "/api/search?per_page=1").get_json()["facets"][name]
    return {row["value"]: row["count"] for row in rows}


def total(client: FlaskClient, **args: str | list[str]) -> int:
    pairs = [(k, v) for k, vs in args.items() for v in ([vs] if isinstance(vs, str) else vs)]
    query = "&".join(f"{k}={quote(v)}" for k, v in pairs)
    return int(fetch(client, f"/api/search?{query}").get_json()["total"])


def page_text(client: FlaskClient, path: str, status: int = 200) -> str:
    return fetch_page(client, path, status)[1].plain_text()


def exported_people(client: FlaskClient, **args: str) -> set[str]:
    query = "&".join(f"{k}={quote(v)}" for k, v in args.items())
    lines = fetch(client, f"/export.jsonl?{query}").get_data(as_text=True).splitlines()
    return {name for line in lines for name in json.loads(line)["people"]}


def rebuild(runner: ArchiveCliRunner, home: Path) -> None:
    """Run `reextract --all` then `reindex`: curation must survive both."""
    result = runner.run("reextract", "--all", "--workers", "1", "--home", home)
    assert result.exit_code == 0 and "re-extracted 40 articles" in result.output, result.output
    assert runner.run("reindex", "--workers", "1", "--home", home).exit_code == 0


def test_people_merge_rename_hide_split_reach_every_view_and_survive_rebuilds(
    runner: ArchiveCliRunner, home: Path, client: FlaskClient
) -> None:
    people = listed(runner, home, "people")
    first, second, third, fourth, fifth = (p["name"] for p in people[:5])
    both = total(client, person=[first, second])  # articles naming either
    assert both > max(people[0]["articles"], people[1]["articles"])
    assert facet(client, "people")[first] == people[0]["articles"]  # the app is warm
    naming_fourth = fetch(client, f"/api/search?person={quote(fourth)}").get_json()["hits"][0]
    article_page = fetch_page(client, f"/articles/{naming_fourth['id']}")[1]
    assert [link for link in article_page.links if fourth in link.text]  # until hidden

    assert f"merged {second!r} into {first!r}" in curate(
        runner, home, "people", "merge", second, "--into", first
    )
    curate(runner, home, "people", "merge", fifth, "--into", first)
    curate(runner, home, "people", "split", fifth, "--from", first)  # the merge undone
    curate(runner, home, "people", "rename", third, "--to", "Renamed Person")
    curate(runner, home, "people", "hide", fourth)

    def check() -> None:
        counts = facet(client, "people")
        assert counts[first] == both and second not in counts
        assert fifth in counts and counts[fifth] == people[4]["articles"]
        assert counts["Renamed Person"] == people[2]["articles"] and third not in counts
        assert fourth not in counts
        assert sidebar(client, "people")[first] == both
        # A filter on a merged-away name selects its value; on a hidden one, nothing.
        assert total(client, person=first) == total(client, person=second) == both
        assert total(client, person="Renamed Person") == people[2]["articles"]
        assert total(client, person=fourth) == 0
        picked = fetch(client, f"/api/search?person={quote(second)}").get_json()["facets"]
        assert {r["value"] for r in picked["people"]} >= {first} and second not in str(picked)
        article_page = fetch_page(client, f"/articles/{naming_fourth['id']}")[1]
        assert not [link for link in article_page.links if fourth in link.text]
        assert f"{both} article" in page_text(client, f"/people/{quote(first)}")
        assert "Renamed Person" in page_text(client, f"/people/{quote(third)}")
        page_text(client, f"/people/{quote(fourth)}", status=404)
        filters = {
            pair for link in fetch_page(client, "/")[1].links for pair in query_args(link.href)
        }
        assert ("person", first) in filters and ("person", fourth) not in filters
        assert ("person", second) not in filters
        hits = fetch(client, "/api/search?per_page=100").get_json()["hits"]
        assert all(second not in hit["people"] and fourth not in hit["people"] for hit in hits)
        assert fourth not in exported_people(client) and second not in exported_people(client)
        named = next(hit for hit in hits if "Renamed Person" in hit["people"])
        shown = fetch(client, f"/api/articles/{named['id']}").get_json()["people"]
        assert "Renamed Person" in shown and third not in shown
        listing = {p["name"]: p for p in listed(runner, home, "people")}
        assert listing[first]["articles"] == both and second in listing[first]["aliases"]
        assert [p["name"] for p in listed(runner, home, "people", "--hidden")] == [fourth]
        stats = json.loads(runner.run("stats", "--json", "--home", home).output)
        assert {"value": first, "count": both} in stats["top_people"]

    check()
    rebuild(runner, home)
    check()


def test_outlets_merge_rename_hide_reach_both_roles_and_survive_rebuilds(
    runner: ArchiveCliRunner, home: Path, client: FlaskClient
) -> None:
    outlets = listed(runner, home, "outlets")
    first, second, third, fourth = (o["name"] for o in outlets[:4])
    both = total(client, outlet=[first, second])
    sources, cited = sidebar(client, "sources"), sidebar(client, "cited")
    hidden_roles = fourth in sources or fourth in cited

    curate(runner, home, "outlets", "merge", second, "--into", first)
    curate(runner, home, "outlets", "rename", third, "--to", "Renamed Gazette")
    assert f"hid {fourth!r}" in curate(runner, home, "outlets", "hide", fourth)

    def check() -> None:
        counts = facet(client, "outlets")
        assert counts[first] == both and second not in counts
        assert counts["Renamed Gazette"] == outlets[2]["articles"] and third not in counts
        assert fourth not in counts and total(client, outlet=fourth) == 0
        # Hiding an outlet hides it in both roles; the roles speak the curated names too.
        for role in ("sources", "cited"):
            assert fourth not in facet(client, role) and second not in facet(client, role)
            assert third not in facet(client, role)
        assert hidden_roles
        assert total(client, outlet=second) == both
        page_text(client, f"/outlets/{quote(fourth)}", status=404)
        assert "Renamed Gazette" in page_text(client, f"/outlets/{quote(third)}")
        hits = fetch(client, "/api/search?per_page=100").get_json()["hits"]
        for hit in hits:
            shown = {*hit["outlets"], *hit["sources"], *hit["cited"]}
            assert not shown & {second, third, fourth}
        listing = {o["name"]: o for o in listed(runner, home, "outlets")}
        assert listing[first]["articles"] == both and second in listing[first]["aliases"]
        stats = json.loads(runner.run("stats", "--json", "--home", home).output)
        assert fourth not in {row["value"] for row in stats["top_outlets"]}

    check()
    rebuild(runner, home)
    check()


def test_unhide_and_unmerge_bring_values_back(
    runner: ArchiveCliRunner, home: Path, client: FlaskClient
) -> None:
    people = listed(runner, home, "people")
    first, second = people[0]["name"], people[1]["name"]
    curate(runner, home, "people", "hide", first)
    curate(runner, home, "people", "merge", second, "--into", people[2]["name"])
    assert first not in facet(client, "people")
    curate(runner, home, "people", "unhide", first)
    curate(runner, home, "people", "split", second, "--from", people[2]["name"])
    counts = facet(client, "people")
    assert counts[first] == people[0]["articles"] and counts[second] == people[1]["articles"]
    log = runner.run("people", "log", "--home", home).output.splitlines()
    assert log[0].split() == ["when", "kind", "subject", "target"]
    assert [line.split()[1] for line in log[2:]] == ["hide", "merge", "unhide", "split"]


def test_list_prints_aligned_columns_and_filters(runner: ArchiveCliRunner, home: Path) -> None:
    people = listed(runner, home, "people")
    lines = runner.run("people", "list", "--home", home, "--limit", "3").output.splitlines()
    assert lines[0].split() == ["name", "articles", "aliases"]
    assert len(lines) == 5 and set(lines[1]) == {"-", " "}
    counts_end = lines[1].index(" ", lines[1].index("-", len(lines[1].split()[0]) + 1))
    assert all(line[counts_end - 1].isdigit() for line in lines[2:])  # right-aligned counts
    surname = people[0]["name"].split()[-1]
    found = listed(runner, home, "people", "--search", surname.lower())
    assert found and all(surname in p["name"] for p in found)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("merge", "Nobody Atall", "--into", "{first}"), "no person called 'Nobody Atall'"),
        (("merge", "{first}", "--into", "{first}"), "cannot merge '{first}' into itself"),
        (("rename", "{first}", "--to", "{second}"), "is already a person"),
        (("split", "{second}", "--from", "{first}"), "is not an alias of '{first}'"),
        (("unhide", "{first}"), "no hidden person called '{first}'"),
        (("hide", "Nobody Atall"), "no person called 'Nobody Atall'"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    runner: ArchiveCliRunner, home: Path, args: tuple[str, ...], message: str
) -> None:
    people = listed(runner, home, "people")
    names = {"first": people[0]["name"], "second": people[1]["name"]}
    result = runner.run("people", *(a.format(**names) for a in args), "--home", home)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and message.format(**names) in result.output
    assert runner.run("people", "log", "--home", home, "--json").output == ""


def test_merged_into_itself_through_an_alias_says_whose_alias(
    runner: ArchiveCliRunner, home: Path
) -> None:
    people = listed(runner, home, "people")
    first, second = people[0]["name"], people[1]["name"]
    curate(runner, home, "people", "merge", second, "--into", first)
    result = runner.run("people", "merge", second, "--into", first, "--home", home)
    assert result.exit_code == 1
    assert f"({second!r} is an alias of {first!r})" in result.output


# -- a spelling the person registry merged -----------------------------------------------

# Every article names Donald Trump, in three spellings the registry makes one person.
TRUMP_FORMS = ["Donald Trump"] * 6 + ["Donald J. Trump", "Donald John Trump"]


def _registry_home(home: Path, extra: list[str] | None = None) -> Config:
    """An archive whose articles each name one of TRUMP_FORMS, then one of extra."""
    from archive.index.maintenance import reindex

    config = Config(home=home)
    articles = [
        Article(title=f"Story {i}", body="Words.", date=utc(2017, 1, 1 + i), people=[form])
        for i, form in enumerate([*TRUMP_FORMS, *(extra or [])])
    ]
    with Store(config.store_path) as store:
        store.write_batch([(a, content_hash(a)) for a in articles], [], "test")
        reindex(config, store, workers=1)
    return config


def test_split_of_a_registry_spelling_reaches_the_facet_and_survives_reindex(
    runner: ArchiveCliRunner, tmp_path: Path, make_app: Callable[[Path], Flask]
) -> None:
    config = _registry_home(tmp_path / "home")
    client = make_app(config.home).test_client()
    assert facet(client, "people") == {"Donald Trump": 8}
    listing = listed(runner, config.home, "people")
    assert "Donald J. Trump" in listing[0]["aliases"]

    curate(runner, config.home, "people", "split", "Donald J. Trump", "--from", "Donald Trump")
    assert facet(client, "people") == {"Donald Trump": 7, "Donald J. Trump": 1}
    assert total(client, person="Donald J. Trump") == 1
    assert runner.run("reindex", "--workers", "1", "--home", config.home).exit_code == 0
    assert facet(client, "people") == {"Donald Trump": 7, "Donald J. Trump": 1}
    # Merged back by hand: one value again, with no re-indexing.
    curate(runner, config.home, "people", "merge", "Donald J. Trump", "--into", "Donald Trump")
    assert facet(client, "people") == {"Donald Trump": 8}


def test_split_of_a_bare_surname_keeps_it_its_own_value_in_filters_too(
    runner: ArchiveCliRunner, tmp_path: Path, make_app: Callable[[Path], Flask]
) -> None:
    config = _registry_home(tmp_path / "home", extra=["Trump"])
    client = make_app(config.home).test_client()
    assert facet(client, "people") == {"Donald Trump": 9}  # rule 4: the surname links

    curate(runner, config.home, "people", "split", "Trump", "--from", "Donald Trump")
    assert facet(client, "people") == {"Donald Trump": 8, "Trump": 1}
    # A typed bare surname no longer stands for the full name either.
    assert total(client, person="Trump") == 1
    assert "Trump" not in listed(runner, config.home, "people")[0]["aliases"]
