"""Reads and writes for the pipeline: activities, follow-ups, deals, the stage line, credit.

Keyword-only functions taking an open session, like the rest of ``store``; the caller owns the
transaction (``Store.write()``). Everything returned for display is plain data, loaded
while the session is open.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import func, or_, union
from sqlmodel import Session, select

from .. import i18n
from ..errors import NotFound, TgError, UsageError
from ..models import (Activity, Case, Client, Competitor, Contact, ContactStrength, Deal, Need, StageEntry,
                     utcnow)
from ..playbook import Playbook, Stage
from .. import stageline as sl
from ..clock import days_since
from .clients import won_revenue

ACTIVITY_TYPES = ("call", "visit", "letter", "email", "meeting")
UPCOMING_DAYS = 7


# --- users -------------------------------------------------------------------------------


def known_users(session: Session) -> list[str]:
    """Everyone the database has seen: owners of clients and stages, authors of records."""
    stmt = union(
        select(Client.owner.label("u")), select(StageEntry.owner), select(Client.created_by),
        select(Activity.created_by), select(Deal.created_by), select(StageEntry.created_by),
    )
    return sorted({u for (u,) in session.execute(stmt) if u})


def check_user(session: Session, name: str, *, also: Iterable[str] = (), new_hint: bool = False) -> str:
    """A user the database knows (or one of ``also``); else one line with the closest names."""
    name = name.strip()
    users = set(known_users(session)) | set(also)
    if name in users:
        return name
    folded = {u.casefold(): u for u in users}
    if name.casefold() in folded:
        return folded[name.casefold()]
    close = difflib.get_close_matches(name, sorted(users), n=3, cutoff=0.4)
    if close:
        message = i18n.t("pipe.unknown_user_close", user=name, close=", ".join(close))
    else:
        message = i18n.t("pipe.unknown_user", user=name)
    raise NotFound(message + (i18n.t("pipe.new_user_hint") if new_hint else ""))


# --- activities and follow-ups ------------------------------------------------------------


def add_activity(session: Session, *, client: Client, type: str, text: str, user: str,
                 next_action: str | None = None, due: date | None = None) -> Activity:
    text = " ".join(text.split())
    if not text:
        raise UsageError(i18n.t("pipe.empty_text"))
    if type not in ACTIVITY_TYPES:
        raise UsageError(i18n.t("pipe.bad_type", type=type, types="|".join(ACTIVITY_TYPES)))
    next_action = " ".join(next_action.split()) if next_action else None
    if due is not None and not next_action:
        next_action = text  # a due date alone: the follow-up is to come back to this
    row = Activity(client_id=client.id, type=type, text=text, next_action=next_action, due=due,
                   done=not next_action, created_by=user)
    session.add(row)
    session.flush()
    return row


def parse_ref(query: str) -> int | None:
    q = query.strip().lstrip("#")
    return int(q) if q.isdigit() else None


def get_followup(session: Session, query: str) -> Activity:
    aid = parse_ref(query)
    row = session.get(Activity, aid) if aid is not None else None
    if row is None or not row.next_action:
        open_ids = session.exec(select(Activity.id).where(Activity.done == False)  # noqa: E712
                                .where(Activity.next_action.is_not(None))).all()
        raise NotFound(i18n.t("pipe.unknown_followup", query=query) + _closest_ids(aid, open_ids))
    return row


def close_followup(session: Session, row: Activity) -> Activity:
    if row.done:
        raise TgError(i18n.t("pipe.followup_done_already", id=row.id))
    row.done = True
    session.add(row)
    session.flush()
    return row


def _closest_ids(target: int | None, ids: Iterable[int], limit: int = 3) -> str:
    ids = list(ids)
    if not ids:
        return ""
    near = sorted(ids, key=lambda i: (abs(i - target) if target is not None else 0, -i))[:limit]
    return i18n.t("pipe.closest", close=", ".join(f"#{i}" for i in sorted(near)))


# --- deals ------------------------------------------------------------------------------------


def get_deal(session: Session, query: str) -> Deal:
    did = parse_ref(query)
    row = session.get(Deal, did) if did is not None else None
    if row is None:
        ids = session.exec(select(Deal.id)).all()
        raise NotFound(i18n.t("pipe.unknown_deal", query=query) + _closest_ids(did, ids))
    return row


def add_deal(session: Session, *, client: Client, bundle_code: str | None, quantity: int, amount: float,
             user: str) -> Deal:
    row = Deal(client_id=client.id, bundle_code=bundle_code, quantity=quantity, amount=amount, created_by=user)
    session.add(row)
    session.flush()
    return row


def _check_open(deal: Deal) -> None:
    if deal.status != "open":
        raise TgError(i18n.t("pipe.deal_closed", id=deal.id, status=i18n.t(f"pipe.status.{deal.status}")))


def _settle(session: Session, deal: Deal) -> Client:
    """Wait for any other tg winning or losing this deal, or moving its client, then read both
    again: the check that follows sees what that other tg committed (db.serialise)."""
    from ..db import fresh, serialise

    serialise(session, "deal", deal.id)
    serialise(session, "client", deal.client_id)
    fresh(session, deal)
    return fresh(session, session.get(Client, deal.client_id))


def win_deal(session: Session, deal: Deal, pb: Playbook, *, user: str) -> dict[str, Any]:
    """Mark the deal won; a client still ahead of the won stage moves there (same owner).
    Two tg winning one deal at once: one wins it, the other is told it is won already."""
    client = _settle(session, deal)
    _check_open(deal)
    now = utcnow()
    deal.status, deal.closed_at, deal.updated_at, deal.updated_by = "won", now, now, user
    session.add(deal)
    moved, skipped = None, []
    if pb.stages:
        won = sl.won_stage(pb)
        stage = pb.stage(client.stage)
        if stage is None or stage.outcome == "lost" or sl.before_won(pb, client.stage):
            skipped = sl.skipped_to_won(pb, client.stage)
            enter_stage(session, client, won.code, client.owner, user=user, now=now)
            moved = won.code
    session.flush()
    # The referred client's first won order converts its referral; the referrer's reward falls due.
    from .referrals import on_deal_won

    referral = on_deal_won(session, deal, user=user, playbook=pb)
    return {"moved": moved, "skipped": [s.code for s in skipped], "referral": referral}


def lose_deal(session: Session, deal: Deal, pb: Playbook, *, reason: str, user: str,
              lesson: str | None = None) -> dict[str, Any]:
    """Mark the deal lost (a reason is required); file the lesson; the last open deal lost
    moves a client still ahead of the won stage to the lost stage."""
    client = _settle(session, deal)
    _check_open(deal)
    reason = " ".join((reason or "").split())
    if not reason:
        raise UsageError(i18n.t("pipe.lost_needs_reason"))
    now = utcnow()
    deal.status, deal.lost_reason, deal.closed_at, deal.updated_at, deal.updated_by = "lost", reason, now, now, user
    session.add(deal)
    session.flush()
    case_id = None
    if lesson and lesson.strip():
        case = Case(title=i18n.t("pipe.case_title", client=client.name, reason=reason), outcome="lost",
                    segment=client.segment, industry=client.industry, lesson=lesson.strip(),
                    client_id=client.id, created_by=user)
        session.add(case)
        session.flush()
        case_id = case.id
    moved = None
    still_open = session.exec(select(func.count()).select_from(Deal).where(Deal.client_id == client.id)
                              .where(Deal.status == "open")).one()
    if pb.stages and not still_open and sl.before_won(pb, client.stage):
        lost = sl.lost_stage(pb)
        enter_stage(session, client, lost.code, client.owner, user=user, now=now)
        moved = lost.code
    session.flush()
    return {"moved": moved, "case_id": case_id}


def won_revenue_by_client(session: Session, client_ids: Iterable[int] | None = None) -> dict[int, float]:
    """Won revenue per client (clients without a won deal are left out)."""
    stmt = (select(Deal.client_id, func.sum(Deal.amount)).where(Deal.status == "won")
            .group_by(Deal.client_id))
    if client_ids is not None:
        stmt = stmt.where(Deal.client_id.in_(list(client_ids)))
    return {cid: float(total) for cid, total in session.exec(stmt).all()}


def list_deals(session: Session, *, client_id: int | None = None, status: str | None = None,
               limit: int = 0) -> list[dict]:
    return list(iter_deals(session, client_id=client_id, status=status, limit=limit))


def iter_deals(session: Session, *, client_id: int | None = None, status: str | None = None,
               limit: int = 0) -> Iterable[dict]:
    """Deals with their client's name, in id order, as the cursor gives them; read with Core (no
    ORM object a row: at 100,000 deals that was most of the time and memory)."""
    d = Deal.__table__.c
    stmt = (select(d.id, d.client_id, Client.name, d.bundle_code, d.quantity, d.amount, d.status, d.lost_reason,
                   d.created_at, d.created_by, d.closed_at)
            .join(Client, Client.id == d.client_id).order_by(d.id))
    if client_id is not None:
        stmt = stmt.where(d.client_id == client_id)
    if status:
        stmt = stmt.where(d.status == status)
    if limit:
        stmt = stmt.limit(limit)
    for i, cid, name, bundle, qty, amount, st, reason, created, by, closed in (
            session.connection().execution_options(yield_per=2000).execute(stmt)):
        yield {"id": i, "client_id": cid, "client": name, "bundle": bundle, "quantity": qty, "amount": amount,
               "status": st, "lost_reason": reason, "created_at": created.isoformat(), "created_by": by,
               "closed_at": closed.isoformat() if closed else None}


def deal_json(d: Deal, client_name: str | None = None) -> dict[str, Any]:
    return {
        "id": d.id, "client_id": d.client_id, "client": client_name, "bundle": d.bundle_code,
        "quantity": d.quantity, "amount": d.amount, "status": d.status, "lost_reason": d.lost_reason,
        "created_at": d.created_at.isoformat(), "created_by": d.created_by,
        "closed_at": d.closed_at.isoformat() if d.closed_at else None,
    }


# --- the stage line -----------------------------------------------------------------------


def enter_stage(session: Session, client: Client, stage: str, owner: str | None, *, user: str,
                now: datetime | None = None) -> StageEntry:
    """Close the client's open stage entry and open one for ``stage``; the client follows.

    A client that never moved has no entry yet: its first stage is recorded from its creation,
    with the owner it had, so the line has no hole in it.
    """
    now = now or utcnow()
    entries = session.exec(select(StageEntry).where(StageEntry.client_id == client.id)).all()
    if not entries:
        session.add(StageEntry(client_id=client.id, stage=client.stage, owner=client.owner,
                               entered_at=client.created_at, left_at=now, created_by=user))
    for e in entries:
        if e.left_at is None:
            e.left_at = now
            session.add(e)
    entry = StageEntry(client_id=client.id, stage=stage, owner=owner, entered_at=now, created_by=user)
    session.add(entry)
    # The line first, then the client: under row-level security (rls.py) a rep handing a client
    # on keeps it through the stage they held, which must be on record when the owner changes.
    session.flush()
    client.stage, client.owner, client.updated_at, client.updated_by = stage, owner, now, user
    session.add(client)
    session.flush()
    return entry


def move(session: Session, pb: Playbook, client: Client, target: Stage, *, owner: str | None,
         user: str) -> dict[str, Any]:
    """Move a client to ``target`` under ``owner``, as the line allows (sl.check_move), and record it."""
    skipped = sl.check_move(pb, client.stage, target.code)
    before = {"stage": client.stage, "owner": client.owner}
    enter_stage(session, client, target.code, owner, user=user)
    return {"from": before, "to": {"stage": target.code, "owner": owner}, "skipped": [s.code for s in skipped]}


def handoff(session: Session, pb: Playbook, client: Client, *, to: str, stage: str | None,
            user: str, expect: str | None = None) -> dict[str, Any]:
    """Move a client on to ``stage`` (default: the next on the line) under a new owner.

    ``expect``: the code of the stage the hand-off means to leave (the one the client was in when the command
    read it, or ``--from``). If the client has moved since, nothing is written: the refusal says
    who moved it and where, so two colleagues handing one client on at once cannot carry it
    two stages on without either being told."""
    from ..db import fresh, serialise

    sl.need_stages(pb)
    serialise(session, "client", client.id)
    fresh(session, client)
    if expect is not None and client.stage != expect:
        raise TgError(moved_since(session, pb, client, expect))
    target = sl.resolve_stage(pb, stage) if stage else sl.next_stage(pb, client.stage)
    return move(session, pb, client, target, owner=to, user=user)


def moved_since(session: Session, pb: Playbook, client: Client, expected: str) -> str:
    """The refusal of a hand-off whose client left ``expected``: who moved it, where, when."""
    last = session.exec(select(StageEntry).where(StageEntry.client_id == client.id)
                        .order_by(StageEntry.entered_at.desc(), StageEntry.id.desc())).first()
    who = last.created_by if last is not None and last.stage == client.stage else client.updated_by
    at = (last.entered_at if last is not None and last.stage == client.stage else client.updated_at)
    return i18n.t("trust.handoff_moved", id=client.id, client=client.name, expected=sl.stage_name(pb, expected),
                  stage=sl.stage_name(pb, client.stage), by=who or "?",
                  at=_aware(at).strftime("%Y-%m-%d %H:%M") if at else "?")


def set_stage(session: Session, pb: Playbook, client: Client, stage: str, *, owner: str | None,
              user: str) -> dict[str, Any] | None:
    """`tg clients edit --stage`: the same move as a hand-off, to a stage named outright, keeping
    the owner unless ``owner`` is given. The stage the client is in already: nothing to record
    (None); an edit that sets a field to its value is not a move."""
    sl.need_stages(pb)
    target = sl.resolve_stage(pb, stage)
    if target.code == client.stage:
        return None
    return move(session, pb, client, target, owner=client.owner if owner is None else owner, user=user)


def stage_history(session: Session, pb: Playbook, client: Client) -> list[dict[str, Any]]:
    """Every stage the client was in: when it entered and left, who owned it."""
    rows = session.exec(select(StageEntry).where(StageEntry.client_id == client.id)
                        .order_by(StageEntry.entered_at, StageEntry.id)).all()
    if not rows:
        return [{"stage": client.stage, "stage_name": sl.stage_name(pb, client.stage), "owner": client.owner,
                 "entered_at": client.created_at.isoformat(), "left_at": None}]
    return [{"stage": e.stage, "stage_name": sl.stage_name(pb, e.stage), "owner": e.owner,
             "entered_at": e.entered_at.isoformat(), "left_at": e.left_at.isoformat() if e.left_at else None}
            for e in rows]


def stage_owners(session: Session, client_ids: Iterable[int]) -> dict[int, dict[str, list[str | None]]]:
    """client id → stage → owners who held it (a client that never moved: its current stage/owner)."""
    ids = list(client_ids)
    out: dict[int, dict[str, list[str | None]]] = defaultdict(lambda: defaultdict(list))
    if not ids:
        return out
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for cid, stage, owner in session.exec(
                select(StageEntry.client_id, StageEntry.stage, StageEntry.owner)
                .where(StageEntry.client_id.in_(chunk)).order_by(StageEntry.entered_at, StageEntry.id)).all():
            if owner:
                out[cid][stage].append(owner)
            else:
                out[cid].setdefault(stage, [])
        for cid, stage, owner in session.exec(select(Client.id, Client.stage, Client.owner)
                                              .where(Client.id.in_(chunk))).all():
            if cid not in out:
                out[cid][stage] = [owner] if owner else []
    return out


def credit(session: Session, pb: Playbook, *, segment: str | None = None) -> dict[str, Any]:
    """Won revenue split among stage owners by the playbook's credit weights."""
    sl.need_stages(pb)
    stmt = select(Deal.client_id, Deal.amount).join(Client, Client.id == Deal.client_id).where(Deal.status == "won")
    if segment:
        stmt = stmt.where(Client.segment == segment)
    won = session.exec(stmt).all()
    if pb.orders.credit_on == "collected":  # the playbook earns credit on money collected
        from .collected import collected_by_client

        won = collected_by_client(session, segment=segment)
    owners = stage_owners(session, {cid for cid, _ in won})
    split = sl.split_credit(pb, won, owners)
    total = sum((Decimal(str(a)) for _, a in won), Decimal(0))
    stages = [s.code for s in pb.stages if s.credit]
    rows = []
    for owner, by_stage in split.items():
        t = sum(by_stage.values(), Decimal(0))
        rows.append({"owner": owner, "stages": {s: sl.cents(by_stage.get(s, Decimal(0))) for s in stages},
                     "total": sl.cents(t), "share": float(t / total) if total else 0.0})
    rows.sort(key=lambda r: (r["owner"] is None, -r["total"], r["owner"] or ""))
    return {"stages": stages, "won_total": sl.cents(total), "deals": len(won), "rows": rows}


