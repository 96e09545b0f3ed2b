"""Turn the model's PERSON mentions into the people a story is about."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources

TITLES = {
    "president", "vice", "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sen", "senator",
    "rep", "representative", "gov", "governor", "gen", "general", "col", "colonel", "lt", "maj",
    "major", "capt", "captain", "sgt", "sergeant", "adm", "admiral", "lieutenant", "minister",
    "prime", "premier", "chancellor", "secretary", "judge", "justice", "pope", "king", "queen",
    "prince", "princess", "sir", "dame", "lord", "lady", "rev", "reverend", "sheikh", "ayatollah",
    "mayor", "ambassador", "commissioner", "chairman", "chairwoman", "deputy", "former", "late",
    "foreign", "defence", "defense", "interior", "finance", "coach", "officer", "cardinal",
    "archbishop", "bishop", "emperor", "speaker", "leader", "chief", "st", "u.s", "us", "un",
}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
PARTICLES = {"de", "da", "di", "du", "van", "von", "der", "den", "la", "le", "bin", "ibn", "al", "el", "dos", "del"}
# Labels whose votes show a string is not a person in this document.
NOT_PERSON_LABELS = {"GPE", "LOC", "NORP", "ORG", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LANGUAGE"}
_STOP = {"the", "a", "an", "this", "that", "and", "or", "but", "of", "in", "on", "at", "to", "for", "by", "with"}


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Return the casefolded place, people and nationality names from data/places.txt."""
    text = resources.files("archive").joinpath("data/places.txt").read_text("utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def _strip(name: str) -> list[str]:
    """Split a mention into name tokens without titles, possessives or stray punctuation."""
    text = unicodedata.normalize("NFC", name).replace("’", "'").replace("`", "'")
    text = re.sub(r"'s?$", "", text.strip().strip("\"“”()[],;:!?-—–").strip())
    tokens = text.split()
    while len(tokens) > 1 and (tokens[0].rstrip(".").casefold() in TITLES
                              or tokens[0].casefold() in places()):
        tokens.pop(0)
    return tokens


def normalise_person(name: str) -> str:
    """Return the one display form of a person's name (spacing, case, titles, possessive)."""
    tokens = _strip(name)
    letters = [ch for ch in "".join(tokens) if ch.isalpha()]
    if letters and (all(ch.isupper() for ch in letters) or all(ch.islower() for ch in letters)):
        # An all-caps headline or a lower-cased source: capitalise each part of each word.
        tokens = [re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), tok) for tok in tokens]
    return " ".join(tokens)


def person_key(name: str) -> str:
    """Return the key under which two spellings of a name are the same person."""
    return normalise_person(name).casefold()


def _looks_like_name(tokens: list[str]) -> bool:
    """Tell whether tokens have the shape of a personal name."""
    if not tokens or len(tokens) > 5 or tokens[0].casefold() in _STOP:
        return False
    for i, tok in enumerate(tokens):
        if tok.casefold() in PARTICLES and 0 < i < len(tokens) - 1:
            continue
        bare = re.sub(r"^(?:al|el|bin|ibn|d|o)['-]", "", tok, flags=re.I)
        if not bare or not bare[0].isupper() or not all(ch.isalpha() or ch in ".'-" for ch in bare):
            return False
    return any(len(tok.strip(".")) > 1 for tok in tokens)


def _core(tokens: list[str]) -> list[str]:
    """Return the tokens that identify a person (no Jr./III, no initials)."""
    core = [t for t in tokens if t.rstrip(".").casefold() not in SUFFIXES]
    return [t for t in core if len(t.rstrip(".")) > 1] or core


def _key(tokens: list[str]) -> str:
    return " ".join(tokens).casefold()


def _missed_full_name(text: str, bare: str) -> list[str] | None:
    """Find "Given Bare" in text when the model only tagged the bare surname."""
    skip = TITLES | _STOP | _NOT_GIVEN | places()
    for match in re.finditer(rf"\b([A-Z][a-z][\w'-]*)[ \t]+{re.escape(bare)}\b", text):
        given = match.group(1)
        if given.casefold() not in skip and not given.endswith("ly"):
            return [given, bare]
    return None


# Capitalised words that precede a surname without being a given name.
_NOT_GIVEN = {
    "he", "she", "it", "they", "we", "i", "when", "while", "after", "before", "then", "but",
    "as", "if", "so", "yet", "also", "meanwhile", "however", "still", "now", "today", "yesterday",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "said", "says", "told", "asked", "added", "says", "where", "why",
}


