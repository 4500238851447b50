"""tg cases add | search | list — the support centre's library of wins, losses and lessons."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .. import i18n
from .options import ListFormat, format_option
from .output import say

app = typer.Typer(no_args_is_help=True)

def _h(key: str) -> str:
    return i18n.both(key)


def _check_segment(ctx: typer.Context, segment: Optional[str]) -> None:
    if segment:
        from ..store import clients as st

        st.check_segment(None, segment, ctx.obj.playbook())  # type: ignore[arg-type]


def _check_outcome(outcome: Optional[str]) -> Optional[str]:
    if outcome is None:
        return None
    from ..store.cases import check_outcome

    return check_outcome(outcome)


@app.command("add", help=_h("help.lib.cases.add"))
def add(
    ctx: typer.Context,
    title: str = typer.Option(..., "--title", help=_h("help.lib.case.title"), show_default=False),
    outcome: str = typer.Option(..., "--outcome", help=_h("help.lib.case.outcome"), metavar="won|lost",
                                show_default=False),
    segment: Optional[str] = typer.Option(None, "--segment", help=_h("help.lib.case.segment")),
    industry: Optional[str] = typer.Option(None, "--industry", help=_h("help.lib.case.industry")),
    decided_by: Optional[str] = typer.Option(None, "--decided-by", help=_h("help.lib.case.decided_by")),
    technique: Optional[str] = typer.Option(None, "--technique", help=_h("help.lib.case.technique")),
    lesson: Optional[str] = typer.Option(None, "--lesson", help=_h("help.lib.case.lesson")),
    client: Optional[str] = typer.Option(None, "--client", help=_h("help.lib.case.client")),
) -> None:
    from .. import case_library

    outcome = _check_outcome(outcome) or outcome
    _check_segment(ctx, segment)
    done = case_library.add_case(ctx.obj, title=title, outcome=outcome, segment=segment, industry=industry,
                                 decided_by=decided_by, technique=technique, lesson=lesson, client=client)
    say(i18n.t("lib.case.added", id=done.id, title=done.title))
    sys.stdout.write(f"{done.id}\n")


def _emit(fmt: ListFormat, rows: list[dict], extra: list[str] | None = None) -> None:
    from ..store.cases import COLUMNS
    from .output import emit

    extra = extra or []
    if fmt == ListFormat.table:
        from ..render import print_cases

        cards = [dict(r, outcome_label=i18n.t(f"lib.outcome.{r['outcome']}"), date=r["created_at"].date().isoformat(),
                      client_label=f"#{r['client_id']} {r['client']}" if r["client_id"] else None) for r in rows]
        labels = {k: i18n.t(f"lib.field.{k}") for k in ("decided_by", "technique", "lesson", "matched")}
        print_cases(cards, labels)
    else:
        cols = COLUMNS + extra
        emit(fmt, cols, cols, [[r[c] for c in cols] for r in rows])


@app.command("search", help=_h("help.lib.cases.search"))
def search(
    ctx: typer.Context,
    text: str = typer.Argument(..., help=_h("help.lib.case.text"), show_default=False),
    segment: Optional[str] = typer.Option(None, "--segment", help=_h("help.filter.segment")),
    outcome: Optional[str] = typer.Option(None, "--outcome", help=_h("help.lib.filter.outcome"), metavar="won|lost"),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from .. import case_library

    outcome = _check_outcome(outcome)
    _check_segment(ctx, segment)
    hits = case_library.search_cases(ctx.obj, text, segment=segment, outcome=outcome)
    if not hits:
        say(i18n.t("lib.case.no_hits", text=text))
        if fmt == ListFormat.table:
            return
    rows = [dict(h.case, score=h.score, matched=",".join(h.fields)) for h in hits]
    _emit(fmt, rows, ["score", "matched"])


@app.command("list", help=_h("help.lib.cases.list"))
def list_cases(
    ctx: typer.Context,
    outcome: Optional[str] = typer.Option(None, "--outcome", help=_h("help.lib.filter.outcome"), metavar="won|lost"),
    segment: Optional[str] = typer.Option(None, "--segment", help=_h("help.filter.segment")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from .. import case_library

    outcome = _check_outcome(outcome)
    _check_segment(ctx, segment)
    rows = case_library.list_cases(ctx.obj, segment=segment, outcome=outcome)
    _emit(fmt, rows)