# --- the board and the agenda ----------------------------------------------------------------


def _open_entries(session: Session) -> dict[int, datetime]:
    rows = session.exec(select(StageEntry.client_id, func.max(StageEntry.entered_at))
                        .where(StageEntry.left_at.is_(None)).group_by(StageEntry.client_id)).all()
    return {cid: _aware(at) for cid, at in rows}


def _aware(value: Any) -> datetime:
    """func.max() bypasses the column type on SQLite: restore the UTC datetime (as UTCDateTime does,
    without building the type for each of 100,000 rows)."""
    from datetime import timezone

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _board_select(*, owner: str | None, segment: str | None):
    """One row per client: id, name, owner, segment, stage, open deals, their value, in the stage since."""
    deals = (select(Deal.client_id, func.count().label("n"), func.sum(Deal.amount).label("v"))
             .where(Deal.status == "open").group_by(Deal.client_id).subquery())
    entries = (select(StageEntry.client_id, func.max(StageEntry.entered_at).label("at"))
               .where(StageEntry.left_at.is_(None)).group_by(StageEntry.client_id).subquery())
    value = func.coalesce(deals.c.v, 0.0)
    since = func.coalesce(entries.c.at, Client.created_at)
    stmt = (select(Client.id, Client.name, Client.owner, Client.segment, Client.stage,
                   func.coalesce(deals.c.n, 0).label("open_deals"), value.label("open_value"), since.label("since"))
            .outerjoin(deals, deals.c.client_id == Client.id).outerjoin(entries, entries.c.client_id == Client.id))
    if owner:
        stmt = stmt.where(Client.owner == owner)
    if segment:
        stmt = stmt.where(Client.segment == segment)
    return stmt, value, since


