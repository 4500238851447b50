"""tg db path | upgrade | backup | restore | check"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from .. import i18n
from ..errors import StoreError, TgError, UsageError
from .options import TextOrJson

app = typer.Typer(no_args_is_help=True)


def _sqlite_file(url: str) -> Path | None:
    """The database file behind a SQLite URL; None for a server (PostgreSQL…)."""
    from sqlalchemy.engine import make_url

    from ..db import display_url

    try:
        u = make_url(url)
    except Exception:
        raise StoreError(i18n.t("db.bad_url", url=display_url(url), reason="?")) from None
    if u.get_backend_name() != "sqlite":
        return None
    if not u.database or u.database == ":memory:":
        raise UsageError(i18n.t("team.db.memory"))
    return Path(u.database)


@app.command("path", help=i18n.both("help.db.path"))
def path(ctx: typer.Context) -> None:
    from ..db import display_url, resolve_url

    sys.stdout.write(display_url(resolve_url(ctx.obj.db)) + "\n")


@app.command("upgrade", help=i18n.both("help.db.upgrade"))
def upgrade(ctx: typer.Context) -> None:
    from ..db import make_engine, migrate, open_store, resolve_url, Store
    from ..migrations import HEAD

    url = resolve_url(ctx.obj.db)
    store = Store(make_engine(url), url)
    before = store.schema_version()
    if before == HEAD:
        sys.stderr.write(i18n.t("db.up_to_date", version=HEAD) + "\n")
        return
    open_store(url, upgrade=False)  # refuses a database from a newer tg
    backup = migrate(store, backup=before is not None)
    if backup:
        sys.stderr.write(i18n.t("db.backup_made", path=backup) + "\n")
    sys.stderr.write(i18n.t("db.upgraded", version=HEAD) + "\n")


@app.command("backup", help=i18n.both("help.team.db.backup"))
def backup(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help=i18n.both("help.team.db.backup_file"), metavar="FILE"),
) -> None:
    from .. import dbfile
    from ..db import display_url, resolve_url

    url = resolve_url(ctx.obj.db)
    db = _sqlite_file(url)
    if db is None:
        raise TgError(i18n.t("team.db.backup_pg", url=display_url(url)))
    report = dbfile.backup(db, file)
    sys.stderr.write(i18n.t("team.db.backup_done", path=file, version=report.version) + "\n")


@app.command("restore", help=i18n.both("help.team.db.restore"))
def restore(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help=i18n.both("help.team.db.restore_file"), metavar="FILE"),
    yes: bool = typer.Option(False, "--yes", "-y", help=i18n.both("help.yes")),
) -> None:
    from .. import dbfile
    from ..db import display_url, resolve_url

    url = resolve_url(ctx.obj.db)
    db = _sqlite_file(url)
    if db is None:
        raise TgError(i18n.t("team.db.restore_pg", url=display_url(url)))
    if db.resolve() == file.resolve():
        raise UsageError(i18n.t("team.db.restore_same", path=file))
    source = dbfile.check_restorable(file)  # before asking: no question about a file we would refuse
    if not yes:
        from .. import prompts

        if not prompts.is_interactive():
            raise UsageError(i18n.t("team.db.restore_need_yes", path=db))
        if not prompts.ask_confirm(i18n.t("team.db.restore_confirm", path=db, file=file) + "?"):
            raise TgError(i18n.t("aborted"))
    kept = dbfile.restore(file, db)
    if kept:
        sys.stderr.write(i18n.t("team.db.restore_kept", path=kept) + "\n")
    sys.stderr.write(i18n.t("team.db.restored", path=db, file=file, version=source.version) + "\n")


@app.command("check", help=i18n.both("help.team.db.check"))
def check(
    ctx: typer.Context,
    fmt: TextOrJson = typer.Option(TextOrJson.text.value, "--format", "-f", help=i18n.both("help.format"),
                                   case_sensitive=False),
) -> None:
    from .. import dbfile
    from ..db import Store, display_url, make_engine, resolve_url
    from ..migrations import HEAD

    url = resolve_url(ctx.obj.db)
    db = _sqlite_file(url)
    if db is not None:
        report = dbfile.inspect_file(db)
        if not report.is_tg and report.version is None and report.integrity == ["ok"]:
            raise StoreError(i18n.t("db.not_a_database", path=db))
        integrity, fk = report.integrity, report.foreign_key_problems
        version = report.version
    else:
        store = Store(make_engine(url), url)
        version = store.schema_version()
        store.engine.dispose()
        integrity, fk = ["ok"], 0  # the server keeps its own pages; see the README for pg_amcheck
    state = dbfile.version_state(version)
    ok = integrity == ["ok"] and fk == 0 and state == "current"
    if fmt == TextOrJson.json:
        sys.stdout.write(json.dumps({"database": display_url(url), "ok": ok, "integrity": integrity,
                                     "foreign_key_problems": fk, "version": version, "version_state": state,
                                     "program_version": HEAD}, ensure_ascii=False) + "\n")
    else:
        lines = [i18n.t("team.db.check_where", path=display_url(url)),
                 i18n.t("team.db.check_integrity", result="ok" if integrity == ["ok"] else "; ".join(integrity[:5])),
                 i18n.t("team.db.check_fk", count=fk),
                 i18n.t(f"team.db.version_{state}", version=version, known=HEAD)]
        sys.stdout.write("\n".join(lines) + "\n")
    if not ok:
        raise typer.Exit(1)
