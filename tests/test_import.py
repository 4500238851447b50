"""tg import clients: header mapping, normalisation, dedupe, dry runs, bad rows, round trips, bad files."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuangou_cli import cells
from tuangou_cli import importer as im
from tuangou_cli.errors import UsageError
from tuangou_cli.export import neutralise

# --- helpers ------------------------------------------------------------------------------------

LEADS_ZH = [
    ["单位名称", "联系人", "手机", "城市", "人数", "人均预算（元）", "行业", "来源"],
    ["杭州娃哈哈集团有限公司", "王科长", "138-0000-0001", "杭州", "120人", "500", "食品", "展会"],
    ["市税务局", "李主任", "0571-88881234", "杭州市", "1,200", "300元", "政府", "老客户介绍"],
    ["杭州娃哈哈集团", "赵经理", "139 0000 0002", "杭州", "", "", "", ""],
]


def write_csv(path: Path, rows, encoding="utf-8", delimiter=","):
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return str(path)


def write_xlsx(path: Path, sheets: dict[str, list[list]]):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return str(path)


def clients(tg):
    return tg.json("clients", "list", "-f", "json")


def detail(tg, query):
    return tg.json("clients", "show", query, "-f", "json")


def export_rows(tg) -> list[dict]:
    r = tg("export", "clients")
    assert r.exit_code == 0, r.stderr
    return list(csv.DictReader(io.StringIO(r.stdout, newline="")))


# --- pure: headers ---------------------------------------------------------------------------------


def test_headers_map_from_chinese_and_english_names():
    cols = im.map_headers(["单位名称", "联系人", "手机", "电话", "人均预算（元）", "预算", "Budget per head", "来源"], {})
    fields = {cols.headers[i]: f for i, f in cols.fields.items()}
    assert fields == {"单位名称": "name", "联系人": "contact", "手机": "phone", "电话": "phone",
                      "人均预算（元）": "budget_per_head", "预算": "budget_total"}
    # a second budget-per-head column is not silently taken: it is unknown, so kept in notes
    assert cols.unknown == ["Budget per head", "来源"]
    en = im.map_headers(["Company Name", "Contact_Person", "Mobile", "HEADCOUNT", "budget_total", "notes"], {})
    assert sorted(en.fields.values()) == ["budget_total", "contact", "headcount", "name", "notes", "phone"]
    assert im.has_name(en) and not im.has_name(im.map_headers(["联系人", "电话"], {}))


def test_export_columns_are_recognised_not_unknown():
    cols = im.map_headers(["id", "name", "segment", "confidence", "stage", "created_at", "updated_at",
                           "created_by", "updated_by", "reason"], {})
    assert cols.unknown == []


def test_map_overrides_and_its_errors():
    cols = im.map_headers(["单位全称", "名称", "展位"], im.parse_map(["单位全称=name", "展位=ignore"]))
    assert cols.fields == {0: "name"} and cols.unknown == ["名称"]
    with pytest.raises(UsageError, match="no column named 部门"):
        im.map_headers(["名称"], {"部门": "notes"})
    with pytest.raises(UsageError, match="unknown field colour"):
        im.parse_map(["名称=colour"])
    with pytest.raises(UsageError, match="COLUMN=FIELD"):
        im.parse_map(["名称"])


# --- pure: cells and keys ------------------------------------------------------------------------


@pytest.mark.parametrize("a,b", [
    ("杭州娃哈哈集团有限公司", "杭州娃哈哈"),
    ("杭州娃哈哈集团", "杭州 娃哈哈"),
    ("华夏银行股份有限公司", "华夏银行"),
    ("浙江某某有限责任公司", "浙江某某公司"),
    ("ＡＢＣ Trading Co., Ltd.", "abc trading"),
    ("Acme, Inc.", "ACME"),
    ("Acme Limited", "acme ltd"),
    ("市人民医院（东院）", "市人民医院东院"),
])
def test_dedupe_key_folds_suffixes_width_case_and_punctuation(a, b):
    assert im.dedupe_key(a) == im.dedupe_key(b)


@pytest.mark.parametrize("a,b", [("Tesco", "Tes"), ("集团", "公司"), ("XX分公司", "XX公司"), ("市人民医院", "市中医院")])
def test_dedupe_key_keeps_what_tells_clients_apart(a, b):
    assert im.dedupe_key(a) != im.dedupe_key(b)
    assert im.dedupe_key("集团")  # a name that is only a suffix keeps it


@pytest.mark.parametrize("text,value", [
    ("120", 120), ("120人", 120), ("1,200", 1200), ("１２０", 120), ("120.0", 120), ("5万", 50000),
    ("三百", 300), ("三百人", 300), ("2k", 2000), ("3千", 3000), ("1.2万", 12000), ("两千五", 2500),
])
def test_headcount_parses(text, value):
    assert cells.cell_number(text, integer=True) == value


@pytest.mark.parametrize("text,value", [("¥500", 500.0), ("500元/人", 500.0), ("RMB 1,000.5", 1000.5), ("3.5万", 35000.0),
                                        ("¥400", 400.0), ("400元", 400.0), ("￥1.2万", 12000.0), ("五百", 500.0)])
def test_budget_parses(text, value):
    assert cells.cell_number(text) == value


@pytest.mark.parametrize("text,why", [("约120", "not a number"), ("12.5", "whole number"), ("-3", "negative"),
                                      ("nan", "not a number"), ("120-150", "not a number"), ("1,2,3", "not a number"),
                                      ("很多", "not a number")])
def test_bad_headcounts(text, why):
    with pytest.raises(cells.CellError, match=why):
        cells.cell_number(text, integer=True)


def test_phones():
    shown, keys = cells.parse_phones("+86 138-0000-0001 / 0571-8888 1234转12")
    assert shown == "+86 138-0000-0001, 0571-8888 1234转12"
    assert keys == cells.parse_phones("13800000001")[1] + cells.parse_phones("(0571)88881234")[1]
    wide = "".join(chr(ord(c) + 0xFEE0) for c in "8613800000001")  # full-width digits
    assert cells.parse_phones(wide)[1] == cells.parse_phones("13800000001")[1]
    for bad in ("abc", "123", "138-0000-0001-0000-0000-1", "王科长", "tel: 95588?"):
        with pytest.raises(cells.CellError, match="not a phone number"):
            cells.parse_phones(bad)


@given(st.text(alphabet="'=+-@\t\rab,\"\n市", max_size=8))
def test_unneutralise_undoes_neutralise(text):
    assert cells.unneutralise(neutralise(text)) == text


# --- pure: rows and planning ------------------------------------------------------------------------


def test_numbers_past_fifteen_digits_are_refused_not_stored():
    """A 20-digit headcount overflowed SQLite's integer; 400 nines made infinity; 5,000 digits
    were beyond int()'s limit: each was an internal error or a stored nonsense value."""
    for text in ("9" * 16, "9" * 20, "9" * 400, "9" * 5000, "1" + "0" * 15 + "人"):
        for integer in (True, False):
            with pytest.raises(cells.CellError):
                cells.cell_number(text, integer=integer)
    assert cells.cell_number("9" * 15, integer=True) == 10 ** 15 - 1


