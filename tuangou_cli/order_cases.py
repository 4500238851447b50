"""From won to cash, the commands' work: each function opens one transaction on the store (read or
write), does one task and returns plain data for the command to print. Callable without Typer:
``add_payment(app_ctx, "12", "45000")``. ``app_ctx`` is cli.context.AppContext (store, playbook,
user)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import i18n
from . import orders as core
from .clock import today
from .errors import TgError, UsageError

DEPARTMENT_HEADERS = ("部门", "部门名称", "科室", "处室", "单位", "班组", "department", "dept", "division", "team")
HEADCOUNT_HEADERS = ("人数", "人员数", "员工数", "职工人数", "在职人数", "headcount", "staff", "people", "employees",
                     "persons")


@dataclass
class OrderMade:
    order_id: int
    deal_id: int | None
    client: str
    total: str
    referral_id: int | None = None
    label: str | None = None
    moved: str | None = None
    reward_on_cash: bool = False
    """The referral's reward is earned as the money comes in (not due at once)."""


def _on_cash(session, referral) -> bool:
    from sqlalchemy import select

    from .models import Reward

    if referral is None:
        return False
    return session.execute(select(Reward.id).where(Reward.referral_id == referral.id, Reward.status == "pending",
                                                   Reward.reverses_id.is_(None))).first() is not None


def _order_facts(session, order) -> dict[str, Any]:
    from .models import Client
    from .store import orders as so

    client = session.get(Client, order.client_id)
    return {"id": order.id, "client_id": order.client_id, "client": client.name, "owner": client.owner,
            "deal_id": order.deal_id, "quote_id": order.quote_id, "ordered_on": order.ordered_on.isoformat(),
            "delivery_date": order.delivery_date.isoformat() if order.delivery_date else None,
            "address": order.address, "occasion": order.occasion, "total_fen": order.total_fen,
            "lines": [{"code": x.code, "name": x.name, "unit": x.unit, "quantity": x.quantity,
                       "total": str(core.yuan(x.total_fen))} for x in so.order_lines(session, order.id)]}


# --- orders ----------------------------------------------------------------------------------------


def accept_quote(app_ctx, ref: str, *, delivery: str | None, address: str | None,
                 occasion: str | None) -> OrderMade:
    """The buyer said yes: the quote is accepted, its deal won, and its order made."""
    from .models_quotes import QuoteLine as LineRow
    from .store import orders as so
    from .store import quotes as qs
    from .store.quotes import REWARD_CODE
    from sqlalchemy import select

    pb = app_ctx.playbook()
    day = core.parse_day(delivery) if delivery else None
    _check_occasion(pb, occasion)
    user, now = app_ctx.user(), today()
    with app_ctx.store().write() as session:
        row = qs.get_quote(session, ref)
        result = qs.accept_quote(session, pb, row, user=user, today=now)
        deal = result["deal"]
        from .models import Client

        client = session.get(Client, row.client_id)
        lines = [(x.code, x.name, x.unit, x.quantity, x.total_fen) for x in session.execute(
            select(LineRow).where(LineRow.quote_id == row.id).order_by(LineRow.position)).scalars()
            if not x.code.startswith(REWARD_CODE)]
        order = so.create_order(session, client=client, deal=deal, quote_id=row.id, lines=lines,
                                total_fen=row.total_fen, delivery_date=day,
                                address=address or (row.buyer or {}).get("address"), occasion=occasion, user=user,
                                today=now)
        referral = result.get("referral")
        return OrderMade(order.id, deal.id, client.name, core.money_text(order.total_fen, pb.currency),
                         referral.id if referral else None, label=f"{row.number} v{row.version}",
                         moved=result.get("moved"), reward_on_cash=_on_cash(session, referral))


def _check_occasion(pb, occasion: str | None) -> None:
    if occasion and pb.occasions and occasion not in {o.code for o in pb.occasions}:
        raise UsageError(i18n.t("order.unknown_occasion", code=occasion,
                                codes=", ".join(o.code for o in pb.occasions)))


