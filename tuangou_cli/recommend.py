"""Bundle pricing, fit and ranking. Pure: no I/O, no printing.

Money is Decimal throughout and rounded to the fen only when shown, so a
100-set order totals exactly what the price list says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import i18n
from .playbook import Bundle, Playbook, Tier

CENT = Decimal("0.01")


def money(amount: Decimal | float | None, currency: str = "¥") -> str:
    if amount is None:
        return i18n.t("fallback.money")
    d = Decimal(str(amount)).quantize(CENT, ROUND_HALF_UP)
    text = f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.2f}"
    return f"{currency}{text}"


@dataclass
class Quote:
    sets: int
    list_total: Decimal
    discount_pct: float
    total: Decimal
    per_head: Decimal
    tier: Tier | None


def sets_for(bundle: Bundle, headcount: int) -> int:
    q = bundle.quantity
    if q.rule == "fixed":
        n = q.sets or 1
    elif q.rule == "per_group":
        n = math.ceil(headcount / (q.group_size or 1))
    else:
        n = headcount
    return max(n, q.min_sets)


def tier_for(bundle: Bundle, sets: int) -> Tier | None:
    reached = [t for t in bundle.tiers if sets >= t.min_sets]
    return reached[-1] if reached else None


def quote(bundle: Bundle, headcount: int) -> Quote:
    """Price a bundle for a headcount: sets by the quantity rule, the best tier reached."""
    sets = sets_for(bundle, headcount)
    list_total = bundle.set_price * sets
    tier = tier_for(bundle, sets)
    pct = tier.discount_pct if tier else 0.0
    total = (list_total * (Decimal(1) - Decimal(str(pct)) / 100)).quantize(CENT, ROUND_HALF_UP)
    per_head = (total / max(headcount, 1)).quantize(CENT, ROUND_HALF_UP)
    return Quote(sets, list_total, pct, total, per_head, tier)


def nominal_per_head(bundle: Bundle) -> Decimal:
    """Per-head list price when headcount is unknown (one person, one group's share, no tier)."""
    q = bundle.quantity
    if q.rule == "per_group":
        return (bundle.set_price / (q.group_size or 1)).quantize(CENT, ROUND_HALF_UP)
    return bundle.set_price


@dataclass
class Offer:
    bundle: Bundle
    per_head: Decimal
    quantity: int | None
    total: Decimal | None
    discount_pct: float
    fits: bool
    score: float
    reasons: list[str] = field(default_factory=list)
    matched_tags: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.bundle.code


@dataclass
class Recommendation:
    offers: list[Offer]
    note: str | None  # said when nothing fits: what would


def evaluate(
    pb: Playbook,
    bundle: Bundle,
    segment: str,
    headcount: int | None,
    budget_per_head: float | None,
    budget_total: float | None,
    wanted_tags: list[str],
    lang: str | None = None,
) -> Offer:
    cur = pb.currency
    if headcount:
        qt = quote(bundle, headcount)
        per_head, quantity, total, pct = qt.per_head, qt.sets, qt.total, qt.discount_pct
    else:
        per_head, quantity, total, pct, qt = nominal_per_head(bundle), None, None, 0.0, None

    limit = _per_head_limit(headcount, budget_per_head, budget_total)
    fits = segment in bundle.segments
    if limit is not None and per_head > limit:
        fits = False
    if budget_total is not None and total is not None and total > Decimal(str(budget_total)):
        fits = False

    matched = [t for t in wanted_tags if t in bundle.tags]
    share = float(per_head / limit) if limit else 0.0
    # Fit to what they asked for first, then use of the budget (they spend what they planned),
    # then bundles made first of all for this segment over ones that merely suit it.
    primary = 0.5 if bundle.segments[0] == segment else 0.0
    score = 2.0 * len(matched) + (share if limit else 0.0) + primary

    seg = pb.segment(segment)
    reasons = []
    if seg and segment in bundle.segments:
        reasons.append(i18n.t("bundle.reason.segment", segment=seg.name.get(lang)))
    if limit is not None and per_head <= limit:
        reasons.append(i18n.t("bundle.reason.within_budget", price=money(per_head, cur),
                              budget=money(limit, cur), share=share))
    elif limit is None:
        reasons.append(i18n.t("bundle.reason.no_budget"))
    if budget_total is not None and total is not None and total <= Decimal(str(budget_total)):
        reasons.append(i18n.t("bundle.reason.within_total", total=money(total, cur), budget=money(budget_total, cur)))
    if matched:
        reasons.append(i18n.t("bundle.reason.tags", tags=", ".join(matched)))
    if qt and qt.tier:
        reasons.append(i18n.t("bundle.reason.tier", sets=qt.tier.min_sets, pct=qt.tier.discount_pct))
    if not headcount:
        reasons.append(i18n.t("bundle.reason.no_headcount"))
    if bundle.services:
        reasons.append(i18n.t("bundle.reason.services", services="; ".join(s.get(lang) for s in bundle.services)))
    return Offer(bundle, per_head, quantity, total, pct, fits, score, reasons, matched)


def _per_head_limit(headcount: int | None, per_head: float | None, total: float | None) -> Decimal | None:
    limits = []
    if per_head is not None:
        limits.append(Decimal(str(per_head)))
    if total is not None and headcount:
        limits.append((Decimal(str(total)) / headcount).quantize(CENT, ROUND_HALF_UP))
    return min(limits) if limits else None


def recommend(
    pb: Playbook,
    segment: str,
    *,
    headcount: int | None = None,
    budget_per_head: float | None = None,
    budget_total: float | None = None,
    wanted_tags: list[str] | None = None,
    limit: int = 3,
    lang: str | None = None,
) -> Recommendation:
    """The best ``limit`` bundles for the segment that stay within every known budget."""
    wanted = wanted_tags or []
    candidates = [
        evaluate(pb, b, segment, headcount, budget_per_head, budget_total, wanted, lang)
        for b in pb.bundles
        if segment in b.segments
    ]
    if not candidates:
        return Recommendation([], i18n.t("bundle.none_for_segment"))
    fitting = sorted((o for o in candidates if o.fits), key=lambda o: -o.score)  # stable: playbook order
    if fitting:
        return Recommendation(fitting[:limit], None)
    cheapest = min(candidates, key=lambda o: o.per_head)
    cur = pb.currency
    per_head_limit = _per_head_limit(headcount, budget_per_head, budget_total)
    if per_head_limit is not None and cheapest.per_head > per_head_limit:
        head = i18n.t("bundle.none_fit", budget=money(per_head_limit, cur))
    else:
        head = i18n.t("bundle.none_fit_total", budget=money(budget_total, cur))
    what = i18n.t("bundle.what_would", bundle=cheapest.bundle.name.get(lang), price=money(cheapest.per_head, cur))
    return Recommendation([], f"{head} {what}")
