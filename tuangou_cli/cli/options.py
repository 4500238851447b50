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
    jsonl = "jsonl"
    xlsx = "xlsx"

    @property
    def flat(self) -> bool:
        """One row per line or cell (csv, jsonl, xlsx): the rows a listing's json nests, laid flat."""
        return self in (ListFormat.csv, ListFormat.jsonl, ListFormat.xlsx)


class TextOrJson(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"

    @property
    def is_json(self) -> bool:
        return self in (TextOrJson.json, TextOrJson.jsonl)


def json_text(data, fmt: Enum) -> str:
    """One record as JSON: indented for --format json, on one line for --format jsonl."""
    import json

    if fmt.value == "jsonl":
        return json.dumps(data, ensure_ascii=False) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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
