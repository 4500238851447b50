"""What a quotation shows, in order, as label/value texts: every renderer lays out the same."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..errors import one_line
from ..quotes import QuoteDocument, fen, percent_text
from .common import label


@dataclass(frozen=True)
class Layout:
    title: str
    company: str
    company_lines: list[str]
    meta: list[tuple[str, str]]
    buyer: list[tuple[str, str]]
    columns: list[str]
    widths: list[float]  # relative column widths
    numeric: list[bool]  # right-aligned columns
    rows: list[list[str]]
    totals: list[tuple[str, str]]
    capitals: tuple[str, str]
    terms: list[tuple[str, str]]
    bank: list[tuple[str, str]]
    signature: list[str]


def money(doc: QuoteDocument, amount: Decimal) -> str:
    return f"{fen(amount):,.2f}"


def layout(doc: QuoteDocument) -> Layout:
    L = lambda key: label(doc, key)  # noqa: E731
    c, b = doc.company, doc.buyer
    company_lines = [c.address, f"{L('quote.doc.phone')}: {c.phone}    {L('quote.doc.contact')}: {c.contact}"
                     + (f"    {L('quote.doc.email')}: {c.email}" if c.email else "")]
    meta = [(L("quote.doc.number"), doc.label), (L("quote.doc.date"), doc.issued_on.isoformat()),
            (L("quote.doc.valid_until"), doc.valid_until.isoformat())]
    buyer = [(L("quote.doc.to"), b.title)]
    for key, value in (("quote.doc.credit_code", b.credit_code), ("quote.doc.address", b.address),
                       ("quote.doc.phone", b.phone), ("quote.doc.contact", b.contact)):
        if value:
            buyer.append((L(key), value))
    incl = doc.prices_include_vat
    price_col = L("quote.doc.col.price_incl" if incl else "quote.doc.col.price_excl" if incl is False
                  else "quote.doc.col.price")
    columns = [L("quote.doc.col.no"), L("quote.doc.col.code"), L("quote.doc.col.name"), L("quote.doc.col.spec"),
               L("quote.doc.col.unit"), L("quote.doc.col.qty"), price_col, L("quote.doc.col.discount"),
               L("quote.doc.col.amount")]
    rows = []
    for i, x in enumerate(doc.lines, 1):
        mark = "" if incl is not None else (" *" if x.includes_vat else "")
        rows.append([str(i), x.code, x.name, x.spec, x.unit, f"{x.quantity:,}", money(doc, x.unit_price) + mark,
                     x.discount_text, money(doc, x.total)])
    totals = [(L("quote.doc.subtotal"), money(doc, doc.subtotal))]
    for rate, tax in doc.vat_by_rate:
        totals.append((L("quote.doc.vat").format(rate=percent_text(rate)), money(doc, tax)))
    totals.append((L("quote.doc.total"), f"{doc.currency}{money(doc, doc.total)}"))
    terms = [(L("quote.doc.delivery"), doc.delivery_terms), (L("quote.doc.payment"), doc.payment_terms),
             (L("quote.doc.validity"), L("quote.doc.validity_text").format(until=doc.valid_until.isoformat()))]
    if incl is None:
        terms.append((L("quote.doc.note"), L("quote.doc.mixed_vat")))
    bank = [(L("quote.doc.bank"), c.bank), (L("quote.doc.account"), c.account), (L("quote.doc.tax_id"), c.tax_id)]
    signature = [f"{L('quote.doc.prepared_by')}: {doc.prepared_by or c.contact}", L("quote.doc.stamp")]
    # Names, titles and terms are data: control characters and bidi marks in them are written as
    # escapes (an xlsx cell or a Word paragraph cannot even hold most of them).
    pairs = lambda items: [(one_line(k), one_line(v)) for k, v in items]  # noqa: E731
    return Layout(title=L("quote.doc.title"), company=one_line(c.name), company_lines=[one_line(x) for x in company_lines],
                  meta=pairs(meta), buyer=pairs(buyer), columns=columns, widths=[5, 15, 18, 27, 5, 7, 12, 9, 13],
                  numeric=[False, False, False, False, False, True, True, True, True],
                  rows=[[one_line(v) for v in row] for row in rows], totals=totals,
                  capitals=(L("quote.doc.capitals"), doc.total_capitals), terms=pairs(terms), bank=pairs(bank),
                  signature=[one_line(x) for x in signature])
