"""Every command has help in both languages, and the README documents every command."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from tuangou_cli.cli import COMMANDS, app, load

pytestmark = pytest.mark.no_db  # help texts and the README: no database

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: typer.Typer, prefix: tuple[str, ...]):
    for info in group.registered_commands:
        yield (*prefix, info.name)
    for sub in group.registered_groups:
        yield from commands(sub.typer_instance, (*prefix, sub.name))


def all_commands():
    for name in COMMANDS:
        target = load(name)
        if isinstance(target, typer.Typer):
            yield from commands(target, (name,))
        else:
            yield (name,)


ALL = sorted(all_commands())


def test_there_are_commands():
    assert ("classify",) in ALL and ("clients", "list") in ALL


@pytest.mark.parametrize("cmd", ALL, ids=" ".join)
def test_every_command_has_bilingual_help(tg, cmd):
    r = tg(*cmd, "--help")
    assert r.exit_code == 0
    assert " / " in r.stdout, "help text in Chinese / English"


@pytest.mark.parametrize("cmd", ALL, ids=" ".join)
def test_every_command_is_in_the_readme(cmd):
    assert f"tg {' '.join(cmd)}" in README
