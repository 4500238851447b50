"""`tg search TEXT`: one text found across clients (and their notes), contacts, activities, needs and cases.

The text is found as a substring (Chinese has no spaces to split words at), case-folded, in any
of a row's searched fields. Hits are ranked the same way on every engine: the row's main field
(a client's or contact's name, a case's title, an activity's or need's text) equal to the text
first, then starting with it, then containing it, then a match in another field; ties go to
clients, contacts, cases, needs, activities in that order, and the newest first.

**SQLite** keeps an FTS5 index with the trigram tokenizer (migration 0007), which finds a
substring of three or more characters without reading the tables. A trigram query needs three
characters, and 医院 has two: every indexed field ends with two separator characters (US, 0x1f),
so each character of the text starts at least one trigram, and a one- or two-character text is
found as the trigrams *starting* with it, a range of the index's vocabulary (``search_vocab``,
fts5vocab) rather than a scan of every row.

The index is a cache kept complete up to a row id per table (``search_state.indexed_to``):
triggers keep rows at or below that id in step with their table (insert, update, delete), and
rows above it are added by the next search, in one short write transaction. So a 100,000-row
import pays nothing for the index, and the first search after it adds those rows once. When
that write cannot be made (a read-only file, another writer holding the lock) the rows above the
mark are searched with LIKE instead: the answer is the same, only slower. Every candidate from
the index is checked against its row as it is now, so a stale entry never shows.

**PostgreSQL** searches the tables with ILIKE through the Store, as the rep: row-level security
decides what is found exactly as it decides what the lists show. Migration 0007 adds pg_trgm
GIN indexes when the extension can be created, which ILIKE then uses by itself.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from . import i18n
from .errors import UsageError

MAX_QUERY = 200
SEP = "\x1f\x1f"  # after every indexed field: see the module docstring


@dataclass(frozen=True)
class Source:
    kind: str
    code: int  # the low 3 bits of an index rowid: rowid = id * 8 + code
    table: str
    fields: tuple[str, ...]  # the main field first
    client: str | None  # how the row names its client: "self", a client_id column, or None
    rank: int  # tie-break between kinds, higher first


SOURCES = (
    Source("client", 1, "client", ("name", "industry", "city", "notes"), "self", 5),
    Source("contact", 2, "contact", ("name", "title", "phone"), "client_id", 4),
    Source("activity", 3, "activity", ("text", "next_action"), "client_id", 1),
    Source("need", 4, "need", ("text",), "client_id", 2),
    Source("case", 5, "case_study", ("title", "industry", "decided_by", "technique", "lesson"), "client_id", 3),
)
BY_KIND = {s.kind: s for s in SOURCES}

COLUMNS = ["kind", "id", "client_id", "client", "field", "text", "score"]


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    client_id: int | None
    client: str | None
    field: str
    text: str
    score: int

    def row(self) -> list[Any]:
        return [getattr(self, c) for c in COLUMNS]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Results:
    query: str
    hits: list[Hit]
    total: int  # hits before --limit


# --- the query text ------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """The text to search for: control characters dropped, runs of spaces made one, trimmed; a
    UsageError when nothing is left to find (only punctuation or spaces) or it is too long."""
    cleaned = "".join(ch for ch in " ".join(text.split()) if unicodedata.category(ch)[0] != "C").strip()
    if not any(unicodedata.category(ch)[0] in "LN" for ch in cleaned):
        raise UsageError(i18n.t("search.nothing_to_find", text=text))
    if len(cleaned) > MAX_QUERY:
        raise UsageError(i18n.t("search.too_long", limit=MAX_QUERY))
    return cleaned


def like_pattern(text: str) -> str:
    """``text`` for LIKE … ESCAPE '\\': its own % and _ taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


# --- SQL shared by the engines -----------------------------------------------------------------


