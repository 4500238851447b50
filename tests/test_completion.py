"""Shell completion: what Tab offers after a client, an offering, a stage or a user, driven the way
the shells drive it (Typer's bash protocol in a fresh `tg` process; tg's shell classes in-process),
on SQLite and PostgreSQL. A missing or broken database offers nothing, quietly, and writes nothing."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from tuangou_cli import i18n
from tuangou_cli.cli import COMMANDS, app, load
from tuangou_cli.cli.completion import KIND_OF_HELP, bash_word, shell_classes
from tuangou_cli.completing import LIMIT


def complete(line: str, shell: str = "zsh") -> list[tuple[str, str | None]]:
    """(value, help) of each candidate for the last word of ``line`` (a trailing space: a new
    word), as tg's class for ``shell`` works them out."""
    words = shlex.split(line)
    args, incomplete = (words[1:], "") if line.endswith(" ") else (words[1:-1], words[-1])
    comp = shell_classes()[shell](typer.main.get_command(app), {}, "tg", "_TG_COMPLETE")
    return [(item.value, item.help) for item in comp.get_completions(args, incomplete)]


def values(line: str, shell: str = "zsh") -> list[str]:
    return [v for v, _ in complete(line, shell)]


def bash(line: str, **env: str) -> subprocess.CompletedProcess:
    """A fresh `tg` asked for bash completions as Typer's bash script asks (COMP_WORDS, COMP_CWORD)."""
    words = line.split(" ")
    full = {**os.environ, "_TG_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1),
            **env}
    return subprocess.run([sys.executable, "-m", "tuangou_cli"], capture_output=True, text=True, env=full,
                          timeout=120)


@pytest.fixture
def clients(tg):
    for args in (["市税务局", "--city", "杭州", "--stage", "propose", "--owner", "alice"],
                 ["市教育局", "--city", "宁波", "--owner", "bob"],
                 ["省电力公司", "--city", "杭州", "--owner", "alice"],
                 ["ACME Trading (HK)", "--city", "Hong Kong", "--owner", "tester"]):
        result = tg("clients", "add", *args)
        assert result.exit_code == 0, result.stderr
    return tg


# --- clients ------------------------------------------------------------------------------------


def test_a_chinese_prefix_completes_client_names_in_a_fresh_tg(clients):
    done = bash("tg pitch 市")
    assert done.returncode == 0 and done.stderr == ""
    assert sorted(done.stdout.split()) == ["市教育局", "市税务局"]


def test_client_names_fold_case_and_width_and_bash_gets_one_word(clients):
    assert values("tg clients show ａｃｍｅ") == ["ACME Trading (HK)"]
    assert values("tg log add acme", shell="bash") == ["ACME Trading (HK)"]
    assert bash("tg clients edit acme").stdout.strip() == r"ACME\ Trading\ \(HK\)"
    assert shlex.split(bash_word("ACME Trading (HK) 'x' $y")) == ["ACME Trading (HK) 'x' $y"]


def test_every_client_argument_completes(clients):
    for line in ("tg classify 省", "tg refer 市税务局 省", "tg deals add 省", "tg handoff 省", "tg quote make 省",
                 "tg order add 省", "tg clients rm 省", "tg contacts add 省", "tg history 省",
                 "tg clients edit x --parent 省", "tg deals list --client 省"):
        assert "省电力公司" in values(line), line


def test_zsh_shows_each_clients_city_and_stage_in_the_runs_language(clients):
    assert ("市税务局", "杭州 · Propose") in complete("tg pitch 市")
    assert ("市税务局", "杭州 · 方案报价") in complete("tg --lang zh pitch 市")


def test_an_empty_word_offers_at_most_the_limit(tg):
    assert LIMIT == 50
    names = [f"客户{i:03d}" for i in range(LIMIT + 10)]
    result = tg("import", "clients", "-", input="name\n" + "\n".join(names) + "\n")
    assert result.exit_code == 0, result.stderr
    assert values("tg pitch ") == names[:LIMIT]
    assert values("tg pitch 客户05") == names[50:60]
    assert values("tg pitch 客户_") == []


