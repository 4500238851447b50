"""`tg export clients` of a big SQLite table as CSV, in two processes.

Reading 100k rows out of SQLite into Python values and writing them out again as CSV take
about the same time, and both are work for one core. So a second process turns the upper
half of the clients (by id) into CSV text while this one writes the lower half; its text
follows ours, and the file is in id order as ever. The text crosses in one piece at the
end (a pipe holds 64 KB: sent as it was made, the second process would wait for this one).

Each process reads in a transaction of its own. On a SQLite file of one rep nothing else
writes during an export; if someone did, the halves could come from moments a few
milliseconds apart (each row is still a row as it was committed).

Only for `tg export clients` to CSV on the sqlite3 road (rawdb.py) with SPLIT_MIN clients or more.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import signal
import sqlite3
from typing import Any, Iterator

SPLIT_MIN = 20_000  # clients: below this, starting a second process costs more than it saves


class ExporterGone(Exception):
    """The second process ended without sending its half (killed, out of memory)."""


def client_batches(path: str) -> Iterator[Any] | None:
    """The CSV cells of every client in batches (queries.client_cells_sqlite), the upper half
    as one (text, rows) pair made by the second process; None when the table is small."""
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
    from .queries import client_cells_sqlite

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, ours, path, middle, end), daemon=True)
    process.start()
    theirs.close()
    conn = None
    try:
        conn = rawdb.connect_at_head(path)
        if conn is None:  # pragma: no cover - it was there a moment ago
            raise sqlite3.OperationalError(f"unable to open database file {path}")
        yield from client_cells_sqlite(conn, (0, middle))
        try:
            kind, value = ours.recv()
        except (EOFError, OSError):
            raise ExporterGone() from None
        if kind == "error":  # a sqlite3 error over there: the same class here, for rawdb.translate_errors
            raise getattr(sqlite3, value[0], sqlite3.DatabaseError)(value[1])
        yield value
    finally:
        if conn is not None:
            conn.close()
        ours.close()  # the second process, if still writing, gets a broken pipe and ends
        process.join(timeout=30)
        if process.is_alive():  # pragma: no cover - stuck on a lock
            process.kill()
            process.join()


def _serve(pipe, reader_end, path: str, start: int, end: int) -> None:
    """The second process: the clients start <= id < end as CSV text, sent once."""
    from . import rawdb
    from .queries import client_cells_sqlite

    reader_end.close()  # inherited: this process must not hold the reader's end open
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the reader's to handle
    conn = None
    try:
        conn = rawdb.connect_at_head(path)
        if conn is None:
            raise sqlite3.OperationalError(f"unable to open database file {path}")
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        rows = 0
        for batch in client_cells_sqlite(conn, (start, end)):
            writer.writerows(batch)
            rows += len(batch)
        pipe.send(("text", (out.getvalue(), rows)))
    except sqlite3.Error as exc:
        _say(pipe, ("error", (type(exc).__name__, str(exc))))
    except OSError:
        return  # the reader went away (an error, Ctrl-C)
    finally:
        if conn is not None:
            conn.close()
        pipe.close()


def _say(pipe, message) -> None:
    try:
        pipe.send(message)
    except OSError:
        return  # the reader went away: there is no one to tell
