"""Reads for the digest and the calendar that the agenda does not make: every open, dated
follow-up (the agenda looks a week ahead; a calendar holds them all).

Keyword-only functions taking an open session first; the caller owns the transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, select

from ..models import Activity, Client


def dated_followups(session: Session, *, user: str | None, today: date) -> list[dict[str, Any]]:
    """Open follow-ups with a due date, whoever's (``user`` None) or ``user``'s as the agenda
    counts them: the client's owner's, or whoever logged it while the client has no owner."""
    stmt = (select(Activity, Client.name, Client.owner).join(Client, Client.id == Activity.client_id)
            .where(Activity.done == False).where(Activity.next_action.is_not(None))  # noqa: E712
            .where(Activity.due.is_not(None)).order_by(Activity.due, Activity.id))
    if user:
        stmt = stmt.where(or_(Client.owner == user, (Client.owner.is_(None)) & (Activity.created_by == user)))
    out = []
    for a, name, owner in session.exec(stmt).all():
        kind = "overdue" if a.due < today else "today" if a.due == today else "upcoming"
        out.append({"kind": kind, "id": a.id, "client_id": a.client_id, "client": name,
                    "owner": owner or a.created_by, "due": a.due.isoformat(), "next_action": a.next_action,
                    "days": (today - a.due).days})
    return out
