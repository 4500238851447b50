"""Orders, packing lists, deliveries, invoices, payment plans, payments and the earnings booked
on money collected. Functions over an open session (first parameter); the caller owns the
transaction, so a refused input writes nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlmodel import Session

from .. import i18n
from .. import orders as core
from ..errors import NotFound, TgError
from ..models import Client, Deal, Referral, Reward, utcnow
from ..models_orders import (DeliveryEvent, Earning, Instalment, Invoice, OrderLine, PackingLine, Payment,
                             SalesOrder)

# --- orders --------------------------------------------------------------------------------------


def parse_order_ref(ref: str) -> int | None:
    text = str(ref).strip().lstrip("#")
    if text.upper().startswith("O-"):
        text = text[2:]
    return int(text) if text.isdigit() and len(text) < 10 else None


def get_order(session: Session, ref: str, *, lock: bool = False) -> SalesOrder:
    """An order by id (12, #12 or O-12); unknown: one line. ``lock``: wait for any other tg
    changing its money first (payments and invoices check, then write)."""
    oid = parse_order_ref(ref)
    if oid is not None and lock:
        from ..db import serialise

        serialise(session, "order", oid)
    row = session.get(SalesOrder, oid, populate_existing=lock) if oid is not None else None
    if row is None:
        raise NotFound(i18n.t("order.not_found", ref=ref))
    return row


def create_order(session: Session, *, client: Client, deal: Deal | None, quote_id: int | None,
                 lines: list[tuple[str, str, str, int, int]], total_fen: int, delivery_date: date | None,
                 address: str | None, occasion: str | None, user: str, today: date) -> SalesOrder:
    """``lines``: (code, name, unit, quantity, total in fen) of the goods (reward lines left out)."""
    if delivery_date is not None and delivery_date < today:
        raise TgError(i18n.t("order.delivery_past", day=delivery_date.isoformat()))
    row = SalesOrder(client_id=client.id, deal_id=deal.id if deal else None, quote_id=quote_id, total_fen=total_fen,
                     ordered_on=today, delivery_date=delivery_date, address=address,
                     occasion=occasion or client.occasion, created_by=user)
    session.add(row)
    session.flush()
    for n, (code, name, unit, qty, fen) in enumerate(lines, 1):
        session.add(OrderLine(order_id=row.id, position=n, code=code, name=name, unit=unit, quantity=qty,
                              total_fen=fen))
    session.flush()
    return row


def order_lines(session: Session, order_id: int) -> list[OrderLine]:
    return list(session.execute(select(OrderLine).where(OrderLine.order_id == order_id)
                                .order_by(OrderLine.position)).scalars())


def list_orders(session: Session, *, client_id: int | None = None, today: date) -> list[dict[str, Any]]:
    stmt = select(SalesOrder, Client.name, Client.owner).join(Client, Client.id == SalesOrder.client_id)
    if client_id is not None:
        stmt = stmt.where(SalesOrder.client_id == client_id)
    orders = session.execute(stmt.order_by(SalesOrder.id)).all()
    ids = [o.id for o, _, _ in orders]
    paid = _sums(session, Payment, ids)
    invoiced = _sums(session, Invoice, ids)
    return [{"id": o.id, "client_id": o.client_id, "client": name, "owner": owner, "ordered_on": o.ordered_on.isoformat(),
             "delivery_date": o.delivery_date.isoformat() if o.delivery_date else None, "occasion": o.occasion,
             "total": str(core.yuan(o.total_fen)), "invoiced": str(core.yuan(invoiced.get(o.id, 0))),
             "collected": str(core.yuan(paid.get(o.id, 0))),
             "owed": str(core.yuan(o.total_fen - paid.get(o.id, 0))), "deal_id": o.deal_id}
            for o, name, owner in orders]


def _sums(session: Session, table, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    out: dict[int, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for oid, total in session.execute(select(table.order_id, func.sum(table.amount_fen))
                                          .where(table.order_id.in_(chunk)).group_by(table.order_id)):
            out[oid] = int(total or 0)
    return out


# --- packing and delivery ------------------------------------------------------------------------


def set_packing(session: Session, order: SalesOrder, rows: list[tuple[str, int | None, str, int]]) -> int:
    """Replace the order's packing list; refused once a parcel has been packed."""
    if session.execute(select(DeliveryEvent.id).where(DeliveryEvent.order_id == order.id).limit(1)).first():
        raise TgError(i18n.t("packing.started", id=order.id))
    for old in session.execute(select(PackingLine).where(PackingLine.order_id == order.id)).scalars():
        session.delete(old)
    session.flush()
    for department, headcount, code, count in rows:
        session.add(PackingLine(order_id=order.id, department=department, headcount=headcount, code=code, count=count))
    session.flush()
    return len({r[0] for r in rows})


def packing_list(session: Session, order: SalesOrder) -> list[dict[str, Any]]:
    """One entry per department, in the file's order: headcount, count per item, delivery status."""
    lines = session.execute(select(PackingLine).where(PackingLine.order_id == order.id)
                            .order_by(PackingLine.id)).scalars()
    depts: dict[str, dict[str, Any]] = {}
    for x in lines:
        d = depts.setdefault(x.department, {"department": x.department, "headcount": x.headcount, "counts": {},
                                            "status": None, "by": None, "at": None})
        d["counts"][x.code] = x.count
    for e in session.execute(select(DeliveryEvent).where(DeliveryEvent.order_id == order.id)
                             .order_by(DeliveryEvent.id)).scalars():
        if e.department in depts:
            depts[e.department].update(status=e.status, at=e.at.isoformat(),
                                       by=e.by if e.status == "signed" else depts[e.department]["by"])
    return list(depts.values())


def deliver(session: Session, order: SalesOrder, *, department: str, status: str, by: str | None,
            user: str) -> DeliveryEvent:
    from ..db import serialise

    serialise(session, "order", order.id)
    depts = {d["department"]: d for d in packing_list(session, order)}
    if not depts:
        raise TgError(i18n.t("packing.none", id=order.id))
    name = department.strip()
    if name not in depts:
        import difflib

        close = difflib.get_close_matches(name, list(depts), n=3, cutoff=0.3)
        raise NotFound(i18n.t("order.unknown_department", department=name, id=order.id,
                              close="、".join(close) or "—"))
    if status == "signed" and not (by and by.strip()):
        raise TgError(i18n.t("order.signed_by"))
    core.next_step(depts[name]["status"], status)
    event = DeliveryEvent(order_id=order.id, department=name, status=status, by=(by or "").strip() or None,
                          created_by=user)
    session.add(event)
    session.flush()
    return event


# --- invoices ------------------------------------------------------------------------------------


def invoiced_fen(session: Session, order_id: int) -> int:
    """Invoiced and not voided: a void's red-letter row cancels the invoice it reverses."""
    return int(session.execute(select(func.coalesce(func.sum(Invoice.amount_fen), 0))
                               .where(Invoice.order_id == order_id)).scalar_one())


def get_invoice(session: Session, ref: str) -> Invoice:
    text = str(ref).strip().lstrip("#")
    row = session.get(Invoice, int(text)) if text.isdigit() and len(text) < 10 else None
    if row is None or row.reverses_id is not None:
        raise NotFound(i18n.t("invoice.not_found", ref=ref))
    return row


def invoice_status(session: Session, row: Invoice) -> str:
    voided = session.execute(select(Invoice.id).where(Invoice.reverses_id == row.id)).first()
    return "void" if voided else row.status


def request_invoice(session: Session, pb, order: SalesOrder, *, amount_fen: int | None, user: str) -> Invoice:
    from .quotes import billing

    info = billing(session, order.client_id)
    client = session.get(Client, order.client_id)
    if info is None:
        raise TgError(i18n.t("invoice.none", client=client.name, id=client.id))
    if info.kind == "special":
        missing = [k for k in ("credit_code", "address", "phone", "bank", "account") if not getattr(info, k)]
        if missing:
            raise TgError(i18n.t("invoice.special_needs", client=client.name,
                                 fields=", ".join("--" + k.replace("_", "-") for k in missing)))
    left = order.total_fen - invoiced_fen(session, order.id)
    amount = left if amount_fen is None else amount_fen
    if amount <= 0 or amount > left:
        raise TgError(i18n.t("invoice.above_order", amount=core.money_text(amount, pb.currency),
                             left=core.money_text(left, pb.currency), id=order.id))
    row = Invoice(order_id=order.id, amount_fen=amount, kind=info.kind, created_by=user,
                  billing={k: getattr(info, k) for k in ("title", "credit_code", "address", "phone", "bank",
                                                         "account", "kind")})
    session.add(row)
    session.flush()
    return row


def _step(session: Session, row: Invoice, wanted: str, needs: str) -> None:
    status = invoice_status(session, row)
    if status != needs:
        raise TgError(i18n.t("invoice.wrong_status", id=row.id, status=i18n.t(f"invoice.status.{status}"),
                             action=i18n.t(f"invoice.action.{wanted}")))


def issue_invoice(session: Session, row: Invoice, *, number: str, day: date) -> Invoice:
    _step(session, row, "issue", "requested")
    taken = session.execute(select(Invoice.id).where(Invoice.number == number, Invoice.reverses_id.is_(None))).first()
    if taken:
        raise TgError(i18n.t("invoice.number_taken", number=number, id=taken[0]))
    row.status, row.number, row.issued_on = "issued", number, day
    session.add(row)
    session.flush()
    return row


def send_invoice(session: Session, row: Invoice, *, courier: str) -> Invoice:
    _step(session, row, "send", "issued")
    row.status, row.courier = "sent", courier
    session.add(row)
    session.flush()
    return row


def void_invoice(session: Session, row: Invoice, *, reason: str, user: str) -> Invoice:
    """A red-letter row (红冲) reverses the invoice; the invoice itself is kept as it was."""
    if invoice_status(session, row) == "void":
        raise TgError(i18n.t("invoice.already_void", id=row.id))
    reversal = Invoice(order_id=row.order_id, amount_fen=-row.amount_fen, kind=row.kind, billing=row.billing,
                       status="void", number=row.number, reverses_id=row.id, reason=reason, created_by=user)
    session.add(reversal)
    session.flush()
    return reversal


def list_invoices(session: Session, *, order_id: int | None = None) -> list[dict[str, Any]]:
    stmt = select(Invoice, Client.name).join(SalesOrder, SalesOrder.id == Invoice.order_id).join(
        Client, Client.id == SalesOrder.client_id).where(Invoice.reverses_id.is_(None))
    if order_id is not None:
        stmt = stmt.where(Invoice.order_id == order_id)
    voided = {r for (r,) in session.execute(select(Invoice.reverses_id).where(Invoice.reverses_id.is_not(None)))}
    return [{"id": x.id, "order_id": x.order_id, "client": name, "title": x.billing.get("title"),
             "kind": x.kind, "amount": str(core.yuan(x.amount_fen)),
             "status": "void" if x.id in voided else x.status, "number": x.number,
             "issued_on": x.issued_on.isoformat() if x.issued_on else None, "courier": x.courier,
             "created_by": x.created_by}
            for x, name in session.execute(stmt.order_by(Invoice.id)).all()]


# --- the payment plan and payments ----------------------------------------------------------------


def collected_fen(session: Session, order_id: int) -> int:
    return int(session.execute(select(func.coalesce(func.sum(Payment.amount_fen), 0))
                               .where(Payment.order_id == order_id)).scalar_one())


def plan_of(session: Session, order_id: int) -> list[tuple[int, date]]:
    return [(x.amount_fen, x.due_on) for x in session.execute(
        select(Instalment).where(Instalment.order_id == order_id).order_by(Instalment.due_on)).scalars()]


def set_plan(session: Session, pb, order: SalesOrder, instalments: list[tuple[int, date]], *, user: str) -> int:
    """Replace the order's plan; the instalments must sum to the order."""
    planned = core.check_plan(instalments, order.total_fen, pb.currency)
    for old in session.execute(select(Instalment).where(Instalment.order_id == order.id)).scalars():
        session.delete(old)
    session.flush()
    for n, (amount, day) in enumerate(planned, 1):
        session.add(Instalment(order_id=order.id, position=n, amount_fen=amount, due_on=day, created_by=user))
    session.flush()
    return len(planned)


def dues(session: Session, order: SalesOrder) -> list[core.Due]:
    """The plan's instalments with what is paid of each; no plan: the whole order, due on its
    delivery date (else the day it was ordered)."""
    plan = plan_of(session, order.id) or [(order.total_fen, order.delivery_date or order.ordered_on)]
    return core.allocate(plan, collected_fen(session, order.id))


def add_payment(session: Session, pb, order: SalesOrder, *, amount_fen: int, day: date, method: str | None,
                user: str, note: str | None = None) -> tuple[Payment, list[Earning]]:
    owed = order.total_fen - collected_fen(session, order.id)
    if amount_fen > owed:
        raise TgError(i18n.t("payment.above_owed", amount=core.money_text(amount_fen, pb.currency),
                             owed=core.money_text(owed, pb.currency), id=order.id))
    row = Payment(order_id=order.id, amount_fen=amount_fen, paid_on=day, method=method, note=note, created_by=user)
    session.add(row)
    session.flush()
    return row, sync_earnings(session, pb, order, payment=row, user=user)


def refund(session: Session, pb, order: SalesOrder, *, amount_fen: int, day: date, reason: str,
           user: str) -> tuple[Payment, list[Earning]]:
    paid = collected_fen(session, order.id)
    if amount_fen > paid:
        raise TgError(i18n.t("payment.above_collected", amount=core.money_text(amount_fen, pb.currency),
                             paid=core.money_text(paid, pb.currency), id=order.id))
    row = Payment(order_id=order.id, amount_fen=-amount_fen, paid_on=day, method="refund", note=reason,
                  created_by=user)
    session.add(row)
    session.flush()
    return row, sync_earnings(session, pb, order, payment=row, user=user)


def list_payments(session: Session, order: SalesOrder) -> list[dict[str, Any]]:
    return [{"id": p.id, "order_id": p.order_id, "amount": str(core.yuan(p.amount_fen)), "paid_on": p.paid_on.isoformat(),
             "method": p.method, "note": p.note, "created_by": p.created_by}
            for p in session.execute(select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)).scalars()]


