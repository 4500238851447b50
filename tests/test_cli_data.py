"""clients, refer/referrals, pitch and export through the CLI, checked as a spreadsheet would read them."""

from __future__ import annotations

import csv
import io
import json

import pytest

FORMULAS = ["=1+1", "+86 138", "-2", "@SUM(A1)", "\tx", "\rx"]


def add(tg, name, *opts) -> int:
    r = tg("clients", "add", *opts, "--", name)
    assert r.exit_code == 0, r.stderr
    return int(r.stdout)


def test_clients_crud(tg, mini):
    cid = add(tg, "华夏银行", "--city", "北京", "--headcount", "300", "--owner", "li")
    r = tg("clients", "edit", "华夏", "--budget-per-head", "500", "--city", "上海")
    assert r.exit_code == 0 and f"updated client #{cid}" in r.stderr
    shown = tg.json("clients", "show", str(cid), "-f", "json")["client"]
    assert (shown["budget_per_head"], shown["city"], shown["updated_by"]) == (500.0, "上海", "tester")
    listed = tg.json("clients", "list", "--owner", "li", "-f", "json")
    assert [c["name"] for c in listed] == ["华夏银行"]
    assert tg.json("clients", "list", "--city", "北京", "-f", "json") == []
    r = tg("clients", "rm", str(cid), "--yes")
    assert r.exit_code == 0 and tg.json("clients", "list", "-f", "json") == []


def test_edit_refuses_unknown_segment_and_empty_edit(tg, mini):
    add(tg, "A")
    r = tg("clients", "edit", "A", "--segment", "retail")
    assert r.exit_code == 2 and "unknown segment 'retail'" in r.stderr
    r = tg("clients", "edit", "A")
    assert r.exit_code == 2 and "nothing to change" in r.stderr


def test_rm_asks_and_refuses_without_terminal(tg, mini):
    add(tg, "A")
    r = tg("clients", "rm", "A")
    assert r.exit_code == 2 and "--yes" in r.stderr
    assert len(tg.json("clients", "list", "-f", "json")) == 1


def test_lookup_is_case_and_width_insensitive(tg, mini):
    cid = add(tg, "ＡＢＣ Bank 北京分行")
    assert tg.json("clients", "show", "abc bank 北京分行", "-f", "json")["client"]["id"] == cid
    assert tg.json("clients", "show", "ABC", "-f", "json")["client"]["id"] == cid  # unique prefix


def test_unknown_client_offers_closest(tg, mini):
    add(tg, "浙江省人民医院")
    r = tg("pitch", "江省人民医")
    assert r.exit_code == 1 and "closest: 浙江省人民医院" in r.stderr
    r = tg("clients", "show", "#999")
    assert r.exit_code == 1 and "no client matches" in r.stderr


def test_refer_records_and_refuses_rule_breaks(tg, mini):
    a = add(tg, "市税务局")
    r = tg("refer", "市税务局", "市人民医院", "--yes", "--contact", "王科长", "--incentive", "九五折")
    assert r.exit_code == 0, r.stderr
    (row,) = tg.json("referrals", "list", "-f", "json")
    assert (row["referrer_id"], row["referred"], row["contact"], row["incentive"]) == (a, "市人民医院", "王科长", "九五折")
    again = tg("refer", "华夏银行", "市人民医院", "--yes")
    assert again.exit_code == 1 or again.exit_code == 2
    assert "first referrer keeps the credit" in again.stderr
    assert len(tg.json("clients", "list", "-f", "json")) == 2, "the refused referral created nobody"
    me = tg("refer", "市税务局", "市税务局")
    assert me.exit_code != 0 and "cannot refer itself" in me.stderr
    assert len(tg.json("referrals", "list", "市人民医院", "-f", "json")) == 1


def test_refer_new_prospect_needs_yes_off_terminal(tg, mini):
    add(tg, "A")
    r = tg("refer", "A", "B")
    assert r.exit_code == 2 and "--yes" in r.stderr
    assert tg.json("referrals", "list", "-f", "json") == []


