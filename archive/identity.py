"""The person registry: one canonical name per person across the archive.

Articles keep the names their text uses ("Obama", "Donald J. Trump"); the registry maps
every surface form to one canonical name, computed from all stored articles' people.

Rules (each tested in tests/test_identity.py):

1. **Key of a name.** Accents folded (Peña = Pena), case folded, hyphens read as spaces
   (Kim Jong-un = Kim Jong Un), other punctuation dropped (George W. Bush = George W
   Bush, "Leonard Pitts, Jr." = "Leonard Pitts Jr"). The suffixes Jr, Sr, II, III, IV
   are kept, as part of the last word: Donald Trump Jr. is not Donald Trump. Equal keys
   are one person.
2. **Middle names and initials.** A name of two or more words is (first, middle, last).
   Among the names sharing first and last word, middles are compatible when they have
   as many words and each pair of words is equal or an initial of the other ("J" and
   "John", "H. W." and "Herbert Walker"); compatible middles are one person. The bare
   first-last name joins the most used middle class unless another class rivals it,
   holding at least SIGNIFICANT (5%) of the group's articles; then it stays its own
   value. So "Donald J. Trump", "Donald John Trump" and "Donald Trump" are one (a stray
   "Donald Trump Trump" stays apart); "Hillary Rodham Clinton" joins "Hillary
   Clinton"; but "George W. Bush" and "George H. W. Bush" stay apart, and then a bare
   "George Bush" stays its own value. A common nickname (NICKNAMES: Chuck, Bill, Joe...)
   counts as the first name it shortens: "Chuck Schumer" and "Charles Schumer" are one.
   2b. **Misspelt first names.** A first word one letter from another name's (same middle
   and last words, first words of 4 letters or more) is a misspelling of it when the other
   is at least 50 times as common in every year the rare one appears in: "Hilary Clinton"
   joins "Hillary Clinton"; a "Jon Smith" beside a "John Smith" one to one stays apart.
3. **Canonical form.** The surface form found in the most articles (ties: the shorter,
   then alphabetical).
4. **Surname alone.** A one-word value ("Obama") links to a full name:
   a. in the article itself, when exactly one person there has that last word;
   b. else in the article's year, when one person holds at least DOMINANCE (85%) of the
      articles naming a full name with that last word that year, and at least
      MIN_DOMINANT_ARTICLES (3) of them;
   c. else (no date) archive-wide, by the same thresholds.
   Otherwise it stays its own value: a bare "Clinton" in a year of both Bill and Hillary
   Clinton, or "Bush" among George H. W., George W. and Jeb Bush, is never merged.

5. **Curation** (curation.py, `newsarchive people`). A name split off by hand is kept
   apart: a curated alias row makes it its own person before rules 2-4 group anything.
   Merges, renames and hides map the registry's names afterwards (at query time, so the
   index keeps the registry's names), and the stored people rows count the curated
   values: `stats` and `people list` give the facet's numbers.

The rules of keys and groups (1, 2) are in identity_rules.py. The registry is stored
(store tables `people` and `person_aliases`, see store_schema.py), rows a person curated
beside the computed ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

from archive.identity_rules import merge_misspellings, name_words, person_groups, surname
from archive.models import Article
from archive.store_people import AliasRow, PersonRow, PersonTables

if TYPE_CHECKING:  # curation.py imports the index package, which imports this module
    from archive.curation import CurationMap

DOMINANCE = 0.85
MIN_DOMINANT_ARTICLES = 3
ANY_PERIOD = ""  # period of an alias valid in every year


class Mention(NamedTuple):
    """The people of one stored article, with its date (ISO text, None when undated)."""

    date: str | None
    people: list[str]

    @property
    def year(self) -> int | None:
        """The article's year, None when undated."""
        return int(self.date[:4]) if self.date else None


