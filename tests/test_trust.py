"""Trust on the team database, the parts that need no race: passwords never printed, stored text
shown as escapes, atomic backups, bounded input, the hand-off's expected stage, one rival per
name, and migration 0005 repairing duplicates a race left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SECRET = "s3kr1t-Pa55"


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


# --- passwords ------------------------------------------------------------------------------------

URL_COMMANDS = [("db", "path"), ("db", "check"), ("db", "check", "-f", "json"), ("db", "backup", "x.db"),
                ("db", "restore", "x.db", "--yes"), ("db", "upgrade"), ("db", "setup-rls"), ("db", "setup-rls", "--sql"),
                ("clients", "list"), ("pipeline",), ("history", "1")]


def with_password(form: str, host: str = "127.0.0.1:1", db: str = "tg") -> str:
    if form == "userinfo":
        return f"postgresql+psycopg://rep:{SECRET}@{host}/{db}"
    if form == "query":
        return f"postgresql+psycopg://rep@{host}/{db}?password={SECRET}&sslmode=disable"
    return f"postgresql+psycopg://rep@{host}/{db}?passfile=/tmp/{SECRET}.pgpass"


@pytest.mark.no_db
@pytest.mark.parametrize("form", ["userinfo", "query"])
def test_no_command_prints_a_password(tg, form):
    """Every command that prints a URL or a connection error, with the password in either part of
    the URL: never the password (a server that cannot be reached: each says so in one line)."""
    url = with_password(form)
    for args in URL_COMMANDS:
        res = tg("--db", url, *args)
        assert SECRET not in res.output, (args, res.output)
        assert "Traceback" not in res.output
    shown = tg("--db", url, "db", "path").stdout
    assert "127.0.0.1:1" in shown and "***" in shown


@pytest.mark.no_db
def test_a_passfile_path_is_no_secret(tg):
    assert f"{SECRET}.pgpass" in tg("--db", with_password("passfile"), "db", "path").stdout


@pytest.mark.no_db
def test_redaction_of_urls_in_any_text():
    from tuangou_cli.errors import register_secrets, scrub
    from tuangou_cli.rawdb import redact_url, url_secrets

    assert redact_url(f"x postgresql://u:{SECRET}@h/db y") == "x postgresql://u:***@h/db y"
    assert redact_url(f"postgresql://u@h/db?sslmode=require&password={SECRET}") == \
        "postgresql://u@h/db?sslmode=require&password=***"
    assert redact_url(f"host=h password='{SECRET}' user=u") == "host=h password=*** user=u"
    assert SECRET in url_secrets(f"postgresql://u@h/db?password={SECRET}")
    assert url_secrets("postgresql://u:p%40ss@h/db") == ["p%40ss", "p@ss"]
    register_secrets(["p@ss"])
    assert scrub("failed for p@ss because") == "failed for *** because"


@pytest.mark.postgresql_only("a real server, reached with a password in the query (trust auth ignores it)")
def test_a_reachable_server_with_a_password_in_the_query(tg, testdb):
    url = testdb.url + ("&" if "?" in testdb.url else "?") + f"password={SECRET}"
    for args in (("db", "path"), ("db", "check"), ("db", "check", "-f", "json"), ("db", "upgrade"),
                 ("db", "backup", "x.db"), ("db", "restore", "x.db", "--yes"), ("clients", "list")):
        res = tg("--db", url, *args)
        assert SECRET not in res.output, (args, res.output)


@pytest.mark.postgresql_only("setup-rls's success line names the database")
def test_setup_rls_success_line_hides_the_password(tg, team):  # noqa: F811
    url, r = team
    res = ok(tg("--db", url + f"&password={SECRET}", "db", "setup-rls", "--rep-group", r["rep"],
                "--manager-group", r["mgr"]))
    assert "row-level security" in res.stderr and SECRET not in res.output


from .test_rls import team  # noqa: E402,F401  (the fixture)


# --- stored text shown as escapes ----------------------------------------------------------------

HOSTILE = "市\x1b[2J税\u200b务\u202e局\x07"
SHOWN = "市\\x1b[2J税\\u200b务\\u202e局\\x07"


def test_pipeline_and_referrals_list_show_control_and_zero_width_characters_as_escapes(tg):
    ok(tg("clients", "add", HOSTILE, "--owner", "zh\u200dang"))
    ok(tg("clients", "add", "B"))
    ok(tg("refer", "1", "2", "--note", "n\u2060ote\x1b]0;x\x07", "--contact", "王\ufeff主任"))
    board = ok(tg("pipeline")).stdout
    listing = ok(tg("referrals", "list")).stdout
    for out in (board, listing):
        assert SHOWN in out and "\x1b" not in out and "\u200b" not in out and "\x07" not in out
    assert "zh\\u200dang" in board
    assert "n\\u2060ote\\x1b]0;x\\x07" in listing and "王\\ufeff主任" in listing
    data = tg.json("referrals", "list", "-f", "json")
    assert data[0]["referrer"] == HOSTILE, "JSON keeps the text exactly"


# --- the pre-upgrade backup and temporary files ---------------------------------------------------


@pytest.mark.sqlite_only("the pre-upgrade backup is a SQLite file copy")
def test_backup_goes_through_a_temporary_file_and_stale_ones_are_swept(tmp_path, monkeypatch):
    from tuangou_cli import dbfile
    from tuangou_cli.db import open_store

    db = tmp_path / "tg.db"
    open_store(f"sqlite:///{db}").engine.dispose()
    target = tmp_path / "tg.db.bak-0004"
    dead = 2 ** 22 + 12345  # above pid_max on most systems: no such process
    stale = [tmp_path / f".tg.db.bak-0004.tmp-{dead}", tmp_path / f".tg.db.bak-0004.tmp-{dead}-journal"]
    for p in stale:
        p.write_bytes(b"half a copy")
    live = tmp_path / f".tg.db.bak-0004.tmp-{os.getppid()}"  # a running process's: left alone
    live.write_bytes(b"in use")

    def killed(source, dest):  # the copy dies half-way, as a kill would leave it
        Path(dest).write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
        raise KeyboardInterrupt

    real = dbfile.copy_database
    monkeypatch.setattr(dbfile, "copy_database", killed)
    with pytest.raises(KeyboardInterrupt):
        dbfile.copy_database_atomic(db, target)
    assert not target.exists(), "never a half copy under the backup's name"
    assert not any(p.exists() for p in stale) and live.exists()
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == [live.name]
    monkeypatch.setattr(dbfile, "copy_database", real)
    dbfile.copy_database_atomic(db, target)
    assert dbfile.inspect_file(target).sound
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == [live.name]


@pytest.mark.sqlite_only("the pre-upgrade backup of a SQLite file")
def test_upgrade_backup_is_whole_and_leaves_no_temporary_file(tmp_path, tg):
    from alembic import command
    from sqlalchemy import create_engine

    from tuangou_cli import migrations
    from tuangou_cli.db import open_store

    db = tmp_path / "old.db"
    open_store(f"sqlite:///{db}").engine.dispose()
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), "0004")
    engine.dispose()
    res = ok(tg("--db", str(db), "db", "upgrade"))
    assert "old.db.bak-0004" in res.stderr
    from tuangou_cli import dbfile

    assert dbfile.inspect_file(tmp_path / "old.db.bak-0004").version == "0004"
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


# --- bounded input -----------------------------------------------------------------------------------

# The peak is measured by a small Python between pytest and tg: a process forked from pytest keeps
# pytest's own peak in its rusage across exec, its children do not.
PEAK = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = proc.stderr.read()
_, status, usage = os.wait4(proc.pid, 0)
sys.stderr.buffer.write(err)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss // 1024)
"""


