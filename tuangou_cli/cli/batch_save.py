"""tg classify --batch FILE --save: the lead list classified, and imported as clients.

The file is read as `tg import clients` reads it (cli/imports.py: encoding, header row, header
mapping, row validation) and saved as it saves (importer.Planner's dedupe, bulk.py's writes, one
transaction on the sqlite3 road or through the Store). On top of that, each saved client gets
its classification, as `tg classify NAME --notes TEXT` would save it:

* the segment and confidence on the client — when the notes tell a kind of buyer (an
  "unknown" leaves what the client or the file says alone);
* headcount and budgets read from the notes, where the file's columns give none;
* one classification history row: segment, confidence, scores, the playbook's version, who,
  and the notes as the answers (``{"_notes": TEXT}``). Rows merged into one client record the
  classification the client ends up with; a run that would repeat a client's latest
  classification adds none, so saving the same file twice changes nothing.

Rows go back with the classification columns of ``--batch`` plus ``client_id`` and
``client_status`` (created, updated, unchanged, merged, skipped, rejected). An output file is
opened (beside its target) before anything is saved, so a path that cannot be written stops the
command first; the rows are written once the transaction has committed, so a reader that goes
away early (``| head``) cannot undo a save. Ctrl-C before the commit leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from .. import i18n
from ..classify import UNKNOWN
from ..errors import TgError
from .output import say
from . import imports

SAVE_COLUMNS = ("client_id", "client_status")


class _Recording(imports.Source):
    """A Source that keeps the rows it reads: the output gives every row back as it was."""

    kept: list[tuple[int, list[str]]]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        kept = self.kept = []
        for item in super().rows():
            kept.append(item)
            yield item


@dataclass
class Saved:
    outcome: Any  # imports.Outcome
    status: dict[int, tuple[int | None, str]]  # file row → (client id, what happened)
    history: int = 0  # classification rows added
    counts: dict[str, int] = field(default_factory=dict)


def run(app_ctx, pb, path: Path, *, output: Path | None, notes_column: str | None, sheet: str | None, fmt,
        overrides: dict[str, str], on_duplicate: str, dry_run: bool, rejects: Path | None) -> None:
    from .. import batch
    from .classify import batch_output, print_batch_done

    src = imports.open_source(path, None, sheet)
    source = _Recording(**{f.name: getattr(src, f.name) for f in dataclasses.fields(src)})
    ticker = imports.Ticker(source)
    try:
        parsed = imports.read_file(app_ctx, source, overrides, ticker)
        lines, table = _table(source.kept, parsed.header_line, source.encoding or "utf-8")
        cols = batch.detect_columns(table, path, notes_column)
        results = dict(zip(lines, batch.results(pb, table, cols)))
        notes = {line: batch.notes_text(row, cols) for line, row in zip(lines, table.rows)}
        if parsed.cols.unknown:
            say(i18n.t("import.unknown_columns", columns=", ".join(parsed.cols.unknown)))
        for row in parsed.rows:
            _take_classification(row, results[row.line])
        columns = table.headers + batch.output_columns(table.headers, batch.OUT_COLUMNS + SAVE_COLUMNS)
        with batch_output(output, fmt, table.encoding if output is not None else "utf-8", columns) as write:
            saved = save(app_ctx, pb, source, parsed, results, notes, on_duplicate=on_duplicate,
                         dry_run=dry_run, rejects=rejects, ticker=ticker)
            ticker.stop()
            out = saved.outcome
            if out.problems and rejects is None and not dry_run:
                raise _bad_rows(out.problems, saved.counts["rejected"])
            segments: dict[str, int] = {}
            n = write(_output_rows(table, lines, results, saved.status, segments))
    finally:
        ticker.stop()
    sys.stdout.flush()
    print_batch_done(n, segments, table.headers[cols.notes], output)
    prefix = i18n.t("import.dry_prefix") if dry_run else ""
    if out.problems and rejects is None:  # a dry run: the rows are shown, the error follows the summary
        sys.stderr.write(prefix + _summary(saved) + "\n")
        raise _bad_rows(out.problems, saved.counts["rejected"])
    if out.problems and not dry_run:
        say(i18n.t("import.rejects_written", path=rejects))
    sys.stderr.write(prefix + _summary(saved) + "\n")


def _summary(saved: Saved) -> str:
    return i18n.t("bsave.summary", summary=i18n.t("import.summary", **saved.counts), history=saved.history)


def _table(kept: list[tuple[int, list[str]]], header_line: int, encoding: str):
    """The header row and the non-empty rows below it (the rows the import read), with their row numbers."""
    from ..batch import shape_table

    header = next(cells for line, cells in kept if line == header_line)
    body = [(line, cells) for line, cells in kept if line > header_line and any(c.strip() for c in cells)]
    return [line for line, _ in body], shape_table([header] + [cells for _, cells in body], encoding)


def _take_classification(row, r) -> None:
    """What a classification puts on the client: a known segment and its confidence; figures
    from the notes where the file's columns have none."""
    if r.segment != UNKNOWN:
        row.segment, row.confidence = r.segment, r.confidence
    for name, value in r.figures.items():
        if getattr(row, name) is None:
            setattr(row, name, value)


