"""docs/commands.md is the reference the commands themselves give: stale, this fails."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.no_db

DOC = Path(__file__).parent.parent / "docs" / "commands.md"


def test_the_command_reference_is_current():
    from tuangou_cli.cli.reference import render

    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/commands.md is stale: run python -m tuangou_cli.cli.reference > docs/commands.md")


def test_the_reference_names_every_command_and_its_options():
    from tests.test_docs import ALL

    text = DOC.read_text(encoding="utf-8")
    for cmd in ALL:
        assert f"## `tg {' '.join(cmd)}`" in text
    deals_rm = text.split("## `tg deals rm`")[1].split("\n## ")[0]
    assert "`--yes`, `-y`" in deals_rm and "| DEAL | TEXT | required |" in deals_rm
    assert "| `--limit`, `-n` | INTEGER | `0` |" in text.split("## `tg clients list`")[1].split("\n## ")[0]
