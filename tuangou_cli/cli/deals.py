"""tg deals add | won | lost | list | edit | rm"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..errors import UsageError
from .options import MAX_HEADCOUNT, MAX_MONEY, ListFormat, format_option, yes_option
from .listing import limit_option, output_option
from .output import say

app = typer.Typer(no_args_is_help=True)


def _h(key: str) -> str:
    return i18n.both(key)


COLUMNS = ["id", "client_id", "client", "bundle", "quantity", "amount", "status", "lost_reason", "created_at",
           "created_by", "closed_at"]


@app.command("add", help=_h("help.pipe.deals.add"))
def add(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    bundle: str = typer.Option(..., "--bundle", "-b", help=_h("help.pipe.deals.bundle"), show_default=False),
    qty: int = typer.Option(..., "--qty", "-q", min=1, max=MAX_HEADCOUNT, help=_h("help.pipe.deals.qty"),
                            show_default=False),
    amount: Optional[float] = typer.Option(None, "--amount", min=0, max=MAX_MONEY, help=_h("help.pipe.deals.amount")),
) -> None:
    from .. import deals_use

    added = deals_use.add(ctx.obj, client, bundle, qty, amount)
    say(*([added.note] if added.note else []), added.message, *([added.over_budget] if added.over_budget else []))
    sys.stdout.write(f"{added.id}\n")


@app.command("won", help=_h("help.pipe.deals.won"))
def won(
    ctx: typer.Context,
    deal: str = typer.Argument(..., help=_h("help.pipe.deals.id"), show_default=False),
) -> None:
    from .. import deals_use

    say(*deals_use.win(ctx.obj, deal).lines)


@app.command("lost", help=_h("help.pipe.deals.lost"))
def lost(
    ctx: typer.Context,
    deal: str = typer.Argument(..., help=_h("help.pipe.deals.id"), show_default=False),
    reason: Optional[str] = typer.Option(None, "--reason", "-r", help=_h("help.pipe.deals.reason")),
    lesson: Optional[str] = typer.Option(None, "--lesson", help=_h("help.pipe.deals.lesson")),
    no_lesson: bool = typer.Option(False, "--no-lesson", help=_h("help.pipe.deals.no_lesson")),
) -> None:
    from .. import deals_use

    if not reason or not reason.strip():
        raise UsageError(i18n.t("pipe.lost_needs_reason"))

    def ask_lesson() -> Optional[str]:
        from .. import prompts

        # Only at a terminal, and before the write transaction opens.
        if prompts.is_interactive() and prompts.ask_confirm(i18n.t("pipe.ask_lesson")):
            return prompts.ask_text(i18n.t("pipe.ask_lesson_text")) or None
        return None

    say(*deals_use.lose(ctx.obj, deal, reason, lesson, None if no_lesson else ask_lesson).lines)


@app.command("edit", help=_h("help.daily.deals.edit"))
def edit(
    ctx: typer.Context,
    deal: str = typer.Argument(..., help=_h("help.pipe.deals.id"), show_default=False),
    amount: Optional[float] = typer.Option(None, "--amount", min=0, max=MAX_MONEY, help=_h("help.pipe.deals.amount")),
    qty: Optional[int] = typer.Option(None, "--qty", "-q", min=1, max=MAX_HEADCOUNT, help=_h("help.pipe.deals.qty")),
    bundle: Optional[str] = typer.Option(None, "--bundle", "-b", help=_h("help.pipe.deals.bundle")),
    reason: Optional[str] = typer.Option(None, "--reason", "-r", help=_h("help.daily.deals.lost_reason")),
) -> None:
    from .. import mending
    from .mend import edited

    edited(mending.edit_deal(ctx.obj, deal, amount=amount, qty=qty, bundle=bundle, reason=reason))


@app.command("rm", help=_h("help.daily.deals.rm"))
def rm(
    ctx: typer.Context,
    deal: str = typer.Argument(..., help=_h("help.pipe.deals.id"), show_default=False),
    yes: bool = yes_option(),
) -> None:
    from .. import mending
    from .mend import confirmer, removed

    removed(mending.remove(ctx.obj, "deal", deal, confirmer(yes)))


@app.command("list", help=_h("help.pipe.deals.list"))
def list_deals(
    ctx: typer.Context,
    client: Optional[str] = typer.Option(None, "--client", "-c", help=_h("help.pitch.client")),
    status: Optional[str] = typer.Option(None, "--status", "-s", help=_h("help.pipe.deals.status")),
    limit: int = limit_option(),
    fmt: ListFormat = format_option(ListFormat.table),
    output: Optional[Path] = output_option(),
) -> None:
    from .. import deals_use
    from .listing import chosen, show

    app_ctx = ctx.obj
    deals = deals_use.rows(app_ctx, client, deals_use.status_code(status) if status else None, limit)
    if chosen(fmt, output) != ListFormat.table:
        show(fmt, COLUMNS, COLUMNS, ([d[k] for k in COLUMNS] for d in deals), output=output)
        return
    from ..recommend import money

    cur = app_ctx.playbook().currency
    cols = ["id", "date", "client", "bundle", "quantity", "amount", "status", "reason"]
    show(fmt, cols, [i18n.t(k) for k in ("field.id", "field.date", "pipe.col.client", "pipe.col.bundle",
                                         "pipe.col.qty", "pipe.col.amount", "field.status", "pipe.col.reason")],
         ([d["id"], d["created_at"][:10], f"#{d['client_id']} {d['client']}", d["bundle"], d["quantity"],
           money(d["amount"], cur), i18n.t(f"pipe.status.{d['status']}"), d["lost_reason"]] for d in deals))
