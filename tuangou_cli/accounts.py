"""Account development for the pitch: who decides, why us over each rival, which needs a bundle
meets, reciprocal leverage and the proof case. Pure: plain data in, plain data out, no I/O.

Every line says where it comes from (which role, which positioning rule and the phrase that
triggered it, which tag or text matched a need), so a rep can trust or challenge it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Sequence

from . import i18n
from .classify import keyword_in
from .names import name_key
from .playbook import ROLE_CODES, Bundle, Playbook, fill_template
from .pitch import bundle_text
from .recommend import Offer, money

STRENGTH_MIN, STRENGTH_MAX = 1, 5


def fold(text: str | None) -> str:
    """The same folding as client names: width, case and runs of spaces."""
    return name_key(text or "")


def phrase_in(phrase: str, folded_text: str) -> bool:
    """Latin phrases match whole words (plurals too); Chinese ones anywhere — as playbook keywords do."""
    p = fold(phrase)
    return bool(p) and keyword_in(p, folded_text)


# --- checking input ------------------------------------------------------------------------


def check_strength(value: int | None) -> int | None:
    from .errors import UsageError

    if value is not None and not STRENGTH_MIN <= value <= STRENGTH_MAX:
        raise UsageError(i18n.t("acct.bad_strength", value=value, low=STRENGTH_MIN, high=STRENGTH_MAX))
    return value


def parse_date(text: str | None) -> date | None:
    from .errors import UsageError

    if text is None:
        return None
    from .clock import today
    from .dates import BadDate, parse

    try:
        return parse(text, today())  # every form a date option takes (2026-02-03, 今天, 周五, 月底 …)
    except BadDate:
        raise UsageError(i18n.t("acct.bad_date", value=text)) from None


def parse_role(text: str, pb: Playbook | None = None) -> str:
    """A role code, or a role's name in either language as the playbook spells it."""
    from .errors import UsageError

    key = fold(text).replace("_", "-").replace(" ", "-")
    if key in ROLE_CODES:
        return key
    if key in ("decisionmaker", "decider"):
        return "decision-maker"
    for role in (pb.roles if pb else []):
        if fold(text) in (fold(role.name.zh), fold(role.name.en)):
            return role.code
    for code in ROLE_CODES:
        if fold(text) in map(fold, i18n.CATALOGUE[f"acct.role.{code}"]):
            return code
    raise UsageError(i18n.t("acct.bad_role", value=text, roles=", ".join(ROLE_CODES)))


# --- the decision-maker ----------------------------------------------------------------------


@dataclass
class DecisionMaker:
    id: int
    name: str
    title: str | None
    strength: int | None
    role_name: str
    approach: str | None
    others: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "title": self.title, "strength": self.strength,
                "role_name": self.role_name, "approach": self.approach, "others": self.others}


def decision_maker(pb: Playbook, contacts: Sequence[dict[str, Any]], lang: str | None = None) -> DecisionMaker | None:
    """The strongest relationship among the contacts whose role is decision-maker."""
    dms = [c for c in contacts if c.get("role") == "decision-maker"]
    if not dms:
        return None
    dms.sort(key=lambda c: (-(c.get("strength") or 0), c["id"]))
    top = dms[0]
    role = pb.role("decision-maker")
    return DecisionMaker(
        id=top["id"], name=top["name"], title=top.get("title"), strength=top.get("strength"),
        role_name=role.name.get(lang) if role else "decision-maker",
        approach=role.approach.get(lang) if role else None,
        others=[c["name"] for c in dms[1:]],
    )


# --- why us over the rival -------------------------------------------------------------------


@dataclass
class RivalAngle:
    name: str
    lines: list[str]
    why: list[str]
    facts: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"rival": self.name, "say": self.lines, "why": self.why, "facts": self.facts}


