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
from .rawdb import (BUSY_TIMEOUT_MS, FILE_PRAGMAS, PRAGMAS, current_user, default_db_path,  # noqa: F401
                    describe_error, resolve_url)


def display_url(url: str) -> str:
    """The URL or path as shown to people: never a password."""
    try:
        u = make_url(url)
    except ArgumentError:
        return url
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)


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
    try:
        u = make_url(url)
    except ArgumentError as exc:
        raise StoreError(i18n.t("db.bad_url", url=url, reason=str(exc))) from None
    if u.get_backend_name() != "sqlite":
        if u.get_backend_name() == "postgresql":
            from .models import postgresql_options

            postgresql_options()
        try:
            return create_engine(u, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise StoreError(i18n.t("db.no_driver", url=display_url(url), module=exc.name)) from None
        except Exception as exc:  # an unknown dialect and similar
            raise StoreError(i18n.t("db.bad_url", url=display_url(url), reason=_reason(exc))) from None

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
    from .dbfile import copy_database

    version = store.schema_version() or "empty"
    target = Path(f"{db_path}.bak-{version}")
    copy_database(Path(db_path), target)
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
