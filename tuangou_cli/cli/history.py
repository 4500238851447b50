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
    from .. import records
    from .output import emit

    found = records.client_history(ctx.obj, client)
    columns, rows = found.columns, found.rows
    if fmt == ListFormat.table:
        for r in rows:
            r[1] = r[1].strftime("%Y-%m-%d %H:%M") if r[1] else ""
            r[7] = describe(r[7] or {})
        headers = [i18n.t(f"team.history.col.{c}") for c in columns]
        emit(fmt, columns, headers, rows)
    else:
        emit(fmt, columns, columns, rows)
