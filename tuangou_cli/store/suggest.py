"""What the database offers when a shell completes a client, an offering or a user (completing.py).

Each function takes the open connection first (named ``session`` as in the rest of ``store``):
a stdlib sqlite3 connection on the SQLite road (rawdb.connect_at_head: no SQLAlchemy import, so
a Tab press stays quick) or a SQLAlchemy session on PostgreSQL, where the row-level security of
the role that connects decides which rows are seen. The SQL is written once for both: plain
text with named parameters, which sqlite3 and ``text()`` both take. Reads only.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..names import like_prefix

# Users are the distinct owners of clients, read by skipping along the owner index (one probe
# per owner, not a scan of every client); this many at most.
MAX_USERS = 1000


def _rows(session: Any, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
    if isinstance(session, sqlite3.Connection):
        return session.execute(sql, params or {}).fetchall()
    from sqlalchemy import text

    return [tuple(r) for r in session.execute(text(sql), params or {})]


def _is_sqlite(session: Any) -> bool:
    return isinstance(session, sqlite3.Connection)


def _prefix_condition(session: Any, column: str, key: str, params: dict[str, Any]) -> str:
    """``column`` starts with ``key``: LIKE (the rule store.clients' lookup uses), plus, on
    SQLite, the same prefix as a range that its index on the column can answer (its text
    order is the code points' order; PostgreSQL's collation need not be, so it gets LIKE alone)."""
    params["like"] = like_prefix(key)
    cond = f"{column} LIKE :like ESCAPE '\\'"
    if _is_sqlite(session) and key and ord(key[-1]) < 0x10FFFF:
        params["lo"], params["hi"] = key, key[:-1] + chr(ord(key[-1]) + 1)
        cond = f"{column} >= :lo AND {column} < :hi AND {cond}"
    return cond


def client_names(session: Any, key: str, limit: int) -> list[tuple[str, str | None, str | None]]:
    """(name, city, stage) of the clients whose folded name (``name_key``) starts with ``key``
    (itself folded by names.name_key), in name order."""
    params: dict[str, Any] = {"n": int(limit)}
    where = f"WHERE {_prefix_condition(session, 'name_key', key, params)}" if key else ""
    sql = f"SELECT name, city, stage FROM client {where} ORDER BY name_key, id LIMIT :n"
    return [(r[0], r[1], r[2]) for r in _rows(session, sql, params)]


def users(session: Any) -> list[str]:
    """The distinct owners of clients (those this connection may see)."""
    sql = ("WITH RECURSIVE o(v, n) AS ("
           " SELECT (SELECT MIN(owner) FROM client), 0"
           " UNION ALL SELECT (SELECT MIN(owner) FROM client WHERE owner > o.v), n + 1"
           " FROM o WHERE o.v IS NOT NULL AND n < :m)"
           " SELECT v FROM o WHERE v IS NOT NULL")
    return [r[0] for r in _rows(session, sql, {"m": MAX_USERS})]


def bundles(session: Any) -> list[tuple[str, str, str, int | None]]:
    """(code, name_zh, name_en, set price in fen) of every active bundle: the price of one set,
    each line's product at its list price times its count, as catalog.Offering.set_price."""
    sql = ("SELECT b.code, b.name_zh, b.name_en, SUM(l.count * p.price_fen) FROM catalog_bundle b"
           " LEFT JOIN bundle_line l ON l.bundle_id = b.id LEFT JOIN product p ON p.code = l.product_code"
           " WHERE b.active GROUP BY b.id, b.code, b.name_zh, b.name_en ORDER BY b.code")
    return [(r[0], r[1], r[2], None if r[3] is None else int(r[3])) for r in _rows(session, sql)]


def products(session: Any) -> list[tuple[str, str, str, int, str, str]]:
    """(code, name_zh, name_en, price in fen, unit_zh, unit_en) of every active product."""
    sql = ("SELECT code, name_zh, name_en, price_fen, unit_zh, unit_en FROM product"
           " WHERE active ORDER BY code")
    return [(r[0], r[1], r[2], int(r[3]), r[4], r[5]) for r in _rows(session, sql)]
