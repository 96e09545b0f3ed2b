"""The installed wheel must carry the templates, static files and data files."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_templates_static_and_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    [wheel] = tmp_path.glob("newsarchive-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"archive/templates/{p.name}" for p in (ROOT / "templates").glob("*.html")}
    expected |= {f"archive/templates/static/{p.name}" for p in (ROOT / "templates" / "static").iterdir()}
    expected |= {f"archive/data/{p.name}" for p in (ROOT / "archive" / "data").iterdir() if p.is_file()}
    expected |= {"archive/extract/__init__.py", "archive/readers/plaintext.py", "archive/cli.py"}
    assert expected <= names, sorted(expected - names)
