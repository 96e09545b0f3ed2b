"""The newsarchive command line: a thin layer over the archive package, and the only part
of it that imports click.

__init__.py  the command group; the archive's errors become one-line messages here, once
reading.py   the commands that read the archive: show, stats, search, check, serve
building.py  the commands that build it: generate, extract, ingest, reextract, reindex
options.py   what they share: options, output, a progress bar, the store
curation.py  `people` and `outlets`: list, merge, split, rename, hide, unhide, log
saved.py     `saved`: list, add and remove saved searches

Each command makes one library call and prints the answer (plain-text views live in
archive/terminal.py). Heavy modules (search, index, extraction, web) are imported by the
commands that use them, so `newsarchive --help` stays fast.
"""

from __future__ import annotations

from typing import Any

import click

from archive.cli._domain_errors import domain_errors
from archive.cli.building import BUILD_COMMANDS
from archive.cli.curation import CURATION_COMMANDS
from archive.cli.reading import READ_COMMANDS
from archive.cli.saved import SAVED_COMMANDS


class _ArchiveGroup(click.Group):
    """The command group; the archive's own errors become one-line messages here, once."""

    def invoke(self, ctx: click.Context) -> Any:
        with domain_errors():
            return super().invoke(ctx)


@click.group(cls=_ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Ingest, search and serve a full-text news archive.

    \b
    Examples:
      newsarchive ingest articles/ export.jsonl.gz
      newsarchive search "Putin" --from 2023 --outlet Newsweek
      newsarchive serve
    """


for command in (*BUILD_COMMANDS, *READ_COMMANDS, *CURATION_COMMANDS, *SAVED_COMMANDS):
    cli.add_command(command)


def main() -> None:
    """Run the command line."""
    cli(prog_name="newsarchive")
