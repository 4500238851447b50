"""Faults, proven: kill -9 mid-import, damaged and foreign files, a read-only database,
a full disk, a newer schema — each one line naming the file and what to do, exit 1, nothing further
damaged. These run tg in a subprocess: a real process to kill, and no connection left open in the
test process to keep a filesystem busy."""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only("SQLite files under faults (kill -9 of a write to its WAL, damaged, "
                                     "foreign, read-only and full-disk files)")

ROWS = 60_000  # a read of about a second before the commit, on an idle machine


def tg(db: Path, *args: str, input: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "TG_DB": str(db), "TG_LANG": "en", "TG_USER": "tester"}
    return subprocess.run([sys.executable, "-m", "tuangou_cli", *args], env=env, input=input, text=True,
                          capture_output=True, timeout=timeout)


def one_line_error(r: subprocess.CompletedProcess, path: Path) -> str:
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(path) in lines[0]
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def content(path: Path) -> str:
    """The database's content (a WAL checkpoint may move bytes around without changing it)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("pragma integrity_check").fetchone()[0]


def count(path: Path, table: str = "client") -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


# --- kill -9 in the middle of a large import ----------------------------------------------------


def lead_list(path: Path, rows: int = ROWS) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name", "city", "industry", "headcount", "notes"])
        for i in range(rows):
            w.writerow([f"客户{i:05d}有限公司", "杭州", "制造", 100 + i % 500, "长期合作意向 " * 5])
    return path


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def killed_import(db: Path, leads: Path, *, when: str) -> int | None:
    """Start importing `leads` into `db` and kill -9 its whole process group (the reader and its
    writer process, as a closed terminal or the OOM killer would) at a chosen moment:

    * ``"writing"``: once the writer process exists — it has taken SQLite's write lock and is
      inserting rows in a transaction no one has asked it to commit (that waits for the last row);
    * ``"committing"``: once the WAL holds more than 256 KiB — the commit's pages being written.

    The process's return code, or None if it finished first."""
    wal = Path(f"{db}-wal")
    env = {**os.environ, "TG_DB": str(db), "TG_LANG": "en", "TG_USER": "tester"}
    proc = subprocess.Popen([sys.executable, "-m", "tuangou_cli", "import", "clients", str(leads)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 300  # a hang guard: a busy machine starts the import slowly
    while proc.poll() is None and time.monotonic() < deadline:
        ready = children(proc.pid) if when == "writing" else wal.exists() and wal.stat().st_size > 256 * 1024
        if ready:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.001)
    proc.wait(timeout=60)
    return proc.returncode if proc.returncode == -signal.SIGKILL else None


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the writer process through /proc (Linux)")
def test_kill_9_mid_import_leaves_all_or_nothing(tmp_path):
    leads = lead_list(tmp_path / "leads.csv")
    # Killed while the writer inserts: the reader has rows left to read, so no commit was asked
    # for; the kill could only come too late if this test process were not scheduled for the
    # whole read (about a second), so each of five attempts is a chance.
    for attempt in range(5):
        db = tmp_path / f"tg{attempt}.db"
        assert tg(db, "clients", "add", "市税务局").returncode == 0
        killed = killed_import(db, leads, when="writing")
        assert integrity(db) == "ok"
        assert count(db) in (1, 1 + ROWS), "wholly there or wholly absent"
        if killed and count(db) == 1:  # killed before its commit: nothing of it
            break
    else:
        pytest.fail("in five attempts the import always committed before the kill landed")
    with sqlite3.connect(db) as conn:
        assert conn.execute("select name from client").fetchall() == [("市税务局",)]
    assert tg(db, "db", "check").returncode == 0
    # and the same import runs afterwards, whole
    r = tg(db, "import", "clients", str(leads))
    assert r.returncode == 0, r.stderr
    assert count(db) == 1 + ROWS and integrity(db) == "ok"



def test_kill_9_mid_commit_is_whole_or_absent(tmp_path):
    """Killed while the commit's pages go into the WAL: SQLite's commit frame decides, so either
    outcome is right; a torn half is not."""
    leads = lead_list(tmp_path / "leads.csv")
    db = tmp_path / "tg.db"
    assert tg(db, "clients", "add", "市税务局").returncode == 0
    killed_import(db, leads, when="committing")
    assert integrity(db) == "ok"
    assert count(db) in (1, 1 + ROWS), "wholly there or wholly absent"
    assert tg(db, "db", "check").returncode == 0

# --- files that are not (sound) tg databases -------------------------------------------------------


def test_damaged_database(tmp_path):
    db = tmp_path / "tg.db"
    assert tg(db, "demo", "--clients", "40").returncode == 0
    with open(db, "r+b") as f:  # the WAL was checkpointed when the last connection closed
        f.seek(4096 * 3)
        f.write(os.urandom(4096 * 6))
    before = digest(db)
    for args in (("clients", "list"), ("clients", "add", "市税务局"), ("export", "clients")):
        r = tg(db, *args)
        if r.returncode == 0:  # a read may miss the damaged pages; a write or a scan must not pass
            continue
        line = one_line_error(r, db)
        assert "damaged" in line or "not a tg database" in line
    r = tg(db, "db", "check")
    assert r.returncode == 1 and "integrity: ok" not in r.stdout
    assert digest(db) == before, "nothing further damaged"


def test_non_database_file(tmp_path):
    for name, data in (("notes.txt", "客户名单\n" * 1000), ("empty-ish.db", "x")):
        bad = tmp_path / name
        bad.write_text(data, encoding="utf-8")
        before = digest(bad)
        for args in (("clients", "list"), ("clients", "add", "市税务局"), ("db", "check"), ("db", "upgrade")):
            line = one_line_error(tg(bad, *args), bad)
            assert "another file" in line or "point --db" in line
        assert digest(bad) == before


def test_newer_schema(tmp_path):
    db = tmp_path / "tg.db"
    tg(db, "clients", "add", "市税务局")
    with sqlite3.connect(db) as conn:
        conn.execute("update alembic_version set version_num = '9999'")
    before = content(db)
    for args in (("clients", "list"), ("clients", "add", "市人民医院"), ("db", "upgrade")):
        line = one_line_error(tg(db, *args), db)
        assert "newer" in line and "upgrade tg" in line
    assert content(db) == before


# --- read-only and full filesystems (root here, so real tmpfs mounts) ---------------------------------


@contextmanager
def tmpfs(path: Path, size: str):
    path.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {r.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_read_only_database(tmp_path):
    with tmpfs(tmp_path / "ro", "4m") as folder:
        db = folder / "tg.db"
        assert tg(db, "clients", "add", "市税务局").returncode == 0
        before = digest(db)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        for args in (("clients", "add", "市人民医院"), ("clients", "list")):
            line = one_line_error(tg(db, *args), db)
            assert "read-only" in line and "writable" in line
        subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
        assert digest(db) == before and integrity(db) == "ok"
        assert tg(db, "clients", "list", "-f", "csv").stdout.count("市税务局") == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes any file whatever its mode: see test_read_only_database")
def test_read_only_by_permission(tmp_path):  # pragma: no cover - runs for a non-root user
    db = tmp_path / "tg.db"
    assert tg(db, "clients", "add", "市税务局").returncode == 0
    os.chmod(db, 0o400)
    try:
        line = one_line_error(tg(db, "clients", "add", "市人民医院"), db)
        assert "read-only" in line
    finally:
        os.chmod(db, 0o600)


def test_full_disk(tmp_path):
    # Room for a new database with its seeded catalogue (about 0.5 MB) and its journal once the
    # filler is gone; the filler then takes every block left.
    with tmpfs(tmp_path / "full", "4m") as folder:
        db = folder / "tg.db"
        assert tg(db, "clients", "add", "市税务局").returncode == 0
        filler = folder / "filler"
        with open(filler, "wb", buffering=0) as f:  # take every free block
            try:
                while True:
                    f.write(b"\0" * 4096)
            except OSError:
                pass
        notes = "长" * 30_000  # 90 kB, far more than the space left (and under the 128 kB argument limit)
        for args in (("clients", "add", "市人民医院", "--notes", notes), ("clients", "add", "市一中")):
            line = one_line_error(tg(db, *args), db)
            assert "full" in line and "free some space" in line
        filler.unlink()
        assert integrity(db) == "ok"
        with sqlite3.connect(db) as conn:
            assert conn.execute("select name from client").fetchall() == [("市税务局",)], "nothing half-written"
        assert tg(db, "db", "check").returncode == 0
        assert tg(db, "clients", "add", "市一中").returncode == 0
