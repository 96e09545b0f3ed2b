"""Fuzzing the JSON API (issue 10): requests built from the OpenAPI document the app
serves (each operation's parameters, values of their declared types and of any other)
against the app over a small real archive: never a 500, always a JSON answer.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.web.openapi import openapi_document

# Bounded, and deterministic: a run writes no example database into the checkout.
BOUNDED = settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    # One app per test serves every example: it keeps no state between requests.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TEXT = st.text(max_size=30)
# Text that looks like what the parameters take, and what they refuse.
LIKELY = st.sampled_from(
    ["", "0", "-1", "1", "99999999999999999999", "²", "2023", "2023-04", "9999-12-31",
     "0000-01-01", "NOT NOT a", '"a b"~1000', "a*", "person:x", "q:a", "search:q=a"]
)  # fmt: skip


def values_of(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    """Return a strategy of one query value for a parameter's schema, as text."""
    if "enum" in schema:
        return st.sampled_from([str(v) for v in schema["enum"]]) | LIKELY | TEXT
    if schema.get("type") == "integer":
        return st.integers(min_value=-(10**12), max_value=10**12).map(str) | LIKELY | TEXT
    return LIKELY | TEXT


def request_for(path: str, parameters: list[dict[str, Any]]) -> st.SearchStrategy[str]:
    """Return a strategy of request URLs for one operation: path parameters filled in,
    any subset of its query parameters (arrays repeated), and now and then a stranger."""
    pieces = []
    for parameter in parameters:
        schema = parameter.get("schema", {})
        name = parameter["name"]
        if parameter["in"] == "path":
            value = values_of(schema).map(lambda v, name=name: ("path", name, v))
        elif schema.get("type") == "array":
            items = st.lists(values_of(schema.get("items", {})), max_size=6)
            value = items.map(lambda vs, name=name: ("query", name, vs))
        else:
            value = values_of(schema).map(lambda v, name=name: ("query", name, [v]))
        pieces.append(value if parameter["in"] == "path" else st.none() | value)
    stranger = st.none() | st.tuples(st.just("query"), TEXT, st.lists(TEXT, max_size=2))
    return st.tuples(st.tuples(*pieces), stranger).map(
        lambda drawn: build_url(path, [p for p in (*drawn[0], drawn[1]) if p is not None])
    )


def build_url(path: str, pieces: list[tuple[str, str, Any]]) -> str:
    pairs = []
    for kind, name, value in pieces:
        if kind == "path":
            path = path.replace("{" + name + "}", quote(value, safe="") or "%20")
        else:
            pairs += [f"{quote(name)}={quote(v)}" for v in value]
    return path + ("?" + "&".join(pairs) if pairs else "")


OPERATIONS = [
    (path, operation.get("parameters", []))
    for path, item in openapi_document()["paths"].items()
    for method, operation in item.items()
    if method == "get"
]


@pytest.mark.parametrize(("path", "parameters"), OPERATIONS, ids=[p for p, _ in OPERATIONS])
def test_every_api_request_gets_a_json_answer_and_never_a_500(
    make_app, small_archive, path, parameters
):
    client = make_app(small_archive.home).test_client()

    @BOUNDED
    @given(request_for(path, parameters))
    def answered(url: str) -> None:
        response = client.get(url)
        assert response.status_code != 500, url
        assert response.status_code < 500 or response.status_code == 503, url
        assert response.is_json, (url, response.status_code, response.content_type)
        assert isinstance(response.get_json(), dict | list), url

    answered()
