"""Option types shared by several commands."""

from __future__ import annotations

from enum import Enum

import typer

from .. import i18n


# Upper bounds that keep numbers finite and inside a 32-bit integer column on every engine.
MAX_HEADCOUNT = 10_000_000
MAX_MONEY = 1e12


class ListFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class TextOrJson(str, Enum):
    text = "text"
    json = "json"


def format_option(default: Enum):
    return typer.Option(default.value, "--format", "-f", help=i18n.both("help.format"), case_sensitive=False)


def yes_option():
    return typer.Option(False, "--yes", "-y", help=i18n.both("help.yes"))


_PROBE = ("id,name", "\r\n1,x\r\n")


def text_encoding(name: str) -> str | None:
    """The codec's own name when it can carry CSV text written and read piece by piece, else None.

    The codecs registry also holds bytes-to-bytes codecs (base64, zlib), str-to-str ones (rot13),
    one that always fails (undefined), and ones that hold text back or re-encode each piece
    (idna writes nothing until a dot, punycode appends to every piece): a file written or read
    through those would be lost or garbled without an error.
    """
    import codecs

    try:
        info = codecs.lookup(name)
        if not getattr(info, "_is_text_encoding", True):
            return None
        encoder = info.incrementalencoder()
        data = b"".join(encoder.encode(piece) for piece in _PROBE)
        decoder = info.incrementaldecoder()
        back = "".join(decoder.decode(data[i:i + 4]) for i in range(0, len(data), 4))
    except Exception:  # LookupError, ValueError (a NUL in the name), TypeError, UnicodeError, zlib.error…
        return None
    return info.name if back == "".join(_PROBE) else None
