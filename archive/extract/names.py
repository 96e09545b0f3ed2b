"""What a personal name looks like: word lists, name tokens, display form and key.

A mention is cut to name tokens (no titles, possessives or stray punctuation); its core
drops suffixes and initials; it looks like a name when every word is capitalised, no word
marks a company or facility, and at most five words remain. Outlet fragments (runs of an
outlet name's words) let people.py tell an outlet the model tagged as a person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources


def word_set(words: str) -> frozenset[str]:
    """Return the words of a space-separated list (long word lists stay a few lines)."""
    return frozenset(words.split())


TITLES = word_set(
    "president vice mr mrs ms miss dr prof professor sen senator rep representative gov governor "
    "gen general col colonel lt maj major capt captain sgt sergeant adm admiral lieutenant "
    "minister prime premier chancellor secretary judge justice pope king queen prince princess sir "
    "dame lord lady rev reverend sheikh ayatollah mayor ambassador commissioner chairman "
    "chairwoman deputy former late foreign defence defense interior finance coach officer cardinal "
    "archbishop bishop emperor speaker leader chief st u.s us un pastor rabbi imam father "
    "congressman congresswoman councilman councilwoman assemblyman assemblywoman pm cpl "
    "corporal pvt private reporter producer anchor host correspondent columnist "
    "opinion commentary analysis sens reps senators representatives "
    # Job words that are capitalised only because a sentence starts with them.
    "broker analyst dealer trader spokesman spokeswoman economist novelist writer editor director "
    "manager executive negotiator dissident actor singer author poet lawyer attorney envoy striker "
    "goalkeeper midfielder"
)
# Words that make a capitalised phrase a company, body or facility rather than a person.
ORG_WORDS = word_set(
    "co corp inc ltd plc spa ag sa nv bv gmbh llc bros group holdings bank mining cables controls "
    "industries systems network prison airport university college school hospital church party "
    "council committee ministry agency army police court fund institute cement fields motors "
    "airlines airways energy oil gas securities capital partners foundation association union "
    "newsroom lamps square street avenue river mountains island islands province district "
    "region tower towers building center centre hall elementary academy temple mosque "
    "cathedral hotel resort llp senate congress patrol department administration commission "
    "act images films studios tv"
)
_PARTY_STATE = re.compile(r"^\(?[DRI]-[A-Z][\w.]*\)?,?$")
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# "vel" joins the two surnames of a Polish name ("Szymon Szynkowski vel Sęk").
PARTICLES = word_set("de da di du van von der den la le bin ibn al el dos del vel")
STOP_WORDS = word_set("the a an this that and or but of in on at to for by with")


def _name_list(filename: str) -> frozenset[str]:
    """Return the casefolded names of a data file: one a line, # starts a comment line."""
    text = resources.files("archive").joinpath(f"data/{filename}").read_text("utf-8")
    return frozenset(
        line.strip().casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Return the casefolded place, people and nationality names from data/places.txt."""
    return _name_list("places.txt")


@lru_cache(maxsize=1)
def not_people() -> frozenset[str]:
    """Return the casefolded platforms, boilerplate, companies, events... of not_people.txt."""
    return _name_list("not_people.txt")


def name_tokens(name: str) -> list[str]:
    """Split a mention into name tokens without titles, possessives or stray punctuation."""
    text = unicodedata.normalize("NFC", name).replace("’", "'").replace("`", "'")
    text = re.sub(r"'s?$", "", text.strip().strip('"“”()[],;:!?-—–').strip())
    tokens = text.split()
    # "Pramila Jayapal D-Wash.": a party and state after the name
    while len(tokens) > 1 and _PARTY_STATE.match(tokens[-1]):
        tokens.pop()
    while len(tokens) > 1 and (
        tokens[0].rstrip(".").casefold() in TITLES
        or tokens[0].casefold() in places()
        # "Germany's Merkel": a place's possessive in front is no given name
        or re.sub(r"'s$", "", tokens[0]).casefold() in places()
        # "Lance Cpl. Jane Doe": a two-word rank
        or (tokens[0].casefold() == "lance" and tokens[1].rstrip(".").casefold() == "cpl")
    ):
        tokens.pop(0)
    return tokens


def normalise_person(name: str) -> str:
    """Return the one display form of a person's name (spacing, case, titles, possessive)."""
    tokens = name_tokens(name)
    letters = [ch for ch in "".join(tokens) if ch.isalpha()]
    if letters and (all(ch.isupper() for ch in letters) or all(ch.islower() for ch in letters)):
        # An all-caps headline or a lower-cased source: capitalise each part of each word.
        tokens = [re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), tok) for tok in tokens]
    return " ".join(tokens)


def person_key(name: str) -> str:
    """Return the key under which two spellings of a name are the same person."""
    return normalise_person(name).casefold()


def tokens_key(tokens: list[str]) -> str:
    """Return the casefolded spelling of tokens: how names are compared within a document."""
    return " ".join(tokens).casefold()


def core_tokens(tokens: list[str]) -> list[str]:
    """Return the tokens that identify a person (no Jr./III, no initials)."""
    core = [t for t in tokens if t.rstrip(".").casefold() not in SUFFIXES]
    return [t for t in core if len(t.rstrip(".")) > 1] or core


def looks_like_name(tokens: list[str]) -> bool:
    """Tell whether tokens have the shape of a personal name."""
    if not core_tokens(tokens) or len(tokens) > 5 or tokens[0].casefold() in STOP_WORDS:
        return False
    for i, tok in enumerate(tokens):
        if tok.casefold() in PARTICLES and 0 < i < len(tokens) - 1:
            continue
        bare = re.sub(r"^(?:al|el|bin|ibn|d|o)['-]", "", tok, flags=re.I)
        if not bare or not bare[0].isupper() or not all(ch.isalpha() or ch in ".'-" for ch in bare):
            return False
    if any(tok.rstrip(".").casefold() in ORG_WORDS or tok.endswith("-based") for tok in tokens):
        return False
    return any(len(tok.strip(".")) > 1 for tok in tokens)


def outlet_fragments(outlets: Iterable[str]) -> frozenset[str]:
    """Return the casefolded word runs of outlet names.

    "Granite City Gazette" gives "granite city gazette", "city gazette", "gazette", ...
    """
    runs = set()
    for name in outlets:
        cleaned = name.replace("’", "'").casefold().strip(" .,;:\"'")
        words = [w for w in re.split(r"[\s/]+", cleaned) if w]
        words = words[1:] if words[:1] == ["the"] else words
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                if words[j - 1] not in STOP_WORDS:
                    runs.add(" ".join(words[i:j]))
    return frozenset(runs)
