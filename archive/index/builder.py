"""Fast full build: worker processes read store ranges and write finished Whoosh segments.

Stock Whoosh spends most of a bulk build outside the analyzer: Token objects, a posting
pool that pickles, sorts and merges every posting, and a per-posting writer. Here each
worker keeps its segment's postings in memory per term (doc numbers already in order,
because documents are numbered as they are read) and hands whole blocks to Whoosh's own
block writer, so the files are exactly what Whoosh would write. The parent only lists
the segments in a new table of contents.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from array import array
from collections import Counter
from pathlib import Path
from pickle import dumps

from whoosh import index as windex
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_uint

from archive.facets import all_facets
from archive.index import schema as S
from archive.index import text as T
from archive.index.columns import FacetBuilder
from archive.index.packfile import pack_path, write_pack
from archive.index.postings import pack_field
from archive.store import Store

INDEX_NAME = "MAIN"
MIN_PER_WORKER = 2000  # below this a worker process costs more than it saves
MAX_SEGMENT = 30000  # bounds a worker's memory (its postings are held until written)


def text_fields() -> tuple[tuple[str, bool, bool], ...]:
    """Return the text fields the fast path indexes: (field, stemmed?, a list of names?)."""
    names = [(f, False, True) for f in S.value_fields()]
    return ((S.TITLE, True, False), (S.BODY, True, False), *names)


def build(path: Path, store, workers: int | None = None, progress=None) -> tuple[int, int, int]:
    """Index every stored article into path; return (articles, segments, workers used).

    progress, if given, is called with the number of articles each finished segment added.
    """
    schema = S.make_schema()
    Path(path).mkdir(parents=True, exist_ok=True)
    windex.create_in(str(path), schema, indexname=INDEX_NAME)
    ids = store.ordered_ids()
    total = len(ids)
    workers = max(1, workers or os.cpu_count() or 1)
    workers = min(workers, max(1, total // MIN_PER_WORKER))
    chunks = max(workers, math.ceil(total / MAX_SEGMENT)) if total else 0
    size = math.ceil(total / chunks) if chunks else 0
    tasks = [(str(path), str(store.path), ids[i], ids[i + size] if i + size < total else None)
             for i in range(0, total, size or 1)]
    segments, done = [None] * len(tasks), 0
    if workers == 1:
        results = ((n, _build_segment(task)) for n, task in enumerate(tasks))
        for n, (segment, count) in results:
            segments[n] = segment
            done += count
            if progress:
                progress(count)
    else:
        # spawn, not fork: the parent holds SQLite connections and maybe threads.
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers, maxtasksperchild=1) as pool:
            for n, (segment, count) in pool.imap_unordered(_numbered, enumerate(tasks)):
                segments[n] = segment
                done += count
                if progress:
                    progress(count)
    segments = [s for s in segments if s is not None]
    # The parent writes the only table of contents: until then the directory is no index.
    windex.TOC(schema, segments, 1).write(FileStorage(str(path)), INDEX_NAME)
    return done, len(segments), workers


def _numbered(item):
    n, task = item
    return n, _build_segment(task)


def _rows(store_path: str, lo: str, hi: str | None):
    store = Store.open_readonly(store_path)
    try:
        yield from store.articles_between(lo, hi)
    finally:
        store.close()


_SINGLE: dict[int, bytes] = {}  # encodings of one-position postings, the common case


def _positions(terms) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for pos, term in enumerate(terms):
        plist = found.get(term)
        if plist is None:
            found[term] = [pos]
        else:
            plist.append(pos)
    return found


def _encode(plist: list[int]) -> bytes:
    # Whoosh's Positions format: count, then the pickled position deltas.
    if len(plist) == 1:
        pos = plist[0]
        found = _SINGLE.get(pos)
        if found is None:
            found = _SINGLE[pos] = pack_uint(1) + dumps(plist, 2)
        return found
    return pack_uint(len(plist)) + dumps([b - a for a, b in zip([0] + plist, plist)], 2)


def _name_terms(values: list[str]) -> dict[str, list[int]]:
    # Names keep a position gap between them so phrases never span two names.
    found: dict[str, list[int]] = {}
    base = 0
    for value in values:
        terms = T.words(value)
        for offset, term in enumerate(terms):
            found.setdefault(term, []).append(base + offset)
        base += len(terms) + T.VALUE_GAP
    return found


def _build_segment(task) -> tuple[object, int]:
    index_dir, store_path, lo, hi = task
    schema = S.make_schema()
    storage = FileStorage(index_dir)
    codec = W3Codec()
    segment = codec.new_segment(storage, INDEX_NAME)
    perdoc = codec.per_document_writer(storage, segment)
    tables: dict[str, dict] = {name: {} for name in schema.names() if schema[name].indexed}
    indexed_texts = text_fields()
    lengths: dict[str, array] = {name: array("I") for name, _, _ in indexed_texts}
    # Positions a doc's field spans, plus one: the pack numbers positions segment-wide.
    spans: dict[str, array] = {name: array("I") for name, _, _ in indexed_texts}
    fields = {name: schema[name] for name in schema.names()}
    boosts = {name: fields[name].format.field_boost for name, _, _ in indexed_texts}
    facet_specs = all_facets()
    stems = T.STEMS.__getitem__
    facets = FacetBuilder()
    title_words: Counter = Counter()
    count = 0
    for docnum, article in enumerate(_rows(store_path, lo, hi)):
        article_id = article.id
        facet_values = {f.name: f.values(article) for f in facet_specs}
        values = {S.TITLE: article.title, S.BODY: article.body, S.AUTHORS: article.authors}
        for facet in facet_specs:
            values[facet.index_field] = facet_values[facet.name]
        perdoc.start_doc(docnum)
        for name, stemmed, is_list in indexed_texts:
            value = values[name]
            if is_list:
                found = _name_terms(value)
                spans[name].append(max((p[-1] for p in found.values()), default=-1) + 2)
            else:
                words = T.words(value) if value else []
                found = _positions(map(stems, words) if stemmed else words)
                spans[name].append(len(words) + 1)
                if name == S.TITLE:
                    title_words.update(words)  # the speller's vocabulary
            table, boost, length = tables[name], boosts[name], 0
            for term, plist in found.items():
                entry = table.get(term)
                if entry is None:
                    entry = table[term] = (array("I"), array("f"), [], array("I"), array("I"))
                freq = len(plist)
                length += freq
                entry[0].append(docnum)
                entry[1].append(freq * boost)
                entry[2].append(_encode(plist))
                entry[3].extend(plist)  # the pack's copy of the positions
                entry[4].append(freq)
            lengths[name].append(length)
            stored = value if fields[name].stored else None
            perdoc.add_field(name, fields[name], stored, length)
        keyed = {S.ID_FIELD: article_id}
        naive = S.naive_utc(article.date)
        if naive is not None:
            keyed[S.DATE] = naive
            keyed[S.YEAR] = f"{naive.year:04d}"
            keyed[S.MONTH] = f"{naive.year:04d}-{naive.month:02d}"
        for name, value in keyed.items():
            table = tables[name]
            for tbytes, _, weight, vbytes in fields[name].index(value):
                entry = table.get(tbytes)
                if entry is None:
                    entry = table[tbytes] = (array("I"), array("f"), [])
                entry[0].append(docnum)
                entry[1].append(weight)
                entry[2].append(vbytes)
            perdoc.add_field(name, fields[name], value if fields[name].stored else None, 0)
        for facet in facet_specs:
            perdoc.add_field(facet.stored_field, fields[facet.stored_field],
                             facet_values[facet.name], 0)
        perdoc.finish_doc()
        facets.add(article_id, naive, facet_values)
        count += 1
    perdoc.close()
    segment.set_doc_count(count)
    _write_postings(codec, storage, segment, fields, tables, lengths)
    _write_pack(index_dir, segment, facets, tables, lengths, spans, title_words)
    return segment, count


def _write_pack(index_dir, segment, facets, tables, lengths, spans, title_words) -> None:
    # Arrays the searcher memory-maps instead of reading stored fields and matchers.
    arrays, meta = facets.arrays()
    names = [name for name, _, _ in text_fields()]
    for name in names:
        arrays.update(pack_field(name, sorted(tables[name]), tables[name], lengths[name],
                                 spans[name]))
    write_pack(pack_path(index_dir, INDEX_NAME, segment.segid), arrays,
               {"facets": meta, "fields": names, "title_words": title_words})


def _write_postings(codec, storage, segment, fields, tables, lengths) -> None:
    writer = codec.field_writer(storage, segment)
    limit = codec._blocklimit
    for name in sorted(tables):
        table = tables[name]
        if not table:
            continue
        fieldobj = fields[name]
        flen = lengths.get(name)
        writer.start_field(name, fieldobj)
        keys = sorted(table)
        for key in keys:
            ids, weights, values = table[key][:3]
            writer.start_term(key.encode("utf-8") if isinstance(key, str) else key)
            block = writer._postwriter
            for start in range(0, len(ids), limit):
                if start:
                    block._write_block()
                block._ids = ids[start:start + limit]
                # zlib's fixed cost dominates small blocks and saves little there.
                block._compression = 1 if len(block._ids) >= 16 else 0
                block._weights = weights[start:start + limit]
                block._values = values[start:start + limit]
                block._maxweight = max(block._weights)
                if flen is not None:
                    lens = list(map(flen.__getitem__, block._ids))
                    block._minlength, block._maxlength = min(lens), max(lens)
                else:
                    block._minlength, block._maxlength = None, 0
            writer.finish_term()
        writer.finish_field()
    writer.close()
