"""Score people extraction against CoNLL-2003 dev (eng.testa): document-level precision
and recall.

A predicted person is correct if it names a gold person of the document: the same name,
or the bare name the document uses for them (first or last word of the gold name). Gold
strings that are parts of a longer gold name in the same document are one person.
Run: .venv/bin/python bench/eval_people.py
--generated N instead scores N of the project's generated articles against the people
they were written with.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.extract import (
    nlp,
    people_and_outlets,
)
from archive.extract.people import person_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DOCS = SHARED / "corpus" / "conll2003" / "derived" / "eng.testa.docs.jsonl"
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--context",
        type=int,
        default=nlp.CONTEXT,
        help="tokens kept around capitalised words; -1 runs the model on whole texts",
    )
    parser.add_argument(
        "--show", action="store_true", help="print each non-sports document's errors"
    )
    parser.add_argument(
        "--generated", type=int, metavar="N", help="score N generated articles instead of CoNLL"
    )
    args = parser.parse_args()
    if args.generated:
        started = time.perf_counter()
        p, r, wrong = score_generated(args.generated)
        seconds = time.perf_counter() - started
        print(f"generated articles (seed 0), {args.generated} documents, {seconds:.1f}s")
        f1 = 2 * p * r / (p + r)
        print(
            f"precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}"
            f"  wrong: {Counter(wrong).most_common(5)}"
        )
        return 0
    if not DOCS.exists():
        print(f"skipped: {DOCS} is absent (../shared is only beside a developer or CI checkout)")
        return 0
    docs = [json.loads(line) for line in DOCS.open(encoding="utf-8")]
    started = time.perf_counter()
    ents = nlp.entities(
        [d["text"] for d in docs], context=None if args.context < 0 else args.context
    )
    tally = {"all": [0, 0, 0, 0], "non-sports": [0, 0, 0, 0]}  # right, predicted, found, gold
    for doc, spans in zip(docs, ents):
        predicted = people_and_outlets(doc["text"], spans)[0]
        gold = gold_people(doc["persons"])
        right = [p for p in predicted if any(names(p, g) for g in gold)]
        found = [g for g in gold if any(names(p, g) for p in predicted)]
        for group in ("all",) if is_sports(doc) else ("all", "non-sports"):
            for i, n in enumerate((len(right), len(predicted), len(found), len(gold))):
                tally[group][i] += n
        if (
            args.show
            and not is_sports(doc)
            and (len(right) < len(predicted) or len(found) < len(gold))
        ):
            print(doc["doc_id"], doc["title"][:60])
            print("   wrong:", [p for p in predicted if p not in right])
            print("  missed:", [sorted(g) for g in gold if g not in found])
    elapsed = time.perf_counter() - started
    print(f"CoNLL-2003 eng.testa, {len(docs)} documents, context={args.context}, {elapsed:.1f}s")
    for group, (right, predicted, found, gold) in tally.items():
        p = right / predicted if predicted else 0.0
        r = found / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(
            f"{group:>10}: precision {p:.3f} ({right}/{predicted})"
            f"  recall {r:.3f} ({found}/{gold})  F1 {f:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
