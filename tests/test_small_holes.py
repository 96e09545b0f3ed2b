"""Issue 10's small holes: the last date, odd digits, NOT NOT, undecodable ids, formulas in
CSV cells and control characters on the terminal."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures import ArchiveCliRunner, build_archive, fetch, utc
from flask import Flask
from flask.testing import FlaskClient

from archive.config import Config
from archive.errors import SearchError
from archive.models import Article
from archive.search.parsing import parse

ESC = "\x1b"
# A title that clears the screen, then starts a new line looking like a rejection.
HOSTILE_TITLE = f"Evil{ESC}[2J\nrejected forged.json: fake"
HOSTILE_BODY = f"First paragraph about walruses.\n\nSecond {ESC}]0;pwned\x07 paragraph \x9b."
FORMULA_TITLE = '=HYPERLINK("http://evil.example/","walrus")'


def hostile_articles() -> list[Article]:
    """Articles whose fields would run as formulas or drive a terminal if output raw."""
    return [
        Article(
            title=FORMULA_TITLE,
            body="A walrus article whose title is a spreadsheet formula.",
            date=utc(2022, 5, 1),
            section="@SUM(1+1)",
            people=["+Walrus Keeper"],
            authors=["-2+3"],
            source="fixture#formula",
        ),
        Article(
            title=HOSTILE_TITLE,
            body=HOSTILE_BODY,
            date=utc(2022, 5, 2),
            section="\tTabbed",
            people=[f"Walter{ESC}[31m Red"],
            source="fixture#hostile",
        ),
        Article(
            title="Walrus census, plainly",
            body="A plain walrus article.",
            date=None,
            section="Nature",
            source="fixture#plain",
        ),
    ]


@pytest.fixture(scope="module")
def hostile_archive(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """A real archive of hostile_articles() (read only)."""
    return build_archive(tmp_path_factory.mktemp("holes") / "home", hostile_articles())


@pytest.fixture
def hostile_client(make_app: Callable[[Path], Flask], hostile_archive: Config) -> FlaskClient:
    """A test client over the hostile archive (5xx answers fail the test)."""
    return make_app(hostile_archive.home).test_client()


# -- 15: the last date, odd digits, NOT NOT, undecodable ids --------------------------


@pytest.mark.parametrize("path", ["/", "/api/search", "/export.csv", "/export.jsonl", "/feed.atom"])
@pytest.mark.parametrize("last", ["9999-12-31", "9999-12", "9999"])
def test_a_date_filter_ending_in_9999_is_answered(
    client: FlaskClient, path: str, last: str
) -> None:
    fetch(client, f"{path}?to={last}")
    fetch(client, f"{path}?from=2019&to={last}")


def test_to_9999_12_31_keeps_every_dated_article(client: FlaskClient) -> None:
    dated = fetch(client, "/api/search?undated=0").get_json()["total"]
    until_the_end = fetch(client, "/api/search?to=9999-12-31").get_json()["total"]
    assert until_the_end == dated > 0


def test_an_impossible_date_says_the_allowed_range(client: FlaskClient) -> None:
    answer = fetch(client, "/api/search?to=0000-01-01", 400).get_json()
    assert "0001-01-01 to 9999-12-31" in answer["error"]


def test_cli_search_to_the_last_date(runner: ArchiveCliRunner, hostile_archive: Config) -> None:
    home = hostile_archive.home
    result = runner.run("search", "--home", home, "walrus", "--to", "9999-12-31", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["total"] == 2  # the undated one is left out


@pytest.mark.parametrize("limit", ["²", "¹⁰", "0" * 5000 + "5", "٣", "+5", " 5"])
def test_facet_limit_takes_ascii_digits_only(client: FlaskClient, limit: str) -> None:
    answer = fetch(client, f"/api/facets/people?limit={limit}", 400).get_json()
    assert answer["status"] == 400 and "limit" in answer["error"]


def test_facet_limit_in_range_still_works(client: FlaskClient) -> None:
    assert len(fetch(client, "/api/facets/people?limit=2").get_json()["values"]) == 2


@pytest.mark.parametrize(
    ("doubled", "plain"),
    [
        ("NOT NOT trump", "trump"),
        ("NOT NOT NOT trump", "NOT trump"),
        ("obama AND NOT NOT trump", "obama AND trump"),
        ("(NOT NOT trump)", "trump"),
        ('"NOT NOT" NOT NOT trump', '"NOT NOT" trump'),
    ],
)
def test_two_nots_cancel_out(doubled: str, plain: str) -> None:
    assert parse(doubled) == parse(plain)


@pytest.mark.parametrize("query", ["NOT AND trump", "NOT OR trump"])
def test_not_before_an_operator_says_what_to_fix(query: str) -> None:
    with pytest.raises(SearchError, match="NOT needs a word after it"):
        parse(query)


def test_not_not_searches_as_the_word(client: FlaskClient) -> None:
    plain = fetch(client, "/api/search?q=zebracorn").get_json()["total"]
    doubled = fetch(client, "/api/search?q=NOT+NOT+zebracorn").get_json()["total"]
    assert doubled == plain > 0
    fetch(client, "/?q=NOT+NOT+zebracorn")


def test_parser_failures_do_not_leak_python_errors(client: FlaskClient) -> None:
    answer = fetch(client, "/api/search?q=NOT+AND+zebracorn", 400).get_json()
    assert "index" not in answer["error"] and "NOT" in answer["error"]


def test_show_an_id_of_undecodable_bytes(runner: ArchiveCliRunner, hostile_archive: Config) -> None:
    # What Python makes of `newsarchive show $'a\xff'`: the byte as a lone surrogate.
    result = runner.run("show", "--home", hostile_archive.home, "a\udcff")
    assert result.exit_code == 1 and "no article" in result.output


# -- 17: formulas in CSV cells ------------------------------------------------------------


def test_csv_cells_that_would_be_formulas_start_with_a_quote(hostile_client: FlaskClient) -> None:
    text = fetch(hostile_client, "/export.csv?q=walrus").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    by_title = {row["title"]: row for row in rows}
    formula = by_title["'" + FORMULA_TITLE]
    assert formula["section"] == "'@SUM(1+1)"
    assert formula["people"] == "'+Walrus Keeper"
    assert formula["authors"] == "'-2+3"
    assert by_title[HOSTILE_TITLE]["section"] == "'\tTabbed"
    plain = by_title["Walrus census, plainly"]
    assert plain["section"] == "Nature" and plain["date"] == ""
    for row in rows:
        cells = [cell for cell in row.values() if cell]
        assert not [cell for cell in cells if cell[0] in "=+-@\t\r"], row


# -- 18: control characters on the terminal --------------------------------------------


def test_ingest_rejections_stay_one_line_each(runner: ArchiveCliRunner, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / f"evil{ESC}[31m\nrejected forged.json").write_text("{not json")
    result = runner.run("ingest", "--home", tmp_path / "home", "--workers", "1", inputs)
    assert ESC not in result.stderr
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected")]
    assert len(rejected) == 1
    assert "evil\\x1b[31m\\nrejected forged.json" in rejected[0]
    stats = runner.run("stats", "--home", tmp_path / "home")
    assert ESC not in stats.output and "evil\\x1b[31m\\nrejected" in stats.output


def test_show_escapes_controls_but_keeps_paragraphs(
    runner: ArchiveCliRunner, hostile_archive: Config
) -> None:
    home = hostile_archive.home
    hit = json.loads(runner.run("search", "--home", home, "paragraph", "--json").output)["hits"][0]
    output = runner.run("show", "--home", home, hit["id"]).output
    assert not {ESC, "\x07", "\x9b"} & set(output)
    assert "title: Evil\\x1b[2J\\nrejected forged.json: fake\n" in output
    assert "people: Walter\\x1b[31m Red" in output
    assert "First paragraph about walruses.\n\nSecond \\x1b]0;pwned\\x07 paragraph \\x9b." in output


def test_search_lines_carry_no_controls(runner: ArchiveCliRunner, hostile_archive: Config) -> None:
    output = runner.run("search", "--home", hostile_archive.home, "walrus").output
    assert ESC not in output
    assert not [line for line in output.splitlines() if line.startswith("rejected")]
    assert "Evil\\x1b[2J\\nrejected forged.json: fake" in output
    assert "Walter\\x1b[31m Red" in output  # in the hit's names and in the people facet


def test_json_output_escapes_c1_controls(runner: ArchiveCliRunner, hostile_archive: Config) -> None:
    output = runner.run("search", "--home", hostile_archive.home, "paragraph", "--json").output
    assert "\x9b" not in output and "\\u009b" in output
    assert json.loads(output)["hits"][0]["title"] == HOSTILE_TITLE
