"""tg contacts add | list | edit | rm | strength"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from .options import ListFormat, format_option, yes_option
from .listing import limit_option, output_option
from .output import say

app = typer.Typer(no_args_is_help=True)

COLUMNS = ["id", "name", "role", "title", "phone", "strength"]


def _h(key: str) -> str:
    return i18n.both(key)


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
    from .. import accounts_use

    added = accounts_use.add_contact(ctx.obj, client, name, role=role, title=title, phone=phone,
                                     strength=strength, note=note)
    say(added.message)
    sys.stdout.write(f"{added.id}\n")


@app.command("list", help=_h("help.acct.contacts.list"))
def list_contacts(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    limit: int = limit_option(),
    fmt: ListFormat = format_option(ListFormat.table),
    output: Optional[Path] = output_option(),
) -> None:
    from .. import accounts_use
    from .listing import chosen, show

    fmt = chosen(fmt, output)

    rows = accounts_use.contact_rows(ctx.obj, client)
    if fmt == ListFormat.table:
        rows = [[r[0], r[1], role_label(r[2]), r[3], r[4], stars(r[5])] for r in rows]
    show(fmt, COLUMNS, [i18n.t(f"acct.col.{k}") for k in COLUMNS], rows, limit=limit, output=output)


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
    from .. import accounts_use

    say(accounts_use.edit_contact(ctx.obj, contact, name=name, role=role, title=title, phone=phone))


@app.command("strength", help=_h("help.acct.contacts.strength"))
def strength(
    ctx: typer.Context,
    contact: str = typer.Argument(..., help=_h("help.acct.contact"), show_default=False),
    value: int = typer.Argument(..., help=_h("help.acct.strength"), show_default=False),
    note: Optional[str] = typer.Option(None, "--note", help=_h("help.acct.strength_note")),
) -> None:
    from .. import accounts_use

    say(accounts_use.set_strength(ctx.obj, contact, value, note))


@app.command("rm", help=_h("help.daily.contacts.rm"))
def rm(
    ctx: typer.Context,
    contact: str = typer.Argument(..., help=_h("help.acct.contact"), show_default=False),
    yes: bool = yes_option(),
) -> None:
    from .. import mending
    from .mend import confirmer, removed

    removed(mending.remove(ctx.obj, "contact", contact, confirmer(yes)))
