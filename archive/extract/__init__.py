"""Extract the people and outlets of articles, in worker processes for bulk ingest.

People come from the NER model's PERSON mentions cleaned up by the rules in people.py;
outlets from the articles' cited outlets plus attributions in the text (outlets.py),
normalised with data/outlets.json. Photo credits and authors are never story people,
and photo agencies never become outlets. Extraction reads at most the first
MAX_EXTRACT_CHARS characters of a body (a warning names a longer record), so one huge
record costs bounded time and memory.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from multiprocessing.context import BaseContext
from multiprocessing.pool import AsyncResult
from typing import NamedTuple

from archive.config import Config
from archive.extract import nlp
from archive.extract.credits import credited_names, strip_credit_lines, unfuse_link_text
from archive.extract.domains import publishers
from archive.extract.outlets import _key as outlet_key
from archive.extract.outlets import (
    _tables,
    find_attributed,
    find_mentioned,
    normalise_outlet,
)
from archive.extract.people import (
    find_people,
    normalise_person,
    outlet_fragments,
    person_key,
    places,
)
from archive.models import Article
from archive.readers import Rejection, read_paths

Span = tuple[int, int, str]  # a model entity: start, end, label


class PeopleAndOutlets(NamedTuple):
    """What extraction finds in one story: its people and its outlets in both roles."""

    people: list[str]
    outlets: list[str]  # sources then cited, each once
    sources: list[str]  # who published it (metadata, a Source: line)
    cited: list[str]  # who its text attributes information to


__all__ = ["EXTRACTOR_VERSION", "enrich", "normalise_outlet", "normalise_person"]

# Bump whenever the output for the same article could change (model, rules, data files).
EXTRACTOR_VERSION = "7"  # 7: evidence rules (companies, things, places); 6: people rules of issue 9
# Articles sent to a worker at a time: big enough to batch the model, small enough
# to keep progress reports frequent and memory flat.
BATCH = 32
WORKER_BATCHES = 500  # batches a worker handles before a fresh one takes over
MAX_EXTRACT_CHARS = 200_000  # characters of a body extraction reads (README: Limits)
MAX_ENTITIES = 1_000  # the model's entities of one story that the people rules weigh
MAX_LINE_CHARS = 20_000  # longer lines are wrapped for extraction (line rules scan a line)
log = logging.getLogger(__name__)


class StoryInput(NamedTuple):
    """What extraction reads of one article (small, as it is sent to a worker process)."""

    title: str
    body: str
    authors: tuple[str, ...]
    photo_credits: tuple[str, ...]
    cited_outlets: tuple[str, ...]


def _story_text(title: str, body: str) -> str:
    """Return the text that names the story's people: title and body without credit lines
    or the legal names fused into link text."""
    body = unfuse_link_text(strip_credit_lines(body))
    return f"{title}\n\n{body}" if title else body


def _credit_names(credits: Iterable[str]) -> list[str]:
    """Split "Photo: PAP/UKRINFORM/Hennadii Minchenko" into the names it credits."""
    names = []
    for credit in credits:
        credit = re.sub(r"^\s*(?:Photo|Foto|Image)s?\s*(?:by)?\s*:?", "", credit, flags=re.I)
        names += [part.strip() for part in re.split(r"[/,;|]| and ", credit) if part.strip()]
    return names


def people_in(
    text: str, ents: Sequence[Span], exclude: Iterable[str] = (), outlets: Iterable[str] = ()
) -> list[str]:
    """Return the people of a story text from the model's spans (see people.find_people)."""
    return find_people(
        text, ents, exclude=exclude, not_people=frozenset(_tables()[0]), outlets=outlets
    )


def people_and_outlets(
    text: str,
    ents: Sequence[Span],
    authors: Sequence[str] = (),
    credits: Sequence[str] = (),
    cited: Sequence[str] = (),
) -> PeopleAndOutlets:
    """Return the people and the normalised outlets of one story text given the model's spans."""
    attributed = [name for _, name in find_attributed(text, set(places()))]
    # The document's own outlets (cited, or named by a cue) are never its people:
    # the model reads "Vistula Wire reported" as a person's name.
    evidence = [*cited, *(normalise_outlet(name) for name in cited), *attributed]
    people = people_in(
        text,
        ents,
        exclude=[*authors, *_credit_names(credits), *credited_names(text)],
        outlets=evidence,
    )
    # A cue such as "according to X" names an outlet only if X is no person.
    not_outlets = {person_key(p) for p in people} | {person_key(p).split()[-1] for p in people}
    sources = publishers(cited)
    mentioned = [
        name for _, name in sorted([*find_mentioned(text), *find_attributed(text, set(places()))])
    ]
    in_text = _distinct([name for name in mentioned if name.casefold() not in not_outlets])
    return PeopleAndOutlets(people, _distinct([*sources, *in_text]), sources, in_text)


def _distinct(outlets: Iterable[str]) -> list[str]:
    """Return outlets once each, in order, without a shortened repeat of another
    ("Evening Star said" after "Harbor Evening Star reported")."""
    named: dict[str, str] = {}
    for name in outlets:
        name = normalise_outlet(name)
        if name:
            named.setdefault(outlet_key(name), name)
    return [
        name
        for key, name in named.items()
        if not any(key != other and key in outlet_fragments([other]) for other in named)
    ]


