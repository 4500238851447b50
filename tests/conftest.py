"""Every test gets its own data dir and database: no test touches a real one.

Database engines. A test that uses the database (it asks for ``tg``, ``testdb``, ``db_url`` or
``db_path``, directly or through another fixture) runs on SQLite, and also on PostgreSQL when
``TG_TEST_PG`` holds a server URL: its ids read ``test_x[sqlite]`` and ``test_x[postgresql]``.
Markers narrow that:

* ``sqlite_only(reason)``: the test is about SQLite itself (files, pragmas, the sqlite3 road);
* ``postgresql_only(reason)``: about PostgreSQL itself; skipped, with the reason, without TG_TEST_PG;
* ``fresh_db``: on PostgreSQL the test gets an empty schema of its own instead of the session's
  (for tests that check a command creates nothing, or that build an old schema);
* ``no_db``: uses ``tg`` but never the database (help texts): runs once, and must not create it.

On PostgreSQL a test session makes one schema (per xdist worker), migrated once by tg itself
(``open_store``, the real Alembic migrations), and empties it before each test: rows deleted,
ids restarted. The schema is dropped when the session ends, on failure or Ctrl-C too; one left
by a killed run is dropped by the next (tests/pgutil.py).
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tuangou_cli import i18n
from tuangou_cli.cli import app

from .pgutil import pg_url  # noqa: F401  (tests import it from here)

DATA = Path(__file__).parent / "data"
MINI = str(DATA / "mini_playbook.yaml")

# Asking for any of these means the test uses the database: it runs on every engine.
DB_FIXTURES = ("tg", "testdb", "db_url", "db_path")
ENGINE_MARKS = ("sqlite_only", "postgresql_only", "no_db")  # the one closest to the test counts
NO_PG = "TG_TEST_PG not set: no PostgreSQL server to test against"


def pytest_configure(config):
    from .pgutil import new_run

    workerinput = getattr(config, "workerinput", None)  # an xdist worker: the run is its controller's
    config.tg_run = workerinput["tg_run"] if workerinput else new_run()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):  # pytest-xdist, in the controller: one run id for all its workers
    node.workerinput["tg_run"] = node.config.tg_run


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    """Whatever this run left on the server goes, in the controller, after every teardown: xdist
    workers stopped by Ctrl-C do not always get to their session's teardown."""
    if pg_url() and not hasattr(session.config, "workerinput"):
        from sqlalchemy.exc import OperationalError

        from .pgutil import Admin

        try:
            admin = Admin(pg_url())
        except OperationalError as exc:  # the server is gone: the tests that needed it have said so
            session.config.issue_config_time_warning(
                pytest.PytestWarning(f"cannot sweep test schemas: {str(exc).splitlines()[0]}"), stacklevel=2)
            return
        try:
            admin.sweep(run=session.config.tg_run, wait=15)
        finally:
            admin.close()


def engines_for(definition, fixturenames) -> list[str] | None:
    """The engines a test runs on; None: it does not use the database."""
    closest = next((m.name for m in definition.iter_markers() if m.name in ENGINE_MARKS), None)
    if closest == "postgresql_only":
        return ["postgresql"]
    if closest == "sqlite_only":
        return ["sqlite"]
    if closest == "no_db" or not any(name in fixturenames for name in DB_FIXTURES):
        return None
    return ["sqlite", "postgresql"] if pg_url() else ["sqlite"]


def pytest_generate_tests(metafunc):
    engines = engines_for(metafunc.definition, metafunc.fixturenames)
    if engines is not None:
        metafunc.parametrize("db_engine", engines, indirect=True, scope="function")


def pytest_collection_modifyitems(config, items):
    for item in items:
        for name in ("sqlite_only", "postgresql_only"):
            mark = item.get_closest_marker(name)
            if mark is not None and not (mark.args or mark.kwargs.get("reason")):
                raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{name} needs a reason")


