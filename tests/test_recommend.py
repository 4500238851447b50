"""Bundle pricing and fit: tiers, quantity rules, budgets never exceeded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tuangou_cli.playbook import load_playbook
from tuangou_cli.recommend import money, quote, recommend

from .conftest import MINI


@pytest.fixture
def pb():
    return load_playbook(MINI)


def test_quote_applies_tier_and_quantity_rules(pb):
    q = quote(pb.bundle("steamer"), 120)
    assert (q.sets, q.discount_pct, q.total, q.per_head) == (120, 10, Decimal("32400.00"), Decimal("270.00"))
    q = quote(pb.bundle("steamer"), 99)
    assert q.discount_pct == 0 and q.total == Decimal("29700.00")
    q = quote(pb.bundle("printer_pack"), 95)  # one printer per 10 people, rounded up
    assert q.sets == 10 and q.total == Decimal("19000.00")
    q = quote(pb.bundle("pen"), 20)  # minimum order of 100 sets
    assert q.sets == 100 and q.total == Decimal("3100.00") and q.per_head == Decimal("155.00")


def test_never_above_the_per_head_budget(pb):
    rec = recommend(pb, "welfare", headcount=50, budget_per_head=200)
    assert [o.code for o in rec.offers] == ["mooncake"]
    assert all(o.per_head <= 200 for o in rec.offers)


def test_total_budget_is_respected(pb):
    rec = recommend(pb, "welfare", headcount=100, budget_total=20000)
    assert [o.code for o in rec.offers] == ["mooncake"]


def test_nothing_fits_says_what_would(pb):
    rec = recommend(pb, "welfare", headcount=50, budget_per_head=80)
    assert rec.offers == []
    assert "No bundle fits a budget of ¥80 per head" in rec.note
    assert "Mooncake box at ¥120" in rec.note


def test_tags_rank_first(pb):
    rec = recommend(pb, "welfare", headcount=120, budget_per_head=500, wanted_tags=["festive"])
    assert [o.code for o in rec.offers] == ["mooncake", "steamer"]
    rec = recommend(pb, "welfare", headcount=120, budget_per_head=500, wanted_tags=["novel"])
    assert rec.offers[0].code == "steamer"


def test_unknown_headcount_gives_per_head_only(pb):
    (offer,) = recommend(pb, "office").offers
    assert offer.quantity is None and offer.total is None and offer.per_head == Decimal("200.00")
    assert any("headcount unknown" in r for r in offer.reasons)


def test_money_format():
    assert money(Decimal("32400")) == "¥32,400"
    assert money(15.5) == "¥15.50"
    assert money(-1752.91) == "-¥1,752.91"
