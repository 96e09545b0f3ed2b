"""A bulk build's worker: one range of stored articles in, one finished Whoosh segment out.

Per article the worker analyses the text fields (title and body stemmed, names folded with
a position gap between two names), indexes the id and date fields through Whoosh's own
field types, and adds the stored fields and facet values. It keeps every term's postings
in memory (doc numbers ascending, since documents are numbered as they are read), then
writes the term index and postings a field at a time, whole blocks per term (through
whoosh_internals.py), and the segment's pack (packfile.py). builder.py plans the ranges
and lists the finished segments.
"""

from __future__ import annotations

from array import array
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
from archive.index.packfile import pack_path, write_pack
from archive.index.postings import PositionalPostings, TermPostings, pack_field
from archive.index.schema import INDEX_NAME
from archive.index.whoosh_internals import block_limit, encode_positions, write_term_blocks
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


class BuiltSegment(NamedTuple):
    """A segment whose files are written, not yet listed in any TOC."""

    segment: Segment
    articles: int


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
        self.boosts = {f.name: self.fields[f.name].format.field_boost for f in self.texts}
        # Per field, term -> postings; text terms are str, keyed terms Whoosh's bytes.
        self.text_postings: dict[str, dict[str, PositionalPostings]] = {
            f.name: {} for f in self.texts
        }
        self.keyed_postings: dict[str, dict[bytes, TermPostings]] = {
            name: {}
            for name, field in self.fields.items()
            if field.indexed and name not in self.text_postings
        }
        # Per text field and doc: its number of terms, and the positions it spans plus
        # one (the pack numbers positions segment-wide, a gap between two docs).
        self.lengths = {f.name: array("I") for f in self.texts}
        self.spans = {f.name: array("I") for f in self.texts}
        self.title_words: Counter[str] = Counter()  # the speller's vocabulary
        self.facets = FacetBuilder()
        self.count = 0


def build_segment(task: SegmentTask) -> BuiltSegment:
    """Index the task's articles into one new segment of task.index_dir, pack included."""
    storage = FileStorage(task.index_dir)
    codec = W3Codec()
    segment = codec.new_segment(storage, INDEX_NAME)
    contents = SegmentContents(S.make_schema())
    perdoc = codec.per_document_writer(storage, segment)
    for docnum, article in enumerate(_articles(task)):
        _add_article(contents, perdoc, docnum, article)
    perdoc.close()
    segment.set_doc_count(contents.count)
    terms = {name: sorted(table) for name, table in contents.text_postings.items()}
    _write_postings(codec, storage, segment, contents, terms)
    _write_pack(task.index_dir, segment, contents, terms)
    return BuiltSegment(segment, contents.count)


def _articles(task: SegmentTask) -> Iterator[Article]:
    store = Store.open_readonly(task.store_path)
    try:
        registry = identity.load(store)  # people as canonical names (archive/identity.py)
        for article in store.articles_between(task.first_id, task.stop_id):
            yield registry.apply(article)
    finally:
        store.close()


def _add_article(
    contents: SegmentContents, perdoc: PerDocumentWriter, docnum: int, article: Article
) -> None:
    facet_values = {facet.name: facet.values(article) for facet in contents.facet_specs}
    perdoc.start_doc(docnum)
    _add_text_fields(contents, perdoc, docnum, _text_values(contents, article, facet_values))
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
    contents: SegmentContents, perdoc: PerDocumentWriter, docnum: int, values: dict[str, Any]
) -> None:
    for field in contents.texts:
        value = values[field.name]
        found = _term_positions(contents, field, value)
        length = _add_positional(
            contents.text_postings[field.name], docnum, found, contents.boosts[field.name]
        )
        contents.lengths[field.name].append(length)
        fieldobj = contents.fields[field.name]
        perdoc.add_field(field.name, fieldobj, value if fieldobj.stored else None, length)


def _term_positions(
    contents: SegmentContents, field: TextField, value: Any
) -> dict[str, list[int]]:
    """Return each term of the field's value with its positions; record the doc's span."""
    if field.names:
        found = _name_positions(value)
        contents.spans[field.name].append(max((p[-1] for p in found.values()), default=-1) + 2)
        return found
    words = T.words(value) if value else []
    contents.spans[field.name].append(len(words) + 1)
    if field.name == S.TITLE:
        contents.title_words.update(words)
    return _positions(map(T.STEMS.__getitem__, words) if field.stemmed else words)


