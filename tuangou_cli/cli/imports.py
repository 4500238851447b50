"""tg import clients FILE — lead lists from CSV, TSV or XLSX, deduplicated against the database.

Reading happens first and touches no database: every row is parsed and validated, so a bad
file (or a bad row, unless --skip-errors) stops the import before anything is written. Then,
in one write transaction, the existing clients' keys are loaded once, rows are matched and
merged (importer.Planner), and the result goes in with DB-API executemany (bulk.py).
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path
from typing import Any, Iterator, Optional

import typer

from .. import i18n
from ..errors import TgError, UsageError
from .output import say

app = typer.Typer(no_args_is_help=True)

SNIFF = 1 << 16  # bytes looked at to tell the kind of file and its encoding
BIG = 1 << 20  # files larger than this get a progress bar (on a terminal)
STREAM_MIN_BYTES = 2 << 20  # from this size a file is read and written at once (_stream, bulk_writer.py)
CHUNK = 4096  # rows parsed at once (importer.parse_rows): big enough to pay off, small enough to stay light
HEADER_SEARCH = 10  # non-empty rows searched for the header row (title rows above it are skipped)
SHOWN = 20  # problems and merges listed on stderr before "… and N more"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class OnDuplicate(str, Enum):
    update = "update"
    skip = "skip"
    error = "error"


class _Retry(Exception):
    """UTF-8 guessed from the start of the file, but a later byte is not UTF-8: try GB18030."""


# --- reading the file ----------------------------------------------------------------------------


@dataclass
class Source:
    path: Path
    kind: str  # "csv" or "xlsx"
    size: int
    encoding: str | None = None
    guessed: bool = False  # encoding detected, not given
    delimiter: str = ","
    sheet: str | None = None
    total_rows: int | None = None  # xlsx: for the progress bar
    # Control characters (NUL, ESC…) in the first 64 KB: a binary file, unless a header row is
    # found — an export of names holding an escape sequence is still a spreadsheet.
    binary_like: bool = False
    _tell: Any = field(default=None, repr=False)  # CSV: bytes read so far
    _line: int = field(default=0, repr=False)  # XLSX: rows read so far

    def position(self) -> int:
        return self._tell() if self._tell else self._line

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells as text) for every row, empty rows included."""
        return self._csv_rows() if self.kind == "csv" else self._xlsx_rows()

    def _csv_rows(self) -> Iterator[tuple[int, list[str]]]:
        from ..importer import MAX_CELL

        line = 0
        # The csv module refuses a longer cell itself ("field larger than field limit", below):
        # cheaper than measuring every cell of every row here.
        csv.field_size_limit(MAX_CELL)
        with open(self.path, "rb") as raw:
            self._tell = raw.tell
            text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
            try:
                for line, cells in enumerate(csv.reader(text, delimiter=self.delimiter), start=1):
                    yield line, cells
            except UnicodeDecodeError:
                if self.guessed and self.encoding == "utf-8":
                    raise _Retry() from None
                raise TgError(i18n.t("import.undecodable_as", path=self.path, encoding=self.encoding,
                                     row=line + 1)) from None
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise _too_big(self.path, line + 1) from None
                raise TgError(i18n.t("import.unreadable", path=self.path, row=line + 1, reason=exc)) from None
            finally:
                self._tell = None
                text.detach()

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        from ..importer import MAX_CELL

        wb = _open_workbook(self.path)
        try:
            ws = wb[self.sheet]
            ws.reset_dimensions()  # some writers record wrong dimensions; read what is there
            for line, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = [_xlsx_text(v) for v in values]
                for c in cells:
                    if len(c) > MAX_CELL:
                        raise _too_big(self.path, line)
                self._line = line
                yield line, cells
        finally:
            wb.close()


def _too_big(path: Path, row: int) -> TgError:
    from ..importer import MAX_CELL

    return TgError(i18n.t("import.cell_too_big", path=path, row=row, limit=MAX_CELL))


