"""The installed wheel must carry every module, the templates, static files and data files."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fixtures import ROOT


@pytest.mark.slow
def test_wheel_ships_templates_static_and_data(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("newsarchive-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"archive/templates/{p.name}" for p in (ROOT / "templates").glob("*.html")}
    static = (ROOT / "templates" / "static").iterdir()
    expected |= {f"archive/templates/static/{p.name}" for p in static}
    data = (ROOT / "archive" / "data").iterdir()
    expected |= {f"archive/data/{p.name}" for p in data if p.is_file()}
    # Every module of the package, so a new subpackage missing from pyproject.toml fails here.
    expected |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "archive").rglob("*.py")}
    assert expected <= names, sorted(expected - names)
