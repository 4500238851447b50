"""Pricing: quantities, tiers, totals and money. Pure: no I/O, no printing.

The one place a price is computed. A quantity of something (units of a product, sets of a
bundle) at a list price, less the best quantity tier reached, rounded half-up to the fen:
that is the total. Everything else (per unit, per head, per piece) is the total divided by the
count it is read against, rounded the same way.

Money is ``Decimal`` from end to end (a batch of thousands of rows prices through here too).

Example::

    >>> p = price(Decimal("129.00"), 120, [Tier(50, 3), Tier(100, 6)])
    >>> p.total, p.discount_pct, p.unit_net
    (Decimal('14551.20'), 6.0, Decimal('121.26'))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Tier:
    """From ``min_qty`` units (or sets) up, ``discount_pct`` off the list price."""

    min_qty: int
    discount_pct: float


@dataclass(frozen=True)
class Price:
    quantity: int  # what is ordered and invoiced: units or sets
    unit_price: Decimal  # list price of one
    list_total: Decimal
    discount_pct: float
    total: Decimal
    tier: Tier | None

    @property
    def unit_net(self) -> Decimal:
        """The price of one after the tier, as a quotation line shows it."""
        return per(self.total, self.quantity)


def as_tiers(tiers: Iterable) -> tuple[Tier, ...]:
    """Tiers from pricing Tiers, (min, pct) pairs or playbook tiers (``min_sets``)."""
    out = []
    for t in tiers:
        if isinstance(t, Tier):
            out.append(t)
        elif isinstance(t, tuple):
            out.append(Tier(int(t[0]), float(t[1])))
        else:
            out.append(Tier(int(getattr(t, "min_qty", None) or t.min_sets), float(t.discount_pct)))
    return tuple(out)


def tier_for(tiers: Sequence[Tier], quantity: int) -> Tier | None:
    """The best tier reached (tiers rise in both quantity and discount)."""
    reached = None
    for t in tiers:
        if quantity >= t.min_qty:
            reached = t
    return reached


def round_fen(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def price(unit_price: Decimal, quantity: int, tiers: Iterable = ()) -> Price:
    """``quantity`` at ``unit_price`` less the best tier reached; total rounded to the fen."""
    ts = as_tiers(tiers)
    list_total = unit_price * quantity
    tier = tier_for(ts, quantity)
    pct = tier.discount_pct if tier else 0.0
    total = round_fen(list_total * (Decimal(1) - Decimal(str(pct)) / 100))
    return Price(quantity, unit_price, list_total, pct, total, tier)


def per(total: Decimal, count: int | None) -> Decimal:
    """A total shared over ``count`` (heads, pieces, units), rounded to the fen."""
    return round_fen(total / max(count or 1, 1))


def order_quantity(needed: int, min_order: int = 1, *, per_group: int | None = None) -> int:
    """What is ordered for ``needed`` heads, pieces or units: one per group of ``per_group`` when
    given (a kit per 20 people), never below the minimum order."""
    n = math.ceil(needed / per_group) if per_group else needed
    return max(n, min_order)


def with_vat(amount: Decimal, vat_rate: float, includes_vat: bool) -> Decimal:
    """The amount including VAT: as is when the price already includes it."""
    if includes_vat or not vat_rate:
        return amount
    return round_fen(amount * (1 + Decimal(str(vat_rate)) / 100))


def money(amount: Decimal | float | None, currency: str = "¥") -> str:
    """¥1,234 or ¥1,234.50; the fallback text for an unknown amount."""
    if amount is None:
        from . import i18n

        return i18n.t("fallback.money")
    d = Decimal(str(amount)).quantize(CENT, ROUND_HALF_UP)
    sign, d = ("-", -d) if d < 0 else ("", d)
    text = f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.2f}"
    return f"{sign}{currency}{text}"