def _xlsx_text(value: Any) -> str:
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
    return str(value)


def _open_workbook(path: Path):
    import openpyxl  # only `tg import` pays for it

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # BadZipFile, KeyError, InvalidFileException…: whatever it is, it is no workbook
        raise TgError(i18n.t("import.not_spreadsheet", path=path)) from None


def open_source(path: Path, encoding: str | None, sheet: str | None) -> Source:
    """Look at the file: which kind, which encoding, which sheet. One-line errors for bad input."""
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF)
            size = f.seek(0, 2)
    except IsADirectoryError:
        raise TgError(i18n.t("import.not_spreadsheet", path=path)) from None
    except OSError as exc:
        raise TgError(i18n.t("import.cannot_read", path=path, reason=exc.strerror or exc)) from None
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n"):
        raise TgError(i18n.t("import.empty", path=path))
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_source(path, size, sheet)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TgError(i18n.t("import.xls", path=path))
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise TgError(i18n.t("import.not_spreadsheet", path=path))
    guessed = encoding is None
    if encoding is None:
        encoding = _guess_encoding(path, head, final=size <= SNIFF)
    try:
        sample = codecs.getincrementaldecoder(encoding)().decode(head, final=size <= SNIFF)
    except UnicodeDecodeError:
        raise TgError(i18n.t("import.undecodable_as", path=path, encoding=encoding, row=1)) from None
    sample = sample.lstrip("\ufeff")
    if not sample.strip():
        raise TgError(i18n.t("import.empty", path=path))
    return Source(path, "csv", size, encoding=encoding, guessed=guessed,
                  delimiter=_delimiter(path, sample.splitlines()[0] if sample.splitlines() else ""),
                  binary_like=bool(_CONTROL.search(sample)))


def _guess_encoding(path: Path, head: bytes, *, final: bool) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"
    for candidate in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(candidate)().decode(head, final=final)
            return candidate
        except UnicodeDecodeError:
            continue
    if b"\x00" in head:
        raise TgError(i18n.t("import.not_spreadsheet", path=path))
    raise TgError(i18n.t("import.undecodable", path=path))


