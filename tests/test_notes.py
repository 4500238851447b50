"""Call notes: phrase signals, negations, figures; tg classify --notes and --batch."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuangou_cli import classify as engine
from tuangou_cli.errors import PlaybookInvalid
from tuangou_cli.notes import chinese_number, figures_in, parse_number, read_notes, signals_in
from tuangou_cli.playbook import load_playbook, parse_playbook
from tuangou_cli.recommend import occasion_code, recommend

from .conftest import MINI


@pytest.fixture(scope="module")
def pb():
    return load_playbook()


def classify_notes(pb, text: str):
    return engine.classify(pb, {}, extra=read_notes(pb, text))


# --- signals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, segment", [
    ("工会年终慰问，给职工发，120人，人均三百", "welfare"),
    ("今年过节想给员工发点新颖的福利，领导喜欢实用的", "welfare"),
    ("政府采购走招标，有参数要求，质保三年，办公设备更换", "office"),
    ("客户答谢会的伴手礼，送合作单位，要印logo", "gift"),
    ("银行开业活动赠品，送储户，单价低", "gift"),
    ("Year-end gifts for our staff, the union wants something new", "welfare"),
    ("Public tender with specs attached, 3-year warranty, replacing office printers", "office"),
    ("Thank-you gifts for our clients and business partners, branded", "gift"),
    ("Promotional giveaway for depositors at the grand opening", "gift"),
])
def test_notes_classify_in_chinese_and_english(pb, text, segment):
    result = classify_notes(pb, text)
    assert result.segment == segment
    assert result.confidence >= pb.settings.stop_confidence


def test_reasons_list_the_phrases_that_matched(pb):
    result = classify_notes(pb, "工会年终慰问，给职工发")
    assert result.reasons[0] == "the notes mention “工会”, “年终”, “慰问”, “给职工”: Staff welfare +11.5"
    assert "from the notes alone" in result.reasons[-1]


def test_longest_phrase_wins_and_latin_words_are_whole(pb):
    assert [h.phrase for h in signals_in(pb, "发给职工")] == ["发给职工"]
    assert [h.phrase for h in signals_in(pb, "GIFTS for our Clients")] == ["gift", "for our clients"]
    assert signals_in(pb, "unionpay giftcard bidder") == []
    assert [h.phrase for h in signals_in(pb, "市福利院")] == ["福利院"], "a shield, not 福利"
    assert classify_notes(pb, "市福利院").segment == engine.UNKNOWN


@pytest.mark.parametrize("text, quote", [
    ("不是发福利，是答谢客户", "不是发福利"),
    ("这次不走招标，领导直接定", "不走招标"),
    ("招标就不走了", "招标就不走"),
    ("不是给员工的，而是送客户", "不是给员工"),
    ("not for staff, for our customers", "not for staff"),
    ("no tender this time", "no tender"),
    ("the gifts aren't for partners", "aren't for partners"),
    ("a tender is not required", "tender is not required"),
])
def test_negations_are_recognised(pb, text, quote):
    negated = [h for h in signals_in(pb, text) if h.negated]
    assert [h.quote for h in negated] == [quote]


@pytest.mark.parametrize("text", ["员工不少，想发点不一样的福利", "不仅给员工发，not only for staff"])
def test_words_that_look_negative_but_are_not(pb, text):
    assert not any(h.negated for h in signals_in(pb, text))


def test_negations_do_not_count_for_the_phrase(pb):
    assert classify_notes(pb, "不是发福利，是答谢客户，伴手礼").segment == "gift"
    assert classify_notes(pb, "not for staff: thank-you gifts for our customers").segment == "gift"
    dashed = signals_in(pb, "Not for staff - thank-you gifts for our clients")
    assert [h.negated for h in dashed] == [True, False, False, False], "a dash ends the negated clause"
    assert classify_notes(pb, "不走招标，给员工发年货").segment == "welfare"
    result = classify_notes(pb, "不是发福利")
    assert result.segment == engine.UNKNOWN, "a negation alone points nowhere"
    assert any("a negation" in r for r in result.reasons)


@pytest.mark.parametrize("text, segment", [
    ("给员工", "welfare"), ("发给职工", "welfare"), ("for our staff", "welfare"), ("for our employees", "welfare"),
    ("送客户", "gift"), ("给合作单位", "gift"), ("for our customers", "gift"), ("for our clients", "gift"),
])
def test_own_staff_versus_clients(pb, text, segment):
    scores = classify_notes(pb, f"中秋礼盒 {text}").scores
    assert max(scores, key=scores.get) == segment


def test_unknown_notes_are_never_a_confident_guess(pb):
    for text in ("随便聊了聊，下周再打", "Spoke to Mr Li, call back next week", "", "   "):
        result = classify_notes(pb, text)
        assert result.segment == engine.UNKNOWN
        assert result.confidence < 0.34
        assert result.reasons[-1].startswith("no kind of buyer stands out")
    assert "nothing in the notes matches" in classify_notes(pb, "hello").reasons[0]
    assert classify_notes(pb, " ").reasons[0] == "the notes are empty"


def test_notes_combine_with_answers(pb):
    alone = classify_notes(pb, "工会")
    both = engine.classify(pb, {"purpose": "staff"}, extra=read_notes(pb, "工会"))
    assert both.scores["welfare"] == alone.scores["welfare"] + 4
    assert both.reasons[0].startswith("“Who ends up with the goods?”")
    assert any("“工会”" in r for r in both.reasons)


def test_signals_fill_tags_and_fields(pb):
    match = read_notes(pb, "中秋给员工发，要印logo")
    assert {"festive", "custom_logo"} <= set(match.tags)
    assert match.fields == {"occasion": "中秋"}


# --- the playbook section -----------------------------------------------------------------------


SIGNALS = """
signals:
  - match: [工会, union]
    weights: {welfare: 3}
  - match: [招标]
    weights: {office: 3}
    negated: {office: -1}
