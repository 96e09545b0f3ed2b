"""Spellings of one name within a document: "Kim Jong Un" and "Kim Jong-un", "Enrique Peña
Nieto" and "Enrique Pena Nieto", "Enrique Peña" before "Enrique Pena Nieto".

Two names are variants when their folded forms agree: case, accents, hyphens and full
stops set aside ("peña" = "pena", "jong-un" = "jong un"), or when one, of two words or
more, is the start of exactly one longer name (a double surname the text shortens).
A variant joins the longest name it agrees with; the name shown keeps the accents the
text writes anywhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def fold(name: str) -> str:
    """Return the spelling-free form of a name: no case, accents, hyphens or full stops."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(letters.replace("-", " ").replace(".", " ").split())


def variant_of(keys: Iterable[str]) -> dict[str, str]:
    """Map each name key to the key of the longest name it is a variant of (or itself)."""
    by_length = sorted(set(keys), key=lambda k: (-len(fold(k).split()), k))
    chosen: dict[str, str] = {}  # folded form -> representative key
    target: dict[str, str] = {}
    for key in by_length:
        folded = fold(key)
        if folded in chosen:
            target[key] = chosen[folded]
            continue
        words = folded.split()
        longer = {
            rep for f, rep in chosen.items() if len(words) >= 2 and f.startswith(folded + " ")
        }
        target[key] = longer.pop() if len(longer) == 1 else key
        chosen.setdefault(folded, target[key])
    return target


def with_accents(tokens: list[str], forms: Iterable[list[str]]) -> list[str]:
    """Return tokens, each in the accented spelling some form writes it in, if any."""
    accented = {fold(t): t for form in forms for t in form if not t.isascii()}
    return [accented.get(fold(t), t) if t.isascii() else t for t in tokens]