def _delimiter(path: Path, first_line: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _xlsx_source(path: Path, size: int, sheet: str | None) -> Source:
    wb = _open_workbook(path)
    try:
        names = wb.sheetnames
        if sheet is not None:
            if sheet not in names:
                raise TgError(i18n.t("import.no_sheet", path=path, sheet=sheet, sheets=", ".join(names)))
            chosen = sheet
        else:
            used = [n for n in names if _has_data(wb[n])]
            if len(used) > 1:
                raise TgError(i18n.t("import.sheets", path=path, sheets=", ".join(used)))
            chosen = used[0] if used else names[0]
        total = wb[chosen].max_row
    finally:
        wb.close()
    return Source(path, "xlsx", size, sheet=chosen, total_rows=total)


def _has_data(ws) -> bool:
    for row in ws.iter_rows(max_row=HEADER_SEARCH * 2, values_only=True):
        if any(v not in (None, "") for v in row):
            return True
    return False


# --- progress -------------------------------------------------------------------------------------


class Ticker:
    """A Rich progress bar on stderr for big files on a terminal; otherwise nothing at all."""

    def __init__(self, source: Source):
        self.bar = None
        big = source.size > BIG or (source.total_rows or 0) > 20_000
        if big and sys.stderr.isatty():
            from .. import render

            self.bar = render.progress_bar()
            self.total = source.total_rows if source.kind == "xlsx" else source.size
            self.task = self.bar.add_task(i18n.t("import.reading"), total=self.total)
            self.bar.start()

    def read(self, source: Source) -> None:
        if self.bar:
            self.bar.update(self.task, completed=source.position())

    def phase(self, total: int) -> None:
        if self.bar:
            self.bar.update(self.task, description=i18n.t("import.writing"), completed=0, total=total)

    def advance(self, n: int) -> None:
        if self.bar:
            self.bar.advance(self.task, n)

    def stop(self) -> None:
        if self.bar:
            self.bar.stop()
            self.bar = None


# --- the command -----------------------------------------------------------------------------------


@dataclass
class Parsed:
    cols: Any
    rows: list
    problems: list
    header_line: int


def read_rows(source: Source, overrides: dict[str, str], segments, ticker: Ticker) -> Parsed:
    """Find the header row, map it, parse and validate every row. No database involved."""
    rows = open_rows(source, overrides, segments, ticker)
    parsed = Parsed(rows.cols, [], [], rows.header_line)
    for good, bad in rows.chunks:
        parsed.rows.extend(good)
        parsed.problems.extend(bad)
    return parsed


@dataclass
class Rows:
    cols: Any
    header_line: int
    chunks: Iterator[tuple[list, list]]  # (valid Rows, Problems), CHUNK rows of the file at a time


def open_rows(source: Source, overrides: dict[str, str], segments, ticker: Ticker) -> Rows:
    """Find and map the header row (a file without one is refused here, before anything else is
    opened); the rows below it are parsed and validated as ``chunks`` is read."""
    from ..importer import has_name, map_headers, parse_rows, unneutralise

    it = source.rows()
    cols = None
    first = None
    seen = 0
    header_line = 0
    for line, cells in it:
        if not any(c.strip() for c in cells):
            continue
        headers = [unneutralise(c) for c in cells]
        first = first or headers
        seen += 1
        try:
            candidate = map_headers(headers, overrides)
        except UsageError:
            candidate = None
        if candidate is not None and has_name(candidate):
            cols, header_line = candidate, line
            break
        if seen >= HEADER_SEARCH:
            break
    if cols is None:
        if first is None:
            raise TgError(i18n.t("import.empty", path=source.path))
        if source.binary_like:
            raise TgError(i18n.t("import.not_spreadsheet", path=source.path))
        map_headers(first, overrides)  # a --map naming a missing column says so here
        shown = ", ".join(h.strip() for h in first if h.strip())
        raise TgError(i18n.t("import.no_name_column", path=source.path, columns=shown))
    lookup = segments() if "segment" in cols.fields.values() else None

    def chunks() -> Iterator[tuple[list, list]]:
        lines: list[int] = []
        chunk: list[list[str]] = []
        for line, cells in it:
            if not (cells and cells[0] and not cells[0].isspace()) and not "".join(cells).strip():
                continue  # a blank row (the first cell, usually the name, rules most rows in at once)
            lines.append(line)
            chunk.append(cells)
            if len(chunk) == CHUNK:
                yield parse_rows(lines, chunk, cols, lookup)
                ticker.read(source)
                lines, chunk = [], []
        if chunk:
            yield parse_rows(lines, chunk, cols, lookup)

    return Rows(cols, header_line, chunks())


@dataclass
class Outcome:
    created: list = field(default_factory=list)  # groups
    changes: list = field(default_factory=list)  # importer.Change (empty ones are "unchanged")
    skipped: list = field(default_factory=list)  # groups left alone (--on-duplicate skip)
    merges: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(created=len(self.created), updated=sum(1 for c in self.changes if c),
                    unchanged=sum(1 for c in self.changes if not c), merged=len(self.merges),
                    skipped=len(self.skipped), rejected=len({p.line for p in self.problems}))


@app.command("clients", help=i18n.both("help.import.clients"))
def import_clients(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help=i18n.both("help.import.file"), show_default=False),
    encoding: Optional[str] = typer.Option(None, "--encoding", help=i18n.both("help.import.encoding")),
    sheet: Optional[str] = typer.Option(None, "--sheet", help=i18n.both("help.import.sheet"), metavar="NAME"),
    mapping: Optional[list[str]] = typer.Option(None, "--map", help=i18n.both("help.import.map"),
                                                metavar="COLUMN=FIELD"),
    on_duplicate: OnDuplicate = typer.Option(OnDuplicate.update.value, "--on-duplicate",
                                             help=i18n.both("help.import.on_duplicate"), case_sensitive=False),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help=i18n.both("help.import.dry_run")),
    skip_errors: Optional[Path] = typer.Option(None, "--skip-errors", help=i18n.both("help.import.skip_errors"),
                                               metavar="REJECTS.csv"),
) -> None:
    from ..importer import parse_map

    overrides = parse_map(mapping or [])
    if encoding is not None:
        from .options import text_encoding

        known = text_encoding(encoding)  # rot13, base64, idna, a NUL in the name…: no codec for a text file
        if known is None:
            raise UsageError(i18n.t("import.bad_encoding", encoding=encoding))
        encoding = known
    if skip_errors is not None and skip_errors.resolve() == file.resolve():
        raise UsageError(i18n.t("import.rejects_is_input"))
    app_ctx = ctx.obj

    source = open_source(file, encoding, sheet)
    ticker = Ticker(source)
    # A lead list makes a million small objects and no reference cycles: the cyclic collector
    # would only walk them again and again (about 3 % of a 100k-row import). Back on after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        done = None if dry_run else _stream(app_ctx, source, overrides, on_duplicate.value, skip_errors, ticker)
        if done is None:
            parsed = read_file(app_ctx, source, overrides, ticker)
            outcome = _run(app_ctx, source, parsed, on_duplicate.value, dry_run, skip_errors, ticker)
        else:
            parsed, outcome = done
    finally:
        if collecting:
            gc.enable()
        ticker.stop()
    if parsed.cols.unknown:
        say(i18n.t("import.unknown_columns", columns=", ".join(parsed.cols.unknown)))  # header names from the file
    if dry_run:
        _print_plan(outcome)
    elif outcome.merges and not (outcome.problems and skip_errors is None):  # not when nothing was imported
        _list(i18n.t("import.merged_rows"), [_merge_text(m) for m in outcome.merges])
    prefix = i18n.t("import.dry_prefix") if dry_run else ""
    if dry_run and outcome.problems and skip_errors is None:
        sys.stderr.write(prefix + i18n.t("import.summary", **outcome.counts()) + "\n")
    if outcome.problems and skip_errors is None:
        raise TgError(i18n.t("import.bad_rows", count=outcome.counts()["rejected"]),
                      details=_capped([p.text() for p in outcome.problems]))
    if outcome.problems and not dry_run:
        say(i18n.t("import.rejects_written", path=skip_errors))
    sys.stderr.write(prefix + i18n.t("import.summary", **outcome.counts()) + "\n")