"""


def test_mini_playbook_with_signals():
    pb = parse_playbook(Path(MINI).read_text(encoding="utf-8") + SIGNALS, "mini+signals.yaml")
    assert classify_notes(pb, "工会").segment == "welfare"
    assert classify_notes(pb, "不走招标").scores["office"] == -1


@pytest.mark.parametrize("section, problem", [
    ("signals:\n  - {match: [工会], weights: {welfair: 3}}\n", "signals[0] weighs unknown segment(s): welfair"),
    ("signals:\n  - {match: [招标], weights: {office: 1}, negated: {offic: -1}}\n", "unknown segment(s): offic"),
    ("signals:\n  - {match: [union], weights: {welfare: 1}}\n  - {match: [ＵＮＩＯＮ], weights: {gift: 1}}\n",
     "phrase 'ＵＮＩＯＮ' is in signals[0] and signals[1]"),
    ("signals:\n  - {match: [工会], weights: {welfare: 1}, colour: red}\n", "extra inputs are not permitted"),
    ("signals:\n  - {match: [], weights: {welfare: 1}}\n", "signals[0].match"),
])
def test_bad_signals_are_refused_at_load(section, problem):
    with pytest.raises(PlaybookInvalid) as info:
        parse_playbook(Path(MINI).read_text(encoding="utf-8") + section, "x.yaml")
    assert any(problem in line for line in info.value.details), info.value.details


def test_playbooks_without_signals_still_load():
    assert load_playbook(MINI).signals == []


# --- figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, headcount, per_head, total", [
    ("120人", 120, None, None),
    ("一百二十人", 120, None, None),
    ("每人500元", None, 500, None),
    ("人均三百", None, 300, None),
    ("人均 ¥300", None, 300, None),
    ("人均 ￥３００", None, 300, None),
    ("budget 400 per person", None, 400, None),
    ("400 yuan per head", None, 400, None),
    ("2万 total", None, None, 20000),
    ("两千五百人，人均两百五", 2500, 250, None),
    ("共120人，每人预算在500元左右，总预算6万", 120, 500, 60000),
    ("500元/人，200份", 200, 500, None),
    ("一人500，100来人", None, 500, None),  # 100来人 is seen, not read: the ask reports it unread
    ("a team of 85, ¥300/head", 85, 300, None),
    ("120-person team, 20k in total", 120, None, 20000),
    ("headcount: 1,200; per head budget of 350", 1200, 350, None),
    ("预算2万，八十人", 80, None, 20000),
    ("3000 pcs, 15 yuan each", 3000, 15, None),
    ("市第二人民医院，三百人", 300, None, None),
    ("每人3件，共两百人", 200, None, None),
    ("预算300", None, 300, None),  # a small amount, neither per what nor in all: what each one gets
    ("电话13800000000", None, None, None),
])
def test_figures(text, headcount, per_head, total):
    f = figures_in(text)
    assert (f.headcount, f.budget_per_head, f.budget_total) == (headcount, per_head, total)


@pytest.mark.parametrize("text, value", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百二十", 120), ("一百零五", 105), ("两千五", 2500),
    ("三千零六十", 3060), ("一万二", 12000), ("三万五千", 35000), ("两百", 200), ("万", 10000), ("五六十", None),
])
def test_chinese_numerals(text, value):
    assert chinese_number(text) == value


def test_parse_number_reads_cells():
    assert [parse_number(x) for x in ("¥1,200", "1.5万", "120人", "三百", 42, "", None, "n/a")] == [
        1200, 15000, 120, 300, 42, None, None, None]


# --- the fast bundle path -----------------------------------------------------------------------


# --- tg classify --notes ------------------------------------------------------------------------


def test_cli_notes_chinese_fills_figures(tg):
    data = tg.json("--lang", "zh", "classify", "--no-save", "--notes", "工会年终慰问，给职工发，一百二十人，人均三百",
                   "-f", "json")
    assert data["segment"] == "welfare" and data["confidence"] > 0.9
    assert data["notes"]["filled"] == ["headcount", "budget_per_head"]
    assert data["notes"]["figures"]["headcount"] == 120
    assert any(m["phrase"] == "工会" for m in data["notes"]["matched"])
    assert all(b["quantity"] == 120 and b["per_head"] <= 300 for b in data["bundles"])
    assert "从备注读出：人数 120（“一百二十人”）、人均预算 ¥300（“人均三百”）" in data["reasons"]
    for key in ("scores", "probabilities", "evidence", "answers", "pitch", "bundles", "note", "client_id"):
        assert key in data


def test_cli_notes_english_and_flags_win(tg):
    data = tg.json("classify", "--no-save", "--notes", "thank-you gifts for our clients, 300 clients, 400 yuan per head",
                   "--headcount", "50", "-f", "json")
    assert data["segment"] == "gift"
    assert data["notes"]["filled"] == ["budget_per_head"]
    assert data["bundles"][0]["quantity"] >= 20 and all(b["per_head"] <= 400 for b in data["bundles"])


def test_cli_notes_from_stdin(tg):
    r = tg("classify", "--no-save", "--notes", "-", "-f", "json",
           input="Public tender, specs attached, warranty three years\n")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["segment"] == "office"
    assert data["notes"]["text"].startswith("Public tender")


def test_cli_notes_count_as_answers_on_a_pipe(tg, testdb):
    r = tg("classify", "市税务局", "--notes", "给员工发年货", input="")
    assert r.exit_code == 0, r.stderr
    assert "Staff welfare" in r.stdout and "the notes mention" in r.stdout
    (answers,) = testdb.rows("select answers from classification")[0]
    assert (answers if isinstance(answers, dict) else json.loads(answers)) == {"_notes": "给员工发年货"}


def test_cli_unknown_notes(tg):
    data = tg.json("classify", "--no-save", "--notes", "call back next week", "-f", "json")
    assert data["segment"] == "unknown" and data["confidence"] < 0.34
    assert data["bundles"] == [] and data["pitch"] is None
    assert "no guess is made" in data["reasons"][0]
    assert data["note"].startswith("no kind of buyer stands out")
    text = tg("classify", "--no-save", "--notes", "call back next week")
    assert text.exit_code == 0 and "undetermined" in text.stdout


def test_cli_notes_with_answers(tg, mini):
    data = tg.json("classify", "--no-save", "-a", "purpose=staff", "--notes", "nothing useful", "-f", "json")
    assert data["segment"] == "welfare"
    assert "nothing in the notes matches" in " ".join(data["reasons"])


# --- tg classify --batch ------------------------------------------------------------------------

LEADS = [
    ["单位名称", "联系人", "人数", "备注"],
    ["市税务局", "王科长", "120", "工会年终慰问，给职工发，人均三百"],
    ["华夏银行", "李经理", "", "开业活动赠品，送储户，2000份，每人15元"],
    ["市一医院", "张主任", "", "走招标，有参数要求，质保三年，办公设备更换，60人"],
    ["Acme Ltd", "Tom", "", '=HYPERLINK("http://x") call back next week'],
]


def write_csv(path: Path, rows, encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def read_csv_text(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.fresh_db
def test_batch_csv_to_stdout(tg, tmp_path, testdb):
    r = tg("classify", "--batch", str(write_csv(tmp_path / "leads.csv", LEADS)))
    assert r.exit_code == 0, r.stderr
    rows = read_csv_text(r.stdout)
    assert [x["单位名称"] for x in rows] == ["市税务局", "华夏银行", "市一医院", "Acme Ltd"]
    assert [x["segment"] for x in rows] == ["welfare", "gift", "office", "unknown"]
    assert rows[0]["bundle"] and float(rows[0]["bundle_total"]) > 0
    assert "“工会”" in rows[0]["reasons"] and "budget per head ¥300" in rows[0]["reasons"]
    assert "headcount" not in rows[0]["reasons"], "the 人数 column is used, not read from the notes"
    assert "headcount 2000" in rows[1]["reasons"]
    assert rows[3]["备注"].startswith("'="), "formulas are neutralised"
    assert rows[3]["bundle"] == "" and float(rows[3]["confidence"]) < 0.34
    assert "classified 4 row(s)" in r.stderr and "notes column: 备注" in r.stderr
    assert not testdb.exists(), "no database for a batch"


def test_batch_headcount_column_sets_the_total(tg, tmp_path, pb):
    """A lead list's row gets the offer `tg classify --notes` makes for the same call."""
    r = tg("classify", "--batch", str(write_csv(tmp_path / "leads.csv", LEADS[:2])))
    row = read_csv_text(r.stdout)[0]
    call = tg.json("classify", "--no-save", "--notes", LEADS[1][3], "--headcount", "120", "-f", "json")
    assert row["bundle"] == call["bundles"][0]["code"]
    assert Decimal(row["bundle_total"]) == Decimal(str(call["bundles"][0]["total"]))


