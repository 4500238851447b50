"""tg rewards list | grant | void — the referral rewards ledger."""

from __future__ import annotations

from typing import Optional

import typer

from .. import i18n
from .options import ListFormat, format_option
from .output import say

app = typer.Typer(no_args_is_help=True)


@app.command("list", help=i18n.both("help.rewards.list"))
def list_rewards(
    ctx: typer.Context,
    due: bool = typer.Option(False, "--due", help=i18n.both("help.rewards.list")),
    referrer: Optional[str] = typer.Option(None, "--referrer", help=i18n.both("help.refer.referrer")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from .. import referring
    from .output import emit

    found = referring.reward_rows(ctx.obj, referrer=referrer, due=due)
    columns, rows = found.columns, found.rows
    if fmt != ListFormat.table:
        emit(fmt, columns, columns, rows)
        return
    from .. import render
    from ..recommend import money

    cur = ctx.obj.playbook().currency
    idx = {c: i for i, c in enumerate(columns)}
    table = [(r[idx["id"]], r[idx["created_at"]][:10], f"#{r[idx['referrer_id']] or '-'} {r[idx['referrer']]}",
              r[idx["description"]], money(r[idx["amount"]], cur), i18n.t(f"reward.status.{r[idx['status']]}"),
              r[idx["reason"]] or (f"#{r[idx['reverses_id']]}" if r[idx["reverses_id"]] else ""))
             for r in rows]
    headers = [i18n.t(k) for k in ("field.id", "field.date", "field.referrer", "field.incentive", "rep.amount",
                                   "field.status", "field.note")]
    emit(fmt, ["id", "date", "referrer", "incentive", "amount", "status", "note"], headers, table)
    balances: dict[str, dict[str, float]] = {}
    for r in rows:
        if r[idx["status"]] in ("due", "granted"):
            b = balances.setdefault(r[idx["referrer"]], {"due": 0.0, "granted": 0.0})
            b[r[idx["status"]]] += r[idx["amount"]]
    for name, b in balances.items():
        render.print_line(i18n.t("reward.balance", name=name, due=money(b["due"], cur),
                                 granted=money(b["granted"], cur)))


@app.command("grant", help=i18n.both("help.rewards.grant"))
def grant(ctx: typer.Context, reward_id: int = typer.Argument(..., metavar="ID", show_default=False)) -> None:
    from .. import referring
    from ..recommend import money

    cur = ctx.obj.playbook().currency
    done = referring.grant_reward(ctx.obj, reward_id)
    say(i18n.t("reward.granted", id=done.id, amount=money(done.amount, cur)))


@app.command("void", help=i18n.both("help.rewards.void"))
def void(
    ctx: typer.Context,
    reward_id: int = typer.Argument(..., metavar="ID", show_default=False),
    reason: str = typer.Option(..., "--reason", help=i18n.both("help.reason")),
) -> None:
    from .. import referring
    from ..recommend import money

    cur = ctx.obj.playbook().currency
    done = referring.void_reward(ctx.obj, reward_id, reason=reason)
    if done.was_granted:
        say(i18n.t("reward.reversed", id=reward_id, new=done.reversal_id, amount=money(done.reversal_amount, cur)))
    else:
        say(i18n.t("reward.voided", id=reward_id))