def test_pitch_formats(tg, mini):
    tg.json("classify", "Acme", "-a", "purpose=own", "-a", "spec=yes", "--headcount", "30", "-f", "json")
    md = tg("pitch", "acme", "-f", "markdown")
    assert md.exit_code == 0 and md.stdout.startswith("# Pitch for Acme") and "## Close" in md.stdout
    data = tg.json("pitch", "Acme", "-f", "json")
    assert data["bundle"]["code"] == "printer_pack"
    assert data["pitch"]["opening"] == "Hello Acme This time I recommend Printer pack."
    zh = tg.json("pitch", "Acme", "-f", "json", "--lang", "zh")
    assert zh["pitch"]["opening"] == "您好，Acme这次推荐打印套装。"
    forced = tg.json("pitch", "Acme", "--bundle", "steamer", "-f", "json")
    assert forced["bundle"]["code"] == "steamer"
    bad = tg("pitch", "Acme", "--bundle", "nope")
    assert bad.exit_code == 2 and "unknown bundle code" in bad.stderr


def test_pitch_needs_a_classification(tg, mini):
    add(tg, "Acme")
    r = tg("pitch", "Acme")
    assert r.exit_code == 1 and "tg classify" in r.stderr


# --- export -----------------------------------------------------------------------------------


NASTY = ["市人民医院, 东院", '说"你好"', "line1\nline2", "全角ＡＢＣ", "emoji 🎁"] + FORMULAS


def test_csv_round_trip_and_injection(tg, mini):
    for i, name in enumerate(NASTY):
        add(tg, name, "--notes", NASTY[-1 - i])
    raw = json.loads(tg("export", "clients", "-f", "json").stdout)
    r = tg("export", "clients")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout, newline="")))
    assert len(rows) == len(raw) == len(NASTY)
    for stored, row in zip(raw, rows):
        for key in ("name", "notes"):
            value = stored[key]
            expected = "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value
            assert row[key] == expected
    assert sum(row["notes"].startswith("'") for row in rows) == len(FORMULAS)
    assert r.stdout_bytes.count(b"\r\n") >= len(NASTY) + 1, "RFC 4180 line ends"


def test_notes_keep_newlines_and_quotes(tg, mini):
    add(tg, "A", "--notes", 'line1\nsaid "hi", then =left')
    (row,) = list(csv.DictReader(io.StringIO(tg("export", "clients").stdout, newline="")))
    assert row["notes"] == 'line1\nsaid "hi", then =left'


def test_excel_bom_and_gb18030(tg, mini, tmp_path):
    add(tg, "市人民医院 🎁")
    out = tmp_path / "c.csv"
    r = tg("export", "clients", "--excel", "-o", str(out))
    assert r.exit_code == 0 and "exported 1 row" in r.stderr and r.stdout == ""
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    gb = tmp_path / "g.csv"
    assert tg("export", "clients", "--encoding", "gb18030", "-o", str(gb)).exit_code == 0
    assert "市人民医院 🎁" in gb.read_text(encoding="gb18030")
    bad = tg("export", "clients", "--encoding", "gbk", "-o", str(tmp_path / "k.csv"))
    assert bad.exit_code == 1 and "gb18030" in bad.stderr
    assert not (tmp_path / "k.csv").exists(), "no half-written file"
    assert tg("export", "clients", "--encoding", "klingon").exit_code == 2


def test_json_and_jsonl(tg, mini):
    tg("refer", "A", "B", "--yes")
    data = json.loads(tg("export", "referrals", "-f", "json").stdout)
    assert [(d["referrer"], d["referred"]) for d in data] == [("A", "B")]
    lines = tg("export", "clients", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(x)["name"] for x in lines] == ["A", "B"]
    assert json.loads(tg("export", "classifications", "-f", "json").stdout) == []


