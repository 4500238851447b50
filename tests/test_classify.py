"""Scoring, question choice, stopping and reasons (pure functions, the small test playbook)."""

from __future__ import annotations

import pytest

from tuangou_cli import classify as c
from tuangou_cli.errors import UsageError
from tuangou_cli.playbook import load_playbook

from .conftest import MINI


@pytest.fixture
def pb():
    return load_playbook(MINI)


def test_parse_answers(pb):
    assert c.parse_answer(pb.question("purpose"), "staff") == "staff"
    assert c.parse_answer(pb.question("purpose"), "发员工") == "staff", "labels are accepted too"
    assert c.parse_answer(pb.question("priorities"), "service，novelty") == ["service", "novelty"]
    assert c.parse_answer(pb.question("priorities"), ["price", "price"]) == ["price"]
    assert c.parse_answer(pb.question("spec"), "是") is True
    assert c.parse_answer(pb.question("spec"), "no") is False
    assert c.parse_answer(pb.question("headcount"), "１，２００") == 1200.0
    for qid, bad in [("purpose", "boss"), ("spec", "maybe"), ("headcount", "lots"), ("headcount", "0"),
                     ("headcount", "nan"), ("priorities", "service,fun")]:
        with pytest.raises(UsageError):
            c.parse_answer(pb.question(qid), bad)


def test_scores_and_probabilities(pb):
    answers = {"purpose": "staff", "priorities": ["novelty", "service"], "spec": False}
    assert c.scores(pb, answers) == {"office": 1.0, "welfare": 6.0, "gift": 0.0}
    prob = c.probabilities(c.scores(pb, answers), 1.0)
    assert abs(sum(prob.values()) - 1) < 1e-9
    assert max(prob, key=prob.get) == "welfare"


def test_no_answers_is_unknown(pb):
    r = c.classify(pb, {})
    assert r.segment == c.UNKNOWN
    assert r.confidence == pytest.approx(1 / 3, abs=1e-3)
    assert "do not point" in r.reasons[0]


def test_text_keywords(pb):
    r = c.classify(pb, {"past": "去年发了月饼和水果"})
    assert r.segment == "welfare"
    r = c.classify(pb, {"past": "Bought PRINTERS"})
    assert r.segment == "office"


def test_first_question_is_the_most_separating(pb):
    assert c.next_question(pb, {}).id == "purpose"


def test_stops_once_clear_but_still_asks_what_the_bundle_needs(pb):
    answers = {"purpose": "staff", "priorities": ["novelty"]}
    assert c.is_settled(pb, answers)
    q = c.next_question(pb, answers)
    assert q.id == "headcount" and q.always
    answers["headcount"] = 100.0
    assert c.next_question(pb, answers).id == "budget"
    assert c.next_question(pb, answers, known_fields={"budget_per_head"}) is None


def test_known_fields_skip_their_questions(pb):
    answers = {"purpose": "staff", "priorities": ["novelty"]}
    assert c.next_question(pb, answers, known_fields={"headcount", "budget_per_head"}) is None


def test_ask_all_asks_everything(pb):
    answers: dict = {}
    seen = []
    while (q := c.next_question(pb, answers, ask_all=True)) is not None:
        seen.append(q.id)
        answers[q.id] = {"select": "staff", "multiselect": ["novelty"], "confirm": False, "number": 10.0,
                         "text": "x"}[q.type]
    assert sorted(seen) == sorted(q.id for q in pb.questions)


def test_reasons_name_the_answers_that_weighed_most(pb):
    r = c.classify(pb, {"purpose": "others", "priorities": ["price"], "budget": 20.0})
    assert r.segment == "gift"
    assert r.evidence[0].question_id == "purpose" and r.evidence[0].delta == 4
    assert "Who uses it" in r.reasons[0] and "Customers" in r.reasons[0]
    assert "threshold" in r.reasons[-1]
    assert r.tags == ["custom_logo", "economy"]
    assert r.fields == {"budget_per_head": 20.0}


def test_confidence_below_threshold_says_tentative(pb):
    r = c.classify(pb, {"past": "printer"})
    assert r.segment == "office" and r.confidence < 0.8
    assert "tentative" in r.reasons[-1]


def test_latin_keywords_match_whole_words_only():
    assert c.keyword_in("car", "we need 10 cars? no, one car")
    assert not c.keyword_in("car", "gift cards for staff")
    assert c.keyword_in("月饼", "去年发了月饼")
    assert c.keyword_in("U盘", "定制u盘")
