"""People and outlets of many real articles, extracted once and cached, or read from an archive.

Extraction of the 10,000 AllSides articles takes minutes, so results are cached under
/tmp/newsarchive-eval/, one JSON line per article, in a file named by the extractor version,
the model and a hash of the code and data that decide the output (archive/extract/*.py,
archive/data/*, archive/readers/jsonfile.py): a change to any of them starts a new file,
and a run cut short keeps what it finished.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from archive.config import Config
from archive.extract import EXTRACTOR_VERSION, enrich, nlp
from archive.models import Article
from archive.readers.jsonfile import to_article
from archive.store import Store

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "newsarchive-eval"


class Extracted(NamedTuple):
    """What the evaluation reads of one article; sources/cited are None before roles exist."""

    people: list[str]
    outlets: list[str]
    sources: list[str] | None
    cited: list[str] | None


def of_article(article: Article) -> Extracted:
    """Return the extracted fields of an article (role fields only if it has them)."""
    sources, cited = getattr(article, "sources", None), getattr(article, "cited", None)
    return Extracted(
        list(article.people),
        list(article.outlets),
        None if sources is None else list(sources),
        None if cited is None else list(cited),
    )


def cache_file() -> Path:
    """Return the cache file for the current extractor code, data and model."""
    digest = hashlib.sha256()
    inputs = [
        *sorted((ROOT / "archive" / "extract").glob("*.py")),
        *sorted((ROOT / "archive" / "data").glob("*")),
        ROOT / "archive" / "readers" / "jsonfile.py",
    ]
    for path in inputs:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return CACHE / f"v{EXTRACTOR_VERSION}-{nlp.MODEL}-{digest.hexdigest()[:12]}.jsonl"


def corpus_articles(paths: Sequence[Path], limit: int | None) -> Iterator[Article]:
    """Yield up to limit articles of the JSONL exports, read as ingest reads them."""
    count = 0
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            for number, line in enumerate(stream, 1):
                article = to_article(json.loads(line), f"{path.name}#{number}", "")
                if not isinstance(article, Article):
                    continue
                yield article
                count += 1
                if limit is not None and count >= limit:
                    return


def _read_cache(path: Path) -> dict[str, Extracted]:
    found: dict[str, Extracted] = {}
    if path.exists():
        for line in path.open(encoding="utf-8"):
            try:
                row: dict[str, Any] = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by a kill
            found[row["id"]] = Extracted(
                row["people"], row["outlets"], row.get("sources"), row.get("cited")
            )
    return found


def extract_corpus(
    paths: Sequence[Path], limit: int | None, workers: int, cache: Path | None = None
) -> list[Extracted]:
    """Return the extraction of the first limit articles, from the cache where it has them
    (cache names a cache file to use instead of the current code's)."""
    path = cache or cache_file()
    cached = _read_cache(path)
    articles = list(corpus_articles(paths, limit))
    missing = [a for a in articles if a.id not in cached]
    print(f"  cache {path}: {len(articles) - len(missing)} of {len(articles)} articles cached")
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        started, done = time.perf_counter(), 0
        with path.open("a", encoding="utf-8") as out:
            for article in enrich(missing, workers=workers):
                row = of_article(article)
                cached[article.id] = row
                out.write(json.dumps({"id": article.id, **row._asdict()}) + "\n")
                done += 1
                if done % 500 == 0 or done == len(missing):
                    rate = done / (time.perf_counter() - started)
                    print(f"  extracted {done}/{len(missing)} ({rate:.1f}/s)", file=sys.stderr)
    return [cached[a.id] for a in articles]


def from_archive(home: Path, limit: int | None) -> list[Extracted]:
    """Return the stored people and outlets of an existing archive's articles."""
    rows = []
    with Store.open_readonly(Config.load(home).store_path) as store:
        for article in store.iter_articles():
            rows.append(of_article(article))
            if limit is not None and len(rows) >= limit:
                break
    return rows
