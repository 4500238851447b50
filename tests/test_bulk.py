"""The bulk roads (rawdb.py, bulk.py, queries.client_cells_sqlite) give what the Store roads give."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from tuangou_cli import bulk, rawdb
from tuangou_cli.db import open_store, resolve_url
from tuangou_cli.export import WRITERS, write_csv_cells
from tuangou_cli.store.queries import CLIENT_COLUMNS, QUERIES, client_cells_sqlite, client_rows_sqlite

SQLITE_ROAD = pytest.mark.sqlite_only("the stdlib-sqlite3 road for SQLite files (on PostgreSQL import and "
                                     "export take the Store road, tested in test_import and test_cli_data)")

TRICKY = [
    ["单位名称", "城市", "人数", "人均预算", "预算", "行业", "备注", "联系人", "电话"],
    ["=1+1 有限公司", "杭州", "120人", "500", "12,345.5", "@政府", "'=already marked", "王科长", "138-0000-0001"],
    ["-5 Co., Ltd.", "+city", "1,200", "¥300.25", "", "\tTab", "line one\nline two, \"quoted\"", "", ""],
    ["市税务局", "", "", "", "5万", "", "''=two apostrophes", "Li", "0571-88881234"],
    ["Ａｃｍｅ　Trading", "Shanghai", "７", "0", "", "", "", "", ""],
]


def write(path, rows):
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return str(path)


def core_export(fmt: str) -> str:
    """The Store road: SQLAlchemy Core query, the format's usual writer."""
    store = open_store(resolve_url(None))
    columns, stmt = QUERIES["clients"]()
    out = io.StringIO(newline="")
    with store.read() as session:
        WRITERS[fmt](session.connection().execute(stmt), columns, out)
    store.engine.dispose()
    return out.getvalue()


@SQLITE_ROAD
def test_sqlite_export_is_the_core_export(tg, tmp_path):
    assert tg("import", "clients", write(tmp_path / "t.csv", TRICKY)).exit_code == 0
    conn = rawdb.connect_at_head(None)
    assert conn is not None
    try:
        out = io.StringIO(newline="")
        write_csv_cells(client_cells_sqlite(conn), CLIENT_COLUMNS, out)
        assert out.getvalue() == core_export("csv")
        for fmt in ("json", "jsonl"):
            out = io.StringIO(newline="")
            WRITERS[fmt](client_rows_sqlite(conn), CLIENT_COLUMNS, out)
            assert out.getvalue() == core_export(fmt)
    finally:
        conn.close()
    r = tg("export", "clients")
    assert r.exit_code == 0 and r.stdout_bytes.decode("utf-8") == core_export("csv")


@SQLITE_ROAD
def test_sqlite_export_of_odd_values_matches_core(tg):
    """Values other tools may have written (floats in text columns, huge whole floats, text in a
    number column) still come out as the Core road writes them."""
    assert tg("db", "upgrade").exit_code == 0
    path = rawdb.sqlite_file(resolve_url(None))
    with sqlite3.connect(path) as c:
        c.execute("INSERT INTO client (name, name_key, city, budget_per_head, budget_total, confidence, stage, "
                  "created_at, updated_at, created_by, updated_by) VALUES (1.5, 'x', -3, 1e20, 2.5, 0.85, 'lead', "
                  "'2026-01-02 03:04:05.000000', '2026-01-02 03:04:05.123456', 'a', '=b')")
    conn = rawdb.connect_at_head(None)
    out = io.StringIO(newline="")
    write_csv_cells(client_cells_sqlite(conn), CLIENT_COLUMNS, out)
    conn.close()
    assert out.getvalue() == core_export("csv")
    assert "2026-01-02T03:04:05+00:00,2026-01-02T03:04:05.123456+00:00,a,'=b" in out.getvalue()


def table(path) -> list[tuple]:
    with sqlite3.connect(path) as c:
        clients = c.execute("SELECT id, name, name_key, industry, city, headcount, budget_per_head, budget_total, "
                            "notes, stage, created_by, typeof(created_at), length(created_at) FROM client "
                            "ORDER BY id").fetchall()
        contacts = c.execute("SELECT client_id, name, title, phone, created_by FROM contact ORDER BY id").fetchall()
    return clients + contacts


