"""tg pool list | claim | release | assign | sweep | warnings — the lead pool (公海)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import List, Optional

import typer

from .. import i18n
from ..errors import one_line
from .options import ListFormat, format_option
from .output import emit, say

app = typer.Typer(no_args_is_help=True)


def _h(key: str) -> str:
    return i18n.both(key)


POOL_COLUMNS = ["client_id", "client", "segment", "city", "industry", "stage", "cls", "last_owner",
                "in_pool_since", "days_in_pool", "last_activity", "rule"]
WARN_COLUMNS = ["client_id", "client", "owner", "cls", "rule", "code", "due", "days_left"]
MOVE_COLUMNS = ["client_id", "client", "action", "from_owner", "to_owner", "rule"]


def _plain(row) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(row).items()}


def _listing(fmt: ListFormat, columns: list[str], rows: list, header_prefix: str) -> None:
    data = [_plain(r) for r in rows]
    if fmt == ListFormat.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    headers = columns if fmt != ListFormat.table else [i18n.t(f"{header_prefix}.{c}") for c in columns]
    emit(fmt, columns, headers, [[d[c] for c in columns] for d in data])


@app.command("list", help=_h("help.pool.list"))
def list_(
    ctx: typer.Context,
    filters: Optional[List[str]] = typer.Option(None, "--filter", metavar="FIELD=VALUE", help=_h("help.pool.filter")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..lead_pool import list_pool

    _listing(fmt, POOL_COLUMNS, list_pool(ctx.obj, filters=filters), "pool.col")


def _moved(move) -> None:
    if move.to_owner is None:
        say(i18n.t("pool.released", id=move.client_id, client=move.client, owner=move.from_owner or "—"))
    else:
        say(i18n.t(f"pool.moved.{move.action}", id=move.client_id, client=move.client, to=move.to_owner,
                   owner=move.from_owner or i18n.t("pool.the_pool")))


@app.command("claim", help=_h("help.pool.claim"))
def claim(ctx: typer.Context,
          client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False)) -> None:
    from ..lead_pool import claim as run

    app_ctx = ctx.obj
    _moved(run(app_ctx, app_ctx.playbook(), client, user=app_ctx.user()))


@app.command("release", help=_h("help.pool.release"))
def release(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    reason: Optional[str] = typer.Option(None, "--reason", help=_h("help.pool.reason")),
) -> None:
    from ..lead_pool import release as run

    app_ctx = ctx.obj
    _moved(run(app_ctx, client, reason=reason, user=app_ctx.user()))


@app.command("assign", help=_h("help.pool.assign"))
def assign(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    to: str = typer.Option(..., "--to", help=_h("help.pool.to"), show_default=False),
    new_user: bool = typer.Option(False, "--new-user", help=_h("help.pipe.handoff.new_user")),
) -> None:
    from ..lead_pool import assign as run

    app_ctx = ctx.obj
    _moved(run(app_ctx, client, to=to, user=app_ctx.user(), new_user=new_user))


@app.command("sweep", help=_h("help.pool.sweep"))
def sweep(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help=_h("help.pool.dry_run")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..lead_pool import sweep as run

    app_ctx = ctx.obj
    result = run(app_ctx, app_ctx.playbook(), user=app_ctx.user(), dry_run=dry_run)
    if fmt == ListFormat.json:
        sys.stdout.write(json.dumps({"day": result.day.isoformat(), "checked": result.checked, "dry_run": dry_run,
                                     "reclaimed": [_plain(m) for m in result.reclaimed],
                                     "warned": [_plain(w) for w in result.warned]},
                                    ensure_ascii=False, indent=2) + "\n")
        return
    key = "pool.swept_dry" if dry_run else "pool.swept"
    say(i18n.t(key, day=result.day.isoformat(), checked=result.checked, reclaimed=len(result.reclaimed),
               warned=len(result.warned)))
    if fmt.flat:
        rows = [[m.client_id, m.client, m.action, m.from_owner, m.to_owner, m.rule] for m in result.reclaimed]
        rows += [[w.client_id, w.client, "warn", w.owner, None, f"{w.code} @{w.due.isoformat()}"]
                 for w in result.warned]
        emit(fmt, MOVE_COLUMNS, MOVE_COLUMNS, rows)
        return
    lines = [i18n.t("pool.line.reclaimed", id=m.client_id, client=m.client, owner=m.from_owner, rule=m.rule)
             for m in result.reclaimed]
    lines += [i18n.t("pool.line.warned", id=w.client_id, client=w.client, owner=w.owner, rule=w.code,
                     due=w.due.isoformat(), days=w.days_left) for w in result.warned]
    if lines:
        sys.stdout.write("\n".join(one_line(line) for line in lines) + "\n")


@app.command("warnings", help=_h("help.pool.warnings"))
def warnings(
    ctx: typer.Context,
    user: Optional[str] = typer.Option(None, "--user", help=_h("help.pool.user")),
    everyone: bool = typer.Option(False, "--all", help=_h("help.pool.all")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..lead_pool import warnings as run

    app_ctx = ctx.obj
    who = None if everyone else (user or app_ctx.user())
    rows = run(app_ctx, app_ctx.playbook(), user=who, explicit_me=user is None)
    _listing(fmt, WARN_COLUMNS, rows, "pool.wcol")
