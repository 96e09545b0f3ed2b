"""A bulk build's worker: one range of stored articles in, one finished Whoosh segment out.

Per article the worker analyses the text fields (title and body stemmed, names folded with
a position gap between two names), indexes the id and date fields through Whoosh's own
field types, and adds the stored fields and facet values. Text fields are kept as token
columns (tokens.py) and written to the segment's pack only (packfile.py): postings,
frequencies, positions and lengths, which is all a search of a packed segment reads.
Whoosh's segment files get the stored fields, field lengths and the keyed fields'
postings (written a whole block per term through whoosh_internals.py), but no copy of
the text postings: that copy, positions pickled per posting, was most of Whoosh's files
and of a worker's time, and nothing read it. builder.py plans the ranges and lists the
finished segments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from whoosh.codec.base import PerDocumentWriter, Segment
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.fields import FieldType, Schema
from whoosh.filedb.filestore import FileStorage

from archive import identity
from archive.facets import Facet, all_facets
from archive.index import schema as S
from archive.index import text as T
from archive.index.columns import FacetBuilder
from archive.index.packed_fields import pack_field
from archive.index.packfile import BULK, UPDATE, pack_path, write_pack
from archive.index.postings import TermPostings
from archive.index.schema import INDEX_NAME
from archive.index.tokens import FieldTokens
from archive.index.whoosh_internals import block_limit, write_term_blocks
from archive.models import Article
from archive.store import Store


class TextField(NamedTuple):
    """A text field the fast path indexes with positions."""

    name: str
    stemmed: bool  # terms are the stems of the words (title and body)
    names: bool  # the value is a list of whole names, kept apart by a position gap


class SegmentTask(NamedTuple):
    """One worker's share: the stored articles with first_id <= id < stop_id."""

    index_dir: str
    store_path: str
    first_id: str
    stop_id: str | None  # None: to the last article
    # Stems of words that earlier segments' workers met: a worker is a fresh process, and
    # stemming each new word (Porter2 in Python) was a tenth of a worker's time.
    stems: dict[str, str] | None = None


class BuiltSegment(NamedTuple):
    """A segment whose files are written, not yet listed in any TOC."""

    segment: Segment
    articles: int
    stems: dict[str, str]  # the stems this build computed that it was not given


def text_fields() -> tuple[TextField, ...]:
    """Return the text fields the fast path indexes, title and body first."""
    names = [TextField(name, stemmed=False, names=True) for name in S.value_fields()]
    return (
        TextField(S.TITLE, stemmed=True, names=False),
        TextField(S.BODY, stemmed=True, names=False),
        *names,
    )


class SegmentContents:
    """What a worker gathers from its articles before it writes the segment's files."""

    def __init__(self, schema: Schema) -> None:
        self.fields: dict[str, FieldType] = {name: schema[name] for name in schema.names()}
        self.texts = text_fields()
        self.facet_specs: tuple[Facet, ...] = all_facets()
        # Text fields as token columns (tokens.py); keyed fields' postings per term, with
        # Whoosh's bytes as terms. Not the date field's: `date:` queries read the pack's
        # date column (search/evaluation.py), so its terms (eight a date, Whoosh's numeric
        # trie) would be written for nothing.
        self.tokens = {f.name: FieldTokens(f.stemmed, f.names) for f in self.texts}
        self.keyed_postings: dict[str, dict[bytes, TermPostings]] = {
            name: {}
            for name, field in self.fields.items()
            if field.indexed and name not in self.tokens and name != S.DATE
        }
        self.title_words: Counter[str] = Counter()  # the speller's vocabulary
        self.facets = FacetBuilder()
        self.count = 0


def build_segment(task: SegmentTask) -> BuiltSegment:
    """Index the task's articles into one new segment of task.index_dir, pack included."""
    T.STEMS.update(task.stems or {})
    storage = FileStorage(task.index_dir)
    codec = W3Codec()
    segment = codec.new_segment(storage, INDEX_NAME)
    contents = SegmentContents(S.make_schema())
    perdoc = codec.per_document_writer(storage, segment)
    for docnum, article in enumerate(_articles(task)):
        _add_article(contents, perdoc, docnum, article)
    perdoc.close()
    segment.set_doc_count(contents.count)
    _write_postings(codec, storage, segment, contents)
    _write_pack(task.index_dir, segment, contents)
    given = task.stems or {}
    return BuiltSegment(
        segment, contents.count, {w: t for w, t in T.STEMS.items() if w not in given}
    )


def _articles(task: SegmentTask) -> Iterator[Article]:
    store = Store.open_readonly(task.store_path)
    try:
        registry = identity.load(store)  # people as canonical names (archive/identity.py)
        for article in store.articles_between(task.first_id, task.stop_id):
            yield registry.apply(article)
    finally:
        store.close()


def write_update_pack(index_dir: str, segment: Segment, articles: Sequence[Article]) -> None:
    """Write the pack of a segment Whoosh's own writer made (during an ingest), from its
    articles in doc order, so searches read it as arrays too. Its Whoosh files keep their
    text postings, which lets Whoosh merge such segments (maintenance.py)."""
    contents = SegmentContents(S.make_schema())
    for docnum, article in enumerate(articles):
        _add_article(contents, None, docnum, article)
    _write_pack(index_dir, segment, contents, origin=UPDATE)


