"""The top-100 people and outlet values of many articles, with their junk and duplicates.

A value's count is the number of articles that carry it. Among the 100 most frequent values:

Duplicates (one person or outlet, several values). People (words normalised by eval_names:
accents, punctuation, hyphens, titles, nicknames; Jr., Sr., II ... kept, as "Donald Trump Jr."
is not Donald Trump): a value that is a shorter form of another top value dropping its first
or last word ("Trump", "Obama", "Hillary") is a duplicate of the most frequent such value, so a
bare surname is one even if two top people share it ("Clinton"), while "Melania Trump" is not
one of "Trump". Two values that are one name but for middle names or initials ("Donald J.
Trump" and "Donald Trump", "Hillary Rodham Clinton" and "Hillary Clinton") make the less
frequent a duplicate; two different middles stay two people ("George W. Bush", "George H.W.
Bush"), and the bare "George Bush" is a duplicate of the more frequent.
Outlets: of two top values that are one, the less frequent is a duplicate; they are one when
their keys are equal (after the aliases and domains of archive/data/outlets.json), when one is
the other plus desk, format or weekday words ("Fox News Wednesday"), when a domain spells the
name (theflipside.io, nytimes.com = initials of "New York" + "Times"), or when the data pairs
them: a domain and a name that share at least 80% of the articles of the rarer one (a
publisher label and its domain come together in each record).

Junk (not a person / not an outlet): a value matching the reviewed list beside this file
(eval_not_people.txt, eval_not_outlets.txt), or failing a general check. People: a one-word
value that is an outlet name (archive/data/outlets.json or a top outlet); a word from spaCy's
English stop words ("Did Obama"); a word of capitals beside words that are not ("WATCH
Obama", "Trump MORE"); a word fused from two ("TrumpGOP": lower case then capital, except
after Mc, Mac, De, Di, La, Le, O'); a digit; only titles or ranks ("Lance Cpl"). Outlets: a
bare stop word ("The"); a leading stop word other than "the" ("As The Daily Beast"); a word
for a person's office ("White House Press Secretary Jay Carney"); a top person's name.

share = (duplicate counts + junk counts) / (all counts of the top 100).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from eval_gold import outlet_id
from eval_names import SUFFIXES, TITLES, name_words, outlet_key, plain, shorter_form

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
TOP = 100
PAIRED = 0.8  # share of the rarer value's articles a name and a domain must share
OUTLET_SUFFIXES = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "weekend",
        "tonight",
        "online",
        "web",
        "digital",
        "news",
        "opinion",
        "opinions",
        "editorial",
        "editorials",
        "politics",
        "live",
    ]
)
# Words for a person's office: an outlet value holding one is a person ("Vice" alone is VICE).
OFFICES = frozenset(
    [
        "president",
        "senator",
        "sen",
        "representative",
        "rep",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "governor",
        "gov",
        "minister",
        "ambassador",
        "mayor",
        "professor",
        "dr",
        "mr",
        "mrs",
        "ms",
    ]
)
NAME_PARTICLES = frozenset(
    [
        "de",
        "del",
        "della",
        "der",
        "di",
        "da",
        "dos",
        "du",
        "la",
        "le",
        "van",
        "von",
        "bin",
        "al",
        "el",
        "ben",
    ]
)
_FUSED = re.compile(r"(?<!^Mc)(?<!^Mac)(?<!^De)(?<!^Di)(?<!^La)(?<!^Le)(?<=[a-z])[A-Z]")
_DOMAIN = re.compile(r"^[\w.-]+\.[a-z]{2,}$", re.I)


class Flagged(NamedTuple):
    """One top value: its count and why it counts against the target ("" if it does not)."""

    value: str
    count: int
    flag: str


def _reviewed(name: str) -> list[str]:
    path = HERE / name
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) - NAME_PARTICLES


def known_outlet_keys() -> set[str]:
    """Return the keys of every outlet name and alias in archive/data/outlets.json."""
    data = json.loads((ROOT / "archive" / "data" / "outlets.json").read_text(encoding="utf-8"))
    keys = set()
    for outlet in data["outlets"]:
        keys |= {outlet_key(n) for n in [outlet["name"], *outlet.get("aliases", [])]}
    return keys


def top_values(found: Counter[str]) -> list[tuple[str, int]]:
    """Return the TOP most frequent values; ties go to names before domains, then A to Z."""
    ranked = sorted(
        found.items(), key=lambda item: (-item[1], bool(_DOMAIN.match(item[0])), item[0])
    )
    return ranked[:TOP]


def counts(values: Iterable[Sequence[str]]) -> Counter[str]:
    """Return how many articles carry each value."""
    found: Counter[str] = Counter()
    for article_values in values:
        found.update(set(article_values))
    return found


def person_junk(value: str, outlets: set[str], stops: frozenset[str], reviewed: set) -> str:
    """Return why a person value is junk, or ""."""
    words = value.split()
    if name_words(value) in reviewed:
        return "junk: reviewed list"
    if len(words) == 1 and outlet_key(value) in outlets:
        return "junk: an outlet name"
    if any(plain(w.strip(".,'’")) in stops for w in words):
        return "junk: stop word"
    # Initials ("H.W.") have periods; a shouted word has none.
    shouting = [w for w in words if len(w) > 2 and w.isupper() and "." not in w]
    if shouting and len(shouting) < len(words):
        return "junk: capitals beside a name"
    if any(_FUSED.search(w.replace("O'", "").replace("O’", "")) for w in words):
        return "junk: fused words"
    if any(ch.isdigit() for ch in value):
        return "junk: digit"
    if all(plain(w.strip(".")) in TITLES for w in words):
        return "junk: only titles"
    return ""


def _person_relation(short: tuple[str, ...], full: tuple[str, ...]) -> str:
    """Return "same" if short and full name one person but for middle names or initials,
    "part" if short is full without its first or last word, else "" (see the docstring)."""
    if short == full:
        return "same"
    if not shorter_form(short, full) or (full[-1] in SUFFIXES and short[-1] not in SUFFIXES):
        return ""  # not a shorter form, or the father of a Jr.
    if len(short) == len(full):
        return "same"  # initials: "Donald J Trump" and "Donald John Trump"
    if shorter_form(short[:1], full[:1]) and shorter_form(short[-1:], full[-1:]):
        return "same" if len(short) == 2 else ""  # two different middles: two people
    return "part"


def flag_people(found: Counter[str], outlet_values: Iterable[str]) -> list[Flagged]:
    """Return the top people with their flags (see the module docstring)."""
    top = top_values(found)
    outlets = known_outlet_keys() | {outlet_key(o) for o in outlet_values}
    stops = stop_words()
    reviewed = {name_words(r) for r in _reviewed("eval_not_people.txt")}
    rows = []
    for rank, (value, count) in enumerate(top):
        flag = person_junk(value, outlets, stops, reviewed)
        if not flag:
            words = name_words(value, suffixes=True)
            for other_rank, (other, _) in enumerate(top):
                theirs = name_words(other, suffixes=True)
                if other_rank == rank:
                    continue
                part = _person_relation(words, theirs) == "part"
                same = "same" in (_person_relation(words, theirs), _person_relation(theirs, words))
                if part or (same and other_rank < rank):
                    flag = f"duplicate of {other}"
                    break
        rows.append(Flagged(value, count, flag))
    return rows


def _domain_spells(domain: str, name: str) -> bool:
    """Tell whether a domain's first label spells a name: whole, or initials then words."""
    stem = outlet_key(domain.split(".")[-2] if domain.count(".") else domain)
    words = [w for w in re.split(r"\W+", plain(name)) if w]
    if words and words[0] == "the":
        words = words[1:]
    return any(
        stem == "".join(w[0] for w in words[:k]) + "".join(words[k:]) for k in range(len(words))
    ) or stem == "the" + "".join(words)