def test_db_given_before_the_command_is_the_one_read(clients, tmp_path, testdb):
    if not testdb.is_sqlite:
        pytest.skip("another database file: SQLite's own")
    other = tmp_path / "other.db"
    from typer.testing import CliRunner

    assert CliRunner().invoke(app, ["--db", str(other), "clients", "add", "市场监管局"]).exit_code == 0
    assert values(f"tg --db {other} pitch 市") == ["市场监管局"]
    assert sorted(values("tg pitch 市")) == ["市教育局", "市税务局"]


# --- offerings, stages, users, short lists -----------------------------------------------------


def test_bundle_and_product_codes_by_prefix_any_case_with_name_and_price(tg, testdb):
    tg("db", "upgrade")  # the catalogue, as every database has it
    got = dict(complete("tg pitch x --bundle mid"))
    assert got["mid_autumn_box"] == "Mid-Autumn reunion box · ¥196 a set"
    printers = values("tg quote make x --item of-prn")
    assert printers and all(v.startswith("OF-PRN-") for v in printers)
    assert dict(complete("tg --lang zh catalog show OF-PRN-001"))["OF-PRN-001"] == "A4黑白激光打印机 · ¥1,280/台"
    assert "mid_autumn_box" not in values("tg catalog set-price mid")  # a product's price only
    assert values("tg quote make x --item OF-PRN-001=") == []
    assert "mid_autumn_box" in values("tg --lang zh order add x --bundle 中秋")  # a name finds its code
    assert len(values("tg pitch x --bundle ")) == LIMIT


def test_stages_by_code_and_by_name_in_the_runs_language(tg):
    assert values("tg handoff x --stage pro") == ["propose"]
    assert complete("tg --lang zh handoff x --stage 方") == [("方案报价", "propose")]
    assert values("tg clients list --stage ") == ["lead", "qualify", "propose", "negotiate", "won", "lost", "deliver"]
    assert values("tg --lang zh clients edit x --stage 线")[0] == "线索"
    assert "won" in values("tg handoff x --from w")


def test_users_are_the_owners_of_clients_and_whoever_runs_tg(clients):
    assert values("tg clients list --owner ") == ["alice", "bob", "tester"]
    assert values("tg handoff x --to b") == ["bob"]
    assert values("tg agenda --user A") == ["alice"]
    assert values("tg handover --from al") == ["alice"]


def test_segments_activity_types_and_roles(tg):
    assert values("tg clients list --segment of")[0] == "office"
    assert values("tg log add x y --type v") == ["visit"]
    assert values("tg --lang zh log add x y --type 电") == ["电话"]
    assert values("tg contacts add x y --role de") == ["decision-maker"]
    assert "拍板人" in values("tg --lang zh contacts add x y --role ")


# --- nothing to read, nothing written, nothing said ---------------------------------------------


@pytest.mark.sqlite_only("a file that is no database")
def test_a_broken_database_offers_nothing_quietly(tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 100)
    for line in ("tg pitch 市", "tg pitch x --bundle ", "tg clients list --owner "):
        done = bash(line, TG_DB=str(broken))
        assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "", ""), line
    assert broken.read_bytes() == b"not a database at all" * 100


@pytest.mark.no_db
def test_no_database_offers_nothing_and_creates_none(tmp_path):
    done = bash("tg pitch 市")
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "", "")
    assert not (tmp_path / "tg.db").exists()
    assert values("tg clients list --owner ") == ["tester"]  # whoever runs tg, still


