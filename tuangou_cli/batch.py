"""Classify a whole lead list from its notes column: ``tg classify --batch FILE [-o OUT]``.

The file is read by tables.py (CSV/TSV in UTF-8, UTF-16 or GB18030, comma, tab or semicolon;
XLSX; XLS; ``-`` for stdin), as every import reads it, and its columns are named by the one
header vocabulary (cells.ALIASES, through importer.map_headers): the header row is the first
that has a notes column (a title row above it is skipped). Each row gives back the kind of
buyer, the confidence, the reasons and the best bundle with its total. The headcount, budget
(per head or total: 预算 is the total, as `tg import` reads it) and occasion columns are used
when the file has them, read by the one cell parser; else the figures written in the notes.

The fast path: the playbook is parsed once, the catalogue read once, rows are read, classified and
written one at a time (memory flat in the row count), and each row costs a phrase scan, a figures
scan and the offer `tg classify --notes` makes (offering.price, on the catalogue) — no Rich, no ORM.
"""

from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import classify as engine
from . import i18n
from .cells import header_key, number_or_none
from .errors import TgError
from .notes import figures_reason, read_notes
from .tables import Table, open_table

OUT_COLUMNS = ("segment", "segment_name", "confidence", "reasons", "bundle", "bundle_total")


def _fail(key: str, **params: Any) -> TgError:
    return TgError(i18n.t(key, **params))


# --- reading ---------------------------------------------------------------------------------


def columns_of(headers: list[str], notes_column: str | None):
    """The header row mapped by the one vocabulary (an importer.Columns), the notes taken from
    ``notes_column`` when given; None when the row has no notes column."""
    from .importer import map_headers

    cols = map_headers(headers, {})
    if notes_column is not None:
        if notes_column in headers:
            at = headers.index(notes_column)
        else:
            keys = [header_key(h) for h in headers]
            if header_key(notes_column) not in keys:
                return None
            at = keys.index(header_key(notes_column))
        cols.fields = {i: f for i, f in cols.fields.items() if f != "notes"}
        cols.fields[at] = "notes"
    return cols if cols.field_of("notes") else None


def open_leads(path: Path, sheet: str | None, notes_column: str | None) -> tuple[Table, Any]:
    """The lead list and its columns; a file without a notes column is refused, naming its headers."""
    table = open_table(path, sheet=sheet, header=lambda cells: columns_of(cells, notes_column) is not None)
    cols = columns_of(table.headers, notes_column) if table.found else None
    if cols is None:
        table.close()
        shown = ", ".join(str(h) for h in table.headers if str(h).strip())
        if notes_column is not None:
            raise _fail("notes.batch.no_column", path=path, column=notes_column, columns=shown)
        from .cells import ALIASES

        raise _fail("notes.batch.no_notes_column", path=path, looked="/".join(ALIASES["notes"][:6] + (
            "notes", "description", "call notes")), columns=shown)
    table.headers = [h or f"column{i + 1}" for i, h in enumerate(table.headers)]
    return table, cols


@dataclass
class RowResult:
    segment: str
    segment_name: str
    confidence: float
    reasons: list[str]
    bundle: str | None
    total: Any  # Decimal | None
    counts: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)  # headcount, budgets read from the notes (not columns)
    occasion: str | None = None  # what the notes say it is for (春节…), as `tg classify --notes` saves it


