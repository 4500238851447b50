"""The store: schema versions, upgrades that keep data, privacy, two writers, bad files."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from tuangou_cli import migrations
from tuangou_cli.db import display_url, make_engine, open_store, resolve_url
from tuangou_cli.models import load_all
from tuangou_cli.search import include_object

FIRST = "0001"


def test_head_constant_matches_the_scripts():
    assert migrations.HEAD == migrations.script_head()


@pytest.mark.fresh_db
def test_migrations_build_exactly_the_models(testdb):
    engine = make_engine(testdb.url)  # sets the dialect's own options (PostgreSQL's partial indexes)
    with engine.begin() as conn:
        migrations.upgrade(conn)
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object}), load_all())
    engine.dispose()
    assert diff == []


@pytest.mark.sqlite_only("SQLite upgrades in place after a file backup; PostgreSQL refuses: test_team_db")
def test_upgrade_from_first_schema_keeps_data(tmp_path):
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrations.upgrade(conn, FIRST)
        conn.execute(text(
            "INSERT INTO client (id, name, name_key, stage, created_at, updated_at, created_by, updated_by) "
            "VALUES (7, '市税务局', '市税务局', 'lead', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'a', 'a')"))
        conn.execute(text(
            "INSERT INTO client (id, name, name_key, stage, created_at, updated_at, created_by, updated_by) "
            "VALUES (8, '市人民医院', '市人民医院', 'lead', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'a', 'a')"))
        conn.execute(text("INSERT INTO contact (id, client_id, name, created_at, created_by) "
                          "VALUES (3, 7, '王科长', '2026-01-01 00:00:00', 'a')"))
        conn.execute(text("INSERT INTO classification (client_id, segment, confidence, answers, scores, "
                          "playbook_version, created_at, created_by) "
                          "VALUES (7, 'welfare', 0.9, '{}', '{}', 'v1', '2026-01-01 00:00:00', 'a')"))
        conn.execute(text("INSERT INTO referral (referrer_id, referred_id, contact_id, status, created_at, "
                          "created_by) VALUES (7, 8, 3, 'introduced', '2026-01-01 00:00:00', 'a')"))
    engine.dispose()
    assert FIRST != migrations.HEAD, "this test needs at least one migration after the first"
    store = open_store(f"sqlite:///{path}")
    assert store.schema_version() == migrations.HEAD
    with store.read() as s:
        conn = s.connection()
        assert conn.execute(text("select name from client where id = 7")).scalar() == "市税务局"
        assert conn.execute(text("select name, role, strength from contact where id = 3")).one() == ("王科长", None, None)
        # Tables copied by batch ALTERs must not have cascaded deletes into their dependants.
        assert conn.execute(text("select count(*) from classification")).scalar() == 1
        assert conn.execute(text("select referrer_id, referred_id, contact_id, credited from referral")).one() == \
            (7, 8, 3, True)
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    backup = path.with_name(f"old.db.bak-{FIRST}")
    assert backup.exists() and stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    with sqlite3.connect(backup) as old:
        assert old.execute("select version_num from alembic_version").fetchone() == (FIRST,)


@pytest.mark.sqlite_only("file and folder modes of the default SQLite file")
def test_default_location_is_private(tmp_path, monkeypatch):
    monkeypatch.delenv("TG_DB")
    url = resolve_url(None)
    assert url.startswith("sqlite:///") and str(tmp_path / "home") in url
    open_store(url)
    path = url.removeprefix("sqlite:///")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700


@pytest.mark.sqlite_only("SQLite pragmas")
def test_pragmas_on_every_connection(db_path):
    store = open_store(f"sqlite:///{db_path}")
    with store.read() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@pytest.mark.sqlite_only("a file that is not a database")
def test_not_a_database(tmp_path, tg):
    bad = tmp_path / "notes.txt"
    bad.write_text("this is not sqlite\n" * 100)
    r = tg("--db", str(bad), "clients", "list")
    assert r.exit_code == 1 and "is not a tg database" in r.stderr and str(bad) in r.stderr
    assert "Traceback" not in r.output
    assert bad.read_text().startswith("this is not sqlite"), "left untouched"


@pytest.mark.sqlite_only("another program's SQLite file")
def test_foreign_sqlite_database_refused(tmp_path, tg):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table t (x)")
    r = tg("--db", str(other), "clients", "list")
    assert r.exit_code == 1 and "is not a tg database" in r.stderr


@pytest.mark.fresh_db
def test_newer_schema_refused(testdb, tg):
    open_store(testdb.url).engine.dispose()
    testdb.execute("update alembic_version set version_num = '9999'")
    r = tg("clients", "list")
    assert r.exit_code == 1 and "newer than this tg knows" in r.stderr


def test_db_path_and_upgrade_commands(tg, testdb):
    assert tg("db", "path").stdout.strip() == (str(testdb.path) if testdb.is_sqlite else display_url(testdb.url))
    assert tg("--db", "postgresql+psycopg://rep:secret@host/db", "db", "path").stdout.strip() == \
        "postgresql+psycopg://rep:***@host/db"
    r = tg("db", "upgrade")
    assert r.exit_code == 0 and "version" in r.stderr
    assert tg("db", "upgrade").exit_code == 0


def test_password_never_shown():
    assert "secret" not in display_url("postgresql+psycopg://u:secret@h/d")


WRITER = textwrap.dedent("""
    import sys
    from tuangou_cli.db import open_store
    from tuangou_cli.store import clients as st
    db = open_store(sys.argv[1])
    for i in range(int(sys.argv[3])):
        with db.write() as s:
            st.create_client(s, name=f"{sys.argv[2]}-{i}", user=sys.argv[2])
""")


@pytest.mark.sqlite_only("SQLite's single write lock; many writers on PostgreSQL: test_concurrency")
def test_two_writers_at_once_both_succeed(db_path):
    url = f"sqlite:///{db_path}"
    open_store(url)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, url, name, "100"], stderr=subprocess.PIPE)
             for name in ("a", "b")]
    errors = [p.communicate(timeout=300)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(*), count(distinct id) from client").fetchone() == (200, 200)


@pytest.mark.fresh_db
def test_first_use_makes_the_schema_and_writes(testdb):
    from tuangou_cli.store import clients as st
    from tuangou_cli.store.referrals import record_referral

    store = open_store(testdb.url)
    assert store.schema_version() == migrations.HEAD
    with store.write() as s:
        a = st.create_client(s, name="市税务局", user="t")
        b = st.create_client(s, name="市人民医院", user="t")
        record_referral(s, referrer=a, referred=b, user="t", contact_name="王科长")
    with store.read() as s:
        assert st.get_client(s, "市税").name == "市税务局"
    store.engine.dispose()


@pytest.mark.sqlite_only("a --db path in a missing folder")
def test_db_in_a_missing_folder_is_reported_not_created(tmp_path, tg):
    target = tmp_path / "typo" / "tg.db"
    r = tg("--db", str(target), "clients", "list")
    assert r.exit_code == 1 and "cannot open database" in r.stderr
    assert not target.parent.exists()


@pytest.mark.sqlite_only("a folder given as the SQLite file")
def test_directory_as_db(tmp_path, tg):
    r = tg("--db", str(tmp_path), "clients", "list")
    assert r.exit_code == 1 and "Traceback" not in r.output


@pytest.mark.no_db
def test_unknown_url_scheme(tg):
    r = tg("--db", "nosuchdb://x", "clients", "list")
    assert r.exit_code == 1 and "cannot use database URL" in r.stderr
