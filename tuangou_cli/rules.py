"""The rules these buyers live under, applied. Pure: the rules are the playbook's ``rules`` data.

Who the buyer is (government or Party office, public institution, SOE, private company, a
union) is read from the record: the industry (an answer value such as ``government`` or the
stored text 政府机关) and words in the name (税务局, 工会). A rule names whom it concerns and
what (buyer kinds, segment, industry, category, tags, occasion, amount per head or in total),
and is ``block`` (never offered or booked) or ``warn`` (offered, with its reason shown).

Example::

    buyer = buyer_of(pb, name="市税务局", industry="政府机关")
    offer_hits(pb, buyer, offering, occasion="mid_autumn", per_head=Decimal(150), total=None)
    # → [RuleHit(code="gov_no_cards", action="block", reason=…)] for a shopping card
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from .playbook import LocalText, Playbook, RuleCheck


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class Buyer:
    kinds: frozenset[str] = frozenset()  # government, party, public_institution, soe, private, union
    industry: str | None = None
    segment: str | None = None
    name: str | None = None
    recipients: str | None = None  # who receives the goods, in the call's words (科室, 医院 …)

    def is_public(self) -> bool:
        return bool(self.kinds & {"government", "party", "public_institution"})


@dataclass(frozen=True)
class RuleHit:
    """A rule that applied: to an offering (its code), to a reward, or to the ask."""

    code: str
    action: str  # block | warn
    reason: LocalText
    instead: LocalText | None = None
    subject: str | None = None  # the offering's code, "reward", or None for the whole ask

    def text(self, lang: str | None = None) -> str:
        from . import i18n

        key = "rule.block" if self.action == "block" else "rule.warn"
        out = i18n.t(key, reason=self.reason.get(lang))
        if self.instead is not None:
            out += i18n.t("rule.instead", instead=self.instead.get(lang))
        return out

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "action": self.action, "reason": self.reason.get(),
                "instead": self.instead.get() if self.instead else None, "applies_to": self.subject}


def buyer_of(pb: Playbook, *, name: str | None = None, industry: str | None = None, segment: str | None = None,
             answers: dict | None = None, notes: str | None = None) -> Buyer:
    """The kinds of buyer the record (and the rep's notes) say this is (none known: no rule by
    buyer kind applies)."""
    kinds = set()
    ind = _fold(industry) if isinstance(industry, str) and industry.strip() else None
    nm = _fold(name) if isinstance(name, str) else ""
    said = _fold(notes) if isinstance(notes, str) else ""
    for o in pb.rules.ownership:
        if ind is not None and any(_fold(x) == ind for x in o.industries):
            kinds.add(o.code)
        elif nm and any(_fold(w) in nm for w in o.name_has):
            kinds.add(o.code)
        elif said and any(_fold(w) in said for w in o.notes_has):
            kinds.add(o.code)
    answered = (answers or {}).get("industry")
    if isinstance(answered, str):
        for o in pb.rules.ownership:
            if any(_fold(x) == _fold(answered) for x in o.industries):
                kinds.add(o.code)
    if (answers or {}).get("decision") == "union":
        kinds.add("union")
    if "party" in kinds:
        kinds.add("government")  # what binds a government office binds a Party office
    return Buyer(frozenset(kinds), industry if isinstance(industry, str) else answered, segment, name)


def _buyer_matches(rule: RuleCheck, buyer: Buyer) -> bool:
    if rule.buyers and not (set(rule.buyers) & buyer.kinds):
        return False
    if rule.segments and buyer.segment not in rule.segments:
        return False
    if rule.industries:
        ind = _fold(buyer.industry) if buyer.industry else None
        if ind is None or not any(_fold(x) == ind for x in rule.industries):
            return False
    if rule.recipients:
        said = _fold(buyer.recipients) if buyer.recipients else ""
        if not any(_fold(w) in said for w in rule.recipients):
            return False
    return True


def _in_category(path: str, asked: str) -> bool:
    return path == asked or path.startswith(asked.rstrip("/") + "/")


def offer_rules(pb: Playbook, buyer: Buyer) -> list[RuleCheck]:
    """The offer rules that concern this buyer (by kind, segment, industry, recipients)."""
    return [r for r in pb.rules.checks if r.applies_to == "offer" and _buyer_matches(r, buyer)]


def offer_hits(pb: Playbook, buyer: Buyer, offering, *, occasion: str | None, per_head: Decimal | None,
               total: Decimal | None, checks: list[RuleCheck] | None = None) -> list[RuleHit]:
    """The offer rules that apply to this offering for this buyer, in playbook order
    (``checks``: offer_rules() worked out once for many offerings)."""
    hits = []
    tags = set(offering.tags)
    categories: list[str] = []
    for line in getattr(offering, "lines", ()):
        tags.update(line.product.tags)
        categories.append(line.product.category.zh)
    for rule in (checks if checks is not None else offer_rules(pb, buyer)):
        if rule.tags and not (set(rule.tags) & tags):
            continue
        if rule.categories and not any(_in_category(c, r) for c in categories for r in rule.categories):
            continue
        if rule.occasions and occasion not in rule.occasions:
            continue
        if rule.outside_occasions and occasion in rule.outside_occasions:
            continue
        if rule.per_head_over is not None and (per_head is None or per_head <= rule.per_head_over):
            continue
        if rule.total_over is not None and (total is None or total <= rule.total_over):
            continue
        hits.append(RuleHit(rule.code, rule.action, rule.reason, rule.instead, offering.code))
    return hits


def reward_hits(pb: Playbook, buyer: Buyer, kind: str) -> list[RuleHit]:
    """The reward rules that apply when this buyer would earn a reward of this kind."""
    return [RuleHit(r.code, r.action, r.reason, r.instead, "reward") for r in pb.rules.checks
            if r.applies_to == "reward" and _buyer_matches(r, buyer) and (not r.reward_kinds or kind in r.reward_kinds)]


def blocked(hits: Iterable[RuleHit]) -> bool:
    return any(h.action == "block" for h in hits)


def reward_instead(pb: Playbook, buyer: Buyer, incentive) -> tuple[Any, list[RuleHit]]:
    """The incentive to book for a referrer: the promised one, unless a rule blocks its kind for
    this buyer, then the first incentive of a kind no rule blocks (a discount on the next order
    before anything else). Returns (incentive or None, the rules that applied)."""
    hits = reward_hits(pb, buyer, incentive.kind)
    if not blocked(hits):
        return incentive, hits
    options = sorted(pb.referrals.incentives, key=lambda i: (i.kind != "discount", pb.referrals.incentives.index(i)))
    for alt in options:
        if not blocked(reward_hits(pb, buyer, alt.kind)):
            return alt, hits
    return None, hits
