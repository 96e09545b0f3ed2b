"""bench/bench_http.py: its URLs ask the server for the bench's own criteria, and it runs end
to end on a tiny archive, leaving no server behind (its figures are not checked here)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fixtures import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from bench_http import api_path
from bench_search import to_criteria

from archive.search import Criteria


@pytest.mark.parametrize(
    "query",
    [
        {"q": "senate"},
        {"q": '"white house press"'},
        {"people": ["Joe Biden"]},
        {"q": "budget", "date_from": "2019", "date_to": "2019"},
    ],
)
def test_api_path_asks_for_the_same_criteria(query: dict) -> None:
    url = urlsplit(api_path(query))
    assert url.path == "/api/search"
    assert Criteria.from_args(parse_qs(url.query)) == to_criteria(query)


def newsarchive(*args: str) -> None:
    script = Path(sys.executable).parent / "newsarchive"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "archive"]
    subprocess.run([*command, *args], check=True, capture_output=True, timeout=300)


@pytest.mark.slow
def test_bench_prints_every_kind_and_stops_its_server(tmp_path: Path) -> None:
    home = tmp_path / "home"
    newsarchive("generate", "--count", "200", "--out", str(tmp_path / "articles"))
    newsarchive("ingest", "--no-extract", "--home", str(home), str(tmp_path / "articles"))
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_http.py"), "--home", str(home)]
        + ["--queries", "3"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "reusing the archive" in out and (home / "fts.sqlite3").exists()
    for kind in ("common term", "rare term", "AND (2 terms)", "phrase", "broad (>50%)"):
        row = next((line for line in out.splitlines() if line.startswith(kind + " ")), "")
        assert re.search(r"ms .* (ok|over) ", row), (kind, out)
    port = int(re.search(r"server on port (\d+)", out).group(1))  # type: ignore[union-attr]
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the server is still listening"
