"""Amounts in Chinese capitals (大写金额) and unified social credit codes: pure functions."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuangou_cli import credit_code, i18n
from tuangou_cli.amounts import MAX_AMOUNT, AmountError, to_capitals
from tuangou_cli.errors import UsageError

# Amounts as banks, cheque books and VAT invoices write them (the People's Bank of China's
# examples, and invoices' 价税合计 lines). Where the rules allow a 零 to be read or not, the
# spelling here is the one tg's rule gives: every run of zeros between two digits is one 零.
TABLE = [
    ("12300", "壹万贰仟叁佰元整"),
    ("1005.05", "壹仟零伍元零伍分"),
    ("0.5", "伍角"),
    ("0.50", "伍角"),
    ("100000000", "壹亿元整"),
    ("10010", "壹万零壹拾元整"),
    ("0", "零元整"),
    ("0.00", "零元整"),
    ("0.01", "壹分"),
    ("0.05", "伍分"),
    ("0.15", "壹角伍分"),
    ("1", "壹元整"),
    ("10", "壹拾元整"),
    ("11", "壹拾壹元整"),
    ("20", "贰拾元整"),
    ("101", "壹佰零壹元整"),
    ("110", "壹佰壹拾元整"),
    ("1000", "壹仟元整"),
    ("1001", "壹仟零壹元整"),
    ("1010", "壹仟零壹拾元整"),
    ("1100", "壹仟壹佰元整"),
    ("325.04", "叁佰贰拾伍元零肆分"),  # 角 is zero, 分 is not: 零 is required
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万零柒仟元零伍角叁分"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("100000", "壹拾万元整"),
    ("150000", "壹拾伍万元整"),
    ("1000000", "壹佰万元整"),
    ("1000500", "壹佰万零伍佰元整"),
    ("1010000", "壹佰零壹万元整"),
    ("30005000", "叁仟万零伍仟元整"),
    ("100000001", "壹亿零壹元整"),
    ("100010000", "壹亿零壹万元整"),
    ("110000000", "壹亿壹仟万元整"),
    ("1000000000000", "壹万亿元整"),
    ("1000100000000", "壹万零壹亿元整"),
    ("1200000000000.1", "壹万贰仟亿元零壹角"),
    ("45000", "肆万伍仟元整"),
    ("8800.8", "捌仟捌佰元零捌角"),
    ("113000", "壹拾壹万叁仟元整"),  # 100,000 excl. VAT at 13%: the 价税合计
    ("56500.00", "伍万陆仟伍佰元整"),
    ("9999999999999.99", "玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize("amount, capitals", TABLE)
def test_table_of_amounts(amount, capitals):
    assert to_capitals(Decimal(amount)) == capitals


def test_int_is_taken_as_yuan():
    assert to_capitals(12300) == "壹万贰仟叁佰元整"


@pytest.mark.parametrize("amount, key", [
    (Decimal("-0.01"), "negative"), (Decimal("-5"), "negative"), (MAX_AMOUNT + Decimal("0.01"), "above"),
    (Decimal("10000000000000"), "above"), (Decimal("1.005"), "below one fen"), (Decimal("0.001"), "below one fen"),
    (Decimal("NaN"), "not a number"), (Decimal("Infinity"), "not a number"),
    (Decimal("1." + "0" * 40 + "1"), "below one fen"),  # beyond the context's 28 digits: still refused
])
def test_refused_amounts(amount, key):
    with pytest.raises(AmountError) as info:
        to_capitals(amount)
    assert key in info.value.message and "\n" not in info.value.message


def test_refusal_in_chinese():
    i18n.set_lang("zh")
    with pytest.raises(AmountError, match="负数"):
        to_capitals(Decimal("-1"))


@pytest.mark.parametrize("value", [1.5, "12", None, True])
def test_only_decimal_or_int(value):
    with pytest.raises(TypeError):
        to_capitals(value)


def test_trailing_zeros_in_the_decimal_do_not_matter():
    assert to_capitals(Decimal("1.500")) == to_capitals(Decimal("1.5")) == "壹元伍角"


# --- a second, independent implementation --------------------------------------------------
# The classic way spreadsheets and invoicing scripts do it: write every digit with its place
# (壹万零仟零佰壹拾零元零角零分), then fold the zeros with regular expressions, moving a zero
# that stands before 万, 亿 or 元 to after it.

def reference(amount: Decimal) -> str:
    fen = int(amount * 100)
    if fen == 0:
        return "零元整"
    digits = "零壹贰叁肆伍陆柒捌玖"
    units = ["分", "角", "元", "拾", "佰", "仟", "万", "拾", "佰", "仟", "亿", "拾", "佰", "仟", "万"]
    text = str(fen)
    raw = "".join(digits[int(d)] + units[len(text) - 1 - i] for i, d in enumerate(text))
    s = re.sub("零[拾佰仟]", "零", raw)
    s = re.sub("零+", "零", s)
    while re.search("零[万亿元]", s):  # a zero before a group word belongs after it
        s = re.sub("零+", "零", re.sub("零([万亿元])", r"\1零", s))
    s = re.sub("亿万", "亿", s)  # an empty 万 group under 亿
    s = re.sub("零角零分$", "整", s)
    s = re.sub("零分$", "", s)
    s = re.sub("零角", "零", s)
    s = re.sub("元零$", "元整", s)
    return s


@settings(max_examples=1000, deadline=None)
@given(st.integers(min_value=0, max_value=int(MAX_AMOUNT * 100)))
def test_agrees_with_the_reference(fen):
    amount = Decimal(fen).scaleb(-2)
    assert to_capitals(amount) == reference(amount)


@settings(max_examples=800, deadline=None)
@given(st.integers(min_value=0, max_value=13).flatmap(
    lambda n: st.lists(st.sampled_from("0000000123456789"), min_size=n + 2, max_size=n + 2)))
def test_agrees_with_the_reference_on_sparse_digits(digits):
    """Mostly zeros: where the 零 rules bite (runs across 万, 亿 and 元)."""
    amount = Decimal("".join(digits)).scaleb(-2)
    assert to_capitals(amount) == reference(amount)


def test_the_reference_reads_the_table():
    for amount, capitals in TABLE:
        assert reference(Decimal(amount)) == capitals, amount


# --- unified social credit codes ----------------------------------------------------------

# Real-format codes: registering authority 9 (market regulation) and kind 1 (enterprise), or
# 1/1 (a government office), 5/1 (a social organisation), 1/2 (a public institution); a
# division code; an organisation code; the check character computed (and the first is the
# standard's own worked example).
VALID = ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"]


def make(first17: str) -> str:
    return first17 + credit_code.check_character(first17)


def test_codes_made_here_pass():
    for first17 in ("11100000000013127", "12440100455854802", "51310000MJ4560397", "92330106MA27XJ8L0"):
        code = make(first17)
        assert credit_code.problem(code) is None, code
        VALID.append(code)
    for code in VALID:
        assert credit_code.problem(code) is None, code


def test_weights_are_the_standards():
    assert credit_code.WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(credit_code.ALPHABET) == 31 and not set("IOZSV") & set(credit_code.ALPHABET)


@pytest.mark.parametrize("code, words", [
    ("91350100M000100Y4", "has 17"),
    ("91350100M000100Y433", "has 19"),
    ("", "has 0"),
    ("91350100M000100Y4O", "character 18, O"),
    ("9135010OM000100Y43", "character 8, O"),
    ("9I350100M000100Y43", "character 2, I"),
    ("91350100M00010*Y43", "character 15, *"),
    ("9135A100M000100Y43", "characters 3-8"),
    ("91350100M000100Y44", "the 18th would be 3"),
    ("91530100M000100Y43", "check digit"),  # two neighbours swapped
    ("91350100M000100Y43"[:-1] + "X", "check digit"),
])
def test_invalid_codes_say_what_is_wrong(code, words):
    reason = credit_code.problem(code)
    assert reason is not None and words in reason and "\n" not in reason


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=credit_code.ALPHABET, min_size=17, max_size=17), st.integers(0, 16),
       st.sampled_from(credit_code.ALPHABET))
def test_any_one_changed_character_is_caught(first17, position, replacement):
    first17 = "91" + "350100" + first17[8:]
    code = make(first17)
    assert credit_code.problem(code) is None
    if code[position] != replacement:
        changed = code[:position] + replacement + code[position + 1:]
        assert credit_code.problem(changed) is not None


def test_validate_normalises_what_was_pasted():
    assert credit_code.validate(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    assert credit_code.validate("913501-00M000-100Y43") == "91350100M000100Y43"
    with pytest.raises(UsageError, match="check digit"):
        credit_code.validate("91350100M000100Y44")


def test_messages_in_chinese():
    i18n.set_lang("zh")
    assert "校验位" in credit_code.problem("91350100M000100Y44")
    assert "18 位" in credit_code.problem("123")
