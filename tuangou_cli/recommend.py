"""Bundle pricing, fit and ranking. Pure: no I/O, no printing.

Money is Decimal throughout and rounded to the fen only when shown, so a
100-set order totals exactly what the price list says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import i18n
from .playbook import OCCASION_QUESTION, Bundle, LocalText, Playbook, Tier

CENT = Decimal("0.01")


def money(amount: Decimal | float | None, currency: str = "¥") -> str:
    if amount is None:
        return i18n.t("fallback.money")
    d = Decimal(str(amount)).quantize(CENT, ROUND_HALF_UP)
    sign, d = ("-", -d) if d < 0 else ("", d)
    text = f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.2f}"
    return f"{sign}{currency}{text}"


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


# --- the occasion -------------------------------------------------------------------------
# A bundle may name the occasions it is made for (the `occasion` question's choice values).
# The occasion reaches us as that code (this call's answer) or as the client's stored text
# ("春节", "Spring Festival", "中秋" — what the answer's `sets`, a call-notes phrase, an import
# or `tg clients edit --occasion` put there). Text is read back to a code only when it is
# exactly a choice's value, label or `sets.occasion`, or a notes phrase that sets one; any other
# text ("端午", "anniversary") leaves the occasion unknown, and every bundle stays possible.
#
# The occasion filters and explains but adds nothing to the score: its answer already asks for
# tags (festive, family, health…), and a bonus on top outranked what the client said it wants
# (a tax bureau tired of New Year staples asking for something novel would get the hamper again).

_OCCASIONS: dict[int, tuple[Playbook, dict[str, str]]] = {}


def _norm(text: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _occasion_names(pb: Playbook) -> dict[str, str]:
    cached = _OCCASIONS.get(id(pb))
    if cached is None or cached[0] is not pb:
        names: dict[str, str] = {}
        q = pb.question(OCCASION_QUESTION)
        choices = q.choices if q is not None and q.type == "select" else []
        for c in choices:
            names.setdefault(_norm(c.value), c.value)
        for c in choices:
            said = c.sets.get("occasion")
            for text in (c.label.zh, c.label.en, *([said] if isinstance(said, str) else [])):
                names.setdefault(_norm(text), c.value)
        for sig in pb.signals:  # "过年", "year-end", "mooncake": the phrases that set the occasion
            code = names.get(_norm(sig.sets["occasion"])) if isinstance(sig.sets.get("occasion"), str) else None
            if code is not None:
                for phrase in sig.match:
                    names.setdefault(_norm(phrase), code)
        if len(_OCCASIONS) > 8:
            _OCCASIONS.clear()
        cached = _OCCASIONS[id(pb)] = (pb, names)
    return cached[1]


def occasion_code(pb: Playbook, occasion: str | None) -> str | None:
    """The occasion question's choice value for a code or a stored occasion text; None if unknown."""
    if not occasion or not isinstance(occasion, str):
        return None
    return _occasion_names(pb).get(_norm(occasion))


def occasion_label(pb: Playbook, code: str) -> LocalText | None:
    q = pb.question(OCCASION_QUESTION)
    c = q.choice(code) if q is not None else None
    return c.label if c is not None else None


def suits(bundle: Bundle, occasion: str | None) -> bool:
    """A bundle without occasions suits any; one with occasions only those (when it is known)."""
    return occasion is None or not bundle.occasions or occasion in bundle.occasions


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
    explain: bool = True,
    occasion: str | None = None,
) -> Offer:
    """Price and score one bundle; ``explain=False`` skips the reasons (batch classification).

    ``occasion`` is a code or the client's occasion text: a bundle made for other occasions
    does not fit (recommend() never even considers it; `tg pitch --bundle` says why)."""
    occasion = occasion_code(pb, occasion)
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
    if not suits(bundle, occasion):
        fits = False
    made_for = occasion is not None and occasion in bundle.occasions

    matched = [t for t in wanted_tags if t in bundle.tags]
    share = float(per_head / limit) if limit else 0.0
    # Fit to what they asked for first, then use of the budget (they spend what they planned),
    # then bundles made first of all for this segment over ones that merely suit it.
    primary = 0.5 if bundle.segments[0] == segment else 0.0
    score = 2.0 * len(matched) + (share if limit else 0.0) + primary

    if not explain:
        return Offer(bundle, per_head, quantity, total, pct, fits, score, [])
    seg = pb.segment(segment)
    reasons = []
    if seg and segment in bundle.segments:
        reasons.append(i18n.t("bundle.reason.segment", segment=seg.name.get(lang)))
    if occasion is not None and bundle.occasions:
        label = occasion_label(pb, occasion)
        if made_for:
            reasons.append(i18n.t("bundle.reason.occasion", occasion=label.get(lang)))
        else:
            made = ", ".join(x.get(lang) for x in (occasion_label(pb, c) for c in bundle.occasions) if x)
            reasons.append(i18n.t("bundle.reason.off_occasion", made=made, occasion=label.get(lang)))
    if limit is not None and per_head <= limit:
        reasons.append(i18n.t("bundle.reason.within_budget", price=money(per_head, cur),
                              budget=money(limit, cur), share=share))
    elif limit is None:
        reasons.append(i18n.t("bundle.reason.no_budget"))
    if budget_total is not None and total is not None and total <= Decimal(str(budget_total)):
        reasons.append(i18n.t("bundle.reason.within_total", total=money(total, cur), budget=money(budget_total, cur)))
    if matched:
        reasons.append(i18n.t("bundle.reason.tags", tags=i18n.join(map(i18n.tag_name, matched))))
    if qt and qt.tier:
        reasons.append(i18n.t("bundle.reason.tier", sets=qt.tier.min_sets, pct=qt.tier.discount_pct))
    if not headcount:
        reasons.append(i18n.t("bundle.reason.no_headcount"))
    if bundle.services:
        reasons.append(i18n.t("bundle.reason.services", services="; ".join(s.get(lang) for s in bundle.services)))
    return Offer(bundle, per_head, quantity, total, pct, fits, score, reasons)


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
    explain: bool = True,
    occasion: str | None = None,
) -> Recommendation:
    """The best ``limit`` bundles for the segment that stay within every known budget and suit
    the occasion (a code or the client's occasion text; unknown: any bundle)."""
    wanted = wanted_tags or []
    code = occasion_code(pb, occasion)
    for_segment = [b for b in pb.bundles if segment in b.segments]
    if not for_segment:
        return Recommendation([], i18n.t("bundle.none_for_segment"))
    # A bundle made for another occasion is never offered, not even when nothing else fits the
    # budget: mooncakes pitched for Spring Festival tell the buyer the rep was not listening, and
    # the rep, mid-call, may not stop to check. Better that the note says plainly that nothing
    # made for this occasion fits, which one would and at what budget, and which bundles were
    # left out for the occasion: the rep can then ask for more budget or a lighter version.
    left_out = [b for b in for_segment if not suits(b, code)]
    candidates = [
        evaluate(pb, b, segment, headcount, budget_per_head, budget_total, wanted, lang, explain, code)
        for b in for_segment
        if suits(b, code)
    ]
    shown = occasion_label(pb, code).get(lang) if code is not None else ""
    out_of_season = (" " + i18n.t("bundle.left_out_occasion", occasion=shown,
                                  bundles=", ".join(b.name.get(lang) for b in left_out))) if left_out else ""
    if not candidates:
        return Recommendation([], i18n.t("bundle.none_for_occasion", occasion=shown) + out_of_season)
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
    return Recommendation([], f"{head} {what}{out_of_season}")