def _add_article(
    contents: SegmentContents, perdoc: PerDocumentWriter | None, docnum: int, article: Article
) -> None:
    # Without perdoc only the pack's part is gathered (a segment Whoosh wrote).
    facet_values = {facet.name: facet.values(article) for facet in contents.facet_specs}
    if perdoc is None:
        _add_text_fields(contents, None, _text_values(contents, article, facet_values))
        contents.facets.add(article.id, S.naive_utc(article.date), facet_values)
        contents.count += 1
        return
    perdoc.start_doc(docnum)
    _add_text_fields(contents, perdoc, _text_values(contents, article, facet_values))
    date = _add_keyed_fields(contents, perdoc, docnum, article)
    for facet in contents.facet_specs:
        stored = facet.stored_field
        perdoc.add_field(stored, contents.fields[stored], facet_values[facet.name], 0)
    perdoc.finish_doc()
    contents.facets.add(article.id, date, facet_values)
    contents.count += 1


def _text_values(
    contents: SegmentContents, article: Article, facet_values: dict[str, list[str]]
) -> dict[str, Any]:
    values: dict[str, Any] = {
        S.TITLE: article.title,
        S.BODY: article.body,
        S.AUTHORS: article.authors,
    }
    for facet in contents.facet_specs:
        values[facet.index_field] = facet_values[facet.name]
    return values


def _add_text_fields(
    contents: SegmentContents, perdoc: PerDocumentWriter | None, values: dict[str, Any]
) -> None:
    for field in contents.texts:
        value = values[field.name]
        tokens = contents.tokens[field.name]
        if field.names:
            length = tokens.add_names(value or [])
        else:
            words = T.words(value) if value else []
            if field.name == S.TITLE:
                contents.title_words.update(words)
            length = tokens.add_words(words)
        if perdoc is not None:
            fieldobj = contents.fields[field.name]
            perdoc.add_field(field.name, fieldobj, value if fieldobj.stored else None, length)


def _add_keyed_fields(
    contents: SegmentContents, perdoc: PerDocumentWriter, docnum: int, article: Article
) -> datetime | None:
    """Index the id, year and month fields (terms as Whoosh's field types make them), store
    the date; return the article's date as naive UTC."""
    date = S.naive_utc(article.date)
    keyed: dict[str, Any] = {S.ID_FIELD: article.id}
    if date is not None:
        keyed[S.DATE] = date
        keyed[S.YEAR] = f"{date.year:04d}"
        keyed[S.MONTH] = f"{date.year:04d}-{date.month:02d}"
    for name, value in keyed.items():
        table, fieldobj = contents.keyed_postings.get(name, {}), contents.fields[name]
        for term, _, weight, encoded in fieldobj.index(value) if name != S.DATE else ():
            postings = table.get(term)
            if postings is None:
                postings = table[term] = TermPostings()
            postings.docs.append(docnum)
            postings.weights.append(weight)
            postings.values.append(encoded)
        perdoc.add_field(name, fieldobj, value if fieldobj.stored else None, 0)
    return date


def _write_postings(
    codec: W3Codec, storage: FileStorage, segment: Segment, contents: SegmentContents
) -> None:
    # Only the keyed fields get Whoosh postings: the text fields' postings and positions
    # live in the pack alone, which every search of a packed segment reads (Whoosh's copy
    # was most of the index's size and of a worker's time; see the module docstring).
    writer = codec.field_writer(storage, segment)
    limit = block_limit(codec)
    for name in sorted(contents.keyed_postings):  # in name order, as Whoosh writes them
        if contents.keyed_postings[name]:
            _write_keyed_field(
                writer, name, contents.fields[name], contents.keyed_postings[name], limit
            )
    writer.close()


def _write_keyed_field(
    writer: W3FieldWriter,
    name: str,
    fieldobj: FieldType,
    table: Mapping[bytes, TermPostings],
    limit: int,
) -> None:
    writer.start_field(name, fieldobj)
    for term in sorted(table):
        postings = table[term]
        writer.start_term(term)
        write_term_blocks(writer, postings.docs, postings.weights, postings.values, limit)
        writer.finish_term()
    writer.finish_field()


def _write_pack(
    index_dir: str, segment: Segment, contents: SegmentContents, origin: str = BULK
) -> None:
    # The text fields' postings, positions and lengths, and the facet columns: all a search
    # of the segment reads besides the stored fields. A field's tokens are dropped once its
    # arrays exist, so the worker never holds two fields' tokens and postings at once.
    arrays, meta = contents.facets.arrays()
    names = [field.name for field in contents.texts]
    for name in names:
        tokens = contents.tokens.pop(name)
        arrays.update(pack_field(name, tokens.postings(), tokens.lengths, tokens.spans))
        del tokens
    write_pack(
        pack_path(index_dir, segment),
        arrays,
        {
            "facets": meta,
            "fields": names,
            "title_words": contents.title_words,
            "origin": origin,
        },
    )
