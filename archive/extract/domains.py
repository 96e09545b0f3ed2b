"""Which outlet a web domain stands for, learned from the data, and an article's publishers.

Publisher metadata often gives a label and a domain together ("Detroit Free Press" +
freep.com, "Jacobin" + jacobinmag.com); some records give a label that is no outlet (a
columnist, "Guest Writer - Left") beside the same domain. Within one record, a domain
that spells the label ("Human Rights Watch" + hrw.org) is that outlet (publishers()).
Across records, counting the (label, domain) pairs teaches the pairing without a hand list:

    label_for(domain) = L  when  count(L, domain) >= MIN_PAIRS  and
                                 count(L, domain) / count(any outlet label, domain) >= SHARE

so a domain folds into its dominant label, and a domain seen under several outlets
(a shared platform) stays as it is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from archive.extract.outlets import _host, _key, normalise_outlet
from archive.models import Article

MIN_PAIRS = 2  # one record proves nothing: a label may sit beside a guest's domain
SHARE = 2 / 3
_MINOR_WORDS = frozenset({"of", "the", "for", "and", "in", "on", "a"})


class DomainLabels:
    """Counts of (outlet label, domain) pairs, and the dominant label of each domain."""

    def __init__(self, pairs: Iterable[tuple[str, str, int]] = ()) -> None:
        self._labels: dict[str, Counter[str]] = {}  # domain -> outlet label -> records
        for label, domain, count in pairs:
            self._add(label, domain, count)

    def _add(self, label: str, domain: str, count: int = 1) -> None:
        name, host = normalise_outlet(label), _host(domain)
        if name and host and _host(name) is None:
            self._labels.setdefault(host, Counter())[name] += count

    def observe(self, outlets: Sequence[str]) -> None:
        """Count an input's publisher pair: a label then a domain, as records give them."""
        if len(outlets) == 2:
            self._add(outlets[0], outlets[1])

    def learning(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Yield articles, observing their input outlets as they pass."""
        for article in articles:
            self.observe(article.cited_outlets)
            yield article

    def label_for(self, domain: str) -> str | None:
        """Return the outlet label that dominates domain, or None."""
        counts = self._labels.get(_host(domain) or "")
        if not counts:
            return None
        name, best = counts.most_common(1)[0]
        return name if best >= MIN_PAIRS and best / counts.total() >= SHARE else None

    def fold(self, outlets: Sequence[str]) -> list[str]:
        """Return outlets with each unknown domain replaced by its dominant label if any."""
        return [(self.label_for(o) or o) if _unknown_domain(o) else o for o in outlets]


def _unknown_domain(name: str) -> bool:
    """Tell whether name is a domain that outlets.json does not know."""
    host = _host(name)
    return host is not None and normalise_outlet(name) == host


def publishers(labels: Sequence[str]) -> list[str]:
    """Return the outlets that published an article from its metadata labels and domains.

    A domain that spells a name of the same input is that outlet, not a second one
    ("The Flip Side" + theflipside.io, "Human Rights Watch" + hrw.org); a label that is
    no outlet (a columnist) leaves the domain as the publisher.
    """
    shown = [normalise_outlet(label) for label in labels]
    names = [name for name in shown if name and _host(name) is None]
    result: dict[str, str] = {}
    for name in shown:
        host = _host(name) if name else None
        if not name or (host and any(_spells(host, other) for other in names)):
            continue
        result.setdefault(_key(name), name)
    return list(result.values())


def _spells(host: str, name: str) -> bool:
    """Tell whether a host spells an outlet's name: the whole name run together
    ("theflipside"), its initials ("hrw"), initials then words ("sfchronicle"), or the
    start or the end of it ("jacobinmag", "wildcat.arizona.edu" for The Daily Wildcat)."""
    words = [w for w in (re.sub(r"[^a-z0-9]", "", w) for w in _key(name).split()) if w]
    if not words:
        return False
    whole = "".join(words)
    spellings = {
        whole,
        "".join(w[0] for w in words),
        "".join(w[0] for w in words if w not in _MINOR_WORDS),  # "rcfp"
        *("".join(w[0] for w in words[:k]) + "".join(words[k:]) for k in range(1, len(words))),
    }
    for label in host.split(".")[:-1]:
        label = label.removeprefix("the")
        if label in spellings:
            return True
        if min(len(label), len(whole)) >= 5 and (label.startswith(whole) or whole.endswith(label)):
            return True
    return False