def test_export_classifications_csv(tg, mini):
    tg.json("classify", "Acme", "-a", "purpose=own", "-f", "json")
    (row,) = list(csv.DictReader(io.StringIO(tg("export", "classifications").stdout, newline="")))
    assert row["client"] == "Acme" and row["segment"] == "office" and json.loads(row["answers"]) == {"purpose": "own"}


@pytest.mark.parametrize("cmd", [["clients", "list"], ["referrals", "list"]])
def test_list_csv_is_plain(tg, mini, cmd):
    add(tg, "=HYPERLINK(\"x\")")
    r = tg(*cmd, "-f", "csv")
    assert r.exit_code == 0
    assert "│" not in r.stdout and "=HYPERLINK" not in r.stdout.replace("'=HYPERLINK", "")


def test_brackets_in_client_data_print_as_typed(tg, mini):
    add(tg, "Acme[/]", "--notes", "[bold red]boom[/]")
    tg("refer", "Acme[/]", "B[/x]", "--yes", "--incentive", "[b]九五折")
    for cmd in (["clients", "list"], ["clients", "show", "Acme"], ["referrals", "list"]):
        r = tg(*cmd)
        assert r.exit_code == 0, r.output
        assert "[/" in r.stdout or "[b]" in r.stdout
    assert "[bold red]boom[/]" in tg("clients", "show", "Acme").stdout


def test_same_new_name_on_both_sides_is_self_referral(tg, mini):
    r = tg("refer", "Alpha", "ａｌｐｈａ", "--yes")
    assert r.exit_code == 1 and "cannot refer itself" in r.stderr
    assert tg.json("clients", "list", "-f", "json") == []


def test_non_text_encoding_refused(tg, mini):
    r = tg("export", "clients", "--encoding", "rot13")
    assert r.exit_code == 2 and "unknown encoding" in r.stderr


def test_overlong_name_refused(tg, mini):
    r = tg("clients", "add", "x" * 201)
    assert r.exit_code == 2 and "at most 200" in r.stderr


def test_an_internal_error_is_one_line(tg, mini, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr("tuangou_cli.clients_use.list_rows", broken)
    r = tg("clients", "list")
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines() == ["tg: internal error (RuntimeError: boom); set TG_DEBUG=1 for the "
                                             "traceback, and please report it"]
    # The detail quotes whatever the exception held (a name from the database): shown as escapes.
    monkeypatch.setattr("tuangou_cli.clients_use.list_rows", lambda *a, **k: (_ for _ in ()).throw(
        RuntimeError("bad name \x1b[2J\u202e")))
    r = tg("clients", "list")
    assert r.exit_code == 1 and "bad name \\x1b[2J\\u202e" in r.stderr and "\x1b" not in r.stderr


def test_export_to_a_device_writes_in_place(tg, mini, tmp_path):
    """`-o /dev/null` must not rename a temp file over the device (it once replaced /dev/null)."""
    import os
    import stat

    add(tg, "A")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, encoding="utf-8").read()))
    reader.start()
    r = tg("export", "clients", "-o", str(fifo))
    reader.join(10)
    assert r.exit_code == 0
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "still a pipe, not replaced by a file"
    assert got and got[0].startswith("id,name")
    before = os.stat("/dev/null")
    assert tg("export", "clients", "-o", "/dev/null").exit_code == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_table_keeps_long_chinese_names_whole_and_aligned(tg, mini):
    from tuangou_cli.plain import width

    add(tg, "宁波市第一人民医院东部院区后勤保障部", "--city", "北仑")
    add(tg, "Acme", "--city", "Hangzhou")
    lines = tg("clients", "list").stdout.splitlines()
    assert any("宁波市第一人民医院东部院区后勤保障部" in line for line in lines), "never cut short"
    city_col = [width(line[:line.index(city)]) for line in lines[2:] for city in ("北仑", "Hangzhou") if city in line]
    assert len(set(city_col)) == 1, "columns aligned by display width"
