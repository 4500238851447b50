"""Sales targets: months and amounts, the standings, tg targets set and tg report targets in every
format, the bad inputs, the migration from 0008, and a rep's role on PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from tuangou_cli import targets as t
from tuangou_cli.errors import UsageError

TODAY = "2027-01-10"


# --- pure ------------------------------------------------------------------------------------


def test_months_quarters_and_bounds():
    assert t.parse_month("2027-01") == "2027-01"
    assert t.parse_month(" 2027-1 ") == "2027-01"
    assert t.parse_quarter("2027-q4") == "2027Q4"
    assert t.months_of("2027Q4") == ["2027-10", "2027-11", "2027-12"]
    assert t.bounds("2027-12") == (date(2027, 12, 1), date(2028, 1, 1))
    assert t.bounds("2027Q1") == (date(2027, 1, 1), date(2027, 4, 1))
    assert t.is_past("2026-12", date(2027, 1, 1)) and not t.is_past("2027-01", date(2027, 1, 31))
    for bad in ("2027-13", "2027-00", "27-01", "2027/01", "January", ""):
        with pytest.raises(UsageError, match="not a month"):
            t.parse_month(bad)
    with pytest.raises(UsageError, match="not a quarter"):
        t.parse_quarter("2027Q5")


def test_amounts_as_people_write_them():
    assert t.amount_fen("500000") == 50_000_000
    assert t.amount_fen("50万") == 50_000_000
    assert t.amount_fen("¥1,234.56") == 123_456
    for bad in ("0", "-5", "abc", "三百来", "1e20"):
        with pytest.raises(UsageError, match="not a target amount"):
            t.amount_fen(bad)


def test_standings_rank_by_per_cent_then_amount_and_keep_untargeted_sellers():
    rows = t.standings({"li": 100_00, "wang": 200_00, "zhao": 100_00}, {"li": 150_00, "wang": 100_00, "sun": 5_00})
    assert [(s.rank, s.rep, s.percent, s.gap_fen) for s in rows] == [
        (1, "li", 150.0, 0), (2, "wang", 50.0, 100_00), (3, "zhao", 0.0, 100_00), (None, "sun", None, None)]
    team = t.team_standing(None, rows, 255_00)
    assert (team.target_fen, team.percent) == (400_00, 63.8)
    unknown = t.standings({"li": 100_00}, None)
    assert [(s.rank, s.actual_fen, s.percent) for s in unknown] == [(None, None, None)]


# --- the commands ------------------------------------------------------------------------------


def ok(tg, *args):
    r = tg(*args)
    assert r.exit_code == 0, r.stderr
    return r


def won_deal(tg, testdb, client: str, owner: str, amount: float, closed: str) -> None:
    """A deal won by ``owner`` on the day ``closed`` (the time of the win set in the database)."""
    from datetime import datetime, timezone

    from tuangou_cli.models import Deal

    r = tg("clients", "add", "--owner", owner, "--", client)
    assert r.exit_code == 0, r.stderr
    did = ok(tg, "deals", "add", r.stdout.strip(), "--bundle", "ergonomic_desk", "--amount", str(amount),
             "--qty", "1").stdout.strip()
    ok(tg, "deals", "won", did)
    with testdb.session() as s:
        deal = s.get(Deal, int(did.lstrip("#")))
        deal.created_by, deal.closed_at = owner, datetime.fromisoformat(closed).replace(hour=10, tzinfo=timezone.utc)
        s.add(deal)
        s.commit()


@pytest.fixture
def month(monkeypatch):
    monkeypatch.setenv("TG_TODAY", TODAY)


def test_set_and_report_a_month_in_every_format(tg, testdb, month, tmp_path):
    won_deal(tg, testdb, "A公司", "li", 60000, "2027-01-05")
    won_deal(tg, testdb, "B公司", "wang", 30000, "2027-01-06")
    won_deal(tg, testdb, "C公司", "wang", 99999, "2026-12-31")  # last month: not counted
    r = ok(tg, "targets", "set", "li", "--month", "2027-01", "--amount", "5万")
    assert "li's target for 2027-01 (won deals): ¥50,000.00" in r.stderr
    ok(tg, "targets", "set", "wang", "--month", "2027-01", "--amount", "100000")
    r = ok(tg, "targets", "set", "wang", "--month", "2027-01", "--amount", "60000")
    assert "(was ¥100,000.00)" in r.stderr
    assert testdb.count("sales_target") == 2

    report = tg.json("report", "targets", "--month", "2027-01", "-f", "json")
    assert [(x["rank"], x["rep"], x["target"], x["actual"], x["percent"], x["gap"]) for x in report["reps"]] == [
        (1, "li", 50000.0, 60000.0, 120.0, 0.0), (2, "wang", 60000.0, 30000.0, 50.0, 30000.0)]
    assert (report["team"]["target"], report["team"]["actual"], report["team_target_set"]) == (110000.0, 90000.0, False)

    ok(tg, "targets", "set", "team", "--month", "2027-01", "--amount", "200000")
    table = ok(tg, "report", "targets").stdout  # this month by default
    assert "Targets · 2027-01 · won deals" in table
    assert [line.split()[:2] for line in table.splitlines()[3:5]] == [["1", "li"], ["2", "wang"]]
    assert "¥200,000.00" in table and "45.0%" in table

    rows = list(csv.DictReader(io.StringIO(ok(tg, "report", "targets", "-f", "csv").stdout)))
    assert [(x["rank"], x["rep"], x["percent"]) for x in rows] == [("1", "li", "120"), ("2", "wang", "50"),
                                                                   ("", "team", "45")]
    lines = ok(tg, "report", "targets", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["rep"] for line in lines] == ["li", "wang", "team"]
    out = tmp_path / "targets.xlsx"
    out.write_bytes(ok(tg, "report", "targets", "-f", "xlsx").stdout_bytes)
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["rank", "rep"] and values[1][1] == "li" and values[3][1] == "team"


def test_a_quarter_sums_its_months(tg, testdb, month):
    won_deal(tg, testdb, "A公司", "li", 10000, "2027-01-05")
    won_deal(tg, testdb, "B公司", "li", 20000, "2027-03-20")
    won_deal(tg, testdb, "C公司", "li", 40000, "2027-04-01")  # next quarter
    ok(tg, "targets", "set", "li", "--month", "2027-01", "--amount", "10000")
    ok(tg, "targets", "set", "li", "--month", "2027-03", "--amount", "30000")
    report = tg.json("report", "targets", "--quarter", "2027Q1", "-f", "json")
    assert report["months"] == ["2027-01", "2027-02", "2027-03"]
    assert [(x["target"], x["actual"], x["percent"]) for x in report["reps"]] == [(40000.0, 30000.0, 75.0)]


def test_collected_counts_the_money_received_in_the_month(tg, testdb, month, monkeypatch):
    from .orderkit import client

    monkeypatch.setenv("TG_USER", "li")
    cid = client(tg, "A医院")
    oid = int(ok(tg, "order", "add", str(cid), "--bundle", "mid_autumn_box").stdout)
    ok(tg, "targets", "set", "li", "--month", "2027-01", "--amount", "10000", "--on", "collected")
    ok(tg, "payment", "add", str(oid), "6000", "--date", "2027-01-08")
    ok(tg, "payment", "add", str(oid), "1000", "--date", "2026-12-30")  # last month: not this one's
    data = tg.json("report", "targets", "--month", "2027-01", "--on", "collected", "-f", "json")
    assert data["actuals_known"] is True
    assert [(x["rep"], x["target"], x["actual"], x["percent"]) for x in data["reps"]] == [("li", 10000.0, 6000.0, 60.0)]
    won = tg.json("report", "targets", "--month", "2027-01", "-f", "json")["reps"]
    assert all(x["target"] in (None, 0, 0.0) for x in won), "targets on collected money are not targets on wins"


def test_bad_inputs_are_one_line_and_write_nothing(tg, testdb, month):
    ok(tg, "clients", "add", "--owner", "li", "--", "A公司")
    cases = [
        (["targets", "set", "li", "--month", "2026-12", "--amount", "1000"], 2, "2026-12 is over"),
        (["targets", "set", "nobody", "--month", "2027-02", "--amount", "1000"], 1, "no user 'nobody'"),
        (["targets", "set", "li", "--month", "2027-13", "--amount", "1000"], 2, "'2027-13' is not a month"),
        (["targets", "set", "li", "--month", "2027-02", "--amount", "lots"], 2, "'lots' is not a target amount"),
        (["targets", "set", "  ", "--month", "2027-02", "--amount", "1"], 2, "is not a user name"),
        (["report", "targets", "--month", "2027-1x"], 2, "not a month"),
        (["report", "targets", "--month", "2027-01", "--quarter", "2027Q1"], 2, "not both"),
    ]
    for args, code, message in cases:
        r = tg(*args)
        assert r.exit_code == code, (args, r.stderr)
        assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "Traceback" not in r.output
    assert testdb.count("sales_target") == 0
    r = ok(tg, "targets", "set", "li", "--month", "2026-12", "--amount", "1000", "--force")
    assert "2026-12 is over" in r.stderr
    ok(tg, "targets", "set", "newbie", "--month", "2027-02", "--amount", "1000", "--new-user")
    assert testdb.count("sales_target") == 2


def test_targets_in_chinese(tg, testdb, month):
    ok(tg, "clients", "add", "--owner", "li", "--", "A公司")
    r = ok(tg, "--lang", "zh", "targets", "set", "team", "--month", "2027-01", "--amount", "10万")
    assert "全队 2027-01 的目标（成交额）：¥100,000.00" in r.stderr
    assert "目标完成情况 · 2027-01" in ok(tg, "--lang", "zh", "report", "targets").stdout


@pytest.mark.fresh_db
def test_upgrade_from_0008_keeps_data_and_adds_the_table(tg, testdb, db_url):
    from sqlalchemy import create_engine, inspect, text

    from tuangou_cli import migrations

    engine = create_engine(db_url)
    with engine.begin() as conn:
        migrations.upgrade(conn, "0008")
        conn.execute(text("INSERT INTO client (name, name_key, stage, created_at, updated_at, created_by, updated_by)"
                          " VALUES ('老客户', '老客户', 'lead', '2026-01-01', '2026-01-01', 'li', 'li')"))
    with engine.connect() as conn:
        assert not inspect(conn).has_table("sales_target")
    engine.dispose()
    ok(tg, "db", "upgrade")
    assert testdb.scalar("SELECT version_num FROM alembic_version") == migrations.HEAD
    assert testdb.scalar("SELECT name FROM client") == "老客户"
    ok(tg, "targets", "set", "li", "--month", "2099-01", "--amount", "1")
    assert testdb.count("sales_target") == 1


@pytest.mark.postgresql_only("a rep's role and its grants are PostgreSQL's")
def test_a_rep_reads_targets_but_only_a_manager_sets_them(tg, testdb):
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import ProgrammingError

    from .pgutil import pg_schema, pg_url
    from .test_rls import as_role

    tag = uuid.uuid4().hex[:8]
    roles = {k: f"tgt_{tag}_{k}" for k in ("a", "boss", "rep", "mgr")}
    admin = create_engine(pg_url())
    try:
        with pg_schema() as url:
            groups = ["--rep-group", roles["rep"], "--manager-group", roles["mgr"]]
            ok(tg, "--db", url, "db", "setup-rls", "--rep", roles["a"], "--manager", roles["boss"], *groups)
            boss = tg("--db", as_role(url, roles["boss"]), "targets", "set", roles["a"], "--month", "2099-01",
                      "--amount", "1000", "--new-user")
            assert boss.exit_code == 0, boss.stderr
            rep = as_role(url, roles["a"])
            seen = tg("--db", rep, "report", "targets", "--month", "2099-01", "-f", "json")
            assert seen.exit_code == 0, seen.stderr
            assert [x["rep"] for x in json.loads(seen.stdout)["reps"]] == [roles["a"]]
            denied = tg("--db", rep, "targets", "set", roles["a"], "--month", "2099-01", "--amount", "1")
            assert denied.exit_code == 1 and "Traceback" not in denied.output
            engine = create_engine(rep)
            with pytest.raises(ProgrammingError, match="permission denied"):
                with engine.begin() as conn:
                    conn.execute(text("UPDATE sales_target SET amount_fen = 1"))
            engine.dispose()
    finally:
        with admin.begin() as conn:
            for role in roles.values():
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()