@dataclass
class Registry:
    """Surface form -> canonical name, and surname -> canonical name per period."""

    full: dict[tuple[str, ...], str] = field(default_factory=dict)  # key -> canonical
    surnames: dict[tuple[str, str], str] = field(default_factory=dict)  # (word, period)
    kept: dict[tuple[str, ...], str] = field(default_factory=dict)  # rule 5: split off

    def canonical(self, name: str, year: int | None, article: Iterable[str] = ()) -> str:
        """Return the canonical name of one value of an article (rule 4 needs the article's
        other people and its year)."""
        key = name_words(name)
        if key in self.kept:
            return self.kept[key]
        if len(key) >= 2:
            return self.full.get(key, name)
        if not key:
            return name
        local = {self.full.get(name_words(n), n) for n in article if len(name_words(n)) >= 2}
        in_article = {c for c in local if surname(name_words(c)) == key[0]}
        if len(in_article) == 1:
            return in_article.pop()
        if in_article:
            return name
        return self.surnames.get((key[0], _period(year)), name)

    def people_of(self, people: list[str], year: int | None) -> list[str]:
        """Return an article's people as canonical names, each once, in order."""
        mapped = (self.canonical(name, year, people) for name in people)
        return list(dict.fromkeys(mapped))

    def apply(self, article: Article) -> Article:
        """Return the article as the index sees it: its people as canonical names (the
        store keeps the names the text uses)."""
        year = article.date.year if article.date else None
        return replace(article, people=self.people_of(article.people, year))


def build_registry(
    mentions: Iterable[Mention], kept: dict[tuple[str, ...], str] | None = None
) -> Registry:
    """Compute the registry from every article's people (rules 1-4), the keys kept apart
    by curation (rule 5: key -> its name) each its own person."""
    mentions = list(mentions)
    kept = kept or {}
    counts: Counter[tuple[str, ...]] = Counter()
    forms: Counter[tuple[tuple[str, ...], str]] = Counter()
    for mention in mentions:
        for name in set(mention.people):
            counts[name_words(name)] += 1
            forms[(name_words(name), name)] += 1
    person = person_groups(Counter({k: n for k, n in counts.items() if k not in kept}))
    # Rule 2b counts articles per key and year; names kept apart by curation never merge.
    periods = Counter(
        (key, _period(m.year)) for m in mentions for key in set(map(name_words, m.people))
    )
    merge_misspellings(person, Counter({kp: n for kp, n in periods.items() if kp[0] in person}))
    full = _canonical_forms(person, forms)
    full.update((key, name) for key, name in kept.items() if len(key) >= 2)
    registry = Registry(full=full, kept=dict(kept))
    dominant = _dominant_surnames(mentions, registry)
    # A bare surname kept apart (rule 5) links to no one, in its rows too.
    registry.surnames = {where: c for where, c in dominant.items() if (where[0],) not in kept}
    return registry


def _canonical_forms(
    person: dict[tuple[str, ...], tuple[str, ...]], forms: Counter[tuple[tuple[str, ...], str]]
) -> dict[tuple[str, ...], str]:
    # Rule 3: the most used surface form of all the person's keys.
    per_person: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for (key, form), n in forms.items():
        if key in person:
            per_person[person[key]][form] += n
    best = {
        head: min(used, key=lambda f: (-used[f], len(f), f)) for head, used in per_person.items()
    }
    return {key: best[head] for key, head in person.items()}


def _dominant_surnames(mentions: list[Mention], registry: Registry) -> dict[tuple[str, str], str]:
    # Rule 4b/4c: articles per (last word, period, person), over full names only.
    tally: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        persons = {registry.full[k] for k in map(name_words, mention.people) if k in registry.full}
        for canonical in persons:
            last = surname(name_words(canonical))
            tally[(last, ANY_PERIOD)][canonical] += 1
            if mention.year is not None:
                tally[(last, _period(mention.year))][canonical] += 1
    dominant = {}
    for where, counts in tally.items():
        canonical, top = counts.most_common(1)[0]
        if top >= MIN_DOMINANT_ARTICLES and top >= DOMINANCE * sum(counts.values()):
            dominant[where] = canonical
    return dominant


def registry_rows(
    registry: Registry, mentions: Iterable[Mention], curated: CurationMap | None = None
) -> tuple[list[PersonRow], list[AliasRow]]:
    """Return the store's rows of a registry: each person as curated (rule 5), with its
    article count, first and last dates and whether it is hidden; every surface form of
    two words or more (rule 'name') and every dominant surname per period (rule
    'surname'), with the articles each maps."""
    named: Counter[tuple[str, str]] = Counter()  # (surface form, canonical)
    bare: Counter[tuple[str, str]] = Counter()  # (last word, period) linked by rule 4b/4c
    persons: dict[str, list[str | None]] = defaultdict(list)
    for mention in mentions:
        for name in set(mention.people):
            canonical = registry.canonical(name, mention.year, mention.people)
            key = name_words(name)
            if len(key) >= 2:
                named[(name, canonical)] += 1
            elif key and canonical != name:
                bare[(key[0], _period(mention.year))] += 1
        values = registry.people_of(mention.people, mention.year)
        if curated is not None:  # names merged by hand in one article count it once
            values = list(dict.fromkeys(map(curated.curated, values)))
        for value in values:
            persons[value].append(mention.date)
    people = [
        _person_row(value, dates, curated is not None and curated.is_hidden(value))
        for value, dates in sorted(persons.items())
    ]
    aliases = [AliasRow(form, ANY_PERIOD, c, n, "name") for (form, c), n in sorted(named.items())]
    aliases += [
        AliasRow(word, period, canonical, bare[(word, period)], "surname")
        for (word, period), canonical in sorted(registry.surnames.items())
    ]
    return people, aliases


