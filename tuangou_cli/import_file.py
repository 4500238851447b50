"""Importing a file of clients, as a use case: read → plan → write by the right road.

``tg import clients`` (cli/imports.py) parses its options, calls ``import_clients`` and prints
the ``Outcome``; ``tg classify --batch --save`` (batch_save.py) uses the same pieces. Nothing
here knows Typer or prints.

Reading touches no database: the file is opened by tables.py, its header row mapped by the
importer's vocabulary, every row parsed and validated, so a bad file (or a bad row, unless
rejects are written) stops the import before anything is written. Then one write transaction,
on one of three roads:

* a big file into a SQLite file at the current schema: read in this process and written by a
  second one at the same time (``_stream``, bulk_writer.py);
* any other SQLite file at the current schema: the sqlite3 module (rawdb.py), no SQLAlchemy;
* a database to create or upgrade, a segment column (a foreign key: the playbook's segments are
  synced through the ORM first) and PostgreSQL: the Store's session (``transaction``).

In each, the existing clients' keys are loaded once, rows are matched and merged
(importer.Planner), and the result goes in with DB-API executemany (bulk.py).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from . import i18n
from .errors import TgError, UsageError

if TYPE_CHECKING:
    from .tables import Table

STREAM_MIN_BYTES = 2 << 20  # from this size a file is read and written at once (_stream, bulk_writer.py)
CHUNK = 4096  # rows parsed at once (importer.parse_rows): big enough to pay off, small enough to stay light


class Progress:
    """What the use case reports as it goes; the command line draws it (or not)."""

    def read(self, table: Table) -> None: ...

    def phase(self, total: int) -> None: ...

    def advance(self, n: int) -> None: ...


@dataclass
class Parsed:
    cols: Any  # importer.Columns
    rows: list
    problems: list
    header_line: int


@dataclass
class Rows:
    cols: Any
    header_line: int
    chunks: Iterator[tuple[list, list]]  # (valid Rows, Problems), CHUNK rows of the file at a time


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


@dataclass
class Imported:
    parsed: Parsed
    outcome: Outcome
    dry_run: bool
    rejects: Path | None


# --- reading ----------------------------------------------------------------------------------


def open_clients_table(path: Path, *, encoding: str | None, sheet: str | None,
                       overrides: dict[str, str]) -> Table:
    """The file, its header row the first that names a client name column (a title row above it
    is skipped). A file without one is refused here, naming the headers it has."""
    from .importer import has_name, map_headers, unneutralise
    from .tables import open_table

    def names_a_client(cells: list[str]) -> bool:
        try:
            return has_name(map_headers([unneutralise(c) for c in cells], overrides))
        except UsageError:
            return False

    table = open_table(path, sheet=sheet, encoding=encoding, header=names_a_client)
    if not table.found:
        try:
            map_headers(table.headers, overrides)  # a --map naming a missing column says so here
            shown = ", ".join(h.strip() for h in table.headers if h.strip())
            raise TgError(i18n.t("import.no_name_column", path=table.path, columns=shown))
        finally:
            table.close()
    return table


def open_rows(table: Table, overrides: dict[str, str], segments, progress: Progress) -> Rows:
    """Map the header row; the rows below it are parsed and validated as ``chunks`` is read."""
    from .importer import map_headers, parse_rows, unneutralise

    cols = map_headers([unneutralise(c) for c in table.headers], overrides)
    lookup = segments() if "segment" in cols.fields.values() else None

    def chunks() -> Iterator[tuple[list, list]]:
        lines: list[int] = []
        chunk: list[list[str]] = []
        for line, cells in table.rows():
            lines.append(line)
            chunk.append(cells)
            if len(chunk) == CHUNK:
                yield parse_rows(lines, chunk, cols, lookup)
                progress.read(table)
                lines, chunk = [], []
        if chunk:
            yield parse_rows(lines, chunk, cols, lookup)

    return Rows(cols, table.header_line, chunks())


def read_rows(table: Table, overrides: dict[str, str], segments, progress: Progress) -> Parsed:
    """Every row of the file parsed and validated. No database involved."""
    rows = open_rows(table, overrides, segments, progress)
    parsed = Parsed(rows.cols, [], [], rows.header_line)
    for good, bad in rows.chunks:
        parsed.rows.extend(good)
        parsed.problems.extend(bad)
    return parsed


def segments_of(app_ctx) -> dict[str, str]:
    """{folded code or zh/en name: code} of the playbook's segments, for a segment column."""
    from .importer import segment_lookup

    pb = app_ctx.playbook()
    names = [(s.code, s.name.zh) for s in pb.segments] + [(s.code, s.name.en) for s in pb.segments]
    return segment_lookup([s.code for s in pb.segments], names)


