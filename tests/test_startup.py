"""Start-up work that a run must not do: these guard the speed targets in benchmarks/bench.py."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import typer.main

from tuangou_cli.cli import COMMANDS, app


def test_a_run_builds_only_the_command_it_uses():
    """`tg pitch` must not build (import, inspect) the other commands."""
    group = typer.main.get_command(app)
    with group.make_context("tg", ["pitch", "--help"], resilient_parsing=True) as ctx:
        assert group.get_command(ctx, "pitch") is not None
        assert set(group.commands.built) == {"pitch"}
        assert group.get_command(ctx, "no-such-command") is None
        assert "report" in group.list_commands(ctx)


@pytest.mark.parametrize("command", [["pitch", "Acme"], ["referrals", "tree", "Acme"], ["report", "referrals"]],
                         ids=" ".join)
def test_read_only_commands_read_without_the_orm_or_the_event_tables(testdb, tmp_path, command):
    """These read with Core: no mapper is configured and the event tables (models_history) stay
    unloaded. Run in fresh interpreters, since this test process has loaded everything."""
    env = {"TG_DB": testdb.url, "TG_USER": "t", "TG_LANG": "en", "HOME": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    add = [sys.executable, "-m", "tuangou_cli", "clients", "add", "Acme", "--segment", "office", "--headcount", "50"]
    done = subprocess.run(add, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    script = textwrap.dedent(f"""
        import sys
        from typer.testing import CliRunner
        from tuangou_cli.cli import app
        from tuangou_cli import models
        r = CliRunner().invoke(app, {command!r})
        assert r.exit_code == 0, r.output
        assert "tuangou_cli.models_history" not in sys.modules, "loaded the event tables"
        assert not models.Client.__mapper__.configured, "set up the ORM"
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.mark.no_db
def test_help_lists_every_command_without_building_any(tg):
    group = typer.main.get_command(app)
    with group.make_context("tg", [], resilient_parsing=True) as ctx:
        text = group.get_help(ctx)
        assert not group.commands.built, "listing the commands built them"
    listed = [line.split()[0] for line in text.split("Commands:")[1].splitlines()[:-1] if line.strip()]
    assert listed == list(COMMANDS)
    assert "Questionnaire" in text and text.splitlines()[-1] == "中文：tg --lang zh --help"
