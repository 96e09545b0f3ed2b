"""The search form forgives, the results read well, the server's paths stay private (issue 11).

Through Flask's test client over real archives: a search that cannot run comes back as typed
with a message at the field (400); dates are typed as people write them; "leave out undated"
shows only where it changes the result; per page, marked titles, the CSV's snippet; times in
the configured zone with UTC on hover; and no page or API answer names an absolute path.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from fixtures import (
    Page,
    fetch,
    fetch_page,
    make_archive,
    query_args,
    shown_total,
    store_articles,
    utc,
    web_articles,
)

from archive.config import Config
from archive.errors import SearchError
from archive.facets import all_facets
from archive.models import Article
from archive.search.criteria import Criteria
from archive.search.dates import parse_period
from archive.sources import public_source, relative_source
from archive.store import Store

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

# The state a researcher had set before typing something the search cannot use.
STATE = [
    ("person", "Quentin Quill"),
    ("exclude_outlet", "Radio Meridian"),
    ("to", "2021"),
    ("sort", "newest"),
    ("per_page", "50"),
]


def inputs_of(doc: Page) -> dict[str, dict[str, str | None]]:
    """Return the page's <input> and <select> elements that have an id, by id."""
    return {a["id"] or "": a for tag, a in doc.tags if tag in ("input", "select") and a.get("id")}


def hidden_pairs(doc: Page) -> list[tuple[str | None, str | None]]:
    return [(a["name"], a["value"]) for tag, a in doc.tags if a.get("type") == "hidden"]


def selected_options(html: str, select_id: str) -> list[str]:
    """Return the values of the selected options of one <select>."""
    block = html.split(f'<select id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return [
        a["value"] or ""
        for tag, a in Page(block).tags
        if tag == "option" and "selected" in a and a.get("value")
    ]


# -- a search that cannot run comes back as typed ------------------------------------


def bad_search(client: FlaskClient, *pairs: tuple[str, str]) -> tuple[str, Page]:
    response = client.get("/", query_string=[*pairs, *STATE])
    assert response.status_code == 400 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Error 400" not in html and 'role="search"' in html  # the search page, not an error
    return html, Page(html)


def assert_state_kept(html: str, doc: Page) -> None:
    """Every value of STATE is still on the page, for the next search to carry."""
    assert ("person", "Quentin Quill") in hidden_pairs(doc)
    assert ("exclude_outlet", "Radio Meridian") in hidden_pairs(doc)
    assert inputs_of(doc)["to"]["value"] == "2021"
    assert selected_options(html, "sort") == ["newest"]
    assert selected_options(html, "per_page") == ["50"]
    chips = doc.plain_text()
    assert "Person: Quentin Quill" in chips and "Not outlet: Radio Meridian" in chips


@pytest.mark.parametrize("query", ['"unclosed phrase', "NOT", "(open", "a*"])
def test_a_query_the_parser_refuses_comes_back_with_a_message_at_the_box(
    client: FlaskClient, query: str
) -> None:
    html, doc = bad_search(client, ("q", query))
    box = inputs_of(doc)["q"]
    assert box["value"] == query
    assert box["aria-invalid"] == "true" and box["aria-describedby"] == "q-error"
    message = html.split('id="q-error"', 1)[1].split("</p>", 1)[0]
    assert len(Page(message).plain_text()) > 10  # it says what to fix
    assert_state_kept(html, doc)
    assert not inputs_of(doc)["from"].get("aria-invalid")


def test_a_date_that_is_no_date_comes_back_with_a_message_at_its_field(
    client: FlaskClient,
) -> None:
    html, doc = bad_search(client, ("q", "talks"), ("from", "March 20166"))
    fields = inputs_of(doc)
    assert fields["q"]["value"] == "talks" and not fields["q"].get("aria-invalid")
    assert fields["from"]["value"] == "March 20166"
    assert fields["from"]["aria-invalid"] == "true"
    assert (fields["from"]["aria-describedby"] or "").split()[0] == "from-error"
    assert "is not a date" in html.split('id="from-error"', 1)[1].split("</p>", 1)[0]
    assert_state_kept(html, doc)
    # The summary links to the field, and the date form carries the query along.
    assert doc.href("Fix the “From” date") == "#from"
    date_form = html.split('class="daterange"', 1)[1].split("</form>", 1)[0]
    assert ("q", "talks") in hidden_pairs(Page(date_form))


