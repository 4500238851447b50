"""The second process of a big import (bulk_writer.py) or export (export_split.py): started,
settled in, stopped, and its errors carried back, the same way for both."""

from __future__ import annotations

import multiprocessing
import signal
import sqlite3
import sys
import threading


def start_method() -> str:
    """fork where it is safe (quick: nothing to import again); spawn on macOS, whose system
    libraries are not fork-safe, and when another thread runs (a progress bar's refresh
    thread could hold a lock the child would inherit, taken for ever)."""
    forkable = "fork" in multiprocessing.get_all_start_methods()
    return "fork" if forkable and sys.platform != "darwin" and threading.active_count() == 1 else "spawn"


def start(target, *args):
    """(the process, our end of the pipe to it). target(its end, our end, *args) runs there."""
    context = multiprocessing.get_context(start_method())
    ours, theirs = context.Pipe()
    process = context.Process(target=target, args=(theirs, ours, *args), daemon=True)
    process.start()
    theirs.close()
    return process, ours


def settle_in(reader_end) -> None:
    """First thing in the second process."""
    reader_end.close()  # inherited: while it is open there, the reader closing it would go unseen
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the reader's to handle: it closes the pipe


def stop(process, *, wanted: bool) -> None:
    """Wait for the second process to end (our end of the pipe closed already). Its work not
    wanted any more (an error, Ctrl-C): it gets a second to notice, then it is stopped; SQLite
    drops an uncommitted transaction with its process."""
    process.join(timeout=None if wanted else 1)
    if process.is_alive():
        process.terminate()
        process.join()


def error_reply(exc: BaseException) -> tuple[str, tuple[str, str]]:
    """An exception of the second process, as a message to the one that started it."""
    return "error", (type(exc).__name__, str(exc))


def raised_from(name: str, message: str) -> Exception:
    """The second process's exception, raised again here: a sqlite3 error as that class (for
    rawdb.translate_errors' messages), anything else as an internal error naming it."""
    kind = getattr(sqlite3, name, None)
    if isinstance(kind, type) and issubclass(kind, sqlite3.Error):
        return kind(message)
    return RuntimeError(f"{name} in the writing process: {message}")
