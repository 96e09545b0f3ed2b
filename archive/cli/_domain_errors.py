"""The archive's errors as one-line messages on the command line, and faults diagnosed.

An ArchiveError becomes its message (exit status 1). Any other error is first put to
archive/diagnosis.py with the archive the command was given (home_option records it in
the context): a corrupt or read-only store, a full disk, a damaged index file are then
said as such with the fix. Only what none of them explains stays a traceback: a bug.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from archive.config import Config
from archive.errors import ArchiveError, IndexBusy

CONFIG_META = "newsarchive.config"  # key of the command's Config in click's shared ctx.meta


def remember_config(ctx: click.Context, config: Config) -> Config:
    """Record the archive a command works on, for a diagnosis of its errors; return it."""
    ctx.meta[CONFIG_META] = config
    return config


def _current_config() -> Config | None:
    ctx = click.get_current_context(silent=True)
    found = ctx.meta.get(CONFIG_META) if ctx is not None else None
    return found if isinstance(found, Config) else None


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the archive's own errors, and faults of its files, into one-line messages that
    say what to do."""
    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise  # click's own: already a message or an exit status
    except IndexBusy as exc:
        raise click.ClickException(
            "another ingest or reindex is running on this archive: "
            "wait for it to finish, then run this again"
        ) from exc
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:
        config = _current_config()
        if config is None:
            raise
        from archive.diagnosis import diagnose

        diagnosed = diagnose(config, exc)
        if diagnosed is None:
            raise
        raise click.ClickException(str(diagnosed)) from exc