# --- rewards earned on money collected -------------------------------------------------------------


def _collected_rewards(session: Session, pb, order: SalesOrder) -> list[Reward]:
    """The referral rewards of this order's deal whose rule earns them on money collected."""
    if order.deal_id is None:
        return []
    out = []
    rows = session.execute(select(Reward, Referral.incentive_code).join(Referral, Referral.id == Reward.referral_id)
                           .where(Reward.deal_id == order.deal_id, Reward.reverses_id.is_(None),
                                  Reward.status.in_(("pending", "due", "granted")))).all()
    for reward, code in rows:
        rule = pb.referrals.incentive(code or pb.referrals.default_incentive or "")
        if rule is not None and rule.earn_on == "collected" and reward.kind == rule.kind:
            out.append(reward)
    return out


def earned_fen(session: Session, reward_id: int) -> int:
    return int(session.execute(select(func.coalesce(func.sum(Earning.amount_fen), 0))
                               .where(Earning.reward_id == reward_id)).scalar_one())


def sync_earnings(session: Session, pb, order: SalesOrder, *, payment: Payment | None, user: str) -> list[Earning]:
    """Book what each reward has earned by now as new ledger rows (negative after a refund):
    earned = the reward × collected ÷ the order. Fully earned, it falls due; a refund puts a
    reward not yet granted back to pending."""
    from ..db import serialise

    collected = collected_fen(session, order.id)
    out = []
    for reward in _collected_rewards(session, pb, order):
        serialise(session, "reward", reward.id)
        full = core.to_fen(Decimal(str(reward.amount)))
        target = core.earned_share(full, collected, order.total_fen)
        delta = target - earned_fen(session, reward.id)
        if delta:
            row = Earning(order_id=order.id, payment_id=payment.id if payment else None, reward_id=reward.id,
                          amount_fen=delta, created_by=user)
            session.add(row)
            out.append(row)
        if reward.status == "pending" and target == full and full > 0:
            reward.status, reward.due_at = "due", utcnow()
        elif reward.status == "due" and target < full:
            reward.status, reward.due_at = "pending", None
        session.add(reward)
    session.flush()
    return out