def test_dates_in_the_wrong_order_mark_the_to_field(client: FlaskClient) -> None:
    response = client.get("/?from=2021&to=2019")
    doc = Page(response.get_data(as_text=True))
    assert response.status_code == 400
    assert inputs_of(doc)["to"]["aria-invalid"] == "true"
    assert not inputs_of(doc)["from"].get("aria-invalid")


def test_a_hand_edited_setting_is_a_problem_of_the_whole_form(client: FlaskClient) -> None:
    response = client.get("/?q=talks&sort=sideways")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="form-error"' in html
    assert inputs_of(Page(html))["q"]["value"] == "talks"


def test_the_api_still_answers_a_bad_search_with_json(client: FlaskClient) -> None:
    for query in ('q="unclosed', "from=March+20166"):
        response = client.get(f"/api/search?{query}")
        assert response.status_code == 400 and response.get_json()["status"] == 400


# -- dates as people type them -----------------------------------------------------

TYPED = [
    ("2016", date(2016, 1, 1), date(2017, 1, 1), "2016"),
    ("2016-03", date(2016, 3, 1), date(2016, 4, 1), "2016-03"),
    ("March 2016", date(2016, 3, 1), date(2016, 4, 1), "2016-03"),
    ("Mar 2016", date(2016, 3, 1), date(2016, 4, 1), "2016-03"),
    ("3/2016", date(2016, 3, 1), date(2016, 4, 1), "2016-03"),
    ("2016-03-14", date(2016, 3, 14), date(2016, 3, 15), "2016-03-14"),
    ("14 March 2016", date(2016, 3, 14), date(2016, 3, 15), "2016-03-14"),
    ("  december   2016 ", date(2016, 12, 1), date(2017, 1, 1), "2016-12"),
]


@pytest.mark.parametrize(("typed", "first", "end", "canonical"), TYPED)
def test_a_typed_date_names_its_whole_period(
    typed: str, first: date, end: date, canonical: str
) -> None:
    assert parse_period(typed, "from") == (first, end, canonical)
    # "From" starts at the period's first day, "To" ends after its last; URLs say it short.
    criteria = Criteria(date_from=typed, date_to=typed)
    assert criteria.date_range() == (first, end)
    assert criteria.to_args() == [("from", canonical), ("to", canonical)]


@pytest.mark.parametrize("typed", ["March", "14", "soon", "2016-13", "13/2016", "x" * 60])
def test_what_names_no_period_is_refused(typed: str) -> None:
    with pytest.raises(SearchError):
        parse_period(typed, "from")


def test_a_date_typed_in_words_redirects_to_the_canonical_url(client: FlaskClient) -> None:
    response = client.get("/?q=dredging&from=2+March+2019&to=March+2019")
    assert response.status_code == 302
    assert query_args(response.headers["Location"]) == [
        ("q", "dredging"),
        ("from", "2019-03-02"),
        ("to", "2019-03"),
    ]
    # The harbour story (2 March 2019) is inside; a day later it is not.
    assert fetch(client, "/api/search?q=dredging&from=2+March+2019").get_json()["total"] == 1
    assert fetch(client, "/api/search?q=dredging&from=3+March+2019").get_json()["total"] == 0
    assert fetch(client, "/api/search?q=dredging&to=Mar+2019").get_json()["total"] == 1


# -- "leave out undated" only where it changes the result --------------------------


def undated_boxes(doc: Page) -> list[dict[str, str | None]]:
    """Return the undated checkboxes (other forms carry undated=0 along as hidden state)."""
    return [
        a
        for tag, a in doc.tags
        if tag == "input" and a.get("name") == "undated" and a.get("type") != "hidden"
    ]


def test_undated_is_offered_only_where_it_changes_the_result(client: FlaskClient) -> None:
    everything = shown_total(fetch_page(client, "/")[0])
    # One undated article in the archive: the box is there, as one checkbox sending 0.
    boxes = undated_boxes(fetch_page(client, "/")[1])
    assert [(b["type"], b["value"]) for b in boxes] == [("checkbox", "0")]
    html, doc = fetch_page(client, "/?undated=0")
    assert shown_total(html) == everything - 1 and "checked" in undated_boxes(doc)[0]
    assert "Undated: left out" in doc.plain_text()
    # A date range leaves undated articles out anyway: no box, no chip, one total.
    html, doc = fetch_page(client, "/?from=2019&undated=0")
    assert undated_boxes(doc) == [] and "Undated: left out" not in doc.plain_text()
    assert shown_total(html) == shown_total(fetch_page(client, "/?from=2019")[0])
    date_form = Page(html.split('class="daterange"', 1)[1].split("</form>", 1)[0])
    assert [k for k, _ in hidden_pairs(date_form)].count("undated") == 0
    # Results without an undated article: nothing to leave out.
    assert undated_boxes(fetch_page(client, "/?q=dredging")[1]) == []


