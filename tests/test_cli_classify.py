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
    assert data["pitch"]["opening"] == ("this occasion benefits at 市税务局 This time I recommend Garment steamer: "
                                        "novelty, which is what you said matters.")
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
    assert data["bundles"] == [] and "Nothing fits a per-head budget of ¥80" in data["note"]


def test_text_output_explains(tg, mini):
    r = tg("classify", "Acme", "-a", "purpose=own", "-a", "spec=yes", "--headcount", "30", "--full")
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


# --- the call screen, going back, numbers as reps type them, a client named by id ---------------


def test_the_call_screen_fits_80_by_24(tg, monkeypatch):
    from tuangou_cli.plain import width

    monkeypatch.setenv("COLUMNS", "80")
    from tuangou_cli.recommend import money

    call = ["-a", "purpose=staff", "-a", "decision=leader", "-a", "occasion=spring_festival",
            "-a", "past_items=冰箱、西服、水果都发过了", "-a", "priorities=novelty,practical",
            "--headcount", "120", "--budget-per-head", "600"]
    top = tg.json("classify", *call, "--no-save", "-f", "json")["bundles"][0]
    for lang in ("zh", "en"):
        r = tg("--lang", lang, "classify", "市税务局", *call)
        assert r.exit_code == 0, r.output
        lines = r.stdout.rstrip("\n").splitlines()
        assert len(lines) + len(r.stderr.splitlines()) <= 22, r.stdout
        assert all(width(x.rstrip()) <= 80 for x in lines)
        assert "tg pitch 1" in r.stdout and "--full" in r.stdout
        assert money(top["total"]) in r.stdout and money(top["per_head"]) in r.stdout  # the top offer, its total
        full = tg("--lang", lang, "classify", "1", "-a", "purpose=staff", "--full", "--no-save")
        assert len(full.stdout.splitlines()) > 40, "--full gives the rest"


def test_chinese_call_screen_has_no_english_codes(tg):
    r = tg("--lang", "zh", "classify", "市税务局", "-a", "purpose=staff", "-a", "priorities=novelty,practical",
           "-a", "occasion=spring_festival", "--headcount", "120", "--budget-per-head", "600", "--full")
    assert r.exit_code == 0
    for word in ("novel", "practical", "family", "office ", "welfare ", "gift "):
        assert word not in r.stdout.replace("steamer_family", "").replace("tg ", ""), word
    assert "员工福利类 " in r.stdout and "办公" in r.stdout  # the scores by name


def test_english_lists_use_english_punctuation(tg):
    r = tg("--lang", "en", "classify", "-a", "purpose=staff", "-a", "priorities=novelty,practical", "--no-save",
           "--headcount", "100", "--full")
    assert r.exit_code == 0 and "、" not in r.stdout
    assert not any(line.lstrip().startswith(("，", "。", "；", "）")) for line in r.stdout.splitlines())


def test_the_stop_reason_says_where_the_threshold_was_reached(tg, mini):
    data = tg.json("classify", "-a", "purpose=staff", "-a", "spec=no", "-a", "past=台历", "--headcount", "10",
                   "--no-save", "-f", "json")
    assert "was reached at question 2" in data["reasons"][-1]


def test_number_answers_as_reps_type_them(tg, mini):
    data = tg.json("classify", "-a", "purpose=staff", "-a", "headcount=三百人", "-a", "budget=400元",
                   "--no-save", "-f", "json")
    assert data["answers"]["headcount"] == 300 and data["answers"]["budget"] == 400
    r = tg("classify", "-a", "purpose=staff", "-a", "headcount=很多", "--no-save")
    assert r.exit_code == 2 and "“How many” needs a number" in r.stderr and "headcount" not in r.stderr
    spoken = tg.json("classify", "-a", "purpose=staff", "-a", "headcount=three hundred people", "--no-save", "-f", "json")
    assert spoken["answers"]["headcount"] == 300
    vague = tg("classify", "-a", "purpose=staff", "-a", "headcount=a few hundred", "--no-save")
    assert vague.exit_code == 2 and "needs a number" in vague.stderr


