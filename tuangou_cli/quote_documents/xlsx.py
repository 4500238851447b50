"""A quotation as an .xlsx workbook (openpyxl): one sheet, A4 landscape, ready to print or file.

Amounts are numbers with a money format (the buyer's finance office sums them); every text from
data is written as a string cell, never a formula, whatever it starts with.
"""

from __future__ import annotations

import io

from ..quotes import QuoteDocument, fen
from .layout import layout


def render_xlsx(doc: QuoteDocument) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    lay = layout(doc)
    wb = Workbook()
    ws = wb.active
    ws.title = doc.number[:31]
    ncols = len(lay.columns)
    last = get_column_letter(ncols)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    money_format = "#,##0.00"

    def put(row: int, col: int, value, *, bold: bool = False, size: float | None = None, align: str | None = None,
            wrap: bool = False, border: bool = False, number: str | None = None):
        cell = ws.cell(row=row, column=col)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # "=1+2" from a client's name stays text
        if bold or size:
            cell.font = Font(bold=bold, size=size or 11)
        if align or wrap:
            cell.alignment = Alignment(horizontal=align, vertical="center" if not wrap else "top", wrap_text=wrap)
        if border:
            cell.border = box
        if number:
            cell.number_format = number
        return cell

    def merged(row: int, value, **style):
        ws.merge_cells(f"A{row}:{last}{row}")
        return put(row, 1, value, **style)

    r = 1
    merged(r, lay.company, bold=True, size=16, align="center")
    for line in lay.company_lines:
        r += 1
        merged(r, line, align="center")
    r += 2
    merged(r, lay.title, bold=True, size=18, align="center")
    r += 2
    for (key, value), (bkey, bvalue) in zip(lay.meta + [("", "")] * len(lay.buyer),
                                            lay.buyer + [("", "")] * len(lay.meta)):
        if not (key or bkey):
            break
        if bkey:
            put(r, 1, bkey, bold=True)
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=5)
            put(r, 2, bvalue)
        if key:
            put(r, ncols - 2, key, bold=True)
            ws.merge_cells(start_row=r, start_column=ncols - 1, end_row=r, end_column=ncols)
            put(r, ncols - 1, value)
        r += 1
    r += 1
    for col, name in enumerate(lay.columns, 1):
        put(r, col, name, bold=True, align="center", border=True)
    header_row = r
    for x, shown in zip(doc.lines, lay.rows):
        r += 1
        values = [int(shown[0]), *shown[1:5], x.quantity, float(x.unit_price), shown[7],
                  float(x.total)]
        for col, value in enumerate(values, 1):
            number = money_format if col in (7, 9) else ("#,##0" if col == 6 else None)
            put(r, col, value, border=True, number=number, wrap=col == 4,
                align="right" if lay.numeric[col - 1] else None)
    amounts = [doc.subtotal, *(tax for _rate, tax in doc.vat_by_rate), doc.total]
    for (key, _shown), amount in zip(lay.totals, amounts):
        r += 1
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols - 1)
        put(r, 1, key, bold=True, align="right", border=True)
        put(r, ncols, float(fen(amount)), bold=key == lay.totals[-1][0], border=True, number=money_format)
    r += 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    put(r, 1, lay.capitals[0], bold=True, border=True)
    ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=ncols)
    put(r, 3, lay.capitals[1], bold=True, border=True)
    r += 1
    for key, text in lay.terms + lay.bank:
        r += 1
        put(r, 1, key, bold=True)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=ncols)
        put(r, 2, text, wrap=True)
    r += 2
    for i, text in enumerate(lay.signature):
        put(r, 1 if i == 0 else ncols - 2, text)

    total_width = sum(lay.widths)
    for col, width in enumerate(lay.widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = round(130 * width / total_width, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.title = f"{lay.title} {doc.label}"
    wb.properties.creator = "tg"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