def pytest_terminal_summary(terminalreporter):
    if pg_url():
        terminalreporter.write_line("database engines: sqlite and postgresql (TG_TEST_PG; one schema per test "
                                    "session or xdist worker, dropped at the end)")
    else:
        terminalreporter.write_line(f"database engines: sqlite only ({NO_PG}; set it to a URL such as "
                                    "postgresql+psycopg://postgres@127.0.0.1:5432/test to run every "
                                    "database test on PostgreSQL too)")


# --- PostgreSQL: the session's schema -------------------------------------------------------------


class PgSession:
    """The admin connection and the shared, migrated schema of this test session (or xdist worker)."""

    def __init__(self, base: str, run: str, worker: str):
        from .pgutil import Admin

        self.run = run
        self.worker = worker
        self.admin = Admin(base)
        self.admin.sweep()
        self.url: str | None = None
        self.clear_sql: str | None = None

    def shared(self) -> str:
        """The URL of the session's schema, created and migrated on first use, emptied."""
        if self.url is None:
            self.url = self._make()
        self.admin.run_script(self.clear_sql)
        return self.url

    def fresh(self) -> tuple[str, str]:
        from .pgutil import new_name

        schema = new_name(self.run, self.worker, "f" + uuid.uuid4().hex[:6])
        return schema, self.admin.create(schema)

    def drop(self, schema: str) -> None:
        self.admin.drop(schema)

    def close(self) -> None:
        self.admin.close()

    def _make(self) -> str:
        from .pgutil import new_name
        from tuangou_cli.db import open_store

        schema = new_name(self.run, self.worker)
        url = self.admin.create(schema)
        store = open_store(url)  # tg's own first use: the Alembic migrations, to HEAD
        try:
            with store.engine.connect() as conn:
                self.clear_sql = clear_script(conn)
        finally:
            store.engine.dispose()
        return url


