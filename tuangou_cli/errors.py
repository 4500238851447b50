"""The project's exceptions. One handler (cli.app.TgGroup) turns them into a
one-line message on stderr and an exit code; nothing else prints errors."""

from __future__ import annotations

EXIT_USER = 1  # the user asked for something that cannot be done (unknown client, bad file…)
EXIT_USAGE = 2  # the command line itself is wrong (bad option value, missing answers…)
EXIT_INTERRUPTED = 130  # Ctrl-C: nothing was written


class TgError(Exception):
    """A user-facing error: `message` is already translated, one line."""

    exit_code = EXIT_USER

    def __init__(self, message: str, *, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        # Extra lines (e.g. each playbook problem, each candidate client) printed after the message.
        self.details = details or []


class UsageError(TgError):
    exit_code = EXIT_USAGE


class NotFound(TgError):
    pass


class Ambiguous(TgError):
    pass


class PlaybookInvalid(TgError):
    pass


class StoreError(TgError):
    """The database cannot be opened or used (not a database, newer schema, locked…)."""
