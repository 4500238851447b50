"""tg quote CLIENT [-o FILE] | list | show | approve | accept | reject | revise"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..errors import TgError, UsageError
from . import TgSubGroup
from .options import ListFormat, TextOrJson, format_option
from .output import emit, say
from ..quotes import number_text


class DefaultToMake(TgSubGroup):
    """`tg quote CLIENT …` is `tg quote make CLIENT …`: a first word that is no subcommand (nor
    --help) starts a quote, options first or not. (A client named like a subcommand:
    `tg quote make list`.)"""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["make", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(no_args_is_help=True, cls=DefaultToMake)


def _h(key: str) -> str:
    return i18n.both(key)


def _discount(value: Optional[float]) -> Decimal:
    if value is None:
        return Decimal(0)
    from ..quotes import plain_decimal

    pct = Decimal(str(value))
    if pct.as_tuple().exponent < -2:
        raise UsageError(i18n.t("quote.discount_precision", value=value))
    return plain_decimal(pct)


def _wanted(bundle: Optional[str], items: Optional[list[str]]):
    from ..quotes import Wanted, parse_items

    if bundle and items:
        raise UsageError(i18n.t("quote.bundle_or_items"))
    return Wanted(bundle=bundle, items=parse_items(items or []))


def _ready(output: Path, font: Optional[str]) -> None:
    """Before any database work: a wrong suffix, a missing library or font is said at once, and a
    PDF font's one-time preparation is done outside the write transaction."""
    from ..quote_documents import fmt_of
    from ..quote_documents.common import need

    fmt = fmt_of(output)
    if fmt == "pdf":
        need("fpdf", "fpdf2")
        from ..quote_documents.fonts import embeddable, find_font

        embeddable(find_font(font), "", notice=lambda text: say(text))
    elif fmt == "docx":
        need("docxtpl", "docxtpl")


def _summary(doc, status: str) -> list[str]:
    lines = [i18n.t("quote.summary", label=doc.label, buyer=doc.buyer.title, total=doc.money(doc.total),
                    capitals=doc.total_capitals, until=doc.valid_until.isoformat(),
                    status=i18n.t(f"quote.status.{status}"))]
    for x in doc.lines:
        lines.append(f"  {x.code}  {x.name}  {x.quantity:,} {x.unit} × {doc.money(x.unit_price)}"
                     + (f"  −{x.discount_text}" if x.discount_text != "—" else "") + f"  = {doc.money(x.total)}")
    lines.append("  " + i18n.t("quote.summary_vat", subtotal=doc.money(doc.subtotal), vat=doc.money(doc.vat)))
    return lines


def _document_json(doc, status: str) -> dict:
    return {"number": doc.number, "version": doc.version, "status": status, "issued_on": doc.issued_on.isoformat(),
            "valid_until": doc.valid_until.isoformat(), "currency": doc.currency, "lang": doc.lang,
            "buyer": {k: v for k, v in vars(doc.buyer).items()},
            "lines": [{"code": x.code, "name": x.name, "spec": x.spec, "unit": x.unit, "quantity": x.quantity,
                       "unit_price": str(x.unit_price), "tier_discount_pct": str(x.tier_discount_pct),
                       "extra_discount_pct": str(x.extra_discount_pct), "vat_rate": str(x.vat_rate),
                       "includes_vat": x.includes_vat, "total": str(x.total), "tax": str(x.tax)} for x in doc.lines],
            "subtotal": str(doc.subtotal), "vat": [{"rate": str(r), "amount": str(a)} for r, a in doc.vat_by_rate],
            "total": str(doc.total), "total_capitals": doc.total_capitals,
            "delivery_terms": doc.delivery_terms, "payment_terms": doc.payment_terms}


def _make(ctx, *, client: Optional[str], ref: Optional[str], bundle, items, discount, valid_days, output, font):
    """Make a quote (``client``) or the next version of one (``ref``); write its document."""
    from ..quote_cases import make

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    if pb.company is None:
        raise TgError(i18n.t("quote.no_company"))
    extra = _discount(discount)
    if output is not None:
        _ready(output, font)
    made = make(app_ctx, client=client, ref=ref, wanted_of=_wanted, bundle=bundle, items=items, extra=extra,
                discount_given=discount is not None, valid_days=valid_days, output=output, font=font,
                notice=lambda text: say(text))
    doc, status, pending = made.doc, made.status, made.pending
    try:
        if pending is not None:
            pending.commit()
    finally:
        if pending is not None:
            pending.discard()
    lines = _summary(doc, status)
    if status == "awaiting_approval":
        extra = doc.extra_discount_pct
        lines.append(i18n.t("quote.saved_for_approval", pct=number_text(extra),
                            limit=number_text(Decimal(str(pb.company.quotes.approval_above_pct))), label=doc.number))
    if output is not None:
        lines.append(i18n.t("quote.written", path=output))
    say(*lines)
    sys.stdout.write(f"{doc.number} v{doc.version}\n")


# The options make, revise and show share (Typer reads a parameter's default as its declaration,
# so one declaration serves every command that takes it).
BUNDLE = typer.Option(None, "--bundle", "-b", help=_h("help.quote.bundle"))
ITEM = typer.Option(None, "--item", "-i", help=_h("help.quote.item"), metavar="CODE=QTY")
DISCOUNT = typer.Option(None, "--discount", min=0, max=89.99, help=_h("help.quote.discount"))
VALID_DAYS = typer.Option(None, "--valid-days", min=1, max=365, help=_h("help.quote.valid_days"))
OUTPUT = typer.Option(None, "--output", "-o", help=_h("help.quote.output"), metavar="FILE", dir_okay=False)
FONT = typer.Option(None, "--font", help=_h("help.quote.font"), metavar="FILE")