def read_file(app_ctx, source: Source, overrides: dict[str, str], ticker: Ticker) -> Parsed:
    """read_rows(), once more as GB18030 when a file guessed to be UTF-8 turns out not to be."""
    try:
        return read_rows(source, overrides, lambda: _segments(app_ctx), ticker)
    except _Retry:
        source.encoding = "gb18030"
        return read_rows(source, overrides, lambda: _segments(app_ctx), ticker)


def _segments(app_ctx) -> dict[str, str]:
    from ..importer import segment_lookup

    pb = app_ctx.playbook()
    names = [(s.code, s.name.zh) for s in pb.segments] + [(s.code, s.name.en) for s in pb.segments]
    return segment_lookup([s.code for s in pb.segments], names)


def _db_exists(app_ctx) -> bool:
    """A dry run against a database that does not exist yet must not create it."""
    from sqlalchemy.engine import make_url

    from ..db import resolve_url

    text = resolve_url(app_ctx.db)
    url = make_url(text)
    if url.get_backend_name() != "sqlite":
        # A server: has tg made its tables there yet? (Asked without open_store, which would make them.)
        from ..db import Store, make_engine

        store = Store(make_engine(text), text)
        try:
            return store.schema_version() is not None
        finally:
            store.engine.dispose()
    if not url.database or url.database == ":memory:":
        return True
    return Path(url.database).exists()


