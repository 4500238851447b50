"""The offer from the catalogue: what was asked for first, priced the way the buyer pays, never
above a cap, within the buyers' rules; the rules as validated playbook data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tuangou_cli import i18n, rules
from tuangou_cli.ask import Ask, Budget, Unread
from tuangou_cli.store.catalog import default_catalogue
from tuangou_cli.errors import PlaybookInvalid
from tuangou_cli.offer_call import ask_from_notes, offer_for_call
from tuangou_cli.playbook import load_playbook, parse_playbook
from tuangou_cli.recommend import recommend


@pytest.fixture(scope="module")
def pb():
    return load_playbook()


@pytest.fixture(scope="module")
def cat(pb):
    return default_catalogue(pb)


@pytest.fixture(autouse=True)
def english():
    i18n.set_lang("en")


def test_hospital_printer_tender_is_printers_per_unit_within_the_total(pb, cat):
    rec = recommend(pb, "office", ask=Ask(item="打印机", quantity=20, unit="台", budget=Budget(Decimal(80000))),
                    catalogue=cat)
    assert rec.offers and all(o.offering.in_category("办公设备/打印机") for o in rec.offers)
    first = rec.offers[0]
    assert (first.basis, first.quantity, first.unit.zh) == ("per_unit", 20, "台")
    assert first.total <= 80000 and first.per_head == (first.total / 20).quantize(Decimal("0.01"))
    assert first.includes_vat and "incl. 13% VAT" in first.terms and "delivered" in first.terms
    assert [ln.code for ln in first.lines] == [first.code]


def test_not_in_catalogue_offers_nothing_unrelated(pb, cat):
    rec = recommend(pb, "office", ask=Ask(item="SUV", quantity=8, unit="辆"), catalogue=cat)
    assert rec.offers == [] and rec.not_in_catalogue
    assert "not in our catalogue" in rec.note and rec.warnings[0].kind == "not_in_catalogue"


def test_welfare_per_head_and_a_target_may_be_approached(pb, cat):
    rec = recommend(pb, "welfare", ask=Ask(quantity=300, occasion="mid_autumn",
                                           budget=Budget(Decimal(150), "per_head", "target")),
                    wanted_tags=["festive", "family"], catalogue=cat)
    assert rec.offers and all(o.basis == "per_head" and o.unit.zh == "人" for o in rec.offers)
    assert all(o.per_head <= Decimal(165) for o in rec.offers)
    assert all(not o.offering.occasions or {"mid_autumn", "national_day"} & set(o.offering.occasions)
               for o in rec.offers)


def test_a_cap_is_never_exceeded_on_its_basis(pb, cat):
    for budget in (Budget(Decimal(100), "per_head", "cap"), Budget(Decimal(5000), "total", "cap")):
        rec = recommend(pb, "welfare", ask=Ask(quantity=50, budget=budget), catalogue=cat, limit=20)
        for o in rec.offers:
            assert (o.total if budget.basis == "total" else o.per_head) <= budget.amount


def test_no_mooncakes_for_childrens_day(pb, cat):
    rec = recommend(pb, "welfare", ask=Ask(quantity=100, occasion="childrens_day"), catalogue=cat, limit=50)
    assert rec.offers and not any(o.offering.in_category("食品/月饼") for o in rec.offers)
    assert any(w.kind == "occasion" for w in rec.warnings)


def test_given_before_is_left_out_and_said(pb, cat):
    ask = Ask(quantity=120, occasion="year_end", given_before=("冰箱", "西服", "水果"),
              budget=Budget(Decimal(500), "per_head", "cap"))
    rec = recommend(pb, "welfare", ask=ask, wanted_tags=["novel"], catalogue=cat, limit=50)
    assert rec.offers
    for o in rec.offers:
        assert not o.offering.in_category("服装/西服正装") and not o.offering.in_category("食品/水果")
    said = next(w.text for w in rec.warnings if w.kind == "given_before")
    assert "冰箱、西服、水果" in said


def test_minimum_order_above_the_need_is_said_with_an_alternative(pb, cat):
    rec = recommend(pb, "gift", ask=Ask(quantity=10, budget=Budget(Decimal(1500), "total", "cap")), catalogue=cat,
                    limit=10)
    assert rec.offers
    mins = [w for o in rec.offers for w in o.warnings if w.kind == "min_order"]
    for w in mins:
        assert "10 needed" in w.text and "minimum" in w.text
    # an offer needing no more than 10 ranks before one forced above it
    first = rec.offers[0]
    assert first.quantity == 10 or all(o.quantity > 10 for o in rec.offers)


def test_no_fit_names_the_minimum_when_it_is_the_reason(pb, cat):
    rec = recommend(pb, "gift", ask=Ask(item="文房四宝", quantity=5, budget=Budget(Decimal(2000), "total", "cap")),
                    catalogue=cat)
    assert rec.offers == [] and "minimum order is the reason" in rec.note


def test_government_cards_blocked_with_the_reason_and_goods_instead(pb, cat):
    buyer = rules.buyer_of(pb, name="区财政局", industry="政府机关")
    rec = recommend(pb, "welfare", ask=Ask(item="购物卡", category="卡券/购物卡", quantity=80,
                                           budget=Budget(Decimal(500), "per_head", "cap")),
                    catalogue=cat, buyer=buyer, limit=20)
    assert "Eight-point Regulation" in rec.note
    assert any(h.code == "block_card_government" and h.action == "block" for h in rec.rules)
    tags = [t for o in rec.offers for ln in o.offering.lines for t in ln.product.tags]
    assert rec.offers and "card" not in tags and "luxury" not in tags


def test_warn_rules_are_offered_with_their_reason(pb, cat):
    buyer = rules.buyer_of(pb, name="某银行支行", industry="银行")
    rec = recommend(pb, "gift", ask=Ask(item="白酒", category="酒水/白酒", quantity=60), catalogue=cat, buyer=buyer)
    assert rec.offers and any(h.code == "warn_luxury_soe" for o in rec.offers for h in o.rules)


def test_unread_figures_are_warnings(pb, cat):
    rec = recommend(pb, "welfare", ask=Ask(quantity=10, unread=(Unread("三百来个", "quantity"),)), catalogue=cat)
    assert any(w.kind == "unread_figure" and "三百来个" in w.text for w in rec.warnings)


def test_json_shape(pb, cat):
    rec = recommend(pb, "office", ask=Ask(item="打印机", quantity=20, budget=Budget(Decimal(80000))), catalogue=cat)
    data = json.loads(json.dumps(rec.as_json(), ensure_ascii=False))
    assert data["ask"]["quantity"] == 20 and data["ask"]["budget"]["basis"] == "total"
    b = data["bundles"][0]
    for key in ("code", "name", "per_head", "quantity", "total", "discount_pct", "reasons", "category", "unit",
                "unit_price", "includes_vat", "lines"):
        assert key in b
    assert b["lines"][0].keys() >= {"code", "name", "count", "unit_price"}
    assert isinstance(data["warnings"], list) and isinstance(data["rules"], list)


def test_old_signature_still_prices_playbook_bundles_per_head(pb):
    rec = recommend(pb, "welfare", headcount=100, budget_per_head=600)
    assert rec.offers and rec.offers[0].bundle is pb.bundle(rec.offers[0].code)
    assert rec.offers[0].unit_price == rec.offers[0].per_head


# --- the ask read from the notes' words, and the offer for a call --------------------------


@pytest.mark.parametrize("notes,item,quantity,given", [
    ("设备科招标采购打印机，按参数定", "打印机", None, ()),
    ("打印机硒鼓，兼容的就行，40支，单价200以内", "硒鼓", 40, ()),
    ("税务局年终福利，冰箱、西服、水果都发过了，120人", None, 120, ("冰箱", "西服", "水果")),
    ("网点年终福利，员工150人，去年发的是米面油和购物卡，今年换换", None, 150, ("米面油", "购物卡")),
    ("Need 40 ergonomic office chairs, max 800 each", "office chairs", 40, ()),
])
def test_ask_from_notes(pb, notes, item, quantity, given):
    ask = ask_from_notes(pb, notes)
    assert (ask.item, ask.quantity, ask.given_before) == (item, quantity, given)


def test_offer_for_call_takes_the_next_item_when_the_first_is_ruled_out(pb, cat):
    rec = offer_for_call(pb, cat, segment="gift", tags=[], fields={"industry": "政府机关"},
                         notes="外办接待外宾，要高档白酒和茶叶做礼品，20份", client_name="市外事办")
    assert rec.offers[0].offering.in_category("食品/茶叶")
    assert any(h.code.startswith("block_") for h in rec.rules)


def test_gifts_to_a_hospital_warn(pb, cat):
    rec = offer_for_call(pb, cat, segment="gift", tags=[], fields={"industry": "企业"},
                         notes="医药公司中秋给医院30个科室送节礼，每份500")
    assert any(h.code == "warn_gift_to_hospital" for h in rec.rules)


# --- the rules as playbook data ------------------------------------------------------------


def test_shipped_rules_say_they_are_a_starting_point(pb):
    assert "starting point" in pb.rules.about.en and "八项规定" in pb.rules.about.zh
    assert {r.code for r in pb.rules.checks} >= {"block_card_government", "block_luxury_government",
                                                 "warn_union_outside_festival", "warn_union_yearly_amount",
                                                 "cash_reward_to_public_body"}


def test_buyer_kinds_from_industry_and_name(pb):
    assert "government" in rules.buyer_of(pb, name="市税务局").kinds
    assert "union" in rules.buyer_of(pb, name="某厂工会").kinds
    assert rules.buyer_of(pb, industry="hospital").kinds == {"public_institution"}
    assert rules.buyer_of(pb, name="某科技有限公司", industry="企业").kinds == {"private"}


def test_union_rules(pb, cat):
    buyer = rules.buyer_of(pb, name="某厂工会", segment="welfare")
    outside = recommend(pb, "welfare", ask=Ask(quantity=150, budget=Budget(Decimal(200), "per_head", "target")),
                        catalogue=cat, buyer=buyer)
    assert any(h.code == "warn_union_outside_festival" for h in outside.rules)
    big = recommend(pb, "welfare", ask=Ask(quantity=90, occasion="spring_festival",
                                           budget=Budget(Decimal(2500), "per_head", "cap")), catalogue=cat, buyer=buyer)
    assert any(h.code == "warn_union_yearly_amount" for h in big.rules)


def test_cash_reward_to_a_public_body_becomes_a_discount(pb):
    buyer = rules.buyer_of(pb, name="区税务局")
    chosen, hits = rules.reward_instead(pb, buyer, pb.referrals.incentive("commission"))
    assert chosen.kind == "discount" and hits[0].code == "cash_reward_to_public_body"
    private = rules.buyer_of(pb, name="某公司", industry="企业")
    assert rules.reward_instead(pb, private, pb.referrals.incentive("commission"))[0].kind == "commission"


def _with(pb_text: str, rules_yaml: str) -> str:
    start = pb_text.index("\nrules:\n")
    end = pb_text.index("\n# --- The stage line")
    return pb_text[:start] + "\n" + rules_yaml + pb_text[end:]


@pytest.mark.parametrize("rules_yaml,says", [
    ("rules:\n  checks:\n    - {code: x, action: block, categories: [家电/冰柜], reason: r}\n", "unknown category 家电/冰柜"),
    ("rules:\n  checks:\n    - {code: x, action: forbid, reason: r}\n", "action"),
    ("rules:\n  checks:\n    - {code: x, action: warn, reason: r}\n    - {code: x, action: warn, reason: r}\n",
     "duplicate rule code x"),
    ("rules:\n  checks:\n    - {code: x, action: warn, buyers: [martians], reason: r}\n", "buyers"),
])
def test_bad_rules_are_line_numbered(rules_yaml, says):
    from tuangou_cli.playbook import default_playbook_path

    text = _with(default_playbook_path().read_text(encoding="utf-8"), rules_yaml)
    with pytest.raises(PlaybookInvalid) as exc:
        parse_playbook(text, "p.yaml")
    details = "\n".join(exc.value.details)
    assert says in details and "p.yaml:" in details
    line = int(details.split("p.yaml:")[1].split()[0])
    assert "rules:" in "\n".join(text.splitlines()[line - 6: line + 1])


# --- the commands: deals won books a public referrer's reward as a discount -----------------


def test_tax_bureau_referral_rewarded_as_a_discount(tg, testdb):
    tg("clients", "add", "区税务局", "--industry", "政府机关")
    tg("clients", "add", "区财政局", "--industry", "政府机关")
    r = tg("refer", "区税务局", "区财政局", "--yes", "--rule", "commission")
    assert r.exit_code == 0, r.stderr
    did = tg("deals", "add", "区财政局", "--bundle", "OF-PRN-001", "--qty", "10").stdout.strip()
    r = tg("--lang", "en", "deals", "won", did)
    assert r.exit_code == 0, r.stderr
    assert "not allowed: a cash commission to a government or public body is not acceptable" in r.stderr
    kind, reason = testdb.rows("select kind, reason from reward")[0]
    assert kind == "discount" and "discount on their next order" in reason
