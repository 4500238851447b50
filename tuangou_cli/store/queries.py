"""Core SELECTs for listings and exports: rows stream straight from the cursor, no ORM objects.

The models (and so SQLAlchemy) are imported inside the functions: ``tg export clients`` on a
SQLite file reads through ``client_rows_sqlite`` and never loads them.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any, Iterator

from ..columns import EXPORT_COLUMNS, of_kind

CLIENT_COLUMNS = list(EXPORT_COLUMNS)  # the client columns a listing or export gives (columns.py)


def clients_query(*, segment: str | None = None, stage: str | None = None, owner: str | None = None,
                  city: str | None = None, mine: str | None = None, columns: list[str] | None = None):
    """(columns, the SELECT of the clients filtered): every client column, or only ``columns``."""
    from sqlalchemy import select

    from ..models import Client

    columns = columns or CLIENT_COLUMNS
    stmt = select(*[getattr(Client, c) for c in columns]).order_by(Client.id)
    for column, value in ((Client.segment, segment), (Client.stage, stage), (Client.owner, owner),
                          (Client.city, city)):
        if value:
            stmt = stmt.where(column == value)
    if mine:
        stmt = stmt.where(mine_filter(mine))
    return columns, stmt


def mine_filter(user: str):
    """The clients ``user`` owns or holds a stage of (the stage they are in now, or one they held
    before a hand-off): what `--mine` lists, and what row-level security lets a rep see (rls.py)."""
    from sqlalchemy import or_, select

    from ..models import Client, StageEntry

    held = select(StageEntry.client_id).where(StageEntry.owner == user)
    return or_(Client.owner == user, Client.id.in_(held))


def client_rows_sqlite(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """What clients_query() gives, through the sqlite3 module: the same columns and values.

    Timestamps come back as the text SQLAlchemy stored; they are turned into the ISO form the
    writers make of a datetime (the same for CSV and JSON), once per distinct value — an
    import gives all its rows one timestamp.
    """
    from ..rawdb import from_sqlite

    iso: dict[str, str] = {}

    def when(text: str | None) -> str | None:
        if text is None:
            return None
        out = iso.get(text)
        if out is None:
            out = iso[text] = from_sqlite(text).isoformat()
        return out

    a, b = CLIENT_COLUMNS.index("created_at"), CLIENT_COLUMNS.index("updated_at")
    assert b == a + 1
    cur = conn.execute(f"SELECT {', '.join(CLIENT_COLUMNS)} FROM client ORDER BY id")
    cur.arraysize = 2000
    while True:
        batch = cur.fetchmany()
        if not batch:
            return
        for row in batch:
            yield (*row[:a], when(row[a]), when(row[b]), *row[b + 1:])


def client_cells_sqlite(conn: sqlite3.Connection, ids: tuple[int, int] | None = None
                        ) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of `tg export clients` as CSV cells, in batches of 2,000: what export.write_csv()
    makes of client_rows_sqlite(), worked out a column at a time.

    Per row and value, Python is slower than SQLite and the csv module together; so each batch
    is turned into columns, and a column is only rewritten when it holds something cell()
    changes: a whole float (300.0 → 300), text starting like a formula, a timestamp (always,
    from a cache: an import gives all its rows one), or a value of an unexpected type. The
    tests compare the result with the Core road for ordinary and odd values.

    ``ids``: only the clients with lo <= id < hi (export_split.py hands the upper half to a
    second process).
    """
    from ..export import cell
    from ..rawdb import from_sqlite

    kinds = [("text" if c not in _INTEGER + _REAL + _STAMP else
              "integer" if c in _INTEGER else "real" if c in _REAL else "stamp") for c in CLIENT_COLUMNS]
    plain = {"text": {str, type(None)}, "integer": {int, type(None)}, "real": {float, type(None)}}
    iso: dict[Any, Any] = {}

    def stamp(v: Any) -> Any:
        out = iso.get(v)
        if out is None:
            out = iso[v] = cell(from_sqlite(v))
        return out

    where = " WHERE id >= ? AND id < ?" if ids else ""
    cur = conn.execute(f"SELECT {', '.join(CLIENT_COLUMNS)} FROM client{where} ORDER BY id", ids or ())
    while True:
        batch = cur.fetchmany(2000)
        if not batch:
            return
        cols = list(zip(*batch))
        for i, kind in enumerate(kinds):
            col = cols[i]
            if kind == "stamp":
                get = iso.get
                cols[i] = [get(v) or stamp(v) for v in col]
            elif not set(map(type, col)) <= plain[kind]:  # odd types: cell() for every value
                cols[i] = [cell(v) for v in col]
            elif kind == "real":
                cols[i] = [int(v) if v is not None and v.is_integer() else v for v in col]
            elif kind == "text" and _RISKY_TEXT.search("\n".join(filter(None, col))):
                cols[i] = [cell(v) for v in col]
        yield list(zip(*cols))


