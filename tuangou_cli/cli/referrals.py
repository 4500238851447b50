"""tg refer REFERRER REFERRED, tg referrals list [CLIENT]"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .. import i18n
from ..errors import NotFound, TgError, UsageError
from .options import ListFormat, format_option, yes_option

app = typer.Typer(no_args_is_help=True)

COLUMNS = ["id", "created_at", "referrer_id", "referrer", "referred_id", "referred", "contact", "incentive", "status",
           "note", "created_by"]


def refer(
    ctx: typer.Context,
    referrer: str = typer.Argument(..., help=i18n.both("help.refer.referrer"), show_default=False),
    referred: str = typer.Argument(..., help=i18n.both("help.refer.referred"), show_default=False),
    contact: Optional[str] = typer.Option(None, "--contact", help=i18n.both("help.refer.contact")),
    incentive: Optional[str] = typer.Option(None, "--incentive", help=i18n.both("help.refer.incentive")),
    note: Optional[str] = typer.Option(None, "--note", help=i18n.both("help.note")),
    yes: bool = yes_option(),
) -> None:
    from .. import store as st
    from ..models import Client

    app_ctx = ctx.obj
    db = app_ctx.store()
    user = app_ctx.user()
    # Resolve both sides (and ask about new prospects) before the write transaction opens.
    resolved: list[int | str] = []
    with db.read() as session:
        for query in (referrer, referred):
            found = st.exact_clients(session, query)
            if len(found) > 1:
                raise st.ambiguous(query, found)
            if found:
                resolved.append(found[0].id)
            elif st.parse_id(query) is not None:
                st.get_client(session, query)  # an id that does not exist: NotFound with close names
            else:
                resolved.append(" ".join(query.split()))
    same = resolved[0] == resolved[1] or (
        isinstance(resolved[0], str) and isinstance(resolved[1], str)
        and st.name_key(resolved[0]) == st.name_key(resolved[1]))
    if same:
        raise TgError(i18n.t("refer.self", name=referred))
    for value in resolved:
        if isinstance(value, str):
            confirm_new(value, yes)
    with db.write() as session:
        sides = [session.get(Client, v) if isinstance(v, int) else st.create_client(session, name=v, user=user)
                 for v in resolved]
        if None in sides:  # removed by someone else since we looked
            raise NotFound(i18n.t("client.not_found", query=referrer if sides[0] is None else referred))
        r = st.record_referral(session, referrer=sides[0], referred=sides[1], user=user, contact_name=contact,
                               incentive=incentive, note=note)
        message = i18n.t("refer.recorded", id=r.id, referrer=f"#{sides[0].id} {sides[0].name}",
                         referred=f"#{sides[1].id} {sides[1].name}")
    sys.stderr.write(message + "\n")


def confirm_new(name: str, yes: bool) -> None:
    if not name:
        raise UsageError(i18n.t("client.empty_name"))
    if yes:
        return
    from .. import prompts

    if not prompts.is_interactive():
        raise UsageError(i18n.t("refer.need_yes", name=name))
    if not prompts.ask_confirm(i18n.t("refer.create_confirm", name=name), default=True):
        raise TgError(i18n.t("aborted"))


@app.command("list", help=i18n.both("help.referrals.list"))
def list_referrals(
    ctx: typer.Context,
    client: Optional[str] = typer.Argument(None, help=i18n.both("help.pitch.client"), show_default=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from .. import store as st
    from .output import emit

    db = ctx.obj.store()
    with db.read() as session:
        client_id = st.get_client(session, client).id if client else None
        rows = [row for row in referral_rows(session, client_id)]
    if fmt == ListFormat.table:
        rows = [(r[0], r[1][:10], f"#{r[2]} {r[3]}", f"#{r[4]} {r[5]}", r[6], r[7], i18n_status(r[8]), r[9])
                for r in rows]
        headers = [i18n.t(k) for k in ("field.id", "field.date", "field.referrer", "field.referred", "field.contact",
                                       "field.incentive", "field.status", "field.note")]
        emit(fmt, COLUMNS[:2] + ["referrer", "referred"] + COLUMNS[6:10], headers, rows)
    else:
        emit(fmt, COLUMNS, COLUMNS, rows)


def i18n_status(status: str) -> str:
    key = f"status.{status}"
    return i18n.t(key) if key in i18n.CATALOGUE else status


def referral_rows(session, client_id: int | None = None):
    from ..queries import referrals_query

    _cols, stmt = referrals_query(client_id)
    for row in session.connection().execute(stmt):
        yield (row[0], row[1].isoformat(), *row[2:])
