"""CSV / JSON / JSON Lines / xlsx writers. No Rich here: data must reach spreadsheets untouched.

CSV follows RFC 4180 (quoted as needed, CRLF line ends). Text cells that a
spreadsheet would run as a formula (= + - @ tab CR) get a leading apostrophe
(OWASP "CSV injection"); numbers are written as numbers. An xlsx workbook (xlsx.py) has typed
cells, so its text needs no such guard.

``write_table`` is the one road for a table of rows to a file or stdout in any of the formats:
`tg export`, every list and the search results go through it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import sys
import tempfile
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, NamedTuple, Sequence

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a text cell inert in Excel/WPS/LibreOffice; leave other values alone."""
    # "'=x" is marked too ("''=x"), so `tg import` can undo exactly one apostrophe.
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return neutralise(value) if isinstance(value, str) else value


def json_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


# First characters of text that cell() may change (a formula, or apostrophes before one).
_RISKY_START = frozenset("'" + "".join(FORMULA_PREFIXES))


def write_csv(rows: Iterable[Sequence[Any]], columns: Sequence[str], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        # cell() for what it changes; ints, None (written as "") and ordinary text as they are —
        # most cells, and a function call less each for 100k rows × 17 columns.
        writer.writerow([v if v is None or (t := type(v)) is int or (t is str and v[:1] not in _RISKY_START)
                         else cell(v) for v in row])
        n += 1
    return n


class Written(NamedTuple):
    """Rows another process already wrote out as CSV (UTF-8) to a file: export_split.py."""

    path: str
    rows: int


def write_csv_cells(batches: Iterable[Sequence[Sequence[Any]] | Written], columns: Sequence[str],
                    out: IO[str]) -> int:
    """write_csv() for batches of rows already made into cells (queries.client_cells_sqlite), or
    already written as CSV (Written: copied across)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    n = 0
    for batch in batches:
        if isinstance(batch, Written):
            with open(batch.path, encoding="utf-8", newline="") as done:
                shutil.copyfileobj(done, out, 1 << 16)
            n += batch.rows
        else:
            writer.writerows(batch)
            n += len(batch)
    return n


def write_json(rows: Iterable[Sequence[Any]], columns: Sequence[str], out: IO[str]) -> int:
    """A JSON array, written row by row so memory stays flat."""
    out.write("[")
    n = 0
    for row in rows:
        out.write(",\n" if n else "\n")
        out.write(json.dumps(dict(zip(columns, map(json_value, row))), ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def write_jsonl(rows: Iterable[Sequence[Any]], columns: Sequence[str], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(dict(zip(columns, map(json_value, row))), ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


WRITERS = {"csv": write_csv, "json": write_json, "jsonl": write_jsonl}

# The formats a table of rows can be written in, and the file names that choose one.
FORMATS = ("csv", "json", "jsonl", "xlsx")
EXTENSIONS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}


def choose_format(fmt: str | None, path: Path | None, default: str = "csv") -> str:
    """The format to write: the one asked for, else the one the file name's extension names, else
    ``default``. A UsageError when the two disagree (``--format csv -o x.xlsx``)."""
    named = EXTENSIONS.get(path.suffix.lower()) if path is not None else None
    if fmt and named and fmt != named:
        from . import i18n
        from .errors import UsageError

        raise UsageError(i18n.t("xlsx.format_mismatch", format=fmt, path=path, named=named))
    return fmt or named or default


def write_table(fmt: str, rows: Iterable[Sequence[Any]], columns: Sequence[str], output: Path | None, *,
                encoding: str = "utf-8", sheet: str = "Sheet1", headers: Sequence[str] | None = None) -> int:
    """``rows`` as ``fmt`` to the file ``output`` (written beside it and renamed into place) or to
    stdout; the number of rows. ``sheet`` and ``headers`` are for xlsx only (CSV and JSON keep the
    column names, which `tg import` reads back)."""
    if fmt != "xlsx":
        with open_output(output, encoding) as out:
            return WRITERS[fmt](rows, columns, out)
    from .xlsx import write_xlsx

    with open_binary_output(output) as out:
        return write_xlsx(rows, columns, out, sheet=sheet, headers=headers)


@contextmanager
def open_binary_output(path: Path | None) -> Iterator[IO[bytes]]:
    """A binary file for a workbook: beside ``path`` and renamed into place at the end (as
    open_output), or, for stdout, a temporary file copied out at the end. A workbook is not sent
    to a terminal, where it would only garble the screen: that is a UsageError."""
    if path is None:
        if sys.stdout.isatty():
            from . import i18n
            from .errors import UsageError

            raise UsageError(i18n.t("xlsx.not_to_terminal"))
        with tempfile.TemporaryFile() as tmp:
            yield tmp
            tmp.seek(0)
            sys.stdout.flush()
            shutil.copyfileobj(tmp, sys.stdout.buffer, 1 << 16)
            sys.stdout.buffer.flush()
        return
    if not replaceable(path):
        with open(path, "wb") as f:
            yield f
        return
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with open(fd, "wb") as f:
            yield f
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()


def replaceable(path: Path) -> bool:
    """May a finished file be renamed onto this path? Only a regular file or nothing at all."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True


@contextmanager
def open_output(path: Path | None, encoding: str) -> Iterator[IO[str]]:
    """stdout or a file, text mode with our encoding and no newline translation.

    A file is written beside its target and renamed into place at the end, so
    Ctrl-C or an error never leaves a half-written export behind. A target that
    is not a regular file (/dev/null, a named pipe, /dev/stdout) is written in
    place: renaming over it would replace the device with a plain file.
    """
    if path is not None and not replaceable(path):
        with open(path, "w", encoding=encoding, newline="") as f:
            yield f
        return
    if path is None:
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="", write_through=False)
        try:
            yield stream
            stream.flush()
        finally:
            stream.detach()
        return
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with open(fd, "w", encoding=encoding, newline="") as f:
            yield f
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()
