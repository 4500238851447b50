"""Reading and writing quotations and the buyers' invoice details. Keyword-only functions over an
open session; the caller owns the transaction (Store.write), so a quote, its lines, its number
and its document land together or not at all."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from .. import i18n
from ..errors import NotFound, TgError
from ..models import Client, utcnow
from ..models_quotes import BillingInfo, Quote, QuoteCounter
from ..models_quotes import QuoteLine as LineRow
from ..quotes import Buyer, Party, QuoteDocument, QuoteLine, number_text, parse_ref, plain_decimal, quote_number

KINDS = ("special", "normal")
# A quote that can still change hands: accepted, rejected or revised ones cannot.
LIVE = ("awaiting_approval", "open")


def to_fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def from_fen(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def to_bp(pct: Decimal) -> int:
    return int((pct * 100).to_integral_value())


def from_bp(bp: int) -> Decimal:
    return plain_decimal(Decimal(bp).scaleb(-2))


# --- the buyer's invoice details ----------------------------------------------------------------


def billing(session: Session, client_id: int) -> BillingInfo | None:
    return session.execute(select(BillingInfo).where(BillingInfo.client_id == client_id)).scalars().first()


def set_billing(session: Session, *, client: Client, user: str, **fields: Any) -> BillingInfo:
    """Create or change a client's invoice details; only the fields given (not None) change."""
    row = billing(session, client.id)
    if row is None:
        if not fields.get("title"):
            raise TgError(i18n.t("invoice.needs_title", client=client.name))
        row = BillingInfo(client_id=client.id, title=fields["title"], updated_by=user)
    for key, value in fields.items():
        if value is not None:
            setattr(row, key, value)
    row.updated_at, row.updated_by = utcnow(), user
    session.add(row)
    session.flush()
    return row


def buyer_of(session: Session, client: Client) -> Buyer:
    """The buyer as a quote names it; a client with no invoice title (抬头) cannot be quoted."""
    row = billing(session, client.id)
    if row is None or not row.title.strip():
        raise TgError(i18n.t("quote.no_title", client=client.name, id=client.id))
    return Buyer(title=row.title, credit_code=row.credit_code, address=row.address, phone=row.phone, bank=row.bank,
                 account=row.account)


# --- numbers ---------------------------------------------------------------------------------------


def next_number(session: Session, prefix: str, year: int) -> str:
    """The next quote number of the year. The counter row is updated in this transaction, so two
    reps quoting at once get two numbers (the second waits for the first's commit)."""
    table = QuoteCounter.__table__
    for _attempt in range(3):
        done = session.execute(update(table).where(table.c.prefix == prefix, table.c.year == year)
                               .values(last=table.c.last + 1).returning(table.c.last)).scalar()
        if done is not None:
            return quote_number(prefix, year, done)
        try:
            with session.begin_nested():  # the first quote of the year: another rep may insert it too
                session.execute(table.insert().values(prefix=prefix, year=year, last=1))
            return quote_number(prefix, year, 1)
        except IntegrityError:
            continue
    raise TgError(i18n.t("quote.number_busy"))  # pragma: no cover - three collisions in a row


# --- quotes ----------------------------------------------------------------------------------------


def save_quote(session: Session, *, client: Client, doc: QuoteDocument, request: dict[str, Any], user: str) -> Quote:
    row = Quote(number=doc.number, version=doc.version, client_id=client.id, status=doc.status, lang=doc.lang,
                currency=doc.currency, issued_on=doc.issued_on, valid_until=doc.valid_until,
                extra_discount_bp=to_bp(doc.extra_discount_pct), subtotal_fen=to_fen(doc.subtotal),
                vat_fen=to_fen(doc.vat), total_fen=to_fen(doc.total), company=asdict(doc.company),
                buyer=asdict(doc.buyer), delivery_terms=doc.delivery_terms, payment_terms=doc.payment_terms,
                request=request, created_by=user)
    session.add(row)
    session.flush()
    for position, x in enumerate(doc.lines, 1):
        session.add(LineRow(quote_id=row.id, position=position, code=x.code, name=x.name, spec=x.spec, unit=x.unit,
                            quantity=x.quantity, unit_price_fen=to_fen(x.unit_price),
                            tier_discount_bp=to_bp(x.tier_discount_pct),
                            extra_discount_bp=to_bp(x.extra_discount_pct), vat_rate_bp=to_bp(x.vat_rate),
                            includes_vat=x.includes_vat, total_fen=to_fen(x.total), tax_fen=to_fen(x.tax)))
    session.flush()
    return row