def _score_sql(src: Source, like: str, alias: str = "t") -> str:
    """The rank of a row (see the module docstring), with ``like`` the engine's LIKE or ILIKE."""
    main = f"{alias}.{src.fields[0]}"
    return (f"CASE WHEN {main} {like} :q ESCAPE '\\' THEN 100 "
            f"WHEN {main} {like} :q_prefix ESCAPE '\\' THEN 80 "
            f"WHEN {main} {like} :q_any ESCAPE '\\' THEN 60 ELSE 20 END")


def _matches_sql(src: Source, like: str, alias: str = "t") -> str:
    return "(" + " OR ".join(f"{alias}.{f} {like} :q_any ESCAPE '\\'" for f in src.fields) + ")"


def _select_sql(src: Source, like: str, source_from: str, where: str) -> str:
    """One kind's hits: kind, id, client id, client name, score, rank, then its fields."""
    if src.client == "self":
        client_id, client_name, join = "t.id", "t.name", ""
    else:
        client_id, client_name = f"t.{src.client}", "c.name"
        join = f" LEFT JOIN client c ON c.id = t.{src.client}"
    fields = ", ".join(f"t.{f}" for f in src.fields)
    pad = ", NULL" * (max(len(s.fields) for s in SOURCES) - len(src.fields))
    return (f"SELECT '{src.kind}' AS kind, t.id AS id, {client_id} AS client_id, {client_name} AS client, "
            f"{_score_sql(src, like)} AS score, {src.rank} AS rank, {fields}{pad} "
            f"FROM {source_from}{join} WHERE {where}")


def params(text: str) -> dict[str, str]:
    p = like_pattern(text)
    return {"q": p, "q_prefix": p + "%", "q_any": "%" + p + "%"}


def _ordered(selects: Sequence[str], limit: int | None) -> str:
    sql = " UNION ALL ".join(selects) + " ORDER BY score DESC, rank DESC, id DESC"
    return sql + (" LIMIT :limit" if limit else "")


def _count_sql(selects: Sequence[str]) -> str:
    return "SELECT count(*) FROM (" + " UNION ALL ".join(selects) + ") AS hits"


def hits_from(rows, text: str) -> list[Hit]:
    """Hits from result rows: the field that holds the text, and that field's text around it."""
    folded = text.casefold()
    out = []
    for kind, id_, client_id, client, score, _rank, *values in rows:
        src = BY_KIND[kind]
        field, shown = src.fields[0], values[0] or ""
        for name, value in zip(src.fields, values):
            if value and folded in str(value).casefold():
                field, shown = name, str(value)
                break
        out.append(Hit(kind, id_, client_id, client, field, snippet(shown, folded), int(score)))
    return out


