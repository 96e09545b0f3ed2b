"""The person registry on real news: top-100 people duplicates before and after it.

Reads the 10,000 AllSides articles (their ids and dates, as ingest reads them) and their
extracted people from an extraction cache (eval_extracted.py) or from an archive's store,
computes the registry (archive/identity.py) as ingest and reindex do, and prints the
top-100 people's junk + duplicate share (eval_top.py's flags) over the articles' own
names and over the canonical names, with the rows of a few names that had variants.
Run: .venv/bin/python bench/eval_registry.py (--cache FILE | --home DIR) [--limit N]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from eval_extracted import corpus_articles
from eval_top import flag_people, share

from archive.identity import Mention, build_registry

ALLSIDES = HERE.parent.parent / "shared" / "corpus" / "allsides"
EXPORTS = [ALLSIDES / "articles-00.jsonl.gz", ALLSIDES / "articles-01.jsonl.gz"]
WATCHED = ("Obama", "Trump", "Clinton", "Bush", "Sanders", "Biden")


def cached_mentions(cache: Path, limit: int | None) -> list[Mention]:
    """Return (date, people) of the corpus articles the cache holds."""
    import json

    people = {}
    for line in cache.open(encoding="utf-8"):
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        people[row["id"]] = row["people"]
    mentions = []
    for article in corpus_articles(EXPORTS, limit):
        if article.id in people:
            date = article.date.strftime("%Y-%m-%dT%H:%M:%SZ") if article.date else None
            mentions.append(Mention(date, people[article.id]))
    return mentions


def report(label: str, counts: Counter[str]) -> None:
    """Print the top-100 share and the watched names' rows of one count of people."""
    flagged = flag_people(counts, [])
    part, dups, junk, total = share(flagged)
    print(f"{label}: {len(counts)} distinct people; top-100 junk + duplicates {part:.1%}")
    print(f"  (duplicates {dups}, junk {junk}, of {total})")
    for rank, row in enumerate(flagged, 1):
        if row.flag.startswith("duplicate") or any(w in row.value for w in WATCHED):
            print(f"  {rank:3d} {row.count:6d}  {row.value}" + (f"   <- {row.flag}"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="extraction cache file (eval_extracted.py)")
    parser.add_argument("--home", type=Path, help="an archive whose store to read")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    if args.home:
        from archive.config import Config
        from archive.store import Store

        with Store.open_readonly(Config.load(args.home).store_path) as store:
            mentions = [Mention(d, p) for d, p in store.people_mentions()][: args.limit]
    elif args.cache:
        mentions = cached_mentions(args.cache, args.limit)
    else:
        parser.error("give --cache or --home")
    print(f"{len(mentions)} articles")
    report("articles' own names", Counter(p for m in mentions for p in set(m.people)))
    registry = build_registry(mentions)
    canonical = Counter(p for m in mentions for p in registry.people_of(m.people, m.year))
    report("canonical names", canonical)
    return 0


if __name__ == "__main__":
    sys.exit(main())