def _board_row(pb: Playbook, row: Any, now: datetime | None) -> dict[str, Any]:
    cid, name, owner, segment, stage, n, value, since = row
    since = _aware(since)
    return {"stage": stage, "stage_name": sl.stage_name(pb, stage), "client_id": cid, "client": name,
            "owner": owner, "segment": segment, "open_deals": int(n), "open_value": float(value),
            "entered_at": since.isoformat(), "age_days": days_since(since, now)}


def board(session: Session, pb: Playbook, *, owner: str | None = None, segment: str | None = None,
          now: datetime | None = None) -> list[dict[str, Any]]:
    """One row per client: stage, owner, open deals and their value, days in the stage."""
    stmt, _value, _since = _board_select(owner=owner, segment=segment)
    order = {s.code: i for i, s in enumerate(sl.board_order(pb))}
    rows = [_board_row(pb, r, now) for r in session.connection().execute(stmt)]
    # Longest in the stage first: by when it entered (the same order board_summary asks the database for).
    rows.sort(key=lambda r: (order.get(r["stage"], len(order)), r["stage"], -r["open_value"], r["entered_at"],
                             r["client_id"]))
    return rows


def board_summary(session: Session, pb: Playbook, *, owner: str | None = None, segment: str | None = None,
                  limit: int = 15, now: datetime | None = None) -> list[dict[str, Any]]:
    """The board as a screen shows it: per stage (the playbook's, then any set by hand) its count
    and open value, and its first ``limit`` clients (largest open value, then longest in the
    stage), each counted and chosen by the database: at 100,000 clients only the shown rows load."""
    stmt, value, since = _board_select(owner=owner, segment=segment)
    inner = stmt.subquery()
    totals = {stage: (int(n), float(v or 0)) for stage, n, v in session.connection().execute(
        select(inner.c.stage, func.count(), func.sum(inner.c.open_value)).group_by(inner.c.stage))}
    codes = [s.code for s in sl.board_order(pb)] + sorted(set(totals) - {s.code for s in pb.stages})
    # Each stage's first clients in one query: numbered within their stage by the database (one
    # pass over the deals and stage entries, not one per stage).
    rank = func.row_number().over(partition_by=Client.stage, order_by=(value.desc(), since.asc(), Client.id))
    ranked = stmt.add_columns(rank.label("rank")).subquery()
    page = select(*(c for c in ranked.c if c.name != "rank")).order_by(ranked.c.stage, ranked.c.rank)
    if limit:
        page = page.where(ranked.c.rank <= limit)
    shown: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in session.connection().execute(page):
        shown[r.stage].append(_board_row(pb, r, now))
    out = []
    for code in codes:
        n, v = totals.get(code, (0, 0.0))
        out.append({"stage": code, "stage_name": sl.stage_name(pb, code), "clients": n, "open_value": v,
                    "rows": shown.get(code, []) if n else []})
    return out


