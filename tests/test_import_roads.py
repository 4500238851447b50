"""One file, every road: `tg import clients`, `tg classify --batch` and `--batch --save` read a
column the same way (one reader, one header vocabulary, one cell parser)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

LEADS = [["单位名称", "人数", "预算", "备注"], ["市税务局", "100", "10000", "工会年终慰问给职工发"]]


def write_csv(path: Path, rows) -> str:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return str(path)


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_budget_column_is_the_total_budget_on_every_road(tg, tmp_path):
    path = write_csv(tmp_path / "leads.csv", LEADS)
    r = tg("classify", "--batch", path)
    assert r.exit_code == 0, r.stderr
    (row,) = rows_of(r.stdout)
    assert row["segment"] == "welfare"
    assert row["bundle_total"] == "" or float(row["bundle_total"]) <= 10_000, "never a bundle above the budget"

    r = tg("import", "clients", path)
    assert r.exit_code == 0, r.stderr
    client = tg.json("clients", "show", "市税务局", "-f", "json")["client"]
    assert (client["headcount"], client["budget_total"]) == (100, 10_000)


def test_batch_save_keeps_the_budget_and_the_occasion(tg, tmp_path):
    path = write_csv(tmp_path / "leads.csv", LEADS)
    r = tg("classify", "--batch", path, "--save")
    assert r.exit_code == 0, r.stderr
    (row,) = rows_of(r.stdout)
    assert row["bundle_total"] == "" or float(row["bundle_total"]) <= 10_000
    saved = tg.json("clients", "show", "市税务局", "-f", "json")["client"]
    assert (saved["headcount"], saved["budget_total"]) == (100, 10_000)
    single = tg("classify", "乙", "--notes", LEADS[1][3], "-f", "json")
    assert single.exit_code == 0, single.stderr
    other = tg.json("clients", "show", "乙", "-f", "json")["client"]
    assert other["occasion"] and saved["occasion"] == other["occasion"], "the batch keeps the occasion"
    pitch = tg("pitch", "1", "-f", "json")
    assert pitch.exit_code == 0, pitch.stderr
    assert "40158" not in pitch.stdout.replace(",", "")


def test_cells_read_alike_on_every_road(tg, tmp_path):
    """人数 "三百" / "2k" / "3千" and 预算 "1.2万": classify --batch used them, --save refused them
    as "not a number"; one cell parser reads them the same everywhere."""
    rows = [["单位名称", "人数", "预算", "备注"], ["甲单位", "三百", "1.2万", "工会年终慰问给职工发"],
            ["乙单位", "2k", "¥40万", "中秋节给员工发福利"], ["丙单位", "3千", "", "中秋节给员工发福利"]]
    path = write_csv(tmp_path / "leads.csv", rows)
    batch = rows_of(tg("classify", "--batch", path).stdout)
    r = tg("classify", "--batch", path, "--save")
    assert r.exit_code == 0, r.stderr
    saved = rows_of(r.stdout)
    assert [x["bundle_total"] for x in saved] == [x["bundle_total"] for x in batch]
    got = {c["name"]: (c["headcount"], c["budget_total"])
           for c in (tg.json("clients", "show", n, "-f", "json")["client"] for n in ("甲单位", "乙单位", "丙单位"))}
    assert got == {"甲单位": (300, 12_000), "乙单位": (2000, 400_000), "丙单位": (3000, None)}
    for x in batch:
        assert x["bundle_total"] == "" or x["单位名称"] != "甲单位" or float(x["bundle_total"]) <= 12_000