def add_order(app_ctx, client_ref: str, *, bundle: str | None, items: list[str], delivery: str | None,
              address: str | None, occasion: str | None, deal_ref: str | None = None) -> OrderMade:
    """An order without a quote: priced by the offer engine as a quote would be; the client's
    open deal (or a new one) is won with its amount. ``deal_ref``: a deal won already (tg deals
    won) that has no order yet becomes this order's, at the amount it was won for."""
    from .quotes import Wanted, parse_items, price_lines
    from .store import clients as st
    from .store import orders as so
    from .store.quotes import _facts, to_fen

    if bundle and items:
        raise UsageError(i18n.t("quote.bundle_or_items"))
    pb = app_ctx.playbook()
    day = core.parse_day(delivery) if delivery else None
    _check_occasion(pb, occasion)
    wanted = Wanted(bundle=bundle, items=parse_items(items or []))
    user, now, lang = app_ctx.user(), today(), i18n.get_lang()
    with app_ctx.store().write() as session:
        client = st.get_client(session, client_ref)
        lines = price_lines(pb, wanted, _facts(client), lang=lang)
        total = sum(to_fen(x.gross) for x in lines)
        code = lines[0].code if len(lines) == 1 else None
        if deal_ref is not None:
            deal, result = won_deal_of(session, pb, client=client, ref=deal_ref, amount_fen=total), {}
        else:
            deal, result = win_deal_for(session, pb, client=client, amount_fen=total, bundle=code,
                                        quantity=sum(x.quantity for x in lines), user=user)
        order = so.create_order(session, client=client, deal=deal, quote_id=None,
                                lines=[(x.code, x.name, x.unit, x.quantity, to_fen(x.gross)) for x in lines],
                                total_fen=total, delivery_date=day, address=address, occasion=occasion, user=user,
                                today=now)
        referral = result.get("referral")
        return OrderMade(order.id, deal.id, client.name, core.money_text(total, pb.currency),
                         referral.id if referral else None, moved=result.get("moved"),
                         reward_on_cash=_on_cash(session, referral))


def won_deal_of(session, pb, *, client, ref: str, amount_fen: int):
    """A won deal of the client's with no order yet, won for the amount the order comes to (an
    order is the deal's won amount: a second deal for the same sale would count it twice)."""
    from sqlalchemy import select

    from .models_orders import SalesOrder
    from .store import pipeline as ps
    from .store.quotes import to_fen

    deal = ps.get_deal(session, ref)
    if deal.client_id != client.id or deal.status != "won":
        raise TgError(i18n.t("order.deal_not_won", deal=deal.id, client=client.name))
    taken = session.execute(select(SalesOrder.id).where(SalesOrder.deal_id == deal.id)).first()
    if taken:
        raise TgError(i18n.t("order.deal_has_order", deal=deal.id, order=taken[0]))
    won = to_fen(Decimal(str(deal.amount)))
    if won != amount_fen:
        raise TgError(i18n.t("order.deal_amount", deal=deal.id, won=core.money_text(won, pb.currency),
                             total=core.money_text(amount_fen, pb.currency)))
    return deal


def win_deal_for(session, pb, *, client, amount_fen: int, bundle: str | None, quantity: int,
                 user: str) -> tuple[Any, dict[str, Any]]:
    """The order is the client's won deal: its one open deal, set to the order, is won; with none
    (or several) open, a new deal is made and won."""
    from sqlalchemy import select

    from .models import Deal
    from .store import pipeline as ps

    open_deals = list(session.execute(select(Deal).where(Deal.client_id == client.id, Deal.status == "open"))
                      .scalars())
    if len(open_deals) == 1:
        deal = open_deals[0]
        deal.amount, deal.quantity, deal.bundle_code = float(core.yuan(amount_fen)), quantity, bundle or deal.bundle_code
        session.add(deal)
        session.flush()
    else:
        deal = ps.add_deal(session, client=client, bundle_code=bundle, quantity=quantity,
                           amount=float(core.yuan(amount_fen)), user=user)
    result = ps.win_deal(session, deal, pb, user=user)
    return deal, result


def list_orders(app_ctx, client_ref: str | None) -> list[dict[str, Any]]:
    from .store import clients as st
    from .store import orders as so

    with app_ctx.store().read() as session:
        cid = st.get_client(session, client_ref).id if client_ref else None
        return so.list_orders(session, client_id=cid, today=today())


