"""The sales targets table: an amount a rep (or the whole team) is to reach in a month, on won
deals or on money collected. Amounts in whole fen, so SQLite and PostgreSQL give back the same."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field

from .models import Table, utcnow
from .sqltypes import UTCDateTime

TEAM = ""
"""``rep`` of the whole team's target: no user name is empty, so it cannot be taken for one."""


class SalesTarget(Table, table=True):
    """One target: setting it again replaces the amount (one row per rep, month and basis)."""

    __tablename__ = "sales_target"
    __table_args__ = (UniqueConstraint("rep", "month", "basis", name="uq_sales_target_rep_month_basis"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    rep: str = Field(max_length=200, index=True)
    month: str = Field(max_length=7, index=True)
    """YYYY-MM"""
    basis: str = Field(default="won", max_length=10)
    """won (deals won in the month) | collected (money collected in the month)"""
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str
    updated_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    updated_by: Optional[str] = None
