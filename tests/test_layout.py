"""The house rules of the package layout, checked on its source: data flows one way.

No import cycles between modules (a package's own __init__ loading first is not a cycle);
only the web layer imports Flask, only the command line imports click, only the store
speaks SQL, and only index/whoosh_internals.py reaches into Whoosh's private API.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from fixtures import ROOT

PACKAGE = ROOT / "archive"


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path) -> set[str]:
    """Return every module name an import statement of path names (at any depth)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph = {}
    for name, path in known.items():
        # Importing a submodule runs its parents' __init__ first: that edge is no cycle.
        graph[name] = {
            target
            for target in imports(path) & set(known)
            if target != name and not name.startswith(target + ".")
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one module (Tarjan)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for other in graph[node]:
            if other not in order:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], order[other])
        if low[node] == order[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in order:
            visit(node)
    return found


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_between_modules():
    assert cycles(import_graph()) == []


def users_of(library: str) -> set[str]:
    return {
        name
        for name, path in modules().items()
        if any(i == library or i.startswith(library + ".") for i in imports(path))
    }


def test_only_the_web_layer_imports_flask_and_only_the_cli_imports_click():
    assert users_of("flask") and all(n.startswith("archive.web") for n in users_of("flask"))
    assert users_of("click") and all(n.startswith("archive.cli") for n in users_of("click"))


def test_only_the_store_speaks_sql():
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b[^\n]*\b(FROM|INTO|SET|articles)\b")
    speakers = {name for name, path in modules().items() if sql.search(path.read_text())}
    # store_people.py, store_reports.py and store_saved.py are mixins of Store, apart only to
    # keep it short; store_faults.py opens it read-only, checks it and names its errors.
    store = {
        "archive.store",
        "archive.store_faults",
        "archive.store_people",
        "archive.store_reports",
        "archive.store_saved",
    }
    assert speakers == store
    assert users_of("sqlite3") <= store | {"archive.store_schema"}


def test_whoosh_private_names_stay_in_one_module():
    private = re.compile(r"\.(_blocklimit|_postwriter|_write_block|_latest_generation|_segments)\b")
    users = {name for name, path in modules().items() if private.search(path.read_text())}
    assert users == {"archive.index.whoosh_internals"}
