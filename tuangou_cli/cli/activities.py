"""tg log CLIENT TEXT, tg agenda [--user U], tg agenda done ID"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from .options import ListFormat, format_option
from .output import say


def _h(key: str) -> str:
    return i18n.both(key)


class ActivityType(str, Enum):
    call = "call"
    visit = "visit"
    letter = "letter"
    email = "email"
    meeting = "meeting"


def log(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    text: str = typer.Argument(..., help=_h("help.pipe.log.text"), show_default=False),
    type_: ActivityType = typer.Option(..., "--type", "-t", help=_h("help.pipe.log.type"), case_sensitive=False,
                                       show_default=False),
    next_action: Optional[str] = typer.Option(None, "--next", help=_h("help.pipe.log.next")),
    due: Optional[str] = typer.Option(None, "--due", help=_h("help.pipe.log.due"), metavar="DATE"),
) -> None:
    from datetime import date

    from ..store import pipeline as ps
    from ..store import clients as st
    from ..stageline import parse_date

    due_date = parse_date(due, date.today()) if due is not None else None
    app_ctx = ctx.obj
    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        a = ps.add_activity(session, client=c, type=type_.value, text=text, user=app_ctx.user(),
                            next_action=next_action, due=due_date)
        message = i18n.t("pipe.logged", id=a.id, client=c.name, type=i18n.t(f"pipe.type.{a.type}"))
        if a.next_action:
            message += i18n.t("pipe.logged_next", next=a.next_action,
                                    due=a.due.isoformat() if a.due else i18n.t("pipe.undated"))
        aid = a.id
    say(message)
    sys.stdout.write(f"{aid}\n")


agenda_app = typer.Typer(no_args_is_help=False, invoke_without_command=True)

AGENDA_COLUMNS = ["kind", "id", "client_id", "client", "owner", "stage", "due", "days", "next_action"]
# The listing formats, and the follow-ups as a calendar file (calendars.py).
AgendaFormat = Enum("AgendaFormat", {**{f.value: f.value for f in ListFormat}, "ics": "ics"}, type=str)


@agenda_app.callback()
def agenda(
    ctx: typer.Context,
    user: Optional[str] = typer.Option(None, "--user", "-u", help=_h("help.pipe.agenda.user")),
    fmt: AgendaFormat = format_option(AgendaFormat.table),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=_h("help.cal.output"), metavar="FILE.ics"),
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    if fmt.value == "ics" or output is not None:
        from .calendars import agenda_ics

        return agenda_ics(ctx, user=user, fmt=fmt.value, output=output)
    fmt = ListFormat(fmt.value)
    from ..clock import today
    from ..store import pipeline as ps
    from ..store.orders import agenda_items

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    with app_ctx.store().read() as session:
        if user:
            user = ps.check_user(session, user, also=[app_ctx.user()])
        data = ps.agenda(session, pb, user=user)
        data.update(agenda_items(session, pb, user=user, today=today()))  # receivables and reorders
    rows = [[f["kind"], f["id"], f["client_id"], f["client"], f["owner"], None, f["due"], f["days"],
             f["next_action"]] for f in data["followups"]]
    rows += [[r["kind"], None, r["client_id"], r["client"], r["owner"], r["stage"], None, r["days"], None]
             for r in data["idle"]]
    rows += [[r["kind"], r["id"], r["client_id"], r["client"], r["owner"], None, r["due"], r["days"], r["next_action"]]
             for r in data["receivables"] + data["reorders"]]
    if fmt == ListFormat.json:
        import json

        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt.flat:
        from .output import emit

        emit(fmt, AGENDA_COLUMNS, AGENDA_COLUMNS, rows)
        return
    from .. import render

    render.print_heading(i18n.t("pipe.agenda.followups"))
    render.print_rows(
        ["when", "id", "client", "owner", "due", "next"],
        [i18n.t(k) for k in ("pipe.col.when", "field.id", "pipe.col.client", "field.owner", "pipe.col.due",
                             "pipe.col.next")],
        [[_when(f), f"#{f['id']}", f"#{f['client_id']} {f['client']}", f["owner"], f["due"] or "—",
          f["next_action"]] for f in data["followups"]])
    render.print_heading(i18n.t("pipe.agenda.idle"))
    render.print_rows(
        ["client", "owner", "stage", "idle"],
        [i18n.t(k) for k in ("pipe.col.client", "field.owner", "field.stage", "pipe.col.idle")],
        [[f"#{r['client_id']} {r['client']}", r["owner"], r["stage_name"],
          i18n.t("pipe.idle_days", days=r["days"], limit=r["rot_days"])] for r in data["idle"]])
    from .order import print_agenda

    print_agenda(data)


def _when(f: dict) -> str:
    if f["kind"] == "overdue":
        return i18n.t("pipe.when.overdue", days=f["days"])
    return i18n.t(f"pipe.when.{f['kind']}")


@agenda_app.command("done", help=_h("help.pipe.agenda.done"))
def done(
    ctx: typer.Context,
    followup: str = typer.Argument(..., help=_h("help.pipe.agenda.id"), show_default=False),
) -> None:
    from ..store import pipeline as ps

    with ctx.obj.store().write() as session:
        a = ps.close_followup(session, ps.get_followup(session, followup))
        message = i18n.t("pipe.followup_done", id=a.id, next=a.next_action)
    say(message)
