"""Receivables: the payment plan, payments and refunds, overdue instalments in the agenda, the
aging report, and referral rewards and stage credit earned on money collected."""

from __future__ import annotations

import pytest

from .orderkit import client, ok, one_line_error, order, total


def _order(tg, monkeypatch, **kw) -> tuple[int, float]:
    monkeypatch.setenv("TG_TODAY", "2026-09-01")
    cid = client(tg, **kw)
    oid = order(tg, cid, "--delivery", "2026-09-15")
    return oid, float(total(tg, oid))


def test_a_plan_must_sum_to_the_order(tg, testdb, monkeypatch):
    oid, whole = _order(tg, monkeypatch)
    assert whole == 55272.0
    err = one_line_error(tg("payment", "plan", str(oid), "--instalment", "30000@2026-09-20",
                            "--instalment", "25000@2026-10-31"))
    assert "¥272.00 apart" in err
    assert "AMOUNT@DATE" in one_line_error(tg("payment", "plan", str(oid), "--instalment", "30000"), 2)
    assert testdb.count("instalment") == 0
    ok(tg, "payment", "plan", str(oid), "--instalment", "30000@2026-09-20", "--instalment", "25272@2026-10-31")
    ok(tg, "payment", "plan", str(oid), "--instalment", "55272@2026-10-31")  # a new plan replaces it
    assert testdb.rows("select position, amount_fen from instalment") == [(1, 5527200)]


def test_payments_above_what_is_owed_are_refused(tg, testdb, monkeypatch):
    oid, whole = _order(tg, monkeypatch)
    assert "more than order" in one_line_error(tg("payment", "add", str(oid), f"{whole + 1:.2f}"))
    ok(tg, "payment", "add", str(oid), "50000", "--method", "转账")
    assert "owes (¥5,272.00)" in one_line_error(tg("payment", "add", str(oid), "5272.01"))
    assert "more than order" in one_line_error(tg("payment", "refund", str(oid), "50000.01", "--reason", "x"))
    assert "future" in one_line_error(tg("payment", "add", str(oid), "1", "--date", "2026-09-02"), 2)
    assert testdb.rows("select amount_fen, method from payment") == [(5000000, "转账")]
    ok(tg, "payment", "add", str(oid), "5272")
    shown = tg.json("payment", "show", str(oid), "--format", "json")
    assert (shown["collected"], shown["owed"]) == ("55272.00", "0.00")


def test_an_overdue_instalment_shows_in_the_agenda_and_the_aging(tg, testdb, monkeypatch):
    oid, _ = _order(tg, monkeypatch)
    ok(tg, "payment", "plan", str(oid), "--instalment", "30000@2026-09-20", "--instalment", "25272@2026-10-31")
    ok(tg, "payment", "add", str(oid), "20000")
    monkeypatch.setenv("TG_TODAY", "2026-10-10")
    [item] = tg.json("agenda", "--format", "json")["receivables"]
    assert (item["id"], item["instalment"], item["open"], item["days"]) == (oid, 1, "10000.00", 20)
    assert "Overdue instalments" in ok(tg, "agenda").stdout
    assert "overdue_payment" in ok(tg, "agenda", "--format", "csv").stdout
    [row] = tg.json("report", "receivables", "--format", "json")
    assert (row["open"], row["not_due"], row["d0_30"]) == (35272.0, 25272.0, 10000.0)
    monkeypatch.setenv("TG_TODAY", "2027-02-01")  # 134 and 93 days late
    [row] = tg.json("report", "receivables", "--by", "owner", "--format", "json")
    assert (row["d90_plus"], row["d0_30"], row["orders"]) == (35272.0, 0.0, 1)
    [row] = tg.json("report", "receivables", "--by", "segment", "--format", "json")
    assert row["segment"] == "welfare"
    table = ok(tg, "report", "receivables").stdout
    assert "90+ days" in table and "¥35,272.00" in table


def test_the_aging_report_in_xlsx(tg, testdb, monkeypatch, tmp_path):
    oid, _ = _order(tg, monkeypatch)
    ok(tg, "payment", "plan", str(oid), "--instalment", "30000@2026-09-20", "--instalment", "25272@2026-10-31")
    monkeypatch.setenv("TG_TODAY", "2026-11-25")
    data = tg("report", "receivables", "--format", "xlsx").stdout_bytes
    out = tmp_path / "aging.xlsx"
    out.write_bytes(data)
    from tuangou_cli.tables import open_table

    with open_table(out) as table:
        assert table.headers == ["client_id", "client", "orders", "open", "not_due", "d0_30", "d31_60", "d61_90",
                                 "d90_plus"]
        [(_, cells)] = list(table.rows())
    assert cells[1] == "杭州市某医院" and float(cells[5]) == 25272 and float(cells[7]) == 30000


