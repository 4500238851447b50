"""tg competitors add | list"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .. import i18n
from .options import MAX_MONEY, ListFormat, format_option
from .output import say

app = typer.Typer(no_args_is_help=True)

COLUMNS = ["id", "name", "offer", "price", "strength", "weakness", "created_at", "created_by"]


def _h(key: str) -> str:
    return i18n.both(key)


@app.command("add", help=_h("help.acct.competitors.add"))
def add(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    name: str = typer.Argument(..., help=_h("help.acct.rival_name"), show_default=False),
    offer: Optional[str] = typer.Option(None, "--offer", help=_h("help.acct.offer")),
    price: Optional[float] = typer.Option(None, "--price", min=0, max=MAX_MONEY, help=_h("help.acct.price")),
    strength: Optional[str] = typer.Option(None, "--strength", help=_h("help.acct.rival_strength")),
    weakness: Optional[str] = typer.Option(None, "--weakness", help=_h("help.acct.rival_weakness")),
) -> None:
    from ..store import accounts as acc
    from ..store import clients as st

    app_ctx = ctx.obj
    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        row = acc.add_competitor(session, client=c, name=name, user=app_ctx.user(), offer=offer, price=price,
                                 strength=strength, weakness=weakness)
        message = i18n.t("acct.competitor_added", id=row.id, name=row.name, client=c.name)
        rid = row.id
    say(message)
    sys.stdout.write(f"{rid}\n")


@app.command("list", help=_h("help.acct.competitors.list"))
def list_competitors(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..store import accounts as acc
    from ..store import clients as st
    from .output import emit

    with ctx.obj.store().read() as session:
        c = st.get_client(session, client)
        rows = [[x.id, x.name, x.offer, x.price, x.strength, x.weakness, x.created_at.isoformat(), x.created_by]
                for x in acc.competitors_of(session, c.id)]
    if fmt == ListFormat.table:
        from ..recommend import money

        cur = ctx.obj.playbook().currency
        rows = [r[:3] + [None if r[3] is None else money(r[3], cur)] + r[4:6] for r in rows]
        emit(fmt, COLUMNS[:6], [i18n.t(f"acct.col.{k}") for k in COLUMNS[:6]], rows)
    else:
        emit(fmt, COLUMNS, COLUMNS, rows)