def plan(db, parsed: Parsed, on_duplicate: str) -> Outcome:
    """Match the parsed rows against the clients in ``db`` (None: no database yet) and each
    other: what would be created, updated, merged, skipped or rejected. Reads only."""
    planner, add = planner_for(db, parsed.cols, on_duplicate)
    for row in parsed.rows:
        add(row)
    return outcome(db, planner, parsed.problems, on_duplicate)


def planner_for(db, cols, on_duplicate: str):
    """(importer.Planner over the clients in ``db``, a function that adds one row to it)."""
    from .. import bulk
    from ..importer import Index, Planner

    name_label = cols.label(cols.field_of("name")[0])
    fingerprints = bool(cols.field_of("id")) and bool(cols.field_of("created_at"))
    planner = Planner(bulk.load_index(db, fingerprints=fingerprints) if db is not None else Index(), on_duplicate)
    return planner, lambda row: planner.add(row, name_label)


def outcome(db, planner, problems: list, on_duplicate: str) -> Outcome:
    """What the planned rows come to; the clients the file matched are read to see what changes."""
    from .. import bulk

    out = Outcome(merges=planner.merges)
    out.problems = sorted(problems + planner.problems, key=lambda p: p.line)
    out.created = [g for g in planner.groups if g.existing is None]
    matched = [g for g in planner.groups if g.existing is not None]
    if on_duplicate == "skip":
        out.skipped = matched
    elif db is not None:
        out.changes = bulk.changes_for(db, matched)
    return out


@contextmanager
def transaction(app_ctx, *, dry_run: bool, raw: bool = True) -> Iterator[tuple[Any, Any]]:
    """(bulk.Db, Store session or None) in one transaction: committed when the block ends, rolled
    back on an error or Ctrl-C, always rolled back for a dry run — whose Db is None when the
    database does not exist yet (a dry run must not create it).

    A SQLite file at the current schema is reached through the sqlite3 module (rawdb.py), with
    no session: SQLAlchemy's import alone costs a third of the time a 100k-row file takes.
    ``raw=False``, a database to create or upgrade, and PostgreSQL take the Store.
    """
    from .. import bulk, rawdb

    conn = rawdb.connect_at_head(app_ctx.db, write=not dry_run) if raw else None
    if conn is not None:
        with rawdb.translate_errors(rawdb.sqlite_file(rawdb.resolve_url(app_ctx.db))):
            try:
                yield bulk.SqliteDb(conn), None
                conn.execute("ROLLBACK" if dry_run else "COMMIT")
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                conn.close()
        return
    if dry_run:
        if not _db_exists(app_ctx):
            yield None, None
            return
        with app_ctx.store().read() as session:
            yield bulk.db_for(session.connection()), session
        return
    with app_ctx.store().write() as session:
        yield bulk.db_for(session.connection()), session


def _run(app_ctx, source: Source, parsed: Parsed, on_duplicate: str, dry_run: bool,
         rejects: Path | None, ticker: Ticker) -> Outcome:
    from datetime import datetime, timezone

    from .. import bulk

    user, now = app_ctx.user(), datetime.now(timezone.utc)

    def write(db, sync_segments) -> Outcome:
        out = plan(db, parsed, on_duplicate)
        if out.problems and rejects is None:
            return out  # nothing written: the caller reports the bad rows
        work = out.created + [c for c in out.changes if c]
        if any(g.segment for g in out.created) or any("segment" in c.fields for c in out.changes):
            sync_segments()  # the segment column is a foreign key
        ticker.phase(len(work))
        bulk.insert_clients(db, out.created, user=user, now=now, progress=ticker.advance)
        bulk.apply_changes(db, out.changes, user=user, now=now, progress=ticker.advance)
        if out.problems:
            write_rejects(source, parsed, out.problems, rejects)
        return out

    # A segment column needs the playbook's segments synced through the ORM first, so it takes the Store.
    with transaction(app_ctx, dry_run=dry_run, raw=not parsed.cols.field_of("segment")) as (db, session):
        if dry_run:
            return plan(db, parsed, on_duplicate)

        def sync_segments() -> None:
            from ..store import clients as st

            st.sync_segments(session, app_ctx.playbook())

        return write(db, sync_segments)


