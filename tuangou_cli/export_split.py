"""`tg export clients` of a big SQLite table as CSV, in two processes.

Reading 100k rows out of SQLite into Python values and writing them out again as CSV take
about the same time, and both are work for one core. So a second process writes the upper
half of the clients (by id) as CSV to a temporary file while this one writes the lower half;
that file is then copied after ours, so the export is in id order as ever, and neither
process holds more than a batch of rows at a time.

Each process reads in a transaction of its own. On a SQLite file of one rep nothing else
writes during an export; if someone did, the halves could come from moments a few
milliseconds apart (each row is still a row as it was committed).

Only for `tg export clients` to CSV on the sqlite3 road (rawdb.py) with SPLIT_MIN clients or more.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import tempfile
from typing import Any, Iterator

from . import second_process

SPLIT_MIN = 20_000  # clients: below this, starting a second process costs more than it saves


class ExporterGone(Exception):
    """The second process ended without sending its half (killed, out of memory)."""


def client_batches(path: str) -> Iterator[Any] | None:
    """The CSV cells of every client in batches (queries.client_cells_sqlite), the upper half as
    the file the second process wrote (export.Written); None when the table is small."""
    from . import rawdb

    conn = rawdb.connect_at_head(path)
    if conn is None:
        return None
    try:
        count, last = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM client").fetchone()
        middle = (conn.execute("SELECT id FROM client ORDER BY id LIMIT 1 OFFSET ?", (count // 2,)).fetchone()
                  if count >= SPLIT_MIN else None)
    finally:
        conn.close()  # before the fork: no connection is carried into the second process
    if middle is None:
        return None
    return _batches(path, middle[0], last + 1)


def _batches(path: str, middle: int, end: int) -> Iterator[Any]:
    from . import rawdb
    from .export import Written
    from .store.queries import client_cells_sqlite

    process, ours = second_process.start(_serve, path, middle, end)
    conn = None
    written = None
    try:
        conn = rawdb.connect_at_head(path)
        if conn is None:  # pragma: no cover - it was there a moment ago
            raise sqlite3.OperationalError(f"unable to open database file {path}")
        yield from client_cells_sqlite(conn, (LOWEST, middle))
        try:
            kind, value = ours.recv()
        except (EOFError, OSError):
            raise ExporterGone() from None
        if kind == "error":
            raise second_process.raised_from(*value)
        written = Written(*value)
        yield written
    finally:
        if conn is not None:
            conn.close()
        ours.close()  # a second process still at work finds the pipe closed when it is done
        second_process.stop(process, wanted=written is not None)
        for leftover in ([written.path] if written else []) + _files_of(process):
            _remove(leftover)


LOWEST = -(2 ** 63)  # SQLite's smallest id: ids below zero are rare (hand-written SQL), not impossible


def _files_of(process) -> list[str]:
    """The temporary file a stopped second process may have left (named after its pid)."""
    prefix = f"tg-export-{process.pid}-"
    folder = tempfile.gettempdir()
    return [os.path.join(folder, n) for n in os.listdir(folder) if n.startswith(prefix)]


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        return  # already gone: the second process tidied up after itself


def _serve(pipe, reader_end, path: str, start: int, end: int) -> None:
    """The second process: the clients start <= id < end as CSV, to a temporary file."""
    from . import rawdb
    from .store.queries import client_cells_sqlite

    second_process.settle_in(reader_end)
    conn = None
    name = None
    try:
        conn = rawdb.connect_at_head(path)
        if conn is None:
            raise sqlite3.OperationalError(f"unable to open database file {path}")
        fd, name = tempfile.mkstemp(prefix=f"tg-export-{os.getpid()}-", suffix=".csv")
        rows = 0
        with open(fd, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\r\n")
            for batch in client_cells_sqlite(conn, (start, end)):
                writer.writerows(batch)
                rows += len(batch)
        pipe.send(("file", (name, rows)))
        name = None  # the reader's now: it copies it, then removes it
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return  # the reader went away (an error, Ctrl-C)
    except Exception as exc:  # said by the reader, in one line (a full temp disk included)
        _say(pipe, second_process.error_reply(exc))
    finally:
        if conn is not None:
            conn.close()
        if name is not None:
            _remove(name)
        pipe.close()


def _say(pipe, message) -> None:
    try:
        pipe.send(message)
    except OSError:
        return  # the reader went away: there is no one to tell