def show_order(app_ctx, ref: str) -> dict[str, Any]:
    """Everything about one order: lines, packing and delivery, invoices, plan, payments, earnings."""
    from .store import orders as so

    pb = app_ctx.playbook()
    now = today()
    with app_ctx.store().read() as session:
        order = so.get_order(session, ref)
        facts = _order_facts(session, order)
        collected = so.collected_fen(session, order.id)
        facts.update(
            total=str(core.yuan(order.total_fen)), currency=pb.currency,
            collected=str(core.yuan(collected)), owed=str(core.yuan(order.total_fen - collected)),
            invoiced=str(core.yuan(so.invoiced_fen(session, order.id))),
            packing=so.packing_list(session, order), invoices=so.list_invoices(session, order_id=order.id),
            plan=[{"instalment": d.position, "due_on": d.due_on.isoformat(), "amount": str(core.yuan(d.amount)),
                   "paid": str(core.yuan(d.paid)), "open": str(core.yuan(d.open)),
                   "days_late": max(0, d.days_late(now)) if d.open else 0}
                  for d in (core.allocate(so.plan_of(session, order.id), collected)
                            if so.plan_of(session, order.id) else [])],
            payments=so.list_payments(session, order), earnings=so.earnings(session, order))
        facts.pop("total_fen")
        return facts


# --- the packing list ------------------------------------------------------------------------------


@dataclass
class PackingResult:
    order_id: int
    departments: int
    people: int
    items: dict[str, int] = field(default_factory=dict)
    """Packed per item code."""


def _read_departments(path: Path, sheet: str | None, items) -> list[core.Department]:
    """The client's spreadsheet: a department column, a headcount column and/or a column per
    item (by code or name), read by the one table reader and the one cell parser."""
    from .cells import CellError, cell_number, header_key
    from .tables import open_table

    dept_keys = {header_key(h) for h in DEPARTMENT_HEADERS}
    head_keys = {header_key(h) for h in HEADCOUNT_HEADERS}
    item_keys = {}
    for x in items:
        item_keys[header_key(x.code)] = x.code
        item_keys.setdefault(header_key(x.name), x.code)

    def is_header(cells: list[str]) -> bool:
        return any(header_key(c) in dept_keys for c in cells)

    out: list[core.Department] = []
    with open_table(path, sheet=sheet, header=is_header) as table:
        if not table.found:
            raise TgError(i18n.t("packing.no_department_column", path=path, names="、".join(DEPARTMENT_HEADERS[:4])))
        keys = [header_key(h) for h in table.headers]
        dept_col = next(i for i, k in enumerate(keys) if k in dept_keys)
        head_col = next((i for i, k in enumerate(keys) if k in head_keys), None)
        item_cols = {i: item_keys[k] for i, k in enumerate(keys) if k in item_keys}
        if head_col is None and not item_cols:
            raise TgError(i18n.t("packing.no_counts", path=path, names="、".join(HEADCOUNT_HEADERS[:3])))
        for line, cells in table.rows():
            def cell(i: int) -> str:
                return str(cells[i]).strip() if i < len(cells) and cells[i] is not None else ""

            name = cell(dept_col)
            if not name:
                raise TgError(i18n.t("packing.bad_row", path=path, line=line, reason=i18n.t("packing.no_name")))
            if name in ("合计", "总计", "total", "Total", "TOTAL"):
                continue
            d = core.Department(name=name[:200], line=line)
            try:
                if head_col is not None and cell(head_col):
                    d.headcount = int(cell_number(cell(head_col), integer=True))
                for i, code in item_cols.items():
                    if cell(i):
                        d.counts[code] = int(cell_number(cell(i), integer=True))
            except CellError as exc:
                raise TgError(i18n.t("packing.bad_row", path=path, line=line, reason=str(exc))) from None
            out.append(d)
    return out


def parse_per_head(values: list[str]) -> dict[str, int]:
    out = {}
    for value in values:
        code, sep, n = value.partition("=")
        if not sep or not code.strip() or not n.strip().isdigit() or not 0 < int(n) <= 1000:
            raise UsageError(i18n.t("packing.bad_per_head", value=value))
        out[code.strip()] = int(n)
    return out


def import_packing(app_ctx, ref: str, path: Path, *, sheet: str | None, per_head: list[str]) -> PackingResult:
    """Read the client's departments and headcounts and save the order's packing list; the
    counts of each item must add up to the order, else nothing is saved."""
    from .store import orders as so

    given = parse_per_head(per_head)
    with app_ctx.store().read() as session:
        order = so.get_order(session, ref)
        items = [core.Item(x.code, x.name, x.quantity) for x in so.order_lines(session, order.id)]
        oid = order.id
    unknown = sorted(set(given) - {x.code for x in items})
    if unknown:
        raise UsageError(i18n.t("packing.unknown_item", codes=", ".join(unknown), id=oid,
                                known=", ".join(x.code for x in items)))
    departments = _read_departments(path, sheet, items)
    rows = core.packing(items, departments, given)
    with app_ctx.store().write() as session:
        order = so.get_order(session, ref, lock=True)
        lines = [(x.code, x.quantity) for x in so.order_lines(session, order.id)]
        if lines != [(x.code, x.quantity) for x in items]:  # changed while the file was read
            raise TgError(i18n.t("packing.order_changed", id=order.id))
        n, oid = so.set_packing(session, order, rows), order.id
    packed: dict[str, int] = {}
    for _, _, code, count in rows:
        packed[code] = packed.get(code, 0) + count
    return PackingResult(oid, n, sum(d.headcount or 0 for d in departments), packed)


