"""Notes as reps type them: who receives the goods, negation by meaning, spaced Chinese, numbers in
every form, figures seen but not read, confidence, and the ask filled from the notes."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tuangou_cli import classify as engine
from tuangou_cli.errors import UsageError
from tuangou_cli.notes import (ask_from, compact, figures_in, figures_reason, fold, parse_number, read_notes,
                               signals_in)
from tuangou_cli.numbers import chinese_number, english_number
from tuangou_cli.playbook import load_playbook

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pb():
    return load_playbook()


def verdict(pb, text: str):
    return engine.classify(pb, {}, extra=read_notes(pb, text))


# --- who ends up with the goods outweighs what the goods are ------------------------------------


@pytest.mark.parametrize("text, segment", [
    # a union or an office buying for another organisation's people: gift, however welfare-like
    ("工会 春节慰问 送给共建单位的困难职工 四十份", "gift"),
    ("党支部 中秋 给结对村的村民 慰问品 米面油 九十户", "gift"),
    ("物业 端午 给业主 每户一盒粽子", "gift"),
    ("汽车4S店 给老车主 年底答谢", "gift"),
    ("培训学校 给家长 教师节 小礼品 两百份", "gift"),
    ("union care packages for residents of the twinned village, 60 households", "gift"),
    # all of one's own staff of any trade: welfare, however gift-like the word 礼物
    ("出租车公司 给司机师傅们 过年礼物 四百人", "welfare"),
    ("我们院 给全院护士 护士节礼物 人均一百", "welfare"),
    ("给我们自己的工程师们 年底礼物", "welfare"),
    ("离退休人员 重阳节 慰问 一百二十人", "welfare"),
    ("New Year presents for all our drivers, 300 of them", "welfare"),
    ("gifts for the colleagues, year-end, 45 ppl", "welfare"),
    # festival food to clients and not to our own people
    ("中秋月饼 送客户的 员工这次不发 五百盒", "gift"),
    ("mooncakes for clients only, staff get nothing this year, 200 boxes", "gift"),
    # a procurement department buying festival items for its own staff
    ("采购部 统一询价 中秋月饼 发全体员工 八百人", "welfare"),
    ("procurement dept buying dragon boat zongzi for all employees, 1,000 staff", "welfare"),
    # a gift buyer whose notes are full of specs
    ("送客户的 定制保温杯 参数 316不锈钢 容量500ml 检测报告要有 印logo 一千个", "gift"),
    # own staff given work goods are being equipped: an office purchase
    ("给新员工配 笔记本电脑 三十台", "office"),
    ("保洁 保安 工作服 统一订 八十套", "office"),
])
def test_recipients_decide(pb, text, segment):
    assert verdict(pb, text).segment == segment


@pytest.mark.parametrize("text, segment", [
    ("Union chairman called - NOT about festival gifts this time, they need 5 laptops for the union office itself",
     "office"),
    ("HR manager - not a year-end gift thing, they need 8 new laptops for the HR team to work on", "office"),
    ("部队后勤 采购A4纸 200箱", "office"),  # the army buying for itself; 给部队送 is a gift
    ("八一 给驻地部队送慰问品 300份", "gift"),
    ("高速公司 国庆 收费站免费送过往司机 矿泉水 一万份", "gift"),  # passing drivers are nobody's staff
])
def test_who_buys_and_who_receives_on_calls_nobody_wrote_for_the_code(pb, text, segment):
    assert verdict(pb, text).segment == segment


def test_another_organisations_people_are_theirs(pb):
    hits = signals_in(pb, "慰问 共建单位的职工")
    own = next(h for h in hits if h.recipient == "own_staff")
    assert own.absorbed, "共建单位的职工 are the partner's staff"
    hits = signals_in(pb, "gifts for the staff of our partners")
    assert next(h for h in hits if h.recipient == "own_staff").absorbed


def test_the_reason_says_the_recipients_outweigh_the_goods(pb):
    result = verdict(pb, "工会 慰问品 送共建单位")
    assert result.segment == "gift"
    assert any("who receives the goods" in r and "“工会”" in r and "“慰问品”" in r for r in result.reasons), \
        result.reasons


# --- negation by meaning, not punctuation --------------------------------------------------------


@pytest.mark.parametrize("text, negated, kept", [
    ("不拿去送人 单位自己用", ["送人"], ["单位自己用"]),
    ("不是 发福利", ["发福利"], []),
    ("粽子给合作方 内部不发", ["内部"], ["合作方"]),
    ("今年端午不发券了 发实物", ["券"], ["端午"]),
    ("员工那边不发 只给合作伙伴", ["员工"], ["合作伙伴"]),
    ("这次不算福利 是给各病区配的", ["福利"], ["各病区"]),
    ("福利今年不发了", ["福利"], []),
    ("not for clients - for the whole office", ["for clients"], ["the whole office"]),
    # The negated word and the noun it modifies are one thing refused: the festival gifts, not the festival.
    ("NOT about festival gifts this time, laptops", ["festival", "gift"], []),
    ("not a year-end gift thing", ["year-end", "gift"], []),
    # ... but a space typed between Chinese words ends it: 米面油 is refused, 员工 is who receives.
    ("不要购物卡 也不要米面油 员工中秋", ["购物卡", "米面油"], ["员工"]),
])
def test_negation_reaches_only_what_it_means(pb, text, negated, kept):
    hits = signals_in(pb, text)
    assert sorted(h.phrase for h in hits if h.negated) == sorted(negated), [(h.phrase, h.negated) for h in hits]
    for phrase in kept:
        assert any(h.phrase == phrase and not h.negated for h in hits), phrase


def test_a_refusal_after_a_phrase_does_not_cancel_it(pb):
    assert verdict(pb, "粽子给合作方 内部不发 一百份").segment == "gift"
    assert verdict(pb, "今年端午不发券了 给员工发实物 三百人").segment == "welfare"
    assert verdict(pb, "这次不算福利 是给各病区配的 监护仪 十台").segment == "office"


def test_only_negated_evidence_names_no_kind(pb):
    for text in ("不是送客户的 也不是发福利", "不送礼 不发福利", "not for clients, not for staff"):
        result = verdict(pb, text)
        assert result.segment == engine.UNKNOWN, (text, result.scores)


# --- spaced Chinese --------------------------------------------------------------------------------


@pytest.mark.parametrize("spaced, joined", [("发 职工", "发职工"), ("工会 那批 慰问品", "工会那批慰问品"),
                                            ("答谢 客户", "答谢客户"), ("人均 三 百", "人均三百")])
def test_spaced_chinese_matches_as_unspaced(pb, spaced, joined):
    assert compact(fold(spaced)).text == joined
    assert [h.phrase for h in signals_in(pb, spaced)] == [h.phrase for h in signals_in(pb, joined)]


def test_spaces_still_separate_numbers_and_latin_words():
    assert compact(fold("人均两百 一百四十位")).text == "人均两百 一百四十位"
    assert compact(fold("一百 二十户")).text == "一百二十户"
    assert compact(fold("not 我们的 staff")).text == "not 我们的 staff"


# --- numbers in every form -------------------------------------------------------------------------


@pytest.mark.parametrize("raw, value", [
    ("4百人", 400), ("三百五", 350), ("一百六十位", 160), ("八十号人", 80), ("1.2亿", 120_000_000),
    ("一亿二千万", 120_000_000), ("一亿二", 120_000_000), ("30w", 300_000), ("3k份", 3000), ("two hundred", 200),
    ("a hundred and twenty", 120), ("twelve hundred", 1200), ("1,200", 1200), ("2万5", 25_000), ("1万2千", 12_000),
    ("三百人", 300), ("400元", 400), ("¥1,200", 1200), ("１，２００", 1200), ("一千零五", 1005), ("十万", 100_000),
])
def test_parse_number_reads_every_form(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw", ["三百来个", "两三百", "几百", "上千人", "二十几台", "200-300人", "a few hundred", "n/a", "",
                                 "三八"])
def test_parse_number_refuses_what_is_not_one_number(raw):
    assert parse_number(raw) is None


def test_number_words():
    assert chinese_number("一亿二千万") == 120_000_000, "not 1,000,020,000,000"
    assert chinese_number("五六十") is None
    assert english_number("thirty-five") == 35
    assert english_number("a dozen") is None


def test_number_questions_take_what_the_notes_parser_reads(pb):
    q = pb.question("headcount")
    assert engine.parse_answer(q, "三百人") == 300
    assert engine.parse_answer(q, "1.5万") == 15000
    assert engine.parse_answer(pb.question("budget_per_head"), "400元") == 400
    for bad in ("三百来人", "lots", "120 or so"):
        with pytest.raises(UsageError):
            engine.parse_answer(q, bad)


# --- the figures: quantity and unit, budget with basis and kind -------------------------------------


@pytest.mark.parametrize("text, segment, quantity, unit, budget", [
    ("工会 中秋 发 职工 4百人 人均150左右", "welfare", 400, "人", (150, "per_head", "target")),
    ("送客户 伴手礼 3k份 每份不超过五十", "gift", 3000, "份", (50, "per_piece", "cap")),
    ("采购 复印机 二十台 单价 八千以内", "office", 20, "台", (8000, "per_unit", "cap")),
    ("办公桌椅 一百二十套 预算 也就 8w", "office", 120, "套", (80000, "total", "cap")),
    ("政府采购 公务车 预算1.2亿", "office", None, None, (120_000_000, "total", "cap")),
    ("轨道交通 集采 劳保 预算一亿二千万", "office", None, None, (120_000_000, "total", "cap")),
    ("年终 给员工 30w预算 三百五十人", "welfare", 350, "人", (300_000, "total", "cap")),
    ("year-end gifts for staff, two hundred people, max RMB 40 per head", "welfare", 200, "人", (40, "per_head", "cap")),
    ("client gifts, 1,200 boxes, ~60/box", "gift", 1200, "盒", (60, "per_piece", "target")),
    ("welfare for 80 heads, cap 120", "welfare", 80, "人", (120, "per_head", "cap")),
    ("giveaways, 5k pcs, < 8 each", "gift", 5000, "件", (8, "per_piece", "cap")),
    ("15 laptops for our own use, budget 6k each", "office", 15, "台", (6000, "per_unit", "cap")),
    ("给员工 一百六十位 每人 ≤ 200", "welfare", 160, "人", (200, "per_head", "cap")),
    ("送合作单位 年货 六十家 每家 八百 左右", "gift", 60, "户", (800, "per_piece", "target")),
    ("开业赠品 一万份 一份一块五以内", "gift", 10000, "份", (1.5, "per_piece", "cap")),
    ("员工福利 八十号人 人均 三百五", "welfare", 80, "人", (350, "per_head", "cap")),
])
def test_the_ask_reads_every_figure(pb, text, segment, quantity, unit, budget):
    ask = ask_from(pb, text)
    assert (ask.quantity, ask.unit) == (quantity, unit), ask
    got = (float(ask.budget.amount), ask.budget.basis, ask.budget.kind) if ask.budget else None
    assert got == budget, ask
    assert verdict(pb, text).segment == segment


@pytest.mark.parametrize("text", ["市第二人民医院 三百人", "电话13800000000 三百人", "质保3年 三百人", "每人3件 三百人"])
def test_numbers_that_are_not_the_order(pb, text):
    assert ask_from(pb, text, "welfare").quantity == 300


@pytest.mark.parametrize("text, seen, looks_like", [
    ("给员工 三百来个人 人均一百", "三百来个人", "quantity"),
    ("送客户 两三百份", "两三百份", "quantity"),
    ("职工 几百人", "几百人", "quantity"),
    ("预算 几万块", "几万块", "budget"),
    ("gifts for a few hundred clients", "a few hundred", "quantity"),
    ("员工福利 200-300人", "200-300人", "quantity"),
    ("送合作方 每份 五百来块", "五百来块", "budget"),
])
def test_figures_seen_but_not_read_are_reported(pb, text, seen, looks_like):
    ask = ask_from(pb, text)
    assert [(u.text, u.looks_like) for u in ask.unread] == [(seen, looks_like)], ask.unread
    assert ask.quantity is None or looks_like == "budget"
    line = figures_reason(figures_in(text), set())
    assert seen in line and "confirm" in line, line


def test_festival_numerals_are_not_figures(pb):
    assert ask_from(pb, "三八节 女职工 一百八十人 每人200以内").unread == ()


def test_figures_stay_the_old_three_fields():
    f = figures_in("共120人，每人预算在500元左右，总预算6万")
    assert (f.headcount, f.budget_per_head, f.budget_total) == (120, 500, 60000)
    f = figures_in("20台打印机 总价8万")
    assert (f.headcount, f.budget_total) == (None, 80000), "machines are not heads"


def test_the_ask_fields(pb):
    ask = ask_from(pb, "税务局 年终福利 给全局干部职工 去年发过冰箱 西服 水果 今年要新颖的 一百二十人 人均五百以内")
    assert ask.occasion == "year_end"
    assert ask.recipients == "own_staff"
    assert ask.given_before == ("冰箱", "西服", "水果")
    assert (ask.quantity, ask.unit) == (120, "人")
    assert ask.budget.amount == Decimal(500) and ask.budget.basis == "per_head" and ask.budget.kind == "cap"
    assert ask.quotes["budget"] == "人均五百以内"
    ask = ask_from(pb, "设备科 招标 打印机 二十台 总预算八万")
    assert ask.item == "打印机" and ask.given_before == ()
    assert ask_from(pb, "端午 粽子 送合作方").occasion == "dragon_boat"
    assert ask_from(pb, "三八节 女职工").occasion == "womens_day"
    data = ask.as_json()
    assert data["budget"] == {"amount": 80000.0, "basis": "total", "kind": "cap"} and data["unread"] == []


# --- confidence that means something -----------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "工会 中秋 给全体职工发 福利 人均两百",
    "开业活动 赠品 送储户 两千份",
    "政府采购 走招标 有参数要求 打印机 二十台",
    "thank-you gifts for our clients at the annual client appreciation event",
])
def test_clear_recipient_and_why_is_confident(pb, text):
    result = verdict(pb, text)
    assert result.confidence >= pb.settings.stop_confidence, (result.segment, result.confidence)


@pytest.mark.parametrize("text", ["月饼 五百盒 下周报价", "要一批提货卡 五十张", "他们要年货", "王处 出差 下周再约",
                                  "500 boxes of mooncakes, quote by Friday", "客户说再考虑考虑"])
def test_notes_that_say_nothing_about_why_stay_unknown(pb, text):
    result = verdict(pb, text)
    assert result.segment == engine.UNKNOWN, (text, result.scores)


def test_goods_used_at_work_say_why(pb):
    assert verdict(pb, "叉车 两台 电动的").segment == "office"
    assert verdict(pb, "canteen freezers x6").segment == "office"


# --- the evaluation ----------------------------------------------------------------------------------


def test_the_evaluation_script_scores_a_corpus(tmp_path):
    rows = [
        {"id": "a", "text": "给员工发年货 三百人 人均200", "lang": "zh", "segment": "welfare", "classes": ["plain"],
         "trap": False, "figures": {"quantity": 300, "quantity_unit": "人",
                                    "budget": {"amount": 200, "basis": "per_head", "kind": "cap"}, "unread": []}},
        {"id": "b", "text": "送客户 伴手礼 两三百份", "lang": "zh", "segment": "gift", "classes": ["unread"], "trap": True,
         "figures": {"quantity": None, "budget": None, "unread": ["两三百份"]}},
        {"id": "c", "text": "下周再打", "lang": "zh", "segment": "office", "classes": ["plain"], "trap": False,
         "figures": {"quantity": None, "budget": None, "unread": []}},
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "notes_eval.py"), str(corpus), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["accuracy"]["all"]["all"] == {"right": 2, "of": 3, "share": 0.667}
    assert report["accuracy"]["trap"]["trap"]["right"] == 1
    assert report["figures"] == {"right": 1, "of": 1, "share": 1.0}
    assert report["unread"]["reported"] == 1
    assert report["confident_wrong_per_100"] == 0.0


def test_cli_says_what_it_could_not_read(tg):
    data = tg.json("classify", "--no-save", "--notes", "中秋 给员工发 三百来个人 人均一百五", "-f", "json")
    assert data["segment"] == "welfare"
    assert data["notes"]["unread"] == [{"text": "三百来个人", "looks_like": "quantity"}]
    assert data["notes"]["figures"]["headcount"] is None, "never guessed"
    assert any("三百来个人" in r and "confirm" in r for r in data["reasons"]), data["reasons"]
    zh = tg("--lang", "zh", "classify", "--no-save", "--notes", "送客户 两三百份 每份50以内")
    assert zh.exit_code == 0 and "“两三百份”" in zh.stdout and "确认" in zh.stdout


# --- people named by their trade: whose are they? ------------------------------------------------


@pytest.mark.parametrize("text", ["夏天给环卫工人送清凉，200份", "八一慰问驻地官兵，送点水果，100人",
                                  "年底给司机们发点东西，40人", "给律师们准备新年礼物"])
def test_trade_people_alone_leave_the_call_unsure_and_say_to_ask(pb, text):
    from tuangou_cli.classify import classify

    match = read_notes(pb, text)
    assert match.owner_unclear
    result = classify(pb, {}, extra=match)
    assert result.confidence < pb.settings.stop_confidence
    assert any("没说是谁的" in r or "not whose" in r for r in result.reasons)


@pytest.mark.parametrize("text, segment", [("城管局给本局环卫工人发防暑用品，300人", "welfare"),
                                           ("给全体护士发三八节福利", "welfare"),
                                           ("药企学术会议给参会医生准备资料袋，600个", "gift")])
def test_whose_people_said_settles_it(pb, text, segment):
    from tuangou_cli.classify import classify

    match = read_notes(pb, text)
    assert not match.owner_unclear
    result = classify(pb, {}, extra=match)
    assert result.segment == segment and result.confidence >= pb.settings.stop_confidence


def test_a_price_each_is_never_called_a_budget_per_head():
    from tuangou_cli import i18n

    before = i18n.get_lang()
    i18n.set_lang("en")
    try:
        line = figures_reason(figures_in("打印机 20台 单价3000以内"), {"budget_per_head"})
    finally:
        i18n.set_lang(before)
    assert "price each ¥3,000" in line and "per head" not in line
