"""Normalise outlet names, and find an article's outlets in their two roles.

Sources are the outlets that published the story (publisher metadata, a Source: line);
cited outlets are those the text attributes information to ("according to Reuters",
"told CNN", "Poland's PAP news agency reported") or names as media (a known outlet's
name anywhere in the text, unless the name is also an ordinary word: need_cue).
"""

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
# At most 12 words: an unbounded run made each cue quadratic in a run of capitalised words.
_NAME = rf"(?:{_WORD}(?:(?:[ \t]+(?:of|the|and|&|de|der|di)[ \t]+|[ \t]+|/)(?:{_WORD})){{0,11}})"
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
    re.compile(rf"\bsaid\s+(?P<the>the)\s+{_X}"),
    re.compile(rf"\b(?:in\s+)?(?:an|the|a)\s+interview\s+with\s+{_X}"),
    re.compile(rf"\b(?:as\s+)?quoted\s+by\s+{_X}"),
    re.compile(
        rf"{_X}(?:\s+(?P<kind>website|newspaper|daily|weekly|portal|agency|news\s+agency"
        rf"|broadcaster|channel))?\s*,?\s+{_VERB}\b"
    ),
    # Unless a name follows: in "the North Korean newspaper Rodong Sinmun" X is no outlet.
    re.compile(rf"{_X}\s+(?P<kind>magazine|newspaper)\b(?!\s+(?:[A-Z]|the\b))"),
    # A dateline credits the story: "WASHINGTON (Reuters) -", "CHICAGO (AP) —", "(CNN)".
    re.compile(rf"(?m)^(?:[A-Z][A-Z.,' -]*)?\(\s*{_X}\s*\)"),
]
# Words that make an unknown capitalised name look like a news outlet.
_OUTLET_WORDS = word_set(
    "news times post journal radio tv television magazine agency press herald gazette tribune "
    "daily telegraph guardian voice broadcasting network channel wire review monitor chronicle "
    "observer express mail inquirer reporter standard insider pravda gazeta novosti zeitung "
    "bulletin dispatch examiner courier sentinel star"
)
# Words that make a name an office, a post or a government body, never an outlet
# ("White House Press Secretary Jay Carney", "the Environmental Protection Agency").
_NOT_OUTLET_WORDS = word_set(
    "secretary spokesman spokeswoman spokesperson president minister senator governor "
    "director correspondent anchor host chairman ceo department ministry office commission "
    "administration council committee bureau university institute foundation medical coroner"
)
# Capitalised words that open a sentence or a date, not a name ("But the ...", "Saturday's").
_LEADING_NOISE = re.compile(
    r"^(?:(?:H/T|But|And|Or|So|Yet|As|Yesterday|Today|Tonight|Meanwhile|Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday)(?:'s)?\s+(?:the\s+)?)+"
)
_WEEKDAY_SUFFIX = re.compile(
    r"\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$", re.I
)
_ACRONYM = re.compile(r"[A-Z]{2,5}")
_ENDS_A_NAME = re.compile(
    r"\s*(?:[,.;:!?\"“”’')]|['’]s\b|\s(?:that|on|in|at|during|last|this|about|it|he|she|they"
    r"|we|after|before|when|while|because|but|and)\b|$)"
)
_BOILERPLATE = re.compile(
    r"copyright|©|newsletter|subscrib|sign up|click here|\(\s*also on\b|opt-out", re.I
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


@lru_cache(maxsize=1)
def _cue_tables() -> tuple[frozenset[str], frozenset[str]]:
    """Return the keys of need_cue names and of never_cited names (outlets.json)."""
    text = resources.files("archive").joinpath("data/outlets.json").read_text("utf-8")
    data = json.loads(text)
    return (
        frozenset(_key(n) for n in data["need_cue"]),
        frozenset(_key(n) for n in data["never_cited"]),
    )


@lru_cache(maxsize=1)
def _mention_pattern() -> re.Pattern[str]:
    """Return a case-sensitive pattern of every known outlet name safe to find by mention."""
    names, _, not_outlets, _ = _tables()
    need_cue, never_cited = _cue_tables()
    text = resources.files("archive").joinpath("data/outlets.json").read_text("utf-8")
    spelled = [
        alias
        for entry in json.loads(text)["outlets"]
        for alias in [entry["name"], *entry["aliases"]]
        if not {_key(alias), _key(entry["name"])} & (need_cue | never_cited | not_outlets)
    ]
    spelled.sort(key=len, reverse=True)  # the longest name wins: "ABC News" before "ABC"
    return re.compile(r"(?<![\w.-])(?:" + "|".join(map(re.escape, spelled)) + r")(?![\w-])")


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
    if re.search(r"\.[A-Z][^.]*$", name.strip()):  # "Cooper.The": a missing space
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
    if cleaned.startswith("As ") and _key(cleaned[3:]) in names:  # "As The Daily Beast"
        return names[_key(cleaned[3:])]
    cleaned = _WEEKDAY_SUFFIX.sub("", cleaned) or cleaned  # "Fox News Wednesday"
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
        # "Radio Liberty/Radio Free Europe" is one outlet; "Reuters/Ipsos" and
        # "Washington Times/CPAC" are the one outlet among their parts.
        pieces = {normalise_outlet(part) for part in cleaned.split("/")}
        outlets_named = pieces & set(names.values())
        if len(outlets_named) == 1:
            return outlets_named.pop()
    if _key(cleaned) in not_outlets:
        return ""
    return cleaned


def is_known_outlet(name: str) -> bool:
    """Tell whether name is an outlet listed in the data file."""
    return normalise_outlet(name) in _tables()[0].values()


def find_attributed(text: str, not_outlets: Set[str] = frozenset()) -> list[tuple[int, str]]:
    """Return (offset, outlet) for each outlet the text attributes something to.

    A candidate counts when it is a known outlet, a domain, is followed by a kind word
    ("magazine", "news agency"), contains a word like News/Times/Radio, or is an acronym
    told something ("told TVP"); not_outlets holds casefolded names (the story's people
    and places) that a cue such as "according to X" must not turn into outlets.
    """
    found: list[tuple[int, str]] = []
    for pattern in _CUES:
        for match in pattern.finditer(text):
            raw = _candidate(match.group("x"))
            shown = normalise_outlet(raw)
            if not shown or _key(raw) in not_outlets or shown.casefold() in not_outlets:
                continue
            if _key(shown) in _cue_tables()[1] or _not_an_outlet(raw):
                continue
            if _is_outlet(raw, match):
                found.append((match.start("x"), shown))
    return sorted(set(found))


def _candidate(raw: str) -> str:
    """Reduce a cue's capitalised run to the outlet it names: drop "the" and a sentence
    opener; of a possessive, the owner when it is an outlet ("CNN's State of the Union")
    else what it owns ("Poland's PAP"); of "A of B", B when A is a person or role ("Mara
    Liasson of National Public Radio"); of a known outlet followed by other words, the
    outlet ("ABC News Omar")."""
    raw = _LEADING_NOISE.sub("", re.sub(r"^the\s+", "", raw.replace("’", "'")))
    raw = re.sub(r"['’]s?$", "", raw)  # "Daily Caller News Foundation's"
    owner, _, rest = raw.rpartition("'s ")
    if owner and rest:
        return owner if is_known_outlet(owner) else rest
    before, _, after = raw.partition(" of ")
    if after and not _words(before) & _OUTLET_WORDS:
        return after if is_known_outlet(after) or _host(after) else ""
    words = raw.split()
    if is_known_outlet(raw) or _words(raw) - {"the"} <= _OUTLET_WORDS:
        return raw
    for size in range(len(words) - 1, 0, -1):
        rest = " ".join(words[size:])
        # "Independent Journal Review" is no "Independent": the rest names an outlet.
        if is_known_outlet(" ".join(words[:size])) and not _words(rest) & _OUTLET_WORDS:
            return " ".join(words[:size])
    return raw


def _words(name: str) -> set[str]:
    return {w.casefold() for w in re.split(r"[\s/]+", name) if w}


def _not_an_outlet(raw: str) -> bool:
    """Tell whether a name is an office or body by its words, unless it is a known outlet."""
    words = {w.casefold() for w in re.split(r"[\s/]+", raw)}
    # An agency is a news outlet only as a news or press agency.
    government_agency = "agency" in words and not words & {"news", "press"}
    return bool(words & _NOT_OUTLET_WORDS or government_agency) and not is_known_outlet(raw)


def _is_outlet(raw: str, match: re.Match[str]) -> bool:
    """Tell whether a cue's candidate is an outlet rather than any other name."""
    words = {w.casefold() for w in re.split(r"[\s/]+", raw)} - {"the"}
    # An unknown name needs a word like "News" and a word of its own ("News" alone is not).
    looks_like = bool(words & _OUTLET_WORDS) and bool(words - _OUTLET_WORDS)
    if match.groupdict().get("the") and not (looks_like or is_known_outlet(raw)):
        return False  # "said the Independent Journal Review", not "said the senator"
    # "told TVP that", "told TVP on Monday", but not "told US officials".
    told_acronym = (
        match.group(0).startswith("told")
        and _ACRONYM.fullmatch(raw) is not None
        and _ENDS_A_NAME.match(match.string, match.end()) is not None
    )
    # "X newspaper", "X news agency reported" make any name an outlet; "X website said"
    # and "X agency said" do not ("Hamas's website", "the IAEA agency").
    kind_word = " ".join((match.groupdict().get("kind") or "").split())
    kind = kind_word not in ("", "website", "agency", "portal", "channel")
    return is_known_outlet(raw) or bool(_host(raw)) or kind or looks_like or told_acronym


def find_mentioned(text: str) -> list[tuple[int, str]]:
    """Return (offset, outlet) for each known outlet the text names, cue or not (need_cue
    names, pollsters and platforms excepted): media discussed are cited media."""
    return [
        (m.start(), normalise_outlet(m.group(0)))
        for m in _mention_pattern().finditer(text)
        if not _in_credit(text, m.start(), m.end()) and not _in_boilerplate(text, m.start())
    ]


def _in_boilerplate(text: str, start: int) -> bool:
    """Tell whether the line around text[start] is a site's own boilerplate (copyright,
    newsletter and subscription offers, "Also on POLITICO:"): it cites no one."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return _BOILERPLATE.search(line) is not None


def _in_credit(text: str, start: int, end: int) -> bool:
    """Tell whether a name at text[start:end] is a photo credit ("REUTERS/Jim Bourg",
    "(Jim Bourg/Reuters)", "Image copyright AFP", "via AP)"): credits cite no one."""
    before, after = text[max(0, start - 16) : start], text[end : end + 16]
    return (
        before.endswith("/")
        or (after.startswith("/") and not after[1:2].isupper())
        or re.search(r"(?:copyright|via)\s*$", before, re.I) is not None
        or re.match(r"\s*(?:Image caption|/\s*Getty)", after) is not None
    )
