"""The `saved` commands: list, add and remove the archive's saved searches.

The same searches as the web's /saved page, where each also has an Atom feed. A search is
written as the search page's URL arguments (`q=trade&person=Donald+Trump`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from archive.cli.options import emit, home_option, json_option, open_store
from archive.config import Config
from archive.store_saved import SavedSearch

EVERYTHING = "(every article)"
Command = TypeVar("Command", bound=Callable[..., Any])
_ID = re.compile("[0-9]{1,12}")


def home_here(command: Command) -> Command:
    """Let a subcommand take --home after its name too (`saved list --home DIR`)."""
    return click.option(
        "--home",
        "home",
        metavar="DIR",
        help="Archive directory (or give it before the subcommand).",
    )(command)


def _config(group_config: Config, home: str | None) -> Config:
    return Config.load(home=home) if home else group_config


def _line(found: SavedSearch) -> str:
    return f"{found.id}  {found.name}  {found.state or EVERYTHING}"


@click.group()
@home_option
@click.pass_context
def saved(ctx: click.Context, config: Config) -> None:
    """List, add and remove saved searches (each has an Atom feed at /saved/ID.atom).

    \b
    Examples:
      newsarchive saved list
      newsarchive saved add "Trade and Trump" "q=trade&person=Donald Trump"
      newsarchive saved --home /srv/archive remove "Trade and Trump"
    """
    ctx.obj = config


@saved.command("list")
@json_option(help="Print the saved searches as JSON.")
@home_here
@click.pass_obj
def list_saved(config: Config, as_json: bool, home: str | None) -> None:
    """List the saved searches, the newest first: id, name, search.

    \b
    Example:
      newsarchive saved list --home /srv/archive --json
    """
    with open_store(_config(config, home)) as store:
        found = store.saved_searches()
    data = [item._asdict() for item in found]
    emit(data, None if as_json else ([_line(s) for s in found] or ["no saved searches"]))


@saved.command("add")
@click.argument("name")
@click.argument("search", default="")
@home_here
@click.pass_obj
def add_saved(config: Config, name: str, search: str, home: str | None) -> None:
    """Save SEARCH (the search page's URL arguments; empty: every article) as NAME.

    \b
    Example:
      newsarchive saved add "Harbour news" "q=harbour&sort=newest"
    """
    from archive.search.trends import SAVED_WITHOUT, parse_state

    _, state = parse_state(search, SAVED_WITHOUT)
    with open_store(_config(config, home)) as store:
        found = store.add_saved_search(name, state)
    click.echo(f"saved {_line(found)}")


@saved.command("remove")
@click.argument("search")
@home_here
@click.pass_obj
def remove_saved(config: Config, search: str, home: str | None) -> None:
    """Remove the saved search with this id or name.

    \b
    Example:
      newsarchive saved remove 3
    """
    with open_store(_config(config, home)) as store:
        found = store.saved_search(int(search) if _ID.fullmatch(search) else search)
        if found is None:
            raise click.ClickException(
                f"no saved search {search!r}: `newsarchive saved list` shows them"
            )
        store.remove_saved_search(found.id)
    click.echo(f"removed {_line(found)}")


SAVED_COMMANDS = (saved,)
