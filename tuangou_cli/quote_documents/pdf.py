"""A quotation as a PDF (fpdf2), A4, with a Chinese font found on the machine (fonts.py).

The font is embedded as a subset of the characters the quotation uses, so the file stays small
(tens of KB) whatever the font's size.
"""

from __future__ import annotations

from ..quotes import QuoteDocument
from .common import need
from .fonts import embeddable, find_font
from .layout import layout


def render_pdf(doc: QuoteDocument, *, font: str | None = None, notice=None) -> bytes:
    from .. import i18n
    from ..errors import TgError

    fpdf = need("fpdf", "fpdf2")
    found = find_font(font)
    lay = layout(doc)
    text = "".join([lay.title, lay.company, *lay.company_lines, *(k + v for k, v in lay.meta + lay.buyer),
                    *lay.columns, *(c for row in lay.rows for c in row), *(k + v for k, v in lay.totals),
                    *lay.capitals, *(k + v for k, v in lay.terms + lay.bank), *lay.signature, doc.label, "/0123456789"])
    choice = embeddable(found, text, notice=notice)
    pdf = fpdf.FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_title(f"{lay.title} {doc.label}")
    pdf.set_creator("tg")
    try:
        pdf.add_font("cjk", "", str(choice.path), collection_font_number=choice.index)
    except Exception as exc:  # not a font fpdf2 can embed (a bitmap font, a damaged file)
        raise TgError(i18n.t("quote.font_unusable", path=choice.path, reason=str(exc).splitlines()[0][:120])) from None
    footer = f"{lay.company}  ·  {doc.label}"

    def page_footer() -> None:
        pdf.set_y(-10)
        pdf.set_font("cjk", size=7)
        pdf.set_text_color(120)
        pdf.cell(0, 4, f"{footer}  ·  {pdf.page_no()}/{{nb}}", align="C")
        pdf.set_text_color(0)

    pdf.footer = page_footer
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.epw

    pdf.set_font("cjk", size=15)
    pdf.cell(width, 8, lay.company, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=8)
    for line in lay.company_lines:
        pdf.cell(width, 4.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_draw_color(60)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.ln(4)
    pdf.set_font("cjk", size=18)
    pdf.cell(width, 10, lay.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    # The buyer on the left, the quote's number and dates on the right.
    pdf.set_font("cjk", size=9)
    top = pdf.get_y()
    left_w, right_w = width * 0.62, width * 0.38
    for key, value in lay.buyer:
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(left_w, 5, f"{key}: {value}", new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y()
    pdf.set_y(top)
    for key, value in lay.meta:
        pdf.set_x(pdf.l_margin + left_w)
        pdf.cell(right_w, 5, f"{key}: {value}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(bottom, pdf.get_y()) + 3)

    pdf.set_font("cjk", size=8)
    total_w = sum(lay.widths)
    widths = tuple(w * width / total_w for w in lay.widths)
    aligns = tuple("RIGHT" if n else "LEFT" for n in lay.numeric)
    with pdf.table(col_widths=widths, text_align=aligns, line_height=4.6, first_row_as_headings=True,
                   headings_style=fpdf.FontFace(fill_color=(232, 236, 241)), repeat_headings=1,
                   padding=1) as table:
        table.row(lay.columns)
        for row in lay.rows:
            table.row(row)

    pdf.ln(1)
    label_w, value_w = width * 0.78, width * 0.22
    pdf.set_font("cjk", size=9)
    for key, value in lay.totals:
        pdf.cell(label_w, 6, key, border=1, align="R")
        pdf.cell(value_w, 6, value, border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width * 0.2, 7, lay.capitals[0], border=1)
    pdf.set_font("cjk", size=10)
    pdf.cell(width * 0.8, 7, lay.capitals[1], border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font("cjk", size=8.5)
    key_w = width * 0.16
    for key, text in lay.terms + lay.bank:
        y = pdf.get_y()
        pdf.multi_cell(key_w, 5, key, new_x="RIGHT", new_y="TOP")
        pdf.multi_cell(width - key_w, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), y + 5))
    pdf.ln(8)
    pdf.set_font("cjk", size=9)
    pdf.cell(width / 2, 6, lay.signature[0])
    pdf.cell(width / 2, 6, lay.signature[1], align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
