"""Accounts: contacts, competitors, needs, reciprocal deals, and what the pitch makes of them."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest

from tuangou_cli import accounts, i18n
from tuangou_cli.playbook import load_playbook

WELFARE = ["-a", "purpose=staff", "-a", "decision=leader", "-a", "occasion=spring_festival",
           "-a", "past_items=冰箱、西服、水果都发过了", "-a", "priorities=novelty,practical",
           "--headcount", "120", "--budget-per-head", "600"]


def add(tg, name, *opts) -> int:
    r = tg("clients", "add", *opts, "--", name)
    assert r.exit_code == 0, r.stderr
    return int(r.stdout)


def ok(r):
    assert r.exit_code == 0, r.stderr
    return r


def rows(testdb, sql, **params):
    return testdb.rows(sql, **params)


# --- contacts ----------------------------------------------------------------------------------


def test_contacts_add_list_edit(tg, mini):
    add(tg, "市税务局")
    cid = int(ok(tg("contacts", "add", "市税务局", "王局长", "--role", "decision-maker", "--title", "局长",
                    "--phone", "0571-87654321", "--strength", "3")).stdout)
    ok(tg("contacts", "add", "市税务局", "李科长", "--role", "purchaser"))
    listed = tg.json("contacts", "list", "市税务局", "-f", "json")
    assert [(c["id"], c["name"], c["role"], c["title"], c["strength"]) for c in listed] == [
        (cid, "王局长", "decision-maker", "局长", 3), (cid + 1, "李科长", "purchaser", None, None)]
    r = ok(tg("contacts", "edit", "市税务局/李科长", "--role", "gatekeeper", "--title", "科长"))
    assert "updated contact" in r.stderr
    r = ok(tg("contacts", "edit", f"#{cid}", "--phone", "13800138000"))
    listed = tg.json("contacts", "list", "市税务局", "-f", "json")
    assert (listed[0]["phone"], listed[1]["role"], listed[1]["title"]) == ("13800138000", "gatekeeper", "科长")
    table = ok(tg("contacts", "list", "市税务局")).stdout
    assert "王局长" in table and "★★★☆☆" in table
    csv_rows = list(csv.reader(io.StringIO(ok(tg("contacts", "list", "市税务局", "-f", "csv")).stdout)))
    assert csv_rows[0] == ["id", "name", "role", "title", "phone", "strength"] and len(csv_rows) == 3


def test_contact_role_by_name_in_either_language(tg):
    add(tg, "A")
    ok(tg("contacts", "add", "A", "甲", "--role", "拍板人"))
    ok(tg("contacts", "add", "A", "乙", "--role", "Influencer"))
    assert [c["role"] for c in tg.json("contacts", "list", "A", "-f", "json")] == ["decision-maker", "influencer"]


def test_bad_role_refused(tg, mini):
    add(tg, "A")
    r = tg("contacts", "add", "A", "甲", "--role", "boss")
    assert r.exit_code == 2 and "unknown role 'boss'" in r.stderr
    assert tg.json("contacts", "list", "A", "-f", "json") == []


def test_strength_history_is_dated_and_kept(tg, mini, testdb):
    add(tg, "A")
    ok(tg("contacts", "add", "A", "王局长", "--role", "decision-maker", "--strength", "2"))
    r = ok(tg("contacts", "strength", "A/王局长", "4", "--note", "dinner after the tender"))
    assert "2 → 4" in r.stderr
    ok(tg("contacts", "strength", "王局长", "5"))  # a name unique across clients is enough
    history = rows(testdb, "select strength, note, created_by, created_at from contact_strength order by id")
    assert [(s, n, by) for s, n, by, _at in history] == [
        (2, None, "tester"), (4, "dinner after the tender", "tester"), (5, None, "tester")]
    assert all(at for *_x, at in history)
    assert tg.json("contacts", "list", "A", "-f", "json")[0]["strength"] == 5


@pytest.mark.parametrize("value", ["0", "6", "-1"])
def test_strength_outside_1_to_5_writes_nothing(tg, mini, testdb, value):
    add(tg, "A")
    ok(tg("contacts", "add", "A", "王", "--role", "user", "--strength", "3"))
    r = tg("contacts", "strength", "--note", "x", "--", "A/王", value)
    assert r.exit_code == 2 and "strength must be from 1 to 5" in r.stderr and "nothing was written" in r.stderr
    r = tg("contacts", "add", "A", "李", "--role", "user", f"--strength={value}")
    assert r.exit_code == 2 and "strength must be from 1 to 5" in r.stderr
    assert rows(testdb, "select count(*) from contact_strength") == [(1,)]
    assert [(c["name"], c["strength"]) for c in tg.json("contacts", "list", "A", "-f", "json")] == [("王", 3)]


def test_unknown_client_or_contact_offers_closest(tg, mini):
    add(tg, "浙江省人民医院")
    ok(tg("contacts", "add", "浙江省人民医院", "张院长", "--role", "decision-maker"))
    r = tg("contacts", "add", "江省人民", "李", "--role", "user")
    assert r.exit_code == 1 and "closest: 浙江省人民医院" in r.stderr
    assert r.stderr.count("\n") == 1, "one line"
    r = tg("contacts", "strength", "张院", "3")
    assert r.exit_code == 0, "a unique prefix is enough"
    r = tg("contacts", "strength", "浙江省人民医院/张院士", "3")
    assert r.exit_code == 1 and "no contact matches" in r.stderr and "浙江省人民医院/张院长" in r.stderr
    r = tg("contacts", "edit", "#99", "--title", "x")
    assert r.exit_code == 1 and "no contact matches '#99'" in r.stderr
    for cmd in (("contacts", "list", "nobody"), ("competitors", "list", "nobody"), ("needs", "list", "nobody"),
                ("reciprocal", "list", "nobody")):
        r = tg(*cmd)
        assert r.exit_code == 1 and "no client matches 'nobody'" in r.stderr


def test_same_contact_name_at_two_clients_asks_which(tg, mini):
    add(tg, "A")
    add(tg, "B")
    ok(tg("contacts", "add", "A", "王科长", "--role", "user"))
    ok(tg("contacts", "add", "B", "王科长", "--role", "user"))
    r = tg("contacts", "strength", "王科长", "3")
    assert r.exit_code == 1 and "2 contacts match" in r.stderr and "A/王科长" in r.stderr and "B/王科长" in r.stderr
    ok(tg("contacts", "strength", "B/王科长", "3"))


def test_edit_needs_a_field(tg, mini):
    add(tg, "A")
    ok(tg("contacts", "add", "A", "王", "--role", "user"))
    r = tg("contacts", "edit", "A/王")
    assert r.exit_code == 2 and "nothing to change" in r.stderr


def test_contact_csv_cells_cannot_run_formulas(tg, mini):
    add(tg, "A")
    ok(tg("contacts", "add", "A", "=HYPERLINK(1)", "--role", "user"))
    assert "'=HYPERLINK(1)" in ok(tg("contacts", "list", "A", "-f", "csv")).stdout


# --- competitors --------------------------------------------------------------------------------


def test_competitors_add_and_list(tg, mini):
    add(tg, "A")
    ok(tg("competitors", "add", "A", "国美", "--offer", "普通家电", "--price", "450", "--strength", "价格低",
          "--weakness", "售后慢"))
    ok(tg("competitors", "add", "A", "苏宁"))
    listed = tg.json("competitors", "list", "A", "-f", "json")
    assert [(c["name"], c["offer"], c["price"], c["strength"], c["weakness"]) for c in listed] == [
        ("国美", "普通家电", 450.0, "价格低", "售后慢"), ("苏宁", None, None, None, None)]
    assert "¥450" in ok(tg("competitors", "list", "A")).stdout
    assert ok(tg("competitors", "list", "A", "-f", "csv")).stdout.startswith("id,name,offer,price")
    r = tg("competitors", "add", "A", "x", "--price", "-5")
    assert r.exit_code == 2
    assert len(tg.json("competitors", "list", "A", "-f", "json")) == 2


# --- needs ---------------------------------------------------------------------------------------------


def test_needs_add_list_and_no_duplicates(tg, mini):
    add(tg, "A")
    ok(tg("needs", "add", "A", "按部门分装送达", "--guided"))
    ok(tg("needs", "add", "A", "价格透明", "--stated"))
    r = ok(tg("needs", "add", "A", " 价格透明 ", "--stated"))
    assert "already recorded" in r.stderr
    listed = tg.json("needs", "list", "A", "-f", "json")
    assert [(n["kind"], n["text"], n["source"]) for n in listed] == [
        ("guided", "按部门分装送达", "manual"), ("stated", "价格透明", "manual")]
    r = tg("needs", "add", "A", "x")
    assert r.exit_code == 2 and "--stated or --guided" in r.stderr
    r = tg("needs", "add", "A", "   ", "--stated")
    assert r.exit_code == 2 and "cannot be empty" in r.stderr
    assert len(tg.json("needs", "list", "A", "-f", "json")) == 2


def test_classify_records_priorities_as_stated_needs_once(tg, mini):
    for _ in range(2):
        ok(tg("classify", "A", "-a", "purpose=staff", "-a", "priorities=novelty,service", "-a", "spec=no",
              "--headcount", "10", "--budget-per-head", "500"))
    listed = tg.json("needs", "list", "A", "-f", "json")
    assert [(n["kind"], n["text"], n["source"]) for n in listed] == [
        ("stated", "Novelty", "classify"), ("stated", "Service", "classify")]


# --- reciprocal -------------------------------------------------------------------------------------


def won_deal(testdb, client_id: int, amount: float) -> None:
    testdb.execute("insert into deal (client_id, quantity, amount, status, created_at, created_by)"
                   " values (:c, 1, :a, 'won', :at, 't')", c=client_id, a=amount,
                   at=datetime.now(timezone.utc).isoformat())


def test_reciprocal_add_list_and_balance(tg, mini, testdb):
    a = add(tg, "A")
    add(tg, "B")
    r = ok(tg("reciprocal", "add", "A", "--we-buy", "员工团体险", "--amount", "20000", "--date", "2026-02-03"))
    assert "net −¥20,000" in r.stderr
    ok(tg("reciprocal", "add", "B", "--we-buy", "购物卡", "--amount", "500"))
    won_deal(testdb, a, 58000)
    everything = tg.json("reciprocal", "list", "-f", "json")
    assert [(x["client"], x["we_buy"], x["amount"]) for x in everything] == [("A", "员工团体险", 20000.0),
                                                                              ("B", "购物卡", 500.0)]
    assert everything[0]["date"] == "2026-02-03"
    assert [x["client"] for x in tg.json("reciprocal", "list", "B", "-f", "json")] == ["B"]
    shown = tg.json("clients", "show", "A", "-f", "json")["reciprocal"]
    assert (shown["their_purchases"], shown["our_purchases"], shown["net"]) == (58000.0, 20000.0, 38000.0)
    assert "net +¥38,000" in " ".join(ok(tg("clients", "show", "A")).stdout.split())


@pytest.mark.parametrize("bad", ["2026-02-30", "03/08/2026", "someday", ""])
def test_reciprocal_bad_date_writes_nothing(tg, mini, bad):
    add(tg, "A")
    r = tg("reciprocal", "add", "A", "--we-buy", "x", "--amount", "1", "--date", bad)
    assert r.exit_code == 2 and "cannot read the date" in r.stderr and "nothing was written" in r.stderr
    assert tg.json("reciprocal", "list", "-f", "json") == []


def test_reciprocal_date_takes_date_words(tg, mini, monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2026-12-02")
    add(tg, "A")
    ok(tg("reciprocal", "add", "A", "--we-buy", "x", "--amount", "1", "--date", "昨天"))
    assert tg.json("reciprocal", "list", "-f", "json")[0]["date"] == "2026-12-01"


def test_reciprocal_unknown_client_writes_nothing(tg, mini):
    add(tg, "市税务局")
    r = tg("reciprocal", "add", "税务", "--we-buy", "x", "--amount", "1")
    assert r.exit_code == 1 and "closest: 市税务局" in r.stderr
    assert tg.json("reciprocal", "list", "-f", "json") == []


def test_clients_show_has_the_account(tg, mini):
    add(tg, "A")
    ok(tg("contacts", "add", "A", "王", "--role", "decision-maker", "--strength", "4"))
    ok(tg("competitors", "add", "A", "国美", "--weakness", "售后慢"))
    ok(tg("needs", "add", "A", "分装", "--guided"))
    shown = tg.json("clients", "show", "A", "-f", "json")
    assert (shown["contacts"][0]["role"], shown["contacts"][0]["strength"]) == ("decision-maker", 4)
    assert shown["competitors"][0]["name"] == "国美" and shown["needs"][0]["text"] == "分装"
    out = ok(tg("clients", "show", "A")).stdout
    assert "国美" in out and "分装" in out and "★★★★☆" in out


# --- the pitch ---------------------------------------------------------------------------------------


def add_case(testdb, title, outcome, segment, industry, when):
    testdb.execute("insert into case_study (title, outcome, segment, industry, decided_by, technique,"
                   " created_at, created_by) values (:t, :o, :s, :i, '办公室主任', '写信问领导', :at, 'lib')",
                   t=title, o=outcome, s=segment, i=industry, at=when)


@pytest.fixture
def account(tg, testdb):
    """A classified welfare client (shipped playbook) with a full account file."""
    ok(tg("classify", "市税务局", *WELFARE))
    ok(tg("clients", "edit", "市税务局", "--industry", "政府"))
    ok(tg("contacts", "add", "市税务局", "李科长", "--role", "purchaser", "--strength", "5"))
    ok(tg("contacts", "add", "市税务局", "赵副局长", "--role", "decision-maker", "--strength", "2"))
    ok(tg("contacts", "add", "市税务局", "王局长", "--role", "decision-maker", "--title", "局长", "--strength", "4"))
    ok(tg("competitors", "add", "市税务局", "国美", "--offer", "普通家电", "--price", "450",
          "--weakness", "售后慢，服务差"))
    ok(tg("competitors", "add", "市税务局", "老供应商"))
    ok(tg("needs", "add", "市税务局", "价格透明", "--stated"))
    ok(tg("reciprocal", "add", "市税务局", "--we-buy", "员工团体险", "--amount", "20000"))
    add_case(testdb, "医院中秋：月饼", "won", "welfare", "医疗", "2026-01-01T00:00:00+00:00")
    add_case(testdb, "区税务局：挂烫机", "won", "welfare", "政府", "2025-06-01T00:00:00+00:00")
    add_case(testdb, "政府办公：打印机", "won", "office", "政府", "2026-03-01T00:00:00+00:00")
    add_case(testdb, "丢了的税务局单", "lost", "welfare", "政府", "2026-04-01T00:00:00+00:00")
    return "市税务局"


def test_pitch_json_has_the_account_part(tg, account):
    a = tg.json("pitch", account, "-f", "json")["account"]
    dm = a["decision_maker"]
    assert (dm["name"], dm["title"], dm["strength"], dm["others"]) == ("王局长", "局长", 4, ["赵副局长"])
    assert dm["approach"].startswith("Talk outcomes")
    gome, old = a["competitors"]
    assert gome["rival"] == "国美"
    assert any("国美 sells a product" in s for s in gome["say"])
    assert any("“服务”" in w for w in gome["why"]) and any("“慢”" in w for w in gome["why"])
    assert any("¥450" in f for f in gome["facts"])
    ours = tg.json("pitch", account, "-f", "json")["bundle"]["per_head"]
    assert any(("dearer" if float(ours) > 450 else "cheaper") in f for f in gome["facts"]), gome["facts"]
    # Nothing recorded about the old supplier: the general line, and it says so.
    assert old["say"] == [
        "Compared with 老供应商, we bring a long-term partnership: industry news and peer data, shared with you "
        "regularly."]
    assert old["why"] == ["the playbook's general positioning rule"]
    needs = a["needs"]
    assert [n["need"] for n in needs["stated_met"]] == ["Novelty, not given before", "Practical use"]
    assert needs["stated_open"] == ["价格透明"]
    services = tg.json("pitch", account, "-f", "json")["bundle"]["services"]
    assert all(s in services for s in needs["guided_added"]), "the guided needs it adds are its services"
    assert a["reciprocal"]["our_purchases"] == 20000.0 and "return the favour" in a["reciprocal"]["leverage"]
    # Same segment and same industry beats a more recent same-segment case; lost cases never count.
    assert a["case"]["cite"].startswith("区税务局：挂烫机")
    assert "same kind of buyer, same industry" in a["case"]["why"]


def test_pitch_text_and_markdown_show_it(tg, account):
    text = ok(tg("pitch", account)).stdout
    for part in ("Decision-maker", "王局长", "Why us over 国美", "Why us over 老供应商", "Needs this bundle meets",
                 "Reciprocal leverage", "Proof case", "区税务局：挂烫机"):
        assert part in text, part
    md = ok(tg("--lang", "zh", "pitch", account, "-f", "markdown")).stdout
    for part in ("## 拍板人", "王局长（局长）", "## 为什么选我们而不是国美", "## 成功案例（佐证）"):
        assert part in md, part


def test_pitch_without_account_data_says_what_to_record(tg):
    ok(tg("classify", "A", *WELFARE))
    a = tg.json("pitch", "A", "-f", "json")["account"]
    assert a["decision_maker"] is None and a["competitors"] == [] and a["case"] is None
    assert a["reciprocal"]["leverage"] is None
    assert "no decision-maker recorded yet" in ok(tg("pitch", "A")).stdout


def test_case_falls_back_to_same_industry(tg, testdb):
    ok(tg("classify", "A", *WELFARE))
    ok(tg("clients", "edit", "A", "--industry", "政府"))
    add_case(testdb, "别的行业别的类型", "won", "gift", "银行", "2026-05-01T00:00:00+00:00")
    assert tg.json("pitch", "A", "-f", "json")["account"]["case"] is None
    add_case(testdb, "政府办公：打印机", "won", "office", "政府", "2026-03-01T00:00:00+00:00")
    case = tg.json("pitch", "A", "-f", "json")["account"]["case"]
    assert case["cite"].startswith("政府办公：打印机") and "same industry" in case["why"]


# --- pure pieces ------------------------------------------------------------------------------------


def test_positioning_respects_segment_and_whole_words():
    pb = load_playbook()
    i18n.set_lang("en")
    # "slowly" is not "slow"; the welfare-only rule does not apply to an office client.
    angle = accounts.rival_angle(pb, "office", {"name": "R", "weakness": "answers slowly; boring catalogue"}, None)
    assert angle.lines == ["When specs and prices are close, service decides — and there we are a class above R."]
    angle = accounts.rival_angle(pb, "welfare", {"name": "R", "weakness": "boring catalogue"}, None)
    assert angle.lines[0].startswith("R offers the same things as every year")


def test_parse_date_and_strength():
    from tuangou_cli.errors import UsageError

    assert accounts.parse_date("2026-03-08").isoformat() == "2026-03-08"
    assert accounts.parse_date(None) is None
    with pytest.raises(UsageError):
        accounts.parse_date("2026-13-01")
    assert accounts.check_strength(5) == 5
    with pytest.raises(UsageError):
        accounts.check_strength(6)


def test_classify_bundles_say_which_stated_needs_they_meet(tg, mini):
    data = tg.json("classify", "-a", "purpose=staff", "-a", "priorities=novelty,service", "--headcount", "120",
                   "--budget-per-head", "500", "--no-save", "-f", "json")
    steamer = next(b for b in data["bundles"] if b["code"] == "steamer")
    assert steamer["needs"]["stated_met"] == ["Novelty"]
    assert steamer["needs"]["stated_open"] == ["Service"]
    assert any(r.startswith("✓ Novelty") for r in steamer["reasons"])
    assert any(r.startswith("✗ Service") for r in steamer["reasons"])
