"""What the command line's commands share: options, output, a progress bar, the store."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar

import click

from archive.cli._domain_errors import remember_config
from archive.config import Config
from archive.errors import ArchiveMissing
from archive.facets import MODES, all_facets
from archive.readers import Rejection
from archive.store import Store
from archive.terminal import printable

Command = TypeVar("Command", bound=Callable[..., Any])

json_option = partial(click.option, "--json", "as_json", is_flag=True)
workers_option = partial(
    click.option,
    "--workers",
    type=click.IntRange(1, 64),
    help="Extraction processes [default: CPU count].",
)
bold = partial(click.style, bold=True)  # click drops the style when not on a terminal
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff]")  # only ever inside JSON strings


def home_option(command: Command) -> Command:
    """Add --home to a command, which receives the archive's Config as `config`."""
    return click.option(
        "--home",
        "config",
        metavar="DIR",
        envvar="NEWSARCHIVE_HOME",
        callback=lambda ctx, _param, value: remember_config(ctx, Config.load(home=value)),
        help="Archive directory holding the store and index "
        "[env NEWSARCHIVE_HOME; default: index/].",
    )(command)


def facet_options(command: Command) -> Command:
    """Add --PARAM, --exclude-PARAM and, for a multi-valued facet, --PARAM-mode for each
    facet of the registry (values in **facets; read the modes with facet_modes)."""
    for facet in reversed(all_facets()):
        if facet.mode_param:
            command = click.option(
                f"--{facet.mode_param.replace('_', '-')}",
                facet.mode_param,
                type=click.Choice(MODES),
                help=f"Articles with any (the default) or all of the --{facet.param} values; "
                f"with all, the {facet.name} counts are of what they appear with.",
            )(command)
        for param, help_text in (
            (facet.exclude_param, "Leave out articles {}."),
            (facet.param, "Only articles {} (repeatable: any of them)."),
        ):
            if param:
                command = click.option(
                    f"--{param.replace('_', '-')}",
                    param,
                    multiple=True,
                    metavar="VALUE",
                    help=help_text.format(facet.describes),
                )(command)
    return command


def facet_modes(args: Mapping[str, object]) -> dict[str, str]:
    """Return the facets given a --PARAM-mode, and the mode (facet name -> any or all)."""
    return {
        facet.name: str(args[facet.mode_param])
        for facet in all_facets()
        if facet.mode_param and args.get(facet.mode_param)
    }


def emit(data: Any, lines: Iterable[str] | None = None) -> None:
    """Print the lines of a plain-text view or, when there is none, data as a line of JSON."""
    click.echo(json_line(data) if lines is None else "\n".join(lines))


def json_line(data: Any) -> str:
    """Return data as one line of JSON that is safe on a terminal: json.dumps escapes C0
    controls itself; DEL, C1 controls and lone surrogates get \\u escapes here."""
    return _UNSAFE_IN_JSON.sub(
        lambda match: f"\\u{ord(match.group()):04x}", json.dumps(data, ensure_ascii=False)
    )


def echo_rejections(rejections: Iterable[Rejection]) -> None:
    """Say on stderr which inputs were rejected and why, one line each whatever they hold."""
    for rejection in rejections:
        source, reason = printable(rejection.source), printable(rejection.reason)
        click.echo(f"rejected {source}: {reason}", err=True)


@contextmanager
def progress_bar(
    label: str, total: Callable[[], int], shown: bool = True
) -> Iterator[Callable[[int], None] | None]:
    """Yield a callback advancing a bar on stderr, or None when stderr is no terminal
    (total is counted only when the bar is drawn)."""
    if not (shown and sys.stderr.isatty()):
        yield None
        return
    with click.progressbar(
        length=total(), label=label, file=sys.stderr, show_eta=True, show_pos=True
    ) as bar:
        yield bar.update


def require_archive(config: Config) -> None:
    """Say how to create an archive when the home has no store, or a zero-byte one (a read
    that opened it would create an empty store)."""
    if not Store.present(config.store_path):
        raise ArchiveMissing(
            f"no archive at {config.home}: run `newsarchive ingest PATH` first, or pass --home"
        )


def open_store(config: Config, readonly: bool = False) -> Store:
    """Open the archive's store (for reading only when readonly: a read-only home does),
    or say how to create one (never creating an empty one)."""
    require_archive(config)
    return Store(config.store_path, readonly=readonly)
