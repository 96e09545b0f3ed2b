"""Snippets and highlights: which words are marked, where the window falls, escaping."""

from __future__ import annotations

import random
import re

from archive.search import highlight
from archive.search.highlight import snippet
from archive.search.parsing import parse
from archive.search.spans import _find_folded, find_spans, terms_of


def marked(html_text: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html_text)


def cut(text: str, query: str, size: int = 240) -> str:
    return snippet(text, terms_of(parse(query)), size)


def test_accentless_query_marks_accented_name() -> None:
    text = "Lech Wałęsa led Solidarity. WAŁĘSA later became president."
    assert marked(highlight(text, "walesa")) == ["Wałęsa", "WAŁĘSA"]


def test_stemmed_query_marks_other_forms_of_the_word() -> None:
    text = "The election was close; two elections later, the elected mayor resigned."
    assert marked(cut(text, "elections")) == ["election", "elections", "elected"]


def test_irregular_stems_are_marked() -> None:
    assert marked(highlight("He was dying, they said; the die is cast.", "die")) == [
        "dying",
        "die",
    ]


def test_prefix_marks_every_word_it_starts() -> None:
    text = "Immigration and immigrants: an immigrant's view, not an image."
    assert marked(highlight(text, "immig*")) == ["Immigration", "immigrants", "immigrant"]


def test_phrase_marks_its_words_only_as_whole_words() -> None:
    text = "The White House said whitewash and houseboat are not news."
    assert marked(highlight(text, '"white house"')) == ["White", "House"]


def test_excluded_words_are_not_marked() -> None:
    assert marked(highlight("Budget talks: budget cuts and taxes.", "budget NOT taxes")) == [
        "Budget",
        "budget",
    ]


def test_letters_that_fold_to_two_characters_keep_offsets_right() -> None:
    # "ß" folds to "ss" and "…" to three characters: marks after them must not shift.
    text = "Die Straße… then Strasse again, and the mayor of Łódź… spoke."
    assert marked(highlight(text, "strasse lodz")) == ["Straße", "Strasse", "Łódź"]


def test_decomposed_accents_stay_inside_the_mark() -> None:
    text = "Cafe\u0301 owners met at the cafe\u0301 on Main Street."
    assert marked(highlight(text, "cafe")) == ["Cafe\u0301", "cafe\u0301"]


def test_snippet_window_holds_the_cluster_of_matches() -> None:
    filler = "Nothing to see here at all. " * 30
    text = filler + "The senate voted; senate leaders said the senate was done. " + filler
    result = cut(text, "senate")
    assert result.startswith("…") and result.endswith("…")
    assert marked(result) == ["senate", "senate", "senate"]
    assert len(result) < 300


def test_snippet_escapes_html_around_marks() -> None:
    result = cut("<b>Taxes</b> & tariffs: taxes rise.", "taxes")
    assert result == "&lt;b&gt;<mark>Taxes</mark>&lt;/b&gt; &amp; tariffs: <mark>taxes</mark> rise."


def test_snippet_without_matches_is_the_start_of_the_text() -> None:
    text = "First words come first. " * 20
    result = cut(text, "absent")
    assert result.startswith("First words") and result.endswith("…")
    assert "<mark>" not in result


def test_only_whole_words_match_a_stem() -> None:
    text = "Trump, the Trumps and a trumpet; antitrump and Trump-style."
    assert marked(highlight(text, "trump")) == ["Trump", "Trumps", "Trump"]


def _random_text(rng: random.Random) -> str:
    # ASCII words and the characters beyond ASCII that separate words in news (quotes,
    # dashes, ellipses, no-break and zero-width spaces), digits, underscores, line breaks.
    pieces = [
        "said",
        "in",
        "a",
        "Trump",
        "trumps",
        "elections",
        "ELECTED",
        "x2",
        "a_b",
        "don",
        "t",
        "9",
        "immigrant",
        "ai",
        "aid",
        "presidents",
        "’",
        "“",
        "”",
        "—",
        "…",
        "\u00a0",
        "\u200b",
        "\n\n",
        "(",
        ")",
        "'",
        "-",
        "?",
        ".",
        ",",
    ]
    return "".join(rng.choice(pieces) + rng.choice(["", " ", " "]) for _ in range(60))


def test_finding_words_on_ascii_bytes_equals_finding_them_in_the_folded_text() -> None:
    rng = random.Random(12)
    queries = ["said", '"said in a"', "elections", "trump OR immig*", "a", "presidents ai"]
    for trial in range(300):
        text = _random_text(rng)
        terms = terms_of(parse(rng.choice(queries)))
        assert find_spans(text, terms) == _find_folded(text, terms), trial


def test_a_letter_beyond_ascii_anywhere_takes_the_folded_path() -> None:
    terms = terms_of(parse("walesa OR cafe"))
    text = "“Walesa” met Wałęsa at the cafe\u0301… then left—"
    spans = find_spans(text, terms)
    assert [text[a:b] for a, b in spans] == ["Walesa", "Wałęsa", "cafe\u0301"]
