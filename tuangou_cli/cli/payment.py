"""tg payment plan | add | refund | show — an order's payment plan (回款计划) and the money
received (回款记录)."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .. import i18n
from .options import TextOrJson, format_option, json_text
from .output import say

app = typer.Typer(no_args_is_help=True)


def _h(key: str) -> str:
    return i18n.both(key)


ORDER = typer.Argument(..., help=_h("help.order.id"), show_default=False)
AMOUNT = typer.Argument(..., help=_h("help.payment.amount"), show_default=False)
DAY = typer.Option(None, "--date", help=_h("help.payment.date"), metavar="DATE")


@app.command("plan", help=_h("help.payment.plan"))
def plan(
    ctx: typer.Context,
    order: str = ORDER,
    instalment: list[str] = typer.Option(..., "--instalment", help=_h("help.payment.instalment"),
                                         metavar="AMOUNT@DATE", show_default=False),
) -> None:
    from ..order_cases import plan_payments

    r = plan_payments(ctx.obj, order, instalment)
    say(i18n.t("payment.planned", id=r["order_id"], n=r["instalments"], total=r["total"]),
        *(f"  {n}. {day}  {amount}" for n, (amount, day) in enumerate(r["plan"], 1)))


def _report(r: dict) -> None:
    lines = [i18n.t("payment.added" if not r["amount"].startswith("-") else "payment.refunded", id=r["id"],
                    order=r["order_id"], amount=r["amount"].lstrip("-"), collected=r["collected"], owed=r["owed"])]
    for e in r["earned"]:
        lines.append(i18n.t("payment.earned", reward=e["reward_id"], amount=e["amount"]))
    say(*lines)
    sys.stdout.write(f"{r['id']}\n")


@app.command("add", help=_h("help.payment.add"))
def add(
    ctx: typer.Context,
    order: str = ORDER,
    amount: str = AMOUNT,
    day: Optional[str] = DAY,
    method: Optional[str] = typer.Option(None, "--method", help=_h("help.payment.method")),
) -> None:
    from ..order_cases import add_payment

    _report(add_payment(ctx.obj, order, amount, day=day, method=method))


@app.command("refund", help=_h("help.payment.refund"))
def refund(
    ctx: typer.Context,
    order: str = ORDER,
    amount: str = AMOUNT,
    day: Optional[str] = DAY,
    reason: str = typer.Option(..., "--reason", "-r", help=_h("help.quote.reason"), show_default=False),
) -> None:
    from ..order_cases import add_payment

    _report(add_payment(ctx.obj, order, amount, day=day, refund_reason=reason))


@app.command("show", help=_h("help.payment.show"))
def show(ctx: typer.Context, order: str = ORDER, fmt: TextOrJson = format_option(TextOrJson.text)) -> None:
    from ..order_cases import payments_of
    from .order import order_text

    data = payments_of(ctx.obj, order)
    if fmt.is_json:
        keys = ("id", "client", "total", "collected", "owed", "plan", "payments", "earnings")
        sys.stdout.write(json_text({k: data[k] for k in keys}, fmt))
        return
    say(*order_text(data), file=sys.stdout)