@SQLITE_ROAD
def test_import_through_sqlite3_writes_what_the_store_writes(tg, tmp_path, monkeypatch):
    rows = TRICKY + [["=1+1有限公司", "杭州", "130", "", "", "", "", "赵经理", "139 0000 0002"]]  # merges
    src = write(tmp_path / "t.csv", rows)
    fresh = tmp_path / "fresh.db"  # does not exist: the Store creates it, so the Store road is taken
    monkeypatch.setenv("TG_DB", str(fresh))
    assert rawdb.connect_at_head(None) is None
    r = tg("import", "clients", src)
    assert r.exit_code == 0 and "created 4" in r.stderr and "merged 1" in r.stderr, r.stderr
    made = tmp_path / "made.db"  # exists at HEAD: the sqlite3 road
    monkeypatch.setenv("TG_DB", str(made))
    assert tg("db", "upgrade").exit_code == 0
    conn = rawdb.connect_at_head(None)
    assert conn is not None
    conn.close()
    r = tg("import", "clients", src)
    assert r.exit_code == 0 and "created 4" in r.stderr and "merged 1" in r.stderr, r.stderr
    assert table(made) == table(fresh)
    assert table(made)[0][-2:] == ("text", 26)  # SQLAlchemy's timestamp format
    # Re-importing through the sqlite3 road changes nothing; a changed cell updates the one client.
    r = tg("import", "clients", src)
    assert "created 0, updated 0, unchanged 4" in r.stderr, r.stderr
    rows[3][1] = "北京"
    r = tg("import", "clients", write(tmp_path / "t2.csv", rows))
    assert "created 0, updated 1, unchanged 3" in r.stderr, r.stderr


@SQLITE_ROAD
def test_connect_at_head_only_for_a_sqlite_file_at_head(tg, tmp_path, monkeypatch):
    monkeypatch.setenv("TG_DB", str(tmp_path / "missing.db"))
    assert rawdb.connect_at_head(None) is None
    assert not (tmp_path / "missing.db").exists()
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as c:
        c.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        c.execute("INSERT INTO alembic_version VALUES ('0001')")
    monkeypatch.setenv("TG_DB", str(old))
    assert rawdb.connect_at_head(None) is None
    monkeypatch.setenv("TG_DB", "postgresql://nobody@localhost/none")
    assert rawdb.connect_at_head(None) is None
    assert rawdb.sqlite_file("sqlite:///:memory:") is None


@SQLITE_ROAD
def test_locked_database_is_one_line(tg, tmp_path, monkeypatch):
    assert tg("db", "upgrade").exit_code == 0
    path = rawdb.sqlite_file(resolve_url(None))
    # The wait is set by the connection's busy_timeout pragma (and the driver's timeout), in both
    # the fast road (rawdb) and the store (db): shorten all of them, or the test waits 10 s twice.
    from tuangou_cli import db as store_db

    short = tuple(p.replace(f"busy_timeout={rawdb.BUSY_TIMEOUT_MS}", "busy_timeout=50") for p in rawdb.PRAGMAS)
    for module in (rawdb, store_db):
        monkeypatch.setattr(module, "BUSY_TIMEOUT_MS", 50)
        monkeypatch.setattr(module, "PRAGMAS", short)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = tg("import", "clients", write(tmp_path / "t.csv", TRICKY))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.exit_code != 0 and "locked" in r.stderr.lower(), r.stderr


@pytest.mark.parametrize("text", ["1,200", "120人", "500元", "7名", "3位", "2个", "9块", "１２０", "1,2,3", "0人",
                                  "007", "12a人", "人", ",", "5万", "¥500", "1.5", "三百", "2k", "3千", "1.2万",
                                  "¥400", "400元", "三百人", "-5", "很多", "约120人"])
def test_number_fast_paths_agree_with_the_general_path(text):
    """cells.cell_number's fast paths give what notes.parse_number, the one number reading, gives
    for a cell that is a number (with a sign or a unit); anything else is a CellError."""
    from tuangou_cli.cells import CellError, cell_number
    from tuangou_cli.notes import parse_number as read_number

    for integer in (False, True):
        try:
            got = cell_number(text, integer=integer)
        except CellError:
            assert text in ("1,2,3", "12a人", "人", ",", "-5", "很多", "约120人") or (integer and text == "1.5"), text
            continue
        expected = read_number(text)
        assert got == expected and type(got) is (int if integer else float), (text, got, expected)


def test_db_for_picks_the_driver_connection_under_a_store_session(testdb):
    """SQLite: the sqlite3 connection under the session; PostgreSQL: its driver, through exec_driver_sql."""
    store = open_store(testdb.url)
    with store.write() as session:
        db = bulk.db_for(session.connection())
        assert isinstance(db, bulk.SqliteDb if testdb.is_sqlite else bulk.DriverDb)
        assert next(iter(db.rows("SELECT count(*) FROM client WHERE name <> ?", ("x",))))[0] == 0
    store.engine.dispose()
    if not testdb.is_sqlite:
        assert rawdb.connect_at_head(None) is None, "no sqlite3 road to a server"


# --- a big export in two processes (export_split.py) -------------------------------------------


