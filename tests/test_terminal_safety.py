"""Stored text on a terminal: escape sequences (CSI, OSC 8 hyperlinks, OSC window titles), other
control characters and bidi marks in names, notes and contacts are shown as escapes by the
pitch (text and Markdown), `tg clients show`, `tg classify`, the hand-off packet, the case
library and the Pareto report; Rich markup and emoji codes in them print as typed. JSON keeps the
exact text: it is data. (Plain tables and trees: tests/test_hostile.py.) The messages that say
what a command did ("created client #1 …", "recorded case #2 …") show them as escapes too.
"""

from __future__ import annotations

import re
import sys

import pytest

from types import SimpleNamespace

# Clear the screen, set the window title, switch bidi direction, Rich markup and an emoji code.
NAME = "Acme\x1b[2J\x1b]0;pwned\x07[bold red]Co[/]\u202e:smile:"
NAME_SHOWN = "Acme\\x1b[2J\\x1b]0;pwned\\x07[bold red]Co[/]\\u202e:smile:"
# An OSC 8 hyperlink around the contact's name, and a Rich link.
CONTACT = "\x1b]8;;http://evil.example\x1b\\Wang\x1b]8;;\x1b\\[link=http://x]L[/link]"
CONTACT_SHOWN = "\\x1b]8;;http://evil.example\\x1b\\Wang\\x1b]8;;\\x1b\\[link=http://x]L[/link]"
TITLE = "boss\u2066\u200f\x9b31m"
TITLE_SHOWN = "boss\\u2066\\u200f\\x9b31m"
# Two real lines (kept in a document), a CSI colour and a lone carriage return (escaped).
NOTES = "first line\nsecond\x1b[31m red\rover\u061c"
NOTES_SHOWN = "first line\nsecond\\x1b[31m red\\rover\\u061c"
NEED = "fast\x1b[5m delivery\x08\u202a"
NEED_SHOWN = "fast\\x1b[5m delivery\\x08\\u202a"
RIVAL = "Gome\x1b[8m\u2069[i]x[/i]"
RIVAL_SHOWN = "Gome\\x1b[8m\\u2069[i]x[/i]"

# Every character errors.one_line escapes except the line break: none may reach the terminal.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# The small test playbook: its welfare script opens with "{occasion} benefits at {client}", and a
# "past" answer naming mooncakes is quoted in the reasons.
CLASSIFY = ["-a", "purpose=staff", "-a", f"past=mooncake {NEED}",
            "--headcount", "120", "--budget-per-head", "600"]


def ok(r):
    assert r.exit_code == 0, r.stderr
    return r


def raw_chars(out: str) -> list[str]:
    return RAW.findall(out)


@pytest.fixture
def wide(monkeypatch):
    """Rich output on a wide terminal, so no value is wrapped across lines of a panel, and
    without colours (no escape sequence of Rich's own in what is checked)."""
    from tuangou_cli import render

    monkeypatch.setenv("COLUMNS", "300")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(render, "_out", None)  # the console is made once; make it again, 300 wide


@pytest.fixture
def hostile(tg):
    """A classified client whose stored text is hostile everywhere the pitch and `show` read."""
    ok(tg("clients", "add", "--segment", "welfare", "--headcount", "120", "--budget-per-head", "600",
          "--notes", NOTES, "--", NAME))
    ok(tg("contacts", "add", "1", CONTACT, "--role", "decision-maker", "--title", TITLE))
    ok(tg("needs", "add", "1", NEED, "--stated"))
    ok(tg("competitors", "add", "1", RIVAL, "--offer", NEED))
    return 1


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_pitch_document_shows_control_and_bidi_characters_as_escapes(tg, hostile, fmt):
    out = ok(tg("pitch", "1", "-f", fmt)).stdout
    assert raw_chars(out) == []
    assert out.splitlines()[0].removeprefix("# ") == f"Pitch for {NAME_SHOWN}"
    assert out.count(NAME_SHOWN) >= 3  # the title, and the {client} placeholders in the script
    assert CONTACT_SHOWN in out and TITLE_SHOWN in out  # the decision-maker
    assert f"Why us over {RIVAL_SHOWN}" in out  # a heading
    assert NEED_SHOWN in out


