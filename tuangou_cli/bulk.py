"""The database side of `tg import`: one read of the existing keys, chunked reads of the clients
a file updates, and DB-API executemany writes — never one ORM object per row.

Rows go to the driver's cursor as plain tuples with timestamps already in the form the
backend stores: SQLAlchemy's per-row parameter processing (a dict, a bind processor per
column, a datetime conversion) cost more than SQLite's own work on 100k rows. The SQL is
written once with ``?`` placeholders; ``Db`` adapts it to the connection at hand:

* ``SqliteDb``: a sqlite3 connection — the bulk road of rawdb.py, or the DB-API connection
  under a ``Store.write()`` session (the same transaction);
* ``DriverDb``: any other SQLAlchemy connection (PostgreSQL), through ``exec_driver_sql``.

Every function runs inside the caller's transaction, so an import lands whole or not at all.
Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import islice
from typing import Any, Iterable, Iterator, Sequence

from operator import attrgetter

from . import columns
from .cells import parse_phones_quiet
from .importer import _SLOTS, CLIENT_FIELDS, Change, Index, Row, dedupe_key, diff, merged_notes
from .names import name_key

CHUNK = 500  # ids per IN (...) query: well under every backend's parameter limit
BATCH = 2_000  # rows per executemany (bigger batches only cost memory)
ROWS_PER_STATEMENT = 500  # SQLite: rows per multi-row INSERT (capped by the connection's variable limit)

_SHARED = ("created_at", "updated_at", "created_by", "updated_by")  # the same in every row of one import
# The client columns an import writes (columns.py), in the order of the tuples given to executemany:
# what client_values gives, then the shared ones.
INSERT_COLUMNS = ("name", "name_key", "dedupe_key", *CLIENT_FIELDS, "notes", *_SHARED)
assert sorted(INSERT_COLUMNS) == sorted(columns.INSERT_COLUMNS), \
    "columns.py: a bulk-inserted client column that is neither a file field, nor name, notes or a stamp"
CONTACT_COLUMNS = ("client_id", "name", "title", "phone", "created_at", "created_by")


class Db:
    """The few things bulk.py asks of a connection."""

    gives_ids = False  # new clients' ids chosen here (SQLite, write lock held), not by a sequence
    json_value = "CAST(? AS JSON)"  # a JSON column's parameter (PostgreSQL's column is typed JSON)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterable[Sequence[Any]]:
        raise NotImplementedError

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple], shared: dict[str, Any]) -> None:
        """INSERT rows (tuples for ``columns``); ``shared``: the columns every row has the same value in."""
        names = ", ".join((*columns, *shared))
        self.many(f"INSERT INTO {table} ({names}) VALUES ({_marks(len(columns) + len(shared))})",
                  [(*r, *shared.values()) for r in rows] if shared else rows)

    def stamp(self, value: datetime) -> Any:
        """A timestamp as this backend's driver should get it."""
        return value

    def sequence_past(self, table: str, top: int) -> int:
        """Make the table's id sequence give ids above ``top`` (the largest id this transaction
        sees); returns ``top``, which every new id is then above. Only for a backend whose ids come from
        a sequence (PostgreSQL): a row written with an explicit id (a restore, a hand-made
        INSERT) can sit above the sequence, and the import's ids must not collide with it."""
        return top

    def when(self, value: Any) -> datetime | None:
        """A timestamp read back, as an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class SqliteDb(Db):
    gives_ids = True
    json_value = "?"  # JSON is text here (a CAST would make it a number)

    def __init__(self, conn):
        self.conn = conn

    def rows(self, sql, params=()):
        return self.conn.execute(sql, params)

    def many(self, sql, rows):
        self.conn.executemany(sql, rows)

    def insert(self, table, columns, rows, shared):
        """Several rows per INSERT … VALUES (…), (…) and the shared values written into the SQL
        once: binding and statement resets, not SQLite's own work, were most of the cost."""
        import sqlite3
        from itertools import chain

        one = "(" + ", ".join(["?"] * len(columns) + [sql_literal(v) for v in shared.values()]) + ")"
        sql = f"INSERT INTO {table} ({', '.join((*columns, *shared))}) VALUES "
        per = max(1, min(ROWS_PER_STATEMENT,
                         self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // max(1, len(columns))))
        whole = len(rows) - len(rows) % per
        if whole:
            flat = chain.from_iterable
            self.conn.executemany(sql + ", ".join([one] * per),
                                  (tuple(flat(rows[i:i + per])) for i in range(0, whole, per)))
        if whole < len(rows):
            self.conn.executemany(sql + one, rows[whole:])

    def stamp(self, value):
        from .rawdb import to_sqlite

        return to_sqlite(value)

    def when(self, value):
        from .rawdb import from_sqlite

        return from_sqlite(value)


class DriverDb(Db):
    def __init__(self, conn):
        self.conn = conn

    def sequence_past(self, table, top):
        if self.conn.dialect.name != "postgresql":
            return top
        # setval moves the sequence on only when it is behind; last_value says where it is.
        # (Sequences are not transactional: a concurrent import also takes ids from above it.)
        (seq,) = next(iter(self.rows("SELECT pg_get_serial_sequence(?, 'id')", (table,))))
        if seq is None:
            return top
        (last, called) = next(iter(self.rows(f"SELECT last_value, is_called FROM {seq}")))
        if top > last or (top == last and not called):
            self.rows("SELECT setval(CAST(? AS regclass), ?, true)", (seq, top))
        return top

    def rows(self, sql, params=()):
        return self.conn.exec_driver_sql(self._sql(sql), tuple(params))

    def many(self, sql, rows):
        rows = list(rows)
        if rows:
            self.conn.exec_driver_sql(self._sql(sql), rows)

    def _sql(self, sql: str) -> str:
        style = self.conn.dialect.paramstyle
        return sql if style == "qmark" else sql.replace("?", "%s" if style in ("format", "pyformat") else "?")


def db_for(conn) -> Db:
    """The Db for a sqlite3 connection, or for the SQLAlchemy Connection of a Store session."""
    import sqlite3

    if isinstance(conn, sqlite3.Connection):
        return SqliteDb(conn)
    if conn.dialect.name == "sqlite":
        return SqliteDb(conn.connection.dbapi_connection)  # the session's own transaction
    return DriverDb(conn)


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def load_index(db: Db, *, fingerprints: bool) -> Index:
    """Every existing client's dedupe key in one query; phones only where a key is shared."""
    index = Index()
    if fingerprints:
        for cid, name, city, key, created in db.rows("SELECT id, name, city, name_key, created_at FROM client ORDER BY id"):
            index.add(cid, name, city, key)
            index.created[cid] = db.when(created)
    else:
        for cid, name, city, key in db.rows("SELECT id, name, city, name_key FROM client ORDER BY id"):
            index.add(cid, name, city, key)
    for ids in chunks(index.shared_ids(), CHUNK):
        sql = f"SELECT client_id, phone FROM contact WHERE client_id IN ({_marks(len(ids))}) AND phone IS NOT NULL"
        for cid, phone in db.rows(sql, ids):
            index.phones.setdefault(cid, set()).update(parse_phones_quiet(phone))
    return index


def changes_for(db: Db, groups: Iterable[Row]) -> list[Change]:
    """Read the clients the file matched (chunked) and work out what would change."""
    wanted = {g.existing: g for g in groups if g.existing is not None}
    fields = ["id", "name", "notes", *CLIENT_FIELDS]
    out: list[Change] = []
    for ids in chunks(sorted(wanted), CHUNK):
        marks = _marks(len(ids))
        current = {r[0]: dict(zip(fields, r)) for r in db.rows(
            f"SELECT {', '.join(fields)} FROM client WHERE id IN ({marks})", ids)}
        people: dict[int, list[tuple[int, str, str | None]]] = {}
        for cid, pid, name, phone in db.rows(
                f"SELECT client_id, id, name, phone FROM contact WHERE client_id IN ({marks}) ORDER BY id", ids):
            people.setdefault(cid, []).append((pid, name, phone))
        for cid in ids:
            if cid in current:
                out.append(diff(wanted[cid], current[cid], people.get(cid, [])))
    out.sort(key=lambda c: c.group.line)
    return out


def insert_clients(db: Db, groups: Sequence[Row], *, user: str, now: datetime, progress=None,
                   first_id: int | None = None) -> list[int]:
    """Insert new clients, then their contacts; returns the clients' ids, in the order of ``groups``.

    On SQLite the ids are given: the transaction holds the write lock, so max(id)+1… are the
    ids SQLite itself would pick (``first_id``: the caller keeps count, having inserted some
    already). Elsewhere (PostgreSQL, whose ids come from a sequence) they are read back:
    RETURNING with a guaranteed order would insert row by row, but the rows this transaction
    inserted carry its own timestamp and user, and a sequence only grows.
    """
    stamp = db.stamp(now)
    given = db.gives_ids
    before = first_id - 1 if first_id is not None else next(iter(db.rows("SELECT coalesce(max(id), 0) FROM client")))[0]
    if not given and groups:
        before = db.sequence_past("client", before)
    shared = {"created_at": stamp, "updated_at": stamp, "created_by": user, "updated_by": user}
    columns = (*(("id",) if given else ()), *(c for c in INSERT_COLUMNS if c not in shared))
    for start in range(0, len(groups), BATCH):
        batch = groups[start:start + BATCH]
        rows = [client_values(g, user) for g in batch]
        db.insert("client", columns, [(cid, *r) for cid, r in enumerate(rows, before + 1 + start)] if given else rows,
                  shared)
        if progress:
            progress(len(batch))
    if given:
        ids = list(range(before + 1, before + 1 + len(groups)))
    else:
        ids = [r[0] for r in db.rows("SELECT id FROM client WHERE id > ? AND created_at = ? AND created_by = ? "
                                     "ORDER BY id", (before, stamp, user))]
        if len(ids) != len(groups):  # pragma: no cover - would mean another writer shares our timestamp
            raise RuntimeError(f"expected {len(groups)} new client ids, found {len(ids)}")
    insert_contacts(db, ((cid, c) for cid, g in zip(ids, groups) for c in g.contacts), stamp=stamp, user=user)
    return ids


_FIELD_VALUES = attrgetter(*_SLOTS)
_DEFAULTS = [(i, columns.BY_NAME[f].default) for i, f in enumerate(CLIENT_FIELDS)
             if columns.BY_NAME[f].default is not None]


def client_values(g: Row, user: str) -> tuple:
    """A new client's values for the INSERT_COLUMNS that are not shared by every row (the file's
    fields in columns.py's order, each column's default where the row has none)."""
    values = _FIELD_VALUES(g)
    if _DEFAULTS:
        values = list(values)
        for i, default in _DEFAULTS:
            if values[i] is None:
                values[i] = user if default is columns.USER else default
    key = g.key or name_key(g.name)
    dedupe = g.dedupe if g.key and g.dedupe is not None else dedupe_key(g.name, key)  # the Planner's
    return (g.name, key, dedupe[:200], *values,
            g.notes if not g.extras else merged_notes(None, g.notes, g.extras))


def rewrite_clients(db: Db, written: Sequence[tuple[int, Row]], *, user: str, now: datetime) -> None:
    """Clients inserted earlier in this transaction whose rows later ones were merged into: their
    columns written again, their contacts replaced (they are new: nothing else refers to them)."""
    if not written:
        return
    stamp = db.stamp(now)
    columns = [c for c in INSERT_COLUMNS if c not in ("created_at", "updated_at", "created_by", "updated_by")]
    sets = ", ".join(f"{c} = ?" for c in columns)
    db.many(f"UPDATE client SET {sets} WHERE id = ?", [(*client_values(g, user), cid) for cid, g in written])
    db.many("DELETE FROM contact WHERE client_id = ?", [(cid,) for cid, _ in written])
    insert_contacts(db, ((cid, c) for cid, g in written for c in g.contacts), stamp=stamp, user=user)


def insert_contacts(db: Db, people: Iterable[tuple[int, Any]], *, stamp: Any, user: str) -> None:
    """(client id, importer.Contact) pairs → contact rows, BATCH at a time."""
    shared = {"created_at": stamp, "created_by": user}
    columns = tuple(c for c in CONTACT_COLUMNS if c not in shared)
    people = iter(people)
    while batch := [(cid, c.name, c.title, c.phone) for cid, c in islice(people, BATCH)]:
        db.insert("contact", columns, batch, shared)


def sql_literal(value: str) -> str:
    """A text value as an SQL string literal (SQLite): for the values every row of a bulk insert
    shares, so they are not bound 100k times. Quotes are doubled; nothing else is special."""
    return "'" + str(value).replace("'", "''") + "'"


def apply_changes(db: Db, changes: Sequence[Change], *, user: str, now: datetime, progress=None) -> int:
    """Update clients, one executemany per set of changed columns; add contacts, fill phones.

    Every change to an existing client and every phone filled in gets its audit row (who, when,
    field: old → new), as an ORM write would (audit.py): an import can overwrite what a
    colleague typed, so it must be traceable. New clients and contacts carry created_by and
    created_at instead of an insert row each (100k rows of JSON would double an import).
    """
    stamp = db.stamp(now)
    by_columns: dict[tuple[str, ...], list[tuple]] = {}
    people: list[tuple] = []
    fills: list[tuple] = []
    audits: list[tuple] = []
    for ch in changes:
        if ch.fields:
            cols = tuple(sorted(ch.fields))
            by_columns.setdefault(cols, []).append((*(ch.fields[c] for c in cols), stamp, user, ch.id))
            audits.append((ch.id, "client", ch.id,
                           {k: [ch.before.get(k), v] for k, v in ch.fields.items() if k not in ("name_key", "dedupe_key")}))
        people.extend((ch.id, c) for c in ch.contacts)
        fills.extend((phone, pid) for pid, phone in ch.phone_fills)
        audits.extend((pid, "contact", ch.id, {"phone": [None, phone]}) for pid, phone in ch.phone_fills)
    for cols, rows in by_columns.items():
        sets = ", ".join(f"{c} = ?" for c in (*cols, "updated_at", "updated_by"))
        for batch in chunks(rows, BATCH):
            db.many(f"UPDATE client SET {sets} WHERE id = ?", batch)
            if progress:
                progress(len(batch))
    insert_contacts(db, people, stamp=stamp, user=user)
    if fills:
        db.many("UPDATE contact SET phone = ? WHERE id = ?", fills)
    if audits:
        import json

        db.many('INSERT INTO audit (at, "by", table_name, row_id, client_id, action, changes) '  # "by": a keyword
                f"VALUES (?, ?, ?, ?, ?, 'update', {db.json_value})",
                [(stamp, user, table, row, client, json.dumps(diff)) for row, table, client, diff in audits])
    return sum(1 for ch in changes if ch)
