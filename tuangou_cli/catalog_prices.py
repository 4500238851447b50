"""Changing a catalogue item's price, as a use case (tg catalog set-price): one transaction,
the catalogue seeded from the playbook first if it never was."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def set_price(app_ctx, code: str, value: Decimal, *, excl_vat: bool) -> Any:
    """store.catalog's price change (code, old, new)."""
    from .store import catalog as catalog_store

    user = app_ctx.user()
    with app_ctx.store().write() as session:
        catalog_store.ensure_seeded(session, app_ctx.playbook(), by=user)
        return catalog_store.set_price(session, code.strip().upper(), value, by=user,
                                       includes_vat=False if excl_vat else None)