def snippet(text: str, folded: str, width: int = 60) -> str:
    """``text`` on one line, cut to about ``width`` characters around the first match."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    at = max(flat.casefold().find(folded), 0)
    start = max(0, min(at - width // 3, len(flat) - width))
    return ("…" if start else "") + flat[start:start + width] + ("…" if start + width < len(flat) else "")


# --- SQLite: the trigram index ---------------------------------------------------------------


def body_sql(src: Source, alias: str) -> str:
    """The indexed text of a row: each field followed by the two separators."""
    return " || ".join(f"coalesce({alias}.{f}, '') || char(31, 31)" for f in src.fields)


def sqlite_ddl() -> list[str]:
    """The index, its vocabulary, its high-water marks and the triggers keeping it in step (run by
    migration 0007; a change to SOURCES needs a migration that runs these again and empties the
    index: DELETE FROM search_fts, UPDATE search_state SET indexed_to = 0)."""
    out = [
        "CREATE TABLE search_state (kind INTEGER PRIMARY KEY, indexed_to INTEGER NOT NULL DEFAULT 0)",
        "CREATE VIRTUAL TABLE search_fts USING fts5(body, tokenize = 'trigram')",
        "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'instance')",
    ]
    for src in SOURCES:
        mark = f"(SELECT indexed_to FROM search_state WHERE kind = {src.code})"
        out.append(f"INSERT INTO search_state (kind, indexed_to) VALUES ({src.code}, 0)")
        ins = (f"DELETE FROM search_fts WHERE rowid = new.id * 8 + {src.code}; "
               f"INSERT INTO search_fts (rowid, body) VALUES (new.id * 8 + {src.code}, {body_sql(src, 'new')});")
        out.append(f"CREATE TRIGGER search_{src.table}_ai AFTER INSERT ON {src.table} "
                   f"WHEN new.id <= {mark} BEGIN {ins} END")
        fields = ", ".join(src.fields)
        out.append(f"CREATE TRIGGER search_{src.table}_au AFTER UPDATE OF id, {fields} ON {src.table} BEGIN "
                   f"DELETE FROM search_fts WHERE rowid = old.id * 8 + {src.code} AND old.id <= {mark}; "
                   f"INSERT INTO search_fts (rowid, body) SELECT new.id * 8 + {src.code}, {body_sql(src, 'new')} "
                   f"WHERE new.id <= {mark}; END")
        out.append(f"CREATE TRIGGER search_{src.table}_ad AFTER DELETE ON {src.table} "
                   f"WHEN old.id <= {mark} BEGIN DELETE FROM search_fts WHERE rowid = old.id * 8 + {src.code}; END")
    return out


def sqlite_drop() -> list[str]:
    out = [f"DROP TRIGGER IF EXISTS search_{s.table}_{op}" for s in SOURCES for op in ("ai", "au", "ad")]
    return out + ["DROP TABLE IF EXISTS search_vocab", "DROP TABLE IF EXISTS search_fts",
                  "DROP TABLE IF EXISTS search_state"]


def has_index(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_state'").fetchone() is not None


def marks(conn: sqlite3.Connection) -> dict[int, int]:
    return dict(conn.execute("SELECT kind, indexed_to FROM search_state"))


def stale(conn: sqlite3.Connection) -> bool:
    """Are there rows above a kind's mark (rows the index does not hold yet)?"""
    done = marks(conn)
    for src in SOURCES:
        top = conn.execute(f"SELECT max(id) FROM {src.table}").fetchone()[0] or 0
        if top > done.get(src.code, 0):
            return True
    return False


def catch_up(conn: sqlite3.Connection) -> int:
    """Index the rows above each mark and move the marks; the caller holds the write transaction.
    Returns the number of rows indexed."""
    done, n = marks(conn), 0
    for src in SOURCES:
        mark = done.get(src.code, 0)
        top = conn.execute(f"SELECT max(id) FROM {src.table}").fetchone()[0] or 0
        if top <= mark:
            continue
        # Entries above the mark are left-overs (a row removed while its table was emptied by hand):
        # gone first, so that no id is indexed twice.
        conn.execute("DELETE FROM search_fts WHERE rowid > ? AND (rowid & 7) = ?", (mark * 8 + 7, src.code))
        cur = conn.execute(f"INSERT INTO search_fts (rowid, body) SELECT t.id * 8 + {src.code}, {body_sql(src, 't')} "
                           f"FROM {src.table} t WHERE t.id > ? AND t.id <= ?", (mark, top))
        n += cur.rowcount
        conn.execute("INSERT OR REPLACE INTO search_state (kind, indexed_to) VALUES (?, ?)", (src.code, top))
    return n


def search_sqlite(conn: sqlite3.Connection, text: str, *, limit: int | None) -> Results:
    """Search on a sqlite3 connection inside a read transaction (the caller's)."""
    values: dict[str, Any] = params(text)
    selects = []
    if has_index(conn):
        done = marks(conn)
        if len(text) >= 3:
            hit_cte = "hit AS (SELECT rowid AS r FROM search_fts WHERE search_fts MATCH :phrase)"
            values["phrase"] = fts_phrase(text)
        else:
            # the trigrams starting with the text: [text, text + the last code point)
            hit_cte = "hit AS (SELECT DISTINCT doc AS r FROM search_vocab WHERE term >= :lo AND term < :hi)"
            values["lo"], values["hi"] = text.lower(), text.lower() + "\U0010ffff"
        for src in SOURCES:
            values[f"mark_{src.code}"] = done.get(src.code, 0)
            selects.append(_select_sql(src, "LIKE", f"hit JOIN {src.table} t ON t.id = hit.r >> 3",
                                       f"hit.r & 7 = {src.code} AND {_matches_sql(src, 'LIKE')}"))
            selects.append(_select_sql(src, "LIKE", f"{src.table} t",
                                       f"t.id > :mark_{src.code} AND {_matches_sql(src, 'LIKE')}"))
        prefix = "WITH " + hit_cte + " "
    else:  # no FTS5 in this SQLite: every row with LIKE
        selects = [_select_sql(src, "LIKE", f"{src.table} t", _matches_sql(src, "LIKE")) for src in SOURCES]
        prefix = ""
    if limit:
        values["limit"] = limit
    rows = conn.execute(prefix + _ordered(selects, limit), values).fetchall()
    total = len(rows)
    if limit and total == limit:
        total = conn.execute(prefix + _count_sql(selects), values).fetchone()[0]
    return Results(text, hits_from(rows, text), total)