def earnings(session: Session, order: SalesOrder) -> list[dict[str, Any]]:
    rows = session.execute(select(Earning, Reward.referrer_name, Reward.amount, Reward.status)
                           .join(Reward, Reward.id == Earning.reward_id)
                           .where(Earning.order_id == order.id).order_by(Earning.id)).all()
    return [{"id": e.id, "reward_id": e.reward_id, "referrer": name, "payment_id": e.payment_id,
             "amount": str(core.yuan(e.amount_fen)), "reward": f"{amount:.2f}", "reward_status": status}
            for e, name, amount, status in rows]


# --- the agenda ----------------------------------------------------------------------------------


def overdue_instalments(session: Session, user: str | None, today: date) -> list[dict[str, Any]]:
    """Instalments past due with money still open, for the agenda (the client owner's)."""
    stmt = (select(SalesOrder, Client.name, Client.owner).join(Client, Client.id == SalesOrder.client_id)
            .where(SalesOrder.status == "open")
            .where(SalesOrder.id.in_(select(Instalment.order_id).where(Instalment.due_on < today))))
    if user:
        stmt = stmt.where(Client.owner == user)
    out = []
    for order, name, owner in session.execute(stmt.order_by(SalesOrder.id)).all():
        for d in dues(session, order):
            if d.open > 0 and d.days_late(today) > 0:
                out.append({"kind": "overdue_payment", "id": order.id, "client_id": order.client_id, "client": name,
                            "owner": owner, "due": d.due_on.isoformat(), "days": d.days_late(today),
                            "instalment": d.position, "open": str(core.yuan(d.open)),
                            "next_action": i18n.t("payment.agenda_line", id=order.id, n=d.position,
                                                  amount=core.money_text(d.open), days=d.days_late(today))})
    out.sort(key=lambda r: (-r["days"], r["id"]))
    return out


