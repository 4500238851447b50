"""tg needs add | list"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .. import i18n
from ..errors import UsageError
from .options import ListFormat, format_option
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
    from ..store import accounts as acc
    from ..store import clients as st

    if stated is None:
        raise UsageError(i18n.t("acct.need_kind_missing"))
    kind = "stated" if stated else "guided"
    app_ctx = ctx.obj
    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        row, new = acc.add_need(session, client=c, text=text, kind=kind, user=app_ctx.user())
        key = "acct.need_added" if new else "acct.need_exists"
        message = i18n.t(key, id=row.id, kind=i18n.t(f"acct.kind.{kind}"), text=row.text, client=c.name)
        nid = row.id
    say(message)
    sys.stdout.write(f"{nid}\n")


@app.command("list", help=_h("help.acct.needs.list"))
def list_needs(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..store import accounts as acc
    from ..store import clients as st
    from .output import emit

    with ctx.obj.store().read() as session:
        c = st.get_client(session, client)
        rows = [[n.id, n.kind, n.text, n.source, n.created_at.isoformat(), n.created_by]
                for n in acc.needs_of(session, c.id)]
    if fmt == ListFormat.table:
        rows = [[r[0], i18n.t(f"acct.kind.{r[1]}"), r[2], i18n.t(f"acct.source.{r[3]}"), r[4][:10]] for r in rows]
        emit(fmt, COLUMNS[:5], [i18n.t(f"acct.col.{k}") for k in COLUMNS[:5]], rows)
    else:
        emit(fmt, COLUMNS, COLUMNS, rows)