def clear_script(conn) -> str:
    """SQL that empties every table but alembic_version and restarts every id (one round trip);
    names are qualified with the connection's schema, so any connection to the server can run it.

    DELETE in dependency order, not TRUNCATE: on a handful of small tables TRUNCATE costs ~0.4 s
    (new files for every table and index), DELETE a few ms."""
    from sqlalchemy import inspect, text

    schema = conn.execute(text("SELECT current_schema()")).scalar()
    order = inspect(conn).get_sorted_table_and_fkc_names()
    tables = [f'"{schema}"."{t}"' for t, _ in order if t and t != "alembic_version"]
    if any(fkcs for t, fkcs in order if t is None):  # a foreign-key cycle: TRUNCATE copes with it
        statements = ["TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"]
    else:
        statements = [f"DELETE FROM {t}" for t in reversed(tables)]
        sequences = conn.execute(text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"))
        restarts = [f"setval('\"{schema}\".\"{s}\"', 1, false)" for (s,) in sequences]
        if restarts:
            statements.append("SELECT " + ", ".join(restarts))
    # A test that left a transaction open on these rows makes the next one fail here, not hang.
    return "BEGIN; SET LOCAL lock_timeout = '10s'; " + "; ".join(statements) + "; COMMIT"


@pytest.fixture(scope="session")
def pg_session(request):
    base = pg_url()
    if not base:
        pytest.skip(NO_PG)
    worker = getattr(request.config, "workerinput", {}).get("workerid", "m")  # pytest-xdist: gw0, gw1, ...
    session = PgSession(base, request.config.tg_run, worker)
    try:
        yield session
    finally:
        session.close()


# --- every test ------------------------------------------------------------------------------------


@pytest.fixture
def db_engine(request) -> str | None:
    """"sqlite" or "postgresql" for a database test (see pytest_generate_tests); None otherwise."""
    engine = getattr(request, "param", None)
    if engine == "postgresql" and not pg_url():
        pytest.skip(NO_PG)
    return engine


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch, request, db_engine):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("TG_DB", str(tmp_path / "tg.db"))
    monkeypatch.setenv("TG_USER", "tester")
    monkeypatch.setenv("TG_LANG", "en")
    monkeypatch.delenv("TG_PLAYBOOK", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    i18n.set_lang("en")
    render = sys.modules.get("tuangou_cli.render")
    if render is not None:
        render._out = None  # each test's console is made for its own COLUMNS (as each run of tg is)
    fresh = None
    engines = _EngineTracker()
    if db_engine == "postgresql":
        pg: PgSession = request.getfixturevalue("pg_session")
        if request.node.get_closest_marker("fresh_db"):
            fresh, url = pg.fresh()
        else:
            url = pg.shared()
        monkeypatch.setenv("TG_DB", url)
        engines.start()
    try:
        yield
    finally:
        i18n.set_lang("en")
        engines.stop()
        if fresh:
            pg.drop(fresh)
    if db_engine is None and (tmp_path / "tg.db").exists():
        pytest.fail("this test created the database without asking for it: give it the tg or testdb "
                    "fixture (or a sqlite_only marker), so it runs on every engine", pytrace=False)


class _EngineTracker:
    """Disposes the engines a PostgreSQL test made in this process (each in-process `tg` makes one)
    after every `tg` and at the end of the test, so their pooled connections do not pile up on the
    server. (Disposing closes idle pooled connections only; an engine stays usable.)"""

    active: "_EngineTracker | None" = None

    def __init__(self):
        self.engines: list = []

    def start(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        event.listen(Engine, "engine_connect", self._seen)
        _EngineTracker.active = self

    def stop(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        if event.contains(Engine, "engine_connect", self._seen):
            event.remove(Engine, "engine_connect", self._seen)
        _EngineTracker.flush()
        _EngineTracker.active = None

    @classmethod
    def flush(cls) -> None:
        if cls.active is not None:
            for engine in cls.active.engines:
                engine.dispose()
            cls.active.engines.clear()

    def _seen(self, conn) -> None:
        if conn.engine not in self.engines:
            self.engines.append(conn.engine)


@pytest.fixture
def db_url(db_engine, isolated) -> str:
    """The SQLAlchemy URL of this test's database (what TG_DB points at)."""
    import os

    from tuangou_cli.db import resolve_url

    return resolve_url(os.environ["TG_DB"])


@pytest.fixture
def db_path(db_engine, tmp_path) -> Path:
    """The SQLite file of this test (sqlite_only tests; others use testdb)."""
    if db_engine == "postgresql":
        pytest.fail("db_path is SQLite's file: use the testdb fixture, or mark the test sqlite_only", pytrace=False)
    return tmp_path / "tg.db"


class TestDb:
    """This test's database, engine-neutral: run SQL, count rows, empty it, ask whether tg made it."""

    __test__ = False

    def __init__(self, url: str, engine: str, path: Path | None, pg: "PgSession | None" = None):
        self.url = url
        self.engine = engine
        self.path = path
        self._pg = pg
        self._sa = None
        self._second: tuple[str | None, str] | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine == "sqlite"

    def sa(self):
        """A SQLAlchemy engine on it, without a pool: no connection outlives its use."""
        if self._sa is None:
            from sqlalchemy import create_engine
            from sqlalchemy.pool import NullPool

            self._sa = create_engine(self.url, poolclass=NullPool)
        return self._sa

    def rows(self, sql: str, **params) -> list[tuple]:
        from sqlalchemy import text

        with self.sa().connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]

    def scalar(self, sql: str, **params):
        (row,) = self.rows(sql, **params)
        return row[0]

    def execute(self, sql: str, **params) -> None:
        from sqlalchemy import text

        with self.sa().begin() as conn:
            conn.execute(text(sql), params)

    def session(self):
        """A SQLModel session on it (close it, or use it in a with block)."""
        from sqlmodel import Session

        return Session(self.sa())

    def exists(self) -> bool:
        """Has tg created its database (the SQLite file; on PostgreSQL, the schema's tables)?
        (The session's shared schema always has them: a test that checks nothing gets created
        is marked fresh_db.)"""
        if self.is_sqlite:
            return self.path.exists()
        return self.scalar("SELECT to_regclass('alembic_version') IS NOT NULL")

    def second_url(self) -> str:
        """Another empty database for this test, on the same engine (made by tg on first use)."""
        if self._second is None:
            if self.is_sqlite:
                self._second = (None, f"sqlite:///{self.path.with_name('second.db')}")
            else:
                self._second = self._pg.fresh()
        return self._second[1]

    def count(self, table: str) -> int:
        """Rows in a table; 0 when the database or the table is not there yet."""
        if self.is_sqlite and not self.path.exists():
            return 0
        from sqlalchemy import inspect

        with self.sa().connect() as conn:
            if not inspect(conn).has_table(table):
                return 0
        return self.scalar(f'SELECT count(*) FROM "{table}"')

    def clear(self) -> None:
        """Empty every table and restart the ids, as the PostgreSQL runs do between tests."""
        from sqlalchemy import inspect

        if not self.is_sqlite:
            with self.sa().connect() as conn:
                script = clear_script(conn)
                raw = conn.connection.dbapi_connection
                raw.rollback()
                raw.autocommit = True  # the script brings its own BEGIN and COMMIT
                raw.execute(script)
            return
        if not self.path.exists():
            return
        with self.sa().connect() as conn:
            order = inspect(conn).get_sorted_table_and_fkc_names()
            sequences = inspect(conn).has_table("sqlite_sequence")
        import sqlite3

        # The search index (search_*: an FTS5 table, its shadow tables and vocabulary) is emptied
        # through the FTS table itself, and its marks reset: its shadow tables are not ours to touch.
        search = any(t == "search_state" for t, _ in order)
        with sqlite3.connect(self.path) as raw:
            raw.executescript("".join(f'DELETE FROM "{t}";' for t, _ in reversed(order)
                                      if t and t != "alembic_version" and not t.startswith("search_"))
                              + ("DELETE FROM sqlite_sequence;" if sequences else "")
                              + ("DELETE FROM search_fts; UPDATE search_state SET indexed_to = 0;" if search else ""))

    def dispose(self) -> None:
        if self._sa is not None:
            self._sa.dispose()
        if self._second and self._second[0]:
            _EngineTracker.flush()
            self._pg.drop(self._second[0])


@pytest.fixture
def testdb(db_engine, db_url, tmp_path, request) -> TestDb:
    if db_engine == "postgresql":
        db = TestDb(db_url, "postgresql", None, request.getfixturevalue("pg_session"))
    else:
        db = TestDb(db_url, "sqlite", tmp_path / "tg.db")
    yield db
    db.dispose()


@pytest.fixture
def mini(monkeypatch):
    """Use the small test playbook (round numbers) instead of the shipped one."""
    monkeypatch.setenv("TG_PLAYBOOK", MINI)
    return MINI


class Tg:
    """Runs `tg` in-process through Typer's CliRunner, stdout and stderr kept apart."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        try:
            return self.runner.invoke(app, list(args), input=input, catch_exceptions=False)
        finally:
            _EngineTracker.flush()  # a real tg exits here, closing its connections

    def json(self, *args: str):
        result = self(*args)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def tg(db_url) -> Tg:
    return Tg()


@pytest.fixture
def no_prompts(monkeypatch):
    """An unscripted question fails the test loudly instead of hanging it."""

    def boom(*a, **k):
        raise AssertionError(f"unexpected prompt: {a!r}")

    for name in ("ask_question", "ask_text", "ask_confirm", "ask_pick"):
        monkeypatch.setattr(f"tuangou_cli.prompts.{name}", boom)
