"""The engine: where the database is, how every connection is set up, sessions, schema version.

Everything SQLite-specific lives here (pragmas, BEGIN IMMEDIATE, file
permissions); the rest of the code speaks dialect-neutral SQLAlchemy.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlmodel import Session

from . import i18n
from .errors import StoreError
from .migrations import HEAD, known_revision
from .rawdb import (BUSY_TIMEOUT_MS, FILE_PRAGMAS, PRAGMAS, SECRET_PARAMS, current_user,  # noqa: F401
                    default_db_path, describe_error, redact_url, resolve_url)


def display_url(url: str) -> str:
    """The URL or path as shown to people: never a password, neither ``user:pw@`` nor a
    ``?password=`` query parameter (a ``passfile`` path is no secret and stays)."""
    try:
        u = make_url(url)
    except ArgumentError:
        return redact_url(url)
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    hidden = {k: "***" for k in u.query if k.lower() in SECRET_PARAMS}
    if hidden:
        u = u.update_query_dict(hidden)
    return redact_url(u.render_as_string(hide_password=True))


def _prepare_sqlite_file(path: Path) -> None:
    """Data dir 0700, database file 0600: it holds client contact data."""
    if path.exists():
        return
    if path.parent == default_db_path().parent:
        # Only our own data dir is created; a --db path in a missing folder is a typo to report.
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path.parent, 0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass  # another tg created it between our check and now: fine


SQLITE_HEADER = b"SQLite format 3\x00"


def _not_sqlite(path: Path) -> bool:
    """A non-empty file that is not SQLite. (SQLite itself would take a file shorter than its
    header for an empty database and write a schema over it.)"""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with open(path, "rb") as f:
        return f.read(len(SQLITE_HEADER)) != SQLITE_HEADER


def make_engine(url: str) -> Engine:
    from . import audit

    audit.install()  # every store session records its changes (tuangou_cli.audit)
    from .errors import register_secrets
    from .rawdb import url_secrets

    register_secrets(url_secrets(url))  # no message shows them, whatever quotes the URL
    try:
        u = make_url(url)
    except ArgumentError as exc:
        raise StoreError(i18n.t("db.bad_url", url=display_url(url), reason=redact_url(str(exc)))) from None
    if u.get_backend_name() != "sqlite":
        if u.get_backend_name() == "postgresql":
            from .models import postgresql_options

            postgresql_options()
        try:
            return create_engine(u, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise StoreError(i18n.t("db.no_driver", url=display_url(url), module=exc.name)) from None
        except Exception as exc:  # an unknown dialect and similar
            raise StoreError(i18n.t("db.bad_url", url=display_url(url), reason=redact_url(_reason(exc)))) from None

    in_memory = not u.database or u.database == ":memory:"
    if not in_memory:
        try:
            _prepare_sqlite_file(Path(u.database))
            foreign = _not_sqlite(Path(u.database))
        except OSError as exc:
            raise StoreError(i18n.t("db.cannot_open", path=u.database, reason=_reason(exc))) from None
        if foreign:
            raise StoreError(i18n.t("db.not_a_database", path=u.database))
    engine = create_engine(u, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the driver, issue BEGIN (so we can make it IMMEDIATE).
        dbapi_conn.isolation_level = None
        # The same pragmas as the bulk commands' own sqlite3 connections (rawdb.py).
        cur = dbapi_conn.cursor()
        for pragma in PRAGMAS if in_memory else (*PRAGMAS, *FILE_PRAGMAS):
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection):
        # A deferred BEGIN fails at once with "database is locked" when a second writer
        # appears; IMMEDIATE takes the write lock up front and waits for busy_timeout.
        write = conn.get_execution_options().get("tg_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@dataclass
class Store:
    engine: Engine
    url: str

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def where(self) -> str:
        return display_url(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with translate_errors(self.where):
            with Session(self.engine) as session:
                yield session

    @contextmanager
    def scan(self) -> Iterator[Session]:
        """A read that runs through whole tables once (a listing, the board, the agenda). On a
        SQLite file its pages are read rather than mapped: every mapped page counts as the
        process's own memory (a listing of 100,000 clients would hold the whole table, the agenda
        most of the activities), and one pass over them gains little from the mapping."""
        if not self.is_sqlite:
            with self.read() as session:
                yield session
            return
        with translate_errors(self.where):
            conn = self.engine.connect()
            raw = conn.connection.dbapi_connection  # before SQLAlchemy's BEGIN: the pragma applies to it
            mapped = raw.execute("PRAGMA mmap_size").fetchone()[0]
            try:
                raw.execute("PRAGMA mmap_size=0")
                with Session(bind=conn) as session:
                    yield session
            finally:
                conn.rollback()
                raw.execute(f"PRAGMA mmap_size={int(mapped)}")
                conn.close()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error or Ctrl-C."""
        with translate_errors(self.where):
            conn = self.engine.connect().execution_options(tg_write=True)
            try:
                with Session(bind=conn) as session:
                    with session.begin():
                        yield session
            finally:
                conn.close()

    def schema_version(self) -> str | None:
        with translate_errors(self.where):
            with self.engine.connect() as conn:
                return read_version(conn)


