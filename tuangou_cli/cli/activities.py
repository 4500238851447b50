"""tg log CLIENT TEXT, tg log edit|rm ID, tg agenda [--user U | --all], tg agenda done ID"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from . import TgSubGroup
from .options import ListFormat, format_option, yes_option
from .listing import limit_option, output_option
from .output import say


def _h(key: str) -> str:
    return i18n.both(key)


class DefaultToAdd(TgSubGroup):
    """`tg log CLIENT TEXT …` is `tg log add CLIENT TEXT …`; `tg log edit|rm ID` mend an entry.
    (A client named like a subcommand: `tg log add edit …`.)"""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["add", *args]
        return super().parse_args(ctx, args)


log = typer.Typer(no_args_is_help=True, cls=DefaultToAdd)


@log.command("add", help=_h("help.daily.log.add"))
def log_add(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    text: str = typer.Argument(..., help=_h("help.pipe.log.text"), show_default=False),
    type_: str = typer.Option(..., "--type", "-t", help=_h("help.pipe.log.type"), show_default=False),
    next_action: Optional[str] = typer.Option(None, "--next", help=_h("help.pipe.log.next")),
    due: Optional[str] = typer.Option(None, "--due", help=_h("help.pipe.log.due"), metavar="DATE"),
) -> None:
    from .. import activities_use

    logged = activities_use.log(ctx.obj, client, text, type_, next_action, due)
    say(logged.message)
    sys.stdout.write(f"{logged.id}\n")


@log.command("edit", help=_h("help.daily.log.edit"))
def log_edit(
    ctx: typer.Context,
    entry: str = typer.Argument(..., help=_h("help.daily.log.id"), show_default=False),
    text: Optional[str] = typer.Option(None, "--text", help=_h("help.pipe.log.text")),
    type_: Optional[str] = typer.Option(None, "--type", "-t", help=_h("help.pipe.log.type")),
    next_action: Optional[str] = typer.Option(None, "--next", help=_h("help.pipe.log.next")),
    due: Optional[str] = typer.Option(None, "--due", help=_h("help.daily.log.due"), metavar="DATE"),
    done: Optional[bool] = typer.Option(None, "--done/--open", help=_h("help.daily.log.done"), show_default=False),
) -> None:
    from .. import mending
    from ..choices import activity_type
    from .mend import edited

    edited(mending.edit_activity(ctx.obj, entry, type=activity_type(type_) if type_ is not None else None,
                                 text=text, next_action=next_action, due=due, done=done))


@log.command("rm", help=_h("help.daily.log.rm"))
def log_rm(
    ctx: typer.Context,
    entry: str = typer.Argument(..., help=_h("help.daily.log.id"), show_default=False),
    yes: bool = yes_option(),
) -> None:
    from .. import mending
    from .mend import confirmer, removed

    removed(mending.remove(ctx.obj, "activity", entry, confirmer(yes)))


agenda_app = typer.Typer(no_args_is_help=False, invoke_without_command=True)

AGENDA_COLUMNS = ["kind", "id", "client_id", "client", "owner", "stage", "due", "days", "next_action"]
# The listing formats, and the follow-ups as a calendar file (calendars.py).
AgendaFormat = Enum("AgendaFormat", {**{f.value: f.value for f in ListFormat}, "ics": "ics"}, type=str)


@agenda_app.callback()
def agenda(
    ctx: typer.Context,
    user: Optional[str] = typer.Option(None, "--user", "-u", help=_h("help.pipe.agenda.user")),
    everyone: bool = typer.Option(False, "--all", help=_h("help.daily.agenda.all")),
    limit: int = limit_option(),
    fmt: AgendaFormat = format_option(AgendaFormat.table),
    output: Optional[Path] = output_option(),
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    if fmt.value == "ics" or (output is not None and output.suffix.lower() == ".ics"):
        from .calendars import agenda_ics

        # The current user's follow-ups, as the listing: someone else's with --user, the team's with --all.
        return agenda_ics(ctx, user=None if everyone else (user or ctx.obj.user()),
                          fmt="ics" if fmt.value == "table" else fmt.value, output=output)
    from .. import activities_use
    from .listing import chosen

    fmt = chosen(ListFormat(fmt.value), output)
    found = activities_use.agenda(ctx.obj, user=user, everyone=everyone)
    data = {k: v[:limit] if limit else v for k, v in found.sections.items()}
    rows = [[f["kind"], f["id"], f["client_id"], f["client"], f["owner"], None, f["due"], f["days"],
             f["next_action"]] for f in data["followups"]]
    rows += [[r["kind"], None, r["client_id"], r["client"], r["owner"], r["stage"], None, r["days"], None]
             for r in data["idle"]]
    rows += [[r["kind"], r["id"], r["client_id"], r["client"], r["owner"], None, r["due"], r["days"], r["next_action"]]
             for r in data["receivables"] + data["reorders"]]
    if fmt == ListFormat.json:
        from ..export import open_output
        from .options import json_text

        with open_output(output, "utf-8") as out:
            out.write(json_text(dict(data, user=found.user), fmt))
        return
    if fmt.flat:
        from .listing import show

        show(fmt, AGENDA_COLUMNS, AGENDA_COLUMNS, rows, output=output)
        return
    from .. import render

    render.print_line(i18n.t("daily.agenda.whose", user=found.user) if found.user else i18n.t("daily.agenda.all"))
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
    from .. import activities_use

    say(activities_use.done(ctx.obj, followup))