# --- PostgreSQL (and any SQLAlchemy connection) --------------------------------------------------


def search_sqlalchemy(connection, text: str, *, limit: int | None) -> Results:
    """Search through a SQLAlchemy connection: ILIKE on PostgreSQL, where row-level security
    filters every table for a rep as it does for the lists; LIKE elsewhere."""
    from sqlalchemy import text as sql

    like = "ILIKE" if connection.dialect.name == "postgresql" else "LIKE"
    selects = [_select_sql(src, like, f"{src.table} t", _matches_sql(src, like)) for src in SOURCES]
    values: dict[str, Any] = params(text)
    if limit:
        values["limit"] = limit
    rows = connection.execute(sql(_ordered(selects, limit)), values).all()
    total = len(rows)
    if limit and total == limit:
        total = connection.execute(sql(_count_sql(selects)), values).scalar_one()
    return Results(text, hits_from(rows, text), total)


# --- PostgreSQL: trigram indexes (migration 0007) ---------------------------------------------


def pg_index_names() -> list[tuple[str, str, str]]:
    """(index name, table, column) of the GIN trigram indexes ILIKE can use."""
    return [(f"ix_search_{s.table}_{f}", s.table, f) for s in SOURCES for f in s.fields]


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparisons: the search index's tables, triggers and GIN indexes are made by
    migration 0007 by hand and are no model's."""
    if type_ == "table" and name and name.startswith("search_"):
        return False
    if type_ == "index" and name and name.startswith("ix_search_"):
        return False
    return True


# --- running a search on the database of --db / TG_DB --------------------------------------------


def run(app_ctx, text: str, *, limit: int | None) -> Results:
    """Search the database a command was given. A SQLite file at the current schema is read with the
    sqlite3 module (the index brought up to date first, if it can be); anything else through the
    Store, which creates or upgrades a SQLite file and applies row-level security on PostgreSQL."""
    from . import rawdb

    text = normalise(text)
    path = rawdb.sqlite_file(rawdb.resolve_url(app_ctx.db))
    conn = rawdb.connect_at_head(app_ctx.db)
    if conn is None:
        store = app_ctx.store()  # creates, upgrades or reports the problem
        if store.is_sqlite and path is not None:
            conn = rawdb.connect_at_head(app_ctx.db)
        if conn is None:
            with store.read() as session:
                return search_sqlalchemy(session.connection(), text, limit=limit)
    try:
        with rawdb.translate_errors(path):
            if has_index(conn) and stale(conn):
                conn.rollback()
                refresh(conn)
                conn.execute("BEGIN")
            return search_sqlite(conn, text, limit=limit)
    finally:
        conn.rollback()
        conn.close()


def refresh(conn: sqlite3.Connection, wait_ms: int = 2000) -> bool:
    """Index the rows above the marks in one write transaction; False (and nothing changed) when
    the file cannot be written now: the search then reads those rows with LIKE."""
    conn.execute(f"PRAGMA busy_timeout={wait_ms}")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            catch_up(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return True
    except sqlite3.OperationalError as exc:
        low = str(exc).lower()
        if "locked" in low or "readonly" in low or "read-only" in low or "busy" in low:
            return False
        raise
