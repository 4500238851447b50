"""The package's modules import one another without a cycle.

A cycle (a imports b, b imports a, even inside a function) means neither can be read, tested or
moved without the other, and the first one imported decides what the second sees half-built.
The graph is read from the source (every ``import``, at the top or inside a function, but not
those under ``if TYPE_CHECKING``), so a cycle fails here before it fails at run time.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import tuangou_cli

pytestmark = pytest.mark.no_db

ROOT = Path(tuangou_cli.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = ("tuangou_cli", *path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(ROOT.rglob("*.py")) if "migrations" not in p.parts}


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(name: str) -> set[str]:
    """The tuangou_cli modules ``name`` imports, wherever in the file."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")
                up = up[: len(up) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            # `from . import x` names a module; `from .m import f` names m
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith("tuangou_cli"):
                found.add(target)
    return found


def cycles() -> list[list[str]]:
    graph = {name: imports_of(name) for name in MODULES}
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name)
    return found


def test_the_graph_is_read():
    """The reader sees real edges (else the next test could not fail)."""
    assert "tuangou_cli.store.clients" in imports_of("tuangou_cli.store.accounts")
    assert "tuangou_cli.i18n" in imports_of("tuangou_cli.cli.usage")


# Known pairs, each saying why it is allowed to stay:
ALLOWED = {
    # models loads models_history on first use of one of its names (a module __getattr__): the
    # history tables are part of models, kept in a second file only so start-up skips them.
    frozenset({"tuangou_cli.models", "tuangou_cli.models_history"}),
    # the same for the catalogue's tables (models.load_all loads them for migrations)
    frozenset({"tuangou_cli.models", "tuangou_cli.models_catalog"}),
    # The same for the quotation tables (models.load_all registers them; they build on models.Table).
    frozenset({"tuangou_cli.models", "tuangou_cli.models_quotes"}),
    # The same for the sales targets (models.load_all registers them; they build on models.Table).
    frozenset({"tuangou_cli.models", "tuangou_cli.models_targets"}),
    # And the lead pool's tables.
    frozenset({"tuangou_cli.models", "tuangou_cli.models_pool"}),
    # The same for the order, invoice and payment tables.
    frozenset({"tuangou_cli.models", "tuangou_cli.models_orders"}),
}


def test_no_import_cycle():
    assert [c for c in cycles() if frozenset(c) not in ALLOWED] == []


def test_a_cycle_is_caught(monkeypatch):
    """Two modules importing each other are reported."""
    real = imports_of
    extra = {"tuangou_cli.i18n": {"tuangou_cli.errors"}, "tuangou_cli.errors": {"tuangou_cli.i18n"}}
    monkeypatch.setattr(sys.modules[__name__], "imports_of", lambda n: real(n) | extra.get(n, set()))
    assert ["tuangou_cli.errors", "tuangou_cli.i18n", "tuangou_cli.errors"] in cycles()

