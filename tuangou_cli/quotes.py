"""The quotation (报价单): its lines, its money and its parties, as typed objects. Pure.

A quotation is the document a government office, hospital or bank files to compare suppliers:
our header, the buyer's invoice title (抬头), numbered lines, the amount before VAT, the VAT by
rate, the total in figures and in capitals (大写), and the terms. Everything a renderer
(quote_documents/) prints is computed here, so the xlsx, the PDF and the Word file say the same.

Money is Decimal, each line rounded to the fen once, half up, as invoicing software does; the
VAT is computed per line and summed (so each rate's VAT is the sum of its lines' VAT).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from . import i18n
from .amounts import to_capitals
from .errors import NotFound, TgError, UsageError

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def fen(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def plain_decimal(value: Decimal) -> Decimal:
    """Without trailing zeros, never in exponent form: 8.0 → 8, 50.00 → 50, 2.50 → 2.5."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def number_text(value: Decimal) -> str:
    """13 → '13', 2.50 → '2.5', 8.0 → '8'."""
    return f"{value.normalize():f}"


def percent_text(pct: Decimal) -> str:
    """13 → '13%', 2.50 → '2.5%'."""
    return f"{number_text(pct)}%"


@dataclass(frozen=True)
class Party:
    """Our company's header (from the playbook's ``company``), in the quote's language."""

    name: str
    address: str
    tax_id: str
    bank: str
    account: str
    contact: str
    phone: str
    email: str | None = None

    @classmethod
    def from_playbook(cls, company, lang: str) -> "Party":
        return cls(name=company.name.get(lang), address=company.address.get(lang), tax_id=company.tax_id,
                   bank=company.bank.get(lang), account=company.account, contact=company.contact.get(lang),
                   phone=company.phone, email=company.email)


@dataclass(frozen=True)
class Buyer:
    """The buyer as its invoices name it (开票信息): the title (抬头) is what a quote needs."""

    title: str
    credit_code: str | None = None
    address: str | None = None
    phone: str | None = None
    bank: str | None = None
    account: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class QuoteLine:
    """One line: ``quantity`` units at the list ``unit_price``, less the tier discount and the
    quote's extra discount. ``includes_vat``: the unit price is 含税."""

    code: str
    name: str
    spec: str
    unit: str
    quantity: int
    unit_price: Decimal
    tier_discount_pct: Decimal = Decimal(0)
    vat_rate: Decimal = Decimal(13)
    includes_vat: bool = True
    extra_discount_pct: Decimal = Decimal(0)

    @property
    def list_total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def discount_pct(self) -> Decimal:
        """The tier and the extra discount together (one after the other)."""
        kept = (HUNDRED - self.tier_discount_pct) * (HUNDRED - self.extra_discount_pct) / HUNDRED
        return HUNDRED - kept

    @property
    def discount_text(self) -> str:
        parts = [percent_text(p) for p in (self.tier_discount_pct, self.extra_discount_pct) if p]
        return " + ".join(parts) if parts else "—"

    @property
    def total(self) -> Decimal:
        """The line's amount as priced (含税 when the price is)."""
        return fen(self.list_total * (HUNDRED - self.discount_pct) / HUNDRED)

    @property
    def tax(self) -> Decimal:
        if self.includes_vat:
            return fen(self.total * self.vat_rate / (HUNDRED + self.vat_rate))
        return fen(self.total * self.vat_rate / HUNDRED)

    @property
    def net(self) -> Decimal:
        """Before VAT (不含税金额)."""
        return self.total - self.tax if self.includes_vat else self.total

    @property
    def gross(self) -> Decimal:
        """With VAT (价税合计)."""
        return self.total if self.includes_vat else self.total + self.tax


