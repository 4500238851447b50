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
    from ..recommend import money, nominal_per_head

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
        [(b.code, b.name.get(), ", ".join(b.segments), ", ".join(b.occasions) or "*",
          money(nominal_per_head(b), pb.currency)) for b in pb.bundles],
    )


def playbook_json(pb) -> dict:
    from ..recommend import nominal_per_head

    def effect(e) -> dict:
        return {"weights": dict(e.weights), "tags": list(e.tags), "sets": dict(e.sets)}

    return {
        "version": pb.version,
        "title": pb.title.as_json(),
        "currency": pb.currency,
        "settings": pb.settings.model_dump(),
        "segments": [
            {"code": s.code, "name": s.name.as_json(), "summary": s.summary.as_json(),
             "need_points": [t.as_json() for t in s.need_points], "values": [t.as_json() for t in s.values]}
            for s in pb.segments
        ],
        "questions": [
            {
                "id": q.id, "type": q.type, "text": q.text.as_json(), "field": q.field, "always": q.always,
                "choices": [{"value": c.value, "label": c.label.as_json(), **effect(c)} for c in q.choices],
                "min": q.min, "max": q.max,
            }
            for q in pb.questions
        ],
        "bundles": [
            {
                "code": b.code, "name": b.name.as_json(), "segments": list(b.segments), "tags": list(b.tags),
                "occasions": list(b.occasions),
                "set_price": float(b.set_price), "per_head": float(nominal_per_head(b)),
                "quantity": b.quantity.model_dump(),
                "tiers": [t.model_dump() for t in b.tiers],
                "items": [{"name": i.name.as_json(), "unit_price": float(i.unit_price), "per_set": i.per_set}
                          for i in b.items],
                "services": [s.as_json() for s in b.services],
            }
            for b in pb.bundles
        ],
    }
