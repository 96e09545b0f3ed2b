"""Curation of people and outlets, as researchers do it in Datashare and Aleph: the map.

Hand curation is a log of actions in the store (table `curation`: family, kind, subject,
target, when), per family: "people" (the people facet) or "outlets" (the outlets facet
and its two roles, sources and cited, which speak the same outlet names). Replaying a
family's log in order gives its map of values:

    merge A into B       A -> B
    rename N to M        N -> M
    split A from B       A -> A again (its merge undone)
    hide N / unhide N    N hidden / shown again

    curated(v) = follow v -> ... until a value with no arrow     (merged away: A -> B -> C)
    shown(v)   = curated(v), or nothing when curated(v) is hidden

Values are compared by their facet key (index/text.normalise: case and accents folded),
as the facet columns compare them. The index keeps the names it was built with; the
searcher maps its facet columns through the map at query time (search/curated.py), and
pages, the API and exports map an article's values with `shown_article`, so curation
reaches every view without re-indexing article text, and survives `reextract` and
`reindex` (the log is untouched by both). The commands behind `newsarchive people` and
`newsarchive outlets` are in curation_ops.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from archive.facets import all_facets
from archive.index.text import normalise
from archive.models import Article
from archive.store_people import CurationAction, PersonTables

FAMILIES = ("people", "outlets")
MERGE, SPLIT, RENAME, HIDE, UNHIDE = "merge", "split", "rename", "hide", "unhide"


@dataclass
class CurationMap:
    """One family's curation: where each merged or renamed value goes, and what is hidden."""

    into: dict[str, str] = field(default_factory=dict)  # key of a value -> name it became
    hidden: set[str] = field(default_factory=set)  # keys of hidden values
    names: dict[str, str] = field(default_factory=dict)  # key -> name as the log spells it

    @property
    def empty(self) -> bool:
        """Say whether the map changes nothing."""
        return not self.into and not self.hidden

    def curated(self, name: str) -> str:
        """Return the value name stands for after merges and renames (hidden or not)."""
        seen = set()
        key = normalise(name)
        while key in self.into and key not in seen:  # the guard: a loop ends, never hangs
            seen.add(key)
            name = self.into[key]
            key = normalise(name)
        return name

    def is_hidden(self, name: str) -> bool:
        """Say whether the value name stands for is hidden."""
        return normalise(self.curated(name)) in self.hidden

    def shown(self, name: str) -> str | None:
        """Return the curated value of name, or None when it is hidden."""
        value = self.curated(name)
        return None if normalise(value) in self.hidden else value

    def shown_values(self, names: Iterable[str]) -> list[str]:
        """Return names as curated, each once, in order, without hidden ones."""
        found: dict[str, str] = {}
        for name in names:
            value = self.shown(name)
            if value is not None:
                found.setdefault(normalise(value), value)
        return list(found.values())

    def merged(self) -> dict[str, list[str]]:
        """Return the names merged or renamed by hand, by the key of the value they became."""
        found: dict[str, list[str]] = {}
        for key in self.into:
            found.setdefault(normalise(self.curated(key)), []).append(self.names[key])
        return found

    def apply(self, action: CurationAction) -> None:
        """Replay one action of the log."""
        key = normalise(action.subject)
        self.names.setdefault(key, action.subject)
        if action.kind in (MERGE, RENAME) and action.target is not None:
            self._unloop(key, action.target)
            self.into[key] = action.target
        elif action.kind == SPLIT:
            self.into.pop(key, None)
        elif action.kind == HIDE:
            self.hidden.add(key)
        elif action.kind == UNHIDE:
            self.hidden.discard(key)

    def _unloop(self, key: str, target: str) -> None:
        # Renaming M back to N after N -> M would close a loop: N stands for itself again.
        node, seen = normalise(target), set()
        while node in self.into and node not in seen:
            seen.add(node)
            following = normalise(self.into[node])
            if following == key:
                del self.into[node]
                return
            node = following


def replay(actions: Iterable[CurationAction]) -> CurationMap:
    """Return the map a log of actions of one family makes."""
    curation = CurationMap()
    for action in actions:
        curation.apply(action)
    return curation


class Curation(NamedTuple):
    """Every family's map at one generation of the log (its latest action's number)."""

    generation: int
    maps: dict[str, CurationMap]

    def of(self, family: str | None) -> CurationMap | None:
        """Return the map of a family, None for a facet no curation touches."""
        return self.maps.get(family) if family else None


def load(store: PersonTables) -> Curation:
    """Return the store's curation, replayed."""
    generation = store.curation_generation()
    actions = store.curation_actions() if generation else []
    maps = {family: replay(a for a in actions if a.family == family) for family in FAMILIES}
    return Curation(generation, maps)


def shown_name(store: PersonTables, family: str | None, name: str) -> str | None:
    """Return the value a name stands for in a family as curated, None when it is hidden."""
    if family is None or not store.curation_generation():
        return name
    return load(store).maps[family].shown(name)


def shown_article(curation: Curation, article: Article) -> Article:
    """Return the article with its people and outlets as curated, hidden ones left out."""
    changes: dict[str, Any] = {}
    for facet in all_facets():
        mapping = curation.of(facet.curation)
        value = getattr(article, facet.article_field, None)
        if mapping is not None and not mapping.empty and isinstance(value, list):
            changes[facet.article_field] = mapping.shown_values(value)
    return replace(article, **changes) if changes else article


def top_outlets(store: PersonTables, limit: int) -> list[dict[str, Any]]:
    """Return the outlets named most often, as curated (hidden ones left out): what
    `stats` lists once outlets are curated."""
    mapping = load(store).maps["outlets"]
    counts: Counter[str] = Counter()
    for outlets in store.article_outlets():
        counts.update(mapping.shown_values(outlets))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [{"value": value, "count": n} for value, n in ranked]
