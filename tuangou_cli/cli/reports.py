"""tg report pareto | funnel | credit | referrals — the sales manager's monthly view.

Each command parses its options, calls one function of tuangou_cli.reports and prints.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer

from .. import i18n
from .options import ListFormat, format_option

app = typer.Typer(no_args_is_help=True)


def _h(key: str) -> str:
    return i18n.both(key)


def _segment_option():
    return typer.Option(None, "--segment", help=_h("help.filter.segment"))


def _owner_option():
    return typer.Option(None, "--owner", help=_h("help.filter.owner"))


PARETO_COLUMNS = ["rank", "client_id", "client", "segment", "owner", "revenue", "share", "cumulative_share", "abc"]
FUNNEL_COLUMNS = ["stage", "name", "clients", "open_deals", "open_value", "reached", "conversion_to_next"]


@app.command("pareto", help=_h("help.lib.report.pareto"))
def pareto(
    ctx: typer.Context,
    segment: Optional[str] = _segment_option(),
    owner: Optional[str] = _owner_option(),
    top: int = typer.Option(15, "--top", min=1, max=1000, help=_h("help.lib.report.top")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..reports import pareto_report

    pb = ctx.obj.playbook()
    report = pareto_report(ctx.obj.store, pb, segment=segment, owner=owner)
    if fmt == ListFormat.table:
        from ..render import print_pareto

        print_pareto(report, pb.currency, top)
        return
    rows = [[r.rank, r.client_id, r.name, r.segment, r.owner, round(r.revenue, 2), round(r.share, 6),
             round(r.cumulative, 6), r.abc] for r in report.rows]
    if fmt == ListFormat.json:
        # One object: the summary (top-20% share, ABC classes, the curve) and every client.
        out = dict(report.summary(), rows=[dict(zip(PARETO_COLUMNS, r)) for r in rows])
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    from .output import emit

    emit(fmt, PARETO_COLUMNS, PARETO_COLUMNS, rows)


@app.command("funnel", help=_h("help.lib.report.funnel"))
def funnel(
    ctx: typer.Context,
    segment: Optional[str] = _segment_option(),
    owner: Optional[str] = _owner_option(),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..reports import funnel_report

    pb = ctx.obj.playbook()
    rows = funnel_report(ctx.obj.store, pb, segment=segment, owner=owner)
    if fmt == ListFormat.table:
        from ..render import print_funnel

        print_funnel(rows, pb.currency)
        return
    from .output import emit

    data = [[r.stage, r.name, r.clients, r.open_deals, round(r.open_value, 2), r.reached,
             None if r.conversion is None else round(r.conversion, 4)] for r in rows]
    emit(fmt, FUNNEL_COLUMNS, FUNNEL_COLUMNS, data)


@app.command("credit", help=_h("help.pipe.report.credit"))
def credit(
    ctx: typer.Context,
    owner: Optional[str] = typer.Option(None, "--owner", help=_h("help.filter.owner")),
    segment: Optional[str] = typer.Option(None, "--segment", help=_h("help.filter.segment")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..reports import credit_report

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    report = credit_report(app_ctx.store, pb, owner=owner, segment=segment, user=app_ctx.user())
    if fmt == ListFormat.json:
        sys.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
        return
    if fmt.flat:
        from .output import emit

        cols = ["owner", *report.stages, "total", "share"]
        emit(fmt, cols, cols, [[r.owner, *(r.stages[s] for s in report.stages), r.total, round(r.share, 4)]
                               for r in report.rows])
        return
    from ..render import print_credit

    print_credit(report, pb)


class ReportBy(str, Enum):
    referrer = "referrer"
    segment = "segment"
    owner = "owner"


@app.command("referrals", help=_h("help.referrals.report"))
def referrals(
    ctx: typer.Context,
    by: ReportBy = typer.Option(ReportBy.referrer.value, "--by", help=_h("help.report.by")),
    segment: Optional[str] = typer.Option(None, "--segment", help=_h("help.filter.segment")),
    owner: Optional[str] = typer.Option(None, "--owner", help=_h("help.filter.owner")),
    top: int = typer.Option(20, "--top", min=0, help=_h("help.report.top")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..reports import referral_report
    from .output import emit

    report = referral_report(ctx.obj.store, by=by.value, segment=segment, owner=owner, top=top)
    if fmt != ListFormat.table:
        emit(fmt, report.columns, report.columns, [r.values() for r in report.rows])
        return
    from ..recommend import money

    cur = ctx.obj.playbook().currency
    data = [[*r.group.values(), r.introduced, r.converted, f"{r.conversion_rate:.0%}", money(r.converted_value, cur),
             "" if r.median_days_to_convert is None else f"{r.median_days_to_convert:g}",
             money(r.rewards_due, cur), money(r.rewards_granted, cur)] for r in report.rows]
    emit(fmt, report.columns, [i18n.t(f"rep.{c}") for c in report.columns], data)


class ReceivablesBy(str, Enum):
    client = "client"
    owner = "owner"
    segment = "segment"


@app.command("receivables", help=_h("help.report.receivables"))
def receivables(
    ctx: typer.Context,
    by: ReceivablesBy = typer.Option(ReceivablesBy.client.value, "--by", help=_h("help.report.receivables_by")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..order_cases import receivables_report
    from ..orders import money_text, yuan
    from .output import emit

    columns, rows = receivables_report(ctx.obj, by=by.value)
    money = set(columns[-6:])
    if fmt != ListFormat.table:
        emit(fmt, columns, columns, [[float(yuan(r[c])) if c in money else r[c] for c in columns] for r in rows])
        return
    cur = ctx.obj.playbook().currency
    totals = {c: sum(r[c] for r in rows) for c in money}
    body = [[r[c] if c not in money else money_text(r[c], cur) for c in columns] for r in rows]
    body.append([i18n.t("packing.total"), *([""] * (len(columns) - 8)), sum(r["orders"] for r in rows),
                 *(money_text(totals[c], cur) for c in columns[-6:])])
    emit(fmt, columns, [i18n.t(f"recv.col.{c}") for c in columns], body)


RETENTION_COLUMNS = ["occasion", "season", "last_season", "client_id", "client", "status", "last_revenue", "revenue"]


@app.command("retention", help=_h("help.report.retention"))
def retention(
    ctx: typer.Context,
    occasion: Optional[str] = typer.Option(None, "--occasion", help=_h("help.report.retention_occasion")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..order_cases import retention_report
    from ..orders import money_text, yuan
    from .output import emit, say

    data = retention_report(ctx.obj, occasion=occasion)
    rows, s = data["rows"], data["summary"]
    if fmt == ListFormat.json:
        out = {"summary": {**s, "revenue_kept": str(yuan(s["revenue_kept"])),
                           "last_revenue": str(yuan(s["last_revenue"]))},
               "rows": [{**r, "last_revenue": str(yuan(r["last_revenue"])), "revenue": str(yuan(r["revenue"]))}
                        for r in rows]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt != ListFormat.table:
        emit(fmt, RETENTION_COLUMNS, RETENTION_COLUMNS,
             [[float(yuan(r[c])) if c in ("last_revenue", "revenue") else r[c] for c in RETENTION_COLUMNS]
              for r in rows])
        return
    cur = ctx.obj.playbook().currency
    emit(fmt, RETENTION_COLUMNS, [i18n.t(f"retention.col.{c}") for c in RETENTION_COLUMNS],
         [[r["occasion"], r["season"], r["last_season"], r["client_id"], r["client"],
           i18n.t(f"retention.status.{r['status']}"), money_text(r["last_revenue"], cur), money_text(r["revenue"], cur)]
          for r in rows])
    say(i18n.t("retention.summary", kept=s["kept"], lost=s["lost"], not_yet=s["not_yet"], new=s["new"], rate=f"{s['rate']:.0%}",
               kept_revenue=money_text(s["revenue_kept"], cur), last=money_text(s["last_revenue"], cur)))


# The targets report lives with tg targets (cli/targets.py); it is listed here, with the others.
from .targets import report_targets as _report_targets  # noqa: E402

app.command("targets", help=_h("help.target.report"))(_report_targets)
