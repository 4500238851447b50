"""The catalogue's tables: products, bundles made of them, and every price a product has had.

Apart from models.py so that commands which never read the catalogue do not build these
classes; ``models.load_all()`` loads them for what needs every table (migrations, tests).
Prices are kept in whole fen (an integer), exact on both engines.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, String, true
from sqlmodel import Field

from .models import Table, utcnow
from .sqltypes import UTCDateTime


class Product(Table, table=True):
    """One line of the price list (产品目录)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(60), unique=True, nullable=False))
    name_zh: str
    name_en: str
    spec_zh: Optional[str] = None
    spec_en: Optional[str] = None
    category_zh: str = Field(index=True)
    category_en: str
    unit_zh: str = Field(max_length=20)
    unit_en: str = Field(max_length=40)
    price_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    includes_vat: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    vat_rate: float = 13.0
    min_order: int = 1
    lead_days: Optional[int] = None
    occasions: str = ""
    """;-separated occasion codes; empty: any occasion."""
    segments: str = ""
    tags: str = ""
    tiers: str = ""
    """min_qty:discount_pct;… as in the catalogue CSV."""
    active: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by: str


class CatalogBundle(Table, table=True):
    """A bundle (套餐) made of products; the playbook's bundles become these."""

    __tablename__ = "catalog_bundle"
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(60), unique=True, nullable=False))
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    segments: str = ""
    tags: str = ""
    occasions: str = ""
    services: Any = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    """[{zh, en}, …]: the added value that comes with it."""
    min_sets: int = 1
    per_group: Optional[int] = None
    fixed_sets: Optional[int] = None
    tiers: str = ""
    active: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by: str


class BundleLine(Table, table=True):
    """A product and how many of it go into one set of a bundle."""

    __tablename__ = "bundle_line"
    id: Optional[int] = Field(default=None, primary_key=True)
    bundle_id: int = Field(
        sa_column=Column(Integer, ForeignKey("catalog_bundle.id", ondelete="CASCADE"), index=True, nullable=False)
    )
    product_code: str = Field(sa_column=Column(String(60), ForeignKey("product.code", ondelete="RESTRICT"),
                                               nullable=False))
    count: int = 1
    position: int = 0


class PriceHistory(Table, table=True):
    """Every price a product has had, from when: a saved deal keeps the price it was made at."""

    __tablename__ = "price_history"
    __table_args__ = (Index("ix_price_history_code_at", "product_code", "at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    product_code: str = Field(max_length=60)
    price_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    includes_vat: bool = True
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    by: str
    source: Optional[str] = None
    """import FILE | set-price | migration"""
