"""Versioned schema steps (Alembic), shipped in the wheel.

``HEAD`` is checked against the scripts by the tests, so a new migration that
forgets to move it fails CI. The store compares it with the database's
``alembic_version`` on every open — a cheap query that keeps Alembic (0.3 s
of imports) off the path of every command that needs no upgrade.
"""

from __future__ import annotations

from pathlib import Path

HEAD = "0011"
SCRIPT_LOCATION = str(Path(__file__).resolve().parent)


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(connection, revision: str = "head") -> None:
    """Run migrations on an open connection (inside its transaction)."""
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def known_revision(version: str) -> bool:
    """Whether ``version`` is one of this tg's migrations (an unknown one is a newer tg's)."""
    from alembic.script import ScriptDirectory

    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(version)
        return True
    except Exception:
        return False


def script_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
