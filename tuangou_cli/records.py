"""Use cases that read or fill whole records of the team's database: a client's audit history
and the demo data set. Each opens its own transaction; the command modules print the results."""

from __future__ import annotations

from dataclasses import dataclass

from . import i18n
from .errors import NotFound, TgError

# Tables whose ids the demo generator assigns itself (children point at them).
ID_TABLES = ("client", "contact", "deal", "referral")


# --- tg history CLIENT -------------------------------------------------------------------------------


@dataclass
class History:
    columns: list[str]
    rows: list[list]  # store.queries.audit_query's columns, oldest first


def client_history(app_ctx, client: str) -> History:
    """The audit rows about a client; a removed client's history stays readable by its id."""
    from .models import Client
    from .store import clients as st
    from .store.queries import audit_query

    db = app_ctx.store()
    with db.read() as session:
        try:
            cid = st.get_client(session, client).id
        except NotFound:
            cid = st.parse_id(client)
            if cid is None:
                raise
        columns, stmt = audit_query(cid)
        rows = [list(r) for r in session.connection().execute(stmt)]
    if not rows and st.parse_id(client) == cid:
        with db.read() as session:
            if session.get(Client, cid) is None:
                raise NotFound(i18n.t("client.not_found", query=client))
    return History(list(columns), rows)


# --- tg demo -----------------------------------------------------------------------------------------


def load_demo(app_ctx, *, clients: int, seed: int, force: bool) -> dict[str, int]:
    """Fill the database with the demo generator's data set, in one transaction (a refusal, an
    error or Ctrl-C leaves the database exactly as it was); rows written per table."""
    from sqlalchemy import func, select, text

    from . import demo as gen
    from .clock import today
    from .models import Client, load_all
    from .store import clients as st

    metadata = load_all()
    pb = app_ctx.playbook()
    counts: dict[str, int] = {}
    with app_ctx.store().write() as session:
        conn = session.connection()
        existing = conn.execute(select(func.count()).select_from(Client)).scalar_one()
        if existing and not force:
            raise TgError(i18n.t("lib.demo.not_empty", count=existing))
        st.sync_segments(session, pb)
        start = gen.Start({t: conn.execute(select(func.coalesce(func.max(metadata.tables[t].c.id), 0))).scalar_one()
                           for t in ID_TABLES})
        for table, rows in gen.generate(pb, clients=clients, seed=seed, today=today(), start=start):
            insert_rows(conn, metadata.tables[table], rows)
            counts[table] = counts.get(table, 0) + len(rows)
        if conn.dialect.name == "postgresql":  # explicit ids do not move PostgreSQL's sequences
            for t in ID_TABLES:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                                  f"(SELECT COALESCE(MAX(id), 1) FROM {t}))"))
    return counts


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
