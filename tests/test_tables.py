"""tables.py: the one reader every import uses (csv/tsv/xlsx/xls/stdin)."""

from __future__ import annotations

import csv
import io
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tuangou_cli import tables
from tuangou_cli.errors import TgError

DATA = Path(__file__).parent / "data"
LEADS = [["单位名称", "人数", "预算", "备注"], ["市税务局", "100", "10000", "工会年终慰问给职工发"],
         ["华夏银行", "", "", "开业活动赠品"]]


def text_file(path: Path, rows, encoding="utf-8", delimiter=",") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def read(path, **kw) -> tuple[list[str], int, list[tuple[int, list]]]:
    with tables.open_table(path, header=lambda cells: "单位名称" in cells, **kw) as t:
        return t.headers, t.header_line, list(t.rows())


@pytest.mark.parametrize("encoding, delimiter", [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"),
                                                 ("gb18030", ",")])
def test_text_files_in_every_encoding_and_delimiter_read_alike(tmp_path, encoding, delimiter):
    rows = [["客户名单（2026）"], [], *LEADS]  # a title row above the header
    path = text_file(tmp_path / "l.csv", rows, encoding, delimiter)
    headers, line, body = read(path)
    assert headers == LEADS[0] and line == 3
    assert body == [(4, LEADS[1]), (5, LEADS[2])]


def test_big5_is_refused_naming_the_encoding_and_read_when_given(tmp_path):
    rows = [["單位名稱", "備註"], ["市稅務局", "工會年終慰問，給職工發"], ["華夏銀行", "開業活動贈品，送儲戶"]]
    path = text_file(tmp_path / "big5.csv", rows, "big5")
    with pytest.raises(TgError, match="--encoding big5"):
        tables.open_table(path)
    with tables.open_table(path, encoding="big5") as t:
        assert t.headers == rows[0] and [c for _, c in t.rows()] == rows[1:]
    from tuangou_cli.importer import map_headers

    assert map_headers(rows[0], {}).fields == {0: "name", 1: "notes"}, "the vocabulary knows traditional headers"


def test_xls_and_xlsx_read_as_the_csv_does(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    headers, line, body = read(DATA / "leads.xls")  # written by xlwt: a title row, a blank row, the header
    assert (headers, line) == (LEADS[0], 3)
    assert [c for _, c in body] == [LEADS[1], ["华夏银行", "", "", "开业活动赠品，送储户，2000份，每人15元"]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户名单"])
    for row in LEADS:
        ws.append([int(c) if c.isdigit() else (c or None) for c in row])
    ws.append(["日期", datetime(2026, 3, 5), 1.5, True])
    path = tmp_path / "l.xlsx"
    wb.save(path)
    for streamed in (False, True):
        original = tables.CALAMINE_XML_BYTES
        tables.CALAMINE_XML_BYTES = -1 if streamed else original
        try:
            with tables.open_table(path, header=lambda c: "单位名称" in c) as t:
                assert tables._streamed(t) is streamed
                assert (t.headers, t.header_line) == (LEADS[0], 2)
                got = list(t.rows())
                raw = list(t.rows(raw=True))
        finally:
            tables.CALAMINE_XML_BYTES = original
        assert [c[:4] for _, c in got] == [LEADS[1], LEADS[2], ["日期", "2026-03-05", "1.5", "true"]], got
        assert raw[0][1][1] == 100 and tables.cell_text(raw[2][1][1]) == "2026-03-05", "typed, for writing back"


def test_stdin_is_read_like_a_file(tmp_path, monkeypatch):
    data = text_file(tmp_path / "l.csv", LEADS, "gb18030").read_bytes()

    class Stdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", Stdin)
    with tables.open_table("-", header=lambda c: "单位名称" in c) as t:
        spooled = t._file
        assert t.encoding == "gb18030" and [c for _, c in t.rows()] == LEADS[1:]
        assert [c for _, c in t.rows()] == LEADS[1:], "read again (a rejects file)"
    assert not spooled.exists(), "the temporary copy goes with the table"


def test_limits(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_ROWS", 3)
    path = text_file(tmp_path / "l.csv", LEADS + [["丙", "", "", ""], ["丁", "", "", ""]])
    with tables.open_table(path) as t, pytest.raises(TgError, match="more than 3 rows"):
        list(t.rows())
    monkeypatch.setattr(tables, "MAX_COLUMNS", 3)
    with pytest.raises(TgError, match="row 1 has more than 3 columns"):
        tables.open_table(path)
