"""The quotation commands' work: each function opens one transaction on the store, does one task
and returns what the command prints. ``app_ctx`` is cli.context.AppContext (store, playbook,
user). The documents are rendered inside the write transaction (a rendering that fails saves
nothing) and put in place by the caller after the commit (``Pending``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from . import i18n
from .clock import today
from .errors import NotFound, TgError
from .quotes import number_text


def template_of(app_ctx, pb) -> Path | None:
    name = pb.company.quotes.docx_template if pb.company else None
    if not name:
        return None
    from .playbook import resolve_playbook_path

    path = Path(name).expanduser()
    return path if path.is_absolute() else resolve_playbook_path(app_ctx.playbook_path).parent / path


def render_pending(app_ctx, pb, doc, output: Path, font: str | None, notice: Callable[[str], None]):
    """The document's bytes, written beside ``output`` (put in place after the commit)."""
    from .quote_documents import Pending, fmt_of, render

    fmt = fmt_of(output)
    data = render(doc, fmt, font=font, template=template_of(app_ctx, pb) if fmt == "docx" else None, notice=notice)
    return Pending(output, data)


@dataclass
class Made:
    doc: Any
    status: str
    pending: Any = None


def make(app_ctx, *, client: str | None, ref: str | None, wanted_of: Callable, bundle, items, extra: Decimal,
         discount_given: bool, valid_days: int | None, output: Path | None, font: str | None,
         notice: Callable[[str], None]) -> Made:
    """Make a quote (``client``) or the next version of one (``ref``); render its document."""
    from .models import Client
    from .store import clients as st
    from .store import quotes as qs

    pb = app_ctx.playbook()
    if pb.company is None:
        raise TgError(i18n.t("quote.no_company"))
    user, now, lang = app_ctx.user(), today(), i18n.get_lang()
    pending = None
    with app_ctx.store().write() as session:
        revising = None
        if ref is not None:
            revising = qs.get_quote(session, ref)
            latest = qs.versions(session, revising.number)[-1]
            if latest.status == "accepted":
                raise TgError(i18n.t("quote.closed", ref=f"{latest.number} v{latest.version}",
                                     status=i18n.t("quote.status.accepted"), action=i18n.t("quote.action.revise")))
            c = session.get(Client, revising.client_id)
            wanted = wanted_of(bundle, items) if (bundle or items) else wanted_of(
                revising.request.get("bundle"), [f"{k}={v}" for k, v in revising.request.get("items", [])])
            if not discount_given:
                extra = Decimal(revising.request.get("extra_discount_pct", "0"))
            valid_days = valid_days or revising.request.get("valid_days")
            lang = revising.lang
        else:
            c = st.get_client(session, client)
            wanted = wanted_of(bundle, items)
        row, doc = qs.make_quote(session, pb, client=c, wanted=wanted, extra_pct=extra, valid_days=valid_days,
                                 lang=lang, user=user, today=now, revising=revising)
        if row.status == "awaiting_approval" and output is not None:
            raise TgError(i18n.t("quote.approval_first", pct=number_text(extra),
                                 limit=number_text(Decimal(str(pb.company.quotes.approval_above_pct)))))
        if output is not None:
            pending = render_pending(app_ctx, pb, doc, output, font, notice)  # rendering fails: nothing is saved
        return Made(doc, row.status, pending)


def show(app_ctx, ref: str) -> Made:
    from .store import quotes as qs

    with app_ctx.store().read() as session:
        row = qs.get_quote(session, ref)
        return Made(qs.document(session, row), qs.status_of(row, today()))


def list_quotes(app_ctx, client: str | None) -> list[dict[str, Any]]:
    from .store import clients as st
    from .store import quotes as qs

    with app_ctx.store().read() as session:
        cid = st.get_client(session, client).id if client else None
        return qs.list_quotes(session, client_id=cid, today=today())


def approve(app_ctx, ref: str) -> tuple[str, str, str]:
    from .store import quotes as qs

    user = app_ctx.user()
    with app_ctx.store().write() as session:
        row = qs.get_quote(session, ref)
        qs.approve_quote(session, row, user=user, today=today())
        return f"{row.number} v{row.version}", number_text(qs.from_bp(row.extra_discount_bp)), user


def reject(app_ctx, ref: str, reason: str) -> str:
    from .store import quotes as qs

    with app_ctx.store().write() as session:
        row = qs.get_quote(session, ref)
        qs.reject_quote(session, row, reason=reason, user=app_ctx.user())
        return f"{row.number} v{row.version}"


# --- the buyer's invoice details --------------------------------------------------------------

BILLING_FIELDS = ("title", "credit_code", "address", "phone", "bank", "account", "kind")


def billing_info(app_ctx, client: str, values: dict[str, Any]) -> tuple[bool, int, str, dict[str, Any]]:
    """Show a client's 开票信息, or change the fields given (not None). (changed, id, name, fields)"""
    from .store import clients as st
    from .store import quotes as qs

    changing = any(v is not None for v in values.values())
    with (app_ctx.store().write() if changing else app_ctx.store().read()) as session:
        c = st.get_client(session, client)
        row = qs.set_billing(session, client=c, user=app_ctx.user(), **values) if changing else qs.billing(session, c.id)
        if row is None:
            raise NotFound(i18n.t("invoice.none", client=c.name, id=c.id))
        return changing, c.id, c.name, {k: getattr(row, k) for k in BILLING_FIELDS}
