"""Reading numbers as people write them: in call notes, in a spreadsheet cell, at a prompt.

Pure: no I/O. One reader for every road, so 三百人 means 300 whether a rep types it in the notes,
a lead list has it in a cell, or a number question gets it as an answer.

Forms read: digits with thousands separators and decimals (1,200, 1.5), a Chinese or Latin
multiplier after digits (4百, 1.2亿, 2万5, 30w, 3k), Chinese numerals (三百五, 一百六十,
一亿二千万, 两千五) and English number words ("two hundred", "a hundred and twenty").

Forms *not* read, because they do not say one number: approximations and ranges (三百来个,
两三百, 几百, 上千, 二十几, 200-300, "a few hundred"). :func:`vague_at` finds them so the caller can
say "I saw 三百来个 and could not read it" instead of guessing.

Example::

    >>> parse_number("三百人"), parse_number("400元"), parse_number("1.2亿"), parse_number("two hundred")
    (300.0, 400.0, 120000000.0, 200.0)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# --- folding -------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Compare-form: full-width → half-width (NFKC), case folded, curly apostrophes straight."""
    # A Chinese comma becomes ", " first, so 500，100人 never reads as the number 500,100.
    text = unicodedata.normalize("NFKC", text.replace("\uff0c", ", ").replace("\u3001", ", "))
    return text.casefold().replace("\u2019", "'").replace("\u2018", "'")


# --- Chinese numerals ------------------------------------------------------------------------

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_CHARS = "零〇一二两俩三四五六七八九十百千万亿"


def chinese_number(s: str) -> int | None:
    """一百二十 → 120, 两千五 → 2500, 一万二 → 12000, 一亿二千万 → 120000000; None if not a number.

    A last digit right after a unit counts one place lower (两千五 = 2500, 三百五 = 350, 一万二 =
    12000), as people say it. Two digits in a row are a range, not a number (五六十).
    """
    if not s or s.count("亿") > 1:
        return None
    if "亿" in s:
        high, low = s.split("亿")
        top = _below_yi(high or "一", None)
        rest = _below_yi(low, 10_000_000) if low else 0
        return None if top is None or rest is None else top * 100_000_000 + rest
    return _below_yi(s, None)


def _below_yi(s: str, elide: int | None) -> int | None:
    if s.count("万") > 1:
        return None
    if "万" in s:
        high, low = s.split("万")
        top = _section(high or "一", None)
        rest = _section(low, 1000) if low else 0
        return None if top is None or rest is None or top == 0 else top * 10_000 + rest
    return _section(s, elide)