def test_batch_offers_what_the_notes_ask_for_from_the_catalogue(tg, tmp_path):
    """20 printers under ¥3,000 each get a printer at 20 units, never a bundle of another kind."""
    rows = [["单位名称", "备注"], ["市一医院", "打印机 20台 单价3000以内"], ["市税务局", "工会年终给职工发，100人，总预算一万"]]
    out = read_csv_text(tg("classify", "--batch", str(write_csv(tmp_path / "leads.csv", rows))).stdout)
    printer = tg.json("catalog", "show", out[0]["bundle"], "-f", "json")
    assert printer["category"].endswith("Printers")
    assert float(out[0]["bundle_total"]) <= 20 * 3000
    assert out[1]["bundle"] and float(out[1]["bundle_total"]) <= 10000


def test_batch_gb18030_in_and_out(tg, tmp_path):
    src = write_csv(tmp_path / "gbk.csv", LEADS, encoding="gb18030")
    out = tmp_path / "out.csv"
    r = tg("--lang", "zh", "classify", "--batch", str(src), "-o", str(out))
    assert r.exit_code == 0, r.stderr
    rows = read_csv_text(out.read_text(encoding="gb18030"))
    assert rows[0]["segment_name"] == "员工福利类"
    assert "已写入" in r.stderr