def _mention_count(text: str, tokens: list[str], shared: bool) -> int:
    """Count how often the text names a person: by surname unless another person shares it."""
    word = " ".join(tokens) if shared else tokens[-1]
    return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text)) + \
        (len(re.findall(rf"(?<!\w){re.escape(word.upper())}(?!\w)", text)) if not word.isupper() else 0)


def _place_cues(text: str, word: str) -> tuple[int, int]:
    """Return (times preceded by "the"/"in", times seen) for a single word in text."""
    cued = seen = 0
    for match in re.finditer(rf"(?:\b(\w+)\s+)?(?<!\w){re.escape(word)}(?!\w)", text):
        seen += 1
        if match.group(1) and match.group(1).casefold() in ("the", "in"):
            cued += 1
    return cued, seen


def find_people(text: str, ents, exclude=(), not_people=frozenset()) -> list[str]:
    """Return the people a text names, most mentioned first (ties: first mentioned).

    ents are the model's (start, end, label) spans; exclude holds names that are photo
    credits or authors; not_people holds casefolded names known to be something else
    (outlets). A bare name maps to the one full name in the text that it is a part of;
    when two people share it, it maps to neither and adds no one.
    """
    votes: Counter[str] = Counter()
    person_votes: Counter[str] = Counter()
    mentions: list[tuple[int, list[str]]] = []
    for start, end, label in ents:
        # A name never spans a line break: of a span that does, the longest line is the
        # name and the rest spill-over (a headline's tail, a credit line).
        pieces = text[start:end].split("\n")
        piece = max(reversed(pieces), key=lambda p: len(p.split()))
        offset = start + text[start:end].rindex(piece)
        tokens = _strip(piece)
        if label == "PERSON" and _looks_like_name(tokens):
            mentions.append((offset, tokens))
            person_votes[_key(_core(tokens))] += 1
        elif label in NOT_PERSON_LABELS and tokens:
            votes[_key(tokens)] += 1
    fulls: dict[str, list[str]] = {}
    for _, tokens in sorted(mentions, key=lambda m: len(_core(m[1])) < 2):
        core = _core(tokens)
        if len(core) < 2:
            bare = core[0].casefold()
            if not any(bare in (c[0].casefold(), c[-1].casefold()) for c in map(_core, fulls.values())):
                core = _missed_full_name(text, core[0]) or core
        if len(core) >= 2:
            fulls.setdefault(_key(core), core if len(_core(tokens)) < 2 else tokens)

    def resolve(tokens: list[str]) -> str | None:
        core = _core(tokens)
        if len(core) >= 2:
            longer = [k for k, t in fulls.items() if len(_core(t)) > len(core)
                      and _core(t)[0].casefold() == core[0].casefold()
                      and _core(t)[-1].casefold() == core[-1].casefold()]
            return longer[0] if len(longer) == 1 else _key(core)
        bare = core[0].casefold()
        owners = [k for k, t in fulls.items() if bare in (_core(t)[0].casefold(), _core(t)[-1].casefold())]
        if len(owners) > 1:
            return None  # shared by two people: name neither
        return owners[0] if owners else bare

    people: dict[str, dict] = {}
    for offset, tokens in sorted(mentions):
        key = resolve(tokens)
        if key is None:
            continue
        entry = people.setdefault(key, {"first": offset, "forms": []})
        entry["forms"].append(tokens)
    excluded = {person_key(n) for n in exclude if n}
    excluded_surnames = {k.split()[-1] for k in excluded if k}
    surnames = Counter(t for k in people for t in {k.split()[0], k.split()[-1]})
    kept = []
    for key, entry in people.items():
        tokens = fulls.get(key) or max(entry["forms"], key=len)
        # Prefer a mixed-case spelling over a headline's capitals for display.
        forms = [f for f in entry["forms"] if _key(_core(f)) == key and not " ".join(f).isupper()]
        if forms:
            tokens = forms[0]
        core = _core(tokens)
        if key in places() or key in not_people or key in excluded:
            continue
        if len(core) == 1 and key in excluded_surnames:
            continue
        if votes[key] > person_votes[key]:
            continue  # the model calls it a place or organisation more often than a person
        if len(core) == 1:
            cued, seen = _place_cues(text, core[0])
            if cued and 2 * cued >= seen:
                continue  # "the Chechens", "in Tuva": a place or people, not a person
        shared = surnames[core[-1].casefold()] > 1
        kept.append((-_mention_count(text, core, shared), entry["first"], normalise_person(" ".join(tokens))))
    return [name for _, _, name in sorted(kept)]