def rival_angle(pb: Playbook, segment: str, rival: dict[str, Any], offer: Offer | None,
                lang: str | None = None) -> RivalAngle:
    """Rules whose weak_at phrase appears in the rival's recorded weakness or offer, in playbook
    order; when none does, the first rule for this segment (or for any) that needs no phrase."""
    name = rival["name"]
    haystack = fold(" ".join(x for x in (rival.get("weakness"), rival.get("offer")) if x))
    lines: list[str] = []
    why: list[str] = []
    for rule in pb.positioning:
        if rule.segments and segment not in rule.segments:
            continue
        hit = next((p for p in rule.weak_at if phrase_in(p, haystack)), None)
        if hit:
            lines.append(fill_template(rule.say.get(lang), _values(name)))
            why.append(i18n.t("acct.pitch.rule_phrase", phrase=hit))
    if not lines:
        fallback = next((r for r in pb.positioning if not r.weak_at and (not r.segments or segment in r.segments)),
                        None)
        if fallback is not None:
            lines.append(fill_template(fallback.say.get(lang), _values(name)))
            why.append(i18n.t("acct.pitch.rule_segment") if fallback.segments else i18n.t("acct.pitch.rule_any"))
    return RivalAngle(name, lines, why, rival_facts(pb, rival, offer))


def _values(rival: str) -> dict[str, str]:
    # Positioning lines may use any pitch placeholder; only {rival} is known here, the rest
    # get the same neutral phrases the pitch uses.
    from .pitch import placeholder_values

    values = placeholder_values({}, None, "")
    values["rival"] = rival
    return values


def rival_facts(pb: Playbook, rival: dict[str, Any], offer: Offer | None) -> list[str]:
    cur = pb.currency
    facts = []
    if rival.get("price") is not None:
        facts.append(i18n.t("acct.pitch.their_offer", offer=rival.get("offer") or "?",
                            price=money(rival.get("price"), cur)))
    elif rival.get("offer"):
        facts.append(i18n.t("acct.pitch.their_offer_only", offer=rival["offer"]))
    if rival.get("strength"):
        facts.append(i18n.t("acct.pitch.their_strength", text=rival["strength"]))
    if rival.get("weakness"):
        facts.append(i18n.t("acct.pitch.their_weakness", text=rival["weakness"]))
    if offer is not None and rival.get("price") is not None:
        theirs = Decimal(str(rival["price"]))
        ours = offer.per_head
        diff = ours - theirs
        if diff > 0:
            facts.append(i18n.t("acct.pitch.we_dearer", ours=money(ours, cur), diff=money(diff, cur),
                                services=len(offer.bundle.services)))
        elif diff < 0:
            facts.append(i18n.t("acct.pitch.we_cheaper", ours=money(ours, cur), diff=money(-diff, cur)))
        else:
            facts.append(i18n.t("acct.pitch.we_same", ours=money(ours, cur)))
    return facts


# --- needs met by the bundle -----------------------------------------------------------------


@dataclass
class NeedFit:
    met: list[tuple[str, str]]
    """(stated need, why it is met)"""
    open: list[str]
    """stated needs this bundle does not meet: answer them in person"""
    adds: list[str]
    """guided needs (added value) the bundle brings: its services"""
    guided_open: list[str]
    """guided needs recorded for the client that the bundle's services do not cover"""

    def as_json(self) -> dict[str, Any]:
        return {"stated_met": [{"need": n, "why": w} for n, w in self.met], "stated_open": self.open,
                "guided_added": self.adds, "guided_open": self.guided_open}


def need_tags(pb: Playbook, text: str) -> list[str]:
    """Tags of the questionnaire choice this need was recorded from (label in either language)."""
    key = fold(text)
    for q in pb.questions:
        for c in q.choices:
            if key in (fold(c.label.zh), fold(c.label.en), fold(c.value)):
                return list(c.tags)
    # A need typed in words of its own ("往年没发过的新东西", "novelty"): a part of a choice's label
    # or a tag's name, in either language, inside it.
    import re

    for q in pb.questions:
        if q.type != "multiselect":
            continue
        for c in q.choices:
            parts = [p for label in (c.label.zh, c.label.en) for p in re.split(r"[、,，/（）()]| and ", label)]
            names = [n for t in c.tags for n in i18n.CATALOGUE.get(f"tag.{t}", ())]
            if any(len(fold(p)) >= 2 and phrase_in(p, key) for p in parts + names if p.strip()):
                return list(c.tags)
    return []


