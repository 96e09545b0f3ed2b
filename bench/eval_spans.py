"""Cache the NER model's spans per text, so rule changes are measured without re-running spaCy.

The model's spans of a text depend only on the text, the model and the windowing code
(archive/extract/nlp.py), while the rules that turn spans into people change often; so the
evaluation may wrap nlp.entities with a cache keyed by sha256(text). Cache files live under
/tmp/newsarchive-eval/spans-<model>-<context>-<hash of nlp.py>/, one JSON line per text and
one file per process (pool workers forked from the evaluation inherit the wrapper and write
their own file), so a run cut short keeps what it finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from archive.extract import nlp

Spans = list[tuple[int, int, str]]
CACHE = Path(tempfile.gettempdir()) / "newsarchive-eval"


def cache_dir(context: int | None) -> Path:
    """Return the span cache directory for the current model, context and nlp.py."""
    code = hashlib.sha256(Path(nlp.__file__).read_bytes()).hexdigest()[:12]
    return CACHE / f"spans-{nlp.MODEL}-{context}-{code}"


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _load(directory: Path) -> dict[str, Spans]:
    found: dict[str, Spans] = {}
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by a kill
            found[row["key"]] = [(s, e, label) for s, e, label in row["spans"]]
    return found


def install() -> int:
    """Wrap nlp.entities (default context only) with the span cache; return how many texts
    the cache already holds."""
    directory = cache_dir(nlp.CONTEXT)
    cached = _load(directory)
    compute: Callable[..., list[Spans]] = nlp.entities

    def entities(texts: list[str], context: int | None = nlp.CONTEXT) -> list[Spans]:
        if context != nlp.CONTEXT:
            return compute(texts, context=context)
        keys = [_text_key(t) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in cached]
        if missing:
            found = compute([texts[i] for i in missing], context=context)
            directory.mkdir(parents=True, exist_ok=True)
            with (directory / f"{os.getpid()}.jsonl").open("a", encoding="utf-8") as out:
                for i, spans in zip(missing, found):
                    cached[keys[i]] = spans
                    out.write(json.dumps({"key": keys[i], "spans": spans}) + "\n")
        return [cached[k] for k in keys]

    nlp.entities = entities
    return len(cached)