def test_batch_xlsx_in_and_out(tg, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "线索"
    for row in [["Company", "Headcount", "Call notes"], ["Acme", 80, "Year-end gifts for our staff, ¥300 per head"],
                ["Beta", None, "=1+1 tender with specs"], [None, None, None]]:
        ws.append(row)
    ws["C3"].data_type = "s"
    wb.create_sheet("empty")
    src = tmp_path / "leads.xlsx"
    wb.save(src)
    out = tmp_path / "out.xlsx"
    r = tg("classify", "--batch", str(src), "-o", str(out))
    assert r.exit_code == 0, r.stderr
    back = openpyxl.load_workbook(out).active
    rows = list(back.iter_rows(values_only=True))
    assert rows[0][:3] == ("Company", "Headcount", "Call notes") and rows[0][3] == "segment"
    assert len(rows) == 3, "blank rows are dropped"
    assert rows[1][3] == "welfare" and rows[1][7] and rows[1][8] > 0
    assert rows[2][2] == "=1+1 tender with specs" and back["C3"].data_type == "s", "text, not a formula"
    assert rows[2][3] == "office"
    csv_out = tg("classify", "--batch", str(src), "--notes-column", "call notes")
    assert read_csv_text(csv_out.stdout)[0]["segment"] == "welfare"


def test_batch_json(tg, tmp_path):
    data = tg.json("classify", "--batch", str(write_csv(tmp_path / "l.csv", LEADS)), "-f", "json")
    assert [d["segment"] for d in data] == ["welfare", "gift", "office", "unknown"]


def test_batch_column_names_do_not_collide(tg, tmp_path):
    r = tg("classify", "--batch", str(write_csv(tmp_path / "l.csv", [["notes", "segment"], ["给员工发", "vip"]])))
    (row,) = read_csv_text(r.stdout)
    assert row["segment"] == "vip" and row["segment (tg)"] == "welfare"


def test_batch_of_2000_rows_classifies_every_row(tg, tmp_path):
    """(How fast: benchmarks/batch_bench.py.)"""
    rows = [["name", "notes"]] + [[f"c{i}", f"工会年终慰问，给职工发，{i % 900 + 20}人，人均{i % 500 + 50}元"]
                                  for i in range(2000)]
    src = write_csv(tmp_path / "big.csv", rows)
    r = tg("classify", "--batch", str(src), "-o", str(tmp_path / "out.csv"))
    assert r.exit_code == 0, r.stderr
    out = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    assert len(out) == 2000 and {row["segment"] for row in out} == {"welfare"}


@pytest.mark.parametrize("content, needle", [
    (None, "cannot read"),
    (b"", "is empty"),
    (b"\n\n  \n", "is empty"),
    ("单位名称,联系人\n市税务局,王科长\n".encode(), "no notes column in"),
    (b"\x00\x01\x02binary", "is not a spreadsheet"),
    (b"\xff\xfe\xfa\xfb\x81\x30", "no notes column"),  # a UTF-16 BOM: it decodes, to no header tg knows
    (b"\xff\xfa\xfb\x81\x30 notes", "is neither UTF-8 nor GB18030"),
    (b'notes\n"' + b"x" * 200_000 + b'"\n', "row 2 has a cell over"),
])
def test_batch_bad_input_is_one_line_exit_1(tg, tmp_path, content, needle):
    src = tmp_path / "in.csv"
    if content is not None:
        src.write_bytes(content)
    out = tmp_path / "out.csv"
    r = tg("classify", "--batch", str(src), "-o", str(out))
    assert r.exit_code == 1, r.output
    assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.output and not out.exists()


def test_batch_bad_xlsx_and_sheets(tg, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    r = tg("classify", "--batch", str(fake))
    assert r.exit_code == 1 and "is not a spreadsheet" in r.stderr
    wb = openpyxl.Workbook()
    wb.active.append(["notes"])
    wb.active.append(["给员工"])
    other = wb.create_sheet("two")
    other.append(["notes"])
    other.append(["送客户"])
    two = tmp_path / "two.xlsx"
    wb.save(two)
    r = tg("classify", "--batch", str(two))
    assert r.exit_code == 1 and "--sheet" in r.stderr
    picked = tg("classify", "--batch", str(two), "--sheet", "two")
    assert read_csv_text(picked.stdout)[0]["segment"] == "gift"
    assert tg("classify", "--batch", str(two), "--sheet", "nope").exit_code == 1
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "is not a valid .xls file" in tg("classify", "--batch", str(old)).stderr


def test_batch_unknown_notes_column(tg, tmp_path):
    r = tg("classify", "--batch", str(write_csv(tmp_path / "l.csv", LEADS)), "--notes-column", "描述x")
    assert r.exit_code == 1 and "has no column '描述x'" in r.stderr


@pytest.mark.parametrize("args, needle", [
    (["X"], "--batch cannot be combined with NAME"),
    (["--notes", "给员工"], "cannot be combined with --notes"),
    (["-a", "purpose=staff"], "cannot be combined with --answer"),
])
def test_batch_usage_errors(tg, tmp_path, args, needle):
    r = tg("classify", "--batch", str(write_csv(tmp_path / "l.csv", LEADS)), *args)
    assert r.exit_code == 2 and needle in r.stderr


def test_batch_only_options_need_batch(tg):
    r = tg("classify", "--notes", "给员工", "-o", "x.csv")
    assert r.exit_code == 2 and "--output only works with --batch" in r.stderr


def test_batch_over_a_file_that_is_no_database_prices_from_the_shipped_catalogue(tg, tmp_path):
    """A lead list is classified whatever TG_DB points at, and that file is left as it was."""
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 10)
    rows = [["单位名称", "备注"], ["市一医院", "打印机 20台 单价3000以内"]]
    r = tg("--db", str(junk), "classify", "--batch", str(write_csv(tmp_path / "leads.csv", rows)))
    assert r.exit_code == 0, r.stderr
    assert read_csv_text(r.stdout)[0]["bundle"]
    assert junk.read_bytes() == b"not a database at all" * 10
