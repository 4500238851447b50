"""Reading a file's header row: how a header is folded to a key, and an alias table looked up.

The one set of rules every file tg reads goes by (a lead list's columns in cells.ALIASES, a price
list's in catalog.HEADER_ALIASES): case, width, spaces, punctuation and a bracketed unit do not
matter. Pure, standard library only (so any reader may import it without cycles).
"""

from __future__ import annotations

import re
import unicodedata

_NONWORD = re.compile(r"[\W_]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")


def header_key(text: str) -> str:
    """'人均预算（元）' → '人均预算'; 'Budget per head' → 'budgetperhead'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NONWORD.sub("", _BRACKETED.sub("", folded)) or _NONWORD.sub("", folded)


def _whole_key(text: str) -> str:
    """header_key() with a bracketed part kept: 'Name (EN)' → 'nameen', '单价(元)' → '单价元'."""
    return _NONWORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def alias_index(*tables: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The header vocabulary of a kind of file, for header_field(): every alias by its whole key.
    The first field to claim a key keeps it, so a table lists the more usual meaning first."""
    index: dict[str, str] = {}
    for table in tables:
        for fld, aliases in table.items():
            for alias in aliases:
                index.setdefault(_whole_key(alias), fld)
    return index


def header_field(index: dict[str, str], header: str) -> str | None:
    """The field a header names in an alias_index(): by its whole key first ('name (en)' is not
    'name'), then without a bracketed unit ('人均预算（元）', '货期（天）'); None when unknown."""
    return index.get(_whole_key(header)) or index.get(header_key(header))
