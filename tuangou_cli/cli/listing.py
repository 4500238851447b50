"""What every list shares: `--limit N`, `-o FILE`, and a pager when a table is longer than the
terminal. Rows arrive as an iterator; CSV, JSON Lines and xlsx are written as they come (memory
stays flat however long the list), and `--limit` stops reading at N rows."""

from __future__ import annotations

import sys
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

import typer

from .. import i18n
from .options import ListFormat


def limit_option():
    return typer.Option(0, "--limit", "-n", min=0, help=i18n.both("help.daily.limit"))


def output_option():
    return typer.Option(None, "--output", "-o", help=i18n.both("help.export.output"), metavar="FILE", dir_okay=False)


def chosen(fmt: ListFormat, output: Optional[Path]) -> ListFormat:
    """The format to write: a file's extension chooses it when --format was left at table."""
    if output is None:
        return fmt
    from ..export import choose_format

    return ListFormat(choose_format(None if fmt == ListFormat.table else fmt.value, output))


def show(fmt: ListFormat, columns: Sequence[str], headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
         limit: int = 0, output: Optional[Path] = None, sheet: str | None = None) -> None:
    rows = islice(rows, limit) if limit else rows
    fmt = chosen(fmt, output)
    if fmt != ListFormat.table:
        from ..export import write_table

        write_table(fmt.value, rows, columns, output, sheet=sheet or i18n.t("export.sheet.list"))
        sys.stdout.flush()
        return
    from ..plain import Table

    table = Table(headers, rows)
    if len(table) and sys.stdout.isatty():
        import shutil

        if len(table) + 2 > shutil.get_terminal_size((80, 24)).lines - 1 and page(table.lines()):
            return
    table.write()


def page(lines: Iterable[str]) -> bool:
    """Send ``lines`` through $PAGER (default `less -FRSX`: quits at once when they fit, keeps
    colours, long lines unwrapped); False when there is no pager to run (then the caller prints)."""
    import os
    import shlex
    import subprocess

    command = shlex.split(os.environ.get("PAGER") or "less -FRSX")
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, text=True, encoding="utf-8",
                                env=dict(os.environ, LESSCHARSET=os.environ.get("LESSCHARSET", "utf-8")))
    except OSError:
        return False
    try:
        for line in lines:
            proc.stdin.write(line + "\n")
        proc.stdin.close()
    except BrokenPipeError:  # the reader quit the pager early: that is the end of it
        pass
    proc.wait()
    return True
