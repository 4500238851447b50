"""The occasion: bundles name the occasions they are made for, and one made for another
occasion is never offered (no mooncakes at Spring Festival)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuangou_cli import batch
from tuangou_cli.errors import PlaybookInvalid
from tuangou_cli.playbook import default_playbook_path, load_playbook
from tuangou_cli.recommend import evaluate, occasion_code, recommend

from .conftest import MINI

# The real run that went wrong: a hospital's union, 320 staff, ¥300 a head, Spring Festival.
HOSPITAL = ["classify", "市人民医院", "-a", "purpose=staff", "-a", "decision=union", "-a", "occasion=spring_festival",
            "--headcount", "320", "--budget-per-head", "300", "--no-save", "-f", "json"]


@pytest.fixture(scope="module")
def pb():
    return load_playbook()


def _problems(path: Path) -> list[str]:
    with pytest.raises(PlaybookInvalid) as info:
        load_playbook(path)
    return info.value.details


def test_shipped_seasonal_bundles_name_their_occasion(pb):
    assert pb.bundle("mid_autumn_box").occasions == ["mid_autumn"]
    assert pb.bundle("summer_relief").occasions == ["summer"]
    assert pb.bundle("new_year_pack").occasions == ["spring_festival"]
    box = pb.bundle("spring_staples_box")
    assert box.occasions == ["spring_festival"] and "welfare" in box.segments
    assert box.name.zh != box.name.en and box.description.zh != box.description.en
    assert all(s.zh != s.en for s in box.services)
    assert box.set_price < 300, "the year-end tier a union can buy at ¥300 a head"
    assert pb.bundle("steamer_family").occasions == [], "no occasions: suits any"


def test_unknown_occasion_code_is_a_playbook_error(tmp_path):
    text = default_playbook_path().read_text(encoding="utf-8")
    assert "occasions: [mid_autumn]" in text
    p = tmp_path / "pb.yaml"
    p.write_text(text.replace("occasions: [mid_autumn]", "occasions: [mid_autum, xmas]"), encoding="utf-8")
    (problem,) = _problems(p)
    assert problem.startswith(f"{p}:")
    assert "bundle mid_autumn_box names unknown occasion(s): mid_autum, xmas" in problem
    assert "spring_festival" in problem, "the known codes are listed"


def test_occasions_need_an_occasion_question(tmp_path):
    text = Path(MINI).read_text(encoding="utf-8")
    p = tmp_path / "pb.yaml"
    p.write_text(text.replace("  - code: mooncake\n", "  - code: mooncake\n    occasions: [mid_autumn]\n", 1),
                 encoding="utf-8")
    (problem,) = _problems(p)
    assert problem.startswith(f"{p}:")
    assert "bundle mooncake names occasion(s) mid_autumn, but the playbook has no select question with id occasion" \
        in problem


def test_bad_occasion_code_shape_is_refused(tmp_path):
    text = default_playbook_path().read_text(encoding="utf-8")
    p = tmp_path / "pb.yaml"
    p.write_text(text.replace("occasions: [mid_autumn]", "occasions: [Mid Autumn]"), encoding="utf-8")
    (problem,) = _problems(p)
    assert "bundles[7].occasions[0]" in problem


@pytest.mark.parametrize("text, code", [
    ("spring_festival", "spring_festival"), ("春节", "spring_festival"), ("Spring Festival", "spring_festival"),
    ("春节或年终", "spring_festival"), ("过年", "spring_festival"), (" year-end ", "spring_festival"),
    ("中秋", "mid_autumn"), ("Mid-Autumn", "mid_autumn"), ("送清凉", "summer"), ("other", "other"),
    ("端午", None), ("anniversary", None), ("", None), (None, None),
])
def test_stored_occasion_text_reads_as_a_code(pb, text, code):
    assert occasion_code(pb, text) == code


def test_spring_festival_never_offers_mooncakes(pb):
    rec = recommend(pb, "welfare", headcount=320, budget_per_head=300, wanted_tags=["practical", "festive", "family"],
                    occasion="spring_festival")
    codes = [o.code for o in rec.offers]
    assert codes[0] == "spring_staples_box" and "mid_autumn_box" not in codes
    assert "made for Spring Festival or year-end" in rec.offers[0].reasons
    # Without the occasion, any bundle may be offered, the mooncakes too.
    before = recommend(pb, "welfare", headcount=320, budget_per_head=300, wanted_tags=["festive", "family"])
    assert "mid_autumn_box" in [o.code for o in before.offers]
    # The client's stored text works as well as the code.
    for stored in ("春节", "Spring Festival"):
        rec = recommend(pb, "welfare", headcount=320, budget_per_head=300, wanted_tags=["festive"], occasion=stored)
        assert "mid_autumn_box" not in [o.code for o in rec.offers]


def test_nothing_in_season_within_budget_says_so_instead_of_offering_mooncakes(pb):
    # ¥200 a head at Spring Festival: the mooncake box (¥184) would fit, but it is for Mid-Autumn.
    rec = recommend(pb, "gift", headcount=50, budget_per_head=200, occasion="spring_festival")
    assert "mid_autumn_box" not in [o.code for o in rec.offers]
    rec = recommend(pb, "welfare", headcount=320, budget_per_head=120, occasion="spring_festival")
    assert rec.offers == []
    assert "No bundle fits a budget of ¥120 per head" in rec.note
    assert "Left out as not for Spring Festival or year-end: Summer cool-down pack, Mid-Autumn reunion box." \
        in rec.note
    # In Chinese too.
    rec = recommend(pb, "welfare", headcount=320, budget_per_head=120, occasion="春节", lang="zh")
    assert rec.offers == [] and "中秋团圆礼盒" in rec.note


def test_pitching_an_out_of_season_bundle_says_why(pb):
    offer = evaluate(pb, pb.bundle("mid_autumn_box"), "welfare", 100, 300, None, [], occasion="春节")
    assert not offer.fits
    assert "made for Mid-Autumn Festival, not for Spring Festival or year-end" in offer.reasons


def test_batch_notes_saying_new_year_get_no_mooncakes(pb):
    row = batch.classify_row(pb, "工会春节给职工发福利，320人，人均300")
    assert row.segment == "welfare" and row.bundle
    from tuangou_cli.offering import default_source

    offering = default_source(pb)().offering(row.bundle)
    assert "mid_autumn" not in offering.occasions and "月饼" not in offering.name.zh
    assert row.total <= 320 * 300


def test_cli_hospital_run_proposes_the_spring_festival_box(tg):
    data = tg.json(*HOSPITAL)
    codes = [b["code"] for b in data["bundles"]]
    assert codes[0] == "spring_staples_box" and "mid_autumn_box" not in codes
    assert "made for Spring Festival" in data["bundles"][0]["reasons"]
    assert "Spring Festival staples box" in data["pitch"]["close"]


def test_cli_uses_the_clients_stored_occasion(tg):
    r = tg("clients", "add", "市人民医院", "--occasion", "春节", "--headcount", "320", "--budget-per-head", "300")
    assert r.exit_code == 0, r.stderr
    data = tg.json("classify", "市人民医院", "-a", "purpose=staff", "-a", "decision=union", "-a",
                   "priorities=practical", "--no-save", "-f", "json")
    codes = [b["code"] for b in data["bundles"]]
    assert codes and "mid_autumn_box" not in codes
    # This call's answer is newer than the record: Mid-Autumn now, so mooncakes, and no New Year box.
    data = tg.json("classify", "市人民医院", "-a", "purpose=staff", "-a", "decision=union", "-a",
                   "occasion=mid_autumn", "--no-save", "-f", "json")
    codes = [b["code"] for b in data["bundles"]]
    assert data["bundles"][0]["category"] == "食品/月饼" and "spring_staples_box" not in codes

