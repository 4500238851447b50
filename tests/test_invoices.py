"""Invoices of an order: requested → issued → sent, void by a red-letter row, never more invoiced
than the order; the buyer's 开票信息 as `tg invoice info` keeps it."""

from __future__ import annotations

from .orderkit import client, ok, one_line_error, order, total


def test_request_issue_send_and_void(tg, testdb):
    cid = client(tg)
    oid = order(tg, cid)
    whole = total(tg, oid)
    first = int(ok(tg, "invoice", "request", str(oid), "--amount", "30000").stdout)
    assert "(¥25,272.00)" in one_line_error(tg("invoice", "request", str(oid), "--amount", "30000"))
    ok(tg, "invoice", "issue", str(first), "--number", "04412345", "--date", "2026-09-02")
    assert "is issued" in one_line_error(tg("invoice", "issue", str(first), "--number", "x"))
    ok(tg, "invoice", "send", str(first), "--courier", "SF1234567890")
    [row] = tg.json("invoice", "list", "--order", str(oid), "--format", "json")
    assert (row["status"], row["number"], row["courier"], row["title"]) == ("sent", "04412345", "SF1234567890", "杭州市某医院")
    assert row["amount"] == "30000.00" and row["issued_on"] == "2026-09-02"
    ok(tg, "invoice", "void", str(first), "--reason", "抬头有误")
    assert "void already" in one_line_error(tg("invoice", "void", str(first), "--reason", "again"))
    # The void is a new row with the negative amount; the invoice itself is kept as it was.
    assert testdb.rows("select amount_fen, reverses_id from invoice order by id") == [(3000000, None),
                                                                                     (-3000000, first)]
    second = int(ok(tg, "invoice", "request", str(oid)).stdout)  # the whole order again
    assert testdb.scalar("select amount_fen from invoice where id = :i", i=second) == int(float(whole) * 100)
    assert [r["status"] for r in tg.json("invoice", "list", "--format", "json")] == ["void", "requested"]


def test_invoices_above_the_order_are_refused(tg, testdb):
    cid = client(tg)
    oid = order(tg, cid)
    whole = float(total(tg, oid))
    err = one_line_error(tg("invoice", "request", str(oid), "--amount", f"{whole + 0.01:.2f}"))
    assert "more than order" in err
    ok(tg, "invoice", "request", str(oid), "--amount", "10000")
    assert "more than order" in one_line_error(tg("invoice", "request", str(oid), "--amount", f"{whole - 9999:.2f}"))
    assert "not an amount" in one_line_error(tg("invoice", "request", str(oid), "--amount", "-5"), 2)
    assert testdb.count("invoice") == 1


def test_a_special_invoice_needs_the_full_billing_details(tg, testdb):
    cid = client(tg, kind="special")
    oid = order(tg, cid)
    err = one_line_error(tg("invoice", "request", str(oid)))
    assert "--phone" in err and "--bank" in err and "--account" in err
    ok(tg, "invoice", "info", str(cid), "--phone", "0571-8888", "--bank", "工商银行", "--account", "1202 0000 1234")
    inv = int(ok(tg, "invoice", "request", str(oid)).stdout)
    assert tg.json("invoice", "list", "--format", "json")[0]["kind"] == "special"
    assert testdb.count("invoice") == 1 and inv


def test_unknown_invoice_and_order(tg, testdb):
    assert "no order 7" in one_line_error(tg("invoice", "request", "7"))
    assert "no invoice" in one_line_error(tg("invoice", "issue", "9", "--number", "1"))
    cid = client(tg)
    oid = order(tg, cid)
    inv = ok(tg, "invoice", "request", str(oid), "--amount", "100").stdout.strip()
    ok(tg, "invoice", "void", inv, "--reason", "x")
    red = str(int(inv) + 1)  # the red-letter row is no invoice of its own
    assert "no invoice" in one_line_error(tg("invoice", "void", red, "--reason", "x"))
