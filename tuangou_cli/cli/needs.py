"""tg needs add | list | edit | rm"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..errors import UsageError
from .options import ListFormat, format_option, yes_option
from .listing import limit_option, output_option
from .output import say

app = typer.Typer(no_args_is_help=True)

COLUMNS = ["id", "kind", "text", "source", "created_at", "created_by"]


def _h(key: str) -> str:
    return i18n.both(key)


@app.command("add", help=_h("help.acct.needs.add"))
def add(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    text: str = typer.Argument(..., help=_h("help.acct.need_text"), show_default=False),
    stated: Optional[bool] = typer.Option(None, "--stated/--guided", help=_h("help.acct.need_kind"),
                                          show_default=False),
) -> None:
    from .. import accounts_use

    if stated is None:
        raise UsageError(i18n.t("acct.need_kind_missing"))
    added = accounts_use.add_need(ctx.obj, client, text, "stated" if stated else "guided")
    say(added.message)
    sys.stdout.write(f"{added.id}\n")


@app.command("list", help=_h("help.acct.needs.list"))
def list_needs(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    limit: int = limit_option(),
    fmt: ListFormat = format_option(ListFormat.table),
    output: Optional[Path] = output_option(),
) -> None:
    from .. import accounts_use
    from .listing import chosen, show

    fmt = chosen(fmt, output)

    rows = accounts_use.need_rows(ctx.obj, client)
    if fmt == ListFormat.table:
        rows = [[r[0], i18n.t(f"acct.kind.{r[1]}"), r[2], i18n.t(f"acct.source.{r[3]}"), r[4][:10]] for r in rows]
        show(fmt, COLUMNS[:5], [i18n.t(f"acct.col.{k}") for k in COLUMNS[:5]], rows, limit=limit, output=output)
    else:
        show(fmt, COLUMNS, COLUMNS, rows, limit=limit, output=output)


@app.command("edit", help=_h("help.daily.needs.edit"))
def edit(
    ctx: typer.Context,
    need: str = typer.Argument(..., help=_h("help.daily.need"), show_default=False),
    text: Optional[str] = typer.Option(None, "--text", help=_h("help.acct.need_text")),
    stated: Optional[bool] = typer.Option(None, "--stated/--guided", help=_h("help.acct.need_kind"),
                                          show_default=False),
) -> None:
    from .. import mending
    from .mend import edited

    kind = None if stated is None else ("stated" if stated else "guided")
    edited(mending.edit_need(ctx.obj, need, text=text, kind=kind))


@app.command("rm", help=_h("help.daily.needs.rm"))
def rm(
    ctx: typer.Context,
    need: str = typer.Argument(..., help=_h("help.daily.need"), show_default=False),
    yes: bool = yes_option(),
) -> None:
    from .. import mending
    from .mend import confirmer, removed

    removed(mending.remove(ctx.obj, "need", need, confirmer(yes)))
