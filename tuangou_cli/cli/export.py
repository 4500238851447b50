"""tg export TABLE — streamed rows for spreadsheets and scripts, as CSV, JSON, JSON Lines or xlsx."""

from __future__ import annotations

import codecs
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..errors import UsageError
from .options import text_encoding
from .output import say


from ..export_tables import EXPORTS, Exportable  # noqa: F401  (tests and the Table enum read them)

Table = Enum("Table", {name: name for name in EXPORTS}, type=str)


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    xlsx = "xlsx"
    vcf = "vcf"  # contacts only: address-book cards (cli/calendars.py)


def export(
    ctx: typer.Context,
    what: Table = typer.Argument(..., help=i18n.both("help.export.what"), case_sensitive=False),
    fmt: Optional[ExportFormat] = typer.Option(None, "--format", "-f", help=i18n.both("help.export.format"),
                                               case_sensitive=False, show_default=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=i18n.both("help.export.output"),
                                          metavar="FILE"),
    excel: bool = typer.Option(False, "--excel", help=i18n.both("help.export.excel")),
    encoding: Optional[str] = typer.Option(None, "--encoding", help=i18n.both("help.export.encoding")),
) -> None:
    from .. import exporting
    from ..export import choose_format

    if fmt == ExportFormat.vcf or (output is not None and output.suffix.lower() == ".vcf"):
        from .calendars import contacts_vcf

        if what.value != "contacts" or (fmt is not None and fmt != ExportFormat.vcf) or encoding or excel:
            raise UsageError(i18n.t("cal.vcf_contacts_only"))
        count = contacts_vcf(ctx, output=output)
        if output is not None:
            say(i18n.t("export.written", count=count, path=output))
        return
    chosen = choose_format(fmt.value if fmt else None, output)
    if chosen == "xlsx":
        if encoding or excel:
            raise UsageError(i18n.t("xlsx.no_encoding"))
        count = exporting.export_xlsx(ctx.obj, what.value, output)
        if output is not None:
            say(i18n.t("export.written", count=count, path=output))
        return
    fmt = ExportFormat(chosen)
    enc = encoding or ("utf-8-sig" if excel else "utf-8")
    if text_encoding(enc) is None:  # rot13, base64, idna, a NUL in the name…: no codec for a text file
        raise UsageError(i18n.t("export.bad_encoding", encoding=enc))
    if excel and encoding and codecs.lookup(encoding).name == "utf-8":
        enc = "utf-8-sig"  # --excel means a BOM, even when utf-8 is named explicitly

    count = exporting.write_text(ctx.obj, what.value, fmt.value, output, enc)
    if output is not None:
        say(i18n.t("export.written", count=count, path=output))
