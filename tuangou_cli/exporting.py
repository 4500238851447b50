"""Reading a table out for tg export, as a use case: the rows streamed from the database, and
the xlsx written from them. The clients of a SQLite file at the current schema are read with
the sqlite3 module (rawdb.py); every other table through the Store and its Core query, so
row-level security holds for a rep. cli/export.py chooses the format and output and reports."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from . import i18n
from .errors import TgError
from .export_tables import EXPORTS


@contextmanager
def rows(app_ctx, what: str, fmt: str):
    """(columns, rows streamed from the database, the writer when not the format's usual one).

    Clients on a SQLite file at the current schema are read with the sqlite3 module: loading
    SQLAlchemy would take longer than writing 100,000 rows (rawdb.py). Everything else goes through the Store and its Core query.
    """
    if what == "clients":
        from . import rawdb

        if fmt == "csv":  # a big table: half of it made by a second process
            from .export_split import ExporterGone, client_batches

            path = rawdb.sqlite_file(rawdb.resolve_url(app_ctx.db))
            with rawdb.translate_errors(path):  # a damaged file is said as such
                batches = client_batches(str(path)) if path is not None else None
            if batches is not None:
                from .export import write_csv_cells
                from .store.queries import CLIENT_COLUMNS

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
            from .export import write_csv_cells
            from .store.queries import CLIENT_COLUMNS, client_cells_sqlite, client_rows_sqlite

            try:
                with rawdb.translate_errors(rawdb.sqlite_file(rawdb.resolve_url(app_ctx.db))):
                    if fmt == "csv":
                        yield CLIENT_COLUMNS, client_cells_sqlite(conn), write_csv_cells
                    else:
                        yield CLIENT_COLUMNS, client_rows_sqlite(conn), None
            finally:
                conn.rollback()
                conn.close()
            return
    columns, stmt = query(what)
    with app_ctx.store().read() as session:
        yield columns, session.connection().execution_options(yield_per=2000).execute(stmt), None


def write_text(app_ctx, what: str, fmt: str, output: Path | None, encoding: str = "utf-8") -> int:
    """``what`` as CSV, JSON or JSON Lines to ``output`` (written beside it and renamed into place)
    or stdout; the number of rows. A character the encoding lacks, or a file that cannot be
    written, is one line (a broken pipe is left to the command line's own handling)."""
    from .export import WRITERS, open_output

    try:
        with rows(app_ctx, what, fmt) as (columns, found, writer), open_output(output, encoding) as out:
            return (writer or WRITERS[fmt])(found, columns, out)
    except UnicodeEncodeError as exc:
        raise TgError(i18n.t("export.unencodable", encoding=encoding, char=exc.object[exc.start:exc.end])) from None
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise TgError(i18n.t("export.cannot_write", path=output or "stdout", reason=exc.strerror or exc)) from None


def query(what: str):
    import importlib

    entry = EXPORTS[what]
    return getattr(importlib.import_module(f"tuangou_cli.{entry.module}"), entry.function)()


def export_xlsx(app_ctx, what: str, output: Path | None) -> int:
    """One sheet named in the run's language, typed cells. Clients on a SQLite file at the current
    schema are read with the sqlite3 module (rawdb.py), as for CSV: the rows, with their stamps
    as datetimes, are what the Store's road gives."""
    from .export import write_table

    sheet = i18n.t(EXPORTS[what].sheet)
    try:
        if what == "clients":
            from . import rawdb

            conn = rawdb.connect_at_head(app_ctx.db)
            if conn is not None:
                from .store.queries import CLIENT_COLUMNS

                try:
                    with rawdb.translate_errors(rawdb.sqlite_file(rawdb.resolve_url(app_ctx.db))):
                        return write_table("xlsx", typed_client_rows(conn), CLIENT_COLUMNS, output, sheet=sheet)
                finally:
                    conn.rollback()
                    conn.close()
        columns, stmt = query(what)
        with app_ctx.store().read() as session:
            rows = session.connection().execution_options(yield_per=2000).execute(stmt)
            return write_table("xlsx", rows, columns, output, sheet=sheet)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise TgError(i18n.t("export.cannot_write", path=output or "stdout", reason=exc.strerror or exc)) from None


def typed_client_rows(conn):
    """The clients as the sqlite3 module reads them, created_at and updated_at as aware datetimes
    (from the text SQLAlchemy stored; one conversion per distinct value)."""
    from .store.queries import CLIENT_COLUMNS
    from .rawdb import from_sqlite

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
