"""tg export TABLE — streamed rows for spreadsheets and scripts, as CSV, JSON, JSON Lines or xlsx."""

from __future__ import annotations

import codecs
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import NamedTuple, Optional

import typer

from .. import i18n
from ..errors import TgError, UsageError
from .options import text_encoding
from .output import say


class Exportable(NamedTuple):
    """A table `tg export` can write: ``module.function`` (in tuangou_cli) returns (columns, a Core
    statement) that is run through the Store, so row-level security holds for a rep; ``sheet`` is
    the i18n key of the xlsx sheet's name."""

    module: str
    function: str
    sheet: str


# Every exportable table, in the order `tg export --help` lists them. A feature adds its own table
# with one line here (and its sheet name in i18n.py).
EXPORTS: dict[str, Exportable] = {
    "clients": Exportable("store.queries", "clients_query", "export.sheet.clients"),
    "referrals": Exportable("store.queries", "referrals_query", "export.sheet.referrals"),
    "classifications": Exportable("store.queries", "classifications_query", "export.sheet.classifications"),
    "rewards": Exportable("store.queries", "rewards_query", "export.sheet.rewards"),
    "audit": Exportable("store.queries", "audit_query", "export.sheet.audit"),
    "deals": Exportable("export_queries", "deals_query", "export.sheet.deals"),
    "contacts": Exportable("export_queries", "contacts_query", "export.sheet.contacts"),
    "activities": Exportable("export_queries", "activities_query", "export.sheet.activities"),
    "needs": Exportable("export_queries", "needs_query", "export.sheet.needs"),
    "competitors": Exportable("export_queries", "competitors_query", "export.sheet.competitors"),
    "cases": Exportable("export_queries", "cases_query", "export.sheet.cases"),
}

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
    from ..export import WRITERS, choose_format, open_output

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
        count = _export_xlsx(ctx.obj, what.value, output)
        if output is not None:
            say(i18n.t("export.written", count=count, path=output))
        return
    fmt = ExportFormat(chosen)
    enc = encoding or ("utf-8-sig" if excel else "utf-8")
    if text_encoding(enc) is None:  # rot13, base64, idna, a NUL in the name…: no codec for a text file
        raise UsageError(i18n.t("export.bad_encoding", encoding=enc))
    if excel and encoding and codecs.lookup(encoding).name == "utf-8":
        enc = "utf-8-sig"  # --excel means a BOM, even when utf-8 is named explicitly

    count = 0
    try:
        with _rows(ctx.obj, what.value, fmt.value) as (columns, rows, writer), open_output(output, enc) as out:
            count = (writer or WRITERS[fmt.value])(rows, columns, out)
    except UnicodeEncodeError as exc:
        raise TgError(i18n.t("export.unencodable", encoding=enc, char=exc.object[exc.start:exc.end])) from None
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise TgError(i18n.t("export.cannot_write", path=output or "stdout", reason=exc.strerror or exc)) from None
    if output is not None:
        say(i18n.t("export.written", count=count, path=output))


@contextmanager
def _rows(app_ctx, what: str, fmt: str):
    """(columns, rows streamed from the database, the writer when not the format's usual one).

    Clients on a SQLite file at the current schema are read with the sqlite3 module: loading
    SQLAlchemy would take longer than writing 100,000 rows (rawdb.py). Everything else goes through the Store and its Core query.
    """
    if what == Table.clients.value:
        from .. import rawdb

        if fmt == ExportFormat.csv.value:  # a big table: half of it made by a second process
            from ..export_split import ExporterGone, client_batches

            path = rawdb.sqlite_file(rawdb.resolve_url(app_ctx.db))
            with rawdb.translate_errors(path):  # a damaged file is said as such
                batches = client_batches(str(path)) if path is not None else None
            if batches is not None:
                from ..export import write_csv_cells
                from ..store.queries import CLIENT_COLUMNS

                try:
                    with rawdb.translate_errors(path):
                        yield CLIENT_COLUMNS, batches, write_csv_cells
                except ExporterGone:
                    raise TgError(i18n.t("export.split_gone", path=path)) from None
                finally:
                    batches.close()
                return
        conn = rawdb.connect_at_head(app_ctx.db)
        if conn is not None:
            from ..export import write_csv_cells
            from ..store.queries import CLIENT_COLUMNS, client_cells_sqlite, client_rows_sqlite

            try:
                with rawdb.translate_errors(rawdb.sqlite_file(rawdb.resolve_url(app_ctx.db))):
                    if fmt == ExportFormat.csv.value:
                        yield CLIENT_COLUMNS, client_cells_sqlite(conn), write_csv_cells
                    else:
                        yield CLIENT_COLUMNS, client_rows_sqlite(conn), None
            finally:
                conn.rollback()
                conn.close()
            return
    columns, stmt = _query(what)
    with app_ctx.store().read() as session:
        yield columns, session.connection().execution_options(yield_per=2000).execute(stmt), None


def _query(what: str):
    import importlib

    entry = EXPORTS[what]
    return getattr(importlib.import_module(f"tuangou_cli.{entry.module}"), entry.function)()


def _export_xlsx(app_ctx, what: str, output: Path | None) -> int:
    """One sheet named in the run's language, typed cells. Clients on a SQLite file at the current
    schema are read with the sqlite3 module (rawdb.py), as for CSV: the rows, with their stamps
    as datetimes, are what the Store's road gives."""
    from ..export import write_table

    sheet = i18n.t(EXPORTS[what].sheet)
    try:
        if what == "clients":
            from .. import rawdb

            conn = rawdb.connect_at_head(app_ctx.db)
            if conn is not None:
                from ..store.queries import CLIENT_COLUMNS

                try:
                    with rawdb.translate_errors(rawdb.sqlite_file(rawdb.resolve_url(app_ctx.db))):
                        return write_table("xlsx", _typed_client_rows(conn), CLIENT_COLUMNS, output, sheet=sheet)
                finally:
                    conn.rollback()
                    conn.close()
        columns, stmt = _query(what)
        with app_ctx.store().read() as session:
            rows = session.connection().execution_options(yield_per=2000).execute(stmt)
            return write_table("xlsx", rows, columns, output, sheet=sheet)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise TgError(i18n.t("export.cannot_write", path=output or "stdout", reason=exc.strerror or exc)) from None


def _typed_client_rows(conn):
    """The clients as the sqlite3 module reads them, created_at and updated_at as aware datetimes
    (from the text SQLAlchemy stored; one conversion per distinct value)."""
    from ..store.queries import CLIENT_COLUMNS
    from ..rawdb import from_sqlite

    a, b = CLIENT_COLUMNS.index("created_at"), CLIENT_COLUMNS.index("updated_at")
    seen: dict = {}

    def when(text):
        if text is None:
            return None
        out = seen.get(text)
        if out is None:
            out = seen[text] = from_sqlite(text)
        return out

    cur = conn.execute(f"SELECT {', '.join(CLIENT_COLUMNS)} FROM client ORDER BY id")
    while batch := cur.fetchmany(2000):
        for row in batch:
            row = list(row)
            row[a], row[b] = when(row[a]), when(row[b])
            yield row
