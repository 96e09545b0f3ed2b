"""The words of one text, indexed once: how often it names someone, and whether it reads
a name as a place ("in Tuva", "town of Goma", "Goma airport", "the Chechens") or as a
common noun (every word also found in lower case).
"""

from __future__ import annotations

import re

from archive.extract.names import places, word_set

_WORD = re.compile(r"\w+(?:-\w+)*|,")
# Words around a name that show it is a place ("in Tuva", "town of Goma", "Goma airport").
_PLACE_BEFORE = {"in", "near", "outside"}
_PLACE_OF = word_set("town city village port capital province region north south east west")
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
                or (n == 1 and before == "the")
                or after in _PLACE_AFTER
                or (before == "of" and i > 1 and w[i - 2].casefold() in _PLACE_OF)
                or (after == "," and i + n + 1 < len(w) and w[i + n + 1].casefold() in places())
            ):
                cued += 1
        return cued, len(hits)

    def common(self, tokens: list[str]) -> bool:
        """Tell whether every word of a name also appears in lower case (a noun, not a name)."""
        return all(t.casefold() in self.lower for t in tokens)
