"""Core SELECTs for listings and exports: rows stream straight from the cursor, no ORM objects.

The models (and so SQLAlchemy) are imported inside the functions: ``tg export clients`` on a
SQLite file reads through ``client_rows_sqlite`` and never loads them.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Iterator

CLIENT_COLUMNS = ["id", "name", "industry", "city", "headcount", "budget_per_head", "budget_total", "occasion",
                  "segment", "confidence", "stage", "owner", "notes", "created_at", "updated_at", "created_by",
                  "updated_by"]


def clients_query(*, segment: str | None = None, stage: str | None = None, owner: str | None = None,
                  city: str | None = None):
    from sqlalchemy import select

    from .models import Client

    stmt = select(*[getattr(Client, c) for c in CLIENT_COLUMNS]).order_by(Client.id)
    for column, value in ((Client.segment, segment), (Client.stage, stage), (Client.owner, owner),
                          (Client.city, city)):
        if value:
            stmt = stmt.where(column == value)
    return CLIENT_COLUMNS, stmt


def client_rows_sqlite(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """What clients_query() gives, through the sqlite3 module: the same columns and values.

    Timestamps come back as the text SQLAlchemy stored; they are turned into the ISO form the
    writers make of a datetime (the same for CSV and JSON), once per distinct value — an
    import gives all its rows one timestamp.
    """
    from .rawdb import from_sqlite

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


def client_cells_sqlite(conn: sqlite3.Connection) -> Iterator[list[Any]]:
    """The rows of `tg export clients` as CSV cells: what export.write_csv() makes of
    client_rows_sqlite(), with the work per row cut to the columns that can need it.

    Most cells go to the csv module untouched (ids, counts, ordinary text, NULL); cell() is
    called only for a whole float (300.0 → 300), text that looks like a formula, or a value
    of an unexpected type — 17 calls a row fewer on 100k rows.
    """
    from .export import FORMULA_PREFIXES, cell
    from .rawdb import from_sqlite

    risky = frozenset("'" + "".join(FORMULA_PREFIXES))  # first characters neutralise() may act on
    text = [i for i, c in enumerate(CLIENT_COLUMNS) if c not in _INTEGER + _REAL + _STAMP]
    real = [CLIENT_COLUMNS.index(c) for c in _REAL]
    integer = [CLIENT_COLUMNS.index(c) for c in _INTEGER]
    stamps = [CLIENT_COLUMNS.index(c) for c in _STAMP]
    iso: dict[Any, str] = {}  # stored timestamp → its ISO form; an import gives all its rows one
    cur = conn.execute(f"SELECT {', '.join(CLIENT_COLUMNS)} FROM client ORDER BY id")
    cur.arraysize = 2000
    for row in cur:
        r = list(row)
        for i in text:
            v = r[i]
            if v is not None and (type(v) is not str or v[:1] in risky):
                r[i] = cell(v)
        for i in real:
            v = r[i]
            if v is not None and (type(v) is not float or v.is_integer()):
                r[i] = cell(v)
        for i in integer:
            v = r[i]
            if v is not None and type(v) is not int:
                r[i] = cell(v)
        for i in stamps:
            v = r[i]
            out = iso.get(v)
            if out is None:
                out = iso[v] = cell(from_sqlite(v))
            r[i] = out
        yield r


# The kinds of the client columns, for client_cells_sqlite(); the others are text.
_INTEGER = ("id", "headcount")
_REAL = ("budget_per_head", "budget_total", "confidence")
_STAMP = ("created_at", "updated_at")


def referrals_query(client_id: int | None = None):
    from sqlalchemy import or_, select
    from sqlalchemy.orm import aliased

    from .models import Client, Contact, Referral
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

    from .models import Classification, Client
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

    from .models import Reward
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


QUERIES = {"clients": clients_query, "referrals": referrals_query, "classifications": classifications_query,
           "rewards": rewards_query}
