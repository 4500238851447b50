"""PostgreSQL for the tests (TG_TEST_PG): throwaway schemas, and the shared one of a test session.

Every schema the suite makes is called ``tg_test_r<hex>...`` and is held, for as long as it is in
use, by a session-level advisory lock on the admin connection that made it. A run that was
killed (kill -9, a lost CI runner) leaves schemas behind whose lock nobody holds: the next run
drops them (``sweep``), and never touches a schema some other live run still holds.

Connections to a test schema carry its name as their ``application_name``, so whatever a test
left open (a pooled connection, a session never closed) can be ended before the schema is dropped.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

PREFIX = "tg_test_r"
OURS = re.compile(r"^tg_test_r[0-9a-f]{10}(_[a-z0-9]+)*$")


def pg_url() -> str | None:
    """The server the tests may use (CI sets it); None: PostgreSQL variants do not run."""
    return os.environ.get("TG_TEST_PG") or None


def schema_url(base: str, schema: str) -> str:
    """``base`` with every connection's search_path set to ``schema``, named after it."""
    # (This replaces any options= of the base URL.)
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}", "application_name": schema})
    return url.render_as_string(hide_password=False)


def new_run() -> str:
    """The id of a test run, shared by its xdist workers: every schema of the run starts with it."""
    return f"{PREFIX}{uuid.uuid4().hex[:10]}"


def new_name(run: str, *parts: str) -> str:
    return "_".join((run, *parts))


class Admin:
    """One autocommit connection to TG_TEST_PG that creates, holds and drops test schemas."""

    def __init__(self, base: str):
        self.base = base
        self.engine = create_engine(base, isolation_level="AUTOCOMMIT", pool_size=1)
        self.conn: Connection = self.engine.connect()
        self.held: set[str] = set()

    def create(self, schema: str) -> str:
        """A new empty schema, held by this connection; its URL."""
        assert OURS.match(schema), schema
        self._lock(schema)
        self.conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        return schema_url(self.base, schema)

    def drop(self, schema: str) -> None:
        """End the connections still using the schema, drop it, let go of it."""
        self.conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE application_name = :s AND pid <> pg_backend_pid()"), {"s": schema})
        self.conn.execute(text("SET lock_timeout = '10s'"))
        try:
            self.conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            self.conn.execute(text("RESET lock_timeout"))
            if schema in self.held:
                self.conn.execute(text("SELECT pg_advisory_unlock(hashtext(:s))"), {"s": schema})
                self.held.discard(schema)

    def run_script(self, sql: str) -> None:
        """Statements separated by semicolons, in one round trip (it brings its own BEGIN/COMMIT)."""
        self.conn.connection.dbapi_connection.execute(sql)

    def sweep(self, run: str | None = None, wait: float = 0) -> list[str]:
        """Drop the schemas nobody holds any more (of one run, or of any); their names.

        ``wait``: keep trying that long for schemas still held (a worker still tearing down)."""
        deadline = time.monotonic() + wait
        dropped: list[str] = []
        while True:
            held = []
            names = self.conn.execute(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tg\\_test\\_r%'"))
            for (name,) in names.all():
                if not OURS.match(name) or (run and not name.startswith(run)):
                    continue
                if self.conn.execute(text("SELECT pg_try_advisory_lock(hashtext(:s))"), {"s": name}).scalar():
                    self.held.add(name)
                    self.drop(name)
                    dropped.append(name)
                else:
                    held.append(name)
            if not held or time.monotonic() >= deadline:
                return dropped
            time.sleep(0.2)

    def close(self) -> None:
        for schema in list(self.held):
            self.drop(schema)
        self.conn.close()
        self.engine.dispose()

    def _lock(self, schema: str) -> None:
        self.conn.execute(text("SELECT pg_advisory_lock(hashtext(:s))"), {"s": schema})
        self.held.add(schema)


@contextmanager
def pg_schema() -> Iterator[str]:
    """A URL whose search_path is a new, empty schema of its own, dropped afterwards (for a test
    that needs a server database besides its own, such as test_rls's roles and policies)."""
    base = pg_url()
    assert base, "TG_TEST_PG not set"
    admin = Admin(base)
    schema = new_name(new_run(), "own")
    try:
        yield admin.create(schema)
    finally:
        admin.close()
