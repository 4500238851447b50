"""How much tg reads of a file or a stream it parses whole: a playbook, an answers file, call
notes on stdin. A limit is checked while reading (never more than the limit and one byte is
read), so /dev/zero, a FIFO that never ends or a 20 GB file is a one-line error in a moment,
with memory to spare, instead of growing until the kernel kills tg. Pure but for the reading.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from . import i18n
from .errors import TgError, UsageError

# The shipped playbook is 64 KB; a team's own stays far below this. YAML parsing costs ~100
# bytes of memory per byte of text, so this also bounds the parse.
PLAYBOOK_BYTES = 2 * 1024 * 1024
ANSWERS_BYTES = 256 * 1024  # question id → answer: a few hundred bytes in practice
# Call notes: the notes matcher holds about 240 bytes per byte of text at its peak, so this keeps
# the whole process under 150 MiB (benchmarks/notes_memory.py) while still taking the largest
# argument Linux allows (128 KiB) and a long pasted e-mail; ten megabytes on stdin are refused unread.
NOTES_BYTES = 256 * 1024


class TooBig(TgError):
    pass


def human(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}".replace(".0 ", " ")
    return f"{n} B"


def too_big(where: str, what: str, limit: int, size: int | None = None) -> TooBig:
    shown = human(size) if size is not None else i18n.t("trust.more_than", limit=human(limit))
    return TooBig(i18n.t("trust.too_big", path=where, size=shown, limit=human(limit), what=i18n.t(f"trust.what.{what}")))


def read_stream(stream: BinaryIO, limit: int, *, where: str, what: str) -> bytes:
    """All of ``stream``, or TooBig once it holds more than ``limit`` bytes."""
    chunks, total = [], 0
    while True:
        chunk = stream.read(min(1 << 16, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise too_big(where, what, limit)


def read_file(path: str | os.PathLike, limit: int, *, what: str) -> bytes:
    """The bytes of ``path`` (a regular file, a FIFO, /dev/zero…), or TooBig past ``limit``.
    OSError as open() raises it."""
    p = Path(path)
    with open(p, "rb") as f:
        try:
            size = os.fstat(f.fileno()).st_size
        except OSError:
            size = 0
        if size > limit:
            raise too_big(str(p), what, limit, size)
        return read_stream(f, limit, where=str(p), what=what)


def check_text(text: str, limit: int, *, where: str, what: str) -> str:
    """Text given whole (an option's value): refused past ``limit`` bytes of UTF-8, as a file would be."""
    if len(text) > limit or len(text.encode("utf-8", "surrogateescape")) > limit:
        raise UsageError(too_big(where, what, limit, len(text.encode("utf-8", "surrogateescape"))).message)
    return text