# --- the fast path for batches ------------------------------------------------------------
# `tg classify --batch` needs only the first bundle and its total, for thousands of rows.
# best_offer() gives exactly what recommend() puts first (tests/test_notes.py checks this on
# random inputs) but prices in whole fen with integers and builds no reasons: ~10x faster.


@dataclass(frozen=True)
class _Priced:
    bundle: Bundle
    fen: int  # set price in fen
    tiers: tuple[tuple[int, int, int], ...]  # (min_sets, p, q): discount_pct == p / q exactly


_PRICED: dict[int, tuple[Playbook, dict[str, list[_Priced]]]] = {}


def _priced(pb: Playbook) -> dict[str, list[_Priced]]:
    """Each segment's bundles, in playbook order, with prices in fen."""
    cached = _PRICED.get(id(pb))
    if cached is None or cached[0] is not pb:
        out: dict[str, list[_Priced]] = {}
        for b in pb.bundles:
            tiers = tuple((t.min_sets, *Decimal(str(t.discount_pct)).as_integer_ratio()) for t in b.tiers)
            for code in b.segments:
                out.setdefault(code, []).append(_Priced(b, int(b.set_price * 100), tiers))
        if len(_PRICED) > 8:
            _PRICED.clear()
        cached = _PRICED[id(pb)] = (pb, out)
    return cached[1]


def _half_up(n: int, d: int) -> int:
    return (2 * n + d) // (2 * d)


def best_offer(
    pb: Playbook,
    segment: str,
    *,
    headcount: int | None = None,
    budget_per_head: float | None = None,
    budget_total: float | None = None,
    wanted_tags: list[str] | None = None,
    occasion: str | None = None,
) -> tuple[Bundle, int | None, Decimal | None, Decimal] | None:
    """(bundle, sets, total, per head) of the bundle recommend() ranks first; None if none fits."""
    wanted = wanted_tags or []
    code = occasion_code(pb, occasion)
    limit = _per_head_limit(headcount, budget_per_head, budget_total)
    limit_fen = limit * 100 if limit is not None else None
    total_cap = Decimal(str(budget_total)) * 100 if budget_total is not None else None
    best, best_score = None, 0.0
    for p in _priced(pb).get(segment, ()):
        b = p.bundle
        if not suits(b, code):
            continue
        if headcount:
            sets = sets_for(b, headcount)
            total_fen = list_fen = p.fen * sets
            for min_sets, num, den in reversed(p.tiers):
                if sets >= min_sets:
                    total_fen = _half_up(list_fen * (100 * den - num), 100 * den)
                    break
            per_head_fen = _half_up(total_fen, headcount)
        else:
            sets, total_fen = None, None
            q = b.quantity
            per_head_fen = _half_up(p.fen, q.group_size or 1) if q.rule == "per_group" else p.fen
        if limit_fen is not None and per_head_fen > limit_fen:
            continue
        if total_cap is not None and total_fen is not None and total_fen > total_cap:
            continue
        # The same score as evaluate(): asked-for tags, then use of the budget, then primary segment.
        share = float(Decimal(per_head_fen).scaleb(-2) / limit) if limit else 0.0
        score = 2.0 * sum(1 for t in wanted if t in b.tags) + share + (
            0.5 if b.segments[0] == segment else 0.0)
        if best is None or score > best_score:
            best, best_score = (b, sets, total_fen, per_head_fen), score
    if best is None:
        return None
    b, sets, total_fen, per_head_fen = best
    return b, sets, (Decimal(total_fen).scaleb(-2) if total_fen is not None else None), Decimal(per_head_fen).scaleb(-2)
