"""Every test gets its own data dir and database: no test touches a real one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tuangou_cli import i18n
from tuangou_cli.cli import app

DATA = Path(__file__).parent / "data"
MINI = str(DATA / "mini_playbook.yaml")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("TG_DB", str(tmp_path / "tg.db"))
    monkeypatch.setenv("TG_USER", "tester")
    monkeypatch.setenv("TG_LANG", "en")
    monkeypatch.delenv("TG_PLAYBOOK", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    i18n.set_lang("en")
    yield
    i18n.set_lang("en")


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "tg.db"


@pytest.fixture
def mini(monkeypatch):
    """Use the small test playbook (round numbers) instead of the shipped one."""
    monkeypatch.setenv("TG_PLAYBOOK", MINI)
    return MINI


class Tg:
    """Runs `tg` in-process through Typer's CliRunner, stdout and stderr kept apart."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        result = self.runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return result

    def json(self, *args: str):
        result = self(*args)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def tg() -> Tg:
    return Tg()


@pytest.fixture
def no_prompts(monkeypatch):
    """An unscripted question fails the test loudly instead of hanging it."""

    def boom(*a, **k):
        raise AssertionError(f"unexpected prompt: {a!r}")

    for name in ("ask_question", "ask_text", "ask_confirm", "ask_pick"):
        monkeypatch.setattr(f"tuangou_cli.prompts.{name}", boom)


def pg_url() -> str | None:
    return os.environ.get("TG_TEST_PG")
