"""The offer as `tg classify` and `tg pitch` show it: one adaptor over the offer engine. Pure.

Everything that shows or explains an offer (the call screen, the pitch, JSON) reads a
`ShownOffer`; only `price()` knows which engine made it, so a new engine changes this module
alone. The engine's own offer stays reachable as `bundle` for the needs check and the pitch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Sequence

from . import i18n
from .playbook import Playbook


@dataclass
class ShownOffer:
    code: str
    name: str
    bundle: Any  # the playbook bundle (tags, items, services)
    per_head: Decimal
    quantity: int | None
    total: Decimal | None
    discount_pct: float = 0.0
    reasons: list[str] = field(default_factory=list)
    unit: str | None = None  # the unit a price is per (人, 台, 份) when the engine says
    warnings: list[str] = field(default_factory=list)

    @property
    def tags(self) -> list[str]:
        return list(getattr(self.bundle, "tags", []) or [])

    @property
    def services(self) -> list[str]:
        return [s.get() for s in getattr(self.bundle, "services", []) or []]


@dataclass
class Priced:
    offers: list[ShownOffer]
    note: str | None = None  # said when nothing fits: what would
    warnings: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


def shown(offer: Any) -> ShownOffer:
    """An engine's offer (recommend.Offer, or one with the same attributes) as shown."""
    bundle = getattr(offer, "bundle", None)
    name = getattr(offer, "name", None) or (bundle.name.get() if bundle is not None else offer.code)
    return ShownOffer(code=offer.code, name=name if isinstance(name, str) else name.get(), bundle=bundle,
                      per_head=getattr(offer, "per_head", None) or getattr(offer, "unit_price", Decimal(0)),
                      quantity=getattr(offer, "quantity", None), total=getattr(offer, "total", None),
                      discount_pct=getattr(offer, "discount_pct", 0.0) or 0.0,
                      reasons=list(getattr(offer, "reasons", []) or []), unit=getattr(offer, "unit", None),
                      warnings=list(getattr(offer, "warnings", []) or []))


def price(pb: Playbook, segment: str, fields: dict[str, Any], *, wanted_tags: Sequence[str] = (),
          occasion: str | None = None, limit: int = 3, bundle: str | None = None) -> Priced:
    """The best `limit` offers for what is known of the client (or the one bundle asked for)."""
    from .recommend import evaluate, recommend

    if bundle is not None:
        offer = evaluate(pb, pb.bundle(bundle), segment, fields.get("headcount"), fields.get("budget_per_head"),
                         fields.get("budget_total"), list(wanted_tags), occasion=occasion)
        return Priced([shown(offer)])
    rec = recommend(pb, segment, headcount=fields.get("headcount"), budget_per_head=fields.get("budget_per_head"),
                    budget_total=fields.get("budget_total"), wanted_tags=list(wanted_tags), occasion=occasion,
                    limit=limit)
    return Priced([shown(o) for o in rec.offers], rec.note, list(getattr(rec, "warnings", []) or []),
                  [str(r) for r in getattr(rec, "rules", []) or []])


def tag_names(tags: Sequence[str]) -> str:
    """Tags as a rep reads them, in the run's language, joined by its list separator."""
    return i18n.join([i18n.tag_name(t) for t in tags])
