"""Build the shipped Word template (tuangou_cli/data/quote_template.docx) with python-docx.

Run ``python -m tuangou_cli.quote_documents.make_template`` after changing it here. A company edits
the resulting .docx in Word or WPS (its tags are listed in documents/word.py) and names its copy
in the playbook's ``company.quotes.docx_template``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .word import DEFAULT_TEMPLATE, ROW_KEYS


def build(target: Path) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = Document()
    section = d.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.6))
    normal = d.styles["Normal"]
    normal.font.size = Pt(9.5)
    normal.font.name = "Microsoft YaHei"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Microsoft YaHei")  # Word's font for Chinese text

    def para(text: str, *, size: float | None = None, bold: bool = False, center: bool = False):
        p = d.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(2)
        return p

    para("{{ company }}", size=15, bold=True, center=True)
    para("{% for line in company_lines %}{{ line }}{% if not loop.last %}    {% endif %}{% endfor %}",
         size=8, center=True)
    para("{{ title }}", size=18, bold=True, center=True)
    para("{% for m in meta %}{{ m.label }}: {{ m.value }}{% if not loop.last %}    {% endif %}{% endfor %}",
         size=9)
    para("{% for b in buyer %}{{ b.label }}: {{ b.value }}{% if not loop.last %}；{% endif %}{% endfor %}", size=9)

    table = d.add_table(rows=4, cols=len(ROW_KEYS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, cell in enumerate(table.rows[0].cells):
        cell.text = "{{ columns[%d] }}" % i
        cell.paragraphs[0].runs[0].bold = True
    table.rows[1].cells[0].text = "{%tr for r in rows %}"
    for i, key in enumerate(ROW_KEYS):
        table.rows[2].cells[i].text = "{{ r.%s }}" % key
        if key in ("qty", "price", "discount", "amount"):
            table.rows[2].cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.rows[3].cells[0].text = "{%tr endfor %}"
    widths = [0.9, 2.0, 3.0, 4.4, 0.9, 1.2, 1.9, 1.5, 2.0]
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)

    totals = d.add_table(rows=3, cols=2)
    totals.style = "Table Grid"
    totals.alignment = WD_TABLE_ALIGNMENT.RIGHT
    totals.rows[0].cells[0].text = "{%tr for t in totals %}"
    totals.rows[1].cells[0].text = "{{ t.label }}"
    totals.rows[1].cells[1].text = "{{ t.value }}"
    totals.rows[1].cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    totals.rows[2].cells[0].text = "{%tr endfor %}"
    para("{{ capitals_label }}: {{ capitals }}", size=10.5, bold=True)
    para("{% for t in terms %}{{ t.label }}: {{ t.value }}{% if not loop.last %}\n{% endif %}{% endfor %}")
    para("{% for b in bank %}{{ b.label }}: {{ b.value }}{% if not loop.last %}    {% endif %}{% endfor %}")
    para("")
    para("{{ signature[0] }}                                        {{ signature[1] }}")
    d.core_properties.title = "tg quotation template"
    d.core_properties.author = "tg"
    d.save(str(target))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TEMPLATE)
