"""Reading and writing contacts, competitors, needs and reciprocal deals.

Keyword-only functions taking an open session; the caller owns the transaction
(``Store.write()``). Everything is validated before the first row is added, so a
refused input writes nothing.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from .. import i18n
from ..accounts import Balance, check_strength, fold
from ..errors import Ambiguous, NotFound, UsageError
from ..models import Client, Competitor, Contact, Need, Reciprocal, utcnow
from ..playbook import Playbook
from .cases import best_won_case
from .edits import apply_changes
from .clients import get_client, parse_id, won_revenue

if TYPE_CHECKING:
    from ..models_history import ContactStrength

MAX_TEXT = 500


def clean_text(value: str | None, what: str, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise UsageError(i18n.t("acct.empty", what=what))
        return None
    value = " ".join(value.split())
    if not value:
        if required:
            raise UsageError(i18n.t("acct.empty", what=what))
        return None
    if len(value) > MAX_TEXT:
        raise UsageError(i18n.t("acct.too_long", what=what, limit=MAX_TEXT))
    return value


def clean_phone(value: str | None) -> str | None:
    """A phone (or several) a Chinese rep can dial, tidied; one line naming the rule otherwise."""
    from ..cells import CellError, parse_phones

    value = clean_text(value, i18n.t("field.phone"))
    if value is None:
        return None
    try:
        return parse_phones(value)[0]
    except CellError:
        raise UsageError(i18n.t("daily.bad_phone", phone=value)) from None


# --- contacts ----------------------------------------------------------------------------------


def contact_json(c: Contact) -> dict[str, Any]:
    return {"id": c.id, "client_id": c.client_id, "name": c.name, "role": c.role, "title": c.title,
            "phone": c.phone, "strength": c.strength}


def contacts_of(session: Session, client_id: int) -> list[Contact]:
    return list(session.exec(select(Contact).where(Contact.client_id == client_id).order_by(Contact.id)).all())


def get_contact(session: Session, query: str) -> Contact:
    """A contact by id (``12``, ``#12``), by ``CLIENT/NAME``, or by a name unique across clients."""
    query = query.strip()
    cid = parse_id(query)
    if cid is not None:
        c = session.get(Contact, cid)
        if c is None:
            raise NotFound(i18n.t("acct.contact_not_found", query=query))
        return c
    if "/" in query:
        client_q, _, name = query.rpartition("/")
        client = get_client(session, client_q)
        pool = contacts_of(session, client.id)
    else:
        name, pool = query, list(session.exec(select(Contact).order_by(Contact.id)).all())
    key = fold(name)
    found = [c for c in pool if fold(c.name) == key] or [c for c in pool if fold(c.name).startswith(key) and key]
    if len(found) == 1:
        return found[0]
    names = _client_names(session, {c.client_id for c in (found or pool)})
    if found:
        raise Ambiguous(i18n.t("acct.contact_ambiguous", count=len(found), query=query),
                        details=[f"  #{c.id}  {names.get(c.client_id, '?')}/{c.name}" for c in found])
    by_key = {fold(c.name): f"{names.get(c.client_id, '?')}/{c.name} (#{c.id})" for c in pool}
    close = [v for k, v in by_key.items() if key and key in k][:3]
    for k in difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.5):
        if by_key[k] not in close:
            close.append(by_key[k])
    if close:
        raise NotFound(i18n.t("acct.contact_not_found_close", query=query, close=", ".join(close[:3])))
    raise NotFound(i18n.t("acct.contact_not_found", query=query))


def _client_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.exec(select(Client.id, Client.name).where(Client.id.in_(ids))).all())


