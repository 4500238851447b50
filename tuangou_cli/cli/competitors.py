"""tg competitors add | list | edit | rm"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from .options import MAX_MONEY, ListFormat, format_option, yes_option
from .listing import limit_option, output_option
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
    from .. import accounts_use

    added = accounts_use.add_competitor(ctx.obj, client, name, offer=offer, price=price, strength=strength,
                                        weakness=weakness)
    say(added.message)
    sys.stdout.write(f"{added.id}\n")


@app.command("list", help=_h("help.acct.competitors.list"))
def list_competitors(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    limit: int = limit_option(),
    fmt: ListFormat = format_option(ListFormat.table),
    output: Optional[Path] = output_option(),
) -> None:
    from .. import accounts_use
    from .listing import chosen, show

    fmt = chosen(fmt, output)

    rows = accounts_use.competitor_rows(ctx.obj, client)
    if fmt == ListFormat.table:
        from ..recommend import money

        cur = ctx.obj.playbook().currency
        rows = [r[:3] + [None if r[3] is None else money(r[3], cur)] + r[4:6] for r in rows]
        show(fmt, COLUMNS[:6], [i18n.t(f"acct.col.{k}") for k in COLUMNS[:6]], rows, limit=limit, output=output)
    else:
        show(fmt, COLUMNS, COLUMNS, rows, limit=limit, output=output)


@app.command("edit", help=_h("help.daily.competitors.edit"))
def edit(
    ctx: typer.Context,
    competitor: str = typer.Argument(..., help=_h("help.daily.competitor"), show_default=False),
    name: Optional[str] = typer.Option(None, "--name", help=_h("help.acct.rival_name")),
    offer: Optional[str] = typer.Option(None, "--offer", help=_h("help.acct.offer")),
    price: Optional[float] = typer.Option(None, "--price", min=0, max=MAX_MONEY, help=_h("help.acct.price")),
    strength: Optional[str] = typer.Option(None, "--strength", help=_h("help.acct.rival_strength")),
    weakness: Optional[str] = typer.Option(None, "--weakness", help=_h("help.acct.rival_weakness")),
) -> None:
    from .. import mending
    from .mend import edited

    edited(mending.edit_competitor(ctx.obj, competitor, name=name, offer=offer, price=price, strength=strength,
                                   weakness=weakness))


@app.command("rm", help=_h("help.daily.competitors.rm"))
def rm(
    ctx: typer.Context,
    competitor: str = typer.Argument(..., help=_h("help.daily.competitor"), show_default=False),
    yes: bool = yes_option(),
) -> None:
    from .. import mending
    from .mend import confirmer, removed

    removed(mending.remove(ctx.obj, "competitor", competitor, confirmer(yes)))