def test_parse_row_reports_every_bad_cell_with_its_column():
    cols = im.map_headers(["名称", "人数", "电话", "人均"], {})
    problems = im.parse_row(9, ["", "约120", "call me", "-5"], cols, {})
    assert [(p.line, p.column) for p in problems] == [(9, "名称"), (9, "人数"), (9, "电话"), (9, "人均")]
    assert "no name" in problems[0].reason


# Cells chosen to reach every branch of both readers: blanks, neutralised formulas, plain and
# unusual numbers, one and several phone numbers, over-long names and stage codes.
_CELLS = st.one_of(
    st.sampled_from(["", " ", "\t", "\u3000", "'", "'=1+1", "'\t", "''=x", "杭州", " 杭州市 ", "Acme  Co., Ltd.",
                     "120", "1,200", "120人", "300元", "¥300", "$300", "$1,200", "1.5万", "１２０", "-5", "约120",
                     "0", "12.5", "9" * 16, "13800000000", "+86 138-0000-0000", "138 0000 0000", "0571-8888 1234转12",
                     "138;139", "call me", "1234", "lead", "x" * 41, "名" * 201, "王 科长", "  ", "a\nb"]),
    st.text(max_size=12))
_HEADERS = ["名称", "联系人", "手机", "电话", "城市", "人数", "人均预算", "预算", "行业", "备注", "说明", "职务", "阶段",
            "负责人", "场合", "来源", "渠道", "id", "created_at", "updated_at", "created_by", "类型", "把握度"]