# --- the use case ----------------------------------------------------------------------------------


def import_clients(app_ctx, table: Table, *, overrides: dict[str, str], on_duplicate: str, dry_run: bool,
                   rejects: Path | None, progress: Progress) -> Imported:
    """Import the clients of an opened table (``open_clients_table``); see the module's doc.
    Bad rows without ``rejects``: nothing is written, the Outcome lists them."""
    # A lead list makes a million small objects and no reference cycles: the cyclic collector
    # would only walk them again and again (about 3 % of a 100k-row import). Back on after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        done = None if dry_run else _stream(app_ctx, table, overrides, on_duplicate, rejects, progress)
        if done is None:
            parsed = read_rows(table, overrides, lambda: segments_of(app_ctx), progress)
            outcome = _run(app_ctx, table, parsed, on_duplicate, dry_run, rejects, progress)
        else:
            parsed, outcome = done
    finally:
        if collecting:
            gc.enable()
    return Imported(parsed, outcome, dry_run, rejects)


def db_exists(app_ctx) -> bool:
    """A dry run against a database that does not exist yet must not create it."""
    from sqlalchemy.engine import make_url

    from .db import resolve_url

    text = resolve_url(app_ctx.db)
    url = make_url(text)
    if url.get_backend_name() != "sqlite":
        # A server: has tg made its tables there yet? (Asked without open_store, which would make them.)
        from .db import Store, make_engine

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
    return outcome(db, planner, parsed.problems, on_duplicate, name_column=name_label(parsed.cols))


def name_label(cols) -> str:
    """The header of the file's name column, as its rows' problems name it."""
    return cols.label(cols.field_of("name")[0])


def planner_for(db, cols, on_duplicate: str):
    """(importer.Planner over the clients in ``db``, a function that adds one row to it)."""
    from . import bulk
    from .importer import Index, Planner

    label = name_label(cols)
    fingerprints = bool(cols.field_of("id")) and bool(cols.field_of("created_at"))
    planner = Planner(bulk.load_index(db, fingerprints=fingerprints) if db is not None else Index(), on_duplicate)
    return planner, lambda row: planner.add(row, label)


def held_elsewhere(db, groups: list) -> set[int]:
    """查重 for the clients a file would create: the lines of those that are already clients of
    the company under another rep (row-level security hides them from the Planner's index).
    One question for the whole file (store.clients.held_elsewhere, a yes/no per row); only a
    PostgreSQL connection can hide clients, so the SQLite roads never ask."""
    conn = getattr(db, "conn", None)
    dialect = getattr(conn, "dialect", None)  # a sqlite3 connection has none
    if not groups or dialect is None or dialect.name != "postgresql":
        return set()
    from .store.clients import held_elsewhere as ask

    answers = ask(conn, [g.name for g in groups], [[c.phone for c in g.contacts if c.phone] for g in groups])
    return {g.line for g, held in zip(groups, answers) if held}


def outcome(db, planner, problems: list, on_duplicate: str, *, name_column: str = "name") -> Outcome:
    """What the planned rows come to; the clients the file matched are read to see what changes.
    A new client held by another rep is rejected, with the rows merged into it, saying only
    that (held_elsewhere)."""
    from . import bulk
    from .importer import Problem

    out = Outcome(merges=planner.merges)
    created = [g for g in planner.groups if g.existing is None]
    held = held_elsewhere(db, created)
    if held:
        reason = i18n.t("trust.reason.held_elsewhere")
        problems = problems + [Problem(line, name_column, reason) for g in created if g.line in held
                               for line in (g.line, *(g.merged or ()))]
        created = [g for g in created if g.line not in held]
        out.merges = [m for m in planner.merges if m.into not in held]
    out.problems = sorted(problems + planner.problems, key=lambda p: p.line)
    out.created = created
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
    from . import bulk, rawdb

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
        if not db_exists(app_ctx):
            yield None, None
            return
        with app_ctx.store().read() as session:
            yield bulk.db_for(session.connection()), session
        return
    with app_ctx.store().write() as session:
        yield bulk.db_for(session.connection()), session


