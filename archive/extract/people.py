"""Turn the model's PERSON mentions into the people a story is about.

find_people runs in four steps: read the model's spans into name mentions (and votes for
other labels), find the full names the text gives, group mentions by the person they
name (a bare "Merkel" joins "Angela Merkel"), then drop what is no person and rank the
rest by how often the text names them. Spellings of one name ("Kim Jong Un", "Kim
Jong-un") are one person (variants.py). Reading spans is mentions.py's job; what a single
name looks like, names.py's; how often and in what company a text uses it, textwords.py's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from archive.extract.fragments import OPENERS, given_names, in_headline
from archive.extract.mentions import Evidence, Mention, Span, read_spans, trimmed
from archive.extract.names import (
    PARTICLES,
    STOP_WORDS,
    TITLES,
    core_tokens,
    looks_like_name,
    name_tokens,
    normalise_person,
    not_people,
    outlet_fragments,
    person_key,
    places,
    tokens_key,
    word_set,
)
from archive.extract.textwords import TextWords
from archive.extract.variants import variant_of, with_accents

__all__ = ["find_people", "normalise_person", "outlet_fragments", "person_key", "places"]


# Capitalised words that precede a surname without being a given name.
_NOT_GIVEN = word_set(
    "he she it they we i when while after before then but as if so yet also meanwhile however "
    "still now today yesterday monday tuesday wednesday thursday friday saturday sunday january "
    "february march april may june july august september october november december said says told "
    "asked added where why"
)


def _missed_full_name(text: str, bare: str, words: TextWords) -> list[str] | None:
    """Find "Given Bare" in text when the model only tagged the bare surname.

    The word in front is a given name when the list knows it, or else when it is never
    written in lower case and does not sit in a headline ("Strong Obama Economy")."""
    skip = TITLES | STOP_WORDS | _NOT_GIVEN | OPENERS | places() | not_people()
    for match in re.finditer(rf"\b([A-Z][a-z][\w'-]*)[ \t]+{re.escape(bare)}\b", text):
        given = match.group(1)
        known = given.casefold() in given_names()
        if (
            given.casefold() not in skip
            and not given.endswith("ly")
            and looks_like_name([given, bare])
            and (
                known
                or (given.casefold() not in words.lower and not in_headline(text, match.start()))
            )
        ):
            return [given, bare]
    return None


@dataclass
class _Person:
    """The mentions grouped under one person: the first offset and every spelling."""

    first: int
    forms: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Verdicts:
    """What, besides the model's PERSON label, tells a document's people from the rest."""

    words: TextWords
    evidence: Evidence
    not_people: Collection[str]  # casefolded names known to be something else (outlets)
    excluded: set[str]  # person keys of credits and authors
    excluded_surnames: set[str]


def find_people(
    text: str,
    ents: Iterable[Span],
    exclude: Iterable[str] = (),
    not_people: Collection[str] = frozenset(),
    outlets: Iterable[str] = (),
) -> list[str]:
    """Return the people a text names, most mentioned first (ties: first mentioned).

    ents are the model's (start, end, label) spans; exclude holds names that are photo
    credits or authors; not_people holds casefolded names known to be something else
    (outlets); outlets holds the outlets this document cites or attributes to, and no
    person is one of them or a run of their words ("Evening Star" of "Harbor Evening Star").
    A bare name maps to the one full name in the text that it is a part of;
    when two people share it, it maps to neither and adds no one.
    """
    words = TextWords(text)
    evidence = read_spans(text, ents, outlet_fragments(outlets))
    evidence.mentions = trimmed(text, evidence.mentions, words)
    fulls = _full_names(text, evidence.mentions, words)
    people = _merge_variants(_group_by_person(evidence.mentions, fulls))
    excluded = {_excluded_key(n) for n in exclude if n and name_tokens(n)}
    verdicts = _Verdicts(
        words=words,
        evidence=evidence,
        not_people=not_people,
        excluded=excluded,
        excluded_surnames={k.split()[-1] for k in excluded if k},
    )
    surnames = Counter(t for k in people for t in {k.split()[0], k.split()[-1]})
    kept = []
    for key, person in people.items():
        tokens = with_accents(_display_tokens(key, person, fulls), person.forms)
        core = core_tokens(tokens)
        if _not_a_person(key, core, person, verdicts):
            continue
        mentions_of = _mention_count(core, verdicts.words, surnames)
        kept.append((-mentions_of, person.first, normalise_person(" ".join(tokens))))
    return [name for _, _, name in sorted(kept)]


def _excluded_key(name: str) -> str:
    """Return the key an author or credit is excluded under: its core, as mentions are keyed
    ("Leonard Pitts Jr." is "leonard pitts", "Opinion Jane Doe" is "jane doe")."""
    return tokens_key(core_tokens(name_tokens(name)))


def _full_names(text: str, mentions: list[Mention], words: TextWords) -> dict[str, list[str]]:
    """Return the full names (two core words or more) of the text by key, first seen first."""
    fulls: dict[str, list[str]] = {}
    # Full mentions first, so a bare name only looks for a missed full name when no
    # tagged one contains it.
    for _, tokens in sorted(mentions, key=lambda m: len(core_tokens(m.tokens)) < 2):
        core = core_tokens(tokens)
        if len(core) < 2:
            bare = core[0].casefold()
            if not any(
                bare in (c[0].casefold(), c[-1].casefold())
                for c in map(core_tokens, fulls.values())
            ):
                core = _missed_full_name(text, core[0], words) or core
        if len(core) >= 2:
            fulls.setdefault(tokens_key(core), core if len(core_tokens(tokens)) < 2 else tokens)
    return fulls


def _resolve(
    tokens: list[str], fulls: dict[str, list[str]], variants: dict[str, str]
) -> str | None:
    """Return the key of the person a mention names, or None when two people share it."""
    core = core_tokens(tokens)
    if len(core) >= 2 and core[0].casefold() in PARTICLES:
        # "De Niro", "Van Spronsen": a surname with its particle, as bare as "Niro" alone.
        tail = tokens_key(core)
        owners = {v for k, v in variants.items() if k.endswith(" " + tail)}
        if len(owners) > 1:
            return None
        if owners:
            return owners.pop()
    if len(core) >= 2:
        # "Hillary Clinton" is "Hillary Rodham Clinton" when the text has one such longer name.
        longer = [
            k
            for k, t in fulls.items()
            if len(core_tokens(t)) > len(core)
            and core_tokens(t)[0].casefold() == core[0].casefold()
            and core_tokens(t)[-1].casefold() == core[-1].casefold()
        ]
        return longer[0] if len(longer) == 1 else tokens_key(core)
    bare = core[0].casefold()
    # Spellings of one full name ("Kim Jong Un", "Kim Jong-un") are one owner.
    owners = {
        variants[k]
        for k, t in fulls.items()
        if bare in (core_tokens(t)[0].casefold(), core_tokens(t)[-1].casefold())
    }
    if len(owners) > 1:
        return None  # shared by two people: name neither
    return owners.pop() if owners else bare


def _group_by_person(mentions: list[Mention], fulls: dict[str, list[str]]) -> dict[str, _Person]:
    """Group the mentions, in text order, under the key of the person each names."""
    people: dict[str, _Person] = {}
    variants = variant_of(fulls)
    for offset, tokens in sorted(mentions):
        key = _resolve(tokens, fulls, variants)
        if key is not None:
            people.setdefault(key, _Person(first=offset)).forms.append(tokens)
    return people


def _merge_variants(people: dict[str, _Person]) -> dict[str, _Person]:
    """Join the spellings of one name under the longest (see variants.py)."""
    target = variant_of(people)
    merged: dict[str, _Person] = {}
    for key, person in people.items():
        into = merged.setdefault(target[key], _Person(first=person.first))
        into.first = min(into.first, person.first)
        into.forms += person.forms
    return merged


def _display_tokens(key: str, person: _Person, fulls: dict[str, list[str]]) -> list[str]:
    """Return the spelling to show: a mixed-case form of the key, else the full name."""
    tokens = fulls.get(key) or max(person.forms, key=len)
    # Prefer a mixed-case spelling over a headline's capitals for display.
    forms = [
        f for f in person.forms if tokens_key(core_tokens(f)) == key and not " ".join(f).isupper()
    ]
    return forms[0] if forms else tokens


def _not_a_person(key: str, core: list[str], person: _Person, verdicts: _Verdicts) -> bool:
    """Tell whether a candidate is known or seen to be something other than a story person."""
    if key in places() or key in verdicts.not_people or key in verdicts.excluded:
        return True
    if key in not_people():
        return True  # "Twitter", "Slideshow", "Brexit"
    if len(core) == 1 and key in verdicts.excluded_surnames:
        return True
    evidence = verdicts.evidence
    if evidence.other_votes[key] > evidence.person_votes[key] and not verdicts.words.titled(
        " ".join(core)
    ):
        # The model calls it a place or organisation more often than a person, and the
        # text never gives it a personal title ("President Trump" settles it).
        return True
    if verdicts.words.company(" ".join(core)) and not _given_and_surname(core, verdicts):
        return True  # "Ruch SA", "Jones Medical Industries Inc": a company's name
    cued, seen = verdicts.words.place_cues(" ".join(core))
    if cued and 2 * cued >= seen:
        return True  # "the Chechens", "in Tuva": a place or people, not a person
    cued, seen = verdicts.words.thing_cues(" ".join(core))
    if cued and 2 * cued >= seen and not _given_and_surname(core, verdicts):
        return True  # "the newspaper Granma", "firm Multico": the text says what it is
    if verdicts.words.common(core):
        return True  # "Death", "Lamps": capitalised nouns
    # "KDP", "AVG": acronyms of organisations
    return len(core) == 1 and len(core[0]) <= 4 and all(" ".join(f).isupper() for f in person.forms)


def _given_and_surname(core: list[str], verdicts: _Verdicts) -> bool:
    """Tell a person's name that a company or thing is named after ("Martha Stewart Living
    Omnimedia Inc") from the thing's own: a known given name and a surname, or a personal
    title in the text. The company and thing cues then do not count against it."""
    given = len(core) >= 2 and core[0].casefold() in given_names()
    return given or verdicts.words.titled(" ".join(core))


def _mention_count(core: list[str], words: TextWords, surnames: Counter[str]) -> int:
    """Count a person's mentions: by surname, or by full name when two people share it."""
    shared = surnames[core[-1].casefold()] > 1
    return words.count(" ".join(core) if shared else core[-1])
