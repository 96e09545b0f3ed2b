"""The curation commands: `newsarchive people ...` and `newsarchive outlets ...`.

Both groups have the same seven commands (list, merge, split, rename, hide, unhide, log),
each one call into archive/curation_ops.py; tables print as aligned columns (numbers to
the right), or as JSON with --json.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from archive.cli.options import emit, json_option, open_store
from archive.config import Config
from archive.store_people import CurationAction
from archive.terminal import printable

NOUN = {"people": "person", "outlets": "outlet"}
Command = TypeVar("Command", bound=Callable[..., Any])


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Iterator[str]:
    """Yield an aligned table: a header, a rule of dashes, then one line a row (numbers
    right-aligned, text left-aligned, the last column unpadded)."""
    cells = [[printable(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    numeric = [bool(rows) and all(isinstance(r[i], int) for r in rows) for i in range(len(widths))]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if right else v.ljust(w) for v, w, right in zip(values, widths, numeric)
        ]
        return "  ".join(parts).rstrip()

    yield line(headers)
    yield line(["-" * w for w in widths])
    yield from map(line, cells)


def home_of(ctx: click.Context, param: click.Parameter, value: str | None) -> Config:
    """Return the Config of a command's --home: its own when typed, else the group's when
    typed (`newsarchive people --home DIR list`), else the environment's or the default."""
    typed = ctx.get_parameter_source(param.name or "") == ParameterSource.COMMANDLINE
    group_home = ctx.parent.params.get("home") if ctx.parent else None
    return Config.load(home=value if typed or not group_home else group_home)


def home_option(command: Command) -> Command:
    """Add --home to a command of a group that may also be given it (see home_of)."""
    return click.option(
        "--home",
        "config",
        metavar="DIR",
        envvar="NEWSARCHIVE_HOME",
        callback=home_of,
        help="Archive directory holding the store and index "
        "[env NEWSARCHIVE_HOME; default: index/].",
    )(command)


def _action_lines(actions: list[CurationAction]) -> Iterator[str]:
    done = {
        "merge": "merged {subject!r} into {target!r}",
        "split": "split {subject!r} from {target!r}",
        "rename": "renamed {subject!r} to {target!r}",
        "hide": "hid {subject!r}",
        "unhide": "unhid {subject!r}",
    }
    for action in actions:
        yield done[action.kind].format(subject=action.subject, target=action.target)


def _group(family: str) -> click.Group:
    noun = NOUN[family]

    @click.group(
        family,
        help=f"List, merge, split, rename and hide {family} values.\n\n"
        "Changes reach the facets, pages and API at the next search, without re-indexing, "
        "and survive reextract and reindex; `log` lists them.\n\n"
        f"\b\nExamples:\n  newsarchive {family} list --search obama\n"
        f"  newsarchive {family} merge Obama --into 'Barack Obama'\n"
        f"  newsarchive {family} hide Twitter",
    )
    @click.option(
        "--home",
        metavar="DIR",
        help="Archive directory, for every command of the group (theirs wins) "
        "[env NEWSARCHIVE_HOME; default: index/].",
    )
    def group(home: str | None) -> None:
        pass  # --home is read by each command (home_of)

    @group.command("list")
    @click.option("--search", default="", metavar="TEXT", help="Only values or aliases with TEXT.")
    @click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
    @click.option("--hidden", is_flag=True, help="List the hidden values instead.")
    @json_option(help="Print one JSON object a value.")
    @home_option
    def list_values(search: str, limit: int, hidden: bool, as_json: bool, config: Config) -> None:
        """List values with their article counts and aliases, most articles first."""
        from archive.curation_ops import listing

        with open_store(config) as store:
            found = listing(store, family, search, limit, hidden)
        if as_json:
            for value in found:
                emit({"name": value.name, "articles": value.articles, "aliases": value.aliases})
            return
        rows = [(v.name, v.articles, ", ".join(v.aliases)) for v in found]
        emit(None, table(("name", "articles", "aliases"), rows))

    def act(name: str, help_text: str) -> Callable[[Callable[..., Any]], click.Command]:
        return group.command(name, help=help_text)

    @act("merge", f"Merge each {noun} ALIAS into NAME: one value with the articles of all.")
    @click.argument("aliases", nargs=-1, required=True, metavar="ALIAS...")
    @click.option("--into", "into", required=True, metavar="NAME")
    @home_option
    def merge(aliases: tuple[str, ...], into: str, config: Config) -> None:
        from archive.curation_ops import merge as run

        with open_store(config) as store:
            emit(None, _action_lines(run(store, family, aliases, into)))

    @act("split", f"Make ALIAS, an alias of the {noun} NAME, its own value again.")
    @click.argument("alias")
    @click.option("--from", "name", required=True, metavar="NAME")
    @home_option
    def split(alias: str, name: str, config: Config) -> None:
        from archive.curation_ops import split as run

        with open_store(config) as store:
            emit(None, _action_lines(run(config, store, family, alias, name)))

    @act("rename", f"Give the {noun} NAME the name NEW everywhere.")
    @click.argument("name")
    @click.option("--to", "new", required=True, metavar="NEW")
    @home_option
    def rename(name: str, new: str, config: Config) -> None:
        from archive.curation_ops import rename as run

        with open_store(config) as store:
            emit(None, _action_lines(run(store, family, name, new)))

    @act("hide", f"Hide the {noun} NAME from facets, pages, the API and exports.")
    @click.argument("name")
    @home_option
    def hide(name: str, config: Config) -> None:
        from archive.curation_ops import hide as run

        with open_store(config) as store:
            emit(None, _action_lines(run(store, family, name)))

    @act("unhide", f"Show the hidden {noun} NAME again.")
    @click.argument("name")
    @home_option
    def unhide(name: str, config: Config) -> None:
        from archive.curation_ops import unhide as run

        with open_store(config) as store:
            emit(None, _action_lines(run(store, family, name)))

    @act("log", f"List every curation of {family}, oldest first.")
    @json_option(help="Print one JSON object an action.")
    @home_option
    def log(as_json: bool, config: Config) -> None:
        from archive.curation_ops import log as read

        with open_store(config) as store:
            actions = read(store, family)
        if as_json:
            for action in actions:
                emit(action._asdict())
            return
        rows = [(a.at, a.kind, a.subject, a.target or "") for a in actions]
        emit(None, table(("when", "kind", "subject", "target"), rows))

    return group


CURATION_COMMANDS = (_group("people"), _group("outlets"))
