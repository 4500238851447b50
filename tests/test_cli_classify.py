"""tg classify: non-interactive answers, the interactive questionnaire, non-tty, Ctrl-C."""

from __future__ import annotations

import json

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput


from .conftest import Tg

ENTER, DOWN, SPACE, CTRL_C = "\r", "\x1b[B", " ", "\x03"


def test_json_result_has_everything(tg, mini):
    data = tg.json("classify", "市税务局", "-a", "purpose=staff", "-a", "priorities=novelty",
                   "--headcount", "120", "--budget-per-head", "350", "--format", "json")
    assert data["segment"] == "welfare"
    assert 0.8 <= data["confidence"] <= 1
    assert set(data["scores"]) == {"office", "welfare", "gift"}
    assert any("Who uses it" in r for r in data["reasons"])
    assert data["pitch"]["opening"] == "this occasion benefits at 市税务局"
    top = data["bundles"][0]
    assert (top["code"], top["per_head"], top["quantity"], top["total"]) == ("steamer", 270.0, 120, 32400.0)
    assert all(b["per_head"] <= 350 for b in data["bundles"])
    assert top["reasons"]
    assert isinstance(data["client_id"], int)


def test_saves_client_and_history(tg, mini, testdb):
    first = tg.json("classify", "市税务局", "-a", "purpose=staff", "--headcount", "80", "-f", "json")
    again = tg.json("classify", "ｓhi税务局".replace("ｓhi", "市"), "-a", "purpose=own", "-a", "spec=yes",
                    "-f", "json")
    assert first["client_id"] == again["client_id"]
    assert testdb.count("client") == 1 and testdb.count("classification") == 2
    shown = tg.json("clients", "show", str(first["client_id"]), "-f", "json")
    assert shown["client"]["segment"] == "office" and shown["client"]["headcount"] == 80
    assert [h["segment"] for h in shown["classifications"]] == ["office", "welfare"]


def test_no_save_writes_nothing(tg, mini, testdb):
    data = tg.json("classify", "X", "-a", "purpose=own", "--no-save", "-f", "json")
    assert data["client_id"] is None
    assert testdb.count("client") == 0


