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


# The targets report lives with tg targets (cli/targets.py); it is listed here, with the others.
from .targets import report_targets as _report_targets  # noqa: E402

app.command("targets", help=_h("help.target.report"))(_report_targets)
