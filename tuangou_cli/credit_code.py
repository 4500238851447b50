"""The unified social credit code (统一社会信用代码, GB 32100-2015) of a buyer. Pure.

Eighteen characters from 31 (digits and capital letters but I, O, Z, S, V): the registering
authority (1), the kind of organisation (1), the administrative division (6 digits), the
organisation code (9) and a check character computed from the first 17 (weights 3^i mod 31,
check = 31 - sum mod 31). The check catches any one mistyped character and any swap of two
neighbours, which is why an invoice title is checked before it is stored.
"""

from __future__ import annotations

import unicodedata

from . import i18n
from .errors import UsageError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, …


def normalise(code: str) -> str:
    """As typed or pasted: full-width characters made ASCII, spaces and dashes dropped, capitals."""
    text = unicodedata.normalize("NFKC", code)
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (which must be from ALPHABET)."""
    total = sum(VALUE[ch] * w for ch, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """What is wrong with ``code`` (already normalised), in one line; None when it is valid."""
    if len(code) != 18:
        return i18n.t("credit.length", code=code, length=len(code))
    for position, ch in enumerate(code, 1):
        if ch not in VALUE:
            return i18n.t("credit.char", code=code, position=position, char=ch)
    if not code[2:8].isdigit():
        return i18n.t("credit.division", code=code, division=code[2:8])
    expected = check_character(code[:17])
    if code[17] != expected:
        return i18n.t("credit.check", code=code, expected=expected)
    return None


def validate(code: str) -> str:
    """The normalised code, or a UsageError saying what is wrong with it."""
    normal = normalise(code)
    reason = problem(normal)
    if reason is not None:
        raise UsageError(reason)
    return normal