def _orders_by_season(session: Session, pb, season, client_ids: Iterable[int] | None = None):
    """{festival date: {client id: [orders]}} for one season's occasion."""
    stmt = select(SalesOrder).where(SalesOrder.occasion == season.occasion, SalesOrder.status == "open")
    out: dict[date, dict[int, list[SalesOrder]]] = defaultdict(lambda: defaultdict(list))
    for o in session.execute(stmt).scalars():
        day = core.festival_for(season.dates, o.delivery_date or o.ordered_on)
        if day is not None:
            out[day][o.client_id].append(o)
    return out


def reorder_reminders(session: Session, pb, user: str | None, today: date) -> list[dict[str, Any]]:
    """Clients who ordered for last season's festival and not yet for this one, once this
    season's window is open: last year's order and what to change for novelty."""
    out = []
    for season in pb.orders.seasons:
        window = core.open_window(season.dates, season.lead_days, today)
        if window is None:
            continue
        this, last = window
        by_season = _orders_by_season(session, pb, season)
        occasion = next((o.name.get() for o in pb.occasions if o.code == season.occasion), season.occasion)
        for cid, orders in sorted(by_season.get(last, {}).items()):
            if cid in by_season.get(this, {}):
                continue
            client = session.get(Client, cid)
            if client is None or (user and client.owner != user):
                continue
            order = max(orders, key=lambda o: o.total_fen)
            lines = order_lines(session, order.id)
            bought = {x.code for x in lines}
            # Something new for the same festival first, then anything the client's kind buys.
            fresh = sorted((b for b in pb.bundles if client.segment in b.segments and b.code not in bought
                            and (not b.occasions or season.occasion in b.occasions)),
                           key=lambda b: season.occasion not in b.occasions)
            fresh = [b.code for b in fresh][:2]
            what = i18n.join(f"{x.name}×{x.quantity}" for x in lines) or "—"
            hint = season.novelty.get() if season.novelty else ""
            out.append({"kind": "reorder", "id": order.id, "client_id": cid, "client": client.name,
                        "owner": client.owner, "due": (this - timedelta(days=season.lead_days)).isoformat(),
                        "days": (this - today).days, "occasion": season.occasion, "festival": this.isoformat(),
                        "last_order": order.id, "last_total": str(core.yuan(order.total_fen)), "last_items": what,
                        "novelty": fresh,
                        "next_action": i18n.t("season.agenda_line", occasion=occasion, id=order.id, items=what,
                                              total=core.money_text(order.total_fen, pb.currency),
                                              festival=this.isoformat(), days=(this - today).days,
                                              hint=hint, fresh=", ".join(fresh) or "—")})
    return out