def add_contact(session: Session, *, client: Client, name: str, role: str | None, user: str,
                title: str | None = None, phone: str | None = None, strength: int | None = None,
                note: str | None = None) -> Contact:
    from ..models import ContactStrength

    name = clean_text(name, i18n.t("field.name"), required=True)
    check_strength(strength)
    contact = Contact(client_id=client.id, name=name, role=role, title=clean_text(title, i18n.t("field.title")),
                      phone=clean_phone(phone), strength=strength, created_by=user)
    session.add(contact)
    session.flush()
    if strength is not None:
        session.add(ContactStrength(contact_id=contact.id, strength=strength, note=note, created_by=user))
        session.flush()
    return contact


def edit_contact(session: Session, contact: Contact, *, user: str, **fields: Any) -> Contact:
    changes = {k: v for k, v in fields.items() if v is not None}
    if "name" in changes:
        changes["name"] = clean_text(changes["name"], i18n.t("field.name"), required=True)
    if "title" in changes:
        changes["title"] = clean_text(changes["title"], i18n.t("field.title"))
    if "phone" in changes:
        changes["phone"] = clean_phone(changes["phone"])
    for key, value in changes.items():
        setattr(contact, key, value)
    contact.updated_at, contact.updated_by = utcnow(), user
    session.add(contact)
    session.flush()
    return contact


def set_strength(session: Session, contact: Contact, *, strength: int, note: str | None, user: str) -> ContactStrength:
    from ..models import ContactStrength

    check_strength(strength)
    row = ContactStrength(contact_id=contact.id, strength=strength, note=clean_text(note, i18n.t("field.note")),
                          created_by=user)
    contact.strength = strength
    contact.updated_at, contact.updated_by = utcnow(), user
    session.add_all([row, contact])
    session.flush()
    return row


# --- competitors ---------------------------------------------------------------------------------


def add_competitor(session: Session, *, client: Client, name: str, user: str, offer: str | None = None,
                   price: float | None = None, strength: str | None = None,
                   weakness: str | None = None) -> tuple[Competitor, bool]:
    """(the rival, whether it is new): a rival is recorded once per client (its name folded);
    naming it again records nothing, as a need named again does."""
    from ..db import serialise

    name = clean_text(name, i18n.t("field.name"), required=True)
    offer, strength, weakness = (clean_text(offer, "--offer"), clean_text(strength, "--strength"),
                                 clean_text(weakness, "--weakness"))
    serialise(session, "client", client.id)  # two tg recording one rival at once: one row
    key = fold(name)
    for existing in competitors_of(session, client.id):
        if fold(existing.name) == key:
            return existing, False
    row = Competitor(client_id=client.id, name=name, offer=offer, price=price, strength=strength,
                     weakness=weakness, created_by=user)
    session.add(row)
    session.flush()
    return row, True


def competitors_of(session: Session, client_id: int) -> list[Competitor]:
    return list(session.exec(select(Competitor).where(Competitor.client_id == client_id)
                             .order_by(Competitor.id)).all())


def competitor_json(c: Competitor) -> dict[str, Any]:
    return {"id": c.id, "client_id": c.client_id, "name": c.name, "offer": c.offer, "price": c.price,
            "strength": c.strength, "weakness": c.weakness, "created_at": c.created_at.isoformat(),
            "created_by": c.created_by}


# --- needs ---------------------------------------------------------------------------------------------


def needs_of(session: Session, client_id: int) -> list[Need]:
    return list(session.exec(select(Need).where(Need.client_id == client_id).order_by(Need.id)).all())


def add_need(session: Session, *, client: Client, text: str, kind: str, user: str,
             source: str = "manual") -> tuple[Need, bool]:
    """(the need, whether it is new): the same text of the same kind is recorded once."""
    from ..db import serialise

    text = clean_text(text, i18n.t("acct.field.need"), required=True)
    serialise(session, "client", client.id)  # three tg recording one need at once: one row
    key = fold(text)
    for existing in needs_of(session, client.id):
        if existing.kind == kind and fold(existing.text) == key:
            return existing, False
    row = Need(client_id=client.id, kind=kind, text=text, source=source, created_by=user)
    session.add(row)
    session.flush()
    return row, True


