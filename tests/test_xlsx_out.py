"""Real xlsx out: every exportable table, lists, typed cells, no formulas, refusals, LibreOffice reads it back."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from tuangou_cli.cli.export import EXPORTS


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def data(tg):
    """A client whose text looks like formulas, with a contact, a deal, an activity, a need, a rival and a case."""
    cid = ok(tg("clients", "add", "=HYPERLINK(\"http://x\",\"点我\")", "--city", "-杭州", "--headcount", "120",
                "--budget-per-head", "300", "--notes", "@SUM(A1:A9)")).stdout.strip()
    ok(tg("clients", "add", "市人民医院"))
    ok(tg("contacts", "add", cid, "+王主任", "--role", "decision-maker", "--phone", "13812345678"))
    ok(tg("log", cid, "上门拜访", "--type", "visit"))
    ok(tg("needs", "add", cid, "人均 300 以内", "--stated"))
    ok(tg("competitors", "add", cid, "某商贸", "--price", "280"))
    ok(tg("deals", "add", cid, "--bundle", "steamer_family", "--qty", "120", "--amount", "36000"))
    return int(cid)


def sheet(path):
    wb = openpyxl.load_workbook(path)
    return wb, wb.active


def test_every_table_exports_to_xlsx(tg, data, tmp_path):
    for name in EXPORTS:
        out = tmp_path / f"{name}.xlsx"
        r = ok(tg("export", name, "-o", str(out)))
        assert "exported" in r.stderr
        wb, ws = sheet(out)
        header = [c.value for c in ws[1]]
        csv_header = next(csv.reader(io.StringIO(ok(tg("export", name)).stdout)))
        assert header == csv_header, name
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")


def test_cells_are_typed_and_text_is_never_a_formula(tg, data, tmp_path):
    out = tmp_path / "clients.xlsx"
    ok(tg("export", "clients", "-o", str(out)))
    _, ws = sheet(out)
    header = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(header, ws[2])}
    assert row["name"].value == "=HYPERLINK(\"http://x\",\"点我\")" and row["name"].data_type == "s"
    assert row["city"].value == "-杭州" and row["notes"].value == "@SUM(A1:A9)"  # no apostrophe
    assert row["headcount"].value == 120 and row["headcount"].data_type == "n"
    assert row["budget_per_head"].value == 300 and "¥" in row["budget_per_head"].number_format
    assert row["created_at"].is_date and "yyyy" in row["created_at"].number_format
    with zipfile.ZipFile(out) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere


def test_deals_money_contacts_phone_as_text(tg, data, tmp_path):
    ok(tg("export", "deals", "-o", str(tmp_path / "d.xlsx")))
    _, ws = sheet(tmp_path / "d.xlsx")
    header = [c.value for c in ws[1]]
    amount = ws.cell(2, header.index("amount") + 1)
    assert amount.value == 36000 and "¥" in amount.number_format
    ok(tg("export", "contacts", "-o", str(tmp_path / "c.xlsx")))
    _, ws = sheet(tmp_path / "c.xlsx")
    header = [c.value for c in ws[1]]
    phone = ws.cell(2, header.index("phone") + 1)
    assert phone.value == "13812345678" and phone.data_type == "s"
    assert ws.cell(2, header.index("name") + 1).value == "+王主任"


def test_sheet_names_and_widths_follow_the_language(tg, data, tmp_path):
    ok(tg("--lang", "zh", "export", "clients", "-o", str(tmp_path / "zh.xlsx")))
    wb, ws = sheet(tmp_path / "zh.xlsx")
    assert wb.sheetnames == ["客户"]
    ok(tg("export", "needs", "-o", str(tmp_path / "en.xlsx")))
    assert sheet(tmp_path / "en.xlsx")[0].sheetnames == ["Needs"]
    # a Chinese name is wider than its character count
    width = ws.column_dimensions["B"].width
    assert width >= 2 * len("市人民医院")


def test_format_from_the_extension_and_mismatch_refused(tg, data, tmp_path):
    ok(tg("export", "clients", "-o", str(tmp_path / "x.jsonl")))
    assert (tmp_path / "x.jsonl").read_text().startswith("{")
    r = tg("export", "clients", "--format", "csv", "-o", str(tmp_path / "x.xlsx"))
    assert r.exit_code == 2 and "does not match" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.xlsx").exists()
    r = tg("export", "clients", "-o", str(tmp_path / "y.xlsx"), "--encoding", "gb18030")
    assert r.exit_code == 2 and not (tmp_path / "y.xlsx").exists()


def test_xlsx_to_stdout_and_lists(tg, data):
    r = ok(tg("export", "clients", "--format", "xlsx"))
    assert r.stdout_bytes[:2] == b"PK"
    for args in (("clients", "list"), ("deals", "list"), ("report", "pareto"), ("pipeline",), ("agenda",),
                 ("needs", "list", str(data))):
        out = ok(tg(*args, "--format", "xlsx")).stdout_bytes
        wb = openpyxl.load_workbook(io.BytesIO(out))
        assert wb.sheetnames == ["List"] or wb.sheetnames == ["Clients"], args
        lines = ok(tg(*args, "--format", "jsonl")).stdout.splitlines()
        assert all(line.startswith("{") for line in lines), args


def test_xlsx_is_not_sent_to_a_terminal(tg, data, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    from tuangou_cli.errors import UsageError
    from tuangou_cli.export import open_binary_output

    with pytest.raises(UsageError):
        with open_binary_output(None):
            pass


def test_a_failed_workbook_leaves_no_file(tg, data, tmp_path, monkeypatch):
    from tuangou_cli import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)
    out = tmp_path / "big.xlsx"
    r = tg("export", "clients", "-o", str(out))
    assert r.exit_code == 1 and "more rows than an xlsx sheet holds" in r.stderr
    assert list(tmp_path.glob("*big.xlsx*")) == []


def test_writer_types_and_limits(tmp_path):
    from datetime import date, datetime, timezone
    from decimal import Decimal

    from tuangou_cli.errors import TgError
    from tuangou_cli.xlsx import display_width, sheet_name, write_xlsx

    out = tmp_path / "t.xlsx"
    rows = [[1, 2.5, "x\x07y", True, date(2026, 1, 2), datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc),
             Decimal("1.25"), {"a": "中"}, float("inf"), None]]
    cols = ["id", "amount", "text", "done", "due", "at", "price", "changes", "value", "none"]
    assert write_xlsx(rows, cols, str(out), sheet="a/b:c") == 1
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws.title == "a_b_c"
    values = [c.value for c in ws[2]]
    assert values[0] == 1 and values[1] == 2.5 and values[3] is True and values[6] == 1.25
    assert values[7] == '{"a": "中"}' and values[8] == "inf" and values[9] is None
    assert display_width("医院ab") == 6 and sheet_name("x" * 40) == "x" * 31
    with pytest.raises(TgError):
        write_xlsx([["x" * 40_000]], ["notes"], str(tmp_path / "long.xlsx"), sheet="s")


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
@pytest.mark.timeout(180)
def test_libreoffice_reads_the_export_back(tg, data, tmp_path):
    out = tmp_path / "clients.xlsx"
    ok(tg("export", "clients", "-o", str(out)))
    profile = tmp_path / "lo-profile"
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                           "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "csv"), str(out)],
                          capture_output=True, timeout=170)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "csv" / "clients.csv").read_text("utf-8"))))
    header = rows[0]
    assert header[:3] == ["id", "name", "industry"]
    names = {r[header.index("name")] for r in rows[1:]}
    assert names == {"=HYPERLINK(\"http://x\",\"点我\")", "市人民医院"}  # Chinese intact, the formula text as text
    first = next(r for r in rows[1:] if r[header.index("name")].startswith("="))
    assert first[header.index("city")] == "-杭州" and first[header.index("notes")] == "@SUM(A1:A9)"
