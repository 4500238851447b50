"""Importing a price list into the catalogue: read, check, write in one transaction.

``table_rows`` is the one place a file's rows are read: through the table reader every import
shares. A price list may open with a title or a note above its header (报价单, 单位：元): the
header is the first row, of the first ten, that names a product name and a price column.
Every bad cell is a problem with its row and column; unless the rejects go to a file
(``--skip-errors``), one problem means nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import catalog as cat
from . import i18n
from .errors import TgError

HEADER_SEARCH = 10  # rows looked at for the header


def table_rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of a csv/tsv/xlsx/xls file, through the one table reader."""
    from .tables import open_table

    table = open_table(path, sheet=sheet)
    try:
        yield from table.all_rows()
    finally:
        table.close()


@dataclass
class PriceList:
    path: Path
    header_row: int
    headers: list[str]
    products: list[cat.Product] = field(default_factory=list)
    bundles: list[cat.BundleRow] = field(default_factory=list)
    problems: list[cat.RowProblem] = field(default_factory=list)
    rejected: list[tuple[int, list[str], str]] = field(default_factory=list)  # row, cells, reason
    by_line: dict = field(default_factory=dict, repr=False)


def read_price_list(path: Path, sheet: str | None = None) -> PriceList:
    """Every row of the file read and checked (nothing written)."""
    if not path.exists():
        raise TgError(i18n.t("catalog.file_not_found", path=path))
    rows = list(table_rows(path, sheet))
    header_at = None
    for i, (line, cells) in enumerate(rows[:HEADER_SEARCH]):
        cols = cat.map_headers(cells)
        if "name_zh" in cols and "unit_price" in cols:
            header_at = i
            break
    if header_at is None:
        first = rows[0][1] if rows else []
        try:
            list(cat.read_rows(first, []))
        except cat.RowProblem as exc:
            raise TgError(exc.line(str(path))) from None
        raise TgError(i18n.t("catalog.no_header", path=path))
    header_line, headers = rows[header_at]
    body = rows[header_at + 1:]
    out = PriceList(path, header_line, headers)
    by_line = {line: cells for line, cells in body}
    for item in cat.read_rows(headers, [cells for _, cells in body], lines=[line for line, _ in body],
                              header_row=header_line):
        if isinstance(item, cat.RowProblem):
            out.problems.append(item)
            out.rejected.append((item.row, by_line[item.row], item.message))
        elif isinstance(item, cat.BundleRow):
            out.bundles.append(item)
        else:
            out.products.append(item)
    out.by_line = by_line
    return out


def check_bundles(price_list: PriceList, known: set[str]) -> None:
    """A bundle row naming a product neither in the file nor in the catalogue is a problem."""
    known = known | {p.code for p in price_list.products}
    good = []
    for b in price_list.bundles:
        missing = [c for c, _ in b.lines if c not in known]
        if missing:
            problem = cat.RowProblem(b.row, b.column, i18n.t("catalog.unknown_line", codes=", ".join(missing)))
            price_list.problems.append(problem)
            price_list.rejected.append((b.row, price_list.by_line[b.row], problem.message))
        else:
            good.append(b)
    price_list.bundles = good
    price_list.problems.sort(key=lambda p: p.row)
    price_list.rejected.sort(key=lambda r: r[0])


def write_rejects(path: Path, price_list: PriceList) -> None:
    """The rows that were not imported, as they were, with the reason in a last column."""
    from .export import open_output, write_csv

    columns = [*price_list.headers, i18n.t("catalog.reject_column")]
    rows = [[*cells, f"{i18n.t('catalog.row')} {line}: {reason}"] for line, cells, reason in price_list.rejected]
    with open_output(path, "utf-8-sig") as out:
        write_csv(rows, columns, out)


@dataclass
class ImportReport:
    price_list: PriceList
    result: object  # catalog_store.ImportResult
    dry_run: bool
    seeded: bool


