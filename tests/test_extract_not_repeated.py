"""Extraction runs once per article: a re-ingest of unchanged files or a reindex never loads
the model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from fixtures import ROOT

from archive.generate import write_articles

# Run in a fresh interpreter: ingest again, then reindex, then report what was imported.
AGAIN = textwrap.dedent("""
    import json, sys
    from archive.cli import cli
    from archive.config import Config
    from archive.ingest import ingest_paths

    home, folder = sys.argv[1], sys.argv[2]
    report = ingest_paths(Config.load(home), [folder], workers=1)
    for args in (["ingest", "--home", home, "--workers", "1", folder],
                 ["reindex", "--home", home, "--workers", "1"]):
        try:
            cli.main(args, standalone_mode=False)
        except SystemExit as stop:
            assert not stop.code, args
    print(json.dumps({"spacy": "spacy" in sys.modules, "added": report.added,
                      "updated": report.updated, "unchanged": report.unchanged}))
""")


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=300, env=env, cwd=ROOT
    )


def trap_spacy(tmp_path: Path) -> dict:
    """Return an environment whose spaCy records any import (here or in a worker) and fails."""
    trap = tmp_path / "trap"
    (trap / "spacy").mkdir(parents=True)
    marker = tmp_path / "spacy-imported"
    (trap / "spacy" / "__init__.py").write_text(
        f"open({str(marker)!r}, 'a').write('imported')\nraise ImportError('extraction ran again')\n"
    )
    path = os.pathsep.join([str(trap), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


def test_reingest_and_reindex_do_no_extraction(tmp_path):
    folder = write_articles(tmp_path / "in", 4, seed=5)
    home = tmp_path / "home"
    first = run("-m", "archive", "ingest", "--home", str(home), "--workers", "1", str(folder))
    assert first.returncode == 0, first.stderr

    env = trap_spacy(tmp_path)
    again = run("-c", AGAIN, str(home), str(folder), env=env)
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout.strip().splitlines()[-1])
    assert result == {"spacy": False, "added": 0, "updated": 0, "unchanged": 4}
    assert not (tmp_path / "spacy-imported").exists()


def test_the_trap_catches_a_changed_article(tmp_path: Path) -> None:
    """Check the test above can fail: a changed article is extracted again."""
    folder = write_articles(tmp_path / "in", 2, seed=6)
    home = tmp_path / "home"
    first = run("-m", "archive", "ingest", "--home", str(home), "--workers", "1", str(folder))
    assert first.returncode == 0, first.stderr
    changed = sorted(folder.rglob("*.txt"))[0]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("spoke about", "talked about"), encoding="utf-8")
    again = run("-c", AGAIN, str(home), str(folder), env=trap_spacy(tmp_path))
    assert again.returncode != 0 and "extraction ran again" in again.stderr
    assert (tmp_path / "spacy-imported").exists()
