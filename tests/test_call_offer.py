"""The offer `tg classify` and `tg pitch` make, end to end: from the company's catalogue, for
what the call asked, priced the way that buyer pays, within its rules, said on the call screen
and in JSON. The calls are the ones a rep has every week (a printer tender, vehicles we do not
sell, Mid-Autumn welfare, year-end welfare after fridges and suits, a few partner leaders, a
government office asking for shopping cards)."""

from __future__ import annotations

import pytest

from tuangou_cli import i18n
from tuangou_cli.offer_call import call_ask
from tuangou_cli.playbook import load_playbook


@pytest.fixture(scope="module")
def pb():
    return load_playbook()


@pytest.fixture(autouse=True)
def _lang():
    i18n.set_lang("zh")
    yield
    i18n.set_lang("en")


def call(tg, notes: str, *extra: str) -> dict:
    return tg.json("--lang", "zh", "classify", "--notes", notes, *extra, "--no-save", "-f", "json")


def words(bundle: dict) -> str:
    return " ".join([bundle["name"], *(ln["name"] for ln in bundle["lines"])])


def test_a_printer_tender_gets_printers_per_unit_within_the_total(tg, testdb):
    data = call(tg, "设备科招标采购打印机，按参数定", "--headcount", "20", "--budget-total", "80000")
    assert data["segment"] == "office"
    assert data["ask"]["category"] == "办公设备/打印机"
    assert data["bundles"], data["note"]
    for b in data["bundles"]:
        assert b["category"].startswith("办公设备/打印机"), b["name"]
        assert (b["basis"], b["unit"], b["quantity"]) == ("per_unit", "台", 20)
        assert b["total"] <= 80000
        assert b["includes_vat"] is True and b["lines"][0]["code"] == b["code"]
        assert abs(b["per_head"] * 20 - b["total"]) < 0.5


def test_vehicles_we_do_not_sell_are_said_never_replaced(tg, testdb):
    data = call(tg, "政府车队要买8辆SUV，公务用车")
    assert data["bundles"] == [] and data["not_in_catalogue"]
    assert [w["kind"] for w in data["warnings"]] == ["not_in_catalogue"]
    screen = tg("--lang", "zh", "classify", "--notes", "政府车队要买8辆SUV，公务用车", "--no-save").stdout
    assert "不在我们的产品目录里" in screen and screen.count("不在我们的产品目录里") == 1


def test_mid_autumn_welfare_is_per_head_near_the_target(tg, testdb):
    data = call(tg, "中秋节给300名职工发福利，每人150左右")
    ask = data["ask"]
    assert (ask["quantity"], ask["budget"]["basis"], ask["budget"]["kind"], ask["occasion"]) == \
        (300, "per_head", "target", "mid_autumn")
    top = data["bundles"][0]
    assert top["basis"] == "per_head" and top["unit"] == "人"
    assert top["per_head"] <= 165 and top["total"] <= 300 * 165
    assert all("年货" not in words(b) for b in data["bundles"]), "nothing made for another festival"


def test_what_was_given_before_is_never_offered_again(tg, testdb):
    data = call(tg, "年终福利，去年发过冰箱、西服、水果了，今年要新颖点，120人，人均500以内")
    assert data["ask"]["given_before"] == ["冰箱", "西服", "水果"]
    assert data["bundles"]
    for b in data["bundles"]:
        assert not any(g in words(b) for g in ("冰箱", "西服", "水果")), b["name"]
        assert b["per_head"] <= 500
    assert any(w["kind"] == "given_before" for w in data["warnings"]), "the left-out ones are said (in --full)"


def test_a_few_partner_leaders_within_a_total(tg, testdb):
    data = call(tg, "给10位合作单位领导送礼，一共1500以内")
    assert data["segment"] == "gift"
    assert data["ask"]["budget"] == {"amount": 1500.0, "basis": "total", "kind": "cap"}
    assert data["bundles"]
    for b in data["bundles"]:
        assert b["total"] <= 1500
        assert b["quantity"] >= 10
        if b["quantity"] > 10:  # a minimum order above the need is said, never applied silently
            assert any("起订" in w for w in b["warnings"])