# -- results: per page, marked titles, the CSV's snippet ----------------------------


def test_per_page_choice_is_kept_in_every_link(client: FlaskClient) -> None:
    html, doc = fetch_page(client, "/?q=talks&per_page=50")
    assert html.count('<li class="hit">') == min(50, shown_total(html))
    assert selected_options(html, "per_page") == ["50"]
    assert [v for v in ("20", "50", "100") if f'<option value="{v}"' in html] == [
        "20",
        "50",
        "100",
    ]
    kept = [link.href for link in doc.links if urlsplit(link.href).path == "/" and link.href != "/"]
    assert kept and all(("per_page", "50") in query_args(href) for href in kept if "?" in href)
    # The sort form carries the query, not the old per-page value twice.
    sort_form = Page(html.split('class="sort"', 1)[1].split("</form>", 1)[0])
    assert ("per_page", "50") not in hidden_pairs(sort_form)
    assert ("q", "talks") in hidden_pairs(sort_form)


def test_query_words_are_marked_in_titles_and_titles_stay_escaped(client: FlaskClient) -> None:
    html, _ = fetch_page(client, "/?q=harbour")
    assert "Quill meets the <mark>harbour</mark> board</a></h3>" in html
    html, _ = fetch_page(client, "/?q=payload")
    title = html.split('<li class="hit">', 1)[1].split("</h3>", 1)[0]
    assert "<mark>Payload</mark>" in title and "&lt;script&gt;" in title
    assert "<script" not in title and "<img" not in title


def test_the_csv_export_has_a_snippet_column(client: FlaskClient) -> None:
    text = fetch(client, "/export.csv?q=dredging").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["title"] for row in rows] == ["Quill meets the harbour board"]
    assert "dredging" in rows[0]["snippet"] and "<mark>" not in rows[0]["snippet"]


# -- times in the archive's zone ------------------------------------------------------