def serialise(session: Session, kind: str, key: int) -> None:
    """Make one check-then-write on ``(kind, key)`` wait for any other in progress (a deal being
    won, a client's needs or stage, a referrer's yearly total, a reward being granted): after
    this returns, what the transaction reads next is what the previous writer committed.

    PostgreSQL: a transaction-level advisory lock, keyed by the schema too (two tg databases on
    one server do not wait for each other), released at commit or rollback. It needs no right
    on any row, so it works the same under row-level security. Read committed takes a new
    snapshot for each statement, so the caller re-reads (``refresh``) what it checked before.
    SQLite: a write transaction began with BEGIN IMMEDIATE (make_engine) and holds the only
    write lock until it ends; nothing to add.
    """
    bind = session.connection()
    if bind.dialect.name != "postgresql":
        return
    bind.execute(text("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext(current_schema() || :k), :i)"),
                 {"k": f":tg:{kind}", "i": int(key)})


def fresh(session: Session, obj):
    """``obj`` read again from the database (after ``serialise``), not from the session's cache."""
    session.refresh(obj)
    return obj


def read_version(conn: Connection) -> str | None:
    """The database's schema revision; None for an empty database."""
    from sqlalchemy import inspect

    try:  # the common case, one cheap query; inspecting the catalogue only when it fails
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        conn.rollback()
    names = set(inspect(conn).get_table_names())
    if "alembic_version" in names:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if names:
        raise StoreError(i18n.t("db.not_a_database", path=display_url(str(conn.engine.url))))
    return None


def open_store(url: str, *, upgrade: bool = True) -> Store:
    """Open (creating on first use) and bring the schema to HEAD.

    An older SQLite database is backed up, then upgraded in place. A database
    from a newer tg is refused rather than touched.
    """
    engine = make_engine(url)
    store = Store(engine, url)
    version = store.schema_version()
    if version == HEAD:
        return store
    if version is not None and not known_revision(version):
        raise StoreError(i18n.t("db.newer", path=store.where, found=version, known=HEAD))
    if upgrade and version is not None and not store.is_sqlite:
        # A shared server is upgraded on purpose, by one person, not by whichever rep runs tg first
        # (and pg_dump, not a file copy, is its backup): say so instead of migrating.
        raise StoreError(i18n.t("team.db.pg_needs_upgrade", path=store.where, found=version, known=HEAD))
    if upgrade:
        migrate(store, backup=version is not None)
    return store


def migrate(store: Store, *, backup: bool, revision: str = "head",
            then: Callable[[Connection], None] | None = None) -> Path | None:
    """Apply pending migrations in one transaction; a failed step leaves the database as it was.
    ``then(conn)`` runs in the same transaction after the last step (tg db upgrade re-applying
    row-level security): what it does commits with the steps, and if it raises, nothing does."""
    from . import migrations

    made = backup_sqlite(store) if backup and store.is_sqlite else None
    with translate_errors(store.where):
        with store.engine.connect().execution_options(tg_write=True) as conn:
            raw = conn.connection.dbapi_connection if store.is_sqlite else None
            if raw is not None:
                # SQLite's batch ALTER copies a table, drops the old one and renames the copy.
                # With foreign keys on, that DROP would cascade and delete every dependent row;
                # the pragma only takes effect outside a transaction (SQLite's 12-step recipe).
                raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    migrations.upgrade(conn, revision)
                    if then is not None:
                        then(conn)
                    if raw is not None:
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise StoreError(i18n.t("db.migration_fk", path=store.where, count=len(broken)))
            finally:
                if raw is not None:
                    raw.execute("PRAGMA foreign_keys=ON")
    return made


def backup_sqlite(store: Store) -> Path | None:
    """Copy the database with SQLite's online backup API (consistent even while in use)."""
    db_path = store.engine.url.database
    if not db_path or db_path == ":memory:":
        return None
    from .dbfile import copy_database_atomic

    version = store.schema_version() or "empty"
    target = Path(f"{db_path}.bak-{version}")
    # Under a temporary name, renamed once whole: a tg killed while it copies leaves no
    # half-written DB.bak-NNNN (whose hot journal would roll it back to an empty database).
    copy_database_atomic(Path(db_path), target)
    return target


@contextmanager
def translate_errors(where: str) -> Iterator[None]:
    """Database failures a user can cause (or fix) become one-line StoreErrors."""
    try:
        yield
    except (OperationalError, DBAPIError) as exc:
        raise StoreError(_describe(exc, where)) from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(i18n.t("db.not_a_database", path=where)) from exc


def _describe(exc: DBAPIError, where: str) -> str:
    return describe_error(exc, where)


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