def test_pitch_document_keeps_the_line_breaks_of_a_note(monkeypatch):
    """A pitch is a document: a multi-line note keeps its lines (a CRLF is one line break);
    nothing else gets through, and the bold of a terminal is still added around the headings."""
    from tuangou_cli import accounts
    from tuangou_cli.documents import PitchDocument
    from tuangou_cli.pitch import PitchText
    from tuangou_cli.plain import MarkdownStyle, PlainStyle, document_text

    p = PitchText("x", "Seg\x1b[1m", NOTES, [NEED], [], [(RIVAL, NOTES)], "bye\r\nnow")
    monkeypatch.setattr(accounts, "account_sections",
                        lambda a: [(f"Why us over {RIVAL}", [(NOTES, None), (f"  ↳ {NEED}", "dim")])])
    doc = PitchDocument(client={}, name=NAME, pitch=p, offer=None, note=f"note: {NOTES}", account=None)
    for style in (MarkdownStyle(), PlainStyle(bold=False), PlainStyle(bold=True)):
        out = document_text(style, doc, "¥")
        plain = out.replace("\x1b[1m", "").replace("\x1b[0m", "")
        assert raw_chars(plain) == []
        assert plain.count(NOTES_SHOWN) == 4 and "bye\nnow" in plain and "Seg\\x1b[1m" in plain
        assert f"Why us over {RIVAL_SHOWN}" in plain and NEED_SHOWN in plain
        assert plain.splitlines()[0].removeprefix("# ") == f"Pitch for {NAME_SHOWN}"
    assert out.startswith(f"\x1b[1mPitch for {NAME_SHOWN}\x1b[0m\n")


def test_pitch_prints_ordinary_text_as_it_is(tg):
    ok(tg("clients", "add", "--segment", "office", "--", "市税务局 [Tax] Bureau"))
    for fmt in ("text", "markdown"):
        out = ok(tg("pitch", "1", "-f", fmt)).stdout
        assert out.splitlines()[0].removeprefix("# ") == "Pitch for 市税务局 [Tax] Bureau"
        assert "\\" not in out


def test_pitch_json_keeps_the_exact_text(tg, hostile):
    data = tg.json("pitch", "1", "-f", "json")
    assert data["client"]["name"] == NAME and data["client"]["notes"] == NOTES
    assert NAME in data["pitch"]["opening"]
    assert data["account"]["decision_maker"]["name"] == CONTACT


def test_clients_show_escapes_and_prints_markup_as_typed(tg, hostile, wide):
    out = ok(tg("clients", "show", "1")).stdout
    assert raw_chars(out) == []
    assert "#1" in out.splitlines()[0]
    assert f"name          {NAME_SHOWN} │" in out  # Rich markup and ":smile:" printed as typed
    assert "😄" not in out
    # The note keeps its two lines inside the panel; the rest of it is escaped.
    assert "│ notes         first line" in out
    assert "│               second\\x1b[31m red\\rover\\u061c" in out
    assert CONTACT_SHOWN in out and TITLE_SHOWN in out
    assert NEED_SHOWN in out and RIVAL_SHOWN in out


def test_clients_show_json_keeps_the_exact_text(tg, hostile):
    data = tg.json("clients", "show", "1", "-f", "json")
    assert data["client"]["name"] == NAME and data["client"]["notes"] == NOTES
    assert [(c["name"], c["title"]) for c in data["contacts"]] == [(CONTACT, TITLE)]