def record_classify_needs(session: Session, *, client: Client, pb: Playbook, answers: dict[str, Any],
                          user: str) -> int:
    """The choices picked in multi-choice questions (what matters to them) become stated needs."""
    added = 0
    for qid, answer in answers.items():
        q = pb.question(qid)
        if q is None or q.type != "multiselect" or not isinstance(answer, list):
            continue
        for value in answer:
            choice = q.choice(value)
            if choice is not None and add_need(session, client=client, text=choice.label.get(), kind="stated",
                                               user=user, source="classify")[1]:
                added += 1
    return added


def need_json(n: Need) -> dict[str, Any]:
    return {"id": n.id, "client_id": n.client_id, "kind": n.kind, "text": n.text, "source": n.source,
            "created_at": n.created_at.isoformat(), "created_by": n.created_by}


# --- reciprocal deals ------------------------------------------------------------------------------------


def add_reciprocal(session: Session, *, client: Client, we_buy: str, amount: float, on: date | None,
                   user: str) -> Reciprocal:
    row = Reciprocal(client_id=client.id, we_buy=clean_text(we_buy, "--we-buy", required=True), amount=amount,
                     on=on or date.today(), created_by=user)
    session.add(row)
    session.flush()
    return row


def reciprocal_rows(session: Session, client_id: int | None = None) -> list[tuple]:
    stmt = (select(Reciprocal.id, Reciprocal.on, Client.id, Client.name, Reciprocal.we_buy, Reciprocal.amount,
                   Reciprocal.created_by)
            .join(Client, Client.id == Reciprocal.client_id).order_by(Reciprocal.on, Reciprocal.id))
    if client_id is not None:
        stmt = stmt.where(Reciprocal.client_id == client_id)
    return [tuple(r) for r in session.exec(stmt).all()]


def balance(session: Session, client_id: int) -> Balance:
    """Their won deals with us against what we bought from them."""
    rec = Reciprocal.__table__.c
    rows = session.connection().execute(sa_select(rec.we_buy, rec.amount).where(rec.client_id == client_id)
                                        .order_by(rec.on.desc(), rec.id.desc())).all()
    items: list[str] = []
    for we_buy, _amount in rows:
        if we_buy not in items:
            items.append(we_buy)
    return Balance(revenue=won_revenue(session, client_id), bought=float(sum(a for _w, a in rows)), items=items)


# --- the proof case ----------------------------------------------------------------------------------------


def case_json(c: Row | None) -> dict[str, Any] | None:
    """The proof case for a pitch (chosen by ``cases.best_won_case``), as a plain dict."""
    if c is None:
        return None
    return {"id": c.id, "title": c.title, "segment": c.segment, "industry": c.industry, "decided_by": c.decided_by,
            "technique": c.technique, "lesson": c.lesson, "client_id": c.client_id,
            "created_at": c.created_at.isoformat()}


# --- everything the pitch and `clients show` need ------------------------------------------------------------


def _child_rows(session: Session, model: Any, client_id: int) -> list[Row]:
    """A client's rows of one table in id order, read with Core: read-only commands (tg pitch) never
    set up the ORM. A row has the model's attribute names, so the *_json functions take either."""
    t = model.__table__
    return list(session.connection().execute(sa_select(t).where(t.c.client_id == client_id).order_by(t.c.id)))


def account_facts(session: Session, client: Client | Row) -> dict[str, Any]:
    """Loaded while the session is open: plain dicts, safe after it closes."""
    return {
        "contacts": [contact_json(c) for c in _child_rows(session, Contact, client.id)],
        "competitors": [competitor_json(c) for c in _child_rows(session, Competitor, client.id)],
        "needs": [need_json(n) for n in _child_rows(session, Need, client.id)],
        "balance": balance(session, client.id),
        "case": case_json(best_won_case(session, client.segment, client.industry)),
        "introduced_by": introduced_by(session, client.id),
    }


