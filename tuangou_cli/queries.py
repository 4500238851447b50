"""Core SELECTs for listings and exports: rows stream straight from the cursor, no ORM objects."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from .models import Audit, Classification, Client, Contact, Referral, Reward

CLIENT_COLUMNS = ["id", "name", "industry", "city", "headcount", "budget_per_head", "budget_total", "occasion",
                  "segment", "confidence", "stage", "owner", "notes", "created_at", "updated_at", "created_by",
                  "updated_by"]


def clients_query(*, segment: str | None = None, stage: str | None = None, owner: str | None = None,
                  city: str | None = None):
    stmt = select(*[getattr(Client, c) for c in CLIENT_COLUMNS]).order_by(Client.id)
    for column, value in ((Client.segment, segment), (Client.stage, stage), (Client.owner, owner),
                          (Client.city, city)):
        if value:
            stmt = stmt.where(column == value)
    return CLIENT_COLUMNS, stmt


def referrals_query(client_id: int | None = None):
    a, b = aliased(Client), aliased(Client)
    cols = ["id", "created_at", "referrer_id", "referrer", "referred_id", "referred", "contact", "contact_role",
            "contact_strength", "incentive", "incentive_code", "credited", "status", "status_at", "note",
            "created_by"]
    stmt = (
        select(Referral.id, Referral.created_at, a.id, a.name, b.id, b.name, Contact.name, Contact.role,
               Contact.strength, Referral.incentive, Referral.incentive_code, Referral.credited, Referral.status,
               Referral.status_at, Referral.note, Referral.created_by)
        .join(a, a.id == Referral.referrer_id)
        .join(b, b.id == Referral.referred_id)
        .outerjoin(Contact, Contact.id == Referral.contact_id)
        .order_by(Referral.id)
    )
    if client_id is not None:
        stmt = stmt.where(or_(Referral.referrer_id == client_id, Referral.referred_id == client_id))
    return cols, stmt


def classifications_query():
    cols = ["id", "created_at", "client_id", "client", "segment", "confidence", "playbook_version", "answers",
            "scores", "created_by"]
    stmt = (
        select(Classification.id, Classification.created_at, Client.id, Client.name, Classification.segment,
               Classification.confidence, Classification.playbook_version, Classification.answers,
               Classification.scores, Classification.created_by)
        .join(Client, Client.id == Classification.client_id)
        .order_by(Classification.id)
    )
    return cols, stmt


def rewards_query(*, referrer_id: int | None = None, due_only: bool = False):
    cols = ["id", "created_at", "referrer_id", "referrer", "referral_id", "deal_id", "kind", "description", "amount",
            "status", "reverses_id", "reason", "due_at", "granted_at", "granted_by", "voided_at", "voided_by",
            "created_by"]
    stmt = select(Reward.id, Reward.created_at, Reward.referrer_id, Reward.referrer_name, Reward.referral_id,
                  Reward.deal_id, Reward.kind, Reward.description, Reward.amount, Reward.status, Reward.reverses_id,
                  Reward.reason, Reward.due_at, Reward.granted_at, Reward.granted_by, Reward.voided_at,
                  Reward.voided_by, Reward.created_by).order_by(Reward.id)
    if referrer_id is not None:
        stmt = stmt.where(Reward.referrer_id == referrer_id)
    if due_only:
        stmt = stmt.where(Reward.status == "due")
    return cols, stmt


AUDIT_COLUMNS = ["id", "at", "by", "table", "row_id", "client_id", "action", "changes"]


def audit_query(client_id: int | None = None):
    """The audit trail, oldest first; for a client: its own rows, its contacts', deals', rewards' and
    referrals' (both the ones that introduced it and the ones it made)."""
    stmt = select(Audit.id, Audit.at, Audit.by, Audit.table_name, Audit.row_id, Audit.client_id, Audit.action,
                  Audit.changes).order_by(Audit.id)
    if client_id is not None:
        made = select(Referral.id).where(Referral.referrer_id == client_id)
        stmt = stmt.where(or_(Audit.client_id == client_id,
                              and_(Audit.table_name == "referral", Audit.row_id.in_(made))))
    return AUDIT_COLUMNS, stmt


QUERIES = {"clients": clients_query, "referrals": referrals_query, "classifications": classifications_query,
           "rewards": rewards_query, "audit": audit_query}
