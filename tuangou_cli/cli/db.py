"""tg db path | upgrade | backup | restore | check | setup-rls"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List

import typer

from .. import i18n, rls
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
    # Row-level security (tg db setup-rls) covers the tables that existed when it was set up;
    # read which groups it names before a step can recreate a table, re-apply it after the last.
    rows = _rls_policy_roles(store) if not store.is_sqlite and before is not None else []
    groups = rls.groups_from_policies(rows) if rows else None
    outcome: list[str] = []
    backup = migrate(store, backup=before is not None,
                     then=(lambda conn: outcome.append(_reapply_rls(conn, *groups))) if groups else None)
    if backup:
        sys.stderr.write(i18n.t("db.backup_made", path=backup) + "\n")
    sys.stderr.write(i18n.t("db.upgraded", version=HEAD) + "\n")
    if groups:
        command = rls.setup_command(*groups)
        if outcome == [""]:
            sys.stderr.write(i18n.t("robust.rls_reapplied", count=len(rls.COVERED), groups=", ".join(groups),
                                    command=command) + "\n")
        else:
            sys.stderr.write(i18n.t("robust.rls_reapply_failed", reason=outcome[0] if outcome else "?",
                                    command=command) + "\n")
    elif rows:
        sys.stderr.write(i18n.t("robust.rls_groups_unknown",
                                roles=", ".join(dict.fromkeys(role for _, role in rows))) + "\n")


def _rls_policy_roles(store) -> list[tuple[str, str]]:
    """(policy, role) of the policies tg db setup-rls made in the store's schema; none: not set up."""
    from sqlalchemy import text

    from ..db import translate_errors

    with translate_errors(store.where), store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(rls.POLICY_ROLES_SQL), {"names": list(rls.POLICIES)})]


def _reapply_rls(conn, rep_group: str, manager_group: str) -> str:
    """setup-rls again, inside the upgrade's transaction: "" when done, else why not. In a savepoint,
    so a refusal (say, helper functions owned by a superuser, and the upgrade run by the tables'
    owner) leaves the upgrade itself to commit: new tables then have no grants, so a rep is denied
    them, never shown every row, until the admin runs the command named."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from ..rls_setup import run_sql

    schema = conn.execute(text("SELECT current_schema()")).scalar()
    savepoint = conn.begin_nested()
    try:
        run_sql(conn, rls.setup_sql(schema, rep_group=rep_group, manager_group=manager_group))
    except DBAPIError as exc:
        savepoint.rollback()
        return str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
    savepoint.commit()
    return ""


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
    if fmt.is_json:
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


@app.command("setup-rls", help=i18n.both("help.rls.setup"))
def setup_rls(
    ctx: typer.Context,
    rep: List[str] = typer.Option([], "--rep", metavar="ROLE", help=i18n.both("help.rls.rep")),
    manager: List[str] = typer.Option([], "--manager", metavar="ROLE", help=i18n.both("help.rls.manager")),
    rep_group: str = typer.Option(rls.REP_GROUP, "--rep-group", metavar="ROLE",
                                  help=i18n.both("help.rls.rep_group")),
    manager_group: str = typer.Option(rls.MANAGER_GROUP, "--manager-group", metavar="ROLE",
                                      help=i18n.both("help.rls.manager_group")),
    drop: bool = typer.Option(False, "--drop", help=i18n.both("help.rls.drop")),
    sql: bool = typer.Option(False, "--sql", help=i18n.both("help.rls.sql")),
) -> None:
    from sqlalchemy.engine import make_url

    from ..db import display_url, resolve_url

    url = resolve_url(ctx.obj.db)
    try:
        backend = make_url(url).get_backend_name()
    except Exception:
        raise StoreError(i18n.t("db.bad_url", url=display_url(url), reason="?")) from None
    if backend != "postgresql":  # before opening anything: no SQLite file is created by asking
        raise TgError(i18n.t("rls.pg_only", url=display_url(url)))
    if drop and (rep or manager):
        raise UsageError(i18n.t("rls.drop_with_members"))
    names = dict(rep_group=rep_group, manager_group=manager_group)
    rls.check_names(reps=rep, managers=manager, **names)  # before connecting: a typo costs nothing

    from ..rls_setup import setup_rls as run

    done = run(ctx.obj, url, reps=rep, managers=manager, drop=drop, sql=sql, **names)
    schema, where, members = done.schema, done.where, done.members
    if sql:
        sys.stdout.write("".join(f"{s};\n" for s in done.statements))
        return
    if drop:
        sys.stderr.write(i18n.t("rls.dropped", schema=schema, count=len(rls.COVERED), url=where,
                                groups=", ".join(dict.fromkeys((rep_group, manager_group)))) + "\n")
        return
    lines = [i18n.t("rls.done", schema=schema, count=len(rls.COVERED), url=where)]
    for key, group in (("rls.reps", rep_group), ("rls.managers", manager_group)):
        lines.append(i18n.t(key, group=group, members=", ".join(members[group]) or i18n.t("rls.no_members")))
    if done.created:
        lines.append(i18n.t("rls.created", roles=", ".join(done.created)))
    for role, superuser, bypassrls, owner in done.bypass:
        why = [i18n.t(k) for k, on in (("rls.why.super", superuser), ("rls.why.bypassrls", bypassrls),
                                       ("rls.why.owner", owner)) if on]
        if why:
            lines.append(i18n.t("rls.bypass", role=role, group=rep_group, why=", ".join(why)))
    sys.stderr.write("\n".join(lines) + "\n")
