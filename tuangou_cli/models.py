"""The SQLModel tables. Kept dialect-neutral: the same models run on SQLite and PostgreSQL.

Schema changes go through a migration in ``tuangou_cli/migrations/versions``;
``tests/test_migrations.py`` checks that the migrations build exactly these tables.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import Column, FetchedValue, ForeignKey, Index, Integer, MetaData, String, text, true
from pydantic import ConfigDict
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


class Table(SQLModel):
    """Base of every table. Table models never validate on construction, so their pydantic
    schema is built only if something asks for it: a third off importing these models,
    which every database command pays."""

    model_config = ConfigDict(defer_build=True)


def utcnow() -> datetime:
    """The time now in UTC, on TG_TODAY's date when it is set: what a record says it was made
    at follows the date every command sees (a simulated 90 days, a what-if)."""
    from .clock import now

    return now()


class Segment(Table, table=True):
    """A kind of buyer, synced from the playbook whenever a classification is saved."""

    code: str = Field(primary_key=True, max_length=40)
    name_zh: str
    name_en: str
    playbook_version: str
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Client(Table, table=True):
    """An organisation that buys (or may buy) in bulk."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    name_key: str = Field(index=True, max_length=200)
    dedupe_key: Optional[str] = Field(default=None, index=True, max_length=200)
    """importer.dedupe_key(name): what 查重 compares (rls.py), kept by whatever writes the name."""
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
    owner: Optional[str] = Field(default=None, index=True,
                                 sa_column_kwargs={"server_default": FetchedValue()})
    """FetchedValue (no DDL): an INSERT without an owner reads back what the database put there,
    the rep's own name under row-level security (rls.py), so the audit row and tg agree with it."""
    notes: Optional[str] = None
    parent_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("client.id", ondelete="SET NULL"), index=True)
    )
    """The parent organisation (a bank's head office, a hospital group): no referrals within a group."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str
    updated_by: str


class Contact(Table, table=True):
    """A person at a client."""

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), index=True, nullable=False)
    )
    name: str
    title: Optional[str] = None
    phone: Optional[str] = None
    role: Optional[str] = Field(default=None, max_length=20)
    """decision-maker | purchaser | user | influencer | gatekeeper"""
    strength: Optional[int] = None
    """Relationship strength 1–5; its dated history is in contact_strength."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str
    updated_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    updated_by: Optional[str] = None


def client_fk(index: bool = True) -> Any:
    return Field(sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), index=index, nullable=False))


class Competitor(Table, table=True):
    """A rival supplier bidding for the same client, and what we know of its offer."""

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = client_fk()
    name: str
    offer: Optional[str] = None
    price: Optional[float] = None
    strength: Optional[str] = None
    weakness: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class Need(Table, table=True):
    """A need point: stated (gets us shortlisted) or guided (added value we led them to)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = client_fk()
    kind: str = Field(max_length=10)
    """stated | guided"""
    text: str
    source: str = Field(default="manual", max_length=20)
    """manual | classify"""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class Deal(Table, table=True):
    """A quoted bundle for a client: open, then won or lost (a lost deal always says why)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = client_fk()
    bundle_code: Optional[str] = Field(default=None, max_length=40)
    quantity: int
    amount: float
    status: str = Field(default="open", max_length=10, index=True)
    """open | won | lost"""
    lost_reason: Optional[str] = None
    closed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str
    updated_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    updated_by: Optional[str] = None