_SEGMENTS = im.segment_lookup(["office", "welfare", "gift"], [("welfare", "员工福利"), ("gift", "Gifts")])


# What each kind of column usually holds; a row of these is read by the column-wise road.
_ORDINARY = {
    "名称": ["杭州娃哈哈", "Acme  Co., Ltd.", " 市税务局 ", "华夏银行"],
    "联系人": ["王科长", " 王  科长 ", ""], "职务": ["主任", " 经理 ", ""],
    "手机": ["13800000000", "138 0000  0000", "+86 138-0000-0000", ""], "电话": ["0571-88881234", ""],
    "人数": ["120", "1,200", "120人", ""], "人均预算": ["300", "¥300", "$300", "300元"], "预算": ["5000", ""],
    "备注": ["年终慰问", " 给职工发 ", "", "a\nb", "'=1+1"], "说明": ["x", "", "'@x"],
    "id": ["12", " 7 ", "", "x1", "²"], "created_at": ["2026-11-30T08:00:00+00:00", "2026-11-30 08:00:00", "", "soon"],
    "updated_at": ["2026-11-30T08:00:00+00:00", "'=x"], "created_by": ["li", "'=x"],
    "类型": ["welfare", "员工福利", "GIFTS", "", "nonsense"], "把握度": ["0.5", "73%", "", "1.5", "x"],
}


@settings(max_examples=300, deadline=None)
@given(headers=st.lists(st.sampled_from(_HEADERS), min_size=1, max_size=8, unique=True), data=st.data())
def test_parse_rows_gives_what_parse_row_gives(headers, data):
    """The column-by-column reader is only a faster road: the same Rows and Problems, row for row."""
    headers = ["名称"] + [h for h in headers if h != "名称"]
    cols = im.map_headers(headers, {})
    usual = [st.sampled_from(_ORDINARY.get(h, ["杭州", " 杭州市 ", "", "a  b", "'-x"])) for h in headers]
    row = st.one_of(*[st.tuples(*usual).map(list)] * 3,  # mostly ordinary rows, some with anything at all
                    st.lists(st.one_of(*usual[:1] * 3, _CELLS), max_size=len(headers) + 2))
    body = data.draw(st.lists(row, max_size=12))
    lines = list(range(2, len(body) + 2))
    expected = im._one_by_one(lines, body, cols, _SEGMENTS)
    assert im.parse_rows(lines, body, cols, _SEGMENTS) == expected


def test_planner_merges_in_file_and_keeps_cities_apart():
    cols = im.map_headers(["名称", "城市", "电话", "人数"], {})
    plan = im.Planner(im.Index())
    for line, cells in enumerate([["市人民医院", "杭州", "", "100"], ["市人民医院", "宁波", "", ""],
                                  ["市人民医院", "杭州市", "13800000001", "120"], ["华夏银行", "", "", ""],
                                  ["华夏银行股份有限公司", "北京", "", ""]], start=2):
        plan.add(im.parse_row(line, cells, cols, {}))
    assert [(g.line, g.merged) for g in plan.groups] == [(2, [4]), (3, None), (5, [6])]
    hz = plan.groups[0]
    assert hz.values["headcount"] == 120 and len(hz.contacts) == 1, "the later row's values win"


def test_planner_matches_existing_by_key_city_phone_and_rejects_ambiguity():
    index = im.Index()
    index.add(1, "市人民医院", "杭州")
    index.add(2, "市人民医院", "宁波")
    index.add(3, "华夏银行股份有限公司", None)
    index.phones[1] = {"13800000001"}
    cols = im.map_headers(["名称", "城市", "电话"], {})
    plan = im.Planner(index)
    for line, cells in enumerate([["市人民医院", "宁波市", ""], ["华夏银行", "", ""],
                                  ["市人民医院", "", "+86 138 0000 0001"], ["市人民医院", "", ""]], start=2):
        plan.add(im.parse_row(line, cells, cols, {}))
    assert [(g.line, g.existing) for g in plan.groups] == [(2, 2), (3, 3), (4, 1)]
    (p,) = plan.problems
    assert p.line == 5 and "#1, #2" in p.reason


def test_notes_keep_unknown_columns_once():
    assert im.merged_notes(None, None, ["来源: 展会"]) == "来源: 展会"
    assert im.merged_notes("老客户\n来源: 展会", None, ["来源: 展会"]) == "老客户\n来源: 展会"
    assert im.merged_notes("old", "new", ["来源: 展会"]) == "new\n来源: 展会"
    assert im.merged_notes("old", None, None) == "old"


