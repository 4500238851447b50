"""An amount of money in Chinese capitals (大写金额), as banks and invoices write it. Pure.

The rules followed (the People's Bank of China's payment and settlement rules, as every
bank slip, cheque and VAT invoice applies them):

- digits 零壹贰叁肆伍陆柒捌玖, places 拾佰仟, groups 万 and 亿 (13 integer digits: 万亿), then
  元, 角 and 分; a ten is 壹拾, also at the start (壹拾万元整, never 拾万元整);
- a run of zeros between two non-zero digits is one 零, wherever it falls: inside a group
  (壹仟零伍元), across a group (壹拾万零柒仟元), across 元 (壹佰元零伍角) and before 分 when
  角 is zero (壹仟零伍元零伍分, which the rules require); zeros at the end are not read;
- an amount that ends at 元 ends with 整 (壹万贰仟叁佰元整); one that ends at 角 or 分 does not
  (伍角, 壹元零伍分); nought is 零元整.

Where the rules allow either (a zero 万 or 元 place before a non-zero digit may be read or not),
the one rule above decides, so every amount has exactly one spelling.
"""

from __future__ import annotations

from decimal import Decimal

from . import i18n
from .errors import TgError

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999999.99")  # 13 digits of 元: 玖万玖仟…亿…元玖角玖分


class AmountError(TgError, ValueError):
    """An amount that cannot be written in capitals (negative, too large, finer than a fen)."""


def to_capitals(amount: Decimal | int) -> str:
    """``amount`` in 元 written in Chinese capitals.

    Example:
        >>> to_capitals(Decimal("12300"))
        '壹万贰仟叁佰元整'
        >>> to_capitals(Decimal("1005.05"))
        '壹仟零伍元零伍分'
    """
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise TypeError(f"to_capitals takes a Decimal or an int, not {type(amount).__name__}")
    value = Decimal(amount)
    if not value.is_finite():
        raise AmountError(i18n.t("amount.not_finite", amount=value))
    if value < 0:
        raise AmountError(i18n.t("amount.negative", amount=value))
    if value > MAX_AMOUNT:
        raise AmountError(i18n.t("amount.too_large", amount=value, max=f"{MAX_AMOUNT:,}"))
    cents = value.quantize(CENT)  # at most 15 digits here: exact
    if cents != value:  # Decimal comparison is exact, whatever the context's precision
        raise AmountError(i18n.t("amount.below_fen", amount=value))
    fen = int(cents.scaleb(2))
    if fen == 0:
        return "零元整"
    yuan, jiao, fen_digit = fen // 100, fen // 10 % 10, fen % 10
    # The group word after a place: 万 after the 万 place when its group of four has a digit,
    # 亿 after the 亿 place (the whole part above it has one, or we would not be reading it), and
    # the 13th digit's own 万 (万亿) when it is not zero.
    group_words = {4: "万" if yuan // 10**4 % 10**4 else "", 8: "亿", 12: "万" if yuan >= 10**12 else ""}
    out: list[str] = []
    started = zero_pending = False
    text = str(yuan) if yuan else ""
    for i, ch in enumerate(text):
        digit, position = int(ch), len(text) - 1 - i
        if digit:
            out.append(("零" if zero_pending else "") + DIGITS[digit] + PLACES[position % 4])
            started, zero_pending = True, False
        else:
            zero_pending = started
        out.append(group_words.get(position, ""))
    if yuan:
        out.append("元")
    for digit, word in ((jiao, "角"), (fen_digit, "分")):
        if digit:
            out.append(("零" if zero_pending else "") + DIGITS[digit] + word)
            started, zero_pending = True, False
        else:
            zero_pending = started
    if not fen_digit and not jiao:
        out.append("整")
    return "".join(out)
