"""Score extraction against gold-80: 80 real AllSides articles annotated by hand.

People (document level). Gold lists each person once, in the fullest form the article uses
(gold-guidelines.md). Predicted names are aligned to gold people one to one, in two passes:
first equal names (eval_names.name_words: case, accents, punctuation, titles, suffixes and
nicknames folded), then shorter forms (eval_names.shorter_form: "Trump" for "Donald Trump"),
a shorter form going to a gold person no other prediction took yet, and when several gold
people fit, to the first in gold order. A prediction left over is
  - *unsure* if it names one of the strings the annotator marked unsure: not counted at all;
  - a *duplicate* if it names a gold person already taken, as a shorter or a longer form
    (a second value for one person, "Donald Trump" and "Trump" in one article): counted
    wrong, as the guidelines want one entry per person;
  - *wrong* otherwise.
precision = aligned predictions / counted predictions; recall = aligned gold / gold people.

Outlets. Gold has the publisher and outlets_cited; names compare by eval_names.outlet_key,
after mapping any name, alias or domain listed in archive/data/outlets.json to its display
name on both sides ("HuffPost" = "The Huffington Post"): which outlets, not which spelling.
A predicted outlet is right when its key is one of the article's gold outlet keys; a gold
outlet is found when a predicted key equals it. Scored on the union of both roles (today's
Article has one `outlets` list) and, when articles carry role fields (`sources` for the
publisher and Source: line, `cited` for outlets the text cites; read with getattr so this runs
before and after they exist), per role: publisher against sources, outlets_cited against cited.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from eval_names import name_words, outlet_key, shorter_form

from archive.models import Article
from archive.readers.jsonfile import to_article


@dataclass
class Tally:
    """Counts behind one precision/recall pair, with the errors for --show."""

    right: int = 0  # predictions that are correct
    predicted: int = 0  # predictions counted
    found: int = 0  # gold items found
    gold: int = 0  # gold items
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    def add(self, right: int, predicted: int, found: int, gold: int) -> None:
        self.right += right
        self.predicted += predicted
        self.found += found
        self.gold += gold


@dataclass
class PeopleScore:
    """One article's people alignment."""

    right: list[str]
    wrong: list[str]
    duplicates: list[str]
    unsure: list[str]
    missed: list[str]


def load_gold(path: Path) -> list[dict[str, Any]]:
    """Return the gold records, one per article."""
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def gold_articles(corpus: Path, ids: Iterable[str]) -> dict[str, Article]:
    """Read the gold articles from the corpus export as ingest reads them."""
    wanted, found = set(ids), {}
    with gzip.open(corpus, "rt", encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            record = json.loads(line)
            if record.get("ID") in wanted:
                article = to_article(record, f"{corpus.name}#{number}", line)
                if isinstance(article, Article):
                    found[record["ID"]] = article
    return found


def score_people(
    predicted: Sequence[str], gold: Sequence[str], unsure: Sequence[str]
) -> PeopleScore:
    """Align one article's predicted people to its gold people (see the module docstring)."""
    gold_words = [name_words(g) for g in gold]
    taken: dict[int, str] = {}
    left: list[str] = []
    for name in predicted:  # pass 1: equal names
        words = name_words(name)
        match = next((i for i, g in enumerate(gold_words) if g == words and i not in taken), None)
        if match is None:
            left.append(name)
        else:
            taken[match] = name
    rest: list[str] = []
    for name in left:  # pass 2: shorter forms of a gold person not yet taken
        words = name_words(name)
        match = next(
            (i for i, g in enumerate(gold_words) if i not in taken and shorter_form(words, g)),
            None,
        )
        if match is None:
            rest.append(name)
        else:
            taken[match] = name
    unsure_words = [name_words(u) for u in unsure]
    score = PeopleScore(list(taken.values()), [], [], [], [])
    taken_words = [gold_words[i] for i in taken]
    for name in rest:
        words = name_words(name)
        if any(shorter_form(words, g) or shorter_form(g, words) for g in taken_words):
            score.duplicates.append(name)
        elif any(words == u or shorter_form(words, u) for u in unsure_words):
            score.unsure.append(name)
        else:
            score.wrong.append(name)
    score.missed = [g for i, g in enumerate(gold) if i not in taken]
    return score


@cache
def _aliases() -> dict[str, str]:
    """Return outlet key -> key of the display name, for every listed name, alias and domain."""
    path = Path(__file__).resolve().parents[1] / "archive" / "data" / "outlets.json"
    table: dict[str, str] = {}
    for outlet in json.loads(path.read_text(encoding="utf-8"))["outlets"]:
        names = [outlet["name"], *outlet.get("aliases", []), *outlet.get("domains", [])]
        for name in names:
            table.setdefault(outlet_key(name), outlet_key(outlet["name"]))
    return table


def outlet_id(name: str) -> str:
    """Return the key an outlet name is compared by (see the module docstring)."""
    key = outlet_key(name)
    return _aliases().get(key, key)


def score_outlets(predicted: Iterable[str], gold: Iterable[str]) -> tuple[int, int, int, int]:
    """Return (right, predicted, found, gold) for one article's outlets, compared by key."""
    keys = {outlet_id(p) for p in predicted if p.strip()}
    truth = {outlet_id(g) for g in gold if g.strip()}
    return len(keys & truth), len(keys), len(truth & keys), len(truth)


def role_lists(article: Article) -> tuple[list[str], list[str]] | None:
    """Return the article's (sources, cited) outlets if it has role fields, else None."""
    sources, cited = getattr(article, "sources", None), getattr(article, "cited", None)
    if sources is None or cited is None:
        return None
    return list(sources), list(cited)


def score_gold(
    records: Sequence[dict[str, Any]], articles: dict[str, Article]
) -> list[tuple[str, Tally]]:
    """Return (label, tally) rows: people, outlets of both roles together, each role if present."""
    people, union, source, cited = Tally(), Tally(), Tally(), Tally()
    roles_seen = False
    for record in records:
        article = articles.get(record["ID"])
        if article is None:
            continue
        score = score_people(article.people, record["people"], record.get("unsure", []))
        counted = len(score.right) + len(score.wrong) + len(score.duplicates)
        people.add(len(score.right), counted, len(score.right), len(record["people"]))
        for kind, names in (("wrong", score.wrong), ("duplicate", score.duplicates)):
            people.errors += [f"{record['ID']} {kind}: {n}" for n in names]
        people.errors += [f"{record['ID']} missed: {n}" for n in score.missed]
        gold_union = [record["publisher"], *record["outlets_cited"]]
        roles = role_lists(article)
        outlets = article.outlets if roles is None else roles[0] + roles[1]
        union.add(*score_outlets(outlets, gold_union))
        if roles is not None:
            roles_seen = True
            source.add(*score_outlets(roles[0], [record["publisher"]]))
            cited.add(*score_outlets(roles[1], record["outlets_cited"]))
        predicted = {outlet_id(o): o for o in outlets}
        truth = {outlet_id(o) for o in gold_union}
        union.errors += [
            f"{record['ID']} wrong: {o}" for k, o in predicted.items() if k not in truth
        ]
        union.errors += [
            f"{record['ID']} missed: {o}" for o in gold_union if outlet_id(o) not in predicted
        ]
    rows = [("people", people), ("outlets, source and cited together", union)]
    if roles_seen:
        rows += [("outlets, source (publisher)", source), ("outlets, cited", cited)]
    return rows
