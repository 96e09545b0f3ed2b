"""The facet registry's acceptance test: a facet added by one spec reaches every layer.

A child Python process appends one Facet to archive.facets.FACETS and does nothing else
(the change cannot leak into other tests), ingests a few articles with bylines, then
asks the command line, the search page and the API about the new facet and prints what
it saw as JSON; the assertions are made here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

ARTICLES = [
    {
        "title": "Budget vote",
        "body": "The budget passed after a long night.",
        "url": "https://registry.test/1",
        "date": "2023-04-11",
        "authors": ["Jane Doe"],
    },
    {
        "title": "Harbour works",
        "body": "The harbour budget grew again.",
        "url": "https://registry.test/2",
        "date": "2023-05-11",
        "authors": ["Jane Doe", "John Roe"],
    },
    {
        "title": "Storm news",
        "body": "A storm hit the coast.",
        "url": "https://registry.test/3",
        "date": "2022-01-01",
        "authors": ["John Roe"],
    },
    {
        "title": "Wire report",
        "body": "Nobody signed this budget story.",
        "url": "https://registry.test/4",
        "date": "2021-03-03",
    },
]

SCRIPT = r"""
import json, re, sys
from pathlib import Path

from archive import facets
from archive.facets import Facet

facets.FACETS.append(Facet(
    name="authors", param="author", exclude_param="exclude_author", label="Authors",
    chip="Author", article_field="authors", index_field="byline",
    stored_field="byline_values", describes="by this author"))

from click.testing import CliRunner

from archive.cli import cli
from archive.config import Config
from archive.ingest import ingest_paths
from archive.web import create_app

source, home = Path(sys.argv[1]), Path(sys.argv[2])
report = ingest_paths(Config(home=home), [source], workers=1, run_extraction=False)
seen = {"ingested": report.added, "indexed": report.indexed}

def cli_run(*args):
    result = CliRunner().invoke(cli, ["search", "--home", str(home), *args])
    assert result.exit_code == 0, result.output
    return result.output

def titles(data):
    return sorted(hit["title"] for hit in data["hits"])

cli_json = json.loads(cli_run("--author", "Jane Doe", "--json"))
seen["cli"] = {"titles": titles(cli_json), "authors": cli_json["facets"].get("authors"),
               "hit_authors": sorted({a for h in cli_json["hits"] for a in h.get("authors", [])})}
seen["cli_excluded"] = titles(json.loads(cli_run("--exclude-author", "John Roe", "--json")))
seen["cli_text"] = cli_run("--author", "John Roe")
seen["cli_help"] = CliRunner().invoke(cli, ["search", "--help"]).output
seen["cli_field_query"] = titles(json.loads(cli_run("byline:roe", "--json")))

client = create_app({"TESTING": True, "ARCHIVE_HOME": str(home)}).test_client()
page = client.get("/").get_data(as_text=True)
block = re.search(r'<section class="facet" aria-labelledby="h-authors">.*?</section>', page, re.S)
seen["page_block"] = block.group(0) if block else None
selected = client.get("/?author=Jane+Doe")
seen["page_selected"] = {"status": selected.status_code,
                         "html": selected.get_data(as_text=True)}
api = client.get("/api/search?author=John+Roe").get_json()
seen["api_titles"] = titles(api)
seen["api_authors"] = api["facets"].get("authors")
seen["api_values"] = client.get("/api/facets/authors?prefix=ja").get_json()
document = client.get("/api/openapi.json").get_json()
seen["openapi_search"] = [p["name"] for p in document["paths"]["/api/search"]["get"]["parameters"]]
[facet_path] = [p for p in document["paths"]["/api/facets/{facet}"]["get"]["parameters"]
                if p["name"] == "facet"]
seen["openapi_facets"] = facet_path["schema"]["enum"]
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    """What the command line, the page and the API showed with the facet registered."""
    root = tmp_path_factory.mktemp("registry")
    source = root / "articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(source), str(root / "home")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_the_articles_are_ingested_and_indexed(seen):
    assert seen["ingested"] == seen["indexed"] == len(ARTICLES)


def test_cli_filters_and_counts_by_the_new_facet(seen):
    assert seen["cli"]["titles"] == ["Budget vote", "Harbour works"]
    # A facet's own selection does not shrink its counts: John Roe is still offered.
    assert seen["cli"]["authors"] == [
        {"value": "Jane Doe", "count": 2},
        {"value": "John Roe", "count": 2},
    ]
    assert seen["cli"]["hit_authors"] == ["Jane Doe", "John Roe"]
    assert seen["cli_excluded"] == ["Budget vote", "Wire report"]
    assert "authors: Jane Doe (2), John Roe (2)" in seen["cli_text"]
    assert "--author VALUE" in seen["cli_help"] and "--exclude-author VALUE" in seen["cli_help"]
    assert "by this author" in seen["cli_help"]


def test_the_facet_field_is_a_query_field(seen):
    assert seen["cli_field_query"] == ["Harbour works", "Storm news"]


def test_search_page_shows_the_facet_block_with_links(seen):
    block = seen["page_block"]
    assert block, "the search page has no Authors facet"
    assert ">Authors</h2>" in block
    assert 'href="/?author=Jane+Doe"' in block and 'href="/?author=John+Roe"' in block
    assert 'href="/?exclude_author=John+Roe"' in block
    selected = seen["page_selected"]
    assert selected["status"] == 200
    assert "Author: <strong>Jane Doe</strong>" in selected["html"]
    assert "Harbour works" in selected["html"] and "Storm news" not in selected["html"]


def test_api_filters_counts_lists_and_documents_the_facet(seen):
    assert seen["api_titles"] == ["Harbour works", "Storm news"]
    assert {"value": "Jane Doe", "count": 2} in seen["api_authors"]
    assert seen["api_values"] == {
        "facet": "authors",
        "prefix": "ja",
        "values": [{"value": "Jane Doe", "count": 2}],
        "scope": "archive",  # no search parameters: counted over the whole archive
        "offset": 0,
        "matched": 1,
    }
    assert {"author", "exclude_author"} <= set(seen["openapi_search"])
    assert "authors" in seen["openapi_facets"]