def packing_sheet(app_ctx, ref: str) -> tuple[list[str], list[str], list[list[Any]]]:
    """(columns, headers, rows) of the warehouse's sheet: one row per department, a column per item."""
    from .store import orders as so

    with app_ctx.store().read() as session:
        order = so.get_order(session, ref)
        items = so.order_lines(session, order.id)
        depts = so.packing_list(session, order)
        if not depts:
            raise TgError(i18n.t("packing.none", id=order.id))
    columns = ["department", "headcount", *[x.code for x in items], "status", "signed_by"]
    headers = [i18n.t("packing.col.department"), i18n.t("packing.col.headcount"),
               *[f"{x.name} ({x.code})" for x in items], i18n.t("packing.col.status"), i18n.t("packing.col.by")]
    rows = [[d["department"], d["headcount"], *[d["counts"].get(x.code, 0) for x in items],
             i18n.t(f"order.step.{d['status']}") if d["status"] else "", d["by"] or ""] for d in depts]
    total = [i18n.t("packing.total"), sum(d["headcount"] or 0 for d in depts),
             *[sum(d["counts"].get(x.code, 0) for d in depts) for x in items], "", ""]
    return columns, headers, rows + [total]


def export_packing(app_ctx, ref: str, target: Path) -> int:
    """The packing list as an xlsx for the warehouse, written whole or not at all."""
    from .xlsx import write_xlsx

    if target.suffix.lower() != ".xlsx":
        raise UsageError(i18n.t("packing.export_xlsx", path=target))
    columns, headers, rows = packing_sheet(app_ctx, ref)
    temp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        write_xlsx(rows, columns, str(temp), sheet=i18n.t("packing.sheet"), headers=headers)
        os.replace(temp, target)
    except OSError as exc:
        raise TgError(i18n.t("packing.cannot_write", path=target, reason=exc.strerror or exc)) from None
    finally:
        if temp.exists():
            temp.unlink()
    return len(rows) - 1


def deliver(app_ctx, ref: str, *, department: str, status: str, by: str | None) -> dict[str, Any]:
    from .store import orders as so

    with app_ctx.store().write() as session:
        order = so.get_order(session, ref)
        event = so.deliver(session, order, department=department, status=status, by=by, user=app_ctx.user())
        left = [d["department"] for d in so.packing_list(session, order) if d["status"] != "signed"]
        return {"order_id": order.id, "department": event.department, "status": event.status, "by": event.by,
                "at": event.at.isoformat(), "not_signed": len(left)}


# --- invoices --------------------------------------------------------------------------------------


def request_invoice(app_ctx, ref: str, amount: str | None) -> dict[str, Any]:
    from .store import orders as so

    pb = app_ctx.playbook()
    fen = core.parse_amount(amount) if amount is not None else None
    with app_ctx.store().write() as session:
        order = so.get_order(session, ref, lock=True)
        row = so.request_invoice(session, pb, order, amount_fen=fen, user=app_ctx.user())
        left = order.total_fen - so.invoiced_fen(session, order.id)
        return {"id": row.id, "order_id": order.id, "amount": core.money_text(row.amount_fen, pb.currency),
                "title": row.billing.get("title"), "kind": row.kind, "left": core.money_text(left, pb.currency)}


def invoice_step(app_ctx, ref: str, action: str, *, number: str | None = None, day: str | None = None,
                 courier: str | None = None, reason: str | None = None) -> dict[str, Any]:
    """issue (number, date), send (courier number) or void (reason) an invoice."""
    from .store import orders as so

    pb = app_ctx.playbook()
    for option, value in (("--number", number), ("--courier", courier), ("--reason", reason)):
        if value is not None and not value.strip():
            raise UsageError(i18n.t("invoice.empty", option=option))
    issued = core.parse_day(day) if day else today()
    with app_ctx.store().write() as session:
        row = so.get_invoice(session, ref)
        so.get_order(session, str(row.order_id), lock=True)
        if action == "issue":
            so.issue_invoice(session, row, number=number.strip(), day=issued)
        elif action == "send":
            so.send_invoice(session, row, courier=courier.strip())
        else:
            so.void_invoice(session, row, reason=reason.strip(), user=app_ctx.user())
        order = so.get_order(session, str(row.order_id))
        return {"id": row.id, "order_id": row.order_id, "status": so.invoice_status(session, row),
                "number": row.number, "amount": core.money_text(row.amount_fen, pb.currency),
                "invoiced": core.money_text(so.invoiced_fen(session, order.id), pb.currency)}


