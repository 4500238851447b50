"""Quotation documents: one QuoteDocument (quotes.py) rendered as xlsx, PDF or Word.

Each renderer returns the file's bytes, so a failure (no font, a broken template) leaves no
file behind; ``write`` puts the bytes beside the target and renames them into place. The
libraries are imported by their renderer only: openpyxl (a tg dependency) for xlsx; fpdf2 and
docxtpl, in the ``docs`` extra, for PDF and Word.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .. import i18n
from ..errors import TgError, UsageError

FORMATS = ("xlsx", "pdf", "docx")


def fmt_of(path: Path) -> str:
    """The document format a file name asks for, or a UsageError."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(i18n.t("quote.bad_suffix", path=path, formats=", ".join(f".{f}" for f in FORMATS)))
    return suffix


def render(doc, fmt: str, *, font: str | None = None, template: Path | None = None, notice=None) -> bytes:
    """The document's bytes; ``notice(text)`` is told of slow one-time work (preparing a font)."""
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(doc)
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(doc, font=font, notice=notice)
    from .word import render_docx

    return render_docx(doc, template=template)


class Pending:
    """A document written beside its target, put in place by ``commit`` (or removed by ``discard``)."""

    def __init__(self, path: Path, data: bytes):
        self.path = path
        try:
            fd, name = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.",
                                        suffix=".tmp")
        except OSError as exc:
            raise TgError(i18n.t("quote.cannot_write", path=path, reason=exc.strerror or exc)) from None
        self.tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        except OSError as exc:
            self.discard()
            raise TgError(i18n.t("quote.cannot_write", path=path, reason=exc.strerror or exc)) from None

    def commit(self) -> None:
        try:
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.discard()
            raise TgError(i18n.t("quote.cannot_write", path=self.path, reason=exc.strerror or exc)) from None

    def discard(self) -> None:
        try:
            self.tmp.unlink()
        except FileNotFoundError:
            pass
