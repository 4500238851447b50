"""tg deals add | won | lost | list"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Optional

import typer

from .. import i18n
from ..errors import NotFound, TgError, UsageError
from .options import MAX_HEADCOUNT, MAX_MONEY, ListFormat, format_option
from .output import say

app = typer.Typer(no_args_is_help=True)


def _h(key: str) -> str:
    return i18n.both(key)


class Status(str, Enum):
    open = "open"
    won = "won"
    lost = "lost"


COLUMNS = ["id", "client_id", "client", "bundle", "quantity", "amount", "status", "lost_reason", "created_at",
           "created_by", "closed_at"]


def _bundle(pb, code: str):
    b = pb.bundle(code)
    if b is None:
        import difflib

        codes = [x.code for x in pb.bundles]
        close = difflib.get_close_matches(code, codes, n=3, cutoff=0.4)
        hint = i18n.t("pipe.closest", close=", ".join(close)) if close else ""
        raise NotFound(i18n.t("pipe.unknown_bundle", code=code) + hint)
    return b


@app.command("add", help=_h("help.pipe.deals.add"))
def add(
    ctx: typer.Context,
    client: str = typer.Argument(..., help=_h("help.pitch.client"), show_default=False),
    bundle: str = typer.Option(..., "--bundle", "-b", help=_h("help.pipe.deals.bundle"), show_default=False),
    qty: int = typer.Option(..., "--qty", "-q", min=1, max=MAX_HEADCOUNT, help=_h("help.pipe.deals.qty"),
                            show_default=False),
    amount: Optional[float] = typer.Option(None, "--amount", min=0, max=MAX_MONEY, help=_h("help.pipe.deals.amount")),
) -> None:
    from ..store import pipeline as ps
    from ..store import clients as st
    from ..recommend import money
    from ..stageline import price_sets

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    b = _bundle(pb, bundle)
    note = None
    if amount is None:
        if qty < b.quantity.min_sets:
            raise TgError(i18n.t("pipe.below_min", bundle=b.code, min=b.quantity.min_sets))
        price = price_sets(b, qty)
        amount = float(price.total)
        note = i18n.t("pipe.priced", sets=qty, list=money(price.list_total, pb.currency), pct=price.discount_pct,
                      total=money(price.total, pb.currency)) if price.discount_pct else \
            i18n.t("pipe.priced_list", sets=qty, total=money(price.total, pb.currency))
    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        d = ps.add_deal(session, client=c, bundle_code=b.code, quantity=qty, amount=amount, user=app_ctx.user())
        message = i18n.t("pipe.deal_added", id=d.id, client=c.name, bundle=b.name.get(), qty=qty,
                         amount=money(amount, pb.currency))
        did = d.id
    say(*([note] if note else []), message)
    sys.stdout.write(f"{did}\n")


@app.command("won", help=_h("help.pipe.deals.won"))
def won(
    ctx: typer.Context,
    deal: str = typer.Argument(..., help=_h("help.pipe.deals.id"), show_default=False),
) -> None:
    from ..store import pipeline as ps
    from ..models import Client
    from ..recommend import money
    from ..stageline import stage_name

    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    with app_ctx.store().write() as session:
        d = ps.get_deal(session, deal)
        result = ps.win_deal(session, d, pb, user=app_ctx.user())
        name = session.get(Client, d.client_id).name
        lines = [i18n.t("pipe.deal_won", id=d.id, client=name, amount=money(d.amount, pb.currency))]
        if result["moved"]:
            lines.append(i18n.t("pipe.moved", client=name, stage=stage_name(pb, result["moved"])))
        if result["skipped"]:
            lines.append(i18n.t("pipe.won_skipped", stages=", ".join(stage_name(pb, s) for s in result["skipped"])))
        referral = result.get("referral")
        if referral is not None:
            from sqlalchemy import select

            from ..models import Reward

            for r in session.execute(select(Reward).where(Reward.referral_id == referral.id,
                                                          Reward.status == "due")).scalars():
                lines.append(i18n.t("refer.converted", id=referral.id, reward=r.id, amount=money(r.amount, pb.currency)))
    say(*lines)


@app.command("lost", help=_h("help.pipe.deals.lost"))
def lost(
    ctx: typer.Context,
    deal: str = typer.Argument(..., help=_h("help.pipe.deals.id"), show_default=False),
    reason: Optional[str] = typer.Option(None, "--reason", "-r", help=_h("help.pipe.deals.reason")),
    lesson: Optional[str] = typer.Option(None, "--lesson", help=_h("help.pipe.deals.lesson")),
    no_lesson: bool = typer.Option(False, "--no-lesson", help=_h("help.pipe.deals.no_lesson")),
) -> None:
    from ..store import pipeline as ps
    from ..models import Client
    from ..stageline import stage_name

    if not reason or not reason.strip():
        raise UsageError(i18n.t("pipe.lost_needs_reason"))
    app_ctx = ctx.obj
    pb = app_ctx.playbook()
    db = app_ctx.store()
    with db.read() as session:  # check first: no question for a deal that cannot be lost
        d = ps.get_deal(session, deal)
        if d.status != "open":
            raise TgError(i18n.t("pipe.deal_closed", id=d.id, status=i18n.t(f"pipe.status.{d.status}")))
        did = d.id
    if lesson is None and not no_lesson:
        from .. import prompts

        # Only at a terminal, and before the write transaction opens.
        if prompts.is_interactive() and prompts.ask_confirm(i18n.t("pipe.ask_lesson")):
            lesson = prompts.ask_text(i18n.t("pipe.ask_lesson_text")) or None
    with db.write() as session:
        d = ps.get_deal(session, str(did))
        result = ps.lose_deal(session, d, pb, reason=reason, user=app_ctx.user(), lesson=lesson)
        name = session.get(Client, d.client_id).name
        lines = [i18n.t("pipe.deal_lost", id=d.id, client=name, reason=d.lost_reason)]
        if result["case_id"]:
            lines.append(i18n.t("pipe.case_filed", id=result["case_id"]))
        if result["moved"]:
            lines.append(i18n.t("pipe.moved", client=name, stage=stage_name(pb, result["moved"])))
    say(*lines)


@app.command("list", help=_h("help.pipe.deals.list"))
def list_deals(
    ctx: typer.Context,
    client: Optional[str] = typer.Option(None, "--client", "-c", help=_h("help.pitch.client")),
    status: Optional[Status] = typer.Option(None, "--status", "-s", help=_h("help.pipe.deals.status"),
                                            case_sensitive=False),
    fmt: ListFormat = format_option(ListFormat.table),
) -> None:
    from ..store import pipeline as ps
    from ..store import clients as st
    from .output import emit

    app_ctx = ctx.obj
    with app_ctx.store().read() as session:
        cid = st.get_client(session, client).id if client else None
        deals = ps.list_deals(session, client_id=cid, status=status.value if status else None)
    if fmt != ListFormat.table:
        emit(fmt, COLUMNS, COLUMNS, [[d[k] for k in COLUMNS] for d in deals])
        return
    from ..recommend import money

    cur = app_ctx.playbook().currency
    cols = ["id", "date", "client", "bundle", "quantity", "amount", "status", "reason"]
    emit(fmt, cols, [i18n.t(k) for k in ("field.id", "field.date", "pipe.col.client", "pipe.col.bundle",
                                         "pipe.col.qty", "pipe.col.amount", "field.status", "pipe.col.reason")],
         [[d["id"], d["created_at"][:10], f"#{d['client_id']} {d['client']}", d["bundle"], d["quantity"],
           money(d["amount"], cur), i18n.t(f"pipe.status.{d['status']}"), d["lost_reason"]] for d in deals])