@SQLITE_ROAD
@pytest.mark.parametrize("options", [(), ("--excel",), ("--encoding", "gb18030")])
def test_an_export_in_two_processes_is_the_same_file(tg, tmp_path, monkeypatch, options):
    from tuangou_cli import export_split

    rows = TRICKY + [[f"客户{i}", "杭州", str(i), "", "", "", "", "", ""] for i in range(40)]
    assert tg("import", "clients", write(tmp_path / "t.csv", rows)).exit_code == 0
    one = tg("export", "clients", *options)
    monkeypatch.setattr(export_split, "SPLIT_MIN", 2)
    used = []
    real = export_split._batches
    monkeypatch.setattr(export_split, "_batches", lambda *a: used.append(a) or real(*a))
    two = tg("export", "clients", *options)
    assert used, "the two-process road was taken"
    assert two.exit_code == 0 and two.stdout_bytes == one.stdout_bytes
    out = tmp_path / "out.csv"
    assert tg("export", "clients", "-o", str(out), *options).exit_code == 0
    assert out.read_bytes() == one.stdout_bytes
    if not options:
        assert one.stdout_bytes.decode("utf-8") == core_export("csv")


@SQLITE_ROAD
@pytest.mark.parametrize("failure", ["error", "gone"])
def test_a_failed_second_process_is_one_line_and_leaves_no_file(tg, tmp_path, monkeypatch, failure):
    from tuangou_cli import export_split

    assert tg("import", "clients", write(tmp_path / "t.csv", TRICKY)).exit_code == 0
    monkeypatch.setattr(export_split, "SPLIT_MIN", 2)

    def broken(pipe, reader_end, *args):
        reader_end.close()
        if failure == "error":
            pipe.send(("error", ("OperationalError", "disk I/O error")))
        pipe.close()  # "gone": ends without a word

    monkeypatch.setattr(export_split, "_serve", broken)
    out = tmp_path / "out.csv"
    r = tg("export", "clients", "-o", str(out))
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert ("disk" in r.stderr) if failure == "error" else ("stopped unexpectedly" in r.stderr)
    assert not out.exists() and not list(tmp_path.glob(".out.csv.*"))


@SQLITE_ROAD
def test_the_two_process_export_keeps_odd_ids_and_names_a_damaged_file(tg, tmp_path, monkeypatch):
    from tuangou_cli import export_split

    assert tg("import", "clients", write(tmp_path / "t.csv", TRICKY)).exit_code == 0
    path = rawdb.sqlite_file(resolve_url(None))
    with sqlite3.connect(path) as c:  # an id below zero (hand-written SQL): rare, but it is a client
        c.execute("UPDATE client SET id = -7 WHERE id = 2")
    c.close()
    one = tg("export", "clients")
    monkeypatch.setattr(export_split, "SPLIT_MIN", 2)
    two = tg("export", "clients")
    assert two.exit_code == 0 and two.stdout_bytes == one.stdout_bytes and b"\r\n-7," in two.stdout_bytes
    with sqlite3.connect(path) as c:
        root = c.execute("SELECT rootpage FROM sqlite_master WHERE name = 'client'").fetchone()[0]
        size = c.execute("PRAGMA page_size").fetchone()[0]
    c.close()
    with open(path, "r+b") as f:  # the client table's first page, overwritten
        f.seek((root - 1) * size)
        f.write(b"\xff" * size)
    r = tg("export", "clients")
    assert r.exit_code == 1 and "damaged" in r.stderr and "internal" not in r.stderr, r.stderr


def test_import_after_a_client_id_above_its_sequence(tg, tmp_path, testdb):
    """A row written with an explicit id (a restore, a hand-made INSERT) above the id sequence:
    imports still work, on either engine, and their clients get ids above it."""
    assert tg("clients", "add", "甲").exit_code == 0
    testdb.execute("INSERT INTO client (id, name, name_key, stage, owner, created_at, updated_at, created_by, "
                   "updated_by) VALUES (500, '乙', '乙', 'lead', 'tester', '2026-01-01 00:00:00', "
                   "'2026-01-01 00:00:00', 'tester', 'tester')")
    r = tg("import", "clients", write(tmp_path / "a.csv", [["名称"], ["丙"], ["丁"]]))
    assert r.exit_code == 0 and "created 2," in r.stderr, r.stderr
    r = tg("import", "clients", write(tmp_path / "b.csv", [["名称"], ["戊"]]))
    assert r.exit_code == 0 and "created 1," in r.stderr, r.stderr
    assert tg("clients", "add", "己").exit_code == 0, "the ORM road takes its ids from the sequence too"
    ids = dict((name, cid) for cid, name in testdb.rows("SELECT id, name FROM client"))
    assert ids["甲"] < 500 < ids["丙"] < ids["丁"] < ids["戊"] < ids["己"]
