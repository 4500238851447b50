"""The money collected per order, as the stage credit split's base when the playbook earns credit
on money collected (kept apart from store/orders so the pipeline's credit needs nothing else of it)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from ..models import Client
from ..models_orders import Payment, SalesOrder
from ..orders import yuan


def collected_by_client(session: Session, *, segment: str | None = None) -> list[tuple[int, float]]:
    """(client id, money collected) per order: the stage credit's base when the playbook earns
    it on money collected (refunds included, so they take it back)."""
    stmt = (select(SalesOrder.client_id, func.sum(Payment.amount_fen)).join(Payment, Payment.order_id == SalesOrder.id)
            .join(Client, Client.id == SalesOrder.client_id).group_by(SalesOrder.id, SalesOrder.client_id))
    if segment:
        stmt = stmt.where(Client.segment == segment)
    return [(cid, float(yuan(int(total or 0)))) for cid, total in session.execute(stmt).all() if total]
