"""tg refer REFERRER REFERRED, tg referrals list [CLIENT]"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from .. import i18n
from ..errors import NotFound, TgError, UsageError
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
    from ..store import clients as st
    from ..store.referrals import record_referral
    from ..models import Client

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    if rule and pb.referrals.incentive(rule) is None:
        codes = ", ".join(i.code for i in pb.referrals.incentives)
        raise UsageError(i18n.t("refer.unknown_incentive", code=rule, codes=codes))
    db = app_ctx.store()
    user = app_ctx.user()
    # Resolve both sides (and ask about new prospects) before the write transaction opens.
    resolved: list[int | str] = []
    with db.read() as session:
        for query in (referrer, referred):
            found = st.exact_clients(session, query)
            if len(found) > 1:
                raise st.ambiguous(query, found)
            if found:
                resolved.append(found[0].id)
            elif st.parse_id(query) is not None:
                st.get_client(session, query)  # an id that does not exist: NotFound with close names
            else:
                resolved.append(" ".join(query.split()))
    same = resolved[0] == resolved[1] or (
        isinstance(resolved[0], str) and isinstance(resolved[1], str)
        and st.name_key(resolved[0]) == st.name_key(resolved[1]))
    if same:
        raise TgError(i18n.t("refer.self", name=referred))
    for value in resolved:
        if isinstance(value, str):
            confirm_new(value, yes)
    with db.write() as session:
        sides = [session.get(Client, v) if isinstance(v, int) else st.client_named(session, v, user=user)
                 for v in resolved]
        if None in sides:  # removed by someone else since we looked
            raise NotFound(i18n.t("client.not_found", query=referrer if sides[0] is None else referred))
        r = record_referral(session, referrer=sides[0], referred=sides[1], user=user, contact_name=contact,
                            incentive=incentive, note=note, playbook=pb, incentive_code=rule,
                            credited=not uncredited)
        message = i18n.t("refer.recorded", id=r.id, referrer=f"#{sides[0].id} {sides[0].name}",
                         referred=f"#{sides[1].id} {sides[1].name}")
    say(message)


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
    from ..store import clients as st
    from .output import emit

    db = ctx.obj.store()
    with db.read() as session:
        client_id = st.get_client(session, client).id if client else None
        rows = [row for row in referral_rows(session, client_id)]
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


def referral_rows(session, client_id: int | None = None):
    from ..store.queries import referrals_query

    _cols, stmt = referrals_query(client_id)
    for row in session.connection().execute(stmt):
        rec = list(row)
        rec[1] = rec[1].isoformat()
        rec[13] = rec[13].isoformat() if rec[13] else None
        yield tuple(rec)


@app.command("status", help=i18n.both("help.referrals.status"))
def status(
    ctx: typer.Context,
    referral_id: int = typer.Argument(..., metavar="ID", show_default=False),
    new_status: str = typer.Argument(..., metavar="introduced|contacted|meeting|won|lost", show_default=False),
    note: Optional[str] = typer.Option(None, "--note", help=i18n.both("help.note")),
    force: bool = typer.Option(False, "--force", help=i18n.both("help.force")),
) -> None:
    from ..store import referrals as programme
    from ..models import Referral
    from ..recommend import money

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    if new_status not in programme.STATUSES:
        raise UsageError(i18n.t("refer.bad_status", status=new_status, statuses=", ".join(programme.STATUSES)))
    with app_ctx.store().write() as session:
        referral = session.get(Referral, referral_id)
        if referral is None:
            raise TgError(i18n.t("refer.not_found", id=referral_id))
        old = referral.status
        programme.set_status(session, referral, new_status, user=app_ctx.user(), playbook=pb, note=note, force=force)
        lines = [i18n.t("refer.status_set", id=referral.id, old=i18n_status(old), new=i18n_status(new_status))]
        due = [r for r in session.exec(select_rewards(referral.id)).scalars() if r.status == "due"]
        for r in due:
            lines.append(i18n.t("refer.converted", id=referral.id, reward=r.id, amount=money(r.amount, pb.currency)))
    say(*lines)


def select_rewards(referral_id: int):
    from sqlalchemy import select

    from ..models import Reward

    return select(Reward).where(Reward.referral_id == referral_id)


@app.command("tree", help=i18n.both("help.referrals.tree"))
def tree(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=i18n.both("help.pitch.client"), show_default=False),
    depth: int = typer.Option(10, "--depth", min=1, max=50, help=i18n.both("help.depth")),
    up: bool = typer.Option(False, "--up", help=i18n.both("help.up")),
    fmt: TreeFormat = typer.Option(TreeFormat.text.value, "--format", "-f", help=i18n.both("help.format"),
                                   case_sensitive=False),
) -> None:
    from ..store import clients as st
    from ..store import referrals as programme

    pb = ctx.obj.playbook()
    with ctx.obj.store().read() as session:
        root = st.read_client(session, client)
        root_id, root_name = root.id, root.name
        root_won = st.won_revenue(session, root.id)
        nodes = programme.tree(session, root.id, depth=depth, up=up)
    totals = programme.branch_totals(nodes, root_id) if not up else {n["id"]: n["won"] for n in nodes}
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

