"""The account commands' work: contacts, competitors and needs added, listed, edited.

Each function opens the one transaction it needs on the app context's store and returns plain
results for the command to print. (Removing and undoing: mending.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import i18n


@dataclass
class Added:
    id: int
    message: str


def role_code(app_ctx: Any, value: str | None) -> str | None:
    from .accounts import ROLE_CODES, parse_role

    if value is None:
        return None
    if value.strip().lower() in ROLE_CODES:
        return value.strip().lower()
    return parse_role(value, app_ctx.playbook())  # a role name (拍板人 …) needs the playbook


def add_contact(app_ctx: Any, client: str, name: str, *, role: str, title: str | None, phone: str | None,
                strength: int | None, note: str | None) -> Added:
    from .accounts import check_strength
    from .store import accounts as acc
    from .store import clients as st

    code = role_code(app_ctx, role)
    check_strength(strength)
    phone = acc.clean_phone(phone)  # refused before the write opens
    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        contact = acc.add_contact(session, client=c, name=name, role=code, user=app_ctx.user(), title=title,
                                  phone=phone, strength=strength, note=note)
        return Added(contact.id, i18n.t("acct.contact_added", id=contact.id, name=contact.name, client=c.name))


def contact_rows(app_ctx: Any, client: str) -> list[list[Any]]:
    from .store import accounts as acc
    from .store import clients as st

    with app_ctx.store().read() as session:
        c = st.get_client(session, client)
        return [[x.id, x.name, x.role, x.title, x.phone, x.strength] for x in acc.contacts_of(session, c.id)]


def edit_contact(app_ctx: Any, contact: str, *, name: str | None, role: str | None, title: str | None,
                 phone: str | None) -> str:
    from .errors import UsageError
    from .store import accounts as acc

    if all(v is None for v in (name, role, title, phone)):
        raise UsageError(i18n.t("acct.nothing_to_edit"))
    code = role_code(app_ctx, role)
    with app_ctx.store().write() as session:
        row = acc.get_contact(session, contact)
        acc.edit_contact(session, row, user=app_ctx.user(), name=name, role=code, title=title, phone=phone)
        return i18n.t("acct.contact_updated", id=row.id, name=row.name)


def set_strength(app_ctx: Any, contact: str, value: int, note: str | None) -> str:
    from .accounts import check_strength
    from .store import accounts as acc

    check_strength(value)
    with app_ctx.store().write() as session:
        row = acc.get_contact(session, contact)
        before = row.strength
        acc.set_strength(session, row, strength=value, note=note, user=app_ctx.user())
        return i18n.t("acct.strength_set", id=row.id, name=row.name, before="—" if before is None else before,
                      after=value)


def add_competitor(app_ctx: Any, client: str, name: str, **fields: Any) -> Added:
    from .store import accounts as acc
    from .store import clients as st

    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        row, new = acc.add_competitor(session, client=c, name=name, user=app_ctx.user(), **fields)
        return Added(row.id, i18n.t("acct.competitor_added" if new else "trust.competitor_exists", id=row.id,
                                    name=row.name, client=c.name))


def competitor_rows(app_ctx: Any, client: str) -> list[list[Any]]:
    from .store import accounts as acc
    from .store import clients as st

    with app_ctx.store().read() as session:
        c = st.get_client(session, client)
        return [[x.id, x.name, x.offer, x.price, x.strength, x.weakness, x.created_at.isoformat(), x.created_by]
                for x in acc.competitors_of(session, c.id)]


def add_need(app_ctx: Any, client: str, text: str, kind: str) -> Added:
    from .store import accounts as acc
    from .store import clients as st

    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        row, new = acc.add_need(session, client=c, text=text, kind=kind, user=app_ctx.user())
        key = "acct.need_added" if new else "acct.need_exists"
        return Added(row.id, i18n.t(key, id=row.id, kind=i18n.t(f"acct.kind.{kind}"), text=row.text, client=c.name))


def need_rows(app_ctx: Any, client: str) -> list[list[Any]]:
    from .store import accounts as acc
    from .store import clients as st

    with app_ctx.store().read() as session:
        c = st.get_client(session, client)
        return [[n.id, n.kind, n.text, n.source, n.created_at.isoformat(), n.created_by]
                for n in acc.needs_of(session, c.id)]
