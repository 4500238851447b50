"""Reads and writes of the sales targets, and the actuals they are measured against.

Keyword-only functions taking an open session first; the caller owns the transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Iterable

from sqlalchemy import func
from sqlmodel import Session, select

from ..models import Deal, utcnow
from ..models_targets import TEAM, SalesTarget


def set_target(session: Session, *, rep: str, month: str, basis: str, amount_fen: int,
               user: str) -> tuple[SalesTarget, int | None]:
    """Set (or replace) one target; the row and the amount it replaced (None: a new target)."""
    row = session.exec(select(SalesTarget).where(SalesTarget.rep == rep, SalesTarget.month == month,
                                                 SalesTarget.basis == basis).with_for_update()).first()
    before = None
    if row is None:
        row = SalesTarget(rep=rep, month=month, basis=basis, amount_fen=amount_fen, created_by=user)
    else:
        before = row.amount_fen
        row.amount_fen, row.updated_at, row.updated_by = amount_fen, utcnow(), user
    session.add(row)
    session.flush()
    return row, before


def targets(session: Session, *, months: Iterable[str], basis: str) -> tuple[dict[str, int], int | None]:
    """(each rep's target summed over ``months``, the team's target or None when none was set)."""
    stmt = (select(SalesTarget.rep, func.sum(SalesTarget.amount_fen))
            .where(SalesTarget.month.in_(list(months)), SalesTarget.basis == basis).group_by(SalesTarget.rep))
    per_rep = {rep: int(total) for rep, total in session.exec(stmt).all()}
    team = per_rep.pop(TEAM, None)
    return per_rep, team


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(0), timezone.utc)


def won_by_rep(session: Session, *, start: date, end: date) -> dict[str, int]:
    """Won deals closed in [start, end), in fen, per rep who made the deal (its created_by): the
    one who quoted and won it keeps the figure when the client later passes to a service owner."""
    stmt = (select(Deal.created_by, func.sum(Deal.amount)).where(Deal.status == "won")
            .where(Deal.closed_at >= _utc(start), Deal.closed_at < _utc(end)).group_by(Deal.created_by))
    return {rep: round(float(total) * 100) for rep, total in session.exec(stmt).all() if rep}


def collected_by_rep(session: Session, *, start: date, end: date) -> dict[str, int] | None:
    """Money collected (paid_on in [start, end), refunds taken off), in fen, per rep who made the
    order's deal (else the order): the same rep a won target credits."""
    from ..models_orders import Payment, SalesOrder

    rep = func.coalesce(Deal.created_by, SalesOrder.created_by)
    stmt = (select(rep, func.sum(Payment.amount_fen)).join(SalesOrder, SalesOrder.id == Payment.order_id)
            .join(Deal, Deal.id == SalesOrder.deal_id, isouter=True)
            .where(Payment.paid_on >= start, Payment.paid_on < end).group_by(rep))
    return {who: int(total) for who, total in session.execute(stmt).all() if who and total}


ACTUALS = {"won": won_by_rep, "collected": collected_by_rep}
