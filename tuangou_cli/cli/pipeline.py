"""tg handoff CLIENT --to USER, tg pipeline"""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer

from .. import i18n
from .options import ListFormat, format_option, json_text
from .output import say


def _h(key: str) -> str:
    return i18n.both(key)


class PacketFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    jsonl = "jsonl"


def handoff(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    to: str = typer.Option(..., "--to", help=_h("help.pipe.handoff.to"), show_default=False),
    stage: Optional[str] = typer.Option(None, "--stage", help=_h("help.pipe.handoff.stage")),
    from_stage: Optional[str] = typer.Option(None, "--from", metavar="STAGE", help=_h("help.trust.handoff_from")),
    new_user: bool = typer.Option(False, "--new-user", help=_h("help.pipe.handoff.new_user")),
    fmt: PacketFormat = format_option(PacketFormat.text),
) -> None:
    from ..store import pipeline as ps
    from ..store import clients as st
    from ..errors import UsageError
    from ..stageline import stage_name

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    to = " ".join(to.split())
    if not to:
        raise UsageError(i18n.t("pipe.empty_user"))
    from ..models import Client
    from ..stageline import need_stages, resolve_stage

    need_stages(pb)
    expect = resolve_stage(pb, from_stage).code if from_stage else None
    db = app_ctx.store()
    # The stage the hand-off leaves is the one the client is in now, as read here (or --from):
    # if another tg moves the client before this one writes, this one is refused, not carried on.
    with db.read() as session:
        found = st.get_client(session, client)
        cid, expect = found.id, expect or found.stage
    with db.write() as session:
        c = session.get(Client, cid)
        if c is None:  # removed by someone else since we looked
            raise st.NotFound(i18n.t("client.not_found", query=client))
        if not new_user:
            to = ps.check_user(session, to, also=[app_ctx.user()], new_hint=True)
        move = ps.handoff(session, pb, c, to=to, stage=stage, user=app_ctx.user(), expect=expect)
        packet = ps.packet(session, pb, c)
    packet["handoff"] = {
        "from_stage": move["from"]["stage"], "from_stage_name": stage_name(pb, move["from"]["stage"]),
        "from_owner": move["from"]["owner"], "to_stage": move["to"]["stage"],
        "to_stage_name": stage_name(pb, move["to"]["stage"]), "to_owner": to, "skipped": move["skipped"],
    }
    c = packet["client"]
    say(i18n.t("pipe.handed", id=c["id"], client=c["name"], stage=c["stage_name"], to=to))
    if move["skipped"]:
        say(i18n.t("pipe.skipped", stages=", ".join(stage_name(pb, s) for s in move["skipped"])))
    print_packet(packet, fmt, pb.currency)


def print_packet(packet: dict, fmt: PacketFormat, cur: str) -> None:
    if fmt in (PacketFormat.json, PacketFormat.jsonl):
        sys.stdout.write(json_text(packet, fmt))
        return
    if fmt == PacketFormat.markdown:
        from ..plain import packet_markdown

        sys.stdout.write(packet_markdown(packet, cur))
        return
    from ..render import print_packet as show

    show(packet, cur)


BOARD_COLUMNS = ["stage", "stage_name", "client_id", "client", "owner", "segment", "open_deals", "open_value",
                 "entered_at", "age_days"]


def pipeline(
    ctx: typer.Context,
    owner: Optional[str] = typer.Option(None, "--owner", help=_h("help.filter.owner")),
    segment: Optional[str] = typer.Option(None, "--segment", help=_h("help.filter.segment")),
    limit: int = typer.Option(15, "--limit", min=0, help=_h("help.pipe.pipeline.limit")),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..store import pipeline as ps
    from ..stageline import need_stages

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    need_stages(pb)
    with app_ctx.store().read() as session:
        _check_filters(session, pb, owner, segment, app_ctx)
        rows = ps.board(session, pb, owner=owner, segment=segment)
    if fmt == ListFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt.flat:
        from .output import emit

        emit(fmt, BOARD_COLUMNS, BOARD_COLUMNS, [[r[k] for k in BOARD_COLUMNS] for r in rows])
        return
    from .. import render
    from ..recommend import money

    cur = pb.currency
    codes = [s.code for s in pb.stages]
    codes += sorted({r["stage"] for r in rows} - set(codes))  # stages set by hand, unknown to the playbook
    columns, headers = [], []
    for code in codes:
        in_stage = [r for r in rows if r["stage"] == code]
        if not in_stage and pb.stage(code) is None:
            continue
        value = sum(r["open_value"] for r in in_stage)
        name = in_stage[0]["stage_name"] if in_stage else pb.stage(code).name.get()
        headers.append(f"{name}\n{len(in_stage)} · {money(value, cur)}")
        cells = [f"{r['client']}\n{money(r['open_value'], cur) if r['open_deals'] else '—'} · "
                 + i18n.t("pipe.age", days=r["age_days"]) + (f" · {r['owner']}" if r["owner"] else "")
                 for r in in_stage]
        if limit and len(cells) > limit:
            cells = cells[:limit] + [i18n.t("pipe.more", n=len(cells) - limit)]
        columns.append(cells)
    if not rows:
        render.print_rows([], [], [])
        return
    height = max(len(c) for c in columns)
    grid = [[col[i] if i < len(col) else None for col in columns] for i in range(height)]
    render.print_rows(headers, headers, grid)
    total = sum(r["open_value"] for r in rows)
    render.print_line(i18n.t("pipe.board_total", clients=len(rows), value=money(total, cur)))


def _check_filters(session, pb, owner, segment, app_ctx) -> None:
    from ..store import pipeline as ps
    from ..store import clients as st

    if owner:
        ps.check_user(session, owner, also=[app_ctx.user()])
    if segment:
        st.check_segment(session, segment, pb)

