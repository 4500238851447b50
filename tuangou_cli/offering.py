"""The offer as `tg classify` and `tg pitch` show it: one adaptor over the offer engine. Pure
but for the catalogue, which the caller's `CatalogueSource` reads.

Everything that shows or explains an offer (the call screen, the pitch, JSON) reads a
`ShownOffer`; only `price()` knows which engine made it (recommend.offer over the company's
catalogue, through offer_call), so a new engine changes this module alone. The engine's own
offering stays reachable as `bundle` for the needs check and the pitch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Sequence

from . import i18n
from .playbook import Playbook

# (category=, segment=, occasions=) → catalog.Catalogue: the part of the catalogue an offer can use.
CatalogueSource = Callable[..., Any]


@dataclass
class ShownOffer:
    code: str
    name: str
    bundle: Any  # the playbook bundle or the catalogue offering (tags, items, services)
    per_head: Decimal  # the price per `unit`: per head (welfare), per unit (office), per piece (gifts)
    quantity: int | None  # how many `order_unit` are ordered
    total: Decimal | None
    discount_pct: float = 0.0
    reasons: list[str] = field(default_factory=list)
    unit: str | None = None  # what per_head is per: 人, 台, 份
    warnings: list[str] = field(default_factory=list)
    order_unit: str | None = None  # what quantity counts: 套, 台, 盒
    category: str | None = None
    basis: str = "per_head"
    needed: int | None = None  # heads, units or pieces asked for (quantity may be more: a minimum order)
    includes_vat: bool | None = None
    vat_rate: float | None = None
    delivery_included: bool | None = None
    terms: str = ""  # 含税（增值税 13%），含运费 …
    lines: list[dict[str, Any]] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)  # rules.RuleHit met by this offer
    warning_kinds: list[str] = field(default_factory=list)

    @property
    def tags(self) -> list[str]:
        return list(getattr(self.bundle, "tags", []) or [])

    @property
    def services(self) -> list[str]:
        return [s.get() for s in getattr(self.bundle, "services", []) or []]

    @property
    def unit_price(self) -> Decimal | None:
        """The price of one ordered unit (a set, a machine, a box) after its tier."""
        if self.total is None or not self.quantity:
            return None
        return (self.total / self.quantity).quantize(Decimal("0.01"))

    def as_json(self) -> dict[str, Any]:
        from .export import json_value

        return {"code": self.code, "name": self.name, "category": self.category, "basis": self.basis,
                "unit": self.unit, "order_unit": self.order_unit, "quantity": self.quantity, "needed": self.needed,
                "per_head": json_value(self.per_head), "unit_price": json_value(self.unit_price),
                "total": json_value(self.total), "discount_pct": self.discount_pct,
                "includes_vat": self.includes_vat, "vat_rate": self.vat_rate,
                "delivery_included": self.delivery_included, "terms": self.terms, "lines": self.lines,
                "reasons": self.reasons, "warnings": self.warnings,
                "rules": [h.as_json() for h in self.rules]}


@dataclass
class Priced:
    offers: list[ShownOffer]
    note: str | None = None  # said when nothing fits: what would
    warnings: list[str] = field(default_factory=list)  # about the whole ask (the offers' own are on them)
    rules: list[Any] = field(default_factory=list)  # every rules.RuleHit met, on offered and left-out items
    ask: Any = None  # ask.Ask, as the offer read it
    category: str | None = None  # the asked category, as found in the catalogue
    not_in_catalogue: bool = False
    basis: str | None = None
    warning_kinds: list[str] = field(default_factory=list)

    def rule_texts(self) -> list[str]:
        """Each rule met, once, as the rep reads it (the block or warn and its reason)."""
        return list(dict.fromkeys(h.text() for h in self.rules))

    def as_json(self) -> dict[str, Any]:
        return {"ask": self.ask.as_json() if self.ask is not None else None,
                "category": self.category, "not_in_catalogue": self.not_in_catalogue, "basis": self.basis,
                "warnings": [{"kind": k, "text": t} for k, t in zip(self.warning_kinds, self.warnings)],
                "rules": [h.as_json() for h in self.rules]}


def shown(offer: Any) -> ShownOffer:
    """An engine's offer (recommend.Offer) as shown."""
    offering = offer.offering
    lines = [{"code": ln.code, "name": ln.name.get(), "count": ln.count, "unit": ln.unit.get(),
              "unit_price": float(ln.unit_price), "category": ln.category} for ln in offer.lines]
    own = [w for w in offer.warnings]
    return ShownOffer(code=getattr(offer.bundle, "code", offering.code), name=offering.name.get(), bundle=offer.bundle,
                      per_head=offer.per_head, quantity=offer.quantity, total=offer.total,
                      discount_pct=offer.discount_pct or 0.0, reasons=list(offer.reasons),
                      unit=offer.unit.get() if offer.unit is not None else None,
                      warnings=[w.text for w in own], warning_kinds=[w.kind for w in own],
                      order_unit=offer.order_unit.get() if offer.order_unit is not None else None,
                      category=offer.category, basis=offer.basis, needed=offer.needed,
                      includes_vat=offer.includes_vat, vat_rate=offer.vat_rate,
                      delivery_included=offer.delivery_included, terms=offer.terms, lines=lines,
                      rules=list(offer.rules))


def price(pb: Playbook, segment: str, fields: dict[str, Any], *, wanted_tags: Sequence[str] = (),
          occasion: str | None = None, limit: int = 3, bundle: str | None = None,
          catalogue: CatalogueSource | None = None, ask: Any = None, notes: str | None = None,
          client_name: str | None = None, answers: dict | None = None, match: Any = None,
          explain: bool = True) -> Priced:
    """The best `limit` offers from the catalogue for this buyer and what the call asked for (or
    the one offering `bundle` names, priced whether or not it fits). ``explain=False``: the offers
    without the reasons for each (a lead list's row shows the code and the total)."""
    from .offer_call import offer_from, price_one

    source = catalogue or default_source(pb)
    fields = dict(fields)
    if occasion is not None:
        fields["occasion"] = occasion
    if bundle is not None:
        rec = price_one(source, pb, bundle, segment=segment, tags=list(wanted_tags), fields=fields, ask=ask,
                        notes=notes, client_name=client_name, answers=answers, match=match)
    else:
        rec = offer_from(source, pb, segment=segment, tags=list(wanted_tags), fields=fields, ask=ask, notes=notes,
                         client_name=client_name, answers=answers, limit=limit, match=match, explain=explain)
    offers = [shown(o) for o in rec.offers]
    mine = {id(w) for o in rec.offers for w in o.warnings}
    general = [w for w in rec.warnings if id(w) not in mine]
    return Priced(offers, rec.note, [w.text for w in general], list(rec.rules), ask=rec.ask, category=rec.category,
                  not_in_catalogue=rec.not_in_catalogue, basis=rec.basis, warning_kinds=[w.kind for w in general])


def default_source(pb: Playbook) -> CatalogueSource:
    """The shipped catalogue (with the playbook's bundles), for a call with no database."""
    from .store.catalog import default_catalogue

    def load(**_: Any) -> Any:
        return default_catalogue(pb)

    return load


def tag_names(tags: Sequence[str]) -> str:
    """Tags as a rep reads them, in the run's language, joined by its list separator."""
    return i18n.join([i18n.tag_name(t) for t in tags])