# --- the command ------------------------------------------------------------------------------------


def test_gb18030_csv_with_chinese_headers(tg, tmp_path):
    path = write_csv(tmp_path / "leads.csv", LEADS_ZH, "gb18030")
    r = tg("import", "clients", path)
    assert r.exit_code == 0, r.stderr
    assert "created 2, updated 0, unchanged 0, merged 1, skipped 0, rejected 0" in r.stderr
    assert "row 4 merged into row 2 (杭州娃哈哈集团有限公司)" in r.stderr
    assert "columns not recognised, kept in notes: 来源" in r.stderr
    got = {c["name"]: c for c in clients(tg)}
    assert set(got) == {"杭州娃哈哈集团有限公司", "市税务局"}
    tax = detail(tg, "市税务局")
    assert (tax["client"]["headcount"], tax["client"]["budget_per_head"], tax["client"]["city"]) == (1200, 300.0, "杭州市")
    assert tax["client"]["notes"] == "来源: 老客户介绍" and tax["client"]["created_by"] == "tester"
    assert [(c["name"], c["phone"]) for c in tax["contacts"]] == [("李主任", "0571-88881234")]
    wahaha = detail(tg, "杭州娃哈哈集团有限公司")
    assert [(c["name"], c["phone"]) for c in wahaha["contacts"]] == [("王科长", "138-0000-0001"),
                                                                     ("赵经理", "139 0000 0002")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_encodings_detected(tg, tmp_path, encoding):
    path = write_csv(tmp_path / "leads.csv", LEADS_ZH, encoding)
    r = tg("import", "clients", path)
    assert r.exit_code == 0, r.stderr
    assert {c["name"] for c in clients(tg)} == {"杭州娃哈哈集团有限公司", "市税务局"}


def test_utf8_start_then_gb18030_later_is_retried(tg, tmp_path):
    rows = [["name", "city"]] + [[f"client {i}", "x"] for i in range(5000)] + [["市税务局", "杭州"]]
    path = write_csv(tmp_path / "late.csv", rows, "gb18030")  # the first 64 KiB are plain ASCII
    r = tg("import", "clients", path)
    assert r.exit_code == 0, r.stderr
    assert detail(tg, "市税务局")["client"]["city"] == "杭州"


def test_encoding_option_overrides(tg, tmp_path):
    path = write_csv(tmp_path / "leads.csv", LEADS_ZH, "gb18030")
    r = tg("import", "clients", path, "--encoding", "utf-8")
    assert r.exit_code == 1 and "cannot be decoded as utf-8" in r.stderr
    assert tg("import", "clients", path, "--encoding", "klingon").exit_code == 2
    assert tg("import", "clients", path, "--encoding", "GB18030").exit_code == 0


def test_tsv_and_semicolons(tg, tmp_path):
    assert tg("import", "clients", write_csv(tmp_path / "a.tsv", [["名称", "城市"], ["甲, 乙", "杭州"]],
                                            delimiter="\t")).exit_code == 0
    assert tg("import", "clients", write_csv(tmp_path / "b.csv", [["name", "city"], ["Acme", "Paris"]],
                                            delimiter=";")).exit_code == 0
    assert {(c["name"], c["city"]) for c in clients(tg)} == {("甲, 乙", "杭州"), ("Acme", "Paris")}


def test_xlsx_with_title_row_numbers_and_dates(tg, tmp_path):
    from datetime import datetime

    path = write_xlsx(tmp_path / "leads.xlsx", {"名单": [
        ["2026 展会客户名单"],
        [],
        ["客户名称", "电话", "人数", "人均预算", "展会日期"],
        ["华夏银行", 13800000001, 300, 450.0, datetime(2026, 5, 1)],
        ["市人民医院", None, 80.0, None, None],
    ]})
    r = tg("import", "clients", path)
    assert r.exit_code == 0, r.stderr
    bank = detail(tg, "华夏银行")
    assert (bank["client"]["headcount"], bank["client"]["budget_per_head"]) == (300, 450.0)
    assert bank["contacts"][0]["phone"] == "13800000001" and bank["contacts"][0]["name"] == ""
    assert bank["client"]["notes"] == "展会日期: 2026-05-01"
    assert detail(tg, "市人民医院")["client"]["headcount"] == 80


@pytest.mark.fresh_db
def test_xlsx_several_sheets_need_sheet(tg, tmp_path, testdb):
    path = write_xlsx(tmp_path / "two.xlsx", {"杭州": [["名称"], ["甲"]], "宁波": [["名称"], ["乙"]], "空": []})
    r = tg("import", "clients", path)
    assert r.exit_code == 1 and "several sheets (杭州, 宁波): choose one with --sheet" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not testdb.exists()
    assert tg("import", "clients", path, "--sheet", "宁波").exit_code == 0
    assert [c["name"] for c in clients(tg)] == ["乙"]
    r = tg("import", "clients", path, "--sheet", "温州")
    assert r.exit_code == 1 and "no sheet 温州" in r.stderr
    one = write_xlsx(tmp_path / "one.xlsx", {"Sheet1": [["name"], ["丙"]], "Sheet2": [], "Sheet3": []})
    assert tg("import", "clients", one).exit_code == 0, "empty sheets do not count"


def test_map_option_and_unknown_columns_kept(tg, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["单位全称", "对接部门", "展位号", "内部编码"], ["市税务局", "办公室", "A12", "X-1"]])
    r = tg("import", "clients", path, "--map", "单位全称=name", "--map", "对接部门=industry", "--map", "内部编码=ignore")
    assert r.exit_code == 0, r.stderr
    c = detail(tg, "市税务局")["client"]
    assert (c["industry"], c["notes"]) == ("办公室", "展位号: A12")
    r = tg("import", "clients", path, "--map", "部门=notes")
    assert r.exit_code == 2 and "no column named 部门" in r.stderr