def test_answers_file(tg, mini, tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("purpose: others\npriorities: [price]\nspec: no\nbudget: 40\n", encoding="utf-8")
    data = tg.json("classify", "--answers", str(f), "--headcount", "200", "--no-save", "-f", "json")
    assert data["segment"] == "gift"
    assert [b["code"] for b in data["bundles"]] == ["pen"]
    j = tmp_path / "a.json"
    j.write_text(json.dumps({"purpose": "own", "spec": True}), encoding="utf-8")
    assert tg.json("classify", "--answers", str(j), "--no-save", "-f", "json")["segment"] == "office"


@pytest.mark.parametrize("args, needle", [
    (["-a", "nosuch=1"], "unknown question id 'nosuch'"),
    (["-a", "purpose"], "--answer takes QID=VALUE"),
    (["-a", "purpose=boss"], "is not a choice"),
    (["-a", "headcount=many"], "needs a number"),
])
def test_bad_answers_are_usage_errors(tg, mini, testdb, args, needle):
    r = tg("classify", "X", *args)
    assert r.exit_code == 2
    assert needle in r.stderr and "Traceback" not in r.output
    assert testdb.count("client") == 0


def test_non_tty_without_answers_exits_2_never_hangs(tg, mini, testdb):
    r = tg("classify", "X", input="")
    assert r.exit_code == 2
    assert "--answer QID=VALUE" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert testdb.count("client") == 0


def test_nothing_fits_is_said(tg, mini):
    data = tg.json("classify", "-a", "purpose=staff", "--headcount", "50", "--budget-per-head", "80",
                   "--no-save", "-f", "json")
    assert data["bundles"] == [] and "No bundle fits" in data["note"]


def test_text_output_explains(tg, mini):
    r = tg("classify", "Acme", "-a", "purpose=own", "-a", "spec=yes", "--headcount", "30")
    assert r.exit_code == 0
    for needle in ("Office", "Why", "Need points", "Stated needs", "Guided needs", "printer_pack", "tg pitch"):
        assert needle in r.stdout
    assert "saved as new client" in r.stderr


def test_ambiguous_name_lists_ids(tg, mini):
    tg("clients", "add", "市人民医院", "--city", "杭州")
    tg("clients", "add", "市人民医院", "--city", "宁波")
    r = tg("classify", "市人民医院", "-a", "purpose=own")
    assert r.exit_code == 1
    assert "give the id" in r.stderr and "杭州" in r.stderr and "宁波" in r.stderr


# --- interactive, through prompt_toolkit pipe input ---------------------------------------------


def interactive(monkeypatch, keys: str, *args: str):
    monkeypatch.setattr("tuangou_cli.prompts.is_interactive", lambda: True)
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        return Tg()(*args)


def test_interactive_questionnaire_stops_early_and_saves(monkeypatch, mini, testdb):
    # purpose → 2nd choice (staff) makes welfare the only segment in the running, so only the
    # questions the bundle needs (headcount, budget) follow.
    keys = DOWN + ENTER + "120" + ENTER + "350" + ENTER
    r = interactive(monkeypatch, keys, "classify", "市税务局", "-f", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["segment"] == "welfare"
    assert list(data["answers"]) == ["purpose", "headcount", "budget"], "stopped before spec/priorities/past"
    assert data["bundles"][0]["total"] == 32400.0
    assert "leading: Welfare" in r.stderr
    assert testdb.count("client") == 1


def test_interactive_all_question_types(monkeypatch, mini):
    keys = (DOWN + DOWN + ENTER  # purpose: others
            + "n"  # spec: confirm
            + DOWN + DOWN + SPACE + ENTER  # priorities: tick price
            + "台历" + ENTER  # past: text
            + "200" + ENTER + "x" + ENTER + "\x7f" + "40" + ENTER)  # budget: a bad value is refused, then 40
    r = interactive(monkeypatch, keys, "classify", "--all", "--no-save", "-f", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["answers"] == {"purpose": "others", "spec": False, "priorities": ["price"], "past": "台历",
                               "headcount": 200.0, "budget": 40.0}
    assert data["segment"] == "gift" and data["bundles"][0]["code"] == "pen"


def test_interactive_asks_for_a_name_when_none_given(monkeypatch, mini, testdb):
    keys = ENTER + "\x1b[B\x1b[B" + SPACE + ENTER + ENTER + "10" + ENTER + "5000" + ENTER + "华夏银行" + ENTER
    r = interactive(monkeypatch, keys, "classify", "-f", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["segment"] == "office"
    assert testdb.rows("select name from client") == [("华夏银行",)]


def test_ctrl_c_writes_nothing(monkeypatch, mini, testdb):
    r = interactive(monkeypatch, DOWN + ENTER + CTRL_C, "classify", "市税务局")
    assert r.exit_code == 130
    assert "nothing was written" in r.stderr
    assert testdb.count("client") == 0 and testdb.count("classification") == 0


@pytest.mark.parametrize("content, needle", [
    (None, "cannot read answers file"),
    ("- a\n- b\n", "must be a mapping"),
    ("purpose: [unclosed\n", "cannot read answers file"),
])
def test_bad_answers_file_is_a_user_error(tg, mini, testdb, tmp_path, content, needle):
    f = tmp_path / "answers.yaml"
    if content is not None:
        f.write_text(content, encoding="utf-8")
    r = tg("classify", "X", "--answers", str(f))
    assert r.exit_code == 1 and needle in r.stderr
    assert testdb.count("client") == 0


def test_known_budget_of_an_existing_client_is_respected(tg, mini):
    tg("clients", "add", "Foo", "--headcount", "100", "--budget-per-head", "150")
    data = tg.json("classify", "Foo", "-a", "purpose=staff", "-f", "json")
    assert [b["code"] for b in data["bundles"]] == ["mooncake"]
    assert data["bundles"][0]["quantity"] == 100
    again = tg.json("classify", "Foo", "-a", "purpose=staff", "--budget-per-head", "400", "-f", "json")
    assert [b["code"] for b in again["bundles"]] == ["steamer", "mooncake"], "a flag beats the stored value"


@pytest.mark.parametrize("args", [["--headcount", "99999999999999999999"], ["--budget-per-head", "inf"],
                                  ["--budget-total", "1e400"]])
def test_absurd_numbers_are_usage_errors(tg, mini, args):
    r = tg("classify", "-a", "purpose=staff", "--no-save", *args)
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_no_name_says_why_not_saved(tg, mini):
    r = tg("classify", "-a", "purpose=staff")
    assert r.exit_code == 0 and "no client name given" in r.stderr
