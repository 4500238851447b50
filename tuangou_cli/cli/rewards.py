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
    from ..store import clients as st
    from ..store.queries import rewards_query
    from .output import emit

    with ctx.obj.store().read() as session:
        referrer_id = st.get_client(session, referrer).id if referrer else None
        columns, stmt = rewards_query(referrer_id=referrer_id, due_only=due)
        rows = [tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in row)
                for row in session.connection().execute(stmt)]
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
    from ..store import referrals as programme
    from ..recommend import money

    cur = ctx.obj.playbook().currency
    with ctx.obj.store().write() as session:
        reward = programme.grant(session, programme.get_reward(session, reward_id), user=ctx.obj.user())
        message = i18n.t("reward.granted", id=reward.id, amount=money(reward.amount, cur))
    say(message)


@app.command("void", help=i18n.both("help.rewards.void"))
def void(
    ctx: typer.Context,
    reward_id: int = typer.Argument(..., metavar="ID", show_default=False),
    reason: str = typer.Option(..., "--reason", help=i18n.both("help.reason")),
) -> None:
    from ..store import referrals as programme
    from ..recommend import money

    cur = ctx.obj.playbook().currency
    with ctx.obj.store().write() as session:
        reward = programme.get_reward(session, reward_id)
        was_granted = reward.status == "granted"
        result = programme.void(session, reward, user=ctx.obj.user(), reason=reason)
        if was_granted:
            message = i18n.t("reward.reversed", id=reward_id, new=result.id, amount=money(result.amount, cur))
        else:
            message = i18n.t("reward.voided", id=reward_id)
    say(message)
