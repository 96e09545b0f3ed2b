"""Trim headline words and sentence openers off a name mention: "Obama Was Pushed",
"Did Trump", "Trump Thursday", "McCarthy Blast Democrats" name Obama, Trump and McCarthy.

A mention is cut down to a shorter run of its words only when
- that run is a name the text gives elsewhere (another mention's whole name, or the last
  word of another full name), and
- every word cut off reads as no name: it is a weekday, month or sentence opener, or it
  is also written in lower case in the text ("did", "claims"); a word after the name may
  also go when the mention sits in a headline (a short line, most words capitalised; no
  digits, list commas or closing full stop). A given name or particle in front never goes.
A leading sentence opener that is no given name always goes ("Follow Hasson").
A mention that the text repeats as it is stays whole.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from archive.extract.names import PARTICLES, _name_list, core_tokens, tokens_key, word_set
from archive.extract.textwords import TextWords

HEADLINE_CAPITALISED = 0.75  # share of words over three letters capitalised in a headline
HEADLINE_MAX_WORDS = 25
OPENERS = word_set(
    "did does do is was were will would could should can has have had why how what when who "
    "follow credit watch claims says said monday tuesday wednesday thursday friday saturday "
    "sunday january february march april may june july august september october november "
    "december today yesterday"
)
_LINE_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Return the casefolded common given names of data/given_names.txt."""
    return _name_list("given_names.txt")


def in_headline(text: str, offset: int) -> bool:
    """Tell whether the line around offset reads as a headline (short, title case)."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start : end if end >= 0 else None]
    words = _LINE_WORD.findall(line)
    # A line that ends a sentence is prose, however many capitals it has.
    if not words or len(words) > HEADLINE_MAX_WORDS or line.rstrip(" \"”’'").endswith("."):
        return False
    if any(ch.isdigit() for ch in line) or line.count(",") >= 2:
        return False  # a table, results line or list of names, not a headline
    long_words = [w for w in words if len(w) > 3] or words
    return sum(w[0].isupper() for w in long_words) >= HEADLINE_CAPITALISED * len(long_words)


def known_names(cores: Sequence[list[str]]) -> Counter[str]:
    """Count, over mentions, the names each gives: its whole core and, of a full name,
    its last word."""
    known: Counter[str] = Counter()
    for core in cores:
        known.update(_names_given(core))
    return known


def _names_given(core: list[str]) -> set[str]:
    # A full name gives its surname, not its given name: "Billy Andrade" and "Billy
    # Mayfair" are two people, and neither is a bare "Billy".
    given = {tokens_key(core)}
    if len(core) >= 2:
        given.add(core[-1].casefold())
    return given


def trim(tokens: list[str], headline: bool, known: Counter[str], words: TextWords) -> list[str]:
    """Return the run of a mention's words that names the person (see the module doc)."""
    core = core_tokens(tokens)
    if len(core) >= 2 and core[0].casefold() in OPENERS and core[0].casefold() not in given_names():
        return tokens[tokens.index(core[0]) + 1 :]  # "Follow Hasson", "Did Obama"
    own = _names_given(core)
    others = known - Counter(own)  # the names the rest of the text gives
    if len(core) < 2 or others[tokens_key(core)]:
        return tokens
    for length in range(len(core) - 1, 0, -1):
        for start in range(len(core) - length + 1):
            run = core[start : start + length]
            leading, trailing = core[:start], core[start + length :]
            if others[tokens_key(run)] and _all_cuttable(leading, trailing, headline, words):
                return run
    return tokens


def _all_cuttable(
    leading: list[str], trailing: list[str], headline: bool, words: TextWords
) -> bool:
    """Tell whether the words cut off a mention read as no part of a name. In front of a
    name only an opener or a word also written in lower case goes, never a given name or
    a particle ("Aravinda de Silva"); after it, in a headline, any word ("Obama Was Pushed")."""
    if any(w.casefold() in given_names() or w.casefold() in PARTICLES for w in leading):
        return False
    return all(_common(w, words) for w in leading) and all(
        headline or _common(w, words) for w in trailing
    )


def _common(word: str, words: TextWords) -> bool:
    return word.casefold() in OPENERS or word.casefold() in words.lower
