"""A second process that writes an import while this one is still reading the file.

On a big file `tg import clients` spends about as long in SQLite (inserting, updating the
indexes, binding values) as in Python (reading, checking and matching rows). A thread cannot
share that work: the writer would wait for the GIL after every statement. A process can:
this one reads, checks and matches chunk after chunk and sends the rows to insert down a
pipe; the writer inserts them in its own transaction, which holds SQLite's write lock from
the start. Nothing is committed until this side says so, after the last row, so the import
still lands whole or not at all:

* a bad row (without --skip-errors), an error, Ctrl-C or a killed parent: the writer's
  transaction is rolled back (a closed pipe ends it; SQLite drops an uncommitted transaction
  when its process ends);
* reads (the existing clients' keys, the clients the file updates) go through a separate
  connection of this process: they only need what was committed before, and no one else can
  commit while the writer holds the lock.

Only for a SQLite file already at the current schema (rawdb's road); a database to create or
upgrade, PostgreSQL and small files are written in-process (bulk.py), as before.
"""

from __future__ import annotations

import pickle
import queue
import sqlite3
import threading
from typing import Any, Sequence

from . import second_process
from .bulk import BATCH, Db, SqliteDb


OUTBOX = 16  # messages (of up to 2,000 rows) queued for the writer before reading waits for it
# Below this many clients, the client table's indexes on the name's keys are built once before
# COMMIT (from sorted keys) instead of being updated row by row in no order (names arrive in no
# order): the same indexes, in a fraction of SQLite's time. The other indexes (owner, stage,
# segment …) mostly get one value per import, appended in order: cheap as they are. Above it,
# rebuilding over the clients already there would cost more than it saves (a file on this road
# holds some 20,000 rows or more).
REBUILD_BELOW = 20_000
REBUILT_COLUMNS = ("name_key", "dedupe_key")


class WriterGone(Exception):
    """The writer process ended before it was told to (killed, out of memory)."""


