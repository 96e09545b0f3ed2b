"""The words of one text, indexed once: how often it names someone, and whether it reads
a name as a place ("in Tuva", "town of Goma", "Goma airport", "the Chechens") or as a
common noun (every word also found in lower case).
"""

from __future__ import annotations

import re

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


class TextWords:
    """The words of one text, indexed once so each rule is a lookup, not a regex compile."""

    def __init__(self, text: str) -> None:
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

    def _dateline_place(self, at: int) -> bool:
        """Tell whether ", Place" follows a name at word position at, as in a dateline
        ("LONGYEAR , Norway 1996-08-22"), not "Kuleba, Poland's top diplomat" or
        "Jeb Bush, Florida Sen." (a possessive or title after the place describes a person)."""
        w = self.words
        if at + 1 >= len(w) or w[at] != "," or w[at + 1].casefold() not in places():
            return False
        following = w[at + 2] if at + 2 < len(w) else ""
        return following.casefold() not in TITLES and following != "s"

    def common(self, tokens: list[str]) -> bool:
        """Tell whether every word of a name also appears in lower case (a noun, not a name)."""
        return all(t.casefold() in self.lower for t in tokens)
