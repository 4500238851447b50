"""tg history CLIENT — the audit trail of a client and of its contacts, deals, referrals and rewards."""

from __future__ import annotations

import typer

from .. import i18n
from .options import ListFormat, format_option


def _value(v: object) -> str:
    return "–" if v is None else str(v)


def describe(changes: dict) -> str:
    """{'city': ['杭州', '宁波']} → 'city: 杭州 → 宁波' (one line per field in a table)."""
    return "\n".join(f"{k}: {_value(old)} → {_value(new)}" for k, (old, new) in changes.items())


def history(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=i18n.both("help.team.history.client"), show_default=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..store import clients as st
    from ..errors import NotFound
    from ..store.queries import audit_query
    from .output import emit

    db = ctx.obj.store()
    with db.read() as session:
        try:
            cid = st.get_client(session, client).id
        except NotFound:
            # A removed client's history stays readable by its id.
            cid = st.parse_id(client)
            if cid is None:
                raise
        columns, stmt = audit_query(cid)
        rows = [list(r) for r in session.connection().execute(stmt)]
    if not rows and st.parse_id(client) == cid:
        with db.read() as session:
            from ..models import Client

            if session.get(Client, cid) is None:
                raise NotFound(i18n.t("client.not_found", query=client))
    if fmt == ListFormat.table:
        for r in rows:
            r[1] = r[1].strftime("%Y-%m-%d %H:%M") if r[1] else ""
            r[7] = describe(r[7] or {})
        headers = [i18n.t(f"team.history.col.{c}") for c in columns]
        emit(fmt, columns, headers, rows)
    else:
        emit(fmt, columns, columns, rows)
