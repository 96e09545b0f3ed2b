"""The OpenAPI document of the JSON API: a static file plus the facets from the registry.

archive/data/openapi.json describes everything but the facets; each registered facet
adds its query field to the description of q, its filter parameters (and, for a
multi-valued facet, its any/all mode parameter) to /api/search, its counts to
SearchResults.facets, its values to Hit, and its name to the choices of /api/facets/{facet}.
The length limit of q is the server's own (criteria.MAX_QUERY).
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from archive.facets import MODES, Facet, all_facets
from archive.search.criteria import MAX_QUERY

_STRINGS = {"type": "array", "items": {"type": "string"}}


@lru_cache(maxsize=1)
def _static() -> dict[str, Any]:
    text = resources.files("archive").joinpath("data/openapi.json").read_text("utf-8")
    return json.loads(text)


def _parameters(facet: Facet) -> list[dict[str, Any]]:
    found = [
        {
            "name": facet.param,
            "in": "query",
            "required": False,
            "description": f"Only articles {facet.describes} (repeatable: any of them; "
            "different facets must all match).",
            "schema": _STRINGS,
            "style": "form",
            "explode": True,
        }
    ]
    if facet.mode_param:
        found.append(
            {
                "name": facet.mode_param,
                "in": "query",
                "required": False,
                "description": f"How the values of {facet.param} combine: any (at least one) "
                f"or all (every one; the {facet.name} counts then count within the results: "
                "what the picked values appear with).",
                "schema": {"type": "string", "enum": list(MODES), "default": "any"},
            }
        )
    if facet.exclude_param:
        found.append(
            {
                "name": facet.exclude_param,
                "in": "query",
                "required": False,
                "description": f"Leave out articles {facet.describes} (repeatable).",
                "schema": _STRINGS,
                "style": "form",
                "explode": True,
            }
        )
    return found


def _describe_query(query: dict[str, Any], facets: tuple[Facet, ...]) -> None:
    fields = ", ".join(f"{f.index_field}: ({f.describes})" for f in facets)
    query["description"] += f" Each facet is a field too: {fields}."
    query["schema"]["maxLength"] = MAX_QUERY


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI document for the facets registered now."""
    doc = copy.deepcopy(_static())
    facets = all_facets()
    search = doc["paths"]["/api/search"]["get"]["parameters"]
    _describe_query(search[0], facets)
    at = 1  # after q
    for facet in facets:
        for parameter in _parameters(facet):
            search.insert(at, parameter)
            at += 1
    for parameter in doc["paths"]["/api/facets/{facet}"]["get"]["parameters"]:
        if parameter["name"] == "facet":
            parameter["schema"]["enum"] = [f.name for f in facets]
    schemas = doc["components"]["schemas"]
    counts = schemas["SearchResults"]["properties"]["facets"]
    hit = schemas["Hit"]
    for facet in facets:
        counts["properties"][facet.name] = {
            "type": "array",
            "items": {"$ref": "#/components/schemas/FacetValue"},
        }
        counts["required"].append(facet.name)
        hit["properties"][facet.article_field] = _STRINGS if facet.multiple else {"type": "string"}
        hit["required"].append(facet.article_field)
    return doc
