"""Four processes × 200 writes at once: nothing lost, nothing locked, no id twice."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tuangou_cli.db import open_store

PROCS, CLIENTS = 4, 100  # per process: 100 clients + 50 activities + 50 referrals = 200 write transactions

WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from tuangou_cli.store import clients as st, pipeline as ps, referrals
    from tuangou_cli.db import open_store
    from tuangou_cli.models import Client

    url, who, n, gate = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    db = open_store(url)
    Path(f"{gate}.{who}").touch()          # ready
    while not gate.exists():               # start together
        time.sleep(0.005)
    ids = []
    for i in range(n):
        with db.write() as s:
            ids.append(st.create_client(s, name=f"{who}-{i}", user=who).id)
        if i % 2:
            with db.write() as s:
                referrals.record_referral(s, referrer=s.get(Client, ids[i - 1]), referred=s.get(Client, ids[i]), user=who)
            with db.write() as s:
                ps.add_activity(s, client=s.get(Client, ids[i]), type="call", text=f"call {who}-{i}", user=who)
""")


def run_writers(url: str, tmp_path: Path) -> list[str]:
    open_store(url).engine.dispose()  # schema in place before anyone writes
    gate = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, url, f"p{k}", str(CLIENTS), str(gate)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for k in range(PROCS)]
    deadline = time.monotonic() + 300  # only a hang guard: four interpreters starting on a busy machine
    while len(list(tmp_path.glob("go.p*"))) < PROCS and time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            break
        time.sleep(0.01)
    gate.touch()
    errors = [p.communicate(timeout=600)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * PROCS, errors
    return errors


def check_rows(url: str, errors: list[str]) -> None:
    assert not any("locked" in e for e in errors), errors
    engine = create_engine(url)
    with engine.connect() as conn:
        def one(sql):
            return tuple(conn.execute(text(sql)).one())

        assert one("select count(*), count(distinct id), count(distinct name) from client") == (400, 400, 400)
        assert one("select count(*), count(distinct id) from referral") == (200, 200)
        assert one("select count(*), count(distinct id) from activity") == (200, 200)
        # 800 rows written, each where it belongs: every referral joins two clients of one process.
        assert one("select count(*) from referral r join client a on a.id = r.referrer_id "
                   "join client b on b.id = r.referred_id "
                   "where substr(a.name, 1, 2) = substr(b.name, 1, 2)") == (200,)
        # and every ORM write left its audit row: 400 clients, 200 referrals, 200 activities
        assert one("select count(*), count(distinct id) from audit") == (800, 800)
    engine.dispose()


def test_four_writers(testdb, tmp_path):
    errors = run_writers(testdb.url, tmp_path)
    check_rows(testdb.url, errors)
    if testdb.is_sqlite:
        assert testdb.scalar("pragma integrity_check") == "ok"
