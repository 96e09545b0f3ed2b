"""Normalise outlet names and find the outlets a story attributes to."""

from __future__ import annotations

import json
import re
from collections.abc import Set
from functools import lru_cache
from importlib import resources

from archive.extract.names import word_set

# An outlet name in running text: capitalised words, optionally joined by
# of/the/and/&/- or a slash ("Radio Liberty/Radio Free Europe"), or a bare domain.
# Names never span a line, and a sentence-final full stop ends them.
_WORD = r"(?:[A-Z](?:[\w'’&!-]|\.(?=\w))*)"
_NAME = rf"(?:{_WORD}(?:(?:[ \t]+(?:of|the|and|&|de|der|di)[ \t]+|[ \t]+|/)(?:{_WORD}))*)"
_DOMAIN = (
    r"(?:[a-z0-9][a-z0-9-]*\.)+"
    r"(?:com|org|net|pl|ua|ru|uk|de|fr|eu|io|news|info|co|us|ca|by|lt|lv|ee|cz|sk|hu|ro|it|es)\b"
)
_X = rf"(?P<x>(?:[Tt]he[ \t]+)?{_NAME}|{_DOMAIN})"
_VERB = r"(?:reported|reports|said|wrote|writes|quoted|cited|says|reporting|noted)"
# Each cue names where the outlet sits relative to it; "magazine" makes any name an outlet.
_CUES = [
    re.compile(rf"\baccording\s+to\s+{_X}"),
    re.compile(rf"\bciting\s+{_X}"),
    re.compile(rf"\btold\s+{_X}"),
    re.compile(rf"\b(?:in\s+)?(?:an|the|a)\s+interview\s+with\s+{_X}"),
    re.compile(rf"\b(?:as\s+)?quoted\s+by\s+{_X}"),
    re.compile(
        rf"{_X}(?:\s+(?:website|newspaper|daily|weekly|portal|agency|news\s+agency"
        rf"|broadcaster|channel))?\s*,?\s+{_VERB}\b"
    ),
    re.compile(rf"{_X}\s+(?P<kind>magazine|newspaper)\b"),
]
# Words that make an unknown capitalised name look like a news outlet.
_OUTLET_WORDS = word_set(
    "news times post journal radio tv television magazine agency press herald gazette tribune "
    "daily telegraph guardian voice broadcasting network channel wire review monitor chronicle "
    "observer express mail inquirer reporter standard insider pravda gazeta novosti zeitung "
    "bulletin dispatch examiner courier sentinel star"
)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], set[str], tuple[str, ...]]:
    """Load outlets.json into alias->name and domain->name maps."""
    text = resources.files("archive").joinpath("data/outlets.json").read_text("utf-8")
    data = json.loads(text)
    names: dict[str, str] = {}
    domains: dict[str, str] = {}
    for entry in data["outlets"]:
        for alias in [entry["name"], *entry["aliases"]]:
            names[_key(alias)] = entry["name"]
        for domain in entry["domains"]:
            domains[domain.lower()] = entry["name"]
    not_outlets = {_key(n) for n in data["not_outlets"]}
    return names, domains, not_outlets, tuple(data["label_suffixes"])


def _key(name: str) -> str:
    """Return the lookup key of a name: casefolded, single-spaced, without a leading "The"."""
    key = " ".join(name.replace("’", "'").split()).casefold()
    return key[4:] if key.startswith("the ") else key


def _host(name: str) -> str | None:
    """Return the bare host if name is a URL or domain, else None."""
    text = name.strip().lower()
    text = re.sub(r"^[a-z]+://", "", text).split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    if " " in text or not re.fullmatch(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", text):
        return None
    return re.sub(r"^(?:www\d*|m|amp|mobile)\.", "", text)


def normalise_outlet(name: str) -> str:
    """Return an outlet's display name; "" when the label is not an outlet."""
    names, domains, not_outlets, suffixes = _tables()
    cleaned = " ".join(name.replace("’", "'").split()).strip(" ,;:.\"'")
    if not cleaned:
        return ""
    host = _host(cleaned)
    if host is not None:
        # A subdomain belongs to its parent's outlet (politicalticker.blogs.cnn.com is CNN).
        parts = host.split(".")
        for i in range(len(parts) - 1):
            known = domains.get(".".join(parts[i:]))
            if known:
                return known
        return host
    if _key(cleaned) in not_outlets:
        return ""
    if _key(cleaned) in names:
        return names[_key(cleaned)]
    for _ in range(2):  # "Fox News Opinion (Online)" carries two suffixes at most
        for suffix in suffixes:
            if cleaned.lower().endswith(suffix.lower()) and len(cleaned) > len(suffix):
                cleaned = cleaned[: -len(suffix)].strip()
    for candidate in (
        cleaned,
        re.sub(r"\s+(?:magazine|newspaper|website)$", "", cleaned, flags=re.I),
    ):
        if _key(candidate) in names:
            return names[_key(candidate)]
    if "/" in cleaned:
        # "Radio Liberty/Radio Free Europe": one outlet when every part names the same one.
        distinct = {normalise_outlet(part) for part in cleaned.split("/")}
        if len(distinct) == 1 and next(iter(distinct)) in names.values():
            return distinct.pop()
    if _key(cleaned) in not_outlets:
        return ""
    return cleaned


def is_known_outlet(name: str) -> bool:
    """Tell whether name is an outlet listed in the data file."""
    return normalise_outlet(name) in _tables()[0].values()


def find_attributed(text: str, not_outlets: Set[str] = frozenset()) -> list[tuple[int, str]]:
    """Return (offset, outlet) for each outlet the text attributes something to.

    A candidate counts when it is a known outlet, a domain, is followed by "magazine",
    or contains a word like News/Times/Radio; not_outlets holds casefolded names (the
    story's people and places) that a cue such as "according to X" must not turn into outlets.
    """
    found: list[tuple[int, str]] = []
    for pattern in _CUES:
        for match in pattern.finditer(text):
            raw = re.sub(r"^the\s+", "", match.group("x"))  # "according to the Kyiv Post"
            shown = normalise_outlet(raw)
            if not shown or _key(raw) in not_outlets or shown.casefold() in not_outlets:
                continue
            words = {w.casefold() for w in re.split(r"[\s/]+", raw)} - {"the"}
            # An unknown name needs a word like "News" and a word of its own
            # ("News" alone is not one).
            looks_like = bool(words & _OUTLET_WORDS) and bool(words - _OUTLET_WORDS)
            if is_known_outlet(raw) or _host(raw) or match.groupdict().get("kind") or looks_like:
                found.append((match.start("x"), shown))
    return sorted(set(found))
