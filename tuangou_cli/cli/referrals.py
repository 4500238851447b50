"""tg refer REFERRER REFERRED, tg referrals list [CLIENT]"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .. import i18n
from ..errors import TgError, UsageError
from .options import ListFormat, TextOrJson as TreeFormat, format_option, json_text, yes_option
from .output import say

app = typer.Typer(no_args_is_help=True)

COLUMNS = ["id", "created_at", "referrer_id", "referrer", "referred_id", "referred", "contact", "contact_role",
           "contact_strength", "incentive", "incentive_code", "credited", "status", "status_at", "note", "created_by"]


def refer(
    ctx: typer.Context,
    referrer: str = typer.Argument(..., help=i18n.both("help.refer.referrer"), show_default=False),
    referred: str = typer.Argument(..., help=i18n.both("help.refer.referred"), show_default=False),
    contact: Optional[str] = typer.Option(None, "--contact", help=i18n.both("help.refer.contact")),
    incentive: Optional[str] = typer.Option(None, "--incentive", help=i18n.both("help.refer.incentive")),
    note: Optional[str] = typer.Option(None, "--note", help=i18n.both("help.note")),
    rule: Optional[str] = typer.Option(None, "--rule", help=i18n.both("help.refer.rule"), metavar="CODE"),
    uncredited: bool = typer.Option(False, "--uncredited", help=i18n.both("help.refer.uncredited")),
    yes: bool = yes_option(),
) -> None:
    from .. import referring

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    if rule and pb.referrals.incentive(rule) is None:
        codes = ", ".join(i.code for i in pb.referrals.incentives)
        raise UsageError(i18n.t("refer.unknown_incentive", code=rule, codes=codes))
    r = referring.refer(app_ctx, referrer=referrer, referred=referred, contact=contact, incentive=incentive,
                        note=note, rule=rule, credited=not uncredited, confirm_new=lambda name: confirm_new(name, yes))
    say(i18n.t("refer.recorded", id=r.id, referrer=r.referrer, referred=r.referred))


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
    from .. import referring
    from .output import emit

    rows = referring.referral_rows(ctx.obj, client)
    if fmt == ListFormat.table:
        table = []
        for r in rows:
            rec = dict(zip(COLUMNS, r))
            contact = rec["contact"] or ""
            if contact and (rec["contact_role"] or rec["contact_strength"]):
                extra = [x for x in (rec["contact_role"], rec["contact_strength"] and f"{rec['contact_strength']}/5") if x]
                contact += f" ({', '.join(extra)})"
            status = i18n_status(rec["status"]) + ("" if rec["credited"] else " *")
            table.append((rec["id"], rec["created_at"][:10], f"#{rec['referrer_id']} {rec['referrer']}",
                          f"#{rec['referred_id']} {rec['referred']}", contact, rec["incentive"], status, rec["note"]))
        headers = [i18n.t(k) for k in ("field.id", "field.date", "field.referrer", "field.referred", "field.contact",
                                       "field.incentive", "field.status", "field.note")]
        emit(fmt, ["id", "date", "referrer", "referred", "contact", "incentive", "status", "note"], headers, table)
    else:
        emit(fmt, COLUMNS, COLUMNS, rows)


def i18n_status(status: str) -> str:
    key = f"status.{status}"
    return i18n.t(key) if key in i18n.CATALOGUE else status


@app.command("status", help=i18n.both("help.referrals.status"))
def status(
    ctx: typer.Context,
    referral_id: int = typer.Argument(..., metavar="ID", show_default=False),
    new_status: str = typer.Argument(..., metavar="introduced|contacted|meeting|won|lost", show_default=False),
    note: Optional[str] = typer.Option(None, "--note", help=i18n.both("help.note")),
    force: bool = typer.Option(False, "--force", help=i18n.both("help.force")),
) -> None:
    from .. import referring
    from ..recommend import money
    from ..store.referrals import STATUSES

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    if new_status not in STATUSES:
        raise UsageError(i18n.t("refer.bad_status", status=new_status, statuses=", ".join(STATUSES)))
    done = referring.set_referral_status(app_ctx, referral_id, new_status, note=note, force=force)
    lines = [i18n.t("refer.status_set", id=done.id, old=i18n_status(done.old), new=i18n_status(done.new))]
    for reward_id, amount in done.due:
        lines.append(i18n.t("refer.converted", id=done.id, reward=reward_id, amount=money(amount, pb.currency)))
    say(*lines)


@app.command("tree", help=i18n.both("help.referrals.tree"))
def tree(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=i18n.both("help.pitch.client"), show_default=False),
    depth: int = typer.Option(10, "--depth", min=1, max=50, help=i18n.both("help.depth")),
    up: bool = typer.Option(False, "--up", help=i18n.both("help.up")),
    fmt: TreeFormat = typer.Option(TreeFormat.text.value, "--format", "-f", help=i18n.both("help.format"),
                                   case_sensitive=False),
) -> None:
    from .. import referring

    pb = ctx.obj.playbook()
    t = referring.referral_tree(ctx.obj, client, depth=depth, up=up)
    root_id, root_name, root_won, nodes, totals = t.root_id, t.root_name, t.root_won, t.nodes, t.totals
    if fmt.is_json:
        out = {"root": {"id": root_id, "name": root_name, "won": root_won}, "direction": "up" if up else "down",
               "nodes": [dict(n, branch_won=totals[n["id"]]) for n in nodes]}
        sys.stdout.write(json_text(out, fmt))
        return
    if not nodes:
        say(i18n.t("tree.none", name=root_name, direction=i18n.t("tree.above" if up else "tree.below")),
            file=sys.stdout)
        return
    from ..plain import tree_lines
    from ..recommend import money

    def label(n: dict) -> str:
        seg = f"  [{n['segment']}]" if n.get("segment") else ""
        return f"#{n['id']} {n['name']}{seg}  " + i18n.t(
            "tree.won", value=money(n["won"], pb.currency), branch=money(totals.get(n["id"], n["won"]), pb.currency))

    top = f"#{root_id} {root_name}  ({money(root_won, pb.currency)})"
    sys.stdout.write("\n".join(tree_lines(top, nodes, label, root_id)) + "\n")