@pytest.fixture
def referred(tg, monkeypatch):
    """A company introduced a bank under the cash-collected commission; the bank's order."""
    monkeypatch.setenv("TG_TODAY", "2026-09-01")
    referrer = client(tg, "杭州某电子科技有限公司", industry="制造业")
    bank = client(tg, "杭州某保险公司", headcount=200)
    ok(tg, "refer", str(referrer), str(bank), "--rule", "cash_commission", "--yes")
    oid = int(ok(tg, "order", "add", str(bank), "--bundle", "mid_autumn_box").stdout)
    return oid


def test_a_reward_on_collected_cash_earns_in_proportion_and_refunds_reverse_it(tg, testdb, referred):
    oid = referred
    [(rid, amount, status)] = testdb.rows("select id, amount, status from reward")
    assert status == "pending" and amount == pytest.approx(1105.44)  # 3% of ¥36,848, not yet earned
    r = ok(tg, "payment", "add", str(oid), "18424")  # half the order
    assert "earned ¥552.72" in r.stderr
    ok(tg, "payment", "refund", str(oid), "5000", "--reason", "退货")
    assert testdb.rows("select amount_fen from earning order by id") == [(55272,), (-15000,)]
    assert testdb.scalar("select status from reward") == "pending"
    ok(tg, "payment", "add", str(oid), "23424")
    assert testdb.rows("select amount_fen from earning order by id") == [(55272,), (-15000,), (70272,)]
    assert testdb.scalar("select sum(amount_fen) from earning") == 110544
    assert testdb.scalar("select status from reward") == "due"
    ok(tg, "payment", "refund", str(oid), "1000", "--reason", "少送一箱")
    assert testdb.scalar("select status from reward") == "pending"  # no longer fully earned
    assert testdb.scalar("select count(*) from reward") == 1  # the ledger moves, the reward row is not re-booked
    earnings = tg.json("order", "show", str(oid), "--format", "json")["earnings"]
    assert [e["amount"] for e in earnings] == ["552.72", "-150.00", "702.72", "-30.00"]


def test_a_reward_on_won_falls_due_at_once(tg, testdb, monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2026-09-01")
    referrer = client(tg, "杭州某电子科技有限公司", industry="制造业")
    bank = client(tg, "杭州某保险公司", headcount=200)
    ok(tg, "refer", str(referrer), str(bank), "--rule", "commission", "--yes")
    oid = int(ok(tg, "order", "add", str(bank), "--bundle", "mid_autumn_box").stdout)
    assert testdb.scalar("select status from reward") == "due"
    ok(tg, "payment", "add", str(oid), "100")
    assert testdb.count("earning") == 0


def test_stage_credit_on_money_collected(tg, testdb, monkeypatch, tmp_path):
    from pathlib import Path

    text = Path(__file__).resolve().parents[1].joinpath("playbooks.yaml").read_text(encoding="utf-8")
    book = tmp_path / "pb.yaml"
    book.write_text(text.replace("  credit_on: won\n", "  credit_on: collected\n"), encoding="utf-8")
    oid, _ = _order(tg, monkeypatch)
    before = tg.json("report", "credit", "--format", "json")
    assert before["won_total"] == 55272.0
    monkeypatch.setenv("TG_PLAYBOOK", str(book))
    assert tg.json("report", "credit", "--format", "json")["won_total"] == 0
    ok(tg, "payment", "add", str(oid), "20000")
    ok(tg, "payment", "refund", str(oid), "5000", "--reason", "退货")
    assert tg.json("report", "credit", "--format", "json")["won_total"] == 15000.0


# --- two tg at once ---------------------------------------------------------------------------------

from .test_races import TRIALS, no_traceback, racer, store  # noqa: E402,F401 (the race fixtures)


def test_the_last_amount_owed_paid_twice_at_once(racer, store):
    """`tg payment add O 100` twice at once when 100 is owed: one is recorded, the other is told
    what is owed, as it would be one after the other."""
    from datetime import date

    from tuangou_cli.models import Client
    from tuangou_cli.store import clients as st
    from tuangou_cli.store import orders as so

    with store.write() as s:
        ids = []
        for k in range(TRIALS):
            c = s.get(Client, st.create_client(s, name=f"回款客户{k}", user="tester").id)
            ids.append(so.create_order(s, client=c, deal=None, quote_id=None, lines=[("X", "x", "套", 1, 10000)],
                                       total_fen=10000, delivery_date=None, address=None, occasion=None,
                                       user="tester", today=date(2026, 1, 1)).id)
    for oid in ids:
        runs = racer.race(["payment", "add", str(oid), "100"], ["payment", "add", str(oid), "100"])
        no_traceback(runs)
        assert sorted(r.code for r in runs) == [0, 1], [r.err for r in runs]
        with store.read() as s:
            assert so.collected_fen(s, oid) == 10000
        (loser,) = [r for r in runs if r.code == 1]
        assert "owes (¥0.00)" in loser.err
        assert loser.err == racer.alone(["payment", "add", str(oid), "100"]).err