@pytest.mark.timeout(20)
def test_interactive_back_one_question_and_a_spoken_number(monkeypatch, mini, testdb):
    # purpose: staff; headcount 120; at the budget "<" goes back; headcount again: 三百人 is read;
    # a word that is no number is refused beside the question, then 350.
    keys = DOWN + ENTER + "120" + ENTER + "<" + ENTER + "\x7f" * 3 + "三百人" + ENTER + "很多" + ENTER + "\x7f\x7f" + "350" + ENTER
    r = interactive(monkeypatch, keys, "classify", "市税务局", "-f", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["answers"] == {"purpose": "staff", "headcount": 300.0, "budget": 350.0}
    assert "back to question 2" in r.stderr
    assert testdb.count("classification") == 1


@pytest.mark.timeout(20)
def test_interactive_escape_goes_back(monkeypatch, mini):
    from tuangou_cli import classify_client

    asked = []

    def ask(q, index, can_go_back):
        asked.append((q.id, index, can_go_back))
        if len(asked) == 2:
            return classify_client.BACK
        return {"purpose": "staff", "headcount": "三百人", "budget": "350"}[q.id]

    from tuangou_cli.playbook import load_playbook

    answers = classify_client.questionnaire(load_playbook(mini), set(), False, ask)
    assert asked[:3] == [("purpose", 1, False), ("headcount", 2, True), ("purpose", 1, False)]
    assert answers == {"purpose": "staff", "headcount": 300.0, "budget": 350.0}


def test_a_client_named_by_id_keeps_its_name(tg):
    tg("clients", "add", "市税务局", "--headcount", "120")
    data = tg.json("classify", "1", "--notes", "工会年终慰问，给职工发，人均三百", "-f", "json")
    assert data["client_id"] == 1
    assert "市税务局" in data["pitch"]["opening"] and "1往年" not in data["pitch"]["opening"]
    r = tg("--lang", "zh", "classify", "#1", "--notes", "工会年终慰问，给职工发", "--no-save")
    assert "市税务局" in r.stdout.splitlines()[0]
    missing = tg("classify", "99", "--notes", "工会年终慰问，给职工发")
    assert missing.exit_code == 1 and "99" in missing.stderr
    assert tg.json("clients", "list", "-f", "json")[0]["name"] == "市税务局"
    assert len(tg.json("clients", "list", "-f", "json")) == 1, "no client named 99"


def test_classify_and_pitch_give_the_same_pitch(tg):
    data = tg.json("classify", "市税务局", "-a", "purpose=staff", "-a", "occasion=spring_festival",
                   "-a", "priorities=novelty,practical", "-a", "past_items=冰箱、西服、水果都发过了",
                   "--headcount", "120", "--budget-per-head", "600", "-f", "json")
    pitched = tg.json("pitch", "1", "-f", "json")
    assert pitched["pitch"] == data["pitch"]
    assert pitched["bundle"]["code"] == data["bundles"][0]["code"]


def test_the_pitch_agrees_with_its_offer(tg):
    # Novelty asked for, given before: the steamer meets it and the opening says so and names it.
    steamer = tg.json("classify", "-a", "purpose=staff", "-a", "occasion=spring_festival",
                      "-a", "priorities=novelty,practical", "-a", "past_items=冰箱、西服、水果都发过了",
                      "--headcount", "120", "--budget-per-head", "600", "--no-save", "-f", "json")
    top = steamer["bundles"][0]
    assert "steamer" in top["name"].lower()
    opening = steamer["pitch"]["opening"]
    assert top["name"] in opening and "novelty" in opening and "fridge" in opening.lower() or "冰箱" in opening
    assert "novelty" not in " ".join(top["needs"]["stated_open"]).lower()
    assert steamer["given_before"] == ["冰箱", "西服", "水果"]
    # A budget only the hamper fits: novelty is not claimed, and the pitch says the bundle misses it.
    hamper = tg.json("classify", "-a", "purpose=staff", "-a", "occasion=spring_festival",
                     "-a", "priorities=novelty,practical", "--headcount", "300", "--budget-per-head", "400",
                     "--no-save", "-f", "json")
    top = hamper["bundles"][0]
    assert "novel" not in top["code"]
    pitch = hamper["pitch"]
    assert top["name"] in pitch["opening"] and "novelty" not in pitch["opening"]
    assert any("novelty" in s and "does not deliver" in s for s in pitch["stated_needs"])
    assert top["name"] in pitch["close"] and any(top["name"] in g for g in pitch["guided_needs"])


def test_the_readme_classify_example_is_what_tg_prints(tg, monkeypatch):
    """The tour's first example, run as written: every line it quotes is what tg prints."""
    monkeypatch.setenv("COLUMNS", "80")
    r = tg("--lang", "zh", "classify", "市税务局", "-a", "purpose=staff", "-a", "decision=leader",
           "-a", "occasion=spring_festival", "-a", "past_items=冰箱、西服、水果都发过了",
           "-a", "priorities=novelty,practical", "--headcount", "120", "--budget-per-head", "600")
    assert r.exit_code == 0
    printed = "\n".join(line.rstrip() for line in (r.stderr + r.stdout).splitlines())
    from .test_docs import README
    from .test_tour import shown_in

    start = README.index("已新建客户 #1 市税务局\n员工福利类")
    quoted = README[start:README.index("```", start)].rstrip("\n").splitlines()
    assert shown_in(quoted, printed) is None, printed  # at 80 columns too, every line it quotes, in order
    assert len([x for x in quoted if x.strip() != "…"]) >= 10


def test_needs_read_in_the_pitchs_language_and_matched_in_their_own_words(tg):
    tg("classify", "市税务局", "-a", "purpose=staff", "-a", "occasion=spring_festival", "-a", "priorities=novelty",
       "--headcount", "120", "--budget-per-head", "600")  # recorded in English: "Novelty, not given before"
    assert tg("needs", "add", "市税务局", "要新颖的东西", "--stated").exit_code == 0
    zh = tg.json("--lang", "zh", "pitch", "1", "-f", "json")
    assert zh["bundle"] is not None
    met = [n["need"] for n in zh["account"]["needs"]["stated_met"]]
    assert "新颖、往年没发过" in met, "the English session's need, in Chinese"
    assert "要新颖的东西" in met and zh["account"]["needs"]["stated_open"] == []
    text = tg("--lang", "zh", "pitch", "1").stdout
    assert "novel" not in text.replace(zh["bundle"]["code"], "") and "Novelty" not in text
