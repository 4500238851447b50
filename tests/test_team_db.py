"""tg db backup | restore | check, and the PostgreSQL refusal of an old schema."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from sqlalchemy import create_engine

from tuangou_cli import migrations
from tuangou_cli.db import open_store

SQLITE_FILES = pytest.mark.sqlite_only("backups, restores and integrity checks of SQLite files")


def names(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("select name from client order by id")]


def corrupt(path, offset: int = 4096 * 3, size: int = 4096 * 4) -> None:
    """Scribble over pages past the header: still opens, fails integrity_check."""
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(os.urandom(size))


@SQLITE_FILES
def test_backup_is_a_sound_private_copy(tg, tmp_path, db_path):
    tg("clients", "add", "市税务局")
    target = tmp_path / "copy.db"
    r = tg("db", "backup", str(target))
    assert r.exit_code == 0 and "integrity ok" in r.stderr
    assert names(target) == ["市税务局"]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert not list(tmp_path.glob(".copy.db.tmp-*")), "no temp file left behind"
    with sqlite3.connect(target) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        assert conn.execute("pragma journal_mode").fetchone() == ("delete",), "standalone: no -wal needed"


@SQLITE_FILES
def test_backup_never_overwrites(tg, tmp_path):
    tg("clients", "add", "市税务局")
    target = tmp_path / "copy.db"
    target.write_text("precious")
    r = tg("db", "backup", str(target))
    assert r.exit_code == 1 and "already exists" in r.stderr and str(target) in r.stderr
    assert target.read_text() == "precious"


@SQLITE_FILES
def test_backup_of_a_damaged_database_is_refused(tg, tmp_path, db_path):
    tg("clients", "add", "市税务局")
    open_store(f"sqlite:///{db_path}").engine.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    corrupt(db_path)
    target = tmp_path / "copy.db"
    r = tg("db", "backup", str(target))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert not target.exists()


@pytest.mark.no_db
def test_backup_and_restore_on_postgresql_explain_pg_tools(tg):
    url = "postgresql+psycopg://rep:secret@db.example/tg"
    r = tg("--db", url, "db", "backup", "x.db")
    assert r.exit_code == 1 and "pg_dump" in r.stderr and "secret" not in r.output
    assert len(r.stderr.strip().splitlines()) == 1
    r = tg("--db", url, "db", "restore", "x.dump", "--yes")
    assert r.exit_code == 1 and "pg_restore" in r.stderr and "secret" not in r.output


@SQLITE_FILES
def test_restore_asks_keeps_the_current_one_and_replaces(tg, tmp_path, db_path):
    tg("clients", "add", "市税务局")
    backup = tmp_path / "b.db"
    assert tg("db", "backup", str(backup)).exit_code == 0
    tg("clients", "add", "市人民医院")

    r = tg("db", "restore", str(backup))  # not a terminal and no --yes: refuses, changes nothing
    assert r.exit_code == 2 and "--yes" in r.stderr
    assert names(db_path) == ["市税务局", "市人民医院"]

    r = tg("db", "restore", str(backup), "--yes")
    assert r.exit_code == 0, r.stderr
    assert names(db_path) == ["市税务局"]
    kept = list(tmp_path.glob("tg.db.bak-restore-*"))
    assert len(kept) == 1 and names(kept[0]) == ["市税务局", "市人民医院"]
    assert stat.S_IMODE(os.stat(kept[0]).st_mode) == 0o600
    # The restored database is in use at once, still in WAL mode, and sound.
    assert tg("clients", "add", "市一中").exit_code == 0
    assert tg("db", "check").exit_code == 0


@SQLITE_FILES
def test_restore_refuses_what_is_not_a_tg_database(tg, tmp_path, db_path):
    tg("clients", "add", "市税务局")
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a database\n" * 500)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table t (x)")
    for bad in (garbage, other, tmp_path / "missing.db"):
        r = tg("db", "restore", str(bad), "--yes")
        assert r.exit_code == 1 and str(bad) in r.stderr and "Traceback" not in r.output
        assert len(r.stderr.strip().splitlines()) == 1
    assert names(db_path) == ["市税务局"]
    assert not list(tmp_path.glob("tg.db.bak-restore-*")), "nothing touched, so nothing to keep"


@SQLITE_FILES
def test_restore_refuses_a_newer_schema(tg, tmp_path, db_path):
    tg("clients", "add", "市税务局")
    newer = tmp_path / "newer.db"
    tg("db", "backup", str(newer))
    with sqlite3.connect(newer) as conn:
        conn.execute("update alembic_version set version_num = '9999'")
    r = tg("db", "restore", str(newer), "--yes")
    assert r.exit_code == 1 and "newer" in r.stderr and str(newer) in r.stderr


@SQLITE_FILES
def test_restore_over_a_damaged_file(tg, tmp_path, db_path):
    tg("clients", "add", "市税务局")
    backup = tmp_path / "b.db"
    tg("db", "backup", str(backup))
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"tg.db{suffix}").unlink(missing_ok=True)
    db_path.write_bytes(b"garbage" * 1000)
    r = tg("db", "restore", str(backup), "--yes")
    assert r.exit_code == 0, r.stderr
    assert names(db_path) == ["市税务局"]
    kept = list(tmp_path.glob("tg.db.bak-restore-*"))
    assert kept[0].read_bytes() == b"garbage" * 1000, "even a damaged file is kept, byte for byte"


@pytest.mark.fresh_db
def test_check(tg, testdb):
    tg("clients", "add", "市税务局")
    r = tg("db", "check")
    assert r.exit_code == 0 and "integrity: ok" in r.stdout and f"{migrations.HEAD} (current)" in r.stdout
    data = tg.json("db", "check", "--format", "json")
    assert data["ok"] is True and data["version"] == migrations.HEAD
    testdb.execute("update alembic_version set version_num = '9999'")
    r = tg("db", "check")
    assert r.exit_code == 1 and "newer" in r.stdout


@SQLITE_FILES
def test_check_finds_damage(tg, db_path):
    tg("demo", "--clients", "40")
    with sqlite3.connect(db_path) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    corrupt(db_path)
    r = tg("db", "check")
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "integrity: ok" not in r.stdout


@SQLITE_FILES
def test_check_of_a_missing_file_does_not_create_it(tg, tmp_path):
    target = tmp_path / "nothing.db"
    r = tg("--db", str(target), "db", "check")
    assert r.exit_code == 1 and "does not exist" in r.stderr
    assert not target.exists()


@pytest.mark.postgresql_only("a shared server is upgraded on purpose; SQLite upgrades itself: test_db")
@pytest.mark.fresh_db
def test_postgresql_refuses_an_old_schema_until_tg_db_upgrade(tg, testdb):
    url = testdb.url
    engine = create_engine(url)
    with engine.begin() as conn:
        migrations.upgrade(conn, "0001")
    engine.dispose()
    r = tg("--db", url, "clients", "list")
    assert r.exit_code == 1 and "tg db upgrade" in r.stderr and "0001" in r.stderr
    r = tg("--db", url, "db", "check")
    assert r.exit_code == 1 and "older" in r.stdout
    r = tg("--db", url, "db", "upgrade")
    assert r.exit_code == 0, r.stderr
    assert tg("--db", url, "clients", "list").exit_code == 0
    assert tg("--db", url, "db", "check").exit_code == 0