def _section(s: str, elide: int | None) -> int | None:
    """A number below 10,000 (十/百/千 with digits); a lone digit counts ``elide`` each."""
    if not s:
        return None
    if len(s) == 1 and s in CN_DIGITS and elide and CN_DIGITS[s]:
        return CN_DIGITS[s] * elide
    value = 0
    digit: int | None = None
    last_unit = 0
    zero = False
    for ch in s:
        if ch in ("零", "〇"):
            if digit is not None and last_unit == 0:
                return None
            zero, digit = True, None
        elif ch in CN_DIGITS:
            if digit is not None:
                return None  # 五六十: a range
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            if last_unit and unit >= last_unit:
                return None  # 百千, 十十
            value += (1 if digit is None else digit) * unit
            digit, last_unit, zero = None, unit, False
        else:
            return None
    if digit is not None:
        value += digit * (last_unit // 10) if last_unit and not zero else digit
    return value


# --- English number words ---------------------------------------------------------------------

_SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_EN_WORD = "|".join(sorted([*_SMALL, *_TENS, *_SCALES], key=len, reverse=True))
_EN_FIRST = "|".join(sorted([*_SMALL, *_TENS], key=len, reverse=True))
EN_NUMBER = rf"(?:an?\s+(?:{'|'.join(_SCALES)})|(?:{_EN_FIRST}))(?:(?:[\s-]+(?:and\s+)?)(?:{_EN_WORD}))*"


def english_number(s: str) -> int | None:
    """"two hundred" → 200, "a hundred and twenty" → 120, "twelve hundred" → 1200; None otherwise."""
    words = [w for w in re.split(r"[\s-]+", s.strip().casefold()) if w and w != "and"]
    if not words:
        return None
    if words[0] in ("a", "an"):
        words[0] = "one"
        if len(words) < 2 or words[1] not in _SCALES:
            return None
    total = current = 0
    seen = False
    for w in words:
        if w in _SMALL:
            current += _SMALL[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _SCALES:
            total += (current or 1) * _SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


# --- number tokens ----------------------------------------------------------------------------

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Digits, then a Chinese multiplier tail (4百, 1.2亿, 2万5, 1万2千) or a Latin one (30w, 3k).
_CN_TAIL = rf"[亿万千百十](?:[{CN_CHARS}]|\d)*"
NUMBER = re.compile(
    rf"(?P<d>(?:{_DIGITS})(?:\s?{_CN_TAIL}|[kw](?![a-z]))?)"
    rf"|(?P<c>[{CN_CHARS}]+)"
    rf"|(?<![a-z])(?P<e>{EN_NUMBER})(?![a-z])"
)
_LATIN_MULT = {"k": 1000, "w": 10_000}


def token_value(token: str) -> float | None:
    """The value of one token found by :data:`NUMBER` (or any whole number text); None if none."""
    t = token.replace(",", "").replace(" ", "")
    if not t:
        return None
    if t[0] in CN_CHARS:
        n = chinese_number(t)
        return None if n is None else float(n)
    if t[0].isalpha():
        n = english_number(token)
        return None if n is None else float(n)
    if t[-1] in _LATIN_MULT:
        try:
            return float(t[:-1]) * _LATIN_MULT[t[-1]]
        except ValueError:
            return None
    m = re.match(r"\d+(?:\.\d+)?", t)
    if m is None:
        return None
    head, tail = float(m.group()), t[m.end():]
    if not tail:
        return head
    # 4百 = 400, 1.2亿, 2万5 = 25000, 1万2千 = 12000: the digits stand for the Chinese numeral.
    if any(ch.isdigit() for ch in tail):
        tail = "".join("零一二三四五六七八九"[int(ch)] if ch.isdigit() else ch for ch in tail)
    if head != int(head):
        big = CN_BIG.get(tail[0]) or CN_UNITS.get(tail[0])
        if big is None or len(tail) > 1:
            return None
        return head * big
    n = chinese_number(_cn_digits(int(head)) + tail)
    return None if n is None else float(n)


def _cn_digits(n: int) -> str:
    """A whole number as Chinese numerals (12 → 十二), so 12万 is read as 十二万."""
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"
    out = ""
    for value, name in ((1000, "千"), (100, "百"), (10, "十")):
        if n >= value:
            out += digits[n // value] + name
            n %= value
        elif out and n:
            out += "零"
    if n:
        out += digits[n]
    return out.replace("零零", "零") if n or out else out


def parse_number(raw: Any) -> float | None:
    """A number as people write it in a cell, a note or a prompt: 120, 1,200, ¥300, 1.5万, 20k,
    三百, 120人, 400元, "two hundred". None when there is none, or when the number is vague
    (三百来个, 两三百, 200-300)."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw)
    # One value, so a full-width comma is a thousands separator here (１，２００), unlike in notes.
    text = unicodedata.normalize("NFKC", str(raw)).casefold()
    for m in NUMBER.finditer(text):
        if not _worth(m):
            continue
        if vague_at(text, m.start(), m.end()):
            return None
        return token_value(m.group())
    return None


def _worth(m: re.Match) -> bool:
    return bool(m.group().strip())


# --- vague figures -------------------------------------------------------------------------------

# Right after a number: 来 / 多 / 余 / 几 / 把 / 出头 / 上下? (no: 上下 is "about", a target) and
# the Latin "+" (300+) say "about, more than": not one number.
_VAGUE_AFTER = re.compile(r"\s?(?:来|多|余|几|把|出头|\+(?!\d))")
# Before it: 几 / 数 / 上 / 好几 / 近 / 将近 / 小 (上千, 好几百, 近千, 小一千).
_VAGUE_BEFORE = re.compile(r"(?:好几|几|数|上|将近|近|小)$")
_RANGE_AFTER = re.compile(r"\s?(?:-|–|~|到|至|或|/)\s?(?:\d|[一二两三四五六七八九十百千万])")
_VAGUE_WORDS = re.compile(
    r"(?:几|数|好几|上)[十百千万]+(?:[来多余])?(?:块|元|个|人|位|名|号人|份|件|套|台|盒|户)?"
    r"|[一二两三四五六七八九]{2}[十百千万]+|[十百千万]几[十百千万]*(?:块|元|人|个|份|套|台|盒|户)?(?:的样子)?"
    r"|\b(?:a\s+few|a\s+couple(?:\s+of)?|couple(?:\s+of)?|several|few)\s+(?:hundred|thousand|dozen)\b"
    r"|\b(?:hundreds|thousands|dozens|tens)\s+of(?:\s+thousands)?\b|\bhundred-something\b|\b\d+-odd\b"
    r"|\b(?:a|one)\s+hundred\s+or\s+so\b"
)


def vague_at(text: str, start: int, end: int) -> bool:
    """Whether the number at text[start:end] is part of an approximation or a range."""
    token = text[start:end]
    if token and token[0] in CN_CHARS and chinese_number(token) is None:
        return True
    m = _VAGUE_AFTER.match(text, end)
    if m and m.group().strip() == "把" and len(token) > 1:
        m = None  # 八十把 (chairs) is a count; 百把人, 千把块 are "about"
    if m:
        # 多 in 多少 / 多人 (a count noun right after) is not vague: 三人多 is rare; keep it simple.
        nxt = text[end:end + 2]
        if not nxt.startswith("多少"):
            return True
    before = text[max(0, start - 2):start]
    if _VAGUE_BEFORE.search(before) and token[:1] in CN_CHARS + "0123456789":
        if not (before.endswith("上") and token[:1].isdigit()):  # 上 300: "up to" in some notes
            return True
    if _RANGE_AFTER.match(text, end):
        return True
    if start and _RANGE_BEFORE.search(text, max(0, start - 4), start):
        return True  # the second half of a range (200-300)
    return False


_RANGE_BEFORE = re.compile(r"\d\s?(?:-|–|~|到|至)\s?$")


@dataclass(frozen=True)
class Vague:
    start: int
    end: int
    text: str


_VAGUE_HINT = re.compile(r"[几数上]|[一二两三四五六七八九]{2}[十百千万]|[十百千万]几|few|couple|several|hundred|thousand|dozen|tens|odd")


def vague_words(text: str) -> list[Vague]:
    """Approximations written without a readable number at all: 几百, 两三百, "a few hundred"."""
    if not _VAGUE_HINT.search(text):
        return []
    return [Vague(m.start(), m.end(), m.group()) for m in _VAGUE_WORDS.finditer(text)]