class Case(Table, table=True):
    """The support centre's library: a win or a loss, who decided, what worked, the lesson."""

    __tablename__ = "case_study"
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str
    outcome: str = Field(max_length=10)
    """won | lost"""
    segment: Optional[str] = Field(default=None, max_length=40)
    industry: Optional[str] = None
    decided_by: Optional[str] = None
    technique: Optional[str] = None
    lesson: Optional[str] = None
    client_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("client.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class Reciprocal(Table, table=True):
    """Becoming our client's client: what we bought from them (their insurance, cards…)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = client_fk()
    we_buy: str
    amount: float
    on: date
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class Referral(Table, table=True):
    """Who introduced whom. One credited referrer per referred client (the first keeps it);
    later introductions of the same client are kept, uncredited, for the record."""

    __table_args__ = (
        # Partial indexes. Their conditions are written the way SQLAlchemy renders
        # `where(Referral.credited)` on each engine, so the planner can match them. The PostgreSQL
        # condition is added by postgresql_options(): naming it here would import SQLAlchemy's
        # PostgreSQL dialect (50 ms) into every SQLite run.
        # At most one credited referral per referred client:
        Index("uq_referral_credited_referred", "referred_id", unique=True,
              sqlite_where=text("credited = 1")),
        # Covers the referral report: per referrer, counts and converted value from the index alone.
        Index("ix_referral_credited_referrer", "referrer_id", "converted_at", "converted_value",
              sqlite_where=text("credited = 1")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    referrer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), index=True, nullable=False)
    )
    referred_id: int = Field(
        sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), index=True, nullable=False)
    )
    contact_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True)
    )
    incentive: Optional[str] = None
    """What the referrer was promised, in the rep's words."""
    incentive_code: Optional[str] = Field(default=None, max_length=40)
    """The playbook incentive rule that prices the reward."""
    status: str = Field(default="introduced", max_length=20)
    note: Optional[str] = None
    credited: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    status_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    converted_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    converted_value: Optional[float] = None
    """The amount of the won deal that converted it."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


REWARD_LIVE = "reverses_id IS NULL AND status IN ('pending', 'due', 'granted')"
REWARD_REVERSAL = "reverses_id IS NOT NULL AND status <> 'voided'"


class Reward(Table, table=True):
    """The referral rewards ledger. A granted entry is never edited: a refund adds a negative entry.

    Entries outlive the clients and referrals they came from (SET NULL), with the names kept.
    """

    __table_args__ = (
        # One live reward per referral, one reversal per granted reward (migration 0005); the
        # PostgreSQL conditions are added by postgresql_options(), as for Referral.
        Index("uq_reward_live_referral", "referral_id", unique=True, sqlite_where=text(REWARD_LIVE)),
        Index("uq_reward_reverses", "reverses_id", unique=True, sqlite_where=text(REWARD_REVERSAL)),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    referral_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("referral.id", ondelete="SET NULL"), index=True)
    )
    referrer_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("client.id", ondelete="SET NULL"), index=True)
    )
    referrer_name: str
    deal_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("deal.id", ondelete="SET NULL"))
    )
    kind: str = Field(max_length=20)
    """discount | resources | gift | commission"""
    description: str
    amount: float
    status: str = Field(default="pending", max_length=10, index=True)
    """pending | due | granted | voided"""
    reverses_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("reward.id", ondelete="SET NULL"))
    )
    reason: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str
    due_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    granted_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    granted_by: Optional[str] = None
    voided_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    voided_by: Optional[str] = None


# The event tables (models_history), loaded on first use of one of their names.
HISTORY_TABLES = ("ContactStrength", "Activity", "StageEntry", "Classification", "ReferralEvent", "Audit")


def __getattr__(name: str) -> Any:
    if name in HISTORY_TABLES:
        from . import models_history

        return getattr(models_history, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_all() -> MetaData:
    """Every table class defined, and the metadata that holds them all."""
    # defining the classes registers their tables
    from . import (models_catalog, models_history, models_orders, models_pool, models_quotes,  # noqa: F401
                   models_targets)

    return metadata


def postgresql_options() -> None:
    """Dialect options only PostgreSQL needs; db.make_engine calls this for a PostgreSQL URL."""
    for index in Referral.__table__.indexes:
        if index.name in ("uq_referral_credited_referred", "ix_referral_credited_referrer"):
            index.dialect_options["postgresql"]["where"] = text("credited")
    for index in Reward.__table__.indexes:
        if index.name == "uq_reward_live_referral":
            index.dialect_options["postgresql"]["where"] = text(REWARD_LIVE)
        elif index.name == "uq_reward_reverses":
            index.dialect_options["postgresql"]["where"] = text(REWARD_REVERSAL)