def agenda_items(session: Session, pb, *, user: str | None, today: date) -> dict[str, list[dict[str, Any]]]:
    """What the orders add to `tg agenda`: overdue instalments and reorder reminders."""
    return {"receivables": overdue_instalments(session, user, today),
            "reorders": reorder_reminders(session, pb, user, today)}


# --- reports -------------------------------------------------------------------------------------


def receivables(session: Session, *, by: str, today: date) -> list[dict[str, Any]]:
    """Money still open, by client, owner or segment, aged by days past due."""
    stmt = (select(SalesOrder, Client.name, Client.owner, Client.segment)
            .join(Client, Client.id == SalesOrder.client_id).where(SalesOrder.status == "open"))
    groups: dict[Any, dict[str, Any]] = {}
    for order, name, owner, segment in session.execute(stmt.order_by(SalesOrder.id)).all():
        open_dues = [d for d in dues(session, order) if d.open > 0]
        if not open_dues:
            continue
        key = {"client": (order.client_id, name), "owner": (owner,), "segment": (segment,)}[by]
        g = groups.setdefault(key, {"key": key, "orders": set(), "open": 0, **{b: 0 for b in core.BUCKETS}})
        g["orders"].add(order.id)
        for d in open_dues:
            g["open"] += d.open
            g[core.bucket(d.days_late(today))] += d.open
    rows = []
    for g in groups.values():
        key = g["key"]
        label = {"client": lambda: {"client_id": key[0], "client": key[1]},
                 "owner": lambda: {"owner": key[0]}, "segment": lambda: {"segment": key[0]}}[by]()
        rows.append({**label, "orders": len(g["orders"]), "open": g["open"], **{b: g[b] for b in core.BUCKETS}})
    rows.sort(key=lambda r: (-r["open"], str(r.get(by) or r.get("client") or "")))
    return rows


