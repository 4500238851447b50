"""The project's exceptions. One handler (cli.app.TgGroup) turns them into a
one-line message on stderr and an exit code; nothing else prints errors."""

from __future__ import annotations

import re

EXIT_USER = 1  # the user asked for something that cannot be done (unknown client, bad file…)
EXIT_USAGE = 2  # the command line itself is wrong (bad option value, missing answers…)
EXIT_INTERRUPTED = 130  # Ctrl-C: nothing was written
EXIT_BROKEN_PIPE = 141  # the reader of stdout went away (head, less): 128 + SIGPIPE, as the shell reports


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


# Line breaks and other control characters (C0, DEL, C1, U+2028/9) and the bidi controls that
# reorder what follows them: a value quoted in a message could otherwise break it into lines,
# move the cursor, recolour the terminal or disguise the rest of the line.
# Zero-width characters too (U+200B–U+200D, the word joiner and its kin, the BOM, the Mongolian
# vowel separator, the soft hyphen): invisible, they make two names that look the same differ,
# or hide a word inside another.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\xad\u2028\u2029\u061c\u180e\u200b-\u200f\u202a-\u202e"
                     "\u2060-\u2064\u2066-\u2069\ufeff]")


# Passwords of the database URL in use (db.make_engine registers them): whatever message quotes
# them — a driver's error, an internal error's detail — shows *** instead (cli.report).
_SECRETS: set[str] = set()


def register_secrets(secrets) -> None:
    _SECRETS.update(s for s in secrets if s)


_USERINFO = re.compile(r"(://[^/@:?#]*):[^@/?#]*@")
_SECRET_QUERY = re.compile(r"([?&;]password=)[^&;#\s]*", re.IGNORECASE)
_SECRET_KV = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s'&;]+)", re.IGNORECASE)


def redact_url(text: str) -> str:
    """``text`` with every password of a URL (``user:pw@``, ``?password=``) or a libpq keyword
    string (``password=pw``) written as ``***``: for messages that may quote a URL."""
    text = _USERINFO.sub(r"\1:***@", text)
    text = _SECRET_QUERY.sub(r"\1***", text)
    return _SECRET_KV.sub(r"\1***", text)


def scrub(text: str) -> str:
    """``text`` without any registered password, nor one written into a URL it quotes."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "***")
    return redact_url(text) if ("@" in text or "password" in text.lower()) else text


def has_unsafe(text: str) -> bool:
    """Whether one_line() would change ``text`` (a whole column may be asked at once, joined)."""
    return _UNSAFE.search(text) is not None


def one_line(text: str) -> str:
    """``text`` with those characters written as escapes (\\n, \\x1b, \\u202e): one line, read as typed."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def multi_line(text: str) -> str:
    """``text`` for a document (notes in a pitch, a value in a panel): its line breaks kept, a
    Windows CRLF read as one, every other character ``one_line`` escapes written as an escape."""
    if not _UNSAFE.search(text):
        return text
    return "\n".join(one_line(line) for line in text.replace("\r\n", "\n").split("\n"))
