"""Fuzzing the readers (issue 10): whatever a file holds, every record becomes an Article
or a rejection naming the file (and the line, in JSON Lines), never an exception.

Hypothesis writes real files (random bytes; JSON Lines of random records, whose fields
take every JSON type; plain-text articles of random text) and reads them through the
public entry point, read_file.
"""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.config import Config
from archive.models import Article
from archive.readers import Rejection, read_file

# Bounded, and deterministic: a run writes no example database into the checkout.
BOUNDED = settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# The keys the JSON reader looks for, and a few it does not know.
FIELDS = [
    "title", "headline", "body", "content", "text", "date", "published", "source",
    "outlet", "url", "link", "authors", "author", "section", "source_url", "domain", "id",
]  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=10,
)
RECORDS = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), JSON_VALUES, max_size=8)
# A line of JSON Lines: a record, any JSON value, or text that may not be JSON at all.
LINES = st.one_of(
    RECORDS.map(json.dumps),
    JSON_VALUES.map(json.dumps),
    st.text(max_size=60).map(lambda text: text.replace("\n", " ").replace("\r", " ")),
)
CONFIG = Config(Path("unused-home"))


def read_all(name: str, data: bytes) -> tuple[Path, list[Article | Rejection]]:
    """Write data to a file called name and read it through read_file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        items = list(read_file(path, CONFIG))
    for item in items:
        assert isinstance(item, Article | Rejection), item
        assert item.source.startswith(str(path)), item.source  # every item names its file
    return path, items


@BOUNDED
@given(st.binary(max_size=3000), st.sampled_from(["a.jsonl", "a.json", "a.txt", "a", "a.json.gz"]))
def test_random_bytes_in_any_file_are_articles_or_rejections(data, name):
    read_all(name, data)


@BOUNDED
@given(st.binary(max_size=2000))
def test_random_bytes_gzipped_are_articles_or_rejections(data):
    read_all("a.jsonl.gz", gzip.compress(data))


@BOUNDED
@given(st.lists(LINES, min_size=1, max_size=12), st.booleans())
def test_every_json_lines_record_is_an_article_or_a_rejection_with_its_line(lines, gzipped):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    name = "a.jsonl.gz" if gzipped else "a.jsonl"
    path, items = read_all(name, gzip.compress(data) if gzipped else data)
    numbers = []
    whole = [item for item in items if item.source == str(path)]
    for item in items:
        if item.source == str(path):  # the file as a whole (empty, or binary, say)
            assert isinstance(item, Rejection)
            continue
        found = re.fullmatch(re.escape(str(path)) + r":(\d+)", item.source)
        assert found, item.source  # file and line, whatever went wrong
        numbers.append(int(found.group(1)))
    assert numbers == sorted(set(numbers)) and all(1 <= n <= len(lines) for n in numbers)
    objects = [n for n, line in enumerate(lines, 1) if line.lstrip().startswith("{")]
    assert whole or set(objects) <= set(numbers)  # no record is lost without a word


def test_a_json_lines_file_whose_first_line_is_an_array_keeps_its_other_records(tmp_path):
    # Found by the test above: read as one JSON document, the file was rejected whole.
    path = tmp_path / "a.jsonl"
    path.write_text('[null]\n{"title": "Kept", "body": "The record after it."}\n')
    items = list(read_file(path, CONFIG))
    assert [item.source for item in items] == [f"{path}:1", f"{path}:2"]
    assert isinstance(items[0], Rejection) and "expected a JSON object" in items[0].reason
    assert isinstance(items[1], Article) and items[1].title == "Kept"


@BOUNDED
@given(st.lists(RECORDS, max_size=6) | JSON_VALUES)
def test_a_json_document_of_random_records_is_read_whole(document):
    _, items = read_all("a.json", json.dumps(document).encode())
    if isinstance(document, list):
        assert len(items) >= min(1, len(document))


@BOUNDED
@given(st.text(max_size=80), st.text(max_size=40), st.text(max_size=400))
def test_a_plain_text_article_of_random_text_is_one_article_or_one_rejection(title, date, body):
    data = f"{title}\n{date}\n\n{body}".encode("utf-8", "surrogatepass")
    _, items = read_all("a.txt", data)
    assert len(items) == 1
