"""The command line's help, the README and the licence say what the code does.

Every command's --help shows examples, and every example parses as the command line
would parse it; the README's account of --home and of the query fields matches the
commands; the licence pyproject.toml names is in the repository.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import click
import pytest

from archive.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def examples(help_text: str) -> list[list[str]]:
    """Return the argument lists of the `newsarchive ...` commands of an Example(s): block
    (a line may chain two with a shell operator)."""
    block = help_text.split("Example", 1)[1].split("\n\n", 1)[0]
    commands = [
        part.strip() for line in block.splitlines() for part in re.split(r"\|\||&&|;", line)
    ]
    return [shlex.split(c)[1:] for c in commands if c.startswith("newsarchive ")]


def takes_home(command: click.Command) -> bool:
    return any("--home" in param.opts for param in command.params)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_help_has_examples(runner, name):
    result = runner.run(name, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert examples(result.output), f"`newsarchive {name} --help` shows no example command"


@pytest.mark.parametrize("name", ["", *sorted(cli.commands)])
def test_every_example_parses(runner, name):
    # Parsing only: options and arguments are checked, nothing runs.
    result = runner.run(*([name] if name else []), "--help")
    for args in examples(result.output):
        assert args and args[0] in cli.commands, f"example does not start with a command: {args}"
        command = cli.commands[args[0]]
        try:
            command.make_context(args[0], args[1:])
        except click.UsageError as error:
            pytest.fail(f"`newsarchive {shlex.join(args)}`: {error.format_message()}")


def test_readme_names_the_commands_without_home():
    claim = re.search(
        r"Every command but (.+?) \(which need no archive\) takes `--home DIR`",
        README.replace("\n", " "),
    )
    assert claim, "README no longer says which commands take --home"
    exempt = set(re.findall(r"`(\w+)`", claim.group(1)))
    assert exempt == {name for name, command in cli.commands.items() if not takes_home(command)}


def test_query_fields_are_documented_in_readme_and_search_help(runner):
    searching = README.split("### Searching", 1)[1].split("###", 1)[0]
    search_help = runner.run("search", "--help").output
    for field in ("title:", "person:", "outlet:", "section:", "author:", "date:"):
        assert f"`{field}" in searching, field
        assert field in search_help, field


def test_documented_query_fields_find_what_they_say(runner, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(
            json.dumps(r) + "\n"
            for r in [
                {
                    "title": "Budget vote",
                    "body": "The budget passed.",
                    "url": "https://docs.test/1",
                    "date": "2023-04-11",
                    "authors": ["Anna Nowak"],
                },
                {
                    "title": "Harbour works",
                    "body": "The harbour grew.",
                    "url": "https://docs.test/2",
                    "date": "2023-05-02",
                    "authors": ["Jan Kowalski"],
                },
                {
                    "title": "Storm news",
                    "body": "A storm hit.",
                    "url": "https://docs.test/3",
                    "date": "2022-04-11",
                    "authors": ["Anna Nowak"],
                },
            ]
        ),
        encoding="utf-8",
    )
    home = tmp_path / "home"
    assert runner.run("ingest", "--home", home, "--no-extract", source).exit_code == 0

    def titles(query: str) -> list[str]:
        found = json.loads(runner.run("search", "--home", home, query, "--json").output)
        return sorted(hit["title"] for hit in found["hits"])

    assert titles('author:"Anna Nowak"') == ["Budget vote", "Storm news"]
    assert titles("author:kowalski") == ["Harbour works"]
    assert titles("date:2023") == ["Budget vote", "Harbour works"]
    assert titles("date:2023-04") == ["Budget vote"]
    assert titles("date:2022-04-11") == ["Storm news"]
    assert titles('author:"Anna Nowak" date:2023-04') == ["Budget vote"]  # the help's example


def test_the_licence_pyproject_names_is_there():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "Copyright (c) 2026 the newsarchive authors" in licence
    assert "WITHOUT WARRANTY OF ANY KIND" in licence
