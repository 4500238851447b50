"""The one table reader: CSV, TSV, XLSX and XLS in, rows of text out — for every import.

``tg import clients``, ``tg classify --batch`` and every later import read their file here, so a
file means the same thing on every road. Opening a table looks at it once:

* the kind, from its first bytes (a zip is a workbook, an OLE2 file an .xls, else text);
* for text, the encoding — a BOM (UTF-8, UTF-16), else UTF-8 if the whole file decodes so, else
  GB18030 if it decodes so and charset-normalizer does not name another East Asian encoding
  (Big5, Shift-JIS…, which GB18030 would read as mojibake); such a file, or one that is neither,
  is refused naming the ``--encoding`` to give — and the delimiter (comma, tab or semicolon,
  from the first line);
* for a workbook, the sheet (``--sheet``, else the one sheet holding data);
* the header row: the first of the first HEADER_SEARCH non-blank rows the caller's ``header``
  test accepts (a title row above the header is skipped), else the first non-blank row.

Rows are then read as the caller iterates, so memory stays flat in the row count (an XLSX whose
sheet is large is streamed from the zip; a smaller one, and every XLS, goes through
python-calamine, which is fast but holds the sheet). Input is bounded: cells of MAX_CELL
characters, rows of MAX_COLUMNS cells, MAX_ROWS rows, sheets of MAX_XML_BYTES unpacked; a file
that breaks a bound, or is no table at all, is a one-line TgError (exit 1) — never an internal
error, never a partial read passed off as the whole.

Example::

    with open_table(Path("leads.xlsx"), header=lambda cells: "单位名称" in cells) as table:
        table.headers, table.header_line          # ['单位名称', '人数', '备注'], 2
        for line, cells in table.rows():          # (3, ['市税务局', '100', '工会年终慰问']) …
            ...

``-`` reads stdin (kept in a temporary file, so rows can be read again for a rejects file).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

from . import i18n
from .errors import TgError

SNIFF = 1 << 16  # bytes looked at to tell the kind of file, its encoding and delimiter
HEADER_SEARCH = 10  # non-blank rows searched for the header row
MAX_CELL = 131_072  # characters in one cell (the csv module's own default field limit)
MAX_COLUMNS = 2_000  # cells in one row: a lead list or a price list has tens
MAX_ROWS = 2_000_000  # rows in one file (a sheet holds at most 1,048,576)
MAX_BYTES = 4 << 30  # a text file (or stdin) larger than this is no lead list
MAX_XML_BYTES = 1 << 30  # a sheet's XML once unpacked (a zip bomb is refused before it is read)
MAX_RATIO = 200  # unpacked / packed size of a workbook part: real sheets are 5-20
CALAMINE_XML_BYTES = 64 << 20  # sheets up to this size go through calamine (it holds the whole sheet)
STDIN = "-"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "hz", "ascii", "utf_8"})
# Encodings of Chinese, Japanese and Korean text that GB18030 would decode without an error, as
# mojibake: when charset-normalizer names one of these, the file is refused with its name.
_OTHER_CJK = frozenset({"big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp", "euc_jis_2004",
                        "shift_jis_2004", "euc_kr", "cp949", "johab", "iso2022_jp", "iso2022_kr"})


def _fail(key: str, **params: Any) -> TgError:
    return TgError(i18n.t(key, **params))


@dataclass
class Table:
    """An opened table: what it is, its header row, and its rows below it on demand."""

    path: Path  # what the messages name ("-" for stdin)
    kind: str  # "csv", "xlsx" or "xls"
    size: int  # bytes
    encoding: str | None = None  # text files: how it was read (a file written back keeps it)
    guessed: bool = False  # the encoding was detected, not given
    delimiter: str = ","
    sheet: str | None = None
    total_rows: int | None = None  # workbooks, when known: for a progress bar
    headers: list[str] = field(default_factory=list)
    header_line: int = 0  # 1-based; 0 when the file has no non-blank row
    found: bool = False  # the header test accepted ``headers`` (else: the first non-blank row)
    binary_like: bool = False  # control characters in the first bytes of a text file
    _file: Path | None = field(default=None, repr=False)  # where the bytes are (stdin: a temporary copy)
    _temporary: bool = field(default=False, repr=False)
    _position: int = field(default=0, repr=False)
    _sheet_data: Any = field(default=None, repr=False)  # calamine's sheet, kept from the header search

    def rows(self, *, raw: bool = False) -> Iterator[tuple[int, list[Any]]]:
        """(line, cells) for each non-blank row below the header, in file order. Cells are text
        (``raw``: a workbook's cells as typed there — numbers, dates — for writing it back)."""
        for line, cells in self.all_rows(raw=raw):
            if line > self.header_line and _has_text(cells):
                yield line, cells

    def all_rows(self, *, raw: bool = False) -> Iterator[tuple[int, list[Any]]]:
        """(line, cells) for every row of the file, blank ones and those above the header included."""
        if self.kind == "csv":
            return self._csv_rows()
        if self.kind == "xlsx" and _streamed(self):
            return self._xml_rows(raw)
        return self._calamine_rows(raw)

    def position(self) -> int:
        """How far reading has got: bytes for text, rows for a workbook (for a progress bar)."""
        return self._position

    def close(self) -> None:
        self._sheet_data = None
        if self._temporary and self._file is not None:
            try:
                os.unlink(self._file)
            except OSError:
                pass
            self._temporary = False

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- text ---

    def _csv_rows(self) -> Iterator[tuple[int, list[str]]]:
        line = 0
        csv.field_size_limit(MAX_CELL)  # the csv module refuses a longer cell itself (below)
        with open(self._file, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
            try:
                for line, cells in enumerate(csv.reader(text, delimiter=self.delimiter), start=1):
                    if line > MAX_ROWS:
                        raise _fail("tables.too_many_rows", path=self.path, limit=MAX_ROWS)
                    if len(cells) > MAX_COLUMNS:
                        raise _fail("tables.too_many_columns", path=self.path, row=line, limit=MAX_COLUMNS)
                    if not line & 1023:
                        self._position = raw.tell()
                    yield line, cells
            except UnicodeDecodeError:
                raise _fail("import.undecodable_as", path=self.path, encoding=self.encoding, row=line + 1) from None
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise _too_big(self.path, line + 1) from None
                raise _fail("import.unreadable", path=self.path, row=line + 1, reason=exc) from None
            finally:
                text.detach()

    # --- workbooks ---

    def _calamine_rows(self, raw: bool) -> Iterator[tuple[int, list[Any]]]:
        try:
            if self._sheet_data is None:
                wb = _calamine_open(self)
                try:
                    self._sheet_data = wb.get_sheet_by_name(self.sheet)  # the whole sheet, read once
                finally:
                    wb.close()
                start = self._sheet_data.start
                self.total_rows = self._sheet_data.height + (start[0] if start else 0)
            # Rows from the first (blank ones too), so line numbers are the sheet's own.
            for i, values in enumerate(self._sheet_data.iter_rows(), start=1):
                yield i, self._checked(i, values, raw)
        except TgError:
            raise
        except Exception as exc:  # a sheet calamine cannot read (CalamineError, XmlError, ValueError…)
            raise _bad_workbook(self.path, exc) from None

    def _xml_rows(self, raw: bool) -> Iterator[tuple[int, list[Any]]]:
        from .xlsx_stream import SheetStream

        try:
            with SheetStream(self._file, self.sheet) as stream:
                for line, values in stream.rows():
                    yield line, self._checked(line, values, raw)
        except TgError:
            raise
        except Exception as exc:  # zipfile.BadZipFile, expat errors (a DOCTYPE, an entity), KeyError…
            raise _bad_workbook(self.path, exc) from None

    def _checked(self, line: int, values: list[Any], raw: bool) -> list[Any]:
        if line > MAX_ROWS:
            raise _fail("tables.too_many_rows", path=self.path, limit=MAX_ROWS)
        if len(values) > MAX_COLUMNS:
            raise _fail("tables.too_many_columns", path=self.path, row=line, limit=MAX_COLUMNS)
        self._position = line
        cells = [cell_text(v) for v in values]
        for c in cells:
            if len(c) > MAX_CELL:
                raise _too_big(self.path, line)
        if raw:
            return [None if isinstance(v, str) and v == "" else v for v in values]
        return cells


def _has_text(cells: list[Any]) -> bool:
    for c in cells:
        if c is not None and (not isinstance(c, str) or (c and not c.isspace())):
            return True
    return False


def _too_big(path: Path, row: int) -> TgError:
    return _fail("import.cell_too_big", path=path, row=row, limit=MAX_CELL)


def _bad_workbook(path: Path, exc: BaseException) -> TgError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _fail("tables.bad_workbook", path=path, reason=reason[:200])


def cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV of it would hold: 120.0 → '120', a date → ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


# --- opening ------------------------------------------------------------------------------------


def open_table(path: Path | str, *, sheet: str | None = None, encoding: str | None = None,
               header: Callable[[list[str]], bool] | None = None) -> Table:
    """Look at the file and find its header row; the rows are read later, by ``rows()``.

    ``encoding``: a codec name for a text file (the detection is skipped). ``header``: which
    row is the header (default: the first non-blank one). A file that cannot be a table is a
    one-line TgError; so is a ``--sheet`` the workbook lacks.
    """
    path = Path(path)
    table = _look(path, encoding, sheet)
    try:
        _find_header(table, header)
    except BaseException:
        table.close()
        raise
    return table


def _look(path: Path, encoding: str | None, sheet: str | None) -> Table:
    shown, file, temporary = path, path, False
    if str(path) == STDIN:
        file, temporary = _spool_stdin(), True
    try:
        try:
            with open(file, "rb") as f:
                head = f.read(SNIFF)
                size = f.seek(0, 2)
        except IsADirectoryError:
            raise _fail("import.not_spreadsheet", path=shown) from None
        except OSError as exc:
            raise _fail("import.cannot_read", path=shown, reason=exc.strerror or exc) from None
        if not head.lstrip(b"\xef\xbb\xbf \t\r\n"):
            raise _fail("import.empty", path=shown)
        if head.startswith(b"PK\x03\x04"):
            table = Table(shown, "xlsx", size, sheet=sheet, _file=file, _temporary=temporary)
            _check_zip(table)
            _choose_sheet(table, sheet)
            return table
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            table = Table(shown, "xls", size, sheet=sheet, _file=file, _temporary=temporary)
            _choose_sheet(table, sheet)
            return table
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods", ".et", ".numbers"):
            raise _fail("import.not_spreadsheet", path=shown)  # an .xls that is really HTML, a renamed text file
        if size > MAX_BYTES:
            raise _fail("tables.too_big", path=shown, limit=f"{MAX_BYTES >> 30} GiB")
        guessed = encoding is None
        if encoding is None:
            encoding = _guess_encoding(shown, file, head, size)
        try:
            sample = codecs.getincrementaldecoder(encoding)().decode(head, final=size <= SNIFF)
        except UnicodeDecodeError:
            raise _fail("import.undecodable_as", path=shown, encoding=encoding, row=1) from None
        sample = sample.lstrip("\ufeff")
        if not sample.strip():
            raise _fail("import.empty", path=shown)
        return Table(shown, "csv", size, encoding=encoding, guessed=guessed,
                     delimiter=_delimiter(path, sample.splitlines()),
                     binary_like=bool(_CONTROL.search(sample)), _file=file, _temporary=temporary)
    except BaseException:
        if temporary:
            os.unlink(file)
        raise


def _spool_stdin() -> Path:
    """stdin into a temporary file (bounded by MAX_BYTES): read once, like any file."""
    import tempfile

    stream = getattr(sys.stdin, "buffer", None)
    fd, name = tempfile.mkstemp(prefix="tg-stdin-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            total = 0
            while True:
                chunk = stream.read(1 << 20) if stream is not None else sys.stdin.read(1 << 18).encode("utf-8")
                if not chunk:
                    break
                total += len(chunk)
                if total > MAX_BYTES:
                    raise _fail("tables.too_big", path=STDIN, limit=f"{MAX_BYTES >> 30} GiB")
                out.write(chunk)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def _guess_encoding(shown: Path, file: Path, head: bytes, size: int) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"
    if _decodes(file, "utf-8", head, size):
        return "utf-8"
    if b"\x00" in head:
        raise _fail("import.not_spreadsheet", path=shown)
    best, best_chaos, gb_chaos = _charset_guess(head)
    if _decodes(file, "gb18030", head, size):
        # GB18030 decodes almost any bytes: Big5 or Shift-JIS would come out as mojibake. Refused
        # only when charset-normalizer finds another East Asian encoding clearly more likely
        # (a short GB sample also reads as Korean or Japanese: that alone is no reason).
        if best in _OTHER_CJK and (gb_chaos is None or gb_chaos > best_chaos + CHAOS_MARGIN):
            raise _fail("tables.other_encoding", path=shown, encoding=_shown_codec(best))
        return "gb18030"
    if best is not None and best not in _GB_FAMILY:
        raise _fail("tables.other_encoding", path=shown, encoding=_shown_codec(best))
    raise _fail("import.undecodable", path=shown)


def _shown_codec(name: str) -> str:
    return name.replace("_", "-")


def _decodes(file: Path, encoding: str, head: bytes, size: int) -> bool:
    """Does the whole file decode as ``encoding``? (One pass, a megabyte at a time.)"""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        if size <= SNIFF:
            decoder.decode(head, final=True)
            return True
        with open(file, "rb") as f:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False


CHAOS_MARGIN = 0.05  # how much more garbled GB18030 must read than the best guess to be refused


def _charset_guess(head: bytes) -> tuple[str | None, float, float | None]:
    """charset-normalizer's best encoding for the first bytes (as a Python codec name), how
    garbled the text reads in it, and how garbled as GB18030 (None: no candidate).
    (None, 0, None) when it has no opinion, or is not installed (then GB18030, as before)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency; tg still reads UTF-8 and GB18030 without it
        return None, 0.0, None
    sample = head[: head.rfind(b"\n") + 1] or head  # whole lines: no character cut in two at the end
    results = list(from_bytes(sample))
    if not results:
        return None, 0.0, None
    names = []
    for r in results:
        try:
            names.append((codecs.lookup(r.encoding).name.replace("-", "_"), r.chaos))
        except LookupError:
            continue
    if not names:
        return None, 0.0, None
    best_name, best_chaos = names[0]
    gb = [chaos for name, chaos in names if name in _GB_FAMILY]
    return best_name, best_chaos, (min(gb) if gb else None)


def _delimiter(path: Path, lines: list[str]) -> str:
    """Comma, tab or semicolon: the one found on most of the first non-blank lines, then the most
    often (a title row above the header holds none; one row of SQL-looking text full of
    semicolons does not outvote a comma on every line)."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    first = [x for x in lines if x.strip()][:HEADER_SEARCH]
    score = {d: (sum(1 for x in first if d in x), sum(x.count(d) for x in first)) for d in (",", "\t", ";")}
    best = max(score, key=score.get)
    return best if score[best][1] else ","


# --- workbooks: safety and the sheet ---------------------------------------------------------------


def _check_zip(table: Table) -> None:
    import zipfile
    import zlib

    from .xlsx_stream import NotAWorkbook, no_doctype

    """A workbook is a zip of XML parts: refuse one that is not, or whose parts unpack to more
    than MAX_XML_BYTES or far more than real sheets do (a zip bomb), before anything reads it."""
    try:
        with zipfile.ZipFile(table._file) as z:
            for info in z.infolist():
                if not info.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                if info.file_size > MAX_XML_BYTES or (
                        info.file_size > CALAMINE_XML_BYTES // 2 and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                    raise _fail("tables.zip_bomb", path=table.path, part=info.filename,
                                limit=f"{MAX_XML_BYTES >> 20} MiB")
                with z.open(info) as part:
                    try:
                        no_doctype(part.read(4096))  # before any reader sees it: no entity is ever expanded
                    except NotAWorkbook as exc:
                        raise _bad_workbook(table.path, exc) from None
            names = set(z.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, zlib.error):
        raise _fail("import.not_spreadsheet", path=table.path) from None  # no zip, or a damaged or encrypted one
    except OSError as exc:
        raise _fail("import.cannot_read", path=table.path, reason=exc.strerror or exc) from None
    if "xl/workbook.xml" not in names:
        raise _fail("import.not_spreadsheet", path=table.path)  # a zip, an .odt, a .docx…


def _calamine():
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - a dependency; the streamed reader takes every xlsx then
        return None
    return python_calamine


def _calamine_open(table: Table):
    pc = _calamine()
    if pc is None:
        raise _fail("tables.no_calamine", path=table.path)
    try:
        return pc.CalamineWorkbook.from_path(str(table._file))
    except Exception as exc:
        if table.kind == "xls":
            raise _fail("tables.bad_xls", path=table.path) from None
        raise _bad_workbook(table.path, exc) from None


def _streamed(table: Table) -> bool:
    """Is this sheet read from the zip as a stream (large, or no calamine), not by calamine?"""
    if table.kind != "xlsx":
        return False
    if _calamine() is None:
        return True
    from .xlsx_stream import sheet_part_size

    return sheet_part_size(table._file, table.sheet) > CALAMINE_XML_BYTES


def _choose_sheet(table: Table, sheet: str | None) -> None:
    if table.kind == "xlsx":
        from .xlsx_stream import sheet_names

        try:
            names = sheet_names(table._file)
        except Exception as exc:  # a workbook.xml that is not one
            raise _bad_workbook(table.path, exc) from None
    else:
        wb = _calamine_open(table)
        try:
            names = list(wb.sheet_names)
        finally:
            wb.close()
    if not names:
        raise _fail("import.empty", path=table.path)
    if sheet is not None:
        if sheet not in names:
            raise _fail("import.no_sheet", path=table.path, sheet=sheet, sheets=", ".join(names))
        table.sheet = sheet
        return
    if len(names) == 1:
        table.sheet = names[0]
        return
    used = []
    for name in names:
        table.sheet, table._sheet_data = name, None
        if _sheet_has_data(table):
            used.append(name)
    table._sheet_data = None
    if len(used) > 1:
        raise _fail("import.sheets", path=table.path, sheets=", ".join(used))
    table.sheet = used[0] if used else names[0]


def _sheet_has_data(table: Table) -> bool:
    for n, (_line, cells) in enumerate(table.all_rows()):
        if _has_text(cells):
            return True
        if n >= HEADER_SEARCH * 2:
            return False
    return False


# --- the header row -----------------------------------------------------------------------------------


def _find_header(table: Table, header: Callable[[list[str]], bool] | None) -> None:
    first: tuple[int, list[str]] | None = None
    seen = 0
    rows = table.all_rows()
    try:
        for line, cells in rows:
            if not _has_text(cells):
                continue
            cells = [c.strip() if isinstance(c, str) else c for c in cells]
            first = first or (line, cells)
            seen += 1
            if header is None or header(cells):
                table.headers, table.header_line, table.found = cells, line, True
                break
            if seen >= HEADER_SEARCH:
                break
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    if not table.found:
        if first is None:
            raise _fail("import.empty", path=table.path)
        if table.binary_like:
            raise _fail("import.not_spreadsheet", path=table.path)
        table.header_line, table.headers = first
