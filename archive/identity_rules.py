"""The rules that tell whether two names are one person: rules 1 and 2 of the person
registry (identity.py, where they are written out), apart so each module stays short.

Rule 1 is the key of a name (`name_words`); rule 2 groups the keys sharing a first and
last word by compatible middles (`person_groups`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache

SIGNIFICANT = 0.05  # share of a (first, last) group's articles that makes a middle a person
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
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
