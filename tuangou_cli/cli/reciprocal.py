"""tg reciprocal add | list — becoming our client's client."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .. import i18n
from .options import MAX_MONEY, ListFormat, format_option
from .output import say

app = typer.Typer(no_args_is_help=True)

COLUMNS = ["id", "date", "client_id", "client", "we_buy", "amount", "created_by"]


def _h(key: str) -> str:
    return i18n.both(key)


@app.command("add", help=_h("help.acct.reciprocal.add"))
def add(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    we_buy: str = typer.Option(..., "--we-buy", help=_h("help.acct.we_buy"), show_default=False),
    amount: float = typer.Option(..., "--amount", min=0, max=MAX_MONEY, help=_h("help.acct.amount"),
                                 show_default=False),
    on: Optional[str] = typer.Option(None, "--date", help=_h("help.acct.date"), metavar="DATE"),
) -> None:
    from .. import referring
    from ..accounts import parse_date
    from ..recommend import money

    day = parse_date(on)
    app_ctx = ctx.obj
    cur = app_ctx.playbook().currency
    done = referring.add_reciprocal(app_ctx, client, we_buy=we_buy, amount=amount, on=day)
    say(i18n.t("acct.reciprocal_added", id=done.id, client=done.client, what=done.we_buy,
               amount=money(done.amount, cur)), balance_line(done.balance, cur))
    sys.stdout.write(f"{done.id}\n")


def balance_line(b, currency: str) -> str:
    from ..recommend import money

    return i18n.t("acct.balance", revenue=money(b.revenue, currency), bought=money(b.bought, currency),
                  net=("+" if b.net >= 0 else "−") + money(abs(b.net), currency))


@app.command("list", help=_h("help.acct.reciprocal.list"))
def list_reciprocal(
    ctx: typer.Context,
    client: Optional[str] = typer.Argument(None, help=_h("help.pitch.client"), show_default=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from .. import referring
    from .output import emit

    rows = referring.reciprocal_rows(ctx.obj, client)
    if fmt == ListFormat.table:
        from ..recommend import money

        cur = ctx.obj.playbook().currency
        rows = [[r[0], r[1], f"#{r[2]} {r[3]}", r[4], money(r[5], cur), r[6]] for r in rows]
        cols = ["id", "date", "client", "we_buy", "amount", "created_by"]
        emit(fmt, cols, [i18n.t(f"acct.col.{k}") for k in cols], rows)
    else:
        emit(fmt, COLUMNS, COLUMNS, rows)
