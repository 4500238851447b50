"""The lead pool's tables: every claim, release, reclaim, assignment and hand-over (pool_event),
and the caps a PostgreSQL database enforces itself (pool_setting, see rls.py's tg_pool_claim).

A client is in the pool when it has no owner; these tables only remember how it got there and
who took it, which the caps (claims a day) and the wait before a previous owner claims again
are counted from.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Index
from sqlmodel import Field

from .models import Table, utcnow
from .sqltypes import UTCDateTime

POOL_ACTIONS = ("claim", "release", "reclaim", "assign", "handover")


class PoolEvent(Table, table=True):
    """One move of a client into or out of a rep's hands, with the rule that moved it.

    No foreign key to client: like the audit trail, the record outlives the client."""

    __tablename__ = "pool_event"
    __table_args__ = (Index("ix_pool_event_by_day", "to_owner", "action", "day"),
                      Index("ix_pool_event_from", "from_owner", "client_id"))
    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(index=True)
    client_name: str = Field(max_length=200)
    action: str = Field(max_length=10)
    """claim | release | reclaim | assign | handover"""
    from_owner: Optional[str] = None
    to_owner: Optional[str] = None
    rule: str = Field(max_length=80)
    """Why: manual, claim, no_activity:C:30, no_open_deal:B:90, no_win:A:24, handover…"""
    reason: Optional[str] = None
    day: date = Field(index=True)
    """Today's date as tg saw it (clock.today): what the daily cap and the wait count in."""
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    by: str


class PoolSetting(Table, table=True):
    """The caps as last written from the playbook by someone who may (a manager's tg pool sweep):
    on PostgreSQL, tg_pool_claim reads them, so a rep cannot claim past them by editing a playbook."""

    __tablename__ = "pool_setting"
    name: str = Field(primary_key=True, max_length=40)
    value: int
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by: str


SETTINGS = ("claims_per_day", "max_held", "reclaim_wait_days")