def classify_row(pb, text: str, headcount: Any = None, per_head: Any = None, total: Any = None,
                 memo: dict | None = None, occasion: Any = None, catalogue: Any = None) -> RowResult:
    """One lead: its notes, plus the figures from its own columns when the file has them.

    ``memo`` keeps classifications by the evidence found (the same phrases, negated or not,
    always give the same segment, confidence and reasons), so a long list pays once per
    distinct combination.
    """
    match = read_notes(pb, text)
    key = (bool(text.strip()), tuple((h.rule, h.negated, h.quote) for h in match.hits))
    result = memo.get(key) if memo is not None else None
    if result is None:
        result = engine.classify(pb, {}, extra=match)
        if memo is not None:
            memo[key] = result
    reasons = list(result.reasons)

    fields: dict[str, Any] = {}
    for name, raw in (("headcount", headcount), ("budget_per_head", per_head), ("budget_total", total)):
        value = number_or_none(raw, integer=name == "headcount")  # the one cell parser, as `tg import` reads it
        if value is not None:
            fields[name] = value
    if fields.get("headcount") == 0:
        del fields["headcount"]
    used = set()
    for name, value in match.figures.fields().items():
        if name not in fields:
            fields[name] = value
            used.add(name)
    line = figures_reason(match.figures, used, pb.currency)
    if line:
        reasons.append(line)
    told = result.fields.get("occasion")
    written = str(occasion).strip() if occasion is not None and str(occasion).strip() else None
    more = {"scores": result.scores, "figures": {k: fields[k] for k in used}, "occasion": told}

    if result.segment == engine.UNKNOWN:
        return RowResult(result.segment, i18n.t("segment.unknown"), result.confidence, reasons, None, None, **more)
    seg = pb.segment(result.segment)
    # The offer `tg classify --notes` makes for the same call: the catalogue's, for what the notes
    # ask (20 printers get printers, not a suit), priced on the budget's own basis.
    from .offering import price

    priced = price(pb, result.segment, {k: v for k, v in fields.items() if v is not None},
                   wanted_tags=result.tags, occasion=written or told,  # the file's column, else the notes
                   catalogue=catalogue, notes=text or None, limit=1, match=match, explain=False)
    if not priced.offers:
        if priced.note:
            reasons.append(priced.note)
        return RowResult(result.segment, seg.name.get(), result.confidence, reasons, None, None, **more)
    best = priced.offers[0]
    return RowResult(result.segment, seg.name.get(), result.confidence, reasons, best.code, best.total, **more)


def output_columns(headers: list[str], names: tuple[str, ...] = OUT_COLUMNS) -> list[str]:
    taken = set(headers)
    return [c if c not in taken else f"{c} (tg)" for c in names]


def notes_text(row: list[Any], cols) -> str:
    """The row's notes: its notes column (several, one line each)."""
    parts = [str(row[i]) for i in cols.field_of("notes") if i < len(row) and row[i] is not None and str(row[i]).strip()]
    return "\n".join(parts)


SEEN_ROWS = 20_000  # distinct rows remembered (results are shared, never changed): memory stays bounded


def results(pb, rows: Iterator[tuple[int, list[Any]]], cols,
            catalogue: Any = None) -> Iterator[tuple[int, list[Any], RowResult]]:
    """(line, cells, classification) for each row, in order, as the rows are read; offers from
    ``catalogue`` (an offering.CatalogueSource; the shipped catalogue when None)."""
    memo: dict = {}
    notes = cols.field_of("notes")
    at = {f: (cols.field_of(f) or [None])[0] for f in ("headcount", "budget_per_head", "budget_total", "occasion")}
    at = {f: i if i not in notes else None for f, i in at.items()}

    def cell(row: list[Any], i: int | None) -> Any:
        return row[i] if i is not None and i < len(row) else None

    seen: dict = {}  # the same notes and figures (a template note, an empty one) are read once
    for line, row in rows:
        text = notes_text(row, cols)
        cells = (cell(row, at["headcount"]), cell(row, at["budget_per_head"]), cell(row, at["budget_total"]),
                 cell(row, at["occasion"]))
        key = (text, *((type(v), v) for v in cells))  # typed: 1, 1.0 and True are three cells
        try:
            r = seen.get(key)
        except TypeError:  # a cell that cannot be a key: read the row, remember nothing
            r, key = None, None
        if r is None:
            r = classify_row(pb, text, *cells[:3], memo, cells[3], catalogue)
            if key is not None:
                if len(seen) >= SEEN_ROWS:
                    seen.clear()
                seen[key] = r
        yield line, row, r


def out_cells(r: RowResult) -> list[Any]:
    """The values of the OUT_COLUMNS for one row."""
    return [r.segment, r.segment_name, r.confidence, "; ".join(r.reasons), r.bundle,
            float(r.total) if r.total is not None else None]


def padded(row: list[Any], width: int) -> list[Any]:
    """A row as wide as the header, so the output columns line up (cells beyond the header row,
    which has no name for them, are not written back)."""
    if len(row) < width:
        return row + [None] * (width - len(row))
    return row[:width] if len(row) > width else row


TICK = 1024  # rows between two progress reports: a bar that moves, at no cost per row