# A text cell export.neutralise() may change starts with one of these (apostrophes first, then a
# formula character); searched in a column's values joined by newlines, each value after "^".
_RISKY_TEXT = re.compile(r"^['=+\-@\t\r]", re.MULTILINE)


# The kinds of the client columns, for client_cells_sqlite(); the others are text.
_INTEGER = of_kind("integer")
_REAL = of_kind("real")
_STAMP = of_kind("stamp")


def referrals_query(client_id: int | None = None):
    from sqlalchemy import or_, select
    from sqlalchemy.orm import aliased

    from ..models import Client, Contact, Referral
    a, b = aliased(Client), aliased(Client)
    cols = ["id", "created_at", "referrer_id", "referrer", "referred_id", "referred", "contact", "contact_role",
            "contact_strength", "incentive", "incentive_code", "credited", "status", "status_at", "note",
            "created_by"]
    stmt = (
        select(Referral.id, Referral.created_at, a.id, a.name, b.id, b.name, Contact.name, Contact.role,
               Contact.strength, Referral.incentive, Referral.incentive_code, Referral.credited, Referral.status,
               Referral.status_at, Referral.note, Referral.created_by)
        .join(a, a.id == Referral.referrer_id)
        .join(b, b.id == Referral.referred_id)
        .outerjoin(Contact, Contact.id == Referral.contact_id)
        .order_by(Referral.id)
    )
    if client_id is not None:
        stmt = stmt.where(or_(Referral.referrer_id == client_id, Referral.referred_id == client_id))
    return cols, stmt


def classifications_query():
    from sqlalchemy import select

    from ..models import Classification, Client
    cols = ["id", "created_at", "client_id", "client", "segment", "confidence", "playbook_version", "answers",
            "scores", "created_by"]
    stmt = (
        select(Classification.id, Classification.created_at, Client.id, Client.name, Classification.segment,
               Classification.confidence, Classification.playbook_version, Classification.answers,
               Classification.scores, Classification.created_by)
        .join(Client, Client.id == Classification.client_id)
        .order_by(Classification.id)
    )
    return cols, stmt


def rewards_query(*, referrer_id: int | None = None, due_only: bool = False):
    from sqlalchemy import select

    from ..models import Reward
    cols = ["id", "created_at", "referrer_id", "referrer", "referral_id", "deal_id", "kind", "description", "amount",
            "status", "reverses_id", "reason", "due_at", "granted_at", "granted_by", "voided_at", "voided_by",
            "created_by"]
    stmt = select(Reward.id, Reward.created_at, Reward.referrer_id, Reward.referrer_name, Reward.referral_id,
                  Reward.deal_id, Reward.kind, Reward.description, Reward.amount, Reward.status, Reward.reverses_id,
                  Reward.reason, Reward.due_at, Reward.granted_at, Reward.granted_by, Reward.voided_at,
                  Reward.voided_by, Reward.created_by).order_by(Reward.id)
    if referrer_id is not None:
        stmt = stmt.where(Reward.referrer_id == referrer_id)
    if due_only:
        stmt = stmt.where(Reward.status == "due")
    return cols, stmt


AUDIT_COLUMNS = ["id", "at", "by", "table", "row_id", "client_id", "action", "changes"]


def audit_query(client_id: int | None = None):
    from sqlalchemy import and_, or_, select

    from ..models import Audit, Referral
    """The audit trail, oldest first; for a client: its own rows, its contacts', deals', rewards' and
    referrals' (both the ones that introduced it and the ones it made)."""
    stmt = select(Audit.id, Audit.at, Audit.by, Audit.table_name, Audit.row_id, Audit.client_id, Audit.action,
                  Audit.changes).order_by(Audit.id)
    if client_id is not None:
        made = select(Referral.id).where(Referral.referrer_id == client_id)
        stmt = stmt.where(or_(Audit.client_id == client_id,
                              and_(Audit.table_name == "referral", Audit.row_id.in_(made))))
    return AUDIT_COLUMNS, stmt


QUERIES = {"clients": clients_query, "referrals": referrals_query, "classifications": classifications_query,
           "rewards": rewards_query, "audit": audit_query}
