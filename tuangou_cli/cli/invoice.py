"""tg invoice info CLIENT — the buyer's invoice details (开票信息): title (抬头), credit code, …;
tg invoice request ORDER | issue | send | void | list — the invoices of an order."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer

from .. import i18n
from .options import ListFormat, TextOrJson, format_option
from .output import say

app = typer.Typer(no_args_is_help=True)


def _h(key: str) -> str:
    return i18n.both(key)


class Kind(str, Enum):
    special = "special"
    normal = "normal"


FIELDS = ("title", "credit_code", "address", "phone", "bank", "account", "kind")


@app.command("info", help=_h("help.invoice.info"))
def info(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    title: Optional[str] = typer.Option(None, "--title", help=_h("help.invoice.title")),
    credit_code: Optional[str] = typer.Option(None, "--credit-code", help=_h("help.invoice.credit_code")),
    address: Optional[str] = typer.Option(None, "--address", help=_h("help.invoice.address")),
    phone: Optional[str] = typer.Option(None, "--phone", help=_h("help.invoice.phone")),
    bank: Optional[str] = typer.Option(None, "--bank", help=_h("help.invoice.bank")),
    account: Optional[str] = typer.Option(None, "--account", help=_h("help.invoice.account")),
    kind: Optional[Kind] = typer.Option(None, "--kind", help=_h("help.invoice.kind"), case_sensitive=False),
    fmt: TextOrJson = format_option(TextOrJson.text),
) -> None:
    from ..credit_code import validate
    from ..errors import UsageError
    from ..quote_cases import billing_info

    values = {"title": title, "credit_code": credit_code, "address": address, "phone": phone, "bank": bank,
              "account": account, "kind": kind.value if kind else None}
    for key in ("title", "address", "phone", "bank", "account"):
        if values[key] is not None:
            values[key] = values[key].strip()
            if not values[key]:
                raise UsageError(i18n.t("invoice.empty", option="--" + key.replace("_", "-")))
    if credit_code is not None:
        values["credit_code"] = validate(credit_code)  # a wrong check digit: one line, nothing written
    changing, cid, name, shown = billing_info(ctx.obj, client, values)
    if changing:
        say(i18n.t("invoice.saved", client=name, id=cid))
    if fmt == TextOrJson.json:
        sys.stdout.write(json.dumps({"client_id": cid, "client": name, **shown}, ensure_ascii=False, indent=2) + "\n")
    else:
        say(*(f"{i18n.t('invoice.field.' + k)}: {shown[k] if k != 'kind' else i18n.t('invoice.kind.' + shown[k])}"
              for k in FIELDS if shown[k]), file=sys.stdout)


# --- the invoices of an order ---------------------------------------------------------------------

INVOICE_COLUMNS = ["id", "order_id", "client", "title", "kind", "amount", "status", "number", "issued_on", "courier",
                   "created_by"]


@app.command("request", help=_h("help.invoice.request"))
def request(
    ctx: typer.Context,
    order: str = typer.Argument(..., help=_h("help.order.id"), show_default=False),
    amount: Optional[str] = typer.Option(None, "--amount", help=_h("help.invoice.amount")),
) -> None:
    from ..order_cases import request_invoice

    r = request_invoice(ctx.obj, order, amount)
    say(i18n.t("invoice.requested", id=r["id"], order=r["order_id"], amount=r["amount"], title=r["title"],
               kind=i18n.t("invoice.kind." + r["kind"]), left=r["left"]))
    sys.stdout.write(f"{r['id']}\n")


def _step(ctx, ref: str, action: str, **kw) -> None:
    from ..order_cases import invoice_step

    r = invoice_step(ctx.obj, ref, action, **kw)
    say(i18n.t(f"invoice.done.{action}", id=r["id"], order=r["order_id"], number=r["number"] or "—",
               amount=r["amount"], invoiced=r["invoiced"]))


@app.command("issue", help=_h("help.invoice.issue"))
def issue(
    ctx: typer.Context,
    invoice: str = typer.Argument(..., help=_h("help.invoice.id"), show_default=False),
    number: str = typer.Option(..., "--number", help=_h("help.invoice.number"), show_default=False),
    day: Optional[str] = typer.Option(None, "--date", help=_h("help.invoice.date"), metavar="DATE"),
) -> None:
    _step(ctx, invoice, "issue", number=number, day=day)


@app.command("send", help=_h("help.invoice.send"))
def send(
    ctx: typer.Context,
    invoice: str = typer.Argument(..., help=_h("help.invoice.id"), show_default=False),
    courier: str = typer.Option(..., "--courier", help=_h("help.invoice.courier"), show_default=False),
) -> None:
    _step(ctx, invoice, "send", courier=courier)


@app.command("void", help=_h("help.invoice.void"))
def void(
    ctx: typer.Context,
    invoice: str = typer.Argument(..., help=_h("help.invoice.id"), show_default=False),
    reason: str = typer.Option(..., "--reason", "-r", help=_h("help.quote.reason"), show_default=False),
) -> None:
    _step(ctx, invoice, "void", reason=reason)


@app.command("list", help=_h("help.invoice.list"))
def list_invoices(
    ctx: typer.Context,
    order: Optional[str] = typer.Option(None, "--order", help=_h("help.order.id")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..order_cases import list_invoices as invoices_of
    from .output import emit

    rows = invoices_of(ctx.obj, order)
    if fmt != ListFormat.table:
        emit(fmt, INVOICE_COLUMNS, INVOICE_COLUMNS, [[r[k] for k in INVOICE_COLUMNS] for r in rows])
        return
    headers = [i18n.t(f"invoice.col.{k}") for k in INVOICE_COLUMNS]
    emit(fmt, INVOICE_COLUMNS, headers, [[r["id"], f"#{r['order_id']}", r["client"], r["title"],
                                          i18n.t("invoice.kind." + r["kind"]), r["amount"],
                                          i18n.t("invoice.status." + r["status"]), r["number"] or "",
                                          r["issued_on"] or "", r["courier"] or "", r["created_by"]] for r in rows])