def classified_rows(pb, table: Table, cols, counts: dict[str, int], *, raw: bool,
                    progress: Any = None, catalogue: Any = None) -> Iterator[list[Any]]:
    """The input rows (as wide as the header), each with the output columns appended; ``counts``
    tallies the segments; ``progress`` (an import_file.Progress) hears how far reading has got."""
    width = len(table.headers)
    if progress is None:
        for _line, row, r in results(pb, table.rows(raw=raw), cols, catalogue):
            counts[r.segment] = counts.get(r.segment, 0) + 1
            yield [*padded(row, width), *out_cells(r)]
        return
    progress.read(table)
    left = TICK
    for _line, row, r in results(pb, table.rows(raw=raw), cols, catalogue):
        counts[r.segment] = counts.get(r.segment, 0) + 1
        yield [*padded(row, width), *out_cells(r)]
        left -= 1
        if not left:
            progress.read(table)
            left = TICK


@dataclass
class BatchDone:
    rows: int
    counts: dict[str, int]
    notes_column: str
    output: Path | None


def run_batch(app_ctx: Any, path: Path, *, output: Path | None, notes_column: str | None, sheet: str | None,
              fmt: str, progress: Any = None, catalogue: Any = None) -> BatchDone:
    """tg classify --batch: the lead list back with segment, confidence, reasons, bundle and total
    (``fmt`` "json", "jsonl" or CSV; an .xlsx output is a workbook), streamed row by row.
    ``progress``: an import_file.Progress told how far reading has got (a bar on a terminal);
    ``catalogue``: where the offers come from (offering.CatalogueSource; by default the database's
    catalogue, or the shipped one when there is no database yet)."""
    pb = app_ctx.playbook()
    if catalogue is None:
        from .store.catalog import source_read_once

        catalogue = source_read_once(app_ctx, pb)
        catalogue()  # read before any output is opened: a database that cannot be read fails first
    table, cols = open_leads(path, sheet, notes_column)
    with table:
        columns = table.headers + output_columns(table.headers)
        counts: dict[str, int] = {}
        # A file goes back in the encoding the list came in (GB18030 stays GB18030); stdout is UTF-8.
        with batch_output(output, fmt, (table.encoding or "utf-8") if output is not None else "utf-8",
                          columns) as write:
            n = write(classified_rows(pb, table, cols, counts, raw=is_xlsx(output), progress=progress,
                                      catalogue=catalogue))
    return BatchDone(n, counts, table.headers[cols.field_of("notes")[0]], output)


def is_xlsx(output: Path | None) -> bool:
    return output is not None and output.suffix.lower() in (".xlsx", ".xlsm")


@contextmanager
def batch_output(output: Path | None, fmt: str, encoding: str, columns: list[str]) -> Iterator:
    """Where the classified rows go: yields ``write(rows) -> count``. A CSV or JSON file is opened
    (beside its target) before the block runs, so a path that cannot be written fails first, and
    is renamed into place when the block ends without an error."""
    from .export import open_output, write_csv, write_json, write_jsonl

    try:
        if is_xlsx(output):
            folder = output.parent
            if not folder.is_dir() or not os.access(folder, os.W_OK):  # written only at the end: check now
                code = errno.EACCES if folder.is_dir() else errno.ENOENT
                raise TgError(i18n.t("notes.batch.cannot_write", path=output, reason=os.strerror(code)))
            yield lambda rows: write_xlsx(output, columns, rows)
            return
        writer = {"json": write_json, "jsonl": write_jsonl}.get(fmt, write_csv)
        with open_output(output, encoding) as out:
            yield lambda rows: writer(rows, columns, out)
    except OSError as exc:
        raise TgError(i18n.t("notes.batch.cannot_write", path=output, reason=exc.strerror or exc)) from None


# --- writing ---------------------------------------------------------------------------------


def write_xlsx(path: Path, columns: list[str], rows: Iterator[list[Any]]) -> int:
    """A one-sheet workbook by the one xlsx writer (typed cells, text never a formula, a frozen
    header), written beside ``path`` and renamed into place at the end."""
    from .export import open_binary_output
    from .xlsx import write_xlsx as write_workbook

    with open_binary_output(path) as out:
        return write_workbook(rows, columns, out, sheet=i18n.t("notes.batch.sheet"))