def test_a_government_office_asking_for_shopping_cards_gets_the_rule(tg, testdb):
    data = call(tg, "局里想买一批购物卡发给干部，200张，每张500")
    assert not any(b["category"].startswith("卡券") for b in data["bundles"])
    blocks = [r for r in data["rules"] if r["action"] == "block"]
    assert blocks and "八项规定" in blocks[0]["reason"]
    assert "八项规定" in (data["note"] or "")
    screen = tg("--lang", "zh", "classify", "--notes", "局里想买一批购物卡发给干部，200张，每张500", "--no-save").stdout
    assert "八项规定" in screen


def test_the_office_questionnaire_asks_what_to_buy_and_prices_it(tg, testdb):
    data = tg.json("--lang", "zh", "classify", "-a", "purpose=own_use", "-a", "spec=yes", "-a", "item=打印机",
                   "-a", "headcount=20", "-a", "budget_per_head=3000", "--no-save", "-f", "json")
    top = data["bundles"][0]
    assert top["category"].startswith("办公设备/打印机") and top["unit"] == "台"
    assert top["per_head"] <= 3000 and top["quantity"] == 20


def test_questions_are_worded_for_the_leading_kind_of_buyer(pb):
    from tuangou_cli import classify as engine

    def until(answers: dict, wanted: str):
        while (q := engine.next_question(pb, answers, set())) is not None and q.id != wanted:
            yield q
            answers[q.id] = engine.parse_answer(q, q.choices[0].value if q.choices else
                                                ("no" if q.type == "confirm" else "1" if q.type == "number" else "x"))
        yield q

    office = {"purpose": engine.parse_answer(pb.question("purpose"), "own_use"),
              "spec": engine.parse_answer(pb.question("spec"), "yes")}
    *_, q = until(office, "item")
    assert q is not None and "买什么" in q.text.zh
    office["item"] = "打印机"
    *_, q = until(office, "headcount")
    assert "多少台" in q.text.zh
    welfare = {"purpose": engine.parse_answer(pb.question("purpose"), "staff")}
    *asked, q = until(welfare, "headcount")
    assert "item" not in [x.id for x in asked], "what to buy is asked of an office only"
    assert q is not None and "多少人" in q.text.zh


def test_pitch_prices_a_chosen_product_and_refuses_an_unknown_code(tg, testdb):
    assert tg("classify", "市人民医院", "--notes", "设备科采购打印机，20台，总预算8万").exit_code == 0
    data = tg.json("pitch", "市人民医院", "-f", "json")
    assert data["bundle"]["category"].startswith("办公设备/打印机")
    assert data["ask"]["quantity"] == 20 and data["bundles"][0]["code"] == data["bundle"]["code"]
    chosen = tg.json("pitch", "市人民医院", "--bundle", "OF-PRN-003", "-f", "json")
    assert chosen["bundle"]["code"] == "OF-PRN-003" and chosen["bundle"]["quantity"] == 20
    bad = tg("pitch", "市人民医院", "--bundle", "NOPE-1")
    assert bad.exit_code == 2 and "tg catalog list" in bad.stderr and "Traceback" not in bad.output


@pytest.mark.parametrize("notes, item, quantity", [
    ("新办公室开张，要办公椅30把、文件柜10个、打印机2台，先报椅子", "办公椅", 30),
    ("消防检查不合格，要补4公斤干粉灭火器60具，越快越好", "消防", 60),
    ("食堂要换20把椅子，再加5张桌子", "椅子", 20),
])
def test_the_count_said_with_the_item(pb, notes, item, quantity):
    ask = call_ask(pb, notes, "office")
    assert item in ask.item and ask.quantity == quantity


@pytest.mark.parametrize("notes, category", [
    ("想每月给员工发水果，用水果卡方便，90人", "卡券/提货卡"),
    ("中秋送客户月饼，最好是月饼券", None),
])
def test_a_later_longer_name_says_which_form(pb, notes, category):
    ask = call_ask(pb, notes, "welfare")
    if category:
        assert ask.category == category
    else:
        assert ask.item and ask.item.startswith("月饼")


@pytest.mark.parametrize("notes, given", [
    ("去年发过冰箱、西服、水果了", ["冰箱", "西服", "水果"]),
    ("去年发的是冰箱、西服和水果", ["冰箱", "西服", "水果"]),
])
def test_a_list_of_what_was_given_before(pb, notes, given):
    assert list(call_ask(pb, notes, "welfare").given_before) == given