def test_segment_column_by_code_or_name(tg, tmp_path, mini):
    path = write_csv(tmp_path / "s.csv", [["名称", "类型", "把握度"], ["甲", "welfare", "80%"], ["乙", "Office", "0.5"]])
    r = tg("import", "clients", path)
    assert r.exit_code == 0, r.stderr
    assert {(c["name"], c["segment"], c["confidence"]) for c in clients(tg)} == {("甲", "welfare", 0.8),
                                                                               ("乙", "office", 0.5)}
    bad = write_csv(tmp_path / "b.csv", [["名称", "类型"], ["丙", "retail"]])
    r = tg("import", "clients", bad)
    assert r.exit_code == 1 and "row 2, 类型: unknown segment retail" in r.stderr


# --- dedupe against the database ----------------------------------------------------------------------


def test_existing_clients_are_updated_not_duplicated(tg, tmp_path):
    assert tg("clients", "add", "杭州娃哈哈集团", "--city", "杭州", "--headcount", "100", "--notes", "老客户").exit_code == 0
    path = write_csv(tmp_path / "leads.csv", LEADS_ZH)
    r = tg("import", "clients", path)
    assert r.exit_code == 0, r.stderr
    assert "created 1, updated 1, unchanged 0, merged 1" in r.stderr
    (wahaha,) = [c for c in clients(tg) if "娃哈哈" in c["name"]]
    d = detail(tg, str(wahaha["id"]))
    assert d["client"]["name"] == "杭州娃哈哈集团", "a name variant does not rename"
    assert (d["client"]["headcount"], d["client"]["industry"]) == (120, "食品")
    assert d["client"]["notes"] == "老客户\n来源: 展会"
    assert len(d["contacts"]) == 2
    again = tg("import", "clients", path)
    assert "created 0, updated 0, unchanged 2, merged 1" in again.stderr, "a second import is a no-op"
    assert len(detail(tg, str(wahaha["id"]))["contacts"]) == 2 and len(clients(tg)) == 2


def test_on_duplicate_skip_and_error(tg, tmp_path):
    tg("clients", "add", "市税务局", "--headcount", "10")
    path = write_csv(tmp_path / "x.csv", [["名称", "人数"], ["市税务局", "99"], ["华夏银行", "5"]])
    r = tg("import", "clients", path, "--on-duplicate", "skip")
    assert r.exit_code == 0 and "created 1, updated 0, unchanged 0, merged 0, skipped 1" in r.stderr
    assert detail(tg, "市税务局")["client"]["headcount"] == 10
    r = tg("import", "clients", path, "--on-duplicate", "error")
    assert r.exit_code == 1 and "row 2, 名称: already a client, #1" in r.stderr