def get_quote(session: Session, ref: str) -> Quote:
    """A quote by number (its latest version) or number and version (Q-2026-0012v1)."""
    number, version = parse_ref(ref)
    stmt = select(Quote).where(Quote.number == number)
    stmt = stmt.where(Quote.version == version) if version is not None else stmt.order_by(Quote.version.desc())
    row = session.execute(stmt.limit(1)).scalars().first()
    if row is None:
        raise NotFound(i18n.t("quote.not_found", ref=ref))
    return row


def versions(session: Session, number: str) -> list[Quote]:
    return list(session.execute(select(Quote).where(Quote.number == number).order_by(Quote.version)).scalars())


def document(session: Session, row: Quote, *, prepared_by: str | None = None) -> QuoteDocument:
    """The stored quote as the document it was: its own header, buyer, lines and language."""
    lines = session.execute(select(LineRow).where(LineRow.quote_id == row.id).order_by(LineRow.position)).scalars()
    extra = from_bp(row.extra_discount_bp)
    doc_lines = tuple(QuoteLine(code=x.code, name=x.name, spec=x.spec, unit=x.unit, quantity=x.quantity,
                                unit_price=from_fen(x.unit_price_fen), tier_discount_pct=from_bp(x.tier_discount_bp),
                                vat_rate=from_bp(x.vat_rate_bp), includes_vat=x.includes_vat,
                                extra_discount_pct=from_bp(x.extra_discount_bp)) for x in lines)
    doc = QuoteDocument(number=row.number, version=row.version, issued_on=row.issued_on, valid_until=row.valid_until,
                        currency=row.currency, lang=row.lang, company=Party(**row.company), buyer=Buyer(**row.buyer),
                        lines=doc_lines, delivery_terms=row.delivery_terms, payment_terms=row.payment_terms,
                        extra_discount_pct=extra, status=row.status, prepared_by=prepared_by or row.created_by)
    # The stored totals are what was quoted; recomputing them must agree (a damaged row says so).
    if to_fen(doc.total) != row.total_fen:
        raise TgError(i18n.t("quote.totals_differ", ref=f"{row.number} v{row.version}"))
    return doc


def status_of(row: Quote, today: date) -> str:
    """The status shown: an open quote past its validity is expired."""
    if row.status in LIVE and today > row.valid_until:
        return "expired"
    return row.status


def check_live(row: Quote, today: date, *, action: str) -> None:
    shown = status_of(row, today)
    if shown == "expired":
        raise TgError(i18n.t("quote.expired", ref=f"{row.number} v{row.version}", until=row.valid_until.isoformat(),
                             action=action))
    if row.status not in LIVE:
        raise TgError(i18n.t("quote.closed", ref=f"{row.number} v{row.version}",
                             status=i18n.t(f"quote.status.{row.status}"), action=action))


def is_latest(session: Session, row: Quote) -> bool:
    return versions(session, row.number)[-1].id == row.id


