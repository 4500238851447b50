"""The tables that record what happened over time: classification runs, changes of a
relationship's strength, activities, the stage line, referral events and the audit trail.

They live apart from models.py so that commands which only read an account (`tg pitch`,
`tg clients show`) do not pay for building six more table classes: models.py loads this
module on first use of any of these names (``models.Audit`` or ``from .models import Audit``),
and ``models.load_all()`` loads it for whatever needs every table (migrations, demo data).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer
from sqlmodel import Field

from .models import Table, client_fk, utcnow
from .sqltypes import UTCDateTime


class ContactStrength(Table, table=True):
    """Each change of a relationship's strength, with why: 'dinner after the tender'."""

    __tablename__ = "contact_strength"
    id: Optional[int] = Field(default=None, primary_key=True)
    contact_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), index=True, nullable=False)
    )
    strength: int
    note: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class Activity(Table, table=True):
    """A call, visit, letter, e-mail or meeting, with the follow-up it promised."""

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = client_fk()
    type: str = Field(max_length=20)
    text: str
    next_action: Optional[str] = None
    due: Optional[date] = Field(default=None, index=True)
    done: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class StageEntry(Table, table=True):
    """The stage line: when a client entered each stage, who owned it, when it left."""

    __tablename__ = "stage_entry"
    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = client_fk()
    stage: str = Field(max_length=40)
    owner: Optional[str] = None
    entered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    left_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    created_by: str


class Classification(Table, table=True):
    """One run of the questionnaire: what was answered and what it concluded."""

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), index=True, nullable=False)
    )
    segment: str = Field(max_length=40)
    confidence: float
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    scores: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    playbook_version: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class ReferralEvent(Table, table=True):
    """Each step of a referral's life (introduced → contacted → meeting → won/lost), dated."""

    __tablename__ = "referral_event"
    id: Optional[int] = Field(default=None, primary_key=True)
    referral_id: int = Field(
        sa_column=Column(Integer, ForeignKey("referral.id", ondelete="CASCADE"), index=True, nullable=False)
    )
    status: str = Field(max_length=20)
    note: Optional[str] = None
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    by: str


class Audit(Table, table=True):
    """The audit trail: who inserted, changed or deleted a client, contact, deal, referral or reward,
    when, and each field's old → new value. Written by tuangou_cli.audit for every ORM flush.

    No foreign key to client: the history outlives the rows it describes.
    """

    __table_args__ = (Index("ix_audit_row", "table_name", "row_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    by: str
    table_name: str = Field(max_length=40)
    row_id: int
    client_id: Optional[int] = Field(default=None, index=True)
    """The client the row belongs to (a referral: the referred client; a reward: the referrer)."""
    action: str = Field(max_length=10)
    """insert | update | delete"""
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    """{field: [old, new]}"""
