"""Read the model's spans of one text into name mentions and label votes.

A PERSON span becomes a mention when it has a name's shape (names.py) and is no run of an
outlet's name (words of not_people.txt fused in front are cut off first: a share menu,
"Facebook Twitter Pinterest Barack Obama"); a span of another label is a vote that its words
name no person -- unless it has a person's shape: the small model files "Olaf Scholz" as ORG
and "Tomasz Siemoniak" as FAC, so a full name that the text labels PERSON elsewhere, or that
starts with a known given name, counts as a PERSON span. Adjacent PERSON spans joined by a
space or "vel" are one name. Headline words and sentence openers are then cut off the
mentions (fragments.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from archive.extract.fragments import OPENERS, given_names, in_headline, known_names, trim
from archive.extract.names import (
    TITLES,
    core_tokens,
    looks_like_name,
    name_tokens,
    not_people,
    places,
    tokens_key,
    word_set,
)
from archive.extract.textwords import TextWords

Span = tuple[int, int, str]  # a model entity: start, end, label

# Labels whose votes show a string is not a person in this document.
NOT_PERSON_LABELS = word_set("GPE LOC NORP ORG FAC EVENT PRODUCT WORK_OF_ART LANGUAGE")
# Particles that join two surnames into one ("Szynkowski vel Sęk": also called Sęk).
_JOINING = word_set("vel")
# Labels under which the small model sometimes files a person ("Olaf Scholz" ORG).
_MISFILED_LABELS = word_set("ORG FAC GPE NORP")


def _join_adjacent(text: str, ents: Iterable[Span]) -> list[Span]:
    """Join PERSON spans that only a space or a joining particle separates: "Zine
    al-Abidine" + "Ben Ali" is one name, "Szymon Szynkowski" vel "Sęk" too."""
    joined: list[Span] = []
    for start, end, label in sorted(ents):
        between = text[joined[-1][1] : start] if joined else ""
        if (
            joined
            and label == "PERSON" == joined[-1][2]
            and (between == " " or between.strip() in _JOINING and between.startswith(" "))
        ):
            joined[-1] = (joined[-1][0], end, label)
        else:
            joined.append((start, end, label))
    return joined


class Mention(NamedTuple):
    """One name-shaped PERSON span: where it starts and its name tokens."""

    offset: int
    tokens: list[str]


@dataclass
class Evidence:
    """What the model's spans say about one text: the person mentions and label votes."""

    mentions: list[Mention] = field(default_factory=list)
    person_votes: Counter[str] = field(default_factory=Counter)  # by tokens_key of the core
    other_votes: Counter[str] = field(default_factory=Counter)  # place, organisation...


def trimmed(text: str, mentions: list[Mention], words: TextWords) -> list[Mention]:
    """Cut headline words and sentence openers off mentions (see fragments.py)."""
    known = known_names([core_tokens(m.tokens) for m in mentions])
    return [
        Mention(m.offset, trim(m.tokens, in_headline(text, m.offset), known, words))
        for m in mentions
    ]


def _name_piece(text: str, start: int, end: int) -> tuple[int, str]:
    """Return the offset and text of the part of a span that can be a name."""
    # A name never spans a line break: of a span that does, the longest line is the
    # name and the rest spill-over (a headline's tail, a credit line).
    pieces = text[start:end].split("\n")
    piece = max(reversed(pieces), key=lambda p: len(p.split()))
    return start + text[start:end].rindex(piece), piece


