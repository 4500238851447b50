"""The database side of `tg import`: one read of the existing keys, chunked reads of the clients
a file updates, and SQLAlchemy Core executemany writes — never one ORM object per row.

All functions take the Connection of a ``Store.write()`` (or ``read()``) session, so an import
lands in one transaction or not at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Iterator, Sequence

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from .importer import CLIENT_FIELDS, Change, Contact, Index, Row, diff, new_client
from .models import Client, Contact as ContactRow

CHUNK = 500  # ids per IN (...) query: well under every backend's parameter limit
BATCH = 1_000  # rows per executemany (bigger batches only cost memory)

client_t = Client.__table__
contact_t = ContactRow.__table__


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def load_index(conn: Connection, *, fingerprints: bool) -> Index:
    """Every existing client's dedupe key in one query; phones only where a key is shared."""
    index = Index()
    cols = [client_t.c.id, client_t.c.name, client_t.c.city, client_t.c.name_key]
    if fingerprints:
        cols.append(client_t.c.created_at)
    for row in conn.execute(select(*cols)):
        index.add(row[0], row[1], row[2], row[3])
        if fingerprints:
            index.created[row[0]] = row[4]
    from .importer import parse_phones_quiet

    for ids in chunks(index.shared_ids(), CHUNK):
        stmt = select(contact_t.c.client_id, contact_t.c.phone).where(
            contact_t.c.client_id.in_(ids), contact_t.c.phone.is_not(None))
        for cid, phone in conn.execute(stmt):
            index.phones.setdefault(cid, set()).update(parse_phones_quiet(phone))
    return index


def changes_for(conn: Connection, groups: Iterable[Row]) -> list[Change]:
    """Read the clients the file matched (chunked) and work out what would change."""
    wanted = {g.existing: g for g in groups if g.existing is not None}
    fields = ["id", "name", "notes", *CLIENT_FIELDS]
    out: list[Change] = []
    for ids in chunks(sorted(wanted), CHUNK):
        current = {r["id"]: dict(r) for r in conn.execute(
            select(*[client_t.c[f] for f in fields]).where(client_t.c.id.in_(ids))).mappings()}
        people: dict[int, list[tuple[int, str, str | None]]] = {}
        for cid, pid, name, phone in conn.execute(
                select(contact_t.c.client_id, contact_t.c.id, contact_t.c.name, contact_t.c.phone)
                .where(contact_t.c.client_id.in_(ids)).order_by(contact_t.c.id)):
            people.setdefault(cid, []).append((pid, name, phone))
        for cid in ids:
            if cid in current:
                out.append(diff(wanted[cid], current[cid], people.get(cid, [])))
    out.sort(key=lambda c: c.group.line)
    return out


def insert_clients(conn: Connection, groups: Sequence[Row], *, user: str, now: datetime,
                   progress=None) -> int:
    """Insert new clients (plain executemany), then their contacts; returns how many clients.

    RETURNING with guaranteed order makes SQLite insert row by row, so the new ids are read
    back instead: the rows this transaction inserted carry its own timestamp and user, and
    ids grow in insertion order (SQLite holds the write lock; a PostgreSQL sequence only grows).
    """
    before = conn.execute(select(func.coalesce(func.max(client_t.c.id), 0))).scalar_one()
    for batch in chunks(groups, BATCH):
        conn.execute(insert(client_t), [new_client(g, user=user, now=now) for g in batch])
        if progress:
            progress(len(batch))
    if not any(g.contacts for g in groups):
        return len(groups)
    ids = conn.execute(select(client_t.c.id).where(
        client_t.c.id > before, client_t.c.created_at == now, client_t.c.created_by == user,
    ).order_by(client_t.c.id)).scalars().all()
    if len(ids) != len(groups):  # pragma: no cover - would mean another writer shares our timestamp
        raise RuntimeError(f"expected {len(groups)} new client ids, found {len(ids)}")
    people = []
    for cid, g in zip(ids, groups):
        people.extend(_contact_row(cid, c, user, now) for c in g.contacts)
        if len(people) >= BATCH:
            conn.execute(insert(contact_t), people)
            people = []
    if people:
        conn.execute(insert(contact_t), people)
    return len(groups)


def apply_changes(conn: Connection, changes: Sequence[Change], *, user: str, now: datetime, progress=None) -> int:
    """Update clients, one executemany per set of changed columns; add contacts, fill phones."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    people: list[dict[str, Any]] = []
    fills: list[dict[str, Any]] = []
    for ch in changes:
        if ch.fields:
            cols = tuple(sorted(ch.fields))
            values = {f"v_{k}": v for k, v in ch.fields.items()}
            by_columns.setdefault(cols, []).append({"_id": ch.id, **values, "v_updated_at": now,
                                                    "v_updated_by": user})
        people.extend(_contact_row(ch.id, c, user, now) for c in ch.contacts)
        fills.extend({"_id": pid, "v_phone": phone} for pid, phone in ch.phone_fills)
    for cols, rows in by_columns.items():
        stmt = update(client_t).where(client_t.c.id == bindparam("_id")).values(
            {c: bindparam(f"v_{c}") for c in (*cols, "updated_at", "updated_by")})
        for batch in chunks(rows, BATCH):
            conn.execute(stmt, list(batch))
            if progress:
                progress(len(batch))
    if people:
        conn.execute(insert(contact_t), people)
    if fills:
        conn.execute(update(contact_t).where(contact_t.c.id == bindparam("_id")).values(phone=bindparam("v_phone")),
                     fills)
    return sum(1 for ch in changes if ch)


def _contact_row(client_id: int, c: Contact, user: str, now: datetime) -> dict[str, Any]:
    return {"client_id": client_id, "name": c.name, "title": c.title, "phone": c.phone, "created_at": now,
            "created_by": user}
