"""Build a complete index from the store into a fresh directory."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as windex

from archive import schema as S

INDEX_NAME = "MAIN"


def build(path: Path, store, workers=None, progress=None) -> tuple[int, int, int]:
    """Index every stored article into path; return (articles, segments, workers used)."""
    ix = windex.create_in(str(path), S.make_schema(), indexname=INDEX_NAME)
    writer = ix.writer(limitmb=256)
    count = 0
    try:
        for article in store.iter_articles():
            writer.add_document(**S.document(article))
            count += 1
            if progress and count % 1000 == 0:
                progress(count)
        writer.commit(merge=False)
        if progress:
            progress(count)
    except BaseException:
        writer.cancel()
        raise
    return count, 1, 1
