"""Assemble a pitch from the playbook, the client's known fields and an offer. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

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
    say_first: list[str] = field(default_factory=list)  # the three lines to say next, on the call screen

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


def _occasion(text: Any, pb: Playbook | None) -> str | None:
    """A stored occasion the playbook knows (中秋, mid_autumn), named in the run's language."""
    if pb is None or not isinstance(text, str):
        return None
    from .recommend import occasion_code, occasion_label

    code = occasion_code(pb, text)
    label = occasion_label(pb, code) if code else None
    return label.get() if label is not None else None


def placeholder_values(fields: dict[str, Any], offer: Offer | None, currency: str,
                       playbook: Playbook | None = None) -> dict[str, str]:
    """Every placeholder gets a plain string; unknown facts get a neutral phrase."""

    def text(key: str, fallback: str) -> str:
        v = fields.get(key)
        return str(v) if v not in (None, "") else i18n.t(fallback)

    headcount = fields.get("headcount")
    values = {
        "client": text("name", "fallback.client"),
        "headcount": str(int(headcount)) if headcount else i18n.t("fallback.headcount"),
        "occasion": _occasion(fields.get("occasion"), playbook) or text("occasion", "fallback.occasion"),
        "city": text("city", "fallback.city"),
        "industry": text("industry", "fallback.industry"),
        "budget_per_head": money(fields.get("budget_per_head"), currency)
        if fields.get("budget_per_head") is not None else i18n.t("fallback.money"),
        "budget_total": money(fields.get("budget_total"), currency)
        if fields.get("budget_total") is not None else i18n.t("fallback.money"),
        "bundle": _offer_name(offer) if offer else i18n.t("fallback.bundle"),
        "per_head": money(offer.per_head, currency) if offer else i18n.t("fallback.money"),
        # The price as the buyer pays it: ¥2,572.80/台 for an office, ¥148/盒 for a gift buyer.
        "price": (money(offer.per_head, currency) + (f"/{offer.unit}" if getattr(offer, "unit", None) else
                                                      i18n.t("per_head_unit"))) if offer else i18n.t("fallback.money"),
        "total": money(offer.total, currency) if offer and offer.total is not None else i18n.t("fallback.money"),
        "rival": text("rival", "fallback.rival"),
        "contact": text("contact", "fallback.contact"),
    }
    return values


@dataclass(frozen=True)
class OfferFit:
    """What the recommended offer does for this client: the priorities it meets (their tags),
    those it does not, and what was given before (never offered again as new)."""

    met: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    given_before: tuple[str, ...] = ()
    repeats: tuple[str, ...] = ()  # items given before that this offer contains
    said: bool = False  # `met` are priorities the client stated (not only what the answers imply)


def bundle_text(bundle: Any) -> str:
    """Everything a bundle says of itself, in both languages, folded as client names are."""
    from .names import name_key

    parts = [bundle.name.zh, bundle.name.en, bundle.description.zh, bundle.description.en]
    parts += [t for i in bundle.items for t in (i.name.zh, i.name.en)]
    parts += [t for s in bundle.services for t in (s.zh, s.en)]
    parts += bundle.tags
    return name_key(" ".join(parts))


def offer_fit(offer: Offer | Any | None, wanted_tags: Sequence[str], given_before: Sequence[str],
              stated_tags: Sequence[str] = ()) -> OfferFit:
    """What the offer meets of the tags asked for (a novelty tag only when it holds nothing handed
    out before), and which of the client's stated priorities (`stated_tags`) it misses."""
    if offer is None:
        return OfferFit(given_before=tuple(given_before))
    from .names import name_key

    text = bundle_text(offer.bundle)
    repeats = tuple(g for g in given_before if name_key(g) and name_key(g) in text)
    tags = list(getattr(offer.bundle, "tags", []))
    # What the client said matters is what the pitch claims; without it, what the answers ask for.
    claimed = list(stated_tags) or list(wanted_tags)
    met = [t for t in claimed if t in tags and not (t == "novel" and repeats)]
    missed = [t for t in stated_tags if t not in met]
    return OfferFit(tuple(dict.fromkeys(met)), tuple(dict.fromkeys(missed)), tuple(given_before), repeats,
                    said=bool(stated_tags))


def _offer_name(offer: Any) -> str:
    name = getattr(offer, "name", None)
    return name if isinstance(name, str) else offer.bundle.name.get()


def build_pitch(
    pb: Playbook, segment: Segment, fields: dict[str, Any], offer: Offer | Any | None, lang: str | None = None,
    fit: OfferFit | None = None,
) -> PitchText:
    """The segment's script filled for this client, made to agree with the offer: the opening
    names what was given before and the offer with what it meets, the stated needs say which of
    the client's priorities it meets, the guided needs start with its own services; nothing is
    claimed that the offer does not do."""
    values = placeholder_values(fields, offer, pb.currency, pb)
    fit = fit or OfferFit()

    def fill(t: LocalText) -> str:
        return fill_template(t.get(lang), values)

    p = segment.pitch
    opening = [fill(p.opening)]
    first: list[str] = []
    if fit.given_before:
        opening.append(i18n.t("pitch.given_before", items=i18n.join(fit.given_before)))
    stated = [fill(t) for t in p.stated_needs]
    playbook_stated = list(stated)
    guided = [fill(t) for t in p.guided_needs]
    if offer is not None:
        name = values["bundle"]
        if fit.met:
            key = "pitch.offer_meets" if fit.said else "pitch.offer_gives"
            opening.append(i18n.t(key, bundle=name, needs=i18n.join(i18n.tag_name(t) for t in fit.met)))
        else:
            opening.append(i18n.t("pitch.offer_plain", bundle=name))
        first.append(opening[-1])
        stated = [i18n.t("pitch.stated_met", bundle=name, need=i18n.tag_name(t)) for t in fit.met] + stated
        if fit.repeats:
            stated.append(i18n.t("pitch.stated_repeats", bundle=name, items=i18n.join(fit.repeats)))
        stated += [i18n.t("pitch.stated_missed", bundle=name, need=i18n.tag_name(t)) for t in fit.missed]
        services = [s.get(lang) for s in getattr(offer.bundle, "services", [])]
        guided = [i18n.t("pitch.guided_service", bundle=name, service=x) for x in services] + guided
        first += opening[1:2] if fit.given_before else playbook_stated[:1]
        first += guided[:1]
    # Without an offer the close (which names one) is not for now: the opening, a need, a guided need.
    first = (first + [fill(p.close)])[:3] if offer is not None else [fill(p.opening), *stated[:1], *guided[:1]]
    space = "" if i18n.get_lang() == "zh" else " "
    return PitchText(
        segment=segment.code,
        segment_name=segment.name.get(lang),
        opening=space.join(opening),
        stated_needs=stated,
        guided_needs=guided,
        objections=[(fill(o.objection), fill(o.answer)) for o in p.objections],
        close=fill(p.close),
        say_first=first,
    )
