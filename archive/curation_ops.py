"""The curation commands behind `newsarchive people` and `newsarchive outlets`.

Each command checks its input against the values the archive holds now, as curated (a
name no value has, or a merge of a value into itself, is an InputError saying what to
do), then appends one action per value to the store's curation log (curation.py). For
people it then recounts the registry's people rows (identity.recount), so `people list`
and `stats` give the facets' numbers. Searchers see the new log generation at their next
search and map their facet columns through it: no article is re-indexed.

One case does touch the index: splitting off a spelling that the person registry merged
(identity.py rules 1-4), not a hand merge. The index holds the registry's name for those
articles, so the registry keeps the spelling apart (rule 5) and just the articles naming
it are indexed again; every other action is a query-time map.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from archive import identity
from archive.config import Config
from archive.curation import FAMILIES, HIDE, MERGE, RENAME, SPLIT, UNHIDE, CurationMap
from archive.curation import load as load_curation
from archive.errors import InputError
from archive.identity_rules import name_words
from archive.index.text import normalise
from archive.store import Store
from archive.store_people import AliasRow, CurationAction

NOUN = {"people": "person", "outlets": "outlet"}


class Value(NamedTuple):
    """One curated value: its name, the articles carrying it, its other names."""

    name: str
    articles: int
    aliases: list[str]
    hidden: bool


def values(store: Store, family: str) -> list[Value]:
    """Return every value of a family as curated (hidden ones too), most articles first."""
    mapping = load_curation(store).maps[family]
    found = _people(store, mapping) if family == "people" else _outlets(store, mapping)
    return sorted(found, key=lambda v: (-v.articles, v.name))


def listing(
    store: Store, family: str, search: str = "", limit: int | None = None, hidden: bool = False
) -> list[Value]:
    """Return the values shown (or only the hidden ones) whose name or an alias holds the
    search text (case and accents aside), at most limit of them."""
    key = normalise(search)
    chosen = [
        value
        for value in values(store, family)
        if value.hidden == hidden
        and (not key or any(key in normalise(n) for n in [value.name, *value.aliases]))
    ]
    return chosen if limit is None else chosen[:limit]


def _people(store: Store, mapping: CurationMap) -> list[Value]:
    if not store.registry_people(1) and not store.registry_people(1, hidden=True):
        identity.refresh(store)  # an archive indexed before the registry's people rows
    rows = [*store.registry_people(), *store.registry_people(hidden=True)]
    aliases: dict[str, dict[str, str]] = {normalise(row.canonical): {} for row in rows}
    spellings = [(_spelt(a), a.canonical) for a in store.person_aliases()]
    merged = [(n, n) for names in mapping.merged().values() for n in names]
    for name, canonical in [*merged, *spellings]:  # merged by hand first, then the registry's
        target = normalise(mapping.curated(canonical))
        if normalise(name) != target and target in aliases:
            aliases[target].setdefault(normalise(name), name)
    return [
        Value(r.canonical, r.articles, list(aliases[normalise(r.canonical)].values()), r.hidden)
        for r in rows
    ]


def _spelt(alias: AliasRow) -> str:
    # A surname row holds the folded word ("obama"): shown as the full name spells it.
    last = alias.canonical.split()[-1] if alias.canonical.split() else alias.alias
    return last if alias.rule == "surname" and normalise(last) == alias.alias else alias.alias


def _outlets(store: Store, mapping: CurationMap) -> list[Value]:
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    aliases: dict[str, dict[str, str]] = {}
    for outlets in store.outlet_mentions():
        keys = set()
        for outlet in outlets:
            value = mapping.curated(outlet)
            key = normalise(value)
            names.setdefault(key, value)
            keys.add(key)
            if normalise(outlet) != key:
                aliases.setdefault(key, {}).setdefault(normalise(outlet), outlet)
        counts.update(keys)  # merged outlets in one article count it once
    return [
        Value(names[k], n, list(aliases.get(k, {}).values()), normalise(names[k]) in mapping.hidden)
        for k, n in counts.items()
    ]


class _Known(NamedTuple):
    """The values of a family, by key, to check a command's names against."""

    family: str
    by_key: dict[str, Value]

    def shown(self, name: str) -> Value:
        """Return the value called name, or say why there is none to act on."""
        value = self.by_key.get(normalise(name))
        noun = NOUN[self.family]
        if value is None:
            owner = next((v for v in self.by_key.values() if _has_alias(v, name)), None)
            hint = f" ({name!r} is an alias of {owner.name!r})" if owner else ""
            raise InputError(
                f"no {noun} called {name!r}{hint}: see `newsarchive {self.family} list`"
            )
        if value.hidden:
            raise InputError(
                f"{value.name!r} is hidden: `newsarchive {self.family} unhide` it first"
            )
        return value


