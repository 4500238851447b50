"""Bundle pricing, fit and ranking. Pure: no I/O, no printing.

Money is Decimal throughout and rounded to the fen only when shown, so a
100-set order totals exactly what the price list says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import i18n, pricing
from .playbook import OCCASION_QUESTION, Bundle, LocalText, Playbook, Tier
from .pricing import CENT, money  # noqa: F401  (money is imported from here across tg)


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
        return max(q.sets or 1, q.min_sets)
    return pricing.order_quantity(headcount, q.min_sets, per_group=q.group_size if q.rule == "per_group" else None)


def tier_for(bundle: Bundle, sets: int) -> Tier | None:
    reached = [t for t in bundle.tiers if sets >= t.min_sets]
    return reached[-1] if reached else None


def quote(bundle: Bundle, headcount: int) -> Quote:
    """Price a bundle for a headcount: sets by the quantity rule, the best tier reached."""
    sets = sets_for(bundle, headcount)
    p = pricing.price(bundle.set_price, sets, bundle.tiers)
    return Quote(sets, p.list_total, p.discount_pct, p.total, pricing.per(p.total, headcount), tier_for(bundle, sets))


def nominal_per_head(bundle: Bundle) -> Decimal:
    """Per-head list price when headcount is unknown (one person, one group's share, no tier)."""
    q = bundle.quantity
    if q.rule == "per_group":
        return pricing.per(bundle.set_price, q.group_size)
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


# --- the offer, as the call screen, the pitch and scripts read it -----------------------------
# One priced offering (a bundle or a single product) is an ``Offer``; what recommend() returns is
# a ``Recommendation``: the offers best first, the ask it answered, what the rep must know
# (warnings: a minimum order above the need, not in the catalogue, a figure seen but not read)
# and every buyer's rule that applied (block: left out; warn: offered, reason shown).

BASIS_OF_SEGMENT = {"office": "per_unit", "welfare": "per_head", "gift": "per_piece"}
HEAD = LocalText("人", "head")
PIECE = LocalText("份", "piece")


@dataclass(frozen=True)
class OfferLine:
    """One product in an offered set: ``count`` of it per set, at its list unit price."""

    code: str
    name: LocalText
    count: int
    unit: LocalText
    unit_price: Decimal
    category: str | None = None

    def as_json(self) -> dict:
        return {"code": self.code, "name": self.name.get(), "count": self.count, "unit": self.unit.get(),
                "unit_price": float(self.unit_price), "category": self.category}


@dataclass(frozen=True)
class OfferWarning:
    """Something the rep must say or check. kind: min_order, not_in_catalogue, unread_figure,
    given_before, occasion, over_budget."""

    kind: str
    text: str
    subject: str | None = None  # the offering's code, when it is about one

    def as_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, "code": self.subject}


@dataclass
class Offer:
    bundle: Any  # the playbook Bundle it came from, else the catalogue Offering (same attribute names)
    per_head: Decimal  # the price per ``unit`` (per head, per unit or per piece, by the basis)
    quantity: int | None  # what is ordered: sets of a bundle, units of a product
    total: Decimal | None
    discount_pct: float
    fits: bool
    score: float
    reasons: list[str] = field(default_factory=list)
    matched_tags: list[str] = field(default_factory=list)
    offering: Any = None  # catalog.Offering
    basis: str = "per_head"  # per_unit (office), per_head (welfare), per_piece (gift)
    unit: LocalText | None = None  # what unit_price is per: 台, 人, 份
    order_unit: LocalText | None = None  # what quantity counts: 套, 台, 盒
    needed: int | None = None  # heads, pieces or units asked for
    list_total: Decimal | None = None
    category: str | None = None  # the category it was chosen for (or of its first line)
    includes_vat: bool = True
    vat_rate: float = 0.0
    delivery_included: bool | None = None
    terms: str = ""  # 含税 13%，含运 … as said beside the total
    lines: list[OfferLine] = field(default_factory=list)
    warnings: list[OfferWarning] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)  # rules.RuleHit

    @property
    def code(self) -> str:
        return self.bundle.code

    @property
    def unit_price(self) -> Decimal:
        return self.per_head

    def as_json(self) -> dict:
        from .export import json_value

        return {
            "code": self.code, "name": self.bundle.name.get(), "per_head": json_value(self.per_head),
            "quantity": self.quantity, "total": json_value(self.total), "discount_pct": self.discount_pct,
            "reasons": self.reasons, "category": self.category, "basis": self.basis,
            "unit": self.unit.get() if self.unit else None,
            "order_unit": self.order_unit.get() if self.order_unit else None, "needed": self.needed,
            "unit_price": json_value(self.per_head), "list_total": json_value(self.list_total),
            "includes_vat": self.includes_vat, "vat_rate": self.vat_rate,
            "includes_delivery": self.delivery_included, "terms": self.terms,
            "lines": [ln.as_json() for ln in self.lines],
            "warnings": [w.as_json() for w in self.warnings], "rules": [r.as_json() for r in self.rules],
        }


@dataclass
class Recommendation:
    offers: list[Offer]
    note: str | None  # said when nothing fits: what would
    ask: Any = None  # ask.Ask answered, as the offer read it
    warnings: list[OfferWarning] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)  # every rules.RuleHit, on offered and left-out items
    category: str | None = None  # the asked category, as found in the catalogue
    not_in_catalogue: bool = False
    left_out: list[str] = field(default_factory=list)  # codes left out (occasion, given before, a block)

    def as_json(self) -> dict:
        """The offer keys of `classify` and `pitch --format json`."""
        return {
            "ask": self.ask.as_json() if self.ask is not None else None,
            "bundles": [o.as_json() for o in self.offers],
            "warnings": [w.as_json() for w in self.warnings],
            "rules": [r.as_json() for r in self.rules],
            "category": self.category,
            "not_in_catalogue": self.not_in_catalogue,
            "note": self.note,
        }


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
        return Offer(bundle, per_head, quantity, total, pct, fits, score, [], matched)
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
        limits.append(pricing.per(Decimal(str(total)), headcount))
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
            tiers = pricing.fen_tiers(b.tiers)
            for code in b.segments:
                out.setdefault(code, []).append(_Priced(b, pricing.to_fen(b.set_price), tiers))
        if len(_PRICED) > 8:
            _PRICED.clear()
        cached = _PRICED[id(pb)] = (pb, out)
    return cached[1]


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
            total_fen = pricing.price_fen(p.fen, sets, p.tiers)
            per_head_fen = pricing.per_fen(total_fen, headcount)
        else:
            sets, total_fen = None, None
            q = b.quantity
            per_head_fen = pricing.per_fen(p.fen, q.group_size) if q.rule == "per_group" else p.fen
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
