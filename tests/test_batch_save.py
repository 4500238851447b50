"""tg classify --batch FILE --save: the lead list classified and imported as clients, in one go."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

LEADS = [
    ["单位名称", "联系人", "电话", "人数", "备注"],
    ["市税务局", "王科长", "138-0000-0001", "120", "工会年终慰问，给职工发，人均三百"],
    ["华夏银行有限公司", "李经理", "", "", "开业活动赠品，送储户，2000份，每人15元"],
    ["市一医院", "张主任", "", "", "走招标，有参数要求，质保三年，办公设备更换，60人"],
    ["Acme Ltd", "Tom", "", "", "call back next week"],
    ["华夏银行", "赵主任", "0571-88881234", "", ""],  # the bank again: merged into row 3
]


def write_csv(path: Path, rows, encoding="utf-8") -> str:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return str(path)


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def detail(tg, query) -> dict:
    return tg.json("clients", "show", query, "-f", "json")


def counts(testdb) -> tuple[int, int, int]:
    return tuple(testdb.count(t) for t in ("client", "contact", "classification"))


def test_save_creates_clients_with_their_classification(tg, tmp_path):
    r = tg("classify", "--batch", write_csv(tmp_path / "leads.csv", LEADS), "--save")
    assert r.exit_code == 0, r.stderr
    out = rows_of(r.stdout)
    assert [(x["segment"], x["client_id"], x["client_status"]) for x in out] == [
        ("welfare", "1", "created"), ("gift", "2", "created"), ("office", "3", "created"),
        ("unknown", "4", "created"), ("unknown", "2", "merged")]
    assert r.stderr.splitlines()[-1] == ("created 4, updated 0, unchanged 0, merged 1, skipped 0, rejected 0; "
                                         "4 classification(s) recorded")

    tax = detail(tg, "市税务局")
    c = tax["client"]
    assert (c["segment"], c["confidence"], c["headcount"], c["budget_per_head"]) == ("welfare", 0.9695, 120, 300)
    assert c["notes"] == LEADS[1][4], "the notes column is the client's notes"
    (h,) = tax["classifications"]
    assert h["segment"] == "welfare" and h["confidence"] == 0.9695 and h["created_by"] == "tester"
    assert h["answers"] == {"_notes": LEADS[1][4]}, "the notes are kept as the answers, as classify --notes does"
    assert h["scores"]["welfare"] > 0 and h["playbook_version"]

    bank = detail(tg, "华夏银行")
    assert bank["client"]["name"] == "华夏银行有限公司"
    assert (bank["client"]["headcount"], bank["client"]["budget_per_head"]) == (2000, 15), "figures from the notes"
    assert [p["name"] for p in bank["contacts"]] == ["李经理", "赵主任"], "the merged row's contact is kept"
    assert len(bank["classifications"]) == 1

    acme = detail(tg, "Acme Ltd")
    assert acme["client"]["segment"] is None and acme["client"]["confidence"] is None, "unknown: no guess stored"
    assert [h["segment"] for h in acme["classifications"]] == ["unknown"]


def test_same_as_classify_notes_for_one_client(tg, tmp_path):
    """The history row matches what `tg classify NAME --notes TEXT` saves."""
    notes = LEADS[1][4]
    tg("classify", "--batch", write_csv(tmp_path / "l.csv", [["name", "notes"], ["甲", notes]]), "--save")
    assert tg("classify", "乙", "--notes", notes, "-f", "json").exit_code == 0
    a, b = (detail(tg, n)["classifications"][0] for n in ("甲", "乙"))
    for key in ("segment", "confidence", "answers", "scores", "playbook_version", "created_by"):
        assert a[key] == b[key], key
    assert detail(tg, "甲")["client"]["budget_per_head"] == detail(tg, "乙")["client"]["budget_per_head"] == 300


def test_second_run_updates_instead_of_duplicating(tg, tmp_path, testdb):
    path = write_csv(tmp_path / "leads.csv", LEADS)
    assert tg("classify", "--batch", path, "--save").exit_code == 0
    before = counts(testdb)
    r = tg("classify", "--batch", path, "--save")
    assert r.exit_code == 0, r.stderr
    assert [x["client_status"] for x in rows_of(r.stdout)] == ["unchanged"] * 4 + ["merged"]
    assert [x["client_id"] for x in rows_of(r.stdout)] == ["1", "2", "3", "4", "2"]
    assert "created 0, updated 0, unchanged 4, merged 1, skipped 0, rejected 0; 0 classification(s)" in r.stderr
    assert counts(testdb) == before, "the same file again changes nothing"

    # New notes for the tax bureau: the client is updated and its history grows.
    changed = write_csv(tmp_path / "new.csv", [["客户名称", "备注"], ["市税务局", "不是发福利，而是答谢客户，伴手礼"],
                                               ["新单位", "采购办公设备，要参数"]])
    r = tg("classify", "--batch", changed, "--save")
    assert [(x["client_id"], x["client_status"]) for x in rows_of(r.stdout)] == [("1", "updated"), ("5", "created")]
    tax = detail(tg, "市税务局")
    assert tax["client"]["segment"] == "gift" and tax["client"]["headcount"] == 120, "what the file omits stays"
    assert [h["segment"] for h in tax["classifications"]] == ["gift", "welfare"]


def test_on_duplicate_skip_and_error(tg, tmp_path, testdb):
    path = write_csv(tmp_path / "leads.csv", LEADS[:3])
    tg("classify", "--batch", path, "--save")
    more = write_csv(tmp_path / "more.csv", LEADS[:1] + [["市税务局", "", "", "", "答谢客户"], ["新单位", "", "", "", ""]])
    r = tg("classify", "--batch", more, "--save", "--on-duplicate", "skip")
    assert [(x["client_id"], x["client_status"]) for x in rows_of(r.stdout)] == [("1", "skipped"), ("3", "created")]
    assert detail(tg, "市税务局")["client"]["segment"] == "welfare"
    assert len(detail(tg, "市税务局")["classifications"]) == 1
    before = counts(testdb)
    r = tg("classify", "--batch", more, "--save", "--on-duplicate", "error")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith("tg: row 2, 单位名称: already a client, #1 (--on-duplicate error) (2 bad row(s)")
    assert counts(testdb) == before


@pytest.mark.fresh_db
def test_dry_run_writes_nothing(tg, tmp_path, testdb):
    path = write_csv(tmp_path / "leads.csv", LEADS)
    r = tg("classify", "--batch", path, "--save", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert [(x["client_id"], x["client_status"]) for x in rows_of(r.stdout)] == [
        ("", "created"), ("", "created"), ("", "created"), ("", "created"), ("", "merged")]
    assert ("dry run, nothing written: created 4, updated 0, unchanged 0, merged 1, skipped 0, rejected 0; "
            "4 classification(s) recorded") in r.stderr
    assert not testdb.exists(), "not even a new database"

    tg("classify", "--batch", write_csv(tmp_path / "one.csv", LEADS[:2]), "--save")
    before = counts(testdb)
    r = tg("classify", "--batch", path, "--save", "-n", "--skip-errors", str(tmp_path / "rej.csv"))
    statuses = [(x["client_id"], x["client_status"]) for x in rows_of(r.stdout)]
    assert statuses[:2] == [("1", "unchanged"), ("", "created")]
    assert counts(testdb) == before and not (tmp_path / "rej.csv").exists()


def test_bad_row_saves_nothing_and_says_where(tg, tmp_path, testdb):
    tg("clients", "add", "已有单位")
    before = counts(testdb)
    rows = LEADS[:3] + [["坏单位", "", "", "很多", "给员工发"]]
    out = tmp_path / "out.csv"
    r = tg("classify", "--batch", write_csv(tmp_path / "bad.csv", rows), "--save", "-o", str(out))
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "tg: row 4, 人数: not a number: 很多 (1 bad row(s), nothing saved: fix them, or save the rest with "
        "--skip-errors REJECTS.csv)"]
    assert counts(testdb) == before and not out.exists()

    # The dry run shows the rows (the bad one rejected) and fails the same way.
    r = tg("classify", "--batch", str(tmp_path / "bad.csv"), "--save", "-n")
    assert r.exit_code == 1 and rows_of(r.stdout)[-1]["client_status"] == "rejected"

    rej = tmp_path / "rej.csv"
    r = tg("classify", "--batch", str(tmp_path / "bad.csv"), "--save", "--skip-errors", str(rej))
    assert r.exit_code == 0, r.stderr
    assert [x["client_status"] for x in rows_of(r.stdout)] == ["created", "created", "rejected"]
    assert "created 2, updated 0, unchanged 0, merged 0, skipped 0, rejected 1" in r.stderr
    (bad,) = rows_of(rej.read_text(encoding="utf-8-sig"))
    assert bad["单位名称"] == "坏单位" and bad["reason"] == "row 4 · 人数: not a number: 很多"


def test_several_bad_rows_first_line_names_the_first(tg, tmp_path, testdb):
    rows = [["name", "notes", "phone"], ["", "给员工发", ""], ["乙", "送客户", "call me"], ["丙", "招标", ""]]
    r = tg("classify", "--batch", write_csv(tmp_path / "bad.csv", rows), "--save")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "tg: row 2, name: no name (2 bad row(s), nothing saved: fix them, or save the rest with "
        "--skip-errors REJECTS.csv)",
        "  row 3, phone: not a phone number: call me"]
    assert counts(testdb) == (0, 0, 0)


def test_json_and_file_outputs_carry_client_ids(tg, tmp_path):
    path = write_csv(tmp_path / "leads.csv", LEADS, encoding="gb18030")
    data = tg.json("classify", "--batch", path, "--save", "-f", "json")
    assert [(d["client_id"], d["client_status"]) for d in data] == [
        (1, "created"), (2, "created"), (3, "created"), (4, "created"), (2, "merged")]
    out = tmp_path / "out.csv"
    r = tg("classify", "--batch", path, "--save", "-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    back = rows_of(out.read_text(encoding="gb18030"))  # the list's own encoding, as --batch -o does
    assert [x["client_id"] for x in back] == ["1", "2", "3", "4", "2"]
    assert back[0]["单位名称"] == "市税务局" and back[0]["client_status"] == "unchanged"


def test_xlsx_output_has_client_ids(tg, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out.xlsx"
    r = tg("classify", "--batch", write_csv(tmp_path / "leads.csv", LEADS), "--save", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][-2:] == ("client_id", "client_status") and rows[1][-2:] == (1, "created")


def test_header_mapping_title_rows_and_map_come_from_import(tg, tmp_path):
    rows = [["2026 展会名单", "", ""], ["单位全称", "城市", "call notes"], ["甲公司", "杭州", "给员工发年终福利"]]
    path = write_csv(tmp_path / "l.csv", rows)
    r = tg("classify", "--batch", path, "--save", "--map", "单位全称=name", "--map", "call notes=notes")
    assert r.exit_code == 0, r.stderr
    (row,) = rows_of(r.stdout)
    assert row["单位全称"] == "甲公司" and row["segment"] == "welfare" and row["client_id"] == "1"
    c = detail(tg, "甲公司")["client"]
    assert (c["city"], c["notes"], c["segment"]) == ("杭州", "给员工发年终福利", "welfare")
    r = tg("classify", "--batch", path, "--save")
    assert r.exit_code == 1 and "has no name column" in r.stderr


def test_ctrl_c_during_save_writes_nothing(tg, tmp_path, testdb, monkeypatch):
    tg("clients", "add", "已有单位")
    before = counts(testdb)

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("tuangou_cli.bulk_classify.insert", interrupted)  # after the clients went in
    out = tmp_path / "out.csv"
    r = tg("classify", "--batch", write_csv(tmp_path / "leads.csv", LEADS), "--save", "-o", str(out))
    assert r.exit_code == 130
    assert counts(testdb) == before and not out.exists()
    assert not list(tmp_path.glob(".out.csv.*")), "no temporary file left behind"


@pytest.mark.parametrize("args, needle", [
    (["--map", "a=name"], "--map only works with --save"),
    (["--dry-run"], "--dry-run only works with --save"),
    (["--on-duplicate", "skip"], "--on-duplicate only works with --save"),
    (["--save", "--no-save"], "--save and --no-save contradict each other"),
])
def test_save_option_usage_errors(tg, tmp_path, args, needle):
    r = tg("classify", "--batch", write_csv(tmp_path / "l.csv", LEADS), *args)
    assert r.exit_code == 2 and needle in r.stderr


def test_save_needs_batch(tg):
    r = tg("classify", "--notes", "给员工", "--save")
    assert r.exit_code == 2 and "--save only works with --batch" in r.stderr


def test_rejects_cannot_overwrite_the_input(tg, tmp_path):
    path = write_csv(tmp_path / "l.csv", LEADS)
    r = tg("classify", "--batch", path, "--save", "--skip-errors", path)
    assert r.exit_code == 2 and "--skip-errors must name a file other than" in r.stderr


def test_messages_in_chinese(tg, tmp_path):
    r = tg("--lang", "zh", "classify", "--batch", write_csv(tmp_path / "l.csv", LEADS), "--save")
    assert r.exit_code == 0
    assert r.stderr.splitlines()[-1] == "新建 4，更新 0，无变化 0，合并 1，跳过 0，拒绝 0；记录判断 4 条"


def test_saving_2000_rows_twice_changes_nothing_the_second_time(tg, tmp_path):
    """(How fast: benchmarks/batch_bench.py.)"""
    rows = [["name", "phone", "notes"]] + [[f"单位{i}", f"138{i:08d}", f"工会年终慰问，{i % 900 + 20}人，人均{i % 500 + 50}元"]
                                           for i in range(2000)]
    path = write_csv(tmp_path / "big.csv", rows)
    r = tg("classify", "--batch", path, "--save", "-o", str(tmp_path / "out.csv"))
    assert r.exit_code == 0, r.stderr
    assert "created 2000" in r.stderr, r.stderr
    r = tg("classify", "--batch", path, "--save", "-o", str(tmp_path / "out.csv"))
    assert "unchanged 2000" in r.stderr