def _has_alias(value: Value, name: str) -> bool:
    return normalise(name) in map(normalise, value.aliases)


def _known(store: Store, family: str) -> _Known:
    _known_family(family)
    return _Known(family, {normalise(v.name): v for v in values(store, family)})


def merge(store: Store, family: str, aliases: Iterable[str], into: str) -> list[CurationAction]:
    """Merge each alias value into the value into; return the actions recorded."""
    known = _known(store, family)
    target = known.shown(into)
    subjects = [known.shown(alias) for alias in aliases]
    for subject in subjects:
        if normalise(subject.name) == normalise(target.name):
            raise InputError(f"cannot merge {subject.name!r} into itself")
    actions = [CurationAction(family, MERGE, s.name, target.name) for s in subjects]
    return _record(store, actions)


def rename(store: Store, family: str, name: str, new: str) -> list[CurationAction]:
    """Give a value a new name; return the action recorded."""
    known = _known(store, family)
    value = known.shown(name)
    new = " ".join(new.split())
    if not new:
        raise InputError("the new name is empty")
    if normalise(new) == normalise(value.name):
        raise InputError(f"{new!r} is {value.name!r} to search (case and accents aside)")
    if normalise(new) in known.by_key:
        raise InputError(
            f"{new!r} is already a {NOUN[family]}: use "
            f"`newsarchive {family} merge {value.name!r} --into {new!r}`"
        )
    return _record(store, [CurationAction(family, RENAME, value.name, new)])


def hide(store: Store, family: str, name: str) -> list[CurationAction]:
    """Hide a value from every view; return the action recorded."""
    value = _known(store, family).shown(name)
    return _record(store, [CurationAction(family, HIDE, value.name, None)])


def unhide(store: Store, family: str, name: str) -> list[CurationAction]:
    """Show a hidden value again; return the action recorded."""
    value = _known(store, family).by_key.get(normalise(name))
    if value is None or not value.hidden:
        raise InputError(f"no hidden {NOUN[family]} called {name!r}")
    return _record(store, [CurationAction(family, UNHIDE, value.name, None)])


def split(config: Config, store: Store, family: str, alias: str, name: str) -> list[CurationAction]:
    """Make an alias of a value its own value again; return the action recorded."""
    value = _known(store, family).shown(name)
    if not _has_alias(value, alias):
        raise InputError(f"{alias!r} is not an alias of {value.name!r}")
    action = CurationAction(family, SPLIT, alias, value.name)
    if normalise(alias) in load_curation(store).maps[family].into:
        return _record(store, [action])  # a hand merge undone: the map changes, not the index
    if family != "people":  # only the person registry merges names by itself
        raise InputError(f"{alias!r} is not an alias of {value.name!r}")
    if name_words(alias) == name_words(value.name):
        raise InputError(
            f"{alias!r} is {value.name!r} spelt another way (case, accents and punctuation "
            f"aside): use `newsarchive {family} rename`"
        )
    store.record_curation(action, kept_apart=alias)
    _reindex_naming(config, store, alias)
    return [action]


def _record(store: Store, actions: list[CurationAction]) -> list[CurationAction]:
    for action in actions:
        store.record_curation(action)
    if actions and actions[0].family == "people":
        identity.recount(store)  # the people rows count the curated values
    return actions


def _reindex_naming(config: Config, store: Store, alias: str) -> None:
    """Index again the articles naming alias, with the registry that now keeps it apart."""
    from archive.index import live_dir, update_index

    registry = identity.refresh(store)
    key = name_words(alias)
    ids = [i for i, people in store.people_by_article() if key in map(name_words, people)]
    if live_dir(config) is not None:
        update_index(config, store, ids, wait=30.0, registry=registry)


def log(store: Store, family: str) -> list[CurationAction]:
    """Return a family's curation log, oldest first."""
    _known_family(family)
    return store.curation_actions(family)


def _known_family(family: str) -> None:
    if family not in FAMILIES:
        raise InputError(f"nothing to curate called {family!r}; use one of {FAMILIES}")