def agenda(session: Session, pb: Playbook, *, user: str | None = None, today: date | None = None,
           now: datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """Follow-ups due (overdue, today, within a week, undated) and accounts left idle too long."""
    return {"followups": agenda_followups(session, pb, user=user, today=today),
            "idle": agenda_idle(session, pb, user=user, now=now)}


def agenda_followups(session: Session, pb: Playbook, *, user: str | None = None, today: date | None = None,
                     now: datetime | None = None) -> list[dict[str, Any]]:
    """Follow-ups due: overdue, today, within a week, undated.

    A follow-up belongs to the client's owner (hand-offs pass promises on), or to whoever
    logged it while the client has no owner.
    """
    from ..clock import today as clock_today

    today = today or clock_today()
    horizon = today + timedelta(days=UPCOMING_DAYS)
    stmt = (select(Activity.id, Activity.client_id, Activity.due, Activity.next_action, Activity.created_at,
                   Activity.created_by, Client.name, Client.owner).join(Client, Client.id == Activity.client_id)
            .where(Activity.done == False).where(Activity.next_action.is_not(None))  # noqa: E712
            .where(or_(Activity.due.is_(None), Activity.due <= horizon)))
    if user:
        stmt = stmt.where(or_(Client.owner == user, (Client.owner.is_(None)) & (Activity.created_by == user)))
    followups = []
    for aid, cid, due, next_action, created_at, created_by, name, owner in session.exec(stmt).all():
        if due is None:
            kind = "undated"
        elif due < today:
            kind = "overdue"
        elif due == today:
            kind = "today"
        else:
            kind = "upcoming"
        followups.append({"kind": kind, "id": aid, "client_id": cid, "client": name,
                          "owner": owner or created_by, "due": due.isoformat() if due else None,
                          "next_action": next_action, "days": (today - due).days if due else None,
                          "logged_at": _aware(created_at).isoformat()})
    rank = {"overdue": 0, "today": 1, "upcoming": 2, "undated": 3}
    followups.sort(key=lambda f: (rank[f["kind"]], f["due"] or "", f["id"]))
    return followups


def agenda_idle(session: Session, pb: Playbook, *, user: str | None = None, today: date | None = None,
                now: datetime | None = None) -> list[dict[str, Any]]:
    """Accounts left idle longer than their stage allows (the playbook's rot_days)."""
    rot = {s.code: s.rot_days for s in pb.stages if s.rot_days}
    if not rot:
        return []
    # The last touch of each client, looked up per client through the client_id indexes: only the
    # clients in a stage that can go idle (and, for one user, only theirs) are read.
    last_activity = (select(func.max(Activity.created_at)).where(Activity.client_id == Client.id)
                     .correlate(Client).scalar_subquery())
    entered = (select(func.max(StageEntry.entered_at)).where(StageEntry.client_id == Client.id)
               .where(StageEntry.left_at.is_(None)).correlate(Client).scalar_subquery())
    clients = select(Client.id, Client.name, Client.owner, Client.stage, Client.created_at, last_activity,
                     entered).where(Client.stage.in_(list(rot)))
    if user:
        clients = clients.where(Client.owner == user)
    rows = session.connection().execute(clients.order_by(Client.id)).all()
    idle = []
    for cid, name, owner, stage, created_at, last, since in rows:
        touched = max(_aware(t) for t in (created_at, last, since) if t is not None)
        days = days_since(touched, now)
        if days > rot[stage]:
            idle.append({"kind": "idle", "client_id": cid, "client": name, "owner": owner,
                         "stage": stage, "stage_name": sl.stage_name(pb, stage), "days": days,
                         "rot_days": rot[stage], "last_touch": touched.isoformat()})
    idle.sort(key=lambda r: (-(r["days"] - r["rot_days"]), r["client_id"]))
    return idle


# --- the hand-off packet ------------------------------------------------------------------------


def packet(session: Session, pb: Playbook, client: Client, *, activities: int = 5) -> dict[str, Any]:
    """Everything the next owner needs, as plain data."""
    cid = client.id
    contacts = []
    for c in session.exec(select(Contact).where(Contact.client_id == cid).order_by(Contact.id)).all():
        last = session.exec(select(ContactStrength).where(ContactStrength.contact_id == c.id)
                            .order_by(ContactStrength.created_at.desc(), ContactStrength.id.desc())).first()
        role = pb.role(c.role) if c.role else None
        contacts.append({"name": c.name, "title": c.title, "phone": c.phone, "role": c.role,
                         "role_name": role.name.get() if role else c.role,
                         "approach": role.approach.get() if role else None, "strength": c.strength,
                         "strength_note": last.note if last else None})
    rank = {"decision-maker": 0, "purchaser": 1, "influencer": 2, "user": 3, "gatekeeper": 4}
    contacts.sort(key=lambda c: (rank.get(c["role"] or "", 9), -(c["strength"] or 0)))
    needs = session.exec(select(Need).where(Need.client_id == cid).order_by(Need.id)).all()
    rivals = session.exec(select(Competitor).where(Competitor.client_id == cid).order_by(Competitor.id)).all()
    recent = session.exec(select(Activity).where(Activity.client_id == cid)
                          .order_by(Activity.created_at.desc(), Activity.id.desc()).limit(activities)).all()
    promises = session.exec(select(Activity).where(Activity.client_id == cid).where(Activity.done == False)  # noqa: E712
                            .where(Activity.next_action.is_not(None)).order_by(Activity.due, Activity.id)).all()
    deals = session.exec(select(Deal).where(Deal.client_id == cid).order_by(Deal.id)).all()
    seg = pb.segment(client.segment) if client.segment else None
    return {
        "client": {"id": cid, "name": client.name, "segment": client.segment,
                   "segment_name": seg.name.get() if seg else client.segment, "industry": client.industry,
                   "city": client.city, "headcount": client.headcount, "budget_per_head": client.budget_per_head,
                   "budget_total": client.budget_total, "occasion": client.occasion, "notes": client.notes,
                   "stage": client.stage, "stage_name": sl.stage_name(pb, client.stage), "owner": client.owner},
        "contacts": contacts,
        "needs": {"stated": [n.text for n in needs if n.kind == "stated"],
                  "guided": [n.text for n in needs if n.kind == "guided"]},
        "competitors": [{"name": r.name, "offer": r.offer, "price": r.price, "strength": r.strength,
                         "weakness": r.weakness} for r in rivals],
        "activities": [{"id": a.id, "date": a.created_at.date().isoformat(), "type": a.type, "text": a.text,
                        "by": a.created_by} for a in recent],
        "promises": [{"id": a.id, "next_action": a.next_action, "due": a.due.isoformat() if a.due else None,
                      "by": a.created_by} for a in promises],
        "deals": [deal_json(d) for d in deals],
        "won_revenue": won_revenue(session, cid),
        "stages": stage_history(session, pb, client),
    }


# --- mending: edit and remove a deal or a log entry ----------------------------------------------


def deal_rewards(session: Session, deal_id: int) -> list[int]:
    """The rewards a deal booked that still stand (not voided): money a removal would orphan."""
    from ..models import Reward

    return list(session.exec(select(Reward.id).where(Reward.deal_id == deal_id)
                             .where(Reward.status != "voided").order_by(Reward.id)).all())


def edit_deal(session: Session, deal: Deal, *, user: str, **fields: Any) -> dict[str, list[Any]]:
    """Set the given fields (None: left alone); {field: [old, new]} of what changed."""
    from ..db import fresh, serialise

    serialise(session, "deal", deal.id)
    fresh(session, deal)
    if "lost_reason" in fields and fields["lost_reason"] is not None:
        if deal.status != "lost":
            raise UsageError(i18n.t("daily.deal.reason_not_lost", id=deal.id))
        fields["lost_reason"] = " ".join(fields["lost_reason"].split())
        if not fields["lost_reason"]:
            raise UsageError(i18n.t("pipe.lost_needs_reason"))
    if fields.get("amount") is not None and deal.status == "won" and deal_rewards(session, deal.id):
        raise TgError(i18n.t("daily.deal.amount_rewarded", id=deal.id,
                             rewards=", ".join(f"#{r}" for r in deal_rewards(session, deal.id))))
    changed = {}
    for key, value in fields.items():
        if value is not None and getattr(deal, key) != value:
            changed[key] = [getattr(deal, key), value]
            setattr(deal, key, value)
    if changed:
        deal.updated_at, deal.updated_by = utcnow(), user
        session.add(deal)
        session.flush()
    return changed


def remove_deal(session: Session, deal: Deal) -> None:
    """Remove a deal. One that booked a reward is refused: the ledger would lose what it was for.
    A quote that named it keeps its text and loses the link (recorded, so an undo restores it)."""
    from ..db import serialise
    from ..models_quotes import Quote

    serialise(session, "deal", deal.id)
    rewards = deal_rewards(session, deal.id)
    if rewards:
        raise TgError(i18n.t("daily.deal.rm_rewarded", id=deal.id, rewards=", ".join(f"#{r}" for r in rewards)))
    for q in session.exec(select(Quote).where(Quote.deal_id == deal.id)).all():
        q.deal_id = None
        session.add(q)
    session.flush()
    session.delete(deal)
    session.flush()


def get_activity(session: Session, query: str) -> Activity:
    aid = parse_ref(query)
    row = session.get(Activity, aid) if aid is not None else None
    if row is None:
        ids = session.exec(select(Activity.id).order_by(Activity.id.desc()).limit(2000)).all()
        raise NotFound(i18n.t("daily.log.unknown", query=query) + _closest_ids(aid, ids))
    return row


def edit_activity(session: Session, row: Activity, *, type: str | None = None, text: str | None = None,
                  next_action: str | None = None, due: date | None = None, done: bool | None = None,
                  clear_due: bool = False) -> dict[str, list[Any]]:
    changes: dict[str, Any] = {}
    if type is not None:
        if type not in ACTIVITY_TYPES:
            raise UsageError(i18n.t("pipe.bad_type", type=type, types="|".join(ACTIVITY_TYPES)))
        changes["type"] = type
    if text is not None:
        changes["text"] = " ".join(text.split())
        if not changes["text"]:
            raise UsageError(i18n.t("pipe.empty_text"))
    if next_action is not None:
        changes["next_action"] = " ".join(next_action.split()) or None
        if changes["next_action"] and done is None:
            changes["done"] = False  # a new promise is open
    if due is not None:
        changes["due"] = due
        if not (changes.get("next_action") or row.next_action):
            changes["next_action"] = changes.get("text", row.text)
        if done is None:
            changes["done"] = False
    if clear_due:
        changes["due"] = None
    if done is not None:
        changes["done"] = done
    from .edits import apply_changes

    return apply_changes(session, row, changes)


def remove_activity(session: Session, row: Activity) -> None:
    session.delete(row)
    session.flush()


def pipeline_detail(session: Session, pb: Playbook, client: Client) -> dict[str, Any]:
    """For `tg clients show`: the client's deals, every activity (newest first), its stage line and
    the promises still open."""
    cid = client.id
    activities = session.exec(select(Activity).where(Activity.client_id == cid)
                              .order_by(Activity.created_at.desc(), Activity.id.desc())).all()
    deals = session.exec(select(Deal).where(Deal.client_id == cid).order_by(Deal.id)).all()
    return {
        "deals": [deal_json(d, client.name) for d in deals],
        "activities": [{"id": a.id, "at": a.created_at.isoformat(), "type": a.type, "text": a.text,
                        "next_action": a.next_action, "due": a.due.isoformat() if a.due else None, "done": a.done,
                        "by": a.created_by} for a in activities],
        "stages": stage_history(session, pb, client),
        "promises": [{"id": a.id, "next_action": a.next_action, "due": a.due.isoformat() if a.due else None,
                      "by": a.created_by} for a in sorted((a for a in activities if not a.done and a.next_action),
                                                          key=lambda a: (a.due is None, a.due or date.min, a.id))],
    }
