"""The one pricing module: tiers, totals, per-count shares, VAT, money."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tuangou_cli import pricing
from tuangou_cli.pricing import Tier, money, order_quantity, per, price, with_vat


def test_best_tier_reached_and_rounding():
    p = price(Decimal("129.00"), 120, [Tier(50, 3), Tier(100, 6)])
    assert (p.quantity, p.discount_pct, p.list_total, p.total) == (120, 6.0, Decimal("15480.00"), Decimal("14551.20"))
    assert p.unit_net == Decimal("121.26") and p.tier == Tier(100, 6)
    assert price(Decimal("129"), 49, [Tier(50, 3)]).discount_pct == 0
    assert price(Decimal("0.05"), 1, [Tier(1, 50)]).total == Decimal("0.03")  # half-up at the fen


def test_playbook_tiers_and_pairs_are_read_alike():
    from tuangou_cli.playbook import Tier as PbTier

    assert pricing.as_tiers([PbTier(min_sets=5, discount_pct=3)]) == pricing.as_tiers([(5, 3)]) == (Tier(5, 3.0),)


def test_order_quantity_minimum_and_groups():
    assert order_quantity(10, 20) == 20
    assert order_quantity(95, 1, per_group=10) == 10
    assert order_quantity(300, 20) == 300


def test_per_and_vat():
    assert per(Decimal("100"), 3) == Decimal("33.33")
    assert per(Decimal("100"), 0) == Decimal("100.00")
    assert with_vat(Decimal("100"), 13, False) == Decimal("113.00")
    assert with_vat(Decimal("113"), 13, True) == Decimal("113")


def test_money():
    assert money(Decimal("1234.5")) == "¥1,234.50"
    assert money(-3) == "-¥3"
    assert money(1e6, "$") == "$1,000,000"


tiers = st.lists(st.tuples(st.integers(2, 5000), st.decimals("0.1", "89.9", places=1)), max_size=4).map(
    lambda xs: [Tier(q, float(p)) for q, p in sorted({q: p for q, p in sorted(xs)}.items())])
