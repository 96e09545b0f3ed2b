"""Find the parts of a story text that credit or link rather than tell: photo and byline
credits, "contributed to this report" sign-offs, and link text fused into a name.

- A credit line is a short line starting "Photo:", "Source:"...: at most CREDIT_LINE_WORDS
  words after the colon. A longer line is a paragraph that merely starts that way.
- A slash credit is a run of capitalised words joined to another by "/" with no space
  ("REUTERS/Yara Nardi", "Nicholas Kamm/AFP/Getty Images", "PAP/Albert Zawada"): people
  are not written that way, so its multi-word parts are credited names, never story people.
- A sign-off is a "By X" line, or a sentence ending "contributed to this report",
  "contributed reporting", "Reporting by X; Editing by Y", "Follow X on Twitter".
- Fused link text repeats a name's legal form and glues its surname to the next headline:
  "Ron Wyden Ronald (Ron) Lee WydenAlcohol industry..." reads "Ron Wyden" + a new line.
"""

from __future__ import annotations

import re

CREDIT_LINE_WORDS = 12
_CREDIT_LINE = re.compile(
    r"^[ \t]*(?:Photo|Photos|Foto|Image|Source|Sources)[ \t]*:(?P<rest>.*)$", re.I | re.M
)
# An aside closes on its own line: "(Photo by X/AFP" left open must not eat the paragraph.
_CREDIT_INLINE = re.compile(r"\((?:Photo|Image|Picture)s?\b[^)\n]{0,200}\)", re.I)
_CAP_RUN = r"[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3}"
_SLASH_CREDIT = re.compile(rf"(?:{_CAP_RUN})?(?:/{_CAP_RUN})+")
_BY_LINE = re.compile(r"^[ \t]*By[ \t]+(?P<names>[^\n]{1,120})$", re.M)
_SIGN_OFF = re.compile(
    r"(?P<names>[^.!?\n]{1,200}?)\b(?:contributed (?:to )?(?:this )?(?:report|reporting|story)"
    r"|contributed reporting)\b"
)
_REPORTING_BY = re.compile(
    r"\b(?:Reporting|Writing|Editing|Additional reporting) by (?P<names>"
    r"[^\n.]{1,160})"
)
_FOLLOW = re.compile(r"\bFollow (?P<names>[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2}) on (?:Twitter|X)\b")
_NAME = re.compile(r"[A-Z][\w'’-]*\w(?:[ \t]+(?:[A-Z]\.[ \t]+)?[A-Z][\w'’-]*\w)+")
_POSSESSIVE = re.compile(r"['’]s?\b")
# "Oren Dorell\n\nUSA TODAY": a name alone on a line above the outlet's name in capitals.
_BYLINE_BLOCK = re.compile(
    r"^(?P<names>[A-Z][\w'’-]+(?: [A-Z][\w.'’-]+){1,3})\n+[A-Z &]{3,}$", re.M
)
# "Wyden Ronald (Ron) Lee WydenAlcohol": the surname, the legal name, the surname glued on.
_FUSED_LINK = re.compile(
    r"\b(?P<surname>[A-Z][\w'’-]{2,})(?P<legal>(?:[ \t]+\(?[A-Z][\w.'’-]*\)?){1,5}?)"
    r"[ \t]+(?P=surname)(?=[A-Z])"
)


def strip_credit_lines(body: str) -> str:
    """Drop short credit lines and "(Photo: ...)" asides; keep paragraphs that start so."""
    body = _CREDIT_LINE.sub(
        lambda m: "" if len(m.group("rest").split()) <= CREDIT_LINE_WORDS else m.group(0), body
    )
    return _CREDIT_INLINE.sub(" ", body)


def unfuse_link_text(text: str) -> str:
    """Cut the legal name glued to a headline out of link text, ending the name's line."""
    return _FUSED_LINK.sub(lambda m: m.group("surname") + "\n", text)


def credited_names(text: str) -> list[str]:
    """Return the names a text credits (photos, bylines, sign-offs) rather than tells of."""
    # Single words of a credit are mostly agencies ("REUTERS", "AFP"): only full names count.
    names = [
        part.strip()
        for match in _SLASH_CREDIT.finditer(text)
        for part in match.group(0).split("/")
        if len(part.split()) >= 2
    ]
    # The sign-off pattern tries up to 200 characters at every position: run it only
    # where its keyword occurs (most texts have none; it was an eighth of extraction time).
    patterns = [_BY_LINE, _REPORTING_BY, _BYLINE_BLOCK]
    if "contributed" in text:
        patterns.append(_SIGN_OFF)
    for pattern in patterns:
        for match in pattern.finditer(text):
            # "CNN's Ashley Killough": the outlet's possessive is no part of the name.
            names += _NAME.findall(_POSSESSIVE.sub(",", match.group("names")))
    # "Follow Hasson on Twitter" ends a column with its author's surname.
    return names + [match.group("names") for match in _FOLLOW.finditer(text)]
