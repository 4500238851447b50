"""Referrals as a programme: the rules, the lifecycle, the rewards ledger, the chains.

Every function takes an open session; the caller owns the transaction, so a
refused rule writes nothing. Chains are walked with recursive SQL on the
indexed referrer/referred columns — no ORM object per row.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, literal, select
from sqlmodel import Session

from .. import i18n
from ..errors import TgError
from ..models import Client, Referral, Reward, utcnow
from ..playbook import Incentive, Playbook

STATUSES = ("introduced", "contacted", "meeting", "won", "lost")
_RANK = {s: i for i, s in enumerate(STATUSES[:4])}
CENT = Decimal("0.01")


# --- rules checked when an introduction is recorded ------------------------------------------


def group_root(session: Session, client_id: int) -> int:
    """The top of a client's parent chain (itself when it has no parent)."""
    seen = set()
    current = client_id
    while current not in seen:
        seen.add(current)
        parent = session.exec(select(Client.parent_id).where(Client.id == current)).scalar_one_or_none()
        if parent is None:
            return current
        current = parent
    return current  # a parent loop: treat the first repeat as the root


def reaches(session: Session, start: int, target: int, max_depth: int = 50) -> bool:
    """Is `target` below `start` in the credited referral tree?"""
    below = _descendants_cte(start, max_depth)
    hit = session.exec(select(below.c.id).where(below.c.id == target).limit(1)).first()
    return hit is not None


def check_rules(session: Session, referrer: Client, referred: Client, *, credited: bool = True) -> None:
    """Refuse, with a one-line reason naming the rule, what the programme does not allow.

    Credited introductions are recorded one at a time (db.serialise on the referral tree): two
    referrers crediting one client at once, or A → B and B → A at once, end as they would one
    after the other — the second is refused with the reason a second call gets."""
    from ..db import serialise

    if credited:
        serialise(session, "referral-tree", 0)
    if referrer.id == referred.id:
        raise TgError(i18n.t("refer.self", name=referrer.name))
    if group_root(session, referrer.id) == group_root(session, referred.id):
        raise TgError(i18n.t("refer.same_group", referrer=referrer.name, referred=referred.name))
    if not credited:
        return
    existing = session.exec(
        select(Referral).where(Referral.referred_id == referred.id, Referral.credited)
    ).scalars().first()
    if existing is not None:
        first = session.get(Client, existing.referrer_id)
        raise TgError(i18n.t("refer.already", referred=referred.name, referrer=first.name if first else "?",
                             date=existing.created_at.date().isoformat()))
    if reaches(session, referred.id, referrer.id):
        raise TgError(i18n.t("refer.cycle", referrer=referrer.name, referred=referred.name))


def record(
    session: Session,
    *,
    referrer: Client,
    referred: Client,
    user: str,
    playbook: Playbook | None = None,
    contact_id: int | None = None,
    incentive: str | None = None,
    incentive_code: str | None = None,
    note: str | None = None,
    credited: bool = True,
) -> Referral:
    from ..models import ReferralEvent

    check_rules(session, referrer, referred, credited=credited)
    rule = playbook.referrals.incentive(incentive_code) if playbook else None
    if incentive_code and playbook and rule is None:
        codes = ", ".join(i.code for i in playbook.referrals.incentives)
        raise TgError(i18n.t("refer.unknown_incentive", code=incentive_code, codes=codes))
    now = utcnow()
    referral = Referral(referrer_id=referrer.id, referred_id=referred.id, contact_id=contact_id,
                        incentive=incentive, incentive_code=rule.code if rule else None, note=note,
                        credited=credited, status="introduced", status_at=now, created_at=now, created_by=user)
    session.add(referral)
    session.flush()
    session.add(ReferralEvent(referral_id=referral.id, status="introduced", note=note, at=now, by=user))
    if credited and rule is not None:
        session.add(Reward(referral_id=referral.id, referrer_id=referrer.id, referrer_name=referrer.name,
                           kind=rule.kind, description=_describe(rule), amount=float(rule.amount or 0),
                           status="pending", created_at=now, created_by=user))
    session.flush()
    return referral


