"""Packs for the segments Whoosh's own writer makes, so ingests leave no slow path behind.

An ingest adds articles through Whoosh's writer (maintenance.update_index). Such a
segment's text postings are in Whoosh's format, which a search reads through Whoosh's
matchers a posting at a time: fine for a few hundred articles, slow for tens of
thousands. So after each commit every segment of at least MIN_PACKED documents that has
no pack gets one, written from its articles as the store holds them, in doc order
(build_worker.write_update_pack; a doc whose article the store no longer holds is
deleted in the index and packed empty). The generation after is an empty commit, so
searchers reopen and read the new packs (snapshot.py keys a segment by its pack too).

These segments keep their Whoosh postings, so Whoosh may still merge them: MERGE_SMALL
folds small segments into larger ones, and a merged segment is packed anew on the
commit that made it. Merges grow segments geometrically, so an article is packed a few
times over its life, not once per ingest. Bulk-built segments, whose text is in their
pack alone, are never merged (maintenance.keep_packed_segments).
"""

from __future__ import annotations

from whoosh.index import FileIndex
from whoosh.reading import IndexReader

from archive import identity
from archive.index import schema as S
from archive.index.packfile import pack_path
from archive.models import Article
from archive.store import Store

MIN_PACKED = 1000  # smaller segments stay as Whoosh wrote them until a merge grows them


def pack_new_segments(ix: FileIndex, store: Store, registry: identity.Registry) -> int:
    """Write a pack for each segment of MIN_PACKED or more documents that lacks one;
    return how many were written."""
    # Imported here: the builder's modules check Whoosh's version on import, which the
    # command line turns into a message only once a command runs (whoosh_internals.py).
    from archive.index.build_worker import write_update_pack

    folder = ix.storage.folder
    written = 0
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            segment = leaf.segment()
            if segment is None or leaf.doc_count_all() < MIN_PACKED:
                continue
            if pack_path(folder, segment).exists():
                continue
            write_update_pack(folder, segment, _articles_in_doc_order(leaf, store, registry))
            written += 1
    return written


def _articles_in_doc_order(
    leaf: IndexReader, store: Store, registry: identity.Registry
) -> list[Article]:
    ids = [leaf.stored_fields(doc)[S.ID_FIELD] for doc in range(leaf.doc_count_all())]
    stored = {article.id: article for article in store.get_many(ids)}
    return [registry.apply(stored[i]) if i in stored else Article(id=i) for i in ids]
