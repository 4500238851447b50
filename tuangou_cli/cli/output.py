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


# --- progress ---------------------------------------------------------------------------------------

BIG_BYTES = 1 << 20  # a file larger than this gets a progress bar (on a terminal)
BIG_ROWS = 20_000  # so does a workbook of more rows than this


class Ticker:
    """import_file.Progress drawn as a Rich progress bar on stderr, for a big file on a terminal;
    otherwise nothing at all: a pipe, a log file, a small file and a run whose data goes to the
    same terminal (``shares_terminal``: the rows would tear the bar) see no bar.

    The bar starts at the first report about the table (``read``), so a caller may make the
    Ticker before the file is opened. Use it as a context manager, or call ``stop``."""

    def __init__(self, table: Any = None, *, shares_terminal: bool = False, reading: str = "import.reading"):
        self.bar: Any = None
        self._decided = False
        self._off = shares_terminal and sys.stdout.isatty()
        self._reading = reading
        if table is not None:
            self._begin(table)

    def _begin(self, table: Any) -> None:
        self._decided = True
        big = table.size > BIG_BYTES or (table.total_rows or 0) > BIG_ROWS
        if not big or self._off or not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        from .. import i18n

        # No redirection of sys.stdout/stderr: data written meanwhile must go where it was sent.
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                            TimeRemainingColumn(), console=Console(stderr=True), transient=True,
                            redirect_stdout=False, redirect_stderr=False)
        total = table.total_rows if table.kind != "csv" else table.size
        self.task = self.bar.add_task(i18n.t(self._reading), total=total)
        self.bar.start()

    def read(self, table: Any) -> None:
        if not self._decided:
            self._begin(table)
        if self.bar is not None:
            self.bar.update(self.task, completed=table.position())

    def phase(self, total: int) -> None:
        if self.bar is not None:
            from .. import i18n

            self.bar.update(self.task, description=i18n.t("import.writing"), completed=0, total=total)

    def advance(self, n: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, n)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __enter__(self) -> "Ticker":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