def test_same_name_in_two_cities_needs_a_city(tg, tmp_path):
    tg("clients", "add", "市人民医院", "--city", "杭州")
    tg("clients", "add", "市人民医院", "--city", "宁波")
    path = write_csv(tmp_path / "x.csv", [["名称", "城市", "人数"], ["市人民医院", "宁波", "500"], ["市人民医院", "", "1"]])
    r = tg("import", "clients", path)
    assert r.exit_code == 1 and "row 3, 名称: matches several existing clients (#1, #2)" in r.stderr
    r = tg("import", "clients", path, "--skip-errors", str(tmp_path / "rej.csv"))
    assert r.exit_code == 0 and detail(tg, "2")["client"]["headcount"] == 500


# --- dry run and bad rows ----------------------------------------------------------------------------------


@pytest.mark.fresh_db
def test_dry_run_prints_the_plan_and_writes_nothing(tg, tmp_path, testdb):
    path = write_csv(tmp_path / "leads.csv", LEADS_ZH + [["", "孙", "", "", "", "", "", ""]])
    r = tg("import", "clients", path, "--dry-run", "--skip-errors", str(tmp_path / "rej.csv"))
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == [
        "create  row 2  杭州娃哈哈集团有限公司  (+2 contact(s))",
        "create  row 3  市税务局  (+1 contact(s))",
        "merge   row 4 merged into row 2 (杭州娃哈哈集团有限公司)",
        "reject  row 5, 单位名称: no name",
    ]
    assert "dry run, nothing written: created 2, updated 0, unchanged 0, merged 1, skipped 0, rejected 1" in r.stderr
    assert not testdb.exists(), "a dry run does not even create the database"
    assert not (tmp_path / "rej.csv").exists()
    tg("clients", "add", "市税务局", "--headcount", "10")
    r = tg("import", "clients", path, "-n")
    assert r.exit_code == 1, "the real run would fail on the bad row"
    assert "dry run, nothing written: created 1, updated 1, unchanged 0, merged 1, skipped 0, rejected 1" in r.stderr
    (update,) = [x for x in r.stdout.splitlines() if x.startswith("update")]
    assert update == ("update  row 3  #1 市税务局  industry: — → 政府; city: — → 杭州市; headcount: 10 → 1200; "
                      "budget_per_head: — → 300; notes: — → 来源: 老客户介绍; +1 contact(s)")
    assert [c["headcount"] for c in clients(tg)] == [10]


def test_bad_rows_stop_everything_by_default(tg, tmp_path):
    rows = [["名称", "人数", "电话"], ["甲", "12", ""], ["", "3", ""], ["乙", "约120", "call me"], ["甲", "7", ""]]
    path = write_csv(tmp_path / "x.csv", rows)
    r = tg("import", "clients", path)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[-4:] == [
        "tg: 2 bad row(s), nothing imported: fix them, or import the rest with --skip-errors REJECTS.csv",
        "  row 3, 名称: no name",
        "  row 4, 人数: not a number: 约120",
        "  row 4, 电话: not a phone number: call me",
    ]
    assert clients(tg) == []
    assert "merged" not in r.stderr


def test_skip_errors_imports_good_rows_and_rejects_can_be_fixed(tg, tmp_path):
    rows = [["名称", "人数", "电话", "来源"], ["甲", "12", "", ""], ["乙", "约120", "", "=cmd|' /C calc'!A0"], ["丙", "7", "", ""]]
    path = write_csv(tmp_path / "x.csv", rows)
    rej = tmp_path / "rej.csv"
    r = tg("import", "clients", path, "--skip-errors", str(rej))
    assert r.exit_code == 0, r.stderr
    assert "created 2, updated 0, unchanged 0, merged 0, skipped 0, rejected 1" in r.stderr
    assert f"rejected rows written to {rej}" in r.stderr
    raw = rej.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    (bad,) = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert bad["名称"] == "乙" and bad["reason"] == "row 3 · 人数: not a number: 约120"
    assert bad["来源"] == "'=cmd|' /C calc'!A0", "the rejects file is safe to open in Excel"
    fixed = rej.read_text(encoding="utf-8-sig").replace("约120", "120")
    rej.write_text(fixed, encoding="utf-8-sig")
    r = tg("import", "clients", str(rej))
    assert r.exit_code == 0 and "created 1" in r.stderr
    assert "kept in notes: 来源 (" in r.stderr, "the reason column is not an unknown column"
    c = detail(tg, "乙")["client"]
    assert (c["headcount"], c["notes"]) == (120, "来源: =cmd|' /C calc'!A0")