def analyse(items: list[StoryInput]) -> list[PeopleAndOutlets]:
    """Return (people, outlets) for each (title, body, authors, photo_credits, cited_outlets)."""
    texts = [_story_text(title, body) for title, body, *_ in items]
    # The people rules compare mentions pairwise: past MAX_ENTITIES, a text of nothing but
    # names would cost minutes (real stories of 200,000 characters hold fewer).
    return [
        people_and_outlets(text, ents[:MAX_ENTITIES], authors, credits, cited)
        for text, ents, (_, _, authors, credits, cited) in zip(texts, nlp.entities(texts), items)
    ]


OutletFold = Callable[[Sequence[str]], list[str]]  # input outlets as extraction reads them


def _item(article: Article, fold: OutletFold | None = None) -> StoryInput:
    outlets = fold(article.cited_outlets) if fold else article.cited_outlets
    return StoryInput(
        article.title,
        _extractable_body(article),
        tuple(article.authors),
        tuple(article.photo_credits),
        tuple(outlets),
    )


def _extractable_body(article: Article) -> str:
    """Return the part of the body extraction reads: all of it, or the first
    MAX_EXTRACT_CHARS characters up to a space, with a warning on the article and in the
    log naming the record (people and outlets past the cut are not looked for)."""
    body = article.body
    if len(body) <= MAX_EXTRACT_CHARS:
        return _wrap_long_lines(body)
    kept = body[: _space_before(body, MAX_EXTRACT_CHARS)]
    warning = (
        f"body of {len(body):,} characters: people and outlets were looked for in the "
        f"first {len(kept):,} only"
    )
    article.warnings.append(warning)
    log.warning("%s: %s", article.source or article.id, warning)
    return _wrap_long_lines(kept)


def _space_before(text: str, limit: int) -> int:
    """Return where to cut text at most limit characters in: its last space in the second
    half of that, else the limit itself."""
    space = text.rfind(" ", limit // 2, limit)
    return space if space > 0 else limit


def _wrap_long_lines(text: str) -> str:
    """Break lines longer than MAX_LINE_CHARS at spaces: the outlet and headline rules
    look at the whole line around each mention, which on one line of names is quadratic.
    (No line of the 10,000 real test articles is that long.)"""
    if all(len(line) <= MAX_LINE_CHARS for line in text.split("\n")):
        return text
    wrapped = []
    for line in text.split("\n"):
        while len(line) > MAX_LINE_CHARS:
            cut = _space_before(line, MAX_LINE_CHARS)
            wrapped.append(line[:cut])
            line = line[cut:].lstrip(" ")
        wrapped.append(line)
    return "\n".join(wrapped)


def _fill(
    batch: list[Article],
    results: list[PeopleAndOutlets],
    progress: Callable[[int], None] | None,
) -> Iterator[Article]:
    for article, found in zip(batch, results):
        article.people, article.outlets = found.people, found.outlets
        article.sources, article.cited = found.sources, found.cited
    if progress:
        progress(len(batch))
    yield from batch


def _context() -> BaseContext:
    """Pick how to start workers: fork when safe (no re-import of spaCy or the caller's
    __main__, model pages shared), else forkserver or spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def enrich(
    articles: Iterable[Article],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    fold: OutletFold | None = None,
) -> Iterator[Article]:
    """Fill people and outlets (normalised, merged with article.cited_outlets) of each
    article; yield the articles in input order. fold, if given, rewrites the input's
    outlets first (extract.domains: a domain into the label the data pairs it with)."""
    source = iter(articles)
    batches = iter(lambda: list(islice(source, BATCH)), [])
    workers = workers or os.cpu_count() or 1
    head = list(islice(batches, 2))
    if workers <= 1 or len(head) < 2:
        # One batch does not pay for starting worker processes.
        for batch in chain(head, batches):
            yield from _fill(batch, analyse([_item(a, fold) for a in batch]), progress)
        return
    # Workers are replaced now and then: spaCy's string store grows with every new word.
    with _context().Pool(workers, initializer=nlp.load, maxtasksperchild=WORKER_BATCHES) as pool:
        pending: deque[tuple[list[Article], AsyncResult[list[PeopleAndOutlets]]]] = deque()
        for batch in chain(head, batches):
            pending.append((batch, pool.apply_async(analyse, ([_item(a, fold) for a in batch],))))
            # A bounded queue keeps memory flat however long the input is.
            if len(pending) >= 2 * workers:
                batch, result = pending.popleft()
                yield from _fill(batch, result.get(), progress)
        while pending:
            batch, result = pending.popleft()
            yield from _fill(batch, result.get(), progress)


def preview(
    paths: Iterable[str | os.PathLike[str]],
    config: Config,
    *,
    workers: int = 1,
    on_reject: Callable[[Rejection], None],
) -> Iterator[Article]:
    """Yield the articles ingest would store from paths, extracted, storing nothing;
    each record that cannot be read goes to on_reject instead."""

    def readable() -> Iterator[Article]:
        for item in read_paths(paths, config):
            if isinstance(item, Rejection):
                on_reject(item)
            else:
                yield item

    return enrich(readable(), workers=workers)