def record_referral(
    session: Session,
    *,
    referrer: Client,
    referred: Client,
    user: str,
    contact_name: str | None = None,
    incentive: str | None = None,
    note: str | None = None,
    playbook: Playbook | None = None,
    incentive_code: str | None = None,
    credited: bool = True,
) -> Referral:
    """Record an introduction under the programme's rules, adding the referrer's contact who made
    it when that person is new."""
    from .accounts import add_contact
    from .clients import find_contact

    from ..db import serialise

    check_rules(session, referrer, referred, credited=credited)
    serialise(session, "client", referrer.id)  # the contact named: found or added once
    contact = None
    if contact_name and contact_name.strip():
        contact = find_contact(session, referrer, contact_name) or add_contact(
            session, client=referrer, name=contact_name, role=None, user=user)
    return record(session, referrer=referrer, referred=referred, user=user, playbook=playbook,
                  contact_id=contact.id if contact else None, incentive=incentive,
                  incentive_code=incentive_code, note=note, credited=credited)


def _describe(rule: Incentive) -> str:
    value = f"{rule.percent:g}%" if rule.percent is not None else f"{rule.amount}"
    return f"{rule.name.get()} ({value})"


# --- lifecycle ---------------------------------------------------------------------------------


def is_backwards(current: str, new: str) -> bool:
    """introduced → contacted → meeting → won; lost may end any open referral. Nothing leaves won/lost."""
    if current in ("won", "lost"):
        return new != current
    if new == "lost":
        return False
    return _RANK[new] < _RANK[current]


def set_status(session: Session, referral: Referral, status: str, *, user: str, playbook: Playbook | None,
               note: str | None = None, force: bool = False, at: datetime | None = None) -> None:
    from ..models import ReferralEvent

    from ..db import fresh, serialise

    if status not in STATUSES:
        raise TgError(i18n.t("refer.bad_status", status=status, statuses=", ".join(STATUSES)))
    # The same order of waiting as a deal being won (the deal, its client, the referrer): a
    # status change and a won deal converting this referral at once convert it once.
    serialise(session, "client", referral.referred_id)
    fresh(session, referral)
    if status == referral.status:
        raise TgError(i18n.t("refer.same_status", id=referral.id, status=status))
    if is_backwards(referral.status, status) and not force:
        raise TgError(i18n.t("refer.backwards", id=referral.id, current=referral.status, new=status))
    now = at or utcnow()
    referral.status, referral.status_at = status, now
    session.add(ReferralEvent(referral_id=referral.id, status=status, note=note, at=now, by=user))
    if status == "lost":
        for reward in _open_rewards(session, referral.id):
            _void(reward, user, i18n.t("reward.reason_lost"), now)
    elif status == "won" and referral.converted_at is None:
        deal = first_won_deal(session, referral.referred_id)
        if deal is not None:
            _convert(session, referral, deal, user=user, playbook=playbook, now=now)
    session.add(referral)
    session.flush()


def first_won_deal(session: Session, client_id: int) -> Any | None:
    from ..models import Deal

    return session.exec(
        select(Deal).where(Deal.client_id == client_id, Deal.status == "won").order_by(Deal.closed_at, Deal.id)
    ).scalars().first()


def on_deal_won(session: Session, deal: Any, *, user: str, playbook: Playbook | None) -> Referral | None:
    """Call when a deal is won: the referred client's first won deal converts its credited referral."""
    from ..models import ReferralEvent

    # The caller (win_deal) waits on the deal and its client first: read now, the referral is as
    # the last tg to convert it left it.
    referral = session.exec(
        select(Referral).where(Referral.referred_id == deal.client_id, Referral.credited)
        .execution_options(populate_existing=True)
    ).scalars().first()
    if referral is None or referral.converted_at is not None or referral.status == "lost":
        return None
    first = first_won_deal(session, deal.client_id)
    if first is not None and first.id != deal.id:
        return None  # not the first won order: the referral was about the first one
    now = deal.closed_at or utcnow()
    if referral.status != "won":
        referral.status, referral.status_at = "won", now
        session.add(ReferralEvent(referral_id=referral.id, status="won", note=f"deal #{deal.id}", at=now, by=user))
    _convert(session, referral, deal, user=user, playbook=playbook, now=now)
    session.add(referral)
    session.flush()
    return referral


