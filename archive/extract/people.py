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
    # Job words that are capitalised only because a sentence starts with them.
    "broker", "analyst", "dealer", "trader", "spokesman", "spokeswoman", "economist", "novelist",
    "writer", "editor", "director", "manager", "executive", "negotiator", "dissident", "actor",
    "singer", "author", "poet", "lawyer", "attorney", "envoy", "striker", "goalkeeper", "midfielder",
}
# Words that make a capitalised phrase a company, body or facility rather than a person.
ORG_WORDS = {
    "co", "corp", "inc", "ltd", "plc", "spa", "ag", "sa", "nv", "bv", "gmbh", "llc", "bros", "group",
    "holdings", "bank", "mining", "cables", "controls", "industries", "systems", "network",
    "prison", "airport", "university", "college", "school", "hospital", "church", "party",
    "council", "committee", "ministry", "agency", "army", "police", "court", "fund", "institute",
    "cement", "fields", "motors", "airlines", "airways", "energy", "oil", "gas", "securities",
    "capital", "partners", "foundation", "association", "union", "newsroom", "lamps", "square",
    "street", "avenue", "river", "mountains", "island", "islands", "province", "district", "region",
}
# Words after a name that show it is a place ("Goma airport", "Tavildara district").
_PLACE_AFTER = {"province", "district", "region", "town", "village", "city", "airport", "valley",
                "prison", "state", "county", "area", "border", "mountains", "river"}
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
    if not _core(tokens) or len(tokens) > 5 or tokens[0].casefold() in _STOP:
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
        if given.casefold() not in skip and not given.endswith("ly") and _looks_like_name([given, bare]):
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


_WORD = re.compile(r"\w+(?:-\w+)*|,")
_PLACE_BEFORE = {"in", "near", "outside"}
_PLACE_OF = {"town", "city", "village", "port", "capital", "province", "region", "north", "south", "east", "west"}


class _Words:
    """The words of one text, indexed once so each rule is a lookup, not a regex compile."""

    def __init__(self, text: str):
        self.words = _WORD.findall(text)
        self.lower = {w for w in self.words if w.islower()}
        self.at: dict[str, list[int]] = {}
        for i, word in enumerate(self.words):
            self.at.setdefault(word, []).append(i)

    def find(self, name: str) -> list[int]:
        """Return the word positions where name starts (exact case)."""
        parts = _WORD.findall(name)
        if not parts:
            return []
        return [i for i in self.at.get(parts[0], []) if self.words[i:i + len(parts)] == parts]

    def count(self, name: str) -> int:
        """Count mentions of name, as written or in capitals."""
        return len(self.find(name)) + (len(self.find(name.upper())) if not name.isupper() else 0)

    def place_cues(self, name: str) -> tuple[int, int]:
        """Return (times read as a place or group, times seen) for a name.

        "the Chechens", "in Tuva", "town of Goma", "Tavildara district" and datelines
        such as "LONGYEAR , Norway" read as places or peoples; people seldom are.
        """
        w, n = self.words, len(_WORD.findall(name))
        cued = 0
        hits = self.find(name) + (self.find(name.upper()) if not name.isupper() else [])
        for i in hits:
            before = w[i - 1].casefold() if i else ""
            after = w[i + n] if i + n < len(w) else ""
            if (before in _PLACE_BEFORE or (n == 1 and before == "the") or after in _PLACE_AFTER
                    or (before == "of" and i > 1 and w[i - 2].casefold() in _PLACE_OF)
                    or (after == "," and i + n + 1 < len(w) and w[i + n + 1].casefold() in places())):
                cued += 1
        return cued, len(hits)

    def common(self, tokens: list[str]) -> bool:
        """Tell whether every word of a name also appears in lower case (a noun, not a name)."""
        return all(t.casefold() in self.lower for t in tokens)


def _join_adjacent(text: str, ents) -> list[tuple[int, int, str]]:
    """Join PERSON spans that only a space separates: "Zine al-Abidine" + "Ben Ali" is one name."""
    joined: list[tuple[int, int, str]] = []
    for start, end, label in sorted(ents):
        if (joined and label == "PERSON" == joined[-1][2]
                and text[joined[-1][1]:start] == " "):
            joined[-1] = (joined[-1][0], end, label)
        else:
            joined.append((start, end, label))
    return joined


def outlet_fragments(outlets) -> frozenset[str]:
    """Return the casefolded word runs of outlet names: "Granite City Gazette" gives "city gazette", "gazette", ..."""
    runs = set()
    for name in outlets:
        words = [w for w in re.split(r"[\s/]+", name.replace("’", "'").casefold().strip(" .,;:\"'")) if w]
        words = words[1:] if words[:1] == ["the"] else words
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                if words[j - 1] not in _STOP:
                    runs.add(" ".join(words[i:j]))
    return frozenset(runs)


def find_people(text: str, ents, exclude=(), not_people=frozenset(), outlets=()) -> list[str]:
    """Return the people a text names, most mentioned first (ties: first mentioned).

    ents are the model's (start, end, label) spans; exclude holds names that are photo
    credits or authors; not_people holds casefolded names known to be something else
    (outlets); outlets holds the outlets this document cites or attributes to, and no
    person is one of them or a run of their words ("Evening Star" of "Harbor Evening Star").
    A bare name maps to the one full name in the text that it is a part of;
    when two people share it, it maps to neither and adds no one.
    """
    fragments = outlet_fragments(outlets)
    votes: Counter[str] = Counter()
    person_votes: Counter[str] = Counter()
    mentions: list[tuple[int, list[str]]] = []
    for start, end, label in _join_adjacent(text, ents):
        # A name never spans a line break: of a span that does, the longest line is the
        # name and the rest spill-over (a headline's tail, a credit line).
        pieces = text[start:end].split("\n")
        piece = max(reversed(pieces), key=lambda p: len(p.split()))
        offset = start + text[start:end].rindex(piece)
        tokens = _strip(piece)
        if label == "PERSON" and _looks_like_name(tokens):
            if _key(tokens) in fragments or _key(_core(tokens)) in fragments:
                continue  # the model often reads an outlet's name as a person's
            mentions.append((offset, tokens))
            person_votes[_key(_core(tokens))] += 1
        elif label in NOT_PERSON_LABELS and tokens:
            votes[_key(tokens)] += 1
            if len(tokens) > 1 and label in ("ORG", "FAC"):
                # "Jones Medical", "LM Ericsson AB" are companies: a bare "Jones" or
                # "Ericsson" may be their short name.
                for token in set(tokens):
                    votes[token.casefold()] += 1
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
    words = _Words(text)
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
        cued, seen = words.place_cues(" ".join(core))
        if cued and 2 * cued >= seen:
            continue  # "the Chechens", "in Tuva": a place or people, not a person
        if words.common(core):
            continue  # "Death", "Lamps": capitalised nouns
        if len(core) == 1 and len(core[0]) <= 4 and all(" ".join(f).isupper() for f in entry["forms"]):
            continue  # "KDP", "AVG": acronyms of organisations
        shared = surnames[core[-1].casefold()] > 1
        mentions_of = words.count(" ".join(core) if shared else core[-1])  # by surname unless shared
        kept.append((-mentions_of, entry["first"], normalise_person(" ".join(tokens))))
    return [name for _, _, name in sorted(kept)]
