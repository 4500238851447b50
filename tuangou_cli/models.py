"""The SQLModel tables. Kept dialect-neutral: the same models run on SQLite and PostgreSQL.

Schema changes go through a migration in ``tuangou_cli/migrations/versions``;
``tests/test_migrations.py`` checks that the migrations build exactly these tables.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import JSON, Column, ForeignKey, Integer, MetaData, String
from sqlmodel import Field, SQLModel

from .sqltypes import UTCDateTime

# Named constraints, so migrations (and SQLite batch mode) can refer to them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Segment(SQLModel, table=True):
    """A kind of buyer, synced from the playbook whenever a classification is saved."""

    code: str = Field(primary_key=True, max_length=40)
    name_zh: str
    name_en: str
    playbook_version: str
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Client(SQLModel, table=True):
    """An organisation that buys (or may buy) in bulk."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    name_key: str = Field(index=True, max_length=200)
    industry: Optional[str] = None
    city: Optional[str] = None
    headcount: Optional[int] = None
    budget_per_head: Optional[float] = None
    budget_total: Optional[float] = None
    occasion: Optional[str] = None
    segment: Optional[str] = Field(
        default=None, sa_column=Column(String(40), ForeignKey("segment.code"), index=True)
    )
    confidence: Optional[float] = None
    stage: str = Field(default="lead", index=True, max_length=40)
    owner: Optional[str] = Field(default=None, index=True)
    notes: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str
    updated_by: str


class Contact(SQLModel, table=True):
    """A person at a client."""

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), index=True, nullable=False)
    )
    name: str
    title: Optional[str] = None
    phone: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class Classification(SQLModel, table=True):
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


class Referral(SQLModel, table=True):
    """Who introduced whom. One credited referrer per referred client (the first keeps it)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    referrer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), index=True, nullable=False)
    )
    referred_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), unique=True, nullable=False)
    )
    contact_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True)
    )
    incentive: Optional[str] = None
    status: str = Field(default="introduced", max_length=20)
    note: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str
