"""Core SELECTs for the exports of an account's rows: deals, contacts, activities, needs, rivals, cases.

Each function returns (column names, statement), as queries.py does for clients and referrals, and
names the client beside its id so that a sheet reads on its own. On PostgreSQL with row-level
security a rep's export holds the rows the policies let them see, like every listing.
"""

from __future__ import annotations


def deals_query():
    from sqlalchemy import select

    from .models import Client, Deal

    cols = ["id", "created_at", "client_id", "client", "bundle_code", "quantity", "amount", "status",
            "lost_reason", "closed_at", "created_by", "updated_at", "updated_by"]
    stmt = (select(Deal.id, Deal.created_at, Deal.client_id, Client.name, Deal.bundle_code, Deal.quantity,
                   Deal.amount, Deal.status, Deal.lost_reason, Deal.closed_at, Deal.created_by, Deal.updated_at,
                   Deal.updated_by)
            .join(Client, Client.id == Deal.client_id).order_by(Deal.id))
    return cols, stmt


def contacts_query():
    from sqlalchemy import select

    from .models import Client, Contact

    cols = ["id", "client_id", "client", "name", "title", "phone", "role", "strength", "created_at", "created_by",
            "updated_at", "updated_by"]
    stmt = (select(Contact.id, Contact.client_id, Client.name, Contact.name, Contact.title, Contact.phone,
                   Contact.role, Contact.strength, Contact.created_at, Contact.created_by, Contact.updated_at,
                   Contact.updated_by)
            .join(Client, Client.id == Contact.client_id).order_by(Contact.id))
    return cols, stmt


def activities_query():
    from sqlalchemy import select

    from .models import Activity, Client

    cols = ["id", "created_at", "client_id", "client", "type", "text", "next_action", "due", "done", "created_by"]
    stmt = (select(Activity.id, Activity.created_at, Activity.client_id, Client.name, Activity.type, Activity.text,
                   Activity.next_action, Activity.due, Activity.done, Activity.created_by)
            .join(Client, Client.id == Activity.client_id).order_by(Activity.id))
    return cols, stmt


def needs_query():
    from sqlalchemy import select

    from .models import Client, Need

    cols = ["id", "created_at", "client_id", "client", "kind", "text", "source", "created_by"]
    stmt = (select(Need.id, Need.created_at, Need.client_id, Client.name, Need.kind, Need.text, Need.source,
                   Need.created_by)
            .join(Client, Client.id == Need.client_id).order_by(Need.id))
    return cols, stmt


def competitors_query():
    from sqlalchemy import select

    from .models import Client, Competitor

    cols = ["id", "created_at", "client_id", "client", "name", "offer", "price", "strength", "weakness",
            "created_by"]
    stmt = (select(Competitor.id, Competitor.created_at, Competitor.client_id, Client.name, Competitor.name,
                   Competitor.offer, Competitor.price, Competitor.strength, Competitor.weakness,
                   Competitor.created_by)
            .join(Client, Client.id == Competitor.client_id).order_by(Competitor.id))
    return cols, stmt


def cases_query():
    """The case library; a case's client may be gone (or, under row-level security, not the rep's
    to see): its id stays, its name is empty."""
    from sqlalchemy import select

    from .models import Case, Client

    cols = ["id", "created_at", "title", "outcome", "segment", "industry", "decided_by", "technique", "lesson",
            "client_id", "client", "created_by"]
    stmt = (select(Case.id, Case.created_at, Case.title, Case.outcome, Case.segment, Case.industry, Case.decided_by,
                   Case.technique, Case.lesson, Case.client_id, Client.name, Case.created_by)
            .outerjoin(Client, Client.id == Case.client_id).order_by(Case.id))
    return cols, stmt