def test_wanted_now_after_a_list_is_not_given_before(pb):
    ask = call_ask(pb, "去年发了月饼，粽子也要", "welfare")
    assert ask.given_before == ("月饼",) and ask.item == "粽子"


def test_lowest_price_said_ranks_the_cheaper_offer_first(tg, testdb):
    base = ["--lang", "zh", "classify", "-a", "purpose=staff", "-a", "decision=union", "-a", "occasion=mid_autumn",
            "--headcount", "300", "--budget-per-head", "150", "--no-save", "-f", "json"]
    cheap = tg.json(*base, "-a", "priorities=lowest_price")["bundles"]
    plain = tg.json(*base)["bundles"]
    assert cheap and plain
    assert cheap[0]["per_head"] <= min(b["per_head"] for b in plain)
    assert cheap[0]["per_head"] < plain[0]["per_head"], "the budget is not spent for its own sake"


@pytest.mark.parametrize("unit, n, shown", [("box", 300, "boxes"), ("pack", 2, "packs"), ("unit", 1, "unit"),
                                            ("battery", 3, "batteries"), ("台", 20, "台"), ("kits", 2, "kits")])
def test_english_units_are_counted(unit, n, shown):
    from tuangou_cli.plain import plural

    assert plural(unit, n) == shown


def test_a_quote_without_items_is_the_pitchs_offer(tg, testdb):
    assert tg("classify", "市人民医院", "--notes", "设备科采购打印机，20台，总预算8万").exit_code == 0
    assert tg("invoice", "info", "市人民医院", "--title", "杭州市人民医院", "--kind", "normal").exit_code == 0
    pitched = tg.json("pitch", "市人民医院", "-f", "json")["bundle"]
    assert tg("quote", "make", "市人民医院").exit_code == 0
    shown = tg("quote", "show", "Q-2026-0001").stdout
    assert pitched["code"] in shown and f"{pitched['total']:,.2f}" in shown


def test_a_chosen_bundle_above_the_budget_is_priced_and_said(tg, testdb):
    assert tg("classify", "某科技公司", "--notes", "给合作伙伴送礼，20份，每份100以内").exit_code == 0
    data = tg.json("pitch", "某科技公司", "--bundle", "FD-TEA-002", "-f", "json")
    b = data["bundle"]
    assert b["code"] == "FD-TEA-002" and b["total"] is not None
    assert data["note"] and not any("budget unknown" in r.lower() or "预算未知" in r for r in b["reasons"])
    assert len(data["warnings"]) == len({w["text"] for w in data["warnings"]}), "each warning once"


def test_the_close_prices_an_office_buyer_per_unit(tg, testdb):
    assert tg("--lang", "zh", "classify", "市人民医院", "--notes", "设备科采购打印机，20台，总预算8万").exit_code == 0
    close = tg.json("--lang", "zh", "pitch", "市人民医院", "-f", "json")["pitch"]["close"]
    assert "/台" in close and "人均" not in close


def test_a_call_screen_price_per_head_never_multiplies_into_a_wrong_total(tg, testdb):
    from tuangou_cli.plain import offer_sum
    from tuangou_cli.offering import ShownOffer
    from decimal import Decimal

    o = ShownOffer("X", "促销赠品组合", None, Decimal("77"), 100, Decimal("1540"), unit="份", order_unit="套",
                   basis="per_piece", needed=20)
    assert offer_sum(o, "¥").startswith("100套 = ¥1,540")


def test_a_gift_a_set_is_priced_per_set_and_a_welfare_set_per_head():
    from decimal import Decimal

    from tuangou_cli.offering import ShownOffer
    from tuangou_cli.plain import offer_sum

    gift = ShownOffer("X", "定制纪念品", None, Decimal("157.32"), 500, Decimal("78660"), unit="件", order_unit="套",
                      basis="per_piece", needed=500)
    assert offer_sum(gift, "¥").startswith("¥157.32/套 × 500套 = ¥78,660")
    welfare = ShownOffer("Y", "年货礼包", None, Decimal("198"), 300, Decimal("59400"), unit="人", order_unit="套",
                         basis="per_head", needed=300)
    assert offer_sum(welfare, "¥").startswith("¥198/人 × 300套 = ¥59,400")
