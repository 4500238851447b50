"""tg report pareto | funnel — the sales manager's monthly view. (Other reports join this group.)"""

from __future__ import annotations

import json
import sys
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
    from .. import analysis
    from ..store import clients as st
    from ..store.analysis import revenue_by_client

    pb = ctx.obj.playbook()
    if segment:
        st.check_segment(None, segment, pb)  # type: ignore[arg-type]
    with ctx.obj.store().read() as session:
        report = analysis.pareto(revenue_by_client(session, segment=segment, owner=owner))
    if fmt == ListFormat.table:
        from ..render_reports import print_pareto

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
    from .. import analysis
    from ..store import clients as st
    from ..store.analysis import funnel_counts

    pb = ctx.obj.playbook()
    if segment:
        st.check_segment(None, segment, pb)  # type: ignore[arg-type]
    stages = [(s.code, s.name.get(), s.outcome) for s in pb.stages] or [("lead", "lead", None)]
    with ctx.obj.store().read() as session:
        counts = funnel_counts(session, analysis.funnel_line(stages), segment=segment, owner=owner)
    rows = analysis.funnel(stages, *counts)
    if fmt == ListFormat.table:
        from ..render_reports import print_funnel

        print_funnel(rows, pb.currency)
        return
    from .output import emit

    data = [[r.stage, r.name, r.clients, r.open_deals, round(r.open_value, 2), r.reached,
             None if r.conversion is None else round(r.conversion, 4)] for r in rows]
    emit(fmt, FUNNEL_COLUMNS, FUNNEL_COLUMNS, data)


# Reports that live with their own feature join this group.
from .pipeline import report_credit  # noqa: E402
from .referrals import report_referrals  # noqa: E402

app.command("credit", help=_h("help.pipe.report.credit"))(report_credit)
app.command("referrals", help=_h("help.referrals.report"))(report_referrals)