def list_invoices(app_ctx, ref: str | None) -> list[dict[str, Any]]:
    from .store import orders as so

    with app_ctx.store().read() as session:
        oid = so.get_order(session, ref).id if ref else None
        return so.list_invoices(session, order_id=oid)


# --- payments --------------------------------------------------------------------------------------


def plan_payments(app_ctx, ref: str, instalments: list[str]) -> dict[str, Any]:
    from .store import orders as so

    pb = app_ctx.playbook()
    parsed = [core.parse_instalment(x) for x in instalments]
    with app_ctx.store().write() as session:
        order = so.get_order(session, ref, lock=True)
        n = so.set_plan(session, pb, order, parsed, user=app_ctx.user())
        return {"order_id": order.id, "instalments": n, "total": core.money_text(order.total_fen, pb.currency),
                "plan": [(core.money_text(a, pb.currency), d.isoformat()) for a, d in sorted(parsed, key=lambda x: x[1])]}


def add_payment(app_ctx, ref: str, amount: str, *, day: str | None = None, method: str | None = None,
                refund_reason: str | None = None) -> dict[str, Any]:
    """A payment received (or, with ``refund_reason``, money paid back), and what it earned."""
    from .store import orders as so

    pb = app_ctx.playbook()
    fen = core.parse_amount(amount)
    paid_on = core.parse_day(day) if day else today()
    if paid_on > today():
        raise UsageError(i18n.t("payment.future", day=paid_on.isoformat()))
    if refund_reason is not None and not refund_reason.strip():
        raise UsageError(i18n.t("payment.reason_needed"))
    user = app_ctx.user()
    with app_ctx.store().write() as session:
        order = so.get_order(session, ref, lock=True)
        if refund_reason is None:
            row, earned = so.add_payment(session, pb, order, amount_fen=fen, day=paid_on, method=method, user=user)
        else:
            row, earned = so.refund(session, pb, order, amount_fen=fen, day=paid_on, reason=refund_reason.strip(),
                                    user=user)
        collected = so.collected_fen(session, order.id)
        return {"id": row.id, "order_id": order.id, "amount": core.money_text(row.amount_fen, pb.currency),
                "collected": core.money_text(collected, pb.currency),
                "owed": core.money_text(order.total_fen - collected, pb.currency),
                "earned": [{"reward_id": e.reward_id, "amount": core.money_text(e.amount_fen, pb.currency)}
                           for e in earned]}


def payments_of(app_ctx, ref: str) -> dict[str, Any]:
    return show_order(app_ctx, ref)


# --- reports ---------------------------------------------------------------------------------------

RECEIVABLE_COLUMNS = ("orders", "open", *core.BUCKETS)


def receivables_report(app_ctx, *, by: str) -> tuple[list[str], list[dict[str, Any]]]:
    from .store import orders as so

    with app_ctx.store().read() as session:
        rows = so.receivables(session, by=by, today=today())
    key = ["client_id", "client"] if by == "client" else [by]
    return [*key, *RECEIVABLE_COLUMNS], rows


def retention_report(app_ctx, *, occasion: str | None) -> dict[str, Any]:
    from .store import orders as so

    pb = app_ctx.playbook()
    if occasion and pb.orders.season(occasion) is None:
        raise UsageError(i18n.t("season.unknown", code=occasion,
                                codes=", ".join(s.occasion for s in pb.orders.seasons) or "—"))
    with app_ctx.store().read() as session:
        rows = so.retention(session, pb, occasion=occasion, today=today())
    kept = [r for r in rows if r["status"] == "kept"]
    last = [r for r in rows if r["status"] in ("kept", "lost", "not_yet")]
    summary = {"kept": len(kept), "lost": sum(r["status"] == "lost" for r in rows),
               "not_yet": sum(r["status"] == "not_yet" for r in rows),
               "new": sum(r["status"] == "new" for r in rows),
               "revenue_kept": sum(r["revenue"] for r in kept),
               "last_revenue": sum(r["last_revenue"] for r in last),
               "rate": len(kept) / len(last) if last else 0.0}
    return {"summary": summary, "rows": rows}
