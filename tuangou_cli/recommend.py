"""Bundle pricing, fit and ranking. Pure: no I/O, no printing.

Money is Decimal throughout and rounded to the fen only when shown, so a
100-set order totals exactly what the price list says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import i18n, pricing
from .playbook import OCCASION_QUESTION, Bundle, LocalText, Playbook
from .pricing import CENT, money  # noqa: F401  (money is imported from here across tg)


@dataclass
class Quote:
    sets: int
    list_total: Decimal
    discount_pct: float
    total: Decimal
    per_head: Decimal
    tier: pricing.Tier | None  # the volume tier reached


def sets_for(bundle: Bundle, headcount: int) -> int:
    q = bundle.quantity
    if q.rule == "fixed":
        return max(q.sets or 1, q.min_sets)
    return pricing.order_quantity(headcount, q.min_sets, per_group=q.group_size if q.rule == "per_group" else None)


def quote(bundle: Bundle, headcount: int) -> Quote:
    """Price a bundle for a headcount: sets by the quantity rule, the best tier reached."""
    sets = sets_for(bundle, headcount)
    p = pricing.price(bundle.set_price, sets, bundle.tiers)
    return Quote(sets, p.list_total, p.discount_pct, p.total, pricing.per(p.total, headcount), p.tier)


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
    basis: str | None = None  # how this buyer pays: per_unit, per_head, per_piece

    def as_json(self) -> dict:
        """The offer keys of `classify` and `pitch --format json`."""
        return {
            "ask": self.ask.as_json() if self.ask is not None else None,
            "bundles": [o.as_json() for o in self.offers],
            "warnings": [w.as_json() for w in self.warnings],
            "rules": [r.as_json() for r in self.rules],
            "category": self.category,
            "not_in_catalogue": self.not_in_catalogue,
            "basis": self.basis,
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
        reasons.append(i18n.t("bundle.reason.tier", sets=qt.tier.min_qty, pct=qt.tier.discount_pct))
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
    ask=None,
    catalogue=None,
    buyer=None,
) -> Recommendation:
    """The best ``limit`` bundles for the segment that stay within every known budget and suit
    the occasion (a code or the client's occasion text; unknown: any bundle).

    Given an ``ask`` (ask.Ask), a ``catalogue`` (catalog.Catalogue) or a ``buyer`` (rules.Buyer),
    the offer is built by offer(): the catalogue ranked by what was asked for, priced the way the
    buyer pays, within the rules. Without them, the playbook's bundles priced per head."""
    if ask is not None or catalogue is not None or buyer is not None:
        return offer(pb, segment, ask, catalogue=catalogue, buyer=buyer, wanted_tags=wanted_tags,
                     headcount=headcount, budget_per_head=budget_per_head, budget_total=budget_total,
                     occasion=occasion, limit=limit, lang=lang, explain=explain)
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


# --- the offer from the catalogue ---------------------------------------------------------
# recommend() with an ``ask`` (or a ``catalogue`` or a ``buyer``) ranks the company's catalogue
# the way a seasoned rep would:
#   1. what they asked for: a product of the asked category, else a bundle containing one. If
#      the catalogue has nothing of that category, nothing is offered and the note says so:
#      an unrelated product first tells the buyer we did not listen.
#   2. the occasion: anything made for another occasion is left out (no mooncakes for
#      Children's Day). It is a filter, not a score: a bonus for "made for this occasion" above
#      the priorities gave back the New Year hamper to a buyer asking for something new.
#   3. the stated priorities actually met (tags); what they gave before is left out, and the
#      note says so, so "novel" means new to them;
#   4. then the budget: never above a cap, a target may be approached (within TARGET_SLACK);
#      the nearer to the budget, the better (they spend what they planned).
# Prices follow the way the buyer pays: office = units × unit price (tiers by units, ¥/台);
# welfare = per head × headcount (¥/人); gifts = per piece × pieces (¥/份).

TARGET_SLACK = Decimal("1.10")  # "about ¥150" takes up to ¥165


def _fold(text: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _has_word(haystack: str, word: str) -> bool:
    """Chinese words match anywhere; Latin words as whole words (car is not in card)."""
    import re

    w = _fold(word)
    if not w:
        return False
    if re.search(r"[\u3400-\u9fff]", w):
        return w in haystack
    return re.search(r"(?<![a-z0-9])" + re.escape(w) + r"(?:s|es)?(?![a-z0-9])", haystack) is not None


def _offering_text(o) -> str:
    parts = [o.name.zh, o.name.en]
    for ln in o.lines:
        parts += [ln.product.name.zh, ln.product.name.en, ln.product.category.zh, ln.product.category.en]
    return _fold(" ".join(parts))


def occasion_of(pb: Playbook, occasion: str | None) -> str | None:
    """An occasion code: a code of the occasions section or the occasion question, or a text read back."""
    if not occasion or not isinstance(occasion, str):
        return None
    if pb.occasion_def(occasion) is not None:
        return occasion
    code = occasion_code(pb, occasion)
    if code is not None:
        return code
    for o in pb.occasions:
        if _fold(occasion) in (_fold(o.name.zh), _fold(o.name.en)):
            return o.code
    return None


def accepted_occasions(pb: Playbook, code: str | None) -> set[str] | None:
    if code is None or code == "other":
        return None
    d = pb.occasion_def(code)
    return {code, *(d.accepts if d else ())}


def _category_label(pb: Playbook, cat, path: str, lang: str | None) -> str:
    d = pb.catalog.category(path)
    if d is not None:
        return d.path.get(lang)
    p = next((p for p in cat.products.values() if p.category.zh == path), None)
    return p.category.get(lang) if p is not None else path


def resolve_category(pb: Playbook, cat, ask) -> tuple[str | None, bool]:
    """(the asked category path, whether anything was asked for). The ask's category, else the
    category its item words name (the playbook's category words, then product names)."""
    if ask is None or (not ask.category and not ask.item):
        return None, False
    if ask.category:
        c = ask.category.strip()
        d = pb.catalog.category(c)
        if d is not None:
            return d.path.zh, True
        for p in cat.products.values():
            if _fold(c) in (_fold(p.category.zh), _fold(p.category.en)):
                return p.category.zh, True
        return c, True
    item = _fold(ask.item)
    best = None
    for d in pb.catalog.categories:
        for w in d.words:
            if _has_word(item, w) or (len(item) >= 2 and _fold(w) == item):
                if best is None or len(w) > len(best[1]):
                    best = (d.path.zh, w)
    if best is not None:
        return best[0], True
    for p in cat.products.values():
        if p.active and (_has_word(_fold(p.name.zh + " " + p.name.en), ask.item) or item in _fold(p.category.zh)):
            return p.category.zh, True
    return None, True


def _terms(pb: Playbook, includes_vat: bool, vat_rate: float, lang: str | None) -> str:
    if not vat_rate:
        vat = i18n.t("offer.terms.vat_free")  # cards and vouchers: VAT falls due when spent
    else:
        vat = (i18n.t("offer.terms.vat_in", rate=vat_rate) if includes_vat
               else i18n.t("offer.terms.vat_out", rate=vat_rate))
    if pb.terms.delivery_included:
        ship = i18n.t("offer.terms.delivery_in")
    else:
        ship = i18n.t("offer.terms.delivery_out")
    return i18n.t("offer.terms", vat=vat, delivery=ship)


@dataclass
class _Ctx:
    pb: Playbook
    cat: Any
    segment: str
    basis: str
    needed: int | None
    from_heads: bool
    budgets: list  # ask.Budget
    wanted: list[str]
    occasion: str | None
    accepted: set[str] | None
    buyer: Any
    category: str | None
    lang: str | None
    explain: bool
    limits: Any = None  # worked out once by _limits()


def _limits(ctx: _Ctx):
    if ctx.limits is None:
        per_limits = [b for b in ctx.budgets if b.basis != "total"]
        total_limits = [b for b in ctx.budgets if b.basis == "total"]
        ctx.limits = (per_limits, total_limits, min((b.amount for b in per_limits), default=None),
                      min((b.amount for b in total_limits), default=None), any(b.kind == "target" for b in ctx.budgets))
    return ctx.limits


def _within(amount: Decimal, budget) -> bool:
    cap = budget.amount if budget.kind == "cap" else budget.amount * TARGET_SLACK
    return amount <= cap


def _price(ctx: _Ctx, o, needed: int | None, *, minimum: bool = True):
    """(ordered, Price or None, price per basis unit)."""
    mn = o.min_order if minimum else 1
    if o.fixed:
        ordered = max(o.fixed, mn)
    elif needed:
        ordered = pricing.order_quantity(needed, mn, per_group=o.per_group if ctx.from_heads else None)
    else:
        ordered = None
    if ordered is None:
        unit = pricing.per(o.set_price, o.per_group) if (o.per_group and ctx.from_heads) else o.set_price
        return None, None, unit
    p = pricing.price(o.set_price, ordered, o.tiers)
    per = pricing.per(p.total, ordered if ctx.basis == "per_unit" else needed)
    return ordered, p, per


def _fits(ctx: _Ctx, p, per) -> bool:
    per_limits, total_limits = _limits(ctx)[:2]
    if any(not _within(per, b) for b in per_limits):
        return False
    if p is not None and any(not _within(p.total, b) for b in total_limits):
        return False
    if p is None and ctx.needed is None:
        return True
    return True


def _evaluate_offering(ctx: _Ctx, o, full: bool = True) -> Offer:
    """Price, fit and score one offering; ``full`` adds its lines, terms, warnings and reasons
    (only the offers shown need them: a 5,000-product catalogue is screened without)."""
    pb, cur, lang = ctx.pb, ctx.pb.currency, ctx.lang
    ordered, p, per = _price(ctx, o, ctx.needed)
    fits = _fits(ctx, p, per)
    matched = [t for t in ctx.wanted if t in o.tags or any(t in ln.product.tags for ln in o.lines)]
    asked = 0
    if ctx.category is not None:
        asked = 2 if (o.single and o.in_category(ctx.category)) else (1 if o.in_category(ctx.category) else 0)
    primary = 0.5 if o.segments and o.segments[0] == ctx.segment else 0.0
    made_for = ctx.accepted is not None and bool(set(o.occasions) & ctx.accepted)
    share = 0.0
    _per, _total, per_cap, total_cap, target = _limits(ctx)
    if per_cap is not None:
        share = float(per / per_cap) if per_cap else 0.0
    elif total_cap is not None and p is not None:
        share = float(p.total / total_cap) if total_cap else 0.0
    if target:
        share = 1.0 - abs(1.0 - share)
    elif "economy" in ctx.wanted and share:
        share = 1.0 - min(share, 1.0)  # "lowest price" said: the cheaper the better, not the budget used
    # An order forced above the need by a minimum ranks below one that is not (it is still
    # offered, and said plainly): 10 partner leaders want 10 gifts, not 50 calendars.
    overshoot = 10.0 if (ordered is not None and ctx.needed and ordered > ctx.needed and ordered == o.min_order) else 0.0
    # Made for this very occasion weighs a little under one priority met and a half: mooncakes
    # first for Mid-Autumn, yet a novel present still beats the New Year hamper for a buyer who
    # asked for something new (the hamper meets no priority but the occasion's own tags).
    # The budget's use counts double: ¥48 a head offered against ¥500 a head is a poor offer even
    # when made for the occasion.
    score = 100.0 * asked - overshoot + 3.0 * len(matched) + primary + 1.5 * made_for + 2.0 * min(share, 1.1)
    unit = o.unit if ctx.basis == "per_unit" else (HEAD if ctx.basis == "per_head" else
                                                      (o.unit if o.single else PIECE))
    source = o.source if o.source is not None else o
    category = ctx.category if (ctx.category and o.in_category(ctx.category)) else (o.categories[0] if o.categories else None)
    offer = Offer(source, per, ordered, p.total if p else None, p.discount_pct if p else 0.0, fits, score,
                  [], matched, offering=o, basis=ctx.basis, unit=unit, order_unit=o.unit, needed=ctx.needed,
                  list_total=p.list_total if p else None, category=category,
                  delivery_included=pb.terms.delivery_included)
    if not full:
        return offer
    offer.includes_vat, offer.vat_rate = o.includes_vat, o.vat_rate
    offer.lines = [OfferLine(ln.product.code, ln.product.name, ln.count, ln.product.unit, ln.product.unit_price,
                             ln.product.category.zh) for ln in o.lines]
    offer.terms = _terms(pb, o.includes_vat, o.vat_rate, lang)
    if ordered is not None and ctx.needed and ordered > ctx.needed and o.min_order > 1 and ordered == o.min_order:
        offer.warnings.append(OfferWarning("min_order", i18n.t(
            "offer.min_order", min=o.min_order, unit=o.unit.get(lang), needed=ctx.needed,
            total=money(p.total, cur)), o.code))
    if ctx.explain:
        offer.reasons = _reasons(ctx, o, offer, p, per, matched, made_for, asked)
    return offer


def _reasons(ctx: _Ctx, o, offer: Offer, p, per, matched, made_for, asked) -> list[str]:
    pb, cur, lang = ctx.pb, ctx.pb.currency, ctx.lang
    reasons = []
    if asked:
        reasons.append(i18n.t("offer.reason.asked", category=_category_label(pb, ctx.cat, ctx.category, lang)))
    seg = pb.segment(ctx.segment)
    if seg and ctx.segment in o.segments:
        reasons.append(i18n.t("bundle.reason.segment", segment=seg.name.get(lang)))
    if made_for:
        d = pb.occasion_def(ctx.occasion)
        reasons.append(i18n.t("bundle.reason.occasion", occasion=d.name.get(lang) if d else ctx.occasion))
    unit = offer.unit.get(lang)
    if p is not None:
        reasons.append(i18n.t("offer.reason.priced", qty=offer.quantity, order_unit=o.unit.get(lang),
                              price=money(offer.per_head, cur), unit=unit, total=money(p.total, cur),
                              terms=offer.terms))
    for b in ctx.budgets:
        shown = money(b.amount, cur)
        if b.basis == "total" and p is None:
            continue
        amount = p.total if b.basis == "total" else per
        key = "offer.reason.within_cap" if b.kind == "cap" else "offer.reason.near_target"
        if _within(amount, b):
            reasons.append(i18n.t(key, amount=money(amount, cur), budget=shown,
                                  basis=i18n.t(f"offer.basis.{b.basis}", unit=unit)))
    if not ctx.budgets:
        reasons.append(i18n.t("offer.reason.no_budget"))
    if matched:
        reasons.append(i18n.t("bundle.reason.tags", tags=i18n.join(map(i18n.tag_name, matched))))
    if p is not None and p.tier:
        reasons.append(i18n.t("offer.reason.tier", qty=p.tier.min_qty, unit=o.unit.get(lang), pct=p.tier.discount_pct))
    if ctx.needed is None:
        reasons.append(i18n.t("offer.reason.no_quantity", what=i18n.t(f"offer.what.{ctx.basis}")))
    if o.lead_days is not None:
        reasons.append(i18n.t("offer.reason.lead", days=o.lead_days))
    if o.services:
        reasons.append(i18n.t("bundle.reason.services", services="; ".join(s.get(lang) for s in o.services)))
    for h in offer.rules:
        reasons.append(h.text(lang))
    return reasons


def ask_from_fields(segment: str, fields: dict, ask=None):
    """An Ask from the client's fields (headcount, budgets, occasion), the basis by segment; an
    ``ask`` given (from the notes or the questions) keeps every field it has."""
    from .ask import Ask, Budget

    basis = BASIS_OF_SEGMENT.get(segment, "per_head")
    base = ask or Ask()
    quantity = base.quantity if base.quantity is not None else fields.get("headcount")
    budget = base.budget
    if budget is None:
        if fields.get("budget_per_head") is not None:
            budget = Budget(Decimal(str(fields["budget_per_head"])), basis, "cap")
        elif fields.get("budget_total") is not None:
            budget = Budget(Decimal(str(fields["budget_total"])), "total", "cap")
    occasion = base.occasion or fields.get("occasion")
    from dataclasses import replace as _replace

    return _replace(base, quantity=int(quantity) if quantity else None, budget=budget, occasion=occasion)


def offer(
    pb: Playbook,
    segment: str,
    ask=None,
    *,
    catalogue=None,
    buyer=None,
    wanted_tags: list[str] | None = None,
    headcount: int | None = None,
    budget_per_head: float | None = None,
    budget_total: float | None = None,
    occasion: str | None = None,
    limit: int = 3,
    lang: str | None = None,
    explain: bool = True,
) -> Recommendation:
    """The best ``limit`` offers from the catalogue for this buyer and ask (see above).

    Every budget known counts, on its basis: the ask's, and the per-head and total budgets of the
    record (``budget_per_head`` is per unit for an office buyer, per piece for a gift buyer)."""
    from . import catalog as catmod
    from . import rules as rulemod
    from .ask import Ask, Budget

    cat = catalogue if catalogue is not None else catmod.from_playbook(pb)
    ask = ask if ask is not None else Ask()
    basis = BASIS_OF_SEGMENT.get(segment, "per_head")
    budgets = [ask.budget] if ask.budget is not None else []
    if budget_per_head is not None and not any(b.basis != "total" for b in budgets):
        budgets.append(Budget(Decimal(str(budget_per_head)), basis, "cap"))
    if budget_total is not None and not any(b.basis == "total" for b in budgets):
        budgets.append(Budget(Decimal(str(budget_total)), "total", "cap"))
    needed = ask.quantity or headcount
    from_heads = basis == "per_head" or (ask.unit in ("人", "person", "people", "head")) or \
        (ask.quantity is None and basis != "per_unit")
    code = occasion_of(pb, ask.occasion or occasion)
    buyer = buyer if buyer is not None else rulemod.Buyer(segment=segment)
    if buyer.segment is None:
        from dataclasses import replace as _replace

        buyer = _replace(buyer, segment=segment)
    category, asked_for = resolve_category(pb, cat, ask)
    ctx = _Ctx(pb, cat, segment, basis, needed, from_heads, budgets, list(wanted_tags or []), code,
               accepted_occasions(pb, code), buyer, category, lang, explain)
    rec = Recommendation([], None, ask=ask, category=category, basis=basis)
    cur = pb.currency
    for u in ask.unread:
        rec.warnings.append(OfferWarning("unread_figure", i18n.t("offer.unread", text=u.text,
                                                                 what=i18n.t(f"offer.looks.{u.looks_like}"))))
    offerings = [o for o in cat.offerings()]
    if asked_for:
        matching = [o for o in offerings if category is not None and o.in_category(category)]
        if not matching:
            what = ask.item or ask.category or ""
            shown = _category_label(pb, cat, category, lang) if category else what
            text = i18n.t("offer.not_in_catalogue", item=shown)
            rec.not_in_catalogue = True
            rec.warnings.append(OfferWarning("not_in_catalogue", text))
            rec.note = text
            return rec
        candidates = matching
    else:
        candidates = [o for o in offerings if not o.segments or segment in o.segments]
        if not candidates:
            rec.note = i18n.t("bundle.none_for_segment")
            return rec
    # The occasion, what they gave before, the rules: each leaves out, and each is said.
    left_occasion, left_given, kept = [], [], []
    given = [g for g in ask.given_before if g and g.strip()]
    for o in candidates:
        if ctx.accepted is not None and o.occasions and not (set(o.occasions) & ctx.accepted):
            left_occasion.append(o)
            continue
        if given:
            text = _offering_text(o)
            hit = next((g for g in given if _has_word(text, g)), None)
            if hit is not None and not (category is not None and asked_for and o.in_category(category)
                                        and _has_word(_fold(ask.item or ""), hit)):
                left_given.append((o, hit))
                continue
        kept.append(o)
    evaluated, blocked_names = [], []
    applicable = rulemod.offer_rules(pb, buyer)  # the rules that concern this buyer at all
    for o in kept:
        off = _evaluate_offering(ctx, o, full=False)
        hits = rulemod.offer_hits(pb, buyer, o, occasion=code,
                                  per_head=pricing.per(off.total, needed) if off.total is not None else off.per_head,
                                  total=off.total, checks=applicable) if applicable else []
        if hits:
            rec.rules += [h for h in hits if h not in rec.rules]
            off.rules = hits
            # An offering a rule warns about comes after those it does not, unless it is
            # exactly what they asked for (the rep says the warning then).
            if not (category is not None and o.in_category(category)):
                off.score -= 3.0 * sum(1 for h in hits if h.action == "warn")
        if rulemod.blocked(hits):
            blocked_names.append(o.name.get(lang))
            rec.left_out.append(o.code)
            continue
        evaluated.append(off)
    if left_occasion:
        d = pb.occasion_def(code) if code else None
        rec.warnings.append(OfferWarning("occasion", i18n.t(
            "bundle.left_out_occasion", occasion=d.name.get(lang) if d else code,
            bundles=_names(left_occasion, lang))))
        rec.left_out += [o.code for o in left_occasion]
    if left_given:
        rec.warnings.append(OfferWarning("given_before", i18n.t(
            "offer.left_out_given", given="、".join(given),
            bundles=_names([o for o, _ in left_given], lang))))
        rec.left_out += [o.code for o, _ in left_given]
    if blocked_names:
        rec.warnings.append(OfferWarning("rule", i18n.t("offer.left_out_rules", bundles=", ".join(blocked_names[:5])
                                                        + ("…" if len(blocked_names) > 5 else ""))))
    fitting = sorted((o for o in evaluated if o.fits), key=lambda o: -o.score)
    if fitting:
        rec.offers = [_full(ctx, o) for o in fitting[:limit]]
        _alternatives(rec, fitting, lang, cur)
        for o in rec.offers:
            rec.warnings += o.warnings
        return rec
    if not evaluated and rec.rules and blocked_names:
        said = " ".join(dict.fromkeys(h.text(lang) for h in rec.rules if h.action == "block"))
        if asked_for:
            # All they asked for is ruled out (cards for a tax bureau): say why, then offer what
            # the rules allow for the same people, budget and occasion.
            from dataclasses import replace as _replace

            rest = offer(pb, segment, _replace(ask, item=None, category=None), catalogue=cat, buyer=buyer,
                         wanted_tags=wanted_tags, headcount=headcount, budget_per_head=budget_per_head,
                         budget_total=budget_total, occasion=occasion, limit=limit, lang=lang, explain=explain)
            rest.rules = [*rec.rules, *(h for h in rest.rules if h not in rec.rules)]
            rest.warnings = [*rec.warnings, *rest.warnings]
            rest.left_out = [*rec.left_out, *rest.left_out]
            rest.category = category
            rest.note = said + (" " + rest.note if rest.note else "")
            rest.ask = ask
            return rest
        rec.note = said
        return rec
    rec.note = _no_fit_note(ctx, evaluated, [*left_occasion, *(o for o, _ in left_given)], lang)
    return rec


def _full(ctx: _Ctx, screened: Offer) -> Offer:
    """A screened offer with its lines, terms, warnings and reasons (the rules it met kept)."""
    off = _evaluate_offering(ctx, screened.offering, full=True)
    off.score, off.rules = screened.score, screened.rules
    if ctx.explain:
        off.reasons += [h.text(ctx.lang) for h in off.rules]
    return off


def _names(offerings, lang, most: int = 5) -> str:
    names = [o.name.get(lang) for o in offerings]
    return ", ".join(names[:most]) + ("…" if len(names) > most else "")


def _alternatives(rec: Recommendation, fitting: list[Offer], lang, cur: str) -> None:
    """A minimum order above the need names an offer without one: "or choose …"."""
    for o in rec.offers:
        for w in o.warnings:
            if w.kind != "min_order":
                continue
            alt = next((x for x in fitting if x is not o and (x.needed is None or x.quantity is None
                                                              or x.quantity <= x.needed)), None)
            if alt is not None:
                o.warnings[o.warnings.index(w)] = OfferWarning(w.kind, w.text + i18n.t(
                    "offer.or_choose", bundle=alt.bundle.name.get(lang), total=money(alt.total, cur)), w.subject)


def _no_fit_note(ctx: _Ctx, evaluated: list[Offer], left: list, lang) -> str:
    pb, cur = ctx.pb, ctx.pb.currency
    if not evaluated:
        d = pb.occasion_def(ctx.occasion) if ctx.occasion else None
        head = i18n.t("bundle.none_for_occasion", occasion=d.name.get(lang) if d else (ctx.occasion or ""))
        return head + ((" " + i18n.t("bundle.left_out_occasion", occasion=d.name.get(lang) if d else "",
                                     bundles=_names(left, lang))) if left else "")
    cheapest = min(evaluated, key=lambda o: (o.total if o.total is not None else o.per_head))
    # Is the minimum order the reason? Priced at the need alone, would it fit?
    o = cheapest.offering
    if ctx.needed and o.min_order > ctx.needed:
        _, p, per = _price(ctx, o, ctx.needed, minimum=False)
        if _fits(ctx, p, per):
            return i18n.t("offer.none_fit_min", bundle=o.name.get(lang), min=o.min_order, unit=o.unit.get(lang),
                          needed=ctx.needed, total=money(cheapest.total, cur))
    budget = ctx.budgets[0] if ctx.budgets else None
    shown = money(budget.amount, cur) if budget else i18n.t("fallback.money")
    basis = i18n.t(f"offer.basis.{budget.basis}", unit=cheapest.unit.get(lang)) if budget else ""
    return i18n.t("offer.none_fit", budget=shown, basis=basis, bundle=cheapest.bundle.name.get(lang),
                  price=money(cheapest.per_head, cur), unit=cheapest.unit.get(lang),
                  total=money(cheapest.total, cur))


def over_budget(amount: Decimal | float, *, budget_total: float | None = None, budget_per_head: float | None = None,
                headcount: int | None = None, currency: str = "¥") -> str | None:
    """A warning when a deal's amount exceeds the client's known budget (total, or per head ×
    headcount); None when within or unknown."""
    a = Decimal(str(amount))
    if budget_total is not None and a > Decimal(str(budget_total)):
        return i18n.t("offer.deal_over_budget", amount=money(a, currency), budget=money(budget_total, currency))
    if budget_per_head is not None and headcount:
        cap = Decimal(str(budget_per_head)) * headcount
        if a > cap:
            return i18n.t("offer.deal_over_budget", amount=money(a, currency), budget=money(cap, currency))
    return None
