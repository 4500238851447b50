"""Editing and removing deals, log entries, contacts, competitors and needs; tg undo; the date
words; phone numbers; filters by name; the board at 80 columns; the agenda's default user."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tuangou_cli.board import Block, cells, lay_out
from tuangou_cli.dates import BadDate, parse
from tuangou_cli.models import Activity, Audit, Competitor, Contact, Deal, Need


def ok(tg, *args, input=None):
    r = tg(*args, input=input)
    assert r.exit_code == 0, r.stderr
    return r


def add_client(tg, name, *opts) -> int:
    return int(ok(tg, "clients", "add", *opts, "--", name).stdout)


def rows(testdb, model):
    with testdb.session() as s:
        return list(s.exec(select(model).order_by(model.id)).all())


# --- dates (pure) ------------------------------------------------------------------------------------

WED = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize("text,expected", [
    ("今天", WED), ("明天", date(2026, 12, 3)), ("后天", date(2026, 12, 4)), ("today", WED),
    ("周五", date(2026, 12, 4)), ("星期五", date(2026, 12, 4)), ("fri", date(2026, 12, 4)),
    ("friday", date(2026, 12, 4)), ("周三", WED), ("周一", date(2026, 12, 7)),
    ("下周一", date(2026, 12, 7)), ("下周五", date(2026, 12, 11)), ("next mon", date(2026, 12, 7)),
    ("本周一", date(2026, 11, 30)), ("月底", date(2026, 12, 31)), ("月初", date(2026, 12, 1)),
    ("下个月", date(2027, 1, 1)), ("3天后", date(2026, 12, 5)), ("三天后", date(2026, 12, 5)),
    ("2周后", date(2026, 12, 16)), ("1个月后", date(2027, 1, 2)), ("+3", date(2026, 12, 5)),
    ("+2w", date(2026, 12, 16)), ("+1m", date(2027, 1, 2)), ("in 2 weeks", date(2026, 12, 16)),
    ("2027-01-05", date(2027, 1, 5)), ("2027年1月5日", date(2027, 1, 5)), ("20270105", date(2027, 1, 5)),
    ("3-5", date(2026, 3, 5)), ("１２月３１日", date(2026, 12, 31)),
])
def test_date_words(text, expected):
    assert parse(text, WED) == expected


@pytest.mark.parametrize("text", ["周八", "someday", "2026-02-30", "", "3", "2026", "+", "下下下周一"])
def test_bad_date_words_are_refused(text):
    with pytest.raises(BadDate):
        parse(text, WED)


def test_month_end_and_month_arithmetic_clamp():
    assert parse("月底", date(2027, 2, 10)) == date(2027, 2, 28)
    assert parse("+1m", date(2027, 1, 31)) == date(2027, 2, 28)


def test_a_bad_date_on_the_command_line_is_one_line(tg):
    add_client(tg, "A")
    r = tg("log", "A", "x", "-t", "call", "--due", "周八")
    assert r.exit_code == 2 and "cannot read the date '周八'" in r.stderr and "next mon" in r.stderr
    assert "Traceback" not in r.stderr


def test_log_takes_date_words_and_type_names(tg, testdb, monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2026-12-02")
    add_client(tg, "A")
    ok(tg, "log", "A", "called", "--type", "电话", "--next", "send samples", "--due", "周五")
    (a,) = rows(testdb, Activity)
    assert a.type == "call" and a.due == date(2026, 12, 4)
    r = tg("log", "A", "x", "--type", "fax")
    assert r.exit_code == 2 and "call (电话" in r.stderr and "meeting" in r.stderr


# --- phones --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["12345", "88881234", "11012345678", "1380013800", "电话"])
def test_a_bad_phone_is_refused_on_contacts_add_and_edit(tg, testdb, phone):
    add_client(tg, "A")
    r = tg("contacts", "add", "A", "王科长", "--role", "拍板人", "--phone", phone)
    assert r.exit_code == 2 and "not valid" in r.stderr and "1[3-9]" in r.stderr
    assert rows(testdb, Contact) == []
    ok(tg, "contacts", "add", "A", "王科长", "--role", "拍板人", "--phone", "138 0013 8000")
    r = tg("contacts", "edit", "王科长", "--phone", phone)
    assert r.exit_code == 2 and "area code" in r.stderr
    assert rows(testdb, Contact)[0].phone == "138 0013 8000"


@pytest.mark.parametrize("phone", ["13800138000", "+86 138-0013-8000", "0571-87654321", "010 6512 3456",
                                   "400-123-4567", "+852 2345 6789", "0571-8888 1234转12"])
def test_good_phones_pass(phone):
    from tuangou_cli.cells import parse_phones

    assert parse_phones(phone)[0]


def test_an_import_refuses_a_phone_without_its_area_code(tg, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("name,phone\n市税务局,88881234\n市医院,0571-88881234\n", encoding="utf-8")
    r = tg("import", "clients", str(f))
    assert "not a phone number: 88881234" in r.stderr + r.stdout


# --- deals ---------------------------------------------------------------------------------------------------


def test_deal_edit_reprices_and_rm_asks_and_undo_restores(tg, testdb):
    add_client(tg, "市税务局")
    did = ok(tg, "deals", "add", "市税务局", "--bundle", "steamer_family", "--qty", "100").stdout.strip()
    before = rows(testdb, Deal)[0].amount
    r = ok(tg, "deals", "edit", did, "--qty", "200")
    assert "quantity: 100 → 200" in r.stderr and r.stdout.strip() == did
    assert rows(testdb, Deal)[0].amount > before
    ok(tg, "deals", "edit", did, "--amount", "12345")
    assert rows(testdb, Deal)[0].amount == 12345

    off_terminal = tg("deals", "rm", did)
    assert off_terminal.exit_code == 2 and "pass --yes" in off_terminal.stderr
    assert len(rows(testdb, Deal)) == 1
    r = ok(tg, "deals", "rm", did, "--yes")
    assert "Removed deal #1" in r.stderr and rows(testdb, Deal) == []

    r = ok(tg, "undo")
    assert "restored the removed deal #1" in r.stderr
    (d,) = rows(testdb, Deal)
    assert (d.id, d.amount, d.quantity, d.created_by) == (1, 12345, 200, "tester")
    ok(tg, "undo")  # the amount edit
    assert rows(testdb, Deal)[0].amount != 12345
    ok(tg, "undo")  # the quantity edit
    assert rows(testdb, Deal)[0].amount == before
    ok(tg, "undo")  # the deal added
    assert rows(testdb, Deal) == []
    r = tg("undo")  # the client added is outside what undo takes back
    assert r.exit_code == 1 and "cannot undo" in r.stderr


def test_rm_an_unknown_deal_and_edit_with_nothing(tg):
    add_client(tg, "A")
    r = tg("deals", "rm", "99", "--yes")
    assert r.exit_code == 1 and "no deal '99'" in r.stderr
    r = tg("deals", "edit", "99")
    assert r.exit_code == 2 and "nothing to edit" in r.stderr


def test_a_won_deal_with_a_reward_cannot_be_removed_nor_undone(tg, testdb):
    add_client(tg, "市税务局")
    ok(tg, "refer", "市税务局", "市国税局", "--yes")
    ok(tg, "deals", "add", "市国税局", "--bundle", "steamer_family", "--qty", "100")
    ok(tg, "deals", "won", "1")
    r = tg("deals", "rm", "1", "--yes")
    assert r.exit_code == 1 and "booked reward #1" in r.stderr and "money" in r.stderr
    assert len(rows(testdb, Deal)) == 1
    r = tg("deals", "edit", "1", "--amount", "1")
    assert r.exit_code == 1 and "booked reward #1" in r.stderr
    r = tg("undo")
    assert r.exit_code == 1 and "cannot undo" in r.stderr and "won or lost deal #1" in r.stderr
    assert rows(testdb, Deal)[0].status == "won"


def test_removing_a_won_deal_without_reward_warns(tg, testdb):
    add_client(tg, "A")
    ok(tg, "deals", "add", "A", "--bundle", "steamer_family", "--qty", "100")
    ok(tg, "deals", "won", "1")
    r = ok(tg, "deals", "rm", "1", "--yes")
    assert "warning" in r.stderr and "won revenue" in r.stderr


def test_rm_asks_at_a_terminal(tg, testdb, monkeypatch):
    from tuangou_cli import prompts

    add_client(tg, "A")
    ok(tg, "deals", "add", "A", "--bundle", "steamer_family", "--qty", "100")
    asked = []
    monkeypatch.setattr(prompts, "is_interactive", lambda: True)
    monkeypatch.setattr(prompts, "ask_confirm", lambda message, default=False: asked.append(message) or False)
    r = tg("deals", "rm", "1")
    assert r.exit_code == 1 and "Cancelled" in r.stderr and asked and "Remove deal #1" in asked[0]
    assert len(rows(testdb, Deal)) == 1
    monkeypatch.setattr(prompts, "ask_confirm", lambda message, default=False: True)
    ok(tg, "deals", "rm", "1")
    assert rows(testdb, Deal) == []


# --- log entries, contacts, competitors, needs -----------------------------------------------------------------


def test_log_edit_rm_undo(tg, testdb):
    add_client(tg, "A")
    aid = ok(tg, "log", "A", "called", "-t", "call").stdout.strip()
    r = ok(tg, "log", "edit", aid, "--text", "called twice", "--type", "拜访", "--next", "quote", "--due", "2030-01-02")
    assert "text: called → called twice" in r.stderr
    (a,) = rows(testdb, Activity)
    assert (a.text, a.type, a.next_action, a.due, a.done) == ("called twice", "visit", "quote", date(2030, 1, 2), False)
    ok(tg, "log", "edit", aid, "--done")
    assert rows(testdb, Activity)[0].done
    r = tg("log", "rm", aid)
    assert r.exit_code == 2 and "pass --yes" in r.stderr
    ok(tg, "log", "rm", aid, "--yes")
    assert rows(testdb, Activity) == []
    ok(tg, "undo")
    assert rows(testdb, Activity)[0].done
    r = tg("log", "rm", "77", "--yes")
    assert r.exit_code == 1 and "no log entry '77'" in r.stderr


def test_contact_rm_keeps_the_referral_and_undo_restores_its_link(tg, testdb):
    from tuangou_cli.models import Referral

    add_client(tg, "市税务局")
    ok(tg, "contacts", "add", "市税务局", "王科长", "--role", "influencer", "--strength", "4")
    ok(tg, "refer", "市税务局", "市国税局", "--yes", "--contact", "王科长")
    ok(tg, "contacts", "rm", "王科长", "--yes")
    assert rows(testdb, Contact) == [] and rows(testdb, Referral)[0].contact_id is None
    ok(tg, "undo")
    (c,) = rows(testdb, Contact)
    assert (c.name, c.strength) == ("王科长", 4) and rows(testdb, Referral)[0].contact_id == c.id
    r = tg("contacts", "rm", "李四", "--yes")
    assert r.exit_code == 1 and "李四" in r.stderr


def test_competitor_and_need_edit_rm(tg, testdb):
    add_client(tg, "A")
    cid = ok(tg, "competitors", "add", "A", "京东企业购", "--price", "300").stdout.strip()
    ok(tg, "competitors", "add", "A", "得力")
    r = ok(tg, "competitors", "edit", cid, "--price", "280", "--weakness", "no service")
    assert "price: 300.0 → 280.0" in r.stderr
    assert rows(testdb, Competitor)[0].weakness == "no service"
    r = tg("competitors", "edit", cid, "--name", "得力")
    assert r.exit_code == 2 and "already" in r.stderr
    ok(tg, "competitors", "rm", cid, "--yes")
    assert [c.name for c in rows(testdb, Competitor)] == ["得力"]
    nid = ok(tg, "needs", "add", "A", "要发票", "--stated").stdout.strip()
    ok(tg, "needs", "edit", nid, "--guided", "--text", "要增值税专用发票")
    (n,) = rows(testdb, Need)
    assert (n.kind, n.text) == ("guided", "要增值税专用发票")
    ok(tg, "needs", "rm", nid, "--yes")
    assert rows(testdb, Need) == []
    ok(tg, "undo")
    assert rows(testdb, Need)[0].text == "要增值税专用发票"
    for group in ("competitors", "needs"):
        r = tg(group, "rm", "99", "--yes")
        assert r.exit_code == 1 and "'99'" in r.stderr


def test_every_mend_is_on_the_audit_trail(tg, testdb):
    add_client(tg, "A")
    ok(tg, "log", "A", "called", "-t", "call")
    ok(tg, "log", "edit", "1", "--text", "called again")
    ok(tg, "log", "rm", "1", "--yes")
    ok(tg, "undo")
    trail = [(a.table_name, a.action) for a in rows(testdb, Audit) if a.table_name == "activity"]
    assert trail == [("activity", "insert"), ("activity", "update"), ("activity", "delete"), ("activity", "restore")]
    history = ok(tg, "history", "A").stdout
    assert "called again" in history and "restore" in history


# --- undo -------------------------------------------------------------------------------------------------------------


def test_undo_with_nothing_to_undo(tg):
    r = tg("undo")
    assert r.exit_code == 1 and "nothing to undo" in r.stderr


def test_undo_is_per_user_and_refuses_a_row_changed_since(tg, testdb, monkeypatch):
    add_client(tg, "A")
    ok(tg, "competitors", "add", "A", "得力", "--price", "300")
    ok(tg, "competitors", "edit", "1", "--price", "280")
    monkeypatch.setenv("TG_USER", "li")
    r = tg("undo")
    assert r.exit_code == 1 and "nothing to undo: li" in r.stderr
    ok(tg, "competitors", "edit", "1", "--price", "260")
    monkeypatch.setenv("TG_USER", "tester")
    r = tg("undo")
    assert r.exit_code == 1 and "changed since" in r.stderr
    assert rows(testdb, Competitor)[0].price == 260


def test_undo_of_a_stage_move_is_refused_in_one_line(tg, testdb):
    add_client(tg, "A")
    ok(tg, "clients", "edit", "A", "--city", "杭州")
    ok(tg, "undo")
    assert ok(tg, "clients", "show", "A", "-f", "json").stdout.count('"city": null') == 1
    ok(tg, "clients", "edit", "A", "--stage", "propose")
    r = tg("undo")
    assert r.exit_code == 1 and "cannot undo" in r.stderr and "stage line" in r.stderr


# --- filters, the board, the agenda, clients show ------------------------------------------------------------------


def test_filters_take_names_and_refuse_unknown_values(tg):
    add_client(tg, "A", "--segment", "welfare", "--stage", "propose")
    listed = tg.json("clients", "list", "--segment", "员工福利类", "-f", "json")
    assert [c["name"] for c in listed] == ["A"]
    assert [c["name"] for c in tg.json("clients", "list", "--stage", "方案报价", "-f", "json")] == ["A"]
    for args in (("clients", "list", "--segment", "foo"), ("pipeline", "--segment", "foo")):
        r = tg(*args)
        assert r.exit_code == 2 and "unknown segment 'foo'" in r.stderr and "welfare (员工福利类" in r.stderr
    r = tg("clients", "list", "--stage", "nope")
    assert r.exit_code == 2 and "propose" in r.stderr
    r = tg("deals", "list", "--status", "xx")
    assert r.exit_code == 2 and "won (赢单)" in r.stderr
    assert tg.json("deals", "list", "--status", "赢单", "-f", "json") == []


def test_board_fits_80_columns_in_both_languages(tg, monkeypatch):
    add_client(tg, "湖州市南浔区市场监督管理局工会委员会联合采购办公室", "--owner", "zhang.wei.long.name",
               "--stage", "propose")
    ok(tg, "deals", "add", "1", "--bundle", "steamer_family", "--qty", "100")
    for lang in ("en", "zh"):
        for width in (80, 100):
            monkeypatch.setenv("COLUMNS", str(width))
            out = ok(tg, "--lang", lang, "pipeline").stdout
            lines = out.splitlines()
            assert max(cells(x) for x in lines) <= width, out
            assert any(x.startswith(("Propose", "方案报价")) for x in lines)
            assert any("#1 湖州市" in x for x in lines)


def test_lay_out_squeezes_the_name_and_drops_the_owner_when_narrow():
    b = Block("p", "方案报价", 1, "¥9", rows=[(123, "湖州市南浔区市场监督管理局", "¥1,234,567.89", "35天", "zhang.wei")])
    wide = lay_out([b], 80, heading="{name}  {count} · {value}", more="… {n}")
    assert wide[0] == ("方案报价  1 · ¥9", "bold") and "zhang.wei" in wide[1][0]
    narrow = lay_out([b], 40, heading="{name}  {count} · {value}", more="… {n}")
    assert all(cells(line) < 40 for line, _ in narrow) and "…" in narrow[1][0]


def test_agenda_is_the_current_users_by_default(tg, monkeypatch):
    add_client(tg, "Mine", "--owner", "tester")
    add_client(tg, "Theirs", "--owner", "li")
    ok(tg, "log", "Mine", "x", "-t", "call", "--next", "call back", "--due", "today")
    ok(tg, "log", "Theirs", "x", "-t", "call", "--next", "send", "--due", "today")
    data = tg.json("agenda", "-f", "json")
    assert data["user"] == "tester" and [f["client"] for f in data["followups"]] == ["Mine"]
    assert [f["client"] for f in tg.json("agenda", "--user", "li", "-f", "json")["followups"]] == ["Theirs"]
    assert len(tg.json("agenda", "--all", "-f", "json")["followups"]) == 2
    assert "tester's agenda" in ok(tg, "agenda").stdout


def test_clients_show_is_everything_known(tg):
    add_client(tg, "A", "--stage", "lead")
    ok(tg, "deals", "add", "A", "--bundle", "steamer_family", "--qty", "100")
    ok(tg, "log", "A", "called", "-t", "call", "--next", "send samples", "--due", "+2")
    ok(tg, "clients", "edit", "A", "--stage", "propose")
    data = tg.json("clients", "show", "A", "-f", "json")
    assert [d["bundle"] for d in data["deals"]] == ["steamer_family"]
    assert [a["text"] for a in data["activities"]] == ["called"]
    assert [p["next_action"] for p in data["promises"]] == ["send samples"]
    assert [s["stage"] for s in data["stages"]] == ["lead", "propose"]
    text = ok(tg, "clients", "show", "A").stdout
    for heading in ("Deals", "Open promises", "Activities", "Stage history"):
        assert heading in text


# --- --limit, -o and the pager --------------------------------------------------------------------------------


def test_limit_and_output_on_the_lists(tg, tmp_path):
    for name in ("A", "B", "C"):
        add_client(tg, name)
        ok(tg, "deals", "add", name, "--bundle", "steamer_family", "--qty", "100")
        ok(tg, "contacts", "add", "A", f"联系人{name}", "--role", "user")
    assert [c["name"] for c in tg.json("clients", "list", "-n", "2", "-f", "json")] == ["A", "B"]
    assert len(ok(tg, "clients", "list", "--limit", "1", "-f", "csv").stdout.splitlines()) == 2
    assert len(tg.json("deals", "list", "-n", "2", "-f", "json")) == 2
    assert len(ok(tg, "contacts", "list", "A", "-n", "1", "-f", "csv").stdout.splitlines()) == 2
    out = tmp_path / "deals.csv"
    ok(tg, "deals", "list", "-o", str(out))
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("id,client_id,client")
    book = tmp_path / "clients.xlsx"
    ok(tg, "clients", "list", "-o", str(book))
    assert book.read_bytes()[:2] == b"PK"
    r = tg("clients", "list", "-f", "csv", "-o", str(tmp_path / "x.xlsx"))
    assert r.exit_code == 2


def test_a_long_table_at_a_terminal_goes_through_the_pager(monkeypatch, capsys):
    import sys

    from tuangou_cli.cli import listing
    from tuangou_cli.cli.options import ListFormat

    paged = []
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("LINES", "5")
    monkeypatch.setattr(listing, "page", lambda lines: paged.extend(lines) or True)
    listing.show(ListFormat.table, ["n"], ["n"], ([i] for i in range(50)), limit=20)
    assert len(paged) == 22 and paged[-1].strip() == "19"
    assert capsys.readouterr().out == ""


def test_the_pager_is_run_with_the_lines(monkeypatch, tmp_path):
    from tuangou_cli.cli import listing

    out = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"tee {out}")
    assert listing.page(["a", "市税务局"])
    assert out.read_text(encoding="utf-8") == "a\n市税务局\n"
    monkeypatch.setenv("PAGER", "/nonexistent/pager")
    assert listing.page(["a"]) is False


def test_the_screen_board_agrees_with_the_full_board(tg, testdb):
    from tuangou_cli.playbook import load_playbook
    from tuangou_cli.store import pipeline as ps

    ok(tg, "demo", "--clients", "60")
    pb = load_playbook()
    with testdb.session() as s:
        full = ps.board(s, pb)
        summary = ps.board_summary(s, pb, limit=3)
    for stage in summary:
        mine = [r for r in full if r["stage"] == stage["stage"]]
        assert stage["clients"] == len(mine)
        assert stage["open_value"] == pytest.approx(sum(r["open_value"] for r in mine))
        assert [r["client_id"] for r in stage["rows"]] == [r["client_id"] for r in mine[:3]]
    assert sum(st["clients"] for st in summary) == len(full) == 60
