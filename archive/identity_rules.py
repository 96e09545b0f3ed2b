"""The rules that tell whether two names are one person: rules 1 and 2 of the person
registry (identity.py, where they are written out), apart so each module stays short.

Rule 1 is the key of a name (`name_words`); rule 2 groups the keys sharing a first and
last word by compatible middles (`person_groups`); rule 2b finds misspelt first names
(`misspellings`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache

SIGNIFICANT = 0.05  # share of a (first, last) group's articles that makes a middle a person
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Rule 2b: a first name one edit from another's is a misspelling of it only when the other
# is at least this many times as common in every period the rare one appears in.
MISSPELLING_RATIO = 50
UNDATED = ""  # the period of undated articles (identity.ANY_PERIOD)
MISSPELLING_MIN_LETTERS = 4  # shorter first names ("Jon", "Dan") are too often real
# Rule 2: common English nicknames, read as the formal first name they shorten.
NICKNAMES = {
    "bill": "william",
    "bob": "robert",
    "chuck": "charles",
    "dick": "richard",
    "jim": "james",
    "joe": "joseph",
    "mike": "michael",
    "tom": "thomas",
    "ted": "edward",
    "tony": "anthony",
}


@lru_cache(maxsize=1 << 16)  # an archive repeats its names; the registry keys each often
def name_words(name: str) -> tuple[str, ...]:
    """Return the key words of a name (rule 1)."""
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    folded = re.sub(r"[-‐‑–—.]", " ", folded)  # "H.W." is two initials
    folded = re.sub(r"[^\w\s]", "", folded)
    words = folded.split()
    # A suffix names another person (Donald Trump Jr.): it stays, joined to the last word.
    suffixes: list[str] = []
    while len(words) > 2 and words[-1] in SUFFIXES:
        suffixes.insert(0, words.pop())
    if suffixes:
        words[-1] = " ".join([words[-1], *suffixes])
    return tuple(words)


def surname(words: tuple[str, ...]) -> str:
    """Return the last word of a name's key, without its suffix (rule 4)."""
    return words[-1].split()[0]


def _compatible(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    # Rule 2: as many words, each equal or an initial of the other.
    if len(one) != len(other):
        return False
    return all(a == b or (min(len(a), len(b)) == 1 and a[0] == b[0]) for a, b in zip(one, other))


def person_groups(counts: Counter[tuple[str, ...]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Map each key of two or more words to the key standing for its person (rule 2)."""
    by_ends: dict[tuple[str, str], list[tuple[str, ...]]] = defaultdict(list)
    for key in counts:
        if len(key) >= 2:
            by_ends[(NICKNAMES.get(key[0], key[0]), key[-1])].append(key)
    person: dict[tuple[str, ...], tuple[str, ...]] = {}
    for keys in by_ends.values():
        for group in _middle_groups(keys, counts):
            head = max(group, key=lambda k: (counts[k], -len(k), k))
            person.update((k, head) for k in group)
    return person


def _middle_groups(
    keys: list[tuple[str, ...]], counts: Counter[tuple[str, ...]]
) -> list[list[tuple[str, ...]]]:
    # Rule 2 within one (first, last): classes of compatible middles, most used first.
    classes: list[list[tuple[str, ...]]] = []
    for key in sorted((k for k in keys if len(k) > 2), key=lambda k: (-counts[k], k)):
        home = next((c for c in classes if _compatible(c[0][1:-1], key[1:-1])), None)
        if home is None:
            classes.append([key])
        else:
            home.append(key)
    bare: list[tuple[str, ...]] = [k for k in keys if len(k) == 2]
    total = sum(counts[k] for k in keys)
    rivals = [c for c in classes[1:] if sum(counts[k] for k in c) >= SIGNIFICANT * total]
    if rivals or not bare or not classes:
        return classes + [bare] if bare else classes
    # The bare name is the most used middle class's person when no other class rivals it.
    return [bare + classes[0], *classes[1:]]


Periods = Counter[tuple[tuple[str, ...], str]]  # (key, period) -> articles naming it


def misspellings(periods: Periods) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Map each key whose first name is a misspelling of a much commoner key's to that key
    (rule 2b): same surname and middle, first names one edit apart (an inserted, dropped or
    changed letter: "Hilary" / "Hillary"), and the other key at least MISSPELLING_RATIO times
    as common in every year the rare key appears in (undated: in the whole archive). Two
    real people one letter apart ("Jonah"/"Jonas" Smith) are seldom 50 to 1 every year."""
    per_key: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for (key, period), n in periods.items():
        per_key[key][period] += n
    by_rest: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for key in per_key:
        if len(key) >= 2 and len(key[0]) >= MISSPELLING_MIN_LETTERS:
            by_rest[key[1:]].append(key)
    merged: dict[tuple[str, ...], tuple[str, ...]] = {}
    for keys in by_rest.values():
        for rare in keys:
            targets = [
                key
                for key in keys
                if _one_edit(rare[0], key[0]) and _dominates(per_key[key], per_key[rare])
            ]
            if targets:
                merged[rare] = max(targets, key=lambda k: (per_key[k].total(), k))
    return merged


def merge_misspellings(person: dict[tuple[str, ...], tuple[str, ...]], periods: Periods) -> None:
    """Move every key of a misspelt name's person to the person of the name it misspells
    (rule 2b); person maps keys to their person's key, as person_groups returns it."""
    for rare, common in misspellings(periods).items():
        rare_head, common_head = person[rare], person[common]
        for key, head in person.items():
            if head == rare_head:
                person[key] = common_head


def _dominates(common: Counter[str], rare: Counter[str]) -> bool:
    # Per year: the rare form may be a real person in a year the common one is absent.
    # Undated articles (period "") are compared archive-wide, as rule 4c links surnames.
    return all(
        (common.total() if period == UNDATED else common[period]) >= MISSPELLING_RATIO * n
        for period, n in rare.items()
        if n
    )


def _one_edit(one: str, other: str) -> bool:
    """Tell whether two different words are one inserted, dropped or changed letter apart."""
    if one == other or abs(len(one) - len(other)) > 1:
        return False
    if len(one) == len(other):
        return sum(a != b for a, b in zip(one, other)) == 1
    short, long = sorted((one, other), key=len)
    at = next((i for i, (a, b) in enumerate(zip(short, long)) if a != b), len(short))
    return short[at:] == long[at + 1 :]
