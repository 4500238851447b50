"""Classify a whole lead list from its notes column: ``tg classify --batch FILE [-o OUT]``.

Reads a CSV (UTF-8, UTF-8 with BOM or GB18030; comma or tab) or an xlsx sheet, finds the
notes column by its header, and gives back the same rows with the kind of buyer, the
confidence, the reasons and the best bundle with its total. Headcount and budget columns are
used when the file has them, else the figures written in the notes.

The fast path: the playbook is parsed once, no database is opened, and each row costs a
phrase scan, a figures scan and integer bundle pricing (recommend.best_offer) — no Rich,
no ORM, no per-row objects beyond the output row.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import classify as engine
from . import i18n
from .errors import TgError
from .notes import figures_reason, fold, parse_number, read_notes
from .recommend import best_offer, recommend

# Header names that mark a column, most specific first. Compared folded, without spaces,
# underscores, dashes, colons or a bracketed unit: "人数（人）" is 人数, "Call_Notes" is callnotes.
NOTES_HEADERS = ("备注", "需求", "需求描述", "需求说明", "客户需求", "描述", "通话备注", "通话记录", "沟通记录",
                 "跟进记录", "跟进情况", "情况说明", "说明", "notes", "note", "callnotes", "description",
                 "requirements", "needs", "comments", "comment", "remarks", "details")
HEADCOUNT_HEADERS = ("人数", "员工人数", "职工人数", "员工数", "总人数", "份数", "headcount", "employees",
                     "numberofemployees", "numberofstaff", "staff", "people")
PER_HEAD_HEADERS = ("人均预算", "每人预算", "单人预算", "人均", "预算/人", "预算每人", "budgetperhead",
                    "perheadbudget", "budget/head", "perhead", "budgetperperson")
TOTAL_HEADERS = ("总预算", "预算总额", "预算总金额", "总金额", "totalbudget", "budgettotal")

OUT_COLUMNS = ("segment", "segment_name", "confidence", "reasons", "bundle", "bundle_total")

_HEADER_NOISE = re.compile(r"[\s_\-:：]|（[^）]*）|\([^)]*\)")


def header_key(name: str) -> str:
    return _HEADER_NOISE.sub("", fold(name))


def find_column(headers: list[str], candidates: tuple[str, ...]) -> int | None:
    """The first header equal to a candidate (in the candidates' order), else one containing one."""
    keys = [header_key(h) for h in headers]
    for cand in candidates:
        if cand in keys:
            return keys.index(cand)
    for cand in candidates:
        for i, k in enumerate(keys):
            if cand in k:
                return i
    return None


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]
    encoding: str = "utf-8"  # what a CSV was written in, so -o writes it back the same way
    sheet: str | None = None


def _fail(key: str, **params: Any) -> TgError:
    return TgError(i18n.t(key, **params))


def read_table(path: Path, sheet: str | None = None) -> Table:
    if not path.exists():
        raise _fail("notes.batch.not_found", path=path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".xls", ".et", ".numbers", ".ods"):
        raise _fail("notes.batch.unsupported", path=path)
    return _read_csv(path, delimiter="\t" if suffix == ".tsv" else None)


def _read_csv(path: Path, delimiter: str | None) -> Table:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail("notes.batch.unreadable", path=path, reason=exc.strerror or exc) from None
    if b"\x00" in data[:8192] or data[:4] == b"PK\x03\x04":
        raise _fail("notes.batch.not_text", path=path)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _fail("notes.batch.bad_encoding", path=path)
    if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8"
    if not text.strip():
        raise _fail("notes.batch.empty", path=path)
    if delimiter is None:
        first = text.lstrip().split("\n", 1)[0]
        delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
    except csv.Error as exc:
        raise _fail("notes.batch.bad_csv", path=path, line=reader.line_num, reason=exc) from None
    if not rows:
        raise _fail("notes.batch.empty", path=path)
    return shape_table(rows, encoding)


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise _fail("notes.batch.no_openpyxl") from None
    return openpyxl


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    import zipfile

    openpyxl = _openpyxl()
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise _fail("notes.batch.bad_xlsx", path=path, reason=str(exc).splitlines()[0] if str(exc) else
                    type(exc).__name__) from None
    try:
        names = wb.sheetnames
        if sheet is not None:
            if sheet not in names:
                raise _fail("notes.batch.no_sheet", path=path, sheet=sheet, sheets=", ".join(names))
            ws = wb[sheet]
        else:
            used = [n for n in names if _has_cells(wb[n])]
            if len(used) > 1:
                raise _fail("notes.batch.sheets", path=path, sheets=", ".join(used))
            ws = wb[used[0] if used else names[0]]
        rows = [list(r) for r in ws.iter_rows(values_only=True)
                if any(v is not None and str(v).strip() for v in r)]
    finally:
        wb.close()
    if not rows:
        raise _fail("notes.batch.empty", path=path)
    table = shape_table(rows, "utf-8")
    table.sheet = ws.title
    return table


def _has_cells(ws) -> bool:
    for row in ws.iter_rows(values_only=True):
        if any(v is not None and str(v).strip() for v in row):
            return True
    return False


