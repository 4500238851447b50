"""tg playbook check | show"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .. import i18n
from .options import TextOrJson, format_option, json_text
from .output import say

app = typer.Typer(no_args_is_help=True)


@app.command("check", help=i18n.both("help.playbook.check"))
def check(ctx: typer.Context, file: Optional[str] = typer.Argument(None, metavar="[FILE]")) -> None:
    from ..playbook import load_playbook, resolve_playbook_path

    path = file or ctx.obj.playbook_path
    pb = load_playbook(path)
    say(i18n.t("playbook.valid", path=resolve_playbook_path(path), segments=len(pb.segments),
               questions=len(pb.questions), bundles=len(pb.bundles), version=pb.version))


@app.command("show", help=i18n.both("help.playbook.show"))
def show(ctx: typer.Context, fmt: TextOrJson = format_option(TextOrJson.text)) -> None:
    from ..playbook_view import bundle_rows, playbook_json

    pb = ctx.obj.playbook()
    if fmt.is_json:
        sys.stdout.write(json_text(playbook_json(pb), fmt))
        return
    from .. import render

    render.print_heading(f"{pb.title.get()}  ({pb.version})")
    render.print_rows(
        ["code", "name", "summary"],
        [i18n.t("bundle.col.code"), i18n.t("field.name"), ""],
        [(s.code, s.name.get(), s.summary.get()) for s in pb.segments],
    )
    render.print_heading(i18n.t("playbook.heading.questions"))
    render.print_rows(
        ["id", "type", "text", "choices"],
        ["id", "type", i18n.t("playbook.heading.questions"), "values"],
        [(q.id, q.type, q.text.get(), ", ".join(c.value for c in q.choices)) for q in pb.questions],
    )
    render.print_heading(i18n.t("playbook.heading.bundles"))
    render.print_rows(
        ["code", "name", "segments", "occasions", "per_head"],
        [i18n.t("bundle.col.code"), i18n.t("bundle.col.name"), i18n.t("field.segment"), i18n.t("field.occasion"),
         i18n.t("bundle.col.per_head")],
        bundle_rows(pb),
    )