def save(app_ctx, pb, source, parsed, results: dict, notes: dict[int, str], *, on_duplicate: str, dry_run: bool,
         rejects: Path | None, ticker) -> Saved:
    """Plan the rows against the database and — unless a dry run, or bad rows without
    ``rejects`` — write the clients, their contacts and their classifications in one transaction."""
    from .. import bulk, bulk_classify

    user, now = app_ctx.user(), datetime.now(timezone.utc)
    with imports.transaction(app_ctx, dry_run=dry_run) as (db, _session):
        out = imports.plan(db, parsed, on_duplicate)
        groups = out.created + [ch.group for ch in out.changes]
        picked = {g.line: _pick(g, results, notes) for g in groups}
        known = bulk_classify.latest(db, [ch.id for ch in out.changes]) if db is not None else {}
        for ch in out.changes:  # nothing new to record: the client's latest classification says the same
            p = picked[ch.group.line]
            if p is not None and known.get(ch.id) == (p[0], p[1], p[2], pb.version):
                picked[ch.group.line] = None
        ids: list[int | None] = [None] * len(out.created)
        if not dry_run and not (out.problems and rejects is None):
            stamp = db.stamp(now)
            if out.created or any(out.changes):  # a client's segment is a foreign key
                bulk_classify.sync_segments(db, pb, stamp)
            ticker.phase(len(out.created) + sum(1 for ch in out.changes if ch))
            ids = bulk.insert_clients(db, out.created, user=user, now=now, progress=ticker.advance)
            bulk.apply_changes(db, out.changes, user=user, now=now, progress=ticker.advance)
            client_of = {**{g.line: cid for g, cid in zip(out.created, ids)},
                         **{ch.group.line: ch.id for ch in out.changes}}
            bulk_classify.insert(db, [(client_of[line], *p) for line, p in picked.items() if p is not None],
                                 version=pb.version, stamp=stamp, user=user)
            if out.problems:
                imports.write_rejects(source, parsed, out.problems, rejects)
    return _statuses(out, ids, {ch.id for ch in out.changes if picked[ch.group.line] is not None},
                     sum(1 for p in picked.values() if p is not None))


def _pick(group, results: dict, notes: dict[int, str]) -> tuple | None:
    """The classification a client ends up with from its rows: the last one that tells a kind of
    buyer, else the last with notes at all; None when no row has notes.
    (segment, confidence, answers, scores)."""
    if group.merged:
        lines = sorted([group.line, *group.merged])
        with_notes = [line for line in lines if notes[line].strip()]
        known = [line for line in with_notes if results[line].segment != UNKNOWN]
        if not with_notes:
            return None
        line = (known or with_notes)[-1]
    else:  # the usual client, from one row
        line = group.line
        if not notes[line].strip():
            return None
    r = results[line]
    return r.segment, r.confidence, {"_notes": notes[line]}, r.scores


def _statuses(out, ids: list, classified: set[int], history: int) -> Saved:
    status: dict[int, tuple[int | None, str]] = {}
    for g, cid in zip(out.created, ids):
        status[g.line] = (cid, "created")
    updated = 0
    for ch in out.changes:
        changed = bool(ch) or ch.id in classified
        updated += changed
        status[ch.group.line] = (ch.id, "updated" if changed else "unchanged")
    for g in out.skipped:
        status[g.line] = (g.existing, "skipped")
    for m in out.merges:
        status[m.line] = (status[m.into][0], "merged")
    for p in out.problems:
        status[p.line] = (None, "rejected")
    counts = dict(created=len(out.created), updated=updated, unchanged=len(out.changes) - updated,
                  merged=len(out.merges), skipped=len(out.skipped), rejected=len({p.line for p in out.problems}))
    return Saved(out, status, history, counts)


def _output_rows(table, lines: list[int], results: dict, status: dict, segments: dict[str, int]) -> Iterator[list]:
    from ..batch import out_cells

    for line, row in zip(lines, table.rows):
        r = results[line]
        segments[r.segment] = segments.get(r.segment, 0) + 1
        yield [*row, *out_cells(r), *status.get(line, (None, None))]


def _bad_rows(problems: list, count: int) -> TgError:
    """One line naming the first bad row and column; the others, if any, below it."""
    return TgError(i18n.t("bsave.bad_rows", problem=problems[0].text(), count=count),
                   details=imports._capped([p.text() for p in problems[1:]]) if len(problems) > 1 else None)
