"""The lead pool in the database: the facts the rules need, claims, releases, reclaims,
assignments and hand-overs, each written with its pool_event row and its audit row.

Every move of an owner goes through ``move_owner``: the stage line records the new owner of the
stage the client is in (as a hand-off does, so row-level security and the credit split see the
same people), the client follows, and the event and the audit row say which rule moved it.
On PostgreSQL with row-level security set up, a claim goes through the database's own
``tg_pool_claim`` (rls.py), which applies the caps and the wait again where a rep cannot skip them.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

from sqlalchemy import func, text
from sqlmodel import Session, select

from .. import i18n
from .. import pool as rules_
from ..errors import TgError
from ..models import Client, Deal, utcnow
from ..models_pool import PoolEvent, PoolSetting
from ..playbook import Playbook, PoolRules

GIVEN_UP = ("release", "reclaim", "handover")  # a previous owner waits after these before claiming again
CLAIM_FUNCTION = "tg_pool_claim(text,integer,date,timestamp with time zone)"


@dataclass(frozen=True)
class Move:
    """One client changing hands (or going to the pool: to_owner None)."""

    client_id: int
    client: str
    action: str
    from_owner: str | None
    to_owner: str | None
    rule: str
    reason: str | None = None
    event_id: int | None = None


@dataclass(frozen=True)
class ReclaimWarning:
    """A client its owner will lose to the pool soon unless something happens: for the agenda and
    the digest."""

    client_id: int
    client: str
    owner: str
    cls: str
    rule: str
    """no_activity | no_open_deal | no_win"""
    code: str
    """The rule with its class and number: no_activity:C:30d."""
    due: date
    days_left: int


@dataclass
class SweepResult:
    day: date
    checked: int
    reclaimed: list[Move] = field(default_factory=list)
    warned: list[ReclaimWarning] = field(default_factory=list)


@dataclass(frozen=True)
class PoolRow:
    client_id: int
    client: str
    segment: str | None
    city: str | None
    industry: str | None
    stage: str
    cls: str
    last_owner: str | None
    in_pool_since: date
    days_in_pool: int
    last_activity: date | None
    rule: str | None
    """What put it in the pool last (no_activity:C:30d, release, handover…)."""


def _day(value: Any) -> date | None:
    """A stored datetime (a string from SQLite's func.max) as its UTC date."""
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    from .pipeline import _aware

    return _aware(value).date()


# --- the facts -------------------------------------------------------------------------------


def client_classes(session: Session) -> dict[int, str]:
    """client id → A/B/C of the 80/20 report; a client not in it (never bought) is C."""
    from ..analysis import pareto
    from .analysis import revenue_by_client

    return {r.client_id: r.abc for r in pareto(revenue_by_client(session)).rows}


def pending_payments(session: Session, client_ids: Iterable[int]) -> set[int]:
    """Clients with money still owed on an order (collected below the order's total): the pool's
    pending_payment exemption keeps them with the owner who is collecting it."""
    from sqlalchemy import func, select

    from ..models_orders import Payment, SalesOrder

    ids = list(client_ids)
    if not ids:
        return set()
    paid = (select(Payment.order_id, func.sum(Payment.amount_fen).label("paid")).group_by(Payment.order_id)
            .subquery())
    stmt = (select(SalesOrder.client_id).join(paid, paid.c.order_id == SalesOrder.id, isouter=True)
            .where(SalesOrder.client_id.in_(ids), SalesOrder.status != "cancelled",
                   func.coalesce(paid.c.paid, 0) < SalesOrder.total_fen))
    return {cid for (cid,) in session.execute(stmt).all()}


def _by_client(session: Session, stmt) -> dict[int, Any]:
    return {cid: value for cid, value in session.execute(stmt).all()}


def holding_facts(session: Session, *, owner: str | None = None,
                  client_ids: Iterable[int] | None = None) -> list[rules_.ClientFacts]:
    """The facts the reclaim rules read, for every client someone holds (or ``owner`` holds)."""
    from ..models import Activity, StageEntry

    stmt = select(Client.id, Client.name, Client.owner, Client.created_at).where(Client.owner.is_not(None))
    if owner is not None:
        stmt = stmt.where(Client.owner == owner)
    if client_ids is not None:
        stmt = stmt.where(Client.id.in_(list(client_ids)))
    held = session.execute(stmt.order_by(Client.id)).all()
    if not held:
        return []
    classes = client_classes(session)
    activity = _by_client(session, select(Activity.client_id, func.max(Activity.created_at))
                          .group_by(Activity.client_id))
    entered = _by_client(session, select(StageEntry.client_id, func.max(StageEntry.entered_at))
                         .where(StageEntry.left_at.is_(None)).group_by(StageEntry.client_id))
    taken: dict[tuple[int, str], date] = {}
    for cid, to, day in session.execute(select(PoolEvent.client_id, PoolEvent.to_owner, func.max(PoolEvent.day))
                                        .where(PoolEvent.to_owner.is_not(None))
                                        .group_by(PoolEvent.client_id, PoolEvent.to_owner)).all():
        taken[(cid, to)] = _day(day)
    open_deals = _by_client(session, select(Deal.client_id, func.count()).where(Deal.status == "open")
                            .group_by(Deal.client_id))
    opened = _by_client(session, select(Deal.client_id, func.max(Deal.created_at)).group_by(Deal.client_id))
    closed = _by_client(session, select(Deal.client_id, func.max(Deal.closed_at)).group_by(Deal.client_id))
    won = _by_client(session, select(Deal.client_id, func.max(Deal.closed_at)).where(Deal.status == "won")
                     .group_by(Deal.client_id))
    paying = pending_payments(session, [cid for cid, *_ in held])
    out = []
    for cid, name, who, created in held:
        since = max(d for d in (_day(created), _day(entered.get(cid)), taken.get((cid, who))) if d is not None)
        last_deal = max((d for d in (_day(opened.get(cid)), _day(closed.get(cid))) if d), default=None)
        out.append(rules_.ClientFacts(cid, name, who, classes.get(cid, "C"), since,
                                      last_activity=_day(activity.get(cid)), open_deals=open_deals.get(cid, 0),
                                      last_deal=last_deal, last_win=_day(won.get(cid)),
                                      pending_payment=cid in paying))
    return out


def verdicts(session: Session, rules: PoolRules, today: date, *, owner: str | None = None,
             client_ids: Iterable[int] | None = None) -> list[rules_.Verdict]:
    return [rules_.assess(f, rules, today) for f in holding_facts(session, owner=owner, client_ids=client_ids)]


def as_warning(v: rules_.Verdict, today: date) -> ReclaimWarning:
    return ReclaimWarning(v.client_id, v.name, v.owner, v.cls, v.rule or "", v.code, v.due, v.days_left(today))


def reclaim_warnings(session: Session, rules: PoolRules, user: str | None, today: date) -> list[ReclaimWarning]:
    """The clients ``user`` (everyone's: None) will lose to the pool within the warning window,
    soonest first."""
    rows = [as_warning(v, today) for v in verdicts(session, rules, today, owner=user)
            if rules_.is_warned(v, today, rules)]
    return sorted(rows, key=lambda w: (w.due, w.client_id))


# --- moving an owner -------------------------------------------------------------------------


def _audit(session: Session, ev: PoolEvent, user: str) -> None:
    from ..models import Audit

    changes: dict[str, list[Any]] = {"owner": [ev.from_owner, ev.to_owner], "rule": [None, ev.rule]}
    if ev.reason:
        changes["reason"] = [None, ev.reason]
    session.connection().execute(Audit.__table__.insert(), [{
        "at": utcnow(), "by": user, "table_name": "pool_event", "row_id": ev.id, "client_id": ev.client_id,
        "action": ev.action, "changes": changes}])


def move_owner(session: Session, client: Client, to: str | None, *, action: str, rule: str, user: str,
               today: date, reason: str | None = None) -> Move:
    """Give ``client`` to ``to`` (None: the pool), on the stage line, with its event and audit row."""
    from .pipeline import enter_stage

    before = client.owner
    enter_stage(session, client, client.stage, to, user=user)
    ev = PoolEvent(client_id=client.id, client_name=client.name, action=action, from_owner=before, to_owner=to,
                   rule=rule, reason=reason, day=today, by=user)
    session.add(ev)
    session.flush()
    _audit(session, ev, user)
    return Move(client.id, client.name, action, before, to, rule, reason, ev.id)


def locked(session: Session, client: Client) -> Client:
    """The client as the last writer left it, others waiting on it until this transaction ends."""
    from ..db import fresh, serialise

    serialise(session, "client", client.id)
    return fresh(session, client)


def claim_facts(session: Session, client: Client, user: str, today: date) -> rules_.ClaimFacts:
    claims = session.execute(select(func.count()).select_from(PoolEvent).where(PoolEvent.action == "claim")
                             .where(PoolEvent.to_owner == user).where(PoolEvent.day == today)).scalar_one()
    held = session.execute(select(func.count()).select_from(Client).where(Client.owner == user)).scalar_one()
    left = session.execute(select(func.max(PoolEvent.day)).where(PoolEvent.client_id == client.id)
                           .where(PoolEvent.from_owner == user).where(PoolEvent.action.in_(GIVEN_UP))).scalar()
    return rules_.ClaimFacts(client.id, client.name, client.owner, claims, held, _day(left))


def _claim_function(session: Session) -> bool:
    """Does this database claim by itself (PostgreSQL with tg db setup-rls run)?"""
    if session.get_bind().dialect.name != "postgresql":
        return False
    return session.execute(text("SELECT to_regprocedure(:f)"), {"f": CLAIM_FUNCTION}).scalar() is not None


def claim(session: Session, pb: Playbook, client: Client, *, user: str, today: date) -> Move:
    """``user`` takes ``client`` from the pool, if the rules allow (else a one-line refusal)."""
    from ..db import serialise

    serialise(session, "pool", zlib.crc32(user.encode("utf-8")) & 0x7FFFFFFF)  # one user's claims, one at a time
    client = locked(session, client)
    rules_.check_claim(claim_facts(session, client, user, today), user, pb.pool, today)
    if not _claim_function(session):
        return move_owner(session, client, user, action="claim", rule="claim", user=user, today=today)
    from sqlalchemy.exc import DBAPIError

    try:
        event_id = session.execute(text("SELECT tg_pool_claim(:who, :cid, :day, :at)"),
                                   {"who": user, "cid": client.id, "day": today, "at": utcnow()}).scalar()
    except DBAPIError as exc:
        cause = getattr(exc, "orig", None) or exc
        reason = (str(cause).splitlines() or [type(cause).__name__])[0].removeprefix("tg: ")
        raise TgError(i18n.t("pool.db_refused", id=client.id, client=client.name, reason=reason)) from None
    session.expire_all()
    return Move(client.id, client.name, "claim", None, user, "claim", None, event_id)


def release(session: Session, client: Client, *, user: str, reason: str | None, today: date) -> Move:
    """``client``'s owner gives it back to the pool, saying why."""
    why = rules_.clean_reason(reason)
    client = locked(session, client)
    if client.owner is None:
        raise TgError(i18n.t("pool.in_pool_already", id=client.id, client=client.name))
    if client.owner != user:
        raise TgError(i18n.t("pool.not_yours", id=client.id, client=client.name, owner=client.owner))
    return move_owner(session, client, None, action="release", rule="release", user=user, today=today, reason=why)


def assign(session: Session, client: Client, *, to: str, user: str, today: date) -> Move:
    """A manager gives ``client`` (in the pool or held) to ``to``; the caps are the reps' own, not the manager's."""
    client = locked(session, client)
    if client.owner == to:
        raise TgError(i18n.t("pool.yours_already", id=client.id, client=client.name, owner=to))
    return move_owner(session, client, to, action="assign", rule="manager", user=user, today=today)


def sweep(session: Session, rules: PoolRules, *, user: str, today: date) -> SweepResult:
    """Apply the reclaim rules: every client due goes back to the pool; the warned are listed.
    Idempotent: what went back is in the pool and is not looked at again."""
    found = verdicts(session, rules, today)
    result = SweepResult(today, len(found))
    for v in found:
        if rules_.is_due(v, today):
            client = locked(session, session.get(Client, v.client_id))
            if client.owner != v.owner:  # changed hands since it was read: its own rules, next sweep
                continue
            result.reclaimed.append(move_owner(session, client, None, action="reclaim", rule=v.code, user=user,
                                               today=today))
        elif rules_.is_warned(v, today, rules):
            result.warned.append(as_warning(v, today))
    result.warned.sort(key=lambda w: (w.due, w.client_id))
    return result


def sync_settings(session: Session, rules: PoolRules, *, user: str) -> None:
    """The playbook's caps into pool_setting, for the database's own claim check."""
    for name in ("claims_per_day", "max_held", "reclaim_wait_days"):
        value = getattr(rules, name)
        row = session.get(PoolSetting, name)
        if row is None:
            session.add(PoolSetting(name=name, value=value, updated_by=user))
        elif row.value != value:
            row.value, row.updated_at, row.updated_by = value, utcnow(), user
            session.add(row)
    session.flush()


# --- the pool as a listing ---------------------------------------------------------------------


def pool_rows(session: Session, *, filters: dict[str, str], today: date) -> list[PoolRow]:
    """Every client without an owner that passes ``filters``, longest in the pool first."""
    from ..models import Activity

    stmt = select(Client.id, Client.name, Client.segment, Client.city, Client.industry, Client.stage,
                  Client.created_at).where(Client.owner.is_(None)).order_by(Client.id)
    for f in ("segment", "stage"):
        if f in filters:
            stmt = stmt.where(getattr(Client, f) == filters[f])
    clients = session.execute(stmt).all()
    if not clients:
        return []
    ids = [c[0] for c in clients]
    classes = client_classes(session)
    last: dict[int, PoolEvent] = {}
    for ev in session.exec(select(PoolEvent).where(PoolEvent.client_id.in_(ids))
                           .order_by(PoolEvent.day, PoolEvent.id)).all():
        last[ev.client_id] = ev
    activity = _by_client(session, select(Activity.client_id, func.max(Activity.created_at))
                          .where(Activity.client_id.in_(ids)).group_by(Activity.client_id))
    rows = []
    for cid, name, segment, city, industry, stage, created in clients:
        cls = classes.get(cid, "C")
        if not rules_.matches(filters, segment=segment, city=city, industry=industry, stage=stage, cls=cls,
                              name=name):
            continue
        ev = last.get(cid)
        since = ev.day if ev is not None and ev.to_owner is None else _day(created)
        rows.append(PoolRow(cid, name, segment, city, industry, stage, cls, ev.from_owner if ev else None, since,
                            max((today - since).days, 0), _day(activity.get(cid)), ev.rule if ev else None))
    rows.sort(key=lambda r: (r.in_pool_since, r.client_id))
    return rows


def events(session: Session, client_id: int | None = None) -> list[PoolEvent]:
    stmt = select(PoolEvent).order_by(PoolEvent.id)
    if client_id is not None:
        stmt = stmt.where(PoolEvent.client_id == client_id)
    return list(session.exec(stmt).all())


# --- hand-over -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoverItem:
    client_id: int
    client: str
    stage: str
    open_deals: int
    open_value: float
    followups: int
    overdue: int


def handover_items(session: Session, *, from_user: str, filters: dict[str, str], today: date) -> list[HandoverItem]:
    """What ``from_user`` holds (that passes ``filters``): each client with its open deals and follow-ups."""
    from ..models import Activity

    stmt = select(Client).where(Client.owner == from_user).order_by(Client.id)
    clients = list(session.exec(stmt).all())
    classes = client_classes(session) if "class" in filters else {}
    clients = [c for c in clients if rules_.matches(filters, segment=c.segment, city=c.city, industry=c.industry,
                                                   stage=c.stage, cls=classes.get(c.id, "C"), name=c.name)]
    ids = [c.id for c in clients]
    if not ids:
        return []
    deals: dict[int, tuple[int, float]] = {cid: (n, float(v or 0)) for cid, n, v in session.execute(
        select(Deal.client_id, func.count(), func.sum(Deal.amount)).where(Deal.status == "open")
        .where(Deal.client_id.in_(ids)).group_by(Deal.client_id)).all()}
    follow: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for cid, due in session.execute(select(Activity.client_id, Activity.due).where(Activity.client_id.in_(ids))
                                    .where(Activity.done == False)  # noqa: E712
                                    .where(Activity.next_action.is_not(None))).all():
        follow[cid][0] += 1
        if due is not None and due < today:
            follow[cid][1] += 1
    return [HandoverItem(c.id, c.name, c.stage, *deals.get(c.id, (0, 0.0)), *follow.get(c.id, (0, 0)))
            for c in clients]