@pytest.mark.no_db
def test_an_unreachable_server_offers_nothing(tmp_path):
    done = bash("tg pitch 市", TG_DB="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "", "")


@pytest.mark.no_db
def test_a_broken_playbook_offers_no_stages(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("stages: [unclosed\n", encoding="utf-8")
    done = bash("tg handoff x --stage ", TG_PLAYBOOK=str(bad))
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "", "")
    assert bash("tg handoff x --stage ", TG_PLAYBOOK=str(tmp_path / "missing.yaml")).stdout.strip() == ""


def test_completing_reads_without_writing(clients, testdb):
    before = testdb.rows("SELECT id, name, updated_at FROM client ORDER BY id")
    audit = testdb.count("audit_log") if "audit_log" in _tables(testdb) else None
    assert bash("tg pitch 市").stdout.split()
    assert testdb.rows("SELECT id, name, updated_at FROM client ORDER BY id") == before
    if audit is not None:
        assert testdb.count("audit_log") == audit


def _tables(testdb) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(testdb.sa()).get_table_names())


@pytest.mark.sqlite_only("the sqlite3 road is SQLite's")
def test_a_completion_loads_neither_sqlalchemy_nor_rich_nor_the_validated_playbook(clients, tmp_path):
    script = (
        "import os, sys\n"
        "os.environ.update(_TG_COMPLETE='complete_zsh', _TYPER_COMPLETE_ARGS=sys.argv[1])\n"
        "from tuangou_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'rich', 'openpyxl', 'questionary', 'tuangou_cli.playbook')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n")
    for line in ("tg pitch 市", "tg handoff x --stage p", "tg quote make x --bundle mid", "tg clients list --owner a"):
        done = subprocess.run([sys.executable, "-c", script, line], capture_output=True, text=True, timeout=120)
        assert done.stderr.strip().splitlines()[-1] == "HEAVY []", (line, done.stderr)
        assert done.stdout.startswith("_arguments"), (line, done.stdout)


# --- the wiring ---------------------------------------------------------------------------------


@pytest.mark.no_db
def test_every_parameter_that_takes_a_client_or_a_user_completes():
    """A parameter named like one of these and not completed is a helper key missing from
    KIND_OF_HELP; each key there is a real help text."""
    from tuangou_cli.cli import build_command

    assert all(key in i18n.CATALOGUE for key in KIND_OF_HELP)
    missing, kinds = [], {}

    def walk(command, path):
        for param in command.params:
            kind = getattr(param._custom_shell_complete, "kind", None)
            kinds[(path, param.name)] = kind
            if param.name in ("client", "referrer", "referred", "parent", "owner", "stage", "bundle", "item", "user",
                              "segment") and kind is None:
                missing.append(f"{path} {param.name}")
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    for name in COMMANDS:
        walk(build_command(name), name)
    assert missing == []
    assert kinds[("pitch", "client")] == "client" and kinds[("handoff", "to")] == "user"
    assert kinds[("catalog show", "code")] == "offering" and kinds[("catalog set-price", "code")] == "product"
    assert kinds[("quote make", "item")] == "product" and kinds[("log add", "type_")] == "activity"
    assert load("pitch")  # (the commands import)


@pytest.mark.no_db
def test_show_and_install_completion_still_work(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path)}
    shown = subprocess.run([sys.executable, "-m", "tuangou_cli", "--show-completion", "bash"], capture_output=True,
                           text=True, env=env, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert "_TG_COMPLETE=complete_bash" in shown.stdout and "complete -o default -F _tg_completion tg" in shown.stdout
    done = subprocess.run([sys.executable, "-m", "tuangou_cli", "--install-completion", "bash"], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    script = Path(tmp_path, ".bash_completions", "tg.sh").read_text(encoding="utf-8")
    assert "_TG_COMPLETE=complete_bash" in script
    assert "tg.sh" in Path(tmp_path, ".bashrc").read_text(encoding="utf-8")


@pytest.mark.no_db
def test_commands_and_options_still_complete_as_typer_completes_them():
    assert "pitch" in values("tg pi")
    assert "--bundle" in values("tg pitch x --bu")
