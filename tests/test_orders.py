"""Orders: made by `tg quote accept` or `tg order add` as the client's won deal, the packing list
per department from the client's spreadsheet, deliveries, seasonal reorders and retention, the
migration that adds the tables; each bad input one line with nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from tuangou_cli import orders as core
from tuangou_cli.errors import TgError, UsageError

from .orderkit import DEPARTMENTS, client, ok, one_line_error, order, write_departments

# --- the pure part ---------------------------------------------------------------------------------


def test_counts_are_headcount_times_items_per_head_and_must_add_up():
    items = [core.Item("BOX", "礼盒", 300), core.Item("CARD", "贺卡", 600)]
    depts = [core.Department(n, i + 2, h) for i, (n, h) in enumerate(DEPARTMENTS)]
    rows = core.packing(items, depts, {})
    assert sum(r[3] for r in rows if r[2] == "BOX") == 300
    assert [r[3] for r in rows if r[0] == "护理部"] == [95, 190]  # 2 cards a head, derived from 600 / 300
    with pytest.raises(TgError, match="does not match"):
        core.packing(items, depts, {"CARD": 1})
    depts[0].counts["BOX"] = 17  # a count given per item wins over the headcount
    with pytest.raises(TgError, match="BOX packs 299"):
        core.packing(items, depts, {})


def test_an_uneven_quantity_needs_items_per_head():
    items = [core.Item("BOX", "礼盒", 301)]
    depts = [core.Department("a", 2, 100), core.Department("b", 3, 200)]
    with pytest.raises(TgError, match="--per-head BOX=N"):
        core.packing(items, depts, {})
    with pytest.raises(TgError, match="twice"):
        core.packing(items, [core.Department("a", 2, 1), core.Department("a", 3, 1)], {})


def test_plans_buckets_allocation_and_earned_shares():
    assert core.check_plan([(500, date(2026, 2, 1)), (500, date(2026, 1, 1))], 1000)[0][1] == date(2026, 1, 1)
    with pytest.raises(TgError, match="apart"):
        core.check_plan([(500, date(2026, 1, 1))], 1000)
    with pytest.raises(UsageError):
        core.check_plan([(500, date(2026, 1, 1)), (500, date(2026, 1, 1))], 1000)
    dues = core.allocate([(600, date(2026, 1, 1)), (400, date(2026, 2, 1))], 700)
    assert [(d.paid, d.open) for d in dues] == [(600, 0), (100, 300)]
    assert [core.bucket(d) for d in (-1, 0, 30, 31, 60, 61, 90, 91)] == [
        "not_due", "d0_30", "d0_30", "d31_60", "d31_60", "d61_90", "d61_90", "d90_plus"]
    assert core.earned_share(110544, 1842400, 3684800) == 55272
    assert core.earned_share(100, 0, 1000) == 0 and core.earned_share(100, 2000, 1000) == 100
    assert core.parse_instalment("45,000.50@2026-12-31") == (4500050, date(2026, 12, 31))
    for bad in ("45000", "0@2026-01-01", "-5@2026-01-01", "1.001@2026-01-01", "100@someday"):
        with pytest.raises(UsageError):
            core.parse_instalment(bad)


def test_season_windows():
    dates = {2025: date(2025, 10, 6), 2026: date(2026, 9, 25), 2027: date(2027, 9, 15)}
    assert core.festival_for(dates, date(2026, 9, 1)) == date(2026, 9, 25)
    assert core.open_window(dates, 56, date(2026, 7, 31)) == (date(2026, 9, 25), date(2025, 10, 6))
    assert core.open_window(dates, 56, date(2026, 7, 30)) is None  # 57 days before: not open yet
    assert core.open_window(dates, 56, date(2026, 9, 26)) is None
    assert core.current_and_previous(dates, 56, date(2026, 12, 1)) == (date(2026, 9, 25), date(2025, 10, 6))


# --- orders ----------------------------------------------------------------------------------------


def test_accept_makes_the_order_as_the_won_deal(tg, testdb, monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2026-09-01")
    cid = client(tg)
    oid = order(tg, cid, "--delivery", "2026-09-15", "--occasion", "mid_autumn")
    shown = tg.json("order", "show", str(oid), "--format", "json")
    [(status, amount)] = testdb.rows("select status, amount from deal")
    assert status == "won" and f"{amount:.2f}" == shown["total"]
    assert shown["delivery_date"] == "2026-09-15" and shown["address"] == "杭州市某路 1 号"
    assert shown["lines"][0]["quantity"] == 300 and shown["occasion"] == "mid_autumn"
    [row] = tg.json("order", "list", "--format", "json")
    assert row["owed"] == shown["total"] and row["collected"] == "0.00"


def test_order_add_wins_the_clients_open_deal(tg, testdb):
    cid = client(tg)
    ok(tg, "deals", "add", str(cid), "--bundle", "mid_autumn_box", "--qty", "20")
    oid = int(ok(tg, "order", "add", str(cid), "--bundle", "mid_autumn_box").stdout)
    assert testdb.rows("select count(*), min(status) from deal") == [(1, "won")]
    assert testdb.scalar("select deal_id from sales_order where id = :i", i=oid) == testdb.scalar("select id from deal")


def test_an_expired_quote_makes_no_order(tg, testdb, monkeypatch):
    cid = client(tg)
    monkeypatch.setenv("TG_TODAY", "2026-09-01")
    number = ok(tg, "quote", str(cid), "--bundle", "mid_autumn_box", "--valid-days", "5").stdout.split()[0]
    monkeypatch.setenv("TG_TODAY", "2026-09-10")
    assert "expired" in one_line_error(tg("quote", "accept", number))
    assert testdb.count("sales_order") == 0 and testdb.count("deal") == 0


def test_bad_order_inputs_are_one_line(tg, testdb, monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2026-09-01")
    cid = client(tg)
    assert "no order 99" in one_line_error(tg("order", "show", "99"))
    assert "no order" in one_line_error(tg("payment", "add", "abc", "100"))
    number = ok(tg, "quote", str(cid), "--bundle", "mid_autumn_box").stdout.split()[0]
    assert "in the past" in one_line_error(tg("quote", "accept", number, "--delivery", "2026-08-01"))
    assert "unknown occasion" in one_line_error(tg("quote", "accept", number, "--occasion", "xmas"), 2)
    assert "not a date" in one_line_error(tg("quote", "accept", number, "--delivery", "soon"), 2)
    assert testdb.count("sales_order") == 0 and testdb.count("deal") == 0


# --- the packing list -------------------------------------------------------------------------------


def test_a_300_person_order_packed_over_8_departments(tg, testdb, tmp_path):
    cid = client(tg)
    oid = order(tg, cid)
    sheet = tmp_path / "departments.xlsx"
    write_departments(sheet, DEPARTMENTS)
    r = ok(tg, "order", "packing", str(oid), "--import", str(sheet))
    assert "8 departments, 300 people: mid_autumn_box×300" in r.stderr
    assert testdb.rows("select department, count from packing_line where department = '护理部'") == [("护理部", 95)]
    out = tmp_path / "warehouse.xlsx"
    ok(tg, "order", "packing", str(oid), "--export", str(out))
    from tuangou_cli.tables import open_table

    with open_table(out) as table:
        rows = [cells for _, cells in table.rows()]
    assert table.headers[0] == "department" or table.headers[0] == "部门"
    assert [c[:3] for c in rows[:2]] == [["院办", "18", "18"], ["医务处", "22", "22"]]
    assert rows[-1][1:3] == ["300", "300"]
    csv = ok(tg, "order", "packing", str(oid), "--format", "csv").stdout
    assert csv.splitlines()[0].startswith("department,headcount,mid_autumn_box")


def test_counts_per_item_from_a_csv(tg, testdb, tmp_path):
    cid = client(tg, headcount=40)
    oid = int(ok(tg, "order", "add", str(cid), "--item", "mid_autumn_box=40").stdout)
    sheet = tmp_path / "d.csv"
    sheet.write_text("科室,mid_autumn_box\n一科,25\n二科,十五\n", encoding="utf-8")  # a Chinese numeral too
    ok(tg, "order", "packing", str(oid), "--import", str(sheet))
    assert testdb.rows("select department, count from packing_line order by id") == [("一科", 25), ("二科", 15)]


def test_a_packing_list_that_does_not_match_the_order_is_refused(tg, testdb, tmp_path):
    cid = client(tg)
    oid = order(tg, cid)
    sheet = tmp_path / "d.xlsx"
    write_departments(sheet, DEPARTMENTS[:-1])  # 288 people for 300 sets
    assert "does not divide" in one_line_error(tg("order", "packing", str(oid), "--import", str(sheet)))
    assert "does not match" in one_line_error(tg("order", "packing", str(oid), "--import", str(sheet),
                                                 "--per-head", "mid_autumn_box=1"))
    write_departments(sheet, [("一科", "abc")])
    assert "line 2" in one_line_error(tg("order", "packing", str(oid), "--import", str(sheet)))
    write_departments(sheet, [("一科", 1)], headers=("名称", "人数"))
    assert "no department column" in one_line_error(tg("order", "packing", str(oid), "--import", str(sheet)))
    assert "has no item" in one_line_error(tg("order", "packing", str(oid), "--import", str(sheet), "--per-head",
                                              "NOPE=1"), 2)
    assert testdb.count("packing_line") == 0


def test_delivery_per_department(tg, testdb, tmp_path):
    cid = client(tg)
    oid = order(tg, cid)
    sheet = tmp_path / "d.xlsx"
    write_departments(sheet, DEPARTMENTS)
    assert "no packing list" in one_line_error(tg("order", "deliver", str(oid), "--dept", "内科", "--status", "packed"))
    ok(tg, "order", "packing", str(oid), "--import", str(sheet))
    ok(tg, "order", "deliver", str(oid), "--dept", "内科", "--status", "packed")
    assert "signed needs who" in one_line_error(tg("order", "deliver", str(oid), "--dept", "内科", "--status", "signed"))
    r = ok(tg, "order", "deliver", str(oid), "--dept", "内科", "--status", "signed", "--by", "王护士长")
    assert "7 departments not yet signed" in r.stderr
    assert "cannot go back" in one_line_error(tg("order", "deliver", str(oid), "--dept", "内科", "--status",
                                                 "delivered"))
    assert "内科" in one_line_error(tg("order", "deliver", str(oid), "--dept", "内 科", "--status", "packed"))
    assert testdb.count("delivery_event") == 2
    [dept] = [p for p in tg.json("order", "show", str(oid), "--format", "json")["packing"] if p["department"] == "内科"]
    assert (dept["status"], dept["by"]) == ("signed", "王护士长")
    assert "being packed" in one_line_error(tg("order", "packing", str(oid), "--import", str(sheet)))


# --- seasons ---------------------------------------------------------------------------------------


def test_last_seasons_buyers_get_a_reorder_reminder_and_retention_counts_them(tg, testdb, monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2026-09-01")
    a, b = client(tg), client(tg, "杭州某银行")
    oa, _ = order(tg, a, "--occasion", "mid_autumn"), order(tg, b, "--occasion", "mid_autumn")
    monkeypatch.setenv("TG_TODAY", "2027-07-01")  # before the 2027 window (8 weeks before 2027-09-15)
    assert tg.json("agenda", "--format", "json")["reorders"] == []
    monkeypatch.setenv("TG_TODAY", "2027-08-01")
    reorders = tg.json("agenda", "--format", "json")["reorders"]
    assert [(r["client_id"], r["last_order"]) for r in reorders] == [(a, oa), (b, oa + 1)]
    assert "Mid-Autumn reunion box×300" in reorders[0]["next_action"] and reorders[0]["festival"] == "2027-09-15"
    assert "Seasonal reorders" in ok(tg, "agenda").stdout
    ok(tg, "order", "add", str(a), "--bundle", "mid_autumn_box", "--occasion", "mid_autumn")
    assert [r["client_id"] for r in tg.json("agenda", "--format", "json")["reorders"]] == [b]
    rows = tg.json("report", "retention", "--format", "json")
    assert [(r["client_id"], r["status"]) for r in rows["rows"]] == [(a, "kept"), (b, "not_yet")]
    assert rows["summary"]["kept"] == 1 and rows["summary"]["revenue_kept"] == rows["rows"][0]["revenue"]
    monkeypatch.setenv("TG_TODAY", "2027-10-01")
    assert [r["status"] for r in tg.json("report", "retention", "--format", "json")["rows"]] == ["kept", "lost"]
    assert "kept 1, lost 1" in ok(tg, "report", "retention").stderr
    assert "no season" in one_line_error(tg("report", "retention", "--occasion", "xmas"), 2)


def test_a_season_without_two_years_is_refused_with_its_line():
    from tuangou_cli.playbook import parse_playbook
    from pathlib import Path

    text = Path(__file__).resolve().parents[1].joinpath("playbooks.yaml").read_text(encoding="utf-8")
    bad = text.replace("dates: {2025: 2025-01-29, 2026: 2026-02-17, 2027: 2027-02-06, 2028: 2028-01-26}",
                       "dates: {2025: 2026-01-29}")
    from tuangou_cli.errors import PlaybookInvalid

    with pytest.raises(PlaybookInvalid) as caught:
        parse_playbook(bad)
    [detail] = caught.value.details
    assert "orders.seasons[1].dates: the 2025 date 2026-01-29 is not in 2025" in detail and ".yaml:" in detail


# --- the migration -----------------------------------------------------------------------------------


def test_the_upgrade_from_0008_keeps_data(tmp_path):
    import sqlite3

    from sqlalchemy import create_engine

    from tuangou_cli.migrations import HEAD, upgrade

    db = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        upgrade(conn, "0008")
        conn.exec_driver_sql("INSERT INTO client (name, name_key, stage, created_at, updated_at, created_by, "
                             "updated_by) VALUES ('老客户', '老客户', 'lead', '2026-01-01', '2026-01-01', 'a', 'a')")
        conn.exec_driver_sql("INSERT INTO billing_info (client_id, title, kind, updated_at, updated_by) "
                             "VALUES (1, '老客户', 'normal', '2026-01-01', 'a')")
    with engine.begin() as conn:
        upgrade(conn)
    engine.dispose()
    with sqlite3.connect(db) as raw:
        assert raw.execute("select name from client").fetchall() == [("老客户",)]
        assert raw.execute("select title from billing_info").fetchall() == [("老客户",)]
        assert raw.execute("select version_num from alembic_version").fetchall() == [(HEAD,)] == [("0011",)]
        tables = {r[0] for r in raw.execute("select name from sqlite_master where type = 'table'")}
    assert {"sales_order", "order_line", "packing_line", "delivery_event", "invoice", "instalment", "payment",
            "earning"} <= tables


@pytest.mark.postgresql_only("the PostgreSQL upgrade")
def test_the_upgrade_from_0008_keeps_data_on_postgresql(testdb):
    from sqlalchemy import create_engine, text

    from tuangou_cli.migrations import upgrade

    from .pgutil import pg_schema

    with pg_schema() as url:
        engine = create_engine(url)
        with engine.begin() as conn:
            upgrade(conn, "0008")
            conn.execute(text("INSERT INTO client (name, name_key, stage, created_at, updated_at, created_by, "
                              "updated_by) VALUES ('老客户', '老客户', 'lead', now(), now(), 'a', 'a')"))
        with engine.begin() as conn:
            upgrade(conn)
        with engine.begin() as conn:
            assert conn.execute(text("select name from client")).scalar() == "老客户"
            assert conn.execute(text("select version_num from alembic_version")).scalar() == "0011"
            assert conn.execute(text("select count(*) from sales_order")).scalar() == 0
        engine.dispose()


# --- a team on PostgreSQL -------------------------------------------------------------------------

from .test_rls import as_role, team  # noqa: E402,F401 (the fixture: throwaway roles and schema)


@pytest.mark.postgresql_only("row-level security is PostgreSQL's")
def test_a_rep_works_their_own_orders_and_sees_no_one_elses(tg, team, monkeypatch, tmp_path):
    url, r = team
    groups = ["--rep-group", r["rep"], "--manager-group", r["mgr"]]
    ok(tg, "--db", url, "db", "setup-rls", "--rep", r["a"], "--rep", r["b"], "--manager", r["boss"], *groups)
    monkeypatch.delenv("TG_USER")
    A, B = as_role(url, r["a"]), as_role(url, r["b"])
    cid = int(ok(tg, "--db", A, "clients", "add", "--headcount", "300", "--segment", "welfare", "--", "市医院").stdout)
    ok(tg, "--db", A, "invoice", "info", str(cid), "--title", "市医院")
    oid = int(ok(tg, "--db", A, "order", "add", str(cid), "--bundle", "mid_autumn_box").stdout)
    sheet = tmp_path / "d.xlsx"
    write_departments(sheet, DEPARTMENTS)
    ok(tg, "--db", A, "order", "packing", str(oid), "--import", str(sheet))
    ok(tg, "--db", A, "order", "deliver", str(oid), "--dept", "内科", "--status", "packed")
    ok(tg, "--db", A, "invoice", "request", str(oid), "--amount", "1000")
    ok(tg, "--db", A, "payment", "plan", str(oid), "--instalment", "55272@2026-12-31")
    ok(tg, "--db", A, "payment", "add", str(oid), "1000")
    assert [o["id"] for o in tg.json("--db", A, "order", "list", "--format", "json")] == [oid]
    assert tg.json("--db", B, "order", "list", "--format", "json") == []
    assert tg.json("--db", B, "invoice", "list", "--format", "json") == []
    assert "no order" in one_line_error(tg("--db", B, "payment", "add", str(oid), "1"))
    assert tg.json("--db", as_role(url, r["boss"]), "order", "list", "--format", "json")[0]["collected"] == "1000.00"


def test_an_order_for_a_deal_won_already_is_that_deals(tg, testdb):
    cid = client(tg)
    deal = ok(tg, "deals", "add", str(cid), "--bundle", "mid_autumn_box", "--qty", "300").stdout.strip()
    ok(tg, "deals", "won", deal)
    other = ok(tg, "deals", "add", str(cid), "--bundle", "mid_autumn_box", "--qty", "20").stdout.strip()
    assert "no won deal" in one_line_error(tg("order", "add", str(cid), "--bundle", "mid_autumn_box", "--deal", other))
    assert "must agree" in one_line_error(tg("order", "add", str(cid), "--item", "mid_autumn_box=20", "--deal", deal))
    oid = int(ok(tg, "order", "add", str(cid), "--bundle", "mid_autumn_box", "--deal", deal).stdout)
    assert testdb.rows("select count(*) from deal where status = 'won'") == [(1,)]
    assert str(testdb.scalar("select deal_id from sales_order where id = :i", i=oid)) == deal
    assert "has order" in one_line_error(tg("order", "add", str(cid), "--bundle", "mid_autumn_box", "--deal", deal))
    assert testdb.count("sales_order") == 1