def need_fit(pb: Playbook, bundle: Bundle, needs: Sequence[dict[str, Any]], lang: str | None = None) -> NeedFit:
    text = bundle_text(bundle)
    met, open_, guided_open = [], [], []
    for need in needs:
        if need["kind"] != "stated":
            continue
        tags = [t for t in need_tags(pb, need["text"]) if t in bundle.tags]
        if tags:
            met.append((need["text"], i18n.t("acct.pitch.need_by_tag", tags=i18n.join(map(i18n.tag_name, tags)))))
        elif phrase_in(need["text"], text) or any(phrase_in(t, fold(need["text"])) for t in bundle.tags):
            met.append((need["text"], i18n.t("acct.pitch.need_by_text")))
        else:
            open_.append(need["text"])
    services = [s.get(lang) for s in bundle.services]
    services_text = fold(" ".join(t for s in bundle.services for t in (s.zh, s.en)))
    for need in needs:
        if need["kind"] == "guided" and not phrase_in(need["text"], services_text):
            guided_open.append(need["text"])
    return NeedFit(met, open_, services, guided_open)


# --- reciprocal leverage -----------------------------------------------------------------------


@dataclass
class Balance:
    revenue: float
    """their won deals with us"""
    bought: float
    """what we bought from them"""
    items: list[str] = field(default_factory=list)

    @property
    def net(self) -> float:
        return self.revenue - self.bought

    def as_json(self) -> dict[str, Any]:
        return {"their_purchases": self.revenue, "our_purchases": self.bought, "net": self.net,
                "we_buy": self.items}


def leverage(pb: Playbook, b: Balance) -> str | None:
    """One line the rep can use; nothing when there is no reciprocal business yet."""
    if not b.bought:
        return None
    cur = pb.currency
    what = i18n.join(b.items[:3]) if b.items else "?"
    key = "acct.pitch.leverage_owed" if b.bought > b.revenue else "acct.pitch.leverage_even"
    return i18n.t(key, bought=money(b.bought, cur), what=what, revenue=money(b.revenue, cur),
                  net=money(abs(b.net), cur))


# --- the proof case ------------------------------------------------------------------------------


def case_line(case: dict[str, Any] | None, segment: str, industry: str | None) -> tuple[str, str] | None:
    """(what to cite, why this case) for the chosen won case."""
    if case is None:
        return None
    parts = [case["title"]]
    if case.get("decided_by"):
        parts.append(i18n.t("acct.pitch.case_decided", text=case["decided_by"]))
    if case.get("technique"):
        parts.append(i18n.t("acct.pitch.case_technique", text=case["technique"]))
    same = []
    if case.get("segment") == segment:
        same.append(i18n.t("acct.pitch.case_same_segment"))
    if industry and fold(case.get("industry")) == fold(industry):
        same.append(i18n.t("acct.pitch.case_same_industry"))
    why = i18n.t("acct.pitch.case_why", id=case["id"], match="、".join(same) if i18n.get_lang() == "zh"
                 else ", ".join(same), date=case["created_at"][:10])
    return "；".join(parts) if i18n.get_lang() == "zh" else "; ".join(parts), why


# --- all of it -------------------------------------------------------------------------------------


@dataclass
class AccountPitch:
    decision_maker: DecisionMaker | None
    rivals: list[RivalAngle]
    needs: NeedFit | None
    recorded_needs: bool
    leverage: str | None
    balance: Balance
    case: tuple[str, str] | None
    introduced_by: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "introduced_by": self.introduced_by,
            "decision_maker": self.decision_maker.as_json() if self.decision_maker else None,
            "competitors": [r.as_json() for r in self.rivals],
            "needs": self.needs.as_json() if self.needs else None,
            "reciprocal": dict(self.balance.as_json(), leverage=self.leverage),
            "case": {"cite": self.case[0], "why": self.case[1]} if self.case else None,
        }


