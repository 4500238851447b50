"""tg classify --batch FILE --save, as a use case: the lead list classified, and imported as clients.

The file is read as `tg import clients` reads it (tables.py and import_file.py: encoding, header
row, header mapping, row validation) and saved as it saves (importer.Planner's dedupe, bulk.py's
writes, one transaction on the sqlite3 road or through the Store). On top of that, each saved
client gets its classification, as `tg classify NAME --notes TEXT` would save it:

* the segment and confidence on the client — when the notes tell a kind of buyer (an
  "unknown" leaves what the client or the file says alone);
* headcount, budgets and the occasion read from the notes, where the file's columns give none;
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

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from . import i18n
from . import import_file as imports
from .classify import UNKNOWN
from .errors import TgError

SAVE_COLUMNS = ("client_id", "client_status")


@dataclass
class Saved:
    outcome: Any  # import_file.Outcome
    status: dict[int, tuple[int | None, str]]  # file row → (client id, what happened)
    history: int = 0  # classification rows added
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class SavedBatch:
    """What `--batch --save` did, for the command line to report."""

    saved: Saved
    rows: int  # rows written back
    segments: dict[str, int]
    notes_column: str
    unknown_columns: list[str]
    dry_run: bool
    rejects: Path | None

    def summary(self) -> str:
        return i18n.t("bsave.summary", summary=i18n.t("import.summary", **self.saved.counts),
                      history=self.saved.history)

    def bad_rows(self) -> TgError | None:
        out = self.saved.outcome
        if out.problems and self.rejects is None:
            return bad_rows(out.problems, self.saved.counts["rejected"])
        return None


def run(app_ctx, pb, path: Path, *, output: Path | None, notes_column: str | None, sheet: str | None, fmt: str,
        overrides: dict[str, str], on_duplicate: str, dry_run: bool, rejects: Path | None,
        progress: imports.Progress) -> SavedBatch:
    """Classify every row, plan and save them as clients, write the rows back with the
    classification and each row's client. Bad rows without ``rejects`` (not a dry run): a
    TgError, raised before any row is written back."""
    from . import batch

    table = imports.open_clients_table(path, encoding=None, sheet=sheet, overrides=overrides)
    with table:
        cols = batch.columns_of(table.headers, notes_column)
        if cols is None:
            shown = ", ".join(h for h in table.headers if h.strip())
            if notes_column is not None:
                raise TgError(i18n.t("notes.batch.no_column", path=path, column=notes_column, columns=shown))
            raise TgError(i18n.t("notes.batch.no_notes_column", path=path, looked="/".join(
                ("备注", "说明", "描述", "需求", "notes", "description", "call notes")), columns=shown))
        parsed = imports.read_rows(table, overrides, lambda: imports.segments_of(app_ctx), progress)
        results: dict[int, Any] = {}
        notes: dict[int, str] = {}
        from .store.catalog import source_read_once

        catalogue = source_read_once(app_ctx, pb)
        for line, row, r in batch.results(pb, table.rows(), cols, catalogue):
            results[line], notes[line] = r, batch.notes_text(row, cols)
        for row in parsed.rows:
            _take_classification(row, results[row.line])
        headers = [h or f"column{i + 1}" for i, h in enumerate(table.headers)]
        columns = headers + batch.output_columns(headers, batch.OUT_COLUMNS + SAVE_COLUMNS)
        raw = batch.is_xlsx(output)
        encoding = (table.encoding or "utf-8") if output is not None else "utf-8"
        with batch.batch_output(output, fmt, encoding, columns) as write:
            saved = save(app_ctx, pb, table, parsed, results, notes, on_duplicate=on_duplicate,
                         dry_run=dry_run, rejects=rejects, progress=progress)
            done = SavedBatch(saved, 0, {}, headers[cols.field_of("notes")[0]], parsed.cols.unknown, dry_run, rejects)
            if done.bad_rows() is not None and not dry_run:
                raise done.bad_rows()
            done.rows = write(_output_rows(table, len(headers), results, saved.status, done.segments, raw=raw))
    return done


def _take_classification(row, r) -> None:
    """What a classification puts on the client: a known segment and its confidence; figures
    and the occasion from the notes where the file's columns have none (as `tg classify NAME
    --notes` saves them)."""
    if r.segment != UNKNOWN:
        row.segment, row.confidence = r.segment, r.confidence
    for name, value in r.figures.items():
        if getattr(row, name) is None:
            setattr(row, name, value)
    if row.occasion is None and r.occasion:
        row.occasion = r.occasion


def save(app_ctx, pb, table, parsed, results: dict, notes: dict[int, str], *, on_duplicate: str, dry_run: bool,
         rejects: Path | None, progress: imports.Progress) -> Saved:
    """Plan the rows against the database and — unless a dry run, or bad rows without
    ``rejects`` — write the clients, their contacts and their classifications in one transaction."""
    from . import bulk, bulk_classify

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
            progress.phase(len(out.created) + sum(1 for ch in out.changes if ch))
            ids = bulk.insert_clients(db, out.created, user=user, now=now, progress=progress.advance)
            bulk.apply_changes(db, out.changes, user=user, now=now, progress=progress.advance)
            client_of = {**{g.line: cid for g, cid in zip(out.created, ids)},
                         **{ch.group.line: ch.id for ch in out.changes}}
            bulk_classify.insert(db, [(client_of[line], *p) for line, p in picked.items() if p is not None],
                                 version=pb.version, stamp=stamp, user=user)
            if out.problems:
                imports.write_rejects(table, parsed, out.problems, rejects)
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


def _output_rows(table, width: int, results: dict, status: dict, segments: dict[str, int], *,
                 raw: bool) -> Iterator[list]:
    """The file's rows again (read a second time: memory stays flat), each with its classification
    and what became of it."""
    from .batch import out_cells, padded

    for line, row in table.rows(raw=raw):
        r = results[line]
        segments[r.segment] = segments.get(r.segment, 0) + 1
        yield [*padded(row, width), *out_cells(r), *status.get(line, (None, None))]


SHOWN = 20  # problems listed below the first before "… and N more"


def bad_rows(problems: list, count: int) -> TgError:
    """One line naming the first bad row and column; the others, if any, below it."""
    rest = [f"  {p.text()}" for p in problems[1:SHOWN + 1]]
    if len(problems) - 1 > SHOWN:
        rest.append("  " + i18n.t("import.more", count=len(problems) - 1 - SHOWN))
    return TgError(i18n.t("bsave.bad_rows", problem=problems[0].text(), count=count), details=rest or None)