def introduced_by(session: Session, client_id: int) -> dict[str, Any] | None:
    """The credited referral that brought this client: who, through whom, and what was promised."""
    from ..models import Referral

    client, contact, referral = Client.__table__, Contact.__table__, Referral.__table__
    stmt = (
        sa_select(client.c.id, client.c.name, contact.c.name, contact.c.role, contact.c.strength, contact.c.title,
                  referral.c.created_at)
        .join(client, client.c.id == referral.c.referrer_id)
        .outerjoin(contact, contact.c.id == referral.c.contact_id)
        .where(referral.c.referred_id == client_id, referral.c.credited)
    )
    row = session.connection().execute(stmt).first()
    if row is None:
        return None
    rid, rname, cname, role, strength, title, at = row
    return {"referrer_id": rid, "referrer": rname, "contact": cname, "role": role, "strength": strength,
            "title": title, "date": at.date().isoformat()}


def account_detail(session: Session, client: Client) -> dict[str, Any]:
    """For `tg clients show`: competitors, needs and the reciprocal balance with its entries."""
    b = balance(session, client.id)
    return {
        "competitors": [competitor_json(c) for c in competitors_of(session, client.id)],
        "needs": [need_json(n) for n in needs_of(session, client.id)],
        "reciprocal": dict(b.as_json(), deals=[
            {"id": r[0], "date": r[1].isoformat(), "we_buy": r[4], "amount": r[5], "created_by": r[6]}
            for r in reciprocal_rows(session, client.id)]),
    }


# --- mending: edit and remove a contact, a rival or a need ------------------------------------------------


def remove_contact(session: Session, contact: Contact) -> None:
    """Remove a contact; a referral that named them as its source keeps the referral and loses the
    name (cleared here rather than by the database, so the trail holds it and an undo restores it)."""
    from ..models import Referral

    for r in session.exec(select(Referral).where(Referral.contact_id == contact.id)).all():
        r.contact_id = None
        session.add(r)
    session.flush()
    session.delete(contact)
    session.flush()


def _by_id(session: Session, model: Any, query: str, missing: str) -> Any:
    rid = parse_id(query.strip())
    row = session.get(model, rid) if rid is not None else None
    if row is None:
        raise NotFound(i18n.t(missing, query=query))
    return row


def get_competitor(session: Session, query: str) -> Competitor:
    return _by_id(session, Competitor, query, "daily.competitor.unknown")


def get_need(session: Session, query: str) -> Need:
    return _by_id(session, Need, query, "daily.need.unknown")




def edit_competitor(session: Session, row: Competitor, **fields: Any) -> dict[str, list[Any]]:
    changes = {k: v for k, v in fields.items() if v is not None}
    if "name" in changes:
        changes["name"] = clean_text(changes["name"], i18n.t("field.name"), required=True)
        key = fold(changes["name"])
        for other in competitors_of(session, row.client_id):
            if other.id != row.id and fold(other.name) == key:
                raise UsageError(i18n.t("daily.competitor.exists", id=other.id, name=other.name))
    for key in ("offer", "strength", "weakness"):
        if key in changes:
            changes[key] = clean_text(changes[key], f"--{key}")
    return apply_changes(session, row, changes)


def edit_need(session: Session, row: Need, *, text: str | None = None, kind: str | None = None) -> dict[str, list[Any]]:
    changes: dict[str, Any] = {}
    if text is not None:
        changes["text"] = clean_text(text, i18n.t("acct.field.need"), required=True)
    if kind is not None:
        changes["kind"] = kind
    new_text, new_kind = changes.get("text", row.text), changes.get("kind", row.kind)
    for other in needs_of(session, row.client_id):
        if other.id != row.id and other.kind == new_kind and fold(other.text) == fold(new_text):
            raise UsageError(i18n.t("daily.need.exists", id=other.id, text=other.text))
    return apply_changes(session, row, changes)


def remove_row(session: Session, row: Any) -> None:
    session.delete(row)
    session.flush()