def _period(year: int | None) -> str:
    return ANY_PERIOD if year is None else str(year)


def _person_row(value: str, dates: list[str | None], hidden: bool) -> PersonRow:
    known = sorted(d for d in dates if d)
    first, last = (known[0], known[-1]) if known else (None, None)
    return PersonRow(value, len(dates), first, last, hidden)


def registry_from_rows(rows: Iterable[AliasRow]) -> Registry:
    """Return the registry the stored alias rows describe (a curated row wins)."""
    registry = Registry()
    for row in sorted(rows, key=lambda r: r.rule == "curated"):
        if row.rule == "surname":
            registry.surnames[(row.alias, row.period)] = row.canonical
        elif row.rule == "curated":
            registry.kept[name_words(row.alias)] = row.canonical
        else:
            registry.full[name_words(row.alias)] = row.canonical
    return registry


def kept_apart(store: PersonTables) -> dict[tuple[str, ...], str]:
    """Return the keys curation split off as people of their own (rule 5), with names."""
    rows = (row for row in store.person_aliases() if row.rule == "curated")
    return {name_words(row.alias): row.canonical for row in rows}


def refresh(store: PersonTables) -> Registry:
    """Recompute the store's registry from its articles' people, store it with the people
    counted as curated, return it."""
    from archive import curation

    mentions = [Mention(date, people) for date, people in store.people_mentions()]
    registry = build_registry(mentions, kept_apart(store))
    people_map = curation.load(store).maps["people"]
    store.replace_person_registry(*registry_rows(registry, mentions, people_map))
    return registry


def recount(store: PersonTables) -> None:
    """Recount the stored people rows as curated, with the stored registry (a curation
    action changes no grouping, so the registry is read, not recomputed)."""
    from archive import curation

    mentions = [Mention(date, people) for date, people in store.people_mentions()]
    people_map = curation.load(store).maps["people"]
    store.replace_person_registry(*registry_rows(load(store), mentions, people_map))


def load(store: PersonTables) -> Registry:
    """Return the stored registry (empty, mapping every name to itself, when none is)."""
    return registry_from_rows(store.person_aliases())


def indexed_names(store: PersonTables, names: Iterable[str]) -> list[str]:
    """Return names plus the index's names for them, so a filter typed with another
    spelling ("Obama", "Donald J. Trump") also selects the single name the index holds;
    a bare surname adds its full name of every period."""
    names = list(names)
    keys = [name_words(name) for name in names]
    rows = store.person_aliases([*names, *(key[0] for key in keys if len(key) == 1)])
    registry = registry_from_rows(rows)
    found = list(names)
    for name, key in zip(names, keys):
        if len(key) >= 2:
            found.append(registry.full.get(key, name))
        elif key:
            found += [full for (word, _), full in registry.surnames.items() if word == key[0]]
    return list(dict.fromkeys(found))


def as_indexed(store: PersonTables, article: Article) -> Article:
    """Return a stored article as search shows it: its people as the index names them,
    reading only the registry rows of its own names, then people and outlets as curated,
    hidden ones left out (for pages and the API, which read the store)."""
    from archive import curation

    words = [name_words(name) for name in article.people]
    wanted = [*article.people, *(w[0] for w in words if len(w) == 1)]
    indexed = registry_from_rows(store.person_aliases(wanted)).apply(article)
    return curation.shown_article(curation.load(store), indexed)


def displayed(store: PersonTables) -> Callable[[Article], Article]:
    """Return what as_indexed does, with the registry and curation read once (exports)."""
    from archive import curation

    registry, curated = load(store), curation.load(store)
    return lambda article: curation.shown_article(curated, registry.apply(article))
