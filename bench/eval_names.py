"""How the evaluation compares names: its own normalisation, independent of the extractor's.

A person name becomes a tuple of words: accents removed (NFKD, combining marks dropped),
case folded, possessive 's dropped, hyphens, periods and other punctuation turned into word
breaks, and titles or honorifics (President, Sen., Dr., Lance Cpl. ...) and generational
suffixes (Jr., Sr., II, III, IV) dropped. A common nickname counts as its formal first name
(Joe = Joseph, Bill = William ...). So "Sen. Joe Manchin III", "Joseph Manchin" and
"JOE MANCHIN" are one name; "Kim Jong-un" and "Kim Jong Un" are one name.

A name is a *shorter form* of another when its words appear in the other's in order
(a subsequence), include the other's first or last word, and a one-letter word (an
initial) matches any word starting with it: "Trump", "Donald Trump" and "Donald J. Trump"
are shorter forms of "Donald John Trump"; "Clinton" of both "Bill Clinton" and
"Hillary Rodham Clinton".

An outlet name becomes a key: accents removed, case folded, a leading "the" and every
character that is not a letter or digit dropped ("The Hill" = "the hill" = "THE HILL").
"""

from __future__ import annotations

import re
import unicodedata

TITLES = frozenset(
    [
        "president",
        "vice",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "gen",
        "general",
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "sir",
        "dame",
        "lord",
        "lady",
        "pope",
        "rev",
        "reverend",
        "prof",
        "professor",
        "adm",
        "admiral",
        "col",
        "colonel",
        "lt",
        "lieutenant",
        "cpl",
        "corporal",
        "sgt",
        "sergeant",
        "lance",
        "capt",
        "captain",
        "maj",
        "major",
        "pvt",
        "private",
        "judge",
        "justice",
        "chief",
        "secretary",
        "minister",
        "prime",
        "chancellor",
        "king",
        "queen",
        "prince",
        "princess",
        "sheikh",
        "ambassador",
        "mayor",
        "speaker",
        "leader",
        "first",
        "former",
        "late",
        "attorney",
        "st",
        "saint",
    ]
)
SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])
NICKNAMES = {
    "joe": "joseph",
    "bill": "william",
    "will": "william",
    "bob": "robert",
    "rob": "robert",
    "mike": "michael",
    "jim": "james",
    "jimmy": "james",
    "chuck": "charles",
    "charlie": "charles",
    "tom": "thomas",
    "ted": "edward",
    "dick": "richard",
    "rick": "richard",
    "dan": "daniel",
    "dave": "david",
    "steve": "steven",
    "tony": "anthony",
    "nick": "nicholas",
    "chris": "christopher",
    "matt": "matthew",
    "pat": "patrick",
    "ben": "benjamin",
    "sam": "samuel",
    "andy": "andrew",
    "al": "albert",
    "ken": "kenneth",
    "greg": "gregory",
    "jeff": "jeffrey",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "kate": "katherine",
    "cathy": "catherine",
    "sue": "susan",
}
_POSSESSIVE = re.compile(r"['’]s\b", re.I)
_BREAKS = re.compile(r"[^\w]+|_")


def plain(text: str) -> str:
    """Return text without accents, case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def name_words(name: str, suffixes: bool = False) -> tuple[str, ...]:
    """Return the words of a person name after the normalisation described above
    (keeping Jr., Sr., II ... if suffixes: father and son are two people)."""
    words = [w for w in _BREAKS.split(plain(_POSSESSIVE.sub("", name))) if w]
    while len(words) > 1 and words[0] in TITLES:
        words.pop(0)
    while not suffixes and len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    if len(words) > 1:
        words[0] = NICKNAMES.get(words[0], words[0])
    return tuple(words)


def _same_word(short: str, long: str) -> bool:
    return short == long or (len(short) == 1 and long.startswith(short))


def shorter_form(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Tell whether short is full or a shorter form of it (see the module docstring)."""
    if not short or len(short) > len(full):
        return False
    at = 0
    matched: list[int] = []
    for word in short:
        while at < len(full) and not _same_word(word, full[at]):
            at += 1
        if at == len(full):
            return False
        matched.append(at)
        at += 1
    return 0 in matched or len(full) - 1 in matched


def outlet_key(name: str) -> str:
    """Return the comparison key of an outlet name (see the module docstring)."""
    text = plain(name).strip()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[^0-9a-z]+", "", text) or text
