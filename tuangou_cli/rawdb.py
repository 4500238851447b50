"""The stdlib-sqlite3 road for bulk commands (`tg import clients`, `tg export clients`).

Importing SQLAlchemy and SQLModel costs 0.3–0.45 s, longer than writing out 100,000 clients;
``tg export`` of a large table and ``tg import`` of a large file on SQLite therefore talk
to the database through the sqlite3 module directly. This road is only taken when the
database is a SQLite file that already exists at the schema version this tg knows (``HEAD``):
creating, upgrading, refusing a newer database and PostgreSQL all stay with ``db.open_store``.

Nothing here imports SQLAlchemy. The connection is set up exactly as ``db.make_engine`` sets
up its own (the same pragmas, from ``PRAGMAS`` here), and timestamps are written and read in
the format SQLAlchemy's SQLite dialect uses, so rows written either way are the same.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

BUSY_TIMEOUT_MS = 10_000

# Set on every connection, by db.make_engine as well as here. mmap: reports that scan a large
# table spend their time in SQLite, not in read() calls; synchronous=NORMAL is safe with WAL.
PRAGMAS = ("PRAGMA foreign_keys=ON", f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
FILE_PRAGMAS = ("PRAGMA mmap_size=268435456", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
# A bulk write touches the name_key index all over (names arrive in no order): with SQLite's
# default 2 MB page cache, 100k inserts spend a third of their time re-reading index pages.
BULK_CACHE_KIB = 16_384


# Query parameters of a database URL that hold a secret (libpq's "password"; "passfile" names a
# file and is no secret).
SECRET_PARAMS = ("password",)
from .errors import redact_url  # noqa: E402,F401  (messages quoting a URL: errors.py, which imports nothing of ours)
def url_secrets(url: str | None) -> list[str]:
    """The passwords a database URL holds, as typed and percent-decoded: what no message may show."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    if not url or "://" not in url:
        return []
    found: list[str] = []
    try:
        parts = urlsplit(url)
        if parts.password:
            found += [parts.password, unquote(parts.password)]
        for key, value in parse_qsl(parts.query, keep_blank_values=False):
            if key.lower() in SECRET_PARAMS and value:
                found.append(value)
        raw = re.search(r"[?&;]password=([^&;#]*)", url, re.IGNORECASE)
        if raw and raw.group(1):
            found += [raw.group(1), unquote(raw.group(1))]
    except ValueError:
        match = re.search(r"://[^/@:?#]*:([^@/?#]*)@", url)
        if match:
            found.append(match.group(1))
    return sorted({s for s in found if len(s) >= 1}, key=len, reverse=True)


def current_user(url: str | None = None) -> str:
    """Who is writing: TG_USER; else, on PostgreSQL (``url``), the role tg connects as, so the name
    tg records and the one row-level security checks are the same (see rls.py); else the OS login."""
    user = os.environ.get("TG_USER")
    if user:
        return user
    role = pg_role(url) if url else None
    if role:
        return role
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something honest
        return "unknown"


def pg_role(url: str) -> str | None:
    """The role a PostgreSQL URL connects as: its user, else PGUSER; None for other databases
    and when libpq falls back to the OS login (current_user() does the same)."""
    from urllib.parse import parse_qs, unquote, urlsplit

    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme.split("+")[0] not in ("postgresql", "postgres"):
        return None
    try:
        parts = urlsplit(url)
        user = unquote(parts.username) if parts.username else None
        user = user or (parse_qs(parts.query).get("user") or [None])[0]
    except ValueError:
        user = None
    return user or os.environ.get("PGUSER") or None


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("tg", appauthor=False) / "tg.db"


def resolve_url(db: str | None) -> str:
    """--db beats TG_DB beats the per-user default; a plain path means SQLite."""
    value = db or os.environ.get("TG_DB") or None
    if value and "://" in value:
        return value
    path = Path(value).expanduser() if value else default_db_path()
    return f"sqlite:///{path.resolve() if value else path}"


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL; None for anything else (memory, options, other backends)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix):]
    return Path(path) if path and path != ":memory:" else None


