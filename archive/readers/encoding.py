"""Decode input bytes: UTF-8 first, then the single-byte encodings Polish text arrives in."""

from __future__ import annotations

POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
# Single-byte candidates, most likely first: Windows-1250 and ISO-8859-2 for Polish,
# Windows-1252 for the rest of Western Europe.
CANDIDATES = ("cp1250", "iso-8859-2", "cp1252")


# Byte-order marks of the wide Unicode forms; UTF-32's little-endian mark begins with
# UTF-16's, so it is tried first.
WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def wide_encoding(data: bytes) -> str | None:
    """Name the UTF-16 or UTF-32 codec whose byte-order mark starts data, else None."""
    for bom, name in WIDE_BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(data: bytes) -> bool:
    """Tell whether bytes look like a binary file rather than text."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > 0.05


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name); a UTF-8 BOM is dropped."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = max(CANDIDATES, key=lambda name: _score(data, name))
    text = data.decode(best, errors="replace")
    return text, best


def _score(data: bytes, encoding: str) -> float:
    text = data.decode(encoding, errors="replace")
    polish = sum(1 for ch in text if ch in POLISH)
    # C1 controls and undefined bytes mean the guess is wrong for this text.
    bad = sum(1 for ch in text if ch == "\ufffd" or "\x80" <= ch <= "\x9f")
    odd = sum(1 for ch in text if ch in "¹¿¦¶¼±¥©®¤")
    return polish - 5 * bad - 2 * odd