@dataclass(frozen=True)
class QuoteDocument:
    number: str
    version: int
    issued_on: date
    valid_until: date
    currency: str
    lang: str
    company: Party
    buyer: Buyer
    lines: tuple[QuoteLine, ...]
    delivery_terms: str
    payment_terms: str
    extra_discount_pct: Decimal = Decimal(0)
    status: str = "open"
    prepared_by: str | None = None

    @property
    def label(self) -> str:
        """Q-2026-0012 v2"""
        return f"{self.number} v{self.version}"

    @property
    def subtotal(self) -> Decimal:
        """Before VAT (不含税合计)."""
        return sum((x.net for x in self.lines), Decimal(0))

    @property
    def vat_by_rate(self) -> list[tuple[Decimal, Decimal]]:
        rates: dict[Decimal, Decimal] = {}
        for x in self.lines:
            rates[x.vat_rate] = rates.get(x.vat_rate, Decimal(0)) + x.tax
        return sorted(rates.items())

    @property
    def vat(self) -> Decimal:
        return sum((x.tax for x in self.lines), Decimal(0))

    @property
    def total(self) -> Decimal:
        """With VAT (价税合计): what the buyer pays."""
        return sum((x.gross for x in self.lines), Decimal(0))

    @property
    def total_capitals(self) -> str:
        return to_capitals(self.total)

    @property
    def list_total(self) -> Decimal:
        return sum((x.list_total for x in self.lines), Decimal(0))

    @property
    def prices_include_vat(self) -> bool | None:
        """True or False when every line says the same; None when they differ."""
        kinds = {x.includes_vat for x in self.lines}
        return kinds.pop() if len(kinds) == 1 else None

    def expired(self, today: date) -> bool:
        return today > self.valid_until

    def money(self, amount: Decimal) -> str:
        value = fen(amount)
        return f"{'-' if value < 0 else ''}{self.currency}{abs(value):,.2f}"


# --- quote numbers -------------------------------------------------------------------------

NUMBER = re.compile(r"^([A-Z]{1,6})-(\d{4})-(\d{4,})$")


def quote_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:04d}"


def parse_ref(ref: str) -> tuple[str, int | None]:
    """'Q-2026-0012' → (number, None: the latest version); 'Q-2026-0012v2' or '… v2' → (number, 2)."""
    text = ref.strip().upper().replace(" ", "")
    match = re.match(r"^(.*?)(?:V(\d+))?$", text)
    number, version = match.group(1), match.group(2)
    if not NUMBER.match(number):
        raise UsageError(i18n.t("quote.bad_ref", ref=ref))
    return number, int(version) if version else None


def validity(issued_on: date, days: int) -> date:
    return issued_on + timedelta(days=days)


# --- pricing the lines -----------------------------------------------------------------------
# The one place that turns "what to quote" into priced lines. Today the catalogue is the
# playbook's bundles: a bundle is one line (its contents are the spec, 套 the unit, the
# quantity its sets) priced as recommend.quote prices it, so the quote agrees with the pitch to
# the fen. When the catalogue lives in the database (the offer engine), this function asks
# pricing.py for each product instead: the rest of the quote does not change.


@dataclass(frozen=True)
class Wanted:
    """What the rep asked to quote: a bundle for the client's headcount, or items with counts;
    neither: the bundle the pitch recommends."""

    bundle: str | None = None
    items: tuple[tuple[str, int], ...] = ()


def parse_items(values: list[str]) -> tuple[tuple[str, int], ...]:
    """``CODE=QTY`` options, each code once."""
    out: dict[str, int] = {}
    for value in values:
        code, sep, qty = value.partition("=")
        code, qty = code.strip(), qty.strip()
        if not sep or not code or not qty.isdigit() or int(qty) < 1 or int(qty) > 10_000_000:
            raise UsageError(i18n.t("quote.bad_item", value=value))
        if code in out:
            raise UsageError(i18n.t("quote.item_twice", code=code))
        out[code] = int(qty)
    return tuple(out.items())


@dataclass
class ClientFacts:
    """What pricing needs to know of the client (its name and industry tell the rules who buys)."""

    headcount: int | None
    segment: str | None
    budget_per_head: float | None = None
    budget_total: float | None = None
    occasion: str | None = None
    name: str | None = None
    industry: str | None = None


