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
    from .. import pipeline_use

    handed = pipeline_use.handoff(ctx.obj, client, to=to, stage=stage, from_stage=from_stage, new_user=new_user)
    say(*handed.lines)
    print_packet(handed.packet, fmt, ctx.obj.playbook().currency)


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
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=0, help=_h("help.daily.pipeline.limit"),
                                        show_default=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from .. import pipeline_use

    app_ctx = ctx.obj
    if fmt != ListFormat.table:
        rows = pipeline_use.board(app_ctx, owner=owner, segment=segment).rows
        if fmt == ListFormat.json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            return
        from .output import emit

        emit(fmt, BOARD_COLUMNS, BOARD_COLUMNS, [[r[k] for k in BOARD_COLUMNS] for r in rows])
        return
    import shutil

    from .. import render
    from ..board import Block, lay_out
    from ..recommend import money

    cur = app_ctx.playbook().currency
    size = shutil.get_terminal_size((80, 24))
    if limit is None:
        # At a terminal the board fits its height: each stage's heading and "… more" line, and as
        # many clients per stage as the rest of the screen holds. Piped: 15 a stage.
        stages = max(1, len(app_ctx.playbook().stages))
        limit = max(1, (size.lines - 2 - 2 * stages) // stages) if sys.stdout.isatty() else 15
    stages = pipeline_use.summary(app_ctx, owner=owner, segment=segment, limit=limit)
    blocks = [Block(code=st["stage"], name=st["stage_name"], count=st["clients"], value=money(st["open_value"], cur),
                    rows=[(r["client_id"], r["client"], money(r["open_value"], cur) if r["open_deals"] else "—",
                           i18n.t("daily.board.age", days=r["age_days"]), r["owner"] or "") for r in st["rows"]],
                    more=st["clients"] - len(st["rows"]))
              for st in stages]
    for text, style in lay_out(blocks, size.columns, heading=i18n.t("daily.board.stage"),
                               more=i18n.t("pipe.more", n="{n}")):
        render.print_line(text, style or None)
    render.print_line(i18n.t("pipe.board_total", clients=sum(st["clients"] for st in stages),
                             value=money(sum(st["open_value"] for st in stages), cur)))
