"""The GROUP BY queries behind the manager's reports (the maths on their rows is ``analysis``).

Example::

    with store.read() as session:
        report = pareto(revenue_by_client(session, segment="welfare"))
"""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlmodel import Session

from ..models import Client, Deal, StageEntry


def _filters(stmt, segment: str | None, owner: str | None):
    if segment:
        stmt = stmt.where(Client.segment == segment)
    if owner:
        stmt = stmt.where(Client.owner == owner)
    return stmt


def revenue_by_client(session: Session, *, segment: str | None = None,
                      owner: str | None = None) -> list[tuple[int, str, str | None, str | None, float]]:
    """(client id, name, segment, owner, won revenue) for every client with a won deal."""
    revenue = func.sum(Deal.amount).label("revenue")
    stmt = (
        select(Client.id, Client.name, Client.segment, Client.owner, revenue)
        .join(Deal, Deal.client_id == Client.id)
        .where(Deal.status == "won")
        .group_by(Client.id, Client.name, Client.segment, Client.owner)
        .order_by(revenue.desc(), Client.id)
    )
    return [tuple(r) for r in session.connection().execute(_filters(stmt, segment, owner))]


def funnel_counts(session: Session, line: Sequence[str], *, segment: str | None = None,
                  owner: str | None = None) -> tuple[dict[str, int], dict[str, tuple[int, float]], dict[int, int]]:
    """Three GROUP BY queries: clients per current stage; open deals (count, value) per current
    stage; and clients by the furthest point of the line their stage history reached."""
    now = _filters(select(Client.stage, func.count()).group_by(Client.stage), segment, owner)
    current = {stage: n for stage, n in session.connection().execute(now)}

    deals = _filters(
        select(Client.stage, func.count(Deal.id), func.coalesce(func.sum(Deal.amount), 0.0))
        .join(Deal, Deal.client_id == Client.id).where(Deal.status == "open").group_by(Client.stage),
        segment, owner)
    open_by_stage = {stage: (n, float(v)) for stage, n, v in session.connection().execute(deals)}

    furthest: dict[int, int] = {}
    if line:
        index = sql_case({code: i for i, code in enumerate(line)}, value=StageEntry.stage, else_=-1)
        per_client = _filters(
            select(StageEntry.client_id, func.max(index).label("furthest"))
            .join(Client, Client.id == StageEntry.client_id).group_by(StageEntry.client_id),
            segment, owner).subquery()
        stmt = select(per_client.c.furthest, func.count()).group_by(per_client.c.furthest)
        furthest = {int(i): n for i, n in session.connection().execute(stmt)}
    return current, open_by_stage, furthest
