"""tg catalog import | list | search | show | export | set-price — the company's price list."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..errors import TgError, UsageError
from .options import ListFormat, format_option
from .output import emit, say

app = typer.Typer(no_args_is_help=True)


def _h(key: str) -> str:
    return i18n.both(key)


@app.command("import", help=_h("help.catalog.import"))
def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help=_h("help.catalog.file"), show_default=False),
    sheet: Optional[str] = typer.Option(None, "--sheet", help=_h("notes.help.sheet"), metavar="NAME"),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help=_h("help.catalog.dry_run")),
    skip_errors: Optional[Path] = typer.Option(None, "--skip-errors", help=_h("help.catalog.skip_errors"),
                                               metavar="REJECTS.csv"),
    replace: bool = typer.Option(False, "--replace", help=_h("help.catalog.replace")),
) -> None:
    from ..catalog_import import run_import

    if skip_errors is not None and skip_errors.resolve() == file.resolve():
        raise UsageError(i18n.t("import.rejects_is_input"))
    app_ctx = ctx.obj
    report = run_import(app_ctx, app_ctx.playbook(), file, sheet=sheet, dry_run=dry_run, rejects=skip_errors,
                        replace=replace)
    r = report.result
    key = "catalog.dry_run_done" if dry_run else "catalog.imported"
    lines = [i18n.t(key, path=file, new=len(r.inserted), updated=len(r.updated), repriced=len(r.repriced),
                    unchanged=r.unchanged, deactivated=len(r.deactivated))]
    if report.price_list.problems:
        lines.append(i18n.t("catalog.rejected", count=len(report.price_list.problems), path=skip_errors))
    say(*lines)


def _catalogue(ctx: typer.Context):
    from ..store.catalog import for_offer

    app_ctx = ctx.obj
    return for_offer(app_ctx, app_ctx.playbook())


LIST_COLUMNS = ("code", "name", "category", "unit", "unit_price", "includes_vat", "vat_rate", "min_order",
                "lead_days", "segments", "occasions", "tags", "active")


def _row(p) -> list:
    return [p.code, p.name.get(), p.category.get(), p.unit.get(), float(p.unit_price), p.includes_vat, p.vat_rate,
            p.min_order, p.lead_days, ";".join(p.segments), ";".join(p.occasions), ";".join(p.tags), p.active]


def _emit_products(fmt: ListFormat, products) -> None:
    from ..pricing import money

    if fmt == ListFormat.table:
        headers = [i18n.t(f"catalog.col.{c}") for c in ("code", "name", "category", "unit", "unit_price", "min_order",
                                                         "lead_days")]
        rows = [[p.code, p.name.get(), p.category.get(), p.unit.get(),
                 money(p.unit_price) + (i18n.t("catalog.incl_vat") if p.includes_vat else i18n.t("catalog.excl_vat")),
                 p.min_order, "" if p.lead_days is None else p.lead_days] for p in products]
        emit(fmt, LIST_COLUMNS, headers, rows)
        return
    emit(fmt, LIST_COLUMNS, list(LIST_COLUMNS), [_row(p) for p in products])


@app.command("list", help=_h("help.catalog.list"))
def list_(
    ctx: typer.Context,
    category: Optional[str] = typer.Option(None, "--category", "-c", help=_h("help.catalog.category")),
    segment: Optional[str] = typer.Option(None, "--segment", help=_h("help.catalog.segment")),
    bundles: bool = typer.Option(False, "--bundles", help=_h("help.catalog.bundles")),
    include_inactive: bool = typer.Option(False, "--all", help=_h("help.catalog.all")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..catalog import in_category

    catalogue = _catalogue(ctx)
    if bundles:
        from ..pricing import money

        cols = ("code", "name", "set_price", "min_sets", "segments", "occasions", "lines")
        rows = [[b.code, b.name.get(), float(b.set_price) if fmt != ListFormat.table else money(b.set_price),
                 b.min_order, ";".join(b.segments), ";".join(b.occasions),
                 "; ".join(f"{ln.product.code}×{ln.count}" for ln in b.lines)] for b in catalogue.bundles
                if (segment is None or not b.segments or segment in b.segments)
                and (category is None or b.in_category(category))]
        emit(fmt, cols, [i18n.t(f"catalog.col.{c}") for c in cols] if fmt == ListFormat.table else list(cols), rows)
        return
    products = [p for p in catalogue.products.values()
                if (include_inactive or p.active)
                and (category is None or in_category(p.category.zh, category) or in_category(p.category.en, category))
                and (segment is None or not p.segments or segment in p.segments)]
    _emit_products(fmt, products)


@app.command("search", help=_h("help.catalog.search"))
def search(
    ctx: typer.Context,
    query: str = typer.Argument(..., help=_h("help.catalog.query"), show_default=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..catalog import search_products

    _emit_products(fmt, search_products(_catalogue(ctx), query))


@app.command("show", help=_h("help.catalog.show"))
def show(
    ctx: typer.Context,
    code: str = typer.Argument(..., help=_h("help.catalog.code"), show_default=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..store.catalog import history_for
    from ..pricing import money

    catalogue = _catalogue(ctx)
    code = code.strip().upper() if code.strip().upper() in catalogue.products else code.strip()
    p = catalogue.products.get(code)
    b = next((x for x in catalogue.bundles if x.code == code), None)
    if p is None and b is None:
        raise TgError(i18n.t("catalog.unknown_product", code=code))
    history = history_for(ctx.obj, code) if p is not None else []
    if fmt != ListFormat.table:
        data = {"code": code}
        if p is not None:
            data.update(dict(zip(LIST_COLUMNS, _row(p))))
            data["spec"] = p.spec.get() if p.spec else None
            data["tiers"] = [{"min_qty": t.min_qty, "discount_pct": t.discount_pct} for t in p.tiers]
            data["price_history"] = [{"at": at.isoformat(), "unit_price": float(price), "includes_vat": vat,
                                      "by": by, "source": src} for at, price, vat, by, src in history]
        else:
            data.update({"name": b.name.get(), "set_price": float(b.set_price), "min_sets": b.min_order,
                         "lines": [{"code": ln.product.code, "name": ln.product.name.get(), "count": ln.count,
                                    "unit_price": float(ln.product.unit_price)} for ln in b.lines]})
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    from ..plain import print_table

    if p is not None:
        rows = [(i18n.t("catalog.col.code"), p.code), (i18n.t("catalog.col.name"), p.name.get()),
                (i18n.t("catalog.col.spec"), p.spec.get() if p.spec else ""),
                (i18n.t("catalog.col.category"), p.category.get()), (i18n.t("catalog.col.unit"), p.unit.get()),
                (i18n.t("catalog.col.unit_price"), money(p.unit_price) + (
                    i18n.t("catalog.incl_vat") if p.includes_vat else i18n.t("catalog.excl_vat"))),
                (i18n.t("catalog.col.vat_rate"), f"{p.vat_rate:g}%"),
                (i18n.t("catalog.col.min_order"), str(p.min_order)),
                (i18n.t("catalog.col.lead_days"), "" if p.lead_days is None else str(p.lead_days)),
                (i18n.t("catalog.col.tiers"), "; ".join(f"{t.min_qty}+ −{t.discount_pct:g}%" for t in p.tiers)),
                (i18n.t("catalog.col.segments"), ", ".join(p.segments)),
                (i18n.t("catalog.col.occasions"), ", ".join(p.occasions)),
                (i18n.t("catalog.col.tags"), ", ".join(p.tags)),
                (i18n.t("catalog.col.active"), i18n.t("catalog.yes") if p.active else i18n.t("catalog.no"))]
        print_table([i18n.t("catalog.col.field"), i18n.t("catalog.col.value")], rows)
        if history:
            print_table([i18n.t("catalog.col.at"), i18n.t("catalog.col.unit_price"), i18n.t("catalog.col.by"),
                         i18n.t("catalog.col.source")],
                        [(at.strftime("%Y-%m-%d %H:%M"), money(price), by, src or "") for at, price, _v, by, src in history])
        return
    print_table([i18n.t("catalog.col.code"), i18n.t("catalog.col.name"), i18n.t("catalog.col.count"),
                 i18n.t("catalog.col.unit_price")],
                [(ln.product.code, ln.product.name.get(), ln.count, money(ln.product.unit_price)) for ln in b.lines])
    say(i18n.t("catalog.bundle_total", name=b.name.get(), price=money(b.set_price), min=b.min_order))


@app.command("export", help=_h("help.catalog.export"))
def export(
    ctx: typer.Context,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=_h("help.catalog.output"), metavar="FILE"),
    include_inactive: bool = typer.Option(False, "--all", help=_h("help.catalog.all")),
) -> None:
    from ..catalog_import import write_catalog_csv
    from ..export import open_output

    catalogue = _catalogue(ctx)
    try:
        with open_output(output, "utf-8-sig" if output is not None else "utf-8") as out:
            n = write_catalog_csv(catalogue, out, include_inactive=include_inactive)
    except OSError as exc:
        raise TgError(i18n.t("catalog.cannot_write", path=output, reason=exc.strerror or exc)) from None
    sys.stdout.flush()
    if output is not None:
        say(i18n.t("catalog.exported", count=n, path=output))


@app.command("set-price", help=_h("help.catalog.set_price"))
def set_price(
    ctx: typer.Context,
    code: str = typer.Argument(..., help=_h("help.catalog.code"), show_default=False),
    price: str = typer.Argument(..., help=_h("help.catalog.price"), show_default=False),
    excl_vat: bool = typer.Option(False, "--excl-vat", help=_h("help.catalog.excl_vat")),
) -> None:
    from .. import catalog_prices
    from ..catalog import parse_price
    from ..pricing import money

    try:
        value = parse_price(price)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    change = catalog_prices.set_price(ctx.obj, code, Decimal(value), excl_vat=excl_vat)
    say(i18n.t("catalog.repriced", code=change.code, old=money(change.old), new=money(change.new)))
