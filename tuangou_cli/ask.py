"""The ask (需求): what the buyer on the call wants, in one structured shape.

Reading the call (notes, answers, options) fills it; the offer prices it. Pure data, no I/O.

An office buyer asks for *units of an item to a spec* (20 台 printers), a welfare buyer for *a
present per head* (300 人 at ¥150 each), a gift buyer for *pieces* (2,000 份 under ¥10). The
budget keeps the basis it was stated on and whether it is a cap (以内, 不超过: never exceeded) or a
target (左右, 大概: may be approached), so the offer compares like with like.

Example::

    Ask(category="办公设备/打印机", quantity=20, unit="台",
        budget=Budget(amount=Decimal("80000"), basis="total", kind="cap"))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Basis = Literal["per_unit", "per_head", "per_piece", "total"]
Kind = Literal["cap", "target"]

BASES: tuple[str, ...] = ("per_unit", "per_head", "per_piece", "total")
KINDS: tuple[str, ...] = ("cap", "target")


@dataclass(frozen=True)
class Budget:
    amount: Decimal
    basis: Basis = "total"
    kind: Kind = "cap"
    quote: str | None = None  # the words it was read from, for the reason line

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise ValueError(f"budget basis {self.basis!r} is not one of {', '.join(BASES)}")
        if self.kind not in KINDS:
            raise ValueError(f"budget kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.amount < 0:
            raise ValueError("a budget is not negative")

    def as_json(self) -> dict[str, Any]:
        return {"amount": float(self.amount), "basis": self.basis, "kind": self.kind}


@dataclass(frozen=True)
class Unread:
    """A figure seen in the notes that looks like a count or a budget but could not be read."""

    text: str  # as written: 三百来个
    looks_like: str  # "quantity" or "budget"

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "looks_like": self.looks_like}


@dataclass(frozen=True)
class Ask:
    item: str | None = None  # the words naming what is wanted: 打印机, 粽子, suits
    category: str | None = None  # a catalogue category path when known: 办公设备/打印机
    quantity: int | None = None  # units, heads or pieces, by ``unit``
    unit: str | None = None  # 台、套、人、份 … as stated or implied
    budget: Budget | None = None
    occasion: str | None = None  # an occasion code of the playbook (mid_autumn …)
    date: str | None = None  # ISO date of delivery or the event, when said
    recipients: str | None = None  # own_staff, partners, customers, residents … or the words
    given_before: tuple[str, ...] = ()  # items handed out before (冰箱, 西服, 水果): not offered again
    unread: tuple[Unread, ...] = field(default_factory=tuple)
    quotes: dict[str, str] = field(default_factory=dict)  # field → the words it was read from

    def as_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "category": self.category,
            "quantity": self.quantity,
            "unit": self.unit,
            "budget": self.budget.as_json() if self.budget else None,
            "occasion": self.occasion,
            "date": self.date,
            "recipients": self.recipients,
            "given_before": list(self.given_before),
            "unread": [u.as_json() for u in self.unread],
        }