def build_account_pitch(pb: Playbook, segment: str, facts: dict[str, Any], offer: Offer | None,
                        industry: str | None = None, lang: str | None = None) -> AccountPitch:
    """facts: contacts, competitors, needs, balance (Balance) and case (dict or None), as loaded."""
    needs = facts.get("needs", [])
    return AccountPitch(
        decision_maker=decision_maker(pb, facts.get("contacts", []), lang),
        rivals=[rival_angle(pb, segment, r, offer, lang) for r in facts.get("competitors", [])],
        needs=need_fit(pb, offer.bundle, needs, lang) if offer is not None else None,
        recorded_needs=bool(needs),
        leverage=leverage(pb, facts["balance"]),
        balance=facts["balance"],
        case=case_line(facts.get("case"), segment, industry),
        introduced_by=facts.get("introduced_by"),
    )


def account_sections(a: AccountPitch) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """(heading, [(line, style)]) in reading order, for the terminal and for Markdown alike."""
    out: list[tuple[str, list[tuple[str, str | None]]]] = []
    if a.introduced_by:  # a referral is the strongest opener there is: it comes first
        ib = a.introduced_by
        via = ""
        if ib["contact"]:
            role = i18n.t(f"acct.role.{ib['role']}") if f"acct.role.{ib['role']}" in i18n.CATALOGUE else ib["role"]
            extra = i18n.join(str(x) for x in (ib["title"] or role, ib["strength"] and f"{ib['strength']}/5") if x)
            via = i18n.t("acct.pitch.via", contact=ib["contact"], extra=f" ({extra})" if extra else "")
        out.append((i18n.t("acct.pitch.introduced"), [
            (i18n.t("acct.pitch.introduced_line", referrer=ib["referrer"], via=via, date=ib["date"]), None)]))
    dm = a.decision_maker
    if dm:
        title = f"（{dm.title}）" if dm.title and i18n.get_lang() == "zh" else (f" ({dm.title})" if dm.title else "")
        items: list[tuple[str, str | None]] = [(i18n.t("acct.pitch.dm_line", name=dm.name, title=title,
                                                       strength=dm.strength if dm.strength is not None else "?"), None)]
        if dm.approach:
            items.append((i18n.t("acct.pitch.approach", text=dm.approach), None))
        if dm.others:
            items.append((i18n.t("acct.pitch.dm_others", names=", ".join(dm.others)), "dim"))
    else:
        items = [(i18n.t("acct.pitch.dm_none"), "yellow")]
    out.append((i18n.t("acct.pitch.dm"), items))
    for r in a.rivals:
        items = []
        for line, why in zip(r.lines, r.why):
            items += [(line, None), (f"  ↳ {why}", "dim")]
        items += [(f, "dim") for f in r.facts]
        out.append((i18n.t("acct.pitch.why_us", rival=r.name), items))
    if a.needs is not None:
        items = [(i18n.t("acct.pitch.need_met", need=n, why=w), None) for n, w in a.needs.met]
        items += [(i18n.t("acct.pitch.need_open", need=n), "yellow") for n in a.needs.open]
        items += [(i18n.t("acct.pitch.need_adds", text=t), None) for t in a.needs.adds]
        items += [(i18n.t("acct.pitch.guided_open", text=t), "dim") for t in a.needs.guided_open]
        if not a.recorded_needs:
            items.append((i18n.t("acct.pitch.no_needs"), "dim"))
        out.append((i18n.t("acct.pitch.needs"), items))
    if a.leverage:
        out.append((i18n.t("acct.pitch.leverage"), [(a.leverage, None)]))
    if a.case:
        out.append((i18n.t("acct.pitch.case"), [(a.case[0], None), (a.case[1], "dim")]))
    return out
