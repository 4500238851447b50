"""The quotation tables: quotes and their lines, the buyers' invoice details (开票信息) and the
quote number counter. Money is kept in whole fen (integers) and rates in basis points, so the
same exact amounts come back on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field

from .models import Table, client_fk, utcnow
from .sqltypes import UTCDateTime


class BillingInfo(Table, table=True):
    """How a client's invoices must name it: the title (抬头) a quotation is addressed to, the
    unified social credit code (checked), address, phone, bank and account, 专票 or 普票."""

    __tablename__ = "billing_info"
    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = Field(sa_column=Column(Integer, ForeignKey("client.id", ondelete="CASCADE"), nullable=False,
                                            unique=True))
    title: str = Field(max_length=200)
    credit_code: Optional[str] = Field(default=None, max_length=18)
    address: Optional[str] = None
    phone: Optional[str] = Field(default=None, max_length=40)
    bank: Optional[str] = None
    account: Optional[str] = Field(default=None, max_length=40)
    kind: str = Field(default="normal", max_length=10)
    """special (增值税专用发票) | normal (普通发票)"""
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by: str


class QuoteCounter(Table, table=True):
    """The last quote number given per prefix and year (shared: a rep under row-level security
    cannot see other reps' quotes, yet their numbers must not repeat)."""

    __tablename__ = "quote_counter"
    prefix: str = Field(primary_key=True, max_length=6)
    year: int = Field(primary_key=True)
    last: int = 0


class Quote(Table, table=True):
    """One version of a numbered quotation. A revision is a new row with the same number and the
    next version; the earlier one is kept, superseded."""

    __table_args__ = (UniqueConstraint("number", "version", name="uq_quote_number_version"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, index=True)
    version: int = 1
    client_id: int = client_fk()
    status: str = Field(default="open", max_length=20, index=True)
    """awaiting_approval | open | accepted | rejected | superseded"""
    lang: str = Field(max_length=2)
    currency: str = Field(max_length=8)
    issued_on: date
    valid_until: date
    extra_discount_bp: int = 0
    """The rep's discount on top of the tiers, in basis points (500 = 5%)."""
    subtotal_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    vat_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    total_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    company: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    """Our header as it was when the quote was made (a later edit of the playbook does not change
    a quote the buyer has filed)."""
    buyer: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    delivery_terms: str
    payment_terms: str
    request: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    """What was asked (bundle, items): a revision starts from it."""
    approved_by: Optional[str] = None
    approved_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    decided_by: Optional[str] = None
    decided_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    reason: Optional[str] = None
    deal_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("deal.id", ondelete="SET NULL"), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class QuoteLine(Table, table=True):
    __tablename__ = "quote_line"
    id: Optional[int] = Field(default=None, primary_key=True)
    quote_id: int = Field(sa_column=Column(Integer, ForeignKey("quote.id", ondelete="CASCADE"), index=True,
                                           nullable=False))
    position: int
    code: str = Field(max_length=60)
    name: str
    spec: str = ""
    unit: str = Field(max_length=20)
    quantity: int
    unit_price_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    tier_discount_bp: int = 0
    extra_discount_bp: int = 0
    vat_rate_bp: int = 1300
    includes_vat: bool = True
    total_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    tax_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
