"""Row-level security on writes, and 查重, against a real server: a rep's role tries each road
of writing across the line by plain SQL and through tg, and is refused; the honest roads work."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from .test_rls import as_role, ok, team  # noqa: F401  (the fixture: a schema and roles of our own)

pytestmark = pytest.mark.postgresql_only("row-level security is PostgreSQL's")


def refused(conn, sql: str, **params) -> bool:
    """Did the server refuse the statement (an error), or let it change nothing (a filtered row)?"""
    savepoint = conn.begin_nested()
    try:
        result = conn.execute(text(sql), params)
    except DBAPIError:
        savepoint.rollback()
        return True
    changed = result.rowcount
    savepoint.rollback()
    return changed == 0


@pytest.fixture
def line(tg, team, monkeypatch):  # noqa: F811
    url, r = team
    ok(tg("--db", url, "db", "setup-rls", "--rep", r["a"], "--rep", r["b"], "--manager", r["boss"],
          "--rep-group", r["rep"], "--manager-group", r["mgr"]))

    def add(name: str, owner: str) -> int:
        return int(ok(tg("--db", url, "clients", "add", name, "--owner", owner)).stdout)

    ids = {"a1": add("市税务局", r["a"]), "a2": add("市一中", r["a"]), "b1": add("市人民医院", r["b"]),
           "b2": add("农商银行", r["b"])}
    # a2 is handed on from A to B by A: A keeps seeing it through the stage A held.
    monkeypatch.delenv("TG_USER")
    ok(tg("--db", as_role(url, r["a"]), "handoff", str(ids["a2"]), "--to", r["b"], "--new-user"))
    # B's own referral (b1 introduced b2) with a reward, and a contact with a phone on b1.
    ok(tg("--db", as_role(url, r["a"]), "refer", str(ids["a1"]), "市二中", "--rule", "commission", "--yes"))
    B = as_role(url, r["b"])
    ok(tg("--db", B, "refer", str(ids["b1"]), str(ids["b2"]), "--rule", "commission", "--note", "secret"))
    ok(tg("--db", B, "contacts", "add", str(ids["b1"]), "王主任", "--role", "decision-maker",
          "--phone", "0571-8888 1234"))
    return url, r, ids


def test_a_rep_cannot_write_across_the_line_by_sql(line):
    url, r, ids = line
    a1, a2, b1, b2 = ids["a1"], ids["a2"], ids["b1"], ids["b2"]
    admin = create_engine(url)
    rep = create_engine(as_role(url, r["a"]))
    try:
        with admin.connect() as conn:
            (ref,) = conn.execute(text("SELECT id FROM referral WHERE referred_id = :b"), {"b": b2}).scalars()
            (reward,) = conn.execute(text("SELECT id FROM reward WHERE referral_id = :r"), {"r": ref}).scalars()
            (mine,) = conn.execute(text("SELECT id FROM reward WHERE referrer_id = :a"), {"a": a1}).scalars()
            cases = conn.execute(text("SELECT count(*) FROM case_study")).scalar()
            conn.execute(text("INSERT INTO case_study (title, outcome, created_at, created_by) "
                              "VALUES ('shared lesson', 'won', now(), 'boss')"))
            conn.commit()
        with rep.connect() as conn:
            roads = {
                "a referral from my client to a colleague's": refused(conn, (
                    "INSERT INTO referral (referrer_id, referred_id, status, created_at, created_by, credited) "
                    "VALUES (:a, :b, 'introduced', now(), :me, true)"), a=a1, b=b1, me=r["a"]),
                "a ¥1,000,000 reward due to my referrer": refused(conn, (
                    "INSERT INTO reward (referrer_id, referrer_name, kind, description, amount, status, created_at, "
                    "created_by) VALUES (:a, 'x', 'commission', 'x', 1000000, 'due', now(), :me)"), a=a1, me=r["a"]),
                "a reward granted, naming the manager": refused(
                    conn, "UPDATE reward SET status = 'granted', granted_by = :boss WHERE id = :id",
                    id=reward, boss=r["boss"]),
                "my own referrer's reward granted": refused(
                    conn, "UPDATE reward SET status = 'granted', granted_at = now() WHERE id = :id", id=mine),
                "my own referrer's reward made due for ¥1,000,000": refused(
                    conn, "UPDATE reward SET status = 'due', amount = 1000000 WHERE id = :id", id=mine),
                "a case study about a colleague's client": refused(conn, (
                    "INSERT INTO case_study (title, outcome, client_id, created_at, created_by) "
                    "VALUES ('x', 'won', :b, now(), :me)"), b=b1, me=r["a"]),
                "removing case studies": refused(conn, "DELETE FROM case_study"),
                "changing a segment": refused(conn, "UPDATE segment SET name_en = 'x'"),
                "audit rows for a colleague's client": refused(conn, (
                    "INSERT INTO audit (at, \"by\", table_name, row_id, client_id, action, changes) "
                    "VALUES (now(), :me, 'client', :b, :b, 'update', '{}')"), b=b1, me=r["a"]),
                "audit rows in a colleague's name": refused(conn, (
                    "INSERT INTO audit (at, \"by\", table_name, row_id, client_id, action, changes) "
                    "VALUES (now(), :other, 'client', :a, :a, 'update', '{}')"), a=a1, other=r["b"]),
                "deleting a colleague's referral events": refused(conn, "DELETE FROM referral_event"),
                "taking a handed-on client back": refused(conn, "UPDATE client SET owner = :me WHERE id = :id",
                                                          me=r["a"], id=a2),
                "giving my client away without a hand-off": refused(
                    conn, "UPDATE client SET owner = :other WHERE id = :id", other=r["b"], id=a1),
            }
            assert [road for road, no in roads.items() if not no] == []
            # and a colleague's referral events are still not readable (only A's own referral's are)
            assert conn.execute(text("SELECT count(*) FROM referral_event WHERE referral_id = :r"),
                                {"r": ref}).scalar() == 0
        with admin.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM case_study")).scalar() == cases + 1
            assert conn.execute(text("SELECT owner FROM client WHERE id = :id"), {"id": a2}).scalar() == r["b"]
    finally:
        rep.dispose()
        admin.dispose()


def test_tg_as_a_rep_refuses_the_same_in_one_line(tg, line):
    url, r, ids = line
    A = as_role(url, r["a"])
    taken = tg("--db", A, "clients", "edit", str(ids["a2"]), "--owner", r["a"])
    assert taken.exit_code == 1 and "ownership changes only by a hand-off" in taken.stderr
    assert len(taken.stderr.strip().splitlines()) == 1 and "Traceback" not in taken.output
    denied = tg("--db", A, "rewards", "grant", "1")
    assert denied.exit_code == 1 and "Traceback" not in denied.output


def test_cha_chong_refuses_a_colleagues_client_and_says_nothing_else(tg, line):
    url, r, ids = line
    A, boss = as_role(url, r["a"]), as_role(url, r["boss"])
    before = len(tg.json("--db", boss, "clients", "list", "-f", "json"))
    said = []
    for args in (("clients", "add", "市人民医院有限公司"),  # the same organisation, by importer.dedupe_key
                 ("clients", "add", "市人民医院"),
                 ("refer", str(ids["a1"]), "市人民医院", "--yes"),
                 ("classify", "农商银行", "-a", "purpose=staff", "-a", "decision=leader", "--all")):
        res = tg("--db", A, *args)
        assert res.exit_code == 1, (args, res.stderr)
        assert "already a client of the company, held by another rep" in res.stderr
        assert str(ids["b1"]) not in res.stderr and r["b"] not in res.stderr and "王主任" not in res.stderr
        said.append(res.stderr)
    assert len(tg.json("--db", boss, "clients", "list", "-f", "json")) == before, "nothing created"
    assert tg("--db", url, "clients", "add", "农商银行有限公司").exit_code == 0, "nor the tables' owner"
    before += 1
    # A's own clients, and new names, are A's to add; the manager sees every client and is not refused.
    assert tg("--db", A, "clients", "add", "市二中").exit_code == 0
    assert tg("--db", boss, "clients", "add", "市人民医院").exit_code == 0, "a manager sees both: no 查重 refusal"

    from tuangou_cli.store import clients as st
    from tuangou_cli.db import open_store

    store = open_store(A)
    try:
        with store.read() as s:  # the function the import's bulk road asks, one answer per row
            assert st.held_elsewhere(s, ["新单位", "市人民医院", "某公司", "市税务局"],
                                     [[], [], ["+86 571 8888 1234"], []]) == [False, True, True, False]
    finally:
        store.engine.dispose()


def test_the_honest_roads_still_work_and_a_grant_names_its_granter(tg, line, monkeypatch):
    url, r, ids = line
    B, boss = as_role(url, r["b"]), as_role(url, r["boss"])
    deal = ok(tg("--db", B, "deals", "add", str(ids["b2"]), "--bundle", "steamer_family", "--qty", "200"))
    won = ok(tg("--db", B, "deals", "won", deal.stdout.strip()))
    assert "reward #" in won.stderr, won.stderr
    (reward,) = [x["id"] for x in tg.json("--db", boss, "rewards", "list", "--referrer", str(ids["b1"]), "-f", "json")]
    assert tg("--db", B, "rewards", "grant", str(reward)).exit_code == 1, "a rep does not grant"
    monkeypatch.setenv("TG_USER", "someone-else")
    ok(tg("--db", boss, "rewards", "grant", str(reward)))
    (row,) = tg.json("--db", boss, "rewards", "list", "--referrer", str(ids["b1"]), "-f", "json")
    assert (row["status"], row["granted_by"]) == ("granted", r["boss"])


def test_a_rep_mends_and_undoes_their_own_clients_only(tg, line):
    url, r, ids = line
    B = as_role(url, r["b"])
    aid = ok(tg("--db", B, "log", str(ids["b1"]), "called", "--type", "call")).stdout.strip()
    ok(tg("--db", B, "log", "edit", aid, "--text", "called twice"))
    ok(tg("--db", B, "log", "rm", aid, "--yes"))
    ok(tg("--db", B, "undo"))  # the removal, from B's own audit rows
    ok(tg("--db", B, "undo"))  # the edit
    shown = tg.json("--db", B, "clients", "show", str(ids["b1"]), "-f", "json")
    assert [a["text"] for a in shown["activities"]] == ["called"]
    # A cannot see B's log entry, so cannot remove it; nor undo B's changes
    A = as_role(url, r["a"])
    r1 = tg("--db", A, "log", "rm", aid, "--yes")
    assert r1.exit_code == 1 and f"no log entry '{aid}'" in r1.stderr
    r2 = tg("--db", A, "undo")
    assert "restored" not in r2.stderr and "Traceback" not in r2.output
