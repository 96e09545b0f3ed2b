"""The bulk build's vectorised parts agree with the plain per-posting way of doing them.

FieldTokens.postings (one stable sort per field) must give each term exactly the docs,
frequencies and positions a dict of lists would.
"""

from __future__ import annotations

import random

from archive.index import text as T
from archive.index.tokens import FieldTokens


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