def connect_at_head(db: str | None, *, write: bool = False) -> sqlite3.Connection | None:
    """A sqlite3 connection to the database of ``--db``/``TG_DB``, or None when this road does not
    apply (not a SQLite file, missing, not at HEAD, unreadable): the caller then uses the Store,
    which creates, upgrades or reports the problem.

    ``write``: the connection begins ``BEGIN IMMEDIATE`` (see db.make_engine) and gets a larger
    page cache. The caller commits or rolls back.
    """
    from .migrations import HEAD

    path = sqlite_file(resolve_url(db))
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        for pragma in (*PRAGMAS, *FILE_PRAGMAS):
            conn.execute(pragma)
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None or version[0] != HEAD:
            conn.close()
            return None
        if write:
            conn.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    except sqlite3.Error:
        conn.close()
        return None
    return conn


@contextmanager
def translate_errors(where) -> Iterator[None]:
    """sqlite3 failures a user can cause (or fix) become one-line StoreErrors, as db.translate_errors does."""
    try:
        yield
    except sqlite3.Error as exc:
        from .errors import StoreError

        raise StoreError(describe_error(exc, str(where))) from None


def describe_error(exc: BaseException, where: str) -> str:
    """The message for a database failure: the driver's first line, put in words where we can."""
    from . import i18n

    cause = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's exception
    msg = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
    low = msg.lower()
    if "tg: ownership of client" in low:  # rls.OWNERSHIP: a rep changing an owner outside a hand-off
        import re as _re

        found = _re.search(r"client (\d+)", msg)
        return i18n.t("trust.owner_refused_db", id=found.group(1) if found else "?")
    if "row-level security" in low:  # a PostgreSQL policy (tg db setup-rls) refused a write
        return i18n.t("rls.refused", path=where)
    if "permission denied for" in low:  # a role without grants on a tg table
        return i18n.t("rls.denied", path=where, reason=msg)
    if "no schema has been selected" in low:  # PostgreSQL: no schema on the search_path this role may use
        return i18n.t("rls.no_schema_access", path=where)
    if "malformed" in low:
        return i18n.t("team.db.damaged", path=where)
    if "file is not a database" in low or "file is encrypted" in low:
        return i18n.t("db.not_a_database", path=where)
    if "database is locked" in low:
        return i18n.t("db.locked", path=where)
    if "disk is full" in low or ("disk i/o error" in low and _disk_full(where)):
        return i18n.t("team.db.full", path=where)
    if "readonly" in low or "read-only" in low or ("unable to open" in low and _read_only(where)):
        return i18n.t("team.db.readonly", path=where)
    if "unable to open" in low:
        return i18n.t("db.cannot_open", path=where, reason=msg)
    if "disk i/o error" in low:
        return i18n.t("team.db.io", path=where)
    return i18n.t("db.failed", path=where, reason=msg)


def _read_only(where: str) -> bool:
    """Can tg not write the database file, or its folder (WAL keeps -wal and -shm beside it)?"""
    path = Path(where)
    if not path.is_absolute() and "://" in where:
        return False
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return (path.exists() and not os.access(path, os.W_OK)) or not os.access(folder, os.W_OK)


def _disk_full(where: str) -> bool:
    import shutil

    try:
        return shutil.disk_usage(Path(where).parent).free < 256 * 1024
    except OSError:
        return False


# --- timestamps as SQLAlchemy's SQLite dialect stores them ------------------------------------------


def to_sqlite(value: datetime) -> str:
    """An aware datetime → '2026-06-01 08:30:00.000000' in UTC (sqltypes.UTCDateTime's storage)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: use tuangou_cli.models.utcnow()")
    v = value.astimezone(timezone.utc)
    return (f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}"
            f".{v.microsecond:06d}")


def from_sqlite(text: str | None) -> datetime | None:
    """The stored text → an aware UTC datetime, as UTCDateTime gives it back."""
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