WARSAW_STORY = """World

Harbour council meets late

11.04.2023 23:00
The harbour council met late into the night, the port office said.

Source: Port Gazette"""


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive ingested as a user would (absolute paths given): a folder with JSON Lines
    in a subfolder and a Warsaw plain-text story, then one file given by itself; and one
    article stored before sources were relative, its source an absolute path."""
    from archive.ingest import ingest_paths

    root = tmp_path_factory.mktemp("private")
    folder, single = root / "inputs", root / "elsewhere" / "export.jsonl"
    (folder / "2019").mkdir(parents=True)
    single.parent.mkdir()
    records = [
        {"title": f"Ferry report {i}", "body": f"The ferry ran late {i} times.", "source": "Wire"}
        for i in range(3)
    ]
    lines = "\n".join(
        json.dumps(dict(r, date=f"2019-0{i + 1}-05T10:00:00Z")) for i, r in enumerate(records)
    )
    (folder / "2019" / "ferries.jsonl").write_text(lines + "\n")
    (folder / "story.txt").write_text(WARSAW_STORY)
    single.write_text(json.dumps({"title": "Single file story", "body": "Lone ferry text."}) + "\n")
    config = Config(home=root / "home", timezone="Europe/Warsaw")
    ingest_paths(config, [folder.resolve()], workers=1, run_extraction=False)
    ingest_paths(config, [single.resolve()], workers=1, run_extraction=False)
    old = Article(
        title="Stored long ago",
        body="A ferry story stored with its full path.",
        date=utc(2018, 5, 1, 12),
        people=["Quentin Quill"],
        outlets=["Wire"],
        source=f"{root.resolve()}/legacy/export.jsonl.gz:2349",
    )
    with Store(config.store_path) as store:
        store_articles(config, store, [old], index=True)
        store.mark_indexed()
    return root


def article_json(client: FlaskClient, title: str) -> dict[str, object]:
    hits = fetch(client, "/api/search", 200).get_json()["hits"]
    found = next(h for h in hits if h["title"] == title)
    return fetch(client, f"/api/articles/{found['id']}").get_json()


def test_sources_are_stored_relative_to_what_was_ingested(
    make_app: Callable[[Path], Flask], ingested: Path
) -> None:
    client = make_app(ingested / "home").test_client()
    assert article_json(client, "Ferry report 1")["source"] == "2019/ferries.jsonl:2"
    assert article_json(client, "Harbour council meets late")["source"] == "story.txt:1"
    assert article_json(client, "Single file story")["source"] == "export.jsonl:1"
    # Stored with an absolute path before: shown by its file's name.
    assert article_json(client, "Stored long ago")["source"] == "export.jsonl.gz:2349"


def test_public_and_relative_sources() -> None:
    assert public_source("/srv/in/export.jsonl.gz:2349") == "export.jsonl.gz:2349"
    assert public_source("../../srv/in/a.txt:1") == "a.txt:1"
    assert public_source("C:\\data\\x.jsonl:4") == "x.jsonl:4"
    assert public_source("2019/a.jsonl:3") == "2019/a.jsonl:3"
    assert public_source("fixture#quill") == "fixture#quill"
    top = Path("/srv/in")
    assert relative_source("/srv/in/2019/a.jsonl:5", top / "2019" / "a.jsonl", top) == (
        "2019/a.jsonl:5"
    )
    assert relative_source("/srv/in/a.jsonl:5", top / "a.jsonl", top / "a.jsonl") == "a.jsonl:5"


def crawl(client: FlaskClient, start: list[str], limit: int = 250) -> Iterator[tuple[str, str]]:
    """Yield (url, body) of start and of every page linked from them, breadth first."""
    seen, queue = set(start), list(start)
    while queue and len(seen) <= limit:
        url = queue.pop(0)
        response = client.get(url)
        body = response.get_data(as_text=True)
        yield url, body
        if response.mimetype != "text/html":
            continue
        for link in Page(body).links:
            parts = urlsplit(link.href)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)


def test_no_page_or_api_answer_shows_an_absolute_path(
    make_app: Callable[[Path], Flask], ingested: Path
) -> None:
    client = make_app(ingested / "home").test_client()
    ids = [h["id"] for h in fetch(client, "/api/search").get_json()["hits"]]
    assert len(ids) == 6
    start = [
        "/",
        "/?q=ferry",
        "/api/search?q=ferry",
        "/export.csv",
        "/export.jsonl",
        "/feed.atom",
        "/api/openapi.json",
        *(f"/articles/{i}" for i in ids),
        *(f"/api/articles/{i}" for i in ids),
        *(f"/api/facets/{f.name}" for f in all_facets()),
    ]
    private = {str(ingested), str(ingested.resolve())}
    walked = 0
    for url, body in crawl(client, start):
        walked += 1
        assert not [p for p in private if p in body], url
    assert walked > len(start)  # the article and search pages' links were followed too
    html, _ = fetch_page(client, f"/articles/{ids[0]}")
    assert "Source file" in html


def test_times_show_in_the_configured_zone_with_utc_on_hover(
    make_app: Callable[[Path], Flask], ingested: Path
) -> None:
    home = ingested / "home"
    plain = make_app(home).test_client()
    found = article_json(plain, "Harbour council meets late")
    assert found["date"] == "2023-04-11T21:00:00Z"  # the API keeps UTC
    url = f"/articles/{found['id']}"
    assert "11 Apr 2023, 21:00 UTC</time>" in fetch_page(plain, url)[0]  # default: UTC
    app = make_app(home)
    app.config["ARCHIVE_TIMEZONE"] = "Europe/Warsaw"
    client = app.test_client()
    html, _ = fetch_page(client, url)
    assert 'title="2023-04-11 21:00 UTC">11 Apr 2023, 23:00 CEST</time>' in html
    assert fetch(client, f"/api/articles/{found['id']}").get_json()["date"] == found["date"]
    # In a results list too: the day is the zone's day.
    late = fetch_page(client, "/?q=council")[0]
    assert 'title="2023-04-11 21:00 UTC">11 Apr 2023</time>' in late


def test_error_pages_do_not_show_the_servers_paths(
    make_app: Callable[[Path], Flask], tmp_path: Path
) -> None:
    # A home without a store, then one whose index is gone: 503s that say so, pathless.
    empty = tmp_path / "empty home"
    empty.mkdir()
    client = make_app(empty).test_client()
    for url in ("/", "/api/search?q=x"):
        body = fetch(client, url, 503).get_data(as_text=True)
        assert "no archive at the archive home" in body
        assert str(tmp_path) not in body
    config, _ = make_archive(tmp_path / "built", web_articles())
    shutil.rmtree(config.index_path.resolve())  # the live index, a symlinked generation
    config.index_path.unlink()
    client = make_app(config.home).test_client()
    for url in ("/", "/api/search?q=x"):
        body = fetch(client, url, 503).get_data(as_text=True)
        assert "index" in body and str(tmp_path) not in body