def read_spans(text: str, ents: Iterable[Span], fragments: frozenset[str]) -> Evidence:
    """Collect the name-shaped PERSON mentions and the votes of every label."""
    evidence = Evidence()
    spans = _join_adjacent(text, ents)
    person_keys = {
        tokens_key(core_tokens(name_tokens(_name_piece(text, s, e)[1])))
        for s, e, label in spans
        if label == "PERSON"
    }
    for start, end, label in spans:
        end = _with_surname(text, start, end) if label == "PERSON" else end
        offset, piece = _name_piece(text, start, end)
        tokens = _without_fused_words(name_tokens(piece))
        if tokens and label == "PERSON":
            offset += max(piece.find(tokens[0]), 0)
        led = _LED_BY.match(piece)
        if led and label != "PERSON" and looks_like_name(name_tokens(led.group("name"))):
            # "the Obama administration": the model's organisation names its leader.
            name = name_tokens(led.group("name"))
            evidence.mentions.append(Mention(offset + led.start("name"), name))
            evidence.person_votes[tokens_key(core_tokens(name))] += 1
            continue
        if label in _MISFILED_LABELS and _person_shaped(tokens, person_keys):
            label = "PERSON"
        if label == "PERSON" and looks_like_name(tokens) and not _title_only(tokens):
            if tokens_key(tokens) in fragments or tokens_key(core_tokens(tokens)) in fragments:
                continue  # the model often reads an outlet's name as a person's
            evidence.mentions.append(Mention(offset, tokens))
            evidence.person_votes[tokens_key(core_tokens(tokens))] += 1
        elif label in NOT_PERSON_LABELS and tokens:
            evidence.other_votes[tokens_key(tokens)] += 1
            if len(tokens) > 1 and label in ("ORG", "FAC"):
                # "Jones Medical", "LM Ericsson AB" are companies: a bare "Jones" or
                # "Ericsson" may be their short name.
                for token in set(tokens):
                    evidence.other_votes[token.casefold()] += 1
    return evidence


# An organisation named after the person who leads it: "the Trump administration".
_LED_BY = re.compile(
    r"^(?:[Tt]he\s+)?(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)(?:['’]s)?\s+"
    r"(?:administration|presidency)\b"
)
_JOINED_SURNAME = re.compile(r"[ \t]+vel[ \t]+[A-Z][\w'’-]+")
_NEXT_WORD = re.compile(r"[ \t]+([A-Z][\w'’-]+)")


def _with_surname(text: str, start: int, end: int) -> int:
    """Return the end of a PERSON span, moved past the surname the model left out: one
    joined by "vel", or one after a known given name ("Bill" of "Bill O’Reilly"): a
    capitalised word, outside a headline, that is no title, place, opener or given name
    and is never written in lower case."""
    joined = _JOINED_SURNAME.match(text, end)
    if joined:
        return joined.end()  # "Szymon Szynkowski" + "vel Sęk", which the model left out
    if text[start:end].casefold() not in given_names() or in_headline(text, start):
        return end
    following = _NEXT_WORD.match(text, end)
    if not following or not looks_like_name(name_tokens(following.group(1))):
        return end
    word = following.group(1).casefold()
    if word in TITLES or word in places() or word in OPENERS or word in given_names():
        return end
    if re.search(rf"\b{re.escape(word)}\b", text):
        return end  # also written in lower case: a common word ("Bernie is serious")
    if _NEXT_WORD.match(text, following.end()):
        return end  # a run of capitals: a title ("Is Bernie Serious About Winning?")
    return following.end()


def _without_fused_words(tokens: list[str]) -> list[str]:
    """Cut the words of a platform, menu or event (not_people.txt) off a name: in front
    ("Facebook Twitter Pinterest Barack Obama", a share menu fused to a caption) or after a
    possessive ("Theresa May's Brexit"). A word of the list after a name without one stays:
    "Nikola Tesla", "Fiona Apple"."""
    words = not_people()
    start = 0
    while start < len(tokens) and tokens[start].casefold() in words:
        start += 1
    if start and len(tokens) - start < 2:
        return []  # a menu before a lone word: a caption's first word ("Riot", "Members")
    tokens = tokens[start:]
    for i in range(1, len(tokens)):
        if re.search(r"['’]s$", tokens[i - 1]) and tokens[i].casefold() in words:
            return name_tokens(" ".join(tokens[:i]))
    return tokens


def _title_only(tokens: list[str]) -> bool:
    """Tell a rank or title left alone ("Lance Cpl", "Sgt") from a name."""
    core = core_tokens(tokens)
    return len(core) == 1 and core[0].rstrip(".").casefold() in TITLES


def _person_shaped(tokens: list[str], person_keys: set[str]) -> bool:
    """Tell whether a span the model filed as an organisation, facility or place has a
    person's shape: a full name that the text labels PERSON elsewhere, or a known given
    name and a capitalised surname ("Olaf Scholz", "Tomasz Siemoniak")."""
    core = core_tokens(tokens)
    if not 2 <= len(core) <= 3 or not looks_like_name(tokens):
        return False
    return tokens_key(core) in person_keys or core[0].casefold() in given_names()
