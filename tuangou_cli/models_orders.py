"""From won to cash: orders and their lines, the packing list per department and its deliveries,
invoices, the payment plan, payments and the earnings booked on money collected. Money is whole
fen (integers), as for quotes. Payments, invoices, deliveries and earnings are ledgers: a
refund, a voided invoice or a later delivery step is a new row, never an edit of an old one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field

from .models import Table, client_fk, utcnow
from .sqltypes import UTCDateTime


def order_fk(**kw):
    return Field(sa_column=Column(Integer, ForeignKey("sales_order.id", ondelete="CASCADE"), index=True,
                                  nullable=False), **kw)


class SalesOrder(Table, table=True):
    """What the buyer ordered: the won deal's amount, when and where it is delivered."""

    __tablename__ = "sales_order"
    id: Optional[int] = Field(default=None, primary_key=True)
    client_id: int = client_fk()
    deal_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("deal.id", ondelete="SET NULL"), nullable=True))
    quote_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("quote.id", ondelete="SET NULL"), nullable=True))
    total_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    ordered_on: date
    delivery_date: Optional[date] = None
    address: Optional[str] = None
    occasion: Optional[str] = Field(default=None, max_length=40)
    """The festival it is for (中秋, 春节 …): next year's reorder reminder comes from it."""
    status: str = Field(default="open", max_length=20)
    """open | cancelled"""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class OrderLine(Table, table=True):
    __tablename__ = "order_line"
    id: Optional[int] = Field(default=None, primary_key=True)
    order_id: int = order_fk()
    position: int
    code: str = Field(max_length=60)
    name: str
    unit: str = Field(max_length=20)
    quantity: int
    total_fen: int = Field(sa_column=Column(BigInteger, nullable=False))


class PackingLine(Table, table=True):
    """How many of an item one department gets (按部门分装)."""

    __tablename__ = "packing_line"
    __table_args__ = (UniqueConstraint("order_id", "department", "code", name="uq_packing_line"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    order_id: int = order_fk()
    department: str = Field(max_length=200)
    headcount: Optional[int] = None
    code: str = Field(max_length=60)
    count: int


class DeliveryEvent(Table, table=True):
    """A department's parcel packed, delivered or signed for (by whom, when)."""

    __tablename__ = "delivery_event"
    id: Optional[int] = Field(default=None, primary_key=True)
    order_id: int = order_fk()
    department: str = Field(max_length=200)
    status: str = Field(max_length=20)
    """packed | delivered | signed"""
    by: Optional[str] = None
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class Invoice(Table, table=True):
    """An invoice asked for, issued, sent. Voiding adds a red-letter row (红冲: the negative
    amount, ``reverses_id`` naming the voided one); the total invoiced is the sum of amounts."""

    id: Optional[int] = Field(default=None, primary_key=True)
    order_id: int = order_fk()
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    kind: str = Field(max_length=10)
    """special (专票) | normal (普票)"""
    billing: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    """The buyer's 开票信息 as it was when the invoice was asked for."""
    status: str = Field(default="requested", max_length=20)
    """requested | issued | sent (a row with reverses_id: void)"""
    number: Optional[str] = Field(default=None, max_length=40)
    issued_on: Optional[date] = None
    courier: Optional[str] = Field(default=None, max_length=60)
    reverses_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("invoice.id", ondelete="SET NULL"), nullable=True,
                                       unique=True))
    reason: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class Instalment(Table, table=True):
    """One due amount of the order's payment plan (回款计划)."""

    __table_args__ = (UniqueConstraint("order_id", "position", name="uq_instalment_position"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    order_id: int = order_fk()
    position: int
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    due_on: date
    created_by: str


class Payment(Table, table=True):
    """Money received (回款记录); a refund is a row with a negative amount."""

    id: Optional[int] = Field(default=None, primary_key=True)
    order_id: int = order_fk()
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    paid_on: date
    method: Optional[str] = Field(default=None, max_length=40)
    note: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str


class Earning(Table, table=True):
    """What a referral reward earned on money collected: one row per payment or refund that
    moved it (negative when money went back), so the ledger explains every change."""

    id: Optional[int] = Field(default=None, primary_key=True)
    order_id: int = order_fk()
    payment_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("payment.id", ondelete="SET NULL"), nullable=True))
    reward_id: Optional[int] = Field(
        default=None, sa_column=Column(Integer, ForeignKey("reward.id", ondelete="SET NULL"), index=True,
                                       nullable=True))
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str
