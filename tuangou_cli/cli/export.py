"""tg export clients|referrals|classifications|rewards|audit — streamed rows for spreadsheets and scripts."""

from __future__ import annotations

import codecs
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..errors import TgError, UsageError
from .options import text_encoding
from .output import say


class Table(str, Enum):
    clients = "clients"
    referrals = "referrals"
    classifications = "classifications"
    rewards = "rewards"
    audit = "audit"


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def export(
    ctx: typer.Context,
    what: Table = typer.Argument(..., help=i18n.both("help.export.what"), case_sensitive=False),
    fmt: ExportFormat = typer.Option(ExportFormat.csv.value, "--format", "-f", help=i18n.both("help.format"),
                                     case_sensitive=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=i18n.both("help.export.output"),
                                          metavar="FILE"),
    excel: bool = typer.Option(False, "--excel", help=i18n.both("help.export.excel")),
    encoding: Optional[str] = typer.Option(None, "--encoding", help=i18n.both("help.export.encoding")),
) -> None:
    from ..export import WRITERS, open_output

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
    from ..store.queries import QUERIES

    columns, stmt = QUERIES[what]()
    with app_ctx.store().read() as session:
        yield columns, session.connection().execution_options(yield_per=2000).execute(stmt), None