def shape_table(rows: list[list[Any]], encoding: str) -> Table:
    """The first row as headers (blank ones named column1, column2 …); every row padded to one width."""
    header = ["" if h is None else str(h).strip() for h in rows[0]]
    width = max(len(r) for r in rows)
    header += [""] * (width - len(header))
    header = [h or f"column{i + 1}" for i, h in enumerate(header)]
    body = [r + [None] * (width - len(r)) for r in rows[1:]]
    return Table(header, body, encoding)


# --- classifying -----------------------------------------------------------------------------


@dataclass
class Columns:
    notes: int
    headcount: int | None = None
    per_head: int | None = None
    total: int | None = None


def detect_columns(table: Table, path: Path, notes_column: str | None) -> Columns:
    headers = table.headers
    if notes_column is not None:
        if notes_column in headers:
            notes = headers.index(notes_column)
        else:
            keys = [header_key(h) for h in headers]
            if header_key(notes_column) not in keys:
                raise _fail("notes.batch.no_column", path=path, column=notes_column, columns=", ".join(headers))
            notes = keys.index(header_key(notes_column))
    else:
        found = find_column(headers, NOTES_HEADERS)
        if found is None:
            raise _fail("notes.batch.no_notes_column", path=path, looked="/".join(NOTES_HEADERS[:6] + ("notes",
                        "description", "call notes")), columns=", ".join(headers))
        notes = found
    others = [i for i in range(len(headers)) if i != notes]
    sub = [headers[i] for i in others]

    def pick(candidates: tuple[str, ...]) -> int | None:
        i = find_column(sub, candidates)
        return others[i] if i is not None else None

    per_head = pick(PER_HEAD_HEADERS)
    total = pick(TOTAL_HEADERS)
    headcount = pick(HEADCOUNT_HEADERS)
    if headcount in (per_head, total):
        headcount = None
    return Columns(notes, headcount, per_head, total)


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


def classify_row(pb, text: str, headcount: Any = None, per_head: Any = None, total: Any = None,
                 memo: dict | None = None) -> RowResult:
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
        value = parse_number(raw)
        if value is not None and value >= 0:
            fields[name] = int(value) if name == "headcount" else value
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
    more = {"scores": result.scores, "figures": {k: fields[k] for k in used}}

    if result.segment == engine.UNKNOWN:
        return RowResult(result.segment, i18n.t("segment.unknown"), result.confidence, reasons, None, None, **more)
    seg = pb.segment(result.segment)
    kwargs = {"headcount": fields.get("headcount"), "budget_per_head": fields.get("budget_per_head"),
              "budget_total": fields.get("budget_total"), "wanted_tags": result.tags,
              "occasion": result.fields.get("occasion")}  # what the notes say: 过年 → no mooncakes
    best = best_offer(pb, result.segment, **kwargs)
    if best is None:
        note = recommend(pb, result.segment, **kwargs, explain=False).note
        if note:
            reasons.append(note)
        return RowResult(result.segment, seg.name.get(), result.confidence, reasons, None, None, **more)
    bundle, _sets, bundle_total, _per_head = best
    return RowResult(result.segment, seg.name.get(), result.confidence, reasons, bundle.code, bundle_total,
                     **more)


def output_columns(headers: list[str], names: tuple[str, ...] = OUT_COLUMNS) -> list[str]:
    taken = set(headers)
    return [c if c not in taken else f"{c} (tg)" for c in names]


def notes_text(row: list[Any], cols: Columns) -> str:
    raw = row[cols.notes]
    return "" if raw is None else str(raw)


def results(pb, table: Table, cols: Columns) -> Iterator[RowResult]:
    """Each row's classification, in order."""
    memo: dict = {}
    for row in table.rows:
        yield classify_row(
            pb, notes_text(row, cols),
            row[cols.headcount] if cols.headcount is not None else None,
            row[cols.per_head] if cols.per_head is not None else None,
            row[cols.total] if cols.total is not None else None,
            memo,
        )


def out_cells(r: RowResult) -> list[Any]:
    """The values of the OUT_COLUMNS for one row."""
    return [r.segment, r.segment_name, r.confidence, "; ".join(r.reasons), r.bundle,
            float(r.total) if r.total is not None else None]


def classified_rows(pb, table: Table, cols: Columns, counts: dict[str, int]) -> Iterator[list[Any]]:
    """The input rows, each with the output columns appended; ``counts`` tallies the segments."""
    for row, r in zip(table.rows, results(pb, table, cols)):
        counts[r.segment] = counts.get(r.segment, 0) + 1
        yield [*row, *out_cells(r)]


# --- writing ---------------------------------------------------------------------------------


def write_xlsx(path: Path, columns: list[str], rows: Iterator[list[Any]]) -> int:
    """A one-sheet workbook, written beside ``path`` and renamed into place at the end.

    Text starting with = is stored as text, never as a formula.
    """
    import tempfile

    _openpyxl()
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("tg")

    def cells(values: list[Any]) -> list[Any]:
        out = []
        for v in values:
            if isinstance(v, str):
                v = ILLEGAL_CHARACTERS_RE.sub("", v)
                if v.startswith("="):
                    c = WriteOnlyCell(ws, value=v)
                    c.data_type = "s"
                    out.append(c)
                    continue
            out.append(v)
        return out

    ws.append(cells(list(columns)))
    n = 0
    for row in rows:
        ws.append(cells(row))
        n += 1
    from .export import replaceable

    if not replaceable(path):  # /dev/null or a pipe: write in place, never rename over it
        wb.save(path)
        return n
    fd, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return n
