"""The deal commands' work: pricing a deal, adding, winning, losing, listing and editing one.

Each function takes the app context (its store, playbook and user), opens the one transaction it
needs and returns plain results for the command to print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from . import i18n
from .errors import NotFound, TgError


@dataclass
class Priced:
    code: str
    name: str
    amount: float
    note: str | None = None


@dataclass
class DealAdded:
    id: int
    message: str
    note: str | None = None
    over_budget: str | None = None


@dataclass
class DealClosed:
    id: int
    lines: list[str] = field(default_factory=list)


def offering(app_ctx: Any, pb: Any, code: str) -> Any:
    """A playbook bundle, else a catalogue bundle or product (priced as it is now)."""
    b = pb.bundle(code)
    if b is None:
        from .store.catalog import for_offer

        catalogue = for_offer(app_ctx, pb)
        b = catalogue.offering(code) or catalogue.offering(code.strip().upper())
    if b is None:
        import difflib

        codes = [x.code for x in pb.bundles]
        close = difflib.get_close_matches(code, codes, n=3, cutoff=0.4)
        hint = i18n.t("pipe.closest", close=", ".join(close)) if close else \
            i18n.t("daily.valid", values=", ".join(codes))
        raise NotFound(i18n.t("pipe.unknown_bundle", code=code) + hint)
    return b


def price(pb: Any, b: Any, qty: int) -> Priced:
    """The price of ``qty`` sets of an offering, with the line that says how it was reached."""
    from .recommend import money
    from .stageline import price_sets

    minimum = b.quantity.min_sets if hasattr(b, "quantity") else b.min_order
    if qty < minimum:
        raise TgError(i18n.t("pipe.below_min", bundle=b.code, min=minimum))
    p = price_sets(b, qty)
    note = i18n.t("pipe.priced", sets=qty, list=money(p.list_total, pb.currency), pct=p.discount_pct,
                  total=money(p.total, pb.currency)) if p.discount_pct else \
        i18n.t("pipe.priced_list", sets=qty, total=money(p.total, pb.currency))
    return Priced(code=b.code, name=b.name.get(), amount=float(p.total), note=note)


def add(app_ctx: Any, client: str, bundle: str, qty: int, amount: float | None) -> DealAdded:
    from .recommend import money, over_budget
    from .store import clients as st
    from .store import pipeline as ps

    pb = app_ctx.playbook()
    b = offering(app_ctx, pb, bundle)
    note = None
    if amount is None:
        priced = price(pb, b, qty)
        amount, note = priced.amount, priced.note
    with app_ctx.store().write() as session:
        c = st.get_client(session, client)
        d = ps.add_deal(session, client=c, bundle_code=b.code, quantity=qty, amount=amount, user=app_ctx.user())
        message = i18n.t("pipe.deal_added", id=d.id, client=c.name, bundle=b.name.get(), qty=qty,
                         amount=money(amount, pb.currency))
        over = over_budget(amount, budget_total=c.budget_total, budget_per_head=c.budget_per_head,
                           headcount=c.headcount, currency=pb.currency)
        return DealAdded(id=d.id, message=message, note=note, over_budget=over)


def win(app_ctx: Any, deal: str) -> DealClosed:
    from sqlalchemy import select

    from .models import Client, Reward
    from .recommend import money
    from .stageline import stage_name
    from .store import pipeline as ps

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
            for r in session.execute(select(Reward).where(Reward.referral_id == referral.id,
                                                          Reward.status == "due")).scalars():
                lines.append(i18n.t("refer.converted", id=referral.id, reward=r.id,
                                    amount=money(r.amount, pb.currency)))
                if r.reason:  # the buyers' rules changed what is booked (a discount, not cash)
                    lines.append(r.reason)
        return DealClosed(id=d.id, lines=lines)


def lose(app_ctx: Any, deal: str, reason: str, lesson: str | None,
         ask_lesson: Callable[[], str | None] | None = None) -> DealClosed:
    """``ask_lesson``: asked (before the write opens) when no lesson was given, for one."""
    from .models import Client
    from .stageline import stage_name
    from .store import pipeline as ps

    pb = app_ctx.playbook()
    db = app_ctx.store()
    with db.read() as session:  # check first: no question for a deal that cannot be lost
        d = ps.get_deal(session, deal)
        if d.status != "open":
            raise TgError(i18n.t("pipe.deal_closed", id=d.id, status=i18n.t(f"pipe.status.{d.status}")))
        did = d.id
    if lesson is None and ask_lesson is not None:
        lesson = ask_lesson()
    with db.write() as session:
        d = ps.get_deal(session, str(did))
        result = ps.lose_deal(session, d, pb, reason=reason, user=app_ctx.user(), lesson=lesson)
        name = session.get(Client, d.client_id).name
        lines = [i18n.t("pipe.deal_lost", id=d.id, client=name, reason=d.lost_reason)]
        if result["case_id"]:
            lines.append(i18n.t("pipe.case_filed", id=result["case_id"]))
        if result["moved"]:
            lines.append(i18n.t("pipe.moved", client=name, stage=stage_name(pb, result["moved"])))
        return DealClosed(id=d.id, lines=lines)


def rows(app_ctx: Any, client: str | None, status: str | None, limit: int = 0):
    """The deals as the cursor gives them (the session stays open until the last one is read)."""
    from .store import clients as st
    from .store import pipeline as ps

    with app_ctx.store().read() as session:  # the client is looked up before the first row is asked for
        cid = st.get_client(session, client).id if client else None

    def stream():
        with app_ctx.store().scan() as session:
            yield from ps.iter_deals(session, client_id=cid, status=status, limit=limit)

    return stream()


def status_code(value: str) -> str:
    """open | won | lost, or 进行中 / 赢单 / 丢单 as the tables say them."""
    from .choices import pick

    return pick(value, [(c, i18n.CATALOGUE[f"pipe.status.{c}"]) for c in ("open", "won", "lost")], "status")