class WriterDb(Db):
    """bulk.Db whose writes happen in the writer process; ``commit()`` ends the transaction."""

    gives_ids = True
    json_value = SqliteDb.json_value

    def __init__(self, path: str):
        from . import rawdb

        self._process, self._pipe = second_process.start(_serve, path)
        # A message of 2,000 rows is far more than a pipe holds: sent from here, each send would
        # wait until the writer had finished the previous batch and come back to read. A thread
        # sends instead (waiting in write(), without the GIL) while this one reads on.
        self._outbox: queue.Queue[bytes | None] = queue.Queue(maxsize=OUTBOX)
        self._pump_error: BaseException | None = None
        self.committed = False
        self._pump = threading.Thread(target=self._pump_out, daemon=True)
        self._pump.start()
        self.read = None
        try:
            self.first_id = self._answer() + 1  # max(id) + 1, read inside the writer's transaction
            self.read = rawdb.connect_at_head(path)
            if self.read is None:  # pragma: no cover - the writer opened it a moment ago
                raise WriterGone()
        except BaseException:
            self.close()
            raise

    # --- bulk.Db ---

    def rows(self, sql: str, params: Sequence[Any] = ()):
        return self.read.execute(sql, params)

    def many(self, sql: str, rows) -> None:
        rows = list(rows)
        for start in range(0, len(rows), BATCH):  # messages stay small, whatever the caller hands over
            self._send(("many", sql, rows[start:start + BATCH]))

    def insert(self, table, columns, rows, shared) -> None:
        self._send(("insert", table, tuple(columns), list(rows), dict(shared)))

    def stamp(self, value):
        from .rawdb import to_sqlite

        return to_sqlite(value)

    def when(self, value):
        from .rawdb import from_sqlite

        return from_sqlite(value)

    # --- the transaction ---

    def commit(self) -> None:
        """Once COMMIT is on its way the writer carries it out whatever happens here, so a Ctrl-C
        now waits for the answer: tg then says what really happened (the import landed). The
        indexes set aside are built first, as their own step: a Ctrl-C while they are built (a
        big file into a small database) still rolls the whole import back."""
        self._send(("finish",))
        self._outbox.join()
        self._answer()
        self._send(("commit",))
        while True:
            try:
                self._outbox.join()  # sent, all of it
                self._answer()
                break
            except KeyboardInterrupt:
                continue
        self.committed = True

    def close(self) -> None:
        """Ends the writer. Not committed (a bad row, an error, Ctrl-C): what is still queued is
        dropped and the pipe closed; the writer, reading the end of it, closes its connection,
        which rolls the transaction back."""
        if self.read is not None:
            self.read.close()
        while True:  # nothing queued is wanted any more (after a commit the queue is empty)
            try:
                self._outbox.get_nowait()
                self._outbox.task_done()
            except queue.Empty:
                break
        self._outbox.put(None)
        self._pump.join()  # at most the message being sent: the writer takes it after its current one
        self._pipe.close()
        # Reading the end of the pipe, the writer closes its connection (rolled back, WAL tidied).
        second_process.stop(self._process, wanted=self.committed)

    def __enter__(self) -> "WriterDb":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _send(self, message: tuple) -> None:
        if self._pump_error is not None:
            self._answer()  # the writer stopped: its reason, if it gave one
            raise WriterGone()
        self._outbox.put(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def _answer(self) -> Any:
        try:
            kind, value = self._pipe.recv()
        except (EOFError, OSError):
            raise WriterGone() from None
        if kind == "error":
            raise second_process.raised_from(*value)
        return value

    def _pump_out(self) -> None:
        while (data := self._outbox.get()) is not None:
            try:
                if self._pump_error is None:
                    self._pipe.send_bytes(data)
            except OSError as exc:  # the writer went away; _send and commit say so
                self._pump_error = exc
            finally:
                self._outbox.task_done()
        self._outbox.task_done()


def _serve(pipe, reader_end, path: str) -> None:
    """The writer process: one transaction, the statements it is sent, COMMIT when told."""
    from . import rawdb

    second_process.settle_in(reader_end)
    conn = None
    failed: BaseException | None = None
    try:
        conn = rawdb.connect_at_head(path)  # at the current schema (checked), in a read transaction
        if conn is None:
            raise sqlite3.OperationalError(f"unable to open database file {path}")
        conn.execute("ROLLBACK")
        conn.execute(f"PRAGMA cache_size=-{rawdb.BULK_CACHE_KIB}")
        conn.execute("BEGIN IMMEDIATE")  # "database is locked" after the busy timeout, said as such
        rebuild = _set_aside_indexes(conn)
        db = SqliteDb(conn)
        pipe.send(("ok", conn.execute("SELECT coalesce(max(id), 0) FROM client").fetchone()[0]))
        while True:
            message = pipe.recv()
            if message[0] == "finish":
                if failed is None:
                    try:
                        for sql in rebuild:
                            conn.execute(sql)
                        rebuild = []
                    except Exception as exc:  # said as the reader's own error; closing rolls back
                        failed = exc
                pipe.send(("ok", None) if failed is None else second_process.error_reply(failed))
                continue
            if message[0] == "commit":
                if failed is None and rebuild:
                    failed = RuntimeError("commit before finish")  # the indexes would be missing
                if failed is None:
                    conn.execute("COMMIT")
                    pipe.send(("ok", None))
                else:
                    pipe.send(second_process.error_reply(failed))
                return
            if failed is not None:
                continue  # the transaction is lost: read on until told, then say why
            try:
                if message[0] == "insert":
                    db.insert(*message[1:])
                else:
                    db.many(*message[1:])
            except Exception as exc:  # said at COMMIT, as the reader's own error (no traceback here)
                failed = exc
    except (EOFError, OSError):
        return  # the reader went away (an error, Ctrl-C, a bad row): nothing is committed
    except Exception as exc:
        try:
            pipe.send(second_process.error_reply(exc))
        except OSError:
            return
    finally:
        if conn is not None:
            conn.close()  # uncommitted work is rolled back
        pipe.close()


def _set_aside_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the client table's plain (not unique) indexes on REBUILT_COLUMNS when it holds few
    clients; returns their CREATE statements, run again before COMMIT. Inside the writer's
    transaction: a rollback brings them back, and no one else sees the table without them.
    Unique indexes stay, so a constraint is checked where it always was."""
    (few,) = conn.execute("SELECT count(*) < ? FROM (SELECT 1 FROM client LIMIT ?)",
                          (REBUILD_BELOW, REBUILD_BELOW)).fetchone()
    if not few:
        return []
    found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'client' "
                         "AND sql IS NOT NULL ORDER BY name").fetchall()
    aside = []
    for name, sql in found:
        quoted = '"{}"'.format(name.replace('"', '""'))
        first = conn.execute(f"PRAGMA index_info({quoted})").fetchone()
        if first is not None and first[2] in REBUILT_COLUMNS and not sql.lstrip().upper().startswith("CREATE UNIQUE"):
            conn.execute(f"DROP INDEX {quoted}")
            aside.append(sql)
    return aside
