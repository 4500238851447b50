"""tg clients list | show | add | edit | rm"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..errors import UsageError
from .options import MAX_HEADCOUNT, MAX_MONEY, ListFormat, TextOrJson, format_option, json_text, yes_option
from .listing import limit_option, output_option
from .output import say

app = typer.Typer(no_args_is_help=True)


def _h(key: str) -> str:
    return i18n.both(key)


@app.command("list", help=_h("help.clients.list"))
def list_clients(
    ctx: typer.Context,
    segment: Optional[str] = typer.Option(None, "--segment", help=_h("help.filter.segment")),
    stage: Optional[str] = typer.Option(None, "--stage", help=_h("help.filter.stage")),
    owner: Optional[str] = typer.Option(None, "--owner", help=_h("help.filter.owner")),
    city: Optional[str] = typer.Option(None, "--city", help=_h("help.filter.city")),
    mine: bool = typer.Option(False, "--mine", help=_h("help.filter.mine")),
    limit: int = limit_option(),
    fmt: ListFormat = format_option(ListFormat.table),
    output: Optional[Path] = output_option(),
) -> None:
    from .. import clients_use
    from .listing import chosen, show

    written = chosen(fmt, output)
    if written in (ListFormat.csv, ListFormat.json, ListFormat.jsonl) and not (segment or stage or owner or city or mine or limit):
        # Every client, as a file: what `tg export clients` writes, the same way (its fast road).
        from .. import exporting

        exporting.write_text(ctx.obj, "clients", written.value, output)
        return
    table = written == ListFormat.table
    columns, rows = clients_use.list_rows(ctx.obj, segment=segment, stage=stage, owner=owner, city=city, mine=mine,
                                          limit=limit, table=table)
    headers = [i18n.t(f"field.{c}") for c in columns] if table else columns
    show(fmt, columns, headers, rows, output=output, sheet=i18n.t("export.sheet.clients"))


@app.command("show", help=_h("help.clients.show"))
def show(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    fmt: TextOrJson = format_option(TextOrJson.text),
) -> None:
    from .. import clients_use

    detail = clients_use.detail(ctx.obj, client)
    if fmt.is_json:
        sys.stdout.write(json_text(detail, fmt))
        return
    from .. import render

    c = detail["client"]
    fields = ["name", "segment", "confidence", "stage", "owner", "industry", "city", "headcount",
              "budget_per_head", "budget_total", "occasion", "notes", "created", "updated"]
    values = dict(c, created=f"{c['created_at'][:16]} {c['created_by']}",
                  updated=f"{c['updated_at'][:16]} {c['updated_by']}")
    if values["confidence"] is not None:
        values["confidence"] = f"{values['confidence']:.0%}"
    render.print_record([(i18n.t(f"field.{f}"), values.get(f)) for f in fields], title=f"#{c['id']}")
    render.print_heading(i18n.t("field.contacts"))
    from .contacts import role_label, stars

    render.print_rows(["name", "role", "title", "phone", "strength"],
                      [i18n.t("field.name"), i18n.t("acct.col.role"), i18n.t("field.title"), i18n.t("field.phone"),
                       i18n.t("acct.col.strength")],
                      [(x["name"], role_label(x["role"]), x["title"], x["phone"], stars(x["strength"]))
                       for x in detail["contacts"]])
    render.print_heading(i18n.t("field.classifications"))
    render.print_rows(["date", "segment", "confidence", "by"],
                      [i18n.t("field.date"), i18n.t("field.segment"), i18n.t("field.confidence"), i18n.t("field.by")],
                      [(h["created_at"][:16], h["segment"], f"{h['confidence']:.0%}", h["created_by"])
                       for h in detail["classifications"]])
    render.print_heading(i18n.t("field.referrals"))
    render.print_rows(["date", "referrer", "referred", "incentive", "status"],
                      [i18n.t("field.date"), i18n.t("field.referrer"), i18n.t("field.referred"),
                       i18n.t("field.incentive"), i18n.t("field.status")],
                      [(r["created_at"][:10], f"#{r['referrer_id']} {r['referrer']}",
                        f"#{r['referred_id']} {r['referred']}", r["incentive"], r["status"])
                       for r in detail["referrals"]])
    cur = ctx.obj.playbook().currency
    render.print_account_sections(detail, cur)
    _pipeline_sections(detail, cur)


def _pipeline_sections(detail: dict, cur: str) -> None:
    from .. import render
    from ..recommend import money

    render.print_heading(i18n.t("daily.show.deals"))
    render.print_rows(["id", "date", "bundle", "qty", "amount", "status"],
                      [i18n.t(k) for k in ("field.id", "field.date", "pipe.col.bundle", "pipe.col.qty",
                                           "pipe.col.amount", "field.status")],
                      [(f"#{d['id']}", d["created_at"][:10], d["bundle"], d["quantity"], money(d["amount"], cur),
                        i18n.t(f"pipe.status.{d['status']}") + (f": {d['lost_reason']}" if d["lost_reason"] else ""))
                       for d in detail["deals"]])
    render.print_heading(i18n.t("daily.show.promises"))
    render.print_rows(["id", "due", "next", "by"],
                      [i18n.t(k) for k in ("field.id", "pipe.col.due", "pipe.col.next", "field.by")],
                      [(f"#{p['id']}", p["due"] or "—", p["next_action"], p["by"]) for p in detail["promises"]])
    render.print_heading(i18n.t("daily.show.activities"))
    render.print_rows(["id", "date", "type", "text", "by"],
                      [i18n.t(k) for k in ("field.id", "field.date", "field.type", "field.text", "field.by")],
                      [(f"#{a['id']}", a["at"][:10], i18n.t(f"pipe.type.{a['type']}"), a["text"], a["by"])
                       for a in detail["activities"]])
    render.print_heading(i18n.t("daily.show.stages"))
    render.print_rows(["stage", "owner", "from", "to"],
                      [i18n.t(k) for k in ("field.stage", "field.owner", "daily.col.from", "daily.col.to")],
                      [(s["stage_name"], s["owner"], s["entered_at"][:10], (s["left_at"] or "")[:10] or "…")
                       for s in detail["stages"]])


def _field_options():
    """The editable fields, shared by add and edit."""
    return dict(
        industry=typer.Option(None, "--industry", help=_h("help.field.industry")),
        city=typer.Option(None, "--city", help=_h("help.field.city")),
        headcount=typer.Option(None, "--headcount", min=0, max=MAX_HEADCOUNT, help=_h("help.headcount")),
        budget_per_head=typer.Option(None, "--budget-per-head", min=0, max=MAX_MONEY, help=_h("help.budget_per_head")),
        budget_total=typer.Option(None, "--budget-total", min=0, max=MAX_MONEY, help=_h("help.budget_total")),
        occasion=typer.Option(None, "--occasion", help=_h("help.field.occasion")),
        segment=typer.Option(None, "--segment", help=_h("help.field.segment")),
        stage=typer.Option(None, "--stage", help=_h("help.field.stage")),
        owner=typer.Option(None, "--owner", help=_h("help.field.owner")),
        notes=typer.Option(None, "--notes", help=_h("help.field.notes")),
        parent=typer.Option(None, "--parent", help=_h("help.field.parent"), metavar="CLIENT"),
    )


_F = _field_options()


@app.command("add", help=_h("help.clients.add"))
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=_h("help.field.name"), show_default=False),
    industry: Optional[str] = _F["industry"],
    city: Optional[str] = _F["city"],
    headcount: Optional[int] = _F["headcount"],
    budget_per_head: Optional[float] = _F["budget_per_head"],
    budget_total: Optional[float] = _F["budget_total"],
    occasion: Optional[str] = _F["occasion"],
    segment: Optional[str] = _F["segment"],
    stage: Optional[str] = _F["stage"],
    owner: Optional[str] = _F["owner"],
    notes: Optional[str] = _F["notes"],
    parent: Optional[str] = _F["parent"],
) -> None:
    from .. import clients_use

    fields = dict(industry=industry, city=city, headcount=headcount, budget_per_head=budget_per_head,
                  budget_total=budget_total, occasion=occasion, segment=segment, stage=stage, owner=owner,
                  notes=notes)
    cid, message = clients_use.add(ctx.obj, name, parent=parent, **fields)
    say(message)
    sys.stdout.write(f"{cid}\n")


@app.command("edit", help=_h("help.clients.edit"))
def edit(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    name: Optional[str] = typer.Option(None, "--name", help=_h("help.field.name")),
    industry: Optional[str] = _F["industry"],
    city: Optional[str] = _F["city"],
    headcount: Optional[int] = _F["headcount"],
    budget_per_head: Optional[float] = _F["budget_per_head"],
    budget_total: Optional[float] = _F["budget_total"],
    occasion: Optional[str] = _F["occasion"],
    segment: Optional[str] = _F["segment"],
    stage: Optional[str] = _F["stage"],
    owner: Optional[str] = _F["owner"],
    notes: Optional[str] = _F["notes"],
    parent: Optional[str] = _F["parent"],
) -> None:
    from .. import clients_use

    fields = dict(name=name, industry=industry, city=city, headcount=headcount, budget_per_head=budget_per_head,
                  budget_total=budget_total, occasion=occasion, segment=segment, stage=stage, owner=owner,
                  notes=notes)
    if all(v is None for v in fields.values()) and parent is None:
        raise UsageError(i18n.t("client.nothing_to_edit"))
    say(*clients_use.edit(ctx.obj, client, parent=parent, **fields))


@app.command("rm", help=_h("help.clients.rm"))
def rm(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    yes: bool = yes_option(),
) -> None:
    from .. import clients_use

    def confirm(cid: int, cname: str, counts: dict) -> bool:
        if yes:
            return True
        from .. import prompts

        if not prompts.is_interactive():
            raise UsageError(i18n.t("client.rm_need_yes", id=cid, name=cname))
        return prompts.ask_confirm(i18n.t("client.rm_confirm", id=cid, name=cname, **counts) + "?")

    cid, cname = clients_use.remove(ctx.obj, client, confirm)
    say(i18n.t("client.removed", id=cid, name=cname))
