"""Mending mistakes: edit or remove a deal, a log entry, a contact, a rival or a need, and undo.

Every change goes through the ORM, so the audit trail (audit.py) records it with its before-image;
`tg undo` puts the last one back from there (store/undo.py). A removal reads and describes its row
first, asks through ``confirm`` (the command decides how: a prompt, --yes, or a refusal off a
terminal) and only then opens its write, so nothing is locked while a person reads the question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from . import i18n
from .errors import NotFound, TgError, UsageError

KINDS = ("deal", "activity", "contact", "competitor", "need")


@dataclass
class Target:
    kind: str
    id: int
    label: str
    warning: str | None = None


@dataclass
class Edited:
    kind: str
    id: int
    label: str
    changes: dict[str, list[Any]] = field(default_factory=dict)
    note: str | None = None


@dataclass
class Undone:
    lines: list[str]
    rows: list[tuple[str, int, str]]


def _getter(kind: str) -> Callable[[Any, str], Any]:
    from .store import accounts as acc
    from .store import pipeline as ps

    return {"deal": ps.get_deal, "activity": ps.get_activity, "contact": acc.get_contact,
            "competitor": acc.get_competitor, "need": acc.get_need}[kind]


def _client_name(session: Any, client_id: int) -> str:
    from .models import Client

    c = session.get(Client, client_id)
    return c.name if c is not None else "?"


def _label(session: Any, kind: str, row: Any, cur: str) -> str:
    from .recommend import money

    client = _client_name(session, row.client_id)
    if kind == "deal":
        return i18n.t("daily.label.deal", id=row.id, client=client, bundle=row.bundle_code or "—", qty=row.quantity,
                      amount=money(row.amount, cur), status=i18n.t(f"pipe.status.{row.status}"))
    if kind == "activity":
        return i18n.t("daily.label.activity", id=row.id, client=client, type=i18n.t(f"pipe.type.{row.type}"),
                      text=row.text)
    if kind == "contact":
        return i18n.t("daily.label.contact", id=row.id, client=client, name=row.name)
    if kind == "competitor":
        return i18n.t("daily.label.competitor", id=row.id, client=client, name=row.name)
    return i18n.t("daily.label.need", id=row.id, client=client, text=row.text,
                  kind=i18n.t(f"acct.kind.{row.kind}"))


def _target(session: Any, kind: str, row: Any, cur: str) -> Target:
    warning = None
    if kind == "deal":
        from .recommend import money
        from .store.pipeline import deal_rewards

        rewards = deal_rewards(session, row.id)
        if rewards:  # money booked on it: refused before anyone is asked
            raise TgError(i18n.t("daily.deal.rm_rewarded", id=row.id, rewards=", ".join(f"#{r}" for r in rewards)))
        if row.status == "won":
            warning = i18n.t("daily.deal.rm_won", id=row.id, amount=money(row.amount, cur))
    return Target(kind=kind, id=row.id, label=_label(session, kind, row, cur), warning=warning)


def remove(app_ctx: Any, kind: str, ref: str, confirm: Callable[[Target], bool]) -> Target:
    """Remove one row of ``kind`` named by ``ref`` once ``confirm`` agrees; the removed row, described."""
    from .store import accounts as acc
    from .store import pipeline as ps

    cur = app_ctx.playbook().currency
    db = app_ctx.store()
    get = _getter(kind)
    with db.read() as session:
        target = _target(session, kind, get(session, ref), cur)
    if not confirm(target):
        raise TgError(i18n.t("aborted"))
    with db.write() as session:
        try:
            row = get(session, str(target.id))
        except NotFound:  # removed by someone else meanwhile
            raise NotFound(i18n.t("daily.gone", what=target.label)) from None
        target = _target(session, kind, row, cur)  # read again under the write: a reward booked since counts
        {"deal": ps.remove_deal, "activity": ps.remove_activity, "contact": acc.remove_contact,
         "competitor": acc.remove_row, "need": acc.remove_row}[kind](session, row)
    return target


def edit_deal(app_ctx: Any, ref: str, *, amount: float | None = None, qty: int | None = None,
              bundle: str | None = None, reason: str | None = None) -> Edited:
    """Amount, quantity, bundle or (a lost deal's) reason. A new quantity or bundle of an open deal
    without an amount is priced again, as `tg deals add` prices it."""
    from .deals_use import offering, price
    from .store import pipeline as ps

    if all(v is None for v in (amount, qty, bundle, reason)):
        raise UsageError(i18n.t("daily.nothing_to_edit"))
    pb = app_ctx.playbook()
    with app_ctx.store().read() as session:
        d = ps.get_deal(session, ref)
        did, status, code, quantity = d.id, d.status, d.bundle_code, d.quantity
    b = offering(app_ctx, pb, bundle) if bundle is not None else None
    note = None
    if amount is None and (qty is not None or b is not None) and status == "open":
        target = b if b is not None else (offering(app_ctx, pb, code) if code else None)
        if target is not None:
            priced = price(pb, target, qty if qty is not None else quantity)
            amount, note = priced.amount, priced.note
    with app_ctx.store().write() as session:
        d = ps.get_deal(session, str(did))
        changes = ps.edit_deal(session, d, user=app_ctx.user(), amount=amount, quantity=qty,
                               bundle_code=b.code if b is not None else None, lost_reason=reason)
        return Edited("deal", d.id, _label(session, "deal", d, pb.currency), changes, note)


def edit_activity(app_ctx: Any, ref: str, *, type: str | None = None, text: str | None = None,
                  next_action: str | None = None, due: str | None = None, done: bool | None = None) -> Edited:
    from .dates import parse_day
    from .store import pipeline as ps

    if all(v is None for v in (type, text, next_action, due, done)):
        raise UsageError(i18n.t("daily.nothing_to_edit"))
    clear = due is not None and due.strip() in ("", "-", "none", "无")
    day: date | None = None if (due is None or clear) else parse_day(due)
    cur = app_ctx.playbook().currency
    with app_ctx.store().write() as session:
        row = ps.get_activity(session, ref)
        changes = ps.edit_activity(session, row, type=type, text=text, next_action=next_action, due=day,
                                   done=done, clear_due=clear)
        return Edited("activity", row.id, _label(session, "activity", row, cur), changes)


def edit_competitor(app_ctx: Any, ref: str, **fields: Any) -> Edited:
    from .store import accounts as acc

    if all(v is None for v in fields.values()):
        raise UsageError(i18n.t("daily.nothing_to_edit"))
    cur = app_ctx.playbook().currency
    with app_ctx.store().write() as session:
        row = acc.get_competitor(session, ref)
        changes = acc.edit_competitor(session, row, **fields)
        return Edited("competitor", row.id, _label(session, "competitor", row, cur), changes)


def edit_need(app_ctx: Any, ref: str, *, text: str | None = None, kind: str | None = None) -> Edited:
    from .store import accounts as acc

    if text is None and kind is None:
        raise UsageError(i18n.t("daily.nothing_to_edit"))
    cur = app_ctx.playbook().currency
    with app_ctx.store().write() as session:
        row = acc.get_need(session, ref)
        changes = acc.edit_need(session, row, text=text, kind=kind)
        return Edited("need", row.id, _label(session, "need", row, cur), changes)


def undo(app_ctx: Any) -> Undone:
    """Undo the current user's last change (store/undo.py says which kinds can be)."""
    from .store import undo as su

    user = app_ctx.user()
    with app_ctx.store().write() as session:
        done = su.undo(session, user)
    lines = [i18n.t("daily.undo.done", at=done.at.strftime("%Y-%m-%d %H:%M"))]
    for table, row_id, action in done.rows:
        kind = i18n.t(f"daily.kind.{table}") if f"daily.kind.{table}" in i18n.CATALOGUE else table
        lines.append(i18n.t(f"daily.undo.{action}", kind=kind, id=row_id))
    return Undone(lines=lines, rows=done.rows)
