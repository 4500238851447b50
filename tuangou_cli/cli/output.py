"""What a command prints besides its data: a listing as a Rich table, CSV or JSON (`emit`),
and the messages that say what it did (`say`)."""

from __future__ import annotations

import sys
from typing import Any, Sequence, TextIO

from ..errors import one_line
from .options import ListFormat


def say(*lines: str, file: TextIO | None = None) -> None:
    """Tell the person at the terminal what a command did: each argument one line, on stderr
    (never mixed into data) unless `file` says otherwise. The lines quote stored and typed text
    (a client's name, a case title, a path), so they go through errors.one_line as error
    messages do: a control character or bidi mark in a value is shown as an escape and cannot
    clear the screen, set the window title or reorder the line; ordinary text is unchanged."""
    (file or sys.stderr).write("".join(one_line(line) + "\n" for line in lines))


def emit(fmt: ListFormat, columns: Sequence[str], headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if fmt == ListFormat.table:
        from ..plain import print_table

        print_table(headers, rows)
        return
    from .. import i18n
    from ..export import write_table

    write_table(fmt.value, rows, columns, None, sheet=i18n.t("export.sheet.list"))
    sys.stdout.flush()
