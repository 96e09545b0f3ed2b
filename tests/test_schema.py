"""The schema's analyzers and document mapping."""

import pickle

from fixtures import ARTICLES, utc

from archive.index import schema as S
from archive.index import text as T
from archive.models import Article


def test_stem_analyzer_folds_accents_and_stems():
    texts = [t.text for t in T.StemAnalyzer()("Élections, Presidents' CAFÉ running")]
    assert texts == ["elect", "presid", "cafe", "run"]


def test_stem_analyzer_keeps_stop_words_for_phrases():
    tokens = [(t.text, t.pos) for t in T.StemAnalyzer()("the state of the union", positions=True)]
    assert tokens == [("the", 0), ("state", 1), ("of", 2), ("the", 3), ("union", 4)]


def test_names_get_a_position_gap_so_phrases_never_span_two_names():
    value = T.VALUE_SEPARATOR.join(["Vladimir Putin", "Joe Biden"])
    tokens = [(t.text, t.pos) for t in T.FoldAnalyzer()(value, positions=True)]
    assert [t for t, _ in tokens] == ["vladimir", "putin", "joe", "biden"]
    assert tokens[2][1] - tokens[1][1] > 1


def test_normalise_ignores_case_accents_and_spacing():
    assert T.normalise("  Lech   WAŁĘSA ") == T.normalise("lech wałesa") == "lech walesa"
    assert T.normalise("José") == "jose"


def test_schema_pickles_with_custom_analyzers():
    schema = pickle.loads(pickle.dumps(S.make_schema()))
    assert set(schema.names()) >= {S.ID_FIELD, S.TITLE, S.BODY, S.DATE, "person", "people"}


def test_document_uses_naive_utc_and_buckets():
    doc = S.document(ARTICLES[0])
    assert doc[S.DATE] == utc(2021, 6, 16, 12).replace(tzinfo=None)
    assert (doc[S.YEAR], doc[S.MONTH]) == ("2021", "2021-06")
    assert doc["people"] == ["Vladimir Putin", "Joe Biden"]


def test_undated_document_has_no_date_fields():
    doc = S.document(Article(title="t", body="b"))
    assert S.DATE not in doc and S.YEAR not in doc
