"""Quotations: tg invoice info, tg quote (make, list, show, approve, accept, reject, revise), the
documents they write, and every bad input refused in one line with nothing written."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tuangou_cli import i18n
from tuangou_cli.playbook import load_playbook, parse_playbook
from tuangou_cli.quotes import (Buyer, ClientFacts, Party, QuoteDocument, QuoteLine, Wanted, parse_items,
                                parse_ref, price_lines)
from tuangou_cli.recommend import quote as bundle_quote
from tuangou_cli.recommend import sets_for

PB = load_playbook()
CODE = "91330100MA2B0AB123"  # a credit code in real format whose check character is right


def ok(tg, *args):
    r = tg(*args)
    assert r.exit_code == 0, r.stderr
    return r


def client(tg, name="杭州市西湖区教育局", *, headcount="120", segment="office", title=True) -> int:
    cid = int(ok(tg, "clients", "add", "--headcount", headcount, "--segment", segment, "--", name).stdout)
    if title:
        ok(tg, "invoice", "info", str(cid), "--title", name, "--credit-code", CODE, "--address", "杭州市西湖区某路 1 号")
    return cid


def one_line_error(r, code: int = 1) -> str:
    assert r.exit_code == code, (r.exit_code, r.stdout, r.stderr)
    assert r.stderr.startswith("tg: ") and r.stderr.count("\n") == 1, r.stderr
    return r.stderr


# --- pricing ---------------------------------------------------------------------------------


def test_a_bundle_line_agrees_with_the_pitch_to_the_fen():
    for bundle in PB.bundles:
        for headcount in (1, 20, 57, 120, 333, 1000):
            if bundle.quantity.rule != "fixed" and sets_for(bundle, headcount) < bundle.quantity.min_sets:
                continue
            [line] = price_lines(PB, Wanted(bundle=bundle.code), ClientFacts(headcount, bundle.segments[0]), lang="zh")
            assert line.total == bundle_quote(bundle, headcount).total, (bundle.code, headcount)


def test_no_bundle_named_quotes_what_the_pitch_recommends():
    from tuangou_cli.offer_call import offer_for_call
    from tuangou_cli.store.catalog import default_catalogue

    cat = default_catalogue(PB)
    rec = offer_for_call(PB, cat, segment="welfare", fields={"headcount": 300, "budget_per_head": 150}, limit=1)
    [line] = price_lines(PB, Wanted(), ClientFacts(300, "welfare", budget_per_head=150), lang="en", catalogue=cat)
    assert line.code == rec.offers[0].offering.code and line.total == rec.offers[0].total


def test_a_catalogue_product_is_quoted_at_its_own_unit_and_vat():
    [line] = price_lines(PB, Wanted(items=(("OF-PRN-003", 20),)), ClientFacts(20, "office"), lang="zh")
    assert (line.unit, line.quantity, line.vat_rate) == ("台", 20, Decimal(13)) and "打印机" in line.name
    [rice] = price_lines(PB, Wanted(items=(("FD-GRN-001", 300),)), ClientFacts(300, "welfare"), lang="zh")
    assert rice.vat_rate == Decimal(9), "food at its own rate, not the company's default"


def test_a_rule_refuses_a_quote_the_offer_would_never_make():
    from tuangou_cli.errors import TgError

    with pytest.raises(TgError, match="八项规定|Eight-point"):
        price_lines(PB, Wanted(items=(("CD-PKC-002", 200),)),
                    ClientFacts(200, "welfare", name="市税务局", industry="政府机关"), lang="zh")
    [ok] = price_lines(PB, Wanted(items=(("CD-PKC-002", 200),)), ClientFacts(200, "welfare", name="某科技有限公司",
                                                                               industry="企业"), lang="zh")
    assert ok.quantity == 200


def test_vat_included_prices_split_into_net_and_tax():
    x = QuoteLine("A", "a", "", "套", 100, Decimal("113.00"), vat_rate=Decimal(13))
    assert (x.total, x.tax, x.net, x.gross) == (Decimal("11300.00"), Decimal("1300.00"), Decimal("10000.00"),
                                                Decimal("11300.00"))
    y = QuoteLine("B", "b", "", "盒", 3, Decimal("10.00"), vat_rate=Decimal(9), includes_vat=False,
                  tier_discount_pct=Decimal(5), extra_discount_pct=Decimal(2))
    assert y.total == Decimal("27.93") and y.tax == Decimal("2.51") and y.gross == Decimal("30.44")
    assert y.discount_text == "5% + 2%"


def test_parse_items_and_refs():
    assert parse_items(["a=3", " b = 10 "]) == (("a", 3), ("b", 10))
    for bad in (["a"], ["a=0"], ["=3"], ["a=-1"], ["a=1.5"], ["a=2", "a=3"]):
        with pytest.raises(Exception):
            parse_items(bad)
    assert parse_ref("q-2026-0012") == ("Q-2026-0012", None)
    assert parse_ref("Q-2026-0012v2") == ("Q-2026-0012", 2)
    assert parse_ref("Q-2026-0012 v3") == ("Q-2026-0012", 3)


def test_company_section_is_validated():
    text = Path("playbooks.yaml").read_text("utf-8")
    with pytest.raises(Exception) as info:
        parse_playbook(text.replace("tax_id: 91440101MA59TQ8K0K", "tax_id: 91440101MA59TQ8K0J"))
    assert "check digit" in "\n".join(info.value.details) and "company.tax_id" in "\n".join(info.value.details)
    with pytest.raises(Exception) as info:
        parse_playbook(text.replace("    vat_rate: 13 ", "    vat_rate: 130 "))
    assert "company.quotes.vat_rate" in "\n".join(info.value.details)
    with pytest.raises(Exception) as info:
        parse_playbook(text.replace("  account: \"3602", "  acount: \"3602"))
    assert any(":" in d and "company" in d for d in info.value.details)


# --- invoice details ------------------------------------------------------------------------


def test_invoice_info_sets_shows_and_checks_the_credit_code(tg, testdb):
    cid = client(tg, title=False)
    shown = tg.json("invoice", "info", str(cid), "--title", "杭州市西湖区教育局", "--credit-code",
                    CODE.lower(), "--kind", "special", "--format", "json")
    assert shown["credit_code"] == CODE and shown["kind"] == "special"
    r = tg("invoice", "info", str(cid), "--credit-code", CODE[:-1] + "4")
    assert "check digit" in one_line_error(r, 2)
    assert tg.json("invoice", "info", str(cid), "--format", "json")["credit_code"] == CODE  # unchanged
    other = int(ok(tg, "clients", "add", "--", "某医院").stdout)
    assert "--title" in one_line_error(tg("invoice", "info", str(other), "--phone", "123"))
    assert testdb.count("billing_info") == 1


# --- making quotes -----------------------------------------------------------------------------


def test_quote_xlsx_numbered_and_stored(tg, testdb, tmp_path):
    cid = client(tg)
    out = tmp_path / "q.xlsx"
    r = ok(tg, "quote", str(cid), "--bundle", "office_safety_kit", "-o", str(out))
    year = date.today().year
    assert r.stdout == f"Q-{year}-0001 v1\n"
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "QUOTATION" in cells and "杭州市西湖区教育局" in cells and f"Q-{year}-0001 v1" in cells
    assert PB.company.name.en in cells and PB.company.tax_id in cells
    line = bundle_quote(PB.bundle("office_safety_kit"), 120)
    from tuangou_cli.amounts import to_capitals

    assert float(line.total) in cells and to_capitals(line.total) in cells
    assert ok(tg, "quote", str(cid), "--item", "ergonomic_desk=60").stdout == f"Q-{year}-0002 v1\n"
    rows = tg.json("quote", "list", "--format", "json")
    assert [(q["number"], q["status"]) for q in rows] == [(f"Q-{year}-0001", "open"), (f"Q-{year}-0002", "open")]
    assert testdb.count("quote_line") == 2


def test_formula_text_stays_text_in_the_workbook(tg, tmp_path):
    cid = client(tg, name="=HYPERLINK(\"http://x\")")
    out = tmp_path / "q.xlsx"
    ok(tg, "quote", str(cid), "--bundle", "office_safety_kit", "-o", str(out))
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    kinds = {c.data_type for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")}
    assert kinds == {"s"}


def test_quote_in_chinese_json_show(tg, tmp_path):
    cid = client(tg)
    ok(tg, "--lang", "zh", "quote", str(cid), "--item", "office_safety_kit=12", "--item", "ergonomic_desk=60")
    shown = tg.json("quote", "show", f"Q-{date.today().year}-0001", "--format", "json")
    assert shown["lang"] == "zh" and shown["lines"][0]["unit"] == "套"
    total = Decimal(shown["total"])
    assert total == sum(Decimal(x["total"]) for x in shown["lines"])  # VAT-included prices
    assert Decimal(shown["subtotal"]) + sum(Decimal(v["amount"]) for v in shown["vat"]) == total
    from tuangou_cli.amounts import to_capitals

    assert shown["total_capitals"] == to_capitals(total)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_pdf_and_docx_documents(tg, tmp_path, fmt, monkeypatch):
    if fmt == "pdf":
        from tuangou_cli.quote_documents.fonts import find_font

        try:
            find_font()
        except Exception as exc:
            pytest.skip(f"no CJK font on this machine: {exc}")
        monkeypatch.setenv("TG_NO_CACHE", "1")  # the full font: a cached subset would be built per test
    cid = client(tg)
    out = tmp_path / f"q.{fmt}"
    ok(tg, "--lang", "zh", "quote", str(cid), "--bundle", "office_safety_kit", "-o", str(out))
    number = f"Q-{date.today().year}-0001 v1"
    if fmt == "docx":
        from docx import Document

        d = Document(str(out))
        body = "\n".join(p.text for p in d.paragraphs) + "\n".join(c.text for t in d.tables for r in t.rows
                                                                    for c in r.cells)
    else:
        assert out.read_bytes().startswith(b"%PDF-")
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) not installed: the PDF's text is not read back")
        body = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    for expected in ("报价单", number, "杭州市西湖区教育局", PB.company.name.zh, "价税合计", "元", PB.company.tax_id):
        assert expected in body, expected
    total = bundle_quote(PB.bundle("office_safety_kit"), 120).total
    assert f"{total:,.2f}" in body
    from tuangou_cli.amounts import to_capitals

    assert to_capitals(total) in body.replace(" ", "")


def test_font_cache_covers_what_it_lists(tmp_path):
    from tuangou_cli.quote_documents import fonts

    try:
        choice = fonts.find_font()
    except Exception as exc:
        pytest.skip(f"no CJK font on this machine: {exc}")
    font_file, chars_file = tmp_path / "f.otf", tmp_path / "f.chars"
    fonts.build_base(choice, font_file, chars_file, chars=set("报价单合计元0123456789"))
    from fontTools.ttLib import TTFont

    covered = chars_file.read_text("utf-8")
    assert set(covered) == set("报价单合计元0123456789")
    cmap = TTFont(str(font_file)).getBestCmap()
    assert all(ord(ch) in cmap for ch in covered) and ord("税") not in cmap


def test_no_cjk_font_is_one_line_naming_what_to_install(tg, tmp_path, monkeypatch):
    from tuangou_cli.quote_documents import fonts

    monkeypatch.setattr(fonts, "candidates", lambda: [])
    monkeypatch.setattr(fonts, "_fontconfig", lambda: None)
    cid = client(tg)
    out = tmp_path / "q.pdf"
    r = tg("quote", str(cid), "-o", str(out))
    assert "fonts-noto-cjk" in one_line_error(r) and "--font" in r.stderr
    assert not out.exists() and tg.json("quote", "list", "--format", "json") == []
    r = tg("quote", str(cid), "-o", str(out), "--font", str(tmp_path / "missing.ttf"))
    assert "does not exist" in one_line_error(r, 2)


def test_a_company_word_template(tg, tmp_path, monkeypatch):
    from docx import Document

    template = tmp_path / "ours.docx"
    d = Document()
    d.add_paragraph("OUR OWN {{ label }} for {{ buyer[0].value }}: {{ total }} / {{ capitals }}")
    d.save(str(template))
    pb = tmp_path / "pb.yaml"
    text = Path("playbooks.yaml").read_text("utf-8").replace("    approval_above_pct: 5",
                                                             f"    approval_above_pct: 5\n    docx_template: ours.docx")
    pb.write_text(text, "utf-8")
    monkeypatch.setenv("TG_PLAYBOOK", str(pb))
    cid = client(tg)
    out = tmp_path / "q.docx"
    ok(tg, "quote", str(cid), "--bundle", "office_safety_kit", "-o", str(out))
    body = Document(str(out)).paragraphs[0].text
    assert body.startswith(f"OUR OWN Q-{date.today().year}-0001 v1 for 杭州市西湖区教育局: ") and "元" in body
    template.write_text("not a docx")
    r = tg("quote", str(cid), "--bundle", "office_safety_kit", "-o", str(tmp_path / "r.docx"))
    assert "template" in one_line_error(r) and not (tmp_path / "r.docx").exists()
    assert len(tg.json("quote", "list", "--format", "json")) == 1  # the failed one left no quote behind


# --- versions, approval, accept, reject ---------------------------------------------------------


def test_revise_keeps_v1_and_accept_books_a_won_deal(tg, testdb, tmp_path):
    cid = client(tg)
    number = f"Q-{date.today().year}-0001"
    ok(tg, "quote", str(cid), "--bundle", "office_safety_kit")
    assert ok(tg, "quote", "revise", number, "--item", "office_safety_kit=30").stdout == f"{number} v2\n"
    rows = tg.json("quote", "list", "--format", "json")
    assert [(q["version"], q["status"]) for q in rows] == [(1, "superseded"), (2, "open")]
    assert "superseded" in one_line_error(tg("quote", "accept", number + "v1"))
    v2 = tg.json("quote", "show", number, "--format", "json")
    assert v2["version"] == 2 and v2["lines"][0]["quantity"] == 30
    r = ok(tg, "quote", "accept", number)
    assert "won deal" in r.stderr
    deals = tg.json("deals", "list", "--format", "json")
    assert [(d["status"], d["amount"]) for d in deals] == [("won", float(v2["total"]))]
    assert "accepted" in one_line_error(tg("quote", "revise", number))
    assert "accepted" in one_line_error(tg("quote", "reject", number, "--reason", "x"))
    assert testdb.scalar("select count(*) from audit where table_name = 'quote'") >= 3


def test_reject_needs_a_reason_and_is_kept(tg):
    cid = client(tg)
    number = f"Q-{date.today().year}-0001"
    ok(tg, "quote", str(cid), "--bundle", "office_safety_kit")
    one_line_error(tg("quote", "reject", number, "--reason", "  "), 2)
    ok(tg, "quote", "reject", number, "--reason", "价格高于对手")
    assert tg.json("quote", "list", "--format", "json")[0]["status"] == "rejected"


def test_a_discount_above_the_limit_waits_for_approval(tg, testdb, tmp_path):
    cid = client(tg)
    number = f"Q-{date.today().year}-0001"
    out = tmp_path / "q.xlsx"
    r = tg("quote", str(cid), "--bundle", "office_safety_kit", "--discount", "8", "-o", str(out))
    assert "approval" in one_line_error(r) and not out.exists() and testdb.count("quote") == 0
    r = ok(tg, "quote", str(cid), "--bundle", "office_safety_kit", "--discount", "8")
    assert "waiting for a manager" in r.stderr
    assert "not yet approved" in one_line_error(tg("quote", "accept", number))
    assert "not yet approved" in one_line_error(tg("quote", "show", number, "-o", str(out)))
    assert not out.exists()
    ok(tg, "quote", "approve", number)
    assert "needs no approval" in one_line_error(tg("quote", "approve", number))
    ok(tg, "quote", "show", number, "-o", str(out))
    assert out.exists()
    shown = tg.json("quote", "show", number, "--format", "json")
    kit = PB.bundle("office_safety_kit")
    expected = (kit.set_price * 6 * Decimal("0.92")).quantize(Decimal("0.01"))
    assert Decimal(shown["total"]) == expected  # 6 sets for 120 people, no tier, 8% extra
    ok(tg, "quote", str(cid), "--bundle", "office_safety_kit", "--discount", "5")  # at the limit: no approval
    assert tg.json("quote", "list", "--format", "json")[-1]["status"] == "open"


@pytest.mark.postgresql_only("only the manager role approves on PostgreSQL")
def test_only_a_manager_approves_on_postgresql(tg, testdb, monkeypatch):
    import uuid

    cid = client(tg)
    number = f"Q-{date.today().year}-0001"
    ok(tg, "quote", str(cid), "--bundle", "office_safety_kit", "--discount", "8")
    role = f"quote_rep_{uuid.uuid4().hex[:8]}"
    testdb.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        schema = testdb.scalar("select current_schema()")
        testdb.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
        testdb.execute(f'GRANT SELECT, UPDATE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"')
        from sqlalchemy.engine import make_url

        url = make_url(testdb.url).set(username=role)
        r = tg("--db", url.render_as_string(hide_password=False), "quote", "approve", number)
        assert "managers' group" in one_line_error(r)
        assert tg.json("quote", "list", "--format", "json")[0]["status"] == "awaiting_approval"
    finally:
        schema = testdb.scalar("select current_schema()")
        testdb.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM "{role}"')
        testdb.execute(f'REVOKE USAGE ON SCHEMA "{schema}" FROM "{role}"')
        testdb.execute(f'DROP ROLE "{role}"')


def test_an_expired_quote_cannot_be_accepted(tg, testdb, monkeypatch):
    cid = client(tg)
    number = f"Q-{date.today().year}-0001"
    ok(tg, "quote", str(cid), "--bundle", "office_safety_kit", "--valid-days", "10")
    monkeypatch.setenv("TG_TODAY", (date.today() + timedelta(days=11)).isoformat())
    assert tg.json("quote", "list", "--format", "json")[0]["status"] == "expired"
    assert "expired" in one_line_error(tg("quote", "accept", number))
    assert testdb.count("deal") == 0
    assert ok(tg, "quote", "revise", number).stdout.endswith("v2\n")  # a new version is the way out
    ok(tg, "quote", "accept", number)


# --- bad input: one line, nothing written --------------------------------------------------------


def test_a_client_with_no_title_is_refused(tg, testdb, tmp_path):
    cid = client(tg, title=False)
    out = tmp_path / "q.xlsx"
    r = tg("quote", str(cid), "-o", str(out))
    assert "invoice title" in one_line_error(r) and "tg invoice info" in r.stderr
    assert not out.exists() and testdb.count("quote") == 0 and testdb.count("quote_counter") == 0


def test_an_item_not_in_the_catalogue_is_refused(tg, testdb, tmp_path):
    cid = client(tg)
    out = tmp_path / "q.xlsx"
    r = tg("quote", str(cid), "--item", "office_safety_kit=12", "--item", "office_safty_kit2=3", "-o", str(out))
    assert "not in the catalogue" in one_line_error(r) and "office_safety_kit" in r.stderr
    assert "not in the catalogue" in one_line_error(tg("quote", str(cid), "--bundle", "suv_fleet"))
    assert not out.exists() and testdb.count("quote") == 0


@pytest.mark.parametrize("args, code, words", [
    (["--bundle", "office_safety_kit", "--item", "ergonomic_desk=60"], 2, "not both"),
    (["--item", "ergonomic_desk"], 2, "CODE=QTY"),
    (["--item", "ergonomic_desk=5"], 1, "minimum order"),
    (["--discount", "2.555"], 2, "two decimals"),
    (["-o", "q.txt"], 2, ".xlsx, .pdf, .docx"),
])
def test_bad_options(tg, testdb, args, code, words):
    cid = client(tg)
    r = tg("quote", str(cid), *args)
    assert words in one_line_error(r, code) and testdb.count("quote") == 0


def test_unknown_quote_and_bad_number(tg):
    client(tg)
    assert "no quote" in one_line_error(tg("quote", "show", "Q-2026-0999"))
    assert "not a quote number" in one_line_error(tg("quote", "accept", "12"), 2)


def test_messages_in_chinese(tg):
    cid = client(tg, title=False)
    r = tg("--lang", "zh", "quote", str(cid))
    assert "抬头" in one_line_error(r)


def test_a_client_named_like_a_subcommand(tg):
    cid = client(tg, name="list")
    assert ok(tg, "quote", "make", "list", "--bundle", "office_safety_kit").stdout.endswith("v1\n")
    assert tg.json("quote", "list", "--format", "json")[0]["client_id"] == cid
    assert ok(tg, "quote", "--bundle", "office_safety_kit", str(cid)).stdout.endswith("0002 v1\n")  # options first


def test_the_upgrade_from_0004_keeps_data(tmp_path):
    """A database at the last release's schema takes the quote tables and keeps its clients."""
    import sqlite3

    from sqlalchemy import create_engine

    from tuangou_cli.migrations import HEAD, upgrade

    db = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        upgrade(conn, "0004")
        conn.exec_driver_sql("INSERT INTO client (name, name_key, stage, created_at, updated_at, created_by, "
                             "updated_by) VALUES ('老客户', '老客户', 'lead', '2026-01-01', '2026-01-01', 'a', 'a')")
    with engine.begin() as conn:
        upgrade(conn)
    engine.dispose()
    with sqlite3.connect(db) as raw:
        assert raw.execute("select name from client").fetchall() == [("老客户",)]
        from tuangou_cli.migrations import HEAD

        assert raw.execute("select version_num from alembic_version").fetchall() == [(HEAD,)]
        tables = {r[0] for r in raw.execute("select name from sqlite_master where type = 'table'")}
    assert {"quote", "quote_line", "billing_info", "quote_counter"} <= tables