def _run(app_ctx, table: Table, parsed: Parsed, on_duplicate: str, dry_run: bool,
         rejects: Path | None, progress: Progress) -> Outcome:
    from . import bulk

    user, now = app_ctx.user(), datetime.now(timezone.utc)

    def write(db, sync_segments) -> Outcome:
        out = plan(db, parsed, on_duplicate)
        if out.problems and rejects is None:
            return out  # nothing written: the caller reports the bad rows
        work = out.created + [c for c in out.changes if c]
        if any(g.segment for g in out.created) or any("segment" in c.fields for c in out.changes):
            sync_segments()  # the segment column is a foreign key
        progress.phase(len(work))
        bulk.insert_clients(db, out.created, user=user, now=now, progress=progress.advance)
        bulk.apply_changes(db, out.changes, user=user, now=now, progress=progress.advance)
        if out.problems:
            write_rejects(table, parsed, out.problems, rejects)
        return out

    # A segment column needs the playbook's segments synced through the ORM first, so it takes the Store.
    with transaction(app_ctx, dry_run=dry_run, raw=not parsed.cols.field_of("segment")) as (db, session):
        if dry_run:
            return plan(db, parsed, on_duplicate)

        def sync_segments() -> None:
            from .store import clients as st

            st.sync_segments(session, app_ctx.playbook())

        return write(db, sync_segments)


def _stream(app_ctx, table: Table, overrides: dict[str, str], on_duplicate: str, rejects: Path | None,
            progress: Progress) -> tuple[Parsed, Outcome] | None:
    """A big file into a SQLite file at the current schema, read and written at the same time
    (bulk_writer.py): this process reads, checks and matches the rows, a second one inserts
    them. None when this road does not apply (small file, a database to create or upgrade,
    PostgreSQL, a segment column: they take _run)."""
    from . import bulk, rawdb
    from .bulk_writer import WriterDb, WriterGone

    if table.size < STREAM_MIN_BYTES:
        return None
    path = rawdb.sqlite_file(rawdb.resolve_url(app_ctx.db))
    probe = rawdb.connect_at_head(app_ctx.db)
    if path is None or probe is None:
        return None
    probe.close()  # before the writer starts: no connection is carried across a fork
    rows = open_rows(table, overrides, lambda: segments_of(app_ctx), progress)
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
            out = outcome(db, planner, problems, on_duplicate, name_column=name_label(rows.cols))
            if out.problems and rejects is None:
                return parsed, out  # the writer rolls back: nothing written
            # Later rows merged into clients already sent: those are written again, whole.
            bulk.rewrite_clients(db, [(cid, g) for cid, g, merges in written if len(g.merged or ()) > merges],
                                 user=user, now=now)
            progress.phase(sum(1 for c in out.changes if c))
            bulk.apply_changes(db, out.changes, user=user, now=now, progress=progress.advance)
            if out.problems:
                write_rejects(table, parsed, out.problems, rejects)
            db.commit()
    except WriterGone:
        raise TgError(i18n.t("import.writer_gone", path=path)) from None
    return parsed, out


def write_rejects(table: Table, parsed: Parsed, problems: list, path: Path) -> None:
    """The rejected rows as they were, plus a reason column: fix them and import this file."""
    import csv

    from .export import cell, open_output
    from .importer import REJECT_REASON, unneutralise

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
            for line, cells in table.rows():
                if line in reasons:
                    values = [unneutralise(c) for c in cells] + [""] * (len(headers) - len(cells))
                    values[slot] = i18n.t("import.reject_reason", row=line, reasons="; ".join(reasons[line]))
                    writer.writerow([cell(v) for v in values])
    except OSError as exc:
        raise TgError(i18n.t("import.cannot_write", path=path, reason=exc.strerror or exc)) from None