def price_lines(pb, wanted: Wanted, client: ClientFacts, *, lang: str, catalogue=None,
                extra_discount_pct: Decimal = Decimal(0), call=None) -> list[QuoteLine]:
    """The priced lines for ``wanted``, from the company's catalogue (``catalog.Catalogue``; the
    shipped one without) at each product's own VAT, within the buyer's rules; a one-line error for
    anything not in the catalogue, below its minimum order, or ruled out for this buyer."""
    from . import pricing
    from .store.catalog import default_catalogue

    cat = catalogue if catalogue is not None else default_catalogue(pb)
    picks: list[tuple[object, int]] = []
    if wanted.items:
        for code, qty in wanted.items:
            o = _offering(cat, code)
            if qty < o.min_order:
                raise TgError(i18n.t("quote.below_minimum", code=code, qty=qty, min=o.min_order))
            picks.append((o, qty))
    elif wanted.bundle is not None:
        o = _offering(cat, wanted.bundle)
        if not client.headcount and not o.fixed:
            raise UsageError(i18n.t("quote.no_headcount", code=o.code))
        picks.append((o, o.fixed or pricing.order_quantity(client.headcount or 0, o.min_order,
                                                          per_group=o.per_group)))
    else:
        picks.append(_recommended(pb, cat, client, lang, call))
    _within_rules(pb, client, [(o, qty) for o, qty in picks])
    joiner = "、" if lang == "zh" else ", "
    lines = []
    for o, qty in picks:
        tier = pricing.tier_for(o.tiers, qty)
        if o.single:
            product = o.lines[0].product
            spec, unit = (product.spec or product.name).get(lang), product.unit.get(lang)
        else:
            spec = joiner.join(f"{ln.name.get(lang)}×{ln.count}" for ln in o.lines)
            unit = i18n.CATALOGUE["quote.unit_set"][0 if lang == "zh" else 1]
        lines.append(QuoteLine(code=o.code, name=o.name.get(lang), spec=spec, unit=unit, quantity=qty,
                               unit_price=o.set_price,
                               tier_discount_pct=Decimal(str(tier.discount_pct)) if tier else Decimal(0),
                               vat_rate=Decimal(str(o.vat_rate)), includes_vat=o.includes_vat,
                               extra_discount_pct=extra_discount_pct))
    return lines


def _offering(cat, code: str):
    o = cat.offering(code)
    if o is None:
        codes = [b.code for b in cat.bundles] + list(cat.products)
        raise NotFound(i18n.t("quote.not_in_catalogue", code=code, close=_close(code, codes)))
    return o


def _recommended(pb, cat, client: ClientFacts, lang: str, call=None) -> tuple[object, int]:
    """The offer the pitch makes this client (``call``: its last call as saved,
    documents.StoredCall), and its quantity."""
    from .offer_call import offer_for_call

    if client.segment is None or pb.segment(client.segment) is None:
        raise TgError(i18n.t("quote.no_segment"))
    fields = {k: v for k, v in (("headcount", client.headcount), ("budget_per_head", client.budget_per_head),
                                ("budget_total", client.budget_total), ("occasion", client.occasion),
                                ("industry", client.industry)) if v is not None}
    rec = offer_for_call(pb, cat, segment=client.segment, fields=fields, client_name=client.name, limit=1,
                         lang=lang, explain=False, tags=call.wanted if call else None, ask=call.ask if call else None,
                         notes=call.notes if call else None, answers=call.answers if call else None)
    if not rec.offers:
        raise TgError(i18n.t("quote.nothing_fits", note=rec.note or ""))
    top = rec.offers[0]
    if top.quantity is None:
        raise UsageError(i18n.t("quote.no_headcount", code=top.offering.code))
    return top.offering, top.quantity


def _within_rules(pb, client: ClientFacts, picks: list[tuple[object, int]]) -> None:
    """A quote is refused what the offer would never make this buyer (cards to a government office)."""
    from . import pricing, rules

    buyer = rules.buyer_of(pb, name=client.name, industry=client.industry, segment=client.segment)
    checks = rules.offer_rules(pb, buyer)
    if not checks:
        return
    for o, qty in picks:
        total = pricing.price(o.set_price, qty, o.tiers).total
        per = pricing.per(total, client.headcount or qty)
        hits = rules.offer_hits(pb, buyer, o, occasion=client.occasion, per_head=per, total=total, checks=checks)
        if rules.blocked(hits):
            reason = next(h for h in hits if h.action == "block")
            raise TgError(i18n.t("quote.ruled_out", code=o.code, rule=reason.text()))


def _close(code: str, codes: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(code, codes, n=3, cutoff=0.4)
    return i18n.t("quote.closest", codes=", ".join(close)) if close else ""


@dataclass
class Approval:
    """Whether an extra discount may go out as it is."""

    needed: bool
    threshold: Decimal
    pct: Decimal = field(default=Decimal(0))


def approval_for(pb, extra_discount_pct: Decimal) -> Approval:
    threshold = Decimal(str(pb.company.quotes.approval_above_pct))
    return Approval(extra_discount_pct > threshold, threshold, extra_discount_pct)
