"""Click's own usage errors (unknown option, missing argument, bad value…) in the user's language:
Chinese built from the exception's parts, English left as Click words it; exit code 2 either way."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.no_db  # a wrong command line never reaches the database

# (command line, the Chinese error line, Click's English error line)
CASES = [
    (["clients", "add", "X", "--foo"], "没有 --foo 这个选项", "No such option: --foo"),
    (["clients", "add", "X", "--segmnt", "a"], "没有 --segmnt 这个选项（相近的有：--parent, --segment）",
     "No such option: --segmnt (Possible options: --parent, --segment)"),
    (["clients", "add"], "缺少参数 'name'", "Missing argument 'name'."),
    (["handoff", "X"], "缺少选项 '--to'", "Missing option '--to'."),
    (["clients", "add", "X", "--headcount", "abc"], "'--headcount' 的值无效：'abc' 不是整数",
     "Invalid value for '--headcount': Input should be a valid integer, unable to parse string as an integer"),
    (["clients", "add", "X", "--headcount", "-3"], "'--headcount' 的值无效：'-3' 太小，最小为 0",
     "Invalid value for '--headcount': Input should be greater than or equal to 0"),
    (["clients", "add", "X", "--budget-per-head", "lots"], "'--budget-per-head' 的值无效：'lots' 不是数字",
     "Invalid value for '--budget-per-head': Input should be a valid number, unable to parse string as a number"),
    (["clients", "list", "-f", "xml"], "'--format' / '-f' 的值无效：'xml' 不在可选值之内：table, csv, json, jsonl, xlsx",
     "Invalid value for '--format' / '-f': Value error, 'xml' is not one of 'table', 'csv', 'json', 'jsonl', 'xlsx'."),
    (["clients", "add", "X", "Y"], "多余的参数：Y", "Got unexpected extra argument(s) (Y)"),
    (["pitch", "A", "B", "C"], "多余的参数：B C", "Got unexpected extra argument(s) (B C)"),
    (["nosuch"], "没有 'nosuch' 这个命令", "No such command 'nosuch'."),
    (["clien"], "没有 'clien' 这个命令；是不是要用 clients？", "No such command 'clien'. Did you mean 'clients'?"),
    (["clients", "lst"], "没有 'lst' 这个命令；是不是要用 list？", "No such command 'lst'. Did you mean 'list'?"),
    (["--foo"], "没有 --foo 这个选项", "No such option: --foo"),
    (["clients", "add", "X", "--headcount"], "选项 --headcount 后面要跟 1 个值",
     "Option '--headcount' requires an argument."),
    (["clients", "list", "--mine=3"], "选项 --mine 不带值", "Option '--mine' does not take a value."),
    (["--db", "x.db"], "缺少命令", "Missing command."),
]
IDS = [" ".join(args) or "nothing" for args, _, _ in CASES]


@pytest.mark.parametrize(("args", "zh", "en"), CASES, ids=IDS)
def test_in_chinese_from_the_exceptions_parts(tg, monkeypatch, args, zh, en):
    monkeypatch.setenv("TG_LANG", "zh")
    r = tg(*args)
    assert r.exit_code == 2, r.stderr
    lines = r.stderr.splitlines()
    assert lines[0].startswith("用法：root ") and "[OPTIONS]" in lines[0], "the usage line stays"
    command = lines[0].removeprefix("用法：").split(" [")[0]
    assert lines[1] == f"运行 '{command} -h' 查看帮助。" and lines[2] == ""
    assert lines[-1] == f"错误：{zh}"
    assert "Error" not in r.stderr and r.stdout == ""


@pytest.mark.parametrize(("args", "zh", "en"), CASES, ids=IDS)
def test_english_stays_clicks_own(tg, args, zh, en):
    r = tg(*args)
    assert r.exit_code == 2, r.stderr
    assert r.stderr.splitlines()[-1] == f"Error: {en}"


def test_the_language_is_chosen_as_for_tgs_own_messages(tg, monkeypatch):
    """--lang beats TG_LANG beats the locale, even when the root's own options are the mistake
    (tg's callback, which sets the language, has not run then)."""
    assert tg("--lang", "zh", "--foo").stderr.endswith("错误：没有 --foo 这个选项\n")  # TG_LANG=en
    assert tg("--lang=zh", "nosuch").stderr.endswith("错误：没有 'nosuch' 这个命令\n")
    assert tg("--lang", "zh", "clients", "add").stderr.endswith("错误：缺少参数 'name'\n")
    monkeypatch.setenv("TG_LANG", "zh")
    assert tg("--lang", "en", "--foo").stderr.endswith("Error: No such option: --foo\n")
    assert tg("--lang", "en", "clients", "add", "X", "Y").stderr.endswith("Error: Got unexpected extra argument(s) (Y)\n")
    assert tg("--lang", "klingon", "nosuch").stderr.endswith("错误：没有 'nosuch' 这个命令\n")  # unknown: as if not given
    monkeypatch.delenv("TG_LANG")
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    r = tg("clients", "add", "X", "--headcount", "abc")
    assert r.exit_code == 2 and r.stderr.endswith("错误：'--headcount' 的值无效：'abc' 不是整数\n")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert tg("clients", "add").stderr.endswith("Error: Missing argument 'name'.\n")


def test_help_for_a_bare_group_is_in_the_language_and_tgs_own_errors_are_untouched(tg, monkeypatch):
    monkeypatch.setenv("TG_LANG", "zh")
    r = tg("clients")  # a group without its command shows its help, in the run's language
    assert r.exit_code == 2 and "用法：root clients" in r.stderr and "命令：" in r.stderr
    assert "Commands:" not in r.stderr
    r = tg("--lang", "xx", "clients", "list")
    assert r.exit_code == 2 and r.stderr.startswith("tg: unknown language 'xx'")


def test_control_characters_in_a_wrong_option_stay_on_one_line(tg, monkeypatch):
    monkeypatch.setenv("TG_LANG", "zh")
    r = tg("clients", "add", "X", "--f\x1b[2Jo\no")
    assert r.exit_code == 2
    assert r.stderr.splitlines()[-1] == "错误：没有 --f\\x1b[2Jo\\no 这个选项"