def _stream(app_ctx, source: Source, overrides: dict[str, str], on_duplicate: str, rejects: Path | None,
            ticker: Ticker) -> tuple[Parsed, Outcome] | None:
    """A big file into a SQLite file at the current schema, read and written at the same time
    (bulk_writer.py): this process reads, checks and matches the rows, a second one inserts
    them. None when this road does not apply (small file, a database to create or upgrade,
    PostgreSQL, a segment column: they take _run)."""
    from .. import rawdb

    if source.size < STREAM_MIN_BYTES:
        return None
    path = rawdb.sqlite_file(rawdb.resolve_url(app_ctx.db))
    probe = rawdb.connect_at_head(app_ctx.db)
    if path is None or probe is None:
        return None
    probe.close()  # before the writer starts: no connection is carried across a fork
    try:
        return _stream_once(app_ctx, path, source, overrides, on_duplicate, rejects, ticker)
    except _Retry:  # guessed UTF-8, but it is not: all of it again, as GB18030 (nothing was committed)
        source.encoding = "gb18030"
        return _stream_once(app_ctx, path, source, overrides, on_duplicate, rejects, ticker)


def _stream_once(app_ctx, path: Path, source: Source, overrides: dict[str, str], on_duplicate: str,
                 rejects: Path | None, ticker: Ticker) -> tuple[Parsed, Outcome] | None:
    from datetime import datetime, timezone

    from .. import bulk, rawdb
    from ..bulk_writer import WriterDb, WriterGone

    rows = open_rows(source, overrides, lambda: _segments(app_ctx), ticker)
    if rows.cols.field_of("segment"):
        return None  # the segment column is a foreign key: the playbook's segments are synced first (_run)
    user, now = app_ctx.user(), datetime.now(timezone.utc)
    user.encode("utf-8")  # a TG_USER that is not UTF-8 is refused here, in one line, not in the writer
    try:
        with rawdb.translate_errors(path), WriterDb(str(path)) as db:
            planner, add = planner_for(db, rows.cols, on_duplicate)
            problems: list = []
            written: list[tuple[int, Any, int]] = []  # (id, group, rows merged into it when it was sent)
            seen, next_id = 0, db.first_id
            for good, bad in rows.chunks:
                problems.extend(bad)
                for row in good:
                    add(row)
                new = [g for g in planner.groups[seen:] if g.existing is None]
                seen = len(planner.groups)
                if rejects is None and (problems or planner.problems):
                    continue  # nothing will be written: read on, to report every bad row
                ids = bulk.insert_clients(db, new, user=user, now=now, first_id=next_id)
                written.extend((cid, g, len(g.merged or ())) for cid, g in zip(ids, new))
                next_id += len(new)
            parsed = Parsed(rows.cols, [], problems, rows.header_line)
            out = outcome(db, planner, problems, on_duplicate)
            if out.problems and rejects is None:
                return parsed, out  # the writer rolls back: nothing written
            # Later rows merged into clients already sent: those are written again, whole.
            bulk.rewrite_clients(db, [(cid, g) for cid, g, merges in written if len(g.merged or ()) > merges],
                                 user=user, now=now)
            ticker.phase(sum(1 for c in out.changes if c))
            bulk.apply_changes(db, out.changes, user=user, now=now, progress=ticker.advance)
            if out.problems:
                write_rejects(source, parsed, out.problems, rejects)
            db.commit()
    except WriterGone:
        raise TgError(i18n.t("import.writer_gone", path=path)) from None
    return parsed, out