def _convert(session: Session, referral: Referral, deal: Any, *, user: str, playbook: Playbook | None,
             now: datetime) -> None:
    from ..db import serialise

    # A referrer's yearly cap: rewards of several referrals falling due at once are booked one
    # at a time, each seeing what the others booked (db.serialise), so the cap holds.
    serialise(session, "referrer", referral.referrer_id)
    referral.converted_at = now
    referral.converted_value = float(deal.amount)
    rule = playbook.referrals.incentive(referral.incentive_code) if playbook else None
    rewards = _open_rewards(session, referral.id)
    if rule is None:
        return
    rule, ruled = _allowed_incentive(session, playbook, referral, rule)
    if rule is None:
        return
    window = playbook.referrals.conversion_window_days
    if now - referral.created_at > timedelta(days=window):
        for reward in rewards:
            _void(reward, user, i18n.t("reward.reason_window", days=window), now)
        return
    amount = reward_amount(rule, Decimal(str(deal.amount)))
    if rule.cap_per_referrer_year is not None:
        earned = year_total(session, referral.referrer_id, now.year, exclude_referral=referral.id)
        amount = max(Decimal(0), min(amount, rule.cap_per_referrer_year - earned))
    reward = rewards[0] if rewards else Reward(
        referral_id=referral.id, referrer_id=referral.referrer_id,
        referrer_name=_name(session, referral.referrer_id), kind=rule.kind, description=_describe(rule),
        amount=0.0, created_at=now, created_by=user)
    reward.amount = float(amount)
    reward.deal_id = deal.id
    reward.status, reward.due_at = "due", now
    if getattr(rule, "earn_on", "won") == "collected":  # earned as the order's money comes in (store/orders)
        reward.status, reward.due_at = "pending", None
    if ruled:  # booked as another kind than promised: the ledger says which rule and why
        reward.kind, reward.description = rule.kind, _describe(rule)
        reward.reason = " ".join(h.text() for h in ruled)
    session.add(reward)


def _allowed_incentive(session: Session, playbook: Playbook, referral: Referral, rule: Incentive):
    """The buyers' rules (rules.py) on the reward the referrer is due: a cash commission to a
    government or public body becomes a discount on its next order. (incentive or None, hits)"""
    from ..rules import buyer_of, reward_instead

    referrer = session.get(Client, referral.referrer_id)
    if referrer is None or not playbook.rules.checks:
        return rule, []
    buyer = buyer_of(playbook, name=referrer.name, industry=referrer.industry, segment=referrer.segment)
    chosen, hits = reward_instead(playbook, buyer, rule)
    return chosen, [h for h in hits if h.action == "block"] if chosen is not rule else []


def reward_amount(rule: Incentive, deal_amount: Decimal) -> Decimal:
    value = deal_amount * Decimal(str(rule.percent)) / 100 if rule.percent is not None else rule.amount
    if rule.cap_per_referral is not None:
        value = min(value, rule.cap_per_referral)
    return value.quantize(CENT, ROUND_HALF_UP)


def year_total(session: Session, referrer_id: int, year: int, *, exclude_referral: int | None = None) -> Decimal:
    """What a referrer has earned (due or granted, reversals included) in a calendar year."""
    from datetime import timezone

    start = datetime(year, 1, 1, tzinfo=timezone.utc)
    stmt = select(func.coalesce(func.sum(Reward.amount), 0)).where(
        Reward.referrer_id == referrer_id, Reward.status.in_(("due", "granted")),
        Reward.due_at >= start, Reward.due_at < start.replace(year=year + 1))
    if exclude_referral is not None:
        stmt = stmt.where(Reward.referral_id != exclude_referral)
    return Decimal(str(session.exec(stmt).scalar_one()))


def _open_rewards(session: Session, referral_id: int) -> list[Reward]:
    return list(session.exec(select(Reward).where(
        Reward.referral_id == referral_id, Reward.status.in_(("pending", "due")))
        .execution_options(populate_existing=True)).scalars())


def _void(reward: Reward, user: str, reason: str, now: datetime) -> None:
    reward.status, reward.reason, reward.voided_at, reward.voided_by = "voided", reason, now, user


def _name(session: Session, client_id: int) -> str:
    return session.exec(select(Client.name).where(Client.id == client_id)).scalar_one_or_none() or "?"


# --- the ledger ----------------------------------------------------------------------------------