def _peak(args: list[str], stdin=None) -> tuple[int, str, int]:
    """(exit code, stderr, peak RSS in MiB) of a real `tg` run."""
    r = subprocess.run([sys.executable, "-c", PEAK, sys.executable, "-m", "tuangou_cli", *args],
                       stdin=stdin or subprocess.DEVNULL, capture_output=True)
    code, peak = (int(x) for x in r.stdout.split())
    return code, r.stderr.decode(), peak


@pytest.mark.no_db
@pytest.mark.timeout(120)
@pytest.mark.parametrize("args", [["--playbook", "/dev/zero", "pitch", "1"], ["classify", "--answers", "/dev/zero"],
                                  ["playbook", "check", "/dev/zero"]])
def test_hostile_files_are_refused_by_size_before_parsing(args, tmp_path):
    code, err, peak = _peak(args)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "/dev/zero is too big" in err and "limit" in err
    assert peak <= 150, f"{peak} MiB"
    assert not (tmp_path / "tg.db").exists()


@pytest.mark.no_db
@pytest.mark.timeout(120)
def test_ten_megabytes_of_notes_on_stdin_are_refused_in_bounded_memory(tmp_path):
    notes = tmp_path / "notes.txt"
    with open(notes, "wb") as f:
        line = "客户说要给员工发中秋福利，按部门分装送达，不走招标。\n".encode()
        f.write(line * (10_000_000 // len(line) + 1))
    with open(notes, "rb") as stdin:
        code, err, peak = _peak(["classify", "--notes", "-", "-f", "json"], stdin=stdin)
    assert code == 1 and "standard input is too big" in err and len(err.strip().splitlines()) == 1, err
    assert peak <= 150, f"{peak} MiB"


@pytest.mark.no_db
@pytest.mark.timeout(300)
def test_the_largest_notes_accepted_classify_in_bounded_memory(tmp_path):
    """Just under limits.NOTES_BYTES of notes, every clause a signal: classified, under 150 MiB."""
    from tuangou_cli.limits import NOTES_BYTES

    notes = tmp_path / "notes.txt"
    line = "工会年终慰问，给职工发，300人，人均200元，不要购物卡，去年发过大米和油；".encode()
    notes.write_bytes(line * (NOTES_BYTES // len(line)))
    with open(notes, "rb") as stdin:
        code, err, peak = _peak(["classify", "--no-save", "--notes", "-", "-f", "json"], stdin=stdin)
    assert code == 0, err[-500:]
    assert peak <= 150, f"{peak} MiB"
    with open(notes, "ab") as f:
        f.write(b"x" * (NOTES_BYTES + 1 - notes.stat().st_size))
    with open(notes, "rb") as stdin:
        code, err, peak = _peak(["classify", "--no-save", "--notes", "-", "-f", "json"], stdin=stdin)
    assert code == 1 and "standard input is too big" in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.no_db
def test_notes_within_the_cap_still_classify(tg):
    res = tg("classify", "--notes", "-", "-f", "json", input="客户说要给员工发中秋福利，按部门分装送达。" * 200)
    assert res.exit_code == 0, res.stderr


# --- the hand-off's expected stage; a rival recorded once -------------------------------------------------


def test_a_hand_off_from_a_stage_the_client_has_left_is_refused(tg, monkeypatch):
    cid = ok(tg("clients", "add", "市税务局", "--owner", "zhang")).stdout.strip()
    monkeypatch.setenv("TG_USER", "li")
    ok(tg("handoff", cid, "--to", "wang", "--new-user"))
    monkeypatch.setenv("TG_USER", "zhang")
    res = tg("handoff", cid, "--to", "zhao", "--new-user", "--from", "lead")
    assert res.exit_code == 1 and len(res.stderr.strip().splitlines()) == 1
    assert "no longer in Lead: li moved it to Qualify at" in res.stderr and "nothing handed on" in res.stderr
    assert tg.json("clients", "show", cid, "-f", "json")["client"]["owner"] == "wang"
    packet = tg.json("handoff", cid, "--to", "zhao", "--new-user", "--from", "qualify", "-f", "json")
    assert packet["handoff"]["from_stage"] == "qualify" and packet["handoff"]["to_stage"] == "propose"
    zh = tg("--lang", "zh", "handoff", cid, "--to", "li", "--from", "lead")
    assert zh.exit_code == 1 and "已不在" in zh.stderr


def test_a_rival_is_recorded_once_per_client(tg, testdb):
    ok(tg("clients", "add", "A"))
    first = ok(tg("competitors", "add", "A", "国美", "--offer", "普通家电"))
    again = ok(tg("competitors", "add", "A", " 国美 "))
    assert "already recorded" in again.stderr and first.stdout == again.stdout
    assert testdb.count("competitor") == 1


# --- migration 0005 on a database a race left duplicates in ---------------------------------------------


@pytest.mark.fresh_db
def test_upgrade_to_0005_voids_duplicate_rewards_and_keeps_the_granted_one(tg, testdb):
    from alembic import command

    from tuangou_cli import migrations

    ok(tg("clients", "add", "甲有限公司"))
    ok(tg("clients", "add", "乙"))
    ok(tg("refer", "1", "2"))
    with testdb.sa().begin() as conn:
        command.downgrade(migrations.alembic_config(conn), "0004")
    now = "2026-11-30 10:00:00"
    for status, granted in (("due", None), ("granted", "boss"), ("due", None)):
        testdb.execute("INSERT INTO reward (referral_id, referrer_id, referrer_name, kind, description, amount, "
                       "status, created_at, created_by, due_at, granted_by) VALUES (1, 1, '甲', 'commission', 'c', "
                       "3000, :s, :t, 't', :t, :g)", s=status, t=now, g=granted)
    testdb.execute("UPDATE reward SET status = 'voided' WHERE id = 1")  # the pending one, long voided
    ok(tg("db", "upgrade"))
    rows = testdb.rows("SELECT id, status, reason FROM reward ORDER BY id")
    assert [(i, s) for i, s, _ in rows] == [(1, "voided"), (2, "voided"), (3, "granted"), (4, "voided")]
    assert all("duplicate of reward #3" in (reason or "") for i, _, reason in rows if i in (2, 4))
    assert testdb.scalar("SELECT count(*) FROM audit WHERE \"by\" = 'tg db upgrade' AND table_name = 'reward'") == 2
    assert testdb.scalar("SELECT dedupe_key FROM client WHERE id = 1") == "甲"
    # and now the database itself refuses a second live reward for the referral
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        testdb.execute("INSERT INTO reward (referral_id, referrer_id, referrer_name, kind, description, amount, "
                       "status, created_at, created_by) VALUES (1, 1, '甲', 'commission', 'c', 1, 'due', :t, 't')",
                       t=now)