def test_classify_escapes_stored_and_given_text_and_prints_markup_as_typed(tg, hostile, mini, wide):
    """The stored client's name and occasion fill the pitch panel (title and script); an answer
    typed on the command line is quoted in the reasons."""
    ok(tg("clients", "edit", "1", "--occasion", RIVAL))
    screen = ok(tg("classify", NAME, *CLASSIFY)).stdout  # the call screen
    assert raw_chars(screen) == [] and NAME_SHOWN in screen.splitlines()[0]
    out = ok(tg("classify", NAME, *CLASSIFY, "--full")).stdout
    assert raw_chars(out) == []
    assert f"Pitch for {NAME_SHOWN}" in out  # the document's title: not read as markup
    assert f"{RIVAL_SHOWN} benefits at {NAME_SHOWN}" in out  # the script: {occasion} and {client}
    assert NEED_SHOWN in out  # the answer quoted in the reasons
    assert "😄" not in out


def test_classify_json_keeps_the_exact_text(tg, hostile, mini):
    ok(tg("clients", "edit", "1", "--occasion", RIVAL))
    data = tg.json("classify", NAME, *CLASSIFY, "-f", "json")
    assert data["client_id"] == 1
    assert any(NEED in reason for reason in data["reasons"])
    assert data["pitch"]["opening"].startswith(f"{RIVAL} benefits at {NAME} ")


# --- the other Rich and Markdown views of the same text ----------------------------------------


def test_handoff_packet_text_and_markdown_escape_and_json_keeps(tg, hostile, wide):
    text = ok(tg("handoff", "1", "--to", "bob", "--new-user")).stdout
    assert raw_chars(text) == []
    assert f" Hand-off packet: {NAME_SHOWN} ─" in text  # the panel title: not read as markup
    assert "second\\x1b[31m red\\rover\\u061c" in text and CONTACT_SHOWN in text and RIVAL_SHOWN in text
    md = ok(tg("handoff", "1", "--to", "carol", "--new-user", "-f", "markdown")).stdout
    assert raw_chars(md) == []
    assert md.startswith(f"# Hand-off packet: {NAME_SHOWN}\n")
    assert "first line second\\x1b[31m red\\rover\\u061c" in md  # a cell: one line
    assert f"| {CONTACT_SHOWN} |" in md
    data = tg.json("handoff", "1", "--to", "dave", "--new-user", "-f", "json")
    assert data["client"]["name"] == NAME and data["client"]["notes"] == NOTES
    assert data["contacts"][0]["name"] == CONTACT


def test_cases_and_pareto_escape(tg, hostile, wide):
    ok(tg("cases", "add", "--title", f"Won {RIVAL}", "--outcome", "won", "--client", "1",
          "--decided-by", CONTACT, "--lesson", NOTES))
    out = ok(tg("cases", "list")).stdout
    assert raw_chars(out) == []
    assert f"Won {RIVAL_SHOWN}" in out and CONTACT_SHOWN in out and NAME_SHOWN in out
    assert "second\\x1b[31m red\\rover\\u061c" in out
    ok(tg("deals", "add", "1", "--bundle", "steamer_family", "--qty", "120"))
    ok(tg("deals", "won", "1"))
    out = ok(tg("report", "pareto")).stdout
    assert raw_chars(out) == [] and f"#1 {NAME_SHOWN}" in out


def test_multi_line_keeps_line_breaks_and_escapes_the_rest():
    from tuangou_cli.errors import multi_line, one_line

    assert multi_line("市税务局\n[b]x[/b]\ty") == "市税务局\n[b]x[/b]\ty"  # nothing to escape: as it is
    assert multi_line("a\r\nb\rc\x1b[2J\u202ed\u2028e") == "a\nb\\rc\\x1b[2J\\u202ed\\u2028e"
    assert one_line("a\r\nb") == "a\\r\\nb"  # one line: the break is shown


# --- what a command says it did: cli.output.say, one line per message line ----------------------