def get_reward(session: Session, reward_id: int) -> Reward:
    """The entry, read after any other tg granting or voiding it has finished (db.serialise):
    granted twice at once, it is granted once and the second is told it is no longer due."""
    from ..db import serialise

    serialise(session, "reward", reward_id)
    reward = session.get(Reward, reward_id, populate_existing=True)
    if reward is None:
        raise TgError(i18n.t("reward.not_found", id=reward_id))
    return reward


def grant(session: Session, reward: Reward, *, user: str) -> Reward:
    if reward.status != "due":
        raise TgError(i18n.t("reward.not_due", id=reward.id, status=reward.status))
    reward.status, reward.granted_at, reward.granted_by = "granted", utcnow(), user
    session.add(reward)
    session.flush()
    return reward


def void(session: Session, reward: Reward, *, user: str, reason: str) -> Reward:
    """Void an open entry; a granted one is never edited — a negative entry reverses it."""
    if not reason or not reason.strip():
        raise TgError(i18n.t("reward.need_reason"))
    now = utcnow()
    if reward.status in ("pending", "due"):
        _void(reward, user, reason, now)
        session.add(reward)
        session.flush()
        return reward
    if reward.status != "granted" or reward.amount <= 0:
        raise TgError(i18n.t("reward.cannot_void", id=reward.id, status=reward.status))
    already = session.exec(select(Reward.id).where(Reward.reverses_id == reward.id)).first()
    if already is not None:
        raise TgError(i18n.t("reward.already_reversed", id=reward.id, by=already[0]))
    reversal = Reward(referral_id=reward.referral_id, referrer_id=reward.referrer_id,
                      referrer_name=reward.referrer_name, deal_id=reward.deal_id, kind=reward.kind,
                      description=reward.description, amount=-reward.amount, status="granted",
                      reverses_id=reward.id, reason=reason, created_at=now, created_by=user, due_at=now,
                      granted_at=now, granted_by=user)
    session.add(reversal)
    session.flush()
    return reversal


# --- chains --------------------------------------------------------------------------------------


def _descendants_cte(root: int, depth: int):
    r = Referral.__table__
    base = select(r.c.referred_id.label("id"), r.c.referrer_id.label("parent"), literal(1).label("depth")) \
        .where(r.c.referrer_id == root, r.c.credited).cte("below", recursive=True)
    step = select(r.c.referred_id, r.c.referrer_id, base.c.depth + 1) \
        .join(base, r.c.referrer_id == base.c.id).where(r.c.credited, base.c.depth < depth)
    return base.union(step)


def _ancestors_cte(root: int, depth: int):
    r = Referral.__table__
    base = select(r.c.referrer_id.label("id"), r.c.referred_id.label("child"), literal(1).label("depth")) \
        .where(r.c.referred_id == root, r.c.credited).cte("above", recursive=True)
    step = select(r.c.referrer_id, r.c.referred_id, base.c.depth + 1) \
        .join(base, r.c.referred_id == base.c.id).where(r.c.credited, base.c.depth < depth)
    return base.union(step)


def tree(session: Session, root: int, *, depth: int = 10, up: bool = False) -> list[dict[str, Any]]:
    """Nodes of the referral tree below (or chain above) a client, each with the won value it
    brought in itself; the caller sums branches. One recursive query plus one aggregate."""
    from ..models import Deal

    cte = _ancestors_cte(root, depth) if up else _descendants_cte(root, depth)
    link = cte.c.child if up else cte.c.parent
    # Per node, through the index on deal.client_id: cheap for a tree of hundreds, where a
    # GROUP BY over every won deal in the database would not be.
    # Table columns, not model attributes, here and in report(): a Core statement sets up no ORM.
    deal, client = Deal.__table__, Client.__table__
    won = select(func.coalesce(func.sum(deal.c.amount), 0)).where(
        deal.c.client_id == cte.c.id, deal.c.status == "won").scalar_subquery()
    stmt = (
        select(cte.c.id, link, cte.c.depth, client.c.name, client.c.segment, won)
        .join(client, client.c.id == cte.c.id)
        .order_by(cte.c.depth, cte.c.id)
    )
    return [{"id": i, "link": p, "depth": d, "name": n, "segment": s, "won": float(w)}
            for i, p, d, n, s, w in session.connection().execute(stmt)]