def test_skip_errors_cannot_overwrite_the_input(tg, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["名称"], ["甲"]])
    assert tg("import", "clients", path, "--skip-errors", path).exit_code == 2


# --- round trips ---------------------------------------------------------------------------------------------


def test_export_then_import_changes_nothing(tg, tmp_path):
    # The shipped playbook, not mini: `clients add --stage qualify` needs a playbook with that stage.
    for args in (["市税务局", "--city", "杭州", "--headcount", "120", "--budget-per-head", "500", "--segment", "welfare",
                  "--notes", "=1+1\n说\"你好\", 再见"],
                 ["-2 号楼", "--notes", "'=already quoted"], ["@华夏银行", "--stage", "qualify", "--owner", "li"]):
        assert tg("clients", "add", *args[1:], "--", args[0]).exit_code == 0
    tg("classify", "市税务局", "-a", "purpose=staff", "-f", "json")
    out = tmp_path / "c.csv"
    assert tg("export", "clients", "--excel", "-o", str(out)).exit_code == 0
    before = out.read_bytes()
    r = tg("import", "clients", str(out))
    assert r.exit_code == 0 and "created 0, updated 0, unchanged 3" in r.stderr, r.stderr
    assert tg("export", "clients", "--excel", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == before


def test_export_id_and_created_at_let_a_renamed_row_update(tg, tmp_path):
    tg("clients", "add", "市税务局")
    out = tmp_path / "c.csv"
    tg("export", "clients", "-o", str(out))
    out.write_text(out.read_text(encoding="utf-8").replace("市税务局", "国家税务总局杭州市税务局"), encoding="utf-8")
    r = tg("import", "clients", str(out))
    assert "created 0, updated 1" in r.stderr
    assert [c["name"] for c in clients(tg)] == ["国家税务总局杭州市税务局"]
    other = tmp_path / "other.csv"  # an id from another database (created_at differs) is not trusted
    write_csv(other, [["id", "name", "created_at"], ["1", "华夏银行", "2020-01-01T00:00:00+00:00"]])
    assert "created 1, updated 0" in tg("import", "clients", str(other)).stderr


NAME_CHARS = "市人民医院税务局银行甲乙ＡＢＣ１２ab,\"'\n=+-@\t "
names = st.text(alphabet=NAME_CHARS, min_size=1, max_size=10).filter(lambda s: s.strip())
notes = st.one_of(st.none(), st.text(alphabet=NAME_CHARS + "\r", min_size=1, max_size=12).filter(lambda s: s.strip()))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(names, notes), min_size=1, max_size=4, unique_by=lambda t: im.dedupe_key(t[0])))
def test_round_trip_property(tg, testdb, records):
    testdb.clear()  # hypothesis runs many examples in one test: each starts empty
    with tempfile.TemporaryDirectory() as tmp:
        out = f"{tmp}/c.csv"
        for name, note in records:
            r = tg("clients", "add", *(["--notes", note] if note else []), "--", name)
            assert r.exit_code == 0, r.stderr
        assert tg("export", "clients", "-o", out).exit_code == 0
        first = Path(out).read_bytes()
        r = tg("import", "clients", out)
        assert r.exit_code == 0 and f"unchanged {len(records)}," in r.stderr, r.stderr
        assert tg("export", "clients", "-o", out).exit_code == 0
        assert Path(out).read_bytes() == first
        keep = ["name", "notes", "stage"]
        a = [{k: x[k] for k in keep} for x in json.loads(tg("export", "clients", "-f", "json").stdout)]
        testdb.clear()
        r = tg("import", "clients", out)  # into an empty database: the same clients
        assert r.exit_code == 0 and f"created {len(records)}," in r.stderr, r.stderr
        b = [{k: x[k] for k in keep} for x in json.loads(tg("export", "clients", "-f", "json").stdout)]
        assert a == b


# --- bad files: one line, exit 1, nothing written ------------------------------------------------------------


def one_line_error(r, text):
    assert r.exit_code == 1, (r.exit_code, r.stderr)
    assert text in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr


