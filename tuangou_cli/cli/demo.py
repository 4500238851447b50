"""tg demo — fill the current database with a realistic, reproducible data set."""

from __future__ import annotations

import time

import typer

from .. import i18n
from ..errors import TgError
from .output import say

# Tables whose ids the generator assigns itself (children point at them).
ID_TABLES = ("client", "contact", "deal", "referral")


def demo(
    ctx: typer.Context,
    clients: int = typer.Option(300, "--clients", "-n", min=1, max=1_000_000, help=i18n.both("help.lib.demo.clients")),
    seed: int = typer.Option(2013, "--seed", help=i18n.both("help.lib.demo.seed")),
    force: bool = typer.Option(False, "--force", help=i18n.both("help.lib.demo.force")),
) -> None:
    from datetime import date

    from sqlalchemy import func, select, text

    from .. import demo as gen
    from ..store import clients as st
    from ..models import Client, load_all

    metadata = load_all()
    started = time.perf_counter()
    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    db = app_ctx.store()
    counts: dict[str, int] = {}
    # One transaction: a refusal, an error or Ctrl-C leaves the database exactly as it was.
    with db.write() as session:
        conn = session.connection()
        existing = conn.execute(select(func.count()).select_from(Client)).scalar_one()
        if existing and not force:
            raise TgError(i18n.t("lib.demo.not_empty", count=existing))
        st.sync_segments(session, pb)
        start = gen.Start({t: conn.execute(select(func.coalesce(func.max(metadata.tables[t].c.id), 0))).scalar_one()
                           for t in ID_TABLES})
        for table, rows in gen.generate(pb, clients=clients, seed=seed, today=date.today(), start=start):
            insert_rows(conn, metadata.tables[table], rows)
            counts[table] = counts.get(table, 0) + len(rows)
        if conn.dialect.name == "postgresql":  # explicit ids do not move PostgreSQL's sequences
            for t in ID_TABLES:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                                  f"(SELECT COALESCE(MAX(id), 1) FROM {t}))"))
    elapsed = time.perf_counter() - started
    say(i18n.t(
        "lib.demo.done", clients=counts.get("client", 0), contacts=counts.get("contact", 0),
        deals=counts.get("deal", 0), stages=counts.get("stage_entry", 0), activities=counts.get("activity", 0),
        cases=counts.get("case_study", 0), referrals=counts.get("referral", 0), seed=seed, seconds=elapsed))


def insert_rows(conn, table, rows: list[dict]) -> None:
    """Core executemany, no ORM objects. On SQLite the column types' bind processors are applied
    once per column here and the rows go to the driver's executemany as tuples, which skips
    SQLAlchemy's per-row parameter assembly (about half the time at 100 000 clients)."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), rows)
        return
    dialect = conn.dialect
    cols = [c for c in table.columns if c.name in rows[0]]
    procs = [(c.name, c.type.dialect_impl(dialect).bind_processor(dialect)) for c in cols]
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in cols)}) "
           f"VALUES ({', '.join('?' for _ in cols)})")
    conn.exec_driver_sql(sql, [tuple(p(r[n]) if p else r[n] for n, p in procs) for r in rows])
