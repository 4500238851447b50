"""A quotation as a Word document (.docx), from a template the support centre can edit.

The template is an ordinary .docx with docxtpl (Jinja) tags: the shipped one
(``tuangou_cli/data/quote_template.docx``, built by ``quote_documents/make_template.py``) or the
company's own (``company.quotes.docx_template`` in the playbook). It is rendered in Jinja's
sandbox with autoescaping, on plain texts only: a template is data, it cannot reach tg's
objects or break the document's XML.

What a template may use (every value a text, already formatted):

- ``title``, ``company``, ``company_lines`` (list), ``number``, ``version``, ``label``
  (Q-2026-0012 v1), ``date``, ``valid_until``;
- ``meta``, ``buyer``, ``totals``, ``terms``, ``bank``: lists of ``{label, value}``;
- ``columns`` (list), ``rows``: one ``{no, code, name, spec, unit, qty, price, discount,
  amount}`` per line;
- ``subtotal``, ``vat``, ``total`` (figures), ``capitals_label``, ``capitals`` (大写);
- ``delivery_terms``, ``payment_terms``, ``signature`` (list).
"""

from __future__ import annotations

import io
from pathlib import Path

from .. import i18n
from ..errors import TgError
from ..quotes import QuoteDocument
from .common import need
from .layout import layout, money

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "quote_template.docx"
ROW_KEYS = ("no", "code", "name", "spec", "unit", "qty", "price", "discount", "amount")


def context(doc: QuoteDocument) -> dict:
    lay = layout(doc)
    pairs = lambda items: [{"label": k, "value": v} for k, v in items]  # noqa: E731
    return {
        "title": lay.title, "company": lay.company, "company_lines": lay.company_lines,
        "number": doc.number, "version": str(doc.version), "label": doc.label,
        "date": doc.issued_on.isoformat(), "valid_until": doc.valid_until.isoformat(),
        "meta": pairs(lay.meta), "buyer": pairs(lay.buyer), "columns": lay.columns,
        "rows": [dict(zip(ROW_KEYS, row)) for row in lay.rows], "totals": pairs(lay.totals),
        "subtotal": money(doc, doc.subtotal), "vat": money(doc, doc.vat), "total": money(doc, doc.total),
        "capitals_label": lay.capitals[0], "capitals": lay.capitals[1], "terms": pairs(lay.terms),
        "bank": pairs(lay.bank), "delivery_terms": lay.terms[0][1], "payment_terms": lay.terms[1][1],
        "signature": lay.signature,
    }


def render_docx(doc: QuoteDocument, *, template: Path | None = None) -> bytes:
    docxtpl = need("docxtpl", "docxtpl")
    from jinja2 import TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    path = template or DEFAULT_TEMPLATE
    if not path.is_file():
        raise TgError(i18n.t("quote.template_missing", path=path))
    try:
        tpl = docxtpl.DocxTemplate(str(path))
        tpl.render(context(doc), jinja_env=SandboxedEnvironment(autoescape=True))
        out = io.BytesIO()
        tpl.save(out)
    except TemplateError as exc:
        raise TgError(i18n.t("quote.template_error", path=path, reason=str(exc).splitlines()[0][:160])) from None
    except Exception as exc:  # not a .docx (a zip without word/document.xml, a damaged file)
        raise TgError(i18n.t("quote.template_error", path=path,
                             reason=f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}")
                      ) from None
    return out.getvalue()
