"""Score people extraction against CoNLL-2003 dev (eng.testa): document-level precision
and recall, over all documents and over the non-sports ones.

A predicted person is correct if it names a gold person of the document: the same name
(archive.extract.people.person_key), or the bare name the document uses for them (first or
last word of the gold name). Gold strings that are parts of a longer gold name in the same
document are one person.
Also scores the project's generated articles against the people they were written with.
The model's spans of eng.testa are cached under /tmp/newsarchive-eval/ (cached_entities), so
a change of rules is scored in seconds.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from archive.extract import nlp, people_and_outlets
from archive.extract.people import person_key

SPORTS = re.compile(
    r"^\s*(SOCCER|CRICKET|BASEBALL|TENNIS|BOXING|GOLF|RUGBY|BASKETBALL|SQUASH|ATHLETICS|"
    r"CYCLING|NFL|NHL|NBA|MOTOR|MOTORCYCLING|HORSE|ICE HOCKEY|HOCKEY|SKIING|SWIMMING|"
    r"OLYMPICS|FORMULA|SAILING|ROWING|BADMINTON|VOLLEYBALL|HANDBALL|ALPINE|NORDIC|"
    r"AUSTRALIAN RULES|TABLE TENNIS|SPEEDWAY|CHESS|BASKETBALLSOCCER|SPORT)\b",
    re.I,
)


def is_sports(doc: dict) -> bool:
    """Tell sports documents (headline starts with the sport) from the rest."""
    return bool(SPORTS.match(doc["title"])) or doc["title"].lower().startswith(
        ("soccer", "boxing-", "nfl ")
    )


def gold_people(names: list[str]) -> list[set[str]]:
    """Group gold strings into people: "Hussain" joins "Nasser Hussain"."""
    # Sorted on the key too, so a bare name two people share joins the same one on every run.
    keys = sorted({person_key(n) for n in names}, key=lambda k: (-len(k.split()), k))
    people: list[set[str]] = []
    for key in keys:
        for person in people:
            full = max(person, key=len).split()
            if len(key.split()) == 1 and key in (full[0], full[-1]):
                person.add(key)
                break
        else:
            people.append({key})
    return people


def names(predicted: str, person: set[str]) -> bool:
    """Tell whether a predicted name names a gold person (full name or the name the doc uses)."""
    key = person_key(predicted)
    if key in person:
        return True
    words = key.split()
    # A bare name counts when it is the first or last word of the gold name: the doc's
    # short form ("Kengo" for Kengo wa Dondo, "Hussain" for Nasser Hussain).
    return any(
        len(words) == 1
        and words[0] in (g.split()[0], g.split()[-1])
        or len(g.split()) == 1
        and g in (words[0], words[-1])
        for g in person
    )


def score_generated(count: int) -> tuple[float, float, list[str]]:
    """Return (precision, recall, wrong names) of enrich() on count generated articles.

    The articles keep their cited outlets, as ingest reads them from the Source: line.
    """
    from archive.extract import enrich
    from archive.generate import generate_articles

    articles = list(generate_articles(count, seed=0))
    gold = [{person_key(p) for p in a.people} for a in articles]
    for article in articles:
        article.people, article.outlets = [], []
    right = predicted = found = 0
    wrong = []
    for article, truth in zip(enrich(articles), gold):
        keys = {person_key(p) for p in article.people}
        right, predicted, found = (
            right + len(keys & truth),
            predicted + len(keys),
            found + len(truth & keys),
        )
        wrong += sorted(keys - truth)
    total = sum(map(len, gold))
    return right / max(predicted, 1), found / max(total, 1), wrong


SPAN_CACHE = Path(tempfile.gettempdir()) / "newsarchive-eval"
# What decides the model's spans: the windowing code and the model (nlp.MODEL, context).
_SPAN_INPUTS = [Path(nlp.__file__)]


def cached_entities(texts: list[str], context: int | None) -> list[list[tuple[int, int, str]]]:
    """Return the model's spans of texts, from a cache file named by the model, the context,
    the texts and the windowing code (nlp.py), so that rule changes are scored in seconds."""
    digest = hashlib.sha256()
    for path in _SPAN_INPUTS:
        digest.update(path.read_bytes())
    digest.update("\0".join(texts).encode())
    path = SPAN_CACHE / f"conll-spans-{nlp.MODEL}-{context}-{digest.hexdigest()[:12]}.json"
    if path.exists():
        return [[(s, e, label) for s, e, label in spans] for spans in json.loads(path.read_text())]
    found = nlp.entities(texts, context=context)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(found))
    return found


def score_conll(
    docs_path: Path, context: int, show: Callable[[str], None] | None = None
) -> dict[str, list[int]]:
    """Return {"all"|"non-sports": [right, predicted, found, gold]} over eng.testa."""
    docs = [json.loads(line) for line in docs_path.open(encoding="utf-8")]
    ents = cached_entities([d["text"] for d in docs], None if context < 0 else context)
    tally = {"all": [0, 0, 0, 0], "non-sports": [0, 0, 0, 0]}
    for doc, spans in zip(docs, ents):
        predicted = people_and_outlets(doc["text"], spans)[0]
        gold = gold_people(doc["persons"])
        right = [p for p in predicted if any(names(p, g) for g in gold)]
        found = [g for g in gold if any(names(p, g) for p in predicted)]
        for group in ("all",) if is_sports(doc) else ("all", "non-sports"):
            for i, n in enumerate((len(right), len(predicted), len(found), len(gold))):
                tally[group][i] += n
        if show and not is_sports(doc) and (len(right) < len(predicted) or len(found) < len(gold)):
            show(f"{doc['doc_id']} {doc['title'][:60]}")
            show(f"   wrong: {[p for p in predicted if p not in right]}")
            show(f"  missed: {[sorted(g) for g in gold if g not in found]}")
    return tally
