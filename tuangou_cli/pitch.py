"""Assemble a pitch from the playbook, the client's known fields and an offer. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import i18n
from .playbook import LocalText, Playbook, Segment, fill_template
from .recommend import Offer, money


@dataclass
class PitchText:
    segment: str
    segment_name: str
    opening: str
    stated_needs: list[str]
    guided_needs: list[str]
    objections: list[tuple[str, str]]
    close: str

    def as_json(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "segment_name": self.segment_name,
            "opening": self.opening,
            "stated_needs": self.stated_needs,
            "guided_needs": self.guided_needs,
            "objections": [{"objection": o, "answer": a} for o, a in self.objections],
            "close": self.close,
        }


def placeholder_values(fields: dict[str, Any], offer: Offer | None, currency: str) -> dict[str, str]:
    """Every placeholder gets a plain string; unknown facts get a neutral phrase."""

    def text(key: str, fallback: str) -> str:
        v = fields.get(key)
        return str(v) if v not in (None, "") else i18n.t(fallback)

    headcount = fields.get("headcount")
    values = {
        "client": text("name", "fallback.client"),
        "headcount": str(int(headcount)) if headcount else i18n.t("fallback.headcount"),
        "occasion": text("occasion", "fallback.occasion"),
        "city": text("city", "fallback.city"),
        "industry": text("industry", "fallback.industry"),
        "budget_per_head": money(fields.get("budget_per_head"), currency)
        if fields.get("budget_per_head") is not None else i18n.t("fallback.money"),
        "budget_total": money(fields.get("budget_total"), currency)
        if fields.get("budget_total") is not None else i18n.t("fallback.money"),
        "bundle": offer.bundle.name.get() if offer else i18n.t("fallback.bundle"),
        "per_head": money(offer.per_head, currency) if offer else i18n.t("fallback.money"),
        "total": money(offer.total, currency) if offer and offer.total is not None else i18n.t("fallback.money"),
        "rival": text("rival", "fallback.rival"),
        "contact": text("contact", "fallback.contact"),
    }
    return values


def build_pitch(
    pb: Playbook, segment: Segment, fields: dict[str, Any], offer: Offer | None, lang: str | None = None
) -> PitchText:
    values = placeholder_values(fields, offer, pb.currency)

    def fill(t: LocalText) -> str:
        return fill_template(t.get(lang), values)

    p = segment.pitch
    return PitchText(
        segment=segment.code,
        segment_name=segment.name.get(lang),
        opening=fill(p.opening),
        stated_needs=[fill(t) for t in p.stated_needs],
        guided_needs=[fill(t) for t in p.guided_needs],
        objections=[(fill(o.objection), fill(o.answer)) for o in p.objections],
        close=fill(p.close),
    )
