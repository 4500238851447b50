"""The catalogue: price lists read with zh/en headers, each bad input one line with row and column
and nothing written; import, list, search, show, export, set-price on both engines."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest

from tuangou_cli import catalog
from tuangou_cli.catalog import Product, RowProblem, read_rows

ZH = ("编码,品名,规格,单位,含税单价,税率,起订量,货期,类别,适用场合,客户类型,标签,阶梯价\n"
      "TP-001,测试打印机,A4黑白,台,\"¥1,500.00\",13%,1,5天,办公设备/打印机,日常,办公,practical,10:3;30:6\n"
      "TP-002,测试月饼,6枚装,盒,128元,0.13,20,7,食品/月饼,中秋,福利;礼品,festive,50:3\n")
EN = ("Item code,Product name,Specification,Unit,Unit price,VAT rate,MOQ,Lead time,Category,Occasion\n"
      "TE-001,Test tote,38x42 cm,piece,5.50,13,100,1 week,Gifts/Promotional items,promotion\n")


def rows(text: str):
    data = list(csv.reader(text.splitlines()))
    return data[0], data[1:]


def products(text: str) -> list:
    h, body = rows(text)
    return list(read_rows(h, body))


def test_chinese_headers_and_messy_cells():
    a, b = products(ZH)
    assert (a.code, a.name.zh, a.unit.zh, a.unit.en, a.unit_price, a.vat_rate, a.lead_days) == \
        ("TP-001", "测试打印机", "台", "unit", Decimal("1500.00"), 13.0, 5)
    assert a.category.zh == "办公设备/打印机" and a.occasions == ("routine",) and a.segments == ("office",)
    assert [(t.min_qty, t.discount_pct) for t in a.tiers] == [(10, 3.0), (30, 6.0)]
    assert a.includes_vat  # 含税单价
    assert (b.vat_rate, b.min_order, b.segments, b.occasions) == (13.0, 20, ("welfare", "gift"), ("mid_autumn",))


def test_english_headers():
    (p,) = products(EN)
    assert (p.code, p.name.en, p.unit_price, p.min_order, p.lead_days, p.occasions) == \
        ("TE-001", "Test tote", Decimal("5.50"), 100, 7, ("promotion",))


def test_plain_english_words_name_the_usual_field_and_a_bracket_the_other():
    # "name" and "category" are the product's own name and category; "Name (EN)" is the English one.
    assert catalog.map_headers(["name", "price", "category", "spec"]) == \
        {"name_zh": 0, "unit_price": 1, "category_zh": 2, "spec_zh": 3}
    assert catalog.map_headers(["Name (EN)", "Category (en)", "单价（元）", "货期（天）", "*编码"]) == \
        {"name_en": 0, "category_en": 1, "unit_price": 2, "lead_days": 3, "code": 4}
    [p] = read_rows(["name", "category", "unit", "price"], [["A4 copy paper", "office", "box", "120"]])
    assert (p.name.zh, p.category.zh, p.unit_price) == ("A4 copy paper", "office", Decimal("120.00"))


def test_excl_vat_header_and_generated_code():
    (p,) = products("品名,不含税单价\n无编码的笔,3.20\n")
    assert not p.includes_vat and p.code.startswith("P-")


BAD = [
    ("品名,单价\n笔,-5\n", 2, "单价", "negative"),
    ("品名,单价\n笔,abc\n", 2, "单价", "not a price"),
    ("品名,单价,起订量\n笔,5,0\n", 2, "起订量", "at least 1"),
    ("编码,品名,单价\nA-1,笔,5\nA-1,纸,6\n", 3, "编码", "also on row 2"),
    ("品名,单价,税率\n笔,5,130%\n", 2, "税率", "between 0 and 100"),
    ("品名,单价,阶梯价\n笔,5,50:6;20:3\n", 2, "阶梯价", "rise"),
]


@pytest.mark.parametrize("text,row,column,says", BAD)
def test_bad_cells_name_row_and_column(text, row, column, says):
    from tuangou_cli import i18n

    i18n.set_lang("en")
    h, body = rows(text)
    problems = [x for x in read_rows(h, body) if isinstance(x, RowProblem)]
    assert problems and (problems[0].row, problems[0].column) == (row, column)
    assert says in problems[0].line("f.csv") and problems[0].line("f.csv").startswith(f"f.csv: row {row}, column {column}")


@pytest.mark.parametrize("text,missing", [("规格,单价\nA4,5\n", "name_zh"), ("品名,规格\n笔,黑\n", "unit_price")])
def test_no_name_or_price_column(text, missing):
    h, body = rows(text)
    with pytest.raises(RowProblem) as exc:
        list(read_rows(h, body))
    assert exc.value.row == 1 and exc.value.column == missing


def test_csv_row_round_trip():
    (p,) = products(EN)
    again = list(read_rows(list(catalog.COLUMNS), [[p.row()[c] for c in catalog.COLUMNS]]))
    assert again == [p]


def test_shipped_default_catalogue_reads_clean():
    from tuangou_cli.store.catalog import default_products

    got = default_products()
    assert len(got) >= 20 and len({p.code for p in got}) == len(got)
    assert all(isinstance(p, Product) and p.unit_price > 0 for p in got)


# --- the command, on both engines ----------------------------------------------------------


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_import_then_list_search_show(tg, tmp_path):
    path = write(tmp_path, "报价单.csv", "XX商贸公司2026年团购报价单\n" + ZH, encoding="gb18030")
    r = tg("--lang", "en", "catalog", "import", str(path))
    assert r.exit_code == 0, r.stderr
    assert "2 new" in r.stderr
    listed = tg.json("catalog", "list", "--category", "办公设备", "--format", "json")
    assert "TP-001" in [x["code"] for x in listed]
    found = tg.json("catalog", "search", "月饼", "--format", "json")
    assert [x["code"] for x in found] == ["TP-002"] or "TP-002" in [x["code"] for x in found]
    shown = tg.json("catalog", "show", "TP-001", "--format", "json")
    assert shown["unit_price"] == 1500.0 and shown["price_history"][-1]["unit_price"] == 1500.0
    again = tg("--lang", "en", "catalog", "import", str(path))
    assert "0 new" in again.stderr and "2 unchanged" in again.stderr


def test_import_keeps_the_default_and_the_playbook_bundles(tg, tmp_path):
    tg("catalog", "import", str(write(tmp_path, "en.csv", EN)))
    codes = [x["code"] for x in tg.json("catalog", "list", "--format", "json")]
    assert "TE-001" in codes and "OF-PRN-001" in codes
    bundles = tg("catalog", "list", "--bundles", "--format", "csv").stdout
    assert "office_print_pack" in bundles


@pytest.mark.parametrize("text,says", [
    ("编码,品名,单价\nA-1,笔,5\nA-2,纸,-6\n", "row 3, column 单价"),
    ("规格,单价\nA4,5\n", "no name_zh column"),
    ("编码,品名,单价,组成\nB-1,套餐,,NOPE-1×2\n", "row 2, column 组成"),
])
def test_bad_file_one_line_nothing_written(tg, testdb, tmp_path, text, says):
    r = tg("--lang", "en", "catalog", "import", str(write(tmp_path, "bad.csv", text)))
    assert r.exit_code == 1 and says in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    if testdb.exists():
        assert testdb.scalar("select count(*) from product where code like 'A-%' or code like 'B-%'") == 0
        assert testdb.scalar("select count(*) from catalog_bundle where code = 'B-1'") == 0


def test_skip_errors_imports_the_rest(tg, testdb, tmp_path):
    rejects = tmp_path / "rejects.csv"
    text = "编码,品名,单价\nA-1,笔,5\nA-2,纸,-6\nA-3,本,8\n"
    r = tg("--lang", "en", "catalog", "import", str(write(tmp_path, "p.csv", text)), "--skip-errors", str(rejects))
    assert r.exit_code == 0, r.stderr
    assert testdb.scalar("select count(*) from product where code in ('A-1', 'A-3')") == 2
    got = list(csv.reader(rejects.read_text(encoding="utf-8-sig").splitlines()))
    assert got[1][:2] == ["A-2", "纸"] and "row 3" in got[1][-1]


def test_dry_run_writes_nothing(tg, testdb, tmp_path):
    tg("catalog", "list")  # a database exists
    r = tg("--lang", "en", "catalog", "import", str(write(tmp_path, "p.csv", EN)), "--dry-run")
    assert r.exit_code == 0 and "1 new" in r.stderr and "nothing written" in r.stderr
    assert testdb.scalar("select count(*) from product where code = 'TE-001'") in (0, None)


def test_bundle_rows_name_their_products(tg, tmp_path):
    text = "编码,品名,单价,组成,客户类型\nA-1,笔,5,,礼品\nA-2,本,8,,礼品\nB-1,文具套装,,A-1×2;A-2,礼品\n"
    assert tg("catalog", "import", str(write(tmp_path, "b.csv", text))).exit_code == 0
    shown = tg.json("catalog", "show", "B-1", "--format", "json")
    assert shown["set_price"] == 18.0 and [x["count"] for x in shown["lines"]] == [2, 1]


def test_replace_makes_the_rest_inactive(tg, tmp_path):
    tg("catalog", "import", str(write(tmp_path, "en.csv", EN)), "--replace")
    codes = [x["code"] for x in tg.json("catalog", "list", "--format", "json")]
    assert codes == ["TE-001"]


def test_set_price_keeps_history_and_deal_amounts(tg, testdb):
    tg("clients", "add", "某单位")
    tg("catalog", "set-price", "OF-PRN-001", "1800")
    r = tg("deals", "add", "某单位", "--bundle", "OF-PRN-001", "--qty", "2")
    assert r.exit_code == 0, r.stderr
    amount = testdb.scalar("select amount from deal")
    r = tg("--lang", "en", "catalog", "set-price", "OF-PRN-001", "1700")
    assert r.exit_code == 0 and "¥1,800 → ¥1,700" in r.stderr
    assert amount == 3600 and testdb.scalar("select amount from deal") == amount
    hist = tg.json("catalog", "show", "OF-PRN-001", "--format", "json")["price_history"]
    assert [h["unit_price"] for h in hist][-2:] == [1800.0, 1700.0]
    assert testdb.scalar("select count(*) from audit where table_name = 'product'") >= 2


@pytest.mark.parametrize("price", ["-3", "abc", "0"])
def test_set_price_refuses_bad_prices(tg, price):
    r = tg("catalog", "set-price", "OF-PRN-001", "--", price) if price.startswith("-") else \
        tg("catalog", "set-price", "OF-PRN-001", price)
    assert r.exit_code == 2 and "Traceback" not in r.stderr


def test_unknown_code(tg):
    r = tg("--lang", "en", "catalog", "show", "NOPE-1")
    assert r.exit_code != 0 and "no product or bundle NOPE-1" in r.stderr


def test_export_is_the_import_format(tg, tmp_path):
    out = tmp_path / "out.csv"
    assert tg("catalog", "export", "-o", str(out)).exit_code == 0
    header, *body = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert tuple(header) == catalog.COLUMNS and body
    back = [x for x in read_rows(header, body) if isinstance(x, RowProblem)]
    assert back == []


def test_xlsx_price_list(tg, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["品名", "单价", "单位", "类别"])
    ws.append(["测试保温杯", 69, "个", "礼品/商务礼品"])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    assert tg("catalog", "import", str(path)).exit_code == 0
    found = tg.json("catalog", "search", "测试保温杯", "--format", "json")
    assert found and found[0]["unit_price"] == 69.0


# --- the messy real price lists in tests/data --------------------------------------------

from .conftest import DATA  # noqa: E402


def test_real_chinese_list_title_row_and_erp_headers():
    from tuangou_cli.catalog_import import read_price_list

    pl = read_price_list(DATA / "price_list_zh.csv")
    assert pl.header_row == 2 and len(pl.products) >= 50
    p = next(x for x in pl.products if x.code == "JC-1010-001")
    assert (p.unit_price, p.unit.zh, p.category.zh, p.vat_rate) == (Decimal("1080.00"), "台", "办公设备/打印机", 13.0)
    # its one shifted row (the price moved into the tax column) is a problem of that row
    assert [(x.row, x.column) for x in pl.problems] == [(54, "含税单价(元)")]


def test_real_english_list():
    from tuangou_cli.catalog_import import read_price_list

    pl = read_price_list(DATA / "price_list_en.csv")
    assert not pl.problems and len(pl.products) == 20
    assert pl.products[0].code == "NS-PRN-100" and pl.products[0].unit_price == Decimal("1350.00")


def test_real_bad_list_every_row_its_own_defect():
    from tuangou_cli import i18n
    from tuangou_cli.catalog_import import read_price_list

    i18n.set_lang("en")
    pl = read_price_list(DATA / "price_list_bad.csv")
    assert pl.products == []
    assert [(x.row, x.column) for x in pl.problems] == [
        (2, "品名"), (3, "含税单价(元)"), (4, "含税单价(元)"), (5, "起订量"), (6, "商品编码"), (7, "税率"), (8, "类别"),
        (9, "含税单价(元)")]


def test_real_bad_list_is_refused_on_the_command_line(tg, testdb):
    r = tg("--lang", "en", "catalog", "import", str(DATA / "price_list_bad.csv"))
    assert r.exit_code == 1 and "row 2, column 品名" in r.stderr and "7 more problems" in r.stderr
    assert not testdb.exists() or testdb.scalar("select count(*) from product where code like 'JC-B-%'") == 0


def test_real_chinese_list_with_rejects(tg, testdb, tmp_path):
    rejects = tmp_path / "rej.csv"
    r = tg("--lang", "en", "catalog", "import", str(DATA / "price_list_zh.csv"), "--skip-errors", str(rejects))
    assert r.exit_code == 0, r.stderr
    assert testdb.scalar("select count(*) from product where code like 'JC-%'") == 51
    assert "JC-9070-001" in rejects.read_text(encoding="utf-8-sig")


def test_deal_above_the_known_budget_is_said(tg):
    tg("clients", "add", "某医院", "--budget-total", "5000")
    r = tg("--lang", "en", "deals", "add", "某医院", "--bundle", "OF-PRN-001", "--qty", "5")
    assert r.exit_code == 0 and "above the client's known budget of ¥5,000" in r.stderr
    r = tg("--lang", "en", "deals", "add", "某医院", "--bundle", "OF-PRN-001", "--qty", "2")
    assert "known budget" not in r.stderr