def retention(session: Session, pb, *, occasion: str | None, today: date) -> list[dict[str, Any]]:
    """Per season: clients who bought last season and this one (kept), only last (lost), only
    this (new), with their revenue each season."""
    out = []
    for season in pb.orders.seasons:
        if occasion and season.occasion != occasion:
            continue
        seasons = core.current_and_previous(season.dates, season.lead_days, today)
        if seasons is None:
            continue
        this, last = seasons
        by_season = _orders_by_season(session, pb, season)
        now_, before = by_season.get(this, {}), by_season.get(last, {})
        names = dict(session.execute(select(Client.id, Client.name)
                                     .where(Client.id.in_(list(set(now_) | set(before)) or [0]))).all())
        for cid in sorted(set(now_) | set(before)):
            if cid in now_ and cid in before:
                status = "kept"
            elif cid in now_:
                status = "new"
            else:  # within the window the client may still order: not lost yet
                status = "lost" if today > this else "not_yet"
            out.append({"occasion": season.occasion, "season": this.isoformat(), "last_season": last.isoformat(),
                        "client_id": cid, "client": names.get(cid), "status": status,
                        "last_revenue": sum(o.total_fen for o in before.get(cid, [])),
                        "revenue": sum(o.total_fen for o in now_.get(cid, []))})
    return out
