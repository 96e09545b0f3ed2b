"""The JSON API: responses match the OpenAPI document, errors are JSON, never a 500."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fixtures import XSS_TITLE, ArchiveCliRunner
from jsonschema import Draft202012Validator

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

    from archive.config import Config

OpenAPI = dict[str, Any]


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    from archive.web.openapi import openapi_document

    return openapi_document()


def check(openapi: OpenAPI, response: TestResponse, path: str, status: int) -> Any:
    """Assert the response has this status and matches the document's schema for it."""
    assert response.status_code == status, response.data[:300]
    assert response.mimetype == "application/json"
    spec = openapi["paths"][path]["get"]["responses"][str(status)]
    schema = spec["content"]["application/json"]["schema"]
    validator = Draft202012Validator(dict(schema, components=openapi["components"]))
    errors = sorted(validator.iter_errors(response.get_json()), key=str)
    assert not errors, [e.message for e in errors[:5]]
    return response.get_json()


def test_document_describes_the_routes_the_app_has(
    app: Flask, client: FlaskClient, openapi: OpenAPI
) -> None:
    served = client.get("/api/openapi.json").get_json()
    assert served == openapi and openapi["openapi"].startswith("3.1")
    rules = {
        r.rule.replace("<article_id>", "{id}").replace("<facet>", "{facet}")
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/") and "path:" not in r.rule
    }
    assert rules == set(openapi["paths"])
    Draft202012Validator.check_schema({"components": openapi["components"]})


def test_search_matches_schema_and_the_searcher(
    app: Flask, client: FlaskClient, openapi: OpenAPI
) -> None:
    response = client.get("/api/search?q=talks&person=Quentin+Quill&person=Petra+Plum")
    body = check(openapi, response, "/api/search", 200)
    from archive.search import Criteria, Searcher

    searcher = Searcher(app.config["ARCHIVE"])
    try:
        criteria = Criteria(q="talks", selected={"people": ("Quentin Quill", "Petra Plum")})
        expected = searcher.search(criteria).to_json()
    finally:
        searcher.close()
    assert body == json.loads(json.dumps(expected))


def test_search_json_equals_the_cli(
    client: FlaskClient, runner: ArchiveCliRunner, small_archive: Config
) -> None:
    result = runner.run("search", "--home", small_archive.home, "zebracorn", "--json")
    assert result.exit_code == 0, result.output
    cli_answer = json.loads(result.output)
    assert cli_answer["total"] == 2  # both zebracorn articles, so there is something to compare
    assert cli_answer == client.get("/api/search?q=zebracorn").get_json()


def test_search_filters_and_paging(client: FlaskClient, openapi: OpenAPI) -> None:
    paged = client.get("/api/search?person=Quentin+Quill&sort=newest&per_page=2&page=2")
    body = check(openapi, paged, "/api/search", 200)
    assert body["total"] == 3 and len(body["hits"]) == 1 and body["page"] == 2
    beyond = client.get("/api/search?person=Quentin+Quill&page=50")
    body = check(openapi, beyond, "/api/search", 200)
    assert body["hits"] == [] and body["pages"] == 1


def test_snippets_escape_article_html(client: FlaskClient) -> None:
    body = client.get("/api/search?q=title:payload").get_json()
    hit = body["hits"][0]
    assert hit["title"] == XSS_TITLE  # JSON carries the raw text
    assert "<script>" not in hit["snippet"] and "&lt;script&gt;" in hit["snippet"]


@pytest.mark.parametrize(
    "query",
    [
        "page=-1",
        "per_page=10000",
        "from=not-a-date",
        "q=" + "y" * 600,
        "q=%22open",
        "sort=up",
        "to=2019-02-30",
    ],
)
def test_search_errors_are_json_400(client: FlaskClient, openapi: OpenAPI, query: str) -> None:
    body = check(openapi, client.get("/api/search?" + query), "/api/search", 400)
    assert body["status"] == 400 and body["error"]


def test_article(client: FlaskClient, openapi: OpenAPI) -> None:
    article_id = client.get("/api/search?q=title:payload").get_json()["hits"][0]["id"]
    body = check(openapi, client.get(f"/api/articles/{article_id}"), "/api/articles/{id}", 200)
    assert body["title"] == XSS_TITLE and body["id"] == article_id
    unknown = client.get("/api/articles/ffffffffffffffff")
    body = check(openapi, unknown, "/api/articles/{id}", 404)
    assert "ffffffffffffffff" in body["error"]


def test_facet_values(client: FlaskClient, openapi: OpenAPI) -> None:
    path = "/api/facets/{facet}"
    body = check(openapi, client.get("/api/facets/people?prefix=quen"), path, 200)
    assert body["values"][0] == {"value": "Quentin Quill", "count": 3}
    body = check(openapi, client.get("/api/facets/outlets?limit=3"), path, 200)
    counts = [v["count"] for v in body["values"]]
    assert len(counts) == 3 and counts == sorted(counts, reverse=True)
    check(openapi, client.get("/api/facets/authors"), path, 404)
    for bad in ("limit=0", "limit=1000", "limit=x", "prefix=" + "p" * 400):
        check(openapi, client.get("/api/facets/people?" + bad), path, 400)


def test_unknown_api_paths_and_methods_are_json(client: FlaskClient) -> None:
    response = client.get("/api/nothing/here")
    assert response.status_code == 404 and response.get_json()["status"] == 404
    response = client.post("/api/search")
    assert response.status_code == 405 and response.is_json


def test_missing_index_is_json_503(
    make_app: Callable[[Path], Flask], tmp_path: Path, openapi: OpenAPI
) -> None:
    from archive.store import Store

    Store(tmp_path / "archive.sqlite3").close()  # a store without an index (no store: no archive)
    client = make_app(tmp_path).test_client()
    body = check(openapi, client.get("/api/search?q=x"), "/api/search", 503)
    assert "reindex" in body["error"] + body.get("hint", "")
