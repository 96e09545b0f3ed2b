"""The words of one text, indexed once: how often it names someone, and whether it reads
a name as a place ("in Tuva", "town of Goma", "Goma airport", "the Chechens"), as a
company's ("Ruch SA", "Roosevelt Financial Group Inc", "PT Timor Putra") or as a common
noun (every word also found in lower case).
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import NamedTuple

from archive.extract.names import TITLES, places, word_set

_WORD = re.compile(r"\w+(?:-\w+)*|,")
# Words around a name that show it is a place ("in Tuva", "town of Goma", "Goma airport").
_PLACE_BEFORE = {"in", "near", "outside"}
_PLACE_OF = word_set("town city village port capital province region north south east west")
# Titles only a person takes: a name after one is a person's, whatever else the model says.
PERSONAL_TITLES = word_set(
    "president mr mrs ms miss dr sen senator rep representative gov governor pope sir dame "
    "lord lady rev reverend mayor ambassador chancellor premier judge justice secretary gen "
    "general col colonel capt captain sgt adm admiral lt"
)
# "the Bush administration" names a person, not a people ("the Chechens").
_LED_BY = word_set("administration presidency")
_PLACE_AFTER = word_set(
    "province district region town village city airport valley prison state county area border "
    "mountains river"
)

# Lower-case nouns that introduce a thing's name, never a person's: "the newspaper Granma",
# "mineral water firm Multico", "the aircraft carrier Carl Vinson", "militant group
# al-Gama'a al-Islamiya". Nouns that also precede people's names are left out: jobs
# ("publisher Jann Wenner", "movie maker Michael Moore") and nouns a relative clause often
# follows ("the company Sam Walton founded", "the bank Rudy Giuliani represented").
_THING_BEFORE = word_set(
    "firm newspaper daily weekly magazine tabloid carrier airport airline manufacturer chain "
    "distributor consortium subsidiary tanker frigate destroyer submarine group"
)
# Lower-case nouns of weapons that follow a maker's or model's name, at once or after a
# word of _WEAPON_KIND: "Bushmaster rifle", "Kalashnikov assault rifles".
_THING_AFTER = word_set("rifle rifles weapons guns pistol pistols missile missiles")
_WEAPON_KIND = word_set("assault automatic semi-automatic sniper anti-tank cruise ballistic")
_NAME_WORD = r"(?:(?:al|el)-)?[A-Z][\w'’.-]*"  # "al-Gama'a" too
_NAME_RUN = rf"({_NAME_WORD}(?:[ \t]+{_NAME_WORD})*)"
_AFTER_THING_NOUN = re.compile(rf"\b(?:{'|'.join(sorted(_THING_BEFORE))})[ \t]+{_NAME_RUN}")
_BEFORE_WEAPON = re.compile(
    rf"{_NAME_RUN}[ \t]+(?:(?:{'|'.join(sorted(_WEAPON_KIND))})[ \t]+)?"
    rf"(?:{'|'.join(sorted(_THING_AFTER))})\b"
)


class _ThingRuns(NamedTuple):
    """The capitalised word runs after a thing noun and before a weapon noun of one text."""

    after_noun: list[list[str]]
    before_weapon: list[list[str]]


# Legal forms that end (or, for Indonesian "PT", start) a company's name; a person's name
# never takes one. Up to two more capitalised words may come between ("Jones Medical
# Industries Inc").
_LEGAL_FORM = (
    r"(?:Inc|Corp|Co|Ltd|Plc|PLC|plc|SpA|S\.p\.A|AG|SA|S\.A|NV|N\.V|BV|GmbH|LLC|LLP|Bhd|Tbk)"
    r"(?![\w-])"
)
_CAPITALISED = r"[A-Z][\w&'.-]*"
# The runs of capitalised words in front of a legal form, after "PT", and in front of
# partners' names ("Bodman , Longely & Dahling"): found once per text, not once per name.
_BEFORE_LEGAL_FORM = re.compile(rf"((?:{_CAPITALISED}[ \t]+)+){_LEGAL_FORM}")
_AFTER_PT = re.compile(rf"\bPT[ \t]+((?:{_CAPITALISED}[ \t]*)+)")
_BEFORE_PARTNERS = re.compile(
    rf"((?:{_CAPITALISED}[ \t]+)*{_CAPITALISED})(?:[ \t]*,[ \t]*{_CAPITALISED})+[ \t]*&[ \t]*[A-Z]"
)
# Capitalised words that may come between a company's first name and its legal form.
_BETWEEN_NAME_AND_FORM = 2


class _CompanyRuns(NamedTuple):
    """The word runs of one text that company names are read from (see TextWords.company)."""

    before_form: list[list[str]]
    after_pt: list[list[str]]
    before_partners: list[list[str]]


class TextWords:
    """The words of one text, indexed once so each rule is a lookup, not a regex compile."""

    def __init__(self, text: str) -> None:
        self.text = text
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
        return [i for i in self.at.get(parts[0], []) if self.words[i : i + len(parts)] == parts]

    def count(self, name: str) -> int:
        """Count mentions of name, as written or in capitals."""
        return len(self.find(name)) + (len(self.find(name.upper())) if not name.isupper() else 0)

    def titled(self, name: str) -> bool:
        """Tell whether the text puts a personal title before name ("President Trump") or
        names what the person leads after it ("the Obama administration")."""
        n = len(_WORD.findall(name))
        return any(
            (i and self.words[i - 1].casefold() in PERSONAL_TITLES)
            or (i + n < len(self.words) and self.words[i + n] in _LED_BY)
            for i in self.find(name)
        )

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
            if (
                before in _PLACE_BEFORE
                or (n == 1 and before == "the" and after not in _LED_BY)
                or after in _PLACE_AFTER
                or (before == "of" and i > 1 and w[i - 2].casefold() in _PLACE_OF)
                or self._dateline_place(i + n)
            ):
                cued += 1
        return cued, len(hits)

    def thing_cues(self, name: str) -> tuple[int, int]:
        """Return (times introduced or followed as a thing, times seen) for a name: "the
        newspaper Granma", "firm Multico", "Kalashnikov assault rifles" (see _THING_*).
        Only spaces may come between: "the group. Linda McMahon" is no cue."""
        words, runs = name.split(), self._thing_runs
        n = len(words)
        cued = sum(run[:n] == words for run in runs.after_noun) + sum(
            run[-n:] == words for run in runs.before_weapon
        )
        return cued, len(self.find(name))

    @cached_property
    def _thing_runs(self) -> _ThingRuns:
        return _ThingRuns(
            [m.group(1).split() for m in _AFTER_THING_NOUN.finditer(self.text)],
            [m.group(1).split() for m in _BEFORE_WEAPON.finditer(self.text)],
        )

    def _dateline_place(self, at: int) -> bool:
        """Tell whether ", Place" follows a name at word position at, as in a dateline
        ("LONGYEAR , Norway 1996-08-22"), not "Kuleba, Poland's top diplomat" or
        "Jeb Bush, Florida Sen." (a possessive or title after the place describes a person)."""
        w = self.words
        if at + 1 >= len(w) or w[at] != "," or w[at + 1].casefold() not in places():
            return False
        following = w[at + 2] if at + 2 < len(w) else ""
        return following.casefold() not in TITLES and following != "s"

    def company(self, name: str) -> bool:
        """Tell whether the text writes name as (the start of) a company's name, with a
        legal form ("Cofinec S.A.", "Roosevelt Financial Group Inc", "PT Timor Putra") or
        as the first of partners' names ("Bodman , Longely & Dahling", a law firm)."""
        words = name.split()
        if words[:1] == ["PT"]:
            return True
        n, runs = len(words), self._company_runs
        return (
            any(
                run[i : i + n] == words and len(run) - i - n <= _BETWEEN_NAME_AND_FORM
                for run in runs.before_form
                for i in range(len(run))
            )
            or any(run[:n] == words for run in runs.after_pt)
            or any(run[-n:] == words for run in runs.before_partners)
        )

    @cached_property
    def _company_runs(self) -> _CompanyRuns:
        def runs(pattern: re.Pattern[str]) -> list[list[str]]:
            return [m.group(1).split() for m in pattern.finditer(self.text)]

        return _CompanyRuns(runs(_BEFORE_LEGAL_FORM), runs(_AFTER_PT), runs(_BEFORE_PARTNERS))

    def common(self, tokens: list[str]) -> bool:
        """Tell whether every word of a name also appears in lower case (a noun, not a name)."""
        return all(t.casefold() in self.lower for t in tokens)