def said(r) -> list[str]:
    """The lines a command wrote to stderr, none holding a raw control character or bidi mark."""
    ok(r)
    assert raw_chars(r.stderr) == []
    return r.stderr.splitlines()


def test_say_escapes_each_line_and_leaves_ordinary_text_as_it_is(capsys):
    from tuangou_cli import prompts
    from tuangou_cli.cli.output import say
    from tuangou_cli.errors import one_line

    say("市税务局 [Tax] Bureau\tok", "a second line")  # nothing to escape: byte for byte
    say(NAME, NOTES)  # a line break inside a value is shown; the message's own lines are kept
    say(one_line(NAME))  # escaped already: shown once, not escaped again
    say(NAME, file=sys.stdout)
    say(prompts.answered_line(SimpleNamespace(index=1, question=SimpleNamespace(text=SimpleNamespace(get=lambda: "Q?"), type="text"),
                                              answer=NAME, leading="Welfare", confidence=0.5)))
    out, err = capsys.readouterr()
    assert err == ("市税务局 [Tax] Bureau\tok\na second line\n"
                   f"{NAME_SHOWN}\nfirst line\\nsecond\\x1b[31m red\\rover\\u061c\n"
                   f"{NAME_SHOWN}\n✔ 1. Q? {NAME_SHOWN}   → leading: Welfare (50%)\n")
    assert out == f"{NAME_SHOWN}\n"


def test_clients_add_edit_rm_say_the_name_with_escapes(tg):
    r = ok(tg("clients", "add", "--", NAME))
    assert r.stderr == f"created client #1 {NAME_SHOWN}\n" and r.stdout == "1\n"
    assert said(tg("clients", "edit", "1", "--city", "Hangzhou")) == [f"updated client #1 {NAME_SHOWN}"]
    assert said(tg("clients", "edit", "1", "--name", f"{RIVAL} 2")) == [f"updated client #1 {RIVAL_SHOWN} 2"]
    assert said(tg("clients", "rm", "1", "--yes")) == [f"removed client #1 {RIVAL_SHOWN} 2"]
    assert tg.json("clients", "list", "-f", "json") == []


def test_classify_says_where_it_saved_with_escapes(tg, mini):
    assert said(tg("classify", NAME, *CLASSIFY)) == [f"saved as new client #1 {NAME_SHOWN}"]
    assert said(tg("classify", NAME, *CLASSIFY)) == [
        f"updated client #1 {NAME_SHOWN}; classification added to its history"]
    assert tg.json("clients", "show", "1", "-f", "json")["client"]["name"] == NAME  # stored exactly


def test_account_records_say_names_with_escapes(tg):
    ok(tg("clients", "add", "--", NAME))
    r = ok(tg("contacts", "add", "1", CONTACT, "--role", "decision-maker", "--title", TITLE))
    assert r.stderr == f"added contact #1 {CONTACT_SHOWN} at {NAME_SHOWN}\n" and r.stdout == "1\n"
    assert said(tg("contacts", "edit", "1", "--name", RIVAL)) == [f"updated contact #1 {RIVAL_SHOWN}"]
    assert said(tg("contacts", "strength", "1", "4", "--note", NOTES)) == [
        f"contact #1 {RIVAL_SHOWN}: strength — → 4 (kept in its history)"]
    assert said(tg("needs", "add", "1", NEED, "--stated")) == [
        f"recorded stated need #1: {NEED_SHOWN} ({NAME_SHOWN})"]
    assert said(tg("competitors", "add", "1", RIVAL)) == [f"recorded competitor #1 {RIVAL_SHOWN} at {NAME_SHOWN}"]
    # The message's own two lines are kept: the record and the balance.
    lines = said(tg("reciprocal", "add", "1", "--we-buy", NEED, "--amount", "500"))
    assert len(lines) == 2
    assert lines[0].startswith(f"recorded reciprocal deal #1: bought {NEED_SHOWN} from {NAME_SHOWN} for ")
    assert lines[1].startswith("they bought ")