def may_approve(session: Session) -> bool:
    """On PostgreSQL only a member of the managers' group approves (the group that `tg db
    setup-rls` named, else tg_manager; a superuser is a member of every role). A SQLite file has
    one user, who is their own manager."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    from ..rls import MANAGER_GROUP, POLICIES, POLICY_ROLES_SQL, groups_from_policies

    rows = [tuple(r) for r in session.execute(text(POLICY_ROLES_SQL), {"names": list(POLICIES)})]
    groups = groups_from_policies(rows) if rows else None
    group = groups[1] if groups else MANAGER_GROUP
    return bool(session.execute(text(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :g) "
        "THEN pg_catalog.pg_has_role(current_user, :g, 'MEMBER') "
        "ELSE (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) END"), {"g": group}).scalar())


def list_quotes(session: Session, *, client_id: int | None = None, today: date) -> list[dict[str, Any]]:
    c = Client.__table__.c
    q = Quote.__table__.c
    stmt = select(q.id, q.number, q.version, q.client_id, c.name, q.status, q.issued_on, q.valid_until, q.total_fen,
                  q.extra_discount_bp, q.created_by, q.approved_by).join_from(Quote.__table__, Client.__table__,
                                                                              q.client_id == c.id)
    if client_id is not None:
        stmt = stmt.where(q.client_id == client_id)
    out = []
    for r in session.connection().execute(stmt.order_by(q.number, q.version)):
        status = r.status if r.status not in LIVE or today <= r.valid_until else "expired"
        out.append({"number": r.number, "version": r.version, "client_id": r.client_id, "client": r.name,
                    "status": status, "issued_on": r.issued_on.isoformat(), "valid_until": r.valid_until.isoformat(),
                    "total": str(from_fen(r.total_fen)), "extra_discount_pct": str(from_bp(r.extra_discount_bp)),
                    "created_by": r.created_by, "approved_by": r.approved_by})
    return out


# --- the commands' work ----------------------------------------------------------------------------


def _facts(client: Client):
    from ..quotes import ClientFacts

    return ClientFacts(headcount=client.headcount, segment=client.segment, budget_per_head=client.budget_per_head,
                       budget_total=client.budget_total, occasion=client.occasion, name=client.name,
                       industry=client.industry)


def make_quote(session: Session, pb, *, client: Client, wanted, extra_pct: Decimal, valid_days: int | None,
               lang: str, user: str, today: date, revising: Quote | None = None) -> tuple[Quote, QuoteDocument]:
    """Price, number and save a quote (or the next version of ``revising``)."""
    from ..quotes import approval_for, price_lines, validity

    if pb.company is None:
        raise TgError(i18n.t("quote.no_company"))
    terms = pb.company.quotes
    buyer = buyer_of(session, client)
    from .catalog import catalogue_in

    call = None
    if not wanted.items and wanted.bundle is None and client.segment:
        from ..documents import last_answers, stored_call

        call = stored_call(pb, client.segment, last_answers(session, client.id))  # as tg pitch reads it
    lines = price_lines(pb, wanted, _facts(client), lang=lang, catalogue=catalogue_in(session, pb),
                        extra_discount_pct=extra_pct, call=call)
    rewards, reward_lines = referral_lines(session, client, lines, lang=lang, vat_rate=terms.vat_rate)
    lines += reward_lines
    approval = approval_for(pb, extra_pct)
    if revising is None:
        number, version = next_number(session, terms.number_prefix, today.year), 1
    else:
        number, version = revising.number, versions(session, revising.number)[-1].version + 1
    doc = QuoteDocument(number=number, version=version, issued_on=today,
                        valid_until=validity(today, valid_days or terms.valid_days), currency=pb.currency, lang=lang,
                        company=Party.from_playbook(pb.company, lang), buyer=buyer, lines=tuple(lines),
                        delivery_terms=terms.delivery_terms.get(lang), payment_terms=terms.payment_terms.get(lang),
                        extra_discount_pct=extra_pct,
                        status="awaiting_approval" if approval.needed else "open", prepared_by=user)
    doc.total_capitals  # an amount capitals cannot write is refused before anything is saved
    request = {"bundle": wanted.bundle, "items": [list(i) for i in wanted.items], "extra_discount_pct": str(extra_pct),
               "valid_days": valid_days or terms.valid_days, "rewards": [r.id for r in rewards]}
    if revising is not None:
        for old in versions(session, number):
            if old.status in LIVE:
                old.status = "superseded"
                session.add(old)
    row = save_quote(session, client=client, doc=doc, request=request, user=user)
    return row, doc


REWARD_CODE = "REWARD-"


def referral_lines(session: Session, client: Client, lines: list[QuoteLine], *, lang: str,
                   vat_rate: Decimal) -> tuple[list, list[QuoteLine]]:
    """The discounts this client earned by introducing others (due rewards of kind discount), each
    as its own negative line, never more than what is left of the quote; granted when it is
    accepted. The rewards ledger keeps them due until then."""
    from ..errors import one_line
    from ..models import Reward
    from ..quotes import fen

    due = list(session.execute(select(Reward).where(Reward.referrer_id == client.id, Reward.status == "due",
                                                    Reward.kind == "discount").order_by(Reward.id)).scalars())
    left = sum((x.gross for x in lines), Decimal(0))
    used, out = [], []
    zh = lang == "zh"
    for reward in due:
        amount = min(fen(Decimal(str(reward.amount))), left)
        if amount <= 0:
            break
        left -= amount
        used.append(reward)
        out.append(QuoteLine(code=f"{REWARD_CODE}{reward.id}", name=i18n.CATALOGUE["quote.referral_line"][0 if zh else 1],
                             spec=one_line(reward.description), unit=i18n.CATALOGUE["quote.unit_item"][0 if zh else 1],
                             quantity=1, unit_price=-amount, vat_rate=vat_rate, includes_vat=True))
    return used, out


def approve_quote(session: Session, row: Quote, *, user: str, today: date) -> None:
    if not may_approve(session):
        raise TgError(i18n.t("quote.not_manager", user=user))
    check_live(row, today, action=i18n.t("quote.action.approve"))
    if row.status != "awaiting_approval":
        raise TgError(i18n.t("quote.no_approval_needed", ref=f"{row.number} v{row.version}"))
    row.status, row.approved_by, row.approved_at = "open", user, utcnow()
    session.add(row)
    session.flush()


def accept_quote(session: Session, pb, row: Quote, *, user: str, today: date) -> dict[str, Any]:
    """The buyer said yes: the quote is accepted and becomes the client's won deal (which books any
    referral reward it converts, as `tg deals won` does)."""
    from . import pipeline as ps

    check_live(row, today, action=i18n.t("quote.action.accept"))
    if row.status == "awaiting_approval":
        raise TgError(i18n.t("quote.needs_approval", ref=f"{row.number} v{row.version}",
                             pct=number_text(from_bp(row.extra_discount_bp))))
    from ..models import Reward
    from .referrals import grant

    for reward_id in row.request.get("rewards", []):
        reward = session.get(Reward, reward_id)
        if reward is None or reward.status != "due":
            raise TgError(i18n.t("quote.reward_gone", ref=f"{row.number} v{row.version}", id=reward_id))
        grant(session, reward, user=user)
    lines = [x for x in session.execute(select(LineRow).where(LineRow.quote_id == row.id)).scalars()
             if not x.code.startswith(REWARD_CODE)]
    client = session.get(Client, row.client_id)
    bundle = lines[0].code if len(lines) == 1 and pb.bundle(lines[0].code) is not None else None
    deal = ps.add_deal(session, client=client, bundle_code=bundle, quantity=sum(x.quantity for x in lines),
                       amount=float(from_fen(row.total_fen)), user=user)
    result = ps.win_deal(session, deal, pb, user=user)
    row.status, row.decided_by, row.decided_at, row.deal_id = "accepted", user, utcnow(), deal.id
    session.add(row)
    session.flush()
    return {"deal": deal, **result}


def reject_quote(session: Session, row: Quote, *, reason: str, user: str) -> None:
    if row.status not in LIVE:
        raise TgError(i18n.t("quote.closed", ref=f"{row.number} v{row.version}",
                             status=i18n.t(f"quote.status.{row.status}"), action=i18n.t("quote.action.reject")))
    row.status, row.decided_by, row.decided_at, row.reason = "rejected", user, utcnow(), reason
    session.add(row)
    session.flush()
