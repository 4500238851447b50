"""tg targets set USER|team --month YYYY-MM --amount X [--on won|collected], and tg report targets."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Optional

import typer

from .. import i18n
from .options import ListFormat, format_option
from .output import say

app = typer.Typer(no_args_is_help=True)


def _h(key: str) -> str:
    return i18n.both(key)


class Basis(str, Enum):
    won = "won"
    collected = "collected"


@app.command("set", help=_h("help.target.set"))
def set_(
    ctx: typer.Context,
    who: str = typer.Argument(..., help=_h("help.target.who"), metavar="USER|team", show_default=False),
    month: str = typer.Option(..., "--month", "-m", help=_h("help.target.month"), metavar="YYYY-MM",
                              show_default=False),
    amount: str = typer.Option(..., "--amount", "-a", help=_h("help.target.amount"), show_default=False),
    on: Basis = typer.Option(Basis.won, "--on", help=_h("help.target.on"), case_sensitive=False),
    force: bool = typer.Option(False, "--force", help=_h("help.target.force")),
    new_user: bool = typer.Option(False, "--new-user", help=_h("help.target.new_user")),
) -> None:
    from ..target_report import set_target
    from ..targets import yuan

    app_ctx = ctx.obj
    done = set_target(app_ctx.store, who=who, month=month, amount=amount, basis=on.value, force=force,
                      new_user=new_user, user=app_ctx.user())
    pb = app_ctx.playbook()
    whom = done.rep if done.rep is not None else i18n.t("target.team")
    key = "target.replaced" if done.replaced_fen is not None else "target.set"
    say(i18n.t(key, who=whom, month=done.month, amount=f"{pb.currency}{yuan(done.amount_fen):,.2f}",
               before=f"{pb.currency}{yuan(done.replaced_fen or 0):,.2f}",
               basis=i18n.t(f"target.basis.{done.basis}")))
    if done.past:
        say(i18n.t("target.past_forced", month=done.month))


def report_targets(
    ctx: typer.Context,
    month: Optional[str] = typer.Option(None, "--month", "-m", help=_h("help.target.report_month"),
                                        metavar="YYYY-MM"),
    quarter: Optional[str] = typer.Option(None, "--quarter", "-q", help=_h("help.target.quarter"),
                                          metavar="YYYYQn"),
    on: Basis = typer.Option(Basis.won, "--on", help=_h("help.target.on"), case_sensitive=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..target_report import COLUMNS, report, rows

    result = report(ctx.obj.store, month=month, quarter=quarter, basis=on.value)
    data = rows(result)
    for note in result.notes:
        say(note)
    if fmt == ListFormat.json:
        from .options import json_text

        out = {"period": result.period, "basis": result.basis, "months": result.months,
               "team_target_set": result.team_target_set, "actuals_known": result.actuals_known,
               "reps": [dict(zip(COLUMNS, r)) for r in data[:-1]], "team": dict(zip(COLUMNS, data[-1]))}
        sys.stdout.write(json_text(out, fmt))
        return
    if fmt == ListFormat.table:
        from ..plain import print_table

        cur = ctx.obj.playbook().currency
        money = (lambda v: "—" if v is None else f"{cur}{v:,.2f}")
        sys.stdout.write(i18n.t("target.heading", period=result.period,
                                basis=i18n.t(f"target.basis.{result.basis}")) + "\n")
        print_table([i18n.t(f"target.col.{c}") for c in ("rank", "rep", "target", "actual", "percent", "gap")],
                    [[r[0] or "", r[1], money(r[4]), money(r[5]), "—" if r[6] is None else f"{r[6]:.1f}%",
                      money(r[7])] for r in data])
        if not result.team_target_set and result.team.target_fen:
            say(i18n.t("target.team_is_sum"))
        return
    from .output import emit

    emit(fmt, COLUMNS, COLUMNS, data)
