"""tg contacts add | list | edit | strength"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .. import i18n
from ..errors import UsageError
from .options import ListFormat, format_option
from .output import say

app = typer.Typer(no_args_is_help=True)

COLUMNS = ["id", "name", "role", "title", "phone", "strength"]


def _h(key: str) -> str:
    return i18n.both(key)


def _role(ctx: typer.Context, value: Optional[str]) -> Optional[str]:
    from ..accounts import ROLE_CODES, parse_role

    if value is None:
        return None
    if value.strip().lower() in ROLE_CODES:
        return value.strip().lower()
    return parse_role(value, ctx.obj.playbook())  # a role name (拍板人 …) needs the playbook


@app.command("add", help=_h("help.acct.contacts.add"))
def add(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    name: str = typer.Argument(..., help=_h("help.acct.contact_name"), show_default=False),
    role: str = typer.Option(..., "--role", help=_h("help.acct.role"), show_default=False),
    title: Optional[str] = typer.Option(None, "--title", help=_h("help.acct.title")),
    phone: Optional[str] = typer.Option(None, "--phone", help=_h("help.acct.phone")),
    strength: Optional[int] = typer.Option(None, "--strength", help=_h("help.acct.strength")),
    note: Optional[str] = typer.Option(None, "--note", help=_h("help.note")),
) -> None:
    from ..store import accounts as acc
    from ..store import clients as st
    from ..accounts import check_strength

    code = _role(ctx, role)
    check_strength(strength)
    app_ctx = ctx.obj
    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        contact = acc.add_contact(session, client=c, name=name, role=code, user=app_ctx.user(), title=title,
                                  phone=phone, strength=strength, note=note)
        message = i18n.t("acct.contact_added", id=contact.id, name=contact.name, client=c.name)
        cid = contact.id
    say(message)
    sys.stdout.write(f"{cid}\n")


@app.command("list", help=_h("help.acct.contacts.list"))
def list_contacts(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..store import accounts as acc
    from ..store import clients as st
    from .output import emit

    with ctx.obj.store().read() as session:
        c = st.get_client(session, client)
        rows = [[x.id, x.name, x.role, x.title, x.phone, x.strength] for x in acc.contacts_of(session, c.id)]
    if fmt == ListFormat.table:
        rows = [[r[0], r[1], role_label(r[2]), r[3], r[4], stars(r[5])] for r in rows]
    emit(fmt, COLUMNS, [i18n.t(f"acct.col.{k}") for k in COLUMNS], rows)


def role_label(code: Optional[str]) -> str:
    key = f"acct.role.{code}"
    return i18n.t(key) if code and key in i18n.CATALOGUE else (code or "")


def stars(strength: Optional[int]) -> str:
    return "" if strength is None else f"{'★' * strength}{'☆' * (5 - strength)} {strength}"


@app.command("edit", help=_h("help.acct.contacts.edit"))
def edit(
    ctx: typer.Context,
    contact: str = typer.Argument(..., help=_h("help.acct.contact"), show_default=False),
    name: Optional[str] = typer.Option(None, "--name", help=_h("help.acct.contact_name")),
    role: Optional[str] = typer.Option(None, "--role", help=_h("help.acct.role")),
    title: Optional[str] = typer.Option(None, "--title", help=_h("help.acct.title")),
    phone: Optional[str] = typer.Option(None, "--phone", help=_h("help.acct.phone")),
) -> None:
    from ..store import accounts as acc

    if all(v is None for v in (name, role, title, phone)):
        raise UsageError(i18n.t("acct.nothing_to_edit"))
    code = _role(ctx, role)
    app_ctx = ctx.obj
    with app_ctx.store().write() as session:
        row = acc.get_contact(session, contact)
        acc.edit_contact(session, row, user=app_ctx.user(), name=name, role=code, title=title, phone=phone)
        message = i18n.t("acct.contact_updated", id=row.id, name=row.name)
    say(message)


@app.command("strength", help=_h("help.acct.contacts.strength"))
def strength(
    ctx: typer.Context,
    contact: str = typer.Argument(..., help=_h("help.acct.contact"), show_default=False),
    value: int = typer.Argument(..., help=_h("help.acct.strength"), show_default=False),
    note: Optional[str] = typer.Option(None, "--note", help=_h("help.acct.strength_note")),
) -> None:
    from ..store import accounts as acc
    from ..accounts import check_strength

    check_strength(value)
    app_ctx = ctx.obj
    with app_ctx.store().write() as session:
        row = acc.get_contact(session, contact)
        before = row.strength
        acc.set_strength(session, row, strength=value, note=note, user=app_ctx.user())
        message = i18n.t("acct.strength_set", id=row.id, name=row.name, before="—" if before is None else before,
                         after=value)
    say(message)