def write_rejects(source: Source, parsed: Parsed, problems: list, path: Path) -> None:
    """The rejected rows as they were, plus a reason column: fix them and import this file."""
    from ..export import cell, open_output
    from ..importer import REJECT_REASON, unneutralise

    reasons: dict[int, list[str]] = {}
    for p in problems:
        reasons.setdefault(p.line, []).append(f"{p.column}: {p.reason}")
    headers = list(parsed.cols.headers)
    at = parsed.cols.field_of(REJECT_REASON)
    if at:
        slot = at[0]
    else:
        slot = len(headers)
        headers.append(REJECT_REASON)
    try:
        with open_output(path, "utf-8-sig") as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow([cell(h) for h in headers])
            for line, cells in source.rows():
                if line in reasons:
                    values = [unneutralise(c) for c in cells] + [""] * (len(headers) - len(cells))
                    values[slot] = i18n.t("import.reject_reason", row=line, reasons="; ".join(reasons[line]))
                    writer.writerow([cell(v) for v in values])
    except OSError as exc:
        raise TgError(i18n.t("import.cannot_write", path=path, reason=exc.strerror or exc)) from None


# --- reporting ---------------------------------------------------------------------------------


def _capped(lines: list[str]) -> list[str]:
    shown = [f"  {x}" for x in lines[:SHOWN]]
    if len(lines) > SHOWN:
        shown.append("  " + i18n.t("import.more", count=len(lines) - SHOWN))
    return shown


def _list(title: str, lines: list[str]) -> None:
    say(title, *_capped(lines))  # client names from the file


def _merge_text(m) -> str:
    return i18n.t("import.merge_line", row=m.line, into=m.into, name=m.name)


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\n", " ⏎ ")
    return text if len(text) <= 40 else text[:39] + "…"


def _print_plan(out: Outcome) -> None:
    """What a real run would do, one line per row, in file order: to stdout."""
    entries: list[tuple[int, str]] = []
    label = {k: i18n.t(f"import.plan.{k}") for k in ("create", "update", "same", "merge", "skip", "reject")}
    width = max(len(v) for v in label.values())
    for g in out.created:
        extra = f"  (+{len(g.contacts)} {i18n.t('import.contacts')})" if g.contacts else ""
        entries.append((g.line, f"{label['create']:<{width}}  {i18n.t('import.row', row=g.line)}  {g.name}{extra}"))
    for ch in out.changes:
        g = ch.group
        head = f"{i18n.t('import.row', row=g.line)}  #{ch.id} {g.name}"
        if not ch:
            entries.append((g.line, f"{label['same']:<{width}}  {head}"))
            continue
        parts = [f"{k}: {_show(ch.before.get(k))} → {_show(v)}" for k, v in ch.fields.items() if k not in ("name_key", "dedupe_key")]
        if ch.contacts:
            parts.append(f"+{len(ch.contacts)} {i18n.t('import.contacts')}")
        if ch.phone_fills:
            parts.append(f"+{len(ch.phone_fills)} {i18n.t('field.phone')}")
        entries.append((g.line, f"{label['update']:<{width}}  {head}  " + "; ".join(parts)))
    for g in out.skipped:
        entries.append((g.line, f"{label['skip']:<{width}}  {i18n.t('import.row', row=g.line)}  #{g.existing} {g.name}"))
    for m in out.merges:
        entries.append((m.line, f"{label['merge']:<{width}}  {_merge_text(m)}"))
    for p in out.problems:
        entries.append((p.line, f"{label['reject']:<{width}}  {p.text()}"))
    entries.sort(key=lambda e: e[0])
    say(*(text for _, text in entries), file=sys.stdout)  # names and values from the file
    sys.stdout.flush()