def run_import(app_ctx, pb, path: Path, *, sheet: str | None = None, dry_run: bool = False,
               rejects: Path | None = None, replace: bool = False) -> ImportReport:
    """tg catalog import: one transaction; a problem stops it unless rejects go to a file."""
    price_list = read_price_list(path, sheet)
    if price_list.problems and rejects is None:
        _refuse(price_list, path)  # before the database is even opened
    user = app_ctx.user()
    if not price_list.bundles:
        report = _write_sqlite(app_ctx, price_list, user=user, path=path, dry_run=dry_run, rejects=rejects,
                               replace=replace)
        if report is not None:
            return report
    store = app_ctx.store()
    try:
        return _write(store, pb, price_list, user=user, path=path, dry_run=dry_run, rejects=rejects, replace=replace)
    except _DryRun as done:
        return done.report


def _write_sqlite(app_ctx, price_list: PriceList, *, user: str, path: Path, dry_run: bool, rejects: Path | None,
                  replace: bool) -> ImportReport | None:
    """The import on a SQLite file at this tg's schema through the stdlib sqlite3 module, in one
    BEGIN IMMEDIATE transaction; None when that road does not apply (not SQLite, not at HEAD,
    an empty catalogue to seed first), and the Store road is taken."""
    from .store import catalog as catalog_store
    from .rawdb import connect_at_head, translate_errors

    conn = connect_at_head(app_ctx.db, write=True)
    if conn is None:
        return None
    try:
        with translate_errors(path):
            if catalog_store.is_empty_sqlite(conn):
                conn.execute("ROLLBACK")
                return None
            result = catalog_store.import_products_sqlite(conn, price_list.products, by=user,
                                                          source=f"import {path.name}", replace=replace,
                                                          dry_run=dry_run)
            if dry_run:
                conn.execute("ROLLBACK")
            else:
                if rejects is not None and price_list.rejected:
                    write_rejects(rejects, price_list)
                conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
    return ImportReport(price_list, result, dry_run, False)


def _refuse(price_list: PriceList, path: Path) -> None:
    first = price_list.problems[0].line(str(path))
    more = len(price_list.problems) - 1
    raise TgError(first + (i18n.t("catalog.more_problems", count=more) if more else "") + i18n.t("catalog.nothing_written"))


class _DryRun(Exception):
    """Leaves the write transaction by rolling it back, with what it would have done."""

    def __init__(self, report: ImportReport):
        self.report = report


def _write(store, pb, price_list: PriceList, *, user: str, path: Path, dry_run: bool, rejects: Path | None,
           replace: bool) -> ImportReport:
    from .store import catalog as catalog_store

    with store.write() as session:
        seeded = catalog_store.ensure_seeded(session, pb, by=user)
        if price_list.bundles:
            check_bundles(price_list, set(catalog_store.existing_rows(session)))
        if price_list.problems and rejects is None:
            _refuse(price_list, path)
        if not price_list.products and not price_list.bundles:
            raise TgError(i18n.t("catalog.no_products", path=path))
        result = catalog_store.import_products(session, price_list.products, by=user, source=f"import {path.name}",
                                               replace=replace, dry_run=dry_run)
        if price_list.bundles and not dry_run:
            result.bundles = catalog_store.upsert_bundles(session, price_list.bundles, by=user)
        report = ImportReport(price_list, result, dry_run, seeded)
        if dry_run:
            raise _DryRun(report)
        # The rejects file is written before the commit: if it cannot be, nothing is imported.
        if rejects is not None and price_list.rejected:
            write_rejects(rejects, price_list)
    return report


def export_rows(catalogue: cat.Catalogue, *, include_inactive: bool = False) -> list[list[str]]:
    return [[p.row()[c] for c in cat.COLUMNS] for p in catalogue.products.values()
            if include_inactive or p.active]


def write_catalog_csv(catalogue: cat.Catalogue, out, *, include_inactive: bool = False) -> int:
    from .export import write_csv

    return write_csv(export_rows(catalogue, include_inactive=include_inactive), list(cat.COLUMNS), out)

