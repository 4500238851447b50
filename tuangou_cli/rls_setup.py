"""`tg db setup-rls` as a use case: row-level security set up (or dropped) on the team's
PostgreSQL schema in one transaction, with what the command reports afterwards. The
statements themselves are rls.py's; cli/db.py checks the options and prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from . import i18n, rls
from .errors import TgError


@dataclass
class RlsDone:
    schema: str
    where: str  # the database, as it may be shown (no password)
    statements: list[str] = field(default_factory=list)  # with sql=True: what would run, nothing run
    members: dict[str, list[str]] = field(default_factory=dict)  # group -> its member roles
    created: list[str] = field(default_factory=list)  # login roles that did not exist before
    bypass: list[tuple] = field(default_factory=list)  # (role, superuser, bypassrls, owner) of reps who see all


def run_sql(conn, statements: Sequence[str]) -> None:
    for statement in statements:  # the driver reads % as a parameter marker (a role "50%")
        conn.exec_driver_sql(statement.replace("%", "%%"))


def setup_rls(app_ctx, url: str, *, reps: Sequence[str], managers: Sequence[str], rep_group: str,
              manager_group: str, drop: bool, sql: bool) -> RlsDone:
    """Set up (or ``drop``) row-level security; ``sql``: only the statements, for a DBA to run
    (only the schema's name is read: no tables are created by asking)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    names = dict(rep_group=rep_group, manager_group=manager_group)
    if sql:
        from .db import Store, make_engine

        store = Store(make_engine(url), url)
    else:
        store = app_ctx.store()
    where = store.where
    try:
        with store.engine.connect() as conn:  # one transaction: all of it or nothing
            schema = conn.execute(text("SELECT current_schema()")).scalar()
            if schema is None:
                raise TgError(i18n.t("rls.no_schema", url=where))
            statements = (rls.drop_sql(schema, **names) if drop
                          else rls.setup_sql(schema, reps=reps, managers=managers, **names))
            done = RlsDone(schema, where)
            if sql:
                done.statements = statements
                return done
            people = list(dict.fromkeys(rls.check_role(p) for p in [*reps, *managers]))
            existing = set(conn.execute(text("SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(:n)"),
                                        {"n": people}).scalars()) if people else set()
            run_sql(conn, statements)
            conn.commit()
            if drop:
                return done
            done.members = {g: list(conn.execute(text(rls.MEMBERS_SQL), {"grp": g}).scalars())
                            for g in (rep_group, manager_group)}
            client = f"{rls.ident(schema)}.client"
            done.bypass = [tuple(r) for r in conn.execute(text(rls.BYPASS_SQL),
                                                          {"grp": rep_group, "client": client}).all()]
            done.created = [p for p in people if p not in existing]
            return done
    except DBAPIError as exc:
        # Most often: not run as the tables' owner or a superuser, or no right to create roles.
        reason = str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
        raise TgError(i18n.t("rls.failed", path=where, reason=reason)) from None