def test_a_referral_discount_is_its_own_line_on_the_referrers_next_quote(tg, testdb):
    referrer = client(tg, name="杭州市西湖区税务局")
    referred = client(tg, name="杭州市上城区税务局")
    ok(tg, "refer", str(referrer), str(referred), "--rule", "next_order_discount", "--yes")
    deal = ok(tg, "deals", "add", str(referred), "--bundle", "office_safety_kit", "--qty", "10").stdout.strip()
    ok(tg, "deals", "won", deal)
    [reward] = [r for r in testdb.rows("select id, amount, status, kind from reward")]
    assert reward[2] == "due" and reward[3] == "discount"
    number = f"Q-{date.today().year}-0001"
    ok(tg, "quote", str(referrer), "--bundle", "office_safety_kit", "--discount", "2")
    shown = tg.json("quote", "show", number, "--format", "json")
    kit, line = shown["lines"]
    assert line["code"] == f"REWARD-{reward[0]}" and Decimal(line["total"]) == -Decimal(str(reward[1])).quantize(
        Decimal("0.01"))
    assert line["extra_discount_pct"] == "0" and kit["extra_discount_pct"] == "2"  # the rep's discount is not on it
    assert Decimal(shown["total"]) == Decimal(kit["total"]) + Decimal(line["total"])
    assert tg.json("quote", "list", "--client", str(referred), "--format", "json") == []
    ok(tg, "quote", "accept", number)
    assert testdb.rows("select status from reward") == [("granted",)]
    deals = tg.json("deals", "list", "--client", str(referrer), "--format", "json")
    assert deals[0]["amount"] == float(shown["total"]) and deals[0]["quantity"] == kit["quantity"]


def test_a_reward_granted_meanwhile_stops_the_accept(tg, testdb):
    referrer = client(tg, name="杭州市西湖区税务局")
    referred = client(tg, name="杭州市上城区税务局")
    ok(tg, "refer", str(referrer), str(referred), "--rule", "next_order_discount", "--yes")
    ok(tg, "deals", "won", ok(tg, "deals", "add", str(referred), "--bundle", "office_safety_kit", "--qty", "10")
       .stdout.strip())
    ok(tg, "quote", str(referrer), "--bundle", "office_safety_kit")
    [(reward_id,)] = testdb.rows("select id from reward")
    ok(tg, "rewards", "grant", str(reward_id))
    r = tg("quote", "accept", f"Q-{date.today().year}-0001")
    assert "no longer due" in one_line_error(r)
    assert tg.json("quote", "list", "--format", "json")[0]["status"] == "open"
    assert testdb.scalar("select count(*) from deal where client_id = :c", c=referrer) == 0