def _same_outlet(
    rare: str, common: str, together: Counter[tuple[str, str]], found: Counter[str]
) -> bool:
    if outlet_id(rare) == outlet_id(common):
        return True
    rare_words, common_words = plain(rare).split(), plain(common).split()
    if rare_words[: len(common_words)] == common_words and all(
        w in OUTLET_SUFFIXES for w in rare_words[len(common_words) :]
    ):
        return True
    pair = [rare, common]
    domains = [v for v in pair if _DOMAIN.match(v)]
    if len(domains) == 1:
        name = common if domains[0] == rare else rare
        if _domain_spells(domains[0], name):
            return True
        shared = together[(min(pair), max(pair))]
        return shared >= PAIRED * min(found[rare], found[common])
    return False


def outlet_junk(value: str, stops: frozenset[str], reviewed: set[str], people: set) -> str:
    """Return why an outlet value is junk, or ""."""
    words = plain(value).split()
    if outlet_key(value) in reviewed:
        return "junk: reviewed list"
    if len(words) == 1 and words[0] in stops:
        return "junk: a bare word"
    if words and words[0] in stops and words[0] != "the":
        return "junk: leading stop word"
    if any(w.strip(".") in OFFICES for w in words):
        return "junk: a person's office"
    if name_words(value) in people:
        return "junk: a person"
    return ""


def flag_outlets(per_article: Sequence[Sequence[str]], people: Iterable[str]) -> list[Flagged]:
    """Return the top outlets with their flags (see the module docstring)."""
    found = counts(per_article)
    top = top_values(found)
    names = {value for value, _ in top}
    together: Counter[tuple[str, str]] = Counter()
    for article in per_article:
        present = sorted(set(article) & names)
        together.update((a, b) for i, a in enumerate(present) for b in present[i + 1 :])
    stops = stop_words()
    reviewed = {outlet_key(r) for r in _reviewed("eval_not_outlets.txt")}
    person_words = {name_words(p) for p in people if len(p.split()) > 1}
    rows = []
    for rank, (value, count) in enumerate(top):
        flag = outlet_junk(value, stops, reviewed, person_words)
        if not flag:
            for other, _ in top[:rank]:
                if _same_outlet(value, other, together, found):
                    flag = f"duplicate of {other}"
                    break
        rows.append(Flagged(value, count, flag))
    return rows


def share(rows: Sequence[Flagged]) -> tuple[float, int, int, int]:
    """Return (share, duplicate counts, junk counts, all counts) of flagged top rows."""
    total = sum(r.count for r in rows)
    dups = sum(r.count for r in rows if r.flag.startswith("duplicate"))
    junk = sum(r.count for r in rows if r.flag.startswith("junk"))
    return (dups + junk) / total if total else 0.0, dups, junk, total
