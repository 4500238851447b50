"""tg order add | list | show | packing | deliver — orders, their packing list per department and
its delivery."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..errors import UsageError
from .options import ListFormat, TextOrJson, format_option, json_text
from .output import emit, say

app = typer.Typer(no_args_is_help=True)


def _h(key: str) -> str:
    return i18n.both(key)


class Step(str, Enum):
    packed = "packed"
    delivered = "delivered"
    signed = "signed"


ORDER = typer.Argument(..., help=_h("help.order.id"), show_default=False)
DELIVERY = typer.Option(None, "--delivery", help=_h("help.order.delivery"), metavar="DATE")
ADDRESS = typer.Option(None, "--address", help=_h("help.order.address"))
OCCASION = typer.Option(None, "--occasion", help=_h("help.order.occasion"))


@app.command("add", help=_h("help.order.add"))
def add(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    bundle: Optional[str] = typer.Option(None, "--bundle", "-b", help=_h("help.quote.bundle")),
    item: Optional[list[str]] = typer.Option(None, "--item", "-i", help=_h("help.quote.item"), metavar="CODE=QTY"),
    delivery: Optional[str] = DELIVERY,
    address: Optional[str] = ADDRESS,
    occasion: Optional[str] = OCCASION,
    deal: Optional[str] = typer.Option(None, "--deal", help=_h("help.order.deal"), metavar="ID"),
) -> None:
    from ..order_cases import add_order

    made = add_order(ctx.obj, client, bundle=bundle, items=item or [], delivery=delivery, address=address,
                     occasion=occasion, deal_ref=deal)
    lines = [i18n.t("order.made", id=made.order_id, client=made.client, total=made.total),
             i18n.t("order.deal_won" if deal is None else "order.deal_attached", deal=made.deal_id)]
    if made.referral_id is not None:
        lines.append(i18n.t("order.converted_on_cash" if made.reward_on_cash else "quote.converted_referral",
                            id=made.referral_id))
    say(*lines)
    sys.stdout.write(f"{made.order_id}\n")


LIST_COLUMNS = ["id", "client_id", "client", "owner", "ordered_on", "delivery_date", "occasion", "total", "invoiced",
                "collected", "owed", "deal_id"]


@app.command("list", help=_h("help.order.list"))
def list_orders(
    ctx: typer.Context,
    client: Optional[str] = typer.Option(None, "--client", "-c", help=_h("help.pitch.client")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..order_cases import list_orders as orders_of

    rows = orders_of(ctx.obj, client)
    if fmt != ListFormat.table:
        emit(fmt, LIST_COLUMNS, LIST_COLUMNS, [[r[k] for k in LIST_COLUMNS] for r in rows])
        return
    headers = [i18n.t(f"order.col.{k}") for k in LIST_COLUMNS[:1] + LIST_COLUMNS[2:11]]
    emit(fmt, LIST_COLUMNS, headers, [[f"#{r['id']}", f"#{r['client_id']} {r['client']}", r["owner"] or "",
                                       r["ordered_on"], r["delivery_date"] or "", r["occasion"] or "", r["total"],
                                       r["invoiced"], r["collected"], r["owed"]] for r in rows])


@app.command("show", help=_h("help.order.show"))
def show(ctx: typer.Context, order: str = ORDER, fmt: TextOrJson = format_option(TextOrJson.text)) -> None:
    from ..order_cases import show_order

    data = show_order(ctx.obj, order)
    if fmt.is_json:
        sys.stdout.write(json_text(data, fmt))
        return
    say(*order_text(data), file=sys.stdout)


def _money(cur: str, text: str) -> str:
    value = float(text)
    return f"{'-' if value < 0 else ''}{cur}{abs(value):,.2f}"


def order_text(d: dict) -> list[str]:
    """The order as lines of text (tg order show, tg payment show)."""
    cur = d["currency"]
    out = [i18n.t("order.head", id=d["id"], client=d["client"], total=f"{cur}{float(d['total']):,.2f}",
                  ordered=d["ordered_on"], delivery=d["delivery_date"] or "—", address=d["address"] or "—",
                  occasion=d["occasion"] or "—"),
           i18n.t("order.money", invoiced=f"{cur}{float(d['invoiced']):,.2f}",
                  collected=f"{cur}{float(d['collected']):,.2f}", owed=f"{cur}{float(d['owed']):,.2f}")]
    for x in d["lines"]:
        out.append(f"  {x['code']}  {x['name']}  {x['quantity']:,} {x['unit']}  {cur}{float(x['total']):,.2f}")
    if d["packing"]:
        out.append(i18n.t("order.packing_head", n=len(d["packing"])))
        for p in d["packing"]:
            counts = "  ".join(f"{k}×{v}" for k, v in p["counts"].items())
            status = i18n.t(f"order.step.{p['status']}") if p["status"] else i18n.t("order.step.none")
            by = f" ({p['by']})" if p["by"] else ""
            out.append(f"  {p['department']}  {p['headcount'] if p['headcount'] is not None else '—'}  {counts}  "
                       f"{status}{by}")
    for inv in d["invoices"]:
        out.append(i18n.t("order.invoice_line", id=inv["id"], amount=f"{cur}{float(inv['amount']):,.2f}",
                          kind=i18n.t("invoice.kind." + inv["kind"]), status=i18n.t("invoice.status." + inv["status"]),
                          number=inv["number"] or "—"))
    for p in d["plan"]:
        late = i18n.t("payment.late", days=p["days_late"]) if p["days_late"] else ""
        out.append(i18n.t("order.plan_line", n=p["instalment"], due=p["due_on"],
                          amount=f"{cur}{float(p['amount']):,.2f}", paid=f"{cur}{float(p['paid']):,.2f}") + late)
    for p in d["payments"]:
        out.append(i18n.t("order.payment_line", id=p["id"], day=p["paid_on"], amount=f"{cur}{float(p['amount']):,.2f}",
                          method=p["method"] or "—"))
    for e in d["earnings"]:
        out.append(i18n.t("order.earning_line", reward=e["reward_id"], referrer=e["referrer"],
                          amount=f"{cur}{float(e['amount']):,.2f}", full=f"{cur}{float(e['reward']):,.2f}",
                          status=i18n.t(f"reward.status.{e['reward_status']}")))
    return out


@app.command("packing", help=_h("help.order.packing"))
def packing(
    ctx: typer.Context,
    order: str = ORDER,
    import_file: Optional[Path] = typer.Option(None, "--import", help=_h("help.order.packing_import"),
                                               metavar="FILE", dir_okay=False),
    sheet: Optional[str] = typer.Option(None, "--sheet", help=_h("help.import.sheet")),
    per_head: Optional[list[str]] = typer.Option(None, "--per-head", help=_h("help.order.per_head"),
                                                 metavar="CODE=N"),
    export: Optional[Path] = typer.Option(None, "--export", help=_h("help.order.packing_export"), metavar="FILE.xlsx",
                                          dir_okay=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from .. import order_cases as oc

    if export is not None and export.suffix.lower() != ".xlsx":
        raise UsageError(i18n.t("packing.export_xlsx", path=export))
    if import_file is not None:
        r = oc.import_packing(ctx.obj, order, import_file, sheet=sheet, per_head=per_head or [])
        say(i18n.t("packing.saved", id=r.order_id, departments=r.departments, people=r.people,
                   items=", ".join(f"{k}×{v:,}" for k, v in r.items.items())))
    elif per_head:
        raise UsageError(i18n.t("packing.per_head_with_import"))
    if export is not None:
        n = oc.export_packing(ctx.obj, order, export)
        say(i18n.t("packing.written", path=export, departments=n))
        return
    columns, headers, rows = oc.packing_sheet(ctx.obj, order)
    emit(fmt, columns, headers if fmt == ListFormat.table else columns, rows)


@app.command("deliver", help=_h("help.order.deliver"))
def deliver(
    ctx: typer.Context,
    order: str = ORDER,
    dept: str = typer.Option(..., "--dept", help=_h("help.order.dept"), show_default=False),
    status: Step = typer.Option(..., "--status", help=_h("help.order.status"), case_sensitive=False,
                                show_default=False),
    by: Optional[str] = typer.Option(None, "--by", help=_h("help.order.by")),
) -> None:
    from ..order_cases import deliver as deliver_to

    r = deliver_to(ctx.obj, order, department=dept, status=status.value, by=by)
    say(i18n.t("order.delivered", id=r["order_id"], department=r["department"],
               status=i18n.t(f"order.step.{r['status']}"), by=r["by"] or "—", left=r["not_signed"]))


def print_agenda(data: dict) -> None:
    """The agenda's overdue instalments and reorder reminders (tg agenda), when there are any."""
    from .. import render

    for key in ("receivables", "reorders"):
        if not data.get(key):
            continue
        render.print_heading(i18n.t(f"order.agenda.{key}"))
        render.print_rows(["order", "client", "owner", "due", "next"],
                          [i18n.t(k) for k in ("order.col.id", "pipe.col.client", "field.owner", "pipe.col.due",
                                               "pipe.col.next")],
                          [[f"#{r['id']}", f"#{r['client_id']} {r['client']}", r["owner"], r["due"], r["next_action"]]
                           for r in data[key]])