@app.command("make", help=_h("help.quote.make"))
def make(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    bundle: Optional[str] = BUNDLE,
    item: Optional[list[str]] = ITEM,
    discount: Optional[float] = DISCOUNT,
    valid_days: Optional[int] = VALID_DAYS,
    output: Optional[Path] = OUTPUT,
    font: Optional[str] = FONT,
) -> None:
    _make(ctx, client=client, ref=None, bundle=bundle, items=item, discount=discount, valid_days=valid_days,
          output=output, font=font)


@app.command("revise", help=_h("help.quote.revise"))
def revise(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help=_h("help.quote.ref"), show_default=False),
    bundle: Optional[str] = BUNDLE,
    item: Optional[list[str]] = ITEM,
    discount: Optional[float] = DISCOUNT,
    valid_days: Optional[int] = VALID_DAYS,
    output: Optional[Path] = OUTPUT,
    font: Optional[str] = FONT,
) -> None:
    _make(ctx, client=None, ref=ref, bundle=bundle, items=item, discount=discount, valid_days=valid_days,
          output=output, font=font)


@app.command("show", help=_h("help.quote.show"))
def show(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help=_h("help.quote.ref"), show_default=False),
    output: Optional[Path] = OUTPUT,
    font: Optional[str] = FONT,
    fmt: TextOrJson = format_option(TextOrJson.text),
) -> None:
    from ..quote_cases import render_pending, show as show_quote

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    if output is not None:
        _ready(output, font)
    shown = show_quote(app_ctx, ref)
    doc, status = shown.doc, shown.status
    if output is not None:
        if status == "awaiting_approval":
            raise TgError(i18n.t("quote.needs_approval", ref=doc.label, pct=number_text(doc.extra_discount_pct)))
        pending = render_pending(app_ctx, pb, doc, output, font, lambda text: say(text))
        try:
            pending.commit()
        finally:
            pending.discard()
        say(i18n.t("quote.written", path=output))
    if fmt == TextOrJson.json:
        sys.stdout.write(json.dumps(_document_json(doc, status), ensure_ascii=False, indent=2) + "\n")
    else:
        from .output import say as write

        write(*_summary(doc, status), file=sys.stdout)


@app.command("list", help=_h("help.quote.list"))
def list_quotes(
    ctx: typer.Context,
    client: Optional[str] = typer.Option(None, "--client", "-c", help=_h("help.pitch.client")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..quote_cases import list_quotes as quotes_of

    rows = quotes_of(ctx.obj, client)
    columns = ["number", "version", "client_id", "client", "status", "issued_on", "valid_until", "total",
               "extra_discount_pct", "created_by", "approved_by"]
    if fmt != ListFormat.table:
        emit(fmt, columns, columns, [[r[k] for k in columns] for r in rows])
        return
    headers = [i18n.t(k) for k in ("quote.col.number", "quote.col.version", "pipe.col.client", "field.status",
                                   "field.date", "quote.col.valid_until", "pipe.col.amount", "quote.col.discount")]
    emit(fmt, columns, headers, [[r["number"], f"v{r['version']}", f"#{r['client_id']} {r['client']}",
                                  i18n.t(f"quote.status.{r['status']}"), r["issued_on"], r["valid_until"], r["total"],
                                  f"{r['extra_discount_pct']}%" if r["extra_discount_pct"] != "0" else ""]
                                 for r in rows])


@app.command("approve", help=_h("help.quote.approve"))
def approve(ctx: typer.Context, ref: str = typer.Argument(..., help=_h("help.quote.ref"), show_default=False)) -> None:
    from ..quote_cases import approve as approve_quote

    label, pct, user = approve_quote(ctx.obj, ref)
    say(i18n.t("quote.approved", label=label, pct=pct, user=user))


@app.command("accept", help=_h("help.quote.accept"))
def accept(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help=_h("help.quote.ref"), show_default=False),
    delivery: Optional[str] = typer.Option(None, "--delivery", help=_h("help.order.delivery"), metavar="DATE"),
    address: Optional[str] = typer.Option(None, "--address", help=_h("help.order.address")),
    occasion: Optional[str] = typer.Option(None, "--occasion", help=_h("help.order.occasion")),
) -> None:
    from ..order_cases import accept_quote

    made = accept_quote(ctx.obj, ref, delivery=delivery, address=address, occasion=occasion)
    lines = [i18n.t("quote.accepted", label=made.label, deal=made.deal_id, amount=made.total),
             i18n.t("order.made", id=made.order_id, client=made.client, total=made.total)]
    if made.referral_id is not None:
        lines.append(i18n.t("order.converted_on_cash" if made.reward_on_cash else "quote.converted_referral",
                            id=made.referral_id))
    say(*lines)
    sys.stdout.write(f"{made.order_id}\n")


@app.command("reject", help=_h("help.quote.reject"))
def reject(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help=_h("help.quote.ref"), show_default=False),
    reason: str = typer.Option(..., "--reason", "-r", help=_h("help.quote.reason"), show_default=False),
) -> None:
    from ..quote_cases import reject as reject_quote

    if not reason.strip():
        raise UsageError(i18n.t("quote.reason_needed"))
    label = reject_quote(ctx.obj, ref, reason.strip())
    say(i18n.t("quote.rejected", label=label, reason=reason.strip()))