def make_bad(kind: str, tmp: Path) -> Path:
    if kind == "png":
        (p := tmp / "logo.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    elif kind == "fake_xlsx":
        (p := tmp / "list.xlsx").write_text("name\nAcme\n")
    elif kind == "zip":
        import zipfile

        p = tmp / "notes.xlsx"
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("readme.txt", "hello")
    elif kind == "xls":
        (p := tmp / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    elif kind == "empty":
        (p := tmp / "empty.csv").write_bytes(b"")
    elif kind == "bom_only":
        (p := tmp / "bom.csv").write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    elif kind == "empty_xlsx":
        p = Path(write_xlsx(tmp / "empty.xlsx", {"Sheet1": []}))
    elif kind == "no_name":
        p = Path(write_csv(tmp / "people.csv", [["联系人", "电话"], ["王科长", "13800000001"]]))
    elif kind == "undecodable":
        (p := tmp / "latin.csv").write_bytes("名称\n".encode() + b"\xff\xfe\xfa bad\n")
    elif kind == "big_cell_csv":
        p = Path(write_csv(tmp / "big.csv", [["名称", "备注"], ["甲", "x" * 10_000_000]]))
    elif kind == "big_cell_xlsx":  # openpyxl and Excel write at most 32767 characters: patch the XML
        import zipfile

        small = Path(write_xlsx(tmp / "small.xlsx", {"s": [["名称", "备注"], ["甲", "BIGCELL"]]}))
        p = tmp / "big.xlsx"
        with zipfile.ZipFile(small) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item)
                zout.writestr(item, data.replace(b"BIGCELL", b"x" * 10_000_000))
    elif kind == "missing":
        p = tmp / "nope.csv"
    elif kind == "directory":
        p = tmp
    return p


@pytest.mark.parametrize("kind,message", [
    ("png", "is not a spreadsheet"),
    ("fake_xlsx", "is not a spreadsheet"),
    ("zip", "is not a spreadsheet"),
    ("xls", "is not a valid .xls file"),
    ("empty", "is empty"),
    ("bom_only", "is empty"),
    ("empty_xlsx", "is empty"),
    ("no_name", "no name column among its headers (联系人, 电话): name one with --map COLUMN=name"),
    ("undecodable", "is neither UTF-8 nor GB18030"),
    ("big_cell_csv", "row 2 has a cell over 131072 characters"),
    ("big_cell_xlsx", "row 2 has a cell over 131072 characters"),
    ("missing", "cannot read"),
    ("directory", "is not a spreadsheet"),
])
@pytest.mark.fresh_db
def test_bad_files(tg, tmp_path, testdb, kind, message):
    src = tmp_path / "src"
    src.mkdir()
    r = tg("import", "clients", str(make_bad(kind, src)))
    one_line_error(r, message)
    assert not testdb.exists(), "nothing written, not even a new database"


def test_bad_file_leaves_an_existing_database_alone(tg, tmp_path):
    tg("clients", "add", "甲")
    before = export_rows(tg)
    one_line_error(tg("import", "clients", str(make_bad("big_cell_csv", tmp_path))), "cell over")
    assert export_rows(tg) == before


def test_messages_in_chinese(tg, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["名称", "人数"], ["甲", "很多"]])
    r = tg("--lang", "zh", "import", "clients", path)
    assert r.exit_code == 1 and "第 2 行，人数：不是数字：很多" in r.stderr
    r = tg("--lang", "zh", "import", "clients", path, "--skip-errors", str(tmp_path / "r.csv"))
    assert "新建 0，更新 0，无变化 0，合并 0，跳过 0，拒绝 1" in r.stderr


def test_imported_file_exports_and_reimports_unchanged(tg, tmp_path):
    path = write_csv(tmp_path / "leads.csv", LEADS_ZH, "gb18030")
    r = tg("import", "clients", path)
    assert r.exit_code == 0 and "created 2, updated 0, unchanged 0, merged 1" in r.stderr, r.stderr
    wahaha = tg.json("clients", "show", "杭州娃哈哈集团有限公司", "-f", "json")
    assert [c["name"] for c in wahaha["contacts"]] == ["王科长", "赵经理"]
    out = tmp_path / "c.csv"
    assert tg("export", "clients", "-o", str(out)).exit_code == 0
    before = out.read_bytes()
    r = tg("import", "clients", str(out))
    assert "created 0, updated 0, unchanged 2" in r.stderr, r.stderr
    tg("export", "clients", "-o", str(out))
    assert out.read_bytes() == before