def branch_totals(nodes: list[dict[str, Any]], root: int) -> dict[int, float]:
    """Won value of each node's whole branch (itself and everything below it). Pure."""
    children: dict[int, list[int]] = {}
    own = {n["id"]: n["won"] for n in nodes}
    for n in nodes:
        children.setdefault(n["link"], []).append(n["id"])
    totals: dict[int, float] = {}
    for n in sorted(nodes, key=lambda n: -n["depth"]):
        totals[n["id"]] = own[n["id"]] + sum(totals.get(c, 0.0) for c in children.get(n["id"], []))
    return totals


# --- the report ------------------------------------------------------------------------------------


def report(session: Session, *, by: str = "referrer", segment: str | None = None, owner: str | None = None,
           limit: int | None = None) -> list[dict[str, Any]]:
    """Credited referrals grouped by referrer (or by the referrer's segment or owner): how many were
    introduced and converted, the rate, the value of the converting deals, the median days from
    introduction to conversion, and rewards due and granted.

    Aggregates run in SQL on the covering index ix_referral_credited_referrer; for the per-referrer
    view the top N are chosen there and only their names, medians and rewards fetched."""
    from statistics import median

    from ..sqltypes import days_between

    referrer = Client.__table__.alias("referrer")
    r, reward = Referral.__table__, Reward.__table__
    filters = [r.c.credited]
    needs_join = by != "referrer" or segment or owner
    if segment:
        filters.append(referrer.c.segment == segment)
    if owner:
        filters.append(referrer.c.owner == owner)
    key = r.c.referrer_id if by == "referrer" else getattr(referrer.c, by)
    value = func.coalesce(func.sum(r.c.converted_value), 0)
    conv_count = func.count(r.c.converted_at)
    stmt = select(key, func.count(), conv_count, value).where(and_(*filters)).group_by(key) \
        .order_by(value.desc(), conv_count.desc(), key)
    if needs_join:
        stmt = stmt.join(referrer, referrer.c.id == r.c.referrer_id)
    if limit:  # the top N in SQL: names, medians and rewards are then fetched for N keys only
        stmt = stmt.limit(limit)
    rows: dict[Any, dict[str, Any]] = {}
    for k, n, conv, val in session.connection().execute(stmt):
        rows[k] = {"key": k, "introduced": n, "converted": conv, "converted_value": float(val or 0)}
    if not rows:
        return []
    keys = list(rows)
    if by == "referrer":
        c = Client.__table__.c
        names = select(c.id, c.name, c.segment, c.owner).where(c.id.in_(keys))
        for cid, name, seg, own in session.connection().execute(names):
            rows[cid].update(referrer_id=cid, referrer=name, segment=seg, owner=own)
        owner_of = r.c.referrer_id
        reward_key = reward.c.referrer_id
    else:
        for k in keys:
            rows[k][by] = k
        owner_of = key
        reward_key = key
    days: dict[Any, list[float]] = {}
    spans = select(owner_of, days_between(r.c.created_at, r.c.converted_at)) \
        .where(r.c.credited, r.c.converted_at.is_not(None), owner_of.in_(keys))
    if by != "referrer":
        spans = spans.join(referrer, referrer.c.id == r.c.referrer_id)
    for k, d in session.connection().execute(spans):
        days.setdefault(k, []).append(float(d))
    rewards = select(reward_key, reward.c.status, func.sum(reward.c.amount)) \
        .where(reward.c.status.in_(("due", "granted")), reward_key.in_(keys)).group_by(reward_key, reward.c.status)
    if by != "referrer":
        rewards = rewards.join(referrer, referrer.c.id == reward.c.referrer_id)
    owed: dict[Any, dict[str, float]] = {}
    for k, status, total in session.connection().execute(rewards):
        owed.setdefault(k, {})[status] = float(total or 0)
    out = []
    for k, rec in rows.items():
        rec.pop("key")
        rec["conversion_rate"] = round(rec["converted"] / rec["introduced"], 4) if rec["introduced"] else 0.0
        rec["median_days_to_convert"] = round(median(days[k]), 1) if days.get(k) else None
        rec["rewards_due"] = owed.get(k, {}).get("due", 0.0)
        rec["rewards_granted"] = owed.get(k, {}).get("granted", 0.0)
        out.append(rec)
    return out  # in SQL order: converted value, then conversions


def _aware(value: datetime) -> datetime:
    from datetime import timezone

    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)

