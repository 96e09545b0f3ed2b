"""The `make bench` scripts run end to end on tiny inputs (their numbers are not checked:
speed is measured by running them, not by tests), so a change of the library's API
cannot silently break them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fixtures import ALLSIDES, ROOT

pytestmark = pytest.mark.slow


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_search_bench_prints_every_query_kind():
    out = run("bench_search.py", "--count", "3000", "--queries", "3")
    for kind in ("common term", "rare term", "AND (2 terms)", "phrase", "person filter"):
        assert any(line.startswith(kind) and "ms" in line for line in out.splitlines()), kind
    assert "reindex (" in out and "FTS5 build:" in out


def test_web_bench_prints_server_and_core_times():
    out = run("bench_web.py", "--count", "1500", "--requests", "5")
    assert "all search pages" in out and "search core alone" in out


def test_ingest_bench_prints_rates():
    out = run("bench_ingest.py", "--count", "300")
    assert "generated jsonl x300" in out and "peak RSS" in out


def test_extract_bench_prints_rates():
    out = run("bench_extract.py", "--articles", "30", "--workers", "2")
    assert "articles/s" in out


def test_scale_bench_prints_every_query_kind(tmp_path: Path) -> None:
    out = run(
        "bench_scale.py",
        *("--count", "1500", "--queries", "3", "--corpus", str(tmp_path / "absent")),
        *("--home", str(tmp_path / "home"), "--no-fts"),
    )
    assert "generated (no corpus)" in out
    for kind in ("common term", "OR (10 terms)", "prefix", "more-like-this", "deep page (500)"):
        assert any(line.startswith(kind) and "ms" in line for line in out.splitlines()), kind
    for label in ("ingest-to-searchable", "reindex peak RSS", "x raw text", "incremental"):
        assert label in out, label


@pytest.mark.skipif(not ALLSIDES.exists(), reason="the shared AllSides corpus is absent")
def test_snippet_bench_prints_ms_per_hit() -> None:
    out = run("bench_snippets.py", "--count", "50")
    assert "50 bodies" in out and "prefix" in out
