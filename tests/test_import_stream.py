"""tg import of a big file into SQLite: read in this process, written by a second one (bulk_writer.py).

The road is taken from STREAM_MIN_BYTES on; here it is lowered to 0 and the chunk to a few rows,
so small files cross many chunks (and later rows merge into clients already sent). The other
road, all in one process, is the reference: both must leave the same database behind.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import shutil
import signal
import sqlite3
import time
from contextlib import closing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuangou_cli import bulk_writer, second_process
from tuangou_cli import import_file

pytestmark = pytest.mark.sqlite_only("the writer process is the SQLite file road (PostgreSQL imports in-process)")


def write(path, rows, encoding="utf-8"):
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return str(path)


def stored(path) -> tuple[list, list, list]:
    """Clients (every column but the timestamps), per client its contacts in order, the audit trail."""
    with closing(sqlite3.connect(path)) as c:
        clients = c.execute("SELECT id, name, name_key, industry, city, headcount, budget_per_head, budget_total, "
                            "occasion, stage, owner, notes, created_by, updated_by FROM client ORDER BY id").fetchall()
        contacts = c.execute("SELECT client_id, name, title, phone, created_by FROM contact "
                             "ORDER BY client_id, id").fetchall()
        audit = c.execute('SELECT "by", table_name, row_id, client_id, action, changes FROM audit '
                          "ORDER BY id").fetchall()
    return clients, contacts, audit


@pytest.fixture
def template(tg, db_path, tmp_path, monkeypatch):
    """A database at the current schema holding two clients the files may update."""
    assert tg("import", "clients", write(tmp_path / "seed.csv", [["名称", "城市", "电话"], ["市人民医院", "杭州", ""],
                                                                  ["Acme Co., Ltd.", "", "13800000009"]])).exit_code == 0
    return db_path


def streamed(monkeypatch, chunk=2):
    monkeypatch.setattr(import_file, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(import_file, "CHUNK", chunk)


def copy_db(src, dst):
    for suffix in ("", "-wal", "-shm"):  # the last example's WAL must not be read into this one's copy
        if os.path.exists(f"{dst}{suffix}"):
            os.remove(f"{dst}{suffix}")
        if os.path.exists(f"{src}{suffix}"):
            shutil.copyfile(f"{src}{suffix}", f"{dst}{suffix}")
    return str(dst)


NAMES = ["市人民医院", "市人民医院 ", "华夏银行", "华夏银行股份有限公司", "Acme", "ACME co., ltd.", "杭州娃哈哈", "市税务局",
         "Blue Ocean Trading", "蓝海物流"]
ROW = st.tuples(st.sampled_from(NAMES), st.sampled_from(["", "杭州", "宁波市", "Beijing"]),
                st.sampled_from(["", "13800000001", "13800000009", "0571-8888 1234", "139 0000 0002"]),
                st.sampled_from(["", "120", "1,200", "300人"]), st.sampled_from(["", "王科长", "Li"]),
                st.sampled_from(["", "年终慰问", "展会"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=14), skip_errors=st.booleans(), bad=st.booleans())
def test_both_roads_leave_the_same_database(tg, template, tmp_path, monkeypatch, rows, skip_errors, bad):
    body = [list(r) for r in rows]
    if bad:
        body.insert(len(body) // 2, ["蓝海物流", "", "call me", "", "", ""])  # a phone that is not one
    src = write(tmp_path / "leads.csv", [["单位名称", "城市", "手机", "人数", "联系人", "备注"], *body])
    extra = ["--skip-errors", str(tmp_path / "rejects.csv")] if skip_errors else []
    results = {}
    for road in ("one process", "two processes"):
        db = copy_db(template, tmp_path / f"{road}.db")
        monkeypatch.setenv("TG_DB", db)
        if road == "two processes":
            streamed(monkeypatch)
        else:  # (monkeypatch is shared by every example)
            monkeypatch.setattr(import_file, "STREAM_MIN_BYTES", 1 << 40)
        r = tg("import", "clients", src, *extra)
        summary = [line for line in r.stderr.splitlines() if line.startswith(("created", "tg:"))]
        results[road] = (r.exit_code, summary, stored(db))
    assert results["two processes"] == results["one process"]
    assert not multiprocessing.active_children(), "the writer process ended with the import"


def test_a_big_file_takes_the_writer_road(tg, template, tmp_path, monkeypatch):
    """Not a small-file quirk: the default threshold sends a 2 MB file through the writer."""
    rows = [["单位名称", "城市", "人数"]] + [[f"客户{i}有限公司", "杭州", str(i % 500)] for i in range(60_000)]
    src = write(tmp_path / "big.csv", rows)
    assert os.path.getsize(src) >= import_file.STREAM_MIN_BYTES
    used = []
    real = bulk_writer.WriterDb.__init__

    def spy(self, path):
        used.append(path)
        real(self, path)

    monkeypatch.setattr(bulk_writer.WriterDb, "__init__", spy)
    r = tg("import", "clients", src)
    assert r.exit_code == 0 and "created 60000," in r.stderr, r.stderr
    import gc

    assert gc.isenabled(), "the collector, off during the import, is on again"
    assert used and stored(template)[0][-1][1] == "客户59999有限公司"


def indexes(path) -> list:
    with closing(sqlite3.connect(path)) as c:
        return c.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall()


@pytest.mark.parametrize("rebuild_below", [0, 20_000])
def test_the_writer_leaves_the_same_indexes(tg, template, tmp_path, monkeypatch, rebuild_below):
    """Whether the client table's indexes are updated row by row or built before COMMIT (few
    clients yet), the database ends with the same indexes, and they find the new clients."""
    monkeypatch.setattr(bulk_writer, "REBUILD_BELOW", rebuild_below)
    real, said = bulk_writer._set_aside_indexes, tmp_path / "aside.txt"

    def spy(conn):  # the writer may be another process: what it set aside goes through a file
        aside = real(conn)
        said.write_text("\n".join(aside), encoding="utf-8")
        return aside

    monkeypatch.setattr(bulk_writer, "_set_aside_indexes", spy)
    before = indexes(template)
    assert any(tbl == "client" for _name, tbl, _sql in before)
    streamed(monkeypatch, chunk=3)
    rows = [["名称", "城市"]] + [[f"新客户{i}有限公司", "杭州"] for i in range(10)] + [["市人民医院", "宁波"]]
    r = tg("import", "clients", write(tmp_path / "new.csv", rows))
    assert r.exit_code == 0 and "created 11," in r.stderr, r.stderr
    if second_process.start_method() == "fork":
        aside = said.read_text(encoding="utf-8")
        assert ("ix_client_name_key" in aside and "ix_client_dedupe_key" in aside) == bool(rebuild_below), aside
    assert indexes(template) == before
    with closing(sqlite3.connect(template)) as c:
        assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        plan = c.execute("EXPLAIN QUERY PLAN SELECT id FROM client WHERE name_key = ?", ("x",)).fetchall()
        assert "ix_client_name_key" in str(plan)
        assert c.execute("SELECT count(*) FROM client INDEXED BY ix_client_name_key WHERE name_key = ?",
                         (c.execute("SELECT name_key FROM client WHERE name = '新客户7有限公司'").fetchone()[0],)
                         ).fetchone() == (1,)


def test_a_rolled_back_import_keeps_the_indexes(tg, template, tmp_path, monkeypatch):
    before = indexes(template)
    streamed(monkeypatch)
    rows = [["名称", "人数"]] + [[f"新客户{i}", "10"] for i in range(9)] + [["坏行", "约十个"]]
    assert tg("import", "clients", write(tmp_path / "bad.csv", rows)).exit_code == 1
    assert indexes(template) == before


def test_a_bad_row_writes_nothing(tg, template, tmp_path, monkeypatch):
    before = stored(template)
    streamed(monkeypatch)
    rows = [["名称", "人数"]] + [[f"新客户{i}", "10"] for i in range(9)] + [["坏行", "约十个"]]
    r = tg("import", "clients", write(tmp_path / "bad.csv", rows))
    assert r.exit_code == 1 and "row 11, 人数" in r.stderr, r.stderr
    assert stored(template) == before
    assert not multiprocessing.active_children()
    assert not os.path.exists(f"{template}-wal"), "the writer rolled back and closed: no WAL left behind"


def test_ctrl_c_while_reading_writes_nothing(tg, template, tmp_path, monkeypatch):
    before = stored(template)
    streamed(monkeypatch)
    from tuangou_cli import importer

    real, calls = importer.parse_rows, []

    def interrupted(*args):
        calls.append(1)
        if len(calls) == 4:  # three chunks already sent to the writer
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(importer, "parse_rows", interrupted)
    rows = [["名称"]] + [[f"新客户{i}"] for i in range(20)]
    r = tg("import", "clients", write(tmp_path / "many.csv", rows))
    assert r.exit_code == 130, r.stderr
    assert stored(template) == before
    assert not multiprocessing.active_children()
    assert not os.path.exists(f"{template}-wal")


def test_an_error_in_the_writer_is_one_line_and_writes_nothing(tg, template, tmp_path, monkeypatch):
    with closing(sqlite3.connect(template)) as c, c:  # the writer's INSERT fails on one name, as a full disk would
        c.execute("CREATE TRIGGER boom BEFORE INSERT ON client WHEN NEW.name = '炸' "
                  "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    before = stored(template)
    streamed(monkeypatch)
    rows = [["名称"]] + [[f"新客户{i}"] for i in range(6)] + [["炸"]] + [[f"后来{i}"] for i in range(6)]
    r = tg("import", "clients", write(tmp_path / "boom.csv", rows))
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "full" in r.stderr and "Traceback" not in r.stderr
    assert stored(template) == before


def test_a_killed_writer_is_one_line_and_writes_nothing(tg, template, tmp_path, monkeypatch):
    before = stored(template)
    streamed(monkeypatch)
    real, sent = bulk_writer.WriterDb.insert, []

    def insert_then_die(self, *args):
        sent.append(1)
        if len(sent) == 3:
            os.kill(self._process.pid, signal.SIGKILL)
            self._process.join()
        real(self, *args)

    monkeypatch.setattr(bulk_writer.WriterDb, "insert", insert_then_die)
    rows = [["名称"]] + [[f"新客户{i}"] for i in range(20)]
    r = tg("import", "clients", write(tmp_path / "many.csv", rows))
    assert r.exit_code == 1 and "stopped unexpectedly" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert stored(template) == before


def test_gb18030_found_late_is_read_again_from_the_start(tg, template, tmp_path, monkeypatch):
    """The first 64 KB are plain ASCII (guessed UTF-8); a GB18030 name far below restarts the
    whole import, whose first rows the writer had already been sent."""
    streamed(monkeypatch, chunk=500)
    rows = [["name", "city"]] + [[f"Client {i}", "Hangzhou"] for i in range(4000)] + [["杭州娃哈哈", "杭州"]]
    r = tg("import", "clients", write(tmp_path / "gbk.csv", rows, encoding="gb18030"))
    assert r.exit_code == 0 and "created 4001," in r.stderr, r.stderr
    assert stored(template)[0][-1][1] == "杭州娃哈哈"


def test_ctrl_c_while_the_writer_commits_is_not_said_to_have_written_nothing(tg, template, tmp_path, monkeypatch):
    """Once COMMIT is sent the writer carries it out: tg waits for it and reports the import."""
    streamed(monkeypatch)
    real, calls = bulk_writer.WriterDb._answer, []

    def answer(self):
        calls.append(1)
        if len(calls) == 3:  # the commit's answer (after the start's and the finish's): Ctrl-C while it commits
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)
        return real(self)

    monkeypatch.setattr(bulk_writer.WriterDb, "_answer", answer)
    before = len(stored(template)[0])
    r = tg("import", "clients", write(tmp_path / "n.csv", [["名称"]] + [[f"新客户{i}"] for i in range(10)]))
    assert r.exit_code == 0 and "created 10," in r.stderr, r.stderr
    assert len(stored(template)[0]) == before + 10


def test_ctrl_c_while_the_indexes_are_built_writes_nothing(tg, template, tmp_path, monkeypatch):
    """Before COMMIT is sent (the indexes set aside being built) a Ctrl-C still rolls back."""
    streamed(monkeypatch)
    real, calls = bulk_writer.WriterDb._answer, []

    def answer(self):
        calls.append(1)
        if len(calls) == 2:  # the finish's answer: the indexes are being built
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)
        return real(self)

    monkeypatch.setattr(bulk_writer.WriterDb, "_answer", answer)
    before = stored(template)
    r = tg("import", "clients", write(tmp_path / "n.csv", [["名称"]] + [[f"新客户{i}"] for i in range(10)]))
    assert r.exit_code == 130, (r.exit_code, r.stderr)
    assert stored(template) == before


def test_a_non_database_error_in_the_writer_is_one_line(tg, template, tmp_path, monkeypatch, capfd):
    streamed(monkeypatch)
    from tuangou_cli import bulk

    def broken(self, *args):
        raise ValueError("boom")

    monkeypatch.setattr(bulk.SqliteDb, "insert", broken)  # in the writer (forked, or spawned: then real)
    before = stored(template)
    r = tg("import", "clients", write(tmp_path / "n.csv", [["名称"]] + [[f"新客户{i}"] for i in range(10)]))
    if second_process.start_method() == "fork":
        assert r.exit_code == 1 and "ValueError in the writing process: boom" in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in capfd.readouterr().err
    assert stored(template) == before or r.exit_code == 0


def test_a_locked_database_is_said_to_be_busy(tg, template, tmp_path, monkeypatch):
    from tuangou_cli import rawdb

    streamed(monkeypatch)
    short = tuple(p.replace(f"busy_timeout={rawdb.BUSY_TIMEOUT_MS}", "busy_timeout=50") for p in rawdb.PRAGMAS)
    monkeypatch.setattr(rawdb, "PRAGMAS", short)
    monkeypatch.setattr(rawdb, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(template, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = tg("import", "clients", write(tmp_path / "n.csv", [["名称"]] + [[f"新客户{i}"] for i in range(10)]))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.exit_code == 1 and ("locked" in r.stderr.lower() or "busy" in r.stderr.lower()), r.stderr
    assert "unable to open" not in r.stderr
