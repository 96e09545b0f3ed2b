"""The bulk build's vectorised parts agree with the plain per-posting way of doing them.

FieldTokens.postings (one stable sort per field) must give each term exactly the docs,
frequencies and positions a dict of lists would; encode_positions_many must write each
posting byte for byte as encode_positions (Whoosh's Positions.encode) does, for one
position, many, more than pickle's batch of 1000, and deltas of one, two and four bytes.
"""

from __future__ import annotations

import random

import numpy as np

from archive.index import text as T
from archive.index.tokens import FieldTokens
from archive.index.whoosh_internals import encode_positions, encode_positions_many


def _postings_by_dict(docs: list[list[str]]) -> dict[str, list[tuple[int, list[int]]]]:
    found: dict[str, list[tuple[int, list[int]]]] = {}
    for doc, words in enumerate(docs):
        per_term: dict[str, list[int]] = {}
        for position, word in enumerate(words):
            per_term.setdefault(T.STEMS[word], []).append(position)
        for term, positions in per_term.items():
            found.setdefault(term, []).append((doc, positions))
    return found


def test_field_tokens_give_each_term_its_docs_frequencies_and_positions() -> None:
    rng = random.Random(5)
    vocabulary = ["market", "markets", "storm", "river", "élection", "b", "zeta", "alpha"]
    docs = [[rng.choice(vocabulary) for _ in range(rng.randint(0, 40))] for _ in range(60)]
    tokens = FieldTokens(stemmed=True, names=False)
    for words in docs:
        tokens.add_words(words)
    postings = tokens.postings()
    expected = _postings_by_dict(docs)
    assert postings.terms == sorted(expected)
    for i, term in enumerate(postings.terms):
        got = []
        for j in range(int(postings.pstart[i]), int(postings.pstart[i + 1])):
            positions = postings.positions[postings.poff[j] : postings.poff[j + 1]]
            assert postings.freqs[j] == len(positions)
            got.append((int(postings.docs[j]), positions.tolist()))
        assert got == expected[term], term


def test_name_fields_keep_a_gap_between_two_names() -> None:
    tokens = FieldTokens(stemmed=False, names=True)
    tokens.add_names(["Anna Nowak", "Jan Nowak"])
    tokens.add_names([])
    postings = tokens.postings()
    nowak = postings.terms.index("nowak")
    a, b = (
        int(postings.poff[postings.pstart[nowak]]),
        int(postings.poff[postings.pstart[nowak] + 1]),
    )
    assert postings.positions[a:b].tolist() == [1, 2 + T.VALUE_GAP + 1]
    assert list(tokens.lengths) == [4, 0]
    assert list(tokens.spans) == [2 + T.VALUE_GAP + 2 + 1, 1]


def test_many_postings_encode_as_whoosh_encodes_each() -> None:
    rng = random.Random(3)
    for trial in range(200):
        postings = []
        for _ in range(rng.randint(1, 30)):
            count = (
                rng.choice([1, 2, 999, 1000, 1001, 2500]) if trial % 10 == 0 else rng.randint(1, 5)
            )
            top = rng.choice([3000, 70000, 10**7])
            postings.append(sorted(rng.sample(range(top), count)))
        flat = np.array([p for posting in postings for p in posting], np.int32)
        poff = np.zeros(len(postings) + 1, np.int64)
        poff[1:] = np.cumsum([len(p) for p in postings])
        skip = rng.randint(0, 3)  # a field's postings start anywhere in its positions
        flat = np.concatenate([np.zeros(skip, np.int32), flat])
        blob, ends = encode_positions_many(flat, poff + skip)
        got = [blob[a:b] for a, b in zip(ends, ends[1:])]
        assert got == [encode_positions(p) for p in postings], trial
