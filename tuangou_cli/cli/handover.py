"""tg handover --from USER --to USER… | --to-pool [--filter] [--dry-run] [--out DIR|FILE.md]"""

from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer

from .. import i18n
from ..errors import one_line
from .options import TextOrJson, format_option
from .output import say


def _h(key: str) -> str:
    return i18n.both(key)


def handover(
    ctx: typer.Context,
    from_user: str = typer.Option(..., "--from", metavar="USER", help=_h("help.handover.from"), show_default=False),
    to: Optional[List[str]] = typer.Option(None, "--to", metavar="USER", help=_h("help.handover.to")),
    to_pool: bool = typer.Option(False, "--to-pool", help=_h("help.handover.to_pool")),
    filters: Optional[List[str]] = typer.Option(None, "--filter", metavar="FIELD=VALUE", help=_h("help.pool.filter")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_h("help.handover.dry_run")),
    out: Optional[str] = typer.Option(None, "--out", "-o", metavar="DIR|FILE.md", help=_h("help.handover.out")),
    reason: Optional[str] = typer.Option(None, "--reason", help=_h("help.handover.reason")),
    new_user: bool = typer.Option(False, "--new-user", help=_h("help.pipe.handoff.new_user")),
    fmt: TextOrJson = format_option(TextOrJson.text),
) -> None:
    from ..handover import handover as run

    app_ctx = ctx.obj
    result = run(app_ctx, app_ctx.playbook(), from_user=from_user, to_users=list(to or []),
                 to_pool=to_pool, user=app_ctx.user(), filters=filters, dry_run=dry_run, out=out,
                 reason=reason, new_user=new_user)
    pool = i18n.t("pool.the_pool")
    if fmt.is_json:
        data = {"from": result.from_user, "dry_run": dry_run,
                "clients": [{"client_id": i.client_id, "client": i.client, "stage": i.stage,
                             "open_deals": i.open_deals, "open_value": i.open_value, "followups": i.followups,
                             "overdue": i.overdue, "to": result.assigned[i.client_id]} for i in result.items],
                "summary": [r.__dict__ for r in result.summary()], "files": [str(f) for f in result.files]}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=None if fmt.value == "jsonl" else 2) + "\n")
        return
    cur = app_ctx.playbook().currency
    from ..recommend import money

    say(i18n.t("handover.dry_run" if dry_run else "handover.done", user=result.from_user, n=len(result.items)))
    lines = [i18n.t("handover.line", id=i.client_id, client=i.client, to=result.assigned[i.client_id] or pool,
                    deals=i.open_deals, value=money(i.open_value, cur), followups=i.followups)
             for i in result.items]
    lines.append("")
    lines += [i18n.t("handover.summary", to=r.to or pool, clients=r.clients, deals=r.open_deals,
                     value=money(r.open_value, cur), followups=r.followups, overdue=r.overdue)
              for r in result.summary()]
    sys.stdout.write("\n".join(one_line(line) for line in lines) + "\n")
    if result.files:
        say(i18n.t("handover.files", n=len(result.files), path=out))