def _positions(terms: Iterator[str] | list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for position, term in enumerate(terms):
        positions = found.get(term)
        if positions is None:
            found[term] = [position]
        else:
            positions.append(position)
    return found


def _name_positions(values: list[str]) -> dict[str, list[int]]:
    # Names keep a position gap between them so phrases never span two names.
    found: dict[str, list[int]] = {}
    base = 0
    for value in values:
        terms = T.words(value)
        for offset, term in enumerate(terms):
            found.setdefault(term, []).append(base + offset)
        base += len(terms) + T.VALUE_GAP
    return found


def _add_positional(
    table: dict[str, PositionalPostings], docnum: int, found: dict[str, list[int]], boost: float
) -> int:
    """Add one doc's postings of a text field to its table; return the doc's length."""
    # The hot loop of the build: one pass per distinct term of every field of every doc.
    length = 0
    for term, positions in found.items():
        postings = table.get(term)
        if postings is None:
            postings = table[term] = PositionalPostings()
        freq = len(positions)
        length += freq
        postings.docs.append(docnum)
        postings.weights.append(freq * boost)
        postings.values.append(encode_positions(positions))
        postings.positions.extend(positions)
        postings.freqs.append(freq)
    return length


def _add_keyed_fields(
    contents: SegmentContents, perdoc: PerDocumentWriter, docnum: int, article: Article
) -> datetime | None:
    """Index the id and date fields (terms as Whoosh's field types make them); return the
    article's date as naive UTC."""
    date = S.naive_utc(article.date)
    keyed: dict[str, Any] = {S.ID_FIELD: article.id}
    if date is not None:
        keyed[S.DATE] = date
        keyed[S.YEAR] = f"{date.year:04d}"
        keyed[S.MONTH] = f"{date.year:04d}-{date.month:02d}"
    for name, value in keyed.items():
        table, fieldobj = contents.keyed_postings[name], contents.fields[name]
        for term, _, weight, encoded in fieldobj.index(value):
            postings = table.get(term)
            if postings is None:
                postings = table[term] = TermPostings()
            postings.docs.append(docnum)
            postings.weights.append(weight)
            postings.values.append(encoded)
        perdoc.add_field(name, fieldobj, value if fieldobj.stored else None, 0)
    return date


def _write_postings(
    codec: W3Codec,
    storage: FileStorage,
    segment: Segment,
    contents: SegmentContents,
    text_terms: dict[str, list[str]],
) -> None:
    writer = codec.field_writer(storage, segment)
    limit = block_limit(codec)
    # Keyed fields' terms are bytes already, text fields' are str.
    tables: dict[str, Mapping[Any, TermPostings]] = dict(contents.keyed_postings)
    tables.update(contents.text_postings)
    for name in sorted(tables):
        table = tables[name]
        if not table:
            continue
        terms = text_terms.get(name) or sorted(table)
        _write_field(
            writer, name, contents.fields[name], table, terms, contents.lengths.get(name), limit
        )
    writer.close()


def _write_field(
    writer: W3FieldWriter,
    name: str,
    fieldobj: FieldType,
    table: Mapping[Any, TermPostings],
    terms: Sequence[str | bytes],
    field_lengths: array[int] | None,
    limit: int,
) -> None:
    writer.start_field(name, fieldobj)
    for term in terms:
        postings = table[term]
        # Sorted str terms are in the order of their UTF-8 bytes, as Whoosh keeps them.
        writer.start_term(term.encode("utf-8") if isinstance(term, str) else term)
        write_term_blocks(
            writer, postings.docs, postings.weights, postings.values, field_lengths, limit
        )
        writer.finish_term()
    writer.finish_field()


def _write_pack(
    index_dir: str, segment: Segment, contents: SegmentContents, text_terms: dict[str, list[str]]
) -> None:
    # Arrays the searcher memory-maps instead of reading stored fields and matchers.
    arrays, meta = contents.facets.arrays()
    names = [field.name for field in contents.texts]
    for name in names:
        arrays.update(
            pack_field(
                name,
                text_terms[name],
                contents.text_postings[name],
                contents.lengths[name],
                contents.spans[name],
            )
        )
    write_pack(
        pack_path(index_dir, segment),
        arrays,
        {"facets": meta, "fields": names, "title_words": contents.title_words},
    )