def test_cases_say_the_title_and_the_search_with_escapes(tg):
    r = ok(tg("cases", "add", "--title", NAME, "--outcome", "won"))
    assert r.stderr == f"recorded case #1 {NAME_SHOWN}\n" and r.stdout == "1\n"
    # English quotes the search with repr(), which escapes already: one_line leaves that as it is.
    assert said(tg("cases", "search", RIVAL)) == [f"no case matches '{RIVAL_SHOWN}'"]
    assert said(tg("--lang", "zh", "cases", "search", RIVAL)) == [f"案例库里没有找到“{RIVAL_SHOWN}”"]


def test_refer_and_an_empty_tree_say_names_with_escapes(tg):
    assert said(tg("refer", NAME, CONTACT, "--yes")) == [
        f"recorded referral #1: #1 {NAME_SHOWN} → #2 {CONTACT_SHOWN}"]
    r = ok(tg("referrals", "tree", "2"))  # nothing below: said on stdout, where the tree would be
    assert r.stdout == f"{CONTACT_SHOWN} has no referrals below\n" and raw_chars(r.stdout) == []
    assert ok(tg("referrals", "tree", "1", "--up")).stdout == f"{NAME_SHOWN} has no referrals above\n"


def test_pipeline_commands_say_names_with_escapes(tg):
    ok(tg("clients", "add", "--", NAME))
    lines = said(tg("handoff", "1", "--to", f"bob {TITLE}", "--new-user", "-f", "json"))
    assert len(lines) == 1 and lines[0].startswith(f"handed #1 {NAME_SHOWN} on: now in ")
    assert lines[0].endswith(f", owned by bob {TITLE_SHOWN}")
    assert said(tg("log", "1", "called", "-t", "call", "--next", NEED)) == [
        f"logged #1: {NAME_SHOWN}, call; follow-up: {NEED_SHOWN} (no date)"]
    assert said(tg("agenda", "done", "1")) == [f"follow-up #1 done: {NEED_SHOWN}"]
    lines = said(tg("deals", "add", "1", "--bundle", "steamer_family", "--qty", "120"))
    assert len(lines) == 2 and lines[0].startswith("120 sets: ")  # the price, then the deal
    assert lines[1].startswith(f"added deal #1: {NAME_SHOWN}, ")
    lines = said(tg("deals", "won", "1"))  # won, moved, and the stages skipped: three lines
    assert len(lines) == 3 and lines[0].startswith(f"deal #1 won: {NAME_SHOWN}, ")
    assert lines[1] == f"{NAME_SHOWN} moves to Won" and lines[2].startswith("note: this skipped ")
    ok(tg("deals", "add", "1", "--bundle", "steamer_family", "--qty", "120"))
    lines = said(tg("deals", "lost", "2", "--reason", NEED, "--lesson", RIVAL))
    assert lines[0] == f"deal #2 lost: {NAME_SHOWN}, because: {NEED_SHOWN}"
    assert lines[1].startswith("filed in the case library as #")


def test_import_messages_and_dry_run_show_escapes(tg, tmp_path):
    """The plan of a dry run, the merged rows and the unknown columns quote the file's text."""
    CLEAR, RTL = "\x1b[2J", "\u202e"
    path = tmp_path / "evil.csv"
    path.write_text(f"名称,来源{CLEAR}\n坏{CLEAR}客户,x\n坏{CLEAR}客户,y\n{RTL}gift co,z\n", encoding="utf-8")
    for args in (("--dry-run",), ()):
        r = tg("import", "clients", str(path), *args)
        assert r.exit_code == 0, r.stderr
        for out in (r.stdout, r.stderr):
            assert "\x1b" not in out and "\u202e" not in out
        assert "\\x1b[2J" in r.stderr  # the unknown column and the merged row, shown as escapes
        if args:
            assert "\\x1b[2J" in r.stdout and "\\u202e" in r.stdout
