"""Where an archive's index directories live: the live symlink, fresh directories, the
atomic swap between them, and the clean-up of old ones.

An archive home holds the live index as a symlink `whoosh` to a directory
`whoosh-<stamp>/`; a reindex builds a new directory and renames a fresh symlink over the
old one, so readers see the old index or the new one, never half of either.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from archive.config import Config
from archive.index import integrity

DIR_PREFIX = "whoosh-"


def live_dir(config: Config) -> Path | None:
    """Return the real directory of the live index, or None when there is none."""
    path = config.index_path
    if not path.exists():
        return None
    return path.resolve()


def new_dir(config: Config) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}"
    path = config.home / f"{DIR_PREFIX}{stamp}"
    path.mkdir(parents=True)
    return path


def swap_in(config: Config, new_dir: Path) -> None:
    """Point the live symlink at new_dir atomically (rename a fresh symlink over it)."""
    link = config.index_path
    if link.exists() and not link.is_symlink():
        # An index directory from before symlinks: move it aside so the link can replace it.
        os.rename(link, config.home / f"{DIR_PREFIX}legacy-{time.time_ns()}")
    tmp = config.home / f".whoosh-link-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(new_dir.name, tmp)  # relative, so the home directory can move
    os.replace(tmp, link)
    _fsync_dir(config.home)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clean_old_dirs(config: Config, keep: int = 1) -> list[Path]:
    """Remove index directories other than the live one and the `keep` newest complete
    others (caller holds the lock, so no build is under way)."""
    live = live_dir(config)
    others = [p for p in config.home.glob(DIR_PREFIX + "*") if p.is_dir() and p.resolve() != live]
    # A directory without a TOC is what a killed build left: never an index to fall back
    # on, so it never takes the place of the last good one.
    partial = [p for p in others if integrity.latest_generation(p) < 0]
    complete = sorted((p for p in others if p not in partial), key=lambda p: p.stat().st_mtime)
    # Searchers that still have an old directory open keep their files (Unix unlink
    # semantics), and they reopen on the live one at their next search.
    doomed = partial + (complete[:-keep] if keep else complete)
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return doomed
