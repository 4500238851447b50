"""The calendar and address-book outputs of tg agenda (--format ics, -o FILE.ics) and
tg export contacts (--format vcf): the options are checked here, the files made by calendars.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import i18n
from ..errors import TgError, UsageError
from .output import say


def agenda_ics(ctx: Any, *, user: str | None, fmt: str, output: Path | None) -> None:
    """The follow-ups as an iCalendar file (to ``output``, else stdout)."""
    if fmt not in ("ics", "table") or (output is not None and output.suffix.lower() != ".ics"):
        raise UsageError(i18n.t("cal.ics_only", format=fmt, path=output or "-"))
    from ..calendars import agenda_ics as make
    from ..export import open_binary_output

    app_ctx = ctx.obj
    me = app_ctx.user()
    body, count = make(app_ctx.store, app_ctx.playbook(), user=user, also=(me,))
    try:
        with open_binary_output(output) if output is not None else _stdout() as out:
            out.write(body)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise TgError(i18n.t("export.cannot_write", path=output, reason=exc.strerror or exc)) from None
    if output is not None:
        say(i18n.t("cal.written", count=count, path=output))


def _stdout():
    """stdout as bytes (a calendar is text: a terminal may show it)."""
    import contextlib
    import sys

    @contextlib.contextmanager
    def stream():
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()

    return stream()


def contacts_vcf(ctx: Any, *, output: Path | None) -> int:
    """Every contact as a vCard 3.0 (UTF-8, CRLF), to ``output`` or stdout; how many."""
    from ..calendars import contacts_vcf as cards
    from ..export import open_output

    count = 0
    try:
        with open_output(output, "utf-8") as out:
            for card in cards(ctx.obj.store, ctx.obj.playbook()):
                out.write(card)
                count += 1
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise TgError(i18n.t("export.cannot_write", path=output or "stdout", reason=exc.strerror or exc)) from None
    return count
