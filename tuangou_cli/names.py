"""Name folding for lookups: case- and width-insensitive (全角/半角). Pure."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """NFKC folds full-width forms (ＡＢＣ１ → abc1, 　→ space); casefold folds case."""
    # split() splits on exactly what \s matches in a str pattern, and is several times cheaper
    # than _SPACE.sub() + strip(): an import of 100k rows folds every name twice.
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def like_prefix(key: str) -> str:
    """A LIKE pattern matching names that start with key (wildcards escaped with '\\')."""
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
